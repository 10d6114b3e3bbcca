"""pbtest - helpers for postbus integration tests (Python 3 stdlib only).

The stack under test is described by the POSTBUS_* variables of
STATE/postbus.env, which tests/run.py exports before running the tests:
POSTBUS_URL, POSTBUS_ADMIN_USER, POSTBUS_ADMIN_PASSWORD, POSTBUS_STATE,
POSTBUS_DB_SOCKET, POSTBUS_CONF, POSTBUS_CTL, the mail ports, ...

    from pbtest import Browser, env, ctl, sql
    b = Browser()                      # HTTPS client with a cookie jar
    b.login(env('POSTBUS_ADMIN_USER'), env('POSTBUS_ADMIN_PASSWORD'))
    r = b.get('/home')                 # Response: status, headers, text
    r = b.post_form('/login', {...})   # adds the page's CSRF token itself
    ctl('domain', 'list', '--json')    # postbusctl with the test config
    sql('SELECT COUNT(*) FROM domains') # rows as lists of strings, as root

free_ports(n), other_stack_env(POSTBUS_STATE=...) and stack_settings(STATE)
serve the tests that bring up a second stack of their own.

Browser(source='127.0.0.7') makes requests come from another loopback
address, so throttling tests do not lock out the other tests.
"""
import html
import http.client
import imaplib
import poplib
import smtplib
import random
import socket
import json
import os
import re
import ssl
import subprocess
import time
import urllib.parse

__all__ = ['env', 'Browser', 'Response', 'ctl', 'ctl_json', 'sql', 'uniq',
           'STRONG_PASSWORD', 'tls_context', 'IMAP', 'POP3', 'SMTP']

_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
STRONG_PASSWORD = 'Kv8wPz3qLm'
_counter = [0]


def env(name, default=None):
    v = os.environ.get(name, default)
    if v is None:
        raise RuntimeError('%s is not set: run the tests through tests/run.py' % name)
    return v


def port_ceiling():
    """The first port of the kernel's ephemeral range, less room for the
    ports ./postbus derives (+850, +885): a port chosen below it is never
    taken meanwhile as the source port of an outgoing connection."""
    try:
        with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    return max(low - 1000, 12000)


def free_ports(n):
    """n TCP ports free on 127.0.0.1, below the ephemeral range (held
    together while chosen, so they differ)."""
    socks, ports = [], []
    try:
        while len(ports) < n:
            port = random.randrange(10000, port_ceiling())
            if port in ports:
                continue
            s = socket.socket()
            try:
                s.bind(('127.0.0.1', port))
            except OSError:
                s.close()
                continue
            socks.append(s)
            ports.append(port)
    finally:
        for s in socks:
            s.close()
    return ports


def other_stack_env(**extra):
    """The environment of a second ./postbus stack next to the one under
    test: none of the POSTBUS_* settings of the stack under test but its
    build tree, free ports for the panel, SMTP, IMAP, POP3 and the sink,
    no delay after a failed mail login; then extra (POSTBUS_STATE=...)."""
    e = {k: v for k, v in os.environ.items() if not k.startswith('POSTBUS_')}
    ports = free_ports(5)
    e.update({
        'POSTBUS_BUILD': os.environ.get('POSTBUS_BUILD', os.path.join(_ROOT, 'build')),
        'POSTBUS_PORT': str(ports[0]), 'POSTBUS_SMTP_PORT': str(ports[1]),
        'POSTBUS_IMAP_PORT': str(ports[2]), 'POSTBUS_POP3_PORT': str(ports[3]),
        'POSTBUS_SINK_PORT': str(ports[4]), 'POSTBUS_AUTH_FAILURE_DELAY': '0s',
    })
    e.update(extra)
    return e


def stack_settings(state):
    """The POSTBUS_* settings that ./postbus up wrote to STATE/postbus.env."""
    with open(os.path.join(state, 'postbus.env')) as f:
        return dict(line.strip().split('=', 1) for line in f if '=' in line)


def uniq(prefix='t'):
    """A short name unique within this test run (letters only at the end)."""
    _counter[0] += 1
    n = _counter[0]
    letters = ''
    while True:
        letters = chr(ord('a') + n % 26) + letters
        n //= 26
        if n == 0:
            break
    return '%s%d%s' % (prefix, os.getpid() % 10000, letters)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers          # list of (name, value)
        self.body = body
        self.text = body.decode('utf-8', 'replace')

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def all_headers(self, name):
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def csrf(self):
        m = re.search(r'name="csrf" value="([0-9a-f]+)"', self.text)
        return m.group(1) if m else None

    def field_error(self, name):
        """The message shown next to field NAME, or None."""
        m = re.search(r'id="%s"[^>]*>.*?<span class="field-error"[^>]*>(.*?)</span>'
                      % re.escape(name), self.text, re.S)
        if m is None:
            m = re.search(r'name="%s"[^>]*>.*?<span class="field-error"[^>]*>(.*?)</span>'
                          % re.escape(name), self.text, re.S)
        return html.unescape(m.group(1)) if m else None

    def input_value(self, name):
        m = re.search(r'<input[^>]*name="%s"[^>]*value="([^"]*)"' % re.escape(name),
                      self.text)
        return html.unescape(m.group(1)) if m else None

    def __repr__(self):
        return '<Response %d %d bytes>' % (self.status, len(self.body))


class Browser:
    """An HTTPS client with cookies, like a browser without JavaScript."""

    def __init__(self, url=None, source=None):
        u = urllib.parse.urlsplit(url or env('POSTBUS_URL'))
        self.host, self.port = u.hostname, u.port or 443
        self.source = source
        self.cookies = {}
        self.last = None
        self.ctx = ssl.create_default_context()
        self.ctx.check_hostname = False
        self.ctx.verify_mode = ssl.CERT_NONE

    def request(self, method, path, body=None, headers=None, raw_body=None):
        conn = http.client.HTTPSConnection(
            self.host, self.port, context=self.ctx, timeout=30,
            source_address=(self.source, 0) if self.source else None)
        h = {'Host': '%s:%d' % (self.host, self.port)}
        if self.cookies:
            h['Cookie'] = '; '.join('%s=%s' % kv for kv in self.cookies.items())
        if body is not None:
            raw_body = urllib.parse.urlencode(body, doseq=True).encode()
            h['Content-Type'] = 'application/x-www-form-urlencoded'
        h.update(headers or {})
        conn.request(method, path, body=raw_body, headers=h)
        r = conn.getresponse()
        resp = Response(r.status, r.getheaders(), r.read())
        conn.close()
        for c in resp.all_headers('Set-Cookie'):
            name, _, rest = c.partition('=')
            value = rest.split(';', 1)[0]
            if 'Max-Age=0' in c or value == '':
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        self.last = resp
        return resp

    def get(self, path, follow=True):
        r = self.request('GET', path)
        n = 0
        while follow and r.status in (301, 302, 303) and n < 5:
            r = self.request('GET', r.header('Location'))
            n += 1
        return r

    def post(self, path, fields, follow=True):
        r = self.request('POST', path, body=fields)
        if follow and r.status in (301, 302, 303):
            return self.get(r.header('Location'))
        return r

    def post_form(self, page, action, fields, follow=True):
        """GET page, take its CSRF token, POST fields to action."""
        token = self.get(page).csrf()
        f = dict(fields)
        f.setdefault('csrf', token)
        return self.post(action, f, follow=follow)

    def login(self, user=None, password=None):
        user = user or env('POSTBUS_ADMIN_USER')
        password = password or env('POSTBUS_ADMIN_PASSWORD')
        r = self.post_form('/login', '/login', {'login': user, 'password': password})
        if '__Host-postbus_session' not in self.cookies:
            raise AssertionError('login as %s failed: %d %s' % (user, r.status, r.text[:300]))
        return r

    def logout(self):
        return self.post_form('/home', '/logout', {})


def ctl(*args, stdin=None, check=True, as_user=None):
    """Run postbusctl with the stack's config; returns CompletedProcess."""
    cmd = [env('POSTBUS_CTL'), '-c', env('POSTBUS_CONF')]
    if as_user:
        cmd += ['--as', as_user]
    cmd += list(args)
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError('%s: exit %d: %s' % (' '.join(args), p.returncode, p.stderr))
    return p


def ctl_json(*args, **kw):
    return json.loads(ctl('--json', *args, **kw).stdout)


def sql(query, *params):
    """Run SQL as MariaDB's root over the socket; rows as lists of str.

    Parameters are passed as user variables (@p1, @p2, ...), never spliced."""
    pre = ''
    for i, p in enumerate(params, 1):
        s = str(p).replace('\\', '\\\\').replace("'", "\\'")
        pre += "SET @p%d = '%s';\n" % (i, s)
    p = subprocess.run(
        ['mariadb', '--no-defaults', '-uroot', '--socket=' + env('POSTBUS_DB_SOCKET'),
         '-N', '-B', env('POSTBUS_DB_NAME', 'postbus')],
        input=pre + query + ';\n', capture_output=True, text=True)
    if p.returncode != 0:
        raise AssertionError('SQL failed: %s: %s' % (query, p.stderr))
    return [line.split('\t') for line in p.stdout.splitlines()]


def poll(fn, timeout=15.0, interval=0.1):
    """Call fn until it returns something true (mail queues, Dovecot's
    dict writes are asynchronous); return that, or None after timeout."""
    end = time.monotonic() + timeout
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > end:
            return None
        time.sleep(interval)


# --- mail clients over TLS --------------------------------------------------
# Each verifies the server's certificate against the stack's private CA
# (POSTBUS_CA_CERT) under the mail host name (POSTBUS_HOSTNAME), as a mail
# program does, while connecting to the listening address.  tls is "ssl"
# (TLS from the first byte: IMAPS, POP3S, SMTP on 465), "starttls" or None
# (plain text).  source: the local address to connect from; Dovecot
# counts a client on the server's own address as secured, so tests of
# what a plain connection may do come from another loopback address.

def tls_context(cafile=None):
    """A client context that trusts only the private CA."""
    ctx = ssl.create_default_context(cafile=cafile or env('POSTBUS_CA_CERT'))
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


class _Mail:
    def _pb_init(self, tls, source, ctx, name, addr):
        self.pb_tls = tls
        self.pb_source = source
        self.pb_ctx = ctx or (tls_context() if tls else None)
        self.pb_addr = addr or env('POSTBUS_LISTEN', '127.0.0.1')
        return name or env('POSTBUS_HOSTNAME')

    def _pb_socket(self, port, timeout):
        s = socket.create_connection(
            (self.pb_addr, port), timeout,
            source_address=(self.pb_source, 0) if self.pb_source else None)
        if self.pb_tls == 'ssl':
            s = self.pb_ctx.wrap_socket(s, server_hostname=self.pb_name)
        return s


class IMAP(_Mail, imaplib.IMAP4):
    """IMAP4 over TLS (or not): IMAP(port, 'ssl'|'starttls'|None)."""

    def __init__(self, port, tls='ssl', source=None, ctx=None, name=None,
                 addr=None, timeout=20):
        self.pb_name = self._pb_init(tls, source, ctx, name, addr)
        imaplib.IMAP4.__init__(self, self.pb_name, port, timeout)
        if tls == 'starttls':
            self.starttls(ssl_context=self.pb_ctx)

    def _create_socket(self, timeout):
        return self._pb_socket(self.port, timeout)


class POP3(_Mail, poplib.POP3):
    """POP3 over TLS (or not): POP3(port, 'ssl'|'starttls'|None)."""

    def __init__(self, port, tls='ssl', source=None, ctx=None, name=None,
                 addr=None, timeout=20):
        self.pb_name = self._pb_init(tls, source, ctx, name, addr)
        poplib.POP3.__init__(self, self.pb_name, port, timeout)
        if tls == 'starttls':
            self.stls(context=self.pb_ctx)

    def _create_socket(self, timeout):
        return self._pb_socket(self.port, timeout)


class SMTP(_Mail, smtplib.SMTP):
    """SMTP over TLS (or not): SMTP(port, 'ssl'|'starttls'|None); EHLO is
    sent (again after STARTTLS)."""

    def __init__(self, port, tls='ssl', source=None, ctx=None, name=None,
                 addr=None, timeout=20):
        self.pb_name = self._pb_init(tls, source, ctx, name, addr)
        smtplib.SMTP.__init__(self, timeout=timeout)
        self._host = self.pb_name
        self.banner = self.connect(self.pb_name, port)[1]
        self.ehlo('client.test')
        if tls == 'starttls':
            self.starttls(context=self.pb_ctx)
            self.ehlo('client.test')

    def _get_socket(self, host, port, timeout):
        return self._pb_socket(port, timeout)
