/*
 * driver.c - runs a fuzz target without libFuzzer, with any compiler:
 *
 *     fuzz-TARGET [-runs=N] [-seed=S] PATH...
 *
 * Every file under the PATHs (the seeds) is run once; then N inputs made
 * by changing seeds at random (bytes replaced, markup inserted, spans cut
 * out or doubled, the end cut off), from seed S.  When an input crashes
 * (a sanitizer report, a broken promise, a signal), it is written to
 * crash-TARGET-N in the working directory before the process dies, to
 * become a seed under tests/fuzz/seeds/, which `make check` runs.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"

typedef struct input {
    unsigned char *data;
    size_t len;
} input;

static input *seeds;
static size_t nseeds, capseeds;

/* The input being run, for the crash handler. */
static const unsigned char *current;
static size_t current_len;
static char crash_path[256];

static void on_crash(int sig)
{
    int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        if (write(fd, current, current_len) < 0) {
            /* Nothing more can be done in a signal handler. */
        }
        close(fd);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void add_seed(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    input in = {NULL, 0};
    size_t cap = 0;
    for (;;) {
        if (in.len == cap) {
            cap = cap ? cap * 2 : 4096;
            in.data = realloc(in.data, cap);
            fuzz_check(in.data != NULL, "memory for a seed");
        }
        size_t got = fread(in.data + in.len, 1, cap - in.len, f);
        if (got == 0)
            break;
        in.len += got;
    }
    fclose(f);
    if (nseeds == capseeds) {
        capseeds = capseeds ? capseeds * 2 : 64;
        seeds = realloc(seeds, capseeds * sizeof *seeds);
        fuzz_check(seeds != NULL, "memory for the seeds");
    }
    seeds[nseeds++] = in;
}

static void add_path(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "fuzz: %s: not found\n", path);
        exit(2);
    }
    if (!S_ISDIR(sb.st_mode)) {
        add_seed(path);
        return;
    }
    DIR *d = opendir(path);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        add_path(sub);
    }
    if (d != NULL)
        closedir(d);
}

static uint32_t next_random(uint32_t *state)
{
    *state = *state * 1103515245u + 12345u;
    return *state >> 8;
}

/* A changed copy of a seed in buf (cap bytes); returns its length. */
static size_t mutate(const input *seed, unsigned char *buf, size_t cap,
                     uint32_t *rnd)
{
    static const char inserts[] =
        "<>\"{}[]\\&;:,/=#\n\r\t\x00\xff\xc3\xe2 -*()+'";
    size_t len = seed->len < cap ? seed->len : cap;
    memcpy(buf, seed->data, len);
    int ops = 1 + (int)(next_random(rnd) % 4);
    for (int o = 0; o < ops; o++) {
        size_t at = len ? next_random(rnd) % len : 0;
        size_t span = 1 + next_random(rnd) % 64;
        if (span > len - at)
            span = len - at;
        switch (next_random(rnd) % 5) {
        case 0:
            if (len > 0)
                buf[at] = (unsigned char)next_random(rnd);
            break;
        case 1:
            if (len < cap) {
                memmove(buf + at + 1, buf + at, len - at);
                buf[at] = (unsigned char)
                    inserts[next_random(rnd) % (sizeof inserts - 1)];
                len++;
            }
            break;
        case 2:
            memmove(buf + at, buf + at + span, len - at - span);
            len -= span;
            break;
        case 3:
            if (len + span <= cap) {
                memmove(buf + at + span, buf + at, len - at);
                len += span;
            }
            break;
        default:
            len = at;
            break;
        }
    }
    return len;
}

static void run(const unsigned char *data, size_t len)
{
    current = data;
    current_len = len;
    LLVMFuzzerTestOneInput(data, len);
}

int main(int argc, char **argv)
{
    long runs = 0;
    uint32_t rnd = 1;
    const char *name = strrchr(argv[0], '/');
    name = name ? name + 1 : argv[0];
    for (int i = 1; i < argc; i++) {
        if (strncmp(argv[i], "-runs=", 6) == 0)
            runs = atol(argv[i] + 6);
        else if (strncmp(argv[i], "-seed=", 6) == 0)
            rnd = (uint32_t)strtoul(argv[i] + 6, NULL, 10);
        else
            add_path(argv[i]);
    }
    if (nseeds == 0) {
        fprintf(stderr, "usage: %s [-runs=N] [-seed=S] PATH...\n", name);
        return 2;
    }
    signal(SIGSEGV, on_crash);
    signal(SIGABRT, on_crash);
    signal(SIGBUS, on_crash);
    signal(SIGFPE, on_crash);
    signal(SIGILL, on_crash);
    snprintf(crash_path, sizeof crash_path, "crash-%s-seed", name);
    for (size_t i = 0; i < nseeds; i++)
        run(seeds[i].data, seeds[i].len);
    size_t cap = 1 << 20;
    unsigned char *buf = malloc(cap);
    fuzz_check(buf != NULL, "memory for inputs");
    for (long r = 0; r < runs; r++) {
        const input *seed = &seeds[next_random(&rnd) % nseeds];
        size_t len = mutate(seed, buf, cap, &rnd);
        snprintf(crash_path, sizeof crash_path, "crash-%s-%ld", name, r);
        run(buf, len);
    }
    printf("%s: %zu seeds and %ld changed inputs, no crash\n", name, nseeds,
           runs);
    free(buf);
    for (size_t i = 0; i < nseeds; i++)
        free(seeds[i].data);
    free(seeds);
    return 0;
}
