#!/bin/bash
# bench_lookups.sh - lookups per second of the shipped Postfix maps, as
# Postfix's own client makes them: `postmap -q - mysql:MAP.cf` in batch
# mode (keys on stdin, one connection, one query per key), for each map of
# conf/postfix/ as bin/mailstack installed it in STATE/postfix/etc.
#
# The keys are N random existing keys and as many missing ones, shuffled
# together: existing domains, primary addresses, additional addresses and
# aliases are sampled from the database; missing keys are made-up
# addresses in existing domains (what spam mostly asks for) and made-up
# domains.  Run it against a small and a large database (see
# bench/gen_mailboxes.py) to see whether the cost per lookup depends on
# the number of mailboxes.
#
#   POSTBUS_STATE=/tmp/bench bench/bench_lookups.sh [keys per map] [rounds]
#
# Prints, per map: keys, found, lookups/s (the best of the rounds, default
# 3, as the machine is shared with other work); the InnoDB buffer pool
# size and hit rate over the run (a database larger than the pool answers
# from disk or the page cache, whatever the indexes); and the EXPLAIN of
# each map's query for one existing key.
set -eu
N=${1:-10000}
ROUNDS=${2:-3}
. "$(dirname "$0")/lookups.sh"
[ -f "$ETC/mysql_virtual_mailboxes.cf" ] || { echo "no maps in $ETC (start the stack with ./postbus up)" >&2; exit 1; }

half=$((N / 2))
echo "== $(sqlq "SELECT COUNT(*) FROM mailboxes") mailboxes," \
	"$(sqlq "SELECT COUNT(*) FROM domains") domains," \
	"$(sqlq "SELECT COUNT(*) FROM aliases") aliases in the database; $N keys per map"

# sample - half existing keys of a kind, half missing ones, shuffled
sample() {
	local kind=$1 out=$2
	case $kind in
	domain)
		sqlq "SELECT name FROM domains ORDER BY RAND() LIMIT $half" > "$tmp/have"
		;;
	*)
		sqlq "SELECT address FROM addresses WHERE kind = '$kind' ORDER BY RAND() LIMIT $half" > "$tmp/have"
		;;
	esac
	# existing keys are repeated if the database has fewer than N/2
	[ -s "$tmp/have" ] || { echo "   no $kind keys in the database" >&2; : > "$out"; return; }
	while [ "$(wc -l < "$tmp/have")" -lt "$half" ]; do
		cat "$tmp/have" "$tmp/have" | head -n "$half" > "$tmp/have2"
		mv "$tmp/have2" "$tmp/have"
	done
	sqlq "SELECT name FROM domains ORDER BY RAND() LIMIT 100" > "$tmp/doms"
	awk -v n="$half" -v kind="$kind" 'BEGIN { srand(7) }
		{ d[NR] = $1 } END {
		for (i = 1; i <= n; i++)
			if (kind == "domain")
				printf "nosuch%d-%d.example\n", i, int(rand() * 1e6)
			else
				printf "nobody%d.%d@%s\n", i, int(rand() * 1e6), d[1 + int(rand() * NR)]
	}' "$tmp/doms" > "$tmp/miss"
	cp "$tmp/have" "$out.have"
	cat "$tmp/have" "$tmp/miss" | shuf > "$out"
}

run() {
	local label=$1 map=$2 kind=$3 keys="$tmp/$3.keys" found best
	[ -f "$keys" ] || sample "$kind" "$keys"
	[ -s "$keys" ] || return 0
	read -r found best <<< "$(best_rate "$keys" "$map")"
	printf '   %-38s %-26s %6d keys %6d found %7d lookups/s\n' "$label" \
		"$map" "$(wc -l < "$keys")" "$found" "$best"
}

read -r req0 disk0 <<< "$(bp)"
echo "== postmap -q - (batch), best of $ROUNDS"
run "domains" mysql_virtual_domains domain
run "mailboxes (primary addresses)" mysql_virtual_mailboxes primary
run "aliases: additional addresses" mysql_virtual_alias_extra extra
run "aliases: aliases" mysql_virtual_alias_alias alias
# what Postfix asks of virtual_alias_maps for a primary address: both
# alias maps answer "not found"
cp "$tmp/primary.keys" "$tmp/primary2.keys"
run "aliases: primary addresses (none)" mysql_virtual_alias_extra primary2
run "aliases: primary addresses (none)" mysql_virtual_alias_alias primary2
# what the submission services ask for every MAIL FROM
[ -f "$ETC/mysql_sender_login.cf" ] && {
	run "sender login: primary addresses" mysql_sender_login primary
	run "sender login: additional addresses" mysql_sender_login extra
}

read -r req1 disk1 <<< "$(bp)"
echo "== InnoDB buffer pool $(( $(sqlq "SELECT @@innodb_buffer_pool_size") / 1048576 )) MB:" \
	"$((req1 - req0)) page reads, $((disk1 - disk0)) of them not in the pool"
echo "== EXPLAIN of each map's query for one existing key"
for m in domain:mysql_virtual_domains primary:mysql_virtual_mailboxes \
	extra:mysql_virtual_alias_extra alias:mysql_virtual_alias_alias \
	extra:mysql_sender_login; do
	[ -f "$ETC/${m#*:}.cf" ] || continue
	kind=${m%%:*} map=${m#*:}
	key=$(head -n 1 "$tmp/$kind.keys.have" 2>/dev/null) || true
	[ -n "$key" ] || continue
	# the query of the .cf, which may span lines (continuations start with
	# white space); the key is a sampled address, not input from outside
	q=$(awk '/^query *=/ { on = 1; sub(/^query *= */, ""); print; next }
		on && /^[ \t]/ { print; next } { on = 0 }' "$ETC/$map.cf" | tr '\n\t' '  ')
	echo "   $map:"
	sqlq "EXPLAIN ${q//%s/$key}" | awk -F'\t' '{ printf "      %s %s type=%s key=%s rows=%s %s\n", $3, $2, $4, $6, $9, $10 }'
done
