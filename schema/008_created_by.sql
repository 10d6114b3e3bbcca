-- 008_created_by.sql - who created a domain, by id rather than by login.
--
-- domains.created_by holds the creator's login as text.  A login can be
-- deleted and the same name given to someone else later, who would then
-- pass for the creator of domains made before it existed.  created_by_id
-- names the panel_users row itself; the pages show that row's current
-- login, and the text of created_by only when there is no row (postbusctl
-- run as root, a login since deleted, or a row made before this column).
--
-- Rows made before: the login is matched back to an id only when that
-- login existed when the domain was made (a login created later cannot be
-- the creator); the others keep their text alone.
ALTER TABLE domains
  ADD COLUMN created_by_id INT UNSIGNED NULL AFTER created_by,
  ADD CONSTRAINT domains_created_by FOREIGN KEY (created_by_id)
    REFERENCES panel_users (id) ON DELETE SET NULL;

UPDATE domains d JOIN panel_users u ON u.login = d.created_by
SET d.created_by_id = u.id
WHERE u.created_at <= d.created_at;
