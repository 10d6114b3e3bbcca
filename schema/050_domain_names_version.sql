-- 050_domain_names_version.sql - a number that changes whenever a panel
-- login's list of domain names may have changed.
--
-- Every page of the panel shows, in its sidebar, the names of the domains
-- the login may choose.  Reading them is a statement per page; they change
-- only when a domain is made, renamed, deleted or given to a login.  So the
-- FastCGI workers keep each login's list (lib/list.c) together with this
-- number, read with the session in the statement every page runs anyway,
-- and read the list again only when the number has moved.  Several panel
-- hosts on one database see the same number.
--
-- The triggers below move it in the transaction of whatever statement makes
-- the change, whoever runs it (the panel, postbusctl, a hand-made fix), so
-- no writer can forget it.  Foreign keys' cascades run no triggers; the
-- two that touch these lists are covered by the statement that causes them
-- (a domain or a login deleted).
--
-- Each move takes the clock in microseconds when that is more than one
-- up: a database restored from a backup, or a replica that becomes the
-- primary, then never hands out again a number that a worker may hold
-- for other rows.
--
-- The domains row also changes at every new mailbox (its counters), a
-- login's row at every login: the update triggers move the number only
-- when the name, whether the domain is live, its reseller or the login's
-- role changed.  That test is on NEW and OLD alone, constants to the
-- optimiser, so when it is false MariaDB reads no row ("Impossible WHERE")
-- and the counters' updates never wait for the version row
-- (tests/integration/test_roundtrips.py holds it locked meanwhile).  One
-- statement each, like 005's, so the file runs through the mariadb client
-- as well.

CREATE TABLE domain_names_version (
  id      TINYINT UNSIGNED NOT NULL PRIMARY KEY,
  version BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO domain_names_version (id, version) VALUES (1, 1);

CREATE TRIGGER domains_names_insert AFTER INSERT ON domains
  FOR EACH ROW
  UPDATE domain_names_version SET version = GREATEST(version + 1,
    CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED)) WHERE id = 1;

CREATE TRIGGER domains_names_update AFTER UPDATE ON domains
  FOR EACH ROW
  UPDATE domain_names_version SET version = GREATEST(version + 1,
    CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED))
  WHERE id = 1 AND NOT (NEW.name <=> OLD.name AND
    NEW.deleted_at <=> OLD.deleted_at AND NEW.reseller_id <=> OLD.reseller_id);

CREATE TRIGGER domains_names_delete AFTER DELETE ON domains
  FOR EACH ROW
  UPDATE domain_names_version SET version = GREATEST(version + 1,
    CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED)) WHERE id = 1;

CREATE TRIGGER user_domains_names_insert AFTER INSERT ON user_domains
  FOR EACH ROW
  UPDATE domain_names_version SET version = GREATEST(version + 1,
    CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED)) WHERE id = 1;

CREATE TRIGGER user_domains_names_update AFTER UPDATE ON user_domains
  FOR EACH ROW
  UPDATE domain_names_version SET version = GREATEST(version + 1,
    CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED)) WHERE id = 1;

CREATE TRIGGER user_domains_names_delete AFTER DELETE ON user_domains
  FOR EACH ROW
  UPDATE domain_names_version SET version = GREATEST(version + 1,
    CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED)) WHERE id = 1;

CREATE TRIGGER panel_users_names_update AFTER UPDATE ON panel_users
  FOR EACH ROW
  UPDATE domain_names_version SET version = GREATEST(version + 1,
    CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED))
  WHERE id = 1 AND NOT (NEW.role <=> OLD.role);

CREATE TRIGGER panel_users_names_delete AFTER DELETE ON panel_users
  FOR EACH ROW
  UPDATE domain_names_version SET version = GREATEST(version + 1,
    CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS UNSIGNED)) WHERE id = 1;
