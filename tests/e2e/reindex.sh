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
run "$SPSEARCH" --db "$db" '"cross-flight program"'
expect_rc 1 "the old text is gone"

# A file restored with an older mtime is indexed again too.
touch -d '2001-01-01' "$tmp/corpus/000_d9a4be1c3b1e15b8.txt"
run "$SPINDEX" --db "$db" -v "$tmp/corpus"
check "a file with an older mtime is indexed again" \
    grep -q "^updated .*000_d9a4be1c3b1e15b8.txt" "$tmp/out"

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

finish
