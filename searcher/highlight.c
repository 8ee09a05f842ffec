#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "searcher/highlight.h"

/* One word of a pattern: a pattern of n words has n slots.  Each token is
 * compared with every slot as the analyzer reports it, so that no token's
 * strings need to be kept: what the search for phrases needs afterwards is
 * only which slots each token matched. */
typedef struct hl_slot {
    const char *want;
    size_t want_len; /* compared bytes, for a prefix */
    int exact;       /* compare the token's exact form, not its term */
    int prefix;
} hl_slot;

/* A token that matched at least one slot; its slots are bits in
 * hl_tokens.bits.  Tokens that match no slot are not kept: the phrase
 * search below skips them anyway (see sp_highlight). */
typedef struct hl_token {
    uint32_t pos;
    size_t start, end;
} hl_token;

typedef struct hl_tokens {
    const hl_slot *slots;
    size_t nslots;
    size_t words; /* uint64_t words of bits per token */
    hl_token *v;
    uint64_t *bits; /* words per token, in the order of v */
    size_t n, cap;
    uint64_t *scratch; /* words: the bits of the token being read */
    int nomem;
} hl_tokens;

static int slot_matches(const hl_slot *sl, const sp_token *t)
{
    const char *have = sl->exact || sl->prefix ? t->exact : t->term;
    /* The analyzer leaves out the terms that cannot be any slot's. */
    if (have == NULL)
        return 0;
    /* Most tokens differ at once; no call for them. */
    if (sl->want_len > 0 && have[0] != sl->want[0])
        return 0;
    if (sl->prefix)
        return strncmp(have, sl->want, sl->want_len) == 0;
    return strcmp(have, sl->want) == 0;
}

static int on_token(void *ctx, const sp_token *t)
{
    hl_tokens *k = ctx;
    int any = 0;
    memset(k->scratch, 0, k->words * sizeof *k->scratch);
    for (size_t i = 0; i < k->nslots; i++) {
        if (slot_matches(&k->slots[i], t)) {
            k->scratch[i / 64] |= (uint64_t)1 << (i % 64);
            any = 1;
        }
    }
    if (!any)
        return 0;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        hl_token *v = realloc(k->v, cap * sizeof *v);
        if (v == NULL) {
            k->nomem = 1;
            return 1;
        }
        k->v = v;
        uint64_t *b = realloc(k->bits, cap * k->words * sizeof *b);
        if (b == NULL) {
            k->nomem = 1;
            return 1;
        }
        k->bits = b;
        k->cap = cap;
    }
    hl_token *h = &k->v[k->n];
    h->pos = t->pos;
    h->start = t->start;
    h->end = t->end;
    memcpy(k->bits + k->n * k->words, k->scratch,
           k->words * sizeof *k->scratch);
    k->n++;
    return 0;
}

static int token_matches(const hl_tokens *k, size_t tok, size_t slot)
{
    const uint64_t *b = k->bits + tok * k->words;
    return (b[slot / 64] >> (slot % 64)) & 1;
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
    hl_slot *slots = NULL;
    size_t *first = NULL; /* each pattern's first slot */
    sp_range *r = NULL;
    size_t nr = 0, cap = 0, nslots = 0;
    spsearch_status_t st = SPSEARCH_OK;
    *out = NULL;
    *n = 0;
    for (size_t p = 0; p < npats; p++)
        nslots += pats[p].n;
    if (nslots == 0)
        return SPSEARCH_OK;
    slots = malloc(nslots * sizeof *slots);
    first = malloc(npats * sizeof *first);
    k.words = (nslots + 63) / 64;
    k.scratch = malloc(k.words * sizeof *k.scratch);
    if (slots == NULL || first == NULL || k.scratch == NULL)
        st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    /* Only the first bytes of the terms compared are needed of a token's
     * term: the analyzer need not stem the other words. */
    sp_firsts firsts;
    memset(&firsts, 0, sizeof firsts);
    int filter = 1;
    for (size_t p = 0, i = 0; p < npats && st == SPSEARCH_OK; p++) {
        first[p] = i;
        for (size_t m = 0; m < pats[p].n; m++, i++) {
            hl_slot *sl = &slots[i];
            sl->want = pats[p].terms[m];
            sl->want_len = strlen(sl->want);
            sl->exact = pats[p].exact;
            sl->prefix = pats[p].prefix;
            if (sl->exact || sl->prefix)
                continue;
            if (sl->want_len == 0)
                filter = 0; /* an empty term would need every term */
            else
                sp_analyzer_firsts_add(&firsts, sl->want);
        }
    }
    k.slots = slots;
    k.nslots = nslots;
    if (st == SPSEARCH_OK)
        st = sp_analyzer_run_for(an, text, len, lang, 1,
                                 filter ? &firsts : NULL, on_token, &k, NULL,
                                 err);
    if (st == SPSEARCH_OK && k.nomem)
        st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    for (size_t i = 0; i < k.n && st == SPSEARCH_OK; i++) {
        for (size_t p = 0; p < npats && st == SPSEARCH_OK; p++) {
            const sp_hl_pattern *pat = &pats[p];
            if (!token_matches(&k, i, first[p]))
                continue;
            /* The rest of a phrase: the next words at the next positions.
             * Tokens are in position order; a compound's joined form
             * shares its first part's position.  A token left out for
             * matching no slot would have been passed over here too: at
             * the wanted position it matches no word of the phrase, and
             * beyond it, so is the next token kept. */
            size_t last = i;
            size_t j = i + 1;
            size_t matched = 1;
            while (matched < pat->n && j < k.n) {
                uint32_t want_pos = k.v[i].pos + (uint32_t)matched;
                if (k.v[j].pos > want_pos)
                    break;
                if (k.v[j].pos == want_pos &&
                    token_matches(&k, j, first[p] + matched)) {
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
    free(k.bits);
    free(k.scratch);
    free(first);
    free(slots);
    return st;
}
