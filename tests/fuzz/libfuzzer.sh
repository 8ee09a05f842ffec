#!/bin/sh
# Coverage-guided fuzzing with clang's libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer: builds the three targets with the sources
# they reach (instrumented), then runs each for SECONDS over a copy of its
# seeds, in BUILD (default tests/fuzz/libfuzzer-build, git-ignored).
# Crashing inputs are left there as crash-*/oom-*; added to
# tests/fuzz/seeds/TARGET they become tests of make check.
#
#     tests/fuzz/libfuzzer.sh [SECONDS] [BUILD]
#
# Needs clang (Debian: clang) and the build's own dependencies.  Run from
# the top of a configured tree (config.h is read).
set -eu
seconds=${1:-60}
build=${2:-tests/fuzz/libfuzzer-build}
top=$(pwd)
[ -f "$top/config.h" ] || { echo "libfuzzer.sh: run from a configured tree" >&2; exit 2; }
command -v clang >/dev/null || { echo "libfuzzer.sh: needs clang" >&2; exit 2; }
mkdir -p "$build"
cd "$build"
san="-fsanitize=address,undefined"
cflags="-g -O1 -fsanitize=fuzzer-no-link $san -I$top $(pkg-config --cflags icu-uc icu-i18n)"
libs="-fsanitize=fuzzer $san $(pkg-config --libs icu-uc icu-i18n) $(xapian-config --libs) -lz"
objs=""
for src in "$top"/shared/*.c "$top/searcher/query.c" "$top/searcher/arena.c"; do
    o=$(basename "$src" .c).o
    clang $cflags -c "$src" -o "$o"
    objs="$objs $o"
done
clang++ $cflags $(xapian-config --cxxflags) -c "$top/shared/xdb.cc" -o xdb.o
objs="$objs xdb.o"
for t in reader record query; do
    clang $cflags -c "$top/tests/fuzz/fuzz-$t.c" -o "target-$t.o"
    clang++ "target-$t.o" $objs $libs -o "fuzz-$t"
    rm -rf "corpus-$t"
    cp -r "$top/tests/fuzz/seeds/$t" "corpus-$t"
    ./"fuzz-$t" -max_total_time="$seconds" -max_len=8192 "corpus-$t" \
        >"fuzz-$t.log" 2>&1 || echo "libfuzzer.sh: fuzz-$t found a crash, see $build/fuzz-$t.log"
    tail -n 1 "fuzz-$t.log"
done
