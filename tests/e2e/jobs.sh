# A new index built by several processes (spindex --jobs, or by default
# from 2,000 files on) holds and finds exactly what one process builds,
# and later runs update it as any other.
. "$top_srcdir/tests/e2e/lib.sh"

run "$SPINDEX" --db "$tmp/one" --jobs 1 "$CORPUS"
expect_rc 0 "spindex --jobs 1"
run "$SPINDEX" --db "$tmp/two" --jobs 2 "$CORPUS"
expect_rc 0 "spindex --jobs 2"
run "$SPINDEX" --db "$tmp/three" --jobs 3 "$CORPUS"
expect_rc 0 "spindex --jobs 3"
for db in two three; do
    "$SPINDEX" --db "$tmp/one" --stats | sed -n '/^articles\|^passages/p' \
        >"$tmp/one.stats"
    "$SPINDEX" --db "$tmp/$db" --stats | sed -n '/^articles\|^passages/p' \
        >"$tmp/$db.stats"
    check "--jobs ($db): as many articles and passages as one process" \
        cmp -s "$tmp/one.stats" "$tmp/$db.stats"
done
check "the parts and the build folder are gone once merged" \
    sh -c "! ls -d '$tmp'/*.part-* '$tmp'/*.full-* 2>/dev/null | grep -q ."

# Every passage, with its score, as one process indexes it.
passages() {
    sed -n 's/.*"score":\([0-9.]*\),"path":"[^"]*\/\([^"/]*\)".*"passage":\(.*\)$/\1 \2 \3/p' \
        "$tmp/out" | sort
}
for q in space deorbit "cross-flight program" '"space station"' \
    "sanctions -nasa" "title:roscosmos"; do
    run "$SPSEARCH" --db "$tmp/one" --json --passages -n 100 "$q"
    passages >"$tmp/want"
    for db in two three; do
        run "$SPSEARCH" --db "$tmp/$db" --json --passages -n 100 "$q"
        passages >"$tmp/got"
        check "'$q': --jobs ($db) finds the same passages, same scores" \
            cmp -s "$tmp/want" "$tmp/got"
    done
done
check "the passages compared are there" test -s "$tmp/want"

# A later run sees every file as indexed, and then updates as usual.
run "$SPINDEX" --db "$tmp/two" -v "$CORPUS"
expect_rc 0 "a second run over a parallel build"
check "a second run over a parallel build: every file unchanged" \
    test "$(grep -c '^unchanged ' "$tmp/out")" -eq 5
cp -r "$CORPUS" "$tmp/corpus"
printf '\nA correction: the flight was delayed.\n' \
    >>"$tmp/corpus/003_007efc6446bec603.txt"
run "$SPINDEX" --db "$tmp/two" --jobs 2 "$tmp/corpus"
expect_rc 0 "an update of a parallel build (--jobs only builds new ones)"
run "$SPSEARCH" --db "$tmp/two" --json '"the flight was delayed"'
check "the update is found" grep -q 003_007efc6446bec603 "$tmp/out"

# A parallel build killed outright: its builders stop with it, and the
# next run cleans up what they left and builds the index whole.
mkdir -p "$tmp/many"
for c in $(seq 0 199); do
    for f in "$CORPUS"/*.txt; do
        { printf 'Copy %s: ' "$c"; cat "$f"; } >"$tmp/many/$c-$(basename "$f")"
    done
done
"$SPINDEX" --db "$tmp/killed" --jobs 2 -q "$tmp/many" &
pid=$!
i=0
until ls -d "$tmp"/killed.full-*.part-0 >/dev/null 2>&1; do
    sleep 0.02
    i=$((i + 1))
    [ $i -lt 1000 ] || break
done
kill -KILL "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
i=0
while pgrep -f "[s]pindex --db $tmp/killed " >/dev/null 2>&1 && [ $i -lt 1500 ]; do
    sleep 0.02
    i=$((i + 1))
done
check "a killed parallel build takes its builders with it" \
    sh -c "! pgrep -f '[s]pindex --db $tmp/killed ' >/dev/null"
# Stopped, not run to the end: their parts hold less than the corpus.
parted=0
for part in "$tmp"/killed.full-*.part-*; do
    n=$("$SPINDEX" --db "$part" --stats 2>/dev/null |
        sed -n 's/^articles: //p')
    parted=$((parted + ${n:-0}))
done
check "the builders stopped early ($parted of 1000 articles in their parts)" \
    test "$parted" -lt 1000
run "$SPINDEX" --db "$tmp/killed" --jobs 2 -q "$tmp/many"
expect_rc 0 "the run after a killed parallel build"
check "the run after a killed parallel build indexes every article" \
    sh -c "'$SPINDEX' --db '$tmp/killed' --stats | grep -q '^articles: 1000$'"
check "...and leaves nothing of the killed one behind" \
    sh -c "! ls -d '$tmp'/killed.* 2>/dev/null | grep -q ."

# One big JSON Lines file, the whole archive: the builders share it
# article by article, each committing its part as it goes, and the merged
# index holds and finds what one process builds.
jsonl_of 300 "$tmp/feed.jsonl"
"$SPINDEX" --db "$tmp/feed-one" --jobs 1 -q "$tmp/feed.jsonl"
# part_articles J: the articles committed so far to builder J's part.
part_articles() {
    for part in "$tmp"/feed-two.full-*.part-"$1"; do
        "$SPINDEX" --db "$part" --stats 2>/dev/null |
            sed -n 's/^articles: //p'
    done
}
"$SPINDEX" --db "$tmp/feed-two" --batch 1 -q "$tmp/feed.jsonl" &
pid=$!
both=no
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 1500 ]; do
    if [ "$(part_articles 0)" -gt 0 ] 2>/dev/null &&
        [ "$(part_articles 1)" -gt 0 ] 2>/dev/null; then
        both=yes
        break
    fi
    sleep 0.02
    i=$((i + 1))
done
set +e
wait "$pid"
rc=$?
set -e
check "one big JSON Lines file: a build without --jobs runs two builders, both on it" \
    test "$both" = yes
check "...which end well (exit $rc)" test "$rc" -eq 0
for db in feed-one feed-two; do
    "$SPINDEX" --db "$tmp/$db" --stats | sed -n '/^articles\|^passages/p' \
        >"$tmp/$db.stats"
done
check "...with as many articles and passages as one process" \
    cmp -s "$tmp/feed-one.stats" "$tmp/feed-two.stats"
for q in "space station" '"cross-flight program"' deorbit; do
    for db in feed-one feed-two; do
        run "$SPSEARCH" --db "$tmp/$db" --json --duplicates --passages -n 50 \
            "$q"
        passages >"$tmp/$db.got"
    done
    check "'$q': the same passages, same scores as one process" \
        cmp -s "$tmp/feed-one.got" "$tmp/feed-two.got"
done
run "$SPINDEX" --db "$tmp/feed-two" -v "$tmp/feed.jsonl"
check "a second run over it: the file is unchanged" \
    grep -q "^unchanged $tmp/feed.jsonl$" "$tmp/out"

# A bad line in the shared file: reported once, by one builder, with its
# line, and every good article is kept.
{
    sed -n '1,700p' "$tmp/feed.jsonl"
    echo '{"title": broken'
    sed -n '701,$p' "$tmp/feed.jsonl"
} >"$tmp/damaged.jsonl"
run "$SPINDEX" --db "$tmp/damaged" --batch 1 "$tmp/damaged.jsonl"
expect_rc 1 "a shared file with a bad line"
check "...names the line, once" \
    test "$(grep -c "^spindex: $tmp/damaged.jsonl:701: not JSON" "$tmp/err")" -eq 1
check "...and keeps its 1500 good articles" \
    sh -c "'$SPINDEX' --db '$tmp/damaged' --stats | grep -q '^articles: 1500$'"

for bad in 0 9 two; do
    run "$SPINDEX" --db "$tmp/bad" --jobs "$bad" "$CORPUS"
    expect_rc 2 "--jobs $bad is refused"
    check "--jobs $bad: the message says what it wants" \
        grep -q "^spindex: .*jobs" "$tmp/err"
done

finish
