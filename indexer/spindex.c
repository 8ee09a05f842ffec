/*
 * spindex - indexes a corpus of press articles for spsearch.
 */
/* renameat2() and RENAME_EXCHANGE, for the atomic swap of --full. */
#define _GNU_SOURCE
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <time.h>
#include <unistd.h>

#include "indexer/index.h"
#include "searcher/cli.h"
#include "searcher/spsearch.h"
#include "shared/terms.h"
#include "shared/xdb.h"

/* Exit statuses (documented in spindex.1). */
enum {
    EXIT_DONE = 0,
    EXIT_PARTIAL = 1,  /* done, with inputs skipped */
    EXIT_ERROR = 2,    /* stopped; the last commit is intact */
    EXIT_LOCKED = 75   /* EX_TEMPFAIL: another spindex holds the lock */
};

enum { OPT_DB = 256, OPT_WAIT, OPT_LANG, OPT_STATS, OPT_COMPACT, OPT_BATCH,
       OPT_MEMORY, OPT_SHARD, OPT_FULL, OPT_SYNONYMS, OPT_JOBS,
       OPT_DRY_RUN, OPT_NO_PRUNE, OPT_HELP, OPT_VERSION };

static const cli_option options[] = {
    {"db", OPT_DB, "PATH", "the index to write (default: see ENVIRONMENT)"},
    {"lang", OPT_LANG, "LANG", "stem every article as LANG (default: detect)"},
    {"wait", OPT_WAIT, NULL, "wait for another spindex instead of failing"},
    {"stats", OPT_STATS, NULL, "show what the index holds and exit"},
    {"compact", OPT_COMPACT, "DEST", "write a compacted copy to DEST and exit"},
    {"dry-run", OPT_DRY_RUN, NULL, "say what would change, change nothing"},
    {"no-prune", OPT_NO_PRUNE, NULL, "keep articles whose files are gone"},
    {"synonyms", OPT_SYNONYMS, "FILE", "add the synonyms of FILE "
                                       "('word = other words' lines)"},
    {"full", OPT_FULL, NULL, "rebuild from scratch beside the index, then "
                             "swap it in"},
    {"memory", OPT_MEMORY, "MB", "keep peak memory under about MB megabytes "
                                 "(512)"},
    {"batch", OPT_BATCH, "MB", "commit after MB megabytes of text "
                               "(see --memory)"},
    {"shard", OPT_SHARD, "K/N", "index only the files of shard K of N"},
    {"jobs", OPT_JOBS, "N", "build a new index with N processes (default: 2 "
                            "for 2,000 files or more)"},
    {"verbose", 'v', NULL, "list each file and what happened to it"},
    {"quiet", 'q', NULL, "print only problems"},
    {"help", OPT_HELP, NULL, "show this help and exit"},
    {"version", OPT_VERSION, NULL, "show versions and exit"},
    {NULL, 0, NULL, NULL}};

/*
 * What --memory=MB stands on.  Xapian holds the uncommitted batch in
 * memory, so the peak RSS of spindex is a fixed part plus a part that
 * grows with the batch, and not with the corpus.  Measured with
 * /usr/bin/time -f %M (Xapian 1.4.22, plain-text articles): 30 MB at
 * --batch=1, 49 at 2, 66 at 3, 83 at 4, 117 at 6 on an 11 MB corpus,
 * 91 MB at --batch=4 on a 100 MB one; with Xapian's own flush turned
 * off, 200 MB for the 11 MB corpus in one batch and 473 MB for the 100 MB
 * one at --batch=24: about 13 MB plus 17 to 19 MB per MB of batch.
 * Xapian also flushes every 10,000 passages by default (every 2,000 as
 * spindex sets it, see FLUSH_PASSAGES), which stops the growth near 136 MB
 * (near 60 MB), but XAPIAN_FLUSH_THRESHOLD lifts that, so the batch alone
 * must keep the bound.  The constants round the measures up, for margin.
 */
#define MEMORY_FIXED_MB 24
#define MEMORY_PER_BATCH_MB 20
#define DEFAULT_MEMORY_MB 512

/* Xapian's flush every this many passages, unless XAPIAN_FLUSH_THRESHOLD
 * says otherwise.  Smaller in-memory postings are faster to build: on the
 * 100 MB corpus (--jobs=2), 51 s for 2,000 (three runs: 48.8-53.1 s)
 * against 56 s for Xapian's default of 10,000 (54.2-57.6 s), 56.8 s for
 * 1,000 and 56.1 s for 4,000; and the peak RSS is 59 MB instead of
 * 151 MB. */
#define FLUSH_PASSAGES "2000"

/* A new index is built by this many processes at most (--jobs)... */
#define MAX_JOBS 8
/* ...and by two without --jobs from this many files on.  At 2,515 files
 * (11 MB) two take as long as one (5.9-6.3 s against 5.6-6.3 s), at
 * 22,296 (100 MB) less (50-59 s against 62 s), and their merge is a
 * compaction: 378 MB against 550 MB for one process.  Below this a build
 * takes seconds, and in one process it commits as it goes, searchable
 * before it ends. */
#define PARALLEL_MIN_FILES 2000
/* A file of this many batches of a builder or more is shared by all of
 * them, article by article (JSON Lines, TREC); smaller ones are each one
 * builder's.  It also makes a build parallel below PARALLEL_MIN_FILES. */
#define SPLIT_BATCHES 2

/* The batch, in MB of text, that keeps spindex under memory_mb; 0 when
 * even a batch of 1 MB would not fit. */
static size_t batch_for_memory(size_t memory_mb)
{
    if (memory_mb < MEMORY_FIXED_MB + MEMORY_PER_BATCH_MB)
        return 0;
    size_t batch_mb = (memory_mb - MEMORY_FIXED_MB) / MEMORY_PER_BATCH_MB;
    /* Beyond this the batch in bytes would not fit a size_t. */
    if (batch_mb > SIZE_MAX >> 20)
        batch_mb = SIZE_MAX >> 20;
    return batch_mb;
}

static int verbose;
static int show_progress; /* a status line on a terminal */
static unsigned long files_done;
static unsigned long files_total; /* counted first, for the estimate */
static struct timespec started;

static int exit_code(spsearch_status_t st)
{
    return st == SPSEARCH_LOCKED ? EXIT_LOCKED : EXIT_ERROR;
}

static void on_warn(void *ctx, const char *path, unsigned long line,
                    const char *msg)
{
    (void)ctx;
    if (line > 0)
        cli_error("%s:%lu: %s", path, line, msg);
    else
        cli_error("%s: %s", path, msg);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) +
           (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* "[#####.....] 1234/5000 files, 56/s, 1m07s left" on one line. */
static void print_progress(void)
{
    double secs = seconds_since(&started);
    double rate = secs > 0 ? (double)files_done / secs : 0;
    unsigned long total = files_total > files_done ? files_total : files_done;
    int filled = total ? (int)(20.0 * (double)files_done / (double)total) : 0;
    char bar[21];
    for (int i = 0; i < 20; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[20] = '\0';
    long left = rate > 0 ? (long)((double)(total - files_done) / rate) : 0;
    fprintf(stderr, "\r%s: [%s] %lu/%lu files, %.0f/s, %ldm%02lds left ",
            cli_progname(), bar, files_done, total, rate, left / 60,
            left % 60);
}

static void on_progress(void *ctx, const char *path, const char *what,
                        const char *charset)
{
    (void)ctx;
    files_done++;
    if (verbose && *charset != '\0')
        printf("%s %s (decoded from %s)\n", what, path, charset);
    else if (verbose)
        printf("%s %s\n", what, path);
    else if (show_progress && (files_done == 1 || files_done % 64 == 0))
        print_progress();
}

static void make_parents(const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return;
    for (char *p = copy + 1; *p != '\0'; p++) {
        if (*p == '/') {
            *p = '\0';
            /* Failures show up, better worded, when Xapian opens it. */
            (void)mkdir(copy, 0777);
            *p = '/';
        }
    }
    free(copy);
}

static int show_stats(const char *db_path)
{
    sp_index_summary sum;
    sp_error err;
    sp_error_clear(&err);
    spsearch_status_t st = sp_index_summarize(db_path, &sum, &err);
    if (st != SPSEARCH_OK) {
        cli_error("%s", err.msg[0] ? err.msg : spsearch_status_string(st));
        return EXIT_ERROR;
    }
    printf("index:    %s\narticles: %llu\npassages: %llu\nterms:    %llu\n"
           "size:     %llu bytes\nupdated:  %s\n",
           db_path, (unsigned long long)sum.articles,
           (unsigned long long)sum.passages, (unsigned long long)sum.terms,
           (unsigned long long)sum.bytes_on_disk,
           sum.updated[0] ? sum.updated : "never");
    if (sum.oldest[0])
        printf("dates:    %s to %s\n", sum.oldest, sum.newest);
    else
        printf("dates:    none\n");
    if (sum.format > 0 && sum.format < SP_INDEX_FORMAT)
        printf("format:   %d (older than this spindex's %d: its next run "
               "rebuilds the index in full)\n",
               sum.format, SP_INDEX_FORMAT);
    else
        printf("format:   %d\n", sum.format);
    return cli_close_stdout();
}

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path) == 0 || errno == ENOENT ? 0 : -1;
}

/* rm -rf: a folder spindex made (a rebuilt or a replaced index). */
static int remove_tree(const char *path)
{
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ||
                   errno == ENOENT
               ? 0
               : -1;
}

/* Removes what killed rebuilds left beside the index (PATH.full-PID and
 * its parts).  Only called with the index's lock held: no other spindex
 * can be building there. */
static void remove_stale_builds(const char *live_path)
{
    size_t n = strlen(live_path);
    char *pattern = malloc(n + 16);
    glob_t g;
    if (pattern == NULL)
        return;
    sprintf(pattern, "%s.full-*", live_path);
    if (glob(pattern, GLOB_NOSORT, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++)
            remove_tree(g.gl_pathv[i]);
        globfree(&g);
    }
    free(pattern);
}

/* Swaps the folders a and b in one step, so that a searcher opening the
 * index sees the old one or the new one, never none. */
static int swap_folders(const char *a, const char *b)
{
    if (renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    /* A file system without the exchange: two renames, a short gap. */
    char *tmp = malloc(strlen(b) + 16);
    if (tmp == NULL)
        return -1;
    sprintf(tmp, "%s.swap-%d", b, (int)getpid());
    int rc = rename(b, tmp) == 0 && rename(a, b) == 0 && rename(tmp, a) == 0
                 ? 0
                 : -1;
    free(tmp);
    return rc;
}

/* PATH.WHAT-PID, malloc'd: this run's folder beside PATH; NULL (said)
 * when memory runs out. */
static char *beside(const char *path, const char *what)
{
    char *s = malloc(strlen(path) + strlen(what) + 24);
    if (s == NULL)
        cli_error("out of memory");
    else
        sprintf(s, "%s.%s-%d", path, what, (int)getpid());
    return s;
}

/* Whether dest may be replaced by a compacted copy: missing, an empty
 * folder, or a search copy (an index without term lists), so never the
 * index itself nor another full one. */
static int replaceable(const char *dest, int *exists)
{
    struct stat d;
    *exists = stat(dest, &d) == 0;
    if (!*exists)
        return errno == ENOENT;
    if (!S_ISDIR(d.st_mode))
        return 0;
    if (sp_is_search_copy(dest))
        return 1;
    DIR *dir = opendir(dest);
    if (dir == NULL)
        return 0;
    int empty = 1;
    for (struct dirent *e = readdir(dir); e != NULL && empty; e = readdir(dir))
        empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
    closedir(dir);
    return empty;
}

/* Removes DEST.compact-PID folders that killed compactions left, those of
 * processes no longer running. */
static void remove_stale_copies(const char *dest)
{
    char *pattern = malloc(strlen(dest) + 16);
    glob_t g;
    if (pattern == NULL)
        return;
    sprintf(pattern, "%s.compact-*", dest);
    if (glob(pattern, GLOB_NOSORT, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            const char *pid = strrchr(g.gl_pathv[i], '-') + 1;
            char *end;
            long n = strtol(pid, &end, 10);
            if (*end == '\0' && n > 0 && kill((pid_t)n, 0) != 0 &&
                errno == ESRCH)
                remove_tree(g.gl_pathv[i]);
        }
        globfree(&g);
    }
    free(pattern);
}

/* The copy is written beside DEST and swapped in whole: a copy being
 * served is rewritten in place otherwise, and every search on it fails
 * until the last table is written ("EOF reading block").  Searches open
 * on the old copy move to the new one at their next query.  The index's
 * lock is held meanwhile, as by an update: two commits of an update
 * during the compaction discard the revision it reads. */
static int compact(const char *db_path, const char *dest, int wait_lock)
{
    int exists = 0;
    if (!replaceable(dest, &exists)) {
        cli_error("--compact=%s: %s", dest,
                  exists ? "exists and is neither a search copy nor an "
                           "empty folder (an index with term lists, such as "
                           "the index itself, is never replaced): not "
                           "replacing it"
                         : strerror(errno));
        return EXIT_ERROR;
    }
    char *tmp = beside(dest, "compact");
    if (tmp == NULL)
        return EXIT_ERROR;
    remove_stale_copies(dest);
    remove_tree(tmp);
    sp_xdb *db = NULL, *lock = NULL;
    sp_error err;
    sp_error_clear(&err);
    /* Read first: opening for writing would make a missing index. */
    spsearch_status_t st = sp_xdb_open(db_path, SP_XDB_READ, &db, &err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_open(db_path,
                         SP_XDB_WRITE | (wait_lock ? SP_XDB_WAIT_LOCK : 0),
                         &lock, &err);
    /* The reader may predate a commit made before the lock was taken. */
    if (st == SPSEARCH_OK)
        st = sp_xdb_reopen(db, NULL, &err);
    if (st == SPSEARCH_OK)
        st = sp_xdb_compact(db, tmp, &err);
    sp_xdb_free(db);
    if (st == SPSEARCH_OK) {
        /* The previous copy is swapped out; an empty folder makes way. */
        int swapped = 0;
        if (exists && rmdir(dest) != 0) {
            if (swap_folders(tmp, dest) == 0)
                swapped = 1;
            else
                st = sp_error_set(&err, SPSEARCH_IO,
                                  "swapping %s in for %s: %s", tmp, dest,
                                  strerror(errno));
        }
        if (st == SPSEARCH_OK && !swapped && rename(tmp, dest) != 0)
            st = sp_error_set(&err, SPSEARCH_IO, "renaming %s to %s: %s",
                              tmp, dest, strerror(errno));
    }
    sp_xdb_free(lock);
    /* tmp now holds the old copy, or what a failure left. */
    if (remove_tree(tmp) != 0 && st == SPSEARCH_OK)
        cli_error("removing the old copy %s: %s", tmp, strerror(errno));
    free(tmp);
    if (st != SPSEARCH_OK) {
        cli_error("%s", err.msg[0] ? err.msg : spsearch_status_string(st));
        return exit_code(st);
    }
    return cli_close_stdout();
}

/* Runs one indexer over paths into db_path.  *opened says whether the
 * index could be opened (the caller words the failure differently). */
static spsearch_status_t run_indexer(const char *db_path,
                                     const sp_indexer_opts *opts,
                                     const char *synonyms, int prune,
                                     char **paths, int npaths,
                                     sp_index_stats *stats, int *opened,
                                     sp_error *err)
{
    sp_indexer *ix = NULL;
    memset(stats, 0, sizeof *stats);
    spsearch_status_t st = sp_indexer_open(db_path, opts, &ix, err);
    *opened = st == SPSEARCH_OK;
    if (st != SPSEARCH_OK)
        return st;
    if (synonyms != NULL)
        st = sp_indexer_add_synonyms(ix, synonyms, err);
    for (int i = 0; i < npaths && st == SPSEARCH_OK && !sp_indexer_stopped();
         i++)
        st = sp_indexer_add_path(ix, paths[i], err);
    if (st == SPSEARCH_OK && prune)
        st = sp_indexer_prune(ix, err);
    if (st == SPSEARCH_OK)
        st = sp_indexer_finish(ix, stats, err);
    else
        sp_indexer_free(ix);
    return st;
}

/* What a process of a parallel build tells the parent, through a pipe. */
typedef struct part_report {
    spsearch_status_t st;
    int opened, stopped;
    sp_index_stats stats;
    sp_error err;
} part_report;

/* Reads exactly n bytes, passing on a stop request to the children when
 * a signal interrupts the wait. */
static int read_report(int fd, void *buf, size_t n, const pid_t *pids,
                       size_t jobs)
{
    size_t got = 0;
    int forwarded = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r < 0 && errno == EINTR) {
            if (sp_indexer_stopped() && !forwarded) {
                for (size_t j = 0; j < jobs; j++)
                    kill(pids[j], SIGTERM);
                forwarded = 1;
            }
            continue;
        }
        if (r <= 0)
            return -1;
        got += (size_t)r;
    }
    return 0;
}

/* Builds the new index db_path with jobs processes.  Xapian's own work,
 * most of indexing, is one writer's and runs on one core; here each
 * process indexes its share of the files (split as --shard splits them)
 * into a part of its own, and the parts are merged, compacted, into
 * db_path. */
static spsearch_status_t run_parallel(const char *db_path,
                                      const sp_indexer_opts *opts,
                                      size_t jobs, const char *synonyms,
                                      char **paths, int npaths,
                                      sp_index_stats *stats, int *opened,
                                      sp_error *err)
{
    pid_t pids[MAX_JOBS];
    int fds[MAX_JOBS];
    char *parts[MAX_JOBS];
    unsigned k = opts->shards > 1 ? opts->shard : 0;
    unsigned n = opts->shards > 1 ? opts->shards : 1;
    spsearch_status_t st = SPSEARCH_OK;
    size_t started_jobs = 0;
    memset(stats, 0, sizeof *stats);
    *opened = 1;
    fflush(stdout);
    fflush(stderr);
    for (size_t j = 0; j < jobs && st == SPSEARCH_OK; j++) {
        parts[j] = malloc(strlen(db_path) + 32);
        int fd[2];
        if (parts[j] == NULL || pipe(fd) != 0) {
            free(parts[j]);
            st = sp_error_set(err, SPSEARCH_IO, "starting a build process: %s",
                              strerror(errno));
            break;
        }
        sprintf(parts[j], "%s.part-%zu", db_path, j);
        remove_tree(parts[j]);
        pid_t pid = fork();
        if (pid < 0) {
            close(fd[0]);
            close(fd[1]);
            free(parts[j]);
            st = sp_error_set(err, SPSEARCH_IO, "starting a build process: %s",
                              strerror(errno));
            break;
        }
        if (pid == 0) {
            close(fd[0]);
#ifdef __linux__
            /* A killed parent takes its builders with it: they would go
             * on writing parts that nobody merges. */
            prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
            sp_indexer_opts o = *opts;
            o.shard = k + n * (unsigned)j;
            o.shards = n * (unsigned)jobs;
            /* The memory bound holds for all of them together. */
            o.batch_bytes = o.batch_bytes / jobs > (1u << 20)
                                ? o.batch_bytes / jobs
                                : (1u << 20);
            o.jobs = (unsigned)jobs;
            o.split_bytes = SPLIT_BATCHES * (uint64_t)o.batch_bytes;
            /* One progress bar, from the first, for its share. */
            if (j == 0)
                files_total = files_total / jobs + 1;
            else
                show_progress = 0;
            part_report r;
            memset(&r, 0, sizeof r);
            sp_error_clear(&r.err);
            r.st = run_indexer(parts[j], &o, j == 0 ? synonyms : NULL, 0,
                               paths, npaths, &r.stats, &r.opened, &r.err);
            r.stopped = sp_indexer_stopped();
            fflush(stdout);
            fflush(stderr);
            ssize_t w = write(fd[1], &r, sizeof r);
            _exit(w == (ssize_t)sizeof r ? 0 : 99);
        }
        close(fd[1]);
        pids[j] = pid;
        fds[j] = fd[0];
        started_jobs++;
    }
    for (size_t j = 0; j < started_jobs; j++) {
        part_report r;
        int got = read_report(fds[j], &r, sizeof r, pids, started_jobs);
        close(fds[j]);
        int wstatus = 0;
        while (waitpid(pids[j], &wstatus, 0) < 0 && errno == EINTR)
            ;
        if (got != 0) {
            memset(&r, 0, sizeof r);
            r.opened = 1;
            r.st = sp_error_set(&r.err, SPSEARCH_INTERNAL,
                                "building part %zu of %s: the process ended "
                                "(%s %d) before it was done", j, db_path,
                                WIFSIGNALED(wstatus) ? "signal" : "status",
                                WIFSIGNALED(wstatus) ? WTERMSIG(wstatus)
                                                     : WEXITSTATUS(wstatus));
        }
        if (r.stopped)
            sp_indexer_request_stop();
        if (st == SPSEARCH_OK && r.st != SPSEARCH_OK) {
            st = r.st;
            *err = r.err;
            *opened = r.opened;
        }
        stats->added += r.stats.added;
        stats->updated += r.stats.updated;
        stats->unchanged += r.stats.unchanged;
        stats->removed += r.stats.removed;
        stats->skipped += r.stats.skipped;
        stats->bytes += r.stats.bytes;
        stats->passages += r.stats.passages;
    }
    if (st == SPSEARCH_OK)
        st = sp_xdb_merge((const char *const *)parts, started_jobs, db_path,
                          err);
    for (size_t j = 0; j < started_jobs; j++) {
        remove_tree(parts[j]);
        free(parts[j]);
    }
    return st;
}

static void on_signal(int sig)
{
    (void)sig;
    sp_indexer_request_stop();
}

/* Xapian ended the run on an error it could not report (see
 * sp_xdb_on_fatal): say so, and exit as for any error, since what was
 * committed before stays as it was.  Only async-signal-safe calls. */
static void fatal_exit(void)
{
    static const char tail[] =
        ": the index library stopped on an error it could not report (in "
        "Xapian 1.4, a write that failed while committing: is the disk full "
        "or failing?); the index keeps its last commit\n";
    const char *name = cli_progname();
    ssize_t w = write(2, name, strlen(name));
    w = write(2, tail, sizeof tail - 1);
    (void)w;
    _exit(EXIT_ERROR);
}

int main(int argc, char **argv)
{
    const char *db_opt = NULL;
    sp_indexer_opts opts;
    int quiet = 0, stats_only = 0, prune = 1, full = 0, opt, first;
    const char *compact_dest = NULL, *synonyms = NULL;
    const char *arg;
    size_t memory_mb = DEFAULT_MEMORY_MB;
    size_t jobs = 0; /* 0: decided by the index and the corpus */
    memset(&opts, 0, sizeof opts);
    cli_init(argv[0]);
    sp_xdb_on_fatal(fatal_exit);
    /* "spindex corpus -q" from a crontab: paths are never words of a
     * query, so an option after them is one (a path that begins with '-'
     * goes after "--"). */
    cli_allow_short_options_anywhere();
    /* Xapian reads it when it opens the index for writing; a failure
     * (out of memory) costs only speed. */
    (void)setenv("XAPIAN_FLUSH_THRESHOLD", FLUSH_PASSAGES, 0);
    while ((opt = cli_next_option(argc, argv, options, &arg, &first)) != -1) {
        switch (opt) {
        case OPT_DB: db_opt = arg; break;
        case OPT_LANG: opts.lang = arg; break;
        case OPT_WAIT: opts.wait_lock = 1; break;
        case OPT_STATS: stats_only = 1; break;
        case OPT_COMPACT: compact_dest = arg; break;
        case OPT_DRY_RUN: opts.dry_run = 1; break;
        case OPT_NO_PRUNE: prune = 0; break;
        case OPT_FULL: full = 1; break;
        case OPT_SYNONYMS: synonyms = arg; break;
        case OPT_JOBS:
            jobs = cli_parse_count("jobs", arg);
            if (jobs < 1 || jobs > MAX_JOBS)
                cli_usage_error("--jobs wants 1 to %d, not '%s'", MAX_JOBS,
                                arg);
            break;
        case OPT_SHARD: {
            unsigned k, n;
            char extra;
            if (sscanf(arg, "%u/%u%c", &k, &n, &extra) != 2 || n == 0 ||
                k >= n)
                cli_usage_error("--shard wants K/N with 0 <= K < N, not '%s'",
                                arg);
            opts.shard = k;
            opts.shards = n;
            break;
        }
        case OPT_BATCH:
            opts.batch_bytes = cli_parse_count("batch", arg) << 20;
            if (opts.batch_bytes == 0)
                cli_usage_error("--batch must be at least 1");
            break;
        case OPT_MEMORY:
            memory_mb = cli_parse_count("memory", arg);
            if (batch_for_memory(memory_mb) == 0)
                cli_usage_error("--memory=%s: at least %d MB are needed", arg,
                                MEMORY_FIXED_MB + MEMORY_PER_BATCH_MB);
            break;
        case 'v': verbose = 1; break;
        case 'q': quiet = 1; break;
        case OPT_HELP:
            cli_print_help(
                "[OPTION]... PATH...\n       spindex [--db=PATH] --stats\n"
                "       spindex [--db=PATH] --compact=DEST",
                "Index the articles in PATH (files or folders, walked "
                "recursively) for spsearch.\nRunning it again updates the "
                "index: new and changed files are indexed,\nfiles that "
                "disappeared from under PATH are removed.",
                options,
                "Exit status: 0 done, 1 done with inputs skipped, 2 error "
                "(the last commit\nis intact), 75 another spindex holds the "
                "index.\n");
            return cli_close_stdout();
        case OPT_VERSION:
            printf("spindex %s (%s)\n", PACKAGE_VERSION,
                   spsearch_version_details());
            return cli_close_stdout();
        default: break;
        }
    }
    /* An explicit --batch wins: it is the finer control. */
    if (opts.batch_bytes == 0)
        opts.batch_bytes = batch_for_memory(memory_mb) << 20;
    if ((stats_only || compact_dest) && first < argc)
        cli_usage_error("--stats and --compact take no PATH");
    if (!stats_only && !compact_dest && !synonyms && first >= argc)
        cli_usage_error("no corpus given: name the files or folders to index");
    char *db_path = cli_index_path(db_opt);
    if (db_path == NULL)
        return EXIT_ERROR;
    if (stats_only || compact_dest) {
        int rc = stats_only ? show_stats(db_path)
                            : compact(db_path, compact_dest, opts.wait_lock);
        free(db_path);
        return rc;
    }
    /* Xapian makes the index folder but not its parents: make those, so
     * that the default location works on a fresh account. */
    make_parents(db_path);
    opts.warn = on_warn;
    opts.progress = on_progress;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    clock_gettime(CLOCK_MONOTONIC, &started);
    show_progress = !quiet && !verbose && isatty(STDERR_FILENO);
    if (show_progress)
        for (int i = first; i < argc; i++)
            files_total += sp_count_inputs(argv[i]);
    sp_error err;
    sp_error_clear(&err);
    /* --full: hold the live index's lock, build a new index beside it,
     * swap the two folders, remove the old one. */
    sp_xdb *live = NULL;
    char *live_path = NULL;
    /* An index in an older layout cannot be updated in place: rebuilt in
     * full, it stays searchable meanwhile. */
    int old_format = full || opts.dry_run ? 0 : sp_index_old_format(db_path);
    if (old_format != 0) {
        if (!quiet)
            cli_error("%s: index format %d is older than this spindex's; "
                      "rebuilding it in full", db_path, old_format);
        full = 1;
    }
    /* A new index, or one rebuilt in full, is built in parallel parts
     * beside the live one and swapped in as --full does. */
    size_t parallel = 0;
    if (!opts.dry_run && jobs != 1 && (full || sp_index_is_empty(db_path))) {
        unsigned long files = files_total;
        if (!show_progress && jobs == 0)
            for (int i = first; i < argc && files < PARALLEL_MIN_FILES; i++)
                files += sp_count_inputs(argv[i]);
        /* With two builders, each has half the batch. */
        int big = 0;
        for (int i = first; i < argc && jobs == 0 && !big &&
                            files < PARALLEL_MIN_FILES;
             i++)
            big = sp_has_file_of(argv[i],
                                 SPLIT_BATCHES * (uint64_t)opts.batch_bytes / 2);
        if (jobs > 1 || files >= PARALLEL_MIN_FILES || big) {
            parallel = jobs > 1 ? jobs : 2;
            full = 1;
        }
    }
    if (full) {
        if (opts.dry_run)
            cli_usage_error("--full and --dry-run exclude each other");
        int mode = SP_XDB_WRITE | (opts.wait_lock ? SP_XDB_WAIT_LOCK : 0);
        spsearch_status_t lst = sp_xdb_open(db_path, mode, &live, &err);
        if (lst != SPSEARCH_OK) {
            cli_error("%s", err.msg);
            free(db_path);
            return exit_code(lst);
        }
        live_path = db_path;
        db_path = beside(live_path, "full");
        if (db_path == NULL)
            return EXIT_ERROR;
        remove_stale_builds(live_path);
        remove_tree(db_path);
    }
    sp_index_stats stats;
    int opened = 0;
    spsearch_status_t st =
        parallel > 1
            ? run_parallel(db_path, &opts, parallel, synonyms, argv + first,
                           argc - first, &stats, &opened, &err)
            : run_indexer(db_path, &opts, synonyms, prune, argv + first,
                          argc - first, &stats, &opened, &err);
    if (!opened) {
        cli_error("%s", err.msg[0] ? err.msg : spsearch_status_string(st));
        if (full) {
            remove_tree(db_path);
            sp_xdb_free(live);
            free(live_path);
        }
        free(db_path);
        return exit_code(st);
    }
    if (full && st == SPSEARCH_OK && sp_indexer_stopped()) {
        /* An interrupted rebuild is not swapped in. */
        remove_tree(db_path);
        sp_xdb_free(live);
        cli_error("interrupted: the index is unchanged");
        free(db_path);
        free(live_path);
        return EXIT_PARTIAL;
    }
    if (full && st == SPSEARCH_OK) {
        if (swap_folders(db_path, live_path) != 0) {
            st = sp_error_set(&err, SPSEARCH_IO,
                              "swapping %s in for %s: %s", db_path,
                              live_path, strerror(errno));
        } else {
            /* db_path now holds the old index, still locked by live. */
            sp_xdb_free(live);
            live = NULL;
            if (remove_tree(db_path) != 0)
                cli_error("removing the old index %s: %s", db_path,
                          strerror(errno));
        }
    }
    if (st != SPSEARCH_OK) {
        cli_error("%s", err.msg[0] ? err.msg : spsearch_status_string(st));
        if (full) {
            remove_tree(db_path);
            sp_xdb_free(live);
            cli_error("stopped; the index is unchanged");
            free(live_path);
        } else {
            cli_error("stopped; the index keeps its last commit");
        }
        free(db_path);
        return exit_code(st);
    }
    free(live_path);
    double secs = seconds_since(&started);
    if (show_progress)
        fprintf(stderr, "\r%*s\r", 78, "");
    if (!quiet && (verbose || opts.dry_run || isatty(STDERR_FILENO)))
        fprintf(stderr,
                "%s: %s%lu added, %lu updated, %lu unchanged, %lu removed, "
                "%lu skipped; %lu passages; %.2f s, %.2f MB/s\n",
                cli_progname(), opts.dry_run ? "dry run: would have " : "",
                stats.added, stats.updated, stats.unchanged,
                stats.removed, stats.skipped, stats.passages, secs,
                secs > 0 ? (double)stats.bytes / 1e6 / secs : 0.0);
    free(db_path);
    int rc = cli_close_stdout();
    if (rc != 0)
        return rc;
    if (sp_indexer_stopped()) {
        cli_error("interrupted: what was indexed is committed; run again to "
                  "finish");
        return EXIT_PARTIAL;
    }
    return stats.skipped > 0 ? EXIT_PARTIAL : EXIT_DONE;
}
