#!/bin/bash
# bench_page_ab.sh - "Edit Mail Users" page 1 of the 10,000-mailbox domain
# for its owner: this build against an older one (a git revision), on the
# same stack and data, one after the other, wrk -t2 -c16 per run.
#
# Needs a running stack on a throwaway state directory, filled once with
# bench/gen_mailboxes.py, and wrk (apt-get install wrk):
#   POSTBUS_STATE=/tmp/bench ./postbus up
#   POSTBUS_STATE=/tmp/bench bench/gen_mailboxes.py
#   POSTBUS_STATE=/tmp/bench bench/bench_page_ab.sh 6146a9b [rounds] [seconds]
# The older build is made in a temporary worktree and runs with this
# stack's configuration less the keys it does not know yet (OLD_DROP, a
# regular expression of key names) and its own templates.  It runs against
# today's schema: a revision whose statements no longer fit it fails.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "${POSTBUS_STATE:-$ROOT/var}/postbus.env"
REV=${1:?usage: bench_page_ab.sh REVISION [rounds] [seconds]}
ROUNDS=${2:-3}
D=${3:-10}
OLD_DROP=${OLD_DROP:-'imaps_port|pop3s_port|submission_port|submission_starttls_port|policy_[a-z_]*'}
NEW=$(cd "$ROOT" && pwd)/build/postbus.fcgi
ST=$POSTBUS_STATE
tmp=$(mktemp -d)
wt=$tmp/old
cleanup() {
	switch "$NEW" "$POSTBUS_CONF" || :
	git -C "$ROOT" worktree remove --force "$wt" 2>/dev/null || :
	rm -rf "$tmp"
}
sqlq() { mariadb --no-defaults -uroot --socket="$POSTBUS_DB_SOCKET" -N -B postbus -e "$1"; }

# switch BINARY CONF - the panel of the stack runs BINARY from now on
switch() {
	kill "$(cat "$ST/run/postbus.pid")" 2>/dev/null || :
	for _ in $(seq 100); do [ -S "$ST/run/postbus/postbus.sock" ] || break; sleep 0.05; done
	rm -f "$ST/run/postbus/postbus.sock"
	setsid "$1" -c "$2" </dev/null >>"$ST/log/postbus.log" 2>&1 &
	echo $! > "$ST/run/postbus.pid"
	for _ in $(seq 200); do [ -S "$ST/run/postbus/postbus.sock" ] && return 0; sleep 0.05; done
	echo "$1 did not start (see $ST/log/postbus.log)" >&2
	return 1
}

[ -x "$NEW" ] || { echo "build this tree first (./postbus up)" >&2; exit 1; }
did=$(sqlq "SELECT id FROM domains WHERE name = 'bench.example'")
[ -n "$did" ] || { echo "run bench/gen_mailboxes.py first" >&2; exit 1; }

echo "== building $REV in $wt"
git -C "$ROOT" worktree add --detach "$wt" "$REV" >/dev/null
trap cleanup EXIT
(cd "$wt" && autoreconf -fi >/dev/null 2>&1 && mkdir b && cd b &&
	../configure -q >/dev/null && make -s -j2 postbus.fcgi >/dev/null 2>&1) ||
	{ echo "$REV did not build" >&2; exit 1; }
grep -Ev "^($OLD_DROP) *=" "$POSTBUS_CONF" |
	sed "s|^template_dir = .*|template_dir = $wt/templates|" > "$tmp/old.conf"
chmod 640 "$tmp/old.conf"
chgrp "$(stat -c %G "$POSTBUS_CONF")" "$tmp/old.conf"
chmod 755 "$tmp"

# a session for the owner
. "$ROOT/bench/session.sh"
cookie=$(bench_session benchowner Kv8wPz3qLm "$tmp")
[ -n "$cookie" ] || { echo "could not log in as benchowner" >&2; exit 1; }
echo "wrk.headers[\"Cookie\"] = \"$cookie\"" > "$tmp/cookie.lua"
url="${POSTBUS_URL}mailboxes?d=$did"

echo "| build | round | req/s | p50 | p99 | load before |"
echo "|---|---:|---:|---:|---:|---|"
for round in $(seq "$ROUNDS"); do
	for v in new old; do
		if [ $v = new ]; then switch "$NEW" "$POSTBUS_CONF"; name=this
		else switch "$wt/b/postbus.fcgi" "$tmp/old.conf"; name=$REV; fi
		rows=$(curl -sk -b "$cookie" "$url" | grep -c 'name="sel"' || :)
		[ "$rows" -gt 0 ] || { echo "$name: page 1 shows no rows" >&2; exit 1; }
		load=$(cut -d' ' -f1-3 /proc/loadavg)
		wrk -t2 -c16 -d"${D}s" --latency -s "$tmp/cookie.lua" "$url" > "$tmp/w"
		echo "| $name | $round | $(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$tmp/w") |" \
			"$(awk '$1 == "50%" { print $2 }' "$tmp/w") |" \
			"$(awk '$1 == "99%" { print $2 }' "$tmp/w") | $load |"
		if grep -q "Non-2xx" "$tmp/w"; then grep "Non-2xx" "$tmp/w" >&2; exit 1; fi
	done
done
