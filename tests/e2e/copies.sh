# A story printed by several papers, or a file kept twice, is one hit
# that names its copies, not a page of the same text; --duplicates shows
# them as hits of their own, and --files lists every file.
. "$top_srcdir/tests/e2e/lib.sh"

c="$tmp/corpus"
mkdir "$c"
story="The harbour commission voted on Tuesday to close the old ferry pier for
repairs, citing cracks in the concrete pilings that engineers found during a
routine inspection last month. Commuters will be carried by bus until the
work ends in the spring."
# The wire's story, a paper's reprint of it (retitled, redated, its lines
# broken elsewhere), and the same story with one word changed.
printf 'Ferry pier to close for repairs\n\nMarch 3, 2025\n\n%s\n' "$story" \
    >"$c/wire.txt"
printf 'Harbour pier shut as cracks found\n\n2025-03-04\n\n%s\n' \
    "$(echo "$story" | tr '\n' ' ')" >"$c/reprint.txt"
printf 'Pier closing\n\n%s\n' "$(echo "$story" | sed 's/Tuesday/Monday/')" \
    >"$c/edited.txt"
printf 'Ferry timetable changes\n\nThe ferry company said its timetable will change in April, with an extra\ncrossing on weekday mornings for commuters who use the pier.\n' \
    >"$c/timetable.txt"
# Two feeds that carry the same story, as lines of one JSON Lines file.
body=$(echo "$story" | tr '\n' ' ' | sed 's/ferry pier/lighthouse quay/')
printf '{"id":"feed-1","title":"Quay to close","body":"%s"}\n{"id":"feed-2","title":"Quay shut","body":"%s"}\n' \
    "$body" "$body" >"$c/feed.jsonl"
# Notices too short to tell a copy from a formula.
printf 'Notice\n\nThe beacon is lit at dusk.\n' >"$c/notice-1.txt"
printf 'Notice\n\nThe beacon is lit at dusk.\n' >"$c/notice-2.txt"

# A story many papers ran.
for k in 1 2 3 4 5 6; do
    printf 'Paper %s: levee holds\n\n%s\n' "$k" \
        "$(echo "$story" | sed 's/ferry pier/river levee/; s/harbour/flood/')" \
        >"$c/levee-$k.txt"
done
run "$SPINDEX" --db "$tmp/idx" "$c"
expect_rc 0 "the corpus with copies indexes"

run "$SPSEARCH" --db "$tmp/idx" --color=never "ferry pier"
check "a copy is not a hit of its own: the reprint is not ranked" \
    sh -c "grep -q '^   $c/wire.txt  score' '$tmp/out' &&
           ! grep -q '^   $c/reprint.txt  score' '$tmp/out'"
check "...it is named under the hit it copies" \
    sh -c "grep -A2 '^1\. \[Ferry pier\] to close' '$tmp/out' |
           grep -qx '   also: $c/reprint.txt'"
check "...and the hits below move up: the timetable is 3rd, after the edited story" \
    sh -c "grep -q '^2\. \[Pier\] closing' '$tmp/out' &&
           grep -q '^3\. \[Ferry\] timetable changes' '$tmp/out'"
check "a story with one word changed is not a copy" \
    sh -c "! grep -q 'also:.*edited' '$tmp/out'"

run "$SPSEARCH" --db "$tmp/idx" --json "ferry pier"
check "--json: the copy in the hit's copies, with path and id" \
    sh -c "head -1 '$tmp/out' | grep -q '\"copies\":\[{\"path\":\"$c/reprint.txt\",\"id\":null}\]'"
check "--json: a hit without copies has an empty array" \
    sh -c "sed -n 2p '$tmp/out' | grep -q '\"copies\":\[\]'"
check "--json: one object per hit, copies not among them" \
    test "$(hits | tr '\n' ' ')" = "wire.txt edited.txt timetable.txt "

run "$SPSEARCH" --db "$tmp/idx" --json --duplicates "ferry pier"
check "--duplicates: the copy is a hit of its own, ranked with the rest" \
    test "$(hits | sort | tr '\n' ' ')" = \
    "edited.txt reprint.txt timetable.txt wire.txt "
check "--duplicates: no hit names copies" \
    sh -c "test $rc -eq 0 && ! grep -q '\"copies\":\[{' '$tmp/out'"

run "$SPSEARCH" --db "$tmp/idx" -l "ferry pier"
check "--files lists every file that matches, copies included" \
    test "$(sed "s|$c/||" "$tmp/out" | sort | tr '\n' ' ')" = \
    "edited.txt reprint.txt timetable.txt wire.txt "

run "$SPSEARCH" --db "$tmp/idx" --format '%r %c %p\n' --limit 1 --offset 1 \
    "ferry pier"
check "pages count the hits left: the second page of one is the 2nd hit" \
    test "$(cat "$tmp/out")" = "2 0 $c/edited.txt"
run "$SPSEARCH" --db "$tmp/idx" --format '%r %c %p\n' --limit 1 "ferry pier"
check "--format %c: how many copies the hit has" \
    test "$(cat "$tmp/out")" = "1 1 $c/wire.txt"

run "$SPSEARCH" --db "$tmp/idx" --color=never "lighthouse quay"
check "copies within one JSON Lines file: the copy named with its id" \
    grep -qx "   also: $c/feed.jsonl (feed-2)" "$tmp/out"
check "...and listed once" \
    test "$(grep -c '^[0-9]*\. ' "$tmp/out")" -eq 1

run "$SPSEARCH" --db "$tmp/idx" --color=never "river levee"
check "many copies: three named, then how many more" \
    grep -Eqx "   also: $c/levee-[0-9].txt, $c/levee-[0-9].txt, $c/levee-[0-9].txt and 2 more" \
    "$tmp/out"
run "$SPSEARCH" --db "$tmp/idx" --json "river levee"
check "...and --json names all five" \
    test "$(grep -o '{"path":"[^"]*levee-[0-9].txt"' "$tmp/out" | wc -l)" -eq 5

run "$SPSEARCH" --db "$tmp/idx" --json beacon
check "passages of a few words are not taken for copies" \
    test "$(hits | sort | tr '\n' ' ')" = "notice-1.txt notice-2.txt "

run "$SPSEARCH" --db "$tmp/idx" --json --since 2025-03-04 "ferry pier"
check "a filter that leaves only the copy shows it as a hit" \
    test "$(hits | tr '\n' ' ')" = "reprint.txt "

# The wire's story in one shard, the reprint in another: searched together
# through a stub, the copy folds as in one index.
mkdir "$tmp/a" "$tmp/b"
cp "$c/wire.txt" "$c/timetable.txt" "$tmp/a/"
cp "$c/reprint.txt" "$tmp/b/"
"$SPINDEX" --db "$tmp/shard-a" "$tmp/a"
"$SPINDEX" --db "$tmp/shard-b" "$tmp/b"
printf 'auto shard-a\nauto shard-b\n' >"$tmp/stub"
run "$SPSEARCH" --db "$tmp/stub" --json "ferry pier"
check "shards: the copy in the other shard folds into the hit" \
    sh -c "test \"\$(sed -n 's/.*\"copies\":\[{\"path\":\"\([^\"]*\)\".*/\1/p' '$tmp/out')\" = '$tmp/b/reprint.txt'"
check "shards: two hits, the copy not among them" \
    test "$(hits | tr '\n' ' ')" = "wire.txt timetable.txt "

# --recent: a story is as recent as its newest printing.
mkdir "$tmp/r"
dam="Engineers approved the dam repairs on Monday after divers found cracks in
the spillway gates, and the reservoir will be lowered by two metres while the
work goes on through the summer months."
printf 'Dam repairs approved\n\nMarch 1, 2020\n\n%s\n' "$dam" >"$tmp/r/old.txt"
printf 'Spillway to be fixed\n\n2025-03-01\n\n%s\n' "$dam" >"$tmp/r/reprint.txt"
printf 'Reservoir levels\n\n2024-03-01\n\nThe water board said the reservoir is full after the rains; dam repairs\nplanned elsewhere will wait.\n' \
    >"$tmp/r/other.txt"
"$SPINDEX" --db "$tmp/r-idx" "$tmp/r" >/dev/null
run "$SPSEARCH" --db "$tmp/r-idx" --json --recent 30 "dam repairs"
check "--recent: a 2020 story reprinted in 2025 ranks above a 2024 article" \
    test "$(hits | tr '\n' ' ')" = "old.txt other.txt "
check "...the 2025 reprint named as its copy" \
    sh -c "head -1 '$tmp/out' | grep -q '\"copies\":\[{\"path\":\"$tmp/r/reprint.txt\"'"

finish
