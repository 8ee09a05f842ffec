/*
 * analyzer.h - the one analyzer: text to terms, for indexing and for
 * queries alike, so that what is indexed is what is searched.
 *
 * UTF-8 in (invalid sequences read as U+FFFD and counted), ICU word
 * segmentation (dictionary-based for Chinese, Japanese, Thai), NFKC case
 * folding, typographic apostrophes/quotes/dashes unified, diacritics folded
 * for the matching term, Snowball stems through Xapian.
 *
 * Each token reports its word position and its byte range in the input.
 * Hyphenated compounds ("De-orbiting") give their parts at consecutive
 * positions (flag SP_TOK_PART) and the joined form ("deorbit") at the first
 * part's position (flag SP_TOK_JOINED), spanning the whole compound.
 */
#ifndef SP_ANALYZER_H
#define SP_ANALYZER_H

#include <stddef.h>
#include <stdint.h>

#include "shared/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_analyzer sp_analyzer;

enum {
    SP_TOK_PART = 1,    /* a part of a hyphenated compound */
    SP_TOK_JOINED = 2,  /* the joined form of a hyphenated compound */
    SP_TOK_ACRONYM = 4, /* "U.S.", "J.F.K.", or an all-capitals word: "NASA" */
    SP_TOK_NUMBER = 8,  /* starts with a digit: "2025", "7.5", "1,200" */
    SP_TOK_IDEO = 16    /* Chinese/Japanese/Thai (no spaces in the script) */
};

typedef struct sp_token {
    /* The matching term: folded, diacritics removed, stemmed.  For an
     * acronym, its letters without dots ("us" for "U.S."). */
    const char *term;
    size_t term_len;
    /* The exact form: folded, unstemmed, diacritics kept ("zürich",
     * "russia's"). */
    const char *exact;
    size_t exact_len;
    /* Word position; consecutive words differ by one. */
    uint32_t pos;
    /* Byte range of the token in the input text. */
    size_t start, end;
    unsigned flags;
} sp_token;

/* Called for each token in order; a non-zero return stops the run. */
typedef int (*sp_token_fn)(void *ctx, const sp_token *tok);

/* Makes an analyzer whose default stemming language is lang (a Xapian
 * language name or ISO code, "en" if NULL). */
spsearch_status_t sp_analyzer_new(const char *lang, sp_analyzer **out,
                                  sp_error *err);
void sp_analyzer_free(sp_analyzer *a);
/* Whether text that decodes to plain ASCII is split into words without
 * ICU's rule machine, the same way: on by default, and only where a check
 * against the ICU in use agrees.  Returns whether it is now on.  Tests
 * turn it off to compare. */
int sp_analyzer_plain_words(sp_analyzer *a, int on);

typedef struct sp_analysis {
    uint32_t next_pos;      /* the position after the last token */
    size_t invalid_utf8;    /* invalid byte sequences replaced */
} sp_analysis;

/* Analyzes text[0..len).  lang overrides the default stemming language for
 * this text (NULL: the analyzer's default).  Positions start at first_pos.
 * stats (optional) receives counts.  Returns SPSEARCH_OK, SPSEARCH_NOMEM or
 * SPSEARCH_INTERNAL. */
spsearch_status_t sp_analyzer_run(sp_analyzer *a, const char *text,
                                  size_t len, const char *lang,
                                  uint32_t first_pos, sp_token_fn fn,
                                  void *ctx, sp_analysis *stats,
                                  sp_error *err);

/* A set of bytes: the first bytes of the terms a caller looks for.
 * Zero-initialise it, then add each term. */
typedef struct sp_firsts {
    unsigned char bit[32];
} sp_firsts;

/* Adds the first byte of term, which must not be empty, to f. */
void sp_analyzer_firsts_add(sp_firsts *f, const char *term);

/* Like sp_analyzer_run, for a caller that compares the tokens' terms with a
 * few terms of its own, such as highlighting, and so does not need every
 * word stemmed.  When firsts is not NULL, a token whose matching term
 * cannot start with any byte in firsts may come with term NULL and
 * term_len 0 instead; every other field of every token is as
 * sp_analyzer_run gives it, and tokens with a term have the same term.
 * firsts NULL: exactly sp_analyzer_run. */
spsearch_status_t sp_analyzer_run_for(sp_analyzer *a, const char *text,
                                      size_t len, const char *lang,
                                      uint32_t first_pos,
                                      const sp_firsts *firsts,
                                      sp_token_fn fn, void *ctx,
                                      sp_analysis *stats, sp_error *err);

/* Guesses the language of text from its script and common words: an ISO
 * code ("en", "ru", "de", "fr", "es", ...), or NULL when unsure. */
const char *sp_analyzer_detect_lang(const char *text, size_t len);

/* ICU's version, "72.1". */
const char *sp_analyzer_icu_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SP_ANALYZER_H */
