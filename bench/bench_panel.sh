#!/bin/bash
# bench_panel.sh - the panel's base cost: the login page and the information
# page through nginx + TLS + FastCGI, and the RSS of the workers.
# Needs a running stack (./postbus up) and wrk (apt-get install wrk).
#   bench/bench_panel.sh [seconds]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "${POSTBUS_STATE:-$ROOT/var}/postbus.env"
D=${1:-10}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# a session for the logged-in page
. "$(dirname "$0")/session.sh"
cookie=$(bench_session "$POSTBUS_ADMIN_USER" "$POSTBUS_ADMIN_PASSWORD" "$tmp")
cat > "$tmp/cookie.lua" <<EOL
wrk.headers["Cookie"] = "$cookie"
EOL

echo "== GET /login (anonymous), $D s, 2 threads, 8 connections"
wrk -t2 -c8 -d"${D}s" --latency "${POSTBUS_URL}login" | grep -E 'Requests/sec|50%|99%'
echo "== GET /home (logged in: session lookup + domain list), $D s"
wrk -t2 -c8 -d"${D}s" --latency -s "$tmp/cookie.lua" "${POSTBUS_URL}home" | grep -E 'Requests/sec|50%|99%'
echo "== RSS of the FastCGI processes (kB)"
master=$(cat "$POSTBUS_STATE/run/postbus.pid")
for p in $master $(pgrep -P "$master"); do
	printf '%s %s\n' "$p" "$(awk '/VmRSS/ { print $2 }' /proc/$p/status)"
done
