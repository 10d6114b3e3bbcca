#!/usr/bin/env python3
"""End-to-end tests of the postbus mail side: real Postfix and Dovecot
reading a real MariaDB, started by bin/mailstack.

The world is built by MailWorld: a throwaway MariaDB in a temporary
directory, the schema from schema/*.sql, the three database accounts, mail
data written with plain SQL, then `bin/mailstack start`.  When the panel can
do it (postbusctl, web form), replace the MailWorld.add_* methods and keep
the tests.

Run as root:  python3 tests/mail/test_mailstack.py [-v]
Environment:  POSTBUS_MAIL_TEST_KEEP=1 leaves everything running and prints
              where (stop it with bin/mailstack stop STATE and kill the
              mariadbd whose pid is in TMP/db/mariadbd.pid).
              BUILDDIR (or POSTBUS_BUILD): use the postbus-sink that make
              built there instead of compiling one.
"""

import imaplib
import os
import poplib
import re
import secrets
import shutil
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
import unittest

SRCDIR = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRCDIR, "tests", "lib"))
from pbtest import IMAP, POP3, SMTP, poll, tls_context  # noqa: E402
MAILSTACK = os.path.join(SRCDIR, "bin", "mailstack")
LISTEN = "127.0.0.1"
OUTSIDE = "127.0.0.2"  # a client that is not in mynetworks

# Least privileges; ./postbus up uses the same statements.
GRANTS = """
CREATE USER '{panel}'@'localhost' IDENTIFIED BY '{panel_pw}';
GRANT SELECT, INSERT, UPDATE, DELETE ON `{db}`.* TO '{panel}'@'localhost';
CREATE USER '{mail}'@'localhost' IDENTIFIED BY '{mail_pw}';
GRANT SELECT ON `{db}`.domains TO '{mail}'@'localhost';
GRANT SELECT ON `{db}`.mailboxes TO '{mail}'@'localhost';
GRANT SELECT ON `{db}`.addresses TO '{mail}'@'localhost';
GRANT SELECT ON `{db}`.sieve_vacation TO '{mail}'@'localhost';
GRANT SELECT (id, max_message_size) ON `{db}`.plans TO '{mail}'@'localhost';
GRANT SELECT ON `{db}`.alias_destinations TO '{mail}'@'localhost';
GRANT SELECT ON `{db}`.alias_domains TO '{mail}'@'localhost';
GRANT SELECT (mailbox_id, dest_mailbox_id) ON `{db}`.forwards TO '{mail}'@'localhost';
CREATE USER '{postfix}'@'localhost' IDENTIFIED BY '{postfix_pw}';
GRANT SELECT (id, name, active) ON `{db}`.domains TO '{postfix}'@'localhost';
GRANT SELECT (plan_id) ON `{db}`.domains TO '{postfix}'@'localhost';
GRANT SELECT (id, max_message_size) ON `{db}`.plans TO '{postfix}'@'localhost';
GRANT SELECT (id, domain_id, login, address, deleted_at) ON `{db}`.mailboxes TO '{postfix}'@'localhost';
GRANT SELECT (address, domain_id, kind, mailbox_id, alias_id) ON `{db}`.addresses TO '{postfix}'@'localhost';
GRANT SELECT (alias_id, destination, mailbox_id) ON `{db}`.alias_destinations TO '{postfix}'@'localhost';
GRANT SELECT (id, kind) ON `{db}`.aliases TO '{postfix}'@'localhost';
GRANT SELECT (name, domain_id) ON `{db}`.alias_domains TO '{postfix}'@'localhost';
GRANT SELECT, SHOW VIEW ON `{db}`.mailbox_routes TO '{postfix}'@'localhost';
GRANT SELECT (mailbox_id, destination, dest_mailbox_id) ON `{db}`.forwards TO '{postfix}'@'localhost';
CREATE USER '{quota}'@'localhost' IDENTIFIED BY '{quota_pw}';
GRANT SELECT, INSERT, UPDATE, DELETE ON `{db}`.quota_usage TO '{quota}'@'localhost';
GRANT SELECT, INSERT, UPDATE ON `{db}`.mailbox_logins TO '{quota}'@'localhost';
"""


def free_ports(n):
    """Return n distinct TCP ports that are free on the loopback now."""
    socks, ports = [], []
    try:
        while len(ports) < n:
            s = socket.socket()
            s.bind((LISTEN, 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


def sha512_crypt(password):
    """A $6$ crypt(3) hash, as the panel stores it."""
    return subprocess.run(["openssl", "passwd", "-6", "-stdin"],
                          input=password, capture_output=True, text=True,
                          check=True).stdout.strip()


def yescrypt(password):
    """A $y$ crypt(3) hash from libxcrypt, or None if unavailable."""
    try:
        import ctypes
        lib = ctypes.CDLL("libcrypt.so.1")
        lib.crypt_gensalt.restype = ctypes.c_char_p
        lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong,
                                      ctypes.c_char_p, ctypes.c_int]
        lib.crypt.restype = ctypes.c_char_p
        lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        salt = lib.crypt_gensalt(b"$y$", 0, None, 0)
        h = lib.crypt(password.encode(), salt) if salt else None
        return h.decode() if h and h.startswith(b"$y$") else None
    except (OSError, AttributeError):
        return None


class MailWorld:
    """A private MariaDB plus the mail stack, in one temporary directory."""

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="postbus-mailtest-")
        self.extra_secrets = {}     # more of STATE/secrets.env
        os.chmod(self.tmp, 0o755)  # mysql, postfix, dovecot walk through
        self.dbdir = os.path.join(self.tmp, "db")
        self.state = os.path.join(self.tmp, "state")
        self.socket = os.path.join(self.dbdir, "mysqld.sock")
        self.dbname = "postbus"
        self.accounts = {
            "panel": ("postbus_panel", secrets.token_urlsafe(18)),
            "mail": ("postbus_mail", secrets.token_urlsafe(18)),
            "postfix": ("postbus_postfix", secrets.token_urlsafe(18)),
            "quota": ("postbus_quota", secrets.token_urlsafe(18)),
        }
        (self.smtp_port, self.imap_port, self.pop3_port,
         self.sink_port, self.imaps_port, self.pop3s_port,
         self.submission_port, self.submission_starttls_port) = free_ports(8)
        self.hostname = "mail.postbus.test"
        self.mariadbd = None
        self.timings = {}

    # --- database ---------------------------------------------------------

    def start_db(self):
        os.makedirs(self.dbdir)
        shutil.chown(self.dbdir, "mysql", "mysql")
        data = os.path.join(self.dbdir, "data")
        # a temporary directory of its own: bootstraps running at the same
        # time in one /tmp trip over each other's temporary tables
        tmp = os.path.join(self.dbdir, "tmp")
        os.makedirs(tmp)
        shutil.chown(tmp, "mysql", "mysql")
        subprocess.run(["mariadb-install-db", "--no-defaults",
                        "--datadir=" + data, "--user=mysql",
                        "--auth-root-authentication-method=socket",
                        "--skip-test-db", "--tmpdir=" + tmp],
                       check=True, capture_output=True)
        log = open(os.path.join(self.dbdir, "mariadbd.log"), "ab")
        self.mariadbd = subprocess.Popen(
            ["mariadbd", "--no-defaults", "--datadir=" + data,
             "--tmpdir=" + tmp,
             "--socket=" + self.socket, "--skip-networking", "--user=mysql",
             "--pid-file=" + os.path.join(self.dbdir, "mariadbd.pid"),
             "--character-set-server=utf8mb4",
             "--collation-server=utf8mb4_unicode_ci",
             "--innodb-buffer-pool-size=64M",
             "--innodb-flush-log-at-trx-commit=2", "--skip-log-bin"],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()
        if not poll(self._db_ready, timeout=30, interval=0.05):
            raise RuntimeError("mariadbd did not start, see "
                               + os.path.join(self.dbdir, "mariadbd.log"))
        os.chmod(self.dbdir, 0o755)  # the socket, for postfix and dovecot
        self.sql("CREATE DATABASE {0} CHARACTER SET utf8mb4".format(
            self.dbname), db=None)
        for f in sorted(os.listdir(os.path.join(SRCDIR, "schema"))):
            if f.endswith(".sql"):
                with open(os.path.join(SRCDIR, "schema", f)) as fp:
                    self.sql(fp.read())
        (panel, ppw), (mail, mpw), (postfix, fpw), (quota, qpw) = (
            self.accounts["panel"], self.accounts["mail"],
            self.accounts["postfix"], self.accounts["quota"])
        self.sql(GRANTS.format(db=self.dbname, panel=panel, panel_pw=ppw,
                               mail=mail, mail_pw=mpw, postfix=postfix,
                               postfix_pw=fpw, quota=quota, quota_pw=qpw))

    def _db_ready(self):
        return subprocess.run(
            ["mariadb-admin", "--no-defaults", "-S", self.socket, "-u",
             "root", "ping"], capture_output=True).returncode == 0

    def stop_db(self):
        if self.mariadbd is not None and self.mariadbd.poll() is None:
            self.mariadbd.terminate()
            try:
                self.mariadbd.wait(30)
            except subprocess.TimeoutExpired:
                self.mariadbd.kill()
                self.mariadbd.wait()

    def sql(self, text, db="", user=None, check=True):
        """Run SQL text; return the rows as lists of strings."""
        cmd = ["mariadb", "--no-defaults", "-S", self.socket, "-N", "-B"]
        if user is None:
            cmd += ["-u", "root"]
        else:
            cmd += ["-u", self.accounts[user][0],
                    "-p" + self.accounts[user][1]]
        if db is not None:
            cmd.append(db or self.dbname)
        r = subprocess.run(cmd, input=text, capture_output=True, text=True)
        if check and r.returncode != 0:
            raise RuntimeError("SQL failed: %s\n%s" % (r.stderr, text))
        if not check:
            return r
        return [line.split("\t") for line in r.stdout.splitlines()]

    def sql_table(self, text, user=None):
        """Run one statement; return rows as dicts keyed by column name."""
        cmd = ["mariadb", "--no-defaults", "-S", self.socket, "-B",
               "-u", self.accounts[user][0] if user else "root"]
        if user:
            cmd.append("-p" + self.accounts[user][1])
        cmd.append(self.dbname)
        r = subprocess.run(cmd, input=text, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("SQL failed: %s\n%s" % (r.stderr, text))
        lines = r.stdout.splitlines()
        if not lines:
            return []
        head = lines[0].split("\t")
        return [dict(zip(head, l.split("\t"))) for l in lines[1:]]

    # --- what the panel will do (swap these for postbusctl) --------------

    def add_domain(self, name, active=True):
        prefix = name.split(".")[0][:32]
        self.sql("INSERT INTO domains (name, prefix, plan_id, active, "
                 "created_by) SELECT '{0}', '{1}', id, {2}, 'test' FROM plans "
                 "WHERE name = 'Extended'".format(name, prefix, int(active)))

    def add_mailbox(self, domain, localpart, password, quota=0,
                    enabled=True, deleted=False, pw_hash=None):
        """Create a mailbox with its primary address; return its login."""
        address = "%s@%s" % (localpart, domain)
        h = pw_hash or sha512_crypt(password)
        self.sql("""
            START TRANSACTION;
            SELECT id, prefix, next_counter INTO @d, @p, @n
              FROM domains WHERE name = '{domain}' FOR UPDATE;
            UPDATE domains SET next_counter = next_counter + 1 WHERE id = @d;
            SET @login = CONCAT(@p, LPAD(@n, 4, '0'));
            INSERT INTO mailboxes (domain_id, login, address, pw_hash, quota,
                                   enabled, deleted_at, created_by)
              VALUES (@d, @login, '{address}', '{h}', {quota}, {enabled},
                      {deleted}, 'test');
            INSERT INTO addresses (address, domain_id, kind, mailbox_id)
              VALUES ('{address}', @d, 'primary', LAST_INSERT_ID());
            COMMIT;
            """.format(domain=domain, address=address, h=h, quota=quota,
                       enabled=int(enabled),
                       deleted="NOW()" if deleted else "NULL"))
        return self.sql("SELECT login FROM mailboxes WHERE address = '%s' "
                        "ORDER BY id DESC LIMIT 1" % address)[0][0]

    def add_extra(self, login, address):
        self.sql("INSERT INTO addresses (address, domain_id, kind, mailbox_id)"
                 " SELECT '{0}', domain_id, 'extra', id FROM mailboxes"
                 " WHERE login = '{1}'".format(address, login))

    def add_alias(self, address, destinations):
        domain = address.split("@", 1)[1]
        values = ", ".join("(@a, '%s')" % d for d in destinations)
        self.sql("""
            START TRANSACTION;
            SELECT id INTO @d FROM domains WHERE name = '{domain}';
            INSERT INTO aliases (domain_id, address, created_by)
              VALUES (@d, '{address}', 'test');
            SET @a = LAST_INSERT_ID();
            INSERT INTO alias_destinations (alias_id, destination)
              VALUES {values};
            INSERT INTO addresses (address, domain_id, kind, alias_id)
              VALUES ('{address}', @d, 'alias', @a);
            COMMIT;
            """.format(domain=domain, address=address, values=values))

    def set_quota(self, login, quota):
        self.sql("UPDATE mailboxes SET quota = %d WHERE login = '%s'"
                 % (quota, login))

    def add_filler(self, n):
        """n more mailboxes (with an extra address each) and n aliases in a
        domain of their own, so that EXPLAIN shows the plans of a real
        server, not of a table with five rows."""
        self.add_domain("filler.example")
        self.sql("""
            SELECT id INTO @d FROM domains WHERE name = 'filler.example';
            INSERT INTO mailboxes (domain_id, login, address, pw_hash, quota,
                                   created_by)
              SELECT @d, CONCAT('filler', LPAD(seq, 5, '0')),
                     CONCAT('u', seq, '@filler.example'), 'x', 0, 'test'
              FROM seq_1_to_{n};
            INSERT INTO addresses (address, domain_id, kind, mailbox_id)
              SELECT address, @d, 'primary', id FROM mailboxes
              WHERE domain_id = @d;
            INSERT INTO addresses (address, domain_id, kind, mailbox_id)
              SELECT CONCAT('x', login, '@filler.example'), @d, 'extra', id
              FROM mailboxes WHERE domain_id = @d;
            INSERT INTO aliases (domain_id, address, created_by)
              SELECT @d, CONCAT('a', seq, '@filler.example'), 'test'
              FROM seq_1_to_{n};
            INSERT INTO alias_destinations (alias_id, destination)
              SELECT id, CONCAT('r', id, '@remote.example') FROM aliases
              WHERE domain_id = @d;
            INSERT INTO addresses (address, domain_id, kind, alias_id)
              SELECT address, @d, 'alias', id FROM aliases WHERE domain_id = @d;
            INSERT INTO quota_usage (username, bytes, messages)
              SELECT address, seq, 1 FROM mailboxes JOIN seq_1_to_{n}
              ON login = CONCAT('filler', LPAD(seq, 5, '0'));
            INSERT INTO forwards (mailbox_id, destination)
              SELECT id, CONCAT('f', id, '@remote.example') FROM mailboxes
              WHERE domain_id = @d AND id % 3 = 0;
            INSERT INTO alias_domains (name, domain_id, created_by)
              SELECT CONCAT('alias', seq, '.example'), @d, 'test'
              FROM seq_1_to_{m};
            INSERT INTO aliases (domain_id, address, kind, created_by)
              VALUES (@d, '@filler.example', 'catchall', 'test'),
                     (@d, 'old@filler.example', 'bounce', 'test'),
                     (@d, 'all@filler.example', 'everyone', 'test');
            INSERT INTO alias_destinations (alias_id, destination)
              SELECT id, 'catch@remote.example' FROM aliases
              WHERE address = '@filler.example';
            INSERT INTO addresses (address, domain_id, kind, alias_id)
              SELECT address, @d, 'alias', id FROM aliases WHERE domain_id = @d
              AND kind <> 'normal';
            ANALYZE TABLE domains, mailboxes, addresses, aliases,
                          alias_destinations, quota_usage, forwards,
                          alias_domains;
            """.format(n=n, m=max(1, n // 10)))

    # --- the mail stack ---------------------------------------------------

    def build_sink(self):
        # bin/mailstack needs postbus-sizepolicy (it links libpostbus: a
        # build of the checkout) and postbus-sink
        for builddir in (os.environ.get("BUILDDIR"),
                         os.environ.get("POSTBUS_BUILD"),
                         os.path.join(SRCDIR, "build")):
            if builddir and all(
                    any(os.access(os.path.join(builddir, d, p), os.X_OK)
                        for d in ("", "bin"))
                    for p in ("postbus-sink", "postbus-sizepolicy")):
                return builddir
        raise unittest.SkipTest("no build with postbus-sizepolicy: run make")

    def make_certificate(self):
        """A private CA and a server certificate for self.hostname, as
        ./postbus makes them (an installed system has its real one)."""
        d = os.path.join(self.tmp, "tls")
        os.makedirs(d, mode=0o700)
        self.ca = os.path.join(d, "ca.pem")
        self.tls_cert = os.path.join(d, "cert.pem")
        self.tls_key = os.path.join(d, "key.pem")
        ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        run = lambda *a: subprocess.run(a, check=True, capture_output=True)
        run("openssl", "req", "-x509", *ec, "-days", "2", "-subj",
            "/CN=test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign",
            "-keyout", os.path.join(d, "ca-key.pem"), "-out", self.ca)
        run("openssl", "req", "-new", *ec, "-subj", "/CN=" + self.hostname,
            "-keyout", self.tls_key, "-out", os.path.join(d, "cert.csr"))
        with open(os.path.join(d, "cert.ext"), "w") as fp:
            fp.write("subjectAltName=DNS:%s,IP:%s\n"
                     "extendedKeyUsage=serverAuth\n" % (self.hostname, LISTEN))
        run("openssl", "x509", "-req", "-in", os.path.join(d, "cert.csr"),
            "-CA", self.ca, "-CAkey", os.path.join(d, "ca-key.pem"),
            "-CAcreateserial", "-days", "2", "-extfile",
            os.path.join(d, "cert.ext"), "-out", self.tls_cert)
        os.chmod(d, 0o755)
        os.chmod(self.ca, 0o644)
        self.tls_ctx = tls_context(self.ca)

    def client(self, cls, port, tls="ssl", source=LISTEN):
        """pbtest's IMAP, POP3 or SMTP to this world, verifying TLS."""
        return cls(port, tls, source=source, ctx=self.tls_ctx,
                   name=self.hostname, addr=LISTEN)

    def write_secrets(self, builddir):
        self.make_certificate()
        os.makedirs(self.state, mode=0o755)
        with open(os.path.join(self.state, "secrets.env"), "w") as fp:
            os.fchmod(fp.fileno(), 0o600)
            for k, v in [
                    ("SRCDIR", SRCDIR), ("BUILDDIR", builddir),
                    ("DB_SOCKET", self.socket), ("DB_NAME", self.dbname),
                    ("DB_MAIL_USER", self.accounts["mail"][0]),
                    ("DB_MAIL_PASSWORD", self.accounts["mail"][1]),
                    ("DB_POSTFIX_USER", self.accounts["postfix"][0]),
                    ("DB_POSTFIX_PASSWORD", self.accounts["postfix"][1]),
                    ("DB_QUOTA_USER", self.accounts["quota"][0]),
                    ("DB_QUOTA_PASSWORD", self.accounts["quota"][1]),
                    ("LISTEN", LISTEN), ("SMTP_PORT", self.smtp_port),
                    ("IMAP_PORT", self.imap_port),
                    ("POP3_PORT", self.pop3_port),
                    ("SINK_PORT", self.sink_port),
                    ("MYHOSTNAME", self.hostname),
                    ("AUTH_FAILURE_DELAY", "0"),
                    ("IMAPS_PORT", self.imaps_port),
                    ("POP3S_PORT", self.pop3s_port),
                    ("SUBMISSION_PORT", self.submission_port),
                    ("SUBMISSION_STARTTLS_PORT",
                     self.submission_starttls_port),
                    ("TLS_CERT", self.tls_cert),
                    ("TLS_KEY", self.tls_key)] + sorted(
                        self.extra_secrets.items()):
                fp.write("%s='%s'\n" % (k, v))

    def mailstack(self, command, check=True):
        t = time.monotonic()
        r = subprocess.run([MAILSTACK, command, self.state],
                           capture_output=True, text=True)
        self.timings.setdefault(command, []).append(time.monotonic() - t)
        if check and r.returncode != 0:
            raise RuntimeError("mailstack %s: exit %d\n%s%s" % (
                command, r.returncode, r.stdout, r.stderr))
        return r

    def maildir(self, domain, login):
        """The rule the panel's purge uses: STATE/mail/<domain>/<login>."""
        return os.path.join(self.state, "mail", domain, login, "Maildir")

    def sink_dir(self):
        return os.path.join(self.state, "sink")

    def maillog(self):
        try:
            with open(os.path.join(self.state, "log", "maillog")) as fp:
                return fp.read()
        except FileNotFoundError:
            return ""

    def teardown(self):
        try:
            if os.path.exists(os.path.join(self.state, "secrets.env")):
                self.mailstack("stop", check=False)
        finally:
            self.stop_db()
            shutil.rmtree(self.tmp, ignore_errors=True)


_next_failing_client = [9]


def client_address(expect_fail):
    """Source address for a login.  Dovecot delays every login from an
    address that recently failed (2, 4, 8, 15 s, whatever the password):
    logins meant to fail each come from a loopback address of their own,
    so that the others, from 127.0.0.1, are not slowed down."""
    if not expect_fail:
        return LISTEN
    _next_failing_client[0] = _next_failing_client[0] % 250 + 1
    return "127.0.1.%d" % _next_failing_client[0]


def processes_under(tmp):
    """Processes other than mariadbd that run in, or were started with a
    path under, tmp (Postfix's master only shows in its working
    directory, the queue)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as fp:
                cmd = fp.read().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink("/proc/%s/cwd" % pid)
        except OSError:
            continue  # gone, or a zombie: not running
        if "mariadbd" in cmd or int(pid) == os.getpid():
            continue
        if tmp in cmd or cwd.startswith(tmp):
            found.append("%s %s (in %s)" % (pid, cmd, cwd))
    return found


def log_problems(state):
    """Error, fatal and panic lines of the Postfix and Dovecot logs."""
    bad = re.compile(r"\b(fatal|panic|error)\b", re.I)
    out = []
    for f in ("maillog", "dovecot.log", "sink.log"):
        try:
            with open(os.path.join(state, "log", f)) as fp:
                out += [f + ": " + l.rstrip() for l in fp if bad.search(l)]
        except FileNotFoundError:
            pass
    return out


def find_message(directory, token, subdirs=("new", "cur")):
    """Path of the first message file under directory holding token."""
    for sub in subdirs:
        d = os.path.join(directory, sub) if sub else directory
        try:
            names = os.listdir(d)
        except FileNotFoundError:
            continue
        for name in names:
            if name.startswith("."):
                continue
            p = os.path.join(d, name)
            try:
                with open(p, "rb") as fp:
                    if token.encode() in fp.read():
                        return p
            except FileNotFoundError:
                continue
    return None


def message(sender, rcpts, token, body="hello"):
    return ("From: <{0}>\r\nTo: {1}\r\nSubject: test {2}\r\n"
            "Message-ID: <{2}@postbus.test>\r\n\r\n{3}\r\n{2}\r\n").format(
                sender, ", ".join(rcpts), token, body)


class WorldTestCase(unittest.TestCase):
    """Tests on a world of their own, one per class: its database is
    filled by build() before the mail stack starts (a few seconds)."""

    world = None
    world_class = MailWorld
    PW = "Geheim2024x"

    @classmethod
    def setUpClass(cls):
        if os.geteuid() != 0:
            raise unittest.SkipTest("needs root (starts Postfix, Dovecot)")
        w = cls.world = cls.world_class()
        try:
            w.start_db()
            w.builddir = w.build_sink()
            cls.build(w)
            w.write_secrets(w.builddir)
            w.mailstack("start")
        except BaseException:
            w.teardown()
            raise

    @classmethod
    def build(cls, w):
        raise NotImplementedError

    @classmethod
    def stop_problems(cls, w):
        """What went wrong while stopping, before the world goes."""
        return []

    @classmethod
    def tearDownClass(cls):
        w = cls.world
        if w is None:
            return
        if os.environ.get("POSTBUS_MAIL_TEST_KEEP"):
            sys.stderr.write("\nkept: STATE=%s, mariadbd pid %d\n"
                             % (w.state, w.mariadbd.pid))
            return
        problems = log_problems(w.state)
        stopping = cls.stop_problems(w)
        w.teardown()
        if stopping:
            raise AssertionError("\n".join(stopping))
        if problems:
            raise AssertionError("errors in the logs:\n" + "\n".join(problems))


class MailStackTest(WorldTestCase):
    """One world for the module: starting it costs a few seconds."""

    @classmethod
    def build(cls, w):
        w.add_filler(2000)
        w.add_domain("monsite.be")
        w.add_domain("dormant.be", active=False)
        pw = cls.PW
        cls.info = w.add_mailbox("monsite.be", "info", pw)
        cls.off = w.add_mailbox("monsite.be", "off", pw, enabled=False)
        cls.gone = w.add_mailbox("monsite.be", "gone", pw, deleted=True)
        cls.full = w.add_mailbox("monsite.be", "full", pw)
        cls.tiny = w.add_mailbox("monsite.be", "tiny", pw, quota=2000)
        yh = yescrypt(pw)
        cls.yes = w.add_mailbox("monsite.be", "yes", pw, pw_hash=yh) \
            if yh else None
        cls.away = w.add_mailbox("monsite.be", "away", pw)
        cls.asleep = w.add_mailbox("dormant.be", "info", pw)
        w.add_extra(cls.info, "contact@monsite.be")
        w.add_extra(cls.gone, "oldcontact@monsite.be")
        w.add_extra(cls.asleep, "contact@dormant.be")
        w.add_alias("ext@monsite.be", ["friend@remote.example"])
        w.add_alias("team@monsite.be", [cls.off, "info@monsite.be",
                                        "partner@remote.example",
                                        cls.gone])
        w.add_alias("sales@dormant.be", ["info@monsite.be"])

    @classmethod
    def stop_problems(cls, w):
        """mailstack stop ends everything it started, quickly."""
        t = time.monotonic()
        r = w.mailstack("stop", check=False)
        stop_time = time.monotonic() - t
        leftovers = processes_under(w.tmp)
        sys.stderr.write("\nmailstack start: %s s; stop: %.2f s\n" % (
            ", ".join("%.2f" % x for x in w.timings.get("start", [])),
            stop_time))
        if r.returncode != 0:
            return ["mailstack stop failed: " + r.stderr]
        if leftovers:
            return ["still running after stop:\n" + "\n".join(leftovers)]
        return []

    # --- helpers ----------------------------------------------------------

    def smtp(self, source=LISTEN):
        s = smtplib.SMTP(LISTEN, self.world.smtp_port, timeout=20,
                         source_address=(source, 0))
        s.ehlo("client.test")
        return s

    def send(self, rcpts, token=None, source=LISTEN,
             sender="sender@remote.example", body="hello"):
        token = token or "tok" + secrets.token_hex(8)
        with self.smtp(source) as s:
            s.sendmail(sender, rcpts, message(sender, rcpts, token, body))
        return token

    def rcpt_reply(self, rcpt, source=LISTEN, mail_options=()):
        with self.smtp(source) as s:
            code, _ = s.mail("sender@remote.example", list(mail_options))
            self.assertEqual(code, 250)
            return s.rcpt(rcpt)

    def wait_maildir(self, domain, login, token, timeout=10):
        return poll(lambda: find_message(
            self.world.maildir(domain, login), token), timeout)

    def wait_sink(self, token, timeout=10):
        return poll(lambda: find_message(self.world.sink_dir(), token,
                                         subdirs=("",)), timeout)

    def imap_login(self, user, password=None, expect_fail=False):
        c = self.world.client(IMAP, self.world.imaps_port,
                              source=client_address(expect_fail))
        try:
            c.login(user, password or self.PW)
        except imaplib.IMAP4.error:
            c.shutdown()
            return None
        return c

    def pop3_login(self, user, password=None, expect_fail=False):
        c = self.world.client(POP3, self.world.pop3s_port,
                              source=client_address(expect_fail))
        try:
            c.user(user)
            c.pass_(password or self.PW)
        except poplib.error_proto:
            c.close()
            return None
        return c

    def imap_refused(self, user, password=None):
        return self.imap_login(user, password, expect_fail=True) is None

    def pop3_refused(self, user, password=None):
        return self.pop3_login(user, password, expect_fail=True) is None

    def quota_row(self, user):
        rows = self.world.sql("SELECT bytes, messages FROM quota_usage "
                              "WHERE username = '%s'" % user)
        return (int(rows[0][0]), int(rows[0][1])) if rows else None

    # --- delivery ---------------------------------------------------------

    def test_primary_address_delivered(self):
        t0 = time.monotonic()
        token = self.send(["info@monsite.be"])
        path = self.wait_maildir("monsite.be", self.info, token)
        latency = time.monotonic() - t0
        self.assertIsNotNone(path, "not delivered to the Maildir")
        sys.stderr.write("[delivery latency %.0f ms] " % (latency * 1000))
        st = os.stat(path)
        self.assertEqual(st.st_uid, int(subprocess.check_output(
            ["id", "-u", "postbusmail"])))

    def test_extra_address_delivered_to_mailbox(self):
        token = self.send(["contact@monsite.be"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.info, token))

    def test_address_case_is_ignored(self):
        token = self.send(["Info@MonSite.BE"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.info, token))

    def test_alias_to_remote_lands_in_sink(self):
        token = self.send(["ext@monsite.be"])
        path = self.wait_sink(token)
        self.assertIsNotNone(path, "remote alias destination not relayed")
        with open(path) as fp:
            self.assertIn("X-Envelope-To: <friend@remote.example>", fp.read())

    def test_alias_with_login_local_and_remote_destinations(self):
        token = self.send(["team@monsite.be"])
        # A login destination is its mailbox; disabled mailboxes receive.
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.off, token))
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.info, token))
        self.assertIsNotNone(self.wait_sink(token))
        # The deleted mailbox among the destinations gets nothing.
        self.assertIsNone(find_message(
            self.world.maildir("monsite.be", self.gone), token))

    def test_remote_from_inside_is_relayed_to_sink(self):
        token = self.send(["someone@remote.example"])
        self.assertIsNotNone(self.wait_sink(token))

    def test_outside_client_may_deliver_but_not_relay(self):
        code, msg = self.rcpt_reply("someone@remote.example", source=OUTSIDE)
        self.assertEqual(code, 554, msg)
        self.assertIn(b"5.7.1", msg)
        token = self.send(["info@monsite.be"], source=OUTSIDE)
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.info, token))

    def test_unknown_address_550(self):
        code, msg = self.rcpt_reply("nobody@monsite.be")
        self.assertEqual(code, 550, msg)

    def test_deleted_mailbox_550(self):
        for rcpt in ("gone@monsite.be", "oldcontact@monsite.be"):
            for source in (LISTEN, OUTSIDE):
                code, msg = self.rcpt_reply(rcpt, source=source)
                self.assertEqual(code, 550, (rcpt, source, msg))

    def test_inactive_domain_550(self):
        for rcpt in ("info@dormant.be", "contact@dormant.be",
                     "sales@dormant.be"):
            for source in (LISTEN, OUTSIDE):
                code, msg = self.rcpt_reply(rcpt, source=source)
                self.assertEqual(code, 550, (rcpt, source, msg))

    def test_message_size_limit_is_12mb(self):
        with self.smtp() as s:
            self.assertEqual(s.esmtp_features.get("size"), "12582912")
            code, msg = s.mail("a@remote.example", ["SIZE=13000000"])
            self.assertEqual(code, 552, msg)

    def test_sieve_vacation_reply_leaves_through_private_postfix(self):
        # What the panel's vacation page will write, by hand for now.
        home = os.path.dirname(self.world.maildir("monsite.be", self.away))
        os.makedirs(os.path.join(home, "sieve"), exist_ok=True)
        with open(os.path.join(home, "sieve", "vacation.sieve"), "w") as fp:
            fp.write('require ["vacation"];\n'
                     'vacation :days 1 :subject "Out of office"\n'
                     '  :addresses ["away@monsite.be"] "I am away.";\n')
        link = os.path.join(home, ".dovecot.sieve")
        if not os.path.islink(link):
            os.symlink("sieve/vacation.sieve", link)
        subprocess.run(["chown", "-R", "postbusmail:postbusmail", home],
                       check=True)
        token = self.send(["away@monsite.be"], sender="boss@remote.example")
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.away, token))
        reply = self.wait_sink(token)
        self.assertIsNotNone(reply, "no vacation reply in the sink")
        with open(reply) as fp:
            text = fp.read()
        self.assertIn("X-Envelope-To: <boss@remote.example>", text)
        self.assertIn("Subject: Out of office", text)
        self.assertIn("Auto-Submitted: auto-replied", text)

    # --- logins -----------------------------------------------------------

    def test_imap_login_by_login_and_by_address(self):
        token = self.send(["info@monsite.be"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.info, token))
        for user in (self.info, "info@monsite.be", "INFO@monsite.be"):
            c = self.imap_login(user)
            self.assertIsNotNone(c, "IMAP login as %s failed" % user)
            try:
                typ, _ = c.select("INBOX")
                self.assertEqual(typ, "OK")
                typ, data = c.search(None, "SUBJECT", token)
                self.assertEqual(typ, "OK")
                self.assertTrue(data[0].split(), "message not in INBOX")
            finally:
                c.logout()

    def test_pop3_login_by_login_and_by_address(self):
        for user in (self.info, "info@monsite.be"):
            c = self.pop3_login(user)
            self.assertIsNotNone(c, "POP3 login as %s failed" % user)
            c.quit()

    def test_yescrypt_hash_logs_in(self):
        if not self.yes:
            self.skipTest("libxcrypt without yescrypt")
        c = self.imap_login(self.yes)
        self.assertIsNotNone(c)
        c.logout()

    def test_wrong_password_refused(self):
        self.assertTrue(self.imap_refused(self.info, "wrong-Passw0rd"))
        self.assertTrue(self.pop3_refused("info@monsite.be", "wrong-Passw0rd"))

    def test_extra_address_cannot_log_in(self):
        self.assertTrue(self.imap_refused("contact@monsite.be"))

    def test_disabled_mailbox_cannot_log_in_but_receives(self):
        self.assertTrue(self.imap_refused(self.off))
        self.assertTrue(self.imap_refused("off@monsite.be"))
        self.assertTrue(self.pop3_refused(self.off))
        token = self.send(["off@monsite.be"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.off, token))

    def test_deleted_mailbox_cannot_log_in(self):
        self.assertTrue(self.imap_refused(self.gone))
        self.assertTrue(self.imap_refused("gone@monsite.be"))
        self.assertTrue(self.pop3_refused(self.gone))

    def test_inactive_domain_cannot_log_in(self):
        self.assertTrue(self.imap_refused(self.asleep))
        self.assertTrue(self.pop3_refused("info@dormant.be"))

    # --- last login -------------------------------------------------------

    def last_login(self, login):
        """mailboxes.last_login of a login as Unix seconds, or None."""
        v = self.world.sql("SELECT IFNULL(UNIX_TIMESTAMP(last_login), '') "
                           "FROM mailboxes WHERE login = '%s'" % login)[0][0]
        return int(v) if v else None

    def test_imap_and_pop3_logins_set_last_login(self):
        w = self.world
        login = w.add_mailbox("monsite.be", "seen", self.PW)
        self.assertIsNone(self.last_login(login))
        # A delivery over LMTP is not a login.
        token = self.send(["seen@monsite.be"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", login, token))
        time.sleep(0.3)
        self.assertIsNone(self.last_login(login))
        self.assertEqual(w.sql("SELECT COUNT(*) FROM mailbox_logins WHERE "
                               "username = 'seen@monsite.be'"), [["0"]])

        t0 = int(time.time())
        c = self.imap_login(login)          # by login: keyed on the address
        self.assertIsNotNone(c)
        c.logout()
        first = poll(lambda: self.last_login(login))
        self.assertIsNotNone(first, "IMAP login left last_login empty")
        self.assertTrue(t0 - 1 <= first <= time.time() + 1, (t0, first))
        self.assertEqual(w.sql("SELECT last_login FROM mailbox_logins WHERE "
                               "username = 'seen@monsite.be'"),
                         [[str(first)]])

        # A later POP3 login moves it (the row is updated, not added).
        w.sql("UPDATE mailbox_logins SET last_login = last_login - 3600 "
              "WHERE username = 'seen@monsite.be'")
        self.assertEqual(self.last_login(login), first - 3600)
        c = self.pop3_login("seen@monsite.be")
        self.assertIsNotNone(c)
        c.quit()
        self.assertTrue(poll(lambda: (self.last_login(login) or 0) >= first),
                        "POP3 login did not update last_login")

    def test_failed_login_leaves_last_login_alone(self):
        login = self.world.add_mailbox("monsite.be", "never", self.PW)
        self.assertTrue(self.imap_refused(login, "wrong-Passw0rd"))
        time.sleep(0.3)
        self.assertIsNone(self.last_login(login))

    def test_last_login_skips_deleted_mailbox_with_same_address(self):
        w = self.world
        old = w.add_mailbox("monsite.be", "reused", self.PW, deleted=True)
        w.sql("DELETE FROM addresses WHERE address = 'reused@monsite.be'")
        new = w.add_mailbox("monsite.be", "reused", self.PW)
        c = self.imap_login("reused@monsite.be")
        self.assertIsNotNone(c)
        c.logout()
        self.assertIsNotNone(poll(lambda: self.last_login(new)))
        self.assertIsNone(self.last_login(old))

    # --- quota ------------------------------------------------------------

    def test_quota_usage_is_written(self):
        token = self.send(["info@monsite.be"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.info, token))
        row = poll(lambda: self.quota_row("info@monsite.be"))
        self.assertIsNotNone(row, "no quota_usage row for info@monsite.be")
        self.assertGreater(row[0], 0)
        self.assertGreater(row[1], 0)

    def test_full_mailbox_is_refused_with_4xx(self):
        # Fill it while unlimited, then lower the limit below the usage.
        token = self.send(["full@monsite.be"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.full, token))
        self.assertTrue(poll(lambda: self.quota_row("full@monsite.be")))
        self.world.set_quota(self.full, 100)
        code, msg = self.rcpt_reply("full@monsite.be")
        self.assertEqual(code, 452, msg)
        self.assertIn(b"4.2.2", msg)
        self.assertIn(b"overquota", msg)

    def test_message_bigger_than_quota_is_refused_for_good(self):
        # tiny has 2000 bytes of quota and uses none: 5000 bytes never fit
        code, msg = self.rcpt_reply("tiny@monsite.be",
                                    mail_options=["SIZE=5000"])
        self.assertEqual(code, 552, msg)
        code, msg = self.rcpt_reply("tiny@monsite.be",
                                    mail_options=["SIZE=500"])
        self.assertEqual(code, 250, msg)

    def test_over_quota_delivery_is_deferred_not_bounced(self):
        # Without SIZE= the RCPT passes; LMTP then says 452 and Postfix
        # keeps the message for a later try.  (smtplib.sendmail would
        # announce SIZE=, so speak the commands one by one.)
        token = "tok" + secrets.token_hex(8)
        with self.smtp() as s:
            self.assertEqual(s.mail("sender@remote.example")[0], 250)
            self.assertEqual(s.rcpt("tiny@monsite.be")[0], 250)
            code, msg = s.data(message("sender@remote.example",
                                       ["tiny@monsite.be"], token,
                                       "x" * 5000))
            self.assertEqual(code, 250, msg)
        pat = re.compile(r"to=<tiny@monsite\.be>.*status=deferred.*4\.2\.2")
        self.assertTrue(poll(lambda: pat.search(self.world.maillog())),
                        "no deferral in maillog")
        self.assertNotIn("status=bounced", "\n".join(
            l for l in self.world.maillog().splitlines() if "tiny@" in l))
        self.assertIsNone(find_message(
            self.world.maildir("monsite.be", self.tiny), token))

    # --- database use -----------------------------------------------------

    def queries(self):
        """(name, text) of every lookup Postfix and Dovecot run per message
        or login, read from the generated configuration."""
        out = []
        pdir = os.path.join(self.world.state, "postfix", "etc")
        for f in sorted(os.listdir(pdir)):
            if f.startswith("mysql_") and f.endswith(".cf"):
                text = read_cf(os.path.join(pdir, f), continuation="indent")
                out.append((f, text["query"]))
        ddir = os.path.join(self.world.state, "dovecot")
        text = read_cf(os.path.join(ddir, "dovecot-sql.conf.ext"),
                       continuation="backslash")
        for k in ("password_query", "user_query"):
            out.append(("dovecot " + k, text[k]))
        # iterate_query is for `doveadm -A` only: a walk over every user.
        self.assertIn("iterate_query", text)
        dict_maps = read_dict_maps(os.path.join(ddir,
                                                "dovecot-dict-sql.conf.ext"))
        self.assertEqual(len(dict_maps), 3)
        for m in dict_maps:
            # priv/ maps key on username_field; shared/ maps name the
            # user in fields { column = $user }.
            key = m.get("username_field") or next(
                k for k, v in m["fields"].items() if v == "$user")
            out.append(("dovecot dict " + m["pattern"],
                        "SELECT {0} FROM {1} WHERE {2} = '%u'".format(
                            m["value_field"], m["table"], key)))
        # The triggers that copy a login time to mailboxes run per login.
        for name, stmt in self.world.sql(
                "SELECT TRIGGER_NAME, REPLACE(ACTION_STATEMENT, '\\n', ' ') "
                "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = "
                "DATABASE() AND EVENT_OBJECT_TABLE = 'mailbox_logins'"):
            out.append(("trigger " + name, stmt
                        .replace("NEW.username", "'%u'")
                        .replace("NEW.last_login", "1700000000")))
        return out

    def test_every_lookup_is_an_indexed_point_query(self):
        keys = {"%s": ["info@monsite.be", "contact@monsite.be",
                       "team@monsite.be", "monsite.be", "@monsite.be",
                       "u77@filler.example", "nobody@filler.example",
                       "a77@filler.example", "@filler.example",
                       "u77@alias1.example", "nobody@alias1.example",
                       "@alias1.example", "alias1.example"],
                "%u": [self.info, "info@monsite.be", "filler00077",
                       "u77@filler.example", "team@monsite.be",
                       "a77@filler.example", "u77@alias1.example",
                       "a77@alias1.example"]}
        seen = 0
        for name, q in self.queries():
            self.assertNotIn("%%", q.replace("%s", "").replace(
                "%u", "").replace("%d", "").replace("%n", ""), name)
            for var, samples in keys.items():
                if var not in q:
                    continue
                for key in samples:
                    text = (dovecot_expand(q, key) if name.startswith("dovecot")
                            else expand_query(q, key))
                    if text is None:
                        continue  # Postfix would not run it either
                    # EXPLAIN UPDATE needs UPDATE rights: the triggers'
                    # statements are explained as root (their definer
                    # is the migration account).
                    user = ("quota" if "dict" in name else
                            None if name.startswith("trigger") else
                            "postfix" if name.startswith("mysql_") else
                            "mail")
                    plan = self.world.sql_table("EXPLAIN " + text, user=user)
                    self.assertTrue(plan, name)
                    seen += 1
                    for row in plan:
                        if row.get("select_type") == "UNION RESULT":
                            continue  # reads the union's own result
                        self.assertNotIn(
                            row["type"], ("ALL", "index"),
                            "%s with %s scans %s:\n%s" % (
                                name, key, row["table"], text))
        self.assertGreaterEqual(seen, 39)
        # the submission services' owner lookup, per MAIL FROM
        self.assertIn("mysql_sender_login.cf", dict(self.queries()))
        self.assertIn("trigger mailbox_logins_insert", dict(self.queries()))
        self.assertIn("trigger mailbox_logins_update", dict(self.queries()))

    def test_mail_account_is_read_only(self):
        r = self.world.sql("INSERT INTO quota_usage VALUES ('x', 1, 1)",
                           user="mail", check=False)
        self.assertNotEqual(r.returncode, 0)
        r = self.world.sql("UPDATE mailboxes SET quota = 0",
                           user="mail", check=False)
        self.assertNotEqual(r.returncode, 0)

    def test_postfix_account_cannot_read_password_hashes(self):
        # Postfix's maps (read by every smtpd and proxymap) name only
        # routing columns; its account can read nothing else
        for q in ("SELECT pw_hash FROM mailboxes LIMIT 1",
                  "SELECT * FROM mailboxes LIMIT 1",
                  "SELECT COUNT(*) FROM panel_users",
                  "SELECT COUNT(*) FROM sessions",
                  "UPDATE mailboxes SET quota = 0",
                  "SELECT description FROM domains LIMIT 1"):
            r = self.world.sql(q, user="postfix", check=False)
            self.assertNotEqual(r.returncode, 0, q)
        # what the maps need is there, and the maps answer with it
        r = self.world.sql("SELECT address FROM mailboxes LIMIT 1",
                           user="postfix", check=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        cf = os.path.join(self.world.state, "postfix", "etc",
                          "mysql_virtual_mailboxes.cf")
        with open(cf) as fp:
            self.assertIn("user = postbus_postfix", fp.read())
        out = subprocess.run(["postmap", "-q", "info@monsite.be",
                              "mysql:" + cf], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertTrue(out.stdout.strip().startswith("monsite.be/"),
                        out.stdout)
        # Dovecot's account is the one that checks passwords
        with open(os.path.join(self.world.state, "dovecot",
                               "dovecot-sql.conf.ext")) as fp:
            self.assertIn("user=postbus_mail ", fp.read())
        # and delivery through those maps still works end to end
        token = self.send(["info@monsite.be"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.info, token))

    def test_quota_account_reaches_only_its_tables(self):
        for q in ("SELECT pw_hash FROM mailboxes LIMIT 1",
                  "UPDATE mailboxes SET last_login = NOW()",
                  "DELETE FROM mailbox_logins"):
            r = self.world.sql(q, user="quota", check=False)
            self.assertNotEqual(r.returncode, 0, q)
        for q in ("SELECT COUNT(*) FROM quota_usage",
                  "SELECT COUNT(*) FROM mailbox_logins"):
            r = self.world.sql(q, user="quota", check=False)
            self.assertEqual(r.returncode, 0, q)

    def test_secret_files_are_not_world_readable(self):
        st = self.world.state
        pf = "postfix/etc/mysql_virtual_"
        for f, group in [(pf + "domains.cf", "postfix"),
                         (pf + "mailboxes.cf", "postfix"),
                         (pf + "alias_extra.cf", "postfix"),
                         (pf + "alias_alias.cf", "postfix"),
                         ("postfix/etc/mysql_sender_login.cf", "postfix"),
                         ("dovecot/dovecot-sql.conf.ext", "dovecot"),
                         ("dovecot/dovecot-dict-sql.conf.ext", "dovecot")]:
            out = subprocess.check_output(
                ["stat", "-c", "%a %U %G", os.path.join(st, f)], text=True)
            self.assertEqual(out.split(), ["640", "root", group], f)

    # --- the program ------------------------------------------------------

    def test_start_again_is_harmless_and_status_reports(self):
        before = self.world.mailstack("status").stdout
        self.assertEqual(before.count("running"), 4, before)
        self.world.mailstack("start")
        after = self.world.mailstack("status").stdout
        self.assertEqual(before, after)
        token = self.send(["info@monsite.be"])
        self.assertIsNotNone(self.wait_maildir("monsite.be", self.info, token))

    def test_changed_settings_are_reloaded_in_place(self):
        w = self.world
        path = os.path.join(w.state, "secrets.env")
        with open(path) as fp:
            saved = fp.read()
        before = w.mailstack("status").stdout
        try:
            with open(path, "a") as fp:
                fp.write("MESSAGE_SIZE_LIMIT='20000000'\n")
            w.mailstack("start")
            with self.smtp() as s:
                self.assertEqual(s.esmtp_features.get("size"), "20000000")
            self.assertEqual(w.mailstack("status").stdout, before)
        finally:
            with open(path, "w") as fp:
                fp.write(saved)
            w.mailstack("start")
        with self.smtp() as s:
            self.assertEqual(s.esmtp_features.get("size"), "12582912")

    def test_listens_on_loopback_only(self):
        out = subprocess.check_output(["cat", "/proc/net/tcp"], text=True)
        w = self.world
        ports = {w.smtp_port, w.imap_port, w.pop3_port, w.sink_port,
                 w.imaps_port, w.pop3s_port, w.submission_port,
                 w.submission_starttls_port}
        found = set()
        for line in out.splitlines()[1:]:
            f = line.split()
            addr, port = f[1].split(":")
            if f[3] == "0A" and int(port, 16) in ports:
                self.assertEqual(addr, "0100007F", line)
                found.add(int(port, 16))
        self.assertEqual(found, ports)


def expand_query(q, key):
    """A mysql_table(5) query with %s, %u and %d filled in from key the way
    Postfix does it, or None when Postfix would skip the query (%d and a
    key that is not an address, %u and an empty local part)."""
    local, at, domain = key.partition("@")
    if "%d" in q and (not at or not domain):
        return None
    if "%u" in q and at and not local:
        return None
    u = local if at else key
    return q.replace("%s", key).replace("%u", u).replace("%d", domain)


def dovecot_expand(q, key):
    """A Dovecot SQL query with %u, %n and %d filled in from the user name
    key the way Dovecot does it (%n is the whole name, %d empty, for a
    name without "@"), and %s, the service, as quota-status asks."""
    local, at, domain = key.partition("@")
    return q.replace("%u", key).replace("%n", local).replace(
        "%d", domain).replace("%s", "quota-status")


def read_cf(path, continuation):
    """Parse key = value lines of a Postfix .cf (continuation lines start
    with white space) or a Dovecot .ext file (lines end with a backslash)."""
    out, key = {}, None
    with open(path) as fp:
        lines = fp.read().splitlines()
    pending = ""
    for line in lines:
        if line.lstrip().startswith("#") or not line.strip():
            key = None if continuation == "indent" else key
            continue
        if continuation == "backslash":
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            line, pending = pending + line, ""
            k, _, v = line.partition("=")
            out[k.strip()] = " ".join(v.split())
        else:
            if line[0] in " \t" and key:
                out[key] += " " + line.strip()
                continue
            k, _, v = line.partition("=")
            key = k.strip()
            out[key] = v.strip()
    return out


def read_dict_maps(path):
    """The map { } blocks of a dict-sql file, with fields { } as a dict."""
    maps, cur, fields = [], None, None
    with open(path) as fp:
        for line in fp:
            line = line.strip()
            if line.startswith("map {"):
                cur = {"fields": {}}
            elif line.startswith("fields {") and cur is not None:
                fields = cur["fields"]
            elif line == "}" and fields is not None:
                fields = None
            elif line == "}" and cur is not None:
                maps.append(cur)
                cur = None
            elif cur is not None and "=" in line:
                k, _, v = line.partition("=")
                (fields if fields is not None else cur)[k.strip()] = v.strip()
    return maps


if __name__ == "__main__":
    unittest.main()
