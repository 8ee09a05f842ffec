/*
 * nomem - the library out of memory: fails the 1st, 2nd, 3rd... allocation
 * of a set of searches, one failure a run, until a run makes no more
 * allocations than that, and checks that every run answers OK or
 * SPSEARCH_NOMEM with a message, that the handle then searches as before,
 * and that no failure leaves memory behind (tests/failmalloc says which
 * allocations are spared).  Built with AddressSanitizer, it skips (77).
 * Usage: nomem INDEX ARTICLE_PATH
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spsearch.h>

#include "tests/failmalloc/failmalloc.h"
#include "tests/failmalloc/failread.h"

#ifndef FAILMALLOC_SKIP
/* Of the last run: the allocation that failed (0: none), and how many
 * were spared before it. */
static unsigned long failed_at, spared_n;

static void arm(unsigned long k)
{
    failmalloc_arm(k);
}

static void disarm(void)
{
    failed_at = failmalloc_disarm(&spared_n);
}

static size_t in_use(void)
{
    return failmalloc_in_use();
}

static const char *const queries[] = {
    "cross-flight program", "\"cross flight program\"", "deorb*",
    "Russia's", "space -diplomacy", "nasa OR roscosmos", "title:roscosmos",
    "date:2025-07..2025-08 talks", "zyxwvut sanctions",
    /* With the other options (opts2): a correction, recency, newest
     * first, copies shown. */
    "Roskosmos", "space station",
};
/* queries[k] with k from this on run with opts2. */
#define QUERIES_OPTS2 9

/* What a search found, to compare runs: its hits' paths and passage
 * lengths. */
typedef struct outcome {
    char sig[4096];
    size_t len;
    int nomem;   /* some call answered SPSEARCH_NOMEM */
    int bad;     /* some call answered another error, or no message */
    char what[256];
} outcome;

static void note(outcome *o, const char *s)
{
    size_t n = strlen(s);
    if (o->len + n + 1 < sizeof o->sig) {
        memcpy(o->sig + o->len, s, n);
        o->len += n;
        o->sig[o->len++] = ';';
        o->sig[o->len] = '\0';
    }
}

/* The status a failure must give: out of memory, or an I/O error while
 * reads fail. */
static spsearch_status_t expected = SPSEARCH_NOMEM;

/* st from call; the failure's status must come with the handle's
 * message. */
static int status_ok(outcome *o, spsearch_index_t *ix, spsearch_status_t st,
                     const char *call)
{
    if (st == SPSEARCH_OK)
        return 1;
    const char *msg = ix ? spsearch_errmsg(ix) : NULL;
    if (st == expected && (ix == NULL || (msg != NULL && *msg))) {
        o->nomem = 1;
    } else if (!o->bad) {
        o->bad = 1;
        snprintf(o->what, sizeof o->what, "%s: status %d (%s): %s", call,
                 (int)st, spsearch_status_string(st), msg ? msg : "(none)");
    }
    return 0;
}

static void read_results(outcome *o, spsearch_index_t *ix,
                         spsearch_results_t *res)
{
    const spsearch_hit_t *hit;
    for (;;) {
        spsearch_status_t st = spsearch_results_next(res, &hit);
        if (!status_ok(o, ix, st, "spsearch_results_next") || hit == NULL)
            break;
        size_t len = 0, start, end;
        const char *text = spsearch_hit_passage_text(hit, &len);
        char line[600];
        snprintf(line, sizeof line, "%s %zu", spsearch_hit_path(hit),
                 text ? len : 0);
        for (size_t i = 0; spsearch_hit_highlight(hit, i, &start, &end) == 0; i++)
            ;
        for (size_t k = 0; k < spsearch_hit_copies(hit); k++)
            (void)spsearch_hit_copy(hit, k, NULL);
        (void)spsearch_hit_explain(hit);
        note(o, line);
    }
}

static spsearch_options_t *opts2;

/* Search number q of a run on ix: queries[q], or for the last one the
 * articles like the article at like. */
static void search(outcome *o, spsearch_index_t *ix, spsearch_options_t *opts,
                   size_t q, const char *like)
{
    size_t nq = sizeof queries / sizeof *queries;
    spsearch_results_t *res = NULL;
    const char *name = q < nq ? queries[q] : "like";
    spsearch_status_t st =
        q < nq ? spsearch_search_with(ix, queries[q],
                                      q < QUERIES_OPTS2 ? opts : opts2, &res)
               : spsearch_search_like(ix, like, NULL, opts2, &res);
    note(o, name);
    if (status_ok(o, ix, st, name))
        read_results(o, ix, res);
    else if (res != NULL && !o->bad) {
        o->bad = 1;
        snprintf(o->what, sizeof o->what, "%s: results despite status %d",
                 name, (int)st);
    }
    spsearch_results_free(res);
}

/* Search q with its first allocation from number k on that is not spared
 * failing (k 0: none); returns the number of the one that failed, 0 when
 * none did. */
static unsigned long run(outcome *o, spsearch_index_t *ix, spsearch_options_t *opts,
               size_t q, const char *like, unsigned long k)
{
    memset(o, 0, sizeof *o);
    arm(k);
    search(o, ix, opts, q, like);
    disarm();
    return failed_at;
}

/* The same with the handle opened in the run too. */
static unsigned long run_open(outcome *o, const char *path, spsearch_options_t *opts,
                    const char *like, unsigned long k)
{
    spsearch_index_t *ix = NULL;
    char *msg = NULL;
    memset(o, 0, sizeof *o);
    arm(k);
    spsearch_status_t st = spsearch_open(path, &ix, &msg);
    if (status_ok(o, NULL, st, "spsearch_open")) {
        spsearch_results_t *res = NULL;
        if (status_ok(o, ix, spsearch_search_with(ix, queries[0], opts, &res),
                      "spsearch_search_with"))
            read_results(o, ix, res);
        spsearch_results_free(res);
    } else if (ix != NULL && !o->bad) {
        o->bad = 1;
        snprintf(o->what, sizeof o->what, "spsearch_open: a handle with "
                 "status %d", (int)st);
    }
    spsearch_close(ix);
    spsearch_free(msg);
    disarm();
    (void)like;
    return failed_at;
}

/* What is wrong with a failed search got, the same search run again after
 * it, and want, the search before any failure; NULL when nothing is. */
static const char *after(const outcome *got, const outcome *again,
                         const outcome *want)
{
    if (got->bad)
        return got->what;
    if (again->bad || again->len != want->len ||
        memcmp(again->sig, want->sig, want->len) != 0)
        return "the handle searched differently after";
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: nomem INDEX ARTICLE_PATH\n");
        return 99;
    }
    spsearch_index_t *ix = NULL;
    spsearch_options_t *opts = NULL;
    char *msg = NULL;
    if (spsearch_open(argv[1], &ix, &msg) != SPSEARCH_OK ||
        spsearch_options_new(&opts) != SPSEARCH_OK) {
        fprintf(stderr, "nomem: %s\n", msg ? msg : "cannot open");
        return 99;
    }
    spsearch_options_set_explain(opts, 1);
    spsearch_options_set_passages(opts, 2);
    if (spsearch_options_new(&opts2) != SPSEARCH_OK)
        return 99;
    spsearch_options_set_correct(opts2, 1);
    spsearch_options_set_recency(opts2, 30.0);
    spsearch_options_set_sort(opts2, SPSEARCH_SORT_NEWEST);
    spsearch_options_set_duplicates(opts2, 1);

    static outcome want, got, again;
    size_t nsearches = sizeof queries / sizeof *queries + 1;
    unsigned long tried = 0, spared = 0, nomem = 0, answered = 0;
    unsigned long problems = 0;
    for (size_t q = 0; q < nsearches; q++) {
        /* Twice unarmed: the first fills what the library and its
         * libraries keep for good (ICU's data, Xapian's caches). */
        run(&want, ix, opts, q, argv[2], 0);
        run(&want, ix, opts, q, argv[2], 0);
        if (want.bad || want.nomem) {
            fprintf(stderr, "nomem: without failures: %s\n", want.what);
            return 99;
        }
        size_t base = in_use();
        for (unsigned long k = 1;
             (k = run(&got, ix, opts, q, argv[2], k)) != 0; k++) {
            spared += spared_n;
            tried++;
            nomem += got.nomem;
            answered += !got.nomem;
            size_t held = in_use();
            run(&again, ix, opts, q, argv[2], 0);
            const char *problem = after(&got, &again, &want);
            if (problem == NULL && held > base)
                problem = "memory left behind";
            if (problem != NULL && problems++ < 10)
                printf("not ok - %s, allocation %lu failing: %s (%zu bytes "
                       "over)\n",
                       q + 1 < nsearches ? queries[q] : "like", k, problem,
                       held > base ? held - base : 0);
            if (in_use() > base)
                base = in_use();
        }
    }
    printf("# %lu allocations of the searches failed one by one: %lu "
           "answered out of memory, %lu went on without it; %lu of "
           "Xapian's and ubrk_open's spared\n",
           tried, nomem, answered, spared);

    /* The index's reads failing (EIO) one by one, as on a dying disk. */
    expected = SPSEARCH_IO;
    unsigned long reads = 0, io = 0;
    for (size_t q = 0; q < nsearches; q++) {
        run(&want, ix, opts, q, argv[2], 0);
        for (unsigned long k = 1;; k++) {
            memset(&got, 0, sizeof got);
            failread_arm(k);
            search(&got, ix, opts, q, argv[2]);
            if (!failread_disarm())
                break;
            reads++;
            io += got.nomem;
            run(&again, ix, opts, q, argv[2], 0);
            const char *problem = after(&got, &again, &want);
            if (problem != NULL && problems++ < 10)
                printf("not ok - %s, read %lu failing: %s\n",
                       q + 1 < nsearches ? queries[q] : "like", k, problem);
        }
    }
    printf("# %lu reads of the searches failed one by one: %lu answered an "
           "I/O error\n",
           reads, io);
    expected = SPSEARCH_NOMEM;
    spsearch_options_free(opts);
    spsearch_options_free(opts2);
    spsearch_close(ix);

    unsigned long open_tried = 0, open_spared = 0, open_problems = 0;
    run_open(&got, argv[1], NULL, argv[2], 0);
    size_t open_base = in_use();
    for (unsigned long open_k = 1;
         (open_k = run_open(&got, argv[1], NULL, argv[2], open_k)) != 0;
         open_k++) {
        open_tried++;
        open_spared += spared_n;
        const char *problem = got.bad                ? got.what
                              : in_use() > open_base ? "memory left behind"
                                                     : NULL;
        if (problem != NULL && open_problems++ < 10)
            printf("not ok - allocation %lu of open and search failing: "
                   "%s (%zu bytes over)\n",
                   open_k, problem,
                   in_use() > open_base ? in_use() - open_base : 0);
        if (in_use() > open_base)
            open_base = in_use();
    }
    printf("# %lu allocations of opening the index and a search failed one "
           "by one; %lu spared\n",
           open_tried, open_spared);
    problems += open_problems;
    if (problems == 0 && nomem > 0 && io > 0)
        printf("ok - every failed allocation answered out of memory or "
               "was recovered from, every failed read answered an I/O "
               "error, and each left the handle searching as before\n");
    else if (nomem == 0 || io == 0)
        printf("not ok - no search answered out of memory, or none an I/O "
               "error\n");
    return problems == 0 && nomem > 0 && io > 0 ? 0 : 1;
}
#else
int main(void)
{
    printf("1..0 # SKIP %s\n", FAILMALLOC_SKIP);
    return 77;
}
#endif
