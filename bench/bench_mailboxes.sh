#!/bin/bash
# bench_mailboxes.sh - "Edit Mail Users" with 10,000 mailboxes in the domain
# and 1,000,000 in the database: page 1, a late page, a search, a sorted late
# page; mailbox creations per second through the web form; worker RSS.
#
# Needs a running stack on a throwaway state directory, filled once with
# bench/gen_mailboxes.py, and wrk (apt-get install wrk):
#   POSTBUS_STATE=/tmp/bench ./postbus up
#   POSTBUS_STATE=/tmp/bench bench/gen_mailboxes.py
#   POSTBUS_STATE=/tmp/bench bench/bench_mailboxes.sh [seconds] [creations]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "${POSTBUS_STATE:-$ROOT/var}/postbus.env"
D=${1:-10}
N=${2:-200}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sqlq() { mariadb --no-defaults -uroot --socket="$POSTBUS_DB_SOCKET" -N -B postbus -e "$1"; }

did=$(sqlq "SELECT id FROM domains WHERE name = 'bench.example'")
[ -n "$did" ] || { echo "run bench/gen_mailboxes.py first" >&2; exit 1; }
echo "== $(sqlq "SELECT COUNT(*) FROM mailboxes") mailboxes in the database," \
	"$(sqlq "SELECT COUNT(*) FROM mailboxes WHERE domain_id = $did") in bench.example"

# a session for the domain owner
curl -sk -c "$tmp/j" -b "$tmp/j" "${POSTBUS_URL}login" > "$tmp/l"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$tmp/l" | sed 's/.*value="//;s/"//')
curl -sk -c "$tmp/j" -b "$tmp/j" -o /dev/null --data-urlencode "csrf=$csrf" \
	--data-urlencode "login=benchowner" --data-urlencode "password=Kv8wPz3qLm" \
	"${POSTBUS_URL}login"
session=$(awk '$6 == "postbus_session" { print $7 }' "$tmp/j")
cat > "$tmp/cookie.lua" <<EOL
wrk.headers["Cookie"] = "postbus_session=$session"
EOL

run() {
	local label=$1 path=$2 rows
	rows=$(curl -sk -b "postbus_session=$session" "${POSTBUS_URL}${path#/}" |
		grep -c 'name="sel"' || true)
	echo "== $label: GET $path ($rows rows), $D s, 2 threads, 8 connections"
	wrk -t2 -c8 -d"${D}s" --latency -s "$tmp/cookie.lua" "${POSTBUS_URL}${path#/}" |
		grep -E 'Requests/sec|50%|99%|Non-2xx'
}
run "page 1" "/mailboxes?d=$did"
run "late page (offset 9,990)" "/mailboxes?d=$did&page=1000"
run "search" "/mailboxes?d=$did&q=Chlo%C3%A9+77"
run "sorted by real name, late page" "/mailboxes?d=$did&sort=name&dir=desc&page=900"
run "100 per page" "/mailboxes?d=$did&per=100&page=50"

echo "== EXPLAIN of the list query (page 1000, by login)"
sqlq "EXPLAIN SELECT m.id FROM (SELECT id FROM mailboxes WHERE domain_id = $did AND deleted_at IS NULL AND ('' = '' OR login LIKE '%' OR address LIKE '%' OR real_name LIKE '%') ORDER BY login LIMIT 10 OFFSET 9990) t JOIN mailboxes m ON m.id = t.id LEFT JOIN quota_usage q ON q.username = m.address ORDER BY m.login" |
	awk '{ print "   ", $0 }'

echo "== $N creations through the form (POST /mailbox/new, 4 parallel sessions)"
PYTHONPATH="$ROOT/tests/lib" POSTBUS_URL="$POSTBUS_URL" python3 - "$did" "$N" <<'EOP'
import sys, threading, time
from pbtest import Browser
did, n = sys.argv[1], int(sys.argv[2])
per = n // 4
codes = []
def worker(k):
    b = Browser()
    b.login('benchowner', 'Kv8wPz3qLm')
    token = b.get('/mailbox/new?d=%s' % did).csrf()
    for i in range(per):
        r = b.post('/mailbox/new?d=%s' % did, {
            'csrf': token, 'address': 'new%d.%d.%d' % (k, i, time.time()),
            'real_name': 'New', 'password': 'Kv8wPz3qLm9', 'password2': 'Kv8wPz3qLm9',
            'quota': '1 GB', 'send': 'none'}, follow=False)
        codes.append(r.status)
t = time.time()
ts = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
[x.start() for x in ts]
[x.join() for x in ts]
dt = time.time() - t
print('   %d created (%d other) in %.1f s: %.1f creations/s' % (
    codes.count(303), len(codes) - codes.count(303), dt, len(codes) / dt))
EOP

echo "== RSS of the FastCGI processes (kB)"
master=$(cat "$POSTBUS_STATE/run/postbus.pid")
for p in $master $(pgrep -P "$master"); do
	printf '   %s %s\n' "$p" "$(awk '/VmRSS/ { print $2 }' /proc/$p/status)"
done
