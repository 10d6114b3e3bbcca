"""The permission matrix: every route x every role x own / other domain.

Each role gets a domain of its own ("own") and is tried on a domain of
someone else ("other").  A route is allowed (any status below 400, or the
form again with 422) or denied (403, or 404 for a domain out of reach, so
ids cannot be probed); a denied request changes nothing.  The table must
name every route of the staff pages; for the other pages' routes the
roles that their route table leaves out must get 403.  The same for
postbusctl --as.
"""
import glob
import os
import re
import unittest

from pbtest import Browser, ctl, env, sql, uniq, STRONG_PASSWORD

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ROLES = ('superuser', 'reseller', 'support', 'owner')
ROLE_MASK = {
    'ROLES_ALL': set(ROLES),
    'ROLES_STAFF': {'superuser', 'reseller'},
    'ROLES_MAIL': {'superuser', 'reseller', 'owner'},
    'ROLES_PLANS': {'superuser', 'reseller', 'support'},
    'ROLES_QUOTA': {'superuser', 'reseller', 'support'},
    'ROLES_SU': {'superuser'},
}
STAFF_FILES = ('page_domains.c', 'page_plans.c', 'page_admins.c', 'page_quota.c',
               'page_audit.c', 'page_home.c')

# (method, path): {role: "own other"}, A allow, D deny.  {d} is the domain
# id, {uid} a panel login's id.  POST bodies are invalid on purpose, so an
# allowed request shows the form again and nothing changes.
MATRIX = {
    ('GET', '/home?d={d}'): dict(superuser='AA', reseller='AD', support='AA', owner='AD'),
    ('GET', '/domains'): dict(superuser='AA', reseller='AA', support='AA', owner='AA'),
    ('GET', '/domain?d={d}'): dict(superuser='AA', reseller='AD', support='AA', owner='AD'),
    ('GET', '/domain/new'): dict(superuser='AA', reseller='AA', support='DD', owner='DD'),
    ('POST', '/domain/new'): dict(superuser='AA', reseller='AA', support='DD', owner='DD'),
    ('GET', '/domain/edit?d={d}'): dict(superuser='AA', reseller='AD', support='DD', owner='DD'),
    ('POST', '/domain/edit?d={d}'): dict(superuser='AA', reseller='AD', support='DD', owner='DD'),
    ('GET', '/domain/delete?d={d}'): dict(superuser='AA', reseller='AD', support='DD', owner='DD'),
    ('POST', '/domain/delete?d={d}'): dict(superuser='AA', reseller='AD', support='DD', owner='DD'),
    ('GET', '/plans'): dict(superuser='AA', reseller='AA', support='AA', owner='DD'),
    ('GET', '/plan/new'): dict(superuser='AA', reseller='AA', support='DD', owner='DD'),
    ('POST', '/plan/new'): dict(superuser='AA', reseller='AA', support='DD', owner='DD'),
    ('GET', '/plan/edit?id=1'): dict(superuser='AA', reseller='DD', support='DD', owner='DD'),
    ('POST', '/plan/edit?id=1'): dict(superuser='AA', reseller='DD', support='DD', owner='DD'),
    ('GET', '/admins'): dict(superuser='AA', reseller='DD', support='DD', owner='DD'),
    ('GET', '/admin/new'): dict(superuser='AA', reseller='DD', support='DD', owner='DD'),
    ('POST', '/admin/new'): dict(superuser='AA', reseller='DD', support='DD', owner='DD'),
    ('GET', '/admin/edit?id={uid}'): dict(superuser='AA', reseller='DD', support='DD', owner='DD'),
    ('POST', '/admin/edit?id={uid}'): dict(superuser='AA', reseller='DD', support='DD', owner='DD'),
    ('POST', '/admin/delete?id={uid}'): dict(superuser='AA', reseller='DD', support='DD', owner='DD'),
    ('GET', '/quota?d={d}'): dict(superuser='AA', reseller='AD', support='AA', owner='DD'),
    ('POST', '/quota?d={d}'): dict(superuser='AA', reseller='AD', support='AA', owner='DD'),
    ('GET', '/audit?d={d}'): dict(superuser='AA', reseller='AD', support='AA', owner='AD'),
}

BODIES = {
    '/domain/new': {'name': 'not a domain', 'plan': '1'},
    '/domain/edit': {'plan': '1', 'contact': 'not an address'},
    '/domain/delete': {'confirm': 'wrong.example'},
    '/plan/new': {'name': '', 'max_message_size': ''},
    '/plan/edit': {'name': '', 'max_message_size': ''},
    '/admin/new': {'login': 'x', 'role': 'nosuchrole'},
    '/admin/edit': {'password': 'a', 'password2': 'b'},
    '/admin/delete': {},
    '/quota': {'what': 'domain', 'mode': 'set', 'quota': 'lots'},
}


def routes_in(path):
    """(method, path, roles macro) of every route in a page_*.c file."""
    with open(path) as f:
        text = f.read()
    return re.findall(r'\{\s*"(GET|POST)",\s*"(/[^"]*)",\s*([A-Za-z_| ()]+?),', text)


def snapshot():
    return sql("SELECT (SELECT COUNT(*) FROM domains), (SELECT COUNT(*) FROM plans), "
               "(SELECT COUNT(*) FROM panel_users), (SELECT COUNT(*) FROM aliases), "
               "(SELECT COUNT(*) FROM mailboxes WHERE deleted_at IS NULL), "
               "(SELECT COUNT(*) FROM audit_log WHERE action NOT LIKE 'login%%'), "
               "(SELECT IFNULL(SUM(CRC32(CONCAT_WS(',', plan_id, active, description, "
               "contact_email, IFNULL(mail_quota, 'u')))), 0) FROM domains), "
               "(SELECT IFNULL(SUM(CRC32(CONCAT_WS(',', name, IFNULL(mail_quota, 'u'), "
               "IFNULL(max_mailboxes, 'u')))), 0) FROM plans), "
               "(SELECT IFNULL(SUM(CRC32(CONCAT_WS(',', pw_hash, IFNULL(max_domains, 'u')))), 0) "
               "FROM panel_users)")[0]


def make_domain(reseller):
    name = uniq('perm') + '.example'
    owner = uniq('pown')
    ctl('--as', reseller, 'domain', 'add', name, '--plan', 'Recommended',
        '--new-owner', owner, '--password-stdin', '--contact', 'c@example.org',
        stdin=STRONG_PASSWORD + '\n')
    return sql("SELECT id FROM domains WHERE live_name = @p1", name)[0][0], name, owner


class Matrix(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.logins = {}
        for role in ('reseller', 'support'):
            cls.logins[role] = uniq(role[:3])
            ctl('admin', 'add', cls.logins[role], '--role', role, '--password-stdin',
                stdin=STRONG_PASSWORD + '\n')
        cls.logins['superuser'] = env('POSTBUS_ADMIN_USER')
        other_res = uniq('ores')
        ctl('admin', 'add', other_res, '--role', 'reseller', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        cls.own, cls.own_name, owner = make_domain(cls.logins['reseller'])
        cls.logins['owner'] = owner
        cls.other, cls.other_name, _ = make_domain(other_res)
        cls.uid = sql("SELECT id FROM panel_users WHERE login = @p1", other_res)[0][0]
        cls.browsers = {}
        for role in ROLES:
            b = Browser()
            pw = env('POSTBUS_ADMIN_PASSWORD') if role == 'superuser' else STRONG_PASSWORD
            b.login(cls.logins[role], pw)
            cls.browsers[role] = b

    def request(self, role, method, path, did):
        b = self.browsers[role]
        url = path.format(d=did, uid=self.uid)
        if method == 'GET':
            return b.get(url, follow=False)
        token = b.get('/home').csrf()
        body = dict(BODIES.get(path.split('?')[0], {}))
        body['csrf'] = token
        if '{d}' in path:
            body['d'] = did
        if '{uid}' in path:
            body['id'] = self.uid
        return b.post(url, body, follow=False)

    def test_matrix(self):
        for (method, path), expect in sorted(MATRIX.items()):
            for role in ROLES:
                for i, did in enumerate((self.own, self.other)):
                    with self.subTest(method=method, path=path, role=role,
                                      domain='own' if i == 0 else 'other'):
                        before = snapshot()
                        r = self.request(role, method, path, did)
                        if expect[role][i] == 'A':
                            self.assertLess(r.status if r.status != 422 else 200, 400,
                                            r.text[:300])
                        else:
                            self.assertIn(r.status, (403, 404))
                            self.assertEqual(snapshot(), before)

    def test_table_covers_every_staff_route(self):
        seen = set()
        for f in STAFF_FILES:
            for method, path, _ in routes_in(os.path.join(ROOT, 'cgi-bin', f)):
                seen.add((method, path))
        table = {(m, p.split('?')[0]) for m, p in MATRIX}
        self.assertEqual(seen - table, set(), 'routes missing from MATRIX')

    def test_other_pages_refuse_roles_they_leave_out(self):
        """Routes of the other page files: roles outside the route's mask get 403."""
        files = [f for f in glob.glob(os.path.join(ROOT, 'cgi-bin', 'page_*.c'))
                 if os.path.basename(f) not in STAFF_FILES + ('page_login.c',)]
        n = 0
        for f in files:
            for method, path, mask in routes_in(f):
                roles = set()
                for part in mask.split('|'):
                    part = part.strip()
                    m = re.match(r'AUTHZ_RB\(ROLE_(\w+)\)', part)
                    if m:
                        roles.add(m.group(1).lower())
                    elif part in ROLE_MASK:
                        roles |= ROLE_MASK[part]
                for role in set(ROLES) - roles:
                    with self.subTest(method=method, path=path, role=role):
                        before = snapshot()
                        r = self.request(role, method, path + '?d={d}', self.own)
                        self.assertEqual(r.status, 403)
                        self.assertEqual(snapshot(), before)
                        n += 1
        self.assertGreaterEqual(n, 0)

    def test_cli_as(self):
        """postbusctl --as: the same rules.  0 done or 3 refused by a rule
        count as allowed; 4 and 5 as denied."""
        cases = [
            # (args, {role: 'own other'})
            (['domain', 'show', '{name}'],
             dict(superuser='AA', reseller='AD', support='AA', owner='AD')),
            (['domain', 'edit', '{name}', '--contact', 'not-an-address'],
             dict(superuser='AA', reseller='AD', support='DD', owner='DD')),
            (['domain', 'delete', '{name}', '--confirm', 'wrong.example'],
             dict(superuser='AA', reseller='AD', support='DD', owner='DD')),
            (['domain', 'add', 'bad_name', '--plan', 'Light', '--new-owner', 'x',
              '--password-stdin'],
             dict(superuser='AA', reseller='AA', support='DD', owner='DD')),
            (['plan', 'add', '', '--mail-quota', '1 GB'],
             dict(superuser='AA', reseller='AA', support='DD', owner='DD')),
            (['plan', 'edit', 'Light', '--name', ''],
             dict(superuser='AA', reseller='DD', support='DD', owner='DD')),
            (['admin', 'list'],
             dict(superuser='AA', reseller='DD', support='DD', owner='DD')),
        ]
        for args, expect in cases:
            for role in ROLES:
                for i, name in enumerate((self.own_name, self.other_name)):
                    a = [x.format(name=name) for x in args]
                    with self.subTest(args=' '.join(a), role=role):
                        before = snapshot()
                        p = ctl('--as', self.logins[role], *a, check=False,
                                stdin='short\n')
                        if expect[role][i] == 'A':
                            self.assertIn(p.returncode, (0, 3), p.stderr)
                        else:
                            self.assertIn(p.returncode, (4, 5), p.stderr)
                        self.assertEqual(snapshot(), before)


if __name__ == '__main__':
    unittest.main()
