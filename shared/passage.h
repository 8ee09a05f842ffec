/*
 * passage.h - splitting an article into passages, the unit that search
 * ranks and shows.
 *
 * Paragraphs are separated by line breaks (blank or not).  Very short lines
 * (bylines, datelines) and lines that end no sentence (headlines, headings)
 * are merged with the paragraph after them;
 * long paragraphs are cut at sentence boundaries (ICU) into windows of
 * bounded length.  Passages are byte ranges of the article text, in order,
 * never overlapping, trimmed of surrounding white space.
 */
#ifndef SP_PASSAGE_H
#define SP_PASSAGE_H

#include <stddef.h>

#include "shared/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_passage {
    size_t start, end;
} sp_passage;

/* Lines shorter than this are merged with the next paragraph... */
#define SP_PASSAGE_SHORT 80
/* ...and so are lines shorter than this that do not end a sentence (a
 * headline, "Highlights:"), while what they gather stays under
 * SP_PASSAGE_WINDOW bytes: a headline is shown with its lede. */
#define SP_PASSAGE_HEADING 240
/* Paragraphs longer than this are cut at sentence boundaries... */
#define SP_PASSAGE_LONG 1200
/* ...into windows of about this many bytes. */
#define SP_PASSAGE_WINDOW 700

/* Splits text[0..len) into passages, a malloc'd array the caller frees with
 * free().  Text with no visible characters gives *n = 0. */
spsearch_status_t sp_passages_split(const char *text, size_t len,
                                    sp_passage **out, size_t *n,
                                    sp_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SP_PASSAGE_H */
