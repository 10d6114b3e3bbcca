"""Faults under load: the database killed and restarted while requests keep
coming.  The panel answers 503 while MariaDB is away and recovers by
itself; every change it reported as done is in the database.  (A killed
worker: test_foundation.Workers.)

These tests stop and start the MariaDB of the stack under test (with the
same command line it was started with), so they leave it running again.
"""
import os
import re
import signal
import subprocess
import threading
import time
import unittest

from pbtest import Browser, STRONG_PASSWORD, ctl, env, poll, sql, uniq


def state(*p):
    return os.path.join(env('POSTBUS_STATE'), *p)


def read_pid(path):
    with open(path) as f:
        return int(f.read().split()[0])


def children(ppid):
    out = []
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % d) as f:
                st = f.read()
        except OSError:
            continue
        fields = st.rsplit(')', 1)[1].split()
        if int(fields[1]) == ppid and fields[0] not in ('Z', 'X'):
            out.append(int(d))
    return out


def gone(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] in ('Z', 'X')
    except OSError:
        return True


def db_ping():
    p = subprocess.run(['mariadb-admin', '--no-defaults', '-uroot',
                        '--socket=' + env('POSTBUS_DB_SOCKET'), 'ping'],
                       capture_output=True, text=True)
    return p.returncode == 0


def make_domain():
    prefix = uniq('ft')
    name = prefix + '.example'
    owner = uniq('own')
    ctl('domain', 'add', name, '--plan', 'Extended', '--prefix', prefix,
        '--new-owner', owner, '--password-stdin', '--contact', 'c@example.org',
        stdin=STRONG_PASSWORD + '\n')
    did = sql("SELECT id FROM domains WHERE name = @p1", name)[0][0]
    return name, did, prefix, owner


class DatabaseRestart(unittest.TestCase):
    def test_outage_is_503_then_recovers_and_nothing_committed_is_lost(self):
        name, did, prefix, owner = make_domain()
        master = read_pid(state('run', 'postbus.pid'))
        b = Browser()
        b.login(owner, STRONG_PASSWORD)
        page = '/mailbox/new?d=%s' % did
        token = b.get(page).csrf()
        done, statuses, stop = [], [], threading.Event()

        def creator():
            n = 0
            while not stop.is_set():
                n += 1
                f = {'address': 'c%d' % n, 'real_name': '', 'password': STRONG_PASSWORD,
                     'password2': STRONG_PASSWORD, 'quota': '', 'extra': '',
                     'send': 'none', 'send_to': '', 'csrf': token}
                try:
                    r = b.post(page, f, follow=False)
                except OSError:
                    statuses.append('conn')
                    continue
                statuses.append(r.status)
                if r.status == 303:
                    m = re.search(r'login=(%s\d+)' % prefix, r.header('Location') or '')
                    if m:
                        done.append(m.group(1))
                else:
                    time.sleep(0.05)

        pages = []

        def reader():
            rb = Browser()
            rb.cookies = dict(b.cookies)
            while not stop.is_set():
                try:
                    pages.append(rb.get('/mailboxes?d=%s' % did, follow=False).status)
                except OSError:
                    pages.append('conn')
                time.sleep(0.02)

        threads = [threading.Thread(target=creator), threading.Thread(target=reader)]
        for t in threads:
            t.start()
        try:
            self.assertTrue(poll(lambda: len(done) >= 5, 20), statuses[-10:])
            pidfile = state('run', 'mysqld', 'mysqld.pid')
            pid = read_pid(pidfile)
            with open('/proc/%d/cmdline' % pid, 'rb') as f:
                argv = [a.decode() for a in f.read().split(b'\0') if a]
            os.kill(pid, signal.SIGKILL)
            self.assertTrue(poll(lambda: gone(pid), 20))
            before_outage = len(pages)
            time.sleep(1.5)
            during = pages[before_outage:]
            subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
            self.assertTrue(poll(db_ping, 60), 'MariaDB did not come back')
            n = len(done)
            self.assertTrue(poll(lambda: len(done) >= n + 5, 30),
                            'no mailbox created after the restart: %r' % statuses[-10:])
        finally:
            stop.set()
            for t in threads:
                t.join(60)
        # while it was away, pages said 503 (never an empty list or a crash)
        self.assertIn(503, during, during)
        self.assertTrue(set(during) <= {200, 503}, during)
        self.assertTrue(set(pages) <= {200, 503}, sorted(set(map(str, pages))))
        self.assertTrue(set(statuses) <= {303, 503}, sorted(set(map(str, statuses))))
        # the panel was not restarted
        self.assertEqual(read_pid(state('run', 'postbus.pid')), master)
        self.assertFalse(gone(master))
        # every creation reported as done is there, whole
        rows = {r[0]: r for r in sql(
            "SELECT m.login, (SELECT COUNT(*) FROM addresses a WHERE a.mailbox_id = m.id "
            "AND a.kind = 'primary') FROM mailboxes m WHERE m.domain_id = @p1", did)}
        missing = [l for l in done if l not in rows]
        self.assertEqual(missing, [])
        self.assertTrue(all(r[1] == '1' for r in rows.values()), rows)
        # at most the requests in flight when it died may have committed
        # without their answer reaching the client
        self.assertLessEqual(len(rows) - len(done), 4)
        self.assertEqual(sql("SELECT mailbox_count FROM domains WHERE id = @p1", did)[0][0],
                         str(len(rows)))


def restart_mariadb():
    """Kill MariaDB and start it again with its own command line; wait
    until it answers."""
    pid = read_pid(state('run', 'mysqld', 'mysqld.pid'))
    with open('/proc/%d/cmdline' % pid, 'rb') as f:
        argv = [a.decode() for a in f.read().split(b'\0') if a]
    os.kill(pid, signal.SIGKILL)
    assert poll(lambda: gone(pid), 20), 'MariaDB did not stop'
    subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)
    assert poll(db_ping, 60), 'MariaDB did not come back'


class DictAfterRestart(unittest.TestCase):
    """Dovecot's dict service writes the quota usage of every delivery and
    the time of every IMAP/POP3 login to MariaDB over connections it
    keeps.  After MariaDB restarts, a write that came before any read on
    its connection failed ("Lost connection"): Dovecot 2.3's driver
    retries queries and transactions of several statements, but these
    are one statement each, so that delivery's usage or that login's time
    was lost (a mailbox without a quota limit reads nothing before it
    writes).  conf/dovecot/mysql_client.cnf makes the client library
    reconnect and send the statement again."""

    @classmethod
    def setUpClass(cls):
        if not os.environ.get('POSTBUS_SMTP_PORT'):
            raise unittest.SkipTest('no mail stack')
        plan = uniq('Free')
        ctl('plan', 'add', plan, '--mail-quota', 'unlimited',
            '--allow-unlimited', 'yes')
        prefix = uniq('dr')
        cls.dom = prefix + '.example'
        ctl('domain', 'add', cls.dom, '--plan', plan, '--prefix', prefix,
            '--new-owner', uniq('own'), '--password-stdin', '--contact',
            'c@example.org', stdin=STRONG_PASSWORD + '\n')
        ctl('mailbox', 'add', cls.dom, '--local', 'count', '--quota',
            'unlimited', '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        cls.addr = 'count@' + cls.dom

    def usage(self):
        rows = sql("SELECT bytes, messages FROM quota_usage WHERE "
                   "username = @p1", self.addr)
        return (int(rows[0][0]), int(rows[0][1])) if rows else (0, 0)

    def last_login(self):
        rows = sql("SELECT last_login FROM mailbox_logins WHERE "
                   "username = @p1", self.addr)
        return int(rows[0][0]) if rows else 0

    def deliver(self, size):
        import smtplib
        body = ('q' * 98 + '\r\n') * (size // 100)
        with smtplib.SMTP(env('POSTBUS_LISTEN', '127.0.0.1'),
                          int(env('POSTBUS_SMTP_PORT')), timeout=30) as s:
            s.sendmail('a@remote.example', [self.addr],
                       'Subject: usage\r\n\r\n' + body)

    def imap_login(self):
        from pbtest import IMAP
        c = IMAP(int(env('POSTBUS_IMAPS_PORT')), 'ssl')
        try:
            c.login(self.addr, STRONG_PASSWORD)
        finally:
            c.logout()

    def test_first_writes_after_a_restart_are_kept(self):
        self.deliver(20000)
        self.assertTrue(poll(lambda: self.usage()[1] == 1, 20), self.usage())
        self.imap_login()
        self.assertTrue(poll(lambda: self.last_login() > 0, 20))
        sql("UPDATE mailbox_logins SET last_login = 1 WHERE username = @p1",
            self.addr)
        first = self.usage()[0]
        # the dict's connection is open: break it, then write first
        restart_mariadb()
        self.deliver(50000)
        self.assertTrue(poll(lambda: self.usage()[1] == 2, 20),
                        'usage after the restart: %r' % (self.usage(),))
        self.assertGreater(self.usage()[0], first + 50000)
        restart_mariadb()
        self.imap_login()
        self.assertTrue(poll(lambda: self.last_login() > 1, 20),
                        'the login after the restart was not recorded')
        # the usage is what is stored, as Dovecot counts it
        login = sql("SELECT login FROM mailboxes WHERE address = @p1",
                    self.addr)[0][0]
        maildir = os.path.join(env('POSTBUS_STATE'), 'mail', self.dom,
                               login, 'Maildir')
        size = sum(os.path.getsize(os.path.join(maildir, sub, f))
                   for sub in ('new', 'cur')
                   for f in os.listdir(os.path.join(maildir, sub)))
        self.assertEqual(self.usage(), (size, 2))


if __name__ == '__main__':
    unittest.main()
