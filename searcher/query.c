#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "searcher/query.h"
#include "shared/article.h"
#include "shared/pairs.h"
#include "shared/terms.h"
#include "shared/zutil.h"

/* How many index terms a word* may expand to. */
#define WILDCARD_LIMIT 200
/* How deeply parentheses nest before further "(" are ignored: each level
 * is a few KB of stack, and "((((..." must not overflow it. */
#define MAX_DEPTH 32

typedef struct parser {
    long *err_offset;
    sp_arena *arena;
    sp_analyzer *an;
    const char *lang;
    const char *s;
    size_t len, at;
    int depth;
    spsearch_status_t st;
    sp_error *err;
} parser;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int ends_word(char c)
{
    return is_space(c) || c == '(' || c == ')' || c == '"';
}

static void skip_space(parser *p)
{
    while (p->at < p->len && is_space(p->s[p->at]))
        p->at++;
}

static sp_qnode *new_node(parser *p, sp_qkind kind, size_t offset)
{
    sp_qnode *n = sp_arena_alloc(p->arena, sizeof *n);
    if (n == NULL) {
        p->st = sp_error_set(p->err, SPSEARCH_NOMEM, "out of memory");
        return NULL;
    }
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->offset = offset;
    return n;
}

typedef struct tok_sink {
    parser *p;
    sp_qtoken *v;
    size_t n, cap;
    int nomem;
} tok_sink;

static int on_token(void *ctx, const sp_token *t)
{
    tok_sink *k = ctx;
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 8;
        sp_qtoken *v = sp_arena_alloc(k->p->arena, cap * sizeof *v);
        if (v == NULL) {
            k->nomem = 1;
            return 1;
        }
        if (k->n > 0)
            memcpy(v, k->v, k->n * sizeof *v);
        k->v = v;
        k->cap = cap;
    }
    sp_qtoken *q = &k->v[k->n];
    q->term = sp_arena_strndup(k->p->arena, t->term, t->term_len);
    q->exact = sp_arena_strndup(k->p->arena, t->exact, t->exact_len);
    if (q->term == NULL || q->exact == NULL) {
        k->nomem = 1;
        return 1;
    }
    q->pos = t->pos;
    q->flags = t->flags;
    k->n++;
    return 0;
}

/* Analyzes s[0..n) into node's tokens. */
static void analyze(parser *p, sp_qnode *node, const char *s, size_t n)
{
    tok_sink k = {p, NULL, 0, 0, 0};
    spsearch_status_t st = sp_analyzer_run(p->an, s, n, p->lang, 1, on_token,
                                           &k, NULL, p->err);
    if (st == SPSEARCH_OK && k.nomem)
        st = sp_error_set(p->err, SPSEARCH_NOMEM, "out of memory");
    if (st != SPSEARCH_OK) {
        p->st = st;
        return;
    }
    node->toks = k.v;
    node->ntoks = k.n;
}

static sp_qnode *parse_or(parser *p);

/* Fields that search words of an article's metadata. */
static const struct {
    const char *name;
    const char *prefix;
} word_fields[] = {{"title:", SP_PREFIX_TITLE},
                   {"author:", SP_PREFIX_AUTHOR},
                   {"source:", SP_PREFIX_SOURCE}};

static sp_qnode *parse_primary(parser *p);

/* date:VALUE or year:VALUE at p->at (after the name); VALUE is
 * YYYY[-MM[-DD]] or a range A..B. */
static sp_qnode *parse_date(parser *p, size_t start, int year_only)
{
    size_t vs = p->at;
    while (p->at < p->len && !ends_word(p->s[p->at]))
        p->at++;
    size_t ve = p->at;
    const char *v = p->s + vs;
    size_t n = ve - vs;
    sp_qnode *node = new_node(p, SP_Q_FILTER, start);
    if (node == NULL)
        return NULL;
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (v[i] == '.' && v[i + 1] == '.')
            dots = v + i;
    char lo[11], hi[11];
    if (dots != NULL && !year_only) {
        size_t ln = (size_t)(dots - v), hn = n - ln - 2;
        if ((ln > 0 && sp_date_bound(v, ln, 0, lo) != 0) ||
            (hn > 0 && sp_date_bound(dots + 2, hn, 1, hi) != 0) ||
            (ln == 0 && hn == 0))
            goto bad;
        memcpy(node->range_lo, ln > 0 ? lo : "0000-00-00", 11);
        memcpy(node->range_hi, hn > 0 ? hi : "9999-99-99", 11);
        if (strcmp(node->range_lo, node->range_hi) > 0) {
            /* A range written backwards matches nothing: say so. */
            *p->err_offset = (long)vs;
            p->st = sp_error_set(p->err, SPSEARCH_BAD_QUERY,
                                 "date: the range '%.*s' ends before it "
                                 "starts",
                                 (int)n, v);
            return NULL;
        }
        return node;
    }
    /* year: takes a year, not a day counted back ("year:100d"). */
    if (n == 0 || (year_only && (n != 4 || v[3] < '0' || v[3] > '9')) ||
        sp_date_bound(v, n, 0, lo) != 0)
        goto bad;
    /* A whole year, month or day is one filter term.  A date ends with a
     * digit; a day counted back from today ("yesterday", "7d") does not. */
    int counted_back = v[n - 1] < '0' || v[n - 1] > '9';
    char term[16];
    if (n == 4 && !counted_back)
        snprintf(term, sizeof term, SP_PREFIX_YEAR "%.4s", lo);
    else if (n == 7 && !counted_back)
        snprintf(term, sizeof term, SP_PREFIX_MONTH "%.4s%.2s", lo, lo + 5);
    else
        snprintf(term, sizeof term, SP_PREFIX_DAY "%.4s%.2s%.2s", lo, lo + 5,
                 lo + 8);
    node->filter_term = sp_arena_strndup(p->arena, term, strlen(term));
    if (node->filter_term == NULL)
        p->st = sp_error_set(p->err, SPSEARCH_NOMEM, "out of memory");
    return node;
bad:
    *p->err_offset = (long)vs;
    p->st = sp_error_set(p->err, SPSEARCH_BAD_QUERY,
                         year_only ? "year: wants YYYY, not '%.*s'"
                                   : "date: wants YYYY, YYYY-MM, YYYY-MM-DD, "
                                     "today, yesterday, Nd, Nw or a range "
                                     "FROM..TO, not '%.*s'",
                         (int)n, v);
    return NULL;
}

/* A field prefix at p->at followed by something to search: its node.
 * The field's name in any case ("Title:", "DATE:"), as people type. */
static int parse_field(parser *p, size_t start, sp_qnode **out)
{
    const char *at = p->s + p->at;
    size_t left = p->len - p->at;
    *out = NULL;
    for (size_t i = 0; i < sizeof word_fields / sizeof *word_fields; i++) {
        size_t n = strlen(word_fields[i].name);
        if (left > n && strncasecmp(at, word_fields[i].name, n) == 0 &&
            !is_space(at[n]) && at[n] != ')') {
            p->at += n;
            sp_qnode *node = parse_primary(p);
            if (node != NULL && (node->kind == SP_Q_WORD ||
                                 node->kind == SP_Q_PHRASE ||
                                 node->kind == SP_Q_WILDCARD))
                node->field = word_fields[i].prefix;
            if (node != NULL)
                node->offset = start;
            *out = node;
            return 1;
        }
    }
    if (left > 5 && strncasecmp(at, "date:", 5) == 0 && !ends_word(at[5])) {
        p->at += 5;
        *out = parse_date(p, start, 0);
        return 1;
    }
    if (left > 5 && strncasecmp(at, "year:", 5) == 0 && !ends_word(at[5])) {
        p->at += 5;
        *out = parse_date(p, start, 1);
        return 1;
    }
    return 0;
}

static sp_qnode *parse_primary(parser *p)
{
    skip_space(p);
    size_t start = p->at;
    if (p->at >= p->len)
        return NULL;
    char c = p->s[p->at];
    sp_qnode *field = NULL;
    if (parse_field(p, start, &field))
        return field;
    while (c == '(' && p->depth >= MAX_DEPTH) {
        p->at++;
        skip_space(p);
        if (p->at >= p->len)
            return NULL;
        start = p->at;
        c = p->s[p->at];
    }
    if (c == '(') {
        p->at++;
        p->depth++;
        sp_qnode *inner = parse_or(p);
        skip_space(p);
        if (p->at < p->len && p->s[p->at] == ')')
            p->at++;
        p->depth--;
        return inner;
    }
    if (c == '"') {
        p->at++;
        const char *q = memchr(p->s + p->at, '"', p->len - p->at);
        size_t end = q ? (size_t)(q - p->s) : p->len;
        sp_qnode *n = new_node(p, SP_Q_PHRASE, start);
        if (n != NULL)
            analyze(p, n, p->s + p->at, end - p->at);
        p->at = q ? end + 1 : end;
        return n && n->ntoks > 0 ? n : NULL;
    }
    int exact = 0;
    if (c == '=') {
        exact = 1;
        p->at++;
    }
    size_t ws = p->at;
    while (p->at < p->len && !ends_word(p->s[p->at]))
        p->at++;
    size_t we = p->at;
    int wildcard = 0;
    if (we > ws + 1 && p->s[we - 1] == '*') {
        wildcard = 1;
        we--;
    }
    sp_qnode *n = new_node(p, wildcard ? SP_Q_WILDCARD : SP_Q_WORD, start);
    if (n == NULL)
        return NULL;
    n->exact = exact;
    analyze(p, n, p->s + ws, we - ws);
    if (n->ntoks == 0)
        return NULL; /* punctuation only */
    if (wildcard && n->ntoks > 1)
        n->kind = SP_Q_WORD; /* "a-b*": no single prefix; search the words */
    return n;
}

/* Whether the text at p->at is the operator word (upper case only, so
 * that "and" and "or" stay searchable words). */
static int at_keyword(parser *p, const char *kw)
{
    size_t n = strlen(kw);
    return p->at + n <= p->len && memcmp(p->s + p->at, kw, n) == 0 &&
           (p->at + n == p->len || ends_word(p->s[p->at + n]));
}

/* "NEAR" or "NEAR/N" at p->at: consumes it and sets *window. */
static int near_keyword(parser *p, unsigned *window)
{
    if (p->at + 4 > p->len || memcmp(p->s + p->at, "NEAR", 4) != 0)
        return 0;
    size_t at = p->at + 4;
    unsigned w = 10;
    if (at < p->len && p->s[at] == '/') {
        unsigned v = 0;
        size_t d = at + 1;
        while (d < p->len && p->s[d] >= '0' && p->s[d] <= '9' && v < 1000)
            v = v * 10 + (unsigned)(p->s[d++] - '0');
        if (d == at + 1 || v == 0)
            return 0;
        w = v;
        at = d;
    }
    if (at < p->len && !ends_word(p->s[at]))
        return 0;
    p->at = at;
    *window = w;
    return 1;
}

/* A word of one token, in no field: what NEAR can bind. */
static int is_plain_word(const sp_qnode *n)
{
    return n->kind == SP_Q_WORD && n->ntoks == 1 && n->field == NULL &&
           n->mod != SP_Q_MUST_NOT;
}

static sp_qnode *parse_list(parser *p)
{
    sp_qnode *list = new_node(p, SP_Q_LIST, p->at);
    sp_qnode *kids[256];
    size_t n = 0;
    if (list == NULL)
        return NULL;
    for (;;) {
        skip_space(p);
        if (p->st != SPSEARCH_OK || p->at >= p->len)
            break;
        if (p->s[p->at] == ')') {
            if (p->depth > 0)
                break;
            p->at++; /* a stray ")": ignored */
            continue;
        }
        if (at_keyword(p, "OR"))
            break;
        if (at_keyword(p, "AND")) {
            p->at += 3;
            list->forced_and = 1;
            continue;
        }
        unsigned window = 0;
        if (n > 0 && near_keyword(p, &window)) {
            /* Binds the word before to the word after. */
            sp_qnode *next = parse_primary(p);
            sp_qnode *prev = kids[n - 1];
            if (next != NULL && is_plain_word(prev) && is_plain_word(next)) {
                sp_qnode *near = new_node(p, SP_Q_NEAR, prev->offset);
                sp_qnode **pair = sp_arena_alloc(p->arena, 2 * sizeof *pair);
                if (near == NULL || pair == NULL) {
                    p->st = sp_error_set(p->err, SPSEARCH_NOMEM,
                                         "out of memory");
                    break;
                }
                pair[0] = prev;
                pair[1] = next;
                near->kids = pair;
                near->nkids = 2;
                near->window = window;
                near->mod = prev->mod;
                prev->mod = next->mod = SP_Q_SHOULD;
                kids[n - 1] = near;
            } else if (next != NULL && n < sizeof kids / sizeof *kids) {
                kids[n++] = next; /* NEAR between other things: AND */
            }
            continue;
        }
        sp_qmod mod = SP_Q_SHOULD;
        if (at_keyword(p, "NOT")) {
            p->at += 3;
            mod = SP_Q_MUST_NOT;
        } else if ((p->s[p->at] == '+' || p->s[p->at] == '-') &&
                   p->at + 1 < p->len && !is_space(p->s[p->at + 1]) &&
                   p->s[p->at + 1] != ')') {
            /* Also before "(" and a quote: -"a phrase", -(a b). */
            mod = p->s[p->at] == '+' ? SP_Q_MUST : SP_Q_MUST_NOT;
            p->at++;
        }
        sp_qnode *kid = parse_primary(p);
        if (kid == NULL)
            continue;
        kid->mod = mod;
        if (n < sizeof kids / sizeof *kids)
            kids[n++] = kid;
    }
    if (n == 0)
        return NULL;
    if (n == 1 && kids[0]->mod == SP_Q_SHOULD)
        return kids[0];
    list->kids = sp_arena_alloc(p->arena, n * sizeof *list->kids);
    if (list->kids == NULL) {
        p->st = sp_error_set(p->err, SPSEARCH_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(list->kids, kids, n * sizeof *kids);
    list->nkids = n;
    return list;
}

static sp_qnode *parse_or(parser *p)
{
    sp_qnode *kids[64];
    size_t n = 0;
    size_t start = p->at;
    for (;;) {
        sp_qnode *kid = parse_list(p);
        if (kid != NULL && n < sizeof kids / sizeof *kids)
            kids[n++] = kid;
        skip_space(p);
        if (p->st != SPSEARCH_OK || !at_keyword(p, "OR"))
            break;
        p->at += 2;
    }
    if (n <= 1)
        return n == 1 ? kids[0] : NULL;
    sp_qnode *node = new_node(p, SP_Q_OR, start);
    if (node == NULL)
        return NULL;
    node->kids = sp_arena_alloc(p->arena, n * sizeof *node->kids);
    if (node->kids == NULL) {
        p->st = sp_error_set(p->err, SPSEARCH_NOMEM, "out of memory");
        return NULL;
    }
    memcpy(node->kids, kids, n * sizeof *kids);
    node->nkids = n;
    return node;
}

spsearch_status_t sp_query_parse(sp_arena *arena, sp_analyzer *an,
                                 const char *lang, const char *text,
                                 sp_qnode **root, long *err_offset,
                                 sp_error *err)
{
    parser p = {err_offset, arena, an, lang, text, strlen(text), 0, 0,
                SPSEARCH_OK, err};
    *root = NULL;
    *err_offset = -1;
    sp_qnode *r = parse_or(&p);
    /* Leftover ")" at the top level end parse_or early: go on after them. */
    while (p.st == SPSEARCH_OK && p.at < p.len) {
        p.at++;
        sp_qnode *more = parse_or(&p);
        if (more != NULL && r != NULL) {
            sp_qnode *pair[2] = {r, more};
            sp_qnode *l = new_node(&p, SP_Q_LIST, 0);
            if (l == NULL)
                break;
            l->kids = sp_arena_alloc(arena, sizeof pair);
            if (l->kids == NULL) {
                p.st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
                break;
            }
            memcpy(l->kids, pair, sizeof pair);
            l->nkids = 2;
            r = l;
        } else if (more != NULL) {
            r = more;
        }
    }
    if (p.st != SPSEARCH_OK)
        return p.st;
    if (r == NULL) {
        size_t i = 0;
        while (text[i] != '\0' && is_space(text[i]))
            i++;
        *err_offset = (long)i;
        return sp_error_set(err, SPSEARCH_BAD_QUERY,
                            "the query has no words to search for");
    }
    if (r->mod == SP_Q_MUST_NOT && r->kind != SP_Q_LIST) {
        /* "-word" alone: everything but the word. */
        sp_qnode *l = sp_arena_alloc(arena, sizeof *l);
        sp_qnode **kids = sp_arena_alloc(arena, sizeof *kids);
        if (l == NULL || kids == NULL)
            return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        memset(l, 0, sizeof *l);
        l->kind = SP_Q_LIST;
        kids[0] = r;
        l->kids = kids;
        l->nkids = 1;
        r = l;
    }
    *root = r;
    return SPSEARCH_OK;
}

/* ---- building the Xapian query ---- */

typedef struct builder {
    int all_words;
    int pairs; /* the index has pair terms (shared/pairs.h) */
    int any_differs;
    sp_error *err;
} builder;

/* prefix and word into b, NUL-terminated: a term. */
static spsearch_status_t prefixed(sp_buf *b, const char *prefix,
                                  const char *word, sp_error *err)
{
    spsearch_status_t st = sp_buf_append(b, prefix, strlen(prefix), err);
    return st == SPSEARCH_OK ? sp_buf_append(b, word, strlen(word) + 1, err)
                             : st;
}

static spsearch_status_t term_query(const char *prefix, const char *t,
                                    uint32_t pos, sp_xquery **out,
                                    sp_error *err)
{
    sp_buf b = {0};
    spsearch_status_t st = prefixed(&b, prefix, t, err);
    if (st == SPSEARCH_OK)
        st = sp_xquery_term(b.data, b.len - 1, 1, pos, out, err);
    sp_buf_free(&b);
    return st;
}

/* Combines n queries with op and frees them (also on failure). */
static spsearch_status_t combine_free(sp_xq_op op, sp_xquery **qs, size_t n,
                                      uint32_t window, sp_xquery **out,
                                      sp_error *err)
{
    spsearch_status_t st = SPSEARCH_OK;
    *out = NULL;
    if (n == 1) {
        *out = qs[0];
        return SPSEARCH_OK;
    }
    st = sp_xquery_combine(op, qs, n, window, out, err);
    for (size_t i = 0; i < n; i++)
        sp_xquery_free(qs[i]);
    return st;
}

/* One analysed token: its stem, and for acronyms also the acronym term,
 * which ranks "U.S." above a mere "us". */
static spsearch_status_t token_query(const sp_qtoken *t, int exact,
                                     sp_xquery **out, sp_error *err)
{
    int differs = strcmp(t->term, t->exact) != 0;
    if (exact && differs)
        return term_query(SP_PREFIX_EXACT, t->exact, t->pos, out, err);
    /* The stem matches every form; the exact form ("Russia's") and the
     * acronym ("U.S.") also match, as bonuses, the articles that write
     * the word the way the query does. */
    sp_xquery *alts[3] = {NULL, NULL, NULL};
    size_t n = 0;
    spsearch_status_t st = term_query("", t->term, t->pos, &alts[n], err);
    if (st == SPSEARCH_OK)
        n++;
    if (st == SPSEARCH_OK && differs) {
        st = term_query(SP_PREFIX_EXACT, t->exact, t->pos, &alts[n], err);
        if (st == SPSEARCH_OK)
            n++;
    }
    if (st == SPSEARCH_OK && (t->flags & SP_TOK_ACRONYM)) {
        st = term_query(SP_PREFIX_ACRONYM, t->term, t->pos, &alts[n], err);
        if (st == SPSEARCH_OK)
            n++;
    }
    if (st != SPSEARCH_OK) {
        for (size_t i = 0; i < n; i++)
            sp_xquery_free(alts[i]);
        return st;
    }
    return combine_free(SP_XQ_OR, alts, n, 0, out, err);
}

/* The tokens of n (but those with a flag in skip) combined with op: for
 * a phrase their stems (or exact forms) at their positions, for a field
 * their stems under the field's prefix. */
static spsearch_status_t tokens_query(const sp_qnode *n, unsigned skip,
                                      sp_xq_op op, sp_xquery **out,
                                      sp_error *err)
{
    sp_xquery **qs = calloc(n->ntoks ? n->ntoks : 1, sizeof *qs);
    size_t k = 0;
    spsearch_status_t st = SPSEARCH_OK;
    if (qs == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    for (size_t i = 0; i < n->ntoks && st == SPSEARCH_OK; i++) {
        const sp_qtoken *t = &n->toks[i];
        if (t->flags & skip)
            continue;
        const char *prefix = n->field ? n->field : "";
        const char *term = t->term;
        if (!n->field && n->exact && strcmp(t->term, t->exact) != 0) {
            prefix = SP_PREFIX_EXACT;
            term = t->exact;
        }
        st = term_query(prefix, term, n->field ? 0 : t->pos, &qs[k], err);
        if (st == SPSEARCH_OK)
            k++;
    }
    if (st == SPSEARCH_OK && k == 0 && n->field != NULL)
        st = sp_error_set(err, SPSEARCH_BAD_QUERY, "an empty field search");
    if (st == SPSEARCH_OK)
        st = combine_free(op, qs, k, op == SP_XQ_PHRASE ? (uint32_t)k : 0, out,
                          err);
    else
        for (size_t i = 0; i < k; i++)
            sp_xquery_free(qs[i]);
    free(qs);
    return st;
}

/* The pair terms of the adjacent pair words among the phrase's words
 * (toks, n of them) into pairs, at most max; returns how many. */
static size_t phrase_pairs(const sp_qtoken *const *toks, size_t n,
                           sp_xquery **pairs, size_t max,
                           spsearch_status_t *st, sp_error *err)
{
    size_t k = 0;
    for (size_t i = 0; i + 1 < n && k < max && *st == SPSEARCH_OK; i++) {
        const char *a = toks[i]->term, *b = toks[i + 1]->term;
        size_t alen = strlen(a), blen = strlen(b), len = 0;
        char term[24];
        if (!sp_pair_word(a, alen) || !sp_pair_word(b, blen) ||
            sp_pair_term(term, sizeof term, a, alen, b, blen, &len) !=
                SPSEARCH_OK)
            continue;
        *st = sp_xquery_term(term, len, 1, 0, &pairs[k], err);
        if (*st == SPSEARCH_OK)
            k++;
    }
    return k;
}

/* The tokens that are not joined compounds, in order, as a phrase.  On an
 * index with pair terms a phrase of two pair words is its pair term, which
 * is weighted by how often the two stand together; a longer phrase with
 * pairs in it is restricted to the passages that have them, which leaves
 * what it matches and its weight as they were but spares Xapian reading
 * the positions of passages that cannot match. */
static spsearch_status_t phrase_query(const builder *b, const sp_qnode *n,
                                      sp_xquery **out)
{
    const sp_qtoken *words[16];
    size_t nw = 0;
    if (b->pairs && !n->exact && n->field == NULL)
        for (size_t i = 0; i < n->ntoks; i++) {
            if (n->toks[i].flags & SP_TOK_JOINED)
                continue;
            if (nw == sizeof words / sizeof *words) {
                nw = 0; /* too long to bother */
                break;
            }
            words[nw++] = &n->toks[i];
        }
    sp_xquery *qs[16];
    spsearch_status_t st = SPSEARCH_OK;
    size_t np = phrase_pairs(words, nw, qs + 1, 15, &st, b->err);
    if (st == SPSEARCH_OK && nw == 2 && np == 1) {
        *out = qs[1];
        return SPSEARCH_OK;
    }
    if (st == SPSEARCH_OK)
        st = tokens_query(n, SP_TOK_JOINED, SP_XQ_PHRASE, &qs[0], b->err);
    if (st != SPSEARCH_OK) {
        for (size_t i = 1; i <= np; i++)
            sp_xquery_free(qs[i]);
        return st;
    }
    return combine_free(SP_XQ_FILTER, qs, np + 1, 0, out, b->err);
}

/* word* among the terms that start with prefix (a field's, or ""). */
static spsearch_status_t wildcard_query(const char *prefix, const char *word,
                                        sp_xquery **out, sp_error *err)
{
    sp_buf b = {0};
    spsearch_status_t st = prefixed(&b, prefix, word, err);
    if (st == SPSEARCH_OK)
        st = sp_xquery_wildcard(b.data, WILDCARD_LIMIT, out, err);
    sp_buf_free(&b);
    return st;
}

/* word* in the text: the stems that start with it, which are their own
 * exact forms ("space") or stand for longer words that start with them
 * ("diplomat" for "diplomatic", for "diplomat*"), and the exact forms that
 * start with it where their stem does not (n->forms: "diplomatic" for
 * "diplomati*").  All are one synonym, weighed as one word with the
 * frequency of them all: on their own, the exact forms are rare and would
 * outweigh the stems.  No word is counted twice: a form listed has a stem
 * outside the stems' wildcard. */
static spsearch_status_t text_wildcard_query(const sp_qnode *n,
                                             sp_xquery **out, sp_error *err)
{
    sp_xquery *stems = NULL;
    spsearch_status_t st = wildcard_query("", n->toks[0].exact, &stems, err);
    if (st != SPSEARCH_OK || n->nforms == 0) {
        *out = stems;
        return st;
    }
    sp_xquery **alts = malloc((n->nforms + 1) * sizeof *alts);
    if (alts == NULL) {
        sp_xquery_free(stems);
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    }
    alts[0] = stems;
    size_t k = 1;
    for (size_t i = 0; i < n->nforms && st == SPSEARCH_OK; i++) {
        st = sp_xquery_term(n->forms[i], strlen(n->forms[i]), 1, 0, &alts[k],
                            err);
        if (st == SPSEARCH_OK)
            k++;
    }
    if (st != SPSEARCH_OK) {
        for (size_t i = 0; i < k; i++)
            sp_xquery_free(alts[i]);
        free(alts);
        return st;
    }
    st = combine_free(SP_XQ_SYNONYM, alts, k, 0, out, err);
    free(alts);
    return st;
}

/* A field search: every word in the field (title words are indexed
 * without positions, so a "phrase" there means all its words; the joined
 * form of a compound stands for its parts), or word* among its words. */
static spsearch_status_t field_query(const sp_qnode *n, sp_xquery **out,
                                     sp_error *err)
{
    if (n->kind == SP_Q_WILDCARD)
        return wildcard_query(n->field, n->toks[0].exact, out, err);
    return tokens_query(n, SP_TOK_PART, SP_XQ_AND, out, err);
}

/* date: and year: restrict without weighing. */
static spsearch_status_t filter_query(const sp_qnode *n, sp_xquery **out,
                                      sp_error *err)
{
    sp_xquery *q = NULL;
    spsearch_status_t st =
        n->filter_term != NULL
            ? sp_xquery_term(n->filter_term, strlen(n->filter_term), 1, 0, &q,
                             err)
            : sp_xquery_value_range(SP_SLOT_DATE, n->range_lo, n->range_hi,
                                    &q, err);
    if (st == SPSEARCH_OK)
        st = sp_xquery_scale(q, 0.0, out, err);
    sp_xquery_free(q);
    return st;
}

/* A word of the query: one token, or several ("cross-flight", "2:40"),
 * which must appear as a phrase, or as the joined compound. */
/* The synonym of a word or phrase: its one term, or its words as a
 * phrase. */
static spsearch_status_t syn_query(const builder *b, const sp_qnode *n,
                                   sp_xquery **out)
{
    sp_error *err = b->err;
    sp_qnode tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.kind = SP_Q_PHRASE;
    tmp.toks = n->syn;
    tmp.ntoks = n->nsyn;
    size_t words = 0;
    for (size_t i = 0; i < n->nsyn; i++)
        words += !(n->syn[i].flags & SP_TOK_JOINED);
    if (words == 1)
        for (size_t i = 0; i < n->nsyn; i++)
            if (!(n->syn[i].flags & SP_TOK_JOINED))
                return token_query(&n->syn[i], 0, out, err);
    return phrase_query(b, &tmp, out);
}

/* q, or q OR its synonym; q is replaced. */
static spsearch_status_t with_synonym(const builder *b, const sp_qnode *n,
                                      sp_xquery **q)
{
    sp_error *err = b->err;
    if (n->nsyn == 0)
        return SPSEARCH_OK;
    sp_xquery *pair[2] = {*q, NULL};
    spsearch_status_t st = syn_query(b, n, &pair[1]);
    if (st != SPSEARCH_OK)
        return st;
    return combine_free(SP_XQ_OR, pair, 2, 0, q, err);
}

static spsearch_status_t word_query_plain(const builder *b, const sp_qnode *n,
                                          sp_xquery **out);

static spsearch_status_t word_query(const builder *b, const sp_qnode *n,
                                    sp_xquery **out)
{
    spsearch_status_t st = word_query_plain(b, n, out);
    if (st == SPSEARCH_OK && n->field == NULL && !n->exact)
        st = with_synonym(b, n, out);
    return st;
}

static spsearch_status_t word_query_plain(const builder *b, const sp_qnode *n,
                                          sp_xquery **out)
{
    sp_error *err = b->err;
    if (n->field != NULL)
        return field_query(n, out, err);
    if (n->kind == SP_Q_WILDCARD)
        return text_wildcard_query(n, out, err);
    if (n->ntoks == 1)
        return token_query(&n->toks[0], n->exact, out, err);
    sp_xquery *alts[2] = {NULL, NULL};
    spsearch_status_t st = phrase_query(b, n, &alts[0]);
    size_t k = st == SPSEARCH_OK ? 1 : 0;
    for (size_t i = 0; i < n->ntoks && st == SPSEARCH_OK; i++) {
        if (n->toks[i].flags & SP_TOK_JOINED) {
            st = token_query(&n->toks[i], n->exact, &alts[1], err);
            if (st == SPSEARCH_OK)
                k = 2;
            break;
        }
    }
    if (st != SPSEARCH_OK) {
        sp_xquery_free(alts[0]);
        return st;
    }
    return combine_free(SP_XQ_OR, alts, k, 0, out, err);
}

static spsearch_status_t build(builder *b, const sp_qnode *n,
                               sp_xquery **out);


static spsearch_status_t build_list(builder *b, const sp_qnode *n,
                                    sp_xquery **out)
{
    size_t cnt = n->nkids;
    sp_xquery **must = calloc(cnt, sizeof *must);
    sp_xquery **should = calloc(cnt, sizeof *should);
    sp_xquery **nots = calloc(cnt, sizeof *nots);
    size_t nm = 0, ns = 0, nn = 0;
    spsearch_status_t st = SPSEARCH_OK;
    sp_xquery *core = NULL;
    *out = NULL;
    if (must == NULL || should == NULL || nots == NULL)
        st = sp_error_set(b->err, SPSEARCH_NOMEM, "out of memory");
    int all = b->all_words || n->forced_and;
    for (size_t i = 0; i < cnt && st == SPSEARCH_OK; i++) {
        sp_xquery *q = NULL;
        st = build(b, n->kids[i], &q);
        if (st != SPSEARCH_OK)
            break;
        if (n->kids[i]->mod == SP_Q_MUST_NOT)
            nots[nn++] = q;
        else if (n->kids[i]->mod == SP_Q_MUST || all ||
                 n->kids[i]->kind == SP_Q_FILTER)
            must[nm++] = q;
        else
            should[ns++] = q;
    }
    if (!n->forced_and) {
        size_t positive = 0;
        for (size_t i = 0; i < cnt; i++)
            positive += n->kids[i]->mod == SP_Q_SHOULD &&
                        n->kids[i]->kind != SP_Q_FILTER;
        if (positive > 1)
            b->any_differs = 1;
    }
    if (st == SPSEARCH_OK) {
        sp_xquery *m = NULL, *s = NULL;
        if (nm > 0) {
            st = combine_free(SP_XQ_AND, must, nm, 0, &m, b->err);
            nm = 0;
        }
        if (st == SPSEARCH_OK && ns > 0) {
            st = combine_free(SP_XQ_OR, should, ns, 0, &s, b->err);
            ns = 0;
        }
        if (st == SPSEARCH_OK && m != NULL && s != NULL) {
            sp_xquery *pair[2] = {m, s};
            st = combine_free(SP_XQ_AND_MAYBE, pair, 2, 0, &core, b->err);
            m = s = NULL;
        } else if (st == SPSEARCH_OK) {
            core = m != NULL ? m : s;
            m = s = NULL;
        }
        sp_xquery_free(m);
        sp_xquery_free(s);
        if (st == SPSEARCH_OK && core == NULL)
            st = sp_xquery_all(&core, b->err);
        if (st == SPSEARCH_OK && nn > 0) {
            sp_xquery *neg = NULL;
            st = combine_free(SP_XQ_OR, nots, nn, 0, &neg, b->err);
            nn = 0;
            if (st == SPSEARCH_OK) {
                sp_xquery *pair[2] = {core, neg};
                st = combine_free(SP_XQ_AND_NOT, pair, 2, 0, &core, b->err);
            }
        }
    }
    for (size_t i = 0; i < nm; i++)
        sp_xquery_free(must[i]);
    for (size_t i = 0; i < ns; i++)
        sp_xquery_free(should[i]);
    for (size_t i = 0; i < nn; i++)
        sp_xquery_free(nots[i]);
    free(must);
    free(should);
    free(nots);
    if (st != SPSEARCH_OK) {
        sp_xquery_free(core);
        return st;
    }
    *out = core;
    return SPSEARCH_OK;
}

static spsearch_status_t build(builder *b, const sp_qnode *n, sp_xquery **out)
{
    switch (n->kind) {
    case SP_Q_WORD:
    case SP_Q_WILDCARD:
        return word_query(b, n, out);
    case SP_Q_PHRASE: {
        if (n->field != NULL)
            return field_query(n, out, b->err);
        /* A phrase that nowhere stands whole (a long sentence cut between
         * two passages, a misremembered quote) is searched again as its
         * words when nothing matched. */
        int loosen = n->ntoks > 1 && n->mod != SP_Q_MUST_NOT;
        if (loosen)
            b->any_differs = 1;
        spsearch_status_t st =
            b->all_words || !loosen
                ? phrase_query(b, n, out)
                : tokens_query(n, SP_TOK_JOINED, SP_XQ_OR, out, b->err);
        if (st == SPSEARCH_OK && !n->exact)
            st = with_synonym(b, n, out);
        return st;
    }
    case SP_Q_FILTER:
        return filter_query(n, out, b->err);
    case SP_Q_NEAR: {
        /* Both words, any order, within the window (positions are
         * counted from the first word: window + 1 spans them). */
        sp_xquery *pair[2] = {NULL, NULL};
        spsearch_status_t st = term_query("", n->kids[0]->toks[0].term, 1,
                                          &pair[0], b->err);
        if (st == SPSEARCH_OK)
            st = term_query("", n->kids[1]->toks[0].term, 2, &pair[1],
                            b->err);
        if (st != SPSEARCH_OK) {
            sp_xquery_free(pair[0]);
            return st;
        }
        return combine_free(SP_XQ_NEAR, pair, 2, n->window + 1, out,
                            b->err);
    }
    case SP_Q_LIST:
        return build_list(b, n, out);
    case SP_Q_OR: {
        sp_xquery **qs = calloc(n->nkids, sizeof *qs);
        spsearch_status_t st = SPSEARCH_OK;
        size_t k = 0;
        if (qs == NULL)
            return sp_error_set(b->err, SPSEARCH_NOMEM, "out of memory");
        for (; k < n->nkids && st == SPSEARCH_OK; k++)
            st = build(b, n->kids[k], &qs[k]);
        if (st == SPSEARCH_OK) {
            st = combine_free(SP_XQ_OR, qs, k, 0, out, b->err);
        } else {
            for (size_t i = 0; i < k; i++)
                sp_xquery_free(qs[i]);
        }
        free(qs);
        return st;
    }
    }
    return sp_error_set(b->err, SPSEARCH_INTERNAL, "unknown query node");
}

/* How much a title match adds, relative to the words' own weight. */
#define TITLE_BONUS 0.5

/* The plain words of the top level (no fields, filters, exclusions),
 * word* included. */
static size_t plain_words(const sp_qnode *root, const sp_qnode **words,
                          size_t max)
{
    size_t n = 0;
    const sp_qnode *const *kids = &root;
    size_t nkids = 1;
    if (root->kind == SP_Q_LIST) {
        kids = (const sp_qnode *const *)root->kids;
        nkids = root->nkids;
    }
    for (size_t i = 0; i < nkids && n < max; i++) {
        const sp_qnode *k = kids[i];
        if ((k->kind == SP_Q_WORD || k->kind == SP_Q_WILDCARD) &&
            k->mod != SP_Q_MUST_NOT && k->field == NULL && !k->exact &&
            k->ntoks == 1)
            words[n++] = k;
    }
    return n;
}

/* Whether two of the words are forms of one ("principle principles"):
 * the user lists variants, which a passage seldom writes side by side.
 * Their phrase bonus would rank nothing, and Xapian would check it on
 * every passage with the word (on the 1 GB bench corpus 28-42 ms, 8-10
 * without it).
 * The same form twice ("bora bora") is a phrase and keeps it. */
static int variants(const sp_qnode *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (strcmp(words[i]->toks[0].term, words[j]->toks[0].term) == 0 &&
                strcmp(words[i]->toks[0].exact, words[j]->toks[0].exact) != 0)
                return 1;
    return 0;
}

/* Bonuses that reorder what the query matches without matching more:
 * the words together as a phrase in a passage, and the words in the
 * article's title.  A bonus for words near each other (within 4 words per
 * query word) was dropped: in passages of about a hundred words it did not
 * help the 400 relevance queries (MRR@10 0.979 with it, 0.980 without),
 * and cost 13% of the median two-word query, whose positions Xapian read
 * once for it and once for the phrase. */
static spsearch_status_t add_bonuses(const sp_qnode *root, sp_xquery **q,
                                     sp_error *err)
{
    const sp_qnode *plain[16];
    size_t n = plain_words(root, plain, 16);
    sp_xquery *bonus[2] = {NULL, NULL};
    size_t nb = 0;
    spsearch_status_t st = SPSEARCH_OK;
    if (n == 0)
        return SPSEARCH_OK;
    sp_xquery *words[16], *titles[16];
    size_t nw = 0, nt = 0;
    int wildcards = 0;
    for (size_t i = 0; i < n && st == SPSEARCH_OK; i++) {
        const sp_qtoken *t = &plain[i]->toks[0];
        if (plain[i]->kind == SP_Q_WILDCARD) {
            /* word* in a title counts as the word would; it has no
             * single term for the phrase bonus. */
            wildcards = 1;
            st = wildcard_query(SP_PREFIX_TITLE, t->exact, &titles[nt], err);
            if (st == SPSEARCH_OK)
                nt++;
            continue;
        }
        st = term_query("", t->term, (uint32_t)(i + 1), &words[nw], err);
        if (st == SPSEARCH_OK)
            nw++;
        if (st == SPSEARCH_OK)
            st = term_query(SP_PREFIX_TITLE, t->term, 0, &titles[nt], err);
        if (st == SPSEARCH_OK)
            nt++;
    }
    if (st == SPSEARCH_OK && nw > 1 && !wildcards && !variants(plain, n)) {
        st = sp_xquery_combine(SP_XQ_PHRASE, words, nw, (uint32_t)nw,
                               &bonus[nb], err);
        if (st == SPSEARCH_OK)
            nb++;
    }
    if (st == SPSEARCH_OK) {
        sp_xquery *t = NULL;
        st = combine_free(SP_XQ_OR, titles, nt, 0, &t, err);
        nt = 0;
        if (st == SPSEARCH_OK) {
            st = sp_xquery_scale(t, TITLE_BONUS, &bonus[nb], err);
            sp_xquery_free(t);
        }
        if (st == SPSEARCH_OK)
            nb++;
    }
    for (size_t i = 0; i < nw; i++)
        sp_xquery_free(words[i]);
    for (size_t i = 0; i < nt; i++)
        sp_xquery_free(titles[i]);
    if (st == SPSEARCH_OK) {
        sp_xquery *b = NULL;
        st = combine_free(SP_XQ_OR, bonus, nb, 0, &b, err);
        nb = 0;
        if (st == SPSEARCH_OK) {
            sp_xquery *pair[2] = {*q, b};
            st = combine_free(SP_XQ_AND_MAYBE, pair, 2, 0, q, err);
        }
    }
    for (size_t i = 0; i < nb; i++)
        sp_xquery_free(bonus[i]);
    return st;
}

spsearch_status_t sp_query_build(const sp_qnode *root, int all_words,
                                 int pairs, sp_xquery **out, int *has_any_mode,
                                 sp_error *err)
{
    builder b = {all_words, pairs, 0, err};
    spsearch_status_t st = build(&b, root, out);
    if (has_any_mode != NULL)
        *has_any_mode = b.any_differs;
    if (st == SPSEARCH_OK) {
        st = add_bonuses(root, out, err);
        if (st != SPSEARCH_OK) {
            sp_xquery_free(*out);
            *out = NULL;
        }
    }
    return st;
}

char *sp_query_syn_key(sp_arena *arena, const sp_qtoken *toks, size_t n)
{
    size_t len = strlen(SP_SYN_PREFIX) + 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(toks[i].term) + 1;
    char *key = sp_arena_alloc(arena, len);
    if (key == NULL)
        return NULL;
    strcpy(key, SP_SYN_PREFIX);
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (toks[i].flags & SP_TOK_JOINED)
            continue;
        if (!first)
            strcat(key, " ");
        strcat(key, toks[i].term);
        first = 0;
    }
    return key;
}

spsearch_status_t sp_query_add_synonyms(sp_arena *arena, sp_analyzer *an,
                                        const char *lang, sp_qnode *node,
                                        sp_syn_fn fn, void *ctx,
                                        sp_error *err)
{
    spsearch_status_t st = SPSEARCH_OK;
    if (node->kind == SP_Q_LIST || node->kind == SP_Q_OR) {
        for (size_t i = 0; i < node->nkids && st == SPSEARCH_OK; i++)
            st = sp_query_add_synonyms(arena, an, lang, node->kids[i], fn, ctx,
                                       err);
        return st;
    }
    if ((node->kind != SP_Q_WORD && node->kind != SP_Q_PHRASE) ||
        node->field != NULL || node->exact || node->ntoks == 0 ||
        node->ntoks > 12)
        return SPSEARCH_OK;
    char *key = sp_query_syn_key(arena, node->toks, node->ntoks);
    if (key == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    const char *text = fn(ctx, key);
    if (text == NULL)
        return SPSEARCH_OK;
    parser p = {NULL, arena, an, lang, text, strlen(text), 0, 0,
                SPSEARCH_OK, err};
    sp_qnode tmp;
    memset(&tmp, 0, sizeof tmp);
    analyze(&p, &tmp, text, strlen(text));
    if (p.st != SPSEARCH_OK)
        return p.st;
    node->syn = tmp.toks;
    node->nsyn = tmp.ntoks;
    return SPSEARCH_OK;
}

/* The exact forms a word* adds to its stems, collected while the index
 * lists those under its prefix. */
typedef struct form_list {
    sp_analyzer *an;
    const char *lang;
    const char *prefix; /* the word before "*" */
    size_t prefix_len;
    struct form {
        char *term; /* with SP_PREFIX_EXACT */
        uint32_t freq;
    } *v;
    size_t n, cap;
    int stem_matches; /* the form analysed: its stem starts with prefix */
    spsearch_status_t st;
    sp_error *err;
} form_list;

static int on_form_token(void *ctx, const sp_token *t)
{
    form_list *l = ctx;
    l->stem_matches = t->term_len >= l->prefix_len &&
                      memcmp(t->term, l->prefix, l->prefix_len) == 0;
    return 1; /* an exact form is one word */
}

static int on_form(void *ctx, const char *term, size_t len, uint32_t freq)
{
    form_list *l = ctx;
    size_t plen = strlen(SP_PREFIX_EXACT);
    l->stem_matches = 0;
    l->st = sp_analyzer_run(l->an, term + plen, len - plen, l->lang, 0,
                            on_form_token, l, NULL, l->err);
    if (l->st != SPSEARCH_OK)
        return 1;
    if (l->stem_matches)
        return 0; /* its stem's wildcard counts it already */
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct form *v = realloc(l->v, cap * sizeof *v);
        if (v == NULL)
            goto nomem;
        l->v = v;
        l->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        goto nomem;
    memcpy(copy, term, len);
    copy[len] = '\0';
    l->v[l->n].term = copy;
    l->v[l->n].freq = freq;
    l->n++;
    return 0;
nomem:
    l->st = sp_error_set(l->err, SPSEARCH_NOMEM, "out of memory");
    return 1;
}

static int by_freq_desc(const void *a, const void *b)
{
    const struct form *x = a, *y = b;
    if (x->freq != y->freq)
        return x->freq < y->freq ? 1 : -1;
    return strcmp(x->term, y->term);
}

static spsearch_status_t wildcard_forms(sp_arena *arena, sp_analyzer *an,
                                        const char *lang, sp_qnode *node,
                                        sp_terms_fn fn, void *ctx,
                                        sp_error *err)
{
    form_list l = {an, lang, node->toks[0].exact, strlen(node->toks[0].exact),
                   NULL, 0, 0, 0, SPSEARCH_OK, err};
    char *prefix = sp_arena_concat(arena, SP_PREFIX_EXACT, l.prefix);
    spsearch_status_t st =
        prefix == NULL ? sp_error_set(err, SPSEARCH_NOMEM, "out of memory")
                       : fn(ctx, prefix, on_form, &l, err);
    if (st == SPSEARCH_OK)
        st = l.st;
    if (st == SPSEARCH_OK && l.n > 0) {
        /* As Xapian's own expansion keeps the most frequent. */
        qsort(l.v, l.n, sizeof *l.v, by_freq_desc);
        size_t keep = l.n < WILDCARD_LIMIT ? l.n : WILDCARD_LIMIT;
        node->forms = sp_arena_alloc(arena, keep * sizeof *node->forms);
        for (size_t i = 0; i < keep && node->forms != NULL; i++) {
            node->forms[i] = sp_arena_concat(arena, l.v[i].term, "");
            if (node->forms[i] == NULL)
                node->forms = NULL;
        }
        if (node->forms == NULL)
            st = sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        else
            node->nforms = keep;
    }
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i].term);
    free(l.v);
    return st;
}

spsearch_status_t sp_query_add_forms(sp_arena *arena, sp_analyzer *an,
                                     const char *lang, sp_qnode *node,
                                     sp_terms_fn fn, void *ctx,
                                     sp_error *err)
{
    if (node->kind == SP_Q_WILDCARD && node->field == NULL &&
        node->ntoks > 0)
        return wildcard_forms(arena, an, lang, node, fn, ctx, err);
    spsearch_status_t st = SPSEARCH_OK;
    for (size_t i = 0; i < node->nkids && st == SPSEARCH_OK; i++)
        st = sp_query_add_forms(arena, an, lang, node->kids[i], fn, ctx, err);
    return st;
}

spsearch_status_t sp_query_negatives(const sp_qnode *root, sp_xquery **out,
                                     sp_error *err)
{
    *out = NULL;
    if (root->kind != SP_Q_LIST)
        return SPSEARCH_OK;
    builder b = {1, 0, 0, err};
    sp_xquery *negs[64];
    size_t n = 0;
    spsearch_status_t st = SPSEARCH_OK;
    for (size_t i = 0; i < root->nkids && n < 64 && st == SPSEARCH_OK; i++) {
        const sp_qnode *k = root->kids[i];
        if (k->mod != SP_Q_MUST_NOT || k->kind == SP_Q_FILTER)
            continue;
        st = build(&b, k, &negs[n]);
        if (st == SPSEARCH_OK)
            n++;
    }
    if (st != SPSEARCH_OK) {
        for (size_t i = 0; i < n; i++)
            sp_xquery_free(negs[i]);
        return st;
    }
    return n == 0 ? SPSEARCH_OK : combine_free(SP_XQ_OR, negs, n, 0, out, err);
}

/* ---- highlight patterns ---- */

typedef struct pattern_list {
    sp_arena *arena;
    sp_hl_pattern *v;
    size_t n, cap;
    int loose; /* phrases were searched as their words */
} pattern_list;

static spsearch_status_t add_pattern(pattern_list *l, const sp_qtoken *toks,
                                     size_t ntoks, int skip_joined,
                                     int exact, int prefix, sp_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        sp_hl_pattern *v = sp_arena_alloc(l->arena, cap * sizeof *v);
        if (v == NULL)
            return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        if (l->n > 0)
            memcpy(v, l->v, l->n * sizeof *v);
        l->v = v;
        l->cap = cap;
    }
    sp_hl_pattern *p = &l->v[l->n];
    p->terms = sp_arena_alloc(l->arena, ntoks * sizeof *p->terms);
    if (p->terms == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    p->n = 0;
    p->exact = exact;
    p->prefix = prefix;
    for (size_t i = 0; i < ntoks; i++) {
        if (skip_joined && (toks[i].flags & SP_TOK_JOINED))
            continue;
        p->terms[p->n++] = exact || prefix ? toks[i].exact : toks[i].term;
    }
    if (p->n > 0)
        l->n++;
    return SPSEARCH_OK;
}

static spsearch_status_t collect(pattern_list *l, const sp_qnode *n,
                                 sp_error *err)
{
    spsearch_status_t st = SPSEARCH_OK;
    /* Excluded words, fields and dates are not in the passage's text. */
    if (n->mod == SP_Q_MUST_NOT || n->field != NULL)
        return SPSEARCH_OK;
    switch (n->kind) {
    case SP_Q_FILTER:
        return SPSEARCH_OK;
    case SP_Q_NEAR:
        for (size_t i = 0; i < n->nkids && st == SPSEARCH_OK; i++)
            st = collect(l, n->kids[i], err);
        return st;
    case SP_Q_WILDCARD:
        return add_pattern(l, n->toks, 1, 0, 0, 1, err);
    case SP_Q_PHRASE:
        if (l->loose && n->ntoks > 1) {
            /* As build() loosened it: its words, not its joined forms. */
            for (size_t i = 0; i < n->ntoks && st == SPSEARCH_OK; i++)
                st = add_pattern(l, &n->toks[i], 1, 1, n->exact, 0, err);
        } else {
            st = add_pattern(l, n->toks, n->ntoks, 1, n->exact, 0, err);
        }
        if (st == SPSEARCH_OK && n->nsyn > 0)
            st = add_pattern(l, n->syn, n->nsyn, 1, 0, 0, err);
        return st;
    case SP_Q_WORD:
        /* The parts as a phrase, and each joined form on its own. */
        st = add_pattern(l, n->toks, n->ntoks, 1, n->exact, 0, err);
        if (st == SPSEARCH_OK && n->nsyn > 0)
            st = add_pattern(l, n->syn, n->nsyn, 1, 0, 0, err);
        for (size_t i = 0; i < n->ntoks && st == SPSEARCH_OK; i++)
            if (n->toks[i].flags & SP_TOK_JOINED)
                st = add_pattern(l, &n->toks[i], 1, 0, n->exact, 0, err);
        return st;
    case SP_Q_LIST:
    case SP_Q_OR:
        for (size_t i = 0; i < n->nkids && st == SPSEARCH_OK; i++)
            st = collect(l, n->kids[i], err);
        return st;
    }
    return SPSEARCH_OK;
}

spsearch_status_t sp_query_patterns(sp_arena *arena, const sp_qnode *root,
                                    int loose, sp_hl_pattern **out, size_t *n,
                                    sp_error *err)
{
    pattern_list l = {arena, NULL, 0, 0, loose};
    spsearch_status_t st = collect(&l, root, err);
    *out = l.v;
    *n = st == SPSEARCH_OK ? l.n : 0;
    return st;
}
