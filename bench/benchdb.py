"""benchdb.py - what the bench data generators share: the running stack's
settings and MariaDB's root over its socket.

    from benchdb import load_env, mariadb
    env = load_env()                  # STATE/postbus.env of ./postbus up
    out = mariadb(env, 'SELECT 1', 'gen_x')

STATE is POSTBUS_STATE, default ./var of this checkout.  mariadb() runs a
script in the stack's database (POSTBUS_DB_NAME, default postbus) and
returns its tab-separated output, or stops the program with MariaDB's
message.  Throwaway state directories only.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_env():
    """The KEY=VALUE lines of STATE/postbus.env as a dict."""
    state = os.environ.get('POSTBUS_STATE', os.path.join(ROOT, 'var'))
    env = {}
    with open(os.path.join(state, 'postbus.env')) as f:
        for line in f:
            k, _, v = line.strip().partition('=')
            if k:
                env[k] = v
    return env


def mariadb(env, script, prog):
    """Run script as MariaDB's root; its output, or exit saying why."""
    p = subprocess.run(['mariadb', '--no-defaults', '-uroot',
                        '--socket=' + env['POSTBUS_DB_SOCKET'], '-N', '-B',
                        env.get('POSTBUS_DB_NAME', 'postbus')],
                       input=script, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('%s: SQL failed: %s' % (prog, p.stderr))
    return p.stdout
