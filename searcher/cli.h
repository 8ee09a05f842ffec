/*
 * cli.h - what spsearch and spindex share as command-line programs:
 * progname-prefixed messages, one option table that also prints --help,
 * the index location, the colour decision and checked stdout.  Linked into
 * the programs, never into libspsearch.
 */
#ifndef SP_CLI_H
#define SP_CLI_H

#include <stddef.h>

typedef struct cli_option {
    const char *name; /* long name, without "--" */
    int key;          /* short letter, or a value >= 256 for long-only */
    const char *arg;  /* argument's name, NULL for a flag */
    const char *help; /* one line for --help */
} cli_option;

/* Sets the program name used in messages. */
void cli_init(const char *progname);
const char *cli_progname(void);

/* "prog: message" on stderr. */
void cli_error(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* A usage error: the message, then "Try 'prog --help'.", exit 2. */
void cli_usage_error(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2), noreturn))
#endif
    ;

/* Text added to the message about an unknown short option (spsearch: how
 * to search for "-word"). */
void cli_set_unknown_option_hint(const char *hint);

/* After the first operand, short options are options too (spindex: its
 * operands are paths); by default only long ones are (spsearch: "-word"
 * in a query excludes the word). */
void cli_allow_short_options_anywhere(void);

/* Parses the next option of argv with the table, moving options that
 * follow operands before them; returns its key, -1 at the end of the
 * options (*optind_out then indexes the first operand, and all the
 * operands follow it). Unknown options and missing arguments are usage
 * errors. */
int cli_next_option(int argc, char **argv, const cli_option *opts,
                    const char **optarg_out, int *optind_out);

/* Prints "Usage: prog SYNOPSIS", the description and the option table to
 * stdout. */
void cli_print_help(const char *synopsis, const char *description,
                    const cli_option *opts, const char *epilogue);

/* Where the index is: --db if given, else $SPSEARCH_DB, else
 * $XDG_DATA_HOME/spsearch/index, else ~/.local/share/spsearch/index.
 * Returns a malloc'd path, or NULL (with a message) when none can be made. */
char *cli_index_path(const char *db_option);

/* Whether to colour stdout for --color=WHEN (NULL means "auto").  Returns
 * 1 or 0, or -1 for an unknown WHEN. */
int cli_use_color(const char *when);

/* Flushes and closes stdout.  Returns 0, or 2 after reporting a write
 * error (silently for a closed pipe). */
int cli_close_stdout(void);

/* Parses a non-negative decimal number for option name; usage error when it
 * is not one. */
size_t cli_parse_count(const char *name, const char *s);

#endif /* SP_CLI_H */
