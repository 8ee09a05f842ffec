/*
 * searchd - test helper: a long-lived searcher, as a server embeds the
 * library.  Opens INDEX once, then for each line of standard input runs
 * it as a query on that one handle and answers one line: "N hits: PATH
 * ..." (the paths sorted, so that equal scores do not reorder them) or
 * "error STATUS: MESSAGE".  A line "score QUERY" answers the best hit's
 * score instead, as spsearch --json prints it.  Only the public header is
 * used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spsearch.h>

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    spsearch_index_t *ix = NULL;
    char *errmsg = NULL;
    char line[1024];
    if (argc != 2) {
        fprintf(stderr, "usage: searchd INDEX\n");
        return 99;
    }
    if (spsearch_open(argv[1], &ix, &errmsg) != SPSEARCH_OK) {
        fprintf(stderr, "searchd: %s\n", errmsg ? errmsg : "cannot open");
        spsearch_free(errmsg);
        return 99;
    }
    while (fgets(line, sizeof line, stdin) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        int score_only = strncmp(line, "score ", 6) == 0;
        double best = 0;
        spsearch_results_t *res = NULL;
        spsearch_status_t st =
            spsearch_search(ix, line + (score_only ? 6 : 0), 0, 50, &res);
        char *paths[50];
        size_t n = 0;
        const spsearch_hit_t *hit = NULL;
        if (st == SPSEARCH_OK)
            st = spsearch_results_next(res, &hit);
        while (st == SPSEARCH_OK && hit != NULL && n < 50) {
            if (n == 0)
                best = spsearch_hit_score(hit);
            paths[n++] = strdup(spsearch_hit_path(hit));
            st = spsearch_results_next(res, &hit);
        }
        if (st != SPSEARCH_OK) {
            printf("error %s: %s\n", spsearch_status_string(st),
                   spsearch_errmsg(ix));
        } else if (score_only) {
            printf("%f\n", best);
        } else {
            qsort(paths, n, sizeof *paths, by_name);
            printf("%zu hits:", n);
            for (size_t i = 0; i < n; i++)
                printf(" %s", paths[i] ? paths[i] : "(null)");
            printf("\n");
        }
        for (size_t i = 0; i < n; i++)
            free(paths[i]);
        spsearch_results_free(res);
        fflush(stdout);
    }
    spsearch_close(ix);
    return 0;
}
