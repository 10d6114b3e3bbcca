#!/bin/bash
# bench_load.sh - mixed page load, a memory soak, and faults under load.
#
#   bench/bench_load.sh [seconds] [soak-seconds] [soak-connections]
#                                           (defaults 60, 600 and 64)
#
# Needs a running stack (./postbus up) and wrk.  With a logged-in session of
# the superuser and of a domain owner, wrk (64 connections, 2 threads) asks
# in turn for the information page, the domain list, the owner's mailbox
# list (page 1 and a search), the "Add a user" form and the login page.
#   1. the mixed load for [seconds]: requests/s, latency, non-2xx answers;
#   2. the soak: the same load for [soak-seconds], the workers' RSS every
#      30 s (it should stay flat);
#   3. MariaDB killed (SIGKILL) and started again during a 30 s load: how
#      many answers were 503 and whether the panel answers 200 after,
#      with its master's pid unchanged;
#   4. a worker killed with SIGKILL during a 30 s load: the errors it cost.
# The figures go to stdout; bench/RESULTS.md keeps those of a run.
set -eu
command -v wrk >/dev/null || { echo "bench_load.sh: needs wrk (apt-get install wrk)" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "${POSTBUS_STATE:-$ROOT/var}/postbus.env"
D=${1:-60}
SOAK=${2:-600}
SOAK_C=${3:-64}
CTL="$POSTBUS_CTL -c $POSTBUS_CONF"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
URL=${POSTBUS_URL%/}

. "$(dirname "$0")/session.sh"

# session LOGIN PASSWORD - print "name=value" of a logged-in session cookie
session() {
	bench_session "$1" "$2" "$tmp"
}

# a domain with 100 mailboxes (the Extended plan's limit) for the owner's pages
PW=Kv8wPz3qLm
pfx=load$(tr -dc a-z </dev/urandom | head -c 6)
$CTL domain add "$pfx.example" --plan Extended --prefix "$pfx" --new-owner "own$pfx" \
	--password-stdin --contact c@example.org <<<"$PW" >/dev/null
did=$($CTL --json domain show "$pfx.example" | sed 's/.*"id": *\([0-9]*\).*/\1/')
for i in $(seq 100); do
	$CTL mailbox add "$pfx.example" --local "user$i" --password-stdin <<<"$PW" >/dev/null
done
admin=$(session "$POSTBUS_ADMIN_USER" "$POSTBUS_ADMIN_PASSWORD")
owner=$(session "own$pfx" "$PW")

cat > "$tmp/mixed.lua" <<EOL
local reqs = {
  { "/home", "$admin" },
  { "/domains", "$admin" },
  { "/mailboxes?d=$did", "$owner" },
  { "/mailboxes?d=$did&q=user1", "$owner" },
  { "/mailbox/new?d=$did", "$owner" },
  { "/home", "$owner" },
  { "/login", "" },
}
local i = 0
request = function()
  i = i % #reqs + 1
  local h = {}
  if reqs[i][2] ~= "" then h["Cookie"] = reqs[i][2] end
  return wrk.format("GET", reqs[i][1], h)
end
EOL
run() {
	wrk -t2 -c64 -d"$1" --latency -s "$tmp/mixed.lua" "$URL" 2>&1 |
		grep -E 'Requests/sec|Non-2xx|Socket errors|50%|99%|requests in' || true
}
rss() {
	local master p t=0
	master=$(cat "$POSTBUS_STATE/run/postbus.pid")
	for p in $(pgrep -P "$master"); do
		t=$(( t + $(awk '/VmRSS/ { print $2 }' /proc/$p/status) ))
	done
	printf '%s workers, %s kB RSS in all\n' "$(pgrep -cP "$master")" "$t"
}

echo "== mixed load, 64 connections, ${D} s"
run "${D}s"
rss

echo "== soak, ${SOAK} s, $SOAK_C connections, RSS every 30 s"
wrk -t2 -c"$SOAK_C" -d"${SOAK}s" -s "$tmp/mixed.lua" "$URL" > "$tmp/soak.out" 2>&1 &
w=$!
t=0
while kill -0 $w 2>/dev/null; do
	printf '%4d s  ' $t; rss
	sleep 30; t=$(( t + 30 ))
done
grep -E 'Requests/sec|Non-2xx|Socket errors|requests in' "$tmp/soak.out" || true

echo "== MariaDB killed and restarted during 30 s of load"
master=$(cat "$POSTBUS_STATE/run/postbus.pid")
wrk -t2 -c64 -d30s -s "$tmp/mixed.lua" "$URL" > "$tmp/db.out" 2>&1 &
w=$!
sleep 5
pid=$(cat "$POSTBUS_STATE/run/mysqld/mysqld.pid")
mapfile -d '' argv < "/proc/$pid/cmdline"
kill -KILL "$pid"
sleep 5
setsid "${argv[@]}" </dev/null >/dev/null 2>&1 &
until mariadb-admin --no-defaults -uroot --socket="$POSTBUS_DB_SOCKET" ping >/dev/null 2>&1; do sleep 0.2; done
wait $w || true
grep -E 'Requests/sec|Non-2xx|Socket errors|requests in' "$tmp/db.out" || true
printf 'after: %s, panel master %s (was %s)\n' \
	"$(curl -sk -o /dev/null -w '%{http_code}' -H "Cookie: $admin" "$URL/home")" \
	"$(cat "$POSTBUS_STATE/run/postbus.pid")" "$master"

echo "== a worker killed during 30 s of load"
wrk -t2 -c64 -d30s -s "$tmp/mixed.lua" "$URL" > "$tmp/kill.out" 2>&1 &
w=$!
sleep 10
kill -KILL "$(pgrep -P "$master" | head -1)"
wait $w || true
grep -E 'Requests/sec|Non-2xx|Socket errors|requests in' "$tmp/kill.out" || true
rss
