/*
 * benchutil.h - small helpers shared by the benchmark programs (C and C++):
 * listing a corpus, reading files and queries, a clock, and writing the
 * per-query latencies and results that bench/report and bench/relevance
 * read.  Everything is static: each program includes it once.
 *
 * Failures print a message and exit: these are benchmark tools, not the
 * library.
 */
#ifndef BENCHUTIL_H
#define BENCHUTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct bench_list {
    char **items;
    size_t n, cap;
} bench_list;

static inline void bench_die(const char *what, const char *arg)
{
    fprintf(stderr, "%s: %s: %s\n", what, arg ? arg : "",
            errno ? strerror(errno) : "failed");
    exit(2);
}

static inline void bench_list_add(bench_list *l, const char *s)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 1024;
        l->items = (char **)realloc(l->items, l->cap * sizeof *l->items);
        if (l->items == NULL)
            bench_die("realloc", NULL);
    }
    l->items[l->n] = strdup(s);
    if (l->items[l->n] == NULL)
        bench_die("strdup", NULL);
    l->n++;
}

/* nftw has no user pointer, hence this one static. */
static bench_list *bench_walk_into;

static inline int bench_walk_one(const char *path, const struct stat *st,
                                 int type, struct FTW *ftw)
{
    size_t n = strlen(path);
    (void)st;
    (void)ftw;
    if (type == FTW_F && n > 4 && strcmp(path + n - 4, ".txt") == 0)
        bench_list_add(bench_walk_into, path);
    return 0;
}

static inline int bench_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* All *.txt files under dir, sorted by path. */
static inline bench_list bench_list_files(const char *dir)
{
    bench_list l = {NULL, 0, 0};
    bench_walk_into = &l;
    if (nftw(dir, bench_walk_one, 32, FTW_PHYS) != 0)
        bench_die("walking", dir);
    qsort(l.items, l.n, sizeof *l.items, bench_cmp);
    return l;
}

/* The whole file, NUL-terminated; the caller frees it. */
static inline char *bench_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *buf;
    if (f == NULL || fstat(fileno(f), &st) != 0)
        bench_die("reading", path);
    buf = (char *)malloc((size_t)st.st_size + 1);
    if (buf == NULL)
        bench_die("malloc", path);
    *len = fread(buf, 1, (size_t)st.st_size, f);
    if (ferror(f))
        bench_die("reading", path);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* The lines of a file (queries), without their line ends. */
static inline bench_list bench_read_lines(const char *path)
{
    bench_list l = {NULL, 0, 0};
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    FILE *f = fopen(path, "r");
    if (f == NULL)
        bench_die("reading", path);
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        bench_list_add(&l, line);
    }
    free(line);
    fclose(f);
    return l;
}

static inline double bench_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static inline FILE *bench_open_out(const char *path)
{
    FILE *f;
    if (path == NULL)
        return NULL;
    f = fopen(path, "w");
    if (f == NULL)
        bench_die("writing", path);
    return f;
}

/* Text on one line: tabs and line ends become spaces, then a line end. */
static inline void bench_put_text(FILE *f, const char *text, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        char c = text[i];
        fputc(c == '\t' || c == '\n' || c == '\r' ? ' ' : c, f);
    }
    fputc('\n', f);
}

/* One result line: query number, rank, path, shown text. */
static inline void bench_put_result(FILE *f, size_t q, size_t rank,
                                    const char *path, const char *text,
                                    size_t len)
{
    if (f == NULL)
        return;
    fprintf(f, "%zu\t%zu\t%s\t", q, rank, path);
    bench_put_text(f, text, len);
}

#endif /* BENCHUTIL_H */
