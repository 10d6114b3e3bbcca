-- 005_counters.sql - per-domain totals kept up to date, so that no page
-- counts or sums a domain's mailboxes.
--
-- Every page of a domain shows (or checks against the plan) its number of
-- live mailboxes and the sum of their quotas, and the information pages
-- the disk space they use.  Computing those per request costs one index
-- entry per mailbox (10,000 in a large domain) and, for the disk space,
-- one lookup in quota_usage per mailbox.  Instead:
--
--   domains.mailbox_count    live mailboxes (deleted_at IS NULL)
--   domains.quota_sum        sum of their quotas (bytes)
--   domains.unlimited_count  live mailboxes with quota 0 (no limit)
--   domain_disk.bytes        sum of quota_usage.bytes over the primary
--                            addresses of the domain's live mailboxes
--
-- They are kept by the triggers below, in the transaction of whatever
-- statement changes the rows they are made of, whoever runs it: the panel
-- (whose writes already hold the domain row's lock, so the counters are
-- read and changed under it), postbusctl, Dovecot's quota dict or a
-- hand-made fix.  Each trigger is one statement and touches at most the
-- rows of the domains concerned, through their primary keys.
--
-- The disk total lives in a table of its own: Dovecot updates quota_usage
-- at every delivery, and that must not wait for the panel's lock on the
-- domain row (nor rewrite that row).  It follows the same join as the
-- pages did: a quota_usage row counts for a domain while its username is
-- the primary address of one of the domain's mailboxes (addresses rows
-- exist for live mailboxes only).  So it changes when quota_usage changes
-- (Dovecot) and when a primary addresses row comes or goes (a mailbox is
-- created, deleted, restored or renamed; a domain is deleted).
--
-- Triggers run with the rights of their definer (the migration account):
-- the quota writer account still may write quota_usage and nothing else.
-- With binary logging on, creating them needs log_bin_trust_function_creators
-- or SUPER for the migration account.

ALTER TABLE domains
  ADD COLUMN mailbox_count   BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN quota_sum       BIGINT NOT NULL DEFAULT 0,
  ADD COLUMN unlimited_count BIGINT NOT NULL DEFAULT 0;

CREATE TABLE domain_disk (
  domain_id INT UNSIGNED NOT NULL PRIMARY KEY,
  bytes     BIGINT       NOT NULL DEFAULT 0
) ENGINE=InnoDB;

UPDATE domains d JOIN (
  SELECT domain_id, COUNT(*) AS n, SUM(quota) AS s, SUM(quota = 0) AS u
  FROM mailboxes WHERE deleted_at IS NULL GROUP BY domain_id) m
  ON m.domain_id = d.id
SET d.mailbox_count = m.n, d.quota_sum = m.s, d.unlimited_count = m.u;

INSERT INTO domain_disk (domain_id, bytes)
  SELECT a.domain_id, SUM(q.bytes) FROM addresses a
  JOIN quota_usage q ON q.username = a.address
  WHERE a.kind = 'primary' GROUP BY a.domain_id;

-- mailboxes: a live row counts for its domain; deleting is an UPDATE of
-- deleted_at.  An update that changes neither the domain, the quota nor
-- whether the row is live (a login time, a password) touches no domain.
CREATE TRIGGER mailboxes_counters_insert AFTER INSERT ON mailboxes
  FOR EACH ROW
  UPDATE domains SET mailbox_count = mailbox_count + 1,
    quota_sum = quota_sum + CAST(NEW.quota AS SIGNED),
    unlimited_count = unlimited_count + (NEW.quota = 0)
  WHERE id = NEW.domain_id AND NEW.deleted_at IS NULL;

CREATE TRIGGER mailboxes_counters_update AFTER UPDATE ON mailboxes
  FOR EACH ROW
  UPDATE domains SET
    mailbox_count = mailbox_count
      + IF(id = NEW.domain_id AND NEW.deleted_at IS NULL, 1, 0)
      - IF(id = OLD.domain_id AND OLD.deleted_at IS NULL, 1, 0),
    quota_sum = quota_sum
      + IF(id = NEW.domain_id AND NEW.deleted_at IS NULL,
           CAST(NEW.quota AS SIGNED), 0)
      - IF(id = OLD.domain_id AND OLD.deleted_at IS NULL,
           CAST(OLD.quota AS SIGNED), 0),
    unlimited_count = unlimited_count
      + IF(id = NEW.domain_id AND NEW.deleted_at IS NULL, NEW.quota = 0, 0)
      - IF(id = OLD.domain_id AND OLD.deleted_at IS NULL, OLD.quota = 0, 0)
  WHERE id IN (OLD.domain_id, NEW.domain_id)
    AND (OLD.domain_id <> NEW.domain_id OR OLD.quota <> NEW.quota OR
         (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL));

CREATE TRIGGER mailboxes_counters_delete AFTER DELETE ON mailboxes
  FOR EACH ROW
  UPDATE domains SET mailbox_count = mailbox_count - 1,
    quota_sum = quota_sum - CAST(OLD.quota AS SIGNED),
    unlimited_count = unlimited_count - (OLD.quota = 0)
  WHERE id = OLD.domain_id AND OLD.deleted_at IS NULL;

-- quota_usage (Dovecot): the change goes to the domain whose primary
-- address the username is, if any.
CREATE TRIGGER quota_usage_disk_insert AFTER INSERT ON quota_usage
  FOR EACH ROW
  INSERT INTO domain_disk (domain_id, bytes)
    SELECT a.domain_id, NEW.bytes FROM addresses a
    WHERE a.address = NEW.username AND a.kind = 'primary'
  ON DUPLICATE KEY UPDATE bytes = domain_disk.bytes + VALUES(bytes);

CREATE TRIGGER quota_usage_disk_update AFTER UPDATE ON quota_usage
  FOR EACH ROW
  INSERT INTO domain_disk (domain_id, bytes)
    SELECT a.domain_id, IF(a.address = NEW.username, NEW.bytes, 0) -
      IF(a.address = OLD.username, OLD.bytes, 0) FROM addresses a
    WHERE a.address IN (OLD.username, NEW.username) AND a.kind = 'primary'
      AND (OLD.bytes <> NEW.bytes OR OLD.username <> NEW.username)
  ON DUPLICATE KEY UPDATE bytes = domain_disk.bytes + VALUES(bytes);

CREATE TRIGGER quota_usage_disk_delete AFTER DELETE ON quota_usage
  FOR EACH ROW
  INSERT INTO domain_disk (domain_id, bytes)
    SELECT a.domain_id, -OLD.bytes FROM addresses a
    WHERE a.address = OLD.username AND a.kind = 'primary'
  ON DUPLICATE KEY UPDATE bytes = domain_disk.bytes + VALUES(bytes);

-- addresses: a primary address brings its mailbox's usage row to the
-- domain, and takes it away when it goes or is renamed.
CREATE TRIGGER addresses_disk_insert AFTER INSERT ON addresses
  FOR EACH ROW
  INSERT INTO domain_disk (domain_id, bytes)
    SELECT NEW.domain_id, q.bytes FROM quota_usage q
    WHERE q.username = NEW.address AND NEW.kind = 'primary'
  ON DUPLICATE KEY UPDATE bytes = domain_disk.bytes + VALUES(bytes);

CREATE TRIGGER addresses_disk_update AFTER UPDATE ON addresses
  FOR EACH ROW
  INSERT INTO domain_disk (domain_id, bytes)
    SELECT NEW.domain_id, q.bytes FROM quota_usage q
    WHERE q.username = NEW.address AND NEW.kind = 'primary'
    UNION ALL
    SELECT OLD.domain_id, -q.bytes FROM quota_usage q
    WHERE q.username = OLD.address AND OLD.kind = 'primary'
  ON DUPLICATE KEY UPDATE bytes = domain_disk.bytes + VALUES(bytes);

CREATE TRIGGER addresses_disk_delete AFTER DELETE ON addresses
  FOR EACH ROW
  INSERT INTO domain_disk (domain_id, bytes)
    SELECT OLD.domain_id, -q.bytes FROM quota_usage q
    WHERE q.username = OLD.address AND OLD.kind = 'primary'
  ON DUPLICATE KEY UPDATE bytes = domain_disk.bytes + VALUES(bytes);
