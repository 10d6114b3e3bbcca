"""A checkout anywhere: a clone in a directory closed to other users (like
/root, mode 0700) comes up, serves the panel and delivers mail; a state
directory the daemons cannot reach is refused with the path and the reason.

Each test copies the tracked files of this checkout into a fresh mode-0700
directory and runs its ./postbus with the build tree of this checkout
(POSTBUS_BUILD), on free ports, next to the stack under test.
"""
import hashlib
import http.client
import os
import re
import shutil
import smtplib
import ssl
import subprocess
import tempfile
import time
import unittest

from pbtest import env, other_stack_env, poll, uniq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def copy_checkout(dest):
    """The tracked files of this checkout (as they are now) into dest."""
    files = subprocess.run(['git', 'ls-files', '-z'], cwd=ROOT, check=True,
                           capture_output=True).stdout.split(b'\0')
    for f in files:
        if not f:
            continue
        src = os.path.join(ROOT, f.decode())
        if not os.path.lexists(src):
            continue
        dst = os.path.join(dest, f.decode())
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst, follow_symlinks=False)


class ClosedParent(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.top = tempfile.mkdtemp(prefix='pb-closed-')
        os.chmod(cls.top, 0o700)
        cls.root = os.path.join(cls.top, 'postbus')
        os.makedirs(cls.root)
        copy_checkout(cls.root)
        cls.env = other_stack_env()
        # the build inside the closed directory too, as in a clone under
        # /root: every program a daemon runs must be reachable
        build = os.path.join(cls.top, 'build')
        shutil.copytree(cls.env['POSTBUS_BUILD'], build, symlinks=True)
        cls.env['POSTBUS_BUILD'] = build
        cls.up = subprocess.run([os.path.join(cls.root, 'postbus'), 'up'], env=cls.env,
                                capture_output=True, text=True, timeout=300)

    @classmethod
    def tearDownClass(cls):
        subprocess.run([os.path.join(cls.root, 'postbus'), 'down'], env=cls.env,
                       capture_output=True, text=True, timeout=120)
        var = os.path.join(cls.root, 'var')
        if os.path.islink(var):
            shutil.rmtree(os.path.realpath(var), ignore_errors=True)
        shutil.rmtree(cls.top, ignore_errors=True)

    def state(self):
        return os.path.realpath(os.path.join(self.root, 'var'))

    def stack(self):
        with open(os.path.join(self.state(), 'postbus.env')) as f:
            return dict(line.strip().split('=', 1) for line in f if '=' in line)

    def test_comes_up_with_state_outside_the_checkout(self):
        self.assertEqual(self.up.returncode, 0, self.up.stdout[-2000:] + self.up.stderr[-2000:])
        var = os.path.join(self.root, 'var')
        self.assertTrue(os.path.islink(var))
        digest = hashlib.sha256(self.root.encode()).hexdigest()[:10]
        self.assertEqual(self.state(), '/var/lib/postbus-checkouts/postbus-' + digest)
        # the checkout itself stays closed
        self.assertEqual(os.stat(self.top).st_mode & 0o777, 0o700)
        st = os.stat(self.state())
        self.assertEqual(st.st_uid, 0)
        self.assertEqual(st.st_mode & 0o022, 0)

    def test_panel_answers_and_serves_static_files(self):
        self.assertEqual(self.up.returncode, 0, self.up.stderr[-2000:])
        e = self.stack()
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        for path, want in (('/login', 200), ('/static/postbus.css', 200)):
            c = http.client.HTTPSConnection('127.0.0.1', int(e['POSTBUS_PORT']),
                                            context=ctx, timeout=20)
            c.request('GET', path)
            r = c.getresponse()
            body = r.read()
            self.assertEqual(r.status, want, path)
            self.assertTrue(body, path)

    def test_mail_is_delivered(self):
        self.assertEqual(self.up.returncode, 0, self.up.stderr[-2000:])
        e = self.stack()
        ctl = [e['POSTBUS_CTL'], '-c', e['POSTBUS_CONF']]
        prefix = uniq('closed')
        dom = prefix + '.example'
        for args in (['domain', 'add', dom, '--plan', 'Recommended', '--prefix', prefix,
                      '--new-owner', uniq('own'), '--password-stdin',
                      '--contact', 'c@example.org'],
                     ['mailbox', 'add', dom, '--local', 'info', '--password-stdin']):
            p = subprocess.run(ctl + args, input='Kv8wPz3qLm\n', capture_output=True,
                               text=True, env=self.env)
            self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        with smtplib.SMTP('127.0.0.1', int(e['POSTBUS_SMTP_PORT']), timeout=20) as s:
            s.sendmail('someone@example.org', ['info@' + dom],
                       'Subject: closed parent\r\n\r\nhello\r\n')
        base = os.path.join(e['POSTBUS_MAIL_DIR'], dom)

        def delivered():
            for d, _, files in os.walk(base):
                if d.endswith('/new') and files:
                    return True
            return False
        self.assertTrue(poll(delivered, 20), out)
        # submission: Postfix runs the size policy as its own user, which
        # cannot enter the closed checkout either
        login = json_login(out)
        ctx = ssl.create_default_context(cafile=e['POSTBUS_CA_CERT'])
        ctx.check_hostname = False
        with smtplib.SMTP_SSL('127.0.0.1', int(e['POSTBUS_SUBMISSION_PORT']),
                              context=ctx, timeout=30) as s:
            s.login(login, 'Kv8wPz3qLm')
            s.sendmail('info@' + dom, ['someone@remote.example'],
                       'Subject: closed parent out\r\n\r\nhello\r\n')
        sink = e['POSTBUS_SINK_DIR']
        self.assertTrue(poll(lambda: any(
            'closed parent out' in open(os.path.join(sink, f), errors='replace').read()
            for f in os.listdir(sink) if f.endswith('.eml')), 30))


def json_login(out):
    """The login in postbusctl mailbox add's output ("created LOGIN <ADDR>")."""
    m = re.search(r'created (\S+) <', out)
    if m is None:
        raise AssertionError('no login in: ' + out)
    return m.group(1)


class FindsItsConfig(unittest.TestCase):
    """postbusctl: -c, else $POSTBUS_CONF, else the state of the checkout it
    was built in, else /etc/postbus/postbus.conf; says what it tried."""

    def run_ctl(self, *args, conf=None):
        e = dict(os.environ)
        e.pop('POSTBUS_CONF', None)
        if conf is not None:
            e['POSTBUS_CONF'] = conf
        return subprocess.run([env('POSTBUS_CTL')] + list(args) + ['domain', 'list'],
                              env=e, capture_output=True, text=True)

    def test_option_then_environment(self):
        p = self.run_ctl('-c', '/nonexistent/a.conf', conf='/nonexistent/b.conf')
        self.assertEqual(p.returncode, 2)
        self.assertIn('tried /nonexistent/a.conf (', p.stderr)
        p = self.run_ctl(conf='/nonexistent/b.conf')
        self.assertEqual(p.returncode, 2)
        self.assertIn('tried /nonexistent/b.conf (', p.stderr)
        p = self.run_ctl(conf=env('POSTBUS_CONF'))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_the_checkouts_state_then_etc(self):
        here = os.path.join(ROOT, 'var', 'postbus.conf')
        p = self.run_ctl()
        if os.path.exists(here):
            # a stack of this checkout is up (./postbus up): it is found
            self.assertNotIn('no configuration file', p.stderr)
        elif os.path.exists('/etc/postbus/postbus.conf'):
            self.assertNotIn('no configuration file', p.stderr)
        else:
            self.assertEqual(p.returncode, 2)
            self.assertIn('tried %s, /etc/postbus/postbus.conf' % here, p.stderr)


class UnreachableState(unittest.TestCase):
    def test_state_in_a_closed_directory_is_refused_with_the_reason(self):
        top = tempfile.mkdtemp(prefix='pb-closed-state-')
        os.chmod(top, 0o700)
        try:
            e = dict(os.environ)
            e['POSTBUS_STATE'] = os.path.join(top, 'state')
            p = subprocess.run([os.path.join(ROOT, 'postbus'), 'up'], env=e,
                               capture_output=True, text=True, timeout=300)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn(top + ' is mode 700', p.stderr)
            self.assertIn('mysql', p.stderr)
            self.assertFalse(os.path.exists(os.path.join(top, 'state', 'mysql')))
        finally:
            shutil.rmtree(top, ignore_errors=True)

    def test_state_writable_by_others_is_refused(self):
        top = tempfile.mkdtemp(prefix='pb-open-state-')
        os.chmod(top, 0o755)
        st = os.path.join(top, 'state')
        os.makedirs(st)
        os.chmod(st, 0o777)
        try:
            e = dict(os.environ)
            e['POSTBUS_STATE'] = st
            p = subprocess.run([os.path.join(ROOT, 'postbus'), 'status'], env=e,
                               capture_output=True, text=True, timeout=60)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn('writable by group or others', p.stderr)
        finally:
            shutil.rmtree(top, ignore_errors=True)


if __name__ == '__main__':
    unittest.main()
