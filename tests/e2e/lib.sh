# Sourced by the end-to-end tests: TAP output, a private temporary folder,
# and the real programs from the build tree.
set -eu

: "${top_srcdir:?run through make check}" "${top_builddir:?run through make check}"
SPINDEX="$top_builddir/spindex"
SPSEARCH="$top_builddir/spsearch"
# Canonical, as spindex stores real paths (distcheck gives a relative one).
CORPUS=$(cd "$top_srcdir/corpus" && pwd -P)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/spsearch-e2e.XXXXXX")
# Never touch the user's own index or configuration.
HOME="$tmp/home"
mkdir -p "$HOME"
unset SPSEARCH_DB XDG_DATA_HOME NO_COLOR
export HOME

tap_n=0
tap_failed=0

ok() {
    tap_n=$((tap_n + 1))
    echo "ok $tap_n - $1"
}

not_ok() {
    tap_n=$((tap_n + 1))
    tap_failed=$((tap_failed + 1))
    echo "not ok $tap_n - $1"
}

# check DESCRIPTION COMMAND...: passes when COMMAND succeeds.
check() {
    desc=$1
    shift
    if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# run COMMAND...: stdout to $tmp/out, stderr to $tmp/err, status in $rc.
run() {
    set +e
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
}

# expect_rc WANT DESCRIPTION: checks the status of the last run.
expect_rc() {
    if [ "$rc" -eq "$1" ]; then
        ok "$2 (exit $1)"
    else
        not_ok "$2 (exit $rc, want $1)"
        sed 's/^/#   stderr: /' "$tmp/err"
    fi
}

# Masks what changes from run to run: the corpus location and scores.
mask() {
    sed -e "s|$CORPUS|CORPUS|g" -e "s|$tmp|TMP|g" \
        -e 's/score [0-9][0-9.]*/score SCORE/' \
        -e 's/"score":[0-9][0-9.e+-]*/"score":SCORE/'
}

# golden NAME DESCRIPTION: compares the masked $tmp/out with a golden file.
golden() {
    mask <"$tmp/out" >"$tmp/$1.masked"
    if cmp -s "$tmp/$1.masked" "$top_srcdir/tests/e2e/golden/$1"; then
        ok "$2"
    else
        not_ok "$2"
        diff -u "$top_srcdir/tests/e2e/golden/$1" "$tmp/$1.masked" |
            sed 's/^/#   /' || true
    fi
}

# jsonl_of COPIES OUT: the bundled articles COPIES times over as one JSON
# Lines file, each line an article with an id of its own.
jsonl_of() {
    for f in "$CORPUS"/*.txt; do
        awk '{ gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, " ");
               text = NR == 1 ? $0 : text "\\n" $0 }
             END { print text }' "$f"
    done | awk -v n="$1" '{ body[NR] = $0 }
        END { for (i = 0; i < n; i++) for (j = 1; j <= NR; j++)
                  printf "{\"id\":\"a%d-%d\",\"body\":\"%s\"}\n", i, j, body[j] }' >"$2"
}

# hits: the file names (not paths) of the hits in $tmp/out (JSON Lines):
# each object's first path, the hit's own (its copies' come after).
hits() {
    sed -n 's/^{"rank":[0-9]*,"score":[^,]*,"path":"\([^"]*\)".*/\1/p' \
        "$tmp/out" | sed 's|.*/||'
}

finish() {
    echo "1..$tap_n"
    if [ "$tap_failed" -eq 0 ]; then
        rm -rf "$tmp"
    else
        echo "# kept $tmp"
    fi
    exit 0
}
