-- 002_plans.sql - the three plans every installation starts with (seed 000 §4).
INSERT INTO plans (name, mail_quota, max_mailboxes, default_mailbox_quota,
                   max_aliases, max_alias_domains, max_message_size, web_quota,
                   max_virtual_servers)
VALUES ('Light',        3221225472,   1,   3221225472, NULL, NULL, 12582912, 52428800,     1),
       ('Recommended',  32212254720,  10,  3221225472, NULL, NULL, 12582912, 10737418240,  5),
       ('Extended',     322122547200, 100, 3221225472, NULL, NULL, 12582912, 107374182400, 15);
