/*
 * example - searches an index made by spindex and prints the best articles,
 * each with its best passage and the matched words [marked like this].
 *
 * Usage: example INDEX QUERY
 * Exit status: 0 when something matched, 1 when nothing did, 2 on error.
 *
 * Build: cc example.c $(pkg-config --cflags --libs spsearch)
 */
#include <stdio.h>

#include <spsearch.h>

static void print_hit(const spsearch_hit_t *hit)
{
    size_t len, start, end, at = 0;
    const char *text = spsearch_hit_passage_text(hit, &len);
    const char *title = spsearch_hit_title(hit);

    printf("%zu. %s (score %.3f)\n", spsearch_hit_rank(hit),
           *title != 0 ? title : "(untitled)", spsearch_hit_score(hit));
    printf("   %s\n   ", spsearch_hit_path(hit));
    /* Highlights are byte ranges in the passage, ascending. */
    for (size_t i = 0; spsearch_hit_highlight(hit, i, &start, &end) == 0;
         i++) {
        fwrite(text + at, 1, start - at, stdout);
        printf("[");
        fwrite(text + start, 1, end - start, stdout);
        printf("]");
        at = end;
    }
    fwrite(text + at, 1, len - at, stdout);
    printf("\n\n");
}

int main(int argc, char **argv)
{
    spsearch_index_t *index = NULL;
    spsearch_results_t *results = NULL;
    const spsearch_hit_t *hit = NULL;
    char *errmsg = NULL;
    size_t shown = 0;
    spsearch_status_t st;

    if (argc != 3) {
        fprintf(stderr, "usage: %s INDEX QUERY\n", argv[0]);
        return 2;
    }

    st = spsearch_open(argv[1], &index, &errmsg);
    if (st != SPSEARCH_OK) {
        /* errmsg names the path; it can be NULL when memory ran out. */
        fprintf(stderr, "%s: %s\n", argv[0],
                errmsg != NULL ? errmsg : spsearch_status_string(st));
        spsearch_free(errmsg);
        return 2;
    }

    st = spsearch_search(index, argv[2], 0, 10, &results);
    if (st != SPSEARCH_OK) {
        const char *msg = spsearch_errmsg(index);
        fprintf(stderr, "%s: %s\n", argv[0],
                *msg != 0 ? msg : spsearch_status_string(st));
        spsearch_close(index);
        return 2;
    }

    for (;;) {
        st = spsearch_results_next(results, &hit);
        if (st != SPSEARCH_OK || hit == NULL)
            break;
        print_hit(hit);
        shown++;
    }

    /* Hits and their strings belong to results: free them last. */
    spsearch_results_free(results);
    spsearch_close(index);
    if (st != SPSEARCH_OK)
        return 2;
    return shown > 0 ? 0 : 1;
}
