#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "searcher/highlight.h"
#include "shared/zutil.h"

typedef struct hl_token {
    size_t term, exact; /* offsets into the token text buffer */
    uint32_t pos;
    size_t start, end;
} hl_token;

typedef struct hl_tokens {
    hl_token *v;
    size_t n, cap;
    sp_buf text; /* the tokens' terms and exact forms, NUL-separated */
    int nomem;
} hl_tokens;

static int on_token(void *ctx, const sp_token *t)
{
    hl_tokens *k = ctx;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        hl_token *v = realloc(k->v, cap * sizeof *v);
        if (v == NULL) {
            k->nomem = 1;
            return 1;
        }
        k->v = v;
        k->cap = cap;
    }
    hl_token *h = &k->v[k->n];
    h->term = k->text.len;
    /* Each string is followed by its NUL, so that it can be compared. */
    if (sp_buf_append(&k->text, t->term, t->term_len, NULL) != SPSEARCH_OK ||
        sp_buf_append(&k->text, "", 1, NULL) != SPSEARCH_OK) {
        k->nomem = 1;
        return 1;
    }
    h->exact = k->text.len;
    if (sp_buf_append(&k->text, t->exact, t->exact_len, NULL) !=
            SPSEARCH_OK ||
        sp_buf_append(&k->text, "", 1, NULL) != SPSEARCH_OK) {
        k->nomem = 1;
        return 1;
    }
    h->pos = t->pos;
    h->start = t->start;
    h->end = t->end;
    k->n++;
    return 0;
}

static int token_matches(const hl_tokens *k, const hl_token *t,
                         const sp_hl_pattern *p, const char *want)
{
    const char *have = k->text.data + (p->exact || p->prefix ? t->exact
                                                             : t->term);
    if (p->prefix)
        return strncmp(have, want, strlen(want)) == 0;
    return strcmp(have, want) == 0;
}

static int cmp_range(const void *a, const void *b)
{
    const sp_range *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static int only_space(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

spsearch_status_t sp_highlight(sp_arena *arena, sp_analyzer *an,
                               const char *lang, const char *text, size_t len,
                               const sp_hl_pattern *pats, size_t npats,
                               sp_range **out, size_t *n, sp_error *err)
{
    hl_tokens k = {0};
    sp_range *r = NULL;
    size_t nr = 0, cap = 0;
    spsearch_status_t st;
    *out = NULL;
    *n = 0;
    st = sp_analyzer_run(an, text, len, lang, 1, on_token, &k, NULL, err);
    if (st == SPSEARCH_OK && k.nomem)
        st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    for (size_t i = 0; i < k.n && st == SPSEARCH_OK; i++) {
        for (size_t p = 0; p < npats && st == SPSEARCH_OK; p++) {
            const sp_hl_pattern *pat = &pats[p];
            if (!token_matches(&k, &k.v[i], pat, pat->terms[0]))
                continue;
            /* The rest of a phrase: the next words at the next positions.
             * Tokens are in position order; a compound's joined form
             * shares its first part's position. */
            size_t last = i;
            size_t j = i + 1;
            size_t matched = 1;
            while (matched < pat->n && j < k.n) {
                uint32_t want_pos = k.v[i].pos + (uint32_t)matched;
                if (k.v[j].pos > want_pos)
                    break;
                if (k.v[j].pos == want_pos &&
                    token_matches(&k, &k.v[j], pat, pat->terms[matched])) {
                    last = j;
                    matched++;
                }
                j++;
            }
            if (matched < pat->n)
                continue;
            if (nr == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                sp_range *nv = realloc(r, ncap * sizeof *nv);
                if (nv == NULL) {
                    st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
                    break;
                }
                r = nv;
                cap = ncap;
            }
            r[nr].start = k.v[i].start;
            r[nr].end = k.v[last].end > k.v[i].end ? k.v[last].end
                                                   : k.v[i].end;
            nr++;
        }
    }
    if (st == SPSEARCH_OK && nr > 0) {
        qsort(r, nr, sizeof *r, cmp_range);
        size_t w = 0;
        for (size_t i = 1; i < nr; i++) {
            if (r[i].start <= r[w].end ||
                only_space(text, r[w].end, r[i].start)) {
                if (r[i].end > r[w].end)
                    r[w].end = r[i].end;
            } else {
                r[++w] = r[i];
            }
        }
        nr = w + 1;
        *out = sp_arena_alloc(arena, nr * sizeof **out);
        if (*out == NULL)
            st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        else {
            memcpy(*out, r, nr * sizeof *r);
            *n = nr;
        }
    }
    free(r);
    free(k.v);
    sp_buf_free(&k.text);
    return st;
}
