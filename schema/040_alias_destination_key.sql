-- 040_alias_destination_key.sql - the aliases that lead to an address.
--
-- lib/vacation.c lists, in a mailbox's automatic reply, every alias that
-- leads to it: it walks alias_destinations backwards, by destination (its
-- login, its addresses, their alias-domain forms), from whatever domain
-- the alias is in.  The primary key (alias_id, destination) cannot serve
-- that walk; without this key each step read the whole table.
ALTER TABLE alias_destinations
  ADD KEY alias_destinations_destination (destination);
