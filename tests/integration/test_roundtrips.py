"""What one page costs the database: the statements the panel's own
connection runs for a request, read from MariaDB's general log.  A mark
added to a list must not bring back a statement per row (issue 8: "Edit
Mail Users" page 1 for a domain owner in at most 4 statements)."""
import json
import re
import unittest

from pbtest import STRONG_PASSWORD, Browser, ctl, sql, uniq


def panel_statements(b, path, fields=None):
    """The page at path (a POST of fields if given), and the statements the
    panel executed for it."""
    sql("TRUNCATE mysql.general_log")
    sql("SET GLOBAL log_output = 'TABLE'")
    sql("SET GLOBAL general_log = 1")
    try:
        page = b.get(path) if fields is None else b.post(path, fields,
                                                          follow=False)
    finally:
        sql("SET GLOBAL general_log = 0")
    # as hex: a statement's text may hold any byte (a session token's hash)
    rows = sql("SELECT HEX(argument) FROM mysql.general_log WHERE user_host "
               "LIKE 'postbus\\_panel[%' AND command_type IN ('Execute', 'Query')")
    return page, [bytes.fromhex(r[0]).decode('utf-8', 'replace') for r in rows]


class EditMailUsers(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dom = uniq('rt') + '.example'
        cls.owner = uniq('rto')
        ctl('domain', 'add', cls.dom, '--plan', 'Recommended', '--prefix',
            uniq('rt'), '--new-owner', cls.owner, '--password-stdin',
            '--contact', 'contact@example.org', stdin=STRONG_PASSWORD + '\n')
        cls.did = json.loads(ctl('--json', 'domain', 'show', cls.dom).stdout)['id']
        cls.logins = []
        for i in range(10):  # the plan's limit
            out = ctl('--json', 'mailbox', 'add', cls.dom, '--local',
                      'user%02d' % i, '--password-stdin',
                      stdin=STRONG_PASSWORD + '\n').stdout
            cls.logins.append(json.loads(out)['login'])
        # marks on some rows: forwards on two, an automatic reply on one
        ctl('mailbox', 'forward', cls.logins[0], '--to', 'a@example.net',
            '--to', 'b@example.net', '--keep')
        ctl('mailbox', 'forward', cls.logins[1], '--to', 'c@example.net',
            '--no-keep')
        ctl('mailbox', 'vacation', cls.logins[2], '--on', '--subject', 'Away',
            '--body-stdin', stdin='Back on Monday.\n')
        cls.b = Browser()
        cls.b.login(cls.owner, STRONG_PASSWORD)

    def row(self, text, login):
        m = re.search(r'<code>%s</code>.*?</tr>' % re.escape(login), text, re.S)
        self.assertIsNotNone(m, login)
        return m.group(0)

    def test_page_one_in_four_statements(self):
        page, stmts = panel_statements(self.b, '/mailboxes?d=%s' % self.did)
        self.assertEqual(page.status, 200)
        self.assertLessEqual(len(stmts), 4, '\n'.join(stmts))
        # the log did see the panel: the session and the page's rows
        self.assertTrue(any('FROM sessions' in q for q in stmts), stmts)
        self.assertTrue(any('FROM mailboxes m' in q for q in stmts), stmts)
        self.assertIn('→ 2 addresses', self.row(page.text, self.logins[0]))
        self.assertIn('→ 1 address', self.row(page.text, self.logins[1]))
        self.assertIn('Reply on', self.row(page.text, self.logins[2]))
        self.assertNotIn('Reply on', self.row(page.text, self.logins[3]))
        self.assertNotIn('→', self.row(page.text, self.logins[3]))

    def test_every_order_and_a_search_keep_the_marks(self):
        for q in ('sort=name&dir=desc&per=100', 'sort=quota', 'q=user0',
                  'sort=address&dir=desc&q=' + self.dom):
            page, stmts = panel_statements(
                self.b, '/mailboxes?d=%s&%s' % (self.did, q))
            self.assertEqual(page.status, 200, q)
            self.assertLessEqual(len(stmts), 4, q + '\n' + '\n'.join(stmts))
            self.assertIn('→ 2 addresses', self.row(page.text, self.logins[0]), q)
            self.assertIn('Reply on', self.row(page.text, self.logins[2]), q)


class CreateMailbox(unittest.TestCase):
    """A "create mailbox" POST with the account email: the domain read and
    authorised once before the transaction, the email made from the
    mailbox and domain in hand (issue 8: 22 statements before, 16 now)."""

    def test_create_with_account_email(self):
        dom = uniq('rc') + '.example'
        owner = uniq('rco')
        ctl('domain', 'add', dom, '--plan', 'Recommended', '--prefix',
            uniq('rc'), '--new-owner', owner, '--password-stdin',
            '--contact', 'contact@example.org', stdin=STRONG_PASSWORD + '\n')
        did = json.loads(ctl('--json', 'domain', 'show', dom).stdout)['id']
        b = Browser()
        b.login(owner, STRONG_PASSWORD)
        url = '/mailbox/new?d=%s' % did
        fields = {'address': 'info', 'real_name': 'Info',
                  'password': STRONG_PASSWORD, 'password2': STRONG_PASSWORD,
                  'quota': '', 'extra': '', 'send': 'address',
                  'send_to': 'someone@example.net', 'csrf': b.get(url).csrf()}
        r, stmts = panel_statements(b, url, fields)
        self.assertEqual(r.status, 303, r.text[:500])
        self.assertIn('mail=sent', r.header('Location'))
        self.assertLessEqual(len(stmts), 16, '\n'.join(stmts))
        self.assertEqual(sum('FROM domains d JOIN plans p' in q
                             for q in stmts), 1, '\n'.join(stmts))
        self.assertTrue(any(q.startswith('INSERT INTO mailboxes')
                            for q in stmts), stmts)


if __name__ == '__main__':
    unittest.main()
