/*
 * queries - runs many queries through one index handle, every kind the
 * query language has, and frees everything: run under valgrind by
 * tests/e2e/valgrind.sh to show the library leaks nothing.
 * Usage: queries INDEX [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spsearch.h>

static const char *const queries[] = {
    "deorbit", "cross-flight program", "\"cross flight program\"",
    "Russia's", "Russias", "U.S.", "sanctions -nasa", "roscosmos -diplomacy",
    "nasa OR roscosmos", "(space AND station) NOT moon", "deorb*",
    "=deorbiting", "title:roscosmos", "date:2025-07-31", "year:2025 space",
    "date:2025-07..2025-08 talks", "Roskosmos", "zyxwvut", "(((",
    "\"unclosed", "the who", "北京", "Zürich",
    /* Some words only, a day counted back, a field in capitals, and the
     * articles of many-article files, with id, url, author and source. */
    "deorbit zyxwvut", "space date:500w..", "Title:Roscosmos",
    "night ferry",
};

int main(int argc, char **argv)
{
    spsearch_index_t *ix = NULL;
    spsearch_options_t *opts = NULL;
    char *errmsg = NULL;
    long rounds = argc > 2 ? atol(argv[2]) : 45;
    size_t nq = sizeof queries / sizeof *queries, hits = 0, runs = 0;
    size_t copies = 0, likes = 0;
    char *like_path = NULL, *like_id = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: queries INDEX [ROUNDS]\n");
        return 2;
    }
    if (spsearch_open(argv[1], &ix, &errmsg) != SPSEARCH_OK) {
        fprintf(stderr, "queries: %s\n", errmsg ? errmsg : "cannot open");
        spsearch_free(errmsg);
        return 2;
    }
    if (spsearch_options_new(&opts) != SPSEARCH_OK)
        return 2;
    for (long r = 0; r < rounds; r++) {
        /* Vary the options too, so that every path frees what it made. */
        spsearch_options_set_passages(opts, (size_t)(r % 3));
        spsearch_options_set_explain(opts, r % 2 == 0);
        spsearch_options_set_correct(opts, r % 4 == 1);
        spsearch_options_set_sort(opts, (spsearch_sort_t)(r % 3));
        spsearch_options_set_recency(opts, r % 5 == 3 ? 30.0 : 0.0);
        spsearch_options_set_duplicates(opts, r % 7 == 6);
        for (size_t q = 0; q < nq; q++) {
            spsearch_results_t *res = NULL;
            const spsearch_hit_t *hit;
            spsearch_status_t st = spsearch_search_with(ix, queries[q], opts,
                                                        &res);
            runs++;
            if (st != SPSEARCH_OK && st != SPSEARCH_BAD_QUERY) {
                fprintf(stderr, "queries: %s: %s\n", queries[q],
                        spsearch_errmsg(ix));
                return 1;
            }
            while (res != NULL &&
                   spsearch_results_next(res, &hit) == SPSEARCH_OK && hit) {
                hits++;
                /* An article to search for more like, once a round. */
                if (like_path == NULL) {
                    like_path = strdup(spsearch_hit_path(hit));
                    if (spsearch_hit_id(hit) != NULL)
                        like_id = strdup(spsearch_hit_id(hit));
                }
                for (size_t k = 0; k < spsearch_hit_copies(hit); k++)
                    copies += spsearch_hit_copy(hit, k, NULL) != NULL;
            }
            spsearch_results_free(res);
        }
        if (like_path != NULL) {
            spsearch_results_t *res = NULL;
            const spsearch_hit_t *hit;
            spsearch_status_t st = spsearch_search_like(ix, like_path, like_id,
                                                        opts, &res);
            if (st != SPSEARCH_OK) {
                fprintf(stderr, "queries: like %s: %s\n", like_path,
                        spsearch_errmsg(ix));
                return 1;
            }
            while (spsearch_results_next(res, &hit) == SPSEARCH_OK && hit)
                likes++;
            spsearch_results_free(res);
            free(like_path);
            free(like_id);
            like_path = like_id = NULL;
        }
    }
    spsearch_options_free(opts);
    spsearch_close(ix);
    printf("%zu queries, %zu hits, %zu copies, %zu like\n", runs, hits,
           copies, likes);
    return hits > 0 ? 0 : 1;
}
