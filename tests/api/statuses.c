/*
 * statuses - the status codes and the calls that must fail cleanly, seen
 * from a user's program: only the public header is used.  Speaks TAP.
 *
 * The temporary folder is removed when every check passes and kept (and
 * named) when one fails.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spsearch.h>

static int tests_run;
static int tests_failed;

/* Out-parameters start out pointing here, to see that the library resets
 * them. */
static char stale;

/* Prints one TAP line; returns cond so that callers can add diagnostics. */
static int ok(int cond, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static int ok(int cond, const char *fmt, ...)
{
    va_list ap;
    tests_run++;
    if (!cond)
        tests_failed++;
    printf("%sok %d - ", cond ? "" : "not ", tests_run);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    return cond;
}

/* dir + "/" + name, malloc'd; exits with 99 (a hard error) when memory
 * runs out. */
static char *join(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *s = malloc(a + 1 + b + 1);
    if (s == NULL) {
        printf("Bail out! out of memory\n");
        exit(99);
    }
    memcpy(s, dir, a);
    s[a] = '/';
    memcpy(s + a + 1, name, b + 1);
    return s;
}

static void diag(const char *what, const char *value)
{
    printf("#   %s: %s\n", what, value != NULL ? value : "(null)");
}

/* Every status the header declares, with the value it must keep: values
 * are append-only, so a renumbering is an ABI break this catches. */
static const struct {
    spsearch_status_t status;
    int value;
    const char *name;
} statuses[] = {
    {SPSEARCH_OK, 0, "SPSEARCH_OK"},
    {SPSEARCH_NOMEM, 1, "SPSEARCH_NOMEM"},
    {SPSEARCH_INVALID, 2, "SPSEARCH_INVALID"},
    {SPSEARCH_NO_INDEX, 3, "SPSEARCH_NO_INDEX"},
    {SPSEARCH_LOCKED, 4, "SPSEARCH_LOCKED"},
    {SPSEARCH_CORRUPT, 5, "SPSEARCH_CORRUPT"},
    {SPSEARCH_VERSION, 6, "SPSEARCH_VERSION"},
    {SPSEARCH_MODIFIED, 7, "SPSEARCH_MODIFIED"},
    {SPSEARCH_BAD_QUERY, 8, "SPSEARCH_BAD_QUERY"},
    {SPSEARCH_IO, 9, "SPSEARCH_IO"},
    {SPSEARCH_NETWORK, 10, "SPSEARCH_NETWORK"},
    {SPSEARCH_INTERNAL, 11, "SPSEARCH_INTERNAL"},
    {SPSEARCH_BAD_INPUT, 12, "SPSEARCH_BAD_INPUT"},
};
#define N_STATUSES (sizeof statuses / sizeof statuses[0])

/* The enumerator's name, for messages. */
static const char *status_name(spsearch_status_t st)
{
    for (size_t i = 0; i < N_STATUSES; i++) {
        if (statuses[i].status == st)
            return statuses[i].name;
    }
    return "an unknown status";
}

static void test_status_strings(void)
{
    for (size_t i = 0; i < N_STATUSES; i++) {
        const char *s = spsearch_status_string(statuses[i].status);
        ok((int)statuses[i].status == statuses[i].value, "%s is %d",
           statuses[i].name, statuses[i].value);
        if (!ok(s != NULL && *s != '\0', "%s has a text", statuses[i].name))
            diag("got", s);
    }

    int distinct = 1;
    for (size_t i = 0; i < N_STATUSES; i++) {
        for (size_t j = i + 1; j < N_STATUSES; j++) {
            const char *a = spsearch_status_string(statuses[i].status);
            const char *b = spsearch_status_string(statuses[j].status);
            if (a != NULL && b != NULL && strcmp(a, b) == 0) {
                distinct = 0;
                diag(statuses[i].name, a);
                diag(statuses[j].name, b);
            }
        }
    }
    ok(distinct, "every status has its own text");

    const int unknown[] = {13, 99, 1000, -1};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *s = spsearch_status_string((spsearch_status_t)unknown[i]);
        ok(s != NULL && *s != '\0', "unknown status %d has a text",
           unknown[i]);
    }
}

static void test_version(void)
{
    char want[64];
    const char *got = spsearch_version();
    snprintf(want, sizeof want, "%d.%d.%d", SPSEARCH_VERSION_MAJOR,
             SPSEARCH_VERSION_MINOR, SPSEARCH_VERSION_PATCH);
    if (!ok(got != NULL && strcmp(got, want) == 0,
            "spsearch_version() matches the SPSEARCH_VERSION_* macros")) {
        diag("got", got);
        diag("want", want);
    }
    /* The details start with the same version and name each library. */
    const char *details = spsearch_version_details();
    char head[sizeof want + 32];
    snprintf(head, sizeof head, "libspsearch %s, Xapian ", want);
    if (!ok(details != NULL && strncmp(details, head, strlen(head)) == 0 &&
                strstr(details, ", ICU ") != NULL &&
                strstr(details, ", zlib ") != NULL,
            "spsearch_version_details() names the library, Xapian, ICU "
            "and zlib"))
        diag("got", details);
    ok(details == spsearch_version_details(),
       "spsearch_version_details() is one static string");
}

/* Opens path, expecting status want, a NULL index and a message that
 * names path. */
static void expect_open_failure(const char *path, spsearch_status_t want,
                                const char *what)
{
    spsearch_index_t *index = (void *)&stale;
    char *errmsg = NULL;
    spsearch_status_t st = spsearch_open(path, &index, &errmsg);
    if (!ok(st == want, "%s gives %s", what, status_name(want))) {
        diag("got", status_name(st));
        diag("message", errmsg);
    }
    ok(index == NULL, "%s sets index to NULL", what);
    if (!ok(errmsg != NULL && strstr(errmsg, path) != NULL,
            "%s gives a message naming the path", what))
        diag("message", errmsg);
    if (st == SPSEARCH_OK)
        spsearch_close(index);
    spsearch_free(errmsg);
}

/* Writes n pseudo-random bytes to dir/name; returns 0 or -1. */
static int write_garbage(const char *dir, const char *name, size_t n,
                         unsigned *seed)
{
    char *path = join(dir, name);
    FILE *f = fopen(path, "wb");
    free(path);
    if (f == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        /* A fixed generator, so that every run sees the same garbage. */
        *seed = *seed * 1103515245u + 12345u;
        putc((int)((*seed >> 16) & 0xff), f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static const char *const garbage_files[] = {
    "iamglass", "postlist.glass", "termlist.glass", "record.glass",
    "position.glass", "docdata.glass"};
#define N_GARBAGE (sizeof garbage_files / sizeof garbage_files[0])

static void test_open_failures(const char *tmp)
{
    char *missing = join(tmp, "no-such-index");
    char *empty = join(tmp, "empty");
    char *garbage = join(tmp, "garbage");

    expect_open_failure(missing, SPSEARCH_NO_INDEX, "a missing path");

    /* Only a path that is not there at all is a missing index. */
    if (mkdir(empty, 0700) != 0) {
        ok(0, "making %s", empty);
    } else {
        expect_open_failure(empty, SPSEARCH_CORRUPT, "an empty folder");
    }

    int made = mkdir(garbage, 0700) == 0;
    unsigned seed = 2025;
    for (size_t i = 0; made && i < N_GARBAGE; i++)
        made = write_garbage(garbage, garbage_files[i], 8192, &seed) == 0;
    if (!made)
        ok(0, "making a folder of garbage in %s", garbage);
    else
        expect_open_failure(garbage, SPSEARCH_CORRUPT, "a folder of garbage");

    /* Arguments the library must refuse, not crash on. */
    spsearch_index_t *index = (void *)&stale;
    char *errmsg = NULL;
    spsearch_status_t st = spsearch_open(NULL, &index, &errmsg);
    ok(st == SPSEARCH_INVALID && index == NULL,
       "spsearch_open(NULL path) gives SPSEARCH_INVALID and a NULL index");
    if (!ok(errmsg != NULL && *errmsg != '\0',
            "spsearch_open(NULL path) explains why"))
        diag("message", errmsg);
    spsearch_free(errmsg);

    errmsg = NULL;
    index = (void *)&stale;
    st = spsearch_open("", &index, &errmsg);
    ok(st == SPSEARCH_INVALID && index == NULL,
       "spsearch_open(\"\") gives SPSEARCH_INVALID and a NULL index");
    spsearch_free(errmsg);

    errmsg = NULL;
    st = spsearch_open(missing, NULL, &errmsg);
    ok(st == SPSEARCH_INVALID,
       "spsearch_open() without an index pointer gives SPSEARCH_INVALID");
    spsearch_free(errmsg);

    index = (void *)&stale;
    st = spsearch_open(missing, &index, NULL);
    ok(st == SPSEARCH_NO_INDEX && index == NULL,
       "spsearch_open() works without an errmsg pointer");

    free(missing);
    free(empty);
    free(garbage);
}

static void test_null_handles(void)
{
    spsearch_close(NULL);
    spsearch_results_free(NULL);
    spsearch_free(NULL);
    ok(1, "spsearch_close, spsearch_results_free and spsearch_free accept "
          "NULL");

    spsearch_results_t *results = (void *)&stale;
    spsearch_status_t st = spsearch_search(NULL, "deorbit", 0, 10, &results);
    ok(st == SPSEARCH_INVALID, "spsearch_search(NULL index) gives "
                               "SPSEARCH_INVALID");
    ok(results == NULL, "spsearch_search(NULL index) sets results to NULL");

    const spsearch_hit_t *hit = (void *)&stale;
    st = spsearch_results_next(NULL, &hit);
    ok(st == SPSEARCH_INVALID && hit == NULL,
       "spsearch_results_next(NULL) gives SPSEARCH_INVALID and a NULL hit");

    ok(spsearch_errmsg(NULL) != NULL, "spsearch_errmsg(NULL) is not NULL");
    ok(spsearch_error_offset(NULL) == -1, "spsearch_error_offset(NULL) is -1");
    size_t passages = 7;
    int writing = 7;
    ok(spsearch_index_state(NULL, &passages, &writing) == SPSEARCH_INVALID &&
           passages == 0 && writing == 0,
       "spsearch_index_state(NULL) gives SPSEARCH_INVALID and zeroes");
    ok(spsearch_results_estimate(NULL) == 0 &&
           spsearch_results_suggestion(NULL) == NULL &&
           spsearch_results_corrected(NULL) == 0 &&
           spsearch_results_query(NULL) == NULL,
       "a NULL page has no estimate, suggestion nor correction");

    size_t start = 7, end = 7, len = 7;
    ok(spsearch_hit_highlight(NULL, 0, &start, &end) == -1 &&
           spsearch_hit_highlight_count(NULL) == 0,
       "the highlights of a NULL hit are none");
    ok(spsearch_hit_path(NULL) == NULL && spsearch_hit_title(NULL) == NULL &&
           spsearch_hit_date(NULL) == NULL &&
           spsearch_hit_id(NULL) == NULL && spsearch_hit_url(NULL) == NULL &&
           spsearch_hit_author(NULL) == NULL &&
           spsearch_hit_source(NULL) == NULL &&
           spsearch_hit_passage_text(NULL, &len) == NULL && len == 0,
       "the strings of a NULL hit are NULL");
    start = end = 7;
    ok(spsearch_hit_lede(NULL, &start, &end) == 0 && start == 0 && end == 0 &&
           spsearch_hit_lede(NULL, NULL, NULL) == 0,
       "a NULL hit has no headline and its lede at 0");
    const char *copy_id = (const char *)&stale;
    ok(spsearch_hit_copies(NULL) == 0 &&
           spsearch_hit_copy(NULL, 0, &copy_id) == NULL && copy_id == NULL &&
           spsearch_hit_copy(NULL, 0, NULL) == NULL,
       "a NULL hit has no copies");
}

/* The options' setters refuse what libspsearch.3 says they refuse. */
static void test_options(void)
{
    spsearch_options_t *opts = NULL;
    ok(spsearch_options_new(NULL) == SPSEARCH_INVALID,
       "spsearch_options_new(NULL) gives SPSEARCH_INVALID");
    if (!ok(spsearch_options_new(&opts) == SPSEARCH_OK && opts != NULL,
            "spsearch_options_new() makes options"))
        return;

    ok(spsearch_options_set_page(NULL, 0, 10) == SPSEARCH_INVALID &&
           spsearch_options_set_sort(NULL, SPSEARCH_SORT_NEWEST) ==
               SPSEARCH_INVALID &&
           spsearch_options_set_lang(NULL, "en") == SPSEARCH_INVALID &&
           spsearch_options_set_dates(NULL, "2025", NULL) ==
               SPSEARCH_INVALID &&
           spsearch_options_set_correct(NULL, 1) == SPSEARCH_INVALID &&
           spsearch_options_set_exact_count(NULL, 1) == SPSEARCH_INVALID &&
           spsearch_options_set_duplicates(NULL, 1) == SPSEARCH_INVALID,
       "the option setters refuse NULL options");
    ok(spsearch_options_set_page(opts, 20, 0) == SPSEARCH_OK &&
           spsearch_options_set_page(opts, 2147483648u, 10) ==
               SPSEARCH_INVALID,
       "spsearch_options_set_page() refuses an offset over 2147483647");
    ok(spsearch_options_set_sort(opts, SPSEARCH_SORT_OLDEST) == SPSEARCH_OK &&
           spsearch_options_set_sort(opts, (spsearch_sort_t)3) ==
               SPSEARCH_INVALID,
       "spsearch_options_set_sort() refuses an unknown order");
    ok(spsearch_options_set_lang(opts, "ru") == SPSEARCH_OK &&
           spsearch_options_set_lang(opts, NULL) == SPSEARCH_OK &&
           spsearch_options_set_lang(opts, "xx") == SPSEARCH_INVALID,
       "spsearch_options_set_lang() refuses an unknown language");

    static const char *const good[] = {"2025", "2025-07", "2025-07-31"};
    static const char *const bad[] = {"", "25", "2025-7", "2025-07-1",
                                      "2025/07/31", "July 2025",
                                      "2025-07-31T00"};
    int all_good = 1, all_bad = 1;
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        if (spsearch_options_set_dates(opts, good[i], good[i]) !=
            SPSEARCH_OK) {
            all_good = 0;
            diag("refused", good[i]);
        }
    }
    ok(all_good, "spsearch_options_set_dates() takes YYYY, YYYY-MM and "
                 "YYYY-MM-DD");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (spsearch_options_set_dates(opts, bad[i], NULL) !=
                SPSEARCH_INVALID ||
            spsearch_options_set_dates(opts, NULL, bad[i]) !=
                SPSEARCH_INVALID) {
            all_bad = 0;
            diag("taken", bad[i]);
        }
    }
    ok(all_bad, "spsearch_options_set_dates() refuses malformed dates");
    ok(spsearch_options_set_dates(opts, NULL, NULL) == SPSEARCH_OK,
       "spsearch_options_set_dates() takes no bounds");
    ok(spsearch_options_set_dates(opts, "2025-08", "2025-07") ==
               SPSEARCH_INVALID &&
           spsearch_options_set_dates(opts, "2025-07-31", "2025-07") ==
               SPSEARCH_OK,
       "spsearch_options_set_dates() refuses since after until, takes a "
       "day within until's month");
    spsearch_options_set_dates(opts, NULL, NULL);

    spsearch_results_t *results = (void *)&stale;
    ok(spsearch_search_with(NULL, "deorbit", opts, &results) ==
               SPSEARCH_INVALID &&
           results == NULL,
       "spsearch_search_with(NULL index) gives SPSEARCH_INVALID and a NULL "
       "results");
    results = (void *)&stale;
    ok(spsearch_search_like(NULL, "/a.txt", NULL, opts, &results) ==
               SPSEARCH_INVALID &&
           results == NULL,
       "spsearch_search_like(NULL index) gives SPSEARCH_INVALID and a NULL "
       "results");
    spsearch_options_free(opts);
    spsearch_options_free(NULL);
    ok(1, "spsearch_options_free accepts NULL");
}

static int count_token(void *ctx, const char *term, const char *exact,
                       unsigned long pos, size_t start, size_t end,
                       unsigned flags)
{
    (void)term;
    (void)exact;
    (void)pos;
    (void)start;
    (void)end;
    (void)flags;
    (*(int *)ctx)++;
    return 0;
}

static void test_analyze(void)
{
    int n = 0;
    char *errmsg = (void *)&stale;
    spsearch_status_t st = spsearch_analyze("the cross-flight program", NULL,
                                            count_token, &n, &errmsg);
    if (!ok(st == SPSEARCH_OK && n > 0 && errmsg == NULL,
            "spsearch_analyze() runs, with errmsg set to NULL")) {
        diag("got", status_name(st));
        diag("message", st == SPSEARCH_OK ? NULL : errmsg);
    }
    if (st != SPSEARCH_OK)
        spsearch_free(errmsg);

    errmsg = NULL;
    st = spsearch_analyze(NULL, NULL, count_token, &n, &errmsg);
    ok(st == SPSEARCH_INVALID && errmsg != NULL,
       "spsearch_analyze(NULL text) gives SPSEARCH_INVALID and a message");
    spsearch_free(errmsg);

    errmsg = NULL;
    st = spsearch_analyze("text", NULL, NULL, NULL, &errmsg);
    ok(st == SPSEARCH_INVALID, "spsearch_analyze(NULL fn) gives "
                               "SPSEARCH_INVALID");
    spsearch_free(errmsg);

    errmsg = NULL;
    st = spsearch_analyze("text", "xx", count_token, &n, &errmsg);
    if (!ok(st == SPSEARCH_INVALID && errmsg != NULL &&
                strstr(errmsg, "xx") != NULL,
            "spsearch_analyze() with an unknown language gives "
            "SPSEARCH_INVALID and names it"))
        diag("message", errmsg);
    spsearch_free(errmsg);
}

int main(void)
{
    const char *tmpdir = getenv("TMPDIR");
    if (tmpdir == NULL || *tmpdir == '\0')
        tmpdir = "/tmp";
    char *tmp = join(tmpdir, "spsearch-statuses.XXXXXX");
    if (mkdtemp(tmp) == NULL) {
        printf("Bail out! cannot make a temporary folder in %s\n", tmpdir);
        free(tmp);
        return 99;
    }

    test_status_strings();
    test_version();
    test_open_failures(tmp);
    test_null_handles();
    test_options();
    test_analyze();

    printf("1..%d\n", tests_run);
    if (tests_failed > 0) {
        printf("# %d of %d failed; kept %s\n", tests_failed, tests_run, tmp);
        free(tmp);
        return 1;
    }

    char *garbage = join(tmp, "garbage");
    for (size_t i = 0; i < N_GARBAGE; i++) {
        char *path = join(garbage, garbage_files[i]);
        remove(path);
        free(path);
    }
    rmdir(garbage);
    free(garbage);
    char *empty = join(tmp, "empty");
    rmdir(empty);
    free(empty);
    rmdir(tmp);
    free(tmp);
    return 0;
}
