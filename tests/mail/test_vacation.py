"""Automatic replies (issue "vacation", seed 000 §9) through the real stack
of tests/run.py: the panel's settings in MariaDB, the script lib/vacation.c
generates, Dovecot's LMTP running it from Pigeonhole's dict storage, the
reply going out through the private Postfix to the loopback sink
(POSTBUS_SINK_DIR, one file per message, X-Envelope-To first).

A reply is sent during the LMTP delivery of the original: once the original
is in the Maildir and Postfix's queue is empty, every reply it caused is at
the sink.  That is how "no reply" is checked, by polling, never by sleeping.
The interval test needs one minute (the server's floor): its first message
goes out when the module starts and its last test runs at the end.
"""
import email
import email.policy
import glob
import html
import os
import re
import smtplib
import subprocess
import time
import unittest

from pbtest import (Browser, ctl, ctl_json, env, poll, sql, uniq,
                    STRONG_PASSWORD)

PW = 'Tq5nWr8xZb'
START = time.monotonic()


def mail_stack():
    if not os.environ.get('POSTBUS_IMAP_PORT'):
        raise unittest.SkipTest('no mail stack: POSTBUS_IMAP_PORT is not set')


def make_domain(contact_local='info'):
    """A domain whose role aliases (abuse@, postmaster@ ...) point at
    CONTACT_LOCAL@it: (name, id, owner)."""
    prefix = uniq('va')
    name = prefix + '.example'
    owner = uniq('vown')
    d = ctl_json('domain', 'add', name, '--plan', 'Recommended', '--prefix',
                 prefix, '--new-owner', owner, '--password-stdin',
                 '--contact', '%s@%s' % (contact_local, name),
                 stdin=STRONG_PASSWORD + '\n')
    return name, d['id'], owner


def add_mailbox(domain, local, *extra):
    return ctl_json('mailbox', 'add', domain, '--local', local,
                    '--password-stdin', *extra, stdin=PW + '\n')


def vacation_on(login, subject='Away', body='I am away.', interval='1',
                *more, as_user=None, check=True):
    return ctl('mailbox', 'vacation', login, '--on', '--subject', subject,
               '--body-stdin', '--interval', interval, *more, stdin=body,
               as_user=as_user, check=check)


def sender():
    return uniq('s') + '@remote.example'


def send(to, frm, subject='Hello', headers=(), body='Hi there.\r\n',
         size=0, msgid=None):
    """Send one message by SMTP to the private Postfix; its Message-ID.
    size > 0 pads the body and leaves SIZE= out of MAIL FROM, so the
    quota check at RCPT time cannot see it coming."""
    msgid = msgid or '<%s@remote.example>' % uniq('m')
    lines = ['From: %s' % (frm or 'MAILER-DAEMON@remote.example'),
             'To: %s' % to, 'Subject: %s' % subject, 'Message-ID: %s' % msgid]
    lines += list(headers)
    if size:
        body = ('x' * 76 + '\r\n') * (size // 78)
    msg = '\r\n'.join(lines) + '\r\n\r\n' + body
    s = smtplib.SMTP(env('POSTBUS_LISTEN', '127.0.0.1'),
                     int(env('POSTBUS_SMTP_PORT')), timeout=30)
    try:
        s.ehlo()
        code, resp = s.mail(frm)
        assert code == 250, resp
        code, resp = s.rcpt(to)
        assert code == 250, resp
        code, resp = s.data(msg.encode())
        assert code == 250, resp
    finally:
        s.quit()
    return msgid


def maildir(domain, login):
    return os.path.join(env('POSTBUS_MAIL_DIR'), domain, login, 'Maildir')


def stored(domain, login, msgid):
    """How many copies of msgid are in the mailbox."""
    n = 0
    for f in glob.glob(os.path.join(maildir(domain, login), '*', '*')):
        try:
            with open(f, 'rb') as fp:
                if msgid.encode() in fp.read(4096):
                    n += 1
        except OSError:
            pass
    return n


def postfix_dir():
    return os.path.join(env('POSTBUS_STATE'), 'postfix', 'etc')


def queue():
    """Postfix's queue, one dict per message (postqueue -j)."""
    import json
    p = subprocess.run(['postqueue', '-c', postfix_dir(), '-j'],
                       capture_output=True, text=True)
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def queued_to(addr):
    """Messages in the queue for addr (a reply on its way to the sink)."""
    return [q for q in queue()
            if any(r.get('address') == addr for r in q.get('recipients', []))]


def queued_for(addr):
    """Messages in the queue from or for addr: the original until Dovecot
    has finished its delivery (LMTP said 250, so the reply is recorded in
    its duplicate database), a reply until it is at the sink."""
    local, _, domain = addr.partition('@')

    def from_addr(sender):    # itself, or its SRS form SRS0=h=t=domain=local@
        return sender == addr or (sender.startswith('SRS') and
                                  ('=%s=%s@' % (domain, local)) in sender)
    return [q for q in queue() if from_addr(q.get('sender', '')) or
            any(r.get('address') == addr for r in q.get('recipients', []))]


def replies_to(addr):
    """The messages at the sink for addr, parsed."""
    out = []
    for f in sorted(glob.glob(os.path.join(env('POSTBUS_SINK_DIR'), '*'))):
        try:
            with open(f, 'rb') as fp:
                data = fp.read()
        except OSError:
            continue
        if ('X-Envelope-To: <%s>' % addr).encode() not in data[:2000]:
            continue
        out.append(email.message_from_bytes(data, policy=email.policy.default))
    return out


def delivered(domain, login, msgid, frm, timeout=20):
    """Wait for msgid in the mailbox and no message from or for frm in
    Postfix's queue: a reply is handed to Postfix during the delivery, so
    then the delivery is over and every reply to frm is at the sink."""
    ok = poll(lambda: stored(domain, login, msgid) > 0 and
              not queued_for(frm), timeout=timeout)
    if not ok:
        raise AssertionError('%s was not delivered to %s (see log/maillog, '
                             'log/dovecot.log)' % (msgid, login))


def attempts(msgid):
    """Deliveries of msgid that failed to store (Dovecot's log)."""
    with open(os.path.join(env('POSTBUS_STATE'), 'log', 'dovecot.log'),
              errors='replace') as f:
        return sum(1 for line in f if msgid in line and
                   'failed to store' in line)


class World:
    """One domain for the module: info@ (with sales@ as an additional
    address; the role aliases abuse@ ... point at info@), and the interval
    test's first message, sent at once."""
    made = False

    @classmethod
    def make(cls):
        if cls.made:
            return
        mail_stack()
        cls.dom, cls.did, cls.owner = make_domain()
        cls.info = add_mailbox(cls.dom, 'info', '--extra', 'sales')['login']
        vacation_on(cls.info, 'Out of office until Monday',
                    'Hello,\n\nI am away until Monday.\n')
        cls.interval_sender = sender()
        cls.first = send('info@' + cls.dom, cls.interval_sender)
        cls.first_at = time.monotonic()
        # Dovecot's duplicate database is rewritten whole by each delivery:
        # two deliveries to one mailbox at the same moment can lose the
        # other's record (one more reply, never a loop).  The tests deliver
        # one message at a time.
        delivered(cls.dom, cls.info, cls.first, cls.interval_sender)
        cls.made = True


def setUpModule():
    World.make()


class AReply(unittest.TestCase):
    def test_reply_has_subject_headers_from_and_the_original_is_kept(self):
        w = World
        delivered(w.dom, w.info, w.first, w.interval_sender)
        r = poll(lambda: replies_to(w.interval_sender))
        self.assertTrue(r, 'no automatic reply at the sink')
        self.assertEqual(len(r), 1)
        m = r[0]
        self.assertEqual(m['Subject'], 'Out of office until Monday')
        self.assertTrue(m['Auto-Submitted'].startswith('auto-replied'))
        self.assertEqual(m['In-Reply-To'], w.first)
        self.assertIn(w.first, m['References'])
        self.assertEqual(m['From'].addresses[0].addr_spec, 'info@' + w.dom)
        self.assertIn('I am away until Monday.', m.get_content())
        self.assertEqual(stored(w.dom, w.info, w.first), 1)

    def test_second_message_inside_the_interval_gets_none(self):
        w = World
        delivered(w.dom, w.info, w.first, w.interval_sender)
        poll(lambda: replies_to(w.interval_sender))
        second = send('info@' + w.dom, w.interval_sender, 'Again')
        delivered(w.dom, w.info, second, w.interval_sender)
        self.assertEqual(len(replies_to(w.interval_sender)), 1)

    def test_additional_address_and_alias_get_a_reply(self):
        w = World
        for to in ('sales@' + w.dom, 'abuse@' + w.dom):
            s = sender()
            msgid = send(to, s)
            delivered(w.dom, w.info, msgid, s)
            r = poll(lambda: replies_to(s))
            self.assertTrue(r, 'no reply to mail sent to %s' % to)
            self.assertEqual(r[0]['From'].addresses[0].addr_spec,
                             'info@' + w.dom)


    def test_alias_domain_address_gets_a_reply(self):
        # the script lists the alias domain's variants of every address
        w = World
        ad = uniq('ad') + '.example'
        ctl('domain', 'alias', 'add', ad, w.dom)
        s = sender()
        msgid = send('info@' + ad, s)
        delivered(w.dom, w.info, msgid, s)
        r = poll(lambda: replies_to(s))
        self.assertTrue(r, 'no reply to mail sent to info@' + ad)


class NoReply(unittest.TestCase):
    """Mail that must never be answered; the original is still kept."""

    def check_none(self, frm, headers=(), envelope=None):
        w = World
        s = envelope if envelope is not None else frm
        before = len(os.listdir(env('POSTBUS_SINK_DIR')))
        msgid = send('info@' + w.dom, s, headers=headers)
        delivered(w.dom, w.info, msgid, frm)
        self.assertTrue(poll(lambda: not queue()), 'mail still queued')
        self.assertEqual(replies_to(frm), [])
        self.assertEqual(len(os.listdir(env('POSTBUS_SINK_DIR'))), before,
                         'something was sent')
        return msgid

    def test_list_message(self):
        self.check_none(sender(), ['List-Id: <team.lists.example>'])

    def test_bulk_message(self):
        self.check_none(sender(), ['Precedence: bulk'])

    def test_auto_submitted_message(self):
        self.check_none(sender(), ['Auto-Submitted: auto-replied'])

    def test_null_sender(self):
        self.check_none('MAILER-DAEMON@remote.example', envelope='')

    def test_spam(self):
        for h in ('X-Spam-Flag: YES', 'X-Spam: Yes',
                  'X-Spam-Status: Yes, score=12.3 required=5.0'):
            self.check_none(sender(), [h])

    def test_not_spam_is_answered(self):
        s = sender()
        msgid = send('info@' + World.dom, s,
                     headers=['X-Spam-Status: No, score=0.1'])
        delivered(World.dom, World.info, msgid, s)
        self.assertTrue(poll(lambda: replies_to(s)))


class Dates(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        World.make()

    def one(self, local, *dates):
        login = add_mailbox(World.dom, local)['login']
        vacation_on(login, 'Dates', 'Only in the window.', '1', *dates)
        s = sender()
        msgid = send('%s@%s' % (local, World.dom), s)
        delivered(World.dom, login, msgid, s)
        return s

    def test_none_before_the_start(self):
        tomorrow = time.strftime('%Y-%m-%d', time.localtime(time.time() + 86400))
        s = self.one(uniq('before'), '--start', tomorrow)
        self.assertEqual(replies_to(s), [])

    def test_none_after_the_end(self):
        yesterday = time.strftime('%Y-%m-%d', time.localtime(time.time() - 86400))
        s = self.one(uniq('after'), '--end', yesterday)
        self.assertEqual(replies_to(s), [])

    def test_inside_the_dates(self):
        today = time.strftime('%Y-%m-%d')
        s = self.one(uniq('inside'), '--start', today, '--end', today)
        self.assertTrue(poll(lambda: replies_to(s)))


class Off(unittest.TestCase):
    def test_none_after_off(self):
        mail_stack()
        local = uniq('off')
        login = add_mailbox(World.dom, local)['login']
        vacation_on(login)
        s = sender()
        delivered(World.dom, login, send('%s@%s' % (local, World.dom), s), s)
        self.assertTrue(poll(lambda: replies_to(s)))
        ctl('mailbox', 'vacation', login, '--off')
        self.assertEqual(sql("SELECT COUNT(*) FROM sieve_vacation v JOIN "
                             "mailboxes m ON m.address = v.username "
                             "WHERE m.login = @p1", login), [['0']])
        s2 = sender()
        delivered(World.dom, login, send('%s@%s' % (local, World.dom), s2),
                  s2)
        self.assertEqual(replies_to(s2), [])
        j = ctl_json('mailbox', 'show', login)['vacation']
        self.assertEqual(j['active'], 0)
        self.assertEqual(j['subject'], 'Away')   # kept for next time


HOSTILE_SUBJECT = 'Away "now" \\ } ; redirect "evil@attacker.example"; <b>x</b>'
HOSTILE_BODY = ('"; redirect "evil@attacker.example"; discard;\n'
                '} keep; ${hex:41} \\ text:\n.\n<script>alert(1)</script>\n'
                + 'été ☀ 🌴 ' * 300)


class Hostile(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        World.make()
        cls.local = uniq('hostile')
        cls.login = add_mailbox(World.dom, cls.local)['login']
        vacation_on(cls.login, HOSTILE_SUBJECT, HOSTILE_BODY)

    def test_stored_as_given(self):
        j = ctl_json('mailbox', 'show', self.login)['vacation']
        self.assertEqual(j['subject'], HOSTILE_SUBJECT)
        self.assertEqual(j['body'], HOSTILE_BODY)

    def test_harmless_in_the_script(self):
        s = sender()
        msgid = send('%s@%s' % (self.local, World.dom), s)
        delivered(World.dom, self.login, msgid, s)
        r = poll(lambda: replies_to(s))
        self.assertTrue(r)
        self.assertEqual(len(r), 1)
        self.assertEqual(r[0]['Subject'], HOSTILE_SUBJECT)
        self.assertEqual(r[0].get_content().replace('\r\n', '\n').rstrip('\n'),
                         HOSTILE_BODY.rstrip('\n'))
        self.assertEqual(replies_to('evil@attacker.example'), [])
        self.assertEqual(stored(World.dom, self.login, msgid), 1)

    def test_shown_escaped_in_the_form(self):
        b = Browser()
        b.login(World.owner, STRONG_PASSWORD)
        mid = ctl_json('mailbox', 'show', self.login)['id']
        r = b.get('/mailbox/edit?id=%d' % mid)
        self.assertEqual(r.status, 200)
        self.assertNotIn('<script>alert(1)', r.text)
        self.assertNotIn('<b>x</b>', r.text)
        self.assertEqual(r.input_value('subject'), HOSTILE_SUBJECT)
        m = re.search(r'<textarea id="body"[^>]*>(.*?)</textarea>', r.text, re.S)
        self.assertIsNotNone(m)
        self.assertEqual(html.unescape(m.group(1)), HOSTILE_BODY)


class Retry(unittest.TestCase):
    """A full mailbox defers the message (452); Postfix retries it.  The
    reply goes out once, when the message is finally stored."""

    def test_no_reply_on_every_retry(self):
        mail_stack()
        local = uniq('full')
        login = add_mailbox(World.dom, local, '--quota', '1MB')['login']
        vacation_on(login)
        to = '%s@%s' % (local, World.dom)
        filler = sender()
        delivered(World.dom, login, send(to, filler, size=900000), filler)
        self.assertTrue(poll(lambda: replies_to(filler)))
        s = sender()
        msgid = send(to, s, size=600000)
        # deferred (452 4.2.2) and retried: never stored, never answered
        self.assertTrue(poll(lambda: attempts(msgid) >= 1), 'not deferred')
        for i in (2, 3):
            # back in the deferred queue, then retried at once
            # (found by its recipient: the sender may be rewritten, SRS)
            self.assertTrue(poll(lambda: any(
                q.get('queue_name') == 'deferred' for q in queued_to(to)),
                timeout=90), 'not deferred before retry %d' % i)
            subprocess.run(['postqueue', '-c', postfix_dir(), '-f'],
                           check=True)
            self.assertTrue(poll(lambda: attempts(msgid) >= i, timeout=90),
                            'retry %d did not happen' % i)
        self.assertTrue(poll(lambda: not queued_to(s)))
        self.assertEqual(stored(World.dom, login, msgid), 0)
        self.assertEqual(replies_to(s), [])
        # room again: stored once, answered once
        ctl('mailbox', 'edit', login, '--quota', '10MB')
        subprocess.run(['postqueue', '-c', postfix_dir(), '-f'], check=True)
        delivered(World.dom, login, msgid, s)
        r = poll(lambda: replies_to(s))
        self.assertTrue(r)
        self.assertEqual(len(r), 1)
        self.assertEqual(stored(World.dom, login, msgid), 1)


def form_fields(**kw):
    f = {'vac_mode': 'on', 'subject': 'Away', 'body': 'Back on Monday.',
         'interval': '10', 'start_mode': 'any', 'start': '',
         'end_mode': 'any', 'end': ''}
    f.update(kw)
    return f


class Form(unittest.TestCase):
    """The section of Edit Mailbox, its errors, the list mark, the count
    on Virtual Server Information, and who may change it."""

    @classmethod
    def setUpClass(cls):
        mail_stack()
        cls.dom, cls.did, cls.owner = make_domain()
        cls.login = add_mailbox(cls.dom, 'desk')['login']
        cls.mid = ctl_json('mailbox', 'show', cls.login)['id']
        cls.b = Browser()
        cls.b.login(cls.owner, STRONG_PASSWORD)

    def post(self, b, **kw):
        edit = '/mailbox/edit?id=%d' % self.mid
        return b.post_form(edit, '/mailbox/vacation?id=%d' % self.mid,
                           form_fields(**kw))

    def stored(self):
        return ctl_json('mailbox', 'show', self.login)['vacation']

    def test_form_is_on_edit_mailbox(self):
        r = self.b.get('/mailbox/edit?id=%d' % self.mid)
        self.assertEqual(r.status, 200)
        for words in ('Send automatic reply', 'Yes, respond with message ..',
                      'Automatic reply options',
                      'Minimum time between autoreplies',
                      'Automatic reply start date',
                      'Automatic reply end date', 'Any time', 'On date'):
            self.assertIn(words, r.text)

    def test_set_by_owner_marked_counted_audited(self):
        count = re.compile(r'Automatic replies</th><td>(\d+)<')
        n0 = int(count.search(self.b.get('/home?d=%d' % self.did).text).group(1))
        r = self.post(self.b, subject='On holiday', interval='15',
                      end_mode='date', end='2099-12-31')
        self.assertEqual(r.status, 200, r.text[:500])
        v = self.stored()
        self.assertEqual((v['active'], v['subject'], v['interval'], v['end']),
                         (1, 'On holiday', 15, '2099-12-31'))
        lst = self.b.get('/mailboxes?d=%d&q=%s' % (self.did, self.login))
        row = re.search(r'<code>%s</code>.*?</tr>' % self.login, lst.text, re.S)
        self.assertIn('Reply on', row.group(0))
        # the list without a search, in two orders, marks it too
        for url in ('/mailboxes?d=%d', '/mailboxes?d=%d&sort=name&dir=desc'
                    '&per=100'):
            lst = self.b.get(url % self.did)
            row = re.search(r'<code>%s</code>.*?</tr>' % self.login,
                            lst.text, re.S)
            self.assertIn('Reply on', row.group(0), url)
        n1 = int(count.search(self.b.get('/home?d=%d' % self.did).text).group(1))
        self.assertEqual(n1, n0 + 1)
        a = sql("SELECT actor, new_value FROM audit_log WHERE action = "
                "'mailbox.vacation' AND object = @p1 ORDER BY id DESC LIMIT 1",
                self.login)
        self.assertEqual(a[0][0], self.owner)
        self.assertIn('subject=On holiday', a[0][1])
        # and off again, through the form
        r = self.post(self.b, vac_mode='off')
        self.assertEqual(r.status, 200)
        self.assertEqual(self.stored()['active'], 0)
        lst = self.b.get('/mailboxes?d=%d&q=%s' % (self.did, self.login))
        row = re.search(r'<code>%s</code>.*?</tr>' % self.login, lst.text, re.S)
        self.assertNotIn('Reply on', row.group(0))

    def test_bad_input_gets_the_form_again(self):
        before = self.stored()
        r = self.post(self.b, subject='Kept subject', interval='0',
                      start_mode='date', start='2026-09-19',
                      end_mode='date', end='2026-09-09',
                      body='x' * 8001)
        self.assertEqual(r.status, 422)
        self.assertIn('at least 1 minute', r.field_error('interval'))
        self.assertIn('before the start date', r.field_error('end'))
        self.assertIn('at most 8000 characters', r.field_error('body'))
        self.assertEqual(r.input_value('subject'), 'Kept subject')
        self.assertEqual(r.input_value('start'), '2026-09-19')
        # the rest of Edit Mailbox is there, as stored
        self.assertEqual(r.input_value('address'), 'desk')
        self.assertEqual(self.stored(), before)
        r = self.post(self.b, start_mode='date', start='19/Sep/2026')
        self.assertEqual(r.status, 422)
        self.assertIn('YYYY-MM-DD', r.field_error('start'))
        r = self.post(self.b, subject='x' * 201)
        self.assertEqual(r.status, 422)
        self.assertIn('at most 200 characters', r.field_error('subject'))
        r = self.post(self.b, body='   ')
        self.assertEqual(r.status, 422)
        self.assertIn('Please enter the message', r.field_error('body'))
        self.assertEqual(self.stored(), before)

    def test_cli_refuses_the_same(self):
        p = vacation_on(self.login, 'A', 'B', '0', check=False)
        self.assertEqual(p.returncode, 3)
        self.assertIn('--interval', p.stderr)
        p = vacation_on(self.login, 'A\nBcc: x@y', 'B', '5', check=False)
        self.assertEqual(p.returncode, 3)
        p = vacation_on(self.login, 'A', 'B', '5', '--start', '2026-09-19',
                        '--end', '2026-09-09', check=False)
        self.assertEqual(p.returncode, 3)
        self.assertIn('--end', p.stderr)
        p = ctl('mailbox', 'vacation', self.login, '--on', '--subject', 'A',
                '--body-stdin', '--bogus', stdin='x', check=False)
        self.assertEqual(p.returncode, 2)

    def test_who_may_set_it(self):
        reseller = uniq('vres')
        support = uniq('vsup')
        ctl('admin', 'add', reseller, '--role', 'reseller', '--domain',
            self.dom, '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        ctl('admin', 'add', support, '--role', 'support', '--password-stdin',
            stdin=STRONG_PASSWORD + '\n')
        for who, subject in ((reseller, 'By the reseller'),
                             (env('POSTBUS_ADMIN_USER'), 'By the superuser')):
            b = Browser()
            if who == reseller:
                b.login(who, STRONG_PASSWORD)
            else:
                b.login()
            r = self.post(b, subject=subject)
            self.assertEqual(r.status, 200, '%s: %d' % (who, r.status))
            self.assertEqual(self.stored()['subject'], subject)
        before = self.stored()
        b = Browser()
        b.login(support, STRONG_PASSWORD)
        r = b.get('/mailbox/edit?id=%d' % self.mid)
        self.assertEqual(r.status, 200)      # support sees the mailbox
        self.assertNotIn('Save automatic reply', r.text)
        token = r.csrf()
        r = b.post('/mailbox/vacation?id=%d' % self.mid,
                   dict(form_fields(subject='By support'), csrf=token))
        self.assertEqual(r.status, 403)
        p = vacation_on(self.login, 'By support', as_user=support, check=False)
        self.assertEqual(p.returncode, 5)
        p = ctl('mailbox', 'vacation', self.login, '--off', as_user=support,
                check=False)
        self.assertEqual(p.returncode, 5)
        self.assertEqual(self.stored(), before)
        # the owner of another domain does not even find it
        other = make_domain()[2]
        b = Browser()
        b.login(other, STRONG_PASSWORD)
        token = b.get('/home').csrf()
        r = b.post('/mailbox/vacation?id=%d' % self.mid,
                   dict(form_fields(subject='Not mine'), csrf=token))
        self.assertEqual(r.status, 404)
        self.assertEqual(self.stored(), before)

    def test_addresses_follow_the_mailbox(self):
        """A new additional address is in the script at once, and a new
        primary address is the reply's From."""
        login = add_mailbox(self.dom, 'follow')['login']
        vacation_on(login)
        ctl('mailbox', 'edit', login, '--extra', 'later')
        script = sql("SELECT v.script FROM vacations v JOIN mailboxes m ON "
                     "m.id = v.mailbox_id WHERE m.login = @p1", login)
        self.assertIn('"later@%s"' % self.dom, '\n'.join(c[0] for c in script))
        s = sender()
        msgid = send('later@' + self.dom, s)
        delivered(self.dom, login, msgid, s)
        self.assertTrue(poll(lambda: replies_to(s)))
        # the domain's role aliases (abuse@ ...) moved to it: listed too
        ctl('domain', 'edit', self.dom, '--contact', 'later@' + self.dom)
        script = '\n'.join(c[0] for c in sql(
            "SELECT v.script FROM vacations v JOIN mailboxes m ON "
            "m.id = v.mailbox_id WHERE m.login = @p1", login))
        self.assertIn('"abuse@%s"' % self.dom, script)
        s = sender()
        msgid = send('postmaster@' + self.dom, s)
        delivered(self.dom, login, msgid, s)
        self.assertTrue(poll(lambda: replies_to(s)))
        # a new primary address: the reply comes from it
        ctl('mailbox', 'edit', login, '--local', 'moved')
        s = sender()
        msgid = send('later@' + self.dom, s)
        delivered(self.dom, login, msgid, s)
        r = poll(lambda: replies_to(s))
        self.assertTrue(r)
        self.assertEqual(r[0]['From'].addresses[0].addr_spec,
                         'moved@' + self.dom)


class OtherDomains(unittest.TestCase):
    """The reply's list of addresses follows routes from other domains
    (issue 9): an alias in another domain, an alias domain of that domain,
    and an alias whose destination is written in the mailbox's alias
    domain.  Each change is in the script at once and mail through it is
    answered; a route that goes away leaves the list."""

    @classmethod
    def setUpClass(cls):
        World.make()
        cls.dom, cls.did, _ = make_domain()
        cls.login = add_mailbox(cls.dom, 'boss')['login']
        vacation_on(cls.login, 'Away from the office')
        cls.other, _, _ = make_domain()

    def script(self):
        return '\n'.join(c[0] for c in sql(
            "SELECT v.script FROM vacations v JOIN mailboxes m ON "
            "m.id = v.mailbox_id WHERE m.login = @p1", self.login))

    def answered(self, to):
        s = sender()
        msgid = send(to, s)
        delivered(self.dom, self.login, msgid, s)
        r = poll(lambda: replies_to(s))
        self.assertTrue(r, 'no reply to mail sent to %s' % to)
        self.assertEqual(r[0]['From'].addresses[0].addr_spec, 'boss@' + self.dom)

    def test_alias_in_another_domain(self):
        alias = 'chief@' + self.other
        ctl('alias', 'add', alias, 'boss@' + self.dom)
        self.assertIn('"%s"' % alias, self.script())
        self.answered(alias)
        # that domain gets an alias domain: the alias answers there too
        ad = uniq('oad') + '.example'
        ctl('domain', 'alias', 'add', ad, self.other)
        self.assertIn('"chief@%s"' % ad, self.script())
        self.answered('chief@' + ad)
        ctl('domain', 'alias', 'delete', ad)
        self.assertNotIn('@%s"' % ad, self.script())
        # the alias goes: so does its address
        ctl('alias', 'delete', alias)
        self.assertNotIn('"%s"' % alias, self.script())

    def test_alias_to_the_mailboxs_alias_domain(self):
        ad = uniq('bad') + '.example'
        ctl('domain', 'alias', 'add', ad, self.dom)
        self.assertIn('"boss@%s"' % ad, self.script())
        alias = 'head@' + self.other
        ctl('alias', 'add', alias, 'boss@' + ad)
        self.assertIn('"%s"' % alias, self.script())
        self.answered(alias)
        # the alias is edited to point elsewhere: it leaves the list
        ctl('alias', 'edit', alias, 'someone@remote.example')
        self.assertNotIn('"%s"' % alias, self.script())


class Lookups(unittest.TestCase):
    """Dovecot's two lookups per delivery are point queries (DESIGN, Scale),
    as its read-only account, which sees the view and nothing of the
    table behind it."""

    def test_explain_has_no_scan(self):
        World.make()
        for q in ("SELECT id FROM sieve_vacation WHERE username = @p1",
                  "SELECT script FROM sieve_vacation WHERE username = @p1 "
                  "AND id = SHA1('x')"):
            rows = sql('EXPLAIN ' + q, 'info@' + World.dom)
            for r in rows:
                # id, select_type, table, type, possible_keys, key, ...
                self.assertNotEqual(r[3], 'ALL', 'a scan: %s' % r)
                self.assertNotEqual(r[5], 'NULL', 'no index: %s' % r)

    def test_dovecot_account_reads_only_the_view(self):
        conf = os.path.join(env('POSTBUS_STATE'), 'dovecot',
                            'dovecot-dict-sieve.conf.ext')
        with open(conf) as f:
            m = re.search(r'user=(\S+) password=(\S+)', f.read())
        user, pw = m.group(1), m.group(2)

        def as_dovecot(q):
            return subprocess.run(
                ['mariadb', '--no-defaults', '-u' + user, '-p' + pw,
                 '--socket=' + env('POSTBUS_DB_SOCKET'), '-N', '-B',
                 env('POSTBUS_DB_NAME', 'postbus'), '-e', q],
                capture_output=True, text=True)
        p = as_dovecot("SELECT COUNT(*) FROM sieve_vacation")
        self.assertEqual(p.returncode, 0, p.stderr)
        for q in ("SELECT COUNT(*) FROM vacations",
                  "DELETE FROM sieve_vacation",
                  "UPDATE sieve_vacation SET script = 'discard;'"):
            p = as_dovecot(q)
            self.assertNotEqual(p.returncode, 0, q)


class ZAfterTheInterval(unittest.TestCase):
    """Last of the module: one minute after the first reply, the same
    sender gets one again."""

    def test_one_after_the_interval(self):
        w = World
        delivered(w.dom, w.info, w.first, w.interval_sender)
        self.assertTrue(poll(lambda: replies_to(w.interval_sender)))
        n = len(replies_to(w.interval_sender))
        wait = w.first_at + 63 - time.monotonic()
        if wait > 0:
            time.sleep(wait)    # the interval itself: nothing to poll for
        third = send('info@' + w.dom, w.interval_sender, 'Once more')
        delivered(w.dom, w.info, third, w.interval_sender)
        r = poll(lambda: len(replies_to(w.interval_sender)) > n and
                 replies_to(w.interval_sender))
        self.assertTrue(r, 'no reply after the interval')
        self.assertEqual(len(r), n + 1)
