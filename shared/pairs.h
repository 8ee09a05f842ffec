/*
 * pairs.h - terms for two common words side by side ("in the").
 *
 * A quoted phrase of common words is the slowest query there is: Xapian
 * intersects posting lists that cover most passages, then reads every
 * candidate's positions.  So from index format 5 spindex also indexes,
 * without positions, one term for each pair of adjacent words whose stems
 * are both pair words: SP_PREFIX_PAIR, the first stem, a space, the second
 * ("XPin the").  A pair term is in a passage exactly when the passage has
 * those two stems at consecutive positions, so the searcher may answer a
 * two-word phrase of pair words with the pair term alone, and restrict a
 * longer phrase to passages that have its pairs without changing what
 * matches.  Lucene's CommonGrams filter is the same idea.
 *
 * The pair words are a fixed part of the format: indexer and searcher
 * must agree on them, or a phrase would miss passages.
 */
#ifndef SP_PAIRS_H
#define SP_PAIRS_H

#include <stddef.h>

#include "shared/error.h"
#include "shared/terms.h"
#include "shared/xdb.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Whether stem[0..len) is a pair word. */
int sp_pair_word(const char *stem, size_t len);

/* The pair term of stems a and b into buf (NUL-terminated), or
 * SPSEARCH_INVALID if it does not fit in size bytes. */
spsearch_status_t sp_pair_term(char *buf, size_t size, const char *a,
                               size_t alen, const char *b, size_t blen,
                               size_t *len);

/* *usable: whether phrases on db may use pair terms, given the format its
 * metadata gives (for shards: the first shard's).  Only when every
 * passage of every shard carries SP_TERM_PAIRED. */
spsearch_status_t sp_pairs_usable(sp_xdb *db, int format, int *usable,
                                  sp_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SP_PAIRS_H */
