"""The lib/ contracts seen from outside (issue 8): every statement agrees
with the schema, IDN names in every postbusctl command, one transaction
per change."""
import json
import os
import re
import subprocess
import unittest

from pbtest import STRONG_PASSWORD, Browser, ctl, env, sql, uniq

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def idn_domain():
    """A new domain with a Unicode name: (unicode name, stored name)."""
    stem = uniq('café')
    name = stem + '.be'
    ctl('domain', 'add', name, '--plan', 'Recommended', '--prefix', uniq('idn'),
        '--new-owner', uniq('own'), '--password-stdin', '--contact',
        'contact@example.org', stdin=STRONG_PASSWORD + '\n')
    stored = json.loads(ctl('--json', 'domain', 'show', name).stdout)['name']
    assert stored.startswith('xn--'), stored
    return name, stored


class Statements(unittest.TestCase):
    def test_every_statement_matches_the_schema(self):
        # parameters and result columns, as each .def entry declares them
        p = ctl('--json', 'db', 'check', check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = json.loads(p.stdout)
        self.assertGreater(out['statements'], 90)
        self.assertLessEqual(out['not_granted'], 1)


class IdnNames(unittest.TestCase):
    """café.be is one name whether typed in Unicode or punycode, in every
    command that names a domain."""

    @classmethod
    def setUpClass(cls):
        cls.name, cls.stored = idn_domain()

    def test_mailbox_add_takes_the_unicode_name(self):
        p = ctl('--json', 'mailbox', 'add', self.name, '--local', 'info',
                '--password-stdin', stdin=STRONG_PASSWORD + '\n', check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)['address'], 'info@' + self.stored)

    def test_mailbox_list_takes_the_unicode_name(self):
        p = ctl('mailbox', 'list', self.name, check=False)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_domain_commands_take_both_forms(self):
        for n in (self.name, self.stored, self.name.upper()):
            p = ctl('domain', 'show', n, check=False)
            self.assertEqual(p.returncode, 0, '%s: %s' % (n, p.stderr))
        p = ctl('domain', 'edit', self.name, '--description', 'IDN', check=False)
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_admin_add_gives_a_unicode_named_domain(self):
        login = uniq('idnown')
        p = ctl('admin', 'add', login, '--role', 'owner', '--domain', self.name,
                '--password-stdin', stdin=STRONG_PASSWORD + '\n', check=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        rows = sql("SELECT d.name FROM user_domains ud JOIN panel_users u ON "
                   "u.id = ud.user_id JOIN domains d ON d.id = ud.domain_id "
                   "WHERE u.login = @p1", login)
        self.assertEqual(rows, [[self.stored]])

    def test_an_unknown_domain_is_not_found(self):
        p = ctl('mailbox', 'list', uniq('nowhere') + '.be', check=False)
        self.assertEqual(p.returncode, 4, p.stderr)
        p = ctl('mailbox', 'list', 'not a name!', check=False)
        self.assertEqual(p.returncode, 4, p.stderr)


def new_domain():
    """A domain on the Recommended plan (default quota 3 GB): (name, id,
    owner login)."""
    prefix = uniq('lim')
    name = prefix + '.example'
    owner = uniq('own')
    ctl('domain', 'add', name, '--plan', 'Recommended', '--prefix', prefix,
        '--new-owner', owner, '--password-stdin', '--contact',
        'contact@example.org', stdin=STRONG_PASSWORD + '\n')
    return name, sql("SELECT id FROM domains WHERE name = @p1", name)[0][0], owner


def quota_of(login):
    return int(sql("SELECT quota FROM mailboxes WHERE login = @p1", login)[0][0])


class Limits(unittest.TestCase):
    """One model of "unlimited" and "the plan's default", typed the same
    way on every page and in postbusctl (lib/limit.h)."""

    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.owner = new_domain()
        cls.b = Browser()
        cls.b.login(cls.owner, STRONG_PASSWORD)

    def add(self, *args):
        p = ctl('--json', 'mailbox', 'add', self.dom, '--local', uniq('q'),
                '--password-stdin', *args, stdin=STRONG_PASSWORD + '\n')
        return json.loads(p.stdout)

    def edit_quota(self, m, quota):
        """Edit Mailbox as the owner, changing nothing but the quota."""
        url = '/mailbox/edit?id=%s' % m['id']
        return self.b.post_form(url, url, {
            'address': m['address'].split('@')[0], 'real_name': 'Q',
            'pw_mode': 'keep', 'password': '', 'password2': '',
            'quota_mode': 'size', 'quota': quota, 'extra': '', 'send': 'none',
            'send_to': ''}, follow=False)

    def test_edit_mailbox_empty_quota_is_the_plans_default(self):
        # the hint says "Empty: the plan's default": an emptied quota
        # becomes 3 GB, the Recommended plan's default
        m = self.add('--quota', '500 MB')
        self.assertEqual(quota_of(m['login']), 500 << 20)
        self.assertEqual(self.edit_quota(m, '').status, 303)
        self.assertEqual(quota_of(m['login']), 3 << 30)

    def test_edit_mailbox_keeps_a_quota_it_is_given(self):
        m = self.add('--quota', '2 GB')
        self.assertEqual(self.edit_quota(m, '2 GB').status, 303)
        self.assertEqual(quota_of(m['login']), 2 << 30)

    def test_cli_quota_words(self):
        self.assertEqual(quota_of(self.add('--quota', 'default')['login']), 3 << 30)
        self.assertEqual(quota_of(self.add('--quota', '3GB')['login']), 3 << 30)
        for bad in ('0', '512 kB', 'lots'):
            p = ctl('mailbox', 'add', self.dom, '--local', uniq('q'), '--quota',
                    bad, '--password-stdin', stdin=STRONG_PASSWORD + '\n',
                    check=False)
            self.assertNotEqual(p.returncode, 0, bad)

    def test_the_quota_page_and_the_cli_refuse_the_same_sizes(self):
        m = self.add()
        admin = Browser()
        admin.login()
        for bad in ('0', '512 kB'):
            r = admin.post_form('/quota?d=%s' % self.did, '/quota?d=%s' % self.did,
                                 {'id': m['id'], 'quota': bad, 'what': 'mailbox'})
            self.assertEqual(r.status, 422, bad)
            self.assertIn('at least 1 MB', r.text)

    def test_plan_limits_typed_as_words(self):
        name = uniq('plan')
        ctl('plan', 'add', name, '--max-aliases', 'unlimited', '--mail-quota',
            '40 GB', '--default-quota', 'unlimited', '--allow-unlimited', 'yes')
        row = sql("SELECT max_aliases IS NULL, mail_quota, default_mailbox_quota, "
                  "max_mailboxes FROM plans WHERE name = @p1", name)[0]
        # the rest is the seed's Recommended: 10 mailboxes
        self.assertEqual(row, ['1', str(40 << 30), '0', '10'])


class Transactions(unittest.TestCase):
    def test_admin_add_with_an_unknown_domain_creates_nothing(self):
        login = uniq('nodom')
        p = ctl('admin', 'add', login, '--role', 'owner', '--domain',
                uniq('missing') + '.example', '--password-stdin',
                stdin=STRONG_PASSWORD + '\n', check=False)
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertEqual(sql("SELECT COUNT(*) FROM panel_users WHERE login = @p1",
                             login), [['0']])


if __name__ == '__main__':
    unittest.main()


class Grammar(unittest.TestCase):
    """postbusctl declares each command's options: anything else is a
    usage error (exit 2, with the usage), and nothing runs."""

    def usage_error(self, *args, stdin=None):
        p = ctl(*args, stdin=stdin, check=False)
        self.assertEqual(p.returncode, 2, '%s: %s' % (args, p.stderr))
        self.assertIn('usage: postbusctl %s %s' % (args[0], args[1]), p.stderr)
        return p

    def test_unknown_option(self):
        dom, did, owner = new_domain()
        before = sql("SELECT COUNT(*) FROM mailboxes WHERE domain_id = @p1", did)
        p = self.usage_error('mailbox', 'add', dom, '--local', 'x', '--qouta',
                             '1GB', '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        self.assertIn('unknown option --qouta', p.stderr)
        self.assertEqual(sql("SELECT COUNT(*) FROM mailboxes WHERE domain_id = @p1",
                             did), before)
        self.usage_error('domain', 'list', '--serch', 'x')
        self.usage_error('plan', 'list', '--all')

    def test_missing_value(self):
        p = self.usage_error('domain', 'list', '--search')
        self.assertIn('--search needs a value', p.stderr)
        self.usage_error('mailbox', 'add', 'x.example', '--local',
                         '--password-stdin')

    def test_flag_with_a_value(self):
        self.usage_error('mailbox', 'edit', 'x0001', '--disabled=yes')

    def test_extra_and_missing_arguments(self):
        p = self.usage_error('domain', 'show', 'a.example', 'b.example')
        self.assertIn('unexpected argument: b.example', p.stderr)
        self.usage_error('admin', 'list', 'everyone')
        p = self.usage_error('domain', 'quota', 'a.example')
        self.assertIn('missing argument', p.stderr)

    def test_option_given_twice(self):
        self.usage_error('domain', 'list', '--search', 'a', '--search', 'b')

    def test_repeatable_option_and_value_forms(self):
        dom, did, owner = new_domain()
        dom2, did2, owner2 = new_domain()
        login = uniq('two')
        ctl('admin', 'add', login, '--role=owner', '--domain', dom,
            '--domain=' + dom2, '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        self.assertEqual(sql("SELECT COUNT(*) FROM user_domains ud JOIN "
                             "panel_users u ON u.id = ud.user_id WHERE "
                             "u.login = @p1", login), [['2']])

    def test_json_anywhere(self):
        self.assertIsInstance(json.loads(ctl('plan', 'list', '--json').stdout), list)


class ManPage(unittest.TestCase):
    """postbusctl(8) and the commands postbusctl knows are one list: every
    command (its usage line, as postbusctl prints it) has its entry in the
    man page with each of its options in that part of the page, and the
    page has no entry for a command that is not there."""

    @classmethod
    def setUpClass(cls):
        with open(os.path.join(ROOT, 'man', 'postbusctl.8')) as f:
            cls.page = f.read()
        p = subprocess.run([env('POSTBUS_CTL')], capture_output=True, text=True)
        cls.status = p.returncode
        cls.usage = [l.strip()[len('postbusctl '):] for l in p.stderr.splitlines()
                     if l.startswith('  postbusctl ')]
        # the page's sections and the commands each .It Cm names
        cls.sections = re.split(r'^\.Ss ', cls.page, flags=re.M)
        cls.entries = set()
        for m in re.finditer(r'^\.It Cm (\w+) (\w+)(?: (add|delete|list)\b)?',
                             cls.page, re.M):
            cls.entries.add((m.group(1), m.group(2)))

    def section_of(self, area, verb):
        for sec in self.sections:
            if re.search(r'^\.It Cm %s %s\b' % (area, verb), sec, re.M):
                return sec
        return None

    def test_usage_lists_commands(self):
        self.assertEqual(self.status, 2)
        self.assertGreater(len(self.usage), 30)

    def test_every_command_and_option_is_in_the_page(self):
        for line in self.usage:
            area, verb = line.split()[:2]
            sec = self.section_of(area, verb)
            self.assertIsNotNone(sec, 'postbusctl(8) has no entry for %s %s' % (area, verb))
            for opt in sorted(set(re.findall(r'--([a-z][a-z-]*)', line))):
                self.assertRegex(sec, r'Fl -%s\b' % re.escape(opt),
                                 'postbusctl(8): %s %s --%s' % (area, verb, opt))

    def test_every_entry_is_a_command(self):
        known = {tuple(l.split()[:2]) for l in self.usage}
        self.assertEqual(sorted(self.entries - known), [])
        self.assertEqual(sorted(known - self.entries), [])

    def test_grammar_and_exit_codes_are_told(self):
        text = re.sub(r'\s+', ' ', self.page)
        for words in ('usage errors', 'does not know', 'without its value',
                      'given twice', 'one too many', 'exits with status 2'):
            self.assertTrue(words in text, 'postbusctl(8) does not say: ' + words)
        codes = re.search(r'^\.Sh EXIT STATUS$(.*?)^\.Sh ', self.page, re.M | re.S).group(1)
        self.assertEqual(re.findall(r'^\.It (\d+)$', codes, re.M),
                         [str(i) for i in range(8)])


class Grants(unittest.TestCase):
    """postbusctl db grant gives the database accounts exactly their rights
    (lib/sql_grant.def), on a system installed without ./postbus too."""

    def grant(self):
        import subprocess
        from pbtest import env
        return subprocess.run([env('POSTBUS_CTL'), '-c', env('POSTBUS_STATE') +
                               '/root.conf', 'db', 'grant'], capture_output=True,
                              text=True)

    def grants(self, user):
        """SHOW GRANTS, each column list in name order: MariaDB prints a
        column grant's columns in an order of its own, which can change
        when the same grant is given again."""
        cols = lambda m: '(%s)' % ', '.join(sorted(
            c.strip() for c in m.group(1).split(',')))
        return sorted(re.sub(r'\(([^()]*)\)', cols, r[0]) for r in
                      sql("SHOW GRANTS FOR '%s'@'localhost'" % user))

    def test_least_privilege(self):
        postfix = ' '.join(self.grants('postbus_postfix'))
        # Postfix reads columns, never whole rows of what holds addresses
        m = re.search(r'GRANT SELECT \(([^)]*)\) ON `\w+`.`alias_destinations`', postfix)
        self.assertIsNotNone(m, postfix)
        self.assertEqual(sorted(c.strip(' `') for c in m.group(1).split(',')),
                         ['alias_id', 'destination', 'mailbox_id'])
        self.assertNotIn('pw_hash', postfix)
        self.assertNotIn('INSERT', postfix)
        panel = ' '.join(self.grants('postbus_panel'))
        self.assertRegex(panel, r'GRANT SELECT, INSERT ON `\w+`.`audit_log`')
        self.assertRegex(panel, r'GRANT SELECT ON `\w+`.`schema_migrations`')
        self.assertNotIn('DROP', panel)
        self.assertNotIn('ALL PRIVILEGES', panel)
        quota = ' '.join(self.grants('postbus_quota'))
        self.assertNotIn('mailboxes`', quota.replace('mailbox_logins`', ''))

    def test_grant_again_takes_back_what_is_not_listed(self):
        before = self.grants('postbus_mail')
        sql("GRANT SELECT ON postbus.audit_log TO 'postbus_mail'@'localhost'")
        self.assertNotEqual(self.grants('postbus_mail'), before)
        p = self.grant()
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.grants('postbus_mail'), before)

    def test_the_panels_account_cannot_grant(self):
        p = ctl('db', 'grant', check=False)
        self.assertEqual(p.returncode, 6, p.stderr)


class LoginNames(unittest.TestCase):
    """A login is matched exactly; names that are not logins are refused
    before any lookup."""

    def test_variants_of_a_login_do_not_log_in(self):
        login = uniq('case')
        ctl('admin', 'add', login, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        for i, variant in enumerate((login.upper(), login[0].upper() + login[1:],
                                     ''.join(chr(ord(ch) + 0xfee0) if ch.isalnum()
                                             else ch for ch in login),
                                     login.replace('a', '\u00e1', 1))):
            b = Browser(source='127.0.0.%d' % (60 + i))
            r = b.post_form('/login', '/login', {'login': variant,
                                                 'password': STRONG_PASSWORD},
                            follow=False)
            self.assertNotEqual(r.status, 303, variant)
        b = Browser(source='127.0.0.64')
        r = b.post_form('/login', '/login', {'login': login,
                                             'password': STRONG_PASSWORD}, follow=False)
        self.assertEqual(r.status, 303)


class Throttle(unittest.TestCase):
    def test_old_failure_rows_expire(self):
        key = 'u:' + uniq('gone')
        sql("INSERT INTO login_failures (k, failures, last_at) VALUES "
            "(@p1, 2, NOW() - INTERVAL 2 DAY)", key)
        Browser(source='127.0.0.70').post_form(
            '/login', '/login', {'login': uniq('nobody'), 'password': 'x'})
        self.assertEqual(sql("SELECT COUNT(*) FROM login_failures WHERE k = @p1",
                             key), [['0']])

    def test_failures_from_elsewhere_do_not_slow_a_known_client(self):
        login = uniq('victim')
        ctl('admin', 'add', login, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        home = Browser(source='127.0.0.71')
        home.login(login, STRONG_PASSWORD)
        home.logout()
        for i in range(4):
            Browser(source='127.0.0.%d' % (80 + i)).post_form(
                '/login', '/login', {'login': login, 'password': 'Wrong%d' % i})
        # as if the rotating addresses had kept at it (a slow machine must
        # not let the delay run out before the next request)
        sql("UPDATE login_failures SET failures = 9, last_at = NOW() WHERE k = @p1",
            'u:' + login)
        # a new client is slowed down, the owner's own is not
        r = Browser(source='127.0.0.90').post_form(
            '/login', '/login', {'login': login, 'password': STRONG_PASSWORD},
            follow=False)
        self.assertEqual(r.status, 429)
        r = Browser(source='127.0.0.71').post_form(
            '/login', '/login', {'login': login, 'password': STRONG_PASSWORD},
            follow=False)
        self.assertEqual(r.status, 303, r.text[-800:])


class Notices(unittest.TestCase):
    """A notice names only objects that exist: a link cannot make the panel
    say anything in its own words."""

    BAIT = 'Your account is suspended, call 0800'

    def test_admins_notice(self):
        b = Browser()
        b.login()
        for done in ('created', 'saved', 'deleted'):
            r = b.get('/admins?done=%s&login=%s' % (done, self.BAIT.replace(' ', '+')))
            self.assertEqual(r.status, 200)
            self.assertNotIn('suspended', r.text)
        login = uniq('shown')
        ctl('admin', 'add', login, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        self.assertIn(login, b.get('/admins?done=created&login=' + login).text)

    def test_mailbox_list_notice(self):
        dom, did, owner = new_domain()
        other, odid, oowner = new_domain()
        theirs = json.loads(ctl('--json', 'mailbox', 'add', other, '--local', 'x',
                                '--password-stdin', stdin=STRONG_PASSWORD + '\n').stdout)
        b = Browser()
        b.login(owner, STRONG_PASSWORD)
        for login in ('suspended0800', theirs['login']):
            r = b.get('/mailboxes?d=%s&done=created&login=%s' % (did, login))
            self.assertEqual(r.status, 200)
            self.assertNotIn(login, r.text)
        mine = json.loads(ctl('--json', 'mailbox', 'add', dom, '--local', 'y',
                              '--password-stdin', stdin=STRONG_PASSWORD + '\n').stdout)
        r = b.get('/mailboxes?d=%s&done=created&login=%s' % (did, mine['login']))
        self.assertIn('The mailbox %s has been created.' % mine['login'], r.text)


class AccountMail(unittest.TestCase):
    def test_support_staff_cannot_mail_account_details(self):
        dom, did, owner = new_domain()
        m = json.loads(ctl('--json', 'mailbox', 'add', dom, '--local', 'info',
                           '--password-stdin', stdin=STRONG_PASSWORD + '\n').stdout)
        login = uniq('sup')
        ctl('admin', 'add', login, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        b = Browser()
        b.login(login, STRONG_PASSWORD)
        url = '/mailbox/edit?id=%s' % m['id']
        b.post_form(url, url, {'address': 'info', 'real_name': '', 'pw_mode': 'keep',
                               'password': '', 'password2': '', 'quota': '3 GB',
                               'quota_mode': 'size', 'extra': '', 'send': 'address',
                               'send_to': 'attacker@example.org'})
        rows = sql("SELECT action FROM audit_log WHERE actor = @p1 AND action "
                   "LIKE 'mailbox.mail%%'", login)
        self.assertEqual(rows, [['mailbox.mail.refused']])


class EditMailboxPassword(unittest.TestCase):
    def test_password_typed_under_leave_unchanged_is_an_error(self):
        dom, did, owner = new_domain()
        m = json.loads(ctl('--json', 'mailbox', 'add', dom, '--local', 'info',
                           '--password-stdin', stdin=STRONG_PASSWORD + '\n').stdout)
        hash_before = sql("SELECT pw_hash FROM mailboxes WHERE id = @p1", m['id'])
        b = Browser()
        b.login(owner, STRONG_PASSWORD)
        url = '/mailbox/edit?id=%s' % m['id']
        r = b.post_form(url, url, {'address': 'info', 'real_name': 'Renamed',
                                   'pw_mode': 'keep', 'password': 'Nq7vLw2xRt',
                                   'password2': 'Nq7vLw2xRt', 'quota': '3 GB',
                                   'quota_mode': 'size', 'extra': '', 'send': 'none',
                                   'send_to': ''}, follow=False)
        self.assertEqual(r.status, 422)
        self.assertTrue(r.field_error('password'))
        self.assertEqual(sql("SELECT pw_hash, real_name FROM mailboxes WHERE id = @p1",
                             m['id']), [[hash_before[0][0], '']])
