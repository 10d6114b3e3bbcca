#!/usr/bin/env python3
"""End-to-end tests of aliases, forwarding, catch-alls and alias domains:
real Postfix (with postsrsd) and Dovecot reading a real MariaDB, started by
bin/mailstack, each case an SMTP delivery checked in the Maildir, over
IMAP or at the SMTP sink that stands in for the internet.

The routes are made with postbusctl (lib/ writes them, schema/020) in a
world of its own, whose low virtual_alias_expansion_limit makes "everyone
in domain" past it cheap to test; tests/integration/test_aliases.py makes
routes through the panel too, on the shared stack.

Run as root:  python3 tests/mail/test_alias_maps.py [-v]
"""

import imaplib
import json
import os
import re
import secrets
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pbtest import STRONG_PASSWORD  # noqa: E402
from test_mailstack import (LISTEN, OUTSIDE, MailWorld,  # noqa: E402
                            WorldTestCase, find_message, message, poll)

# The world's own expansion limit (main.cf's virtual_alias_expansion_limit),
# low so that "everyone in domain" past it is cheap to build.
EXPANSION_LIMIT = 40
SRS_DOMAIN = "mail.postbus.test"    # MYHOSTNAME of MailWorld


class AliasWorld(MailWorld):
    """MailWorld whose domains, mailboxes, aliases, forwards and alias
    domains are made by postbusctl, the product's own path (lib/ writes
    the rows of schema/020 and keeps the rules: every route here is one a
    user can make)."""

    def ctl(self, *args, stdin=None):
        conf = os.path.join(self.tmp, "postbus.conf")
        if not os.path.exists(conf):
            user, pw = self.accounts["panel"]
            with open(conf, "w") as fp:
                os.fchmod(fp.fileno(), 0o600)
                fp.write("db_socket = %s\ndb_name = %s\ndb_user = %s\n"
                         "db_password = %s\n" % (self.socket, self.dbname,
                                                 user, pw))
        ctl = [os.path.join(self.builddir, d, "postbusctl") for d in ("", "bin")]
        ctl = next(c for c in ctl if os.access(c, os.X_OK))
        r = subprocess.run([ctl, "-c", conf] + list(args), input=stdin,
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("postbusctl %s: exit %d: %s"
                               % (" ".join(args), r.returncode, r.stderr))
        return r.stdout

    def add_domain(self, name, contact="postmaster@remote.example"):
        """A domain on the Extended plan with its owner; its role aliases
        (abuse@ ...) point at contact."""
        prefix = name.split(".")[0][:32]
        self.ctl("domain", "add", name, "--plan", "Extended", "--prefix",
                 prefix, "--new-owner", prefix + "owner", "--password-stdin",
                 "--contact", contact, stdin=STRONG_PASSWORD + "\n")

    def add_mailbox(self, domain, localpart, password):
        """A mailbox with the plan's default quota; its login."""
        out = self.ctl("--json", "mailbox", "add", domain, "--local",
                       localpart, "--password-stdin", stdin=password + "\n")
        return json.loads(out)["login"]

    def add_extra(self, login, address):
        self.ctl("mailbox", "edit", login, "--extra", address)

    def add_alias(self, address, destinations=(), kind="normal"):
        flag = {"normal": [], "catchall": [], "bounce": ["--bounce"],
                "everyone": ["--everyone"]}[kind]
        self.ctl("alias", "add", address, *(list(destinations) + flag))

    def add_forward(self, login, destinations, keep):
        args = []
        for d in destinations:
            args += ["--to", d]
        self.ctl("mailbox", "forward", login, *args,
                 "--keep" if keep else "--no-keep")

    def add_alias_domain(self, name, target):
        self.ctl("domain", "alias", "add", name, target)

    def delete_mailbox(self, login):
        self.ctl("mailbox", "delete", login)

    def restore_mailbox(self, login):
        self.ctl("mailbox", "restore", login)

    def set_active(self, domain, active):
        self.ctl("domain", "enable" if active else "disable", domain)


class AliasMailTest(WorldTestCase):
    world_class = AliasWorld
    PW = STRONG_PASSWORD            # postbusctl applies the password rules

    @classmethod
    def build(cls, w):
        w.add_domain("monsite.be", contact="monsite@monsite.be")
        w.add_domain("exemple.be")
        w.add_domain("crowd.be")
        w.add_domain("sleepy.be")
        pw = cls.PW
        cls.owner = w.add_mailbox("monsite.be", "monsite", pw)
        cls.info = w.add_mailbox("monsite.be", "info", pw)
        cls.john = w.add_mailbox("monsite.be", "john", pw)
        cls.nico = w.add_mailbox("monsite.be", "nico", pw)
        cls.away = w.add_mailbox("monsite.be", "away", pw)
        cls.copy = w.add_mailbox("monsite.be", "copy", pw)
        cls.leaver = w.add_mailbox("monsite.be", "leaver", pw)
        cls.catcher = w.add_mailbox("monsite.be", "catcher", pw)
        w.add_extra(cls.info, "contact@monsite.be")
        # the role aliases (abuse@, hostmaster@, postmaster@,
        # webmaster@) came with the domain: monsite@monsite.be
        w.add_alias("gugus@monsite.be", [cls.info])
        w.add_alias("sales@monsite.be", ["john@monsite.be"])
        w.add_alias("any@monsite.be", [cls.john, "nico@monsite.be",
                                       "support@remote.example"])
        w.add_alias("team@monsite.be", [cls.john, cls.leaver])
        w.add_alias("gone@monsite.be", [cls.leaver])
        w.add_alias("old@monsite.be", kind="bounce")
        w.add_alias("all@monsite.be", kind="everyone")
        w.add_alias("@monsite.be", [cls.catcher], kind="catchall")
        w.add_forward(cls.away, ["away@remote.example"], keep=False)
        w.add_forward(cls.copy, ["copy@remote.example", cls.john],
                      keep=True)
        w.add_alias_domain("monsite.com", "monsite.be")

        # exemple.be: no catch-all, an alias domain
        cls.gugus = w.add_mailbox("exemple.be", "gugus.dupont", pw)
        w.add_alias("redirection@exemple.be", ["support@all2all.example"])
        w.add_alias("old@exemple.be", kind="bounce")
        w.add_alias_domain("exemple.com", "exemple.be")

        # sleepy.be: everything there, then the domain is disabled
        cls.sleeper = w.add_mailbox("sleepy.be", "sleeper", pw)
        w.add_alias("alias@sleepy.be", [cls.sleeper])
        w.add_alias("fwd@sleepy.be", ["far@remote.example"])
        w.add_alias("@sleepy.be", [cls.sleeper], kind="catchall")
        w.add_alias("all@sleepy.be", kind="everyone")
        w.add_forward(cls.sleeper, ["sleeper@remote.example"], keep=True)
        w.add_alias_domain("sleepy.com", "sleepy.be")
        w.set_active("sleepy.be", False)

        # crowd.be: one mailbox more than "everyone" may expand to
        w.sql("""
            SELECT id INTO @d FROM domains WHERE name = 'crowd.be';
            INSERT INTO mailboxes (domain_id, login, address, pw_hash,
                                   created_by)
              SELECT @d, CONCAT('crowd', LPAD(seq, 4, '0')),
                     CONCAT('c', seq, '@crowd.be'), 'x', 'test'
              FROM seq_1_to_{0};
            INSERT INTO addresses (address, domain_id, kind, mailbox_id)
              SELECT address, @d, 'primary', id FROM mailboxes
              WHERE domain_id = @d;
            """.format(EXPANSION_LIMIT + 1))
        w.add_alias("all@crowd.be", kind="everyone")
        w.extra_secrets["ALIAS_EXPANSION_LIMIT"] = EXPANSION_LIMIT
        # (the expansion-limit case logs a "warning", nothing worse)

    # --- helpers ----------------------------------------------------------

    def smtp(self, source=LISTEN):
        import smtplib
        s = smtplib.SMTP(LISTEN, self.world.smtp_port, timeout=20,
                         source_address=(source, 0))
        s.ehlo("client.test")
        return s

    def send(self, rcpts, sender="sender@remote.example", source=OUTSIDE):
        """Send one message from outside (not mynetworks); its token."""
        token = "tok" + secrets.token_hex(8)
        with self.smtp(source) as s:
            s.sendmail(sender, rcpts, message(sender, rcpts, token))
        return token

    def rcpt_reply(self, rcpt, source=OUTSIDE):
        with self.smtp(source) as s:
            self.assertEqual(s.mail("sender@remote.example")[0], 250)
            return s.rcpt(rcpt)

    def in_mailbox(self, domain, login, token, timeout=10):
        return poll(lambda: find_message(self.world.maildir(domain, login),
                                         token), timeout)

    def not_in_mailbox(self, domain, login, token):
        time.sleep(0.5)
        return find_message(self.world.maildir(domain, login), token) is None

    def at_sink(self, token, rcpt=None, timeout=10):
        """The sink file holding token (for rcpt, if given): its text."""
        def look():
            d = self.world.sink_dir()
            for name in os.listdir(d):
                if name.startswith("."):
                    continue
                with open(os.path.join(d, name), errors="replace") as fp:
                    text = fp.read()
                if token in text and (rcpt is None or
                                      "X-Envelope-To: <%s>" % rcpt in text):
                    return text
            return None
        return poll(look, timeout)

    # --- aliases ----------------------------------------------------------

    def test_alias_to_a_login(self):
        token = self.send(["gugus@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.info, token))

    def test_alias_to_a_local_address(self):
        token = self.send(["sales@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.john, token))

    def test_alias_read_over_imap(self):
        token = self.send(["gugus@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.info, token))
        c = imaplib.IMAP4(LISTEN, self.world.imap_port, timeout=20)
        try:
            c.login("info@monsite.be", self.PW)
            c.select("INBOX", readonly=True)
            typ, data = c.search(None, "SUBJECT", '"test %s"' % token)
            self.assertEqual(typ, "OK")
            self.assertEqual(len(data[0].split()), 1)
        finally:
            c.logout()

    def test_two_local_and_one_remote_destination_with_srs(self):
        token = self.send(["any@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.john, token))
        self.assertTrue(self.in_mailbox("monsite.be", self.nico, token))
        text = self.at_sink(token, "support@remote.example")
        self.assertIsNotNone(text, "remote copy not relayed")
        m = re.search(r"^Return-Path: <([^>]*)>", text, re.M)
        self.assertRegex(m.group(1), r"^SRS0=[^=]+=[^=]+=remote\.example="
                         r"sender@%s$" % re.escape(SRS_DOMAIN))
        # the headers are left alone
        self.assertIn("From: <sender@remote.example>", text)

    def test_our_own_senders_are_not_rewritten(self):
        token = self.send(["any@monsite.be"], sender="john@monsite.be",
                          source=LISTEN)
        text = self.at_sink(token, "support@remote.example")
        self.assertIsNotNone(text)
        self.assertIn("Return-Path: <john@monsite.be>", text)

    def test_bounce_to_srs_address_reaches_the_sender(self):
        token = self.send(["any@monsite.be"])
        text = self.at_sink(token, "support@remote.example")
        srs = re.search(r"^Return-Path: <([^>]*)>", text, re.M).group(1)
        # the remote side bounces to the SRS address, from outside
        bounce = self.send([srs], sender="")
        back = self.at_sink(bounce, "sender@remote.example")
        self.assertIsNotNone(back, "bounce to %s not turned back" % srs)
        # an address at the SRS domain that postsrsd did not make is refused
        code, msg = self.rcpt_reply("SRS0=xxxx=AA=remote.example=x@"
                                    + SRS_DOMAIN)
        self.assertEqual(code // 100, 5, msg)
        code, msg = self.rcpt_reply("root@" + SRS_DOMAIN)
        self.assertEqual(code // 100, 5, msg)

    def test_role_aliases_deliver(self):
        token = self.send(["postmaster@monsite.be", "abuse@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.owner, token))

    def test_plus_extension_reaches_the_mailbox(self):
        token = self.send(["info+news@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.info, token))
        token = self.send(["gugus+x@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.info, token))

    # --- catch-all --------------------------------------------------------

    def test_catchall_gets_unknown_addresses(self):
        token = self.send(["unknown@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.catcher, token))

    def test_catchall_never_swallows_what_exists(self):
        for rcpt, login in [("info@monsite.be", self.info),
                            ("contact@monsite.be", self.info),
                            ("gugus@monsite.be", self.info),
                            ("info+tag@monsite.be", self.info),
                            ("john@monsite.be", self.john)]:
            token = self.send([rcpt])
            self.assertTrue(self.in_mailbox("monsite.be", login, token), rcpt)
            self.assertTrue(self.not_in_mailbox("monsite.be", self.catcher,
                                                token), rcpt)

    def test_without_catchall_unknown_is_550(self):
        code, msg = self.rcpt_reply("unknown@exemple.be")
        self.assertEqual(code, 550, msg)

    # --- forwarding -------------------------------------------------------

    def test_forward_without_copy(self):
        token = self.send(["away@monsite.be"])
        self.assertIsNotNone(self.at_sink(token, "away@remote.example"))
        self.assertTrue(self.not_in_mailbox("monsite.be", self.away, token))

    def test_forward_with_copy(self):
        token = self.send(["copy@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.copy, token))
        self.assertTrue(self.in_mailbox("monsite.be", self.john, token))
        self.assertIsNotNone(self.at_sink(token, "copy@remote.example"))

    def test_forward_through_alias_and_extra_address(self):
        # an alias to a forwarding mailbox follows its forward
        w = self.world
        w.add_alias("viaaway@monsite.be", [self.away])
        token = self.send(["viaaway@monsite.be"])
        self.assertIsNotNone(self.at_sink(token, "away@remote.example"))
        self.assertTrue(self.not_in_mailbox("monsite.be", self.away, token))

    def test_forward_to_deleted_mailbox_keeps_the_mail(self):
        w = self.world
        a = w.add_mailbox("monsite.be", "fwdfrom", self.PW)
        b = w.add_mailbox("monsite.be", "fwdto", self.PW)
        w.add_forward(a, [b], keep=False)
        token = self.send(["fwdfrom@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", b, token))
        self.assertTrue(self.not_in_mailbox("monsite.be", a, token))
        w.delete_mailbox(b)
        token = self.send(["fwdfrom@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", a, token))

    # --- everyone in domain, bounce ----------------------------------------

    def test_everyone_reaches_a_mailbox_created_after_the_alias(self):
        late = self.world.add_mailbox("monsite.be", "late", self.PW)
        token = self.send(["all@monsite.be"])
        for login in (late, self.info, self.john, self.owner):
            self.assertTrue(self.in_mailbox("monsite.be", login, token),
                            login)

    def test_everyone_past_the_expansion_limit_is_deferred(self):
        # crowd.be has one mailbox more than the limit: cleanup answers the
        # end of DATA with a 4xx, so the sending server keeps the message
        # and retries for days (lib/ allows "everyone" only where the plan
        # keeps a domain far below main.cf's limit)
        import smtplib
        token = "tok" + secrets.token_hex(8)
        with self.smtp(OUTSIDE) as s:
            self.assertEqual(s.mail("sender@remote.example")[0], 250)
            self.assertEqual(s.rcpt("all@crowd.be")[0], 250)
            code, msg = s.data(message("sender@remote.example",
                                       ["all@crowd.be"], token))
        self.assertEqual(code, 451, msg)
        self.assertIn(b"4.6.0 Alias expansion error", msg)
        self.assertTrue(poll(lambda: "unreasonable virtual_alias_maps map "
                             "expansion size for all@crowd.be"
                             in self.world.maillog()))
        self.assertIsNone(find_message(self.world.maildir("crowd.be",
                                                          "crowd0001"), token))
        # one mailbox fewer, and every one of them gets it
        self.world.sql("UPDATE mailboxes SET deleted_at = NOW() "
                       "WHERE login = 'crowd0041'")
        token = self.send(["all@crowd.be"])
        self.assertTrue(self.in_mailbox("crowd.be", "crowd0040", token))
        self.assertTrue(self.in_mailbox("crowd.be", "crowd0001", token))

    def test_bounce_alias_refuses_at_rcpt(self):
        for rcpt in ("old@monsite.be", "old+tag@monsite.be", "OLD@monsite.be",
                     "old@exemple.be", "old@exemple.com", "old@monsite.com"):
            code, msg = self.rcpt_reply(rcpt)
            self.assertEqual(code, 550, rcpt)
            self.assertIn(b"5.1.6", msg, rcpt)
        # also from inside (mynetworks), where relaying is allowed
        code, msg = self.rcpt_reply("old@monsite.be", source=LISTEN)
        self.assertEqual(code, 550, msg)

    # --- alias domains ----------------------------------------------------

    def test_alias_domain_reaches_the_mailbox(self):
        token = self.send(["gugus.dupont@exemple.com"])
        self.assertTrue(self.in_mailbox("exemple.be", self.gugus, token))
        token = self.send(["info@monsite.com", "contact@monsite.com",
                           "info+x@monsite.com"])
        self.assertTrue(self.in_mailbox("monsite.be", self.info, token))

    def test_alias_domain_reaches_alias_destinations(self):
        token = self.send(["redirection@exemple.com"])
        self.assertIsNotNone(self.at_sink(token, "support@all2all.example"))
        token = self.send(["gugus@monsite.com"])
        self.assertTrue(self.in_mailbox("monsite.be", self.info, token))

    def test_alias_domain_unknown_goes_to_catchall_when_set(self):
        token = self.send(["unknown@monsite.com"])
        self.assertTrue(self.in_mailbox("monsite.be", self.catcher, token))
        # but a mailbox of the alias domain is never the catch-all's
        token = self.send(["john@monsite.com"])
        self.assertTrue(self.in_mailbox("monsite.be", self.john, token))
        self.assertTrue(self.not_in_mailbox("monsite.be", self.catcher, token))

    def test_alias_domain_unknown_is_550_without_catchall(self):
        code, msg = self.rcpt_reply("unknown@exemple.com")
        self.assertEqual(code, 550, msg)
        code, msg = self.rcpt_reply("@exemple.com")
        self.assertEqual(code // 100, 5, msg)

    def test_alias_domain_never_relays(self):
        # not a relay even for mynetworks: it is ours
        code, msg = self.rcpt_reply("unknown@exemple.com", source=LISTEN)
        self.assertEqual(code, 550, msg)

    # --- disabled domain, deleted mailbox ----------------------------------

    def test_disabled_domain_receives_nothing(self):
        for rcpt in ("sleeper@sleepy.be", "alias@sleepy.be", "fwd@sleepy.be",
                     "unknown@sleepy.be", "all@sleepy.be",
                     "sleeper@sleepy.com", "alias@sleepy.com",
                     "unknown@sleepy.com"):
            code, msg = self.rcpt_reply(rcpt)
            self.assertEqual(code, 550, "%s: %d %s" % (rcpt, code, msg))
            code, msg = self.rcpt_reply(rcpt, source=LISTEN)
            self.assertEqual(code, 550, "%s: %d %s" % (rcpt, code, msg))

    def test_deleted_mailbox_aliases_stop_and_come_back(self):
        w = self.world
        w.delete_mailbox(self.leaver)
        try:
            token = self.send(["team@monsite.be"])
            self.assertTrue(self.in_mailbox("monsite.be", self.john, token))
            # an alias whose only destination is gone is unknown (here the
            # catch-all takes it, as for any address that does not exist)
            token = self.send(["gone@monsite.be"])
            self.assertTrue(self.in_mailbox("monsite.be", self.catcher, token))
            self.assertIsNone(find_message(
                w.maildir("monsite.be", self.leaver), token))
        finally:
            w.restore_mailbox(self.leaver)
        token = self.send(["team@monsite.be", "gone@monsite.be"])
        self.assertTrue(self.in_mailbox("monsite.be", self.leaver, token))
        self.assertTrue(self.not_in_mailbox("monsite.be", self.catcher, token))


if __name__ == "__main__":
    unittest.main()
