#!/bin/bash
# bench_mailboxes.sh - "Edit Mail Users" of a domain of 10,000 mailboxes:
# page 1, a late page, a search, a sorted late page, 100 per page, each at
# as many connections as there are FastCGI workers and at 8; the owner's
# information page; mailbox creations per second through the web form;
# worker RSS.
#
# Needs a running stack on a throwaway state directory, filled once with
# bench/gen_mailboxes.py, and wrk (apt-get install wrk):
#   POSTBUS_STATE=/tmp/bench ./postbus up
#   POSTBUS_STATE=/tmp/bench bench/gen_mailboxes.py
#   POSTBUS_STATE=/tmp/bench bench/bench_mailboxes.sh [seconds] [creations]
# Another domain and owner (made with gen_mailboxes.py --domain --owner):
#   BENCH_DOMAIN=big.example BENCH_OWNER=bigowner bench/bench_mailboxes.sh
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "${POSTBUS_STATE:-$ROOT/var}/postbus.env"
D=${1:-10}
N=${2:-200}
DOMAIN=${BENCH_DOMAIN:-bench.example}
OWNER=${BENCH_OWNER:-benchowner}
WORKERS=$(awk -F'[ \t=]+' '$1 == "workers" { print $2 }' "$POSTBUS_CONF")
WORKERS=${WORKERS:-2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sqlq() { mariadb --no-defaults -uroot --socket="$POSTBUS_DB_SOCKET" -N -B postbus -e "$1"; }

did=$(sqlq "SELECT id FROM domains WHERE name = '$DOMAIN'")
[ -n "$did" ] || { echo "run bench/gen_mailboxes.py first" >&2; exit 1; }
echo "== $(sqlq "SELECT COUNT(*) FROM mailboxes") mailboxes in the database," \
	"$(sqlq "SELECT COUNT(*) FROM mailboxes WHERE domain_id = $did") in $DOMAIN;" \
	"$WORKERS workers, $(nproc) CPUs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# a session for the domain owner (the cookie's name may carry a prefix)
. "$ROOT/bench/session.sh"
cookie=$(bench_session "$OWNER" Kv8wPz3qLm "$tmp")
[ -n "$cookie" ] || { echo "could not log in as $OWNER" >&2; exit 1; }
cat > "$tmp/cookie.lua" <<EOL
wrk.headers["Cookie"] = "$cookie"
EOL

run() {
	local label=$1 path=$2 rows c
	rows=$(curl -sk -b "$cookie" "${POSTBUS_URL}${path#/}" |
		grep -c 'name="sel"' || true)
	for c in "$WORKERS" 8; do
		printf '== %s: GET %s (%s rows), %s s, -c%s:' "$label" "$path" "$rows" "$D" "$c"
		wrk -t2 -c"$c" -d"${D}s" --latency -s "$tmp/cookie.lua" \
			"${POSTBUS_URL}${path#/}" | awk '
			/Requests\/sec/ { rps = $2 } / 50%/ { p50 = $2 } / 99%/ { p99 = $2 }
			/Non-2xx/ { bad = " NON-2xx: " $NF }
			END { printf " %s req/s, p50 %s, p99 %s%s\n", rps, p50, p99, bad }'
	done
}
run "page 1" "/mailboxes?d=$did"
run "late page (offset 9,990)" "/mailboxes?d=$did&page=1000"
run "search" "/mailboxes?d=$did&q=Chlo%C3%A9+77"
run "sorted by real name, late page" "/mailboxes?d=$did&sort=name&dir=desc&page=900"
run "100 per page" "/mailboxes?d=$did&per=100&page=50"
run "owner's information page" "/home?d=$did"

echo "== EXPLAIN of the list statements (late page by login; search by name)"
ex() {
	sqlq "EXPLAIN $1" | awk -F'\t' '{ printf "    %s %s %s type=%s key=%s rows=%s %s\n", $1, $2, $3, $4, $6, $9, $10 }'
}
ex "SELECT m.id FROM (SELECT id, login FROM mailboxes WHERE domain_id = $did AND deleted_at IS NULL ORDER BY login LIMIT 10 OFFSET 9990) t STRAIGHT_JOIN mailboxes m ON m.id = t.id LEFT JOIN quota_usage q ON q.username = m.address ORDER BY t.login"
ex "SELECT m.id, t.n FROM (SELECT id, real_name, login, COUNT(*) OVER () AS n FROM mailboxes WHERE domain_id = $did AND deleted_at IS NULL AND (login LIKE '%77%' OR address LIKE '%77%' OR real_name LIKE '%77%') ORDER BY real_name, login LIMIT 10 OFFSET 0) t STRAIGHT_JOIN mailboxes m ON m.id = t.id LEFT JOIN quota_usage q ON q.username = m.address ORDER BY t.real_name, t.login"

[ "$N" -gt 0 ] || exit 0
echo "== $N creations through the form (POST /mailbox/new, 4 parallel sessions)"
PYTHONPATH="$ROOT/tests/lib" POSTBUS_URL="$POSTBUS_URL" python3 - "$did" "$N" "$OWNER" <<'EOP'
import sys, threading, time
from pbtest import Browser
did, n, owner = sys.argv[1], int(sys.argv[2]), sys.argv[3]
per = n // 4
codes = []
# log in one after the other: parallel logins of one user are slowed
# down on purpose (attempts are counted before the password is checked)
sessions = []
for k in range(4):
    b = Browser()
    b.login(owner, 'Kv8wPz3qLm')
    sessions.append((b, b.get('/mailbox/new?d=%s' % did).csrf()))
def worker(k):
    b, token = sessions[k]
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
