"""The Debian package: built from this tree, unpacked into a throwaway root,
checked file by file, then run from there.

dpkg-buildpackage -b builds a copy of the tree in STATE/pkg (unit tests
are skipped there: the run has its own).  The package is unpacked with
dpkg-deb -x into STATE/pkg/root and its maintainer scripts with -e; the
list of what it must hold is made from the tree itself (every template,
static file, schema file, unit, man page, conf/ directory), so a file
added later is checked without a change here.  Then its postbus-setup
makes a database of its own in the test stack's MariaDB, and its
postbus.fcgi serves that database behind a private nginx that runs the
package's example site: a login through it must reach the home page.
"""
import glob
import gzip
import os
import re
import shutil
import signal
import stat
import subprocess
import time
import unittest
import grp

from pbtest import Browser, env, free_ports, STRONG_PASSWORD

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DB = 'pbpkg'                    # database and account prefix of this test
ADMIN = 'pkgadmin'


def mariadb(query):
    return subprocess.run(['mariadb', '--no-defaults', '-uroot', '-N', '-B',
                           '--socket=' + env('POSTBUS_DB_SOCKET'), '-e', query],
                          capture_output=True, text=True)


class TestPackage(unittest.TestCase):
    deb = None
    build_log = ''

    @classmethod
    def setUpClass(cls):
        if shutil.which('dpkg-buildpackage') is None:
            raise unittest.SkipTest('dpkg-buildpackage is missing (apt-get install dpkg-dev debhelper)')
        cls.work = os.path.join(env('POSTBUS_STATE'), 'pkg')
        shutil.rmtree(cls.work, ignore_errors=True)
        src = os.path.join(cls.work, 'src', 'postbus')
        os.makedirs(src)
        git = subprocess.run(['git', 'ls-files', '-co', '--exclude-standard', '-z'],
                             cwd=ROOT, capture_output=True)
        if git.returncode == 0:
            for f in git.stdout.decode().split('\0'):
                if f and os.path.isfile(os.path.join(ROOT, f)):
                    os.makedirs(os.path.join(src, os.path.dirname(f)), exist_ok=True)
                    shutil.copy2(os.path.join(ROOT, f), os.path.join(src, f))
        else:   # not a git checkout: the tree without what builds and runs make
            shutil.rmtree(src)
            shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(
                '.git', 'build', 'build-asan', 'var', 'node_modules', '*.o', '*.a'))
        e = dict(os.environ, DEB_BUILD_OPTIONS='nocheck parallel=2')
        t = time.time()
        p = subprocess.run(['nice', 'dpkg-buildpackage', '-b', '-us', '-uc'], cwd=src,
                           env=e, capture_output=True, text=True, timeout=900)
        cls.build_time = time.time() - t
        cls.build_log = p.stdout + p.stderr
        with open(os.path.join(cls.work, 'build.log'), 'w') as f:
            f.write(cls.build_log)
        debs = [d for d in glob.glob(os.path.join(cls.work, 'src', 'postbus_*.deb'))]
        if p.returncode != 0 or len(debs) != 1:
            return
        cls.deb = debs[0]
        cls.changes = glob.glob(os.path.join(cls.work, 'src', 'postbus_*.changes'))[0]
        cls.root = os.path.join(cls.work, 'root')
        cls.control = os.path.join(cls.work, 'control')
        subprocess.run(['dpkg-deb', '-x', cls.deb, cls.root], check=True)
        subprocess.run(['dpkg-deb', '-e', cls.deb, cls.control], check=True)
        cls.contents = set()
        for dirpath, dirs, names in os.walk(cls.root):
            for n in names:
                cls.contents.add(os.path.relpath(os.path.join(dirpath, n), cls.root))
        cls.procs = []

    @classmethod
    def tearDownClass(cls):
        for pidfile, proc in getattr(cls, 'procs', []):
            try:
                pid = proc.pid if proc else int(open(pidfile).read())
                os.kill(pid, signal.SIGTERM)
                if proc:
                    proc.wait(timeout=10)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                pass
        if cls.deb:
            mariadb('DROP DATABASE IF EXISTS %s; ' % DB + ' '.join(
                "DROP USER IF EXISTS '%s_%s'@'localhost';" % (DB, u)
                for u in ('admin', 'panel', 'mail', 'postfix', 'quota')))

    def need_deb(self):
        if self.deb is None:
            self.skipTest('no package (see test_01_builds)')

    def test_01_builds(self):
        """dpkg-buildpackage -b -us -uc builds one postbus .deb without a compiler warning"""
        self.assertIsNotNone(self.deb, 'dpkg-buildpackage failed:\n' + self.build_log[-3000:])
        warnings = [l for l in self.build_log.splitlines() if ': warning: ' in l]
        self.assertEqual(warnings, [])
        print('package built in %.0f s: %s' % (self.build_time, os.path.basename(self.deb)))

    def test_lintian(self):
        """lintian finds no error in the package (warnings are printed)"""
        self.need_deb()
        p = subprocess.run(['lintian', '--allow-root', self.changes],
                           capture_output=True, text=True, timeout=300)
        out = p.stdout + p.stderr
        for line in out.splitlines():
            if line.startswith('W:'):
                print('lintian ' + line)
        self.assertEqual([l for l in out.splitlines() if l.startswith('E:')], [], out)

    def test_files(self):
        """the package holds every program, template, static and schema file,
        unit, man page and conf/ template of the tree"""
        self.need_deb()
        want = {'usr/sbin/postbusctl', 'usr/sbin/postbus-setup',
                'usr/libexec/postbus/postbus.fcgi',
                'usr/share/doc/postbus/examples/nginx/postbus.conf',
                'usr/share/doc/postbus/examples/postbus.conf.sample',
                'usr/share/doc/postbus/README.Debian',
                'usr/share/doc/postbus/copyright'}
        for d in ('templates', 'static', 'schema'):
            for f in os.listdir(os.path.join(ROOT, d)):
                if not f.startswith('.'):
                    want.add('usr/share/postbus/%s/%s' % (d, f))
        for f in glob.glob(os.path.join(ROOT, 'conf', 'systemd', '*.in')):
            want.add('lib/systemd/system/' + os.path.basename(f)[:-3])
        for f in glob.glob(os.path.join(ROOT, 'man', '*.[1-9]')):
            want.add('usr/share/man/man%s/%s.gz' % (f[-1], os.path.basename(f)))
        for dirpath, dirs, names in os.walk(os.path.join(ROOT, 'conf')):
            rel = os.path.relpath(dirpath, os.path.join(ROOT, 'conf'))
            if rel != '.' and rel.split(os.sep)[0] != 'systemd':
                want.update('usr/share/postbus/conf/%s/%s' % (rel, n) for n in names)
        self.assertEqual(sorted(want - self.contents), [])
        for f in ('usr/sbin/postbusctl', 'usr/sbin/postbus-setup',
                  'usr/libexec/postbus/postbus.fcgi',
                  'usr/libexec/postbus/postbus-sizepolicy'):
            self.assertTrue(os.stat(os.path.join(self.root, f)).st_mode & 0o111, f)
        # nothing in /etc: the configuration is written by postbus-setup
        self.assertEqual([f for f in self.contents if f.startswith('etc/')], [])

    def test_no_build_path(self):
        """the packaged programs carry no path of the tree they were built
        in (postbusctl finds a checkout's state only from its build tree)"""
        self.need_deb()
        build = os.path.join(self.work, 'src')
        self.assertFalse([f for f in self.contents if f.endswith('.checkout')])
        for f in ('usr/sbin/postbusctl', 'usr/libexec/postbus/postbus.fcgi',
                  'usr/libexec/postbus/postbus-sink',
                  'usr/libexec/postbus/postbus-sizepolicy'):
            p = subprocess.run(['strings', '-a', os.path.join(self.root, f)],
                               capture_output=True, text=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertGreater(len(p.stdout), 1000, f)
            self.assertNotIn(build, p.stdout, f)
            self.assertNotIn(ROOT + '/', p.stdout, f)

    def test_man_pages(self):
        """every man page in the package formats without a mandoc warning"""
        self.need_deb()
        pages = [f for f in self.contents if f.startswith('usr/share/man/')]
        self.assertGreaterEqual(len(pages), 5)
        for f in pages:
            with gzip.open(os.path.join(self.root, f)) as g:
                text = g.read()
            p = subprocess.run(['mandoc', '-Tlint', '-W', 'warning'], input=text,
                               capture_output=True)
            self.assertEqual(p.returncode, 0, f + ': ' + (p.stdout + p.stderr).decode())

    def test_units(self):
        """each unit runs a program of the package, as a user that postinst creates"""
        self.need_deb()
        with open(os.path.join(self.control, 'postinst')) as f:
            postinst = f.read()
        units = glob.glob(os.path.join(self.root, 'lib', 'systemd', 'system', '*'))
        self.assertTrue(units)
        for u in units:
            with open(u) as f:
                text = f.read()
            for m in re.finditer(r'^Exec\w+=[-@:+!]*(\S+)', text, re.M):
                self.assertIn(m.group(1).lstrip('/'), self.contents,
                              '%s runs %s, which is not in the package' % (u, m.group(1)))
            for m in re.finditer(r'^(?:User|Group)=(\S+)', text, re.M):
                self.assertRegex(postinst, r'adduser --system[^\n]*(\\\n[^\n]*)*\b%s\b' % m.group(1))
        # systemd understands every line (the programs are not installed
        # here, so only their absence may be reported)
        if shutil.which('systemd-analyze'):
            p = subprocess.run(['systemd-analyze', 'verify', '--man=no'] + units,
                               capture_output=True, text=True)
            other = [l for l in (p.stdout + p.stderr).splitlines()
                     if 'is not executable: No such file' not in l]
            self.assertEqual(other, [])
        # the panel starts from the package's postinst (enabled, started)
        self.assertIn("deb-systemd-helper enable 'postbus.service'", postinst)
        self.assertIn("deb-systemd-helper enable 'postbus-purge.timer'", postinst)

    def test_maintainer_scripts(self):
        """the maintainer scripts are valid sh, create the system user, ask nothing"""
        self.need_deb()
        for s in ('preinst', 'postinst', 'prerm', 'postrm'):
            path = os.path.join(self.control, s)
            if os.path.exists(path):
                p = subprocess.run(['sh', '-n', path], capture_output=True, text=True)
                self.assertEqual(p.returncode, 0, s + ': ' + p.stderr)
                with open(path) as f:
                    self.assertNotIn('debconf', f.read(), s)
        with open(os.path.join(self.control, 'postinst')) as f:
            postinst = f.read()
        self.assertRegex(postinst, r'adduser --system --group [^\n]*\\\n[^\n]*\bpostbus\n')
        # every user the shipped master.cf runs a service as
        with open(os.path.join(ROOT, 'conf', 'postfix', 'master.cf.in')) as f:
            self.assertIn('user=@POLICY_USER@', f.read())
        self.assertRegex(postinst, r'adduser --system --group [^\n]*\\\n[^\n]*\bpostbuspolicy\n')
        with open(os.path.join(self.control, 'postrm')) as f:
            self.assertIn('/etc/postbus/postbus.conf', f.read())

    def test_setup_says_why(self):
        """postbus-setup without a MariaDB says so, and writes nothing"""
        self.need_deb()
        etc = os.path.join(self.work, 'etc-none')
        p = subprocess.run([os.path.join(self.root, 'usr/sbin/postbus-setup'),
                            '--conf-dir', etc, '--socket', '/nonexistent/mysqld.sock'],
                           env=dict(os.environ,
                                    POSTBUSCTL=os.path.join(self.root, 'usr/sbin/postbusctl'),
                                    POSTBUS_DATADIR=os.path.join(self.root, 'usr/share/postbus')),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 1)
        self.assertIn('/nonexistent/mysqld.sock: no MariaDB socket here', p.stderr)
        self.assertFalse(os.path.exists(etc))
        p = subprocess.run([os.path.join(self.root, 'usr/sbin/postbus-setup'), '--bogus'],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertIn('unknown option --bogus', p.stderr)

    def test_setup_and_panel(self):
        """postbus-setup from the package makes the database, its accounts and
        the superuser; its panel behind its example nginx site logs in"""
        self.need_deb()
        etc = os.path.join(self.work, 'etc')
        e = dict(os.environ,
                 POSTBUSCTL=os.path.join(self.root, 'usr/sbin/postbusctl'),
                 POSTBUS_DATADIR=os.path.join(self.root, 'usr/share/postbus'))
        cmd = [os.path.join(self.root, 'usr/sbin/postbus-setup'),
               '--socket', env('POSTBUS_DB_SOCKET'), '--db-name', DB,
               '--conf-dir', etc, '--admin', ADMIN, '--hostname', 'mail.example.net',
               '--password-stdin']
        p = subprocess.run(cmd, input=STRONG_PASSWORD + '\n', env=e,
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn('database %s on %s' % (DB, env('POSTBUS_DB_SOCKET')), p.stdout)
        conf = os.path.join(etc, 'postbus.conf')
        st = os.stat(conf)
        self.assertEqual((stat.S_IMODE(st.st_mode), st.st_uid, grp.getgrgid(st.st_gid).gr_name),
                         (0o640, 0, 'postbus'))
        for f in ('admin.conf', 'db-accounts.env'):
            st = os.stat(os.path.join(etc, f))
            self.assertEqual((stat.S_IMODE(st.st_mode), st.st_uid), (0o600, 0), f)
        with open(conf) as f:
            text = f.read()
        secret = re.search(r'^secret = ([0-9a-f]+)$', text, re.M)
        self.assertTrue(secret and len(secret.group(1)) == 64, text)
        # least privilege: the panel may not change the schema, the audit
        # log only grows, Postfix sees no password hash
        grants = mariadb("SHOW GRANTS FOR '%s_panel'@'localhost'" % DB).stdout
        self.assertRegex(grants, r'GRANT SELECT, INSERT ON `%s`\.`audit_log`' % DB)
        self.assertNotRegex(grants, r'ALL PRIVILEGES|CREATE|ALTER|DROP')
        grants = mariadb("SHOW GRANTS FOR '%s_postfix'@'localhost'" % DB).stdout
        self.assertNotIn('password', grants)
        self.assertIn('SELECT (', grants)

        # what each account can do, logged in with its own password: the
        # grants are postbusctl db grant's (lib/sql_grant.def), which the
        # script calls rather than carrying a list of its own
        accounts = {}
        with open(os.path.join(etc, 'db-accounts.env')) as f:
            for line in f:
                k, _, v = line.strip().partition('=')
                accounts[k] = v
        with open(os.path.join(self.root, 'usr/sbin/postbus-setup')) as f:
            script = f.read()
        self.assertIn('db grant', script)
        self.assertNotRegex(script, r'GRANT SELECT|REVOKE')
        outcome = [
            # (account, statement, allowed)
            ('PANEL', 'SELECT COUNT(*) FROM domains', True),
            ('PANEL', 'UPDATE plans SET name = name WHERE id = 0', True),
            ('PANEL', "INSERT INTO audit_log (actor, actor_role, client, action) "
                      "VALUES ('t', 'superuser', 't', 'grant.check')", True),
            ('PANEL', 'DELETE FROM audit_log WHERE id = 0', False),
            ('PANEL', 'UPDATE audit_log SET action = action WHERE id = 0', False),
            ('PANEL', 'UPDATE mailbox_logins SET last_login = NULL WHERE 0', False),
            ('PANEL', 'CREATE TABLE grant_check (x INT)', False),
            ('PANEL', 'DROP TABLE schema_migrations', False),
            ('MAIL', 'SELECT pw_hash FROM mailboxes LIMIT 1', True),
            ('MAIL', 'SELECT max_message_size FROM plans LIMIT 1', True),
            ('MAIL', 'SELECT name FROM plans LIMIT 1', False),
            ('MAIL', 'UPDATE mailboxes SET enabled = enabled WHERE id = 0', False),
            ('MAIL', 'SELECT COUNT(*) FROM panel_users', False),
            ('POSTFIX', 'SELECT address, mailbox_id FROM addresses LIMIT 1', True),
            ('POSTFIX', 'SELECT login, address FROM mailboxes LIMIT 1', True),
            ('POSTFIX', 'SELECT pw_hash FROM mailboxes LIMIT 1', False),
            ('POSTFIX', 'SELECT COUNT(*) FROM sessions', False),
            ('POSTFIX', 'DELETE FROM addresses WHERE 0', False),
            ('QUOTA', "INSERT INTO quota_usage (username) VALUES ('grant.check') "
                      "ON DUPLICATE KEY UPDATE bytes = 0", True),
            ('QUOTA', "DELETE FROM quota_usage WHERE username = 'grant.check'", True),
            ('QUOTA', 'SELECT COUNT(*) FROM mailboxes', False),
            ('QUOTA', 'DELETE FROM mailbox_logins WHERE 0', False),
            ('ADMIN', 'CREATE TABLE grant_check (x INT)', True),
            ('ADMIN', 'DROP TABLE grant_check', True),
        ]
        for who, q, allowed in outcome:
            p = subprocess.run(['mariadb', '--no-defaults', '-N', '-B',
                                '-u' + accounts['DB_%s_USER' % who],
                                '-p' + accounts['DB_%s_PASSWORD' % who],
                                '--socket=' + env('POSTBUS_DB_SOCKET'), DB, '-e', q],
                               capture_output=True, text=True)
            if allowed:
                self.assertEqual(p.returncode, 0, '%s may: %s\n%s' % (who, q, p.stderr))
            else:
                self.assertNotEqual(p.returncode, 0, '%s may not: %s' % (who, q))
                self.assertRegex(p.stderr, r'denied', '%s: %s: %s' % (who, q, p.stderr))
        # the panel's account prepares every statement the panel runs
        p = subprocess.run([e['POSTBUSCTL'], '-c', conf, 'db', 'check'], env=e,
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)

        # a second run, told only where its files are, finds the database
        # and socket of the first, changes nothing and keeps every secret
        p = subprocess.run(cmd[:1] + ['--conf-dir', etc], env=e, capture_output=True,
                           text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        self.assertIn('a superuser exists already', p.stdout)
        with open(conf) as f:
            self.assertEqual(f.read(), text)

        # the panel from the package, on a socket of this test
        run = os.path.join(self.work, 'run')
        os.makedirs(run)
        os.chmod(run, 0o755)
        sock = os.path.join(run, 'postbus.sock')
        with open(conf, 'w') as f:
            f.write(re.sub(r'^socket = .*$', 'socket = ' + sock, text, flags=re.M) +
                    'syslog = 0\n')
        log = open(os.path.join(self.work, 'postbus.log'), 'w')
        fcgi = subprocess.Popen([os.path.join(self.root, 'usr/libexec/postbus/postbus.fcgi'),
                                 '-c', conf], stdout=log, stderr=subprocess.STDOUT)
        self.procs.append((None, fcgi))
        for _ in range(100):
            if os.path.exists(sock) or fcgi.poll() is not None:
                break
            time.sleep(0.05)
        self.assertTrue(os.path.exists(sock), open(log.name).read())

        # nginx with the example site of the package
        ng = os.path.join(self.work, 'nginx')
        os.makedirs(os.path.join(ng, 'tmp'))
        shutil.chown(os.path.join(ng, 'tmp'), 'www-data')
        port = free_ports(1)[0]
        tls = os.path.join(env('POSTBUS_STATE'), 'tls')
        with open(os.path.join(self.root, 'usr/share/doc/postbus/examples/nginx/postbus.conf')) as f:
            site = f.read()
        for a, b in (('listen 10000 ssl;', 'listen 127.0.0.1:%d ssl;' % port),
                     ('listen [::]:10000 ssl;', ''),
                     ('/etc/ssl/certs/ssl-cert-snakeoil.pem', tls + '/cert.pem'),
                     ('/etc/ssl/private/ssl-cert-snakeoil.key', tls + '/key.pem'),
                     ('/usr/share/postbus/static/', self.root + '/usr/share/postbus/static/'),
                     ('unix:/run/postbus/postbus.sock', 'unix:' + sock)):
            self.assertIn(a, site)
            site = site.replace(a, b)
        with open(os.path.join(ng, 'site.conf'), 'w') as f:
            f.write(site)
        with open(os.path.join(ng, 'nginx.conf'), 'w') as f:
            f.write('worker_processes 1;\npid %(ng)s/nginx.pid;\n'
                    'error_log %(ng)s/error.log warn;\nuser www-data www-data;\n'
                    'events { worker_connections 64; }\nhttp {\n'
                    '    include /etc/nginx/mime.types;\n'
                    '    access_log %(ng)s/access.log;\n'
                    '    client_body_temp_path %(ng)s/tmp/body;\n'
                    '    fastcgi_temp_path %(ng)s/tmp/fastcgi;\n'
                    '    proxy_temp_path %(ng)s/tmp/proxy;\n'
                    '    uwsgi_temp_path %(ng)s/tmp/uwsgi;\n'
                    '    scgi_temp_path %(ng)s/tmp/scgi;\n'
                    '    include %(ng)s/site.conf;\n}\n' % {'ng': ng})
        p = subprocess.run(['nginx', '-p', ng, '-c', os.path.join(ng, 'nginx.conf')],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.procs.append((os.path.join(ng, 'nginx.pid'), None))

        b = Browser('https://127.0.0.1:%d/' % port)
        r = b.get('/static/postbus.css')
        self.assertEqual(r.status, 200)
        b.login(ADMIN, STRONG_PASSWORD)
        r = b.get('/home')
        self.assertEqual(r.status, 200)
        self.assertIn(ADMIN, r.text)
