/*
 * analyze-bench - the shared analyzer's throughput through libspsearch
 * (spsearch_analyze: ICU word breaks, folding, compounds, stems) over every
 * file under the given folders, in MB/s.  Compare with icu-break, the bare
 * ICU word-break iterator over the same bytes: the ceiling.
 * Usage: analyze-bench FOLDER...
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <spsearch.h>

static size_t tokens;
static double bytes;
static double seconds;

static int count(void *ctx, const char *term, const char *exact,
                 unsigned long pos, size_t start, size_t end, unsigned flags)
{
    (void)ctx, (void)term, (void)exact, (void)pos, (void)start, (void)end;
    (void)flags;
    tokens++;
    return 0;
}

static void run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        spsearch_analyze(buf, "en", count, NULL, NULL);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        seconds += (double)(t1.tv_sec - t0.tv_sec) +
                   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        bytes += (double)n;
    }
    free(buf);
    fclose(f);
}

static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (d == NULL) {
        run_file(dir);
        return;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char p[4096];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        if (stat(p, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            walk(p);
        else if (S_ISREG(sb.st_mode))
            run_file(p);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        walk(argv[i]);
    printf("analyzer: %.1f MB in %.2f s: %.1f MB/s, %zu tokens\n",
           bytes / 1e6, seconds, seconds > 0 ? bytes / 1e6 / seconds : 0.0,
           tokens);
    return 0;
}
