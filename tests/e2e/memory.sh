#!/bin/sh
# spindex --memory: bad values are usage errors, a good one indexes, and
# it sets the batch unless --batch is given.  How much memory a run takes
# is bench/'s business: nothing here measures it.
. "$top_srcdir/tests/e2e/lib.sh"

run "$SPINDEX" --help
check "--help lists --memory with its default" \
    grep -q '^ *--memory=MB .*(512)' "$tmp/out"

# The floor is read from the message, so that retuning the model does not
# touch this test.
run "$SPINDEX" --db "$tmp/zero" --memory=0 "$CORPUS"
expect_rc 2 "--memory=0"
check "--memory=0: the message says how much is needed" \
    grep -q "^spindex: --memory=0: at least [1-9][0-9]* MB are needed$" \
    "$tmp/err"
check "--memory=0: suggests --help" grep -q "^Try 'spindex --help'.$" "$tmp/err"
check "--memory=0: two lines on stderr" test "$(wc -l <"$tmp/err")" -eq 2
check "--memory=0: nothing on stdout" test ! -s "$tmp/out"
check "--memory=0: no index is made" test ! -e "$tmp/zero"
floor=$(sed -n 's/.* at least \([0-9]*\) MB are needed$/\1/p' "$tmp/err")
floor=${floor:-44}

run "$SPINDEX" --db "$tmp/under" --memory=$((floor - 1)) "$CORPUS"
expect_rc 2 "--memory just below the floor"
check "--memory just below the floor: the message names the value" \
    grep -q "^spindex: --memory=$((floor - 1)): at least $floor MB are needed$" \
    "$tmp/err"
check "--memory just below the floor: no index is made" test ! -e "$tmp/under"

for bad in abc 12x -5 '' 99999999999999999999999; do
    run "$SPINDEX" --db "$tmp/bad" --memory="$bad" "$CORPUS"
    expect_rc 2 "--memory='$bad'"
    check "--memory='$bad': says it wants a number" \
        grep -q "^spindex: --memory wants a number, not '$bad'$" "$tmp/err"
done
check "bad --memory values make no index" test ! -e "$tmp/bad"

# The floor itself is enough, and the index searches as usual.
db="$tmp/idx"
run "$SPINDEX" --db "$db" --memory="$floor" "$CORPUS"
expect_rc 0 "--memory=$floor indexes the bundled corpus"
run "$SPSEARCH" --db "$db" --json "cross-flight program"
expect_rc 0 "--memory=$floor: the index finds cross-flight program"
golden cross-flight.json "--memory=$floor: the same hit as the default batch"
run "$SPINDEX" --db "$tmp/both" --memory=4096 --batch=1 "$CORPUS"
expect_rc 0 "--memory with --batch"
run "$SPSEARCH" --db "$tmp/both" --json deorbit
expect_rc 0 "--memory with --batch: the index finds deorbit"

# --memory sets the batch: at the floor, a corpus of a few MB of text is
# committed in several batches (each a Xapian revision); with --batch, in
# one.
if ! command -v xapian-delve >/dev/null 2>&1; then
    ok "# SKIP xapian-delve not installed"
    ok "# SKIP xapian-delve not installed"
    ok "# SKIP xapian-delve not installed"
    ok "# SKIP xapian-delve not installed"
    finish
fi
big="$tmp/big"
i=0
while [ $i -lt 100 ]; do
    mkdir -p "$big/$i"
    cp "$CORPUS"/*.txt "$big/$i/"
    i=$((i + 1))
done
revision() {
    xapian-delve "$1" | sed -n 's/^revision = //p'
}
run "$SPINDEX" --db "$tmp/small-batches" --memory="$floor" "$big"
expect_rc 0 "--memory=$floor indexes 2 MB of text"
run "$SPINDEX" --db "$tmp/one-batch" --memory="$floor" --batch=64 "$big"
expect_rc 0 "--memory=$floor --batch=64 indexes 2 MB of text"
small=$(revision "$tmp/small-batches")
one=$(revision "$tmp/one-batch")
if [ -n "$small" ] && [ -n "$one" ] && [ "$small" -gt "$one" ]; then
    ok "--memory=$floor commits more often than --batch=64 (revision $small > $one)"
else
    not_ok "--memory=$floor commits more often than --batch=64 (revision '$small', '$one')"
fi
check "both hold every article" sh -c \
    "'$SPINDEX' --db '$tmp/small-batches' --stats | grep -q '^articles: 500$' &&
     '$SPINDEX' --db '$tmp/one-batch' --stats | grep -q '^articles: 500$'"

# The same text as one JSON Lines file: the batch ends within the file, so
# that an archive in one file is not held in memory whole (in one
# process; see jobs.sh for a new index built by two).  At --batch=1
# the 2.3 MB are committed after each MB, two commits more than in one
# batch; a commit only at the file's end would be one more.
jsonl_of 100 "$tmp/feed.jsonl"
run "$SPINDEX" --db "$tmp/feed-batches" --jobs 1 --batch=1 "$tmp/feed.jsonl"
expect_rc 0 "--batch=1 indexes one JSON Lines file of 2.3 MB"
run "$SPINDEX" --db "$tmp/feed-one" --jobs 1 --batch=64 "$tmp/feed.jsonl"
small=$(revision "$tmp/feed-batches")
one=$(revision "$tmp/feed-one")
check "one JSON Lines file is committed within, batch by batch (revision '$small', '$one' in one batch)" \
    test "${small:-0}" -ge $((${one:-99} + 2))
check "...and both hold every article of it" sh -c \
    "'$SPINDEX' --db '$tmp/feed-batches' --stats | grep -q '^articles: 500$' &&
     '$SPINDEX' --db '$tmp/feed-one' --stats | grep -q '^articles: 500$'"

finish
