/*
 * fuzz-reader.c - input files of any format, gzipped or not: the reader
 * passes articles on that keep sp_article_in's promises, or refuses with a
 * message.  The first byte picks the name the format is chosen by.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "shared/article.h"
#include "shared/reader.h"
#include "tests/fuzz/fuzz.h"

static int is_date(const char *d)
{
    if (d[0] == '\0')
        return 1;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? d[i] != '-' : d[i] < '0' || d[i] > '9')
            return 0;
    return d[10] == '\0';
}

static spsearch_status_t check(void *ctx, const sp_article_in *a)
{
    (void)ctx;
    fuzz_check(a->id && a->title && a->author && a->source && a->url &&
                   a->lang && a->text && a->format,
               "every field is set");
    fuzz_check(a->text[a->len] == '\0', "text is NUL-terminated at len");
    fuzz_check(strlen(a->title) <= SP_TITLE_MAX + 4, "title within bounds");
    fuzz_check(is_date(a->date), "date empty or YYYY-MM-DD");
    fuzz_check(a->line >= 1, "a line number");
    fuzz_check(strcmp(a->format, "text") == 0 ||
                   strcmp(a->format, "jsonl") == 0 ||
                   strcmp(a->format, "trec") == 0 ||
                   strcmp(a->format, "html") == 0,
               "a known format");
    return SPSEARCH_OK;
}

static void warn(void *ctx, unsigned long line, const char *msg)
{
    (void)ctx;
    (void)line;
    fuzz_check(msg != NULL && msg[0] != '\0', "a warning says something");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {
        NULL,         "a.txt",      "a.jsonl",    "a.trec",
        "a.html",     "a.txt.gz",   "a.jsonl.gz", "a.trec.gz",
        "a.html.gz"};
    if (size == 0)
        return 0;
    const char *name = names[data[0] % (sizeof names / sizeof *names)];
    sp_error err;
    sp_error_clear(&err);
    spsearch_status_t st = sp_read_memory(name, data + 1, size - 1, check,
                                          warn, NULL, &err);
    fuzz_check(st == SPSEARCH_OK || err.msg[0] != '\0',
               "a refusal has a message");
    return 0;
}
