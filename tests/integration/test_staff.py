"""Staff side: plans, virtual servers, panel logins, quotas, audit log.

Limits, bad input (the same form again with the message next to the field,
4xx, the other fields kept, nothing changed), hostile strings shown
escaped, tampered hidden fields, IDN names, role aliases, audit entries,
and the postbusctl commands with their exit codes.
"""
import html
import re
import unittest

from pbtest import Browser, ctl, ctl_json, env, sql, uniq, STRONG_PASSWORD

HOSTILE = ['<script>alert(1)</script>', '"\'><img src=x onerror=x>']


def staff(role, max_domains=None):
    login = uniq(role[:3])
    args = ['admin', 'add', login, '--role', role, '--password-stdin']
    if max_domains is not None:
        args += ['--max-domains', str(max_domains)]
    ctl(*args, stdin=STRONG_PASSWORD + '\n')
    return login


def browser_as(login):
    b = Browser()
    b.login(login, STRONG_PASSWORD)
    return b


def counts():
    """A snapshot of what a refused action must not change."""
    return sql("SELECT (SELECT COUNT(*) FROM domains), (SELECT COUNT(*) FROM "
               "plans), (SELECT COUNT(*) FROM panel_users), (SELECT COUNT(*) "
               "FROM aliases), (SELECT COUNT(*) FROM addresses), (SELECT "
               "COUNT(*) FROM audit_log WHERE action NOT LIKE 'login%%'), "
               "(SELECT IFNULL(SUM(plan_id + active + IFNULL(mail_quota, 0)), 0) "
               "FROM domains), (SELECT IFNULL(SUM(CRC32(CONCAT_WS(',', name, "
               "IFNULL(mail_quota, 'u'), IFNULL(max_mailboxes, 'u')))), 0) "
               "FROM plans)")[0]


def domain_fields(name, plan='2', **kw):
    f = {'name': name, 'prefix': '', 'plan': plan, 'description': 'Monsite',
         'contact': 'contact@example.org', 'owner_mode': 'new',
         'owner_login': uniq('own'), 'owner_password': STRONG_PASSWORD,
         'owner_password2': STRONG_PASSWORD}
    f.update(kw)
    return f


def main(text):
    """The page's own content, without the sidebar."""
    return text.split('<main', 1)[-1]


def domain_id(name):
    rows = sql("SELECT id FROM domains WHERE live_name = @p1", name)
    return rows[0][0] if rows else None


def audit_rows(action, obj):
    return sql("SELECT actor, old_value, new_value FROM audit_log WHERE "
               "action = @p1 AND object = @p2 ORDER BY id", action, obj)


class Domains(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.res = staff('reseller')
        cls.b = browser_as(cls.res)

    def create(self, b, fields):
        return b.post_form('/domain/new', '/domain/new', fields)

    def test_create_domain_with_owner_and_role_aliases(self):
        name = uniq('monsite') + '.be'
        f = domain_fields(name)
        before = int(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'domain.create'")[0][0])
        r = self.create(self.b, f)
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertIn('Virtual Server Details', r.text)
        self.assertIn(name, r.text)
        did = domain_id(name)
        row = sql("SELECT prefix, reseller_id IS NOT NULL, contact_email FROM domains WHERE id = @p1", did)[0]
        self.assertEqual(row[0], name.split('.')[0])
        self.assertEqual(row[1], '1')
        aliases = sql("SELECT a.address, d.destination, a.role FROM aliases a JOIN "
                      "alias_destinations d ON d.alias_id = a.id WHERE a.domain_id = @p1 "
                      "ORDER BY a.address", did)
        self.assertEqual([a[0] for a in aliases],
                         ['%s@%s' % (x, name) for x in ('abuse', 'hostmaster', 'postmaster', 'webmaster')])
        self.assertTrue(all(a[1] == 'contact@example.org' and a[2] == '1' for a in aliases))
        n = sql("SELECT COUNT(*) FROM addresses WHERE domain_id = @p1 AND kind = 'alias' "
                "AND alias_id IS NOT NULL", did)[0][0]
        self.assertEqual(n, '4')
        self.assertEqual(int(sql("SELECT COUNT(*) FROM audit_log WHERE action = 'domain.create'")[0][0]),
                         before + 1)
        # the new owner logs in and sees Virtual Server Information
        o = Browser()
        o.login(f['owner_login'], STRONG_PASSWORD)
        r = o.get('/home')
        self.assertIn('Virtual Server Information', r.text)
        self.assertIn(name, r.text)
        # ... and may not edit the domain
        self.assertEqual(o.get('/domain/edit?d=%s' % did).status, 403)

    def test_idn_domain_stored_in_punycode(self):
        stem = uniq('cafe')
        r = self.create(self.b, domain_fields(stem + 'é.be'))
        self.assertEqual(r.status, 200, r.text[:500])
        rows = sql("SELECT name, prefix FROM domains WHERE name LIKE @p1", 'xn--' + stem + '%')
        self.assertEqual(len(rows), 1)
        self.assertTrue(rows[0][0].startswith('xn--') and rows[0][0].endswith('.be'))
        self.assertTrue(rows[0][1].startswith(stem), rows[0][1])

    def test_prefix_suggestion_is_shown(self):
        name = uniq('suggest') + '.be'
        token = self.b.get('/domain/new').csrf()
        r = self.b.post('/domain/new', {'csrf': token, 'name': name, 'suggest': '1',
                                        'plan': '2', 'description': 'keep me'})
        self.assertEqual(r.status, 200)
        self.assertEqual(r.input_value('prefix'), name.split('.')[0])
        self.assertEqual(r.input_value('description'), 'keep me')
        self.assertIsNone(domain_id(name))

    def bad(self, fields, field, status=422):
        before = counts()
        r = self.create(self.b, fields)
        self.assertEqual(r.status, status, r.text[:800])
        self.assertIn('Create Virtual Server', r.text)
        self.assertTrue(r.field_error(field), 'no message next to %s' % field)
        # the other fields are kept, passwords never
        self.assertEqual(r.input_value('description'), fields['description'])
        self.assertIn('name="owner_password"', r.text)
        self.assertNotIn(STRONG_PASSWORD, r.text)
        self.assertEqual(counts(), before)
        return r

    def test_invalid_domain_name(self):
        for name in ('nodot', 'bad_name.be', '-x.be', 'a..be', 'x' * 70 + '.be'):
            self.bad(domain_fields(name), 'name')

    def test_duplicate_domain_name(self):
        name = uniq('dup') + '.be'
        self.assertEqual(self.create(self.b, domain_fields(name)).status, 200)
        r = self.bad(domain_fields(name.upper()), 'name')
        self.assertIn('already exists', r.field_error('name'))

    def test_prefix_taken(self):
        name = uniq('pfx') + '.be'
        self.assertEqual(self.create(self.b, domain_fields(name)).status, 200)
        prefix = sql("SELECT prefix FROM domains WHERE name = @p1", name)[0][0]
        r = self.bad(domain_fields(uniq('other') + '.be', prefix=prefix), 'prefix')
        self.assertIn('taken', r.field_error('prefix'))
        self.bad(domain_fields(uniq('other') + '.be', prefix='9bad'), 'prefix')

    def test_bad_owner_and_contact(self):
        self.bad(domain_fields(uniq('c') + '.be', contact='not-an-address'), 'contact')
        self.bad(domain_fields(uniq('c') + '.be', owner_password2='Other9pass'), 'owner_password2')
        self.bad(domain_fields(uniq('c') + '.be', owner_password='short'), 'owner_password')
        self.bad(domain_fields(uniq('c') + '.be', owner_login=env('POSTBUS_ADMIN_USER')), 'owner_login')
        name = uniq('c') + '.be'
        self.bad(domain_fields(name, contact='postmaster@' + name), 'contact')

    def test_tampered_plan_and_owner(self):
        self.bad(domain_fields(uniq('t') + '.be', plan='999999'), 'plan')
        self.bad(domain_fields(uniq('t') + '.be', plan='abc'), 'plan')
        # an owner that belongs to another reseller
        other = staff('reseller')
        ob = browser_as(other)
        of = domain_fields(uniq('oth') + '.be')
        self.assertEqual(ob.post_form('/domain/new', '/domain/new', of).status, 200)
        oid = sql("SELECT id FROM panel_users WHERE login = @p1", of['owner_login'])[0][0]
        self.bad(domain_fields(uniq('t') + '.be', owner_mode='existing', owner=oid), 'owner')

    def test_hostile_strings_escaped_everywhere(self):
        for s in HOSTILE:
            name = uniq('xss') + '.be'
            r = self.create(self.b, domain_fields(name, description=s))
            self.assertEqual(r.status, 200)
            did = domain_id(name)
            for page in ('/domain?d=%s' % did, '/domain/edit?d=%s' % did,
                         '/audit?d=%s' % did):
                t = self.b.get(page).text
                self.assertNotIn(s, t, page)
                self.assertIn(html.escape(s, quote=True).replace('&#x27;', '&#39;'), t, page)
            # hostile contact: refused, and shown escaped in the form
            r = self.bad(domain_fields(uniq('xss') + '.be', contact=s), 'contact')
            self.assertNotIn(s, r.text)

    def test_reseller_allowance(self):
        res = staff('reseller', 1)
        b = browser_as(res)
        self.assertEqual(b.post_form('/domain/new', '/domain/new',
                                     domain_fields(uniq('al') + '.be')).status, 200)
        before = counts()
        r = b.post_form('/domain/new', '/domain/new', domain_fields(uniq('al') + '.be'))
        self.assertEqual(r.status, 422)
        self.assertIn('allowance', r.text)
        self.assertEqual(counts(), before)
        p = ctl('--as', res, 'domain', 'add', uniq('al') + '.be', '--plan', 'Light',
                '--new-owner', uniq('own'), '--password-stdin', stdin=STRONG_PASSWORD + '\n',
                check=False)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(counts(), before)

    def test_list_shows_usage_and_search(self):
        name = uniq('lst') + '.be'
        self.create(self.b, domain_fields(name, plan='2'))
        r = self.b.get('/domains?q=' + name)
        self.assertEqual(r.status, 200)
        self.assertIn(name, r.text)
        self.assertIn('0 / 10', r.text)
        self.assertIn('30 GB', r.text)
        # a reseller sees only its own domains
        other = browser_as(staff('reseller'))
        self.assertNotIn('>%s</a>' % name, other.get('/domains?q=' + name).text)

    def test_edit_plan_refused_when_usage_exceeds(self):
        name = uniq('ed') + '.be'
        self.create(self.b, domain_fields(name, plan='3'))
        did = domain_id(name)
        for i in range(2):
            sql("INSERT INTO mailboxes (domain_id, login, address, pw_hash, quota, created_by) "
                "VALUES (@p1, @p2, @p3, 'x', 1073741824, 'test')", did,
                uniq('mbx'), '%s@%s' % (uniq('m'), name))
        before = counts()
        r = self.b.post_form('/domain/edit?d=%s' % did, '/domain/edit?d=%s' % did,
                             {'d': did, 'plan': '1', 'description': 'changed',
                              'contact': 'contact@example.org'})
        self.assertEqual(r.status, 422)
        self.assertIn('mailboxes', r.field_error('plan'))
        self.assertEqual(r.input_value('description'), 'changed')
        self.assertEqual(counts(), before)
        # a fitting change is saved and audited with old and new values
        r = self.b.post_form('/domain/edit?d=%s' % did, '/domain/edit?d=%s' % did,
                             {'d': did, 'plan': '2', 'description': 'changed',
                              'contact': 'new@example.org', 'disabled': '1'})
        self.assertEqual(r.status, 200, r.text[:500])
        row = sql("SELECT plan_id, description, active FROM domains WHERE id = @p1", did)[0]
        self.assertEqual(row, ['2', 'changed', '0'])
        dest = sql("SELECT DISTINCT d.destination FROM aliases a JOIN alias_destinations d "
                   "ON d.alias_id = a.id WHERE a.domain_id = @p1", did)
        self.assertEqual(dest, [['new@example.org']])
        a = audit_rows('domain.update', name)[-1]
        self.assertIn('plan=Extended', a[1])
        self.assertIn('plan=Recommended', a[2])
        self.assertIn('active=no', a[2])

    def test_tampered_domain_id(self):
        other = browser_as(staff('reseller'))
        of = domain_fields(uniq('foreign') + '.be')
        other.post_form('/domain/new', '/domain/new', of)
        did = domain_id(of['name'])
        before = counts()
        token = self.b.get('/domain/new').csrf()
        for path in ('/domain/edit', '/domain/delete'):
            r = self.b.post(path + '?d=%s' % did, {'csrf': token, 'd': did, 'plan': '1',
                                                   'confirm': of['name'],
                                                   'contact': 'x@example.org'})
            self.assertEqual(r.status, 404, path)
        self.assertEqual(self.b.get('/domain?d=%s' % did).status, 404)
        self.assertEqual(counts(), before)

    def test_delete_domain(self):
        name = uniq('del') + '.be'
        self.create(self.b, domain_fields(name))
        did = domain_id(name)
        sql("INSERT INTO mailboxes (domain_id, login, address, pw_hash, created_by) "
            "VALUES (@p1, @p2, @p3, 'x', 'test')", did, uniq('mbx'), 'info@' + name)
        before = counts()
        r = self.b.post_form('/domain/delete?d=%s' % did, '/domain/delete?d=%s' % did,
                             {'d': did, 'confirm': 'wrong.be'})
        self.assertEqual(r.status, 422)
        self.assertTrue(r.field_error('confirm'))
        self.assertEqual(counts(), before)
        r = self.b.post_form('/domain/delete?d=%s' % did, '/domain/delete?d=%s' % did,
                             {'d': did, 'confirm': name})
        self.assertEqual(r.status, 200)
        self.assertIn('has been deleted', r.text)
        row = sql("SELECT active, deleted_at IS NOT NULL, (SELECT COUNT(*) FROM aliases "
                  "WHERE domain_id = @p1), (SELECT COUNT(*) FROM addresses WHERE "
                  "domain_id = @p1), (SELECT COUNT(*) FROM mailboxes WHERE domain_id = @p1 "
                  "AND deleted_at IS NULL) FROM domains WHERE id = @p1", did)[0]
        self.assertEqual(row, ['0', '1', '0', '0', '0'])
        self.assertEqual(self.b.get('/domain?d=%s' % did).status, 404)
        self.assertEqual(len(audit_rows('domain.delete', name)), 1)
        # the name may be used again, the prefix never
        r = self.create(self.b, domain_fields(name))
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertNotEqual(sql("SELECT prefix FROM domains WHERE live_name = @p1", name)[0][0],
                            name.split('.')[0])


class Plans(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.res = staff('reseller')
        cls.b = browser_as(cls.res)

    def plan_fields(self, plan_name, **kw):
        f = {'name': plan_name, 'mail_quota': '3 GB', 'max_mailboxes': '2',
             'default_mailbox_quota': '1 GB', 'max_aliases': '', 'max_alias_domains': '',
             'max_message_size': '12 MB', 'web_quota': '50 MB', 'max_virtual_servers': '1'}
        f.update(kw)
        return f

    def test_plans_page_shows_seed_plans(self):
        r = self.b.get('/plans')
        self.assertEqual(r.status, 200)
        for s in ('Light', 'Recommended', 'Extended', '30 GB', '300 GB', '12 MB', 'Unlimited'):
            self.assertIn(s, r.text)

    def test_create_and_edit_plan(self):
        name = uniq('Plan')
        r = self.b.post_form('/plan/new', '/plan/new', self.plan_fields(name))
        self.assertEqual(r.status, 200, r.text[:500])
        row = sql("SELECT mail_quota, max_mailboxes, max_aliases, max_message_size, id "
                  "FROM plans WHERE name = @p1", name)[0]
        self.assertEqual(row[:4], ['3221225472', '2', 'NULL', '12582912'])
        pid = row[4]
        self.assertEqual(len(audit_rows('plan.create', name)), 1)
        # a domain with two mailboxes of 1 GB; lowering the plan below is refused
        dname = uniq('pd') + '.be'
        self.b.post_form('/domain/new', '/domain/new', domain_fields(dname, plan=pid))
        did = domain_id(dname)
        for i in range(2):
            sql("INSERT INTO mailboxes (domain_id, login, address, pw_hash, quota, created_by) "
                "VALUES (@p1, @p2, @p3, 'x', 1073741824, 'test')", did, uniq('mbx'),
                '%s@%s' % (uniq('m'), dname))
        before = counts()
        r = self.b.post_form('/plan/edit?id=%s' % pid, '/plan/edit?id=%s' % pid,
                             self.plan_fields(name, max_mailboxes='1', mail_quota='1 GB'))
        self.assertEqual(r.status, 422)
        self.assertIn(dname, r.text)
        self.assertIn('over the plan', r.text)
        self.assertEqual(r.input_value('max_mailboxes'), '1')
        self.assertEqual(counts(), before)
        r = self.b.post_form('/plan/edit?id=%s' % pid, '/plan/edit?id=%s' % pid,
                             self.plan_fields(name, max_mailboxes='5', mail_quota='10 GB'))
        self.assertEqual(r.status, 200, r.text[:500])
        a = audit_rows('plan.update', name)[-1]
        self.assertEqual(a[1], 'mail_quota=3 GB max_mailboxes=2')
        self.assertEqual(a[2], 'mail_quota=10 GB max_mailboxes=5')

    def test_bad_plan_input(self):
        for field, value in (('mail_quota', 'lots'), ('max_mailboxes', '-3'),
                             ('max_message_size', ''), ('name', ''),
                             ('default_mailbox_quota', '5 GB')):
            before = counts()
            r = self.b.post_form('/plan/new', '/plan/new',
                                 self.plan_fields(uniq('Bad'), **{field: value}))
            self.assertEqual(r.status, 422, field)
            self.assertTrue(r.field_error(field), field)
            self.assertEqual(counts(), before)
        r = self.b.post_form('/plan/new', '/plan/new', self.plan_fields('Light'))
        self.assertEqual(r.status, 422)
        self.assertIn('already exists', r.field_error('name'))

    def test_reseller_cannot_edit_shared_plan(self):
        before = counts()
        r = self.b.post_form('/plans', '/plan/edit?id=1', self.plan_fields('Light'))
        self.assertEqual(r.status, 403)
        self.assertEqual(self.b.get('/plan/edit?id=1').status, 403)
        self.assertEqual(counts(), before)


class PanelLogins(unittest.TestCase):
    def setUp(self):
        self.b = Browser()
        self.b.login()

    def test_add_reseller_with_allowance_and_reset_password(self):
        login = uniq('rs')
        r = self.b.post_form('/admin/new', '/admin/new', {
            'login': login, 'role': 'reseller', 'max_domains': '3',
            'password': STRONG_PASSWORD, 'password2': STRONG_PASSWORD})
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertIn(login, r.text)
        row = sql("SELECT role, max_domains FROM panel_users WHERE login = @p1", login)[0]
        self.assertEqual(row, ['reseller', '3'])
        uid = sql("SELECT id FROM panel_users WHERE login = @p1", login)[0][0]
        r = self.b.post_form('/admin/edit?id=' + uid, '/admin/edit?id=' + uid, {
            'id': uid, 'max_domains': '7', 'password': 'Nw4rtQ8zXp', 'password2': 'Nw4rtQ8zXp'})
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertEqual(sql("SELECT max_domains FROM panel_users WHERE id = @p1", uid)[0][0], '7')
        Browser().login(login, 'Nw4rtQ8zXp')
        self.assertEqual(audit_rows('user.allowance', login)[-1][1:], ['3', '7'])
        r = self.b.post_form('/admin/edit?id=' + uid, '/admin/delete?id=' + uid,
                             {'id': uid, 'confirm': '1'})
        self.assertEqual(r.status, 200)
        self.assertEqual(sql("SELECT COUNT(*) FROM panel_users WHERE id = @p1", uid)[0][0], '0')

    def test_tampered_role_and_bad_input(self):
        for fields, field in (
                ({'role': 'god'}, 'role'), ({'role': 'owner'}, 'role'),
                ({'password2': 'Different1x'}, 'password2'),
                ({'login': 'bad login'}, 'login'),
                ({'max_domains': 'many'}, 'max_domains')):
            f = {'login': uniq('tr'), 'role': 'support', 'max_domains': '',
                 'password': STRONG_PASSWORD, 'password2': STRONG_PASSWORD}
            f.update(fields)
            before = counts()
            r = self.b.post_form('/admin/new', '/admin/new', f)
            self.assertEqual(r.status, 422, fields)
            self.assertTrue(r.field_error(field), fields)
            self.assertEqual(r.input_value('login'), f['login'])
            self.assertEqual(counts(), before)


class Quotas(unittest.TestCase):
    def test_support_changes_quotas_audited(self):
        sup = staff('support')
        b = browser_as(sup)
        res = browser_as(staff('reseller'))
        name = uniq('qt') + '.be'
        res.post_form('/domain/new', '/domain/new', domain_fields(name, plan='2'))
        did = domain_id(name)
        login = uniq('qmb')
        sql("INSERT INTO mailboxes (domain_id, login, address, pw_hash, quota, created_by) "
            "VALUES (@p1, @p2, @p3, 'x', 1073741824, 'test')", did, login, 'q@' + name)
        sql("INSERT INTO addresses (address, domain_id, kind, mailbox_id) SELECT address, "
            "domain_id, 'primary', id FROM mailboxes WHERE login = @p1", login)
        mid = sql("SELECT id FROM mailboxes WHERE login = @p1", login)[0][0]
        r = b.get('/quota?d=%s' % did)
        self.assertEqual(r.status, 200)
        self.assertIn(login, r.text)
        r = b.post_form('/quota?d=%s' % did, '/quota?d=%s' % did,
                        {'d': did, 'what': 'mailbox', 'id': mid, 'quota': '2 GB'})
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertEqual(sql("SELECT quota FROM mailboxes WHERE id = @p1", mid)[0][0], '2147483648')
        # more than the plan's 30 GB in all is refused
        before = counts()
        r = b.post_form('/quota?d=%s' % did, '/quota?d=%s' % did,
                        {'d': did, 'what': 'mailbox', 'id': mid, 'quota': '40 GB'})
        self.assertEqual(r.status, 422)
        self.assertEqual(counts(), before)
        # the domain quota: never below what is given out
        r = b.post_form('/quota?d=%s' % did, '/quota?d=%s' % did,
                        {'d': did, 'what': 'domain', 'mode': 'set', 'quota': '1 GB'})
        self.assertEqual(r.status, 422)
        r = b.post_form('/quota?d=%s' % did, '/quota?d=%s' % did,
                        {'d': did, 'what': 'domain', 'mode': 'set', 'quota': '50 GB'})
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertEqual(sql("SELECT mail_quota FROM domains WHERE id = @p1", did)[0][0],
                         str(50 * 1024 ** 3))
        a = sql("SELECT actor, old_value, new_value FROM audit_log WHERE action = "
                "'domain.quota' AND domain_id = @p1", did)
        self.assertEqual(a, [[sup, 'plan', '50 GB']])
        # support cannot edit the domain itself
        self.assertEqual(b.get('/domain/edit?d=%s' % did).status, 403)


class AuditPage(unittest.TestCase):
    def test_scope_and_filters(self):
        res = staff('reseller')
        b = browser_as(res)
        name = uniq('au') + '.be'
        b.post_form('/domain/new', '/domain/new', domain_fields(name))
        r = b.get('/audit')
        self.assertEqual(r.status, 200)
        self.assertIn('domain.create', r.text)
        self.assertIn(name, r.text)
        self.assertNotIn('user.create</code></td><td>%s' % res, r.text)
        # another reseller does not see it
        other = browser_as(staff('reseller'))
        self.assertNotIn(name, main(other.get('/audit').text))
        # the superuser filters by actor and date
        su = Browser()
        su.login()
        r = su.get('/audit?actor=%s&from=2000-01-01&to=2999-12-31' % res)
        self.assertIn(name, main(r.text))
        r = su.get('/audit?actor=%s&from=2000-01-01&to=2000-01-02' % res)
        self.assertNotIn(name, main(r.text))
        r = su.get('/audit?from=yesterday')
        self.assertEqual(r.status, 422)
        self.assertTrue(r.field_error('from'))
        # no password or hash ever
        t = su.get('/audit').text
        self.assertNotIn(STRONG_PASSWORD, t)
        self.assertNotIn('$y$', t)
        self.assertNotIn('$6$', t)


class Cli(unittest.TestCase):
    def test_plan_and_domain_commands(self):
        res = staff('reseller', 2)
        pname = uniq('Cli')
        p = ctl('--as', res, 'plan', 'add', pname, '--mail-quota', '2 GB',
                '--max-mailboxes', '3', '--default-quota', '500 MB')
        self.assertEqual(p.returncode, 0)
        plan = ctl_json('plan', 'show', pname)
        self.assertEqual(plan['mail_quota'], 2 * 1024 ** 3)
        name = uniq('cli') + '.be'
        owner = uniq('own')
        d = ctl_json('--as', res, 'domain', 'add', name, '--plan', pname, '--new-owner',
                     owner, '--password-stdin', '--contact', 'c@example.org',
                     stdin=STRONG_PASSWORD + '\n')
        self.assertEqual(d['name'], name)
        self.assertEqual(d['owner'], owner)
        self.assertEqual(len(sql("SELECT id FROM aliases WHERE domain_id = @p1 AND role = 1",
                                 d['id'])), 4)
        self.assertEqual(ctl('--as', res, 'domain', 'disable', name).returncode, 0)
        self.assertEqual(sql("SELECT active FROM domains WHERE id = @p1", d['id'])[0][0], '0')
        self.assertEqual(ctl('--as', res, 'domain', 'enable', name).returncode, 0)
        self.assertEqual(ctl('--as', res, 'domain', 'edit', name, '--description',
                             'via cli').returncode, 0)
        # exit codes: usage 2, rule 3, not found 4, not allowed 5
        self.assertEqual(ctl('domain', 'add', check=False).returncode, 2)
        self.assertEqual(ctl('domain', 'add', 'bad_name', '--plan', 'Light', '--owner',
                             owner, check=False).returncode, 3)
        self.assertEqual(ctl('domain', 'add', uniq('x') + '.be', '--plan', 'NoSuchPlan',
                             '--owner', owner, check=False).returncode, 4)
        self.assertEqual(ctl('--as', owner, 'domain', 'add', uniq('x') + '.be', '--plan',
                             'Light', '--owner', owner, check=False).returncode, 5)
        self.assertEqual(ctl('--as', owner, 'domain', 'disable', name,
                             check=False).returncode, 5)
        self.assertEqual(ctl('--as', res, 'plan', 'edit', 'Light', '--max-mailboxes', '9',
                             check=False).returncode, 5)
        self.assertEqual(ctl('domain', 'show', 'nosuch.example', check=False).returncode, 4)
        self.assertEqual(ctl('domain', 'delete', name, '--confirm', 'other.be',
                             check=False).returncode, 3)
        self.assertEqual(ctl('--as', res, 'domain', 'delete', name, '--confirm',
                             name).returncode, 0)
        self.assertEqual(ctl('domain', 'show', name, check=False).returncode, 4)

    def test_domain_quota_command(self):
        res = staff('reseller', 2)
        sup = staff('support')
        name = uniq('dq') + '.be'
        owner = uniq('own')
        ctl_json('--as', res, 'domain', 'add', name, '--plan', 'Recommended', '--new-owner',
                 owner, '--password-stdin', '--contact', 'c@example.org',
                 stdin=STRONG_PASSWORD + '\n')
        out = ctl_json('--as', sup, 'domain', 'quota', name, '20 GB')
        self.assertEqual(out['mail_quota'], 20 * 1024 ** 3)
        self.assertEqual(sql("SELECT mail_quota FROM domains WHERE live_name = @p1", name),
                         [[str(20 * 1024 ** 3)]])
        self.assertTrue(audit_rows('domain.quota', name))
        self.assertEqual(ctl('--as', sup, 'domain', 'quota', name, 'plan').returncode, 0)
        self.assertEqual(sql("SELECT IFNULL(mail_quota, 'NULL') FROM domains WHERE "
                             "live_name = @p1", name), [['NULL']])
        # bad sizes, owners and unknown domains are refused with their codes
        self.assertEqual(ctl('domain', 'quota', name, 'lots', check=False).returncode, 3)
        self.assertEqual(ctl('--as', owner, 'domain', 'quota', name, '1 GB',
                             check=False).returncode, 5)
        self.assertEqual(ctl('domain', 'quota', 'nosuch.example', '1 GB',
                             check=False).returncode, 4)


if __name__ == '__main__':
    unittest.main()
