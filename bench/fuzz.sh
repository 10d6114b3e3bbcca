#!/bin/bash
#
# NAME
#	fuzz.sh - long libFuzzer runs of the tests/fuzz targets
#
# SYNOPSIS
#	[FUZZ_JOBS=N] bench/fuzz.sh [RUNS] [TARGET...]
#
# DESCRIPTION
#	Builds the targets (tests/fuzz/build.sh, clang with ASan and UBSan, in
#	build-fuzz/) and runs each for RUNS executions in all (default
#	10000000) at nice 19, one target after the other: FUZZ_JOBS processes
#	(default 1) of RUNS/FUZZ_JOBS executions each, sharing the corpus kept
#	in build-fuzz/fuzz/corpus/NAME (libFuzzer rereads it, so each process
#	starts from what the others found).  Prints one line per target:
#	executions, seconds, executions per second, coverage, corpus size,
#	findings.  A finding (crash, sanitizer report, failed check, leak,
#	timeout) is saved as build-fuzz/fuzz/crash-*, leak-*, timeout-* and
#	ends that process; the exit status is then 1.  Logs:
#	build-fuzz/fuzz/NAME.N.log.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-10000000}
[ $# -gt 0 ] && shift
JOBS=${FUZZ_JOBS:-1}
B=$ROOT/build-fuzz
"$ROOT/tests/fuzz/build.sh" "$B"
TARGETS=${*:-$(cd "$ROOT/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
rc=0
printf '%-8s %10s %7s %8s %6s %8s %s\n' target runs seconds exec/s cov corpus findings
for t in $TARGETS; do
	mkdir -p "$B/fuzz/corpus/$t"
	start=$(date +%s)
	pids=()
	for j in $(seq "$JOBS"); do
		nice -n 19 "$B/fuzz/fuzz_$t" -runs=$(( RUNS / JOBS )) -max_len=4096 \
		    -timeout=10 -print_final_stats=1 -artifact_prefix="$B/fuzz/" \
		    "$B/fuzz/corpus/$t" "$ROOT/tests/fuzz/seeds/$t" \
		    >"$B/fuzz/$t.$j.log" 2>&1 &
		pids+=($!)
	done
	found=0
	for p in "${pids[@]}"; do wait "$p" || found=$(( found + 1 )); done
	[ $found = 0 ] || rc=1
	secs=$(( $(date +%s) - start ))
	runs=0
	for j in $(seq "$JOBS"); do
		n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/fuzz/$t.$j.log")
		runs=$(( runs + ${n:-0} ))
	done
	cov=$(cat "$B/fuzz/$t".*.log | grep -o 'cov: [0-9]*' | cut -d' ' -f2 | sort -n | tail -1)
	corp=$(ls "$B/fuzz/corpus/$t" | wc -l)
	printf '%-8s %10s %7s %8s %6s %8s %s\n' "$t" "$runs" "$secs" \
		"$(( runs / (secs > 0 ? secs : 1) ))" "${cov:-?}" "$corp" \
		"$( [ $found = 0 ] && echo 0 || echo "$found (see $B/fuzz/$t.*.log)")"
done
exit $rc
