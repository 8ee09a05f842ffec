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

static spsearch_status_t check(void *ctx, const sp_article_in *a)
{
    (void)ctx;
    fuzz_check(a->id && a->title && a->author && a->source && a->url &&
                   a->lang && a->text && a->format,
               "every field is set");
    fuzz_check(a->text[a->len] == '\0', "text is NUL-terminated at len");
    fuzz_check(strlen(a->title) <= SP_TITLE_MAX + 4, "title within bounds");
    fuzz_check(a->date[0] == '\0' || strlen(a->date) == 10,
               "date empty or YYYY-MM-DD");
    fuzz_check(a->line >= 1, "a line number");
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
