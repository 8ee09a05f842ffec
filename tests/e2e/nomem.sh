# Out of memory: each allocation of a set of searches (and of opening the
# index), then each of their reads of the index (EIO), made to fail in
# turn by tests/api/nomem, and each allocation of building and
# updating an index by tests/failmalloc/index-nomem (tests/failmalloc says
# how, and which allocations are spared).  Every search answers OK or
# SPSEARCH_NOMEM with a message and the handle then finds what it found
# before; every build ends OK or out of memory, loses no article indexed
# before and is completed by the next; nothing is left behind.  An
# update's writes fail one by one too (EIO, ENOSPC): SPSEARCH_IO, and the
# last commit intact.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_builddir/tests/e2e/env.sh"

if [ -n "$SANITIZE_FLAGS" ]; then
    ok "# SKIP built with sanitizers, which replace malloc themselves"
    finish
fi

# The bundled articles and a reprint of one, folded as its copy.
mkdir "$tmp/copies"
source="$CORPUS/003_007efc6446bec603.txt"
cp "$source" "$tmp/copies/reprint.txt"
"$SPINDEX" --db "$tmp/idx" "$CORPUS" "$tmp/copies" >/dev/null
# Without glibc's per-thread cache, whose blocks count as in use, the bytes
# in use say exactly whether a failure left memory behind.
run env GLIBC_TUNABLES=glibc.malloc.tcache_count=0 \
    "$top_builddir/libtool" --mode=execute "$top_builddir/tests/api/nomem" \
    "$tmp/idx" "$source"
if [ "$rc" -eq 77 ]; then
    ok "# SKIP $(sed -n 's/^1\.\.0 # SKIP //p' "$tmp/out")"
    finish
fi
grep '^#' "$tmp/out" || true
tried=$(sed -n 's/^# \([0-9]*\) allocations of the searches failed.*: \([0-9]*\) answered out of memory.*/\1 \2/p' "$tmp/out")
check "hundreds of allocations of the searches failed, answered out of memory ($tried)" \
    test "${tried%% *}" -ge 500 -a "${tried#* }" -gt 0
reads=$(sed -n 's/^# \([0-9]*\) reads of the searches failed.*: \([0-9]*\) answered an I\/O error/\1 \2/p' "$tmp/out")
check "hundreds of the searches' reads of the index failed, answered as I/O errors ($reads)" \
    sh -c 'set -- $0; test $# -eq 2 -a "$1" -ge 100 -a "$2" -gt 0' "$reads"
check "every failure answered OK, out of memory or an I/O error, left the handle searching as before and no memory behind" \
    test "$rc" -eq 0
sed -n 's/^not ok - /#   /p' "$tmp/out"
sed 's/^/#   stderr: /' "$tmp/err" | head -n 20

mkdir "$tmp/scratch"
run env GLIBC_TUNABLES=glibc.malloc.tcache_count=0 \
    "$top_builddir/tests/failmalloc/index-nomem" "$tmp/scratch" 10 \
    "$CORPUS" "$top_srcdir/tests/fixtures/reader"
grep '^#' "$tmp/out" || true
builds=$(sed -n 's/^# a[n a-z]*: \([0-9]*\) allocations failed (\([0-9]*\) answered out of memory).*/\1 \2/p' "$tmp/out")
check "hundreds of allocations of new builds and updates failed, answered out of memory ($(echo $builds))" \
    sh -c 'set -- $0; test $# -eq 4 -a "$1" -ge 150 -a "$2" -gt 0 -a "$3" -ge 150 -a "$4" -gt 0' "$builds"
writes=$(sed -n 's/^# an update: \([0-9]*\) writes failed.*, \([0-9]*\) answered an I\/O error.*/\1 \2/p' "$tmp/out")
check "an update's writes failed one by one, answered as I/O errors ($(echo $writes))" \
    sh -c 'set -- $0; test $# -eq 2 -a "$1" -ge 10 -a "$2" -gt 0' "$writes"
check "every failure ended the build OK, out of memory or with an I/O error, lost no article indexed before, left nothing behind" \
    test "$rc" -eq 0
sed -n 's/^not ok - /#   /p' "$tmp/out"
sed 's/^/#   stderr: /' "$tmp/err" | head -n 20
finish
