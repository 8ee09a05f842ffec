/*
 * spsearch.h - the public interface of libspsearch, a full-text search
 * library for archives of press articles built by spindex.
 *
 * Thread safety: a handle (spsearch_index_t and everything obtained from it)
 * must be used by one thread at a time; use one handle per thread.  Handles
 * on the same index in different threads or processes are independent.
 * Readers stay safe while a writer (spindex) commits: each search starts
 * from the last committed state (a handle kept open sees what was indexed
 * since it was opened, and a stub file's shards as the stub lists them
 * now), and the library reopens and retries by itself when the index
 * changes during a search.
 *
 * Memory: every string or buffer the library hands out either belongs to a
 * parent handle (documented per call) or is freed by the caller with
 * spsearch_free(), never with free().  Every *_free/close accepts NULL.
 *
 * The library never prints and never exits; it returns a status and keeps a
 * message describing the last failure on the handle (spsearch_errmsg()).
 */
#ifndef SPSEARCH_H
#define SPSEARCH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SPSEARCH_VERSION_MAJOR 0
#define SPSEARCH_VERSION_MINOR 1
#define SPSEARCH_VERSION_PATCH 0

/*
 * Status codes.  Append only: values are never renumbered nor reused.
 */
typedef enum spsearch_status {
    SPSEARCH_OK = 0,
    /* Out of memory. */
    SPSEARCH_NOMEM = 1,
    /* A caller passed an invalid argument (NULL handle, bad option). */
    SPSEARCH_INVALID = 2,
    /* No index at the given path. */
    SPSEARCH_NO_INDEX = 3,
    /* Another writer holds the index's lock. */
    SPSEARCH_LOCKED = 4,
    /* The index exists but is damaged or is not an index. */
    SPSEARCH_CORRUPT = 5,
    /* The index was written in a format this version cannot read. */
    SPSEARCH_VERSION = 6,
    /* The index changed under a reader too often; reopen and retry. */
    SPSEARCH_MODIFIED = 7,
    /* The query could not be parsed; see spsearch_error_offset(). */
    SPSEARCH_BAD_QUERY = 8,
    /* Reading or writing a file failed. */
    SPSEARCH_IO = 9,
    /* A remote shard could not be reached or answered badly. */
    SPSEARCH_NETWORK = 10,
    /* An internal error: a bug in spsearch or one of its libraries. */
    SPSEARCH_INTERNAL = 11,
    /* An input article could not be read (bad format, bad encoding). */
    SPSEARCH_BAD_INPUT = 12
} spsearch_status_t;

/* Opaque handles. */
typedef struct spsearch_index spsearch_index_t;
typedef struct spsearch_results spsearch_results_t;
typedef struct spsearch_hit spsearch_hit_t;

/*
 * spsearch_version - the library's version at run time, "MAJOR.MINOR.PATCH".
 * Returns a static string.
 * @since 0.1
 */
const char *spsearch_version(void);

/*
 * spsearch_version_details - the versions of the library and of the
 * libraries it runs on, for bug reports: "libspsearch 0.1.0, Xapian
 * 1.4.22, ICU 72.1, zlib 1.2.13" (the run-time versions, each
 * "MAJOR.MINOR[.PATCH]").  Returns a static string.
 * @since 0.1
 */
const char *spsearch_version_details(void);

/*
 * spsearch_status_string - a fixed English text for a status.
 * Returns a static string, also for unknown values.
 * @since 0.1
 */
const char *spsearch_status_string(spsearch_status_t status);

/*
 * spsearch_free - frees memory that the library returned to the caller
 * (for example the errmsg of spsearch_open()).  Accepts NULL.
 * @since 0.1
 */
void spsearch_free(void *ptr);

/*
 * spsearch_open - opens the index at path for searching.  path is an index
 * directory written by spindex, or a Xapian stub file listing shards.
 *
 * index:  out: the handle, closed by the caller with spsearch_close();
 *         set to NULL on failure.
 * errmsg: optional out: on failure, a message naming the path and the
 *         problem, freed by the caller with spsearch_free(); set to NULL on
 *         success.  Pass NULL if not wanted.
 *
 * Returns SPSEARCH_OK, SPSEARCH_INVALID, SPSEARCH_NO_INDEX,
 * SPSEARCH_CORRUPT, SPSEARCH_VERSION, SPSEARCH_NETWORK, SPSEARCH_IO,
 * SPSEARCH_NOMEM or SPSEARCH_INTERNAL.
 * @since 0.1
 */
spsearch_status_t spsearch_open(const char *path, spsearch_index_t **index,
                                char **errmsg);

/*
 * spsearch_close - closes an index and frees it.  Results obtained from it
 * stay valid until freed.  Accepts NULL.
 * @since 0.1
 */
void spsearch_close(spsearch_index_t *index);

/*
 * spsearch_errmsg - the message of the last failed call on this handle, or
 * "" if none.  Owned by index; valid until the next call on index.
 * @since 0.1
 */
const char *spsearch_errmsg(const spsearch_index_t *index);

/*
 * spsearch_error_offset - after SPSEARCH_BAD_QUERY, the byte offset in the
 * query text of the offending token; -1 otherwise.
 * @since 0.1
 */
long spsearch_error_offset(const spsearch_index_t *index);

/*
 * spsearch_index_state - what the index holds as of its last commit (the
 * handle catches up first, as a search does).
 * passages: optional out: how many passages it holds; 0 for an empty
 *           index, such as one whose first build has not committed yet (a
 *           new index of 2,000 files or more is committed once, at the end).
 * writing:  optional out: 1 while spindex or another writer holds the
 *           index's lock, else 0 (always 0 for shards served remotely).
 *
 * Returns SPSEARCH_OK, SPSEARCH_INVALID, SPSEARCH_CORRUPT,
 * SPSEARCH_NETWORK, SPSEARCH_IO or SPSEARCH_INTERNAL.
 * @since 0.1
 */
spsearch_status_t spsearch_index_state(spsearch_index_t *index,
                                       size_t *passages, int *writing);

/*
 * spsearch_search - runs query against the index and returns one page of
 * ranked articles, each with its best passage and highlights.
 *
 * query:   UTF-8 query text: words (all required when some article has them
 *          all, otherwise any), "quoted phrases", +word, -word.
 * offset:  how many ranked articles to skip (paging).
 * limit:   the most articles to return; 0 means 10.
 * results: out: the page, freed with spsearch_results_free(); set to NULL on
 *          failure.
 *
 * Returns SPSEARCH_OK (also when nothing matched), SPSEARCH_INVALID,
 * SPSEARCH_BAD_QUERY, SPSEARCH_MODIFIED, SPSEARCH_CORRUPT, SPSEARCH_NETWORK,
 * SPSEARCH_IO, SPSEARCH_NOMEM or SPSEARCH_INTERNAL.
 * @since 0.1
 */
spsearch_status_t spsearch_search(spsearch_index_t *index, const char *query,
                                  size_t offset, size_t limit,
                                  spsearch_results_t **results);

/* Orders for spsearch_options_set_sort(). */
typedef enum spsearch_sort {
    SPSEARCH_SORT_RELEVANCE = 0,
    SPSEARCH_SORT_NEWEST = 1, /* by date, newest first, then relevance */
    SPSEARCH_SORT_OLDEST = 2  /* by date, oldest first, then relevance */
} spsearch_sort_t;

typedef struct spsearch_options spsearch_options_t;

/*
 * spsearch_options_new - search options, all at their defaults: offset 0,
 * limit 10, relevance order, English queries, no date bounds.
 * opts: out, freed with spsearch_options_free(); NULL on failure.
 * Returns SPSEARCH_OK, SPSEARCH_INVALID or SPSEARCH_NOMEM.
 * @since 0.1
 */
spsearch_status_t spsearch_options_new(spsearch_options_t **opts);

/* Frees options; accepts NULL.  @since 0.1 */
void spsearch_options_free(spsearch_options_t *opts);

/*
 * spsearch_options_set_page - which page of ranked articles: skip offset,
 * return at most limit (0 means 10).
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.  @since 0.1
 */
spsearch_status_t spsearch_options_set_page(spsearch_options_t *opts,
                                            size_t offset, size_t limit);

/*
 * spsearch_options_set_sort - the order of articles.
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.  @since 0.1
 */
spsearch_status_t spsearch_options_set_sort(spsearch_options_t *opts,
                                            spsearch_sort_t sort);

/*
 * spsearch_options_set_lang - the language the query's words are stemmed
 * in (ISO code or Xapian name), NULL for English.  The string is copied.
 * Returns SPSEARCH_OK, SPSEARCH_INVALID (unknown language) or
 * SPSEARCH_NOMEM.  @since 0.1
 */
spsearch_status_t spsearch_options_set_lang(spsearch_options_t *opts,
                                            const char *lang);

/*
 * spsearch_options_set_dates - keep only articles dated from since to until,
 * both inclusive, each "YYYY", "YYYY-MM" or "YYYY-MM-DD", a day counted
 * back from today in local time ("today", "yesterday", "7d", "2w"), or
 * NULL for no bound.  Articles without a date are left out when a bound is set.
 * Returns SPSEARCH_OK or SPSEARCH_INVALID (a malformed date, or since
 * after until; the options are then unchanged).  @since 0.1
 */
spsearch_status_t spsearch_options_set_dates(spsearch_options_t *opts,
                                             const char *since,
                                             const char *until);

/*
 * spsearch_options_set_correct - when the query finds nothing and a
 * correction of its misspelled words exists, search the correction instead
 * (see spsearch_results_suggestion()).  Off by default.
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.  @since 0.1
 */
spsearch_status_t spsearch_options_set_correct(spsearch_options_t *opts,
                                               int correct);

/*
 * spsearch_options_set_exact_count - make spsearch_results_estimate()
 * exact, at the cost of examining every match.  Off by default (the
 * estimate is exact only when few passages match).
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.  @since 0.1
 */
spsearch_status_t spsearch_options_set_exact_count(spsearch_options_t *opts,
                                                   int exact);

/*
 * spsearch_options_set_passages - how many passages per article: 1 (the
 * default) gives each article once with its best passage; N > 1 gives up to
 * N passages of each article, as consecutive hits sharing the article's
 * rank, best first; 0 gives every matching passage as its own hit, ranked
 * flat across articles.  The limit and offset count articles (passages
 * when 0).
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.  @since 0.1
 */
spsearch_status_t spsearch_options_set_passages(spsearch_options_t *opts,
                                                size_t per_article);

/*
 * spsearch_options_set_recency - favour recent articles: with
 * half_life_days > 0, the best articles by relevance (up to 200) are
 * ranked again with their score multiplied by 2^(-age / half_life_days),
 * their age being in days before the newest of them; undated articles
 * count as the oldest.  0 (the default) turns it off.  Applies to relevance
 * order with one passage per article.
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.  @since 0.1
 */
spsearch_status_t spsearch_options_set_recency(spsearch_options_t *opts,
                                               double half_life_days);

/*
 * spsearch_options_set_explain - keep, for each hit, a text saying why it
 * ranked where it did (spsearch_hit_explain()).  Off by default.
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.  @since 0.1
 */
spsearch_status_t spsearch_options_set_explain(spsearch_options_t *opts,
                                               int explain);

/*
 * spsearch_options_set_duplicates - with show non-zero, copies are hits of
 * their own.  By default (0) an article whose best passage says word for
 * word what a better ranked hit's passage says (a syndicated story, a
 * file kept twice) is folded into that hit as its copy
 * (spsearch_hit_copies()), and ranks, limit and offset count the hits
 * left.  Words are compared with blanks collapsed, past a first passage's
 * headline and dateline (copies are retitled); passages of fewer than 20
 * words fold nothing.  With N passages per article (see
 * spsearch_options_set_passages()) an article folds on its best one.
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.  @since 0.1
 */
spsearch_status_t spsearch_options_set_duplicates(spsearch_options_t *opts,
                                                  int show);

/*
 * spsearch_search_with - spsearch_search() with options (NULL for the
 * defaults).  Same statuses, plus SPSEARCH_INVALID for a language the
 * index cannot stem.
 * @since 0.1
 */
spsearch_status_t spsearch_search_with(spsearch_index_t *index,
                                       const char *query,
                                       const spsearch_options_t *opts,
                                       spsearch_results_t **results);

/*
 * spsearch_search_like - articles like one in the index: its most telling
 * words (up to 12, those frequent in it and rare in the index, analysed
 * as a query's words are, function words and numbers aside) searched as
 * an OR (see spsearch_results_query()), the article itself left out.
 * The article is the one at path as spindex stored it
 * (spsearch_hit_path()), and for a file of several articles id as
 * spsearch_hit_id() gives it (NULL for a file that is one).  An article
 * the index does not hold is read from the file at path, as spindex would
 * read it (the article id of it, or with id NULL all of its articles, up
 * to 64 KB of text), and nothing is left out.  The words are read and
 * searched in the language the text is detected to be in, as spindex
 * reads an article (for a file not indexed, a JSON line's "lang" first),
 * unless spsearch_options_set_lang() names one.  options otherwise as for
 * spsearch_search_with().  Returns SPSEARCH_BAD_QUERY, with a message,
 * when there is no such article in the index nor in a file there, or it
 * has no words to search for; else as spsearch_search_with().
 * @since 0.1
 */
spsearch_status_t spsearch_search_like(spsearch_index_t *index,
                                       const char *path, const char *id,
                                       const spsearch_options_t *options,
                                       spsearch_results_t **results);

/*
 * spsearch_results_estimate - an estimate of how many articles match in all:
 * exact when every matching passage was read for the page (few match) or
 * with spsearch_options_set_exact_count(); otherwise Xapian's estimate of
 * matching passages, scaled by the share of distinct articles among the
 * best ones.
 * @since 0.1
 */
size_t spsearch_results_estimate(const spsearch_results_t *results);

/*
 * spsearch_results_suggestion - the query with its misspelled words
 * corrected from the index's vocabulary ("Roskosmos" -> "Roscosmos"), or
 * NULL when every word matches something.  Only words that match nothing
 * are corrected.  Owned by results.
 * @since 0.1
 */
const char *spsearch_results_suggestion(const spsearch_results_t *results);

/*
 * spsearch_results_corrected - 1 when the hits are for the suggestion
 * (spsearch_options_set_correct() and the query itself found nothing),
 * else 0.
 * @since 0.1
 */
int spsearch_results_corrected(const spsearch_results_t *results);

/*
 * spsearch_results_loosened - 1 when no passage matched the query as
 * written (all its words, each phrase whole), so that the hits are of the
 * passages with any of its words, best first; else 0.
 * @since 0.1
 */
int spsearch_results_loosened(const spsearch_results_t *results);

/*
 * spsearch_results_query - the query the results are of, as searched: the
 * one given, or for spsearch_search_like() the article's words it chose.
 * The string lives as long as the results; NULL for NULL.
 * @since 0.1
 */
const char *spsearch_results_query(const spsearch_results_t *results);

/*
 * spsearch_results_next - steps through the hits of a page, best first.
 * On SPSEARCH_OK, *hit is the next hit, or NULL when the page is done.  Any
 * other status is a failure and *hit is NULL.  Hits are owned by results and
 * valid until spsearch_results_free().
 *
 * Returns SPSEARCH_OK or SPSEARCH_INVALID.
 * @since 0.1
 */
spsearch_status_t spsearch_results_next(spsearch_results_t *results,
                                        const spsearch_hit_t **hit);

/*
 * spsearch_results_free - frees a page, its hits and their strings.
 * Accepts NULL.
 * @since 0.1
 */
void spsearch_results_free(spsearch_results_t *results);

/*
 * Hit accessors.  Every string is NUL-terminated UTF-8 owned by the results
 * the hit came from.
 *
 * rank:   1-based rank of the article over the whole result list.
 * score:  relevance score of the article (its best passage's BM25 weight).
 * path:   where the article was read from.
 * title:  the article's title, "" when it has none.
 * date:   the article's date, ISO 8601 ("2025-07-31"), or NULL when unknown.
 * passage_text: the best passage, exactly the article's bytes from
 *         passage_start to passage_end; *len receives its length if not NULL.
 * passage_start, passage_end: byte offsets of the passage in the article's
 *         text (for a plain-text file, in the file).
 * highlight_count, highlight: the matched ranges as byte offsets within
 *         passage_text, ascending and not overlapping; highlight() returns
 *         0 on success and -1 when i is out of range.
 * @since 0.1
 */
size_t spsearch_hit_rank(const spsearch_hit_t *hit);
double spsearch_hit_score(const spsearch_hit_t *hit);
const char *spsearch_hit_path(const spsearch_hit_t *hit);
const char *spsearch_hit_title(const spsearch_hit_t *hit);
const char *spsearch_hit_date(const spsearch_hit_t *hit);
const char *spsearch_hit_passage_text(const spsearch_hit_t *hit, size_t *len);
size_t spsearch_hit_passage_start(const spsearch_hit_t *hit);
size_t spsearch_hit_passage_end(const spsearch_hit_t *hit);
size_t spsearch_hit_highlight_count(const spsearch_hit_t *hit);
/* passage_number: the passage's place in its article, from 0.
 * explain: why the hit ranked where it did (its score, each matched term
 * with its frequency in the passage and its largest weight, field boosts),
 * or NULL unless spsearch_options_set_explain() asked for it. */
size_t spsearch_hit_passage_number(const spsearch_hit_t *hit);
const char *spsearch_hit_explain(const spsearch_hit_t *hit);
int spsearch_hit_highlight(const spsearch_hit_t *hit, size_t i, size_t *start,
                           size_t *end);
/*
 * spsearch_hit_lede - where the article's own prose begins in the passage.
 * An article's first passage may begin with its headline (the title, word
 * for word) and a line that is only a dateline, above or below it; a
 * program that shows the title and date apart can show the passage from
 * here on.
 *
 * headline_start, headline_end: if not NULL, receive the headline's byte
 * offsets within passage_text, or 0 and 0 when the passage does not begin
 * with it.
 *
 * Returns the byte offset within passage_text after the headline, the
 * dateline and the blanks after them (the passage's length when nothing
 * else is in it), or 0 when the passage begins with neither or hit is
 * NULL.
 * @since 0.1
 */
size_t spsearch_hit_lede(const spsearch_hit_t *hit, size_t *headline_start,
                         size_t *headline_end);

/* id: the article's id within its file, for a file of many articles: a
 * JSON line's "id" (else its "url", else "line N"), a TREC document's
 * DOCNO; NULL for a file that is one article.
 * url: the article's URL (a JSON line's "url", an HTML page's canonical
 * link or og:url), or NULL.
 * author: who wrote it (a byline, the author field or meta tag, JSON-LD's
 * author names), or NULL.
 * source: the publication (a JSON source, og:site_name, JSON-LD's
 * publisher), or NULL.
 * All four are NULL for articles indexed before index format 6. */
const char *spsearch_hit_id(const spsearch_hit_t *hit);
const char *spsearch_hit_url(const spsearch_hit_t *hit);
const char *spsearch_hit_author(const spsearch_hit_t *hit);
const char *spsearch_hit_source(const spsearch_hit_t *hit);

/*
 * spsearch_hit_copies - how many articles were folded into this hit as
 * its copies (see spsearch_options_set_duplicates()): those among the
 * matches read for the page, which holds the ones ranked next to it
 * (copies score alike).  0 for NULL.
 * @since 0.1
 */
size_t spsearch_hit_copies(const spsearch_hit_t *hit);

/*
 * spsearch_hit_copy - the path of the hit's k-th copy, in rank order, and
 * in *id (if id is not NULL) its id within its file as spsearch_hit_id()
 * would give it, or NULL.  Returns NULL (and *id NULL) when k is not
 * below spsearch_hit_copies().  The strings live as long as the results.
 * @since 0.1
 */
const char *spsearch_hit_copy(const spsearch_hit_t *hit, size_t k,
                              const char **id);

/*
 * Token flags passed to a spsearch_token_fn.
 */
#define SPSEARCH_TOKEN_PART 1    /* a part of a hyphenated compound */
#define SPSEARCH_TOKEN_JOINED 2  /* the joined form of a compound */
#define SPSEARCH_TOKEN_ACRONYM 4 /* "U.S.", "NASA" */
#define SPSEARCH_TOKEN_NUMBER 8  /* starts with a digit */
#define SPSEARCH_TOKEN_IDEO 16   /* Chinese, Japanese or Thai */

/*
 * spsearch_token_fn - receives one token of spsearch_analyze(): the term
 * it is indexed and searched as, its exact (unstemmed) form, its word
 * position, its byte range [start, end) in the text, and SPSEARCH_TOKEN_*
 * flags.  The strings are valid only during the call.  A non-zero return
 * stops the analysis.
 * @since 0.1
 */
typedef int (*spsearch_token_fn)(void *ctx, const char *term,
                                 const char *exact, unsigned long pos,
                                 size_t start, size_t end, unsigned flags);

/*
 * spsearch_analyze - runs the analyzer that spindex and spsearch share over
 * text, so that a program can show why something does or does not match.
 *
 * lang:   stemming language (ISO code or Xapian name, e.g. "en", "ru"),
 *         or NULL for English.
 * errmsg: optional out, as for spsearch_open().
 *
 * Returns SPSEARCH_OK, SPSEARCH_INVALID (NULL text or fn, unknown lang),
 * SPSEARCH_NOMEM or SPSEARCH_INTERNAL.
 * @since 0.1
 */
spsearch_status_t spsearch_analyze(const char *text, const char *lang,
                                   spsearch_token_fn fn, void *ctx,
                                   char **errmsg);

#ifdef __cplusplus
}
#endif

#endif /* SPSEARCH_H */
