# A search handle kept open, as a server keeps it, answers from the index
# as every commit leaves it: files added, changed and deleted since it was
# opened, a rebuild swapped in under it, a search copy made again.
. "$top_srcdir/tests/e2e/lib.sh"

db="$tmp/idx"
mkdir "$tmp/corpus"
cp "$CORPUS"/*.txt "$tmp/corpus/"
run "$SPINDEX" --db "$db" "$tmp/corpus"
expect_rc 0 "the first build"

mkfifo "$tmp/ask" "$tmp/answer"
"$top_builddir/tests/e2e/searchd" "$db" <"$tmp/ask" >"$tmp/answer" &
searchd=$!
exec 5>"$tmp/ask" 6<"$tmp/answer"
# ask QUERY: the open handle's one-line answer in $answer.
ask() {
    echo "$1" >&5
    read -r answer <&6 || answer="(searchd gave no answer)"
}
expect_answer() {
    if [ "$answer" = "$1" ]; then
        ok "$2"
    else
        not_ok "$2"
        echo "# got:  $answer"
        echo "# want: $1"
    fi
}

ask zanzibarite
expect_answer "0 hits:" "before the file is added, nothing matches"

printf 'Zanzibarite found\n\nA zanzibarite mine opens.\n' >"$tmp/corpus/z1.txt"
run "$SPINDEX" --db "$db" "$tmp/corpus"
ask zanzibarite
expect_answer "1 hits: $tmp/corpus/z1.txt" \
    "a file indexed after the handle was opened is found by it"

# Two more commits: the revision the handle first read is gone by now.
printf 'More zanzibarite\n\nZanzibarite again.\n' >"$tmp/corpus/z2.txt"
run "$SPINDEX" --db "$db" "$tmp/corpus"
printf 'Tanzanite only\n\nNo other stone.\n' >"$tmp/corpus/z1.txt"
run "$SPINDEX" --db "$db" "$tmp/corpus"
ask zanzibarite
expect_answer "1 hits: $tmp/corpus/z2.txt" \
    "after three commits: the changed file's old text is gone, the new file found"
ask tanzanite
expect_answer "1 hits: $tmp/corpus/z1.txt" "the changed file's new text is found"

rm "$tmp/corpus/z2.txt"
run "$SPINDEX" --db "$db" "$tmp/corpus"
ask zanzibarite
expect_answer "0 hits:" "a deleted file is no longer found"

# The handle reads an index as its format says, also when the format
# changes under it: before format 4 the frequencies did not carry the
# length normalisation, so the same postings labelled format 3 score
# otherwise (see errors.sh).
json_score() { "$SPSEARCH" --db "$db" --json --limit 1 "$1" |
    sed -n '1s/.*"score":\([0-9.]*\).*/\1/p'; }
ask "score tanzanite"
expect_answer "$(json_score tanzanite)" "the open handle scores as a new process"
before=$answer
xapian-metadata set "$db" spsearch.format 3
ask "score tanzanite"
expect_answer "$(json_score tanzanite)" \
    "an index relabelled format 3: the open handle scores as a new process"
check "...which is not the score of format 5" test "$answer" != "$before"

# A rebuild in full (from the index marked with the older format) is
# swapped in for the folder the handle reads.
run "$SPINDEX" --db "$db" "$tmp/corpus"
expect_rc 0 "a rebuild in full"
ask tanzanite
expect_answer "1 hits: $tmp/corpus/z1.txt" "the handle reads the rebuilt index"
ask deorbit
fresh=$("$SPSEARCH" --db "$db" --files --limit 50 deorbit | sort)
expect_answer "$(echo "$fresh" | wc -l) hits: $(echo $fresh)" \
    "the rebuilt index answers on the open handle as in a new process"

# An index deleted and built again from nothing, which may reach the
# revision number the handle last read.
rm -r "$db"
ask tanzanite
case $answer in
"error no index at that path: "*) ok "a deleted index: the open handle says it is gone" ;;
*) not_ok "a deleted index: the open handle says it is gone"; echo "# got: $answer" ;;
esac
printf 'Beryllium\n\nA beryllium find.\n' >"$tmp/corpus/z3.txt"
run "$SPINDEX" --db "$db" "$tmp/corpus"
ask beryllium
expect_answer "1 hits: $tmp/corpus/z3.txt" \
    "an index built anew where the deleted one was: the open handle reads it"

exec 5>&-
wait "$searchd"
exec 6<&-

# A search copy made again (spindex --compact over the last one, which is
# being served) is swapped in whole: the handle open on it finds what was
# indexed since, and nothing is left beside it.
run "$SPINDEX" --db "$db" --compact="$tmp/copy"
expect_rc 0 "a search copy"
"$top_builddir/tests/e2e/searchd" "$tmp/copy" <"$tmp/ask" >"$tmp/answer" &
searchd=$!
exec 5>"$tmp/ask" 6<"$tmp/answer"
ask beryllium
expect_answer "1 hits: $tmp/corpus/z3.txt" "a handle open on the search copy"
printf 'Osmium\n\nAn osmium find.\n' >"$tmp/corpus/z4.txt"
run "$SPINDEX" --db "$db" "$tmp/corpus"
dead=$(sh -c 'echo $$')
mkdir "$tmp/copy.compact-$dead"
run "$SPINDEX" --db "$db" --compact="$tmp/copy"
expect_rc 0 "the search copy made again while it is open"
ask osmium
expect_answer "1 hits: $tmp/corpus/z4.txt" \
    "the handle open on the search copy finds what was indexed since"
exec 5>&-
wait "$searchd"
exec 6<&-
check "no folder is left beside the copy, nor one a killed run left" \
    test -z "$(ls -d "$tmp/copy".* 2>/dev/null)"

# A handle open on a stub file of local shards sees the stub edited (a
# shard added or taken out) and a listed shard rebuilt under it.
mkdir "$tmp/sa" "$tmp/sb"
printf 'Gallium\n\nA gallium find.\n' >"$tmp/sa/g.txt"
printf 'Indium\n\nAn indium find.\n' >"$tmp/sb/i.txt"
"$SPINDEX" --db "$tmp/shard-a" "$tmp/sa" >/dev/null
"$SPINDEX" --db "$tmp/shard-b" "$tmp/sb" >/dev/null
# A relative path, as Xapian reads it: from the stub's folder.
echo "auto shard-a" >"$tmp/stub"
"$top_builddir/tests/e2e/searchd" "$tmp/stub" <"$tmp/ask" >"$tmp/answer" &
searchd=$!
exec 5>"$tmp/ask" 6<"$tmp/answer"
ask "gallium OR indium"
expect_answer "1 hits: $tmp/sa/g.txt" "a handle open on a stub of one shard"
echo "auto $tmp/shard-b" >>"$tmp/stub"
ask "gallium OR indium"
expect_answer "2 hits: $tmp/sa/g.txt $tmp/sb/i.txt" \
    "a shard added to the stub: the open handle searches it too"
printf 'Hafnium\n\nA hafnium find.\n' >"$tmp/sb/i.txt"
run "$SPINDEX" --db "$tmp/shard-b" --full "$tmp/sb"
expect_rc 0 "a listed shard rebuilt in full"
ask "hafnium OR indium"
expect_answer "1 hits: $tmp/sb/i.txt" \
    "a listed shard rebuilt in full: the open handle reads the new one"
ask "score hafnium"
expect_answer "$("$SPSEARCH" --db "$tmp/stub" --json --limit 1 hafnium |
    sed -n '1s/.*"score":\([0-9.]*\).*/\1/p')" \
    "...and scores as a new process"
rm -r "$tmp/shard-b"
printf 'Rhenium\n\nA rhenium find.\n' >"$tmp/sb/i.txt"
"$SPINDEX" --db "$tmp/shard-b" "$tmp/sb" >/dev/null
ask "rhenium OR hafnium"
expect_answer "1 hits: $tmp/sb/i.txt" \
    "a listed shard deleted and built anew: the open handle reads it"
echo "auto shard-b" >"$tmp/stub"
ask "gallium OR rhenium"
expect_answer "1 hits: $tmp/sb/i.txt" \
    "a shard taken out of the stub: the open handle no longer searches it"
exec 5>&-
wait "$searchd"
exec 6<&-

# --compact replaces only a copy or an empty folder.
run "$SPINDEX" --db "$db" --compact="$db"
expect_rc 2 "--compact onto the index itself"
check "--compact onto the index itself: refused, saying why" \
    grep -q "^spindex: --compact=$db: .*such as the index itself, is never replaced" "$tmp/err"
run "$SPSEARCH" --db "$db" osmium
expect_rc 0 "--compact onto the index itself: the index still answers"
run "$SPINDEX" --db "$db" "$tmp/corpus"
expect_rc 0 "--compact onto the index itself: the index can still be updated"
"$SPINDEX" --db "$tmp/other" "$tmp/corpus" >/dev/null
run "$SPINDEX" --db "$db" --compact="$tmp/other"
expect_rc 2 "--compact onto another full index"
run "$SPSEARCH" --db "$tmp/other" osmium
expect_rc 0 "--compact onto another full index: it is kept and still answers"
mkdir "$tmp/notes"
echo keep >"$tmp/notes/keep.txt"
run "$SPINDEX" --db "$db" --compact="$tmp/notes"
expect_rc 2 "--compact onto a folder of other files"
check "--compact onto a folder of other files: its files are kept" \
    test "$(cat "$tmp/notes/keep.txt")" = keep
mkdir "$tmp/empty-copy"
run "$SPINDEX" --db "$db" --compact="$tmp/empty-copy"
expect_rc 0 "--compact into an empty folder"
run "$SPSEARCH" --db "$tmp/empty-copy" osmium
expect_rc 0 "--compact into an empty folder: the copy answers"
finish
