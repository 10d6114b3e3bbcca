#!/usr/bin/env python3
"""bench_mailaccess.py - what a mail program's connection costs: a login
over IMAPS, IMAP+STARTTLS, POP3S, a submission on 465 with a login and one
message to a remote address, and an autoconfig answer, each over a new
TLS connection verified against the stack's private CA, one after the
other from one client (what a mail server sees when many programs check
mail), against a stack that ./postbus up started.

    POSTBUS_STATE=/path/to/state bench/bench_mailaccess.py [N] [rounds]

It makes a domain and a mailbox of its own (bench-mailaccess.example)
with postbusctl the first time.  Prints, per kind: N operations, the best
rate of the rounds (default 3, as the machine is shared) and the median
time of one.  Dovecot's auth_failure_delay does not matter: every login
succeeds.
"""
import os
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'lib'))
STATE = os.environ.get('POSTBUS_STATE', os.path.join(ROOT, 'var'))
with open(os.path.join(STATE, 'postbus.env')) as f:
    for line in f:
        k, _, v = line.strip().partition('=')
        if k:
            os.environ.setdefault(k, v)

from pbtest import IMAP, POP3, SMTP, tls_context  # noqa: E402

DOMAIN = 'bench-mailaccess.example'
PW = 'Bq7nWr8xZk'
N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 3


def ctl(*args, stdin=''):
    return subprocess.run([os.environ['POSTBUS_CTL'], '-c',
                           os.environ['POSTBUS_CONF']] + list(args),
                          input=stdin, capture_output=True, text=True)


def setup():
    if ctl('domain', 'show', DOMAIN).returncode != 0:
        ctl('domain', 'add', DOMAIN, '--plan', 'Extended', '--prefix',
            'benchma', '--new-owner', 'benchmaowner', '--contact',
            'c@example.org', '--password-stdin', stdin=PW + '\n')
        ctl('mailbox', 'add', DOMAIN, '--local', 'info', '--password-stdin',
            stdin=PW + '\n')
    return 'info@' + DOMAIN


def port(name):
    return int(os.environ['POSTBUS_%s_PORT' % name])


def imaps(addr):
    c = IMAP(port('IMAPS'), 'ssl')
    c.login(addr, PW)
    c.logout()


def imap_starttls(addr):
    c = IMAP(port('IMAP'), 'starttls')
    c.login(addr, PW)
    c.logout()


def pop3s(addr):
    c = POP3(port('POP3S'), 'ssl')
    c.user(addr)
    c.pass_(PW)
    c.quit()


def submission(addr):
    with SMTP(port('SUBMISSION'), 'ssl') as s:
        s.login(addr, PW)
        s.sendmail(addr, ['bench@remote.example'],
                   'From: <%s>\r\nSubject: bench\r\n\r\nhello\r\n' % addr)


CTX = tls_context()


def autoconfig(addr):
    """One request on its own TLS connection, written and read whole (a
    plain socket: http.client's reads added some 90 ms a request here)."""
    host = os.environ['POSTBUS_HOSTNAME']
    s = CTX.wrap_socket(socket.create_connection(
        (os.environ['POSTBUS_LISTEN'], port('AUTOCONFIG'))), server_hostname=host)
    s.sendall(('GET /mail/config-v1.1.xml?emailaddress=%s HTTP/1.1\r\n'
               'Host: autoconfig.%s\r\nConnection: close\r\n\r\n'
               % (addr, DOMAIN)).encode())
    data = b''
    while True:
        x = s.recv(65536)
        if not x:
            break
        data += x
    s.close()
    assert data.startswith(b'HTTP/1.1 200'), data[:100]


def main():
    addr = setup()
    print('== %d of each, one after the other, best of %d rounds; '
          'TLS verified against %s' % (N, ROUNDS, os.environ['POSTBUS_CA_CERT']))
    for name, fn, n in (('IMAPS login + logout', imaps, N),
                        ('IMAP STARTTLS login + logout', imap_starttls, N),
                        ('POP3S login + quit', pop3s, N),
                        ('submission 465: login + 1 message', submission, N // 4 or 1),
                        ('autoconfig GET (HTTPS)', autoconfig, N)):
        best, times = 0.0, []
        for _ in range(ROUNDS):
            t0 = time.monotonic()
            for _ in range(n):
                t = time.monotonic()
                fn(addr)
                times.append(time.monotonic() - t)
            best = max(best, n / (time.monotonic() - t0))
        print('   %-36s %5d  %7.1f /s  median %6.1f ms' % (
            name, n, best, statistics.median(times) * 1000))


if __name__ == '__main__':
    main()
