"""Mail routed by aliases, forwards, catch-alls and alias domains that
postbusctl made, through the real Postfix and Dovecot of the shared stack
(tests/run.py): SMTP in, the Maildir or the sink out.

The rules behind the routes are tested in test_aliases.py (same helpers);
the maps themselves, on rows written with SQL, in
tests/mail/test_alias_maps.py.
"""
import time
import unittest

from pbtest import ctl, uniq
from test_aliases import (at_sink, has_mail, in_maildir, mailbox,
                          make_domain, rcpt_code, send)


@unittest.skipUnless(has_mail(), 'no mail stack')
class AliasMail(unittest.TestCase):
    """Routes made with postbusctl, mail through the real stack."""

    @classmethod
    def setUpClass(cls):
        cls.dom, cls.did, cls.owner = make_domain()
        cls.info = mailbox(cls.dom, 'info')
        cls.john = mailbox(cls.dom, 'john')
        cls.catch = mailbox(cls.dom, 'catch')

    def test_alias_to_login_local_address_and_remote(self):
        ctl('alias', 'add', 'any@' + self.dom, self.info, 'john@' + self.dom,
            'support@remote.example')
        token = send(['any@' + self.dom])
        self.assertTrue(in_maildir(self.dom, self.info, token))
        self.assertTrue(in_maildir(self.dom, self.john, token))
        text = at_sink(token, 'support@remote.example')
        self.assertIsNotNone(text)
        self.assertRegex(text, r'Return-Path: <SRS0=[^>]*=remote\.example='
                         r'sender@')

    def test_catchall_and_what_wins_over_it(self):
        ctl('alias', 'add', '@' + self.dom, self.catch)
        ctl('alias', 'add', 'gugus@' + self.dom, self.info)
        token = send(['unknown@' + self.dom])
        self.assertTrue(in_maildir(self.dom, self.catch, token))
        token = send(['info+tag@' + self.dom, 'gugus@' + self.dom])
        self.assertTrue(in_maildir(self.dom, self.info, token))
        time.sleep(0.5)
        self.assertFalse(in_maildir(self.dom, self.catch, token, timeout=0.5))

    def test_forward_without_and_with_copy(self):
        box = mailbox(self.dom, 'away')
        ctl('mailbox', 'forward', box, '--to', 'away@remote.example',
            '--no-keep')
        token = send(['away@' + self.dom])
        self.assertIsNotNone(at_sink(token, 'away@remote.example'))
        self.assertFalse(in_maildir(self.dom, box, token, timeout=1))
        ctl('mailbox', 'forward', box, '--to', 'away@remote.example', '--keep')
        token = send(['away@' + self.dom])
        self.assertIsNotNone(at_sink(token, 'away@remote.example'))
        self.assertTrue(in_maildir(self.dom, box, token))

    def test_everyone_and_bounce(self):
        ctl('alias', 'add', 'all@' + self.dom, '--everyone')
        late = mailbox(self.dom, 'late')
        token = send(['all@' + self.dom])
        self.assertTrue(in_maildir(self.dom, late, token))
        ctl('alias', 'add', 'old@' + self.dom, '--bounce')
        code, msg = rcpt_code('old@' + self.dom)
        self.assertEqual(code, 550, msg)

    def test_alias_domain(self):
        ad = uniq('ad') + '.example'
        ctl('domain', 'alias', 'add', ad, self.dom)
        ctl('alias', 'add', 'desk@' + self.dom, self.john)
        token = send(['info@' + ad, 'desk@' + ad])
        self.assertTrue(in_maildir(self.dom, self.info, token))
        self.assertTrue(in_maildir(self.dom, self.john, token))
        other, _, _ = make_domain()
        oad = uniq('ad') + '.example'
        ctl('domain', 'alias', 'add', oad, other)
        code, msg = rcpt_code('unknown@' + oad)     # no catch-all there
        self.assertEqual(code, 550, msg)

    def test_disabled_domain_refuses_everything(self):
        dom, _, _ = make_domain()
        box = mailbox(dom, 'box')
        ctl('alias', 'add', 'al@' + dom, box)
        ctl('alias', 'add', '@' + dom, box)
        ad = uniq('ad') + '.example'
        ctl('domain', 'alias', 'add', ad, dom)
        ctl('domain', 'disable', dom)
        for rcpt in ('box@' + dom, 'al@' + dom, 'x@' + dom, 'box@' + ad,
                     'al@' + ad):
            code, msg = rcpt_code(rcpt)
            self.assertEqual(code, 550, '%s: %s' % (rcpt, msg))

    def test_deleted_mailbox_aliases_stop(self):
        box = mailbox(self.dom, 'leaver')
        ctl('alias', 'add', 'team@' + self.dom, box, self.john)
        ctl('mailbox', 'delete', box)
        token = send(['team@' + self.dom])
        self.assertTrue(in_maildir(self.dom, self.john, token))
        self.assertFalse(in_maildir(self.dom, box, token, timeout=1))
        ctl('mailbox', 'restore', box)
        token = send(['team@' + self.dom])
        self.assertTrue(in_maildir(self.dom, box, token))

    def test_required_aliases_deliver(self):
        ctl('alias', 'edit', 'postmaster@' + self.dom, self.info)
        token = send(['postmaster@' + self.dom])
        self.assertTrue(in_maildir(self.dom, self.info, token))


if __name__ == '__main__':
    unittest.main()
