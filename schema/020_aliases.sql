-- 020_aliases.sql - aliases of every kind, forwarding, alias domains.
--
-- How mail finds its way (Postfix's virtual_alias_maps, conf/postfix/):
--
--   aliases.kind  normal    name@domain, one alias_destinations row per
--                           destination (a small distribution list)
--                 catchall  "@domain": mail for any address of the domain
--                           that nothing else claims (at most one per
--                           domain: its address is unique like any other)
--                 bounce    the address exists but refuses mail (5xx at
--                           RCPT), e.g. an old address taken out of use
--                 everyone  every live mailbox of the domain, read at
--                           delivery time, so later mailboxes join
--   Role aliases (abuse@, hostmaster@, postmaster@, webmaster@; role = 1)
--   are normal aliases.
--
--   alias_destinations.mailbox_id / forwards.dest_mailbox_id: a
--   destination that names a mailbox of this server (its login, primary or
--   additional address) follows that mailbox: Postfix is given the
--   mailbox's current primary address, and nothing while it is deleted
--   (the alias list shows "(deleted mailbox)"; a restore brings it back).
--   Any other destination (a remote address, another alias) is given to
--   Postfix as written.  The triggers below resolve it whoever writes the
--   row (the panel, a role alias whose contact moved, a hand-made fix), by
--   the same rule.
--
--   forwards: a mailbox's "Forward to other addresses" (seed 000 §8).  A
--   row whose dest_mailbox_id is the mailbox itself is "Deliver to this
--   user normally"; a mailbox without rows delivers normally.  The view
--   mailbox_routes is what Postfix reads for a primary address: the
--   address itself (no forwarding, or a copy kept) and the forwards.
--
--   alias_domains: exemple.com answering like exemple.be (seed 003 §4).
--   Postfix resolves them by joins (user@exemple.com -> user@exemple.be if
--   that address exists), never by an @exemple.com -> @exemple.be wildcard.
--
-- plans.max_destinations: remote destinations per alias and per forward
-- (NULL unlimited); forwarding spam to big providers gets a server's
-- address blocked, so it is bounded.
--
-- domains.alias_count: the domain's aliases other than the role aliases
-- (what plans.max_aliases limits), kept by triggers like the counters of
-- 005, so that neither the list page nor a creation counts rows.

ALTER TABLE plans
  ADD COLUMN max_destinations INT UNSIGNED NULL DEFAULT 10 AFTER max_alias_domains;

ALTER TABLE aliases
  ADD COLUMN kind ENUM('normal','catchall','bounce','everyone') NOT NULL
    DEFAULT 'normal' AFTER address;

ALTER TABLE alias_destinations
  ADD COLUMN mailbox_id INT UNSIGNED NULL AFTER destination,
  ADD KEY alias_destinations_mailbox (mailbox_id),
  ADD CONSTRAINT alias_destinations_mailbox FOREIGN KEY (mailbox_id)
    REFERENCES mailboxes (id) ON DELETE CASCADE;

CREATE TABLE forwards (
  mailbox_id      INT UNSIGNED NOT NULL,
  destination     VARCHAR(320) NOT NULL,
  dest_mailbox_id INT UNSIGNED NULL,
  PRIMARY KEY (mailbox_id, destination),
  KEY forwards_dest_mailbox (dest_mailbox_id),
  CONSTRAINT forwards_mailbox FOREIGN KEY (mailbox_id)
    REFERENCES mailboxes (id) ON DELETE CASCADE,
  CONSTRAINT forwards_dest_mailbox FOREIGN KEY (dest_mailbox_id)
    REFERENCES mailboxes (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE alias_domains (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(253) NOT NULL,
  domain_id   INT UNSIGNED NOT NULL,               -- the target domain
  created_by  VARCHAR(64)  NOT NULL,
  created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY alias_domains_name (name),
  KEY alias_domains_domain (domain_id, name),
  CONSTRAINT alias_domains_domain FOREIGN KEY (domain_id)
    REFERENCES domains (id) ON DELETE CASCADE
) ENGINE=InnoDB;

ALTER TABLE domains
  ADD COLUMN alias_count BIGINT NOT NULL DEFAULT 0;

UPDATE domains d JOIN (
  SELECT domain_id, COUNT(*) AS n FROM aliases WHERE role = 0
  GROUP BY domain_id) a ON a.domain_id = d.id
SET d.alias_count = a.n;

-- Destinations written before: the mailbox they name, by login or address.
UPDATE alias_destinations ad JOIN mailboxes m ON m.login = ad.destination
SET ad.mailbox_id = m.id;
UPDATE alias_destinations ad JOIN addresses a ON a.address = ad.destination
  AND a.kind IN ('primary', 'extra')
SET ad.mailbox_id = a.mailbox_id;

-- A destination names a mailbox by its login (no "@"; logins are never
-- reused) or by one of its live addresses.
CREATE TRIGGER alias_destinations_resolve_insert BEFORE INSERT
  ON alias_destinations FOR EACH ROW
  SET NEW.mailbox_id = IFNULL(NEW.mailbox_id, IF(LOCATE('@', NEW.destination) > 0,
    (SELECT a.mailbox_id FROM addresses a WHERE a.address = NEW.destination
      AND a.kind IN ('primary', 'extra')),
    (SELECT m.id FROM mailboxes m WHERE m.login = NEW.destination)));

CREATE TRIGGER alias_destinations_resolve_update BEFORE UPDATE
  ON alias_destinations FOR EACH ROW
  SET NEW.mailbox_id = IF(NEW.destination = OLD.destination OR
      NOT (NEW.mailbox_id <=> OLD.mailbox_id), NEW.mailbox_id,
    IF(LOCATE('@', NEW.destination) > 0,
    (SELECT a.mailbox_id FROM addresses a WHERE a.address = NEW.destination
      AND a.kind IN ('primary', 'extra')),
    (SELECT m.id FROM mailboxes m WHERE m.login = NEW.destination)));

CREATE TRIGGER forwards_resolve_insert BEFORE INSERT
  ON forwards FOR EACH ROW
  SET NEW.dest_mailbox_id = IFNULL(NEW.dest_mailbox_id, IF(LOCATE('@', NEW.destination) > 0,
    (SELECT a.mailbox_id FROM addresses a WHERE a.address = NEW.destination
      AND a.kind IN ('primary', 'extra')),
    (SELECT m.id FROM mailboxes m WHERE m.login = NEW.destination)));

-- aliases: the plan's count leaves the role aliases out.
CREATE TRIGGER aliases_counters_insert AFTER INSERT ON aliases
  FOR EACH ROW
  UPDATE domains SET alias_count = alias_count + 1
  WHERE id = NEW.domain_id AND NEW.role = 0;

CREATE TRIGGER aliases_counters_update AFTER UPDATE ON aliases
  FOR EACH ROW
  UPDATE domains SET alias_count = alias_count
      + IF(id = NEW.domain_id AND NEW.role = 0, 1, 0)
      - IF(id = OLD.domain_id AND OLD.role = 0, 1, 0)
  WHERE id IN (OLD.domain_id, NEW.domain_id)
    AND (OLD.domain_id <> NEW.domain_id OR OLD.role <> NEW.role);

CREATE TRIGGER aliases_counters_delete AFTER DELETE ON aliases
  FOR EACH ROW
  UPDATE domains SET alias_count = alias_count - 1
  WHERE id = OLD.domain_id AND OLD.role = 0;

-- A deleted domain keeps its row until the purge; its alias domains go at
-- once, so that their names are free and no mail reaches it through them.
CREATE TRIGGER domains_alias_domains_delete AFTER UPDATE ON domains
  FOR EACH ROW
  DELETE FROM alias_domains
  WHERE domain_id = NEW.id AND NEW.deleted_at IS NOT NULL
    AND OLD.deleted_at IS NULL;

-- What Postfix reads for the primary address of a live mailbox in an
-- active domain: one row per destination.  Without forwards the mailbox
-- resolves to itself, so that a catch-all (looked up after it) never
-- swallows its mail; with forwards, the forwards (a row naming the mailbox
-- itself keeps a copy).  A forward to a mailbox that is deleted delivers
-- here instead: mail is never dropped on the floor.
CREATE VIEW mailbox_routes AS
  SELECT a.address AS address,
         CASE WHEN f.mailbox_id IS NULL THEN a.address
              WHEN f.dest_mailbox_id IS NULL THEN f.destination
              WHEN dm.id IS NULL THEN a.address
              ELSE dm.address END AS destination
  FROM addresses a
  JOIN mailboxes m ON m.id = a.mailbox_id
  JOIN domains d ON d.id = m.domain_id
  LEFT JOIN forwards f ON f.mailbox_id = m.id
  LEFT JOIN mailboxes dm ON dm.id = f.dest_mailbox_id AND dm.deleted_at IS NULL
  WHERE a.kind = 'primary' AND m.deleted_at IS NULL AND d.active = 1;
