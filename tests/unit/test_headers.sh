#!/bin/sh
#
# NAME
#	test_headers - every lib/*.h compiles on its own
#
# DESCRIPTION
#	Each header is included alone (twice: its guard too) in an empty
#	unit, with only autoconfig.h before it as every unit of the build
#	has, and must compile without a warning: a header includes what its
#	declarations use.  Run by make check; CC from the build.

: "${top_srcdir:=.}"
cc=${CC:-cc}
pre=
[ -f autoconfig.h ] && pre="-include autoconfig.h"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
for h in "$top_srcdir"/lib/*.h; do
	n=$((n + 1))
	b=${h##*/}
	printf '#include "%s"\n#include "%s"\n' "$b" "$b" > "$tmp/h.c"
	# shellcheck disable=SC2086
	if $cc $pre -std=gnu11 -Wall -Wextra -Werror -fsyntax-only \
	    -I"$top_srcdir/lib" "$tmp/h.c" 2> "$tmp/err"; then
		echo "ok $n - $b"
	else
		echo "not ok $n - $b"
		sed 's/^/  /' "$tmp/err"
		failed=$((failed + 1))
	fi
done
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
