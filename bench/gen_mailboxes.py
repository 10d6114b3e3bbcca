#!/usr/bin/env python3
"""gen_mailboxes.py - fill a private postbus database with mailboxes.

    bench/gen_mailboxes.py [--per-domain 10000] [--total 1000000]
                           [--aliases 100] [--domain bench.example]
                           [--owner benchowner]
    bench/gen_mailboxes.py --aliases-only [--aliases 100]

Reads STATE/postbus.env (POSTBUS_STATE, default ./var) of a running
`./postbus up` and, as MariaDB's root over its socket, creates:

  - a plan "Bench" without limits;
  - --domain (default bench.example, prefix its first label) with
    --per-domain mailboxes, each with a primary address, one additional
    address and a quota_usage row, and its owner login --owner (default
    benchowner; password in the output);
  - more domains (benchNNN.example) of --per-domain mailboxes each until the
    database holds --total mailboxes (counting those there already);
  - in every domain it creates, --aliases aliases aliasN@domain, each to
    the domain's mailbox number N and, for odd N, also to a remote address
    (extN@example.net), for the Postfix alias map.

A small database next to a large one: `--per-domain 1000 --total 1000`
makes 1,000 mailboxes; then `--domain big.example --owner bigowner
--per-domain 10000 --total 11000` adds a domain of 10,000.  --aliases-only
adds the aliases to the bench domains of a database made without them.

The rows go in with INSERT ... SELECT from MariaDB's sequence engine
(seq_1_to_N), in one transaction per domain: about a second per 10,000
mailboxes.  Every mailbox gets the same valid SHA512-CRYPT hash of the
password printed at the end (made once with openssl), so Dovecot could log
in to any of them.  Run it on a throwaway state directory only.
"""
import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchdb import load_env, mariadb as run_sql  # noqa: E402

PASSWORD = 'Bench2mailbox'


def mariadb(env, script):
    return run_sql(env, script, 'gen_mailboxes')


def add_aliases(env, did, name, prefix, n):
    """n aliases in domain did: aliasK@name to mailbox K (and a remote
    address for odd K)."""
    mariadb(env, f"""
START TRANSACTION;
INSERT INTO aliases (domain_id, address, created_by)
  SELECT {did}, CONCAT('alias', seq, '@{name}'), 'bench' FROM seq_1_to_{n};
INSERT INTO addresses (address, domain_id, kind, alias_id)
  SELECT address, {did}, 'alias', id FROM aliases WHERE domain_id = {did};
INSERT INTO alias_destinations (alias_id, destination)
  SELECT a.id, CONCAT('{prefix}', IF(k < 10000, LPAD(k, 4, '0'), k))
  FROM (SELECT id, CAST(SUBSTRING_INDEX(SUBSTRING(address, 6), '@', 1)
        AS UNSIGNED) AS k FROM aliases WHERE domain_id = {did}) a;
INSERT INTO alias_destinations (alias_id, destination)
  SELECT a.id, CONCAT('ext', a.k, '@example.net')
  FROM (SELECT id, CAST(SUBSTRING_INDEX(SUBSTRING(address, 6), '@', 1)
        AS UNSIGNED) AS k FROM aliases WHERE domain_id = {did}) a
  WHERE a.k % 2 = 1;
COMMIT;
""")


def fill(env, name, prefix, n, plan_id, pw_hash, aliases):
    """One domain with n mailboxes, their addresses and usage rows."""
    # names and numbers only: nothing here comes from outside the script
    mariadb(env, f"""
START TRANSACTION;
INSERT INTO domains (name, prefix, next_counter, plan_id, created_by)
  VALUES ('{name}', '{prefix}', {n + 1}, {plan_id}, 'bench');
SET @d = LAST_INSERT_ID();
INSERT INTO mailboxes (domain_id, login, address, real_name, pw_hash, quota,
                       enabled, created_by)
  SELECT @d, CONCAT('{prefix}', IF(seq < 10000, LPAD(seq, 4, '0'), seq)),
         CONCAT('user', seq, '@{name}'),
         CONCAT('Person ', ELT(1 + seq % 8, 'Anna', 'Bram', 'Chloé', 'Dirk',
                'Emma', 'Femke', 'Gilles', 'Hanne'), ' ', seq),
         '{pw_hash}', (1 + seq % 3) * 1073741824, seq % 50 <> 0, 'bench'
  FROM seq_1_to_{n};
INSERT INTO addresses (address, domain_id, kind, mailbox_id)
  SELECT address, @d, 'primary', id FROM mailboxes WHERE domain_id = @d;
INSERT INTO addresses (address, domain_id, kind, mailbox_id)
  SELECT CONCAT('alt.', address), @d, 'extra', id FROM mailboxes
  WHERE domain_id = @d;
INSERT INTO quota_usage (username, bytes, messages)
  SELECT address, id * 4096 % 900000000, id % 1000 FROM mailboxes
  WHERE domain_id = @d;
COMMIT;
SELECT @d;
""")
    did = int(mariadb(env, f"SELECT id FROM domains WHERE name = '{name}'").strip())
    if aliases > 0:
        add_aliases(env, did, name, prefix, min(aliases, n))
    return did


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--per-domain', type=int, default=10000)
    ap.add_argument('--total', type=int, default=1000000)
    ap.add_argument('--aliases', type=int, default=100)
    ap.add_argument('--aliases-only', action='store_true')
    ap.add_argument('--domain', default='bench.example')
    ap.add_argument('--owner', default='benchowner')
    a = ap.parse_args()
    env = load_env()
    if a.aliases_only:
        rows = mariadb(env, "SELECT d.id, d.name, d.prefix FROM domains d "
                       "WHERE d.created_by = 'bench' AND NOT EXISTS (SELECT 1 "
                       "FROM aliases a WHERE a.domain_id = d.id)")
        t = time.time()
        k = 0
        for line in rows.splitlines():
            did, name, prefix = line.split('\t')
            add_aliases(env, int(did), name, prefix, a.aliases)
            k += 1
        print('%d aliases in each of %d domains in %.1f s'
              % (a.aliases, k, time.time() - t))
        return
    if not re.fullmatch(r'[a-z0-9-]+(\.[a-z0-9-]+)+', a.domain) or \
            not re.fullmatch(r'[a-z][a-z0-9]{0,30}', a.owner):
        sys.exit('gen_mailboxes: --domain and --owner: lowercase names only')
    prefix = re.sub(r'[^a-z0-9]', '', a.domain.split('.')[0])[:16]
    pw_hash = subprocess.run(['openssl', 'passwd', '-6', '-stdin'], input=PASSWORD,
                             capture_output=True, text=True, check=True).stdout.strip()
    if mariadb(env, f"SELECT COUNT(*) FROM domains WHERE name = '{a.domain}' "
               f"OR prefix = '{prefix}'").strip() != '0':
        sys.exit('gen_mailboxes: %s exists already (use a fresh state or '
                 'another --domain)' % a.domain)
    mariadb(env, "INSERT IGNORE INTO plans (name, mail_quota, max_mailboxes, "
            "default_mailbox_quota, allow_unlimited_quota) VALUES "
            "('Bench', NULL, NULL, 1073741824, 1)")
    plan_id = int(mariadb(env, "SELECT id FROM plans WHERE name = 'Bench'").strip())
    t = time.time()
    before = int(mariadb(env, "SELECT COUNT(*) FROM mailboxes").strip())
    did = fill(env, a.domain, prefix, a.per_domain, plan_id, pw_hash,
               a.aliases)
    done = before + a.per_domain
    k = int(mariadb(env, "SELECT COUNT(*) FROM domains WHERE name LIKE "
                    "'bench___.example'").strip())
    while done < a.total:
        k += 1
        n = min(a.per_domain, a.total - done)
        fill(env, 'bench%03d.example' % k, 'bench%03dx' % k, n, plan_id,
             pw_hash, a.aliases)
        done += n
        if k % 10 == 0:
            print('  %d mailboxes (%.0f s)' % (done, time.time() - t), flush=True)
    mariadb(env, "ANALYZE TABLE mailboxes, addresses, quota_usage")
    p = subprocess.run([env['POSTBUS_CTL'], '-c', env['POSTBUS_CONF'], 'admin', 'add',
                        a.owner, '--role', 'owner', '--domain', a.domain,
                        '--password-stdin'], input='Kv8wPz3qLm\n',
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit('gen_mailboxes: owner: %s' % p.stderr)
    print('%d mailboxes in the database; %s is domain %d, owner %s / '
          'Kv8wPz3qLm; mailbox password %s; %.1f s'
          % (done, a.domain, did, a.owner, PASSWORD, time.time() - t))


if __name__ == '__main__':
    main()
