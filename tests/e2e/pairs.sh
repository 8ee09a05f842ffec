# Pair terms (shared/pairs.h): two common words side by side are indexed
# as one term, and phrases of them are searched through it.  What a phrase
# matches must not change: every check compares the index with its pair
# terms in use against the same index searched as format 4, which reads
# positions only.
. "$top_srcdir/tests/e2e/lib.sh"

mkdir "$tmp/c"
printf 'Rivers\n\nSome of the money went to the river in the spring.\n' \
    >"$tmp/c/a.txt"
# The same words, never side by side in that order.
printf 'Money\n\nThe river ran in a valley; the money of some went to a bank.\n' \
    >"$tmp/c/b.txt"
# Parts of a compound are words at consecutive positions, as in a phrase.
printf 'Insiders\n\nShe was always in-the-know about the river.\n' \
    >"$tmp/c/c.txt"
db="$tmp/idx"
run "$SPINDEX" --db "$db" "$tmp/c"
expect_rc 0 "spindex on three small articles"
# The format the index was written in, restored after each relabelling.
format=$(xapian-metadata get "$db" spsearch.format)

terms() { xapian-delve -A XP -1 "$db" 2>/dev/null | grep '^XP' || true; }
terms >"$tmp/terms"
check "pair terms of adjacent common words are indexed" \
    grep -qx 'XPsome of' "$tmp/terms"
check "no pair term for a common word beside another word" \
    sh -c "! grep -q 'money\|river\|spring' '$tmp/terms'"

# hitset QUERY: the sorted passages (path and number) QUERY matches.
hitset() {
    run "$SPSEARCH" --db "$db" --json --passages --limit 1000 "$1"
    sed -n 's/.*"path":"\([^"]*\)".*"passage_number":\([0-9]*\).*/\1 \2/p' \
        "$tmp/out" | sort
}
same_hits() {
    # Each phrase is searched with the pair terms (format 5 on) and
    # without them (format 4).
    for q in "$@"; do
        hitset "\"$q\"" >"$tmp/with"
        xapian-metadata set "$db" spsearch.format 4
        hitset "\"$q\"" >"$tmp/without"
        xapian-metadata set "$db" spsearch.format "$format"
        if [ ! -s "$tmp/without" ]; then
            echo "# \"$q\" matches nothing: not a test"
            return 1
        fi
        if ! cmp -s "$tmp/with" "$tmp/without"; then
            echo "# \"$q\": with pairs $(wc -l <"$tmp/with") passages," \
                "without $(wc -l <"$tmp/without")"
            return 1
        fi
    done
}

# With pairs in use, a two-word phrase is its pair term alone: the compound
# is found only if its parts made one.
run "$SPSEARCH" --db "$db" --files '"in the"'
check "\"in the\" finds the article with the phrase and the compound" \
    sh -c "grep -q '/a.txt\$' '$tmp/out' && grep -q '/c.txt\$' '$tmp/out'"
check "\"in the\" does not find the words apart" \
    sh -c "! grep -q '/b.txt\$' '$tmp/out'"
check "phrases on the small articles match the same passages with pairs" \
    same_hits "in the" "some of the" "of the money" "to the" "to a" \
    "of some" "the money of some" "in the spring" "went to the river"

run "$SPSEARCH" --db "$db" --explain '"some of"'
check "--explain names the pair term" grep -q 'pair some of' "$tmp/out"
# On a copy without term lists a pair term's count, which has no
# positions, is marked as estimated.
run "$SPINDEX" --db "$db" --compact "$tmp/copy"
run "$SPSEARCH" --db "$tmp/copy" --explain '"some of"'
check "--explain on a compacted copy marks the pair's count estimated" \
    grep -q 'pair some of x~[0-9]' "$tmp/out"

# The searcher counts the marker term to know that every passage has its
# pair terms (one older shard would not).
docs=$(xapian-delve "$db" | sed -n 's/^number of documents = //p')
marked=$(xapian-delve -t XFpairs "$db" | sed -n 's/.*(termfreq \([0-9]*\),.*/\1/p')
check "every passage carries the pair marker ($marked of $docs)" \
    test -n "$docs" -a "$marked" = "$docs"

# The bundled corpus: every pair of common words it has, as a phrase, and
# the three-word phrases around them.
db="$tmp/corpus-idx"
"$SPINDEX" --db "$db" "$CORPUS" >/dev/null
check "phrases of the bundled corpus match the same passages with pairs" \
    same_hits "of the" "in the" "to the" "on the" "for the" "that the" \
    "of this" "for a" "in a" "on this" "the heads of" "one of the" \
    "as well as" "it is" "of the station"

finish
