#!/usr/bin/env python3
"""gen_aliases.py - add aliases, forwards and alias domains to a bench database.

    bench/gen_aliases.py [--aliases 100000] [--alias-domains 1000]
                         [--forward-every 10]

Run after bench/gen_mailboxes.py on the same throwaway state (reads
STATE/postbus.env, POSTBUS_STATE, default ./var) and writes, as MariaDB's
root, the rows lib/ writes (schema/020), spread evenly over the domains
that gen_mailboxes.py made (created_by = 'bench'):

  - --aliases aliases in all: routeN@domain to one of the domain's
    mailboxes (by login) and, for odd N, also to a remote address; every
    100th a "bounce" alias, every 250th "everyone in domain";
  - a catch-all in every other domain (to its first mailbox);
  - a forward on every --forward-every'th mailbox (to a remote address,
    keeping a copy for every other one);
  - --alias-domains alias domains aliasdomN.example, each to one of the
    bench domains in turn.

Rows go in with INSERT ... SELECT from the sequence engine, one
transaction per domain.  The SQL holds numbers and names made here only.
"""
import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchdb import load_env, mariadb as run_sql  # noqa: E402


def mariadb(env, script):
    return run_sql(env, script, 'gen_aliases')


def fill(env, did, name, first, n, forward_every, catchall):
    """n aliases routeK@name (K from first), a catch-all, forwards."""
    mariadb(env, f"""
START TRANSACTION;
SELECT COUNT(*), MIN(id) INTO @n, @first FROM mailboxes
  WHERE domain_id = {did} AND deleted_at IS NULL;
INSERT INTO aliases (domain_id, address, kind, created_by)
  SELECT {did}, CONCAT('route', seq, '@{name}'),
         CASE WHEN seq % 250 = 0 THEN 'everyone'
              WHEN seq % 100 = 0 THEN 'bounce' ELSE 'normal' END,
         'benchroute'
  FROM seq_{first}_to_{first + n - 1};
INSERT INTO addresses (address, domain_id, kind, alias_id)
  SELECT address, {did}, 'alias', id FROM aliases
  WHERE domain_id = {did} AND created_by = 'benchroute';
INSERT INTO alias_destinations (alias_id, destination, mailbox_id)
  SELECT a.id, m.login, m.id FROM aliases a
  JOIN mailboxes m ON m.id = @first + a.id % @n
  WHERE a.domain_id = {did} AND a.created_by = 'benchroute' AND a.kind = 'normal';
INSERT INTO alias_destinations (alias_id, destination)
  SELECT id, CONCAT('ext', id, '@example.net') FROM aliases
  WHERE domain_id = {did} AND created_by = 'benchroute' AND kind = 'normal'
  AND id % 2 = 1;
INSERT INTO forwards (mailbox_id, destination, dest_mailbox_id)
  SELECT id, CONCAT('fwd', id, '@example.org'), NULL FROM mailboxes
  WHERE domain_id = {did} AND id % {forward_every} = 0;
INSERT INTO forwards (mailbox_id, destination, dest_mailbox_id)
  SELECT id, login, id FROM mailboxes
  WHERE domain_id = {did} AND id % {2 * forward_every} = 0;
COMMIT;
""")
    if catchall:
        mariadb(env, f"""
START TRANSACTION;
INSERT INTO aliases (domain_id, address, kind, created_by)
  VALUES ({did}, '@{name}', 'catchall', 'benchcatch');
SET @a = LAST_INSERT_ID();
INSERT INTO addresses (address, domain_id, kind, alias_id)
  VALUES ('@{name}', {did}, 'alias', @a);
INSERT INTO alias_destinations (alias_id, destination, mailbox_id)
  SELECT @a, login, id FROM mailboxes WHERE domain_id = {did}
  ORDER BY id LIMIT 1;
COMMIT;
""")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--aliases', type=int, default=100000)
    ap.add_argument('--alias-domains', type=int, default=1000)
    ap.add_argument('--forward-every', type=int, default=10)
    a = ap.parse_args()
    env = load_env()
    rows = [l.split('\t') for l in mariadb(
        env, "SELECT id, name FROM domains WHERE created_by = 'bench' "
        "AND deleted_at IS NULL ORDER BY id").splitlines()]
    if not rows:
        sys.exit('gen_aliases: no bench domains (run bench/gen_mailboxes.py)')
    if mariadb(env, "SELECT COUNT(*) FROM aliases WHERE created_by = "
               "'benchroute'").strip() != '0':
        sys.exit('gen_aliases: done already on this database')
    t = time.time()
    per, extra = divmod(a.aliases, len(rows))
    first = 1
    for i, (did, name) in enumerate(rows):
        n = per + (1 if i < extra else 0)
        if n > 0:
            fill(env, int(did), name, first, n, a.forward_every, i % 2 == 0)
            first += n
    mariadb(env, f"""
INSERT INTO alias_domains (name, domain_id, created_by)
  SELECT CONCAT('aliasdom', seq, '.example'), d.id, 'bench'
  FROM seq_1_to_{a.alias_domains} s
  JOIN (SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS k FROM domains
        WHERE created_by = 'bench' AND deleted_at IS NULL) d
    ON d.k = s.seq % {len(rows)};
ANALYZE TABLE aliases, alias_destinations, addresses, forwards, alias_domains;
""")
    print('%d aliases, catch-alls in %d domains, %d alias domains, forwards '
          'on every %dth mailbox; %.1f s'
          % (a.aliases, (len(rows) + 1) // 2, a.alias_domains,
             a.forward_every, time.time() - t))


if __name__ == '__main__':
    main()
