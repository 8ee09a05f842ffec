# Running spindex again: unchanged files are left alone, changed files
# updated, deleted files removed, and nothing is duplicated.
. "$top_srcdir/tests/e2e/lib.sh"

db="$tmp/idx"
mkdir "$tmp/corpus"
cp "$CORPUS"/*.txt "$tmp/corpus/"
run "$SPINDEX" --db "$db" "$tmp/corpus"
expect_rc 0 "first run"
"$SPINDEX" --db "$db" --stats | grep -v '^updated\|^index' >"$tmp/stats1"
check "5 articles" grep -q '^articles: 5$' "$tmp/stats1"

run "$SPINDEX" --db "$db" -v "$tmp/corpus"
expect_rc 0 "second run"
check "second run: every file unchanged" \
    test "$(grep -c '^unchanged ' "$tmp/out")" -eq 5
"$SPINDEX" --db "$db" --stats | grep -v '^updated\|^index' >"$tmp/stats2"
check "second run: same articles, passages and terms" cmp -s "$tmp/stats1" "$tmp/stats2"

# A changed file is indexed again, and its old text is gone.
sed 's/cross-flight program/crew exchange arrangement/' \
    "$tmp/corpus/003_007efc6446bec603.txt" >"$tmp/new"
mv "$tmp/new" "$tmp/corpus/003_007efc6446bec603.txt"
run "$SPINDEX" --db "$db" -v "$tmp/corpus"
check "a changed file is updated" grep -q "^updated .*003_007efc6446bec603.txt" "$tmp/out"
run "$SPSEARCH" --db "$db" "crew exchange arrangement"
expect_rc 0 "the new text is found"
run "$SPSEARCH" --db "$db" --json '"cross-flight program"'
check "the old text is gone from every passage" \
    sh -c "! grep -q 'cross-flight program' '$tmp/out'"

# A file restored with other bytes and an older mtime (cp -p, tar x) is
# indexed again: states are compared for equality, not "newer than".
printf 'Restored from backup\n\nAn older version of this article.\n' \
    >"$tmp/corpus/000_d9a4be1c3b1e15b8.txt"
touch -d '2001-01-01' "$tmp/corpus/000_d9a4be1c3b1e15b8.txt"
run "$SPINDEX" --db "$db" -v "$tmp/corpus"
check "a file with an older mtime is indexed again" \
    grep -q "^updated .*000_d9a4be1c3b1e15b8.txt" "$tmp/out"

# A renamed file: the old name's article goes, the new name's comes.
mv "$tmp/corpus/000_d9a4be1c3b1e15b8.txt" "$tmp/corpus/renamed.txt"
run "$SPINDEX" --db "$db" -v "$tmp/corpus"
check "a renamed file: its old path is removed" \
    grep -q "^removed .*000_d9a4be1c3b1e15b8.txt" "$tmp/out"
check "a renamed file: its new path is added" \
    grep -q "^added .*renamed.txt" "$tmp/out"
check "a renamed file: still 5 articles" \
    sh -c "'$SPINDEX' --db '$db' --stats | grep -q '^articles: 5$'"
run "$SPSEARCH" --db "$db" -l "older version"
check "a renamed file: found under its new name" \
    test "$(sed 's|.*/||' "$tmp/out")" = renamed.txt

# A deleted file is removed; a second folder does not prune the first.
rm "$tmp/corpus/001_37ff818fd7faee62.txt"
run "$SPINDEX" --db "$db" -v "$tmp/corpus"
check "a deleted file is removed" grep -q "^removed .*001_37ff818fd7faee62.txt" "$tmp/out"
check "4 articles after the removal" \
    sh -c "'$SPINDEX' --db '$db' --stats | grep -q '^articles: 4$'"
mkdir "$tmp/other"
cp "$CORPUS/001_37ff818fd7faee62.txt" "$tmp/other/"
run "$SPINDEX" --db "$db" -v "$tmp/other"
check "indexing a second folder adds to the index" \
    sh -c "'$SPINDEX' --db '$db' --stats | grep -q '^articles: 5$'"
check "indexing a second folder removes nothing from the first" \
    sh -c "! grep -q '^removed' '$tmp/out'"

# Touched but not changed: the bytes are the same, nothing is re-indexed.
touch "$tmp/corpus/002_99863aae14a88d0b.txt"
run "$SPINDEX" --db "$db" -v "$tmp/corpus"
check "a touched file with the same bytes is not indexed again" \
    grep -q "^unchanged .*002_99863aae14a88d0b.txt" "$tmp/out"

# --dry-run says what would change and changes nothing.
echo "A late correction about the orbital outpost." >>"$tmp/corpus/004_2e1e28aae998c8dd.txt"
rm "$tmp/corpus/003_007efc6446bec603.txt"
"$SPINDEX" --db "$db" --stats | grep -v '^index' >"$tmp/before"
run "$SPINDEX" --db "$db" --dry-run -v "$tmp/corpus"
expect_rc 0 "--dry-run"
check "--dry-run: would update the changed file" \
    grep -q "^would update .*004_2e1e28aae998c8dd.txt" "$tmp/out"
check "--dry-run: would remove the deleted file" \
    grep -q "^would remove .*003_007efc6446bec603.txt" "$tmp/out"
"$SPINDEX" --db "$db" --stats | grep -v '^index' >"$tmp/after"
check "--dry-run: the index is unchanged" cmp -s "$tmp/before" "$tmp/after"

# --no-prune keeps the articles of deleted files.
run "$SPINDEX" --db "$db" --no-prune -v "$tmp/corpus"
check "--no-prune: nothing removed" sh -c "! grep -q '^removed' '$tmp/out'"
run "$SPSEARCH" --db "$db" "crew exchange arrangement"
expect_rc 0 "--no-prune: the deleted file's article is still found"

# --compact writes a copy that searches the same.
run "$SPINDEX" --db "$db" --compact "$tmp/compact"
expect_rc 0 "--compact"
"$SPSEARCH" --db "$db" --json orbital >"$tmp/a" || true
"$SPSEARCH" --db "$tmp/compact" --json orbital >"$tmp/b" || true
check "--compact: the copy answers like the original" cmp -s "$tmp/a" "$tmp/b"
# Xapian's own compaction of the index keeps the term lists.
xapian-compact "$db" "$tmp/xapian-compact" >/dev/null
check "--compact: the copy, without term lists, is smaller than Xapian's compaction" \
    test "$(du -sb "$tmp/compact" | cut -f1)" -lt \
        "$(du -sb "$tmp/xapian-compact" | cut -f1)"
"$SPSEARCH" --db "$db" --explain "orbital module" | grep 'why:' >"$tmp/a"
"$SPSEARCH" --db "$tmp/compact" --explain "orbital module" | grep 'why:' >"$tmp/b"
check "--compact: --explain on the copy counts the words like the original" \
    sh -c "test -s '$tmp/a' && cmp -s '$tmp/a' '$tmp/b'"
# The copy cannot be updated: spindex says so and leaves it as it was.
"$SPINDEX" --db "$tmp/compact" --stats | grep -v '^index' >"$tmp/before"
for mode in --verbose --dry-run; do
    run "$SPINDEX" --db "$tmp/compact" $mode "$tmp/corpus"
    expect_rc 2 "--compact: spindex $mode refuses to write to the copy"
    check "--compact: ...saying it is a search copy (spindex $mode)" \
        grep -q "is a search copy written by spindex --compact" "$tmp/err"
done
"$SPINDEX" --db "$tmp/compact" --stats | grep -v '^index' >"$tmp/after"
check "--compact: the copy is unchanged" cmp -s "$tmp/before" "$tmp/after"
# A copy of an empty index has no document to tell it by.
mkdir "$tmp/empty"
"$SPINDEX" -q --db "$tmp/empty-idx" "$tmp/empty"
"$SPINDEX" --db "$tmp/empty-idx" --compact="$tmp/empty-copy"
run "$SPINDEX" --db "$tmp/empty-copy" "$tmp/corpus"
check "--compact: a copy of an empty index is refused as a search copy too" \
    sh -c "test $rc -eq 2 && grep -q 'is a search copy' '$tmp/err'"

# --full rebuilds beside the index and swaps it in: only what is under
# the roots of this run remains, and nothing is left beside it.
run "$SPINDEX" --db "$db" --full "$tmp/other"
expect_rc 0 "--full"
check "--full: the rebuilt index holds only this run's articles" \
    sh -c "'$SPINDEX' --db '$db' --stats | grep -q '^articles: 1$'"
check "--full: no rebuild folder is left beside the index" \
    test -z "$(ls -d "$db".* 2>/dev/null)"
run "$SPSEARCH" --db "$db" --json Roscosmos
expect_rc 0 "--full: the new index searches"

# indexing_until_articles ERR DB ARGS...: starts spindex --db DB ARGS in
# the background, stderr into ERR, its pid in pid, and waits (30 s at
# most) until DB has committed articles.
indexing_until_articles() {
    err=$1
    shift
    "$SPINDEX" --db "$@" >/dev/null 2>"$err" &
    pid=$!
    i=0
    until "$SPINDEX" --db "$1" --stats 2>/dev/null |
        grep -q '^articles: [1-9]'; do
        sleep 0.05
        i=$((i + 1))
        [ $i -lt 600 ] || break
    done
}

# term_and_wait PID: SIGTERM to PID, then its exit status in rc.
term_and_wait() {
    kill -TERM "$1" 2>/dev/null || true
    set +e
    wait "$1"
    rc=$?
    set -e
}

# Killed at any moment: the index opens, searches, and the next run
# brings it up to date.  Many small files and small batches, so that the
# kill lands between commits.
big="$tmp/big"
mkdir "$big"
i=0
while [ $i -lt 1200 ]; do
    d="$big/$((i / 100))"
    mkdir -p "$d"
    cp "$CORPUS/003_007efc6446bec603.txt" "$d/a$i.txt"
    i=$((i + 1))
done
kdb="$tmp/killed"
indexing_until_articles /dev/null "$kdb" --batch 1 "$big"
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
run "$SPSEARCH" --db "$kdb" --json "cross-flight program"
expect_rc 0 "after SIGKILL: the index opens and finds what was committed"
run "$SPINDEX" --db "$kdb" "$big"
expect_rc 0 "after SIGKILL: the next run completes"
check "after SIGKILL: the next run brings the index up to date" \
    sh -c "'$SPINDEX' --db '$kdb' --stats | grep -q '^articles: 1200$'"

# SIGTERM: commits what is done, says so, exits 1.
tdb="$tmp/termed"
indexing_until_articles "$tmp/term.err" "$tdb" --batch 1 "$big"
term_and_wait "$pid"
check "SIGTERM: spindex exits 1 (or 0 if it had just finished)" \
    test "$rc" -eq 1 -o "$rc" -eq 0
if [ "$rc" -eq 1 ]; then
    check "SIGTERM: says it was interrupted" grep -q interrupted "$tmp/term.err"
fi
run "$SPSEARCH" --db "$tdb" --json "cross-flight program"
expect_rc 0 "after SIGTERM: the index searches"

# One JSON Lines file of 6.9 MB, the whole archive, indexed in place (one
# process, as updates are): its batches are committed as they fill, so its first articles are searchable while the
# rest is read.  Killed then, the next run indexes the file again without
# keeping a second copy of what was committed.
feed="$tmp/feed"
mkdir "$feed"
jsonl_of 300 "$feed/archive.jsonl"
clean="$tmp/feed-clean"
"$SPINDEX" --db "$clean" -q "$feed"
clean_stats=$("$SPINDEX" --db "$clean" --stats | grep -E '^(articles|passages):')
fdb="$tmp/feed-killed"
indexing_until_articles /dev/null "$fdb" --jobs 1 --batch 1 "$feed"
check "one big JSON Lines file: its first articles are committed before its end" \
    kill -0 "$pid"
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
run "$SPINDEX" --db "$fdb" "$feed"
expect_rc 0 "after SIGKILL within a file: the next run completes"
check "...with each article once, as a clean build has them" \
    test "$("$SPINDEX" --db "$fdb" --stats | grep -E '^(articles|passages):')" = "$clean_stats"

# SIGTERM within the file: spindex stops after the article it is on, not at
# the end of the file, and the next run finishes it.
fdb="$tmp/feed-termed"
indexing_until_articles "$tmp/term.err" "$fdb" --jobs 1 --batch 1 "$feed"
term_and_wait "$pid"
check "SIGTERM within a JSON Lines file: exits 1, interrupted" \
    sh -c "test $rc -eq 1 && grep -q interrupted '$tmp/term.err'"
check "...before the end of the file (fewer than its 1500 articles)" \
    sh -c "! '$SPINDEX' --db '$fdb' --stats | grep -q '^articles: 1500$'"
run "$SPINDEX" --db "$fdb" "$feed"
expect_rc 0 "after SIGTERM within a file: the next run completes"
check "...with each article once, as a clean build has them" \
    test "$("$SPINDEX" --db "$fdb" --stats | grep -E '^(articles|passages):')" = "$clean_stats"

# A corrected article keeps its place: its new passages take the places of
# its old ones, so among equal scores it stays where it was first indexed,
# and here the updated index answers as a fresh build of the same files.
up="$tmp/upd"
mkdir "$up"
zebra='The zebra crossing on Main Street opened today, the first of the six that the city promised.'
council='Council members praised its design at their meeting, and asked for a second one by the school.'
printf 'Zebra crossing\n\n%s\n\n%s\n' "$zebra" "$council" >"$up/a.txt"
cp "$up/a.txt" "$up/b.txt"
"$SPINDEX" --db "$tmp/upd-db" -q "$up"
# same_as_fresh DESCRIPTION: the updated index and a fresh build of $up
# hold the same articles and passages and list the same hits for QUERY.
same_as_fresh() {
    rm -rf "$tmp/upd-fresh"
    "$SPINDEX" --db "$tmp/upd-fresh" -q "$up"
    for d in upd-db upd-fresh; do
        "$SPINDEX" --db "$tmp/$d" --stats | grep -E '^(articles|passages):'
        "$SPSEARCH" --db "$tmp/$d" --files zebra || true
        "$SPSEARCH" --db "$tmp/$d" --files council || true
        "$SPSEARCH" --db "$tmp/$d" --files correction || true
    done >"$tmp/upd-both"
    n=$(($(wc -l <"$tmp/upd-both") / 2))
    head -n "$n" "$tmp/upd-both" >"$tmp/upd-1"
    tail -n "$n" "$tmp/upd-both" >"$tmp/upd-2"
    check "$1" cmp -s "$tmp/upd-1" "$tmp/upd-2"
}
printf '\nCorrection: the crossing opened on Monday.\n' >>"$up/a.txt"
run "$SPINDEX" --db "$tmp/upd-db" "$up"
expect_rc 0 "a corrected article is updated"
run "$SPSEARCH" --db "$tmp/upd-db" --files zebra
check "...and still ranks before its equal twin, as when first indexed" \
    test "$(head -n 1 "$tmp/out")" = "$up/a.txt"
same_as_fresh "...and the index answers as a fresh build does"
# Fewer passages than before: the ones left over go.
printf 'Zebra crossing\n\n%s\n' "$zebra" >"$up/b.txt"
"$SPINDEX" --db "$tmp/upd-db" -q "$up"
run "$SPSEARCH" --db "$tmp/upd-db" --files council
check "a shortened article: its removed passage is gone" \
    test "$(cat "$tmp/out")" = "$up/a.txt"
same_as_fresh "...and the index answers as a fresh build does"
# More passages than before: the new ones are added.
printf 'Zebra crossing\n\n%s\n\n%s\n\n%s\n' "$zebra" "$council" \
    'A correction followed: the second crossing will be by the park, not by the school.' >"$up/b.txt"
"$SPINDEX" --db "$tmp/upd-db" -q "$up"
same_as_fresh "a longer article: its new passages are found, none twice"
# Damaged on update (a gzip cut short): the articles read before the
# damage replace the file's old ones, and the rest of the old ones go, as
# a fresh build of the damaged file has it.
dmg="$tmp/dmg"
mkdir "$dmg"
jsonl_of 20 "$tmp/feed.jsonl"
gzip -c "$tmp/feed.jsonl" >"$dmg/feed.jsonl.gz"
"$SPINDEX" --db "$tmp/dmg-db" -q "$dmg"
sed '1s/"body":"/"body":"Zeppelin sighted. /' "$tmp/feed.jsonl" | gzip -c >"$tmp/cut.gz"
head -c $(($(wc -c <"$tmp/cut.gz") * 2 / 5)) "$tmp/cut.gz" >"$dmg/feed.jsonl.gz"
run "$SPINDEX" --db "$tmp/dmg-db" "$dmg"
expect_rc 1 "a file damaged since its last run is reported"
run "$SPSEARCH" --db "$tmp/dmg-db" --count zeppelin
check "...its articles before the damage are the new ones" test "$(cat "$tmp/out")" = 1
"$SPINDEX" --db "$tmp/dmg-fresh" -q "$dmg" 2>/dev/null || true
check "...and its old articles after the damage are gone, as in a fresh build" \
    test "$("$SPINDEX" --db "$tmp/dmg-db" --stats | grep -E '^(articles|passages):')" = \
    "$("$SPINDEX" --db "$tmp/dmg-fresh" --stats | grep -E '^(articles|passages):')"
finish
