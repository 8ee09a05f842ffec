/*
 * query.h - spsearch's query language, parsed over the shared analyzer so
 * that a query's words become exactly the terms the indexer wrote.
 *
 *   words               all required when some article has them all,
 *                       otherwise any (see sp_query_build's all_words)
 *   "a quoted phrase"   the words in order
 *   +word  -word        required, excluded
 *   a AND b, a OR b, NOT a, ( ... )
 *   a NEAR b, a NEAR/5 b  within 10 (or 5) words of each other
 *   word*               words starting with "word"
 *   =word               the exact form, unstemmed
 *   title:w author:w source:w   words of those fields (also "phrases",
 *                       and w*)
 *   date:2025-07-31, date:2025-07, date:2025-07..2025-08, year:2025
 *
 * Malformed input is read leniently: an unclosed quote or parenthesis ends
 * at the end of the query, a stray ")" is ignored.  Only a query with no
 * words at all is an error.
 */
#ifndef SP_QUERY_H
#define SP_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "searcher/arena.h"
#include "shared/analyzer.h"
#include "shared/error.h"
#include "shared/terms.h"
#include "shared/xdb.h"

typedef enum {
    SP_Q_WORD,     /* one word of the query: its tokens */
    SP_Q_PHRASE,   /* a quoted phrase: its tokens */
    SP_Q_WILDCARD, /* word*: toks[0].term is the prefix */
    SP_Q_LIST,     /* words side by side, each with a modifier */
    SP_Q_OR,       /* a OR b */
    SP_Q_FILTER,   /* date:, year: (no weight): filter_term or the range */
    SP_Q_NEAR      /* a NEAR b, a NEAR/n b: kids within window words */
} sp_qkind;

typedef enum { SP_Q_SHOULD, SP_Q_MUST, SP_Q_MUST_NOT } sp_qmod;

typedef struct sp_qtoken {
    const char *term;  /* matching term */
    const char *exact; /* exact form */
    uint32_t pos;
    unsigned flags;    /* SP_TOK_* */
} sp_qtoken;

typedef struct sp_qnode {
    sp_qkind kind;
    sp_qmod mod;
    int exact;        /* =word: match the exact form */
    int forced_and;   /* an explicit AND joined this list */
    const char *field; /* title:, author:, source: term prefix, or NULL */
    const char *filter_term;   /* SP_Q_FILTER: a boolean term... */
    char range_lo[11], range_hi[11]; /* ...or a date range */
    unsigned window;  /* SP_Q_NEAR: how many words apart, at most */
    /* A synonym of a word or phrase ("ISS" for "International Space
     * Station" and back), searched as an alternative: its tokens. */
    sp_qtoken *syn;
    size_t nsyn;
    /* SP_Q_WILDCARD in the text: the exact-form terms it adds to the stems
     * under its prefix (see sp_query_add_forms). */
    const char **forms;
    size_t nforms;
    size_t offset;    /* byte offset in the query text */
    sp_qtoken *toks;
    size_t ntoks;
    struct sp_qnode **kids;
    size_t nkids;
} sp_qnode;

/* Parses text.  Nodes live in arena.  A query without any word gives
 * SPSEARCH_BAD_QUERY with *err_offset at the problem (else -1). */
spsearch_status_t sp_query_parse(sp_arena *arena, sp_analyzer *an,
                                 const char *lang, const char *text,
                                 sp_qnode **root, long *err_offset,
                                 sp_error *err);

/* Builds the Xapian query.  all_words: side-by-side words are all required
 * (else any, with +words required).  pairs: the index has pair terms
 * (shared/pairs.h), which phrases then use.  *has_any_mode (optional) is
 * set when the query would differ without all_words. */
spsearch_status_t sp_query_build(const sp_qnode *root, int all_words,
                                 int pairs, sp_xquery **out,
                                 int *has_any_mode, sp_error *err);

/* The synonym lookup key of tokens (non-joined stems, space-separated),
 * in arena; NULL when out of memory. */
char *sp_query_syn_key(sp_arena *arena, const sp_qtoken *toks, size_t n);

/* Calls fn for each word and phrase of the query that can have a synonym;
 * fn returns the synonym text or NULL.  Matching synonyms are analyzed
 * into the nodes.  SPSEARCH_OK or an error status. */
typedef const char *(*sp_syn_fn)(void *ctx, const char *key);
spsearch_status_t sp_query_add_synonyms(sp_arena *arena, sp_analyzer *an,
                                        const char *lang, sp_qnode *root,
                                        sp_syn_fn fn, void *ctx,
                                        sp_error *err);

/* Lists the terms that start with prefix, as sp_xdb_terms does. */
typedef spsearch_status_t (*sp_terms_fn)(void *ctx, const char *prefix,
                                         sp_xdb_term_fn fn, void *fn_ctx,
                                         sp_error *err);

/* For each word* of the text, finds with fn the exact forms it must add to
 * the stems that start with the word: the forms that start with it but
 * whose own stem (in lang) does not ("diplomatic", stem "diplomat", for
 * "diplomati*"), at most the 200 most frequent.  Without this a word*
 * matches the stems only.  SPSEARCH_OK or an error status. */
spsearch_status_t sp_query_add_forms(sp_arena *arena, sp_analyzer *an,
                                     const char *lang, sp_qnode *root,
                                     sp_terms_fn fn, void *ctx,
                                     sp_error *err);

/* The excluded parts of the query's top level (-word, NOT word), as one
 * query matching any of them, or *out = NULL when there are none.  The
 * searcher excludes whole articles with it, not only passages. */
spsearch_status_t sp_query_negatives(const sp_qnode *root, sp_xquery **out,
                                     sp_error *err);

/* A pattern to highlight: one term, or a phrase of terms. */
typedef struct sp_hl_pattern {
    const char **terms;
    size_t n;
    int exact;  /* compare with tokens' exact forms */
    int prefix; /* terms[0] is a prefix (word*) */
} sp_hl_pattern;

/* Collects what to highlight: the positive words and phrases of the query;
 * with loose (the hits are of the query with any of its words, see
 * sp_query_build), a phrase's words one by one, as they matched.  The
 * array lives in arena. */
spsearch_status_t sp_query_patterns(sp_arena *arena, const sp_qnode *root,
                                    int loose, sp_hl_pattern **out, size_t *n,
                                    sp_error *err);

#endif /* SP_QUERY_H */
