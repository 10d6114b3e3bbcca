"""The state directory's disk full.

A stack of its own on a 256 MB tmpfs: with the disk filled up, mail is
refused as temporary at the start of the SMTP dialogue (452 4.3.1,
"insufficient system storage": the sender keeps the message), the panel
either does a change whole or refuses it with a 503 page, never half, and
./postbus up refuses to start, saying why; with room again, everything
works as before.
"""
import os
import re
import shutil
import smtplib
import subprocess
import tempfile
import unittest

from pbtest import (Browser, STRONG_PASSWORD, other_stack_env, poll,
                    stack_settings, uniq)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class DiskFull(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mnt = tempfile.mkdtemp(prefix='pb-full-', dir='/var/tmp')
        os.chmod(cls.mnt, 0o755)
        cls.mounted = subprocess.run(['mount', '-t', 'tmpfs', '-o', 'size=256m,mode=755',
                                      'tmpfs', cls.mnt], capture_output=True).returncode == 0
        cls.env = None
        if not cls.mounted:
            return
        e = other_stack_env(POSTBUS_STATE=os.path.join(cls.mnt, 'state'),
                            POSTBUS_DB_BUFFER_POOL='32M')
        cls.env = e
        cls.up = subprocess.run([os.path.join(ROOT, 'postbus'), 'up'], env=e,
                                capture_output=True, text=True, timeout=300)
        cls.stack = {}
        if cls.up.returncode == 0:
            cls.stack = stack_settings(os.path.join(cls.mnt, 'state'))

    @classmethod
    def tearDownClass(cls):
        if cls.env is not None:
            subprocess.run([os.path.join(ROOT, 'postbus'), 'down'], env=cls.env,
                           capture_output=True, text=True, timeout=120)
        if cls.mounted:
            subprocess.run(['umount', '-l', cls.mnt], capture_output=True)
        shutil.rmtree(cls.mnt, ignore_errors=True)

    def ctl(self, *args, stdin=None):
        return subprocess.run([self.stack['POSTBUS_CTL'], '-c', self.stack['POSTBUS_CONF']] +
                              list(args), input=stdin, capture_output=True, text=True)

    def sql(self, q):
        out = subprocess.run(['mariadb', '--no-defaults', '-uroot',
                              '--socket=' + self.stack['POSTBUS_DB_SOCKET'], '-N', '-B',
                              'postbus', '-e', q], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        return [line.split('\t') for line in out.stdout.splitlines()]

    def mail_from(self):
        with smtplib.SMTP('127.0.0.1', int(self.stack['POSTBUS_SMTP_PORT']), timeout=30) as s:
            s.ehlo()
            return s.mail('someone@example.org')

    def create(self, b, did):
        page = '/mailbox/new?d=%s' % did
        return b.post_form(page, page, {
            'address': uniq('f'), 'real_name': '', 'password': STRONG_PASSWORD,
            'password2': STRONG_PASSWORD, 'quota': '', 'extra': '', 'send': 'none',
            'send_to': ''}, follow=False)

    def test_full_disk(self):
        if not self.mounted:
            self.skipTest('cannot mount a tmpfs here')
        self.assertEqual(self.up.returncode, 0, self.up.stdout[-1500:] + self.up.stderr[-2000:])
        prefix = uniq('fd')
        dom = prefix + '.example'
        owner = uniq('own')
        p = self.ctl('domain', 'add', dom, '--plan', 'Extended', '--prefix', prefix,
                     '--new-owner', owner, '--password-stdin', '--contact', 'c@example.org',
                     stdin=STRONG_PASSWORD + '\n')
        self.assertEqual(p.returncode, 0, p.stderr)
        did = self.sql("SELECT id FROM domains WHERE name = '%s'" % dom)[0][0]
        b = Browser(url=self.stack['POSTBUS_URL'])
        b.login(owner, STRONG_PASSWORD)
        self.assertEqual(self.create(b, did).status, 303)
        self.assertEqual(self.mail_from()[0], 250)

        filler = os.path.join(self.mnt, 'filler')
        subprocess.run(['dd', 'if=/dev/zero', 'of=' + filler, 'bs=1M'],
                       capture_output=True)
        try:
            # mail: a temporary refusal before any data is taken
            code, msg = self.mail_from()
            self.assertEqual(code, 452, msg)
            self.assertIn(b'4.3.1', msg)
            # the panel: done whole, or a 503 page; never a crash
            statuses = []
            for _ in range(5):
                statuses.append(self.create(b, did).status)
            self.assertTrue(set(statuses) <= {303, 503}, statuses)
            half = self.sql(
                "SELECT COUNT(*) FROM mailboxes m WHERE m.domain_id = %s AND NOT EXISTS "
                "(SELECT 1 FROM addresses a WHERE a.mailbox_id = m.id AND a.kind = 'primary')"
                % did)[0][0]
            self.assertEqual(half, '0')
            count = self.sql("SELECT COUNT(*), (SELECT mailbox_count FROM domains WHERE "
                             "id = %s) FROM mailboxes WHERE domain_id = %s AND deleted_at "
                             "IS NULL" % (did, did))[0]
            self.assertEqual(count[0], count[1])
            # ./postbus up says why it will not start
            up = subprocess.run([os.path.join(ROOT, 'postbus'), 'up'], env=self.env,
                                capture_output=True, text=True, timeout=300)
            self.assertNotEqual(up.returncode, 0)
            self.assertIn('is full', up.stderr)
        finally:
            os.unlink(filler)
        self.assertTrue(poll(lambda: self.mail_from()[0] == 250, 30))
        self.assertEqual(self.create(b, did).status, 303)
        up = subprocess.run([os.path.join(ROOT, 'postbus'), 'up'], env=self.env,
                            capture_output=True, text=True, timeout=300)
        self.assertEqual(up.returncode, 0, up.stderr[-2000:])


if __name__ == '__main__':
    unittest.main()
