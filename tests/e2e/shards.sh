# Shards built apart (spindex --shard K/N), served by xapian-tcpsrv on
# loopback and searched together through a stub file, rank as one index.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_builddir/tests/e2e/env.sh"

if [ -z "$XAPIAN_TCPSRV" ] || [ ! -x "$XAPIAN_TCPSRV" ]; then
    ok "# SKIP xapian-tcpsrv not installed (Debian package xapian-tools)"
    finish
fi

"$SPINDEX" --db "$tmp/full" "$CORPUS"
for k in 0 1 2; do
    run "$SPINDEX" --db "$tmp/shard$k" --shard "$k/3" "$CORPUS"
    expect_rc 0 "spindex --shard $k/3"
done
total=0
for k in 0 1 2; do
    n=$("$SPINDEX" --db "$tmp/shard$k" --stats | sed -n 's/^articles: //p')
    total=$((total + n))
done
check "the three shards hold the five articles between them" test "$total" -eq 5

servers=
cleanup() {
    for pid in $servers; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# start_server DIR: serves DIR on a free loopback port; sets $port.
start_server() {
    tries=0
    while [ $tries -lt 20 ]; do
        port=$((20000 + $(od -An -N2 -tu2 /dev/urandom) % 30000))
        # Its own session: on SIGTERM xapian-tcpsrv signals its whole
        # process group, which would otherwise include this script.
        setsid "$XAPIAN_TCPSRV" --quiet --interface 127.0.0.1 \
            --port "$port" --timeout 10000 "$1" >/dev/null 2>&1 &
        pid=$!
        sleep 0.3
        if kill -0 "$pid" 2>/dev/null; then
            servers="$servers $pid"
            return 0
        fi
        tries=$((tries + 1))
    done
    return 1
}

: >"$tmp/stub"
for k in 0 1 2; do
    start_server "$tmp/shard$k"
    echo "remote 127.0.0.1:$port" >>"$tmp/stub"
done

# Ties may come in another order: compare score, then path.
ranked() {
    sed -n 's/.*"score":\([0-9.]*\),"path":"\([^"]*\)".*/\1 \2/p' "$tmp/out" |
        sort -k1,1nr -k2,2
}
# (Synonyms are index metadata, which Xapian reads from the first shard
# only: a query with a synonym can rank otherwise, so none is used here.)
for q in space deorbit "cross-flight program" "Russia's" '"space station"' "sanctions -nasa"; do
    run "$SPSEARCH" --db "$tmp/full" --json "$q"
    ranked >"$tmp/one"
    run "$SPSEARCH" --db "$tmp/stub" --json "$q"
    ranked >"$tmp/many"
    check "'$q': three remote shards rank like one index" \
        cmp -s "$tmp/one" "$tmp/many"
done
# More like an article: its words read from its stored text through the
# shards, and searched there.
run "$SPSEARCH" --db "$tmp/full" --json --like "$CORPUS/003_007efc6446bec603.txt"
ranked >"$tmp/one"
head -1 "$tmp/out" >"$tmp/one-words"
run "$SPSEARCH" --db "$tmp/stub" --json --like "$CORPUS/003_007efc6446bec603.txt"
ranked >"$tmp/many"
check "--like through remote shards: the same words, the same ranking" \
    sh -c "test -s '$tmp/one' && cmp -s '$tmp/one' '$tmp/many' &&
           head -1 '$tmp/out' | cmp -s - '$tmp/one-words'"
for q in space "space -diplomatic" "space -cosmo*"; do
    want=$("$SPSEARCH" --db "$tmp/full" -c "$q" || true)
    run "$SPSEARCH" --db "$tmp/stub" -c "$q"
    check "-c '$q': remote shards count like one index ($want)" \
        test "$(cat "$tmp/out")" = "$want"
done
run "$SPSEARCH" --db "$tmp/stub" --color=never "cross-flight program"
check "passages and highlights come from the remote shards" \
    grep -q '\[cross-flight program\]' "$tmp/out"

# A search copy (spindex --compact) has no term lists, through which the
# remote protocol sends a passage's record: the error says to serve the
# index it was made from.
"$SPINDEX" --db "$tmp/full" --compact="$tmp/full-copy"
start_server "$tmp/full-copy"
echo "remote 127.0.0.1:$port" >"$tmp/copy-stub"
run "$SPSEARCH" --db "$tmp/copy-stub" "cross-flight program"
check "a served search copy: spsearch fails, saying to serve the original" \
    sh -c "test $rc -ne 0 && grep -q 'serve the index it was made from' '$tmp/err'"

# Many passages, compressed against the built-in dictionary, come out of
# remote shards whole and scored as by one index.  Ten copies of the
# corpus, each article under another title, make ~220 KB.
mkdir -p "$tmp/big"
for c in 0 1 2 3 4 5 6 7 8 9; do
    for f in "$CORPUS"/*.txt; do
        { printf 'Copy %s: ' "$c"; cat "$f"; } \
            >"$tmp/big/$c-$(basename "$f")"
    done
done
"$SPINDEX" --db "$tmp/bigfull" "$tmp/big"
: >"$tmp/bigstub"
for k in 0 1 2; do
    run "$SPINDEX" --db "$tmp/bigshard$k" --shard "$k/3" "$tmp/big"
    expect_rc 0 "spindex --shard $k/3 of the larger corpus"
    start_server "$tmp/bigshard$k"
    echo "remote 127.0.0.1:$port" >>"$tmp/bigstub"
done
# Every passage of the corpus with its score, as one index and through
# the shards (a copy among ties may fold into another of them, so each
# is shown).
passages() {
    sed -n 's/.*"score":\([0-9.]*\),"path":"[^"]*\/\([^"/]*\)".*"passage":\(.*\)$/\1 \2 \3/p' \
        "$tmp/out" | sort
}
for q in "cross-flight program" Roscosmos "the"; do
    run "$SPSEARCH" --db "$tmp/bigfull" --json --duplicates --passages -n 1000 \
        "$q"
    passages >"$tmp/one"
    run "$SPSEARCH" --db "$tmp/bigstub" --json --duplicates --passages -n 1000 \
        "$q"
    expect_rc 0 "'$q' through the shards"
    passages >"$tmp/many"
    check "'$q': the shards' passages and scores are the one index's" \
        cmp -s "$tmp/one" "$tmp/many"
done
check "the passages compared are many" \
    test "$(wc -l <"$tmp/one")" -gt 100
# And a passage's text is the file's text.
run "$SPSEARCH" --db "$tmp/bigstub" --json -n 1 '"Copy 7: Space Diplomacy in Action"'
expect_rc 0 "a phrase of one article through the shards"
check "a compressed passage reads as its file" \
    grep -q '"path":"[^"]*/7-000_d9a4be1c3b1e15b8.txt".*"text":"Copy 7: Space Diplomacy in Action: Roscosmos and NASA' \
    "$tmp/out"

# A handle kept open on a served shard finds what is indexed into the
# shard after it was opened: each search asks the server to catch up.
mkdir "$tmp/live"
cp "$CORPUS"/*.txt "$tmp/live/"
"$SPINDEX" --db "$tmp/liveidx" "$tmp/live"
start_server "$tmp/liveidx"
echo "remote 127.0.0.1:$port" >"$tmp/livestub"
mkfifo "$tmp/ask" "$tmp/answer"
"$top_builddir/tests/e2e/searchd" "$tmp/livestub" <"$tmp/ask" >"$tmp/answer" &
searchd=$!
exec 5>"$tmp/ask" 6<"$tmp/answer"
echo zanzibarite >&5
read -r before <&6 || before="(no answer)"
printf 'Zanzibarite found\n\nA zanzibarite mine opens.\n' >"$tmp/live/z.txt"
"$SPINDEX" --db "$tmp/liveidx" "$tmp/live"
echo zanzibarite >&5
read -r after <&6 || after="(no answer)"
exec 5>&-
wait "$searchd" || true
exec 6<&-
check "an open handle on a served shard: nothing before the file is indexed" \
    test "$before" = "0 hits:"
check "an open handle on a served shard: the file indexed since is found" \
    test "$after" = "1 hits: $tmp/live/z.txt"

cleanup
servers=
run "$SPSEARCH" --db "$tmp/stub" space
expect_rc 2 "shards that are down"
check "shards that are down: the message says so" grep -q "^spsearch: " "$tmp/err"

finish
