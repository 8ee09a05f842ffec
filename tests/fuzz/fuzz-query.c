/*
 * fuzz-query.c - query strings: each parses and builds into a Xapian
 * query, or is refused as SPSEARCH_BAD_QUERY with a message and an offset
 * inside the text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "searcher/arena.h"
#include "searcher/query.h"
#include "shared/analyzer.h"
#include "shared/xdb.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sp_analyzer *an; /* one for the whole run, as a searcher has */
    sp_error err;
    if (an == NULL)
        fuzz_check(sp_analyzer_new("en", &an, &err) == SPSEARCH_OK,
                   "an analyzer");
    char *text = malloc(size + 1);
    fuzz_check(text != NULL, "memory");
    memcpy(text, data, size);
    text[size] = '\0';
    sp_arena arena = {NULL};
    sp_qnode *root = NULL;
    long offset = -1;
    spsearch_status_t st =
        sp_query_parse(&arena, an, "en", text, &root, &offset, &err);
    fuzz_check(st == SPSEARCH_OK || st == SPSEARCH_BAD_QUERY ||
                   st == SPSEARCH_NOMEM,
               "a query parses or is refused as a bad query");
    fuzz_check(st != SPSEARCH_BAD_QUERY ||
                   (err.msg[0] != '\0' && offset >= -1 &&
                    offset <= (long)strlen(text)),
               "a bad query has a message and an offset in the text");
    for (int all = 1; all >= 0 && st == SPSEARCH_OK; all--)
        for (int pairs = 0; pairs <= 1; pairs++) {
            sp_xquery *q = NULL;
            spsearch_status_t b =
                sp_query_build(root, all, pairs, &q, NULL, &err);
            fuzz_check(b == SPSEARCH_OK || b == SPSEARCH_BAD_QUERY,
                       "a parsed query builds or is refused");
            sp_xquery_free(q);
        }
    if (st == SPSEARCH_OK) {
        sp_hl_pattern *pats = NULL;
        size_t n = 0;
        for (int loose = 0; loose <= 1; loose++)
            fuzz_check(sp_query_patterns(&arena, root, loose, &pats, &n,
                                         &err) == SPSEARCH_OK,
                       "highlight patterns");
        /* An excluded part is built on its own, and can be refused on
         * its own ("-author:" searches an empty field). */
        sp_xquery *neg = NULL;
        spsearch_status_t ns = sp_query_negatives(root, &neg, &err);
        fuzz_check(ns == SPSEARCH_OK ||
                       (ns == SPSEARCH_BAD_QUERY && err.msg[0] != '\0'),
                   "excluded parts build or are refused with a message");
        sp_xquery_free(neg);
    }
    sp_arena_free(&arena);
    free(text);
    return 0;
}
