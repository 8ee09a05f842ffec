#!/bin/sh
# Every fuzz target over its seeds, the crash inputs found so far among
# them, then 4,000 changed seeds from a fixed start (the same inputs every
# run): each must run them all without a crash or a broken promise.
set -eu
: "${top_srcdir:?run through make check}" "${top_builddir:?run through make check}"
# A crashing target writes its input to the working directory.
work=$(mktemp -d "${TMPDIR:-/tmp}/spsearch-fuzz.XXXXXX")
cd "$work"
n=0
failed=0
echo "1..3"
for t in reader record query; do
    n=$((n + 1))
    if "$top_builddir/tests/fuzz/fuzz-$t" -runs=4000 -seed=2026 \
        "$top_srcdir/tests/fuzz/seeds/$t" >/dev/null; then
        echo "ok $n - fuzz-$t: every seed and 4,000 changes of them run clean"
    else
        echo "not ok $n - fuzz-$t: a seed crashed or broke a promise (input kept in $work)"
        failed=1
    fi
done
[ "$failed" -eq 1 ] || rm -rf "$work"
