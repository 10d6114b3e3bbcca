#!/usr/bin/env python3
"""Mail programs reach a mailbox the way the manuals (seeds 002, 003 §3.2)
say: IMAPS, POP3S, submission on 465 (and 587) with the login, through the
stack that ./postbus up starts (tests/run.py exports its postbus.env).

Every TLS connection is verified against the stack's private CA
(POSTBUS_CA_CERT) under the mail host name (POSTBUS_HOSTNAME), as a mail
program verifies a real server.  Dovecot counts a client on the server's
own address as secured, so what a plain connection may do is tried from
another loopback address (127.0.0.2 and up).
"""
import http.client
import json
import os
import poplib
import re
import secrets
import smtplib
import socket
import ssl
import subprocess
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

from pbtest import (IMAP, POP3, SMTP, Browser, STRONG_PASSWORD, ctl,
                    ctl_json, env, poll, sql, tls_context, uniq)

OUTSIDE = '127.0.0.2'
TB = '{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}'


def mail_stack():
    if not os.environ.get('POSTBUS_IMAPS_PORT'):
        raise unittest.SkipTest('no mail stack with TLS ports in postbus.env')


def port(name):
    return int(env('POSTBUS_%s_PORT' % name))


def message(sender, rcpt, token, body='hello'):
    return ('From: <{0}>\r\nTo: <{1}>\r\nSubject: test {2}\r\n'
            'Message-ID: <{2}@client.test>\r\n\r\n{3}\r\n{2}\r\n').format(
                sender, rcpt, token, body)


def sink_has(token):
    """The sink's message holding token (the internet received it)."""
    d = env('POSTBUS_SINK_DIR')
    for name in os.listdir(d):
        try:
            with open(os.path.join(d, name), errors='replace') as f:
                text = f.read()
        except (FileNotFoundError, IsADirectoryError):
            continue
        if token in text:
            return text
    return None


def reply_of(fn, *args):
    """(code, text) of an SMTP command that may raise for a refusal."""
    try:
        r = fn(*args)
    except smtplib.SMTPResponseException as e:
        return e.smtp_code, e.smtp_error
    except smtplib.SMTPRecipientsRefused as e:
        return list(e.recipients.values())[0]
    except smtplib.SMTPSenderRefused as e:
        return e.smtp_code, e.smtp_error
    return r


def fill_mailbox(addr):
    """Bring a 1 MB mailbox to about 890 kB (four messages of 222 kB)."""
    have = lambda: int((sql("SELECT bytes FROM quota_usage WHERE "
                            "username = @p1", addr) or [['0']])[0][0])
    if have() > 850000:
        return
    body = ('y' * 76 + '\r\n') * 2860
    with SMTP(port('SMTP'), None) as s:
        for i in range(4):
            s.sendmail('a@remote.example', [addr],
                       message('a@remote.example', addr, 'fill%d' % i, body))
    if not poll(lambda: have() > 850000, 30):
        raise AssertionError('quota of %s not counted' % addr)


def rcpt_from_outside(rcpt, size):
    """(code, text) of RCPT TO rcpt from outside, after a MAIL FROM with
    SIZE=size that was accepted."""
    with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
        code, text = s.mail('a@remote.example', ['SIZE=%d' % size])
        if code != 250:
            raise AssertionError('MAIL FROM: %d %s' % (code, text))
        return s.rcpt(rcpt)


def make_domain(word, plan='Recommended'):
    """A domain and its owner, made with postbusctl: (name, id, owner)."""
    prefix, owner = uniq(word), uniq('own')
    d = ctl_json('domain', 'add', prefix + '.example', '--plan', plan,
                 '--prefix', prefix, '--new-owner', owner,
                 '--password-stdin', '--contact', 'c@example.org',
                 stdin=STRONG_PASSWORD + '\n')
    return prefix + '.example', d['id'], owner


class MailAccess(unittest.TestCase):
    PW = STRONG_PASSWORD

    @classmethod
    def setUpClass(cls):
        mail_stack()
        cls.dom, cls.did, cls.owner = make_domain('acc')
        cls.info = cls.add('info', '--extra', 'contact@' + cls.dom)
        cls.other = cls.add('other')
        cls.full = cls.add('full', '--quota', '1MB', '--extra',
                           'fullextra@' + cls.dom)
        cls.addr = 'info@' + cls.dom

    @classmethod
    def add(cls, local, *args):
        return ctl_json('mailbox', 'add', cls.dom, '--local', local,
                        '--password-stdin', *args,
                        stdin=cls.PW + '\n')['login']

    # --- IMAP and POP3 ------------------------------------------------------

    def imap_ok(self, c, user):
        try:
            self.assertEqual(c.login(user, self.PW)[0], 'OK')
            self.assertEqual(c.select('INBOX')[0], 'OK')
        finally:
            c.logout()

    def pop3_ok(self, c, user):
        try:
            c.user(user)
            self.assertTrue(c.pass_(self.PW).startswith(b'+OK'))
            c.stat()
        finally:
            c.quit()

    def test_imaps_login_with_login_and_address(self):
        for user in (self.info, self.addr):
            self.imap_ok(IMAP(port('IMAPS'), 'ssl'), user)

    def test_pop3s_login_with_login_and_address(self):
        for user in (self.info, self.addr):
            self.pop3_ok(POP3(port('POP3S'), 'ssl'), user)

    def test_starttls_then_login(self):
        self.imap_ok(IMAP(port('IMAP'), 'starttls', source=OUTSIDE), self.info)
        self.pop3_ok(POP3(port('POP3'), 'starttls', source=OUTSIDE), self.addr)

    def test_plaintext_login_refused(self):
        c = IMAP(port('IMAP'), None, source=OUTSIDE)
        try:
            self.assertIn('LOGINDISABLED', c.capabilities)
            with self.assertRaises(IMAP.error) as e:
                c.login(self.info, self.PW)
            self.assertIn(b'PRIVACYREQUIRED', str(e.exception).encode())
        finally:
            c.shutdown()
        c = POP3(port('POP3'), None, source=OUTSIDE)
        try:
            self.assertNotIn('USER', c.capa())
            with self.assertRaises(poplib.error_proto) as e:
                c.user(self.info)
                c.pass_(self.PW)
            self.assertIn('disallowed', str(e.exception))
        finally:
            c.close()

    def test_certificate_names_the_mail_host(self):
        ctx = tls_context()
        for p in (port('IMAPS'), port('POP3S'), port('SUBMISSION'),
                  port('AUTOCONFIG')):
            with socket.create_connection((env('POSTBUS_LISTEN'), p), 10) as s:
                with ctx.wrap_socket(s, server_hostname=env('POSTBUS_HOSTNAME')) as t:
                    cert = t.getpeercert()
                    self.assertIn(('DNS', env('POSTBUS_HOSTNAME')),
                                  cert['subjectAltName'])
                    self.assertIn(t.version(), ('TLSv1.2', 'TLSv1.3'))
        # a name the certificate does not hold is refused by the client
        with socket.create_connection((env('POSTBUS_LISTEN'), port('IMAPS')), 10) as s:
            with self.assertRaises(ssl.SSLCertVerificationError):
                ctx.wrap_socket(s, server_hostname='other.example')

    def test_tls_offers_aead_only(self):
        """TLS 1.2 with a CBC or SHA-1 suite, or TLS 1.1, is refused by
        nginx, Dovecot and Postfix's submission alike."""
        for p in (port('AUTOCONFIG'), port('IMAPS'), port('POP3S'),
                  port('SUBMISSION')):
            for ciphers, version in (('ECDHE-ECDSA-AES128-SHA', ssl.TLSVersion.TLSv1_2),
                                     ('ECDHE-ECDSA-AES256-SHA384', ssl.TLSVersion.TLSv1_2)):
                ctx = tls_context()
                ctx.maximum_version = version
                ctx.set_ciphers(ciphers)
                with socket.create_connection((env('POSTBUS_LISTEN'), p), 10) as s:
                    with self.assertRaises(ssl.SSLError, msg='%d %s' % (p, ciphers)):
                        ctx.wrap_socket(s, server_hostname=env('POSTBUS_HOSTNAME'))
            ctx = tls_context()
            ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            with socket.create_connection((env('POSTBUS_LISTEN'), p), 10) as s:
                with ctx.wrap_socket(s, server_hostname=env('POSTBUS_HOSTNAME')) as t:
                    name, _, _ = t.cipher()
                    self.assertRegex(name, r'GCM|CHACHA20', p)

    # --- submission -----------------------------------------------------------

    def submit(self, s, sender, rcpt):
        token = 'tok' + secrets.token_hex(8)
        s.sendmail(sender, [rcpt], message(sender, rcpt, token))
        return token

    def test_submission_465_with_login_reaches_the_internet(self):
        with SMTP(port('SUBMISSION'), 'ssl') as s:
            self.assertIn('auth', s.esmtp_features)
            self.assertEqual(s.login(self.info, self.PW)[0], 235)
            token = self.submit(s, self.addr, 'friend@remote.example')
            # an additional address of the mailbox is its own too
            token2 = self.submit(s, 'contact@' + self.dom, 'friend@remote.example')
        self.assertIsNotNone(poll(lambda: sink_has(token)), 'not at the sink')
        self.assertIsNotNone(poll(lambda: sink_has(token2)), 'not at the sink')

    def test_submission_587_starttls_with_address_login(self):
        with SMTP(port('SUBMISSION_STARTTLS'), 'starttls', source=OUTSIDE) as s:
            self.assertEqual(s.login(self.addr, self.PW)[0], 235)
            token = self.submit(s, self.addr, 'friend@remote.example')
        text = poll(lambda: sink_has(token))
        self.assertIsNotNone(text, 'not at the sink')
        # authenticated mail is never greylisted or delayed: it is there
        self.assertIn('friend@remote.example', text)

    def test_auth_without_tls_refused(self):
        with SMTP(port('SUBMISSION_STARTTLS'), None, source=OUTSIDE) as s:
            self.assertNotIn('auth', s.esmtp_features)
            self.assertIn('starttls', s.esmtp_features)
            code, _ = s.docmd('AUTH', 'PLAIN')
            self.assertGreaterEqual(code, 500)
            code, text = s.mail(self.addr)
            self.assertEqual(code, 530, text)
        # port 25 (MX) offers no AUTH at all, with or without TLS
        with SMTP(port('SMTP'), 'starttls', source=OUTSIDE) as s:
            self.assertNotIn('auth', s.esmtp_features)

    def test_wrong_password_refused(self):
        with SMTP(port('SUBMISSION'), 'ssl', source='127.0.0.3') as s:
            with self.assertRaises(smtplib.SMTPAuthenticationError):
                s.login(self.info, 'Wrong-Passw0rd')

    def test_sending_as_another_mailbox_refused(self):
        with SMTP(port('SUBMISSION'), 'ssl') as s:
            s.login(self.info, self.PW)
            for sender in ('other@' + self.dom, 'someone@remote.example',
                           'nobody@' + self.dom):
                code, text = reply_of(s.sendmail, sender,
                                      ['friend@remote.example'], 'x')
                self.assertEqual(code, 553, (sender, text))
                self.assertIn(b'not owned by user', text)
                s.rset()

    def test_unauthenticated_relay_refused(self):
        # submission without a login: nothing at all, refused at MAIL FROM
        # (553 for the address of a mailbox: "not logged in")
        with SMTP(port('SUBMISSION'), 'ssl', source=OUTSIDE) as s:
            code, text = reply_of(s.sendmail, self.addr,
                                  ['friend@remote.example'], 'x')
            self.assertEqual(code, 553, text)
            self.assertIn(b'not logged in', text)
            s.rset()
            code, text = reply_of(s.sendmail, 'a@remote.example',
                                  ['friend@remote.example'], 'x')
            self.assertEqual(code, 554, text)
        # the MX port from outside: only our own domains
        with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
            code, text = reply_of(s.sendmail, 'a@remote.example',
                                  ['friend@remote.example'], 'x')
            self.assertEqual(code, 554, text)
            self.assertIn(b'Relay access denied', text)

    def test_message_over_the_plans_size_refused(self):
        limit = int(sql("SELECT p.max_message_size FROM domains d JOIN plans p"
                        " ON p.id = d.plan_id WHERE d.id = @p1", self.did)[0][0])
        with SMTP(port('SUBMISSION'), 'ssl') as s:
            self.assertEqual(int(s.esmtp_features['size']), limit)
            s.login(self.info, self.PW)
            # announced: refused at MAIL FROM
            code, text = s.mail(self.addr, ['SIZE=%d' % (limit + 1)])
            self.assertEqual(code, 552, text)
            s.rset()
            # not announced: refused after DATA
            self.assertEqual(s.mail(self.addr)[0], 250)
            self.assertEqual(s.rcpt('friend@remote.example')[0], 250)
            code, text = reply_of(s.data, 'Subject: big\r\n\r\n' +
                                  ('x' * 998 + '\r\n') * (limit // 1000 + 10))
            self.assertEqual(code, 552, text)
        # the same limit for mail to the domain
        with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
            code, text = s.mail('a@remote.example', ['SIZE=%d' % (limit + 1)])
            self.assertEqual(code, 552, text)

    def test_smaller_plan_size_refused_at_rcpt(self):
        # a plan whose maximum message size is below the server's: mail to
        # its domains is refused during the dialogue when SIZE= says so
        plan = uniq('Small')
        ctl_json('plan', 'add', plan, '--max-message-size', '100KB')
        dom, _, _ = make_domain('sml', plan)
        ctl_json('mailbox', 'add', dom, '--local', 'info',
                 '--password-stdin', stdin=self.PW + '\n')
        with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
            s.mail('a@remote.example', ['SIZE=200000'])
            code, text = s.rcpt('info@' + dom)
            self.assertEqual(code, 552, text)
            s.rset()
            s.mail('a@remote.example', ['SIZE=50000'])
            self.assertEqual(s.rcpt('info@' + dom)[0], 250)

    def fill_full_mailbox(self):
        """Bring the 1 MB mailbox to about 890 kB, as in the report."""
        fill_mailbox('full@' + self.dom)

    def test_full_mailbox_refused_during_the_dialogue(self):
        self.fill_full_mailbox()
        # As the report: smtplib announces SIZE= (300 kB), by primary
        # address and by an additional one (the one that was accepted, then
        # deferred by LMTP: quota-status did not know that name)
        for rcpt in ('full@' + self.dom, 'fullextra@' + self.dom):
            with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
                code, text = reply_of(s.sendmail, 'a@remote.example', [rcpt],
                                      'Subject: x\r\n\r\n' + 'z' * 300000)
                self.assertEqual(code, 452, (rcpt, text))
                self.assertIn(b'4.2.2', text)
                self.assertIn(b'overquota', text)
        # bigger than the whole quota: it will never fit
        with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
            s.mail('a@remote.example', ['SIZE=2000000'])
            code, text = s.rcpt('fullextra@' + self.dom)
            self.assertEqual(code, 552, text)
        # and a small one still fits
        with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
            s.mail('a@remote.example', ['SIZE=1000'])
            self.assertEqual(s.rcpt('full@' + self.dom)[0], 250)

    def test_address_literal_refused(self):
        for rcpt in ('someone@[127.0.0.1]', 'postmaster@[%s]' % env('POSTBUS_LISTEN'),
                     'x@[IPv6:::1]'):
            with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
                s.mail('a@remote.example')
                code, text = s.rcpt(rcpt)
                self.assertEqual(code, 550, (rcpt, text))
        with SMTP(port('SUBMISSION'), 'ssl') as s:
            s.login(self.info, self.PW)
            s.mail(self.addr)
            self.assertEqual(s.rcpt('someone@[127.0.0.1]')[0], 550)

    def test_vrfy_refused(self):
        with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
            code, _ = s.verify(self.addr)
            self.assertEqual(code, 502)

    def test_banner_names_the_mail_host(self):
        for p, tls in ((port('SMTP'), None), (port('SUBMISSION'), 'ssl'),
                       (port('SUBMISSION_STARTTLS'), 'starttls')):
            with SMTP(p, tls) as s:
                self.assertEqual(s.banner.decode(),
                                 env('POSTBUS_HOSTNAME') + ' ESMTP')

    # --- automatic configuration ----------------------------------------------

    def https(self, method, path, body=None, host=None, headers=None):
        conn = http.client.HTTPSConnection(
            env('POSTBUS_LISTEN'), port('AUTOCONFIG'), timeout=20,
            context=tls_context())
        # verify under the mail host name while connecting to the address
        conn.sock = tls_context().wrap_socket(
            socket.create_connection((env('POSTBUS_LISTEN'), port('AUTOCONFIG')), 20),
            server_hostname=env('POSTBUS_HOSTNAME'))
        h = {'Host': host or env('POSTBUS_HOSTNAME')}
        h.update(headers or {})
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        return r.status, r.getheader('Content-Type'), r.read()

    def test_autoconfig_names_host_and_ports_that_work(self):
        for path in ('/mail/config-v1.1.xml?emailaddress=' +
                     urllib.parse.quote(self.addr),
                     '/.well-known/autoconfig/mail/config-v1.1.xml'):
            st, ctype, body = self.https('GET', path,
                                         host='autoconfig.' + self.dom)
            self.assertEqual(st, 200, body[:300])
            self.assertIn('xml', ctype)
            root = ET.fromstring(body)
            prov = root.find('emailProvider')
            self.assertEqual(prov.get('id'), env('POSTBUS_HOSTNAME'))
            servers = prov.findall('incomingServer') + prov.findall('outgoingServer')
            seen = set()
            for srv in servers:
                self.assertEqual(srv.findtext('hostname'), env('POSTBUS_HOSTNAME'))
                self.assertEqual(srv.findtext('username'), '%EMAILADDRESS%')
                self.assertEqual(srv.findtext('authentication'), 'password-cleartext')
                seen.add((srv.get('type'), int(srv.findtext('port')),
                          srv.findtext('socketType')))
            self.assertEqual(seen, {
                ('imap', port('IMAPS'), 'SSL'), ('imap', port('IMAP'), 'STARTTLS'),
                ('pop3', port('POP3S'), 'SSL'), ('pop3', port('POP3'), 'STARTTLS'),
                ('smtp', port('SUBMISSION'), 'SSL'),
                ('smtp', port('SUBMISSION_STARTTLS'), 'STARTTLS')})
        # a mail program follows it: every server, port and socket type
        # it advertises takes the address and the password
        tls = {'SSL': 'ssl', 'STARTTLS': 'starttls'}
        for kind, p, sock in sorted(seen):
            if kind == 'imap':
                self.imap_ok(IMAP(p, tls[sock], source=OUTSIDE), self.addr)
            elif kind == 'pop3':
                self.pop3_ok(POP3(p, tls[sock], source=OUTSIDE), self.addr)
            else:
                with SMTP(p, tls[sock], source=OUTSIDE) as s:
                    self.assertEqual(s.login(self.addr, self.PW)[0], 235)

    def test_autoconfig_same_answer_for_unknown_address(self):
        def get(a):
            return self.https('GET', '/mail/config-v1.1.xml?emailaddress=' +
                              urllib.parse.quote(a))[2]
        known = get(self.addr)
        unknown = get('nobody@' + self.dom)
        self.assertEqual(known, unknown)
        self.assertNotIn(b'nobody', unknown)

    def autodiscover(self, address, path='/autodiscover/autodiscover.xml'):
        req = ('<?xml version="1.0" encoding="utf-8"?>\n'
               '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/'
               'autodiscover/outlook/requestschema/2006"><Request>'
               '<EMailAddress>%s</EMailAddress><AcceptableResponseSchema>'
               'http://schemas.microsoft.com/exchange/autodiscover/outlook/'
               'responseschema/2006a</AcceptableResponseSchema></Request>'
               '</Autodiscover>' % address)
        return self.https('POST', path, body=req.encode(),
                          host='autodiscover.' + self.dom,
                          headers={'Content-Type': 'text/xml'})

    def test_autodiscover_answers_pox(self):
        st, ctype, body = self.autodiscover(self.addr)
        self.assertEqual(st, 200, body[:500])
        root = ET.fromstring(body)
        protos = {p.findtext(TB + 'Type'): p for p in root.iter(TB + 'Protocol')}
        self.assertEqual(set(protos), {'IMAP', 'POP3', 'SMTP'})
        for t, name in (('IMAP', 'IMAPS'), ('POP3', 'POP3S'), ('SMTP', 'SUBMISSION')):
            self.assertEqual(protos[t].findtext(TB + 'Server'), env('POSTBUS_HOSTNAME'))
            self.assertEqual(int(protos[t].findtext(TB + 'Port')), port(name))
            self.assertEqual(protos[t].findtext(TB + 'SSL'), 'on')
            self.assertEqual(protos[t].findtext(TB + 'LoginName'), self.addr)
        # Outlook's capitalised path too
        st, _, body2 = self.autodiscover(self.addr, '/Autodiscover/Autodiscover.xml')
        self.assertEqual((st, body2), (200, body))
        # unknown: the same answer with its own (valid) address
        st, _, body3 = self.autodiscover('nobody@' + self.dom)
        self.assertEqual(body3, body.replace(self.addr.encode(),
                                             b'nobody@' + self.dom.encode()))

    def test_autodiscover_hostile_address_is_escaped(self):
        marker = uniq('evil')
        # not an address: never echoed
        for hostile in ('"><script>alert(1)</script>%s@x.example' % marker,
                        '%s&lt;b&gt;@x.example' % marker,
                        '%s]]&gt;<![CDATA[@x.example' % marker,
                        '%s@x.example\r\nFAKE LOG LINE' % marker):
            st, _, body = self.autodiscover(hostile)
            self.assertEqual(st, 200, body[:300])
            root = ET.fromstring(body)        # well-formed
            self.assertNotIn(b'<script', body)
            self.assertNotIn(marker.encode(), body)
            self.assertIsNone(root.find('.//' + TB + 'LoginName'))
        # a valid address made of XML's special characters: echoed escaped
        tricky = "%s&'{x}@x.example" % marker
        st, _, body = self.autodiscover(tricky.replace('&', '&amp;')
                                        .replace("'", '&apos;'))
        self.assertEqual(st, 200)
        self.assertNotIn(b'<script', body)
        # the raw text held "&amp;": no valid address, nothing echoed
        self.assertNotIn(marker.encode(), body)
        st, _, body = self.autodiscover(tricky)   # sent unescaped
        self.assertIn(b'&amp;&#39;{x}', body)
        root = ET.fromstring(body)
        self.assertEqual(root.find('.//' + TB + 'LoginName').text, tricky)
        # a GET, a form post, or no body: never a panel page, never a crash
        st, _, _ = self.https('GET', '/autodiscover/autodiscover.xml')
        self.assertEqual(st, 405)
        # logged as data: the CR LF did not start a line of its own
        with open(os.path.join(env('POSTBUS_STATE'), 'log', 'postbus.log'),
                  errors='replace') as f:
            log = f.read()
        self.assertIn(marker, log)
        self.assertNotRegex(log, r'(?m)^FAKE LOG LINE')

    def test_autoconfig_page_writes_nothing(self):
        before = sql("SELECT COUNT(*) FROM audit_log")
        self.autodiscover(self.addr)
        self.https('GET', '/mail/config-v1.1.xml?emailaddress=' + self.addr)
        self.assertEqual(sql("SELECT COUNT(*) FROM audit_log"), before)


def maildir_has(domain, login, token):
    """The delivered message of login holding token, or None."""
    d = os.path.join(env('POSTBUS_STATE'), 'mail', domain, login, 'Maildir')
    for sub in ('new', 'cur'):
        try:
            names = os.listdir(os.path.join(d, sub))
        except FileNotFoundError:
            continue
        for name in names:
            try:
                with open(os.path.join(d, sub, name), errors='replace') as f:
                    text = f.read()
            except FileNotFoundError:
                continue
            if token in text:
                return text
    return None


def queued_for(rcpt):
    """Messages in Postfix's queue with rcpt among their recipients."""
    out = subprocess.run(['postqueue', '-c', os.path.join(
        env('POSTBUS_STATE'), 'postfix', 'etc'), '-j'],
        capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()
            and any(r['address'] == rcpt for r in json.loads(line)['recipients'])]


class SubmissionPlanSize(unittest.TestCase):
    """The plan's maximum message size holds for mail a mailbox sends
    (issue 11): Postfix's submission services ask postbus-sizepolicy (a
    policy server on lib/submission.c) at MAIL FROM, which refuses an
    announced SIZE= over the sender's plan, and at the end of DATA, which
    refuses a message over it that came without SIZE=.  The server-wide
    limit (12 MB) stays what EHLO announces."""

    @classmethod
    def setUpClass(cls):
        mail_stack()
        cls.plan = uniq('Tiny')
        ctl_json('plan', 'add', cls.plan, '--max-message-size', '100KB')
        cls.limit = int(sql("SELECT max_message_size FROM plans WHERE "
                            "name = @p1", cls.plan)[0][0])
        cls.dom, _, _ = make_domain('tny', cls.plan)
        cls.login = ctl_json('mailbox', 'add', cls.dom, '--local', 'anna',
                             '--password-stdin',
                             stdin=STRONG_PASSWORD + '\n')['login']
        cls.addr = 'anna@' + cls.dom
        # a mailbox of the 12 MB plan, to receive what anna sends
        cls.rdom, _, _ = make_domain('big')
        cls.rlogin = ctl_json('mailbox', 'add', cls.rdom, '--local', 'bob',
                              '--password-stdin',
                              stdin=STRONG_PASSWORD + '\n')['login']

    def sessions(self):
        """A logged-in session on 465 (TLS) and on 587 (STARTTLS)."""
        for p, tls in ((port('SUBMISSION'), 'ssl'),
                       (port('SUBMISSION_STARTTLS'), 'starttls')):
            s = SMTP(p, tls)
            self.assertEqual(s.login(self.login, STRONG_PASSWORD)[0], 235)
            yield p, s

    def body(self, token, size):
        line = 'x' * 998 + '\r\n'
        return message(self.addr, 'friend@remote.example', token,
                       line * (size // len(line) + 1))

    def test_announced_size_over_the_plan_refused_at_mail_from(self):
        for p, s in self.sessions():
            with s:
                code, text = s.mail(self.addr, ['SIZE=%d' % (self.limit + 1)])
                self.assertEqual(code, 552, (p, text))
                self.assertIn(b'5.3.4', text)
                self.assertIn(b'your plan', text)
                # the server-wide limit is what EHLO announces
                self.assertEqual(int(s.esmtp_features['size']), 12582912)

    def test_message_over_the_plan_without_size_refused_after_data(self):
        for p, s in self.sessions():
            token = 'big' + secrets.token_hex(8)
            with s:
                self.assertEqual(s.mail(self.addr)[0], 250, p)
                self.assertEqual(s.rcpt('friend@remote.example')[0], 250, p)
                self.assertEqual(s.rcpt('bob@' + self.rdom)[0], 250, p)
                code, text = reply_of(s.data, self.body(token, self.limit + 500))
                self.assertEqual(code, 552, (p, text))
                self.assertIn(b'5.3.4', text)
            self.assertIsNone(sink_has(token))
            self.assertIsNone(maildir_has(self.rdom, self.rlogin, token))

    def test_message_under_the_plan_accepted_and_delivered(self):
        for p, s in self.sessions():
            t1, t2 = 'ok' + secrets.token_hex(8), 'ok' + secrets.token_hex(8)
            with s:
                # announced
                code, _ = s.mail(self.addr, ['SIZE=%d' % (self.limit - 20000)])
                self.assertEqual(code, 250, p)
                s.rcpt('friend@remote.example')
                s.rcpt('bob@' + self.rdom)
                self.assertEqual(reply_of(s.data, self.body(t1, self.limit - 20000))[0],
                                 250, p)
                # not announced
                self.assertEqual(s.mail(self.addr)[0], 250, p)
                s.rcpt('friend@remote.example')
                s.rcpt('bob@' + self.rdom)
                self.assertEqual(reply_of(s.data, self.body(t2, self.limit - 20000))[0],
                                 250, p)
            for t in (t1, t2):
                self.assertIsNotNone(poll(lambda: sink_has(t)), (p, 'sink'))
                self.assertIsNotNone(poll(lambda: maildir_has(
                    self.rdom, self.rlogin, t)), (p, 'mailbox'))

    def test_other_plans_keep_their_own_size(self):
        # bob's plan (12 MB) lets him send what anna may not
        bob = 'bob@' + self.rdom
        with SMTP(port('SUBMISSION'), 'ssl') as s:
            s.login(self.rlogin, STRONG_PASSWORD)
            code, text = s.mail(bob, ['SIZE=%d' % (self.limit * 3)])
            self.assertEqual(code, 250, text)
            self.assertEqual(s.rcpt('friend@remote.example')[0], 250)
            token = 'bob' + secrets.token_hex(8)
            line = 'x' * 998 + '\r\n'
            code, text = reply_of(s.data, message(
                bob, 'friend@remote.example', token,
                line * (self.limit * 2 // 1000)))
            self.assertEqual(code, 250, text)
        self.assertIsNotNone(poll(lambda: sink_has(token)))

    def test_policy_lookup_is_a_point_query(self):
        rows = sql("EXPLAIN SELECT p.max_message_size FROM addresses a "
                   "JOIN mailboxes m ON m.id = a.mailbox_id "
                   "JOIN domains d ON d.id = m.domain_id "
                   "JOIN plans p ON p.id = d.plan_id "
                   "WHERE a.address = @p1 AND a.kind = 'primary' "
                   "AND m.deleted_at IS NULL AND d.active = 1", self.addr)
        for r in rows:
            self.assertNotIn(r[3], ('ALL', 'index'), r)


class AliasOfAFullMailbox(unittest.TestCase):
    """RCPT to an alias of a full mailbox, or to its address in an alias
    domain, is answered 452 4.2.2 during the dialogue, as its own address
    is (Dovecot's userdb knows those names for quota-status).

    Decision for an alias with several destinations, one of them full:
    accept it (250) and let Postfix deliver each copy on its own, deferring
    only the copy for the full mailbox (LMTP's 452) - what Postfix does
    with any alias.  Refusing the recipient would hold back the copies for
    the mailboxes that have room; a sender retrying would then repeat them
    all."""

    @classmethod
    def setUpClass(cls):
        mail_stack()
        cls.dom, _, _ = make_domain('fal')
        cls.full = ctl_json('mailbox', 'add', cls.dom, '--local', 'full',
                            '--quota', '1MB', '--password-stdin',
                            stdin=STRONG_PASSWORD + '\n')['login']
        cls.room = ctl_json('mailbox', 'add', cls.dom, '--local', 'room',
                            '--password-stdin',
                            stdin=STRONG_PASSWORD + '\n')['login']
        ctl('alias', 'add', 'onlyfull@' + cls.dom, cls.full)
        ctl('alias', 'add', 'pair@' + cls.dom, 'full@' + cls.dom,
            'room@' + cls.dom)
        cls.adom = uniq('fad') + '.example'
        ctl('domain', 'alias', 'add', cls.adom, cls.dom)
        fill_mailbox('full@' + cls.dom)

    def rcpt(self, rcpt, size):
        return rcpt_from_outside(rcpt, size)

    def test_alias_to_the_full_mailbox_452(self):
        for rcpt in ('onlyfull@' + self.dom, 'full@' + self.adom,
                     'onlyfull@' + self.adom, 'onlyfull+tag@' + self.dom):
            code, text = self.rcpt(rcpt, 300000)
            self.assertEqual(code, 452, (rcpt, text))
            self.assertIn(b'4.2.2', text)
        # bigger than the whole quota: never
        code, text = self.rcpt('onlyfull@' + self.dom, 2000000)
        self.assertEqual(code, 552, text)
        # a small one still fits
        self.assertEqual(self.rcpt('onlyfull@' + self.dom, 1000)[0], 250)

    def test_alias_with_room_elsewhere_accepted_full_copy_deferred(self):
        self.assertEqual(self.rcpt('pair@' + self.dom, 300000)[0], 250)
        token = 'pair' + secrets.token_hex(8)
        with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
            s.sendmail('a@remote.example', ['pair@' + self.dom],
                       message('a@remote.example', 'pair@' + self.dom, token,
                               'z' * 300000))
        # the copy with room is delivered, the full one waits in the queue
        self.assertIsNotNone(poll(lambda: maildir_has(self.dom, self.room, token), 20))
        queued = poll(lambda: queued_for('full@' + self.dom), 20)
        self.assertTrue(queued)
        self.assertIsNone(maildir_has(self.dom, self.full, token))
        # the copy waits for room, as any deferred mail: not for this run
        for q in queued:
            subprocess.run(['postsuper', '-c', os.path.join(
                env('POSTBUS_STATE'), 'postfix', 'etc'), '-d', q['queue_id']],
                capture_output=True)


class ForwardingFullMailbox(unittest.TestCase):
    """A full mailbox that forwards its mail without keeping a copy stores
    none of it: quota-status lets the mail through (250) and Postfix passes
    it on.  With a copy kept, or without forwarding, it is 452 4.2.2 as
    for any full mailbox.  IMAP still shows the mailbox's own quota."""

    @classmethod
    def setUpClass(cls):
        mail_stack()
        cls.dom, _, _ = make_domain('ffw')
        cls.login = ctl_json('mailbox', 'add', cls.dom, '--local', 'moved',
                             '--quota', '1MB', '--password-stdin',
                             stdin=STRONG_PASSWORD + '\n')['login']
        cls.addr = 'moved@' + cls.dom
        fill_mailbox(cls.addr)

    def tearDown(self):
        ctl('mailbox', 'forward', self.login, '--off')

    def rcpt(self):
        return rcpt_from_outside(self.addr, 300000)

    def test_forwarding_without_a_copy_passes_the_mail_on(self):
        ctl('mailbox', 'forward', self.login, '--to',
            'moved-on@remote.example', '--no-keep')
        code, text = self.rcpt()
        self.assertEqual(code, 250, text)
        token = 'ffw' + secrets.token_hex(8)
        with SMTP(port('SMTP'), None, source=OUTSIDE) as s:
            s.sendmail('a@remote.example', [self.addr],
                       message('a@remote.example', self.addr, token,
                               'z' * 300000))
        self.assertIsNotNone(poll(lambda: sink_has(token), 30),
                             'not passed on to the internet')
        # the mailbox keeps its quota where it is stored and read
        c = IMAP(port('IMAPS'), 'ssl')
        try:
            self.assertEqual(c.login(self.login, STRONG_PASSWORD)[0], 'OK')
            typ, data = c.getquotaroot('INBOX')
            self.assertEqual(typ, 'OK')
            self.assertIn(b'STORAGE', b' '.join(d for d in data[1]))
            self.assertIn(b' 1024)', b' '.join(d for d in data[1]))
        finally:
            c.logout()

    def test_full_with_a_copy_or_without_forwarding_452(self):
        code, text = self.rcpt()
        self.assertEqual(code, 452, text)
        ctl('mailbox', 'forward', self.login, '--to',
            'moved-on@remote.example', '--keep')
        code, text = self.rcpt()
        self.assertEqual(code, 452, text)
        self.assertIn(b'4.2.2', text)


class SettingsPage(unittest.TestCase):
    """The mail client settings page: per mailbox, per domain, authorised."""

    @classmethod
    def setUpClass(cls):
        mail_stack()
        cls.dom, cls.did, cls.owner = make_domain('set')
        mb = ctl_json('mailbox', 'add', cls.dom, '--local', 'anna',
                      '--password-stdin', stdin=STRONG_PASSWORD + '\n')
        cls.login = mb['login']
        cls.mid = int(sql("SELECT id FROM mailboxes WHERE login = @p1",
                          cls.login)[0][0])
        cls.b = Browser()
        cls.b.login(cls.owner, STRONG_PASSWORD)

    def test_mailbox_page_has_the_facts(self):
        r = self.b.get('/mailbox/settings?id=%d' % self.mid)
        self.assertEqual(r.status, 200, r.text[:500])
        t = r.text
        self.assertIn('<code class="login">%s</code>' % self.login, t)
        self.assertIn('anna@' + self.dom, t)
        self.assertIn('<code>%s</code>' % env('POSTBUS_HOSTNAME'), t)
        for name in ('IMAPS', 'IMAP', 'POP3S', 'POP3', 'SUBMISSION',
                     'SUBMISSION_STARTTLS'):
            self.assertIn('%d' % port(name), t, name)
        self.assertIn('12 MB', t)
        self.assertIn('SSL/TLS', t)
        self.assertIn('STARTTLS', t)
        self.assertNotIn('$y$', t)
        self.assertNotIn('$6$', t)

    def test_domain_page(self):
        r = self.b.get('/mailclient?d=%s' % self.did)
        self.assertEqual(r.status, 200, r.text[:500])
        self.assertIn(self.dom, r.text)
        self.assertIn('%d' % port('IMAPS'), r.text)
        self.assertIn('Mail Client Settings', r.text)   # in the menu

    def test_other_owner_cannot_see_it(self):
        _, _, other = make_domain('oth')
        b = Browser()
        b.login(other, STRONG_PASSWORD)
        r = b.get('/mailbox/settings?id=%d' % self.mid)
        self.assertEqual(r.status, 404)
        self.assertNotIn(self.login, r.text)
        r = b.get('/mailclient?d=%s' % self.did)
        self.assertIn(r.status, (403, 404))
        self.assertNotIn(self.dom, r.text)
        for bad in ('0', '-1', 'abc', '99999999', "1'"):
            r = b.get('/mailbox/settings?id=' + urllib.parse.quote(bad))
            self.assertEqual(r.status, 404, bad)

    def test_needs_a_login(self):
        r = Browser().get('/mailbox/settings?id=%d' % self.mid, follow=False)
        self.assertIn(r.status, (302, 303))
        self.assertEqual(r.header('Location'), '/login')


if __name__ == '__main__':
    unittest.main()
