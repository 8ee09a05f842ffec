/*
 * pairs.c - the pair words and pair terms (see pairs.h).
 */
#include "shared/pairs.h"

#include <stdlib.h>
#include <string.h>

/* English Snowball stems ("ani" is "any", "doe" is "does", "onli" is
 * "only") of about eighty of the most frequent function words, sorted
 * bytewise for bsearch.  In the 100 MB bench index their pairs are 13% of
 * all postings.  Content words are left out even where they are as
 * frequent in one archive ("government"): the list is part of the index
 * format, the same for every corpus. */
static const char *const pair_words[] = {
    "a",     "all",    "also",  "an",    "and",  "ani",   "are",   "as",
    "at",    "be",     "been",  "but",   "by",   "can",   "could", "did",
    "do",    "doe",    "for",   "from",  "had",  "has",   "have",  "he",
    "her",   "him",    "his",   "i",     "if",   "in",    "into",  "is",
    "it",    "may",    "me",    "more",  "must", "my",    "no",    "not",
    "of",    "on",     "one",   "onli",  "or",   "other", "our",   "shall",
    "she",   "should", "so",    "some",  "such", "than",  "that",  "the",
    "their", "them",   "there", "these", "they", "this",  "those", "to",
    "upon",  "us",     "was",   "we",    "were", "what",  "when",  "which",
    "who",   "will",   "with",  "would", "you",  "your"};

/* The longest pair word, in bytes. */
#define PAIR_WORD_MAX 6

static int compare(const void *k, const void *elem)
{
    const char *a = k; /* NUL-padded to PAIR_WORD_MAX + 1 bytes */
    return strncmp(a, *(const char *const *)elem, PAIR_WORD_MAX + 1);
}

int sp_pair_word(const char *stem, size_t len)
{
    /* Most words are rejected by length alone; the rest are padded with
     * NULs so that one strncmp compares both bytes and length. */
    char key[PAIR_WORD_MAX + 1] = {0};
    if (len == 0 || len > PAIR_WORD_MAX || memchr(stem, '\0', len) != NULL)
        return 0;
    memcpy(key, stem, len);
    return bsearch(key, pair_words, sizeof pair_words / sizeof *pair_words,
                   sizeof *pair_words, compare) != NULL;
}

spsearch_status_t sp_pair_term(char *buf, size_t size, const char *a,
                               size_t alen, const char *b, size_t blen,
                               size_t *len)
{
    size_t plen = strlen(SP_PREFIX_PAIR);
    size_t n = plen + alen + 1 + blen;
    if (n >= size)
        return SPSEARCH_INVALID;
    memcpy(buf, SP_PREFIX_PAIR, plen);
    memcpy(buf + plen, a, alen);
    buf[plen + alen] = ' ';
    memcpy(buf + plen + alen + 1, b, blen);
    buf[n] = '\0';
    *len = n;
    return SPSEARCH_OK;
}

spsearch_status_t sp_pairs_usable(sp_xdb *db, int format, int *usable,
                                  sp_error *err)
{
    uint32_t docs = 0, paired = 0;
    spsearch_status_t st = SPSEARCH_OK;
    *usable = 0;
    if (format < SP_FORMAT_PAIRS)
        return SPSEARCH_OK;
    st = sp_xdb_doc_count(db, &docs, err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_term_freq(db, SP_TERM_PAIRED, &paired, err);
    *usable = st == SPSEARCH_OK && paired == docs;
    return st;
}
