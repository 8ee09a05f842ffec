# A thousand queries through one library handle, under valgrind: no leak,
# no invalid read or write.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_builddir/tests/e2e/env.sh"

if [ -n "$SANITIZE_FLAGS" ]; then
    ok "# SKIP built with sanitizers, which valgrind cannot run"
    finish
fi
if ! command -v valgrind >/dev/null 2>&1; then
    ok "# SKIP valgrind not installed (Debian package valgrind)"
    finish
fi

"$SPINDEX" --db "$tmp/idx" "$CORPUS" >/dev/null
run env GLIBCXX_FORCE_NEW=1 "$top_builddir/libtool" --mode=execute \
    valgrind -q --error-exitcode=3 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect \
    --suppressions="$top_srcdir/tests/valgrind.supp" \
    "$top_builddir/tests/api/queries" "$tmp/idx" 45
check "1,035 queries ran and found hits" grep -q "^1035 queries" "$tmp/out"
if [ "$rc" -eq 0 ]; then
    ok "valgrind: no leaks and no memory errors"
else
    not_ok "valgrind: no leaks and no memory errors (exit $rc)"
    sed 's/^/#   /' "$tmp/err" | head -n 60
fi

finish
