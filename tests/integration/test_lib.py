"""The lib/ contracts seen from outside (issue 8): every statement agrees
with the schema, IDN names in every postbusctl command, one transaction
per change."""
import json
import unittest

from pbtest import STRONG_PASSWORD, ctl, sql, uniq


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
