/*
 * index.h - spindex's write path: files in, passage documents out.
 *
 * Outcomes are graded: a bad file is reported through the warn callback,
 * skipped and counted (the run goes on); a failing index stops the run
 * with the last commit intact.
 */
#ifndef SP_INDEX_H
#define SP_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "shared/error.h"

typedef struct sp_indexer sp_indexer;

typedef struct sp_index_stats {
    unsigned long added, updated, unchanged, removed, skipped;
    uint64_t bytes;          /* bytes of text analysed */
    unsigned long passages;  /* passages written */
} sp_index_stats;

/* Reports a skipped input: path, line (0 when not about a line), message. */
typedef void (*sp_warn_fn)(void *ctx, const char *path, unsigned long line,
                           const char *msg);

typedef struct sp_indexer_opts {
    int wait_lock;       /* wait for another writer instead of failing */
    const char *lang;    /* stemming language, NULL to detect per article */
    size_t batch_bytes;  /* commit after this much text; 0 for the default */
    int dry_run;         /* only say what would change (opens read-only) */
    unsigned shard, shards; /* index only files of shard K of N (N > 1) */
    /* One of the jobs processes of a parallel build (jobs > 1), job j of
     * them having shard j * (shards / jobs) + its --shard: a file of
     * split_bytes or more is read by every job of the --shard, and job j
     * indexes the articles i with i % jobs == j, so that one big file
     * (an archive as JSON Lines) is not one process's work. */
    unsigned jobs;
    uint64_t split_bytes;
    sp_warn_fn warn;
    void *warn_ctx;
    /* Called after each file with its path and what happened to it
     * ("added", "updated", "unchanged", "skipped"); may be NULL. */
    /* charset: "" or, for a file indexed that was not UTF-8, the
     * charset it was decoded from (the first, for a file of records). */
    void (*progress)(void *ctx, const char *path, const char *what,
                     const char *charset);
} sp_indexer_opts;

spsearch_status_t sp_indexer_open(const char *db_path,
                                  const sp_indexer_opts *opts,
                                  sp_indexer **out, sp_error *err);

/* Indexes a file or a folder (recursively).  A bad input is reported,
 * counted and gives SPSEARCH_OK; other statuses stop the run. */
spsearch_status_t sp_indexer_add_path(sp_indexer *ix, const char *path,
                                      sp_error *err);

/* Adds the synonyms of a file of "word = other words" lines (both ways),
 * for every searcher of the index.  SPSEARCH_BAD_INPUT names a bad line. */
spsearch_status_t sp_indexer_add_synonyms(sp_indexer *ix, const char *path,
                                          sp_error *err);

/* Removes articles whose files were under one of the roots passed to
 * sp_indexer_add_path() and were not seen in this run. */
spsearch_status_t sp_indexer_prune(sp_indexer *ix, sp_error *err);

/* Commits and closes; the indexer is freed whatever the outcome. */
spsearch_status_t sp_indexer_finish(sp_indexer *ix, sp_index_stats *stats,
                                    sp_error *err);

/* Abandons the uncommitted batch and frees (after a fatal error). */
void sp_indexer_free(sp_indexer *ix);

/* What spindex --stats shows. */
typedef struct sp_index_summary {
    uint64_t articles, passages, terms, bytes_on_disk;
    char updated[32]; /* "" when never */
    int format;       /* the layout it was written in; 0 when unknown */
    char oldest[11], newest[11]; /* of the dated articles; "" when none */
} sp_index_summary;

/* Reads the summary of the index at db_path (read-only). */
spsearch_status_t sp_index_summarize(const char *db_path,
                                     sp_index_summary *sum, sp_error *err);

/* The format of the index at db_path when it is older than the one this
 * build writes (spindex then rebuilds it in full); 0 when it is current,
 * or there is no readable index there. */
int sp_index_old_format(const char *db_path);

/* Whether there is no index at db_path yet, or one without documents
 * (0 when it cannot tell: an unreadable or damaged index). */
int sp_index_is_empty(const char *db_path);

/* Counts the regular files under path (walked as sp_indexer_add_path()
 * walks it, without following links to folders), for a progress bar. */
unsigned long sp_count_inputs(const char *path);
/* Whether path is, or holds, a file of min_bytes or more. */
int sp_has_file_of(const char *path, uint64_t min_bytes);

/* Whether db_path opens for reading as an index without term lists: a
 * search copy written by spindex --compact. */
int sp_is_search_copy(const char *db_path);

/* Asks a running indexer to stop after the current file (signal-safe). */
void sp_indexer_request_stop(void);
/* Whether a stop was requested (the run is then incomplete). */
int sp_indexer_stopped(void);

#endif /* SP_INDEX_H */
