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

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Unstemmed exact forms ("Ezürich"), weighted, without positions. */
#define SP_PREFIX_EXACT "E"
/* Acronyms and initialisms ("XAus" for "U.S."), weighted. */
#define SP_PREFIX_ACRONYM "XA"
/* Two adjacent pair words ("XPin the"), weighted, without positions, from
 * format 5 (shared/pairs.h). */
#define SP_PREFIX_PAIR "XP"
/* The article's unique id (boolean): "Q" and the 16 hex digits of the
 * FNV-1a hash of its file's path, plus "#" and the article's id within
 * the file for files holding several articles.  (Format 1 had the id
 * itself.) */
#define SP_PREFIX_ARTICLE "Q"
/* The file an article came from (boolean), "P" and the hash of its path:
 * changing or deleting a file deletes every passage of every article read
 * from it. */
#define SP_PREFIX_FILE "P"
/* Title words, stemmed, in the article's first passage. */
#define SP_PREFIX_TITLE "S"
/* Author and source words, stemmed, in the article's first passage. */
#define SP_PREFIX_AUTHOR "A"
#define SP_PREFIX_SOURCE "XS"
/* Date filters (boolean): "Y2025", "M202507", "D20250731". */
#define SP_PREFIX_YEAR "Y"
#define SP_PREFIX_MONTH "M"
#define SP_PREFIX_DAY "D"

/* Value slots. */
#define SP_SLOT_ARTICLE 0 /* the article's unique term, for collapsing */
#define SP_SLOT_DATE 1    /* "YYYY-MM-DD", sortable; none when undated */
/* The date again, with undated articles as "\xff" so that they sort after
 * every date in oldest-first order too. */
#define SP_SLOT_OLDEST 2
/* The passage's record (shared/record.h), from format 3 on.  Not the
 * document data: Xapian tries to compress every document data tag with
 * zlib again, about 10% of spindex's CPU for records that are compressed
 * already, while values are stored as they are.  Format 1 and 2 records
 * are in the document data. */
#define SP_SLOT_RECORD 3

/* Metadata keys. */
#define SP_META_FORMAT "spsearch.format"
/* When the last run of spindex committed, "YYYY-MM-DDTHH:MM:SSZ". */
#define SP_META_UPDATED "spsearch.updated"
/* "F" + file path: the file's state when it was indexed. */
#define SP_META_FILE_PREFIX "F"

/* Synonyms: SP_SYN_PREFIX + the stems of a word or phrase,
 * space-separated ("syn:iss", "syn:intern space station"); the value is
 * the other form, as written.  Learned from articles ("International Space
 * Station (ISS)") and from spindex --synonyms. */
#define SP_SYN_PREFIX "syn:"

/* The index layout version this build writes and reads.  An index with a
 * larger number was written by a newer spsearch; spindex rebuilds one with
 * a smaller number in full (the searcher still reads format 1). */
#define SP_INDEX_FORMAT 6
/* From format 4 the passages' term frequencies carry BM25's length
 * normalisation (sp_xdoc_fold_length); older ones are ranked with plain
 * BM25. */
#define SP_FORMAT_FOLDED 4
/* Format 4 indexes come from spindex's own writer, which adds an article's
 * passages one after the other and merges parts by offsetting their ids:
 * docid - passage number is the article's first docid, a key that needs
 * no value read. */
#define SP_FORMAT_CONTIGUOUS 4
/* Format 5 adds the pair terms of shared/pairs.h. */
#define SP_FORMAT_PAIRS 5
/* Format 6 keeps the id, URL, author and source of an article in its
 * passages' records (shared/record.h), to show with its hits; the records
 * of format 5 read as having none.  (The rebuild that an
 * older format gets also reads what the reader learnt with it: HTML pages'
 * JSON-LD.) */
/* A boolean term in every passage written with pair terms: the searcher
 * counts it, because a stub file's shards report the first shard's
 * format only, and one older shard would make phrases miss passages. */
#define SP_TERM_PAIRED "XFpairs"

/* Longest unique term Xapian accepts comfortably (its limit is 245 bytes);
 * longer ids are replaced by a hash. */
#define SP_MAX_ID_TERM 200

/* FNV-1a, 64 bits: SP_FNV1A_INIT, then each byte through sp_fnv1a_byte;
 * sp_fnv1a does it for s[0..n). */
#define SP_FNV1A_INIT 1469598103934665603ULL
static inline uint64_t sp_fnv1a_byte(uint64_t h, unsigned char c)
{
    return (h ^ c) * 1099511628211ULL;
}
uint64_t sp_fnv1a(const char *s, size_t n);

/* prefix and the 16 hex digits of the hash of id[0..len) into out (at
 * least SP_HASHED_TERM_MAX bytes): the article and file terms, whose id
 * is the file's path, and for an article of a file of several, "#" and
 * its id after it.  Returns the term's length. */
#define SP_HASHED_TERM_MAX 40
int sp_hashed_term(char *out, size_t size, const char *prefix,
                   const char *id, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* SP_TERMS_H */
