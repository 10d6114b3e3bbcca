#!/usr/bin/env python3
"""gen_mailboxes.py - fill a private postbus database with mailboxes.

    bench/gen_mailboxes.py [--per-domain 10000] [--total 1000000]

Reads STATE/postbus.env (POSTBUS_STATE, default ./var) of a running
`./postbus up` and, as MariaDB's root over its socket, creates:

  - a plan "Bench" without limits;
  - bench.example (prefix "bench") with --per-domain mailboxes, each with a
    primary address, one additional address and a quota_usage row, and its
    owner login "benchowner" (password in the output);
  - more domains (benchNNN.example) of --per-domain mailboxes each until the
    database holds --total mailboxes.

The rows go in with INSERT ... SELECT from MariaDB's sequence engine
(seq_1_to_N), in one transaction per domain: about a second per 10,000
mailboxes.  Every mailbox gets the same valid SHA512-CRYPT hash of the
password printed at the end (made once with openssl), so Dovecot could log
in to any of them.  Run it on a throwaway state directory only.
"""
import argparse
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = 'Bench2mailbox'


def load_env():
    state = os.environ.get('POSTBUS_STATE', os.path.join(ROOT, 'var'))
    env = {}
    with open(os.path.join(state, 'postbus.env')) as f:
        for line in f:
            k, _, v = line.strip().partition('=')
            if k:
                env[k] = v
    return env


def mariadb(env, script):
    p = subprocess.run(['mariadb', '--no-defaults', '-uroot',
                        '--socket=' + env['POSTBUS_DB_SOCKET'], '-N', '-B',
                        env.get('POSTBUS_DB_NAME', 'postbus')],
                       input=script, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('gen_mailboxes: SQL failed: %s' % p.stderr)
    return p.stdout


def fill(env, name, prefix, n, plan_id, pw_hash):
    """One domain with n mailboxes, their addresses and usage rows."""
    # names and numbers only: nothing here comes from outside the script
    mariadb(env, f"""
START TRANSACTION;
INSERT INTO domains (name, prefix, next_counter, plan_id, created_by)
  VALUES ('{name}', '{prefix}', {n + 1}, {plan_id}, 'bench');
SET @d = LAST_INSERT_ID();
INSERT INTO mailboxes (domain_id, login, address, real_name, pw_hash, quota,
                       enabled, created_by)
  SELECT @d, CONCAT('{prefix}', IF(seq < 10000, LPAD(seq, 4, '0'), seq)),
         CONCAT('user', seq, '@{name}'),
         CONCAT('Person ', ELT(1 + seq % 8, 'Anna', 'Bram', 'Chloé', 'Dirk',
                'Emma', 'Femke', 'Gilles', 'Hanne'), ' ', seq),
         '{pw_hash}', (1 + seq % 3) * 1073741824, seq % 50 <> 0, 'bench'
  FROM seq_1_to_{n};
INSERT INTO addresses (address, domain_id, kind, mailbox_id)
  SELECT address, @d, 'primary', id FROM mailboxes WHERE domain_id = @d;
INSERT INTO addresses (address, domain_id, kind, mailbox_id)
  SELECT CONCAT('alt.', address), @d, 'extra', id FROM mailboxes
  WHERE domain_id = @d;
INSERT INTO quota_usage (username, bytes, messages)
  SELECT address, id * 4096 % 900000000, id % 1000 FROM mailboxes
  WHERE domain_id = @d;
COMMIT;
SELECT @d;
""")
    return int(mariadb(env, f"SELECT id FROM domains WHERE name = '{name}'").strip())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--per-domain', type=int, default=10000)
    ap.add_argument('--total', type=int, default=1000000)
    a = ap.parse_args()
    env = load_env()
    pw_hash = subprocess.run(['openssl', 'passwd', '-6', '-stdin'], input=PASSWORD,
                             capture_output=True, text=True, check=True).stdout.strip()
    if mariadb(env, "SELECT COUNT(*) FROM domains WHERE name = 'bench.example'").strip() != '0':
        sys.exit('gen_mailboxes: bench.example exists already (use a fresh state)')
    mariadb(env, "INSERT IGNORE INTO plans (name, mail_quota, max_mailboxes, "
            "default_mailbox_quota, allow_unlimited_quota) VALUES "
            "('Bench', NULL, NULL, 1073741824, 1)")
    plan_id = int(mariadb(env, "SELECT id FROM plans WHERE name = 'Bench'").strip())
    t = time.time()
    did = fill(env, 'bench.example', 'bench', a.per_domain, plan_id, pw_hash)
    done = a.per_domain
    k = 0
    while done < a.total:
        k += 1
        n = min(a.per_domain, a.total - done)
        fill(env, 'bench%03d.example' % k, 'bench%03dx' % k, n, plan_id, pw_hash)
        done += n
        if k % 10 == 0:
            print('  %d mailboxes (%.0f s)' % (done, time.time() - t), flush=True)
    mariadb(env, "ANALYZE TABLE mailboxes, addresses, quota_usage")
    p = subprocess.run([env['POSTBUS_CTL'], '-c', env['POSTBUS_CONF'], 'admin', 'add',
                        'benchowner', '--role', 'owner', '--domain', 'bench.example',
                        '--password-stdin'], input='Kv8wPz3qLm\n',
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('gen_mailboxes: owner: %s' % p.stderr)
    print('%d mailboxes in %d domains in %.1f s; bench.example is domain %d, '
          'owner benchowner / Kv8wPz3qLm; mailbox password %s'
          % (done, k + 1, time.time() - t, did, PASSWORD))


if __name__ == '__main__':
    main()
