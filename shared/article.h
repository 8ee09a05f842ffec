/*
 * article.h - what readers extract from an article: title and date.
 */
#ifndef SP_ARTICLE_H
#define SP_ARTICLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How far from the top a dateline is looked for, in bytes. */
#define SP_DATELINE_SCAN 1024
/* Titles longer than this are cut at a word. */
#define SP_TITLE_MAX 160

/* The title of a plain-text article: its first non-empty line that is not
 * only a dateline, trimmed; a longer line than SP_TITLE_MAX bytes (a
 * paragraph, not a headline) is cut at a word boundary before that.  Sets
 * [*start, *end) in text; empty when the text has no visible line.  The
 * caller can tell a cut title: text[*end] is then not a line end. */
void sp_article_title(const char *text, size_t len, size_t *start,
                      size_t *end);

/* Where the prose of an article's first passage text[0..len) begins:
 * after its headline (the words of title, whole, blanks and line ends
 * aside) and a line that is only a dateline, above or below it, at the
 * top.  Sets [*headline_start, *headline_end) to the headline, or both to
 * 0 when the passage does not begin with it; returns the offset past them
 * and the blanks after them (len when nothing follows), or 0 when the
 * passage begins with neither. */
size_t sp_article_lede(const char *title, const char *text, size_t len,
                       size_t *headline_start, size_t *headline_end);

/* Looks for a date near the top of text: "July 31, 2025", "Aug. 1, 2025",
 * "1 August 2025", "2025-07-31", "2025/07/31", "31.07.2025", and the
 * month names and forms of the French, German, Spanish, Italian,
 * Portuguese, Dutch and Scandinavian press ("1er août 2025", "31. Juli
 * 2025", "31 de julio de 2025").  On success writes "YYYY-MM-DD" to out
 * and returns 0; returns -1 when there is none. */
int sp_article_find_date(const char *text, size_t len, char out[11]);

/* Parses a date written like those (or ISO 8601 with a time after it) that
 * takes the whole of s[0..len), give or take white space; 0 or -1. */
int sp_article_parse_date(const char *s, size_t len, char out[11]);

/* Checks a date bound s[0..len), "YYYY", "YYYY-MM" or "YYYY-MM-DD", and
 * pads it to a full date: the first day for a lower bound, past the last
 * day for an upper one (bytewise, "9" sorts after any digit), so that it
 * compares with stored "YYYY-MM-DD" dates.  A day may also be counted
 * back from today (local time): "today", "yesterday", "7d", "2w".  0, or
 * -1 when malformed. */
int sp_date_bound(const char *s, size_t len, int upper, char out[11]);

#ifdef __cplusplus
}
#endif

#endif /* SP_ARTICLE_H */
