"""Forms take one try: every error of a form at once.

For each form of the panel, one submit with several bad fields gets the
same form again (422) with every message next to its field, a summary at
the top that links to each field in the order of the form, aria-invalid
and aria-describedby on each refused input, the first one focused
(autofocus), the other fields kept (never a password), and nothing
written: the database is the same before and after (checked in SQL and,
where there is one, through postbusctl).  Also: the plan's maximum of
remote destinations, on the plan page and in postbusctl plan add/edit.
"""
import html
import re
import unittest

from pbtest import Browser, ctl, ctl_json, sql, uniq, STRONG_PASSWORD

WEAK = 'short'


def main(text):
    """The page's own content, without the sidebar."""
    return text.split('<main', 1)[-1]


def state():
    """What a refused form must not change."""
    return sql(
        "SELECT (SELECT COUNT(*) FROM mailboxes), (SELECT IFNULL(SUM(CRC32("
        "CONCAT_WS(',', login, address, real_name, pw_hash, quota, enabled"
        "))), 0) FROM mailboxes), (SELECT COUNT(*) FROM addresses), (SELECT "
        "COUNT(*) FROM domains), (SELECT IFNULL(SUM(CRC32(CONCAT_WS(',', "
        "name, plan_id, description, contact_email, active, IFNULL("
        "mail_quota, 'u')))), 0) FROM domains), (SELECT COUNT(*) FROM "
        "plans), (SELECT IFNULL(SUM(CRC32(CONCAT_WS(',', name, IFNULL("
        "mail_quota, 'u'), IFNULL(max_mailboxes, 'u'), IFNULL("
        "max_destinations, 'u'), max_message_size))), 0) FROM plans), "
        "(SELECT COUNT(*) FROM panel_users), (SELECT IFNULL(SUM(CRC32("
        "CONCAT_WS(',', login, pw_hash, IFNULL(max_domains, 'u')))), 0) "
        "FROM panel_users), (SELECT COUNT(*) FROM aliases), (SELECT COUNT(*) "
        "FROM alias_destinations), (SELECT COUNT(*) FROM forwards), (SELECT "
        "COUNT(*) FROM vacations), (SELECT COUNT(*) FROM audit_log WHERE "
        "action NOT LIKE 'login%%')")[0]


def make_domain(plan='Recommended'):
    """A domain with its owner: (name, id, prefix)."""
    prefix = uniq('fm')
    name = prefix + '.example'
    ctl('domain', 'add', name, '--plan', plan, '--prefix', prefix,
        '--new-owner', uniq('own'), '--password-stdin', '--contact',
        'contact@example.org', stdin=STRONG_PASSWORD + '\n')
    did = sql("SELECT id FROM domains WHERE name = @p1", name)[0][0]
    return name, did, prefix


def make_mailbox(domain, local):
    ctl('mailbox', 'add', domain, '--local', local, '--password-stdin',
        stdin=STRONG_PASSWORD + '\n')
    return sql("SELECT id FROM mailboxes WHERE address = @p1",
               '%s@%s' % (local, domain))[0][0]


def textarea_value(text, name):
    m = re.search(r'<textarea[^>]*name="%s"[^>]*>(.*?)</textarea>'
                  % re.escape(name), text, re.S)
    return html.unescape(m.group(1)) if m else None


class FormCase(unittest.TestCase):
    """The checks every refused form must pass."""

    @classmethod
    def setUpClass(cls):
        cls.su = Browser()
        cls.su.login()

    def refused(self, page, action, fields, errors, kept=(), secret=(),
                browser=None):
        """POST fields; errors: the refused fields in the form's order."""
        b = browser or self.su
        before = state()
        r = b.post_form(page, action, fields)
        self.assertEqual(r.status, 422, main(r.text)[:1500])
        self.assertEqual(state(), before, 'a refused form wrote something')
        body = main(r.text)
        summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>',
                            body, re.S)
        self.assertIsNotNone(summary, 'no error summary: ' + body[:1500])
        links = re.findall(r'<a href="#([a-z0-9_-]+)">(.*?)</a>',
                           summary.group(1), re.S)
        self.assertEqual([f for f, _ in links], list(errors),
                         'summary links, in the order of the form')
        for f, text in links:
            msg = r.field_error(f)
            self.assertTrue(msg, 'no message next to %s: %s' % (f, body))
            self.assertEqual(html.unescape(text), msg)
            tag = re.search(r'<(?:input|select|textarea)\b[^>]*\bid="%s"'
                            r'[^>]*>' % re.escape(f), body)
            self.assertIsNotNone(tag, 'no input %s' % f)
            self.assertIn('aria-invalid="true"', tag.group(0))
            self.assertIn('aria-describedby="%s-error"' % f, tag.group(0))
            self.assertIn('<span class="field-error" id="%s-error">' % f, body)
        first = re.search(r'<(?:input|select|textarea)\b[^>]*\bautofocus\b'
                          r'[^>]*>', body)
        self.assertIsNotNone(first, 'nothing focused')
        self.assertIn('id="%s"' % errors[0], first.group(0))
        self.assertEqual(len(re.findall(r'\bautofocus\b', body)), 1)
        for name in kept:
            v = r.input_value(name)
            if v is None:
                v = textarea_value(body, name)
            self.assertEqual(v, fields[name], 'field %s not kept' % name)
        for s in secret:
            self.assertNotIn(s, r.text, 'a password came back')
        return r


class MailboxForms(FormCase):
    def test_new_mailbox(self):
        name, did, _ = make_domain()
        f = {'address': 'not valid!', 'real_name': 'Eve <b>',
             'password': WEAK, 'password2': 'other1234',
             'quota_mode': 'size', 'quota': 'lots', 'extra':
             'x@elsewhere.example', 'send': 'address', 'send_to': 'nobody'}
        self.refused('/mailbox/new?d=%s' % did, '/mailbox/new?d=%s' % did,
                     dict(f, d=did), ['address', 'real_name', 'password',
                     'password2', 'quota', 'extra', 'send_to'],
                     kept=['address', 'real_name', 'quota', 'extra',
                           'send_to'], secret=['other1234'])
        self.assertEqual(sql("SELECT COUNT(*) FROM mailboxes WHERE "
                             "domain_id = @p1", did), [['0']])

    def test_new_mailbox_address_taken_with_others(self):
        """What the domain's lock guards comes with the rest."""
        name, did, _ = make_domain()
        make_mailbox(name, 'info')
        f = {'d': did, 'address': 'info', 'real_name': 'A "B"',
             'password': WEAK, 'password2': WEAK, 'quota_mode': 'size',
             'quota': '', 'extra': '', 'send': 'none'}
        r = self.refused('/mailbox/new?d=%s' % did, '/mailbox/new?d=%s' % did,
                         f, ['address', 'real_name', 'password'])
        self.assertIn('info@%s' % name, r.field_error('address'))

    def test_cli_tells_every_field(self):
        name, did, _ = make_domain()
        before = state()
        p = ctl('mailbox', 'add', name, '--local', 'not valid!', '--name',
                'Eve <b>', '--extra', 'x@elsewhere.example',
                '--password-stdin', stdin=WEAK + '\n', check=False)
        self.assertEqual(p.returncode, 3, p.stderr)
        for f in ('address', 'real_name', 'extra', 'password'):
            self.assertIn('postbusctl: %s: ' % f, p.stderr)
        self.assertEqual(state(), before)

    def test_edit_mailbox(self):
        name, did, _ = make_domain()
        mid = make_mailbox(name, 'anna')
        f = {'address': 'bad address', 'real_name': 'x\\y',
             'pw_mode': 'keep', 'password': 'Zq7wKd2mPx',
             'password2': 'Zq7wKd2mPx', 'quota_mode': 'size',
             'quota': '12 parsecs', 'extra': 'ok\nx@elsewhere.example',
             'send': 'none'}
        page = '/mailbox/edit?id=%s' % mid
        self.refused(page, page, f, ['address', 'real_name', 'password',
                     'quota', 'extra'], kept=['address', 'real_name',
                     'quota', 'extra'], secret=['Zq7wKd2mPx'])
        login = sql("SELECT login FROM mailboxes WHERE id = @p1", mid)[0][0]
        m = ctl_json('mailbox', 'show', login)
        self.assertEqual(m['address'], 'anna@' + name)
        self.assertEqual(m['real_name'], '')

    def test_password_with_leave_unchanged_is_an_error(self):
        """Without JavaScript, a password typed under "Leave unchanged"
        is refused on the form, never dropped."""
        name, did, _ = make_domain()
        mid = make_mailbox(name, 'bob')
        page = '/mailbox/edit?id=%s' % mid
        f = {'address': 'bob', 'real_name': 'Bob', 'pw_mode': 'keep',
             'password': 'Zq7wKd2mPx', 'password2': 'Zq7wKd2mPx',
             'quota_mode': 'size', 'quota': '', 'extra': '', 'send': 'none'}
        r = self.refused(page, page, f, ['password'])
        self.assertIn('Set to', r.field_error('password'))

    def test_passwords_page(self):
        name, did, _ = make_domain()
        make_mailbox(name, 'carl')
        page = '/passwords?d=%s' % did
        self.refused(page, page, {'d': did, 'mailbox': 'nosuch@' + name,
                     'password': WEAK, 'password2': 'Other9876'},
                     ['mailbox', 'password', 'password2'],
                     secret=['Other9876'])

    def test_passwords_page_known_mailbox(self):
        name, did, _ = make_domain()
        make_mailbox(name, 'dora')
        page = '/passwords?d=%s' % did
        self.refused(page, page, {'d': did, 'mailbox': 'dora@' + name,
                     'password': WEAK, 'password2': 'Other9876'},
                     ['password', 'password2'], secret=['Other9876'])

    def test_quota_page(self):
        name, did, _ = make_domain()
        page = '/quota?d=%s' % did
        r = self.su.post_form(page, page, {'d': did, 'what': 'domain',
                              'mode': 'set', 'quota': 'plenty'})
        self.assertEqual(r.status, 422)
        body = main(r.text)
        self.assertIn('href="#domain_quota"', body)
        tag = re.search(r'<input[^>]*id="domain_quota"[^>]*>', body).group(0)
        self.assertIn('aria-invalid="true"', tag)
        self.assertIn('aria-describedby="domain_quota-error"', tag)
        self.assertIn('autofocus', tag)
        self.assertEqual(r.input_value('quota'), 'plenty')


class StaffForms(FormCase):
    def test_new_domain(self):
        owner = uniq('own')
        f = {'name': 'not a domain', 'prefix': 'Bad Prefix!', 'plan':
             '999999', 'description': 'Fine', 'contact': 'nope',
             'owner_mode': 'new', 'owner_login': owner,
             'owner_password': WEAK, 'owner_password2': 'Other9876'}
        self.refused('/domain/new', '/domain/new', f,
                     ['name', 'prefix', 'plan', 'contact',
                      'owner_password', 'owner_password2'],
                     kept=['name', 'prefix', 'description', 'contact',
                           'owner_login'], secret=['Other9876'])
        self.assertEqual(sql("SELECT COUNT(*) FROM panel_users WHERE "
                             "login = @p1", owner), [['0']])

    def test_new_domain_taken_name_with_others(self):
        name, did, prefix = make_domain()
        f = {'name': name, 'prefix': prefix, 'plan': '2', 'description':
             '', 'contact': 'postmaster@' + name, 'owner_mode': 'new',
             'owner_login': '', 'owner_password': STRONG_PASSWORD,
             'owner_password2': STRONG_PASSWORD}
        self.refused('/domain/new', '/domain/new', f,
                     ['name', 'prefix', 'contact', 'owner_login'],
                     kept=['name', 'prefix', 'contact'])

    def test_edit_domain(self):
        name, did, _ = make_domain()
        page = '/domain/edit?d=%s' % did
        self.refused(page, page, {'d': did, 'plan': '999999',
                     'description': 'bell\x07', 'contact': 'no address'},
                     ['plan', 'description', 'contact'],
                     kept=['contact'])
        d = ctl_json('domain', 'show', name)
        self.assertEqual(d['contact_email'], 'contact@example.org')

    def test_new_admin(self):
        login = 'Bad Login!'
        f = {'login': login, 'role': 'pirate', 'max_domains': 'many',
             'password': WEAK, 'password2': 'Other9876'}
        self.refused('/admin/new', '/admin/new', f,
                     ['login', 'role', 'max_domains', 'password',
                      'password2'], kept=['login', 'max_domains'],
                     secret=['Other9876'])

    def test_edit_admin(self):
        login = uniq('res')
        ctl('admin', 'add', login, '--role', 'reseller', '--max-domains',
            '3', '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        uid = sql("SELECT id FROM panel_users WHERE login = @p1", login)[0][0]
        page = '/admin/edit?id=%s' % uid
        self.refused(page, page, {'id': uid, 'max_domains': 'lots',
                     'password': WEAK, 'password2': 'Other9876'},
                     ['max_domains', 'password', 'password2'],
                     kept=['max_domains'], secret=['Other9876'])
        # the password was not changed either
        Browser().login(login, STRONG_PASSWORD)

    def plan_fields(self, **kw):
        f = {'name': uniq('pl'), 'mail_quota': '30 GB', 'max_mailboxes':
             '10', 'default_mailbox_quota': '3 GB', 'max_aliases': '',
             'max_alias_domains': '', 'max_destinations': '10',
             'max_message_size': '12 MB', 'web_quota': '',
             'max_virtual_servers': '5'}
        f.update(kw)
        return f

    def test_new_plan(self):
        f = self.plan_fields(name='', mail_quota='lots', max_mailboxes='x',
                             max_destinations='many', max_message_size='')
        self.refused('/plan/new', '/plan/new', f,
                     ['name', 'mail_quota', 'max_mailboxes',
                      'max_destinations', 'max_message_size'],
                     kept=['mail_quota', 'max_mailboxes',
                           'max_destinations'])

    def test_edit_plan(self):
        name = uniq('pl')
        ctl('plan', 'add', name)
        pid = sql("SELECT id FROM plans WHERE name = @p1", name)[0][0]
        page = '/plan/edit?id=%s' % pid
        f = self.plan_fields(name=name, default_mailbox_quota='100 GB',
                             max_destinations='-3', web_quota='huge')
        self.refused(page, page, dict(f, id=pid),
                     ['default_mailbox_quota', 'max_destinations',
                      'web_quota'], kept=['default_mailbox_quota',
                     'max_destinations', 'web_quota'])

    def test_login(self):
        b = Browser()
        r = b.post_form('/login', '/login', {'login': '', 'password': ''})
        self.assertEqual(r.status, 422)
        body = main(r.text)
        self.assertIn('href="#login"', body)
        self.assertIn('href="#password"', body)
        tag = re.search(r'<input[^>]*id="login"[^>]*>', body).group(0)
        self.assertIn('aria-invalid="true"', tag)
        self.assertIn('autofocus', tag)
        self.assertEqual(len(re.findall(r'\bautofocus\b', body)), 1)


class MailForms(FormCase):
    def test_new_alias(self):
        name, did, _ = make_domain()
        page = '/alias/new?d=%s' % did
        self.refused(page, page, {'d': did, 'mode': 'name', 'name':
                     'not valid!', 'kind': 'normal', 'dests':
                     'fine@example.org\nnot an address!'},
                     ['name', 'dests'], kept=['name', 'dests'])

    def test_everyone_on_a_big_plan_with_a_bad_name(self):
        plan = uniq('pl')
        ctl('plan', 'add', plan, '--max-mailboxes', 'unlimited')
        name, did, _ = make_domain(plan=plan)
        page = '/alias/new?d=%s' % did
        r = self.refused(page, page, {'d': did, 'mode': 'name', 'name':
                         'all staff', 'kind': 'everyone', 'dests': ''},
                         ['name', 'kind'], kept=['name'])
        self.assertIn('mailing list', r.field_error('kind'))

    def test_edit_alias(self):
        name, did, _ = make_domain()
        ctl('alias', 'add', 'sales@' + name, 'someone@example.org')
        aid = sql("SELECT alias_id FROM addresses WHERE address = @p1",
                  'sales@' + name)[0][0]
        page = '/alias/edit?id=%s' % aid
        self.refused(page, page, {'d': did, 'mode': 'name', 'name': 'a b',
                     'kind': 'normal', 'dests': ''}, ['name', 'dests'],
                     kept=['name'])

    def test_forward(self):
        name, did, _ = make_domain()
        mid = make_mailbox(name, 'erin')
        page = '/mailbox/forward?id=%s' % mid
        self.refused(page, page, {'deliver': 'yes', 'forward': 'not ok!'},
                     ['forward'], kept=['forward'])

    def test_vacation(self):
        name, did, _ = make_domain()
        mid = make_mailbox(name, 'fred')
        r = self.su.post_form('/mailbox/edit?id=%s' % mid,
                              '/mailbox/vacation?id=%s' % mid,
                              {'vac_mode': 'on', 'subject': 'Away',
                               'body': '', 'interval': '0',
                               'start_mode': 'date', 'start': '2026-13-45',
                               'end_mode': 'date', 'end': 'soon'})
        self.assertEqual(r.status, 422)
        body = main(r.text)
        for f in ('body', 'interval', 'start', 'end'):
            self.assertTrue(r.field_error(f), f)
            self.assertIn('href="#%s"' % f, body)
            tag = re.search(r'<(?:input|textarea)[^>]*id="%s"[^>]*>' % f,
                            body).group(0)
            self.assertIn('aria-invalid="true"', tag)
        self.assertEqual(sql("SELECT COUNT(*) FROM vacations WHERE "
                             "mailbox_id = @p1", mid), [['0']])


class PlanDestinations(unittest.TestCase):
    """plans.max_destinations: on the plan page and in postbusctl."""

    def test_cli_add_and_edit(self):
        name = uniq('pl')
        p = ctl_json('plan', 'add', name, '--max-destinations', '3')
        self.assertEqual(p['max_destinations'], 3)
        self.assertEqual(sql("SELECT max_destinations FROM plans WHERE "
                             "name = @p1", name), [['3']])
        ctl('plan', 'edit', name, '--max-destinations', 'unlimited')
        self.assertEqual(sql("SELECT IFNULL(max_destinations, 'NULL') FROM "
                             "plans WHERE name = @p1", name), [['NULL']])
        self.assertEqual(ctl_json('plan', 'show', name)['max_destinations'],
                         -1)

    def test_cli_refuses_every_bad_option(self):
        name = uniq('pl')
        p = ctl('plan', 'add', name, '--max-destinations', 'many',
                '--max-mailboxes', 'x', check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('--max-destinations', p.stderr)
        self.assertIn('--max-mailboxes', p.stderr)
        self.assertEqual(sql("SELECT COUNT(*) FROM plans WHERE name = @p1",
                             name), [['0']])

    def test_cli_reports_every_field(self):
        name = uniq('pl')
        p = ctl('plan', 'add', name, '--default-quota', '50 GB',
                '--mail-quota', '10 GB', '--max-message-size', '3 GB',
                check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn('default_mailbox_quota', p.stderr)
        self.assertIn('max_message_size', p.stderr)

    def test_page_sets_it_and_aliases_obey(self):
        su = Browser()
        su.login()
        name = uniq('pl')
        f = {'name': name, 'mail_quota': '30 GB', 'max_mailboxes': '10',
             'default_mailbox_quota': '3 GB', 'max_aliases': '',
             'max_alias_domains': '', 'max_destinations': '1',
             'max_message_size': '12 MB', 'web_quota': '',
             'max_virtual_servers': '5'}
        r = su.post_form('/plan/new', '/plan/new', f)
        self.assertEqual(r.status, 200, main(r.text)[:800])
        pid = sql("SELECT id FROM plans WHERE name = @p1", name)[0][0]
        self.assertEqual(sql("SELECT max_destinations FROM plans WHERE "
                             "id = @p1", pid), [['1']])
        r = su.get('/plan/edit?id=%s' % pid)
        self.assertEqual(r.input_value('max_destinations'), '1')
        # a domain on it: an alias to two remote addresses is refused
        _, did, _ = make_domain(plan=name)
        r = su.get('/domain?d=%s' % did)
        self.assertRegex(main(r.text), r'Remote destinations per alias or '
                         r'forward</th><td>1</td>')
        page = '/alias/new?d=%s' % did
        r = su.post_form(page, page, {'d': did, 'mode': 'name', 'name':
                         'team', 'kind': 'normal', 'dests':
                         'a@example.org\nb@example.org'})
        self.assertEqual(r.status, 422)
        self.assertTrue(r.field_error('dests'))
        # empty: unlimited, and the alias goes through
        r = su.post_form('/plan/edit?id=%s' % pid, '/plan/edit?id=%s' % pid,
                         dict(f, id=pid, max_destinations=''))
        self.assertEqual(r.status, 200, main(r.text)[:800])
        self.assertEqual(sql("SELECT IFNULL(max_destinations, 'NULL') FROM "
                             "plans WHERE id = @p1", pid), [['NULL']])
        r = su.post_form(page, page, {'d': did, 'mode': 'name', 'name':
                         'team', 'kind': 'normal', 'dests':
                         'a@example.org\nb@example.org'})
        self.assertEqual(r.status, 200, main(r.text)[:800])


if __name__ == '__main__':
    unittest.main()
