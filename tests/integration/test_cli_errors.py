"""postbusctl reports every error at once, as the forms do.

A command line with several bad options gets every refusal on stderr,
its own (an option it could not read) and lib/'s (a rule) together, one
line each, and nothing is written.  Also: a mailbox login matches only as
written (mailboxes.login compares without case and pads spaces), through
postbusctl and the password page.
"""
import json
import unittest

from pbtest import Browser, ctl, ctl_json, sql, uniq, STRONG_PASSWORD


def make_domain():
    prefix = uniq('ce')
    name = prefix + '.example'
    ctl('domain', 'add', name, '--plan', 'Recommended', '--prefix', prefix,
        '--new-owner', uniq('own'), '--password-stdin', '--contact',
        'contact@example.org', stdin=STRONG_PASSWORD + '\n')
    return name


def counts():
    return sql("SELECT (SELECT COUNT(*) FROM mailboxes), (SELECT COUNT(*) "
               "FROM addresses), (SELECT COUNT(*) FROM plans), (SELECT "
               "IFNULL(SUM(CRC32(CONCAT_WS(',', login, address, real_name, "
               "quota, enabled))), 0) FROM mailboxes), (SELECT IFNULL(SUM("
               "CRC32(CONCAT_WS(',', name, IFNULL(mail_quota, 'u'), IFNULL("
               "max_mailboxes, 'u'), max_message_size))), 0) FROM plans)")[0]


def refusals(stderr):
    """The field of each 'postbusctl: FIELD: message' line."""
    return [line.split(': ')[1] for line in stderr.splitlines()
            if line.startswith('postbusctl: ') and line.count(': ') >= 2]


class CliErrors(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dom = make_domain()

    def test_mailbox_add_every_error(self):
        before = counts()
        p = ctl('mailbox', 'add', self.dom, '--local', 'bad name', '--quota',
                'BAD', '--extra', 'x@@y', '--password-stdin',
                stdin=STRONG_PASSWORD + '\n', check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(sorted(refusals(p.stderr)),
                         ['--quota', 'address', 'extra'], p.stderr)
        self.assertEqual(counts(), before)
        # lib/'s refusals alone: a rule, exit 3
        p = ctl('mailbox', 'add', self.dom, '--local', 'bad name', '--extra',
                'x@@y', '--password-stdin', stdin=STRONG_PASSWORD + '\n',
                check=False)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(sorted(refusals(p.stderr)), ['address', 'extra'])
        self.assertEqual(counts(), before)

    def test_json_names_every_error(self):
        """--json: the first refusal as before, and every one in errors,
        with the messages of the stderr lines."""
        before = counts()
        p = ctl('--json', 'mailbox', 'add', self.dom, '--local', 'bad name',
                '--quota', 'BAD', '--extra', 'x@@y', '--password-stdin',
                stdin=STRONG_PASSWORD + '\n', check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        doc = json.loads(p.stdout)
        fields = [e['field'] for e in doc['errors']]
        self.assertEqual(sorted(fields), ['--quota', 'address', 'extra'])
        self.assertEqual(doc['field'], fields[0])
        self.assertEqual(doc['error'], doc['errors'][0]['error'])
        for e in doc['errors']:
            self.assertIn('postbusctl: %s: %s' % (e['field'], e['error']),
                          p.stderr)
        self.assertEqual(counts(), before)

    def test_mailbox_edit_every_error(self):
        m = ctl_json('mailbox', 'add', self.dom, '--local', uniq('ed'),
                     '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        before = counts()
        p = ctl('mailbox', 'edit', m['login'], '--local', 'bad name',
                '--quota', 'lots', '--extra', 'a@@b', '--disabled',
                check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(sorted(refusals(p.stderr)),
                         ['--quota', 'address', 'extra'], p.stderr)
        self.assertEqual(counts(), before)
        # only the option it could not read: still refused, nothing written
        p = ctl('mailbox', 'edit', m['login'], '--quota', 'lots', check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(refusals(p.stderr), ['--quota'])
        self.assertEqual(counts(), before)

    def test_plan_options_and_rules_together(self):
        before = counts()
        name = uniq('cp')
        p = ctl('plan', 'add', name, '--max-mailboxes', 'many',
                '--web-quota', 'huge', '--default-quota', '50 GB',
                '--mail-quota', '10 GB', '--max-message-size', '3 GB',
                check=False)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(sorted(refusals(p.stderr)),
                         ['--max-mailboxes', '--web-quota',
                          'default_mailbox_quota', 'max_message_size'],
                         p.stderr)
        self.assertEqual(counts(), before)
        ctl('plan', 'add', name)
        before = counts()
        p = ctl('plan', 'edit', name, '--max-aliases', 'x',
                '--max-message-size', '1', check=False)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertEqual(sorted(refusals(p.stderr)),
                         ['--max-aliases', 'max_message_size'], p.stderr)
        self.assertEqual(counts(), before)

    def test_lookups_name_what_is_missing(self):
        for args, what in ((('mailbox', 'show', 'nosuch0001'), 'mailbox'),
                           (('domain', 'show', 'nosuch.example'), 'domain'),
                           (('plan', 'show', 'No such plan'), 'plan')):
            p = ctl(*args, check=False)
            self.assertEqual(p.returncode, 4)
            self.assertEqual(p.stderr, 'postbusctl: no such %s: %s\n'
                             % (what, args[2]))


class LoginAsWritten(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.dom = make_domain()
        cls.did = sql("SELECT id FROM domains WHERE name = @p1", cls.dom)[0][0]
        cls.m = ctl_json('mailbox', 'add', cls.dom, '--local', uniq('lw'),
                         '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        cls.login = cls.m['login']

    def hash(self):
        return sql("SELECT pw_hash FROM mailboxes WHERE id = @p1",
                   self.m['id'])[0][0]

    def test_cli(self):
        self.assertEqual(ctl_json('mailbox', 'show', self.login)['id'],
                         self.m['id'])
        for name in (self.login.upper(), self.login + ' ',
                     ' ' + self.login, self.login[:1].upper() + self.login[1:]):
            for args in (('mailbox', 'show', name),
                         ('mailbox', 'edit', name, '--name', 'X'),
                         ('mailbox', 'delete', name),
                         ('mailbox', 'vacation', name),
                         ('mailbox', 'forward', name, '--off')):
                p = ctl(*args, check=False)
                self.assertEqual(p.returncode, 4, (args, p.stderr))
                self.assertEqual(p.stderr, 'postbusctl: no such mailbox: %s\n'
                                 % name)
        self.assertEqual(sql("SELECT real_name, deleted_at IS NULL FROM "
                             "mailboxes WHERE id = @p1", self.m['id']),
                         [['', '1']])

    def test_password_page(self):
        b = Browser()
        b.login()
        page = '/passwords?d=%s' % self.did
        old = self.hash()
        # (a one-line field is trimmed, as every form's: "login " is the
        # login; its case is not changed)
        for name in (self.login.upper(), self.login[:1].upper() +
                     self.login[1:] + ' '):
            r = b.post_form(page, page, {'mailbox': name,
                                         'password': STRONG_PASSWORD + 'x',
                                         'password2': STRONG_PASSWORD + 'x'})
            self.assertEqual(r.status, 422)
            self.assertIn('No such mailbox in this domain.',
                          r.field_error('mailbox'))
            self.assertEqual(self.hash(), old)
        # the notice after a change names only a login as written
        r = b.get(page + '&changed=' + self.login.upper())
        self.assertEqual(r.status, 200)
        self.assertNotIn('has been changed', r.text)
        r = b.post_form(page, page, {'mailbox': self.login,
                                     'password': STRONG_PASSWORD + 'x',
                                     'password2': STRONG_PASSWORD + 'x'})
        self.assertEqual(r.status, 200)
        self.assertIn('The password of %s has been changed' % self.login,
                      r.text)
        self.assertNotEqual(self.hash(), old)


if __name__ == '__main__':
    unittest.main()
