# The README's quick start: spindex corpus, then spsearch, with the
# default index, and the ways to point both programs elsewhere.
. "$top_srcdir/tests/e2e/lib.sh"

run "$SPINDEX" "$CORPUS"
expect_rc 0 "spindex with the default index"
check "the default index is ~/.local/share/spsearch/index" \
    test -d "$HOME/.local/share/spsearch/index"
run "$SPSEARCH" "cross-flight program"
expect_rc 0 "spsearch with the default index"
check "spsearch finds the phrase in the default index" \
    grep -q '\[cross-flight program\]' "$tmp/out"

SPSEARCH_DB="$tmp/env-idx" run "$SPINDEX" "$CORPUS"
check "SPSEARCH_DB chooses the index for spindex" test -d "$tmp/env-idx"
SPSEARCH_DB="$tmp/env-idx" run "$SPSEARCH" --json deorbit
expect_rc 0 "SPSEARCH_DB chooses the index for spsearch"
SPSEARCH_DB="$tmp/env-idx" run "$SPSEARCH" --db "$tmp/none" deorbit
expect_rc 2 "--db wins over SPSEARCH_DB"
XDG_DATA_HOME="$tmp/xdg" run "$SPINDEX" "$CORPUS"
check "XDG_DATA_HOME moves the default index" test -d "$tmp/xdg/spsearch/index"

finish
