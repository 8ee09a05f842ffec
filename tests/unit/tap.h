/*
 * tap.h - a tiny TAP producer for spsearch's unit tests.
 *
 * Each check prints "ok N - what" or "not ok N - what" with both values and
 * the source line.  tap_tmpdir() makes a fresh temporary directory and
 * chdir()s into it; tap_done() removes it when everything passed and keeps
 * it (and says where) when something failed.
 */
#ifndef SP_TAP_H
#define SP_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_count;
static int tap_failed;
static char tap_dir[4096];

static int tap_ok_at(int cond, const char *file, int line, const char *what)
{
    tap_count++;
    printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, what);
    if (!cond) {
        tap_failed++;
        printf("#   at %s:%d\n", file, line);
    }
    fflush(stdout);
    return cond;
}

static int tap_is_long_at(long got, long want, const char *file, int line,
                          const char *what)
{
    int ok = tap_ok_at(got == want, file, line, what);
    if (!ok)
        printf("#   got %ld, want %ld\n", got, want);
    return ok;
}

static int tap_is_str_at(const char *got, const char *want, const char *file,
                         int line, const char *what)
{
    int same = (got == NULL && want == NULL) ||
               (got != NULL && want != NULL && strcmp(got, want) == 0);
    int ok = tap_ok_at(same, file, line, what);
    if (!ok)
        printf("#   got \"%s\", want \"%s\"\n", got ? got : "(null)",
               want ? want : "(null)");
    return ok;
}

#define ok(cond, what) tap_ok_at((cond) ? 1 : 0, __FILE__, __LINE__, (what))
#define is_long(got, want, what) \
    tap_is_long_at((long)(got), (long)(want), __FILE__, __LINE__, (what))
#define is_str(got, want, what) \
    tap_is_str_at((got), (want), __FILE__, __LINE__, (what))

/* Prints a diagnostic line (context for the checks that follow). */
#define diag(...) (printf("# "), printf(__VA_ARGS__), printf("\n"))

static void tap_tmpdir(const char *name)
{
    const char *base = getenv("TMPDIR");
    snprintf(tap_dir, sizeof tap_dir, "%s/spsearch-%s-XXXXXX",
             base && *base ? base : "/tmp", name);
    if (mkdtemp(tap_dir) == NULL || chdir(tap_dir) != 0) {
        printf("Bail out! cannot make a temporary directory %s\n", tap_dir);
        exit(99);
    }
}

static int tap_done(void)
{
    printf("1..%d\n", tap_count);
    if (tap_dir[0] != '\0') {
        if (tap_failed == 0) {
            char cmd[4200];
            if (chdir("/") == 0) {
                snprintf(cmd, sizeof cmd, "rm -rf '%s'", tap_dir);
                if (system(cmd) != 0)
                    printf("# could not remove %s\n", tap_dir);
            }
        } else {
            printf("# kept %s for inspection\n", tap_dir);
        }
    }
    return tap_failed == 0 ? 0 : 1;
}

#endif /* SP_TAP_H */
