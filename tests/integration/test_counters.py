"""The per-domain counters of schema/005 (domains.mailbox_count, quota_sum,
unlimited_count and domain_disk.bytes) equal the aggregates they stand for,
whatever changed the rows: the web form, postbusctl, Dovecot's quota
account, a purge, a domain deletion.

One table of steps runs in order on two fresh domains; after every step
the counters of both are compared with a COUNT/SUM over the live
mailboxes and with the SUM of quota_usage over the primary addresses, and
domain A's counters with the values the step should give (so that a step
which changed nothing cannot pass by accident).
"""
import subprocess
import unittest

from pbtest import Browser, ctl, ctl_json, env, sql, uniq, STRONG_PASSWORD

GB = 1 << 30
MB = 1 << 20

# counters, then the truth, of the domains @p1 and @p2
CHECK = """
SELECT d.name, d.mailbox_count, d.quota_sum, d.unlimited_count,
  IFNULL((SELECT dd.bytes FROM domain_disk dd WHERE dd.domain_id = d.id), 0),
  (SELECT COUNT(*) FROM mailboxes m WHERE m.domain_id = d.id
     AND m.deleted_at IS NULL),
  (SELECT IFNULL(SUM(m.quota), 0) FROM mailboxes m WHERE m.domain_id = d.id
     AND m.deleted_at IS NULL),
  (SELECT COUNT(*) FROM mailboxes m WHERE m.domain_id = d.id
     AND m.deleted_at IS NULL AND m.quota = 0),
  (SELECT IFNULL(SUM(q.bytes), 0) FROM addresses a JOIN quota_usage q
     ON q.username = a.address WHERE a.domain_id = d.id AND a.kind = 'primary'),
  (SELECT IFNULL(SUM(q.bytes), 0) FROM mailboxes m JOIN quota_usage q
     ON q.username = m.address WHERE m.domain_id = d.id AND m.deleted_at IS NULL)
FROM domains d WHERE d.id IN (@p1, @p2) ORDER BY d.id
"""


def quota_sql(query, *params):
    """SQL as the account Dovecot's quota dict uses (it may write
    quota_usage and nothing else); parameters as user variables."""
    secrets = {}
    with open(env('POSTBUS_STATE') + '/db-secrets.env') as f:
        for line in f:
            k, _, v = line.strip().partition('=')
            secrets[k] = v
    pre = ''
    for i, p in enumerate(params, 1):
        s = str(p).replace('\\', '\\\\').replace("'", "\\'")
        pre += "SET @p%d = '%s';\n" % (i, s)
    p = subprocess.run(
        ['mariadb', '--no-defaults', '-u' + secrets['DB_QUOTA_USER'],
         '-p' + secrets['DB_QUOTA_PASSWORD'],
         '--socket=' + env('POSTBUS_DB_SOCKET'), '-N', '-B',
         env('POSTBUS_DB_NAME', 'postbus')],
        input=pre + query + ';\n', capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError('quota SQL failed: %s: %s' % (query, p.stderr))


class Counters(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.plan = uniq('cplan')
        sql("INSERT INTO plans (name, mail_quota, max_mailboxes, "
            "default_mailbox_quota, allow_unlimited_quota) VALUES "
            "(@p1, NULL, NULL, @p2, 1)", cls.plan, GB)
        cls.doms = []
        for k in range(2):
            prefix = uniq('cnt')
            name = prefix + '.example'
            owner = uniq('cown')
            ctl('domain', 'add', name, '--plan', cls.plan, '--prefix', prefix,
                '--new-owner', owner, '--password-stdin', '--contact',
                'contact@example.org', stdin=STRONG_PASSWORD + '\n')
            did = sql("SELECT id FROM domains WHERE name = @p1", name)[0][0]
            cls.doms.append((name, did, prefix, owner))
        cls.a, cls.a_id, cls.a_prefix, cls.a_owner = cls.doms[0]
        cls.b, cls.b_id = cls.doms[1][0], cls.doms[1][1]
        cls.web = Browser()
        cls.web.login(cls.a_owner, STRONG_PASSWORD)
        cls.logins = {}

    # --- what the steps do -------------------------------------------------

    def add(self, key, dom, quota):
        m = ctl_json('mailbox', 'add', dom, '--local', key, '--quota', quota,
                     '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        self.logins[key] = m['login']

    def add_web(self, key, quota):
        r = self.web.post_form(
            '/mailbox/new?d=%s' % self.a_id, '/mailbox/new?d=%s' % self.a_id,
            {'address': key, 'real_name': 'Web', 'password': STRONG_PASSWORD,
             'password2': STRONG_PASSWORD, 'quota': quota, 'extra': '',
             'send': 'none', 'send_to': ''}, follow=False)
        self.assertEqual(r.status, 303, r.text[:1000])
        self.logins[key] = self.row(key)[0]

    def row(self, key):
        """login, id, primary address of a mailbox by its first local part
        (the login once known)"""
        login = self.logins.get(key)
        if login is None:
            return sql("SELECT login, id, address FROM mailboxes WHERE "
                       "address = @p1", '%s@%s' % (key, self.a))[0]
        return sql("SELECT login, id, address FROM mailboxes WHERE login = @p1",
                   login)[0]

    def edit(self, key, *args):
        ctl('mailbox', 'edit', self.logins[key], *args)

    def usage_set(self, key, nbytes):
        """what Dovecot's quota dict does after a delivery"""
        quota_sql("INSERT INTO quota_usage (username, bytes, messages) "
                  "VALUES (@p1, @p2, 1) ON DUPLICATE KEY UPDATE bytes = @p2",
                  self.row(key)[2], nbytes)

    def usage_of(self, address, nbytes):
        quota_sql("INSERT INTO quota_usage (username, bytes, messages) "
                  "VALUES (@p1, @p2, 1) ON DUPLICATE KEY UPDATE bytes = @p2",
                  address, nbytes)

    def usage_delete(self, key):
        quota_sql("DELETE FROM quota_usage WHERE username = @p1",
                  self.row(key)[2])

    def delete_web(self, key):
        mid = self.row(key)[1]
        r = self.web.post_form('/mailboxes?d=%s' % self.a_id,
                               '/mailboxes/delete?d=%s' % self.a_id,
                               {'sel': [mid]})
        self.assertEqual(r.status, 200)
        r = self.web.post('/mailboxes/delete?d=%s' % self.a_id,
                          {'csrf': r.csrf(), 'sel': [mid], 'confirm': '1'})
        self.assertIn('1 mailbox deleted.', r.text)

    def delete_ctl(self, key):
        ctl('mailbox', 'delete', self.logins[key])

    def restore(self, key):
        ctl('mailbox', 'restore', self.logins[key])

    def purge(self, key):
        ctl('mailbox', 'purge', '--days', '0')
        self.assertNotEqual(sql("SELECT IFNULL(purged_at, '') FROM mailboxes "
                                "WHERE login = @p1", self.logins[key])[0][0], '')

    def delete_domain_b(self):
        ctl('domain', 'delete', self.b, '--confirm', self.b)

    def purge_domain_b(self):
        ctl('mailbox', 'purge', '--days', '0')
        self.assertEqual(sql("SELECT COUNT(*) FROM mailboxes WHERE domain_id = "
                             "@p1 AND purged_at IS NULL", self.b_id)[0][0], '0')

    # --- the table ---------------------------------------------------------

    def test_counters_follow_every_change(self):
        a, b = self.a, self.b
        # step, action, domain A's (mailboxes, quota sum, unlimited, disk)
        steps = [
            ('create (postbusctl)', lambda: self.add('c1', a, '1GB'),
             (1, GB, 0, 0)),
            ('create unlimited', lambda: self.add('c2', a, 'unlimited'),
             (2, GB, 1, 0)),
            ('create (web form)', lambda: self.add_web('c3', '100 MB'),
             (3, GB + 100 * MB, 1, 0)),
            ('create in the other domain', lambda: self.add('b1', b, '2GB'),
             (3, GB + 100 * MB, 1, 0)),
            ('usage insert (quota account)', lambda: self.usage_set('c1', 5000),
             (3, GB + 100 * MB, 1, 5000)),
            ('usage insert, unlimited one', lambda: self.usage_set('c2', 7000),
             (3, GB + 100 * MB, 1, 12000)),
            ('usage update', lambda: self.usage_set('c1', 6000),
             (3, GB + 100 * MB, 1, 13000)),
            ('usage of a stranger', lambda: self.usage_of('nobody@' + a, 999),
             (3, GB + 100 * MB, 1, 13000)),
            ('usage in the other domain',
             lambda: self.usage_of('b1@' + b, 4000),
             (3, GB + 100 * MB, 1, 13000)),
            ('quota change', lambda: self.edit('c1', '--quota', '2GB'),
             (3, 2 * GB + 100 * MB, 1, 13000)),
            ('unlimited to limited', lambda: self.edit('c2', '--quota', '500MB'),
             (3, 2 * GB + 600 * MB, 0, 13000)),
            ('limited to unlimited', lambda: self.edit('c3', '--quota', 'unlimited'),
             (3, 2 * GB + 500 * MB, 1, 13000)),
            ('address rename', lambda: self.edit('c1', '--local', 'c1new'),
             (3, 2 * GB + 500 * MB, 1, 13000)),
            ('usage update after rename', lambda: self.usage_set('c1', 8000),
             (3, 2 * GB + 500 * MB, 1, 15000)),
            ('additional addresses', lambda: self.edit('c2', '--extra', 'x1,x2'),
             (3, 2 * GB + 500 * MB, 1, 15000)),
            ('delete (postbusctl)', lambda: self.delete_ctl('c2'),
             (2, 2 * GB, 1, 8000)),
            ('usage update of a deleted one', lambda: self.usage_set('c2', 9000),
             (2, 2 * GB, 1, 8000)),
            ('restore', lambda: self.restore('c2'),
             (3, 2 * GB + 500 * MB, 1, 17000)),
            ('delete (web)', lambda: self.delete_web('c2'),
             (2, 2 * GB, 1, 8000)),
            ('purge', lambda: self.purge('c2'),
             (2, 2 * GB, 1, 8000)),
            ('usage delete (quota account)', lambda: self.usage_delete('c1'),
             (2, 2 * GB, 1, 0)),
            ('usage insert again', lambda: self.usage_set('c1', 300),
             (2, 2 * GB, 1, 300)),
            ('delete the other domain', self.delete_domain_b,
             (2, 2 * GB, 1, 300)),
            ('purge a deleted domain\'s mailboxes', self.purge_domain_b,
             (2, 2 * GB, 1, 300)),
        ]
        for name, action, want in steps:
            with self.subTest(step=name):
                action()
                rows = sql(CHECK, self.a_id, self.b_id)
                self.assertEqual(len(rows), 2)
                for r in rows:
                    v = [int(x) for x in r[1:]]
                    counters, truth = v[0:4], v[4:8]
                    self.assertEqual(counters, truth, '%s after %s' % (r[0], name))
                    self.assertEqual(v[7], v[8], '%s: disk by address and by '
                                     'mailbox after %s' % (r[0], name))
                self.assertEqual(tuple(int(x) for x in rows[0][1:5]), want, name)
        # the deleted domain counts nothing any more
        self.assertEqual([int(x) for x in sql(CHECK, self.a_id, self.b_id)[1][1:5]],
                         [0, 0, 0, 0])

    def test_list_page_count_is_the_counter(self):
        """Without a search "Edit Mail Users" shows mailbox_count; with
        one, the number of matches."""
        dom = uniq('cl')
        ctl('domain', 'add', dom + '.example', '--plan', self.plan, '--prefix',
            dom, '--owner', self.a_owner, '--contact', 'contact@example.org')
        did = sql("SELECT id FROM domains WHERE name = @p1", dom + '.example')[0][0]
        for k in ('anna', 'bram', 'anneke'):
            ctl('mailbox', 'add', dom + '.example', '--local', k,
                '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        r = self.web.get('/mailboxes?d=%s' % did)
        self.assertIn('3 mailboxes', r.text)
        # the page believes the counter: set it wrong by hand, see it shown
        sql("UPDATE domains SET mailbox_count = 42 WHERE id = @p1", did)
        try:
            r = self.web.get('/mailboxes?d=%s' % did)
            self.assertIn('42 mailboxes', r.text)
            r = self.web.get('/mailboxes?d=%s&q=ann' % did)
            self.assertIn('2 mailboxes', r.text)
            r = self.web.get('/mailboxes?d=%s&q=ann&page=2' % did)
            self.assertIn('2 mailboxes', r.text)
        finally:
            sql("UPDATE domains SET mailbox_count = 3 WHERE id = @p1", did)


if __name__ == '__main__':
    unittest.main()
