#!/bin/bash
# bench_alias_lookups.sh - lookups per second of the alias maps (aliases,
# mailbox routes, alias domains, catch-alls, bounce aliases, SRS exemption)
# as Postfix's own client makes them: `postmap -q - mysql:MAP.cf` in batch
# mode (keys on stdin, one connection, one query per key), on the maps that
# bin/mailstack installed in STATE/postfix/etc; and the whole
# virtual_alias_maps chain in Postfix's order (postmap -q - with the five
# maps: the first that finds a key answers).
#
# Keys: N per map, half existing (sampled from the database), half missing
# (made-up addresses in existing domains and alias domains, what spam
# mostly asks for), shuffled.  Fill the database first with
# bench/gen_mailboxes.py and bench/gen_aliases.py; run it against a small
# and a large one to see whether a lookup costs more with more rows.
#
#   POSTBUS_STATE=/tmp/bench bench/bench_alias_lookups.sh [keys] [rounds]
#
# Prints per map: keys, found, lookups/s (best of the rounds, default 3:
# the machine is shared), the buffer pool's misses over the run, and the
# EXPLAIN of each map's query for one existing key.
set -eu
N=${1:-10000}
ROUNDS=${2:-3}
. "$(dirname "$0")/lookups.sh"
[ -f "$ETC/mysql_virtual_alias_mailbox.cf" ] ||
	{ echo "no alias maps in $ETC (start the stack with ./postbus up)" >&2; exit 1; }

half=$((N / 2))
echo "== $(sqlq "SELECT COUNT(*) FROM mailboxes") mailboxes," \
	"$(sqlq "SELECT COUNT(*) FROM domains") domains," \
	"$(sqlq "SELECT COUNT(*) FROM aliases") aliases," \
	"$(sqlq "SELECT COUNT(*) FROM alias_domains") alias domains," \
	"$(sqlq "SELECT COUNT(*) FROM forwards") forward rows; $N keys per map"

# keys KIND - existing keys of a kind (up to N/2, random).  A random
# fraction of the rows (RAND() < f) rather than ORDER BY RAND(), which sorts
# millions of rows in a temporary file.
keys() {
	local f
	f=$(sqlq "SELECT LEAST(1, 3 * $half / GREATEST(1, COUNT(*))) FROM addresses")
	case $1 in
	alias) sqlq "SELECT a.address FROM addresses a JOIN aliases al ON al.id = a.alias_id
		WHERE al.kind = 'normal' AND RAND() < $f * 20 LIMIT $half" ;;
	everyone) sqlq "SELECT a.address FROM addresses a JOIN aliases al ON al.id = a.alias_id
		WHERE al.kind = 'everyone' LIMIT 20" ;;
	bounce) sqlq "SELECT a.address FROM addresses a JOIN aliases al ON al.id = a.alias_id
		WHERE al.kind = 'bounce' LIMIT $half" ;;
	primary) sqlq "SELECT address FROM addresses WHERE kind = 'primary'
		AND RAND() < $f * 2 LIMIT $half" ;;
	# userK@aliasdomain: gen_mailboxes.py names a domain's mailboxes
	# user1..userN (N its mailbox_count); gen_aliases.py numbers the
	# alias domains one after the other
	aliasdom) sqlq "SELECT CONCAT('user', 1 + FLOOR(RAND() * d.mailbox_count),
		'@', x.name) FROM seq_1_to_$half s JOIN alias_domains x
		ON x.id = (SELECT MIN(id) FROM alias_domains) +
		   s.seq % (SELECT COUNT(*) FROM alias_domains)
		JOIN domains d ON d.id = x.domain_id" ;;
	catchall) sqlq "SELECT address FROM addresses WHERE address LIKE '@%'
		UNION ALL SELECT CONCAT('@', name) FROM alias_domains" ;;
	sender) sqlq "SELECT CONCAT('someone@', name) FROM domains" ;;
	esac | shuf -n "$half"
}

# sample KIND OUT - N keys: existing ones (repeated up to N/2), missing ones
sample() {
	local kind=$1 out=$2
	keys "$kind" > "$tmp/have"
	[ -s "$tmp/have" ] || { echo "   no $kind keys in the database" >&2; : > "$out"; return; }
	while [ "$(wc -l < "$tmp/have")" -lt "$half" ]; do
		cat "$tmp/have" "$tmp/have" | head -n "$half" > "$tmp/have2"
		mv "$tmp/have2" "$tmp/have"
	done
	{ sqlq "SELECT name FROM domains ORDER BY RAND() LIMIT 50"
	  sqlq "SELECT name FROM alias_domains ORDER BY RAND() LIMIT 50"; } > "$tmp/doms"
	awk -v n="$half" -v kind="$kind" 'BEGIN { srand(7) }
		{ d[NR] = $1 } END {
		for (i = 1; i <= n; i++)
			if (kind == "catchall")
				printf "@nosuch%d-%d.example\n", i, int(rand() * 1e6)
			else if (kind == "sender")
				printf "someone%d@nosuch%d.example\n", i, int(rand() * 1e6)
			else
				printf "nobody%d.%d@%s\n", i, int(rand() * 1e6), d[1 + int(rand() * NR)]
	}' "$tmp/doms" > "$tmp/miss"
	head -n 1 "$tmp/have" > "$out.have"
	cat "$tmp/have" "$tmp/miss" | shuf > "$out"
}

# run LABEL KIND MAP... - best lookups/s of postmap -q - over the maps
run() {
	local label=$1 kind=$2 keys="$tmp/$2.keys" found best
	shift 2
	[ -f "$keys" ] || sample "$kind" "$keys"
	[ -s "$keys" ] || return 0
	read -r found best <<< "$(best_rate "$keys" "$@")"
	printf '   %-44s %6d keys %6d found %7d lookups/s\n' "$label" \
		"$(wc -l < "$keys")" "$found" "$best"
}

CHAIN="mysql_virtual_alias_extra mysql_virtual_alias_alias
	mysql_virtual_alias_mailbox mysql_virtual_alias_domain
	mysql_virtual_alias_catchall"
read -r req0 disk0 <<< "$(bp)"
echo "== postmap -q - (batch), best of $ROUNDS"
run "aliases (normal)" alias mysql_virtual_alias_alias
run "mailbox routes (primary addresses)" primary mysql_virtual_alias_mailbox
run "alias domains (user@aliasdomain)" aliasdom mysql_virtual_alias_domain
run "catch-alls (@domain, @aliasdomain)" catchall mysql_virtual_alias_catchall
run "bounce aliases (check_recipient_access)" bounce mysql_recipient_bounce
run "SRS exemption (senders)" sender mysql_sender_hosted
# shellcheck disable=SC2086
run "chain of 5, aliases" alias $CHAIN
cp "$tmp/primary.keys" "$tmp/primary2.keys"
# shellcheck disable=SC2086
run "chain of 5, primary addresses" primary2 $CHAIN
cp "$tmp/aliasdom.keys" "$tmp/aliasdom2.keys"
# shellcheck disable=SC2086
run "chain of 5, alias-domain addresses" aliasdom2 $CHAIN
read -r req1 disk1 <<< "$(bp)"
echo "== InnoDB buffer pool $(( $(sqlq "SELECT @@innodb_buffer_pool_size") / 1048576 )) MB:" \
	"$((req1 - req0)) page reads, $((disk1 - disk0)) of them not in the pool"

# one "everyone in domain" lookup: one row per mailbox of the domain
key=$(keys everyone | head -n 1)
if [ -n "$key" ]; then
	s=$(date +%s.%N)
	rows=$(postmap -c "$ETC" -q "$key" "mysql:$ETC/mysql_virtual_alias_alias.cf" | tr ',' '\n' | wc -l)
	e=$(date +%s.%N)
	printf '   everyone in domain: %s -> %d addresses in %.3f s\n' "$key" "$rows" "$(echo "$e - $s" | bc)"
fi

echo "== EXPLAIN of each map's query for one existing key"
for m in alias:mysql_virtual_alias_alias primary:mysql_virtual_alias_mailbox \
	aliasdom:mysql_virtual_alias_domain catchall:mysql_virtual_alias_catchall \
	bounce:mysql_recipient_bounce sender:mysql_sender_hosted; do
	kind=${m%%:*} map=${m#*:}
	key=$(head -n 1 "$tmp/$kind.keys.have" 2>/dev/null) || true
	[ -n "$key" ] || continue
	# the query of the .cf (continuation lines start with white space);
	# %s, %u, %d as Postfix fills them in, from a sampled key
	q=$(awk '/^query *=/ { on = 1; sub(/^query *= */, ""); print; next }
		on && /^[ \t]/ { print; next } { on = 0 }' "$ETC/$map.cf" | tr '\n\t' '  ')
	q=${q//%s/$key}; q=${q//%u/${key%%@*}}; q=${q//%d/${key#*@}}
	echo "   $map ($key):"
	sqlq "EXPLAIN $q" | awk -F'\t' '{ printf "      %s %s type=%s key=%s rows=%s %s\n", $3, $2, $4, $6, $9, $10 }'
done
