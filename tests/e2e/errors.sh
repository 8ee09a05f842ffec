# What goes wrong says so: one line on stderr, and the documented status.
. "$top_srcdir/tests/e2e/lib.sh"

run "$SPSEARCH" --db "$tmp/nowhere" anything
expect_rc 2 "a missing index"
check "a missing index: the message names the path" \
    grep -q "^spsearch: .*$tmp/nowhere" "$tmp/err"
check "a missing index: one line on stderr" test "$(wc -l <"$tmp/err")" -eq 1
check "a missing index: nothing on stdout" test ! -s "$tmp/out"

mkdir "$tmp/garbage"
printf 'not an index\n' >"$tmp/garbage/iamglass"
head -c 4096 /dev/urandom >"$tmp/garbage/postlist.glass"
run "$SPSEARCH" --db "$tmp/garbage" anything
expect_rc 2 "a folder of garbage"
check "a folder of garbage: the message says damaged or not an index" \
    grep -q "^spsearch: .*garbage.*\(damaged\|not a spsearch index\|corrupt\)" "$tmp/err"

db="$tmp/idx"
run "$SPINDEX" --db "$db" "$CORPUS"
expect_rc 0 "index for the error cases"

run "$SPSEARCH" --db "$db" '((('
expect_rc 2 "a query without words"
check "a query without words: the message points at a column" \
    grep -q "^spsearch: query, column 1: " "$tmp/err"
for q in '"unclosed quote program' 'cross (flight' 'program)))' '+' '-'; do
    run "$SPSEARCH" --db "$db" "$q"
    check "malformed query '$q' is read leniently or refused cleanly" \
        test "$rc" -le 2
done

run "$SPSEARCH" --db "$db" --no-such-option x
expect_rc 2 "an unknown option"
check "an unknown option: suggests --help" grep -q "Try 'spsearch --help'" "$tmp/err"
run "$SPSEARCH" --db "$db" --s=2020 x
expect_rc 2 "an abbreviation of two options"
check "...names both, not 'unknown'" \
    grep -qx "spsearch: option '--s' is ambiguous: --sort, --since" "$tmp/err"
run "$SPSEARCH" --db "$db" --sin 2020 --dup space
expect_rc 0 "an abbreviation of one option is that option"
run "$SPSEARCH" --db "$db" -war
expect_rc 2 "a query that starts with '-' read as options"
check "...the message says to put it after '--'" \
    grep -q "a query that starts with '-' goes after '--'" "$tmp/err"
run "$SPSEARCH" --db "$db" --limit abc x
expect_rc 2 "a bad --limit"
run "$SPSEARCH" --db "$db" --color=sometimes x
expect_rc 2 "a bad --color"
run "$SPSEARCH" --db "$db"
expect_rc 2 "no query"
run "$SPSEARCH" --help
expect_rc 0 "--help"
check "--help goes to stdout" grep -q "^Usage: spsearch" "$tmp/out"
run "$SPINDEX" --db "$db"
expect_rc 2 "spindex without a corpus"
# Options after the paths are options (a cron line "spindex corpus -q").
run "$SPINDEX" "$CORPUS" -q --db "$tmp/late"
expect_rc 0 "spindex with options after the paths"
check "options after the paths: -q prints nothing, --db is the index" \
    sh -c 'test ! -s "$1" -a ! -s "$2" &&
           "$3" --db "$4" -c deorbit | grep -qx 4' \
    sh "$tmp/out" "$tmp/err" "$SPSEARCH" "$tmp/late"
run "$SPINDEX" "$CORPUS" --db
expect_rc 2 "an option after the paths without its argument"
check "...says which option lacks it" \
    grep -q "^spindex: option '--db' needs an argument" "$tmp/err"
run "$SPINDEX" --db "$tmp/late2" "$CORPUS" -x
expect_rc 2 "an unknown option after the paths"
check "...is named, and no index is written" \
    sh -c 'grep -q "^spindex: unknown option .-x." "$1" && test ! -e "$2"' \
    sh "$tmp/err" "$tmp/late2"
mkdir "$tmp/dash"
printf 'Zanzibarite\n\nA file whose name begins with a dash.\n' >"$tmp/dash/-dash.txt"
(cd "$tmp/dash" && "$SPINDEX" --db "$tmp/dashidx" -- -dash.txt) >"$tmp/out" 2>"$tmp/err"
check "a path that begins with '-' after '--' is indexed" \
    sh -c '"$1" --db "$2" zanzibarite | grep -q "dash.txt"' sh "$SPSEARCH" "$tmp/dashidx"

# hold_lock INDEX NAME: a writer holds INDEX's lock (making INDEX if need
# be) until descriptor 3 closes; its pid in $holder.
hold_lock() {
    mkfifo "$tmp/$2"
    "$top_builddir/tests/e2e/holdlock" "$1" <"$tmp/$2" >"$tmp/$2.out" &
    holder=$!
    exec 3>"$tmp/$2"
    i=0
    while [ ! -s "$tmp/$2.out" ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
    done
}

# Another writer holds the lock: spindex exits 75 at once.
hold_lock "$db" hold
run "$SPINDEX" --db "$db" "$CORPUS"
expect_rc 75 "a second writer"
check "a second writer: says the index is locked" grep -qi "lock" "$tmp/err"
# A compaction holds the lock too (an update's commits would discard the
# revision it reads): it exits 75 at once, writing nothing.
run "$SPINDEX" --db "$db" --compact="$tmp/lockcopy"
expect_rc 75 "a compaction while another writer holds the lock"
check "a compaction while locked: no copy, nothing left beside it" \
    test -z "$(ls -d "$tmp/lockcopy"* 2>/dev/null)"
run "$SPSEARCH" --db "$db" --json deorbit
expect_rc 0 "searching while a writer holds the lock"
# --wait: waits for the other writer instead of failing.
"$SPINDEX" --db "$db" --wait "$CORPUS" >"$tmp/wait.out" 2>&1 3>&- &
waiter=$!
sleep 1
check "spindex --wait is still waiting while the lock is held" \
    kill -0 "$waiter"
exec 3>&-
wait "$holder"
set +e
wait "$waiter"
rc=$?
set -e
expect_rc 0 "spindex --wait goes on once the lock is released"

# Nothing found in an empty index says why: while a writer holds it (a
# first build commits only at its end), and after.
hold_lock "$tmp/empty-idx" hold-empty
run "$SPSEARCH" --db "$tmp/empty-idx" deorbit
expect_rc 1 "an empty index being built: nothing found"
check "an empty index being built: says spindex is building it" \
    grep -q "^spsearch: .*empty-idx holds no articles yet: spindex is building it" "$tmp/err"
exec 3>&-
wait "$holder"
run "$SPSEARCH" --db "$tmp/empty-idx" --json deorbit
expect_rc 1 "an empty index: nothing found"
check "an empty index: says it holds no articles, on stderr only" \
    sh -c 'grep -q "^spsearch: .*empty-idx holds no articles: index some with spindex" "$1" && test ! -s "$2"' \
    sh "$tmp/err" "$tmp/out"
run "$SPSEARCH" --db "$db" zyxwvut
expect_rc 1 "nothing found in an index with articles"
check "nothing found in an index with articles: nothing on stderr" \
    test ! -s "$tmp/err"

# An index from a newer spsearch is refused, by both programs.
xapian-metadata set "$db" spsearch.format 99
run "$SPSEARCH" --db "$db" deorbit
expect_rc 2 "an index in a newer format"
check "a newer format: the message says so" grep -q "newer" "$tmp/err"
run "$SPINDEX" --db "$db" "$CORPUS"
expect_rc 2 "spindex on an index in a newer format"

# An index in an older format is still searched, and spindex rebuilds it
# in full rather than update it in its old layout.
# Its frequencies are read as they were written: before format 4 they did
# not carry the length normalisation, so the same postings labelled format
# 1 score otherwise.
first_score() { sed -n '1s/.*"score":\([0-9.]*\).*/\1/p' "$tmp/out"; }
xapian-metadata set "$db" spsearch.format 4
run "$SPSEARCH" --db "$db" --json deorbit
folded=$(first_score)
xapian-metadata set "$db" spsearch.format 1
run "$SPSEARCH" --db "$db" --json deorbit
expect_rc 0 "spsearch on an index in an older format"
check "an older format: ranked with plain BM25 ($(first_score), not $folded)" \
    test -n "$folded" -a "$(first_score)" != "$folded"
run "$SPINDEX" --db "$db" --stats
check "an older format: --stats says the next run rebuilds it" \
    grep -q '^format:   1 (older than this spindex.s [0-9]*: its next run rebuilds the index in full)$' \
    "$tmp/out"
run "$SPINDEX" --db "$db" "$CORPUS"
expect_rc 0 "spindex on an index in an older format"
check "an older format: spindex says it rebuilds in full" \
    grep -q "^spindex: .*index format 1 is older.*rebuilding it in full" \
    "$tmp/err"
check "an older format: the rebuilt index is in the current format" \
    sh -c "xapian-metadata get '$db' spsearch.format | grep -qx 6"
run "$SPSEARCH" --db "$db" --json deorbit
check "an older format: the rebuilt index finds the articles" \
    grep -q '"path"' "$tmp/out"
check "an older format: the rebuilt index scores as format 4 does" \
    test "$(first_score)" = "$folded"

# A file spindex cannot read is reported, skipped, and the rest indexed.
mkdir "$tmp/bad"
cp "$CORPUS/004_2e1e28aae998c8dd.txt" "$tmp/bad/good.txt"
: >"$tmp/bad/empty.txt"
printf 'binary\000data\n' >"$tmp/bad/binary.txt"
printf 'not gzip at all' >"$tmp/bad/broken.txt.gz"
run "$SPINDEX" --db "$tmp/bad-idx" "$tmp/bad"
expect_rc 1 "bad inputs are skipped"
for f in empty.txt binary.txt broken.txt.gz; do
    check "bad input $f is named on stderr" grep -q "^spindex: .*$f: " "$tmp/err"
done
run "$SPSEARCH" --db "$tmp/bad-idx" --json Bakanov
check "the good file beside them is indexed" grep -q good.txt "$tmp/out"

finish
