/*
 * phrases - every sentence of every article, quoted as a phrase, finds its
 * article first.  Usage: phrases INDEX FILE...  (TAP on stdout.)
 *
 * A user's program: only spsearch.h.  Sentences are cut at ". ", "! ",
 * "? " and line ends; a sentence that another article also holds word for
 * word may rank that article first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spsearch.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    *len = 0;
    if (f == NULL)
        return NULL;
    for (;;) {
        if (cap - *len < 4096) {
            char *nb = realloc(buf, cap + 65536);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
            cap += 65536;
        }
        size_t got = fread(buf + *len, 1, cap - *len - 1, f);
        *len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

static int count_words(const char *s, size_t n)
{
    int words = 0, in = 0;
    for (size_t i = 0; i < n; i++) {
        int space = s[i] == ' ' || s[i] == '\t';
        if (!space && !in)
            words++;
        in = !space;
    }
    return words;
}

int main(int argc, char **argv)
{
    spsearch_index_t *ix = NULL;
    char *errmsg = NULL;
    int n = 0, failed = 0;
    if (argc < 3) {
        fprintf(stderr, "usage: phrases INDEX FILE...\n");
        return 99;
    }
    if (spsearch_open(argv[1], &ix, &errmsg) != SPSEARCH_OK) {
        printf("Bail out! %s\n", errmsg ? errmsg : "cannot open the index");
        spsearch_free(errmsg);
        return 99;
    }
    for (int f = 2; f < argc; f++) {
        size_t len;
        char *text = slurp(argv[f], &len);
        const char *base = strrchr(argv[f], '/');
        base = base ? base + 1 : argv[f];
        if (text == NULL) {
            printf("Bail out! cannot read %s\n", argv[f]);
            return 99;
        }
        size_t start = 0;
        for (size_t i = 0; i <= len; i++) {
            int end = i == len || text[i] == '\n' ||
                      ((text[i] == '.' || text[i] == '!' || text[i] == '?') &&
                       (i + 1 == len || text[i + 1] == ' ' ||
                        text[i + 1] == '\n'));
            if (!end)
                continue;
            size_t s = start, e = i;
            start = i + 1;
            while (s < e && (text[s] == ' ' || text[s] == '\t'))
                s++;
            if (count_words(text + s, e - s) < 3)
                continue;
            /* The sentence as a phrase; its own straight quotes would end
             * the phrase early, so they become spaces. */
            char *q = malloc(e - s + 3);
            if (q == NULL)
                return 99;
            q[0] = '"';
            for (size_t k = s; k < e; k++)
                q[1 + k - s] = text[k] == '"' ? ' ' : text[k];
            q[e - s + 1] = '"';
            q[e - s + 2] = '\0';
            spsearch_results_t *res = NULL;
            const spsearch_hit_t *hit = NULL;
            spsearch_status_t st = spsearch_search(ix, q, 0, 1, &res);
            if (st == SPSEARCH_OK)
                st = spsearch_results_next(res, &hit);
            const char *path = hit ? spsearch_hit_path(hit) : "";
            const char *hb = strrchr(path, '/');
            hb = hb ? hb + 1 : path;
            int good = st == SPSEARCH_OK && hit != NULL && strcmp(hb, base) == 0;
            if (!good && hit != NULL) {
                /* Another article that holds the same sentence is fine. */
                size_t olen;
                char *other = slurp(path, &olen);
                char *sentence = strndup(text + s, e - s);
                good = other && sentence && strstr(other, sentence) != NULL;
                free(other);
                free(sentence);
            }
            n++;
            printf("%sok %d - %s: %.60s%s\n", good ? "" : "not ", n, base,
                   q + 1, e - s > 60 ? "..." : "\"");
            if (!good) {
                failed++;
                printf("#   first hit: %s (%s)\n", hit ? path : "none",
                       st == SPSEARCH_OK ? "ok" : spsearch_errmsg(ix));
            }
            spsearch_results_free(res);
            free(q);
        }
        free(text);
    }
    spsearch_close(ix);
    printf("1..%d\n", n);
    return failed ? 1 : 0;
}
