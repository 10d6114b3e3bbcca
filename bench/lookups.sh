# lookups.sh - what the Postfix lookup benchmarks share (bench_lookups.sh,
# bench_alias_lookups.sh); sourced, not run.
#
#   . "$(dirname "$0")/lookups.sh"
#
# Sets ROOT, reads STATE/postbus.env (POSTBUS_STATE, default ./var), sets
# ETC (the maps bin/mailstack installed) and tmp (removed on exit), and
# defines:
#   sqlq QUERY          the query's rows, as MariaDB's root
#   bp                  InnoDB buffer pool read requests and disk reads
#   best_rate KEYS MAP...
#                       "FOUND RATE": keys found and the best lookups/s of
#                       postmap -q - over the maps in ROUNDS rounds
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "${POSTBUS_STATE:-$ROOT/var}/postbus.env"
ETC=$POSTBUS_STATE/postfix/etc
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sqlq() { mariadb --no-defaults -uroot --socket="$POSTBUS_DB_SOCKET" -N -B postbus -e "$1"; }

bp() { sqlq "SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_read%s'" | awk '$1 == "Innodb_buffer_pool_read_requests" { r = $2 } $1 == "Innodb_buffer_pool_reads" { d = $2 } END { print r, d }'; }

best_rate() {
	local keys=$1 best=0 s e found=0 rate r m maps=()
	shift
	for m in "$@"; do maps+=("mysql:$ETC/$m.cf"); done
	for r in $(seq "$ROUNDS"); do
		s=$(date +%s.%N)
		found=$(postmap -c "$ETC" -q - "${maps[@]}" < "$keys" | wc -l)
		e=$(date +%s.%N)
		rate=$(echo "$(wc -l < "$keys") / ($e - $s)" | bc)
		[ "$rate" -gt "$best" ] && best=$rate
	done
	echo "$found $best"
}
