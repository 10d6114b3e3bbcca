-- 003_mailboxes.sql - what the mailbox pages and restore need.
--
-- restore_extras: while a mailbox is deleted (deleted_at set, not yet
-- purged) its addresses rows are gone, so Postfix and Dovecot no longer
-- find it; the additional addresses it had are kept here, one per line,
-- for a restore.  NULL for a live mailbox.
--
-- The list page ("Edit Mail Users") is paginated in SQL and sorted by
-- login, primary address, real name or quota within one domain's live
-- mailboxes: one index per sort order, each starting with the domain and
-- deleted_at, so a page is an index range walk, never a sort of the table.
-- mailboxes_domain (domain_id, deleted_at, login) from 001 serves the login
-- order.  mailboxes_purge finds the deleted mailboxes whose time is up.
ALTER TABLE mailboxes
  ADD COLUMN restore_extras TEXT NULL AFTER purged_at,
  ADD KEY mailboxes_domain_address (domain_id, deleted_at, address),
  ADD KEY mailboxes_domain_name (domain_id, deleted_at, real_name, login),
  ADD KEY mailboxes_domain_quota (domain_id, deleted_at, quota, login),
  ADD KEY mailboxes_purge (purged_at, deleted_at);
