# A thousand queries through one library handle, and a handle kept open
# while the index changes under it, under valgrind: no leak, no invalid
# read or write.
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
# The reader's fixtures too (their bad lines are skipped): hits of JSON
# Lines, TREC and HTML articles carry ids, URLs, authors and sources; and
# a copy of an article, folded into its hits.
mkdir "$tmp/copies"
cp "$CORPUS/003_007efc6446bec603.txt" "$tmp/copies/reprint.txt"
"$SPINDEX" --db "$tmp/idx" "$CORPUS" "$top_srcdir/tests/fixtures/reader" \
    "$tmp/copies" >/dev/null 2>&1 || true
run env GLIBCXX_FORCE_NEW=1 "$top_builddir/libtool" --mode=execute \
    valgrind -q --error-exitcode=3 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect \
    --suppressions="$top_srcdir/tests/valgrind.supp" \
    "$top_builddir/tests/api/queries" "$tmp/idx" 45
check "1,215 queries ran and found hits" grep -q "^1215 queries" "$tmp/out"
check "...hits with copies, and articles like some" \
    sh -c "! grep -q ', 0 copies' '$tmp/out' && grep -q ' copies, ' '$tmp/out' &&
           ! grep -q ', 0 like' '$tmp/out' && grep -q ' like$' '$tmp/out'"
if [ "$rc" -eq 0 ]; then
    ok "valgrind: no leaks and no memory errors"
else
    not_ok "valgrind: no leaks and no memory errors (exit $rc)"
    sed 's/^/#   /' "$tmp/err" | head -n 60
fi

# A handle kept open while the index is updated, then deleted and built
# anew under it (the handle opens the new folder).
mkdir "$tmp/corpus"
cp "$CORPUS"/*.txt "$tmp/corpus/"
"$SPINDEX" --db "$tmp/live" "$tmp/corpus" >/dev/null
mkfifo "$tmp/ask" "$tmp/answer"
env GLIBCXX_FORCE_NEW=1 "$top_builddir/libtool" --mode=execute \
    valgrind -q --error-exitcode=3 --leak-check=full \
    --errors-for-leak-kinds=definite,indirect \
    --suppressions="$top_srcdir/tests/valgrind.supp" \
    "$top_builddir/tests/e2e/searchd" "$tmp/live" \
    <"$tmp/ask" >"$tmp/answer" 2>"$tmp/searchd.err" &
searchd=$!
exec 5>"$tmp/ask" 6<"$tmp/answer"
answers=
for step in first added rebuilt; do
    case $step in
    added)
        printf 'Zanzibarite\n\nA zanzibarite find.\n' >"$tmp/corpus/z.txt"
        "$SPINDEX" --db "$tmp/live" "$tmp/corpus" >/dev/null ;;
    rebuilt)
        rm -r "$tmp/live"
        "$SPINDEX" --db "$tmp/live" "$tmp/corpus" >/dev/null ;;
    esac
    echo zanzibarite >&5
    read -r answer <&6 || answer="(no answer)"
    answers="$answers${answers:+ / }${answer%%:*}"
done
exec 5>&-
set +e
wait "$searchd"
rc=$?
set -e
exec 6<&-
check "an open handle, updated and rebuilt under: 0, 1 and 1 hits" \
    test "$answers" = "0 hits / 1 hits / 1 hits"
if [ "$rc" -eq 0 ]; then
    ok "valgrind, a handle updated and rebuilt under: no leaks and no memory errors"
else
    not_ok "valgrind, a handle updated and rebuilt under: no leaks and no memory errors (exit $rc)"
    sed 's/^/#   /' "$tmp/searchd.err" | head -n 60
fi

finish
