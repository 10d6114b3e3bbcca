-- 010_login_security.sql - logins compared as bytes; throttle rows expire;
-- clients that logged in before.
--
-- A login is matched exactly: with the case- and accent-insensitive
-- collation "THR1", "ｔｈｒ1" and "thŕ1" all found the row of "thr1"
-- (logins are lowercase ASCII, valid_login).
--
-- login_failures rows are deleted once they are older than the throttle
-- window (by last_at, hence the key); login_known remembers, per login,
-- the clients (a hash of login and address) that logged in with the right
-- password, so that failures from elsewhere never slow their owner down.
ALTER TABLE panel_users
  MODIFY login VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;

ALTER TABLE login_failures ADD KEY login_failures_last (last_at);

CREATE TABLE login_known (
  k        CHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
  last_at  DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY login_known_last (last_at)
) ENGINE=InnoDB;
