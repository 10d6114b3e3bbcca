#!/bin/sh
#
# NAME
#	fuzz.sh - long libFuzzer runs of the tests/fuzz targets
#
# SYNOPSIS
#	bench/fuzz.sh [RUNS] [TARGET...]
#
# DESCRIPTION
#	Builds the targets (tests/fuzz/build.sh, clang with ASan and UBSan, in
#	build-fuzz/) and runs each for RUNS executions (default 10000000) at
#	nice 19, one after the other, from its seeds and the corpus kept in
#	build-fuzz/fuzz/corpus/NAME.  Prints one line per target: executions,
#	seconds, executions per second, coverage, corpus size, findings.
#	A finding (crash, sanitizer report, failed check, leak, timeout) is
#	saved as build-fuzz/fuzz/crash-*, leak-*, timeout-* and ends the
#	target's run; the exit status is then 1.  Logs: build-fuzz/fuzz/NAME.log.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-10000000}
[ $# -gt 0 ] && shift
B=$ROOT/build-fuzz
"$ROOT/tests/fuzz/build.sh" "$B"
TARGETS=${*:-$(cd "$ROOT/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
rc=0
printf '%-8s %10s %7s %8s %6s %8s %s\n' target runs seconds exec/s cov corpus findings
for t in $TARGETS; do
	mkdir -p "$B/fuzz/corpus/$t"
	start=$(date +%s)
	if nice -n 19 "$B/fuzz/fuzz_$t" -runs="$RUNS" -max_len=4096 -timeout=10 \
	    -print_final_stats=1 -artifact_prefix="$B/fuzz/" \
	    "$B/fuzz/corpus/$t" "$ROOT/tests/fuzz/seeds/$t" >"$B/fuzz/$t.log" 2>&1; then
		found=0
	else
		found=1; rc=1
	fi
	secs=$(( $(date +%s) - start ))
	done_=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$B/fuzz/$t.log" | tail -1 | cut -d' ' -f2)
	corp=$(ls "$B/fuzz/corpus/$t" | wc -l)
	printf '%-8s %10s %7s %8s %6s %8s %s\n' "$t" "${done_:-?}" "$secs" \
		"$(( ${done_:-0} / (secs > 0 ? secs : 1) ))" "${cov:-?}" "$corp" \
		"$( [ $found = 0 ] && echo 0 || echo "1 (see $B/fuzz/$t.log)")"
done
exit $rc
