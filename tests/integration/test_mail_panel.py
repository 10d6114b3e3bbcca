"""The mail side as the panel shows it, on the shared stack of tests/run.py:
real Postfix and Dovecot reading the panel's database.

- "Last login" of Edit Mail Users (seed 000): a mailbox made with
  postbusctl logs in by IMAP or POP3; Dovecot's last_login plugin writes
  mailbox_logins, a trigger copies the time to mailboxes.last_login, and
  the list page shows it instead of "Never".
- "Send account email to" (seed 003 §8): a mailbox made through the web
  form with that field set sends the account details through the private
  Postfix; the stack's relayhost is the loopback sink, which keeps every
  message as a file in POSTBUS_SINK_DIR.

Both are asynchronous (the dict service, the Postfix queue): tests poll.
Without a mail stack (POSTBUS_IMAP_PORT unset) everything is skipped.
"""
import html
import imaplib
import os
import poplib
import re
import time
import unittest

from pbtest import Browser, ctl_json, env, poll, sql, uniq, STRONG_PASSWORD
from pbtest import IMAP, POP3

PW2 = 'Tq5nWr8xZb'
TIMESTAMP = re.compile(r'^\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?$')


def mail_stack():
    """Skip the calling test class when the stack runs without mail."""
    if not os.environ.get('POSTBUS_IMAP_PORT'):
        raise unittest.SkipTest('no mail stack: POSTBUS_IMAP_PORT is not set')


def make_domain():
    """A domain and its owner, made with postbusctl: (name, id, owner)."""
    prefix = uniq('ml')
    name = prefix + '.example'
    owner = uniq('own')
    d = ctl_json('domain', 'add', name, '--plan', 'Recommended', '--prefix',
                 prefix, '--new-owner', owner, '--password-stdin',
                 '--contact', 'c@example.org', stdin=STRONG_PASSWORD + '\n')
    return name, d['id'], owner


def browser_as(login):
    b = Browser()
    b.login(login, STRONG_PASSWORD)
    return b


def list_cell(b, did, login):
    """The "Last login" cell of LOGIN on the list page, as text."""
    r = b.get('/mailboxes?d=%s&q=%s' % (did, login))
    if r.status != 200:
        raise AssertionError('list page: %d' % r.status)
    m = re.search(r'<code>%s</code>.*?</tr>' % re.escape(login), r.text, re.S)
    if m is None:
        raise AssertionError('%s is not on the list page' % login)
    cells = re.findall(r'<td[^>]*>(.*?)</td>', m.group(0), re.S)
    return html.unescape(re.sub(r'<[^>]+>', '', cells[-1])).strip()


def imap_login(user, password):
    c = IMAP(int(env('POSTBUS_IMAPS_PORT')), 'ssl')
    try:
        c.login(user, password)
        c.select('INBOX')
    finally:
        try:
            c.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


def pop3_login(user, password):
    c = POP3(int(env('POSTBUS_POP3S_PORT')), 'ssl')
    try:
        c.user(user)
        c.pass_(password)
        c.stat()
    finally:
        c.quit()


class LastLogin(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        mail_stack()
        cls.dom, cls.did, cls.owner = make_domain()
        cls.b = browser_as(cls.owner)

    def add(self, local):
        return ctl_json('mailbox', 'add', self.dom, '--local', local,
                        '--password-stdin', stdin=PW2 + '\n')['login']

    def test_imap_login_shows_on_the_list(self):
        login = self.add('x')
        self.assertEqual(list_cell(self.b, self.did, login), 'Never')
        imap_login(login, PW2)
        shown = poll(lambda: TIMESTAMP.match(
            list_cell(self.b, self.did, login)))
        self.assertIsNotNone(shown, 'still "%s" after an IMAP login; see '
                             'log/dovecot.log for last_login_dict errors'
                             % list_cell(self.b, self.did, login))
        # The time of the login, in the database's time zone.
        age = sql("SELECT TIMESTAMPDIFF(SECOND, last_login, NOW()) FROM "
                  "mailboxes WHERE login = @p1", login)[0][0]
        self.assertLess(abs(int(age)), 60)

    def test_pop3_login_by_address_shows_on_the_list(self):
        login = self.add('pop')
        pop3_login('pop@' + self.dom, PW2)
        self.assertIsNotNone(poll(lambda: TIMESTAMP.match(
            list_cell(self.b, self.did, login))), 'no last login after POP3')

    def test_wrong_password_is_not_a_login(self):
        login = self.add('wrong')
        with self.assertRaises(imaplib.IMAP4.error):
            imap_login(login, 'not-the-Passw0rd')
        time.sleep(0.5)
        self.assertEqual(list_cell(self.b, self.did, login), 'Never')


class AccountEmail(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        mail_stack()
        cls.sink = env('POSTBUS_SINK_DIR')
        cls.dom, cls.did, cls.owner = make_domain()
        cls.b = browser_as(cls.owner)
        cls.url = '/mailbox/new?d=%s' % cls.did
        # The server name that the message gives for IMAP, POP3 and SMTP.
        with open(env('POSTBUS_CONF')) as f:
            conf = dict((k.strip(), v.strip()) for k, _, v in
                        (l.partition('=') for l in f if '=' in l))
        cls.host = conf.get('hostname') or 'localhost'

    def sink_messages(self, rcpt):
        """The sink's messages whose envelope names rcpt, as text."""
        out = []
        for name in sorted(os.listdir(self.sink)):
            if name.startswith('.'):
                continue
            try:
                with open(os.path.join(self.sink, name), errors='replace') as f:
                    text = f.read()
            except FileNotFoundError:
                continue
            if 'X-Envelope-To: <%s>' % rcpt in text:
                out.append(text)
        return out

    def create(self, local, **kw):
        f = {'address': local, 'real_name': 'Anna Smit',
             'password': PW2, 'password2': PW2, 'quota': '', 'extra': '',
             'send': 'none', 'send_to': ''}
        f.update(kw)
        return self.b.post_form(self.url, self.url, f, follow=False)

    def test_account_email_reaches_the_address(self):
        rcpt = uniq('someone') + '@example.net'
        r = self.create('anna', send='address', send_to=rcpt)
        self.assertEqual(r.status, 303, r.text[:2000])
        loc = r.header('Location')
        self.assertIn('mail=sent', loc)
        login = re.search(r'login=(\w+)', loc).group(1)
        page = self.b.get(loc)
        self.assertIn('The account email has been sent.', page.text)
        self.assertNotIn('could not be sent', page.text)

        msgs = poll(lambda: self.sink_messages(rcpt))
        self.assertIsNotNone(msgs, 'no message for %s in %s (see log/maillog)'
                             % (rcpt, self.sink))
        self.assertEqual(len(msgs), 1)
        text = msgs[0]
        head, _, body = text.partition('\n\n')
        address = 'anna@' + self.dom
        self.assertIn('To: <%s>' % rcpt, head)
        self.assertIn('Subject: Your mail account %s' % address, head)
        self.assertIn('Auto-Submitted: auto-generated', head)
        self.assertRegex(body, r'Login \(user name\):\s+%s\n' % login)
        self.assertRegex(body, r'Email address:\s+%s\n' % re.escape(address))
        # the settings page's facts: the mail host, TLS ports first
        self.assertEqual(self.host, env('POSTBUS_HOSTNAME'))
        self.assertRegex(body, r'Incoming mail server:\s+%s\n' % re.escape(self.host))
        self.assertRegex(body, r'Outgoing mail server \(SMTP\):\s+%s\n' % re.escape(self.host))
        for what, tls, plain in (('IMAP', 'IMAPS', 'IMAP'),
                                 ('POP3', 'POP3S', 'POP3'),
                                 ('SMTP', 'SUBMISSION', 'SUBMISSION_STARTTLS')):
            self.assertRegex(body, r'%s:\s+port %s, SSL/TLS \(or port %s, STARTTLS' % (
                what, env('POSTBUS_%s_PORT' % tls), env('POSTBUS_%s_PORT' % plain)), what)
        self.assertRegex(body, r'Maximum message size:\s+12 MB\n')
        self.assertNotIn('localhost', body)
        self.assertNotIn(PW2, text)
        self.assertNotIn('$y$', text)
        # The details are right: the mailbox logs in with them.
        imap_login(login, PW2)
        audit = sql("SELECT new_value FROM audit_log WHERE action = "
                    "'mailbox.mail' AND object = @p1", login)
        self.assertEqual(audit, [['to=' + rcpt]])

    def test_no_email_unless_asked(self):
        rcpt = uniq('nobody') + '@example.net'
        r = self.create('bert', send='none', send_to=rcpt)
        self.assertEqual(r.status, 303, r.text[:2000])
        self.assertNotIn('mail=sent', r.header('Location'))
        # Give a wrongly sent message the time to arrive.
        time.sleep(1)
        self.assertEqual(self.sink_messages(rcpt), [])

    def test_bad_address_is_refused_and_nothing_sent(self):
        before = sql("SELECT COUNT(*) FROM mailboxes")[0][0]
        r = self.create('carl', send='address', send_to='not an address')
        self.assertEqual(r.status, 422)
        self.assertIsNotNone(r.field_error('send_to'))
        self.assertEqual(r.input_value('send_to'), 'not an address')
        self.assertEqual(r.input_value('address'), 'carl')
        self.assertNotIn(PW2, r.text)
        self.assertEqual(sql("SELECT COUNT(*) FROM mailboxes")[0][0], before)


if __name__ == '__main__':
    unittest.main()
