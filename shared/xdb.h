/*
 * xdb.h - a small C API over the part of Xapian that spsearch uses.
 *
 * Implemented in xdb.cc, the only C++ in the tree.  No C++ type or
 * exception crosses this interface: every function catches everything and
 * returns a spsearch_status_t, with the details in an sp_error.
 *
 * Ownership: objects made by *_new/_open/_search are freed by the matching
 * *_free/_close, which accept NULL.  Byte strings handed out (document data,
 * values, metadata) are malloc'd and freed by the caller with free().
 */
#ifndef SP_XDB_H
#define SP_XDB_H

#include <stddef.h>
#include <stdint.h>

#include "searcher/spsearch.h"
#include "shared/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_xdb sp_xdb;
typedef struct sp_xdoc sp_xdoc;
typedef struct sp_xquery sp_xquery;
typedef struct sp_xmset sp_xmset;
typedef struct sp_xstem sp_xstem;

/* Open modes for sp_xdb_open(). */
enum {
    SP_XDB_READ = 0,
    /* Open for writing, creating the index if it does not exist. */
    SP_XDB_WRITE = 1,
    /* Open for writing, replacing whatever is there with an empty index. */
    SP_XDB_OVERWRITE = 2
};
/* Flag for the write modes: wait for another writer's lock to go. */
#define SP_XDB_WAIT_LOCK 0x100

/* The Xapian library's version, "1.4.22". */
const char *sp_xdb_xapian_version(void);

/* fn, which must not return, is called instead of abort() when the
 * process would end in std::terminate: Xapian 1.4.22 ends it so when some
 * writes fail while it commits (seen with a B-tree block's pwrite failing
 * with EIO or ENOSPC in commit_transaction), an error it cannot report.
 * For programs: the library never sets it. */
void sp_xdb_on_fatal(void (*fn)(void));

/* Databases.  A path that does not exist gives SPSEARCH_NO_INDEX; a path
 * that exists but is not a readable index gives SPSEARCH_CORRUPT;
 * a writer's lock SPSEARCH_LOCKED; a newer format SPSEARCH_VERSION. */
spsearch_status_t sp_xdb_open(const char *path, int mode, sp_xdb **out,
                              sp_error *err);
/* Whether db was opened through a stub file: several shards, local or
 * remote, searched as one. */
int sp_xdb_is_stub(const sp_xdb *db);
/* Closes the database.  For a writer, an open transaction is cancelled;
 * changes outside a transaction are committed. */
spsearch_status_t sp_xdb_close(sp_xdb *db, sp_error *err);
/* Frees without reporting (after an error elsewhere). */
void sp_xdb_free(sp_xdb *db);
/* Writes a compacted copy of db into the new folder dest, for searching
 * only: it has no term lists, so it cannot be updated. */
spsearch_status_t sp_xdb_compact(sp_xdb *db, const char *dest,
                                 sp_error *err);
/* *has: whether db has term lists, which deleting documents needs (a copy
 * written by sp_xdb_compact has none). */
spsearch_status_t sp_xdb_has_termlists(sp_xdb *db, int *has, sp_error *err);
/* Writes the n indexes srcs, one after the other, compacted into the new
 * folder dest: each source's documents get the ids after the previous
 * one's; metadata keys found in several keep the first source's value. */
spsearch_status_t sp_xdb_merge(const char *const *srcs, size_t n,
                               const char *dest, sp_error *err);
/* Rereads a reader to the latest committed state; *changed (if not NULL)
 * says whether that state may differ from the one read before. */
spsearch_status_t sp_xdb_reopen(sp_xdb *db, int *changed, sp_error *err);

spsearch_status_t sp_xdb_begin(sp_xdb *db, sp_error *err);
spsearch_status_t sp_xdb_commit(sp_xdb *db, sp_error *err);
spsearch_status_t sp_xdb_cancel(sp_xdb *db, sp_error *err);

/* Adds doc; *docid (optional) receives its id. */
spsearch_status_t sp_xdb_add_doc(sp_xdb *db, const sp_xdoc *doc,
                                 uint32_t *docid, sp_error *err);
/* Queues doc to be added by the index's writer thread, which runs beside
 * the caller, and takes ownership of doc (freed whatever the outcome).
 * Documents are added in the order queued; every other call on db that
 * reads or changes documents, and commit, first waits for the queue to
 * be written.  A failure of the writer thread is returned by the next
 * sp_xdb_add_doc_async() or sp_xdb_commit(); the uncommitted batch is then
 * lost, the last commit intact.  Blocks while the queue is full. */
spsearch_status_t sp_xdb_add_doc_async(sp_xdb *db, sp_xdoc *doc,
                                       sp_error *err);
/* The same, but doc takes the place of document docid (added with that
 * id if there is none).  Xapian then rewrites only the postings that
 * differ, where a delete and an add rewrite every one of them. */
spsearch_status_t sp_xdb_replace_doc_async(sp_xdb *db, uint32_t docid,
                                           sp_xdoc *doc, sp_error *err);
/* The ids of the documents indexed by term, ascending, malloc'd (NULL
 * when none); the caller frees them.  Documents still queued are not
 * waited for: none may carry term (a file's term, read before its first
 * passage is queued). */
spsearch_status_t sp_xdb_term_docids(sp_xdb *db, const char *term,
                                     uint32_t **ids, size_t *n,
                                     sp_error *err);
/* Deletes documents ids[0..n), in order with the queued ones. */
spsearch_status_t sp_xdb_delete_docids(sp_xdb *db, const uint32_t *ids,
                                       size_t n, sp_error *err);
/* Deletes every document indexed by term (a unique boolean term). */
spsearch_status_t sp_xdb_delete_term(sp_xdb *db, const char *term,
                                     sp_error *err);

spsearch_status_t sp_xdb_doc_count(sp_xdb *db, uint32_t *count,
                                   sp_error *err);
/* *locked: whether a writer holds the index's lock now; 0 where that cannot
 * be seen (remote shards). */
void sp_xdb_locked(sp_xdb *db, int *locked);
spsearch_status_t sp_xdb_term_freq(sp_xdb *db, const char *term,
                                   uint32_t *freq, sp_error *err);
/* Number of distinct terms starting with prefix ("" for all). */
spsearch_status_t sp_xdb_term_count(sp_xdb *db, const char *prefix,
                                    uint64_t *count, sp_error *err);

/* Calls fn for each term starting with prefix, in sorted order, with its
 * document frequency; a non-zero return from fn stops the walk.  term is
 * not NUL-terminated. */
typedef int (*sp_xdb_term_fn)(void *ctx, const char *term, size_t len,
                              uint32_t freq);
spsearch_status_t sp_xdb_terms(sp_xdb *db, const char *prefix,
                               sp_xdb_term_fn fn, void *ctx, sp_error *err);

/* User metadata: key/value bytes stored with the index and committed with
 * it.  A missing key gives SPSEARCH_OK with *val = NULL, *len = 0. */
spsearch_status_t sp_xdb_get_metadata(sp_xdb *db, const char *key,
                                      char **val, size_t *len, sp_error *err);
/* An empty value deletes the key. */
spsearch_status_t sp_xdb_set_metadata(sp_xdb *db, const char *key,
                                      const char *val, size_t len,
                                      sp_error *err);
/* Calls fn for each metadata key starting with prefix, in sorted order;
 * a non-zero return from fn stops the walk. */
typedef int (*sp_xdb_key_fn)(void *ctx, const char *key, size_t len);
spsearch_status_t sp_xdb_metadata_keys(sp_xdb *db, const char *prefix,
                                       sp_xdb_key_fn fn, void *ctx,
                                       sp_error *err);

/* Reading documents by id.  Data and values are malloc'd copies. */
spsearch_status_t sp_xdb_doc_data(sp_xdb *db, uint32_t docid, char **data,
                                  size_t *len, sp_error *err);

/* The record of a passage: value slot `slot` when it has one, else the
 * document data (indexes written before the record moved to a value).
 * *data is malloc'd.  An empty record is SPSEARCH_CORRUPT. */
spsearch_status_t sp_xdb_doc_record(sp_xdb *db, uint32_t docid, unsigned slot,
                                    char **data, size_t *len, sp_error *err);
/* A value of a document that exists (a docid from a match): an unset slot
 * gives an empty value. */
spsearch_status_t sp_xdb_doc_value(sp_xdb *db, uint32_t docid,
                                   unsigned slot, char **val, size_t *len,
                                   sp_error *err);
/* Positions of term in document docid, ascending, malloc'd; none gives
 * *n = 0 and *pos = NULL. */
spsearch_status_t sp_xdb_positions(sp_xdb *db, uint32_t docid,
                                   const char *term, uint32_t **pos,
                                   size_t *n, sp_error *err);

/* Documents being built. */
spsearch_status_t sp_xdoc_new(sp_xdoc **out, sp_error *err);
void sp_xdoc_free(sp_xdoc *doc);
/* A term at a word position (positions start at 1). */
spsearch_status_t sp_xdoc_add_posting(sp_xdoc *doc, const char *term,
                                      size_t len, uint32_t pos,
                                      sp_error *err);
/* A term without position, with a within-document frequency increment. */
spsearch_status_t sp_xdoc_add_term(sp_xdoc *doc, const char *term,
                                   size_t len, uint32_t wdf_inc,
                                   sp_error *err);
/* A boolean (filter) term: no weight, no position. */
spsearch_status_t sp_xdoc_add_boolean(sp_xdoc *doc, const char *term,
                                      size_t len, sp_error *err);
spsearch_status_t sp_xdoc_set_value(sp_xdoc *doc, unsigned slot,
                                    const char *val, size_t len,
                                    sp_error *err);
spsearch_status_t sp_xdoc_set_data(sp_xdoc *doc, const char *data,
                                   size_t len, sp_error *err);
/* Folds BM25's length normalisation into the within-document frequency of
 * every weighted term of doc (call it once, after the last term): each
 * becomes SP_XFOLD_SCALE * wdf / K, where K = 1 - b + b * max(length /
 * SP_XFOLD_LENGTH, 0.5) is the factor by which BM25 (k1 = 1, b = 0.5)
 * divides a frequency in a document of that length.  A search with
 * folded_lengths then ranks exactly so (up to rounding) without reading a
 * single document length.  Terms starting with uncounted (if not NULL)
 * are folded but left out of the length: terms derived from others, which
 * must not change the weights of the rest. */
spsearch_status_t sp_xdoc_fold_length(sp_xdoc *doc, const char *uncounted,
                                      sp_error *err);
#define SP_XFOLD_SCALE 16
#define SP_XFOLD_LENGTH 128

/* Query trees, built bottom-up.  sp_xquery_combine() copies its children;
 * the caller still frees them. */
typedef enum {
    SP_XQ_AND,
    SP_XQ_OR,
    SP_XQ_AND_NOT,   /* first child minus the others */
    SP_XQ_AND_MAYBE, /* first child, weighted up by the others */
    SP_XQ_FILTER,    /* first child, restricted by the others, no weight */
    SP_XQ_PHRASE,    /* children in order, within window positions */
    SP_XQ_NEAR,      /* children in any order, within window positions */
    SP_XQ_SYNONYM,   /* children weighted as one term */
    SP_XQ_MAX        /* weight of the best child */
} sp_xq_op;

spsearch_status_t sp_xquery_term(const char *term, size_t len, uint32_t wqf,
                                 uint32_t pos, sp_xquery **out, sp_error *err);
/* Matches every document. */
spsearch_status_t sp_xquery_all(sp_xquery **out, sp_error *err);
/* Matches terms starting with prefix, expanded to at most max_expansion
 * terms (0 for no limit). */
spsearch_status_t sp_xquery_wildcard(const char *prefix, uint32_t max_expansion,
                                     sp_xquery **out, sp_error *err);
/* Documents whose value in slot lies in [lo, hi] (bytewise); NULL for an
 * open end. */
spsearch_status_t sp_xquery_value_range(unsigned slot, const char *lo,
                                        const char *hi, sp_xquery **out,
                                        sp_error *err);
spsearch_status_t sp_xquery_combine(sp_xq_op op, sp_xquery *const *subs,
                                    size_t n, uint32_t window,
                                    sp_xquery **out, sp_error *err);
/* The same query with its weights multiplied by factor (>= 0). */
spsearch_status_t sp_xquery_scale(const sp_xquery *q, double factor,
                                  sp_xquery **out, sp_error *err);
/* Xapian's description of the query, malloc'd (for --explain and tests). */
char *sp_xquery_describe(const sp_xquery *q);
void sp_xquery_free(sp_xquery *q);

/* Searching. */
typedef struct sp_xsearch_opts {
    uint32_t offset;
    uint32_t limit;
    int collapse_slot;    /* value slot to collapse on, -1 for none */
    int sort_slot;        /* value slot to sort on first, -1 for relevance */
    int sort_descending;  /* with sort_slot: newest/highest first */
    uint32_t check_at_least; /* for exact counts on small indexes */
    uint32_t collapse_max; /* documents kept per collapse key (0: 1) */
    int folded_lengths;    /* the documents went through sp_xdoc_fold_length */
} sp_xsearch_opts;

/* Runs query with BM25.  A reader retries a few times, reopening, when the
 * index is modified under it, then gives SPSEARCH_MODIFIED. */
spsearch_status_t sp_xdb_search(sp_xdb *db, const sp_xquery *query,
                                const sp_xsearch_opts *opts, sp_xmset **out,
                                sp_error *err);
/* How many distinct values of slot (articles, by SP_SLOT_ARTICLE) the
 * documents matching query have, less those that documents matching
 * except (NULL: none) have: an exact count, every match examined. */
spsearch_status_t sp_xdb_count_distinct(sp_xdb *db, const sp_xquery *query,
                                        const sp_xquery *except,
                                        unsigned slot, uint32_t *count,
                                        sp_error *err);
uint32_t sp_xmset_size(const sp_xmset *m);
uint32_t sp_xmset_estimate(const sp_xmset *m);
/* The matches Xapian saw: exact when the search checked every match
 * (check_at_least), where the estimate may still be a rounded guess. */
uint32_t sp_xmset_lower_bound(const sp_xmset *m);
uint32_t sp_xmset_docid(const sp_xmset *m, uint32_t i);
double sp_xmset_weight(const sp_xmset *m, uint32_t i);
/* How many other documents were collapsed into hit i. */
uint32_t sp_xmset_collapse_count(const sp_xmset *m, uint32_t i);
void sp_xmset_free(sp_xmset *m);
/* Calls fn for each query term that hit i matches, with the term's
 * occurrences in the document (estimated: only roughly, on a copy without
 * term lists) and its largest possible weight in the query; a non-zero
 * return stops.  term is not NUL-terminated.  prefixes[0..nprefixes) are
 * the query's wildcards (as term prefixes): the document's terms under
 * them are reported too (on a copy without term lists, among the first
 * SP_XEXPLAIN_EXPANSIONS terms of each), with max_weight -1: Xapian
 * weighs a wildcard's expansions as one term. */
#define SP_XEXPLAIN_EXPANSIONS 10000
typedef int (*sp_xmset_term_fn)(void *ctx, const char *term, size_t len,
                                uint32_t wdf, int estimated,
                                double max_weight);
spsearch_status_t sp_xmset_explain(const sp_xmset *m, uint32_t i,
                                   const char *const *prefixes,
                                   size_t nprefixes, sp_xmset_term_fn fn,
                                   void *ctx, sp_error *err);

/* Snowball stemmers through Xapian.  lang is a Xapian language name or
 * ISO code ("english", "en", "russian", "ru"); "none" stems nothing. */
spsearch_status_t sp_xstem_new(const char *lang, sp_xstem **out,
                               sp_error *err);
/* Stems word into buf (NUL-terminated); *out_len receives the stem's
 * length.  A stem that does not fit gives SPSEARCH_INVALID. */
spsearch_status_t sp_xstem_apply(sp_xstem *st, const char *word, size_t len,
                                 char *buf, size_t bufsize, size_t *out_len,
                                 sp_error *err);
void sp_xstem_free(sp_xstem *st);

#ifdef __cplusplus
}
#endif

#endif /* SP_XDB_H */
