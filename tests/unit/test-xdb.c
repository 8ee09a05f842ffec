/*
 * test-xdb.c - the C boundary over Xapian (shared/xdb.h).
 *
 * Every failure a user can meet when pointing spsearch at a directory
 * (nothing there, garbage, another writer, a newer format) must come back
 * as its own status with a message naming the path, never as an exception
 * or a generic error.  The rest checks that what is written is what is
 * read and searched.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <unicode/uclean.h>

#include "shared/pairs.h"
#include "shared/terms.h"
#include "shared/xdb.h"
#include "tests/unit/tap.h"

/* A TAP "skip": the check could not run here. */
static void skip(const char *why)
{
    tap_count++;
    printf("ok %d # skip %s\n", tap_count, why);
}

/* Checks a failure: its status, that err says the same, and that the
 * message names the path. */
static void is_failure(spsearch_status_t st, spsearch_status_t want,
                       const sp_error *err, const char *path,
                       const char *what)
{
    char line[512];
    snprintf(line, sizeof line, "%s: status", what);
    if (!is_long(st, want, line))
        diag("message: %s", err->msg);
    snprintf(line, sizeof line, "%s: err->status matches", what);
    is_long(err->status, st, line);
    snprintf(line, sizeof line, "%s: message names %s", what, path);
    if (!ok(strstr(err->msg, path) != NULL, line))
        diag("message: %s", err->msg);
}

/* Whether a message is readable: printable text, no stray bytes. */
static int printable(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            return 0;
    }
    return 1;
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    const char *p = hay;
    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += strlen(needle);
    }
    return n;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        printf("Bail out! cannot write %s: %s\n", path, strerror(errno));
        exit(99);
    }
}

/* Overwrites bytes at offset of an existing file. */
static void poke_file(const char *path, long offset, const void *data,
                      size_t len)
{
    FILE *f = fopen(path, "r+b");
    if (f == NULL || fseek(f, offset, SEEK_SET) != 0 ||
        fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        printf("Bail out! cannot change %s: %s\n", path, strerror(errno));
        exit(99);
    }
}

static void must(spsearch_status_t st, const sp_error *err, const char *what)
{
    if (st != SPSEARCH_OK) {
        printf("Bail out! %s: status %d: %s\n", what, (int)st, err->msg);
        exit(99);
    }
}

/* A document: "term@pos" postings separated by spaces ("term" alone gets
 * no position), then data and up to two values. */
static sp_xdoc *make_doc(const char *postings, const char *article,
                         const char *date)
{
    sp_xdoc *doc = NULL;
    sp_error err;
    char buf[256];
    must(sp_xdoc_new(&doc, &err), &err, "sp_xdoc_new");
    snprintf(buf, sizeof buf, "%s", postings);
    for (char *w = strtok(buf, " "); w != NULL; w = strtok(NULL, " ")) {
        char *at = strchr(w, '@');
        if (at != NULL) {
            *at = '\0';
            must(sp_xdoc_add_posting(doc, w, strlen(w),
                                     (uint32_t)atoi(at + 1), &err),
                 &err, "sp_xdoc_add_posting");
        } else {
            must(sp_xdoc_add_term(doc, w, strlen(w), 1, &err), &err,
                 "sp_xdoc_add_term");
        }
    }
    if (article != NULL) {
        char q[64];
        snprintf(q, sizeof q, "%s%s", SP_PREFIX_ARTICLE, article);
        must(sp_xdoc_add_boolean(doc, q, strlen(q), &err), &err,
             "sp_xdoc_add_boolean");
        must(sp_xdoc_set_value(doc, SP_SLOT_ARTICLE, q, strlen(q), &err),
             &err, "sp_xdoc_set_value");
    }
    if (date != NULL)
        must(sp_xdoc_set_value(doc, SP_SLOT_DATE, date, strlen(date), &err),
             &err, "sp_xdoc_set_value");
    must(sp_xdoc_set_data(doc, postings, strlen(postings), &err), &err,
         "sp_xdoc_set_data");
    return doc;
}

static void add(sp_xdb *db, const char *postings, const char *article,
                const char *date, uint32_t *id)
{
    sp_error err;
    sp_xdoc *doc = make_doc(postings, article, date);
    must(sp_xdb_add_doc(db, doc, id, &err), &err, "sp_xdb_add_doc");
    sp_xdoc_free(doc);
}

static uint32_t count(sp_xdb *db)
{
    uint32_t n = 0;
    sp_error err;
    must(sp_xdb_doc_count(db, &n, &err), &err, "sp_xdb_doc_count");
    return n;
}

static sp_xdb *open_or_bail(const char *path, int mode)
{
    sp_xdb *db = NULL;
    sp_error err;
    must(sp_xdb_open(path, mode, &db, &err), &err, "sp_xdb_open");
    return db;
}

/* ---- opening: each situation its own status ---- */

static void test_missing(void)
{
    sp_xdb *db = (sp_xdb *)&db; /* must be reset to NULL */
    sp_error err;
    sp_error_clear(&err);
    spsearch_status_t st = sp_xdb_open("no-such-index", SP_XDB_READ, &db,
                                       &err);
    is_failure(st, SPSEARCH_NO_INDEX, &err, "no-such-index",
               "missing index");
    ok(db == NULL, "missing index: no handle");

    /* A missing parent cannot be created by a writer either, but that is
     * an I/O problem, not "no index". */
    st = sp_xdb_open("no-such-dir/idx", SP_XDB_WRITE, &db, &err);
    ok(st != SPSEARCH_OK && st != SPSEARCH_NO_INDEX,
       "writer under a missing folder fails, not as NO_INDEX");
    ok(strstr(err.msg, "no-such-dir/idx") != NULL,
       "writer under a missing folder: message names the path");
    ok(db == NULL, "writer under a missing folder: no handle");
}

static void check_corrupt(const char *path, const char *what)
{
    sp_xdb *db = NULL;
    sp_error err;
    char line[256];
    sp_error_clear(&err);
    spsearch_status_t st = sp_xdb_open(path, SP_XDB_READ, &db, &err);
    diag("%s: %s", what, err.msg);
    is_failure(st, SPSEARCH_CORRUPT, &err, path, what);
    snprintf(line, sizeof line, "%s: message is readable text", what);
    ok(printable(err.msg), line);
    snprintf(line, sizeof line, "%s: message says what was done once", what);
    is_long(count_of(err.msg, "opening index"), 1, line);
    snprintf(line, sizeof line, "%s: no handle", what);
    ok(db == NULL, line);
}

static void test_garbage(void)
{
    static const char *const names[] = {"iamglass", "postlist.glass",
                                        "termlist.glass", "record.glass"};
    unsigned char junk[8192];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof junk; i++) {
        /* xorshift: garbage that is the same on every run */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        junk[i] = (unsigned char)x;
    }
    mkdir("garbage", 0755);
    for (size_t i = 0; i < 4; i++) {
        char p[64];
        snprintf(p, sizeof p, "garbage/%s", names[i]);
        write_file(p, junk, sizeof junk);
    }
    check_corrupt("garbage", "folder of garbage glass files");

    mkdir("empty", 0755);
    check_corrupt("empty", "empty folder");

    mkdir("unrelated", 0755);
    write_file("unrelated/notes.txt", "shopping list\n", 14);
    write_file("unrelated/photo.jpg", junk, 100);
    check_corrupt("unrelated", "folder of unrelated files");

    write_file("plainfile", "not an index\n", 13);
    check_corrupt("plainfile", "a plain file");

    /* A writer must not take a folder of garbage for an index either. */
    sp_xdb *db = NULL;
    sp_error err;
    spsearch_status_t st = sp_xdb_open("garbage", SP_XDB_WRITE, &db, &err);
    is_failure(st, SPSEARCH_CORRUPT, &err, "garbage",
               "writer on a folder of garbage");
    sp_xdb_free(db);
}

/* Makes a small real index at path. */
static void make_index(const char *path)
{
    sp_xdb *db = open_or_bail(path, SP_XDB_OVERWRITE);
    sp_error err;
    add(db, "alpha@1 beta@2", "a1", "2025-07-31", NULL);
    must(sp_xdb_close(db, &err), &err, "sp_xdb_close");
}

static void test_damaged_version_file(void)
{
    sp_xdb *db = NULL;
    sp_error err;
    spsearch_status_t st;

    /* Glass's version file starts with a magic string, then the format
     * version.  Damaged magic: the index is corrupt. */
    make_index("badmagic");
    poke_file("badmagic/iamglass", 2, "Q", 1);
    st = sp_xdb_open("badmagic", SP_XDB_READ, &db, &err);
    diag("damaged magic: %s", err.msg);
    is_failure(st, SPSEARCH_CORRUPT, &err, "badmagic",
               "iamglass with damaged magic");
    ok(db == NULL, "iamglass with damaged magic: no handle");

    /* A larger format number: written by a newer Xapian, so a version
     * problem (DatabaseVersionError), which the user fixes by upgrading,
     * not by reindexing. */
    make_index("newer");
    poke_file("newer/iamglass", 15, "\x7f", 1);
    st = sp_xdb_open("newer", SP_XDB_READ, &db, &err);
    diag("newer glass format: %s", err.msg);
    is_failure(st, SPSEARCH_VERSION, &err, "newer",
               "iamglass with a newer format version");
    ok(strstr(err.msg, "format version") != NULL,
       "newer format: Xapian's explanation is kept");
    ok(db == NULL, "newer format: no handle");
    st = sp_xdb_open("newer", SP_XDB_WRITE, &db, &err);
    is_failure(st, SPSEARCH_VERSION, &err, "newer",
               "writer on an index with a newer format version");
    sp_xdb_free(db);

    /* A version file cut short. */
    make_index("short");
    if (truncate("short/iamglass", 5) != 0) {
        printf("Bail out! truncate: %s\n", strerror(errno));
        exit(99);
    }
    st = sp_xdb_open("short", SP_XDB_READ, &db, &err);
    is_failure(st, SPSEARCH_CORRUPT, &err, "short", "truncated iamglass");
    sp_xdb_free(db);
}

/* The library above refuses an index whose spsearch.format is newer than
 * SP_INDEX_FORMAT; the number must survive a round trip to be read. */
static void test_format_metadata(void)
{
    sp_xdb *db = open_or_bail("fmt", SP_XDB_OVERWRITE);
    sp_error err;
    char want[16];
    snprintf(want, sizeof want, "%d", SP_INDEX_FORMAT + 1);
    must(sp_xdb_set_metadata(db, SP_META_FORMAT, want, strlen(want), &err),
         &err, "set format");
    must(sp_xdb_close(db, &err), &err, "close");
    db = open_or_bail("fmt", SP_XDB_READ);
    char *val = NULL;
    size_t len = 0;
    must(sp_xdb_get_metadata(db, SP_META_FORMAT, &val, &len, &err), &err,
         "get format");
    is_str(val, want, "format number read back from a reopened index");
    ok(val != NULL && atoi(val) > SP_INDEX_FORMAT,
       "a newer format number is recognisable as newer");
    free(val);
    sp_xdb_close(db, NULL);
}

/* Another process holds the writer's lock (Xapian's locks are per
 * process, so the second writer must be a real process). */
static void test_locked(void)
{
    sp_xdb *db = open_or_bail("lockidx", SP_XDB_WRITE);
    sp_error err;
    int fds[2];
    if (pipe(fds) != 0) {
        printf("Bail out! pipe: %s\n", strerror(errno));
        exit(99);
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        printf("Bail out! fork: %s\n", strerror(errno));
        exit(99);
    }
    if (pid == 0) {
        sp_xdb *second = NULL;
        sp_error cerr;
        sp_error_clear(&cerr);
        spsearch_status_t st = sp_xdb_open("lockidx", SP_XDB_WRITE, &second,
                                           &cerr);
        ssize_t w = write(fds[1], cerr.msg, strlen(cerr.msg));
        (void)w;
        sp_xdb_free(second);
        _exit((int)st);
    }
    close(fds[1]);
    char msg[1100];
    size_t got = 0;
    for (;;) {
        ssize_t r = read(fds[0], msg + got, sizeof msg - 1 - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    msg[got] = '\0';
    close(fds[0]);
    int wst = 0;
    waitpid(pid, &wst, 0);
    ok(WIFEXITED(wst), "second writer process exited normally");
    is_long(WIFEXITED(wst) ? WEXITSTATUS(wst) : -1, SPSEARCH_LOCKED,
            "second writer in another process gets SPSEARCH_LOCKED");
    diag("locked: %s", msg);
    ok(strstr(msg, "lockidx") != NULL && strstr(msg, "opening index") != NULL,
       "locked: message names the path and what was done");
    ok(strstr(msg, "already locked") != NULL,
       "locked: message says the index is already locked");

    /* A reader is not kept out by the writer. */
    sp_xdb *reader = NULL;
    is_long(sp_xdb_open("lockidx", SP_XDB_READ, &reader, &err), SPSEARCH_OK,
            "a reader opens while a writer holds the lock");
    sp_xdb_close(reader, NULL);

    /* Closing releases the lock. */
    must(sp_xdb_close(db, &err), &err, "close");
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        sp_xdb *second = NULL;
        sp_error cerr;
        spsearch_status_t st = sp_xdb_open("lockidx", SP_XDB_WRITE, &second,
                                           &cerr);
        sp_xdb_free(second);
        _exit((int)st);
    }
    waitpid(pid, &wst, 0);
    is_long(WIFEXITED(wst) ? WEXITSTATUS(wst) : -1, SPSEARCH_OK,
            "after the first writer closes, another process can write");
}

/* Permissions: root ignores them, so only an ordinary user can check. */
static void test_permissions(void)
{
    static const char *const files[] = {"flintlock", "iamglass",
                                        "postlist.glass", "termlist.glass"};
    sp_xdb *db = NULL;
    sp_error err;
    spsearch_status_t st;
    if (geteuid() == 0) {
        for (int i = 0; i < 12; i++)
            skip("permissions: running as root, which ignores them");
        return;
    }

    /* An index the user may read but not write. */
    make_index("ro");
    for (size_t i = 0; i < 4; i++) {
        char p[64];
        snprintf(p, sizeof p, "ro/%s", files[i]);
        chmod(p, 0444);
    }
    chmod("ro", 0555);
    st = sp_xdb_open("ro", SP_XDB_WRITE, &db, &err);
    diag("read-only index opened for writing: %s", err.msg);
    is_failure(st, SPSEARCH_IO, &err, "ro",
               "writer on a read-only index: I/O, not \"locked\"");
    sp_xdb_free(db);
    db = NULL;
    st = sp_xdb_open("ro", SP_XDB_READ, &db, &err);
    is_long(st, SPSEARCH_OK, "a read-only index still opens for reading");
    sp_xdb_close(db, NULL);

    /* A new index in a folder the user may not write. */
    db = NULL;
    st = sp_xdb_open("ro/new", SP_XDB_WRITE, &db, &err);
    diag("new index in a read-only folder: %s", err.msg);
    is_failure(st, SPSEARCH_IO, &err, "ro/new",
               "writer creating an index in a read-only folder");
    ok(strstr(err.msg, "ermission denied") != NULL,
       "...and the message gives the reason, not \"no such file\"");
    sp_xdb_free(db);

    /* A folder the user may not enter. */
    make_index("closed");
    chmod("closed", 0);
    db = NULL;
    st = sp_xdb_open("closed", SP_XDB_READ, &db, &err);
    diag("unreadable folder: %s", err.msg);
    is_failure(st, SPSEARCH_IO, &err, "closed",
               "reader on a folder without permission");
    ok(strstr(err.msg, "ermission denied") != NULL,
       "...and the message says permission denied");
    sp_xdb_free(db);
    chmod("closed", 0755);
    chmod("ro", 0755);
}

/* ---- transactions and visibility ---- */

static void test_transactions(void)
{
    sp_error err;
    sp_xdb *w = open_or_bail("txn", SP_XDB_OVERWRITE);
    add(w, "one@1", NULL, NULL, NULL);
    must(sp_xdb_commit(w, &err), &err, "commit");

    sp_xdb *before = open_or_bail("txn", SP_XDB_READ);
    is_long(count(before), 1, "reader sees the first commit");

    must(sp_xdb_begin(w, &err), &err, "begin");
    add(w, "two@1", NULL, NULL, NULL);
    add(w, "three@1", NULL, NULL, NULL);
    is_long(count(w), 3, "the writer sees its uncommitted documents");
    is_long(sp_xdb_cancel(w, &err), SPSEARCH_OK, "cancel");
    is_long(count(w), 1, "cancel drops the transaction's documents");

    must(sp_xdb_begin(w, &err), &err, "begin");
    add(w, "two@1", NULL, NULL, NULL);
    add(w, "three@1", NULL, NULL, NULL);
    is_long(count(before), 1, "an open transaction is invisible to readers");
    is_long(sp_xdb_commit(w, &err), SPSEARCH_OK, "commit a transaction");

    sp_xdb *after = open_or_bail("txn", SP_XDB_READ);
    is_long(count(after), 3, "a reader opened after the commit sees it");
    is_long(count(before), 1, "an older reader keeps its snapshot");
    is_long(sp_xdb_reopen(before, NULL, &err), SPSEARCH_OK, "reopen");
    is_long(count(before), 3, "after reopen the older reader sees the commit");

    /* Closing a writer commits what is outside a transaction and drops an
     * open transaction. */
    add(w, "four@1", NULL, NULL, NULL);
    must(sp_xdb_begin(w, &err), &err, "begin");
    is_long(sp_xdb_close(w, &err), SPSEARCH_OK, "close with a transaction");
    must(sp_xdb_reopen(after, NULL, &err), &err, "reopen");
    is_long(count(after), 4,
            "close commits changes made outside a transaction");

    w = open_or_bail("txn", SP_XDB_WRITE);
    must(sp_xdb_begin(w, &err), &err, "begin");
    add(w, "five@1", NULL, NULL, NULL);
    sp_xdb_close(w, &err);
    must(sp_xdb_reopen(after, NULL, &err), &err, "reopen");
    is_long(count(after), 4, "close cancels an open transaction");

    /* A reader refuses to write, with a status rather than a crash. */
    sp_error_clear(&err);
    sp_xdoc *doc = make_doc("x@1", NULL, NULL);
    is_long(sp_xdb_add_doc(after, doc, NULL, &err), SPSEARCH_INVALID,
            "adding through a reader is SPSEARCH_INVALID");
    ok(strstr(err.msg, "txn") != NULL, "...with the path in the message");
    is_long(sp_xdb_begin(after, &err), SPSEARCH_INVALID,
            "a transaction on a reader is SPSEARCH_INVALID");
    is_long(sp_xdb_set_metadata(after, "k", "v", 1, &err), SPSEARCH_INVALID,
            "metadata through a reader is SPSEARCH_INVALID");
    sp_xdoc_free(doc);

    /* Overwrite empties the index. */
    w = open_or_bail("txn", SP_XDB_OVERWRITE);
    is_long(count(w), 0, "SP_XDB_OVERWRITE starts an empty index");
    sp_xdb_close(w, NULL);

    sp_xdb_close(before, NULL);
    sp_xdb_close(after, NULL);
}

/* ---- replace and delete by document id, delete by unique term ---- */

static void test_replace_delete(void)
{
    sp_error err;
    uint32_t freq = 0;
    uint32_t *ids = NULL;
    size_t nids = 0;
    sp_xdb *w = open_or_bail("repl", SP_XDB_OVERWRITE);
    must(sp_xdb_replace_doc_async(w, 7, make_doc("first@1", "one", NULL),
                                  &err),
         &err, "replace");
    is_long(count(w), 1, "replacing an unknown id adds the document");
    must(sp_xdb_replace_doc_async(w, 7, make_doc("second@1", "one", NULL),
                                  &err),
         &err, "replace");
    must(sp_xdb_replace_doc_async(w, 7, make_doc("third@1", "one", NULL),
                                  &err),
         &err, "replace");
    is_long(count(w), 1, "replacing twice keeps one document");
    must(sp_xdb_term_freq(w, "third", &freq, &err), &err, "term_freq");
    is_long(freq, 1, "the replacement's terms are indexed");
    must(sp_xdb_term_freq(w, "first", &freq, &err), &err, "term_freq");
    is_long(freq, 0, "the replaced document's terms are gone");
    must(sp_xdb_term_docids(w, "Qone", &ids, &nids, &err), &err, "docids");
    ok(nids == 1 && ids[0] == 7, "the replacement keeps the id it took");
    must(sp_xdb_delete_docids(w, ids, nids, &err), &err, "delete ids");
    free(ids);
    is_long(count(w), 0, "deleting by id removes it");
    add(w, "third@1", "one", NULL, NULL);

    for (int i = 0; i < 3; i++)
        add(w, "passage@1", "shared", NULL, NULL);
    add(w, "passage@1", "other", NULL, NULL);
    is_long(count(w), 5, "five documents before the delete");
    must(sp_xdb_term_freq(w, "Qshared", &freq, &err), &err, "term_freq");
    is_long(freq, 3, "three documents carry the shared term");
    is_long(sp_xdb_delete_term(w, "Qshared", &err), SPSEARCH_OK,
            "delete by term");
    is_long(count(w), 2, "deleting by a shared term removes all three");
    must(sp_xdb_term_freq(w, "Qother", &freq, &err), &err, "term_freq");
    is_long(freq, 1, "the other article is still there");
    is_long(sp_xdb_delete_term(w, "Qnobody", &err), SPSEARCH_OK,
            "deleting an unknown term is not an error");
    is_long(count(w), 2, "...and deletes nothing");

    uint64_t terms = 0;
    must(sp_xdb_term_count(w, "Q", &terms, &err), &err, "term_count");
    is_long(terms, 2, "term_count with prefix Q counts the two ids");
    sp_xdb_close(w, NULL);
}

/* A replacement Xapian refuses, in the writer thread: the message says
 * which document was being replaced, not that one was being added. */
static void test_replace_refused(void)
{
    sp_error err;
    uint32_t id = 0;
    char term[300];
    sp_xdb *w = open_or_bail("replrefused", SP_XDB_OVERWRITE);
    add(w, "kept@1", "one", NULL, &id);
    must(sp_xdb_commit(w, &err), &err, "commit");
    sp_xdoc *doc = NULL;
    must(sp_xdoc_new(&doc, &err), &err, "sp_xdoc_new");
    memset(term, 'x', sizeof term);
    must(sp_xdoc_add_term(doc, term, sizeof term, 1, &err), &err, "add_term");
    spsearch_status_t st = sp_xdb_replace_doc_async(w, id, doc, &err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_commit(w, &err);
    ok(st == SPSEARCH_INVALID, "a term over Xapian's limit: the replacement "
                               "fails as invalid input");
    char want[64];
    snprintf(want, sizeof want, "replacing document %u in", (unsigned)id);
    ok(strstr(err.msg, want) != NULL, "...naming the document replaced");
    ok(strstr(err.msg, "replrefused") != NULL, "...and the index");
    ok(strstr(err.msg, "adding") == NULL, "...not calling it an addition");
    sp_xdb_close(w, NULL);
    sp_xdb *r = open_or_bail("replrefused", SP_XDB_READ);
    uint32_t freq = 0;
    must(sp_xdb_term_freq(r, "kept", &freq, &err), &err, "term_freq");
    is_long(freq, 1, "the committed document is still there");
    sp_xdb_close(r, NULL);
}

/* ---- metadata ---- */

typedef struct keys {
    char seen[8][32];
    int n;
    int stop_after;
} keys;

static int on_key(void *ctx, const char *key, size_t len)
{
    keys *k = ctx;
    if (k->n < 8 && len < sizeof k->seen[0]) {
        memcpy(k->seen[k->n], key, len);
        k->seen[k->n][len] = '\0';
    }
    k->n++;
    return k->stop_after > 0 && k->n >= k->stop_after;
}

static void test_metadata(void)
{
    sp_error err;
    char *val = NULL;
    size_t len = 99;
    sp_xdb *w = open_or_bail("meta", SP_XDB_OVERWRITE);
    must(sp_xdb_set_metadata(w, "Fzeta", "3", 1, &err), &err, "set");
    must(sp_xdb_set_metadata(w, "Falpha", "1", 1, &err), &err, "set");
    must(sp_xdb_set_metadata(w, "Fmid", "2", 1, &err), &err, "set");
    must(sp_xdb_set_metadata(w, "G", "x", 1, &err), &err, "set");
    must(sp_xdb_set_metadata(w, "E", "x", 1, &err), &err, "set");
    must(sp_xdb_set_metadata(w, "bin", "a\0b\0", 4, &err), &err, "set");
    must(sp_xdb_commit(w, &err), &err, "commit");

    sp_xdb *r = open_or_bail("meta", SP_XDB_READ);
    must(sp_xdb_get_metadata(r, "Fmid", &val, &len, &err), &err, "get");
    is_str(val, "2", "metadata value read back");
    is_long(len, 1, "metadata length");
    free(val);
    must(sp_xdb_get_metadata(r, "bin", &val, &len, &err), &err, "get");
    ok(len == 4 && memcmp(val, "a\0b\0", 4) == 0,
       "binary metadata with NUL bytes read back whole");
    free(val);
    val = (char *)"junk";
    len = 99;
    must(sp_xdb_get_metadata(r, "absent", &val, &len, &err), &err, "get");
    ok(val == NULL && len == 0, "a missing key gives NULL and 0");

    keys k;
    memset(&k, 0, sizeof k);
    must(sp_xdb_metadata_keys(r, "F", on_key, &k, &err), &err, "keys");
    is_long(k.n, 3, "three keys start with F");
    is_str(k.seen[0], "Falpha", "keys in sorted order: first");
    is_str(k.seen[1], "Fmid", "keys in sorted order: second");
    is_str(k.seen[2], "Fzeta", "keys in sorted order: third");
    memset(&k, 0, sizeof k);
    k.stop_after = 2;
    must(sp_xdb_metadata_keys(r, "F", on_key, &k, &err), &err, "keys");
    is_long(k.n, 2, "a non-zero return stops the walk");
    memset(&k, 0, sizeof k);
    must(sp_xdb_metadata_keys(r, "", on_key, &k, &err), &err, "keys");
    is_long(k.n, 6, "prefix \"\" lists every key");
    is_str(k.seen[0], "E", "all keys sorted: first");
    is_str(k.seen[5], "bin", "all keys sorted: last (lower case after)");

    /* An empty value deletes the key. */
    must(sp_xdb_set_metadata(w, "Fmid", "", 0, &err), &err, "delete");
    must(sp_xdb_commit(w, &err), &err, "commit");
    must(sp_xdb_reopen(r, NULL, &err), &err, "reopen");
    must(sp_xdb_get_metadata(r, "Fmid", &val, &len, &err), &err, "get");
    ok(val == NULL && len == 0, "an empty value deletes the key");
    free(val);
    memset(&k, 0, sizeof k);
    must(sp_xdb_metadata_keys(r, "F", on_key, &k, &err), &err, "keys");
    is_long(k.n, 2, "the deleted key is no longer listed");
    sp_xdb_close(r, NULL);
    sp_xdb_close(w, NULL);
}

/* Metadata read and written while the writer thread adds documents: a
 * read sees every write since the commit, in order with the documents,
 * and a reader sees them only after the commit. */
static void test_metadata_while_writing(void)
{
    sp_error err;
    char *val = NULL;
    size_t len = 0;
    sp_xdb *w = open_or_bail("metaw", SP_XDB_OVERWRITE);
    must(sp_xdb_set_metadata(w, "kept", "old", 3, &err), &err, "set");
    must(sp_xdb_set_metadata(w, "gone", "x", 1, &err), &err, "set");
    must(sp_xdb_commit(w, &err), &err, "commit");
    must(sp_xdb_begin(w, &err), &err, "begin");
    for (int i = 0; i < 300; i++) {
        must(sp_xdb_add_doc_async(w, make_doc("word@1", NULL, NULL), &err),
             &err, "add_doc_async");
        if (i == 150) {
            must(sp_xdb_set_metadata(w, "kept", "new", 3, &err), &err, "set");
            must(sp_xdb_set_metadata(w, "gone", "", 0, &err), &err, "set");
            must(sp_xdb_set_metadata(w, "added", "a", 1, &err), &err, "set");
        }
    }
    must(sp_xdb_get_metadata(w, "kept", &val, &len, &err), &err, "get");
    is_str(val, "new", "while documents are queued: a changed key reads new");
    free(val);
    val = (char *)"junk";
    must(sp_xdb_get_metadata(w, "gone", &val, &len, &err), &err, "get");
    ok(val == NULL && len == 0, "...a deleted key reads absent");
    must(sp_xdb_get_metadata(w, "added", &val, &len, &err), &err, "get");
    is_str(val, "a", "...an added key reads back");
    free(val);
    sp_xdb *r = open_or_bail("metaw", SP_XDB_READ);
    must(sp_xdb_get_metadata(r, "kept", &val, &len, &err), &err, "get");
    is_str(val, "old", "a reader sees the committed value meanwhile");
    free(val);
    sp_xdb_close(r, NULL);

    must(sp_xdb_cancel(w, &err), &err, "cancel");
    must(sp_xdb_get_metadata(w, "kept", &val, &len, &err), &err, "get");
    is_str(val, "old", "after a cancel: the committed value again");
    free(val);
    must(sp_xdb_get_metadata(w, "gone", &val, &len, &err), &err, "get");
    is_str(val, "x", "...and the deleted key is back");
    free(val);

    must(sp_xdb_begin(w, &err), &err, "begin");
    must(sp_xdb_add_doc_async(w, make_doc("word@1", NULL, NULL), &err), &err,
         "add_doc_async");
    must(sp_xdb_set_metadata(w, "kept", "newer", 5, &err), &err, "set");
    must(sp_xdb_commit(w, &err), &err, "commit");
    must(sp_xdb_get_metadata(w, "kept", &val, &len, &err), &err, "get");
    is_str(val, "newer", "after a commit the writer reads the committed value");
    free(val);
    is_long(count(w), 1, "the cancelled documents are gone, the committed one"
                         " is there");
    r = open_or_bail("metaw", SP_XDB_READ);
    must(sp_xdb_get_metadata(r, "kept", &val, &len, &err), &err, "get");
    is_str(val, "newer", "...and a reader sees it");
    free(val);
    sp_xdb_close(r, NULL);
    sp_xdb_close(w, NULL);
}

/* ---- documents: data, values, positions ---- */

static void test_documents(void)
{
    sp_error err;
    static const char data[] = "head\0middle\0\xff\xfe tail";
    const size_t data_len = sizeof data - 1;
    uint32_t id = 0, id2 = 0;
    sp_xdb *w = open_or_bail("docs", SP_XDB_OVERWRITE);
    sp_xdoc *doc = NULL;
    must(sp_xdoc_new(&doc, &err), &err, "new");
    must(sp_xdoc_set_data(doc, data, data_len, &err), &err, "data");
    must(sp_xdoc_add_posting(doc, "word", 4, 3, &err), &err, "posting");
    must(sp_xdoc_add_posting(doc, "word", 4, 17, &err), &err, "posting");
    must(sp_xdoc_add_posting(doc, "word", 4, 9, &err), &err, "posting");
    must(sp_xdoc_add_posting(doc, "other", 5, 4, &err), &err, "posting");
    must(sp_xdoc_add_term(doc, "Enoposition", 11, 2, &err), &err, "term");
    must(sp_xdoc_set_value(doc, 1, "2025-07-31", 10, &err), &err, "value");
    must(sp_xdoc_set_value(doc, 5, "v\0w", 3, &err), &err, "value");
    must(sp_xdb_add_doc(w, doc, &id, &err), &err, "add");
    sp_xdoc_free(doc);
    add(w, "second@1", NULL, NULL, &id2);
    ok(id != 0 && id2 != 0 && id != id2, "add_doc returns distinct ids");
    uint32_t bare = 0;
    must(sp_xdoc_new(&doc, &err), &err, "new");
    must(sp_xdoc_add_term(doc, "bare", 4, 1, &err), &err, "term");
    must(sp_xdb_add_doc(w, doc, &bare, &err), &err, "add");
    sp_xdoc_free(doc);
    must(sp_xdb_commit(w, &err), &err, "commit");
    sp_xdb_close(w, NULL);

    sp_xdb *r = open_or_bail("docs", SP_XDB_READ);
    char *got = NULL;
    size_t len = 0;
    is_long(sp_xdb_doc_data(r, id, &got, &len, &err), SPSEARCH_OK,
            "doc_data");
    ok(got != NULL && len == data_len && memcmp(got, data, len) == 0,
       "document data with NUL bytes comes back byte for byte");
    free(got);

    must(sp_xdb_doc_value(r, id, 1, &got, &len, &err), &err, "value");
    is_str(got, "2025-07-31", "value in slot 1");
    free(got);
    must(sp_xdb_doc_value(r, id, 5, &got, &len, &err), &err, "value");
    ok(len == 3 && memcmp(got, "v\0w", 3) == 0, "binary value in slot 5");
    free(got);
    must(sp_xdb_doc_value(r, id, 7, &got, &len, &err), &err, "value");
    is_long(len, 0, "an unset slot is empty");
    free(got);

    uint32_t *pos = NULL;
    size_t n = 0;
    must(sp_xdb_positions(r, id, "word", &pos, &n, &err), &err, "positions");
    is_long(n, 3, "three positions of \"word\"");
    ok(n == 3 && pos[0] == 3 && pos[1] == 9 && pos[2] == 17,
       "positions come back ascending: 3 9 17");
    free(pos);
    pos = (uint32_t *)&n;
    must(sp_xdb_positions(r, id, "Enoposition", &pos, &n, &err), &err,
         "positions");
    ok(pos == NULL && n == 0, "a term without positions gives none");
    must(sp_xdb_positions(r, id, "absent", &pos, &n, &err), &err,
         "positions");
    ok(pos == NULL && n == 0, "an absent term gives no positions");

    /* A record in a value slot (format 3) wins over the data; without
     * one, the data is the record (formats 1 and 2). */
    must(sp_xdb_doc_record(r, id, 5, &got, &len, &err), &err, "record");
    ok(len == 3 && memcmp(got, "v\0w", 3) == 0,
       "a record in its value slot is read from there");
    free(got);
    must(sp_xdb_doc_record(r, id, 7, &got, &len, &err), &err, "record");
    ok(got != NULL && len == data_len && memcmp(got, data, len) == 0,
       "without the value, the document data is the record");
    free(got);
    got = (char *)"junk";
    sp_error_clear(&err);
    is_long(sp_xdb_doc_record(r, bare, 7, &got, &len, &err), SPSEARCH_CORRUPT,
            "a passage with neither value nor data is reported damaged");
    ok(got == NULL && strstr(err.msg, "docs") != NULL,
       "...with nothing returned, naming the index");

    got = (char *)"junk";
    sp_error_clear(&err);
    spsearch_status_t st = sp_xdb_doc_data(r, 999, &got, &len, &err);
    ok(st != SPSEARCH_OK && got == NULL,
       "reading a document that does not exist fails cleanly");
    diag("missing document: status %d: %s", (int)st, err.msg);
    ok(strstr(err.msg, "docs") != NULL, "...and names the index");
    sp_xdb_close(r, NULL);
}

/* ---- queries and search ---- */

static sp_xquery *term(const char *t)
{
    sp_xquery *q = NULL;
    sp_error err;
    must(sp_xquery_term(t, strlen(t), 1, 0, &q, &err), &err, "term");
    return q;
}

/* Combines two queries and frees them. */
static sp_xquery *comb2(sp_xq_op op, sp_xquery *a, sp_xquery *b,
                        uint32_t window)
{
    sp_xquery *subs[2] = {a, b};
    sp_xquery *q = NULL;
    sp_error err;
    must(sp_xquery_combine(op, subs, 2, window, &q, &err), &err, "combine");
    sp_xquery_free(a);
    sp_xquery_free(b);
    return q;
}

/* Runs q and returns the matching docids sorted, as "1 2 4", and frees q.
 * With collapse, the collapse counts follow each id: "1+1 4". */
static const char *run(sp_xdb *db, sp_xquery *q, int collapse_slot)
{
    static char out[256];
    sp_xsearch_opts opts = {0, 100, collapse_slot, -1, 0, 100, 1, 0};
    sp_xmset *m = NULL;
    sp_error err;
    uint32_t ids[64][2];
    uint32_t n;
    must(sp_xdb_search(db, q, &opts, &m, &err), &err, "search");
    n = sp_xmset_size(m);
    if (n > 64)
        n = 64;
    for (uint32_t i = 0; i < n; i++) {
        ids[i][0] = sp_xmset_docid(m, i);
        ids[i][1] = sp_xmset_collapse_count(m, i);
    }
    /* Sort by id: relevance order is not what these checks are about. */
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && ids[j - 1][0] > ids[j][0]; j--) {
            uint32_t t0 = ids[j][0], t1 = ids[j][1];
            ids[j][0] = ids[j - 1][0];
            ids[j][1] = ids[j - 1][1];
            ids[j - 1][0] = t0;
            ids[j - 1][1] = t1;
        }
    out[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        size_t used = strlen(out);
        if (ids[i][1] > 0)
            snprintf(out + used, sizeof out - used, "%s%u+%u",
                     i ? " " : "", (unsigned)ids[i][0], (unsigned)ids[i][1]);
        else
            snprintf(out + used, sizeof out - used, "%s%u", i ? " " : "",
                     (unsigned)ids[i][0]);
    }
    sp_xmset_free(m);
    sp_xquery_free(q);
    return out;
}

static sp_xquery *range(const char *lo, const char *hi)
{
    sp_xquery *q = NULL;
    sp_error err;
    must(sp_xquery_value_range(SP_SLOT_DATE, lo, hi, &q, &err), &err,
         "value_range");
    return q;
}

static sp_xquery *wildcard(const char *prefix, uint32_t limit)
{
    sp_xquery *q = NULL;
    sp_error err;
    must(sp_xquery_wildcard(prefix, limit, &q, &err), &err, "wildcard");
    return q;
}

static void test_search(void)
{
    sp_error err;
    sp_xdb *w = open_or_bail("search", SP_XDB_OVERWRITE);
    /* Articles A (passages 1, 2), B (3), C (4). */
    add(w, "apple@1 banana@2 cherry@3", "A", "2025-07-31", NULL);
    add(w, "apple@1 cherry@2 banana@3", "A", "2025-08-01", NULL);
    add(w, "banana@1 durian@2", "B", "2024-01-01", NULL);
    add(w, "banana@1 elder@5 cherub@7 apple@9", "C", "2025-12-31", NULL);
    must(sp_xdb_close(w, &err), &err, "close");
    sp_xdb *r = open_or_bail("search", SP_XDB_READ);

    is_str(run(r, term("apple"), -1), "1 2 4", "term apple");
    is_str(run(r, term("fig"), -1), "", "a term in no document");
    is_str(run(r, comb2(SP_XQ_AND, term("apple"), term("cherry"), 0), -1),
           "1 2", "apple AND cherry");
    is_str(run(r, comb2(SP_XQ_AND, term("apple"), term("durian"), 0), -1),
           "", "apple AND durian");
    is_str(run(r, comb2(SP_XQ_OR, term("cherry"), term("durian"), 0), -1),
           "1 2 3", "cherry OR durian");
    is_str(run(r, comb2(SP_XQ_AND_NOT, term("banana"), term("cherry"), 0),
               -1),
           "3 4", "banana AND_NOT cherry");
    is_str(run(r, comb2(SP_XQ_PHRASE, term("apple"), term("banana"), 2), -1),
           "1", "PHRASE apple banana, window 2: adjacent only");
    is_str(run(r, comb2(SP_XQ_PHRASE, term("apple"), term("banana"), 3), -1),
           "1 2", "PHRASE apple banana, window 3: one word between");
    is_str(run(r, comb2(SP_XQ_PHRASE, term("banana"), term("apple"), 2), -1),
           "", "PHRASE banana apple: order matters");
    is_str(run(r, comb2(SP_XQ_NEAR, term("banana"), term("apple"), 2), -1),
           "1", "NEAR banana apple, window 2: any order");
    is_str(run(r, comb2(SP_XQ_FILTER, term("banana"),
                        range("2025-01-01", "2025-12-31"), 0),
               -1),
           "1 2 4", "banana FILTER dates in 2025");

    is_str(run(r, range("2025-07-31", "2025-08-01"), -1), "1 2",
           "value range, both ends inclusive");
    is_str(run(r, range("2025-08-01", NULL), -1), "2 4",
           "value range, open upper end");
    is_str(run(r, range(NULL, "2025-07-31"), -1), "1 3",
           "value range, open lower end");
    is_str(run(r, range(NULL, NULL), -1), "1 2 3 4",
           "value range, both ends open: everything");

    is_str(run(r, wildcard("ch", 0), -1), "1 2 4",
           "wildcard ch* without a limit: cherry and cherub");
    is_str(run(r, wildcard("ch", 1), -1), "1 2",
           "wildcard ch* limited to one term keeps the most frequent");
    is_str(run(r, wildcard("ch", 2), -1), "1 2 4",
           "wildcard ch* within its limit");
    is_str(run(r, wildcard("e", 0), -1), "4", "wildcard e*");
    is_str(run(r, wildcard("zz", 0), -1), "",
           "wildcard without expansions");

    sp_xquery *all = NULL;
    must(sp_xquery_all(&all, &err), &err, "all");
    is_str(run(r, all, -1), "1 2 3 4", "match all");

    /* Collapsing on the article slot: one hit per article, and the number
     * of passages folded into it. */
    is_str(run(r, term("apple"), SP_SLOT_ARTICLE), "1+1 4",
           "apple collapsed per article: A has one more passage");
    is_str(run(r, term("banana"), SP_SLOT_ARTICLE), "1+1 3 4",
           "banana collapsed per article");
    is_str(run(r, term("durian"), SP_SLOT_ARTICLE), "3",
           "nothing to collapse");

    /* Scaling multiplies the weights and keeps the matches. */
    sp_xquery *plain = term("cherry");
    sp_xquery *scaled = NULL;
    must(sp_xquery_scale(plain, 2.0, &scaled, &err), &err, "scale");
    sp_xsearch_opts opts = {0, 10, -1, -1, 0, 10, 1, 0};
    sp_xmset *m1 = NULL, *m2 = NULL;
    must(sp_xdb_search(r, plain, &opts, &m1, &err), &err, "search");
    must(sp_xdb_search(r, scaled, &opts, &m2, &err), &err, "search");
    is_long(sp_xmset_size(m2), sp_xmset_size(m1),
            "a scaled query matches the same documents");
    ok(sp_xmset_size(m1) > 0 &&
           fabs(sp_xmset_weight(m2, 0) - 2.0 * sp_xmset_weight(m1, 0)) <
               1e-9 * sp_xmset_weight(m2, 0),
       "scaling by 2 doubles the weight");
    ok(sp_xmset_weight(m1, 0) > 0.0, "BM25 gives a positive weight");
    sp_xmset_free(m1);
    sp_xmset_free(m2);
    sp_xquery_free(scaled);
    is_long(sp_xquery_scale(plain, -1.0, &scaled, &err), SPSEARCH_INVALID,
            "a negative scale factor is SPSEARCH_INVALID");
    ok(scaled == NULL, "...with no query made");

    char *desc = sp_xquery_describe(plain);
    ok(desc != NULL && strstr(desc, "cherry") != NULL,
       "describe names the query's term");
    diag("describe: %s", desc ? desc : "(null)");
    free(desc);
    sp_xquery_free(plain);

    /* Sorting by date, newest first, with paging. */
    must(sp_xquery_all(&all, &err), &err, "all");
    sp_xsearch_opts sorted = {0, 10, -1, SP_SLOT_DATE, 1, 10, 1, 0};
    must(sp_xdb_search(r, all, &sorted, &m1, &err), &err, "search");
    char order[64] = "";
    for (uint32_t i = 0; i < sp_xmset_size(m1); i++) {
        size_t used = strlen(order);
        snprintf(order + used, sizeof order - used, "%s%u", i ? " " : "",
                 (unsigned)sp_xmset_docid(m1, i));
    }
    is_str(order, "4 2 1 3", "sorted by date, newest first");
    is_long(sp_xmset_estimate(m1), 4, "estimate on a small index is exact");
    sp_xmset_free(m1);
    sorted.offset = 1;
    sorted.limit = 2;
    must(sp_xdb_search(r, all, &sorted, &m1, &err), &err, "search");
    ok(sp_xmset_size(m1) == 2 && sp_xmset_docid(m1, 0) == 2 &&
           sp_xmset_docid(m1, 1) == 1,
       "offset 1, limit 2 gives the second and third");
    sp_xmset_free(m1);
    sp_xquery_free(all);

    is_long(sp_xquery_combine((sp_xq_op)99, NULL, 0, 0, &all, &err),
            SPSEARCH_INVALID, "an unknown operator is SPSEARCH_INVALID");
    ok(all == NULL, "...with no query made");
    sp_xdb_close(r, NULL);
}

/* ---- BM25's length normalisation folded into the frequencies ---- */

/* Passage lengths 20 and 236, and four of 128 without the word: the
 * average is SP_XFOLD_LENGTH, where the folded ranking is meant to equal
 * Xapian's BM25 exactly, up to rounding. */
static void add_sized(sp_xdb *db, int with_word, uint32_t length, int fold)
{
    sp_error err;
    sp_xdoc *doc = NULL;
    must(sp_xdoc_new(&doc, &err), &err, "sp_xdoc_new");
    uint32_t pad = length;
    if (with_word) {
        must(sp_xdoc_add_posting(doc, "target", 6, 1, &err), &err, "posting");
        must(sp_xdoc_add_term(doc, "Etargets", 8, 3, &err), &err, "term");
        pad -= 4;
    }
    must(sp_xdoc_add_term(doc, "padding", 7, pad, &err), &err, "term");
    /* A term left out of the length, as pair terms are: were it counted,
     * the longer passage's weight would move by 14%. */
    if (fold && with_word)
        must(sp_xdoc_add_term(doc, "XPtarget pad", 12, 50, &err), &err,
             "term");
    if (fold)
        must(sp_xdoc_fold_length(doc, "XP", &err), &err,
             "sp_xdoc_fold_length");
    must(sp_xdb_add_doc(db, doc, NULL, &err), &err, "sp_xdb_add_doc");
    sp_xdoc_free(doc);
}

static int on_occurrences(void *ctx, const char *term, size_t len,
                          uint32_t wdf, int estimated, double max_weight)
{
    char *out = ctx;
    (void)max_weight;
    (void)estimated;
    size_t used = strlen(out);
    snprintf(out + used, 64 - used, "%s%.*s=%u", used ? " " : "", (int)len,
             term, (unsigned)wdf);
    return 0;
}

static void test_folded_lengths(void)
{
    sp_error err;
    sp_xmset *m[2] = {NULL, NULL};
    sp_xdb *r[2] = {NULL, NULL}; /* open while their hits are read */
    sp_xquery *words[2] = {term("target"), term("Etargets")};
    sp_xquery *q = NULL;
    must(sp_xquery_combine(SP_XQ_OR, words, 2, 0, &q, &err), &err, "or");
    sp_xquery_free(words[0]);
    sp_xquery_free(words[1]);
    for (int fold = 0; fold < 2; fold++) {
        const char *name = fold ? "folded" : "unfolded";
        sp_xdb *w = open_or_bail(name, SP_XDB_OVERWRITE);
        add_sized(w, 1, 236, fold);
        add_sized(w, 1, 20, fold);
        for (int i = 0; i < 4; i++)
            add_sized(w, 0, 128, fold);
        must(sp_xdb_close(w, &err), &err, "close");
        r[fold] = open_or_bail(name, SP_XDB_READ);
        sp_xsearch_opts opts = {0, 10, -1, -1, 0, 10, 1, fold};
        must(sp_xdb_search(r[fold], q, &opts, &m[fold], &err), &err,
             "search");
    }
    ok(sp_xmset_size(m[1]) == 2 && sp_xmset_docid(m[1], 0) == 2,
       "folded: the shorter passage ranks first");
    for (uint32_t i = 0; i < 2 && sp_xmset_size(m[0]) == 2; i++) {
        double plain = sp_xmset_weight(m[0], i);
        double folded = sp_xmset_weight(m[1], i);
        diag("passage %u: BM25 %.4f, folded %.4f", (unsigned)i + 1, plain,
             folded);
        ok(sp_xmset_docid(m[0], i) == sp_xmset_docid(m[1], i) &&
               fabs(folded - plain) < 0.03 * plain,
           i == 0 ? "folded: the first hit has Xapian's BM25 weight, to 3%"
                  : "folded: the second hit has Xapian's BM25 weight, to 3%");
    }
    char seen[64] = "";
    must(sp_xmset_explain(m[1], 0, NULL, 0, on_occurrences, seen, &err), &err,
         "explain");
    is_str(seen, "Etargets=3 target=1",
           "folded: explaining gives occurrences, not folded frequencies");
    for (int fold = 0; fold < 2; fold++) {
        sp_xmset_free(m[fold]);
        sp_xdb_close(r[fold], NULL);
    }
    sp_xquery_free(q);
}

/* ---- pair terms: only where every passage of every shard has them ---- */

static void add_marked(sp_xdb *db, int paired)
{
    sp_error err;
    sp_xdoc *doc = NULL;
    must(sp_xdoc_new(&doc, &err), &err, "sp_xdoc_new");
    must(sp_xdoc_add_posting(doc, "word", 4, 1, &err), &err, "posting");
    if (paired)
        must(sp_xdoc_add_boolean(doc, SP_TERM_PAIRED, strlen(SP_TERM_PAIRED),
                                 &err),
             &err, "boolean");
    must(sp_xdb_add_doc(db, doc, NULL, &err), &err, "sp_xdb_add_doc");
    sp_xdoc_free(doc);
}

static int usable(const char *path, int format)
{
    sp_error err;
    int u = -1;
    sp_xdb *db = open_or_bail(path, SP_XDB_READ);
    must(sp_pairs_usable(db, format, &u, &err), &err, "sp_pairs_usable");
    sp_xdb_close(db, NULL);
    return u;
}

static void test_pairs_usable(void)
{
    sp_error err;
    sp_xdb *w = open_or_bail("paired", SP_XDB_OVERWRITE);
    add_marked(w, 1);
    add_marked(w, 1);
    must(sp_xdb_close(w, &err), &err, "close");
    w = open_or_bail("unpaired", SP_XDB_OVERWRITE);
    add_marked(w, 0);
    must(sp_xdb_close(w, &err), &err, "close");
    FILE *f = fopen("mixed.stub", "w");
    if (f == NULL || fprintf(f, "auto paired\nauto unpaired\n") < 0 ||
        fclose(f) != 0) {
        printf("Bail out! writing mixed.stub\n");
        exit(99);
    }
    f = fopen("both.stub", "w");
    if (f == NULL || fprintf(f, "auto paired\nauto paired\n") < 0 ||
        fclose(f) != 0) {
        printf("Bail out! writing both.stub\n");
        exit(99);
    }
    is_long(usable("paired", SP_FORMAT_PAIRS), 1,
            "pairs: usable where every passage has them");
    is_long(usable("paired", SP_FORMAT_PAIRS - 1), 0,
            "pairs: not on an index labelled an older format");
    is_long(usable("unpaired", SP_FORMAT_PAIRS), 0,
            "pairs: not where passages lack them, whatever the label");
    is_long(usable("mixed.stub", SP_FORMAT_PAIRS), 0,
            "pairs: not across shards when one shard lacks them");
    is_long(usable("both.stub", SP_FORMAT_PAIRS), 1,
            "pairs: across shards that all have them");
}

/* ---- stemmers ---- */

static void check_stem(sp_xstem *st, const char *word, const char *want,
                       const char *what)
{
    char buf[64];
    size_t n = 0;
    sp_error err;
    spsearch_status_t rc = sp_xstem_apply(st, word, strlen(word), buf,
                                          sizeof buf, &n, &err);
    if (rc != SPSEARCH_OK)
        buf[0] = '\0';
    is_str(buf, want, what);
    is_long(n, strlen(want), "stem length");
}

static void test_stemmers(void)
{
    sp_xstem *st = NULL;
    sp_error err;
    must(sp_xstem_new("english", &st, &err), &err, "english");
    check_stem(st, "running", "run", "english: running -> run");
    check_stem(st, "cooperation", "cooper", "english: cooperation");

    /* The stem must fit with its NUL. */
    char small[4];
    size_t n = 99;
    is_long(sp_xstem_apply(st, "running", 7, small, 3, &n, &err),
            SPSEARCH_INVALID, "a buffer too small for the stem is INVALID");
    is_long(n, 0, "...and the length is 0");
    is_long(sp_xstem_apply(st, "running", 7, small, 4, &n, &err), SPSEARCH_OK,
            "a buffer of exactly stem + NUL is enough");
    is_str(small, "run", "...and holds the stem");
    sp_xstem_free(st);

    must(sp_xstem_new("en", &st, &err), &err, "en");
    check_stem(st, "running", "run", "ISO code en works too");
    sp_xstem_free(st);

    must(sp_xstem_new("russian", &st, &err), &err, "russian");
    check_stem(st, "книгами", "книг", "russian: книгами -> книг");
    sp_xstem_free(st);
    must(sp_xstem_new("ru", &st, &err), &err, "ru");
    check_stem(st, "ракетами", "ракет", "ru: ракетами -> ракет");
    sp_xstem_free(st);

    must(sp_xstem_new("none", &st, &err), &err, "none");
    check_stem(st, "running", "running", "none stems nothing");
    sp_xstem_free(st);

    st = (sp_xstem *)&st;
    sp_error_clear(&err);
    is_long(sp_xstem_new("klingon", &st, &err), SPSEARCH_INVALID,
            "an unknown language is SPSEARCH_INVALID");
    ok(strstr(err.msg, "klingon") != NULL, "...naming the language");
    ok(st == NULL, "...with no stemmer made");
}

int main(void)
{
    diag("Xapian %s", sp_xdb_xapian_version());
    ok(strncmp(sp_xdb_xapian_version(), "1.", 2) == 0,
       "sp_xdb_xapian_version gives a 1.x version");
    tap_tmpdir("xdb");
    test_missing();
    test_garbage();
    test_damaged_version_file();
    test_format_metadata();
    test_locked();
    test_permissions();
    test_transactions();
    test_replace_delete();
    test_replace_refused();
    test_metadata();
    test_metadata_while_writing();
    test_documents();
    test_search();
    test_folded_lengths();
    test_pairs_usable();
    test_stemmers();
    u_cleanup();
    return tap_done();
}
