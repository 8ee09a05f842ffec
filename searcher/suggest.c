#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "searcher/suggest.h"
#include "shared/analyzer.h"
#include "shared/terms.h"
#include "shared/zutil.h"

/* Longest word considered for correction, in bytes. */
#define MAX_WORD 64

/* Damerau-Levenshtein distance (adjacent transpositions), bytewise, or
 * limit + 1 as soon as it must exceed limit. */
static unsigned distance(const char *a, size_t na, const char *b, size_t nb,
                         unsigned limit)
{
    unsigned rows[3][MAX_WORD + 1];
    unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    if (na > MAX_WORD || nb > MAX_WORD)
        return limit + 1;
    if ((na > nb ? na - nb : nb - na) > limit)
        return limit + 1;
    for (size_t j = 0; j <= nb; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned best = cur[0] = (unsigned)i;
        for (size_t j = 1; j <= nb; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
        unsigned *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[nb];
}

/* The best correction so far of what the user typed.  Candidates are the
 * index's stems and the exact forms it saw (the E terms: the words as
 * written, where that differs from the stem), each compared with the word
 * as typed, so that "goverment" finds "government" (one letter) and not a
 * form of its own stem "gover" ("governed"). */
typedef struct candidate {
    const char *word; /* as typed, folded */
    size_t len;
    size_t skip;      /* prefix bytes of the terms walked */
    unsigned limit;
    unsigned best_dist;
    int best_is_form; /* an exact form: a word as written */
    uint32_t best_freq;
    char best[MAX_WORD + 1];
} candidate;

static int on_term(void *ctx, const char *t, size_t n, uint32_t freq)
{
    candidate *c = ctx;
    int is_form = c->skip > 0;
    t += c->skip;
    n -= c->skip;
    unsigned d = distance(c->word, c->len, t, n, c->limit);
    if (d > c->limit)
        return 0;
    /* At the same distance a written form beats a stem, which may be no
     * word at all ("happi"); then the more frequent wins. */
    if (d < c->best_dist ||
        (d == c->best_dist &&
         (is_form > c->best_is_form ||
          (is_form == c->best_is_form && freq > c->best_freq)))) {
        c->best_dist = d;
        c->best_is_form = is_form;
        c->best_freq = freq;
        memcpy(c->best, t, n);
        c->best[n] = '\0';
    }
    return 0;
}

/* The correction of one word (its matching term and exact form), or 0
 * when none. */
static spsearch_status_t correct(sp_xdb *db, const sp_qtoken *tok, char *out,
                                 size_t outsize, int *found, sp_error *err)
{
    size_t n = strlen(tok->exact);
    uint32_t freq = 0;
    *found = 0;
    if (n < 3 || n > MAX_WORD)
        return SPSEARCH_OK;
    spsearch_status_t st = sp_xdb_term_freq(db, tok->term, &freq, err);
    if (st != SPSEARCH_OK || freq > 0)
        return st;
    /* Candidates share the first letter: typos there are rare, and the
     * walks stay short. */
    char first[8] = SP_PREFIX_EXACT;
    size_t flen = 1, plen = strlen(SP_PREFIX_EXACT);
    while (flen < n && flen < 4 &&
           ((unsigned char)tok->exact[flen] & 0xc0) == 0x80)
        flen++;
    memcpy(first + plen, tok->exact, flen);
    first[plen + flen] = '\0';
    candidate c = {tok->exact, n, 0, n <= 5 ? 1u : 2u, 0, 0, 0, ""};
    c.best_dist = c.limit + 1;
    st = sp_xdb_terms(db, first + plen, on_term, &c, err);
    c.skip = plen;
    if (st == SPSEARCH_OK)
        st = sp_xdb_terms(db, first, on_term, &c, err);
    if (st != SPSEARCH_OK || c.best_dist > c.limit)
        return st;
    snprintf(out, outsize, "%s", c.best);
    *found = 1;
    return SPSEARCH_OK;
}

typedef struct edit {
    size_t start, end; /* the word's bytes in the query */
    char with[MAX_WORD + 8];
} edit;

typedef struct edits {
    edit v[16];
    size_t n;
} edits;

static spsearch_status_t collect(sp_xdb *db, const char *query,
                                 const sp_qnode *node, edits *e,
                                 sp_error *err)
{
    spsearch_status_t st = SPSEARCH_OK;
    if (node->mod == SP_Q_MUST_NOT)
        return SPSEARCH_OK;
    if (node->kind == SP_Q_LIST || node->kind == SP_Q_OR) {
        for (size_t i = 0; i < node->nkids && st == SPSEARCH_OK; i++)
            st = collect(db, query, node->kids[i], e, err);
        return st;
    }
    if (node->kind != SP_Q_WORD || node->exact || node->field != NULL ||
        node->ntoks != 1 ||
        (node->toks[0].flags & (SP_TOK_NUMBER | SP_TOK_IDEO)) ||
        e->n == sizeof e->v / sizeof e->v[0])
        return SPSEARCH_OK;
    int found = 0;
    edit *ed = &e->v[e->n];
    st = correct(db, &node->toks[0], ed->with, sizeof ed->with, &found,
                 err);
    if (st != SPSEARCH_OK || !found)
        return st;
    /* The word runs from its offset to the next space, bracket or quote. */
    size_t s = node->offset, q = strlen(query);
    size_t t = s;
    while (t < q && query[t] != ' ' && query[t] != '\t' && query[t] != '(' &&
           query[t] != ')' && query[t] != '"')
        t++;
    ed->start = s;
    ed->end = t;
    e->n++;
    return SPSEARCH_OK;
}

spsearch_status_t sp_suggest(sp_arena *arena, sp_xdb *db, const char *query,
                             const sp_qnode *root, char **out, sp_error *err)
{
    edits e;
    e.n = 0;
    *out = NULL;
    spsearch_status_t st = collect(db, query, root, &e, err);
    if (st != SPSEARCH_OK || e.n == 0)
        return st;
    size_t len = strlen(query) + 1;
    for (size_t i = 0; i < e.n; i++)
        len += strlen(e.v[i].with);
    char *s = sp_arena_alloc(arena, len);
    if (s == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    size_t w = 0, at = 0;
    for (size_t i = 0; i < e.n; i++) {
        memcpy(s + w, query + at, e.v[i].start - at);
        w += e.v[i].start - at;
        size_t n = strlen(e.v[i].with);
        memcpy(s + w, e.v[i].with, n);
        w += n;
        at = e.v[i].end;
    }
    strcpy(s + w, query + at);
    *out = s;
    return SPSEARCH_OK;
}
