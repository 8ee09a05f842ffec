/*
 * index-nomem - the indexer out of memory: a new index of CORPUS built in
 * SCRATCH with its 1st, 2nd, 3rd... allocation failing (one a build;
 * past the 300th failure, allocations STRIDE apart), then an update of it
 * with one file changed, the same way.  Each build must end OK or SPSEARCH_NOMEM with a
 * message and leave no memory behind; the index must then open, hold every
 * article it held before (nothing indexed is lost), and a build without
 * failures must complete it.  tests/failmalloc says which allocations are
 * spared.  Last, the same update with its 1st, 2nd, 3rd... write (or sync)
 * failing, as on a full or dying disk: each must end SPSEARCH_IO with a
 * message, keep every article indexed before, and the next build must
 * complete the index.  Usage: index-nomem SCRATCH STRIDE INPUT...; the
 * file changed is SCRATCH/input/changed.txt, indexed with the inputs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "indexer/index.h"
#include "tests/failmalloc/failmalloc.h"
#include "tests/failmalloc/failwrite.h"

#ifndef FAILMALLOC_SKIP
static void quiet(void *ctx, const char *path, unsigned long line,
                  const char *msg)
{
    (void)ctx, (void)path, (void)line, (void)msg;
}

/* Indexes inputs into db; the status, err set on failure. */
static spsearch_status_t build(const char *db, char **inputs, int n,
                               sp_error *err)
{
    sp_indexer_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.warn = quiet;
    sp_indexer *ix = NULL;
    spsearch_status_t st = sp_indexer_open(db, &opts, &ix, err);
    for (int i = 0; i < n && st == SPSEARCH_OK; i++)
        st = sp_indexer_add_path(ix, inputs[i], err);
    if (st == SPSEARCH_OK)
        st = sp_indexer_prune(ix, err);
    if (st == SPSEARCH_OK) {
        sp_index_stats stats;
        st = sp_indexer_finish(ix, &stats, err);
    } else {
        sp_indexer_free(ix);
    }
    return st;
}

static uint64_t articles_of(const char *db)
{
    sp_index_summary sum;
    sp_error err;
    return sp_index_summarize(db, &sum, &err) == SPSEARCH_OK ? sum.articles
                                                              : 0;
}

/* The paths here are the test's own, without quotes in them. */
static void remove_tree(const char *path)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "index-nomem: %s failed\n", cmd);
}

static void copy_tree(const char *from, const char *to)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cp -a '%s' '%s'", from, to);
    if (system(cmd) != 0)
        fprintf(stderr, "index-nomem: %s failed\n", cmd);
}

typedef struct tally {
    unsigned long failed, spared, expected, problems; /* expected: answered out of memory, or an I/O error */
} tally;

static void problem(tally *t, const char *what, unsigned long k,
                    const char *msg)
{
    if (t->problems++ < 10) {
        printf("not ok - %s, allocation %lu failing: %s\n", what, k, msg);
        if (getenv("INDEX_NOMEM_STACK")) {
            fflush(stdout);
            failmalloc_report(1);
        }
    }
}

/* Builds db from before (a copy, or nothing when NULL) with its first
 * allocation from number k on that is not spared failing, and checks what
 * the failure left.  Returns the number of the allocation that failed, 0
 * when none did. */
static unsigned long try_build(tally *t, const char *what, const char *db,
                     const char *before, uint64_t held_before,
                     uint64_t want, char **inputs, int n, unsigned long k,
                     size_t *base)
{
    remove_tree(db);
    if (before != NULL)
        copy_tree(before, db);
    sp_error err;
    sp_error_clear(&err);
    failmalloc_arm(k);
    spsearch_status_t st = build(db, inputs, n, &err);
    unsigned long spared_n = 0, at = failmalloc_disarm(&spared_n);
    if (at == 0)
        return 0;
    t->spared += spared_n;
    t->failed++;
    k = at;
    size_t held = failmalloc_in_use();
    char msg[600];
    if (st != SPSEARCH_OK && st != SPSEARCH_NOMEM) {
        snprintf(msg, sizeof msg, "status %d: %.500s", (int)st, err.msg);
        problem(t, what, k, msg);
    } else if (st == SPSEARCH_NOMEM && err.msg[0] == '\0') {
        problem(t, what, k, "out of memory without a message");
    } else if (held > *base) {
        snprintf(msg, sizeof msg, "%zu bytes left behind", held - *base);
        problem(t, what, k, msg);
    } else if (articles_of(db) < held_before) {
        snprintf(msg, sizeof msg,
                 "articles indexed before were lost (%llu of %llu left)",
                 (unsigned long long)articles_of(db),
                 (unsigned long long)held_before);
        problem(t, what, k, msg);
    } else if (build(db, inputs, n, &err) != SPSEARCH_OK) {
        snprintf(msg, sizeof msg, "the next build failed: %.500s", err.msg);
        problem(t, what, k, msg);
    } else if (articles_of(db) != want) {
        problem(t, what, k, "the next build did not complete the index");
    }
    t->expected += st == SPSEARCH_NOMEM;
    if (failmalloc_in_use() > *base)
        *base = failmalloc_in_use(); /* each failure on its own */
    return k;
}

/* What a child process's build tells the test. */
typedef struct write_report {
    int reached; /* the k-th write was made, and failed */
    spsearch_status_t st;
    sp_error err;
} write_report;

/* The update of db from before with write k failing with error, in a child
 * process: Xapian 1.4.22 aborts on some failed writes of a commit
 * ("terminate called without an active exception", seen when a B-tree
 * block's pwrite fails in commit_transaction), which must still leave
 * the last commit intact.  Returns 0 once there was no k-th write. */
static int try_write(tally *t, const char *db, const char *before,
                     uint64_t held_before, char **inputs, int n,
                     unsigned long k, int error)
{
    remove_tree(db);
    copy_tree(before, db);
    int fd[2];
    if (pipe(fd) != 0)
        return 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        write_report r;
        memset(&r, 0, sizeof r);
        failwrite_arm(k, error);
        r.st = build(db, inputs, n, &r.err);
        r.reached = failwrite_disarm();
        _exit(write(fd[1], &r, sizeof r) == (ssize_t)sizeof r ? 0 : 1);
    }
    close(fd[1]);
    write_report r;
    memset(&r, 0, sizeof r);
    ssize_t got = pid > 0 ? read(fd[0], &r, sizeof r) : -1;
    close(fd[0]);
    int status = 0;
    if (pid > 0)
        waitpid(pid, &status, 0);
    int aborted = WIFSIGNALED(status);
    if (!aborted && (got != (ssize_t)sizeof r || !r.reached))
        return 0;
    t->failed++;
    sp_error err;
    char msg[700];
    const char *what = error == ENOSPC ? "a full disk" : "an I/O error";
    if (!aborted && r.st == SPSEARCH_OK) {
        problem(t, what, k, "the failed write went unnoticed");
    } else if (!aborted && (r.st != SPSEARCH_IO || r.err.msg[0] == '\0')) {
        snprintf(msg, sizeof msg, "status %d, not SPSEARCH_IO: %.500s",
                 (int)r.st, r.err.msg);
        problem(t, what, k, msg);
    } else if (articles_of(db) < held_before) {
        problem(t, what, k, "articles indexed before were lost");
    } else if (build(db, inputs, n, &err) != SPSEARCH_OK) {
        snprintf(msg, sizeof msg, "the next build failed: %.500s", err.msg);
        problem(t, what, k, msg);
    } else if (articles_of(db) != held_before) {
        problem(t, what, k, "the next build did not complete the index");
    }
    t->expected += !aborted && r.st == SPSEARCH_IO;
    t->spared += aborted; /* Xapian's abort, counted apart */
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: index-nomem SCRATCH STRIDE INPUT...\n");
        return 99;
    }
    const char *scratch = argv[1];
    unsigned long stride = strtoul(argv[2], NULL, 10);
    char db[1024], full[1024], input[1024], changed[1100];
    snprintf(db, sizeof db, "%s/db", scratch);
    snprintf(full, sizeof full, "%s/full", scratch);
    snprintf(input, sizeof input, "%s/input", scratch);
    snprintf(changed, sizeof changed, "%s/changed.txt", input);
    int n = argc - 2;
    char **inputs = calloc((size_t)n, sizeof *inputs);
    if (inputs == NULL)
        return 99;
    memcpy(inputs, argv + 3, (size_t)(n - 1) * sizeof *inputs);
    inputs[n - 1] = input;
    remove_tree(input);
    if (mkdir(input, 0777) != 0) {
        perror(input);
        return 99;
    }
    FILE *f = fopen(changed, "w");
    if (f == NULL || fputs("Changed\n\nThis article was changed after it "
                           "was indexed, and is indexed again.\n",
                           f) < 0 || fclose(f) != 0) {
        fprintf(stderr, "index-nomem: cannot write %s\n", changed);
        return 99;
    }
    sp_error err;
    /* The whole index, twice: the second time from nothing, with what the
     * libraries keep for good already allocated. */
    remove_tree(full);
    if (build(full, inputs, n, &err) != SPSEARCH_OK) {
        fprintf(stderr, "index-nomem: %s\n", err.msg);
        return 99;
    }
    remove_tree(full);
    if (build(full, inputs, n, &err) != SPSEARCH_OK) {
        fprintf(stderr, "index-nomem: %s\n", err.msg);
        return 99;
    }
    uint64_t want = articles_of(full);
    size_t base = failmalloc_in_use();
    tally fresh = {0, 0, 0, 0}, update = {0, 0, 0, 0};
    /* INDEX_NOMEM_AT=K: only allocation K, to look at one failure. */
    const char *only = getenv("INDEX_NOMEM_AT");
    unsigned long first = only ? strtoul(only, NULL, 10) : 1;
    if (only)
        stride = (unsigned long)-1 / 2;
    for (unsigned long k = first;
         (k = try_build(&fresh, "a new index", db, NULL, 0, want, inputs, n,
                        k, &base)) != 0 && !only;
         k += fresh.failed < 300 ? 1 : stride)
        ;
    /* An update: one file changed, the rest as indexed. */
    remove_tree(full);
    if (build(full, inputs, n, &err) != SPSEARCH_OK) {
        fprintf(stderr, "index-nomem: %s\n", err.msg);
        return 99;
    }
    uint64_t held_before = articles_of(full);
    f = fopen(changed, "a");
    if (f == NULL || fputs("A sentence more.\n", f) < 0 || fclose(f) != 0)
        return 99;
    base = failmalloc_in_use();
    for (unsigned long k = first;
         (k = try_build(&update, "an update", db, full, held_before,
                        held_before, inputs, n, k, &base)) != 0 && !only;
         k += update.failed < 300 ? 1 : stride)
        ;
    tally disk = {0, 0, 0, 0};
    for (unsigned long k = 1;
         try_write(&disk, db, full, held_before, inputs, n, k,
                   k % 2 ? EIO : ENOSPC);
         k++)
        ;
    printf("# a new index: %lu allocations failed (%lu answered out of "
           "memory), %lu spared\n",
           fresh.failed, fresh.expected, fresh.spared);
    printf("# an update: %lu allocations failed (%lu answered out of "
           "memory), %lu spared\n",
           update.failed, update.expected, update.spared);
    printf("# an update: %lu writes failed (EIO and ENOSPC in turn), %lu "
           "answered an I/O error, %lu aborted in Xapian\n",
           disk.failed, disk.expected, disk.spared);
    unsigned long problems = fresh.problems + update.problems + disk.problems;
    if (problems == 0 && fresh.expected > 0 && update.expected > 0)
        printf("ok - every failed allocation ended the build OK or out of "
               "memory, lost nothing and left nothing behind; every failed "
               "write ended it with an I/O error, lost nothing\n");
    else if (problems == 0)
        printf("not ok - no build answered out of memory\n");
    free(inputs);
    return problems == 0 && fresh.expected > 0 && update.expected > 0 ? 0 : 1;
}
#else
int main(void)
{
    printf("1..0 # SKIP %s\n", FAILMALLOC_SKIP);
    return 77;
}
#endif
