"""What one page costs the database: the statements the panel's own
connection runs for a request, read from MariaDB's general log.  A mark
added to a list must not bring back a statement per row (issue 8: "Edit
Mail Users" page 1 for a domain owner in at most 4 statements; it takes
2: the session with the page's domain, and the page's rows)."""
import json
import re
import subprocess
import unittest

from pbtest import STRONG_PASSWORD, Browser, ctl, env, poll, sql, uniq


SIDEBAR = 'JOIN domains d ON d.id = ud.domain_id'


def logged(fetch):
    """What fetch() returns, and the statements the panel's connections
    executed meanwhile as (connection, text)."""
    sql("TRUNCATE mysql.general_log")
    sql("SET GLOBAL log_output = 'TABLE'")
    sql("SET GLOBAL general_log = 1")
    try:
        result = fetch()
    finally:
        sql("SET GLOBAL general_log = 0")
    # as hex: a statement's text may hold any byte (a session token's hash)
    rows = sql("SELECT thread_id, HEX(argument) FROM mysql.general_log WHERE "
               "user_host LIKE 'postbus\\_panel[%' AND "
               "command_type IN ('Execute', 'Query')")
    return result, [(r[0], bytes.fromhex(r[1]).decode('utf-8', 'replace'))
                    for r in rows]


def panel_statements(b, path, fields=None):
    """The page at path (a POST of fields if given), and the statements the
    panel executed for it."""
    page, stmts = logged(lambda: b.get(path) if fields is None else
                         b.post(path, fields, follow=False))
    return page, [q for _, q in stmts]


def sidebar_names(text):
    """The domain names the sidebar's selector offers."""
    m = re.search(r'<select[^>]*name="d"[^>]*>(.*?)</select>', text, re.S)
    return re.findall(r'<option[^>]*>([^<]*)</option>', m.group(1)) if m else []


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

    def test_page_one_in_two_statements(self):
        """The session with the domain, and the page's rows; the sidebar's
        names once per worker (each keeps them until they change)."""
        url = '/mailboxes?d=%s' % self.did
        pages, logged_stmts = logged(lambda: [self.b.get(url)
                                              for _ in range(6)])
        stmts = [q for _, q in logged_stmts]
        workers = {t for t, _ in logged_stmts}
        for page in pages:
            self.assertEqual(page.status, 200)
            self.assertEqual(sidebar_names(page.text), [self.dom])
        sidebar = [q for q in stmts if SIDEBAR in q]
        self.assertLessEqual(len(sidebar), len(workers), '\n'.join(stmts))
        self.assertLessEqual(len(stmts) - len(sidebar), 2 * len(pages),
                             '\n'.join(stmts))
        # the log did see the panel: the session and the page's rows
        self.assertEqual(sum('FROM sessions' in q for q in stmts), len(pages))
        self.assertEqual(sum('FROM mailboxes m' in q for q in stmts), len(pages))
        page = pages[-1]
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
            self.assertLessEqual(len([s for s in stmts if SIDEBAR not in s]),
                                 2, q + '\n' + '\n'.join(stmts))
            self.assertIn('→ 2 addresses', self.row(page.text, self.logins[0]), q)
            self.assertIn('Reply on', self.row(page.text, self.logins[2]), q)


class CreateMailbox(unittest.TestCase):
    """A "create mailbox" POST with the account email: the domain read and
    authorised once before the transaction, the email made from the
    mailbox and domain in hand (issue 8: 22 statements before; 15 now, the
    session and the domain read in one)."""

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
        self.assertLessEqual(len(stmts), 15, '\n'.join(stmts))
        self.assertEqual(sum('domains d JOIN plans p' in q
                             for q in stmts), 1, '\n'.join(stmts))
        self.assertTrue(any(q.startswith('INSERT INTO mailboxes')
                            for q in stmts), stmts)


class SidebarFollowsChanges(unittest.TestCase):
    """Each worker keeps a login's domain names for the sidebar, with the
    version of schema/050 they were read at: a domain made, given or
    deleted shows on the very next page, whichever worker serves it."""

    @classmethod
    def setUpClass(cls):
        cls.owner = uniq('sbo')
        cls.first = uniq('sb1') + '.example'
        ctl('domain', 'add', cls.first, '--plan', 'Recommended', '--prefix',
            uniq('sb'), '--new-owner', cls.owner, '--password-stdin',
            '--contact', 'contact@example.org', stdin=STRONG_PASSWORD + '\n')
        cls.did = json.loads(ctl('--json', 'domain', 'show',
                                 cls.first).stdout)['id']
        cls.b = Browser()
        cls.b.login(cls.owner, STRONG_PASSWORD)

    def names(self):
        """The sidebar of a few pages in a row: both workers serve some."""
        seen = []
        for _ in range(4):
            page = self.b.get('/mailboxes?d=%s' % self.did)
            self.assertEqual(page.status, 200)
            seen.append(sidebar_names(page.text))
        return seen

    def version(self):
        return int(sql("SELECT version FROM domain_names_version")[0][0])

    def test_made_and_deleted(self):
        self.assertEqual(self.names(), [[self.first]] * 4)
        second = uniq('sb2') + '.example'
        before = self.version()
        ctl('domain', 'add', second, '--plan', 'Recommended', '--prefix',
            uniq('sb'), '--owner', self.owner, '--contact', 'c@example.org')
        self.assertGreater(self.version(), before)
        self.assertEqual(self.names(), [sorted([self.first, second])] * 4)
        ctl('domain', 'delete', second, '--yes')
        self.assertEqual(self.names(), [[self.first]] * 4)

    def test_a_restored_version_never_comes_back(self):
        """A database put back to an older number (a backup restored, a
        replica promoted) moves on past every number handed out before,
        so no worker's kept list can match it by chance."""
        seen = self.version()
        sql("UPDATE domain_names_version SET version = 1")
        other = uniq('sb3') + '.example'
        ctl('domain', 'add', other, '--plan', 'Recommended', '--prefix',
            uniq('sb'), '--owner', self.owner, '--contact', 'c@example.org')
        self.assertGreater(self.version(), seen)
        self.assertIn(other, self.names()[0])
        ctl('domain', 'delete', other, '--yes')

    def test_a_new_mailbox_leaves_the_names_alone(self):
        """A mailbox changes its domain's row (the counters): the version
        stays, and its row is not even locked (a writer holding it does
        not hold up the mailbox)."""
        before = self.version()
        holder = subprocess.Popen(
            ['mariadb', '--no-defaults', '-uroot',
             '--socket=' + env('POSTBUS_DB_SOCKET'),
             env('POSTBUS_DB_NAME', 'postbus')], stdin=subprocess.PIPE,
            text=True)
        try:
            holder.stdin.write("BEGIN; SELECT version FROM domain_names_version "
                               "FOR UPDATE; SELECT SLEEP(60);\n")
            holder.stdin.flush()
            self.assertTrue(poll(lambda: sql(
                "SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE "
                "trx_rows_locked > 0")[0][0] != '0'))
            ctl('mailbox', 'add', self.first, '--local', uniq('nb'),
                '--password-stdin', stdin=STRONG_PASSWORD + '\n')
            self.assertIsNone(holder.poll(), 'the lock holder is still there')
        finally:
            holder.kill()
            holder.wait()
        self.assertEqual(self.version(), before)


if __name__ == '__main__':
    unittest.main()
