/*
 * reader.h - turning one input file into articles.
 *
 * Formats, chosen by the file name's extension (after any ".gz") and, when
 * the extension says nothing, by the first bytes of the content:
 *
 *   plain text  .txt .text, or anything else     one article: the whole file
 *   JSON Lines  .jsonl .ndjson, or starts '{'     one article a line
 *   TREC SGML   .trec .sgml .sgm, or "<DOC>"      one article a <DOC>
 *   HTML        .html .htm .xhtml, or "<html",    one article
 *               "<!DOCTYPE html"
 *
 * Any of them may be gzipped: the name ends in ".gz" or the content starts
 * with gzip's magic bytes.  Compressed input is inflated as a stream, so
 * memory stays bounded by the largest article or record, never by the file.
 *
 * Text that is UTF-8 is passed through as bytes, the odd invalid byte
 * left for the analyzer; text in another charset (a whole plain-text or
 * HTML file, a TREC document, a JSON line: see sp_charset_decode, HTML's
 * <meta> charset first) is decoded into UTF-8 before anything else.  For
 * plain text in UTF-8 the article's text is the file itself, so that
 * passage offsets are file offsets; for the other formats, and plain text
 * in another charset, it is the text extracted or decoded, one paragraph a
 * line with blank lines between them for markup.
 *
 * No globals: any number of reads may run at once in different threads.
 */
#ifndef SP_READER_H
#define SP_READER_H

#include <stddef.h>

#include "shared/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A JSON line or TREC <DOC> longer than this is reported and skipped (it
 * is still read through, never held whole). */
#define SP_READ_MAX_RECORD (64u << 20)
/* A plain-text or HTML file larger than this (uncompressed) is refused. */
#define SP_READ_MAX_ARTICLE (256u << 20)
/* A NUL byte among the first this many bytes makes the file binary. */
#define SP_READ_SNIFF 8192

/* One article, as the reader hands it over.  Every pointer is non-NULL,
 * NUL-terminated and owned by the reader: valid only during the callback,
 * so copy what you keep. */
typedef struct sp_article_in {
    /* The article's id within its file: "" when the file is one article
     * (plain text, HTML); the "id" (else "url") of a JSON line; the DOCNO
     * of a TREC document; else "line N". */
    const char *id;
    /* "" when none.  Plain text: its first line (sp_article_title); HTML:
     * see sp_read_file; JSON: "title"; TREC: <HEADLINE> or <HL>.  Tags
     * removed, white space collapsed, cut at a word with an ellipsis past
     * SP_TITLE_MAX bytes (so it fits SP_TITLE_MAX + 4 bytes). */
    const char *title;
    /* "YYYY-MM-DD" or "". */
    char date[11];
    /* Each "" when not found.  author from a byline ("By Jane Doe",
     * "Par Jean Dupont", "Von ...") near the top of plain text and HTML,
     * <meta name="author">, JSON "author" (a string, or an array of strings
     * joined with ", "), TREC <BYLINE>.
     * lang is as written in the input ("en", "en-GB"), not checked. */
    const char *author;
    const char *source;
    const char *url;
    const char *lang;
    /* The article's text, len bytes; text[len] is NUL.  Past the first
     * SP_READ_SNIFF bytes a plain-text file may hold NUL bytes: use len. */
    const char *text;
    size_t len;
    /* 1-based line of the (uncompressed) file where the article starts. */
    unsigned long line;
    /* "text", "jsonl", "trec" or "html". */
    const char *format;
    /* "" when the input was UTF-8; else the charset its bytes were
     * decoded from ("windows-1252", "KOI8-R": see sp_charset_decode),
     * and every field above is UTF-8, offsets into text included. */
    const char *charset;
} sp_article_in;

/* The language a's words are analysed in, for the indexer and for what
 * searches it: forced when not NULL, else the one its input names, else
 * the one detected in its text; NULL for the analyzer's default. */
const char *sp_article_in_lang(const sp_article_in *a, const char *forced);

/* Called for each article, in file order.  Return SPSEARCH_OK to go on.
 * Any other status stops the reading: sp_read_file() then returns that
 * status and leaves err alone, so the callback reports its own failure
 * (for instance through an sp_error it holds in ctx). */
typedef spsearch_status_t (*sp_article_fn)(void *ctx, const sp_article_in *a);

/* Reports a record that was skipped (or input that was ignored), with the
 * 1-based line where it starts (0 when not about a line) and a message
 * such as "not JSON: unexpected 'x' at column 17". */
typedef void (*sp_input_warn_fn)(void *ctx, unsigned long line,
                                 const char *msg);

/*
 * Reads the file at path, calls fn for each article in it and warn (which
 * may be NULL) for each record skipped.
 *
 * JSON Lines: fields id, url, title, date, author, source, lang, body and
 * text (body preferred when not blank); others are ignored.  A line that is
 * not a JSON object, has no body or text, or is longer than
 * SP_READ_MAX_RECORD goes to warn and the next line is read.  Blank lines
 * are fine.  date may be ISO 8601, a form sp_article_parse_date() reads, a
 * string holding such a date ("Fri, 01 Aug 2025 09:30:00 GMT") or a number
 * of seconds (or milliseconds) since 1970.
 *
 * TREC: <DOC>...</DOC> records; <DOCNO> id, <HEADLINE>/<HL> title,
 * <DATE>/<DD> date (also "940317", "19940317", "03/17/94"), <BYLINE>
 * author, <TEXT> text (several joined by a blank line).  Tags inside TEXT
 * and blank lines end paragraphs; so do indented lines when the text mixes
 * indented and unindented lines (the AP convention).  A <DOC> without
 * </DOC> or without <TEXT> goes to warn.
 *
 * HTML: the visible text of the page, without script, style, noscript,
 * template, nav, aside, footer, form, svg and the like, nor a <header>
 * outside <article>/<main> (a page banner; the article's own header, with
 * its headline and byline, is kept).  Block elements end paragraphs.  The
 * title is the first visible <h1> when <title> contains it (a title
 * usually adds the site's name) or there is no <title>; else <title>; else
 * the first line of the text.  date: <meta> date/article:published_time,
 * else the first visible <time datetime>, else a dateline in the text.
 * author: <meta name="author">, else a byline.  url: <link
 * rel="canonical">, else og:url; source: og:site_name; lang: <html lang>.
 * The declared charset (<meta charset>, or http-equiv Content-Type) is
 * used when the bytes are not UTF-8.
 *
 * A gzip stream found damaged or truncated after some articles were
 * passed to fn returns SPSEARCH_BAD_INPUT all the same: the articles
 * already passed were whole, but a caller that wants all or nothing of a
 * file must undo them.
 *
 * Returns SPSEARCH_OK when the file was read (even when warn was called);
 * SPSEARCH_BAD_INPUT with a message when the file cannot be used at all:
 * cannot open or read, empty, binary (NUL bytes in the first SP_READ_SNIFF
 * bytes), not gzip although named .gz, truncated or damaged gzip stream,
 * plain text or HTML larger than SP_READ_MAX_ARTICLE or without text;
 * SPSEARCH_NOMEM; or the status fn returned.
 */
spsearch_status_t sp_read_file(const char *path, sp_article_fn fn,
                               sp_input_warn_fn warn, void *ctx,
                               sp_error *err);

/* The same over data[0..len) in memory (which may be gzip), with name
 * (may be NULL) standing for the path when choosing the format: for
 * tests and fuzzing. */
spsearch_status_t sp_read_memory(const char *name, const void *data,
                                 size_t len, sp_article_fn fn,
                                 sp_input_warn_fn warn, void *ctx,
                                 sp_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SP_READER_H */
