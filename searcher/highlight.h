/*
 * highlight.h - finding the query's words in a passage: the analyzer runs
 * over the passage text only, and every token that matches a pattern of the
 * query (a word in any form, a phrase in order) is marked.
 */
#ifndef SP_HIGHLIGHT_H
#define SP_HIGHLIGHT_H

#include <stddef.h>

#include "searcher/arena.h"
#include "searcher/query.h"
#include "shared/analyzer.h"

typedef struct sp_range {
    size_t start, end;
} sp_range;

/* Marks the patterns in text[0..len).  The ranges (byte offsets in text,
 * ascending, merged where they touch or only white space separates them)
 * live in arena. */
spsearch_status_t sp_highlight(sp_arena *arena, sp_analyzer *an,
                               const char *lang, const char *text, size_t len,
                               const sp_hl_pattern *pats, size_t npats,
                               sp_range **out, size_t *n, sp_error *err);

#endif /* SP_HIGHLIGHT_H */
