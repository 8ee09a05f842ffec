# Out of memory in the library: each allocation of a set of searches (and
# of opening the index) made to fail in turn by tests/api/nomem, which
# replaces malloc.  Every call answers OK or SPSEARCH_NOMEM with a message,
# the handle then finds what it found before, and nothing is left behind.
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
check "every failure answered OK or out of memory, left the handle searching as before and no memory behind" \
    test "$rc" -eq 0
sed -n 's/^not ok - /#   /p' "$tmp/out"
sed 's/^/#   stderr: /' "$tmp/err" | head -n 20
finish
