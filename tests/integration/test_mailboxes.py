"""Mailboxes, the panel side: "Edit Mail Users", add/edit, delete and
restore, "Change Passwords", postbusctl mailbox, and (when the mail stack
runs) what Postfix and Dovecot make of it.

Every bad input gets the same form again (422) with the message next to the
field, the other fields kept, the password never echoed, and nothing changed
in the database.
"""
import html
import imaplib
import os
import poplib
import re
import smtplib
import socket
import subprocess
import threading
import unittest

from pbtest import Browser, ctl, ctl_json, env, poll, sql, uniq, STRONG_PASSWORD

PW2 = 'Tq5nWr8xZb'
HOSTILE = ['<script>alert(1)</script>', '"\'><img src=x onerror=alert(1)>']


def main(text):
    """The page's own content, without the sidebar."""
    return text.split('<main', 1)[-1]


def make_domain(prefix=None, plan='Recommended', plan_id=2):
    """A domain with its owner: (name, id, prefix, owner login)."""
    prefix = prefix or uniq('mb')
    name = prefix + '.example'
    owner = uniq('own')
    p = ctl('domain', 'add', name, '--plan', plan, '--prefix', prefix,
            '--new-owner', owner, '--password-stdin', '--contact',
            'contact@example.org', stdin=STRONG_PASSWORD + '\n', check=False)
    if p.returncode == 2 and 'usage: postbusctl [-c' in p.stderr:
        # no "domain add" yet: straight into the database
        sql("INSERT INTO domains (name, prefix, plan_id, created_by) "
            "VALUES (@p1, @p2, @p3, 'test')", name, prefix, plan_id)
        ctl('admin', 'add', owner, '--role', 'owner', '--domain', name,
            '--password-stdin', stdin=STRONG_PASSWORD + '\n')
    elif p.returncode != 0:
        raise AssertionError('domain add: %s' % p.stderr)
    did = sql("SELECT id FROM domains WHERE name = @p1", name)[0][0]
    return name, did, prefix, owner


def make_plan(max_mailboxes=10, mail_quota=None, default_quota=3 << 30,
              unlimited=0):
    name = uniq('plan')
    sql("INSERT INTO plans (name, mail_quota, max_mailboxes, "
        "default_mailbox_quota, allow_unlimited_quota) VALUES (@p1, "
        "NULLIF(@p2, ''), NULLIF(@p3, ''), @p4, @p5)", name,
        '' if mail_quota is None else mail_quota,
        '' if max_mailboxes is None else max_mailboxes, default_quota, unlimited)
    return name, sql("SELECT id FROM plans WHERE name = @p1", name)[0][0]


def browser_as(login):
    b = Browser()
    b.login(login, STRONG_PASSWORD)
    return b


def add_cli(domain, local, *args, password=STRONG_PASSWORD):
    return ctl_json('mailbox', 'add', domain, '--local', local,
                    '--password-stdin', *args, stdin=password + '\n')


def snapshot():
    """What a refused action must not change."""
    return sql("SELECT (SELECT COUNT(*) FROM mailboxes), (SELECT COUNT(*) "
               "FROM addresses), (SELECT IFNULL(SUM(CRC32(CONCAT_WS(',', "
               "login, address, real_name, pw_hash, quota, enabled, "
               "IFNULL(deleted_at, '-')))), 0) FROM mailboxes), (SELECT "
               "IFNULL(SUM(next_counter), 0) FROM domains), (SELECT COUNT(*) "
               "FROM audit_log WHERE action LIKE 'mailbox.%%')")[0]


def form(address='info', **kw):
    f = {'address': address, 'real_name': 'Info', 'password': STRONG_PASSWORD,
         'password2': STRONG_PASSWORD, 'quota': '', 'extra': '',
         'send': 'none', 'send_to': ''}
    f.update(kw)
    return f


def mailbox_row(login):
    rows = sql("SELECT id, address, real_name, quota, enabled, "
               "IFNULL(deleted_at, ''), pw_hash FROM mailboxes WHERE login = @p1",
               login)
    return rows[0] if rows else None


def addresses_of(mid):
    return sorted(r[0] + ':' + r[1] for r in sql(
        "SELECT address, kind FROM addresses WHERE mailbox_id = @p1", mid))


class Create(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.prefix, cls.owner = make_domain()
        cls.b = browser_as(cls.owner)

    def test_form_shows_imposed_login_and_no_login_field(self):
        r = self.b.get('/mailbox/new?d=%s' % self.did)
        self.assertEqual(r.status, 200)
        self.assertRegex(r.text, r'<code class="login">%s\d{4}</code>' % self.prefix)
        self.assertNotIn('name="login"', r.text)
        self.assertIn('@%s' % self.dom, r.text)
        self.assertIn('Send account email to', r.text)

    def test_create_via_form_as_owner(self):
        before = int(sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                         "'mailbox.create'")[0][0])
        r = self.b.post_form('/mailbox/new?d=%s' % self.did, '/mailbox/new?d=%s' % self.did,
                             form('Gugus.Dupont', real_name='Gugus Dupont',
                                  extra='gugus\r\ncontact@%s\n' % self.dom.upper(),
                                  quota='1 GB'), follow=False)
        self.assertEqual(r.status, 303, r.text[:2000])
        login = re.search(r'login=(%s\d+)' % self.prefix, r.header('Location')).group(1)
        row = mailbox_row(login)
        self.assertEqual(row[1], 'gugus.dupont@' + self.dom)
        self.assertEqual(row[2], 'Gugus Dupont')
        self.assertEqual(row[3], str(1 << 30))
        self.assertTrue(row[6].startswith('$y$'))
        self.assertEqual(addresses_of(row[0]), sorted([
            'gugus.dupont@%s:primary' % self.dom, 'gugus@%s:extra' % self.dom,
            'contact@%s:extra' % self.dom]))
        r = self.b.get(r.header('Location'))
        self.assertIn('has been created', r.text)
        self.assertIn('gugus.dupont@' + self.dom, r.text)
        self.assertIn('1 GB', r.text)
        audit = sql("SELECT actor, object, new_value FROM audit_log WHERE action = "
                    "'mailbox.create' ORDER BY id DESC LIMIT 1")[0]
        self.assertEqual(audit[0], self.owner)
        self.assertEqual(audit[1], login)
        self.assertNotIn(STRONG_PASSWORD, audit[2])
        self.assertNotIn('$y$', audit[2])
        self.assertEqual(int(sql("SELECT COUNT(*) FROM audit_log WHERE action = "
                                 "'mailbox.create'")[0][0]), before + 1)

    def test_login_typed_into_the_post_is_ignored(self):
        r = self.b.post_form('/mailbox/new?d=%s' % self.did, '/mailbox/new?d=%s' % self.did,
                             form(uniq('x'), login='evil0001'), follow=False)
        self.assertEqual(r.status, 303)
        self.assertEqual(sql("SELECT COUNT(*) FROM mailboxes WHERE login = 'evil0001'")[0][0], '0')
        self.assertRegex(r.header('Location'), r'login=%s\d{4}' % self.prefix)

    def test_default_quota_is_the_plans(self):
        m = add_cli(self.dom, uniq('q'))
        self.assertEqual(m['quota'], 3 << 30)


class Naming(unittest.TestCase):
    def test_sequence_never_reused_after_delete(self):
        dom, did, prefix, owner = make_domain()
        a = add_cli(dom, 'info')
        b = add_cli(dom, 'sales')
        self.assertEqual(a['login'], prefix + '0001')
        self.assertEqual(b['login'], prefix + '0002')
        ctl('mailbox', 'delete', b['login'])
        c = add_cli(dom, 'support')
        self.assertEqual(c['login'], prefix + '0003')
        # even after a restore and a purge the numbers go on
        ctl('mailbox', 'restore', b['login'])
        ctl('mailbox', 'delete', a['login'])
        d = add_cli(dom, 'extra')
        self.assertEqual(d['login'], prefix + '0004')

    def test_five_digits_after_9999(self):
        name, pid = make_plan(max_mailboxes=None)
        dom, did, prefix, owner = make_domain(plan=name, plan_id=pid)
        sql("UPDATE domains SET next_counter = 9999 WHERE id = @p1", did)
        self.assertEqual(add_cli(dom, 'a')['login'], prefix + '9999')
        self.assertEqual(add_cli(dom, 'b')['login'], prefix + '10000')

    def test_login_made_by_hand_is_skipped(self):
        dom, did, prefix, owner = make_domain()
        sql("INSERT INTO mailboxes (domain_id, login, address, pw_hash, created_by) "
            "VALUES (@p1, @p2, @p3, 'x', 'test')", did, prefix + '0001',
            'old@' + dom)
        self.assertEqual(add_cli(dom, 'new')['login'], prefix + '0002')


class Concurrency(unittest.TestCase):
    def test_fifty_creations_with_a_limit_of_ten(self):
        dom, did, prefix, owner = make_domain()     # Recommended: 10 mailboxes
        results = []

        def one(i):
            p = ctl('--json', 'mailbox', 'add', dom, '--local', 'user%d' % i,
                    '--quota', '100MB', '--password-stdin',
                    stdin=STRONG_PASSWORD + '\n', check=False)
            results.append(p.returncode)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results.count(0), 10, results)
        self.assertEqual(results.count(3), 40, results)
        logins = [r[0] for r in sql("SELECT login FROM mailboxes WHERE domain_id = @p1 "
                                    "ORDER BY login", did)]
        self.assertEqual(logins, ['%s%04d' % (prefix, i) for i in range(1, 11)])
        self.assertEqual(sql("SELECT next_counter FROM domains WHERE id = @p1", did)[0][0], '11')

    def test_parallel_web_creations_never_share_a_name(self):
        name, pid = make_plan(max_mailboxes=None)
        dom, did, prefix, owner = make_domain(plan=name, plan_id=pid)
        statuses = []

        # log in one after the other: parallel logins of one user are
        # slowed down by design (attempts count before the password check)
        browsers = [browser_as(owner) for i in range(16)]

        def one(i):
            b = browsers[i]
            r = b.post_form('/mailbox/new?d=%s' % did, '/mailbox/new?d=%s' % did,
                            form('web%d' % i, quota='10 MB'), follow=False)
            statuses.append(r.status)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(statuses, [303] * 16)
        logins = [r[0] for r in sql("SELECT login FROM mailboxes WHERE domain_id = @p1 "
                                    "ORDER BY login", did)]
        self.assertEqual(logins, ['%s%04d' % (prefix, i) for i in range(1, 17)])


class BadInput(unittest.TestCase):
    """Each bad input: 422, the message by the field, nothing changed."""

    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.prefix, cls.owner = make_domain()
        cls.b = browser_as(cls.owner)
        cls.taken = add_cli(cls.dom, 'taken', '--extra', 'alsotaken')
        sql("INSERT INTO aliases (domain_id, address, created_by) VALUES (@p1, @p2, 't')",
            cls.did, 'alias@' + cls.dom)
        aid = sql("SELECT id FROM aliases WHERE address = @p1", 'alias@' + cls.dom)[0][0]
        sql("INSERT INTO addresses (address, domain_id, kind, alias_id) VALUES "
            "(@p1, @p2, 'alias', @p3)", 'alias@' + cls.dom, cls.did, aid)
        cls.url = '/mailbox/new?d=%s' % cls.did

    def refused(self, fields, field, pattern, url=None):
        before = snapshot()
        r = self.b.post_form(url or self.url, url or self.url, fields)
        self.assertEqual(r.status, 422, main(r.text)[:1500])
        msg = r.field_error(field)
        self.assertIsNotNone(msg, 'no message next to %s: %s' % (field, main(r.text)[:2000]))
        self.assertRegex(msg, pattern)
        self.assertEqual(snapshot(), before)
        # the other fields are kept, the passwords never
        for k in ('address', 'real_name', 'quota', 'send_to'):
            if k in fields and k != field and fields[k] and '<' not in fields[k]:
                self.assertEqual(r.input_value(k), fields[k], k)
        for k in ('password', 'password2'):
            if fields.get(k):
                self.assertNotIn(fields[k], r.text)
        return r

    def test_invalid_local_part(self):
        for bad in ('bad local', 'a..b', '.dot', 'x' * 65, 'é'):
            self.refused(form(bad, real_name='Kept Name', quota='2 GB'), 'address', r'.')

    def test_address_in_another_domain(self):
        self.refused(form('info@elsewhere.example', real_name='Kept'), 'address',
                     'must be in the domain')

    def test_duplicate_primary(self):
        self.refused(form('taken', real_name='Kept'), 'address', 'already in use')

    def test_duplicate_of_an_extra(self):
        self.refused(form('ALSOTAKEN'), 'address', 'already in use')

    def test_duplicate_of_an_alias(self):
        self.refused(form('alias'), 'address', 'alias')

    def test_extra_taken_or_foreign(self):
        self.refused(form(uniq('p'), extra='fine\ntaken'), 'extra', 'already in use')
        self.refused(form(uniq('p'), extra='x@other.example'), 'extra', 'must be in the domain')
        self.refused(form(uniq('p'), extra='bad(x)'), 'extra', '.')

    def test_weak_password(self):
        for pw in ('short1', 'password123', 'abcdefghij', self.prefix + '12345x'):
            self.refused(form(uniq('p'), password=pw, password2=pw, real_name='Kept'),
                         'password', r'.')

    def test_password_mismatch(self):
        self.refused(form(uniq('p'), password2=PW2, real_name='Kept'), 'password2',
                     'not the same')

    def test_quota_above_plan(self):
        self.refused(form(uniq('p'), quota='40 GB', real_name='Kept'), 'quota', 'plan')

    def test_malformed_quota(self):
        for q in ('lots', '3 XB', '-1', '0', '12 kB'):
            self.refused(form(uniq('p'), quota=q, real_name='Kept'), 'quota', r'.')

    def test_unlimited_not_allowed_by_plan(self):
        self.refused(form(uniq('p'), quota_mode='unlimited'), 'quota', 'does not allow')

    def test_over_long_fields(self):
        self.refused(form(uniq('p'), real_name='R' * 256), 'real_name', 'too long')
        self.refused(form('a' * 255), 'address', 'too long')
        self.refused(form(uniq('p'), send='address', send_to='x' * 300 + '@a.example'),
                     'send_to', r'.')

    def test_hostile_real_name(self):
        for h in HOSTILE:
            r = self.refused(form(uniq('p'), real_name=h), 'real_name', 'cannot contain')
            self.assertNotIn(h, r.text)
            self.assertIn(html.escape(h, quote=True).replace('&#x27;', '&#39;'), r.text)

    def test_bad_send_to(self):
        self.refused(form(uniq('p'), send='address', send_to='not an address'),
                     'send_to', r'.')

    def test_edit_bad_input_keeps_mailbox(self):
        m = add_cli(self.dom, uniq('e'))
        url = '/mailbox/edit?id=%s' % m['id']
        self.refused(form('taken', pw_mode='keep'), 'address', 'already in use', url=url)
        self.refused(form(m['address'].split('@')[0], pw_mode='set', password='weak',
                          password2='weak'), 'password', r'.', url=url)
        self.refused(form(m['address'].split('@')[0], real_name=HOSTILE[0],
                          pw_mode='keep'), 'real_name', 'cannot contain', url=url)


class Access(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.a = make_domain()
        cls.bdom = make_domain()
        cls.mb = add_cli(cls.bdom[0], 'secret', '--name', 'B Secret')
        cls.ba = browser_as(cls.a[3])

    def test_other_domains_mailbox_by_id(self):
        before = snapshot()
        mid = self.mb['id']
        self.assertEqual(self.ba.get('/mailbox/edit?id=%s' % mid).status, 404)
        r = self.ba.post_form('/mailboxes?d=%s' % self.a[1], '/mailbox/edit?id=%s' % mid,
                              form('stolen', pw_mode='set'))
        self.assertEqual(r.status, 404)
        self.assertNotIn('B Secret', r.text)
        r = self.ba.post_form('/mailboxes?d=%s' % self.a[1],
                              '/mailboxes/delete?d=%s' % self.a[1],
                              {'d': self.a[1], 'sel': [mid], 'confirm': '1'})
        self.assertEqual(r.status, 404)
        r = self.ba.post_form('/mailboxes?d=%s' % self.a[1], '/passwords?d=%s' % self.a[1],
                              {'mailbox': mid, 'password': PW2, 'password2': PW2})
        self.assertEqual(r.status, 422)
        self.assertEqual(self.ba.get('/mailboxes?d=%s' % self.bdom[1]).status, 404)
        self.assertEqual(snapshot(), before)

    def test_csrf_missing_is_403(self):
        before = snapshot()
        for path, fields in (('/mailbox/new?d=%s' % self.a[1], form('nocsrf')),
                             ('/mailboxes/delete?d=%s' % self.a[1],
                              {'sel': [self.mb['id']], 'confirm': '1'}),
                             ('/passwords?d=%s' % self.a[1],
                              {'mailbox': '1', 'password': PW2, 'password2': PW2})):
            r = self.ba.post(path, fields)
            self.assertEqual(r.status, 403, path)
            r = self.ba.post(path, dict(fields, csrf='0' * 64))
            self.assertEqual(r.status, 403, path)
        self.assertEqual(snapshot(), before)

    def test_support_changes_quota_and_password_only(self):
        login = uniq('sup')
        ctl('admin', 'add', login, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        b = browser_as(login)
        mid = self.mb['id']
        self.assertEqual(b.get('/mailboxes?d=%s' % self.bdom[1]).status, 200)
        self.assertEqual(b.get('/mailbox/new?d=%s' % self.bdom[1]).status, 403)
        r = b.post_form('/mailbox/edit?id=%s' % mid, '/mailbox/edit?id=%s' % mid,
                        form('renamed', real_name='Changed', quota='2 GB',
                             pw_mode='set', password=PW2, password2=PW2), follow=False)
        self.assertEqual(r.status, 303, main(r.text)[:1000])
        row = sql("SELECT address, real_name, quota FROM mailboxes WHERE id = @p1", mid)[0]
        self.assertEqual(row, ['secret@' + self.bdom[0], 'B Secret', str(2 << 30)])
        self.assertEqual(b.post_form('/mailboxes?d=%s' % self.bdom[1],
                                     '/mailboxes/delete?d=%s' % self.bdom[1],
                                     {'sel': [mid], 'confirm': '1'}).status, 403)


class ListPage(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.prefix, cls.owner = make_domain(plan='Extended', plan_id=3)
        for i in range(25):
            add_cli(cls.dom, 'person%02d' % i, '--name', 'Person %s' % chr(ord('A') + i),
                    '--quota', '%dMB' % (100 + i))
        cls.b = browser_as(cls.owner)

    def rows(self, r):
        return re.findall(r'<code>(%s\d+)</code>' % self.prefix, r.text)

    def test_allowance_and_columns(self):
        r = self.b.get('/mailboxes?d=%s' % self.did)
        self.assertEqual(r.status, 200)
        self.assertIn('Based on your limits, 75 additional mailboxes can be added.', r.text)
        for h in ('Select all', 'Invert selection', 'Add a user to this server',
                  'Delete Selected Users', 'Quota used', 'Login access', 'Last login'):
            self.assertIn(h, r.text)
        self.assertEqual(len(self.rows(r)), 10)

    def test_pagination(self):
        r = self.b.get('/mailboxes?d=%s&page=3' % self.did)
        self.assertEqual(self.rows(r), ['%s%04d' % (self.prefix, i) for i in range(21, 26)])
        r = self.b.get('/mailboxes?d=%s&per=25' % self.did)
        self.assertEqual(len(self.rows(r)), 25)
        r = self.b.get('/mailboxes?d=%s&per=7' % self.did)        # not a choice: 10
        self.assertEqual(len(self.rows(r)), 10)
        self.assertIn('page 1 of 3', r.text)

    def test_search(self):
        r = self.b.get('/mailboxes?d=%s&q=person07' % self.did)
        self.assertEqual(self.rows(r), [self.prefix + '0008'])
        r = self.b.get('/mailboxes?d=%s&q=Person+Z' % self.did)
        self.assertEqual(self.rows(r), [])
        r = self.b.get('/mailboxes?d=%s&q=Person+C' % self.did)
        self.assertEqual(self.rows(r), [self.prefix + '0003'])
        r = self.b.get('/mailboxes?d=%s&q=%%25' % self.did)        # % is literal
        self.assertEqual(self.rows(r), [])
        r = self.b.get('/mailboxes?d=%s&q=%s' % (self.did, self.prefix + '001'))
        self.assertEqual(len(self.rows(r)), 10)

    def test_sort(self):
        r = self.b.get('/mailboxes?d=%s&sort=name&dir=desc' % self.did)
        self.assertEqual(self.rows(r)[0], self.prefix + '0025')
        r = self.b.get('/mailboxes?d=%s&sort=quota&dir=asc' % self.did)
        self.assertEqual(self.rows(r)[0], self.prefix + '0001')
        r = self.b.get('/mailboxes?d=%s&sort=address&dir=desc&per=25' % self.did)
        self.assertEqual(self.rows(r)[0], self.prefix + '0025')

    def test_select_all_and_invert_without_javascript(self):
        r = self.b.get('/mailboxes?d=%s&select=all' % self.did)
        self.assertEqual(r.text.count(' checked aria-label'), 10)
        ids = re.findall(r'name="sel" value="(\d+)"', r.text)
        r = self.b.get('/mailboxes?d=%s&select=invert&sel=%s&sel=%s' % (self.did, ids[0], ids[1]))
        self.assertEqual(r.text.count(' checked aria-label'), 8)
        self.assertNotIn('value="%s" id="sel-%s" checked' % (ids[0], ids[0]), r.text)
        self.assertIn('data-select="sel" data-form="mbform" data-mode="invert"', r.text)

    def test_quota_used_from_dovecot(self):
        addr = 'person00@' + self.dom
        sql("INSERT INTO quota_usage (username, bytes, messages) VALUES (@p1, 24576, 3) "
            "ON DUPLICATE KEY UPDATE bytes = 24576", addr)
        r = self.b.get('/mailboxes?d=%s' % self.did)
        self.assertIn('24 kB of 100 MB (0.02%)', r.text)

    def test_bad_query_values_are_harmless(self):
        for q in ('page=abc', 'page=0', 'sort=evil', 'dir=sideways', 'per=100000',
                  'q=' + 'x' * 500, 'select=bogus&sel=abc'):
            self.assertEqual(self.b.get('/mailboxes?d=%s&%s' % (self.did, q)).status, 200, q)


class DeleteRestore(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.prefix, cls.owner = make_domain()
        cls.b = browser_as(cls.owner)
        cls.admin = Browser()
        cls.admin.login()

    def test_confirm_then_delete_then_restore(self):
        m = add_cli(self.dom, 'leaving', '--extra', 'old1,old2', '--name', 'Leaving')
        keep = add_cli(self.dom, uniq('k'))
        before = snapshot()
        r = self.b.post_form('/mailboxes?d=%s' % self.did, '/mailboxes/delete?d=%s' % self.did,
                             {'sel': [m['id']]})
        self.assertEqual(r.status, 200)
        self.assertIn(m['login'], r.text)
        self.assertIn('leaving@' + self.dom, r.text)
        self.assertIn('All the mail in each mailbox', r.text)
        self.assertEqual(snapshot(), before)          # asking changes nothing
        token = r.csrf()
        r = self.b.post('/mailboxes/delete?d=%s' % self.did,
                        {'csrf': token, 'sel': [m['id']], 'confirm': '1'})
        self.assertEqual(r.status, 200)
        self.assertIn('1 mailbox deleted.', r.text)
        self.assertNotIn('<code>%s</code>' % m['login'], r.text)
        row = mailbox_row(m['login'])
        self.assertNotEqual(row[5], '')
        self.assertEqual(addresses_of(m['id']), [])
        self.assertEqual(mailbox_row(keep['login'])[5], '')
        self.assertEqual(sql("SELECT restore_extras FROM mailboxes WHERE id = @p1", m['id'])[0][0],
                         'old1@%s\\nold2@%s' % (self.dom, self.dom))
        # the owner cannot restore; staff can
        self.assertEqual(self.b.get('/mailboxes/deleted?d=%s' % self.did).status, 403)
        r = self.b.post_form('/mailboxes?d=%s' % self.did, '/mailbox/restore', {'id': m['id']})
        self.assertEqual(r.status, 403)
        r = self.admin.get('/mailboxes/deleted?d=%s' % self.did)
        self.assertEqual(r.status, 200)
        self.assertIn(m['login'], r.text)
        r = self.admin.post_form('/mailboxes/deleted?d=%s' % self.did, '/mailbox/restore',
                                 {'id': m['id']})
        self.assertEqual(r.status, 200)
        self.assertIn('has been restored', r.text)
        self.assertEqual(mailbox_row(m['login'])[5], '')
        self.assertEqual(addresses_of(m['id']), sorted([
            'leaving@%s:primary' % self.dom, 'old1@%s:extra' % self.dom,
            'old2@%s:extra' % self.dom]))
        actions = [r[0] for r in sql("SELECT action FROM audit_log WHERE object = @p1 "
                                     "ORDER BY id", m['login'])]
        self.assertEqual(actions, ['mailbox.create', 'mailbox.delete', 'mailbox.restore'])

    def test_delete_nothing_selected(self):
        r = self.b.post_form('/mailboxes?d=%s' % self.did, '/mailboxes/delete?d=%s' % self.did, {})
        self.assertEqual(r.status, 200)
        self.assertIn('No mailbox was selected', r.text)

    def test_restore_fails_when_address_taken(self):
        m = add_cli(self.dom, 'reused')
        ctl('mailbox', 'delete', m['login'])
        n = add_cli(self.dom, 'reused')
        self.assertNotEqual(n['login'], m['login'])
        r = self.admin.post_form('/mailboxes/deleted?d=%s' % self.did, '/mailbox/restore',
                                 {'id': m['id']})
        self.assertEqual(r.status, 422)
        self.assertIn('reused@%s is already in use' % self.dom, r.text)
        p = ctl('mailbox', 'restore', m['login'], check=False)
        self.assertEqual(p.returncode, 3)
        self.assertNotEqual(mailbox_row(m['login'])[5], '')


class Passwords(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.prefix, cls.owner = make_domain()
        cls.m = add_cli(cls.dom, 'pw')
        cls.b = browser_as(cls.owner)

    def hash(self):
        return mailbox_row(self.m['login'])[6]

    def test_owner_sets_a_password(self):
        r = self.b.get('/passwords?d=%s' % self.did)
        self.assertEqual(r.status, 200)
        self.assertIn(self.m['login'], r.text)
        old = self.hash()
        self.assertNotIn(old, r.text)
        r = self.b.post_form('/passwords?d=%s' % self.did, '/passwords?d=%s' % self.did,
                             {'mailbox': self.m['id'], 'password': PW2, 'password2': PW2})
        self.assertEqual(r.status, 200)
        self.assertIn('The password of %s has been changed' % self.m['login'], r.text)
        self.assertNotEqual(self.hash(), old)
        self.assertNotIn(PW2, r.text)
        a = sql("SELECT IFNULL(old_value, ''), IFNULL(new_value, '') FROM audit_log WHERE "
                "action = 'mailbox.password' AND object = @p1", self.m['login'])
        self.assertEqual(a[-1], ['', ''])

    def test_weak_and_mismatch(self):
        old = self.hash()
        r = self.b.post_form('/passwords?d=%s' % self.did, '/passwords?d=%s' % self.did,
                             {'mailbox': self.m['id'], 'password': 'password1',
                              'password2': 'password1'})
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(r.field_error('password'))
        r = self.b.post_form('/passwords?d=%s' % self.did, '/passwords?d=%s' % self.did,
                             {'mailbox': self.m['id'], 'password': PW2, 'password2': PW2 + 'x'})
        self.assertEqual(r.status, 422)
        self.assertIn('not the same', r.field_error('password2'))
        self.assertEqual(self.hash(), old)

    def test_support_may_set(self):
        login = uniq('sup')
        ctl('admin', 'add', login, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        b = browser_as(login)
        old = self.hash()
        r = b.post_form('/passwords?d=%s' % self.did, '/passwords?d=%s' % self.did,
                        {'mailbox': self.m['login'], 'password': 'Zx9' + PW2,
                         'password2': 'Zx9' + PW2})
        self.assertEqual(r.status, 200, main(r.text)[:1000])
        self.assertNotEqual(self.hash(), old)

    def test_edit_page_leave_unchanged(self):
        old = self.hash()
        r = self.b.post_form('/mailbox/edit?id=%s' % self.m['id'],
                             '/mailbox/edit?id=%s' % self.m['id'],
                             form('pw', real_name='Renamed', pw_mode='keep',
                                  password='', password2=''), follow=False)
        self.assertEqual(r.status, 303, main(r.text)[:1500])
        self.assertEqual(self.hash(), old)
        self.assertEqual(mailbox_row(self.m['login'])[2], 'Renamed')


class AccountMail(unittest.TestCase):
    def test_failure_is_reported_and_mailbox_kept(self):
        dom, did, prefix, owner = make_domain()
        b = browser_as(owner)
        r = b.post_form('/mailbox/new?d=%s' % did, '/mailbox/new?d=%s' % did,
                        form('welcome', send='address', send_to='someone@example.org'))
        self.assertEqual(r.status, 200)
        self.assertIn('has been created', r.text)
        if 'account email has been sent' not in r.text:
            self.assertIn('could not be sent', r.text)
        self.assertIsNotNone(mailbox_row(prefix + '0001'))


class Cli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.prefix, cls.owner = make_domain()

    def test_commands_and_exit_codes(self):
        m = add_cli(self.dom, 'cli', '--name', 'Cli User', '--quota', '500MB',
                    '--extra', 'c1,c2@' + self.dom)
        self.assertEqual(m['quota'], 500 << 20)
        s = ctl_json('mailbox', 'show', m['login'])
        self.assertEqual(s['extras'], ['c1@' + self.dom, 'c2@' + self.dom])
        self.assertEqual(s['real_name'], 'Cli User')
        self.assertIn(m['login'], ctl('mailbox', 'list', self.dom).stdout)
        self.assertEqual([x['login'] for x in ctl_json('mailbox', 'list', self.dom,
                                                       '--search', 'Cli U')], [m['login']])
        e = ctl_json('mailbox', 'edit', m['login'], '--quota', '1GB', '--disabled',
                     '--name', 'New Name')
        self.assertEqual((e['quota'], e['enabled'], e['real_name']), (1 << 30, 0, 'New Name'))
        p = ctl('mailbox', 'passwd', m['login'], '--password-stdin', stdin=PW2 + '\n')
        self.assertIn('password changed', p.stdout)
        g = ctl_json('mailbox', 'passwd', m['login'])
        self.assertRegex(g['password'], r'^[A-Za-z0-9]{16}$')
        # refusals: rule 3, not found 4, usage 2, forbidden 5
        self.assertEqual(ctl('mailbox', 'add', self.dom, '--local', 'cli', '--password-stdin',
                             stdin=STRONG_PASSWORD + '\n', check=False).returncode, 3)
        self.assertEqual(ctl('mailbox', 'passwd', m['login'], '--password-stdin',
                             stdin='weak\n', check=False).returncode, 3)
        self.assertEqual(ctl('mailbox', 'show', 'nosuch9999', check=False).returncode, 4)
        self.assertEqual(ctl('mailbox', 'add', 'nosuch.example', '--local', 'x',
                             check=False).returncode, 4)
        self.assertEqual(ctl('mailbox', 'add', self.dom, check=False).returncode, 2)
        self.assertEqual(ctl('mailbox', 'add', self.dom, '--local', 'q', '--quota', 'lots',
                             check=False).returncode, 2)
        other = make_domain()
        self.assertEqual(ctl('mailbox', 'show', m['login'], as_user=other[3],
                             check=False).returncode, 4)
        self.assertEqual(ctl('mailbox', 'delete', m['login'], as_user=other[3],
                             check=False).returncode, 4)
        self.assertEqual(ctl('mailbox', 'restore', m['login'], as_user=self.owner,
                             check=False).returncode, 5)
        # delete, restore, delete again, purge
        self.assertEqual(ctl_json('mailbox', 'delete', m['login']), {'deleted': m['login']})
        self.assertEqual(ctl('mailbox', 'delete', m['login'], check=False).returncode, 3)
        self.assertEqual(ctl_json('mailbox', 'restore', m['login']), {'restored': m['login']})
        ctl('mailbox', 'delete', m['login'])
        home = os.path.join(env('POSTBUS_STATE'), 'mail', self.dom, m['login'])
        os.makedirs(os.path.join(home, 'Maildir', 'cur'), exist_ok=True)
        with open(os.path.join(home, 'Maildir', 'cur', '1.msg'), 'w') as f:
            f.write('Subject: x\n\nbody\n')
        self.assertEqual(ctl('mailbox', 'purge', '--days', '0', as_user=self.owner,
                             check=False).returncode, 5)
        out = ctl_json('mailbox', 'purge', '--days', '0')
        self.assertIn(m['login'], [x['login'] for x in out])
        self.assertFalse(os.path.exists(home))
        self.assertNotEqual(sql("SELECT IFNULL(purged_at, '') FROM mailboxes WHERE id = @p1",
                                m['id'])[0][0], '')
        self.assertEqual(ctl('mailbox', 'restore', m['login'], check=False).returncode, 3)
        self.assertIn('purge', [a[0].split('.')[1] for a in sql(
            "SELECT action FROM audit_log WHERE object = @p1", m['login'])])


def mail_stack_up():
    port = os.environ.get('POSTBUS_SMTP_PORT')
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not port or not os.path.exists(os.path.join(root, 'bin', 'mailstack')):
        return False
    try:
        socket.create_connection(('127.0.0.1', int(port)), timeout=2).close()
        return True
    except OSError:
        return False


@unittest.skipUnless(mail_stack_up(), 'the mail stack is not running '
                     '(POSTBUS_SMTP_PORT unset, bin/mailstack missing or not listening)')
class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.prefix, cls.owner = make_domain()
        cls.m = add_cli(cls.dom, 'e2e', '--extra', 'alt')
        cls.smtp = int(env('POSTBUS_SMTP_PORT'))
        cls.imap = int(env('POSTBUS_IMAP_PORT'))
        cls.pop3 = int(env('POSTBUS_POP3_PORT'))

    def send(self, rcpt, subject):
        with smtplib.SMTP('127.0.0.1', self.smtp, timeout=10) as s:
            s.sendmail('tester@example.org', [rcpt],
                       'From: tester@example.org\r\nTo: %s\r\nSubject: %s\r\n\r\nhello\r\n'
                       % (rcpt, subject))

    def refused(self, rcpt):
        with smtplib.SMTP('127.0.0.1', self.smtp, timeout=10) as s:
            s.ehlo()
            s.mail('tester@example.org')
            code, _ = s.rcpt(rcpt)
            return code

    def imap_subjects(self, user, password):
        try:
            i = imaplib.IMAP4('127.0.0.1', self.imap)
            i.login(user, password)
        except (imaplib.IMAP4.error, OSError):
            return None
        i.select('INBOX')
        typ, data = i.search(None, 'ALL')
        out = []
        for n in data[0].split():
            typ, d = i.fetch(n, '(BODY[HEADER.FIELDS (SUBJECT)])')
            out.append(d[0][1].decode().strip())
        i.logout()
        return out

    def pop3_ok(self, user, password):
        try:
            p = poplib.POP3('127.0.0.1', self.pop3, timeout=10)
            p.user(user)
            p.pass_(password)
            p.quit()
            return True
        except (poplib.error_proto, OSError):
            return False

    def test_1_delivery_to_primary_and_extra(self):
        self.send(self.m['address'], 'to-primary')
        self.send('alt@' + self.dom, 'to-extra')
        subjects = poll(lambda: (lambda s: s if s and len(s) >= 2 else None)(
            self.imap_subjects(self.m['login'], STRONG_PASSWORD)))
        self.assertIn('Subject: to-primary', subjects)
        self.assertIn('Subject: to-extra', subjects)

    def test_2_login_by_login_and_address(self):
        self.assertIsNotNone(self.imap_subjects(self.m['login'], STRONG_PASSWORD))
        self.assertIsNotNone(self.imap_subjects(self.m['address'], STRONG_PASSWORD))
        self.assertTrue(self.pop3_ok(self.m['login'], STRONG_PASSWORD))
        self.assertTrue(self.pop3_ok(self.m['address'], STRONG_PASSWORD))

    def test_3_disabled_cannot_log_in(self):
        ctl('mailbox', 'edit', self.m['login'], '--disabled')
        self.assertIsNone(self.imap_subjects(self.m['login'], STRONG_PASSWORD))
        ctl('mailbox', 'edit', self.m['login'], '--enabled')
        self.assertIsNotNone(self.imap_subjects(self.m['login'], STRONG_PASSWORD))

    def test_4_password_change(self):
        ctl('mailbox', 'passwd', self.m['login'], '--password-stdin', stdin=PW2 + '\n')
        self.assertIsNone(self.imap_subjects(self.m['login'], STRONG_PASSWORD))
        self.assertIsNotNone(self.imap_subjects(self.m['login'], PW2))
        ctl('mailbox', 'passwd', self.m['login'], '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')

    def test_5_quota_usage_on_list_page(self):
        self.send(self.m['address'], 'for-quota')
        b = browser_as(self.owner)
        ok = poll(lambda: re.search(r'\d+(\.\d)? kB of 3 GB',
                                    b.get('/mailboxes?d=%s' % self.did).text), 20)
        self.assertTrue(ok)

    def test_6_delete_then_restore(self):
        ctl('mailbox', 'delete', self.m['login'])
        self.assertEqual(self.refused(self.m['address']), 550)
        self.assertEqual(self.refused('alt@' + self.dom), 550)
        self.assertIsNone(self.imap_subjects(self.m['login'], STRONG_PASSWORD))
        ctl('mailbox', 'restore', self.m['login'])
        subjects = self.imap_subjects(self.m['login'], STRONG_PASSWORD)
        self.assertIsNotNone(subjects)
        self.assertIn('Subject: to-primary', subjects)
        self.send('alt@' + self.dom, 'after-restore')
        self.assertTrue(poll(lambda: 'Subject: after-restore' in (
            self.imap_subjects(self.m['login'], STRONG_PASSWORD) or [])))


if __name__ == '__main__':
    unittest.main()
