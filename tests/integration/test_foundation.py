"""Foundation: login, sessions, CSRF, throttling, headers, escaping, access.

Runs against the stack that tests/run.py started (see tests/lib/pbtest.py).
"""
import os
import subprocess
import threading
import time
import unittest

from pbtest import Browser, ctl, ctl_json, env, sql, uniq, STRONG_PASSWORD

SECURITY_HEADERS = {
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
}


def make_domain(name, prefix, owner=None, description=''):
    """A domain straight in the database (the staff pages are tested elsewhere)."""
    sql("INSERT INTO domains (name, prefix, plan_id, description, created_by) "
        "VALUES (@p1, @p2, 2, @p3, 'test')", name, prefix, description)
    did = sql("SELECT id FROM domains WHERE name = @p1", name)[0][0]
    if owner:
        ctl('admin', 'add', owner, '--role', 'owner', '--domain', name,
            '--password-stdin', stdin=STRONG_PASSWORD + '\n')
    return did


def audit_count(action):
    return int(sql("SELECT COUNT(*) FROM audit_log WHERE action = @p1", action)[0][0])


class Login(unittest.TestCase):
    def test_login_page_renders_with_csrf_and_headers(self):
        b = Browser()
        r = b.get('/login')
        self.assertEqual(r.status, 200)
        self.assertIn('Login to postbus', r.text)
        self.assertRegex(r.csrf() or '', r'^[0-9a-f]{64}$')
        cookie = r.header('Set-Cookie') or ''
        for attr in ('Secure', 'HttpOnly', 'SameSite=Strict'):
            self.assertIn(attr, cookie)

    def test_root_redirects_to_login(self):
        r = Browser().get('/', follow=False)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header('Location'), '/login')

    def test_login_ok_shows_home(self):
        b = Browser()
        b.login()
        r = b.get('/home')
        self.assertEqual(r.status, 200)
        self.assertIn(env('POSTBUS_ADMIN_USER'), r.text)
        self.assertIn('Superuser', r.text)
        cookie = [c for c in b.last.all_headers('Set-Cookie')]
        self.assertGreaterEqual(audit_count('login'), 1)

    def test_session_cookie_attributes(self):
        b = Browser()
        token = b.get('/login').csrf()
        r = b.post('/login', {'csrf': token, 'login': env('POSTBUS_ADMIN_USER'),
                              'password': env('POSTBUS_ADMIN_PASSWORD')}, follow=False)
        self.assertEqual(r.status, 303)
        sc = [c for c in r.all_headers('Set-Cookie') if c.startswith('__Host-postbus_session=')]
        self.assertEqual(len(sc), 1)
        for attr in ('Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/'):
            self.assertIn(attr, sc[0])
        token = sc[0].split('=', 1)[1].split(';')[0]
        self.assertRegex(token, r'^[0-9a-f]{64}$')
        # only a hash of the token is stored
        rows = sql("SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX(SHA2(@p1, 256))", token)
        self.assertEqual(rows[0][0], '1')
        rows = sql("SELECT COUNT(*) FROM sessions WHERE HEX(token_hash) = UPPER(@p1)", token)
        self.assertEqual(rows[0][0], '0')

    def test_wrong_password(self):
        b = Browser(source='127.0.0.11')
        before = audit_count('login.fail')
        r = b.post_form('/login', '/login', {'login': env('POSTBUS_ADMIN_USER'),
                                             'password': 'wrong-Password1'})
        self.assertEqual(r.status, 422)
        self.assertIn('Login failed', r.text)
        self.assertNotIn('__Host-postbus_session', b.cookies)
        # the login is kept in the form, the password is not
        self.assertEqual(r.input_value('login'), env('POSTBUS_ADMIN_USER'))
        self.assertNotIn('wrong-Password1', r.text)
        self.assertEqual(audit_count('login.fail'), before + 1)
        sql("DELETE FROM login_failures WHERE k IN (@p1, 'a:127.0.0.11')",
            'u:' + env('POSTBUS_ADMIN_USER'))

    def test_unknown_user_same_message(self):
        b = Browser(source='127.0.0.12')
        r = b.post_form('/login', '/login', {'login': 'nobody' + uniq(),
                                             'password': 'whatever-9'})
        self.assertEqual(r.status, 422)
        self.assertIn('Login failed', r.text)

    def test_missing_fields(self):
        b = Browser(source='127.0.0.13')
        r = b.post_form('/login', '/login', {'login': '', 'password': ''})
        self.assertEqual(r.status, 422)
        self.assertIn('This field is required', r.text)

    def test_throttle_then_lock(self):
        user = uniq('thr')
        ctl('admin', 'add', user, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        b = Browser(source='127.0.0.14')
        statuses = []
        for i in range(3):
            r = b.post_form('/login', '/login', {'login': user, 'password': 'bad-%dX' % i})
            statuses.append(r.status)
        self.assertEqual(statuses, [422, 422, 422])
        # the next attempt comes too soon: refused without checking, and says so
        r = b.post_form('/login', '/login', {'login': user, 'password': STRONG_PASSWORD})
        self.assertEqual(r.status, 429)
        self.assertIn('please wait', r.text)
        self.assertNotIn('__Host-postbus_session', b.cookies)
        # after enough failures the login is locked for a while
        # only the pair login+address locks; the login and the address alone
        # are slowed down
        sql("UPDATE login_failures SET failures = 2 WHERE k = @p1", 'u:' + user)
        sql("UPDATE login_failures SET failures = 9, last_at = NOW() - INTERVAL 70 SECOND "
            "WHERE k = @p1", 'p:%s|127.0.0.14' % user)
        r = b.post_form('/login', '/login', {'login': user, 'password': 'bad-againX1'})
        self.assertEqual(r.status, 422)
        r = b.post_form('/login', '/login', {'login': user, 'password': STRONG_PASSWORD})
        self.assertEqual(r.status, 429)
        self.assertIn('locked', r.text)
        self.assertGreaterEqual(int(sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                                        "'login.throttled' AND object = @p1", user)[0][0]), 1)
        # the lock holds the pair only: the same login from another address
        # and another login from this address still get in (once the login's
        # own slow-down has passed)
        sql("UPDATE login_failures SET failures = 0 WHERE k = @p1", 'u:' + user)
        Browser(source='127.0.0.21').login(user, STRONG_PASSWORD)
        other = uniq('thr')
        ctl('admin', 'add', other, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        sql("UPDATE login_failures SET failures = 0 WHERE k = 'a:127.0.0.14'")
        Browser(source='127.0.0.14').login(other, STRONG_PASSWORD)
        # when the lock is over, the right password works again
        sql("DELETE FROM login_failures WHERE k IN (@p1, @p2, 'a:127.0.0.14')",
            'u:' + user, 'p:%s|127.0.0.14' % user)
        b.login(user, STRONG_PASSWORD)

    def test_parallel_guesses_are_all_counted(self):
        user = uniq('par')
        ctl('admin', 'add', user, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        results = []

        def guess(i):
            b = Browser(source='127.0.0.22')
            results.append(b.post_form('/login', '/login',
                                       {'login': user, 'password': 'wrong-%dX' % i}).status)
        ts = [threading.Thread(target=guess, args=(i,)) for i in range(8)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        n = int(sql("SELECT failures FROM login_failures WHERE k = @p1",
                    'p:%s|127.0.0.22' % user)[0][0])
        self.assertEqual(n, results.count(422))
        self.assertGreaterEqual(results.count(429), 1)
        sql("DELETE FROM login_failures WHERE k LIKE '%127.0.0.22'")

    def test_parallel_right_logins_are_not_guesses(self):
        # attempts of one login from one address take turns: a burst of
        # logins with the right password (several tabs, a script) all get in
        user = uniq('burst')
        ctl('admin', 'add', user, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        results = []

        def one(i):
            b = Browser(source='127.0.0.23')
            results.append(b.post_form('/login', '/login',
                                       {'login': user, 'password': STRONG_PASSWORD},
                                       follow=False).status)
        ts = [threading.Thread(target=one, args=(i,)) for i in range(12)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        self.assertEqual(results, [303] * 12)
        self.assertEqual(sql("SELECT COUNT(*) FROM login_failures WHERE k IN (@p1, @p2)",
                             'u:' + user, 'p:%s|127.0.0.23' % user)[0][0], '0')
        sql("DELETE FROM login_failures WHERE k LIKE '%127.0.0.23'")

    def test_address_throttle_is_per_client(self):
        # an address slows down later than a login (an office shares one)
        b = Browser(source='127.0.0.15')
        for i in range(20):
            b.post_form('/login', '/login', {'login': uniq('nob'), 'password': 'x-%d1' % i})
        r = b.post_form('/login', '/login', {'login': env('POSTBUS_ADMIN_USER'),
                                             'password': env('POSTBUS_ADMIN_PASSWORD')})
        self.assertEqual(r.status, 429)
        # another address is not affected
        Browser(source='127.0.0.16').login()
        sql("DELETE FROM login_failures WHERE k = 'a:127.0.0.15'")


class Sessions(unittest.TestCase):
    def test_logout_invalidates_server_side(self):
        b = Browser()
        b.login()
        token = b.cookies['__Host-postbus_session']
        r = b.logout()
        self.assertIn('logged out', r.text)
        self.assertEqual(sql("SELECT COUNT(*) FROM sessions WHERE token_hash = "
                             "UNHEX(SHA2(@p1, 256))", token)[0][0], '0')
        # replaying the old cookie gets nothing
        c = Browser()
        c.cookies['__Host-postbus_session'] = token
        r = c.get('/home', follow=False)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header('Location'), '/login')

    def test_idle_session_expires(self):
        b = Browser()
        b.login()
        token = b.cookies['__Host-postbus_session']
        sql("UPDATE sessions SET last_seen = NOW() - INTERVAL 2 HOUR WHERE token_hash = "
            "UNHEX(SHA2(@p1, 256))", token)
        r = b.get('/home', follow=False)
        self.assertEqual(r.status, 303)
        self.assertEqual(sql("SELECT COUNT(*) FROM sessions WHERE token_hash = "
                             "UNHEX(SHA2(@p1, 256))", token)[0][0], '0')

    def test_forged_cookies(self):
        for value in ('0' * 64, 'x', "'; DROP TABLE sessions; --", 'a' * 5000):
            c = Browser()
            c.cookies['__Host-postbus_session'] = value
            r = c.get('/home', follow=False)
            self.assertIn(r.status, (303, 400))
        self.assertGreaterEqual(int(sql("SELECT COUNT(*) FROM panel_users")[0][0]), 1)

    def test_password_change_ends_sessions(self):
        user = uniq('pwc')
        ctl('admin', 'add', user, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        b = Browser()
        b.login(user, STRONG_PASSWORD)
        ctl('admin', 'passwd', user, '--password-stdin', stdin='Nw5tRq8zYp\n')
        self.assertEqual(b.get('/home', follow=False).status, 303)
        Browser().login(user, 'Nw5tRq8zYp')


class Csrf(unittest.TestCase):
    def test_logout_without_token_is_refused(self):
        b = Browser()
        b.login()
        r = b.post('/logout', {}, follow=False)
        self.assertEqual(r.status, 403)
        r = b.post('/logout', {'csrf': '0' * 64}, follow=False)
        self.assertEqual(r.status, 403)
        # still logged in: nothing changed
        self.assertEqual(b.get('/home').status, 200)

    def test_login_without_token_is_refused(self):
        b = Browser(source='127.0.0.17')
        b.get('/login')
        r = b.post('/login', {'login': env('POSTBUS_ADMIN_USER'),
                              'password': env('POSTBUS_ADMIN_PASSWORD')}, follow=False)
        self.assertEqual(r.status, 403)
        self.assertNotIn('__Host-postbus_session', b.cookies)

    def test_token_of_another_session_is_refused(self):
        a, b = Browser(), Browser()
        a.login()
        b.login()
        token_a = a.get('/home').csrf()
        r = b.post('/logout', {'csrf': token_a}, follow=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(b.get('/home').status, 200)


class Requests(unittest.TestCase):
    def test_security_headers_everywhere(self):
        b = Browser()
        pages = [b.get('/login'), b.get('/nonexistent'), b.get('/static/postbus.css')]
        b.login()
        pages += [b.get('/home'), b.get('/nonexistent')]
        for r in pages:
            for k, v in SECURITY_HEADERS.items():
                self.assertEqual(r.header(k), v, (k, r))
            csp = r.header('Content-Security-Policy') or ''
            self.assertIn("default-src 'none'", csp)
            self.assertNotIn('unsafe-inline', csp)
            self.assertIn('max-age=', r.header('Strict-Transport-Security') or '')

    def test_unknown_page_404_and_method_405(self):
        b = Browser()
        self.assertEqual(b.get('/no/such/page').status, 404)
        r = b.request('PUT', '/login')
        self.assertEqual(r.status, 405)
        r = b.request('POST', '/home', body={'x': '1'})
        self.assertIn(r.status, (403, 405))

    def test_invalid_utf8_is_refused(self):
        b = Browser(source='127.0.0.18')
        b.get('/login')
        r = b.request('POST', '/login', raw_body=b'login=%C3%28&password=x&csrf=1',
                      headers={'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertEqual(r.status, 400)
        self.assertIn('UTF-8', r.text)
        r = b.get('/login?q=%FF')
        self.assertEqual(r.status, 400)

    def test_overlong_and_oversized_input(self):
        b = Browser(source='127.0.0.19')
        r = b.post_form('/login', '/login', {'login': 'a' * 300, 'password': 'x'})
        self.assertEqual(r.status, 422)
        self.assertIn('too long', r.text)
        big = b'login=' + b'a' * (300 * 1024) + b'&password=x'
        r = b.request('POST', '/login', raw_body=big,
                      headers={'Content-Type': 'application/x-www-form-urlencoded'})
        self.assertIn(r.status, (400, 413))

    def test_wrong_content_type(self):
        b = Browser(source='127.0.0.20')
        b.get('/login')
        r = b.request('POST', '/login', raw_body=b'{"login": "admin"}',
                      headers={'Content-Type': 'application/json'})
        self.assertEqual(r.status, 400)

    def test_static_files_served_by_nginx(self):
        b = Browser()
        r = b.get('/static/postbus.css')
        self.assertEqual(r.status, 200)
        self.assertIn('text/css', r.header('Content-Type'))
        self.assertEqual(b.get('/static/../postbus.conf').status, 404)


class DomainAccess(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.a, cls.b = uniq('owna'), uniq('ownb')
        cls.da = cls.a + '.example'
        cls.db = cls.b + '.example'
        cls.ida = make_domain(cls.da, cls.a + 'x', owner=cls.a,
                              description='<script>alert(1)</script>"\'><img src=x onerror=alert(2)>')
        cls.idb = make_domain(cls.db, cls.b + 'x', owner=cls.b)

    def test_owner_sees_own_domain(self):
        b = Browser()
        b.login(self.a, STRONG_PASSWORD)
        r = b.get('/home')
        self.assertEqual(r.status, 200)
        self.assertIn('Virtual Server Information', r.text)
        self.assertIn(self.da, r.text)
        self.assertIn('Recommended', r.text)
        self.assertIn('0 out of 10', r.text)
        self.assertNotIn(self.db, r.text)

    def test_owner_cannot_reach_other_domain(self):
        b = Browser()
        b.login(self.a, STRONG_PASSWORD)
        r = b.get('/home?d=%s' % self.idb)
        self.assertIn(r.status, (403, 404))
        self.assertNotIn(self.db, r.text)
        for bad in ('0', '-1', '99999999', 'abc', "1' OR '1'='1", '1e3'):
            r = b.get('/home?d=' + bad.replace(' ', '%20').replace("'", '%27'))
            self.assertIn(r.status, (200, 403, 404), bad)
            self.assertNotIn(self.db, r.text)

    def test_hostile_description_is_escaped(self):
        b = Browser()
        b.login(self.a, STRONG_PASSWORD)
        r = b.get('/home?d=%s' % self.ida)
        self.assertEqual(r.status, 200)
        self.assertNotIn('<script>alert(1)', r.text)
        self.assertNotIn('<img src=x', r.text)
        self.assertIn('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x', r.text)

    def test_superuser_sees_both(self):
        b = Browser()
        b.login()
        r = b.get('/home?q=' + self.a)
        self.assertIn(self.da, r.text)
        self.assertEqual(b.get('/home?d=%s' % self.idb).status, 200)

    def test_support_sees_every_domain(self):
        s = uniq('sup')
        ctl('admin', 'add', s, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        b = Browser()
        b.login(s, STRONG_PASSWORD)
        self.assertEqual(b.get('/home?d=%s' % self.ida).status, 200)
        self.assertEqual(b.get('/home?d=%s' % self.idb).status, 200)


class Workers(unittest.TestCase):
    def test_killed_worker_is_replaced(self):
        state = env('POSTBUS_STATE')
        master = open(state + '/run/postbus.pid').read().strip()
        kids = subprocess.run(['pgrep', '-P', master], capture_output=True,
                              text=True).stdout.split()
        self.assertGreaterEqual(len(kids), 1)
        subprocess.run(['kill', '-KILL', kids[0]])
        time.sleep(0.5)
        for _ in range(20):
            now = subprocess.run(['pgrep', '-P', master], capture_output=True,
                                 text=True).stdout.split()
            if len(now) == len(kids) and kids[0] not in now:
                break
            time.sleep(0.2)
        self.assertEqual(len(now), len(kids))
        self.assertNotIn(kids[0], now)
        # the panel still answers, many times in parallel
        results = []

        def hit():
            results.append(Browser().get('/login').status)
        ts = [threading.Thread(target=hit) for _ in range(20)]
        [t.start() for t in ts]
        [t.join() for t in ts]
        self.assertEqual(results, [200] * 20)

    def test_workers_run_unprivileged(self):
        state = env('POSTBUS_STATE')
        master = open(state + '/run/postbus.pid').read().strip()
        kids = subprocess.run(['pgrep', '-P', master], capture_output=True,
                              text=True).stdout.split()
        for pid in [master] + kids:
            user = subprocess.run(['ps', '-o', 'user=', '-p', pid], capture_output=True,
                                  text=True).stdout.strip()
            self.assertEqual(user, 'postbus')


class Cli(unittest.TestCase):
    def test_admin_lifecycle_and_exit_codes(self):
        u = uniq('cli')
        out = ctl_json('admin', 'add', u, '--role', 'reseller', '--max-domains', '3')
        self.assertEqual(out['login'], u)
        self.assertRegex(out['password'], r'^[A-Za-z0-9]{16}$')
        Browser().login(u, out['password'])
        users = ctl_json('admin', 'list')
        me = [x for x in users if x['login'] == u][0]
        self.assertEqual(me['role'], 'reseller')
        self.assertEqual(me['max_domains'], 3)
        # duplicates, weak passwords, unknown roles: refused with a code
        self.assertEqual(ctl('admin', 'add', u, '--role', 'support', check=False).returncode, 3)
        p = ctl('admin', 'add', uniq('weak'), '--role', 'support', '--password-stdin',
                stdin='password\n', check=False)
        self.assertEqual(p.returncode, 3)
        self.assertIn('password', p.stderr)
        self.assertEqual(ctl('admin', 'add', uniq('r'), '--role', 'king', check=False).returncode, 2)
        self.assertEqual(ctl('admin', 'delete', 'nobody' + uniq(), check=False).returncode, 4)
        # a reseller may not create staff
        p = ctl('admin', 'add', uniq('x'), '--role', 'support', as_user=u, check=False)
        self.assertEqual(p.returncode, 5)
        ctl('admin', 'delete', u)
        self.assertFalse([x for x in ctl_json('admin', 'list') if x['login'] == u])

    def test_last_superuser_cannot_be_deleted(self):
        supers = [x for x in ctl_json('admin', 'list') if x['role'] == 'superuser']
        if len(supers) == 1:
            p = ctl('admin', 'delete', supers[0]['login'], check=False)
            self.assertEqual(p.returncode, 3)
            self.assertIn('last superuser', p.stderr)

    def test_plans_exist(self):
        plans = {p['name']: p for p in ctl_json('plan', 'list')}
        self.assertEqual(plans['Light']['max_mailboxes'], 1)
        self.assertEqual(plans['Recommended']['max_mailboxes'], 10)
        self.assertEqual(plans['Extended']['max_mailboxes'], 100)
        self.assertEqual(plans['Recommended']['mail_quota'], 30 * 1024 ** 3)

    def test_migrate_is_idempotent(self):
        p = subprocess.run([env('POSTBUS_CTL'), '-c', env('POSTBUS_STATE') + '/admin.conf',
                            'db', 'migrate'], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn('up to date', p.stdout)

    def test_every_change_is_audited_without_secrets(self):
        u = uniq('aud')
        ctl('admin', 'add', u, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        rows = sql("SELECT actor, client, action, IFNULL(new_value,'') FROM audit_log "
                   "WHERE object = @p1", u)
        self.assertIn(['root', 'cli', 'user.create', 'role=support'], rows)
        dump = sql("SELECT CONCAT_WS('|', object, old_value, new_value) FROM audit_log")
        for row in dump:
            self.assertNotIn(STRONG_PASSWORD, row[0])
            self.assertNotIn('$y$', row[0])


if __name__ == '__main__':
    unittest.main()


def routes():
    """Every (method, path) in the route tables of cgi-bin/page_*.c."""
    import glob
    import os
    import re
    found = set()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for f in glob.glob(os.path.join(root, 'cgi-bin', 'page_*.c')):
        for m in re.finditer(r'\{\s*"(GET|POST)",\s*"(/[^"]*)"', open(f).read()):
            found.add((m.group(1), m.group(2)))
    return sorted(found)


class Robustness(unittest.TestCase):
    """No request, however empty or hostile, makes a worker fail."""

    HOSTILE = {'d': "1' OR 1=1 --", 'id': '-1', 'page': '99999999999999999999',
               'login': '', 'name': '<script>x</script>', 'q': '%', 'sort': '../../',
               'plan': 'x', 'quota': '-5 GB', 'sel': ['x', '1e9'], 'role': 'superuser'}

    def setUp(self):
        self.b = Browser()
        self.b.login()
        self.token = self.b.get('/home').csrf()

    def assert_alive(self, r, what):
        self.assertLess(r.status, 500, '%s: %d %s' % (what, r.status, r.text[:200]))

    def test_every_post_with_no_fields(self):
        for method, path in routes():
            if method != 'POST' or path == '/logout':
                continue
            r = self.b.post(path, {'csrf': self.token}, follow=False)
            self.assert_alive(r, 'POST %s empty' % path)

    def test_every_post_with_hostile_fields(self):
        for method, path in routes():
            if method != 'POST' or path == '/logout':
                continue
            f = dict(self.HOSTILE)
            f['csrf'] = self.token
            r = self.b.post(path + '?d=1%27&id=x', f, follow=False)
            self.assert_alive(r, 'POST %s hostile' % path)

    def test_every_get_with_hostile_query(self):
        import urllib.parse
        q = urllib.parse.urlencode(self.HOSTILE, doseq=True)
        logfile = env('POSTBUS_STATE') + '/log/postbus.log'
        start = os.path.getsize(logfile)    # other tests kill workers on purpose
        for method, path in routes():
            if method != 'GET':
                continue
            self.assert_alive(self.b.get(path, follow=False), 'GET %s' % path)
            self.assert_alive(self.b.get(path + '?' + q, follow=False), 'GET %s hostile' % path)
        with open(logfile) as f:
            f.seek(start)
            self.assertNotIn('killed by signal', f.read())
