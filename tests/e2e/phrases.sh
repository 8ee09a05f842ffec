# Every sentence of every bundled article, quoted as a phrase, returns its
# article in the first place: what is indexed is what is searched.
. "$top_srcdir/tests/e2e/lib.sh"

"$SPINDEX" --db "$tmp/idx" "$CORPUS" >/dev/null
# The TAP comes from the program; this script adds nothing of its own.
set +e
"$top_builddir/tests/api/phrases" "$tmp/idx" "$CORPUS"/*.txt
rc=$?
set -e
[ "$rc" -eq 0 ] && rm -rf "$tmp"
exit 0
