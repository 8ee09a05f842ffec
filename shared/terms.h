/*
 * terms.h - how articles are laid out in the index: term prefixes, value
 * slots and the format number.  The indexer writes this layout and the
 * searcher reads it, so it lives in one place.
 *
 * Each passage of an article is one Xapian document.  All passages of an
 * article carry the article's unique boolean term, so that deleting by that
 * term removes the whole article, and its key in SP_SLOT_ARTICLE, so that
 * the searcher collapses passages to one hit per article.
 */
#ifndef SP_TERMS_H
#define SP_TERMS_H

/* Unstemmed exact forms ("Ezürich"), weighted, without positions. */
#define SP_PREFIX_EXACT "E"
/* Acronyms and initialisms ("Aus" for "U.S."), weighted. */
#define SP_PREFIX_ACRONYM "A"
/* The article's unique id (boolean). */
#define SP_PREFIX_ARTICLE "Q"
/* Title words, stemmed, in the article's first passage. */
#define SP_PREFIX_TITLE "S"

/* Value slots. */
#define SP_SLOT_ARTICLE 0 /* the article's unique term, for collapsing */
#define SP_SLOT_DATE 1    /* "YYYY-MM-DD", sortable */

/* Metadata keys. */
#define SP_META_FORMAT "spsearch.format"
/* When the last run of spindex committed, "YYYY-MM-DDTHH:MM:SSZ". */
#define SP_META_UPDATED "spsearch.updated"
/* "F" + file path: the file's state when it was indexed. */
#define SP_META_FILE_PREFIX "F"

/* The index layout version this build writes and reads.  An index with a
 * larger number was written by a newer spsearch. */
#define SP_INDEX_FORMAT 1

/* Longest unique term Xapian accepts comfortably (its limit is 245 bytes);
 * longer ids are replaced by a hash. */
#define SP_MAX_ID_TERM 200

#endif /* SP_TERMS_H */
