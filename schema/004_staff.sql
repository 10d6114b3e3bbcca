-- 004_staff.sql - what the staff pages (plans, domains, quotas) need.
--
-- plans.owner_id: the reseller who made a plan may edit it; plans without
-- an owner (the three of 002, or made by a superuser) only a superuser
-- edits.  Every reseller may choose any plan for its domains.
--
-- domains.mail_quota: a total mail quota that support staff gave this one
-- domain instead of its plan's ("ask support for more quota", seed 003
-- §3.1).  NULL means the plan's.
--
-- domains.deleted_at: a deleted domain keeps its row (inactive) until
-- "postbusctl mailbox purge" has removed its mailboxes' Maildirs, which
-- live under its name.  Its name may be used again at once (live_name is
-- unique among live domains only); its prefix never, because mailbox
-- logins are never reused.
ALTER TABLE plans
  ADD COLUMN owner_id INT UNSIGNED NULL AFTER max_virtual_servers,
  ADD CONSTRAINT plans_owner FOREIGN KEY (owner_id) REFERENCES panel_users (id)
    ON DELETE SET NULL;

ALTER TABLE domains
  ADD COLUMN mail_quota BIGINT UNSIGNED NULL AFTER plan_id,
  ADD COLUMN deleted_at DATETIME NULL AFTER created_at,
  ADD COLUMN live_name VARCHAR(253) AS (IF(deleted_at IS NULL, name, NULL)) PERSISTENT,
  DROP KEY domains_name,
  ADD KEY domains_name (name),
  ADD UNIQUE KEY domains_live_name (live_name);
