#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "searcher/cli.h"

static const char *progname = "spsearch";

void cli_init(const char *name)
{
    const char *slash = strrchr(name, '/');
    progname = slash ? slash + 1 : name;
    /* libtool's uninstalled wrappers run "lt-spsearch". */
    if (strncmp(progname, "lt-", 3) == 0)
        progname += 3;
}

const char *cli_progname(void)
{
    return progname;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", progname);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help'.\n", progname);
    exit(2);
}

static const char *unknown_option_hint = "";

void cli_set_unknown_option_hint(const char *hint)
{
    unknown_option_hint = hint != NULL ? hint : "";
}

/* getopt_long's table, built by cli_next_option. */
static struct option longopts[64];
/* Where getopt's last call left optind: 1 before the first. */
static int last_optind = 1;

/* Whether the -1 getopt just returned was for "--": then it is the
 * argument getopt consumed last. */
static int ended_by_dashes(char **argv, int before)
{
    return optind == before + 1 && strcmp(argv[before], "--") == 0;
}

static int short_options_anywhere;

void cli_allow_short_options_anywhere(void)
{
    short_options_anywhere = 1;
}

/* The index of the first option after the operands from argv[from] on,
 * "--" included, or -1: long ones only, unless short ones are allowed
 * anywhere ("-" alone is an operand). */
static int next_option(int argc, char **argv, int from)
{
    for (int i = from; i < argc; i++)
        if (argv[i][0] == '-' &&
            (argv[i][1] == '-' ||
             (short_options_anywhere && argv[i][1] != '\0')))
            return i;
    return -1;
}

/* Whether a short option cluster ("-n5", "-qn", "-n") ends in an option
 * that takes the next argument as its value. */
static int short_takes_separate_arg(const char *arg, const char *shortopts)
{
    for (const char *c = arg + 1; *c != '\0'; c++) {
        const char *o = *c != ':' && *c != '+' ? strchr(shortopts, *c) : NULL;
        if (o != NULL && o[1] == ':')
            return c[1] == '\0';
    }
    return 0;
}

/* Whether "--name" (its value not after '=') takes the next argument as
 * its value: name is a long option's, or the start of exactly one's. */
static int takes_separate_arg(const char *arg)
{
    const char *name = arg + 2;
    if (*name == '\0' || strchr(name, '=') != NULL)
        return 0;
    size_t len = strlen(name);
    const struct option *match = NULL;
    int matches = 0;
    for (const struct option *o = longopts; o->name != NULL; o++) {
        if (strncmp(o->name, name, len) != 0)
            continue;
        if (o->name[len] == '\0')
            return o->has_arg == required_argument;
        match = o;
        matches++;
    }
    return matches == 1 && match->has_arg == required_argument;
}

/* Moves argv[at .. at + n) to just before argv[to], in order. */
static void move_before(char **argv, int to, int at, int n)
{
    for (int k = 0; k < n; k++) {
        char *moved = argv[at + k];
        memmove(&argv[to + k + 1], &argv[to + k],
                (size_t)(at - to) * sizeof *argv);
        argv[to + k] = moved;
    }
}

/* Exits for a long option that getopt refused: one that abbreviates
 * several names the list and nothing else, else it is unknown. */
static void ambiguous_or_unknown(const char *arg)
{
    char names[512] = "";
    size_t len = strcspn(arg + 2, "="), used = 0;
    int matches = 0;
    for (const struct option *o = longopts; arg[0] == '-' && arg[1] == '-' &&
                                            len > 0 && o->name != NULL;
         o++) {
        if (strncmp(o->name, arg + 2, len) != 0)
            continue;
        int n = snprintf(names + used, sizeof names - used, "%s--%s",
                         matches ? ", " : "", o->name);
        if (n > 0 && (size_t)n < sizeof names - used)
            used += (size_t)n;
        matches++;
    }
    if (matches > 1)
        cli_usage_error("option '%.*s' is ambiguous: %s", (int)(len + 2), arg,
                        names);
    cli_usage_error("unknown option '%s'", arg);
}

int cli_next_option(int argc, char **argv, const cli_option *opts,
                    const char **optarg_out, int *optind_out)
{
    /* getopt_long wants its own tables; they are built once per table. */
    static const cli_option *built_for;
    static char shortopts[160];
    if (built_for != opts) {
        size_t n = 0, s = 0;
        shortopts[s++] = '+'; /* stop at the first operand */
        shortopts[s++] = ':'; /* report a missing argument as ':' */
        for (const cli_option *o = opts; o->name != NULL && n < 63; o++) {
            longopts[n].name = o->name;
            longopts[n].has_arg = o->arg ? required_argument : no_argument;
            longopts[n].flag = NULL;
            longopts[n].val = o->key;
            n++;
            if (o->key < 256 && s + 3 < sizeof shortopts) {
                shortopts[s++] = (char)o->key;
                if (o->arg)
                    shortopts[s++] = ':';
            }
        }
        memset(&longopts[n], 0, sizeof longopts[n]);
        shortopts[s] = '\0';
        built_for = opts;
        opterr = 0;
    }
    int c = getopt_long(argc, argv, shortopts, longopts, NULL);
    /* getopt stops at the first operand, so that "-sanctions" in a query
     * is a word; a long option later on ("spsearch civil rights
     * --since=1960") is still an option (for spindex a short one too), and
     * "--" ends them. Each is moved before the operands and parsed
     * there. */
    if (c == -1 && optind < argc && !ended_by_dashes(argv, last_optind)) {
        int at = next_option(argc, argv, optind);
        if (at >= 0) {
            int n = (argv[at][1] == '-'
                         ? takes_separate_arg(argv[at])
                         : short_takes_separate_arg(argv[at], shortopts))
                        ? 2
                        : 1;
            if (at + n > argc)
                cli_usage_error("option '%s' needs an argument", argv[at]);
            move_before(argv, optind, at, n);
            c = getopt_long(argc, argv, shortopts, longopts, NULL);
        }
    }
    last_optind = optind;
    *optind_out = optind;
    *optarg_out = optarg;
    if (c == '?') {
        if (optopt != 0 && optopt < 256)
            cli_usage_error("unknown option '-%c'%s", optopt,
                            unknown_option_hint);
        ambiguous_or_unknown(argv[optind - 1]);
    }
    if (c == ':')
        cli_usage_error("option '%s' needs an argument", argv[optind - 1]);
    return c;
}

void cli_print_help(const char *synopsis, const char *description,
                    const cli_option *opts, const char *epilogue)
{
    printf("Usage: %s %s\n%s\n\nOptions:\n", progname, synopsis, description);
    for (const cli_option *o = opts; o->name != NULL; o++) {
        char left[64];
        if (o->key < 256)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->key, o->name,
                     o->arg ? "=" : "", o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name,
                     o->arg ? "=" : "", o->arg ? o->arg : "");
        printf("  %-24s %s\n", left, o->help);
    }
    if (epilogue != NULL)
        printf("\n%s", epilogue);
}

char *cli_index_path(const char *db_option)
{
    const char *env = getenv("SPSEARCH_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    char *path = NULL;
    size_t n;
    if (db_option != NULL && *db_option != '\0')
        return strdup(db_option);
    if (env != NULL && *env != '\0')
        return strdup(env);
    if (xdg != NULL && *xdg == '/') {
        n = strlen(xdg) + sizeof "/spsearch/index";
        path = malloc(n);
        if (path != NULL)
            snprintf(path, n, "%s/spsearch/index", xdg);
        return path;
    }
    if (home == NULL || *home == '\0') {
        cli_error("no index given: use --db or set SPSEARCH_DB "
                  "(HOME is not set)");
        return NULL;
    }
    n = strlen(home) + sizeof "/.local/share/spsearch/index";
    path = malloc(n);
    if (path != NULL)
        snprintf(path, n, "%s/.local/share/spsearch/index", home);
    return path;
}

int cli_use_color(const char *when)
{
    if (when == NULL || strcmp(when, "auto") == 0) {
        const char *term = getenv("TERM");
        const char *no_color = getenv("NO_COLOR");
        if (no_color != NULL && *no_color != '\0')
            return 0;
        if (term == NULL || strcmp(term, "dumb") == 0)
            return 0;
        return isatty(STDOUT_FILENO) ? 1 : 0;
    }
    if (strcmp(when, "always") == 0)
        return 1;
    if (strcmp(when, "never") == 0)
        return 0;
    return -1;
}

int cli_close_stdout(void)
{
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int saved = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (!failed)
        return 0;
    if (saved != EPIPE)
        cli_error("writing output: %s", strerror(saved));
    return 2;
}

size_t cli_parse_count(const char *name, const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 ||
        v > (unsigned long long)SIZE_MAX)
        cli_usage_error("--%s wants a number, not '%s'", name, s);
    return (size_t)v;
}
