-- 001_core.sql - plans, domains, panel users, sessions, throttling, audit log.
-- Sizes are bytes; NULL in a limit means unlimited.

CREATE TABLE plans (
  id                    INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name                  VARCHAR(64)  NOT NULL,
  mail_quota            BIGINT UNSIGNED NULL,      -- total mail quota of a domain
  max_mailboxes         INT UNSIGNED NULL,
  default_mailbox_quota BIGINT UNSIGNED NOT NULL DEFAULT 0,  -- 0 = unlimited
  allow_unlimited_quota TINYINT(1)   NOT NULL DEFAULT 0,
  max_aliases           INT UNSIGNED NULL,
  max_alias_domains     INT UNSIGNED NULL,
  max_message_size      BIGINT UNSIGNED NOT NULL DEFAULT 12582912,
  web_quota             BIGINT UNSIGNED NULL,
  max_virtual_servers   INT UNSIGNED NULL,
  created_at            DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY plans_name (name)
) ENGINE=InnoDB;

CREATE TABLE panel_users (
  id           INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  login        VARCHAR(64)  NOT NULL,
  pw_hash      VARCHAR(255) NOT NULL,
  role         ENUM('superuser','reseller','support','owner') NOT NULL,
  max_domains  INT UNSIGNED NULL,                  -- reseller allowance
  active       TINYINT(1)   NOT NULL DEFAULT 1,
  created_by   VARCHAR(64)  NOT NULL,
  created_at   DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_login   DATETIME     NULL,
  UNIQUE KEY panel_users_login (login)
) ENGINE=InnoDB;

CREATE TABLE domains (
  id            INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name          VARCHAR(253) NOT NULL,
  prefix        VARCHAR(32)  NOT NULL,
  next_counter  INT UNSIGNED NOT NULL DEFAULT 1,
  plan_id       INT UNSIGNED NOT NULL,
  reseller_id   INT UNSIGNED NULL,
  description   VARCHAR(255) NOT NULL DEFAULT '',
  contact_email VARCHAR(254) NOT NULL DEFAULT '',
  active        TINYINT(1)   NOT NULL DEFAULT 1,
  created_by    VARCHAR(64)  NOT NULL,
  created_at    DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY domains_name (name),
  UNIQUE KEY domains_prefix (prefix),
  KEY domains_reseller (reseller_id),
  CONSTRAINT domains_plan FOREIGN KEY (plan_id) REFERENCES plans (id),
  CONSTRAINT domains_reseller FOREIGN KEY (reseller_id) REFERENCES panel_users (id)
) ENGINE=InnoDB;

-- Which domains an owner manages, or a reseller was given.
CREATE TABLE user_domains (
  user_id   INT UNSIGNED NOT NULL,
  domain_id INT UNSIGNED NOT NULL,
  PRIMARY KEY (user_id, domain_id),
  KEY user_domains_domain (domain_id),
  CONSTRAINT user_domains_user FOREIGN KEY (user_id) REFERENCES panel_users (id) ON DELETE CASCADE,
  CONSTRAINT user_domains_domain FOREIGN KEY (domain_id) REFERENCES domains (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- The cookie holds a 256-bit random token; only its SHA-256 is stored.
CREATE TABLE sessions (
  token_hash  BINARY(32)   NOT NULL PRIMARY KEY,
  user_id     INT UNSIGNED NOT NULL,
  domain_id   INT UNSIGNED NULL,                   -- selected in the sidebar
  client      VARCHAR(45)  NOT NULL,
  created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen   DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY sessions_user (user_id),
  KEY sessions_last_seen (last_seen),
  CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES panel_users (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Failed logins per login name ('u:NAME') and per client address ('a:ADDR').
CREATE TABLE login_failures (
  k            VARCHAR(100) NOT NULL PRIMARY KEY,
  failures     INT UNSIGNED NOT NULL DEFAULT 0,
  last_at      DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  locked_until DATETIME     NULL
) ENGINE=InnoDB;

CREATE TABLE audit_log (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  actor       VARCHAR(64)  NOT NULL,
  actor_role  VARCHAR(16)  NOT NULL,
  client      VARCHAR(45)  NOT NULL,
  domain_id   INT UNSIGNED NULL,
  domain_name VARCHAR(253) NULL,
  object      VARCHAR(320) NOT NULL DEFAULT '',
  action      VARCHAR(32)  NOT NULL,
  old_value   TEXT         NULL,
  new_value   TEXT         NULL,
  KEY audit_at (at),
  KEY audit_domain (domain_id, at),
  KEY audit_actor (actor, at)
) ENGINE=InnoDB;

-- Mail side: read by Postfix and Dovecot.  Every address of the server
-- (primary, additional, alias) has one row in addresses, so an address is
-- unique across all of them.
CREATE TABLE mailboxes (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  domain_id   INT UNSIGNED NOT NULL,
  login       VARCHAR(64)  NOT NULL,
  address     VARCHAR(320) NOT NULL,               -- primary address
  real_name   VARCHAR(255) NOT NULL DEFAULT '',
  pw_hash     VARCHAR(255) NOT NULL,
  quota       BIGINT UNSIGNED NOT NULL DEFAULT 0,  -- bytes, 0 = unlimited
  enabled     TINYINT(1)   NOT NULL DEFAULT 1,
  deleted_at  DATETIME     NULL,
  purged_at   DATETIME     NULL,
  created_by  VARCHAR(64)  NOT NULL,
  created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_login  DATETIME     NULL,
  UNIQUE KEY mailboxes_login (login),
  KEY mailboxes_address (address),
  KEY mailboxes_domain (domain_id, deleted_at, login),
  CONSTRAINT mailboxes_domain FOREIGN KEY (domain_id) REFERENCES domains (id)
) ENGINE=InnoDB;

CREATE TABLE aliases (
  id          INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  domain_id   INT UNSIGNED NOT NULL,
  address     VARCHAR(320) NOT NULL,
  role        TINYINT(1)   NOT NULL DEFAULT 0,     -- abuse@, postmaster@, ...
  created_by  VARCHAR(64)  NOT NULL,
  created_at  DATETIME     NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY aliases_address (address),
  KEY aliases_domain (domain_id, address),
  CONSTRAINT aliases_domain FOREIGN KEY (domain_id) REFERENCES domains (id)
) ENGINE=InnoDB;

CREATE TABLE alias_destinations (
  alias_id    INT UNSIGNED NOT NULL,
  destination VARCHAR(320) NOT NULL,
  PRIMARY KEY (alias_id, destination),
  CONSTRAINT alias_destinations_alias FOREIGN KEY (alias_id) REFERENCES aliases (id) ON DELETE CASCADE
) ENGINE=InnoDB;

CREATE TABLE addresses (
  address     VARCHAR(320) NOT NULL PRIMARY KEY,
  domain_id   INT UNSIGNED NOT NULL,
  kind        ENUM('primary','extra','alias') NOT NULL,
  mailbox_id  INT UNSIGNED NULL,
  alias_id    INT UNSIGNED NULL,
  KEY addresses_mailbox (mailbox_id),
  KEY addresses_domain (domain_id, kind),
  CONSTRAINT addresses_domain FOREIGN KEY (domain_id) REFERENCES domains (id),
  CONSTRAINT addresses_mailbox FOREIGN KEY (mailbox_id) REFERENCES mailboxes (id) ON DELETE CASCADE,
  CONSTRAINT addresses_alias FOREIGN KEY (alias_id) REFERENCES aliases (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- Written by Dovecot's quota dict (the quota writer account), read by the panel.
CREATE TABLE quota_usage (
  username VARCHAR(320) NOT NULL PRIMARY KEY,
  bytes    BIGINT       NOT NULL DEFAULT 0,
  messages INT          NOT NULL DEFAULT 0
) ENGINE=InnoDB;
