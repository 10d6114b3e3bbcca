#!/usr/bin/env python3
"""Run every postbus test and end with one line: "N passed, N failed".

  1. unit tests (C): make check, in the normal build and in an
     AddressSanitizer/UBSan build (build-asan/); the lib/ module tests
     that need MariaDB (make check-db) in both, once the stack is up, each
     in a database of its own on the stack's server (with -k PATTERN,
     those whose name contains it);
  2. a private test stack (MariaDB, panel, nginx, Postfix, Dovecot) in
     STATE=var/test-state on free loopback ports, started with ./postbus up;
  3. the Python integration and end-to-end tests (tests/integration,
     tests/mail) against that stack;
  4. the browser tests (tests/browser) in headless Chromium;
  5. ./postbus down.  The state directory is kept for its logs and
     screenshots (var/test-state/screenshots) and wiped at the next run.

Options: -k PATTERN runs only Python tests whose id contains PATTERN;
--no-unit, --no-browser, --no-python skip parts; --keep leaves the stack up.
"""
import argparse
import glob
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lib'))
from pbtest import port_ceiling  # noqa: E402  (the same ports rule as the tests)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get('POSTBUS_BUILD', os.path.join(ROOT, 'build'))
ASAN = os.path.join(ROOT, 'build-asan')
STATE = os.environ.get('POSTBUS_TEST_STATE', os.path.join(ROOT, 'var', 'test-state'))

passed = 0
failed = 0
failures = []


def record(ok, name):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        failures.append(name)
    print('%s %s' % ('ok     ' if ok else 'FAILED ', name), flush=True)


def db_unit_names():
    """The unit tests that need the test MariaDB (tests/unit/dbtest.h)."""
    names = []
    for src in sorted(glob.glob(os.path.join(ROOT, 'tests', 'unit', 'test_*.c'))):
        with open(src) as f:
            if '#include "dbtest.h"' in f.read():
                names.append(os.path.basename(src)[:-2])
    return names


def unit_tests(builddir, label, configure_args, target='check', names=None, env=None):
    """make TARGET in builddir; one result per "ok"/"not ok" line of the
    logs of the tests it ran (names: those only; else every test but the
    database ones, which run once the stack is up)."""
    if not os.path.exists(os.path.join(builddir, 'Makefile')):
        os.makedirs(builddir, exist_ok=True)
        subprocess.run([os.path.join(ROOT, 'configure'), '-q'] + configure_args,
                       cwd=builddir, check=True)
    dbnames = db_unit_names()
    for n in (names if names is not None else dbnames):
        for ext in ('.log', '.trs'):
            try:
                os.unlink(os.path.join(builddir, 'tests', 'unit', n + ext))
            except FileNotFoundError:
                pass
    cmd = ['make', '-s', '-j2', target]
    if names is not None:
        cmd.append('DB_UNIT_TESTS=' + ' '.join('tests/unit/' + n for n in names))
    p = subprocess.run(cmd, cwd=builddir, capture_output=True, text=True, env=env)
    logs = sorted(glob.glob(os.path.join(builddir, 'tests', 'unit', '*.log')))
    seen = 0
    for log in logs:
        name = os.path.basename(log)[:-4]
        if (name in dbnames) != (names is not None) or \
                (names is not None and name not in names):
            continue
        with open(log, errors='replace') as f:
            text = f.read()
        for m in re.finditer(r'^(ok|not ok) \d+ - (.*)$', text, re.M):
            seen += 1
            record(m.group(1) == 'ok', '%s: %s: %s' % (label, name, m.group(2)))
        if re.search(r'^(ERROR|FAIL): ', text, re.M) or 'AddressSanitizer' in text \
                or 'runtime error' in text:
            record(False, '%s: %s: crashed or sanitizer report (see %s)' % (label, name, log))
        elif 'not ok' not in text and os.path.exists(log[:-4] + '.trs'):
            # a test that died half-way: its "ok" lines are not the whole story
            with open(log[:-4] + '.trs') as f:
                res = re.search(r'^:test-result: (\w+)', f.read(), re.M)
            if res and res.group(1) in ('FAIL', 'ERROR'):
                record(False, '%s: %s: ended with %s without a failed test (see %s)'
                       % (label, name, res.group(1), log))
    for n in names or []:
        if not os.path.exists(os.path.join(builddir, 'tests', 'unit', n + '.log')):
            record(False, '%s: %s: did not run (make %s)' % (label, n, target))
    if p.returncode != 0 and seen == 0:
        print(p.stdout[-3000:], p.stderr[-3000:])
        record(False, '%s: make %s failed to run' % (label, target))


def db_unit_tests(e, pattern):
    """The lib/ module tests against the stack's MariaDB, in the normal
    and the sanitizer build: each binary makes its own database.  They
    never go unreported: without a stack they fail."""
    names = [n for n in db_unit_names() if not pattern or pattern in n]
    if not names:
        return
    if e is None:
        record(False, 'unit: %s: not run, the test stack did not come up'
               % ' '.join(names))
        return
    env = dict(e)
    env['POSTBUS_TEST_DB_SOCKET'] = e['POSTBUS_DB_SOCKET']
    t = time.time()
    unit_tests(BUILD, 'unit', [], 'check-db', names, env)
    unit_tests(ASAN, 'unit+asan', ['--enable-asan'], 'check-db', names, env)
    print('database unit tests: %.0f s' % (time.time() - t), flush=True)


def man_pages():
    """One result per man page: mandoc -Tlint reports no warning or error."""
    pages = sorted(glob.glob(os.path.join(ROOT, 'man', '*.[1-9]')))
    if shutil.which('mandoc') is None:
        record(False, 'man: mandoc is missing (apt-get install mandoc)')
        return
    for page in pages:
        p = subprocess.run(['mandoc', '-Tlint', '-W', 'warning', page],
                           capture_output=True, text=True)
        record(p.returncode == 0, 'man: mandoc -Tlint %s' % os.path.relpath(page, ROOT))
        if p.returncode != 0:
            print(p.stdout + p.stderr)


def fuzz_short(seconds=8):
    """One result per tests/fuzz target: a short libFuzzer run (ASan, UBSan)
    from its seeds and the corpus of earlier runs, without a finding.
    bench/fuzz.sh makes the long runs."""
    bdir = os.path.join(ROOT, 'build-fuzz')
    p = subprocess.run([os.path.join(ROOT, 'tests', 'fuzz', 'build.sh'), bdir],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout[-2000:], p.stderr[-2000:])
        record(False, 'fuzz: tests/fuzz/build.sh')
        return
    for src in sorted(glob.glob(os.path.join(ROOT, 'tests', 'fuzz', 'fuzz_*.c'))):
        t = os.path.basename(src)[:-2]
        corpus = os.path.join(bdir, 'fuzz', 'corpus', t[5:])
        os.makedirs(corpus, exist_ok=True)
        p = subprocess.run([os.path.join(bdir, 'fuzz', t), '-max_total_time=%d' % seconds,
                            '-max_len=4096', '-artifact_prefix=' + os.path.join(bdir, 'fuzz', ''),
                            corpus, os.path.join(ROOT, 'tests', 'fuzz', 'seeds', t[5:])],
                           capture_output=True, text=True)
        m = re.search(r'Done (\d+) runs', p.stderr)
        record(p.returncode == 0 and m is not None,
               'fuzz: %s, %s runs in %d s without a finding' % (t, m.group(1) if m else '?', seconds))
        if p.returncode != 0:
            print(p.stderr[-4000:])


def free_port_block(n):
    """A base port such that base..base+n-1 are free on 127.0.0.1."""
    for _ in range(200):
        # below the ephemeral range: an outgoing connection never takes it
        base = random.randrange(10000, port_ceiling() - n)
        ok = True
        for port in range(base, base + n):
            s = socket.socket()
            try:
                s.bind(('127.0.0.1', port))
            except OSError:
                ok = False
            finally:
                s.close()
            if not ok:
                break
        if ok:
            return base
    raise RuntimeError('no free ports')


def stack_env():
    base = free_port_block(10)
    e = dict(os.environ)
    e.update({
        'POSTBUS_STATE': STATE,
        'POSTBUS_PORT': str(base),
        'POSTBUS_SMTP_PORT': str(base + 1),
        'POSTBUS_IMAP_PORT': str(base + 2),
        'POSTBUS_POP3_PORT': str(base + 3),
        'POSTBUS_SINK_PORT': str(base + 4),
        'POSTBUS_AUTH_FAILURE_DELAY': '0s',
        'POSTBUS_IMAPS_PORT': str(base + 6),
        'POSTBUS_POP3S_PORT': str(base + 7),
        'POSTBUS_SUBMISSION_PORT': str(base + 8),
        'POSTBUS_SUBMISSION_STARTTLS_PORT': str(base + 9),
        'POSTBUS_HOSTNAME': 'mail.postbus.test',
        'POSTBUS_WORKERS': '4',
    })
    return e


def stack_down(e):
    subprocess.run([os.path.join(ROOT, 'postbus'), 'down'], env=e,
                   capture_output=True, text=True)


def stack_up():
    e = stack_env()
    if os.path.isdir(STATE):
        stack_down(e)
        shutil.rmtree(STATE)
    t = time.time()
    p = subprocess.run([os.path.join(ROOT, 'postbus'), 'up'], env=e,
                       capture_output=True, text=True)
    ok = p.returncode == 0
    record(ok, 'stack: ./postbus up in a fresh state directory (%.1f s)' % (time.time() - t))
    if not ok:
        print(p.stdout[-4000:], p.stderr[-4000:])
        return None
    with open(os.path.join(STATE, 'postbus.env')) as f:
        for line in f:
            k, _, v = line.strip().partition('=')
            if k:
                e[k] = v
    # running up again while up is harmless
    p = subprocess.run([os.path.join(ROOT, 'postbus'), 'up'], env=e,
                       capture_output=True, text=True)
    record(p.returncode == 0, 'stack: ./postbus up again while up is harmless')
    return e


class CountingResult(unittest.TextTestResult):
    def addSuccess(self, test):
        super().addSuccess(test)
        record(True, test.id())

    def addFailure(self, test, err):
        super().addFailure(test, err)
        record(False, test.id())
        print(self._exc_info_to_string(err, test), flush=True)

    def addError(self, test, err):
        super().addError(test, err)
        record(False, test.id())
        print(self._exc_info_to_string(err, test), flush=True)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print('skip    %s: %s' % (test.id(), reason), flush=True)


def python_tests(pattern):
    sys.path.insert(0, os.path.join(ROOT, 'tests', 'lib'))
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for d in ('integration', 'mail'):
        path = os.path.join(ROOT, 'tests', d)
        if os.path.isdir(path):
            sys.path.insert(0, path)
            suite.addTests(loader.discover(path, pattern='test_*.py', top_level_dir=path))

    def flatten(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                yield from flatten(t)
            else:
                yield t
    tests = [t for t in flatten(suite) if not pattern or pattern in t.id()]
    for t in tests:
        if isinstance(t, unittest.loader._FailedTest):
            pass
    runner = unittest.TextTestRunner(stream=open(os.devnull, 'w'),
                                     resultclass=CountingResult, verbosity=0)
    runner.run(unittest.TestSuite(tests))


def browser_tests():
    bdir = os.path.join(ROOT, 'tests', 'browser')
    files = sorted(glob.glob(os.path.join(bdir, '*.test.js')))
    if not files:
        return
    if not os.path.isdir(os.path.join(bdir, 'node_modules', 'playwright-core')):
        p = subprocess.run(['npm', 'ci', '--no-audit', '--no-fund', '--silent'],
                           cwd=bdir, capture_output=True, text=True)
        if p.returncode != 0:
            print(p.stdout[-2000:], p.stderr[-2000:])
            record(False, 'browser: npm ci (playwright-core)')
            return
    shots = os.path.join(STATE, 'screenshots')
    os.makedirs(shots, exist_ok=True)
    for f in files:
        e = dict(os.environ)
        e['POSTBUS_SCREENSHOTS'] = shots
        p = subprocess.run(['node', f], cwd=bdir, env=e, capture_output=True,
                           text=True, timeout=600)
        seen = 0
        for m in re.finditer(r'^(ok|not ok) \d+ - (.*)$', p.stdout, re.M):
            seen += 1
            record(m.group(1) == 'ok', 'browser: %s: %s' % (os.path.basename(f), m.group(2)))
        if p.returncode != 0 or seen == 0:
            print(p.stdout[-3000:], p.stderr[-3000:])
            if seen == 0 or 'not ok' not in p.stdout:
                record(False, 'browser: %s exited with %d' % (os.path.basename(f), p.returncode))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('-k', dest='pattern')
    ap.add_argument('--no-unit', action='store_true')
    ap.add_argument('--no-browser', action='store_true')
    ap.add_argument('--no-python', action='store_true')
    ap.add_argument('--keep', action='store_true')
    a = ap.parse_args()
    t0 = time.time()
    if not a.no_unit and not a.pattern:
        unit_tests(BUILD, 'unit', [])
        unit_tests(ASAN, 'unit+asan', ['--enable-asan'])
        want = subprocess.run([os.path.join(ROOT, 'po', 'template-strings.sh')] +
                              sorted(glob.glob(os.path.join(ROOT, 'templates', '*.html'))),
                              capture_output=True, text=True).stdout
        with open(os.path.join(ROOT, 'po', 'template-strings.c')) as f:
            record(f.read() == want, 'i18n: po/template-strings.c lists every {{_ }} '
                   'string of the templates (regenerate with po/template-strings.sh)')
        man_pages()
        fuzz_short()
        t = time.time()
        p = subprocess.run(['make', '-s', 'distcheck'], cwd=BUILD, capture_output=True, text=True)
        record(p.returncode == 0, 'build: make distcheck (%.0f s)' % (time.time() - t))
        if p.returncode != 0:
            print(p.stdout[-3000:], p.stderr[-3000:])
    e = stack_up()
    if not a.no_unit:
        db_unit_tests(e, a.pattern)
    if e is not None:
        os.environ.clear()
        os.environ.update(e)
        try:
            if not a.no_python:
                python_tests(a.pattern)
            if not a.no_browser and not a.pattern:
                browser_tests()
        finally:
            if not a.keep:
                stack_down(e)
    print('')
    if failures:
        print('failed tests:')
        for f in failures:
            print('  ' + f)
    print('time: %.0f s' % (time.time() - t0))
    print('%d passed, %d failed' % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
