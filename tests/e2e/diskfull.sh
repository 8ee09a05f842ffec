# spindex on a full or failing disk: each write of an update (write,
# pwrite, fsync, fdatasync) made to fail in turn, with ENOSPC and EIO, by
# tests/failmalloc/failwrite.so preloaded into spindex, and then each
# write of a new build by two processes.  spindex must exit 2 with a
# message that blames the disk and never by a signal, the index must keep
# every article of its last commit, and the next run must complete it.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_builddir/tests/e2e/env.sh"

if [ -n "$SANITIZE_FLAGS" ]; then
    ok "# SKIP built with sanitizers, whose runtime must be preloaded first"
    finish
fi
so="$top_builddir/tests/failmalloc/.libs/failwrite.so"

articles() {
    "$SPINDEX" --db "$1" --stats | sed -n 's/^articles: *//p'
}

# fail_write K ARGS...: spindex ARGS with its K-th write failing (EIO for
# odd K, ENOSPC for even), status in $rc, stderr in $tmp/err; false when
# it made fewer than K writes.  Then notes in $signalled, $silent and
# $unnamed what was wrong with how it ended.
fail_write() {
    k=$1
    shift
    errno=5
    [ $((k % 2)) -eq 0 ] && errno=28
    rm -f "$tmp/reached"
    set +e
    env LD_PRELOAD="$so" FAILWRITE_AT=$k FAILWRITE_ERRNO=$errno \
        FAILWRITE_PROGRAM=spindex FAILWRITE_REACHED="$tmp/reached" \
        "$SPINDEX" "$@" >/dev/null 2>"$tmp/err"
    rc=$?
    set -e
    [ -e "$tmp/reached" ] || return 1
    if [ $rc -gt 128 ]; then
        signalled="$signalled $k"
    elif [ $rc -ne 2 ]; then
        silent="$silent $k:$rc"
    elif ! grep -q '^spindex: ' "$tmp/err" || grep -q 'damaged' "$tmp/err"; then
        unnamed="$unnamed $k"
    fi
}

mkdir "$tmp/corpus"
cp "$CORPUS"/*.txt "$tmp/corpus/"
"$SPINDEX" --db "$tmp/idx" "$tmp/corpus" >/dev/null
before=$(articles "$tmp/idx")
f=$(ls "$tmp/corpus"/*.txt | head -1)
printf '\nA zanzibarite was found in orbit.\n' >>"$f"

writes=0 signalled= silent= unnamed= lost= unfinished=
k=1
while [ $k -le 500 ]; do
    rm -rf "$tmp/db"
    cp -a "$tmp/idx" "$tmp/db"
    fail_write $k --db "$tmp/db" -q "$tmp/corpus" || break
    writes=$k
    if [ "$(articles "$tmp/db")" -lt "$before" ]; then
        lost="$lost $k"
    elif ! "$SPINDEX" --db "$tmp/db" -q "$tmp/corpus" >/dev/null 2>&1 ||
        [ "$("$SPSEARCH" --db "$tmp/db" -c zanzibarite)" != 1 ]; then
        unfinished="$unfinished $k"
    fi
    k=$((k + 1))
done

check "an update made dozens of writes, each failed in turn ($writes)" \
    test "$writes" -ge 10 -a "$writes" -lt 500
check "...spindex never ended by a signal${signalled:+ (writes$signalled)}" \
    test -z "$signalled"
check "...it exited 2 every time, the failure noticed${silent:+ (write:status$silent)}" \
    test -z "$silent"
check "...with a spindex: message that blames the disk, not the index${unnamed:+ (not for writes$unnamed)}" \
    test -z "$unnamed"
check "...the index kept every article of its last commit${lost:+ (not after writes$lost)}" \
    test -z "$lost"
check "...and the next run completed the update${unfinished:+ (not after writes$unfinished)}" \
    test -z "$unfinished"

# A new index built by two processes (--jobs 2: two parts, then merged),
# on a disk that fails the same way.
writes=0 signalled= silent= unnamed= unfinished=
k=1
while [ $k -le 500 ]; do
    rm -rf "$tmp/new"
    fail_write $k --jobs 2 --db "$tmp/new" -q "$CORPUS" || break
    writes=$k
    if ! "$SPINDEX" --db "$tmp/new" -q "$CORPUS" >/dev/null 2>&1 ||
        [ "$(articles "$tmp/new")" != 5 ]; then
        unfinished="$unfinished $k"
    fi
    k=$((k + 1))
done
check "a new build by two processes made dozens of writes, each failed in turn ($writes)" \
    test "$writes" -ge 10 -a "$writes" -lt 500
check "...never ended by a signal, exit 2 every time${signalled:+ (signal:$signalled)}${silent:+ (write:status$silent)}" \
    test -z "$signalled$silent"
check "...a spindex: message that blames the disk, not the index${unnamed:+ (not for writes$unnamed)}" \
    test -z "$unnamed"
check "...and the next run built the whole index${unfinished:+ (not after writes$unfinished)}" \
    test -z "$unfinished"
finish
