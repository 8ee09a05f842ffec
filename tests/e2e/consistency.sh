#!/bin/sh
# Consistency between the programs, the public header, the library and the
# man pages: the options of --help and of OPTIONS, the statuses and
# functions of spsearch.h and libspsearch.3, the exported symbols, clean
# man pages, and the libspsearch.3 example, which must be tests/api/example.c
# and must behave as the page says.
. "$top_srcdir/tests/e2e/lib.sh"

MAN="$top_srcdir/man"
HEADER="$top_srcdir/searcher/spsearch.h"
EXAMPLE="$top_builddir/tests/api/example"

skip() {
    ok "# SKIP $1"
}

# diag_lines LABEL FILE: each line of FILE as a TAP comment.
diag_lines() {
    sed "s/^/#   $1: /" "$2"
}

# section PAGE NAME: the roff lines of section NAME (.SH NAME) of PAGE.
section() {
    awk -v want=".SH $2" '
        /^\.SH / { inside = ($0 == want); next }
        inside { print }' "$1"
}

# contained DESCRIPTION LEFT RIGHT LEFT_NAME RIGHT_NAME: passes when every
# line of the file LEFT is in the file RIGHT, and LEFT is not empty (which
# would mean that a pattern here no longer matches); lists what is missing.
contained() {
    sort -u "$2" >"$tmp/left"
    sort -u "$3" >"$tmp/right"
    comm -23 "$tmp/left" "$tmp/right" >"$tmp/only-left"
    if [ ! -s "$tmp/left" ]; then
        not_ok "$1"
        echo "#   found nothing in $4"
    elif [ -s "$tmp/only-left" ]; then
        not_ok "$1"
        diag_lines "not in $5" "$tmp/only-left"
    else
        ok "$1"
    fi
}

## (a) Every option of --help is in the man page's OPTIONS, written the same
## way (short and long forms, argument name), and nothing else is there.
for prog in spsearch spindex; do
    run "$top_builddir/$prog" --help
    if [ "$rc" -ne 0 ]; then
        not_ok "$prog --help runs (exit $rc)"
        continue
    fi
    # "  -n, --limit=N            show..." gives "-n, --limit=N".
    sed -n '/^Options:$/,/^$/s/^  *\(-[^ ]*\)\( --[^ ]*\)\{0,1\} .*/\1\2/p' \
        "$tmp/out" >"$tmp/help-opts"
    # The tag line after each .TP of OPTIONS, without fonts and escapes.
    section "$MAN/$prog.1" OPTIONS |
        awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
        sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' >"$tmp/man-opts"
    contained "every option of $prog --help is in $prog.1 OPTIONS" \
        "$tmp/help-opts" "$tmp/man-opts" "$prog --help" "$prog.1"
    contained "every option in $prog.1 OPTIONS is in $prog --help" \
        "$tmp/man-opts" "$tmp/help-opts" "$prog.1 OPTIONS" "$prog --help"
done

## (b) Statuses, other enumerators, macros and functions of spsearch.h in
## libspsearch.3.
sed -n '/^typedef enum spsearch_status {/,/^} spsearch_status_t;/s/^ *\(SPSEARCH_[A-Z0-9_]*\) = \([0-9][0-9]*\).*/\1 = \2/p' \
    "$HEADER" >"$tmp/h-statuses"
section "$MAN/libspsearch.3" "STATUS CODES" |
    sed -n 's/^\\fB\(SPSEARCH_[A-Z0-9_]*\)\\fR = \([0-9][0-9]*\)$/\1 = \2/p' \
    >"$tmp/m-statuses"
contained "every status of spsearch.h is in libspsearch.3 STATUS CODES, with its value" \
    "$tmp/h-statuses" "$tmp/m-statuses" "spsearch.h" "libspsearch.3"
contained "every status in libspsearch.3 STATUS CODES is in spsearch.h" \
    "$tmp/m-statuses" "$tmp/h-statuses" "libspsearch.3" "spsearch.h"

# Every enumerator (of any enum) and every macro but the include guard, by
# name.
sed -n -e 's/^ *\(SPSEARCH_[A-Z0-9_]*\) = .*/\1/p' \
    -e 's/^#define \(SPSEARCH_[A-Z0-9_]*\) .*/\1/p' "$HEADER" >"$tmp/h-names"
sed 's/\\f[BIRP]//g' "$MAN/libspsearch.3" >"$tmp/libspsearch.3.txt"
: >"$tmp/m-names"
while read -r name; do
    if grep -E -q "(^|[^A-Z0-9_])$name([^A-Z0-9_]|\$)" \
        "$tmp/libspsearch.3.txt"; then
        echo "$name" >>"$tmp/m-names"
    fi
done <"$tmp/h-names"
contained "every enumerator and macro of spsearch.h is in libspsearch.3" \
    "$tmp/h-names" "$tmp/m-names" "spsearch.h" "libspsearch.3"

# Declarations start with their type at the left margin; comments do not.
sed -n 's/^[a-z][^(]*[ *]\(spsearch_[a-z0-9_]*\)(.*/\1/p' "$HEADER" |
    sort -u >"$tmp/h-functions"
section "$MAN/libspsearch.3" SYNOPSIS |
    sed -n 's/^\.BI "[^(]*[ *]\(spsearch_[a-z0-9_]*\)(.*/\1/p' \
    >"$tmp/m-synopsis"
contained "every function of spsearch.h is in libspsearch.3 SYNOPSIS" \
    "$tmp/h-functions" "$tmp/m-synopsis" "spsearch.h" "libspsearch.3"
contained "every function in libspsearch.3 SYNOPSIS is in spsearch.h" \
    "$tmp/m-synopsis" "$tmp/h-functions" "libspsearch.3" "spsearch.h"
# ... and each has an entry (a .TP tag naming it) in DESCRIPTION.
section "$MAN/libspsearch.3" DESCRIPTION |
    awk 'tag { print; tag = 0 } /^\.TP/ { tag = 1 }' |
    tr -c 'a-z0-9_\n' '\n' | grep '^spsearch_' >"$tmp/m-entries" || true
contained "every function of spsearch.h has an entry in libspsearch.3 DESCRIPTION" \
    "$tmp/h-functions" "$tmp/m-entries" "spsearch.h" "libspsearch.3"

## (c) The shared library exports exactly the header's functions.
so="$top_builddir/.libs/libspsearch.so"
if [ ! -f "$so" ]; then
    skip "no $so (a static-only build)"
    skip "no $so (a static-only build)"
elif ! command -v nm >/dev/null 2>&1; then
    skip "nm not installed"
    skip "nm not installed"
else
    nm -D --defined-only "$so" >"$tmp/nm"
    awk '$2 == "T" { print $3 }' "$tmp/nm" | sed 's/@.*//' >"$tmp/exported"
    contained "every function of spsearch.h is exported by libspsearch.so" \
        "$tmp/h-functions" "$tmp/exported" "spsearch.h" "libspsearch.so"
    # Anything else (sp_* internals, C++ symbols) is a leak.  C++ typeinfo
    # (_ZTI*, _ZTS*) may be exported on purpose, for exceptions to match.
    awk 'NF == 3 { print $3 }' "$tmp/nm" | sed 's/@.*//' |
        grep -v '^_ZT[IS]' >"$tmp/all-exported" || true
    contained "libspsearch.so exports nothing but the functions of spsearch.h" \
        "$tmp/all-exported" "$tmp/h-functions" "libspsearch.so" "spsearch.h"
fi

## (d) The man pages lint clean.
for page in spindex.1 spsearch.1 libspsearch.3; do
    if ! command -v mandoc >/dev/null 2>&1; then
        skip "mandoc not installed"
        continue
    fi
    run mandoc -Tlint -W warning "$MAN/$page"
    if [ "$rc" -eq 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]; then
        ok "$page lints clean"
    else
        not_ok "$page lints clean (exit $rc)"
        cat "$tmp/out" "$tmp/err" | sed 's/^/#   /'
    fi
done

## (e) The example of libspsearch.3 is tests/api/example.c.  It is written
## with three roff escapes only: \e for a backslash, \- for a minus sign
## and \& before a leading dot.
awk '/^\.SH EXAMPLE$/ { inside = 1; next }
     /^\.SH / { inside = 0 }
     inside && /^\.EE$/ { exit }
     inside && code { print }
     inside && /^\.EX$/ { code = 1 }' "$MAN/libspsearch.3" >"$tmp/example.roff"
if sed -e 's/\\e//g' -e 's/\\-//g' -e 's/\\&//g' "$tmp/example.roff" |
    grep '\\' >"$tmp/escapes"; then
    not_ok "the example in libspsearch.3 uses no roff escapes but e, - and &"
    diag_lines "line" "$tmp/escapes"
else
    ok "the example in libspsearch.3 uses no roff escapes but e, - and &"
fi
sed -e 's/\\-/-/g' -e 's/\\&//g' -e 's/\\e/\\/g' "$tmp/example.roff" \
    >"$tmp/example.c"
if [ ! -s "$tmp/example.c" ]; then
    not_ok "libspsearch.3 has an example (.EX/.EE under .SH EXAMPLE)"
elif cmp -s "$tmp/example.c" "$top_srcdir/tests/api/example.c"; then
    ok "the example in libspsearch.3 is tests/api/example.c"
else
    not_ok "the example in libspsearch.3 is tests/api/example.c"
    diff -u "$top_srcdir/tests/api/example.c" "$tmp/example.c" |
        sed 's/^/#   /' || true
fi

## (f) The example behaves as libspsearch.3 says: 0 hits, 1 none, 2 error.
if [ ! -x "$EXAMPLE" ]; then
    skip "$EXAMPLE not built (make check builds it)"
    finish
fi
idx="$tmp/idx"
run "$SPINDEX" --db "$idx" "$CORPUS"
expect_rc 0 "spindex indexes the corpus for the example"

run "$EXAMPLE" "$idx" "cross-flight program"
expect_rc 0 "the example finds \"cross-flight program\""
if sed -n 2p "$tmp/out" | grep -q '/003_007efc6446bec603\.txt$' &&
    grep -q '\[cross-flight program\]' "$tmp/out"; then
    ok "the example shows the right article with the phrase [marked]"
else
    not_ok "the example shows the right article with the phrase [marked]"
    head -n 3 "$tmp/out" | sed 's/^/#   out: /'
fi

# The same articles, in the same order, as spsearch --json.
run "$EXAMPLE" "$idx" deorbit
expect_rc 0 "the example finds \"deorbit\""
awk '/^[0-9][0-9]*\. / { getline; sub(/^   /, ""); print }' "$tmp/out" \
    >"$tmp/example-paths"
run "$SPSEARCH" --db "$idx" --json -n 10 deorbit
sed -n 's/.*"path":"\([^"]*\)".*/\1/p' "$tmp/out" >"$tmp/spsearch-paths"
if [ -s "$tmp/example-paths" ] &&
    cmp -s "$tmp/example-paths" "$tmp/spsearch-paths"; then
    ok "the example ranks the articles as spsearch --json does"
else
    not_ok "the example ranks the articles as spsearch --json does"
    diff "$tmp/spsearch-paths" "$tmp/example-paths" | sed 's/^/#   /' || true
fi

run "$EXAMPLE" "$idx" zqxjvwk
expect_rc 1 "the example finds nothing for a made-up word"
check "the example prints nothing when nothing matched" test ! -s "$tmp/out"

run "$EXAMPLE" "$tmp/no-such-index" deorbit
expect_rc 2 "the example fails on a missing index"
check "the example names the missing index" \
    grep -F -q "$tmp/no-such-index" "$tmp/err"

run "$EXAMPLE" "$idx" "((( )))"
expect_rc 2 "the example fails on a query without words"

run "$EXAMPLE"
expect_rc 2 "the example without arguments is a usage error"

finish
