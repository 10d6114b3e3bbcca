#!/bin/bash
#
# NAME
#	build.sh - build the libFuzzer targets (clang, ASan, UBSan)
#
# SYNOPSIS
#	tests/fuzz/build.sh [BUILDDIR]
#
# DESCRIPTION
#	Configures BUILDDIR (default: build-fuzz in the checkout) once with
#	clang and -fsanitize=fuzzer-no-link,address,undefined, builds
#	libpostbus.a and libweb.a there, and links each tests/fuzz/fuzz_*.c
#	into BUILDDIR/fuzz/.  Prints nothing but errors.  A target is run as
#	BUILDDIR/fuzz/fuzz_NAME [libFuzzer options] CORPUS_DIR tests/fuzz/seeds/NAME.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$ROOT/build-fuzz}
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
command -v clang >/dev/null || { echo "build.sh: clang is missing (apt-get install clang)" >&2; exit 1; }
mkdir -p "$B/fuzz"
if [ ! -f "$B/Makefile" ]; then
	(cd "$B" && "$ROOT/configure" -q CC=clang \
		CFLAGS="-g -O1 -fno-omit-frame-pointer $SAN") >"$B/fuzz/configure.log" 2>&1 ||
		{ tail -20 "$B/fuzz/configure.log" >&2; exit 1; }
fi
# gcc is the compiler whose warnings the project keeps at zero; clang's
# -Wformat=2 also flags the printf-like wrappers
make -s -C "$B" -j2 WARN_CFLAGS="-Wall -Wextra" libpostbus.a libweb.a >"$B/fuzz/make.log" 2>&1 ||
	{ tail -30 "$B/fuzz/make.log" >&2; exit 1; }
# a list of linker words, split on purpose below
LIBS="$(pkg-config --libs libmariadb libcrypto libxcrypt pwquality libidn2) -lfcgi"
for src in "$ROOT"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	[ "$B/fuzz/$t" -nt "$src" ] && [ "$B/fuzz/$t" -nt "$B/libpostbus.a" ] &&
		[ "$B/fuzz/$t" -nt "$B/libweb.a" ] && continue
	clang -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=undefined -Wall -Wextra -Werror \
		-include "$B/autoconfig.h" -I"$ROOT/lib" -I"$ROOT/cgi-bin" \
		-o "$B/fuzz/$t" "$src" "$B/libweb.a" "$B/libpostbus.a" $LIBS
done
