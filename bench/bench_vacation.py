#!/usr/bin/env python3
"""bench_vacation - what an automatic reply costs a delivery.

Against a running stack (./postbus up, or a kept test stack): the
variables of STATE/postbus.env must be in the environment, e.g.

    set -a; . var/postbus.env; set +a; bench/bench_vacation.py [N]

It makes a domain with three mailboxes and sends N messages to each over
one SMTP connection, then waits until all are in the Maildirs and Postfix's
queue is empty:
  plain     no reply: Pigeonhole's dict lookup finds no script;
  repeat    a reply on, every message from one sender: the script runs,
            one reply goes out, the rest are duplicates;
  replies   a reply on, every message from another sender: one reply each,
            which Postfix then relays to the sink.
Prints messages per second for each (best of 3 rounds).
"""
import glob
import os
import smtplib
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'lib'))
from pbtest import ctl, ctl_json, env, uniq, STRONG_PASSWORD  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200


def queue_empty():
    p = subprocess.run(['postqueue', '-c', os.path.join(env('POSTBUS_STATE'),
                        'postfix', 'etc'), '-j'], capture_output=True, text=True)
    return p.stdout.strip() == ''


def count(domain, login):
    return len(glob.glob(os.path.join(env('POSTBUS_MAIL_DIR'), domain, login,
                                      'Maildir', 'new', '*')))


def run(domain, login, to, same_sender):
    before = count(domain, login)
    t0 = time.monotonic()
    s = smtplib.SMTP(env('POSTBUS_LISTEN', '127.0.0.1'),
                     int(env('POSTBUS_SMTP_PORT')))
    for i in range(N):
        frm = 'bench@remote.example' if same_sender else \
            '%s@remote.example' % uniq('b')
        msg = ('From: %s\r\nTo: %s\r\nSubject: bench %d\r\nMessage-ID: '
               '<%s@remote.example>\r\n\r\nHello.\r\n' % (frm, to, i, uniq('m')))
        s.sendmail(frm, [to], msg)
    s.quit()
    while count(domain, login) < before + N or not queue_empty():
        time.sleep(0.02)
    return N / (time.monotonic() - t0)


def main():
    prefix = uniq('bv')
    domain = prefix + '.example'
    ctl('domain', 'add', domain, '--plan', 'Recommended', '--prefix', prefix,
        '--new-owner', uniq('bvo'), '--password-stdin', '--contact',
        'c@example.org', stdin=STRONG_PASSWORD + '\n')
    boxes = {}
    for local in ('plain', 'repeat', 'replies'):
        boxes[local] = ctl_json('mailbox', 'add', domain, '--local', local,
                                '--password-stdin',
                                stdin=STRONG_PASSWORD + '\n')['login']
        if local != 'plain':
            ctl('mailbox', 'vacation', boxes[local], '--on', '--subject',
                'Away', '--body-stdin', '--interval', '1440',
                stdin='I am away this week.\n')
    print('messages per second, %d per round, best of 3:' % N)
    for local in ('plain', 'repeat', 'replies'):
        best = max(run(domain, boxes[local], '%s@%s' % (local, domain),
                       local == 'repeat') for _ in range(3))
        print('  %-8s %6.0f' % (local, best))


if __name__ == '__main__':
    main()
