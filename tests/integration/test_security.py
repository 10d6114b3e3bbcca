"""Security rules of the staff side, each seen from outside.

Plans a reseller may give and change, reserved and foreign domain names,
the plan row locked while a domain changes plan, the creator kept by id,
exact mailbox look-ups on the password page, no text from a link shown as
the panel's own, __Host- cookies, and database errors shown as 503 pages
rather than as empty lists or bad input.
"""
import html
import os
import re
import subprocess
import tempfile
import time
import unittest

from pbtest import Browser, ctl, ctl_json, env, sql, uniq, STRONG_PASSWORD


def staff(role):
    login = uniq(role[:3])
    ctl('admin', 'add', login, '--role', role, '--password-stdin',
        stdin=STRONG_PASSWORD + '\n')
    return login


def browser_as(login):
    b = Browser()
    b.login(login, STRONG_PASSWORD)
    return b


def user_id(login):
    return sql("SELECT id FROM panel_users WHERE login = @p1", login)[0][0]


def domain_id(name):
    rows = sql("SELECT id FROM domains WHERE live_name = @p1", name)
    return rows[0][0] if rows else None


def plan_id(name):
    return sql("SELECT id FROM plans WHERE name = @p1", name)[0][0]


def plan_of(did):
    return sql("SELECT plan_id FROM domains WHERE id = @p1", did)[0][0]


def fields(name, plan, **kw):
    f = {'name': name, 'prefix': '', 'plan': plan, 'description': 'x',
         'contact': 'contact@example.org', 'owner_mode': 'new',
         'owner_login': uniq('own'), 'owner_password': STRONG_PASSWORD,
         'owner_password2': STRONG_PASSWORD}
    f.update(kw)
    return f


def add_domain(name, as_user=None, plan='Recommended'):
    args = ['domain', 'add', name, '--plan', plan, '--new-owner', uniq('own'),
            '--password-stdin', '--contact', 'c@example.org']
    ctl(*args, stdin=STRONG_PASSWORD + '\n', as_user=as_user)
    return domain_id(name)


def add_plan(as_user=None, max_mailboxes='10'):
    name = uniq('Plan')
    ctl('plan', 'add', name, '--max-mailboxes', max_mailboxes,
        as_user=as_user)
    return name, plan_id(name)


def main(text):
    return text.split('<main', 1)[-1]


def plan_options(text):
    m = re.search(r'<select[^>]*name="plan".*?</select>', text, re.S)
    return m.group(0) if m else ''


class ResellerPlans(unittest.TestCase):
    """H1: a reseller gives only shared plans and its own."""

    @classmethod
    def setUpClass(cls):
        cls.a, cls.b_login = staff('reseller'), staff('reseller')
        cls.a_plan, cls.a_plan_id = add_plan(as_user=cls.a)
        cls.b_plan, cls.b_plan_id = add_plan(as_user=cls.b_login)
        cls.br = browser_as(cls.a)

    def test_selector_lists_shared_and_own_plans_only(self):
        sel = plan_options(self.br.get('/domain/new').text)
        self.assertIn('Recommended', sel)
        self.assertIn(self.a_plan, sel)
        self.assertNotIn(self.b_plan, sel)
        # the plans page neither shows another reseller's plan
        self.assertNotIn(self.b_plan, self.br.get('/plans').text)
        # and its edit page is not there at all
        self.assertEqual(self.br.get('/plan/edit?id=%s' % self.b_plan_id).status,
                         404)

    def test_create_with_another_resellers_plan_is_refused_in_lib(self):
        name = uniq('h1c') + '.be'
        r = self.br.post_form('/domain/new', '/domain/new',
                              fields(name, self.b_plan_id))
        self.assertEqual(r.status, 422, r.text[:300])
        self.assertIn('not a valid choice', r.field_error('plan') or '')
        self.assertIsNone(domain_id(name))
        # the same through postbusctl: the plan is not even found
        p = ctl('--as', self.a, 'domain', 'add', name, '--plan', self.b_plan,
                '--new-owner', uniq('own'), '--password-stdin',
                stdin=STRONG_PASSWORD + '\n', check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIsNone(domain_id(name))
        # its own plan and a shared one are fine
        r = self.br.post_form('/domain/new', '/domain/new',
                              fields(name, self.a_plan_id))
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(plan_of(domain_id(name)), self.a_plan_id)

    def test_edit_to_another_resellers_plan_is_refused(self):
        name = uniq('h1e') + '.be'
        did = add_domain(name, as_user=self.a)
        before = plan_of(did)
        r = self.br.post_form('/domain/edit?d=%s' % did, '/domain/edit?d=%s' % did,
                              {'d': did, 'plan': self.b_plan_id,
                               'description': 'x', 'contact': 'c@example.org'})
        self.assertEqual(r.status, 422)
        self.assertIn('not a valid choice', r.field_error('plan') or '')
        self.assertEqual(plan_of(did), before)

    def test_a_plan_given_by_the_superuser_is_kept(self):
        name = uniq('h1k') + '.be'
        did = add_domain(name, as_user=self.a)
        ctl('domain', 'edit', name, '--plan', self.b_plan)
        r = self.br.get('/domain/edit?d=%s' % did)
        self.assertIn(self.b_plan, plan_options(r.text))
        r = self.br.post_form('/domain/edit?d=%s' % did, '/domain/edit?d=%s' % did,
                              {'d': did, 'plan': self.b_plan_id,
                               'description': 'kept', 'contact': 'c@example.org'})
        self.assertEqual(r.status, 200, r.text[:300])
        self.assertEqual(sql("SELECT description, plan_id FROM domains WHERE id = @p1",
                             did)[0], ['kept', self.b_plan_id])

    def test_plan_used_by_domains_out_of_reach_is_not_changed(self):
        plan, pid = add_plan(as_user=self.a)
        secret = uniq('hidden') + '.be'
        add_domain(secret, plan=plan)          # the superuser's domain
        mine = uniq('mine') + '.be'
        add_domain(mine, as_user=self.a, plan=plan)
        r = self.br.post_form('/plan/edit?id=%s' % pid, '/plan/edit?id=%s' % pid,
                              {'id': pid, 'name': plan, 'mail_quota': '30 GB',
                               'max_mailboxes': '11', 'default_mailbox_quota': '3 GB',
                               'max_message_size': '12 MB'})
        self.assertEqual(r.status, 403, r.text[:300])
        self.assertIn('used by 1 virtual server(s) you cannot manage',
                      html.unescape(r.text))
        self.assertNotIn(secret, r.text)
        self.assertNotIn(secret.split('.')[0], r.text)
        self.assertEqual(sql("SELECT max_mailboxes FROM plans WHERE id = @p1",
                             pid)[0][0], '10')
        p = ctl('--as', self.a, 'plan', 'edit', plan, '--max-mailboxes', '12',
                check=False)
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertNotIn(secret, p.stderr + p.stdout)
        # the superuser may
        ctl('plan', 'edit', plan, '--max-mailboxes', '12')
        self.assertEqual(sql("SELECT max_mailboxes FROM plans WHERE id = @p1",
                             pid)[0][0], '12')


class ReservedNames(unittest.TestCase):
    """H2: the server's own names, the reserved list, others' domains."""

    @classmethod
    def setUpClass(cls):
        cls.res = staff('reseller')
        cls.br = browser_as(cls.res)

    def refused(self, name, words):
        r = self.br.post_form('/domain/new', '/domain/new', fields(name, '2'))
        self.assertEqual(r.status, 422, name)
        self.assertIn(words, r.field_error('name') or '', name)
        self.assertIsNone(domain_id(name))

    def test_special_use_names_are_refused(self):
        for name in ('shop.localhost', 'printer.local', uniq('x') + '.invalid',
                     '1.0.0.127.in-addr.arpa'):
            self.refused(name, 'cannot be a virtual server')

    def ctl_with(self, conf_lines, *args):
        """postbusctl with the stack's config plus conf_lines."""
        with open(env('POSTBUS_CONF')) as fp:
            text = fp.read()
        keys = {l.split('=', 1)[0].strip() for l in conf_lines}
        text = '\n'.join(l for l in text.splitlines()
                         if l.split('=', 1)[0].strip() not in keys)
        fd, path = tempfile.mkstemp(prefix='pbconf')
        try:
            with os.fdopen(fd, 'w') as fp:
                fp.write(text + '\n' + '\n'.join(conf_lines) + '\n')
            return subprocess.run([env('POSTBUS_CTL'), '-c', path] + list(args),
                                  input=STRONG_PASSWORD + '\n',
                                  capture_output=True, text=True)
        finally:
            os.unlink(path)

    def test_hostname_and_its_parents_and_children_are_refused(self):
        base = uniq('hoster') + '.be'
        conf = ['hostname = mail.%s' % base]
        for name in (base, 'mail.' + base, 'webmail.mail.' + base):
            p = self.ctl_with(conf, 'domain', 'add', name, '--plan', 'Light',
                              '--new-owner', uniq('own'), '--password-stdin')
            self.assertEqual(p.returncode, 3, name + ': ' + p.stderr)
            self.assertIn("mail server's own name", p.stderr)
            self.assertIsNone(domain_id(name))
        # a sibling is not the server's name
        p = self.ctl_with(conf, 'domain', 'add', 'shop.' + base, '--plan',
                          'Light', '--new-owner', uniq('own'),
                          '--password-stdin', '--contact', 'c@example.org')
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_configured_reserved_names(self):
        corp = uniq('corp') + '.be'
        conf = ['reserved_domains = localhost, %s' % corp]
        for name in (corp, 'shop.' + corp):
            p = self.ctl_with(conf, 'domain', 'add', name, '--plan', 'Light',
                              '--new-owner', uniq('own'), '--password-stdin')
            self.assertEqual(p.returncode, 3, name + ': ' + p.stderr)
            self.assertIn('reserved', p.stderr)

    def test_no_subdomain_of_another_customers_domain(self):
        other = staff('reseller')
        theirs = uniq('theirs') + '.be'
        add_domain(theirs, as_user=other)
        self.refused('shop.' + theirs, 'do not manage')
        self.refused('a.b.' + theirs, 'do not manage')
        p = ctl('--as', self.res, 'domain', 'add', 'cli.' + theirs, '--plan',
                'Light', '--new-owner', uniq('own'), '--password-stdin',
                stdin=STRONG_PASSWORD + '\n', check=False)
        self.assertEqual(p.returncode, 3, p.stderr)
        # its own reseller may, and so may the superuser
        add_domain('shop.' + theirs, as_user=other)
        add_domain('admin.' + theirs)
        # and a reseller below its own domain
        mine = uniq('mine') + '.be'
        add_domain(mine, as_user=self.res)
        r = self.br.post_form('/domain/new', '/domain/new',
                              fields('shop.' + mine, '2'))
        self.assertEqual(r.status, 200, r.text[:300])


class PlanLockedOnEdit(unittest.TestCase):
    """M5: a domain's plan change waits for a plan edit in progress and is
    checked against what that edit saved."""

    def test_plan_change_is_checked_under_the_plan_lock(self):
        plan, pid = add_plan(max_mailboxes='10')
        name = uniq('lock') + '.be'
        add_domain(name, plan='Extended')
        for i in range(2):
            ctl('mailbox', 'add', name, '--local', 'u%d' % i,
                '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        # a plan edit that holds the plan row for a moment, then lowers it
        script = ("BEGIN; SELECT id FROM plans WHERE id = %s FOR UPDATE; "
                  "SELECT SLEEP(2); UPDATE plans SET max_mailboxes = 1 "
                  "WHERE id = %s; COMMIT;" % (int(pid), int(pid)))
        edit = subprocess.Popen(
            ['mariadb', '--no-defaults', '-uroot',
             '--socket=' + env('POSTBUS_DB_SOCKET'), '-N', '-B',
             env('POSTBUS_DB_NAME', 'postbus'), '-e', script],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            time.sleep(0.5)
            t = time.monotonic()
            p = ctl('domain', 'edit', name, '--plan', plan, check=False)
            waited = time.monotonic() - t
        finally:
            edit.wait(30)
        self.assertGreater(waited, 0.8, 'the domain edit did not wait')
        self.assertEqual(p.returncode, 3, p.stdout + p.stderr)
        self.assertIn('mailboxes', p.stderr)
        self.assertNotEqual(plan_of(domain_id(name)), pid)


class CreatorById(unittest.TestCase):
    """L2: the creator is kept by id and shown by its current login."""

    def test_creator_id_and_old_rows(self):
        res = staff('reseller')
        name = uniq('cby') + '.be'
        did = add_domain(name, as_user=res)
        self.assertEqual(sql("SELECT created_by_id FROM domains WHERE id = @p1",
                             did)[0][0], user_id(res))
        b = Browser()
        b.login()
        # the page shows the login of the row, not the stored text
        sql("UPDATE domains SET created_by = 'someoneelse' WHERE id = @p1", did)
        r = b.get('/domain?d=%s' % did)
        self.assertIn(res, main(r.text))
        self.assertNotIn('someoneelse', r.text)
        # a row from before (no id) still shows its text
        sql("UPDATE domains SET created_by_id = NULL, created_by = 'oldlogin' "
            "WHERE id = @p1", did)
        self.assertIn('oldlogin', main(b.get('/domain?d=%s' % did).text))
        self.assertEqual(ctl_json('domain', 'show', name)['created_by'],
                         'oldlogin')
        # root (postbusctl without --as) has no row
        root = uniq('root') + '.be'
        did = add_domain(root)
        self.assertEqual(sql("SELECT IFNULL(created_by_id, 'none'), created_by "
                             "FROM domains WHERE id = @p1", did)[0],
                         ['none', 'root'])


    def test_owner_choices_follow_the_creator_row_not_its_name(self):
        # a reseller's owner logins are those it made; a reseller deleted
        # and made again under the same login does not inherit them
        res = staff('reseller')
        owner = uniq('own')
        ctl('--as', res, 'admin', 'add', owner, '--role', 'owner',
            '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        self.assertEqual(sql("SELECT created_by_id FROM panel_users WHERE login = @p1",
                             owner)[0][0], user_id(res))
        self.assertIn('>%s</option>' % owner, browser_as(res).get('/domain/new').text)
        ctl('admin', 'delete', res)
        ctl('admin', 'add', res, '--role', 'reseller', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        b = browser_as(res)
        self.assertNotIn('>%s</option>' % owner, b.get('/domain/new').text)
        # nor can it give a domain to that owner by typing its id
        r = b.post_form('/domain/new', '/domain/new', {
            'name': uniq('inh') + '.be', 'plan': sql(
                "SELECT id FROM plans WHERE name = 'Light'")[0][0],
            'contact': 'c@example.org', 'owner_mode': 'existing',
            'owner': user_id(owner)})
        self.assertEqual(r.status, 422, r.text[:300])
        self.assertEqual(sql("SELECT COUNT(*) FROM user_domains ud JOIN panel_users u "
                             "ON u.id = ud.user_id WHERE u.login = @p1", owner)[0][0], '0')


class ExactMailboxOnPasswordPage(unittest.TestCase):
    """L3: a typed address is looked up exactly."""

    def test_address_is_matched_exactly(self):
        name = uniq('pw') + '.be'
        did = add_domain(name)
        logins = {}
        for local in ('ainfo', 'binfo', 'info'):
            m = ctl_json('mailbox', 'add', name, '--local', local,
                         '--password-stdin', stdin=STRONG_PASSWORD + '\n')
            logins[local] = m['login']
        b = Browser()
        b.login()
        page = '/passwords?d=%s' % did
        r = b.post_form(page, page, {'d': did, 'mailbox': 'info@' + name,
                                     'password': 'Zq7xNm4pRt',
                                     'password2': 'Zq7xNm4pRt'})
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertIn('The password of %s has been changed' % logins['info'],
                      r.text)
        for which in ('nfo@' + name, '%info@' + name, '_info@' + name,
                      'info@' + name[:-1], 'INFO@' + name.upper() + 'x'):
            r = b.post_form(page, page, {'d': did, 'mailbox': which,
                                         'password': 'Zq7xNm4pRt',
                                         'password2': 'Zq7xNm4pRt'})
            self.assertEqual(r.status, 422, which)
            self.assertIn('No such mailbox', r.text, which)

    def test_changed_notice_names_only_a_mailbox_of_the_domain(self):
        name = uniq('pn') + '.be'
        did = add_domain(name)
        b = Browser()
        b.login()
        for who in ('admin', 'ceo', uniq('nobody')):
            r = b.get('/passwords?d=%s&changed=%s' % (did, who))
            self.assertEqual(r.status, 200)
            self.assertNotIn('The password of', r.text)


class NoTextFromLinks(unittest.TestCase):
    """L4: the list page does not show a name that a link carries."""

    def test_deleted_notice_does_not_echo_the_link(self):
        b = Browser()
        b.login()
        bait = 'Your account is suspended, call 0800 1234'
        r = b.get('/domains?done=deleted&name=' + bait.replace(' ', '+'))
        self.assertEqual(r.status, 200)
        self.assertNotIn('suspended', r.text)
        self.assertNotIn('call 0800', r.text)   # (bare digits may occur in a token)
        self.assertIn('has been deleted', r.text)


class HostCookies(unittest.TestCase):
    """L7: every cookie is a __Host- cookie, and only those are read."""

    def test_cookies_have_the_host_prefix(self):
        b = Browser()
        r = b.get('/login')
        pre = r.all_headers('Set-Cookie')
        self.assertTrue(pre)
        token = r.csrf()
        r = b.post('/login', {'csrf': token, 'login': env('POSTBUS_ADMIN_USER'),
                              'password': env('POSTBUS_ADMIN_PASSWORD')},
                   follow=False)
        for c in pre + r.all_headers('Set-Cookie'):
            self.assertTrue(c.startswith('__Host-'), c)
            attrs = [a.strip().lower() for a in c.split(';')[1:]]
            self.assertIn('secure', attrs, c)
            self.assertIn('path=/', attrs, c)
            self.assertFalse(any(a.startswith('domain') for a in attrs), c)
        self.assertIn('__Host-postbus_session', b.cookies)

    def test_a_cookie_without_the_prefix_is_not_read(self):
        b = Browser()
        b.login()
        token = b.cookies['__Host-postbus_session']
        c = Browser()
        c.cookies['postbus_session'] = token
        r = c.get('/home', follow=False)
        self.assertEqual(r.status, 303)
        self.assertEqual(r.header('Location'), '/login')


class DatabaseErrorsAre503(unittest.TestCase):
    """L8: a failing query is a 503 page, never an empty list or bad input."""

    def without_select_on_domains(self, fn, but=None):
        """fn() while the panel may not read domains (but the columns in
        but, if any)."""
        user = "'postbus_panel'@'localhost'"
        table = '`%s`.domains' % env('POSTBUS_DB_NAME', 'postbus')
        cols = ', '.join(but or [])
        sql("REVOKE SELECT ON %s FROM %s" % (table, user))
        if cols:
            sql("GRANT SELECT (%s) ON %s TO %s" % (cols, table, user))
        try:
            return fn()
        finally:
            if cols:
                sql("REVOKE SELECT (%s) ON %s FROM %s" % (cols, table, user))
            sql("GRANT SELECT ON %s TO %s" % (table, user))

    def test_sidebar_selector(self):
        b = Browser()
        b.login()
        self.assertEqual(b.get('/admins').status, 200)
        r = self.without_select_on_domains(lambda: b.get('/admins'))
        self.assertEqual(r.status, 503, r.text[:300])
        self.assertEqual(b.get('/admins').status, 200)

    def test_prefix_suggestion(self):
        b = Browser()
        b.login()
        token = b.get('/domain/new').csrf()
        f = fields(uniq('sg') + '.be', '2', suggest='1', csrf=token)
        # every column but the prefix: only the look-up of free prefixes fails
        cols = [c for (c,) in sql(
            "SELECT column_name FROM information_schema.columns WHERE "
            "table_schema = DATABASE() AND table_name = 'domains' AND "
            "column_name <> 'prefix'")]
        r = self.without_select_on_domains(
            lambda: b.post('/domain/new', f), but=cols)
        self.assertEqual(r.status, 503, r.text[:300])
        self.assertNotIn('No prefix could be made', r.text)


if __name__ == '__main__':
    unittest.main()
