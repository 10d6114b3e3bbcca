-- 030_vacation.sql - automatic replies (seed 000 §9, 003 §3.3).
--
-- vacations holds what the owner typed (subject, message, minimum time
-- between replies in minutes, start and end dates in the server's time
-- zone, and the UTC instants they stand for) and the Sieve script
-- lib/vacation.c generated from it.  The row
-- stays when the reply is switched off, so switching it on again shows the
-- last message; script is NULL while it is off.  domain_id is the
-- mailbox's, for counting a domain's replies without a scan.
--
-- Dovecot reads the script through Pigeonhole's dict storage as a
-- sieve_before script: name lookup priv/sieve/name/vacation -> id, then
-- priv/sieve/data/<id> -> text (conf/dovecot/dovecot-dict-sieve.conf.ext).
-- The view is all its read-only account sees.  Its id is a hash of the
-- text, so it changes whenever the text does, and Pigeonhole recompiles
-- its cached binary exactly then.  Both lookups are point queries on
-- mailboxes.address and the primary key.
CREATE TABLE vacations (
  mailbox_id   INT UNSIGNED NOT NULL PRIMARY KEY,
  domain_id    INT UNSIGNED NOT NULL,
  active       TINYINT(1)   NOT NULL DEFAULT 0,
  subject      VARCHAR(255) NOT NULL DEFAULT '',
  body         TEXT         NOT NULL,
  interval_min INT UNSIGNED NOT NULL,
  start_date   DATE         NULL,
  end_date     DATE         NULL,
  starts_at    BIGINT       NULL,   -- Unix time: midnight of start_date
  ends_at      BIGINT       NULL,   -- Unix time: midnight after end_date
  script       MEDIUMTEXT   NULL,
  updated_by   VARCHAR(64)  NOT NULL,
  updated_at   DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY vacations_domain (domain_id, active, ends_at),
  CONSTRAINT vacations_mailbox FOREIGN KEY (mailbox_id) REFERENCES mailboxes (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE VIEW sieve_vacation AS
  SELECT m.address AS username, SHA1(v.script) AS id, v.script AS script
  FROM vacations v JOIN mailboxes m ON m.id = v.mailbox_id
  WHERE v.active = 1 AND v.script IS NOT NULL AND m.deleted_at IS NULL;
