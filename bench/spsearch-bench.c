/*
 * spsearch-bench DB QUERIES [--lat FILE] [--out FILE] [--limit N]
 *
 * Runs every line of QUERIES through libspsearch in this one process, the
 * way an application embeds it: spsearch_search() for the top N articles
 * (default 10), then each hit's path, title, best passage and highlight
 * ranges, all read as a caller would.  The first 50 queries run once
 * first as a warm-up.  --lat writes one latency in ms a line (the whole
 * search and reading every hit); --out writes "query rank path
 * start:end passage" lines (bench/relevance reads the passage offsets).
 * A query the library refuses counts as answered with no hits and is
 * reported on stderr.
 */
#include "benchutil.h"

#include "spsearch.h"

static void usage(void)
{
    fprintf(stderr, "usage: spsearch-bench DB QUERIES [--lat FILE] "
                    "[--out FILE] [--limit N]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    spsearch_index_t *ix;
    char *msg = NULL;
    const char *lat_path = NULL, *out_path = NULL;
    FILE *lat, *out;
    size_t limit = 10, warm, pass, i, failed = 0, hits = 0, marks = 0;
    bench_list qs;
    spsearch_status_t st;
    int a;

    if (argc < 3)
        usage();
    for (a = 3; a < argc; a++) {
        if (strcmp(argv[a], "--lat") == 0 && a + 1 < argc)
            lat_path = argv[++a];
        else if (strcmp(argv[a], "--out") == 0 && a + 1 < argc)
            out_path = argv[++a];
        else if (strcmp(argv[a], "--limit") == 0 && a + 1 < argc)
            limit = (size_t)atol(argv[++a]);
        else
            usage();
    }
    st = spsearch_open(argv[1], &ix, &msg);
    if (st != SPSEARCH_OK) {
        fprintf(stderr, "spsearch-bench: %s\n",
                msg ? msg : spsearch_status_string(st));
        spsearch_free(msg);
        return 2;
    }
    qs = bench_read_lines(argv[2]);
    lat = bench_open_out(lat_path);
    out = bench_open_out(out_path);
    warm = qs.n < 50 ? qs.n : 50;
    for (pass = 0; pass < 2; pass++) {
        size_t last = pass == 0 ? warm : qs.n;
        for (i = 0; i < last; i++) {
            double t0 = bench_now_ms();
            spsearch_results_t *res = NULL;
            const spsearch_hit_t *hit = NULL;
            st = spsearch_search(ix, qs.items[i], 0, limit, &res);
            if (st != SPSEARCH_OK) {
                if (pass == 1) {
                    fprintf(stderr, "spsearch-bench: query %zu (%s): %s\n",
                            i + 1, qs.items[i], spsearch_errmsg(ix));
                    failed++;
                }
            }
            while (res != NULL) {
                size_t len, h, s, e;
                const char *text, *path;
                if (spsearch_results_next(res, &hit) != SPSEARCH_OK ||
                    hit == NULL)
                    break;
                path = spsearch_hit_path(hit);
                (void)spsearch_hit_title(hit);
                (void)spsearch_hit_date(hit);
                text = spsearch_hit_passage_text(hit, &len);
                for (h = 0; h < spsearch_hit_highlight_count(hit); h++) {
                    if (spsearch_hit_highlight(hit, h, &s, &e) == 0)
                        marks++;
                }
                hits++;
                if (pass == 1 && out != NULL) {
                    fprintf(out, "%zu\t%zu\t%s\t%zu:%zu\t", i + 1,
                            spsearch_hit_rank(hit), path,
                            spsearch_hit_passage_start(hit),
                            spsearch_hit_passage_end(hit));
                    bench_put_text(out, text, len);
                }
            }
            spsearch_results_free(res);
            if (pass == 1 && lat != NULL)
                fprintf(lat, "%.4f\n", bench_now_ms() - t0);
        }
    }
    spsearch_close(ix);
    if (lat != NULL)
        fclose(lat);
    if (out != NULL)
        fclose(out);
    fprintf(stderr, "spsearch-bench: %zu queries, %zu failed, %zu hits, "
                    "%zu highlights\n", qs.n, failed, hits, marks);
    return 0;
}
