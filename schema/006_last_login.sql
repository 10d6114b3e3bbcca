-- 006_last_login.sql - the "Last login" column of Edit Mail Users (seed 000).
--
-- Dovecot's last_login plugin writes one row per user at every IMAP or
-- POP3 login, through its dict service and the quota writer account:
--   INSERT INTO mailbox_logins (last_login, username) VALUES (?, ?)
--     ON DUPLICATE KEY UPDATE last_login = ?
-- username is the Dovecot user name, i.e. the primary address (the passdb
-- returns it whatever the user typed); last_login is Unix seconds, as the
-- plugin writes them.  That account may write this table and nothing else
-- (see ./postbus): the copy into mailboxes.last_login is done by the
-- triggers below, which run with the rights of their definer (the
-- migration account), not of the account that fires them.
--
-- Each copy is one indexed point update on mailboxes_address (the address
-- of a live mailbox; a deleted one keeps its old value).  FROM_UNIXTIME
-- uses the session time zone, like NOW() and the other DATETIME columns.
CREATE TABLE mailbox_logins (
  username   VARCHAR(320)    NOT NULL PRIMARY KEY,
  last_login BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

CREATE TRIGGER mailbox_logins_insert AFTER INSERT ON mailbox_logins
  FOR EACH ROW
  UPDATE mailboxes SET last_login = FROM_UNIXTIME(NEW.last_login)
  WHERE address = NEW.username AND deleted_at IS NULL;

CREATE TRIGGER mailbox_logins_update AFTER UPDATE ON mailbox_logins
  FOR EACH ROW
  UPDATE mailboxes SET last_login = FROM_UNIXTIME(NEW.last_login)
  WHERE address = NEW.username AND deleted_at IS NULL;
