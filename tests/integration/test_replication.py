"""Beyond one machine: MariaDB's own replication.

A primary and a replica (GTID replication over TLS) on loopback, each
refusing TCP without TLS.  A postbus stack is brought up with ./postbus up
on them: the panel and postbusctl write to the primary over TCP + TLS
(the server's certificate verified against a private CA); Postfix's maps
and Dovecot's passdb/userdb read the replica the same way; Dovecot's dict
writes go to the primary.  Then:

  - a mailbox created through the panel reaches the replica and receives
    mail through Postfix and Dovecot reading it;
  - a second panel process on the same database takes the first one's
    session cookie (sessions live in MariaDB);
  - with the replica stopped, mail to the mailbox is refused as temporary
    (4xx at RCPT: deferred by the sender, never bounced), and accepted
    again once the replica is back.
"""
import os
import re
import shutil
import signal
import smtplib
import socket
import struct
import subprocess
import tempfile
import time
import unittest

from pbtest import (Browser, STRONG_PASSWORD, free_ports, other_stack_env, poll,
                    stack_settings, uniq)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get('POSTBUS_BUILD', os.path.join(ROOT, 'build'))


def run(*cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise AssertionError('%s: %s%s' % (' '.join(cmd), p.stdout[-1500:], p.stderr[-1500:]))
    return p.stdout


class Node:
    """One private mariadbd, root through its socket."""

    def __init__(self, top, name, server_id, port, tls):
        self.dir = os.path.join(top, name)
        self.data = os.path.join(self.dir, 'data')
        self.sock = os.path.join(self.dir, 'mysqld.sock')
        self.port = port
        tmp = os.path.join(self.dir, 'tmp')
        os.makedirs(self.data)
        os.makedirs(tmp)
        for d in (self.dir, self.data, tmp):
            shutil.chown(d, 'mysql', 'mysql')
        # a temporary directory of its own (see start_mariadb in ./postbus)
        run('mariadb-install-db', '--no-defaults', '--datadir=' + self.data, '--user=mysql',
            '--auth-root-authentication-method=socket', '--skip-test-db', '--tmpdir=' + tmp)
        self.argv = [
            'mariadbd', '--no-defaults', '--datadir=' + self.data, '--user=mysql',
            '--tmpdir=' + tmp,
            '--socket=' + self.sock, '--pid-file=' + os.path.join(self.dir, 'mysqld.pid'),
            '--port=%d' % port, '--bind-address=127.0.0.1', '--skip-name-resolve',
            '--server-id=%d' % server_id, '--log-bin=%s-bin' % name, '--binlog-format=ROW',
            '--gtid-strict-mode=1', '--log-slave-updates=1',
            # the schema's triggers, created by a non-SUPER account
            '--log-bin-trust-function-creators=1',
            '--character-set-server=utf8mb4', '--collation-server=utf8mb4_unicode_ci',
            '--innodb-buffer-pool-size=32M', '--innodb-log-file-size=16M',
            '--ssl-ca=' + tls['ca'], '--ssl-cert=' + tls['cert'], '--ssl-key=' + tls['key'],
            '--require-secure-transport=ON',
            '--log-error=' + os.path.join(self.dir, 'error.log')]
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        if not poll(self.ping, 60):
            with open(os.path.join(self.dir, 'error.log')) as f:
                raise AssertionError('mariadbd did not start: ' + f.read()[-2000:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(60)

    def ping(self):
        return subprocess.run(['mariadb-admin', '--no-defaults', '-uroot',
                               '--socket=' + self.sock, 'ping'],
                              capture_output=True).returncode == 0

    def sql(self, q, db=''):
        out = run('mariadb', '--no-defaults', '-uroot', '--socket=' + self.sock, '-N', '-B',
                  *([db] if db else []), '-e', q)
        return [line.split('\t') for line in out.splitlines()]


def make_tls(d):
    """A private CA and a certificate for 127.0.0.1 signed by it."""
    ca, cakey = os.path.join(d, 'ca.pem'), os.path.join(d, 'ca.key')
    cert, key = os.path.join(d, 'db.pem'), os.path.join(d, 'db.key')
    run('openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
        '-nodes', '-days', '2', '-subj', '/CN=postbus test database CA',
        '-keyout', cakey, '-out', ca)
    run('openssl', 'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
        '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert + '.csr')
    ext = os.path.join(d, 'san.ext')
    with open(ext, 'w') as f:
        f.write('subjectAltName=IP:127.0.0.1\n')
    run('openssl', 'x509', '-req', '-in', cert + '.csr', '-CA', ca, '-CAkey', cakey,
        '-CAcreateserial', '-days', '2', '-extfile', ext, '-out', cert)
    shutil.chown(key, 'mysql', 'mysql')
    os.chmod(key, 0o600)
    for f in (ca, cert):
        os.chmod(f, 0o644)
    return {'ca': ca, 'cert': cert, 'key': key}


def fcgi_get(path, uri, cookie):
    """GET uri from a FastCGI application's socket: (headers, body)."""
    def rec(t, content):
        return struct.pack('!BBHHBx', 1, t, 1, len(content), 0) + content

    def nv(k, v):
        k, v = k.encode(), v.encode()
        out = b''
        for x in (k, v):
            out += bytes([len(x)]) if len(x) < 128 else struct.pack('!I', len(x) | 1 << 31)
        return out + k + v
    params = {'REQUEST_METHOD': 'GET', 'DOCUMENT_URI': uri, 'REQUEST_URI': uri,
              'SCRIPT_NAME': uri, 'QUERY_STRING': '', 'REMOTE_ADDR': '127.0.0.1',
              'SERVER_PROTOCOL': 'HTTP/1.1', 'HTTPS': 'on', 'HTTP_COOKIE': cookie,
              'HTTP_HOST': '127.0.0.1'}
    body = b''.join(nv(k, v) for k, v in params.items())
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    s.connect(path)
    s.sendall(rec(1, struct.pack('!HB5x', 1, 0)) + rec(4, body) + rec(4, b'') + rec(5, b''))
    buf, out = b'', b''
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
        while len(buf) >= 8:
            _, t, _, clen, plen = struct.unpack('!BBHHBx', buf[:8])
            if len(buf) < 8 + clen + plen:
                break
            if t == 6:
                out += buf[8:8 + clen]
            buf = buf[8 + clen + plen:]
            if t == 3:
                s.close()
                head, _, text = out.partition(b'\r\n\r\n')
                return head.decode(), text.decode(errors='replace')
    s.close()
    head, _, text = out.partition(b'\r\n\r\n')
    return head.decode(), text.decode(errors='replace')


class Replication(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            cls.set_up()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def set_up(cls):
        cls.top = tempfile.mkdtemp(prefix='pb-repl-', dir='/var/tmp')
        os.chmod(cls.top, 0o755)
        cls.nodes = []
        cls.env = None
        tls = make_tls(cls.top)
        ports = free_ports(2)
        cls.primary = Node(cls.top, 'primary', 1, ports[0], tls)
        cls.nodes.append(cls.primary)
        cls.replica = Node(cls.top, 'replica', 2, ports[1], tls)
        cls.nodes.append(cls.replica)
        cls.primary.sql("CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY 'replpw' REQUIRE SSL; "
                        "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'")
        cls.replica.sql(
            "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, MASTER_USER='repl', "
            "MASTER_PASSWORD='replpw', MASTER_USE_GTID=slave_pos, MASTER_SSL=1, "
            "MASTER_SSL_CA='%s', MASTER_SSL_VERIFY_SERVER_CERT=1; START SLAVE; "
            "SET GLOBAL read_only = 1" % (ports[0], tls['ca']))
        cls.state = os.path.join(cls.top, 'state')
        e = other_stack_env(
            POSTBUS_STATE=cls.state, POSTBUS_DB_SOCKET=cls.primary.sock,
            POSTBUS_DB_HOST='127.0.0.1', POSTBUS_DB_PORT=str(ports[0]),
            POSTBUS_DB_TLS_CA=tls['ca'], POSTBUS_DB_ACCOUNT_HOST='127.0.0.1',
            POSTBUS_DB_LOOKUP_HOST='127.0.0.1', POSTBUS_DB_LOOKUP_PORT=str(ports[1]),
            POSTBUS_DB_LOOKUP_TLS_CA=tls['ca'])
        cls.env = e
        up = subprocess.run([os.path.join(ROOT, 'postbus'), 'up'], env=e,
                            capture_output=True, text=True, timeout=300)
        if up.returncode != 0:
            raise AssertionError('up: ' + up.stdout[-1500:] + up.stderr[-1500:])
        cls.stack = stack_settings(cls.state)

    @classmethod
    def tearDownClass(cls):
        if cls.env is not None:
            subprocess.run([os.path.join(ROOT, 'postbus'), 'down'], env=cls.env,
                           capture_output=True, text=True, timeout=120)
        for n in getattr(cls, 'nodes', []):
            n.stop()
        shutil.rmtree(cls.top, ignore_errors=True)

    def ctl(self, *args, stdin=None):
        p = subprocess.run([self.stack['POSTBUS_CTL'], '-c', self.stack['POSTBUS_CONF']] +
                           list(args), input=stdin, capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def make_mailbox(self):
        """A domain (postbusctl) and a mailbox made through the panel:
        (address, login, owner's Browser)."""
        prefix = uniq('rp')
        dom = prefix + '.example'
        owner = uniq('own')
        self.ctl('domain', 'add', dom, '--plan', 'Recommended', '--prefix', prefix,
                 '--new-owner', owner, '--password-stdin', '--contact', 'c@example.org',
                 stdin=STRONG_PASSWORD + '\n')
        did = self.primary.sql("SELECT id FROM domains WHERE name = '%s'" % dom,
                               'postbus')[0][0]
        b = Browser(url=self.stack['POSTBUS_URL'])
        b.login(owner, STRONG_PASSWORD)
        page = '/mailbox/new?d=%s' % did
        r = b.post_form(page, page, {
            'address': 'info', 'real_name': 'Info', 'password': STRONG_PASSWORD,
            'password2': STRONG_PASSWORD, 'quota': '', 'extra': '', 'send': 'none',
            'send_to': ''}, follow=False)
        self.assertEqual(r.status, 303, r.text[:1000])
        login = re.search(r'login=(%s\d+)' % prefix, r.header('Location')).group(1)
        return 'info@' + dom, login, b

    def replicated(self, login):
        return poll(lambda: self.replica.sql(
            "SELECT COUNT(*) FROM mailboxes WHERE login = '%s'" % login,
            'postbus')[0][0] == '1', 30)

    def delivered(self, address, subject):
        dom = address.split('@')[1]
        base = os.path.join(self.stack['POSTBUS_MAIL_DIR'], dom)

        def found():
            for d, _, files in os.walk(base):
                if not d.endswith('/new'):
                    continue
                for f in files:
                    with open(os.path.join(d, f), errors='replace') as fh:
                        if subject in fh.read():
                            return True
            return False
        return poll(found, 30)

    def smtp(self):
        return smtplib.SMTP('127.0.0.1', int(self.stack['POSTBUS_SMTP_PORT']), timeout=30)

    def test_mailbox_made_on_the_primary_gets_mail_through_the_replica(self):
        address, login, _ = self.make_mailbox()
        self.assertTrue(self.replicated(login))
        subject = 'via the replica ' + uniq()
        with self.smtp() as s:
            s.sendmail('someone@example.org', [address],
                       'Subject: %s\r\n\r\nhello\r\n' % subject)
        self.assertTrue(self.delivered(address, subject))
        # Postfix and Dovecot asked the replica, over TLS (both servers
        # refuse TCP without it)
        for n in (self.primary, self.replica):
            self.assertEqual(n.sql("SELECT @@require_secure_transport")[0][0], '1')
        conns = int(self.replica.sql(
            "SHOW GLOBAL STATUS LIKE 'Ssl_accepts'")[0][1])
        self.assertGreater(conns, 0)
        users = {r[0] for r in self.replica.sql(
            "SELECT DISTINCT user FROM information_schema.processlist")}
        self.assertIn('postbus_postfix', users)

    def test_second_panel_process_takes_the_session(self):
        _, _, b = self.make_mailbox()
        cookie = '; '.join('%s=%s' % kv for kv in b.cookies.items())
        conf2 = os.path.join(self.state, 'panel2.conf')
        sock2 = os.path.join(self.state, 'run', 'postbus2', 'postbus.sock')
        os.makedirs(os.path.dirname(sock2), exist_ok=True)
        os.chmod(os.path.dirname(sock2), 0o755)
        with open(self.stack['POSTBUS_CONF']) as f:
            text = re.sub(r'(?m)^socket = .*$', 'socket = ' + sock2, f.read())
        with open(conf2, 'w') as f:
            f.write(text)
        shutil.chown(conf2, 'root', 'postbus')
        os.chmod(conf2, 0o640)
        p = subprocess.Popen([os.path.join(BUILD, 'postbus.fcgi'), '-c', conf2],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            self.assertTrue(poll(lambda: os.path.exists(sock2), 20))
            head, body = fcgi_get(sock2, '/home', cookie)
            self.assertNotIn('Status: 303', head)
            self.assertNotIn('Location:', head)
            self.assertIn('Virtual Server', body)
            # and without the cookie, the login page
            head, _ = fcgi_get(sock2, '/home', '')
            self.assertIn('Status: 303', head)
        finally:
            p.send_signal(signal.SIGTERM)
            p.wait(30)

    def rcpt(self, address, sender='someone@example.org'):
        with self.smtp() as s:
            s.ehlo()
            s.mail(sender)
            return s.rcpt(address)

    def test_replica_down_defers_and_recovers(self):
        address, login, _ = self.make_mailbox()
        self.assertTrue(self.replicated(login))
        self.replica.stop()
        try:
            code, msg = self.rcpt(address)
            self.assertTrue(400 <= code < 500, (code, msg))
        finally:
            self.replica.start()
        # Postfix's mysql client leaves a failed server alone for a minute,
        # and each smtpd process remembers the answer for that sender and
        # recipient for the rest of its life: the next message (another
        # sender) is accepted once the minute is over
        start = time.monotonic()
        self.assertTrue(poll(lambda: self.rcpt(address, uniq('s') + '@example.org')[0] == 250,
                             150, 5))
        recovered = time.monotonic() - start
        subject = 'after the outage ' + uniq()
        with self.smtp() as s:
            s.sendmail(uniq('s') + '@example.org', [address],
                       'Subject: %s\r\n\r\nhello\r\n' % subject)
        self.assertTrue(self.delivered(address, subject), 'recovered after %.0f s' % recovered)
        self.assertLess(recovered, 120)


if __name__ == '__main__':
    unittest.main()
