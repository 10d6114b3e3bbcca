"""Aliases, forwarding, catch-alls and alias domains through postbusctl and
the panel, on the shared stack of tests/run.py, with the mail they route
checked through the real Postfix and Dovecot (SMTP in, the Maildir or the
sink out).

tests/mail/test_alias_maps.py tests the Postfix maps themselves in depth, on
rows written with SQL; here every route is made the way users make it,
so the rules of lib/ (alias.c, forward.c, aliasdomain.c, address.c) are
tested on every path: bad input of each kind with the form again and
nothing written, the plan's limits (also under 30 concurrent creations),
loops, required aliases, permissions.
"""
import os
import secrets
import smtplib
import threading
import unittest

from pbtest import (Browser, ctl, ctl_json, env, poll, sql, uniq,
                    STRONG_PASSWORD)

PW = 'Tq5nWr8xZb'


def has_mail():
    return bool(os.environ.get('POSTBUS_SMTP_PORT'))


def make_domain(plan='Recommended', reseller=None):
    """A domain and its owner: (name, id, owner login)."""
    prefix = uniq('al')
    name = prefix + '.example'
    owner = uniq('own')
    args = ['domain', 'add', name, '--plan', plan, '--prefix', prefix,
            '--new-owner', owner, '--password-stdin', '--contact',
            'contact@example.org']
    if reseller:
        d = ctl_json(*args, stdin=STRONG_PASSWORD + '\n', as_user=reseller)
    else:
        d = ctl_json(*args, stdin=STRONG_PASSWORD + '\n')
    return name, d['id'], owner


def mailbox(domain, local):
    return ctl_json('mailbox', 'add', domain, '--local', local,
                    '--password-stdin', stdin=PW + '\n')['login']


def alias_rows(address):
    return sql("SELECT ad.destination FROM aliases a JOIN alias_destinations "
               "ad ON ad.alias_id = a.id WHERE a.address = @p1 ORDER BY 1",
               address)


def counts():
    """What a refused request must leave as it was."""
    return sql("SELECT (SELECT COUNT(*) FROM aliases), (SELECT COUNT(*) FROM "
               "alias_destinations), (SELECT COUNT(*) FROM forwards), "
               "(SELECT COUNT(*) FROM alias_domains), (SELECT COUNT(*) FROM "
               "addresses), (SELECT IFNULL(SUM(CRC32(CONCAT(alias_id, "
               "destination))), 0) FROM alias_destinations)")[0]


def send(rcpts, sender='sender@remote.example'):
    """One message to rcpts from outside; its token."""
    token = 'tok' + secrets.token_hex(8)
    msg = ('From: <%s>\r\nTo: %s\r\nSubject: test %s\r\n\r\n%s\r\n'
           % (sender, ', '.join(rcpts), token, token))
    with smtplib.SMTP(env('POSTBUS_LISTEN', '127.0.0.1'),
                      int(env('POSTBUS_SMTP_PORT')), timeout=20,
                      source_address=('127.0.0.2', 0)) as s:
        s.ehlo('client.test')
        s.sendmail(sender, rcpts, msg)
    return token


def rcpt_code(rcpt):
    with smtplib.SMTP(env('POSTBUS_LISTEN', '127.0.0.1'),
                      int(env('POSTBUS_SMTP_PORT')), timeout=20,
                      source_address=('127.0.0.2', 0)) as s:
        s.ehlo('client.test')
        s.mail('sender@remote.example')
        return s.rcpt(rcpt)


def in_maildir(domain, login, token, timeout=10):
    d = os.path.join(env('POSTBUS_MAIL_DIR'), domain, login, 'Maildir')

    def look():
        for sub in ('new', 'cur'):
            try:
                names = os.listdir(os.path.join(d, sub))
            except FileNotFoundError:
                continue
            for n in names:
                try:
                    with open(os.path.join(d, sub, n), 'rb') as f:
                        if token.encode() in f.read():
                            return True
                except FileNotFoundError:
                    pass
        return False
    return poll(look, timeout)


def at_sink(token, rcpt, timeout=10):
    d = env('POSTBUS_SINK_DIR')

    def look():
        for n in os.listdir(d):
            if n.startswith('.'):
                continue
            try:
                with open(os.path.join(d, n), errors='replace') as f:
                    t = f.read()
            except FileNotFoundError:
                continue
            if token in t and 'X-Envelope-To: <%s>' % rcpt in t:
                return t
        return None
    return poll(look, timeout)


class AliasCli(unittest.TestCase):
    """postbusctl alias ...: the rules of lib/alias.c and address.c."""

    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.owner = make_domain()
        cls.info = mailbox(cls.dom, 'info')
        cls.john = mailbox(cls.dom, 'john')

    def refused(self, *args, code=3, text=None, as_user=None):
        before = counts()
        p = ctl(*args, check=False, as_user=as_user)
        self.assertEqual(p.returncode, code, p.stdout + p.stderr)
        if text:
            self.assertIn(text, p.stderr)
        self.assertEqual(counts(), before)
        return p

    def test_add_show_edit_delete(self):
        a = 'sales@' + self.dom
        out = ctl_json('alias', 'add', a, self.info, 'john@' + self.dom,
                       'friend@example.net')
        self.assertEqual(out['kind'], 'normal')
        self.assertEqual(sorted(d['destination'] for d in out['destinations']),
                         sorted([self.info, 'john@' + self.dom,
                                 'friend@example.net']))
        shown = ctl_json('alias', 'show', a)
        self.assertEqual(shown['address'], a)
        listed = ctl_json('alias', 'list', self.dom)
        self.assertIn(a, [x['address'] for x in listed])
        # the required aliases came with the domain
        for role in ('abuse', 'hostmaster', 'postmaster', 'webmaster'):
            row = [x for x in listed if x['address'] == role + '@' + self.dom]
            self.assertEqual(len(row), 1, role)
            self.assertEqual(row[0]['required'], 1)
        ctl('alias', 'edit', a, 'john@' + self.dom)
        self.assertEqual(alias_rows(a), [['john@' + self.dom]])
        ctl('alias', 'delete', a)
        self.assertEqual(ctl('alias', 'show', a, check=False).returncode, 4)
        audit = [r[0] for r in sql("SELECT action FROM audit_log WHERE "
                                   "object = @p1 ORDER BY id", a)]
        self.assertEqual(audit, ['alias.create', 'alias.update',
                                 'alias.delete'])

    def test_catchall_everyone_bounce(self):
        ctl('alias', 'add', '@' + self.dom, self.info)
        self.assertEqual(ctl_json('alias', 'show', '@' + self.dom)['kind'],
                         'catchall')
        self.refused('alias', 'add', '@' + self.dom, self.john,
                     text='catch-all')
        ctl('alias', 'add', 'all@' + self.dom, '--everyone')
        ctl('alias', 'add', 'old@' + self.dom, '--bounce')
        self.assertEqual(ctl_json('alias', 'show', 'old@' + self.dom)['kind'],
                         'bounce')
        # a bounce alias is no destination
        self.refused('alias', 'add', 'x1@' + self.dom, 'old@' + self.dom)

    def test_bad_destinations(self):
        d = self.dom
        self.refused('alias', 'add', 'b1@' + d, 'not an address')
        self.refused('alias', 'add', 'b2@' + d, 'nobody@' + d,
                     text='no such address')
        self.refused('alias', 'add', 'b3@' + d, 'zz99990001',
                     text='no mailbox with this login')
        self.refused('alias', 'add', 'b4@' + d)            # no destination
        self.refused('alias', 'add', 'b5@' + d, 'b5@' + d, text='itself')
        self.refused('alias', 'add', 'b6@other.example', self.info, code=4)
        self.refused('alias', 'add', 'info@' + d, self.john,
                     text='already in use')
        self.refused('alias', 'add', 'bad name@' + d, self.john)
        remote = ['r%d@example.net' % i for i in range(11)]
        self.refused('alias', 'add', 'b7@' + d, *remote, text='plan allows')
        ctl('alias', 'add', 'b8@' + d, *remote[:10])

    def test_loop_refused_naming_it(self):
        d = self.dom
        ctl('alias', 'add', 'la@' + d, 'friend@example.net')
        ctl('alias', 'add', 'lb@' + d, 'la@' + d)
        p = self.refused('alias', 'edit', 'la@' + d, 'lb@' + d, text='loop')
        self.assertIn('la@%s → lb@%s → la@%s' % (d, d, d), p.stderr)
        # through a mailbox's forward: lc -> john, john forwards to lc
        ctl('alias', 'add', 'lc@' + d, self.john)
        p = self.refused('mailbox', 'forward', self.john, '--to', 'lc@' + d,
                         text='loop')
        # and a forward to itself
        self.refused('mailbox', 'forward', self.john, '--to',
                     'john@' + d, text='itself')

    def test_required_aliases_stay(self):
        a = 'postmaster@' + self.dom
        self.refused('alias', 'delete', a, code=5, as_user=self.owner)
        self.refused('alias', 'edit', a, '--bounce', as_user=self.owner)
        self.refused('alias', 'edit', a, self.info, '--rename', 'pm',
                     as_user=self.owner)
        ctl('alias', 'edit', a, self.info, as_user=self.owner)
        self.assertEqual(alias_rows(a), [[self.info]])

    def test_others_cannot_reach(self):
        other, _, other_owner = make_domain()
        self.refused('alias', 'add', 'x@' + self.dom, self.info, code=4,
                     as_user=other_owner)
        self.refused('alias', 'show', 'postmaster@' + self.dom, code=4,
                     as_user=other_owner)
        # nor point at another customer's mailbox by login
        self.refused('alias', 'add', 'y@' + other, self.info,
                     as_user=other_owner, text='no mailbox with this login')

    def test_forward_keep_and_off(self):
        ctl('mailbox', 'forward', self.info, '--to', 'a@example.net', '--to',
            'john@' + self.dom, '--no-keep')
        f = ctl_json('mailbox', 'forward', self.info)
        self.assertEqual(f['keep'], 0)
        self.assertEqual(sorted(f['forward']),
                         ['a@example.net', 'john@' + self.dom])
        ctl('mailbox', 'forward', self.info, '--to', 'a@example.net', '--keep')
        self.assertEqual(ctl_json('mailbox', 'forward', self.info)['keep'], 1)
        ctl('mailbox', 'forward', self.info, '--off')
        f = ctl_json('mailbox', 'forward', self.info)
        self.assertEqual((f['keep'], f['forward']), (1, []))


class AliasLimit(unittest.TestCase):
    def test_30_concurrent_creations_at_a_limit_of_10(self):
        plan = uniq('Ten')
        ctl('plan', 'add', plan, '--max-mailboxes', '10', '--max-aliases',
            '10')
        dom, _, _ = make_domain(plan)
        box = mailbox(dom, 'box')
        results = [None] * 30

        def one(i):
            results[i] = ctl('alias', 'add', 'c%d@%s' % (i, dom), box,
                             check=False).returncode
        threads = [threading.Thread(target=one, args=(i,)) for i in range(30)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results.count(0), 10, results)
        self.assertEqual(results.count(3), 20, results)
        n = sql("SELECT COUNT(*) FROM aliases a JOIN domains d ON "
                "d.id = a.domain_id WHERE d.live_name = @p1 AND a.role = 0",
                dom)[0][0]
        self.assertEqual(n, '10')
        self.assertEqual(sql("SELECT alias_count FROM domains WHERE "
                             "live_name = @p1", dom)[0][0], '10')

    def test_everyone_needs_a_plan_of_at_most_1000_mailboxes(self):
        plan = uniq('Big')
        ctl('plan', 'add', plan, '--max-mailboxes', 'unlimited')
        dom, _, _ = make_domain(plan)
        before = counts()
        p = ctl('alias', 'add', 'all@' + dom, '--everyone', check=False)
        self.assertEqual(p.returncode, 3, p.stderr)
        self.assertIn('1000', p.stderr)
        self.assertEqual(counts(), before)


class EveryoneKeepsThePlanSmall(unittest.TestCase):
    """"Forward to everyone in domain" is allowed only where the plan caps
    mailboxes at 1000 (past Postfix's expansion limit the mail would be
    deferred for days): giving the domain another plan, or raising its
    plan's maximum, may not lift that either (lib/alias.c
    alias_plan_fits_tx, called by domain.c and plan.c), by web and CLI."""

    @classmethod
    def setUpClass(cls):
        cls.small, cls.big = uniq('Small'), uniq('Big')
        ctl('plan', 'add', cls.small, '--max-mailboxes', '1000')
        ctl('plan', 'add', cls.big, '--max-mailboxes', 'unlimited')
        cls.small_id = sql("SELECT id FROM plans WHERE name = @p1", cls.small)[0][0]
        cls.big_id = sql("SELECT id FROM plans WHERE name = @p1", cls.big)[0][0]
        cls.dom, cls.did, cls.owner = make_domain(cls.small)
        cls.everyone = 'all@' + cls.dom
        ctl('alias', 'add', cls.everyone, '--everyone')
        cls.b = Browser()
        cls.b.login()

    def plan_of(self, did=None):
        return sql("SELECT p.name, p.max_mailboxes FROM domains d JOIN plans p "
                   "ON p.id = d.plan_id WHERE d.id = @p1", did or self.did)[0]

    def plan_fields(self, **kw):
        f = {'name': self.small, 'mail_quota': '', 'max_mailboxes': '1000',
             'default_mailbox_quota': '1 GB', 'max_aliases': '',
             'max_alias_domains': '', 'max_message_size': '12 MB',
             'web_quota': '', 'max_virtual_servers': ''}
        f.update(kw)
        return f

    def test_cli_refuses_a_plan_without_the_cap(self):
        before = counts()
        p = ctl('domain', 'edit', self.dom, '--plan', self.big, check=False)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn(self.everyone, p.stderr)
        self.assertIn('1000', p.stderr)
        self.assertEqual(self.plan_of(), [self.small, '1000'])
        self.assertEqual(counts(), before)

    def test_cli_refuses_raising_the_plans_maximum(self):
        for value in ('1001', 'unlimited'):
            p = ctl('plan', 'edit', self.small, '--max-mailboxes', value,
                    check=False)
            self.assertNotEqual(p.returncode, 0, value)
            self.assertIn(self.dom, p.stderr)
            self.assertIn(self.everyone, p.stderr)
            self.assertEqual(self.plan_of(), [self.small, '1000'])
        # lowering it, or raising it back to the cap, is fine
        ctl('plan', 'edit', self.small, '--max-mailboxes', '500')
        self.assertEqual(self.plan_of()[1], '500')
        ctl('plan', 'edit', self.small, '--max-mailboxes', '1000')
        self.assertEqual(self.plan_of()[1], '1000')

    def test_web_refuses_both(self):
        before = counts()
        page = '/domain/edit?d=%s' % self.did
        r = self.b.post_form(page, page, {
            'd': self.did, 'plan': self.big_id, 'description': 'kept',
            'contact': 'contact@example.org'})
        self.assertEqual(r.status, 422, r.text[:500])
        self.assertIn(self.everyone, r.field_error('plan'))
        self.assertEqual(r.input_value('description'), 'kept')
        page = '/plan/edit?id=%s' % self.small_id
        r = self.b.post_form(page, page, self.plan_fields(max_mailboxes='5000'))
        self.assertEqual(r.status, 422, r.text[:500])
        self.assertIn(self.dom, r.text)
        self.assertIn(self.everyone, r.text)
        self.assertEqual(r.input_value('max_mailboxes'), '5000')
        self.assertEqual(self.plan_of(), [self.small, '1000'])
        self.assertEqual(counts(), before)

    def test_allowed_once_the_alias_is_gone(self):
        dom, did, _ = make_domain(self.small)
        ctl('alias', 'add', 'all@' + dom, '--everyone')
        p = ctl('domain', 'edit', dom, '--plan', self.big, check=False)
        self.assertNotEqual(p.returncode, 0)
        ctl('alias', 'delete', 'all@' + dom)
        ctl('domain', 'edit', dom, '--plan', self.big)
        self.assertEqual(self.plan_of(did), [self.big, 'NULL'])
        # and the alias cannot come back on that plan
        p = ctl('alias', 'add', 'all@' + dom, '--everyone', check=False)
        self.assertEqual(p.returncode, 3, p.stderr)


class AliasDomainCli(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.reseller = uniq('res')
        ctl('admin', 'add', cls.reseller, '--role', 'reseller',
            '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        cls.dom, cls.did, cls.owner = make_domain(reseller=cls.reseller)

    def test_add_list_delete_and_who_may(self):
        name = uniq('ad') + '.example'
        p = ctl('domain', 'alias', 'add', name, self.dom, as_user=self.owner,
                check=False)
        self.assertEqual(p.returncode, 5, p.stderr)
        ctl('domain', 'alias', 'add', name, self.dom, as_user=self.reseller)
        self.assertEqual([x['name'] for x in ctl_json(
            'domain', 'alias', 'list', self.dom, as_user=self.owner)], [name])
        # the owner sees them on Virtual Server Details
        b = Browser()
        b.login(self.owner, STRONG_PASSWORD)
        page = b.get('/domain?d=%s' % self.did).text
        self.assertIn(name, page)
        self.assertRegex(page, r'Domain aliases.*1 of Unlimited')
        # taken names
        for taken in (name, self.dom, uniq('x')):
            p = ctl('domain', 'alias', 'add', taken if '.' in taken else
                    'bad_name', self.dom, check=False)
            self.assertEqual(p.returncode, 3, taken)
        # an alias in the alias domain is refused: it has no addresses
        p = ctl('alias', 'add', 'x@' + name, 'a@example.net', check=False)
        self.assertNotEqual(p.returncode, 0)
        ctl('domain', 'alias', 'delete', name, as_user=self.reseller)
        self.assertEqual(ctl_json('domain', 'alias', 'list', self.dom), [])

    def test_plan_max_alias_domains(self):
        plan = uniq('Two')
        ctl('plan', 'add', plan, '--max-alias-domains', '2')
        dom, _, _ = make_domain(plan)
        for i in range(2):
            ctl('domain', 'alias', 'add', uniq('m%d' % i) + '.example', dom)
        p = ctl('domain', 'alias', 'add', uniq('m3') + '.example', dom,
                check=False)
        self.assertEqual(p.returncode, 3, p.stderr)


class AliasPages(unittest.TestCase):
    """Edit Mail Aliases and its forms, as the owner."""

    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.owner = make_domain()
        cls.info = mailbox(cls.dom, 'info')
        cls.b = Browser()
        cls.b.login(cls.owner, STRONG_PASSWORD)
        cls.new = '/alias/new?d=%s' % cls.did

    def post_new(self, **kw):
        f = {'mode': 'name', 'name': '', 'kind': 'normal', 'dests': ''}
        f.update(kw)
        return self.b.post_form(self.new, self.new, f, follow=False)

    def test_list_shows_seed_layout(self):
        r = self.b.get('/aliases?d=%s' % self.did)
        self.assertEqual(r.status, 200)
        for s in ('Select all', 'Invert selection',
                  'Add an alias to this domain', 'Delete Selected Aliases',
                  'Alias destinations'):
            self.assertIn(s, r.text)
        n = sql("SELECT COUNT(*) FROM aliases WHERE domain_id = @p1",
                self.did)[0][0]
        self.assertIn('Total aliases: %s.' % n, r.text)
        self.assertRegex(r.text, r'abuse</a> <span class="badge">Required')
        self.assertIn('Address contact@example.org', r.text)

    def test_add_with_two_destinations(self):
        r = self.post_new(name='team', dests='%s\nfriend@example.net\n'
                          % self.info)
        self.assertEqual(r.status, 303, r.text[:1000])
        self.assertEqual(sorted(alias_rows('team@' + self.dom)),
                         sorted([['friend@example.net'], [self.info]]))
        page = self.b.get(r.header('Location')).text
        self.assertIn('The alias has been created.', page)

    def test_bad_input_keeps_the_form(self):
        for fields, field, expect in [
                ({'name': 'x y', 'dests': self.info}, 'name', None),
                ({'name': 'ok1', 'dests': 'nobody@' + self.dom}, 'dests',
                 'no such address'),
                ({'name': 'ok2', 'dests': ''}, 'dests', 'at least one'),
                ({'name': 'info', 'dests': self.info}, 'name',
                 'already in use'),
                ({'name': 'ok3@elsewhere.example', 'dests': self.info},
                 'name', 'must be in the domain'),
                ({'name': '<script>alert(1)</script>', 'dests': self.info},
                 'name', None),
                ({'name': 'ok4', 'dests': '<b>x</b>@example.net'}, 'dests',
                 None)]:
            before = counts()
            r = self.post_new(**fields)
            self.assertEqual(r.status, 422, fields)
            err = r.field_error(field)
            self.assertIsNotNone(err, (fields, r.text[:2000]))
            if expect:
                self.assertIn(expect, err)
            self.assertNotIn('<script>alert(1)</script>', r.text)
            self.assertNotIn('<b>x</b>', r.text)
            self.assertEqual(counts(), before)
        # what was typed is kept
        r = self.post_new(name='kept', dests='nobody@%s\n' % self.dom)
        self.assertIn('nobody@' + self.dom, r.text)
        self.assertEqual(r.input_value('name'), 'kept')

    def test_catchall_form_and_warning(self):
        r = self.b.get(self.new)
        self.assertIn('All mailboxes', r.text)
        self.assertIn('almost always spam', r.text)
        r = self.post_new(mode='catchall', dests=self.info)
        self.assertEqual(r.status, 303, r.text[:1000])
        self.assertIn('<em>All mailboxes</em>',
                      self.b.get('/aliases?d=%s' % self.did).text)

    def test_required_alias_cannot_be_deleted_by_a_forged_post(self):
        rid = sql("SELECT id FROM aliases WHERE address = @p1",
                  'abuse@' + self.dom)[0][0]
        page = self.b.get('/aliases?d=%s' % self.did).text
        self.assertNotIn('value="%s"' % rid, page)   # no box to tick
        token = self.b.get('/aliases?d=%s' % self.did).csrf()
        before = counts()
        r = self.b.post('/aliases/delete?d=%s' % self.did,
                        {'csrf': token, 'd': self.did, 'sel': rid,
                         'confirm': '1'}, follow=False)
        self.assertEqual(r.status, 403)
        self.assertEqual(counts(), before)

    def test_delete_with_confirmation(self):
        ctl('alias', 'add', 'gone@' + self.dom, self.info)
        aid = sql("SELECT id FROM aliases WHERE address = @p1",
                  'gone@' + self.dom)[0][0]
        token = self.b.get('/aliases?d=%s' % self.did).csrf()
        r = self.b.post('/aliases/delete?d=%s' % self.did,
                        {'csrf': token, 'd': self.did, 'sel': aid})
        self.assertEqual(r.status, 200)
        self.assertIn('gone@' + self.dom, r.text)
        self.assertIn('Delete 1 alias', r.text)
        self.assertEqual(len(alias_rows('gone@' + self.dom)), 1)
        r = self.b.post('/aliases/delete?d=%s' % self.did,
                        {'csrf': r.csrf(), 'd': self.did, 'sel': aid,
                         'confirm': '1'})
        self.assertIn('1 alias deleted.', r.text)
        self.assertEqual(alias_rows('gone@' + self.dom), [])

    def test_search_and_pagination(self):
        for i in range(30):
            ctl('alias', 'add', 'page%02d@%s' % (i, self.dom), self.info)
        r = self.b.get('/aliases?d=%s&per=10' % self.did)
        self.assertIn('page 1 of', r.text)
        self.assertIn('rel="next"', r.text)
        r = self.b.get('/aliases?d=%s&q=page1' % self.did)
        self.assertIn('10 aliases', r.text)
        r = self.b.get('/aliases?d=%s&q=%s&per=100' % (self.did, self.info))
        self.assertIn('page29', r.text)

    def test_deleted_mailbox_shown_and_restored(self):
        gone = mailbox(self.dom, 'leaver')
        ctl('alias', 'add', 'tolv@' + self.dom, gone)
        ctl('mailbox', 'delete', gone)
        page = self.b.get('/aliases?d=%s&q=tolv' % self.did).text
        self.assertIn('(deleted mailbox)', page)
        ctl('mailbox', 'restore', gone)
        page = self.b.get('/aliases?d=%s&q=tolv' % self.did).text
        self.assertNotIn('(deleted mailbox)', page)

    def test_forward_section_of_edit_mailbox(self):
        mid = sql("SELECT id FROM mailboxes WHERE login = @p1", self.info)[0][0]
        page = self.b.get('/mailbox/edit?id=%s' % mid).text
        self.assertIn('Mail forwarding settings', page)
        self.assertIn('Deliver to this user normally', page)
        url = '/mailbox/forward?id=%s' % mid
        r = self.b.post_form('/mailbox/edit?id=%s' % mid, url,
                             {'deliver': 'no',
                              'forward': 'a@example.net\nb@example.net'},
                             follow=False)
        self.assertEqual(r.status, 303, r.text[:1000])
        page = self.b.get('/mailboxes?d=%s' % self.did).text
        self.assertIn('→ 2 addresses', page)
        # bad input: the section again, typed text kept, nothing written
        before = counts()
        r = self.b.post_form(url, url, {'deliver': 'yes',
                                        'forward': 'nobody@' + self.dom})
        self.assertEqual(r.status, 422)
        self.assertIn('no such address', r.field_error('forward'))
        self.assertIn('nobody@' + self.dom, r.text)
        self.assertEqual(counts(), before)

    def test_another_owner_reaches_nothing(self):
        other, _, other_owner = make_domain()
        b = Browser()
        b.login(other_owner, STRONG_PASSWORD)
        aid = sql("SELECT id FROM aliases WHERE address = @p1",
                  'abuse@' + self.dom)[0][0]
        mid = sql("SELECT id FROM mailboxes WHERE login = @p1", self.info)[0][0]
        for path in ('/aliases?d=%s' % self.did, self.new,
                     '/alias/edit?id=%s' % aid, '/mailbox/forward?id=%s' % mid,
                     '/aliasdomains?d=%s' % self.did):
            self.assertIn(b.get(path, follow=False).status, (403, 404), path)
        token = b.get('/home').csrf()
        before = counts()
        for path, body in (
                (self.new, {'name': 'x', 'kind': 'normal', 'dests': self.info}),
                ('/alias/edit?id=%s' % aid, {'kind': 'normal',
                                            'dests': 'a@example.net'}),
                ('/aliases/delete?d=%s' % self.did, {'sel': aid, 'confirm': 1}),
                ('/mailbox/forward?id=%s' % mid, {'deliver': 'no',
                                                  'forward': 'a@example.net'})):
            body = dict(body, csrf=token, d=self.did)
            r = b.post(path, body, follow=False)
            self.assertIn(r.status, (403, 404), path)
        self.assertEqual(counts(), before)

    def test_support_sees_but_cannot_change(self):
        sup = uniq('sup')
        ctl('admin', 'add', sup, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        b = Browser()
        b.login(sup, STRONG_PASSWORD)
        r = b.get('/aliases?d=%s' % self.did)
        self.assertEqual(r.status, 200)
        self.assertNotIn('Delete Selected Aliases', r.text)
        self.assertEqual(b.get(self.new, follow=False).status, 403)


if __name__ == '__main__':
    unittest.main()
