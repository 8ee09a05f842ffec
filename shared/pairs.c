/*
 * pairs.c - the pair words and pair terms (see pairs.h).
 */
#include "shared/pairs.h"

#include <stdlib.h>
#include <string.h>

/* English Snowball stems ("ani" is "any", "doe" is "does", "onli" is
 * "only") of about eighty of the most frequent function words, sorted
 * bytewise for bsearch.  In the 100 MB bench corpus about one token in
 * six starts a pair of them.  Content words are left out even where they
 * are as frequent in one archive ("government"): the list is part of the
 * index format, the same for every corpus. */
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

typedef struct key {
    const char *s;
    size_t len;
} key;

static int compare(const void *k, const void *elem)
{
    const key *a = k;
    const char *b = *(const char *const *)elem;
    size_t blen = strlen(b);
    int c = memcmp(a->s, b, a->len < blen ? a->len : blen);
    if (c != 0)
        return c;
    return a->len < blen ? -1 : a->len > blen;
}

int sp_pair_word(const char *stem, size_t len)
{
    key k = {stem, len};
    /* No pair word is longer than six bytes. */
    if (len == 0 || len > 6)
        return 0;
    return bsearch(&k, pair_words, sizeof pair_words / sizeof *pair_words,
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
