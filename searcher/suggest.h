/*
 * suggest.h - did-you-mean from the index's own vocabulary.
 *
 * Only a word that matches nothing is corrected, so that a correctly
 * spelled word that matches is never "corrected" ("cross" stays "cross").
 * Candidates are the index's stems within a small edit distance, the most
 * frequent first; the suggestion shows the word as articles write it.
 */
#ifndef SP_SUGGEST_H
#define SP_SUGGEST_H

#include "searcher/arena.h"
#include "searcher/query.h"
#include "shared/xdb.h"

/* Makes the corrected query text in *out (in arena), or sets *out to NULL
 * when every word matches or no correction is close enough. */
spsearch_status_t sp_suggest(sp_arena *arena, sp_xdb *db, const char *query,
                             const sp_qnode *root, char **out,
                             sp_error *err);

#endif /* SP_SUGGEST_H */
