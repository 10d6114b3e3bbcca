-- 009_users_created_by.sql - who created a panel login, by id.
--
-- A reseller may give a new domain to the owner logins it created.  Those
-- were found by panel_users.created_by, the creator's login as text: a
-- reseller login deleted and made again under the same name would inherit
-- the owners of the first.  created_by_id names the creating row itself
-- (NULL: made by root through postbusctl, or the creator is gone); the
-- text stays for the record.
--
-- Rows made before: the creator's login is matched back to an id only
-- when that login existed when the row was made.
ALTER TABLE panel_users
  ADD COLUMN created_by_id INT UNSIGNED NULL AFTER created_by,
  ADD CONSTRAINT panel_users_created_by FOREIGN KEY (created_by_id)
    REFERENCES panel_users (id) ON DELETE SET NULL;

UPDATE panel_users u JOIN panel_users c ON c.login = u.created_by
SET u.created_by_id = c.id
WHERE c.created_at <= u.created_at AND c.id <> u.id;
