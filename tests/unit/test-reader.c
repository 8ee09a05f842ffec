/*
 * test-reader.c - input files to articles: each format from a fixture in
 * tests/fixtures/reader/, then the edge cases, generated in a temporary
 * directory (empty, binary, gzip truncated, damaged or not gzip at all, a
 * 100 MB JSON line, CRLF) or read from memory.
 *
 * Fixtures are found through $top_srcdir, which make check exports.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "shared/reader.h"
#include "tests/unit/tap.h"

#define MAX_SEEN 32

/* An article as the callback saw it, copied. */
struct art {
    char *id, *title, *date, *author, *source, *url, *lang, *format, *text;
    char *charset;
    size_t len;
    unsigned long line;
};

/* One run of the reader: what it passed on, what it warned about. */
struct run {
    struct art a[MAX_SEEN];
    int n;              /* articles seen (may exceed MAX_SEEN) */
    unsigned long wline[MAX_SEEN];
    char wmsg[MAX_SEEN][160];
    int nw;
    int fail_at;        /* return SPSEARCH_IO at this article (1-based) */
    spsearch_status_t st;
    sp_error err;
};

static void *must(void *p)
{
    if (p == NULL) {
        printf("Bail out! out of memory\n");
        exit(99);
    }
    return p;
}

static char *dup_n(const char *s, size_t n)
{
    char *d = must(malloc(n + 1));
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static char *dup_s(const char *s)
{
    return dup_n(s, strlen(s));
}

static spsearch_status_t collect(void *ctx, const sp_article_in *a)
{
    struct run *r = ctx;
    if (r->n < MAX_SEEN) {
        struct art *c = &r->a[r->n];
        c->id = dup_s(a->id);
        c->title = dup_s(a->title);
        c->date = dup_s(a->date);
        c->author = dup_s(a->author);
        c->source = dup_s(a->source);
        c->url = dup_s(a->url);
        c->lang = dup_s(a->lang);
        c->format = dup_s(a->format);
        c->charset = dup_s(a->charset);
        c->text = dup_n(a->text, a->len);
        c->len = a->len;
        c->line = a->line;
    }
    r->n++;
    if (r->fail_at > 0 && r->n == r->fail_at) {
        sp_error_set(&r->err, SPSEARCH_IO, "callback failed on purpose");
        return SPSEARCH_IO;
    }
    return SPSEARCH_OK;
}

static void on_warn(void *ctx, unsigned long line, const char *msg)
{
    struct run *r = ctx;
    if (r->nw < MAX_SEEN) {
        r->wline[r->nw] = line;
        snprintf(r->wmsg[r->nw], sizeof r->wmsg[r->nw], "%s", msg);
    }
    r->nw++;
}

static void run_free(struct run *r)
{
    for (int i = 0; i < r->n && i < MAX_SEEN; i++) {
        struct art *c = &r->a[i];
        free(c->id);
        free(c->title);
        free(c->date);
        free(c->author);
        free(c->source);
        free(c->url);
        free(c->lang);
        free(c->format);
        free(c->charset);
        free(c->text);
    }
    memset(r, 0, sizeof *r);
}

static void run_file(struct run *r, const char *path)
{
    int fail_at = r->fail_at;
    run_free(r);
    r->fail_at = fail_at;
    r->st = sp_read_file(path, collect, on_warn, r, &r->err);
    diag("%s: status %d, %d articles, %d warnings%s%s", path, (int)r->st,
         r->n, r->nw, r->err.msg[0] ? ": " : "", r->err.msg);
}

static void run_mem(struct run *r, const char *name, const char *data,
                    size_t len)
{
    run_free(r);
    r->st = sp_read_memory(name, data, len, collect, on_warn, r, &r->err);
    diag("memory %s: status %d, %d articles, %d warnings%s%s",
         name ? name : "(no name)", (int)r->st, r->n, r->nw,
         r->err.msg[0] ? ": " : "", r->err.msg);
}

static void run_str(struct run *r, const char *name, const char *s)
{
    run_mem(r, name, s, strlen(s));
}

/* A whole file's bytes (malloc'd, NUL-terminated), or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            buf = must(realloc(buf, cap));
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void spew(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        printf("Bail out! cannot write %s\n", path);
        exit(99);
    }
}

/* Writes data as a gzip file (mode "wb", "ab" to add a member). */
static void gz_spew(const char *path, const char *mode, const void *data,
                    size_t len)
{
    gzFile g = gzopen(path, mode);
    if (g == NULL || gzwrite(g, data, (unsigned)len) != (int)len ||
        gzclose(g) != Z_OK) {
        printf("Bail out! cannot write %s\n", path);
        exit(99);
    }
}

static char fixtures[4096];

static const char *fixture(const char *name)
{
    static char path[4200];
    snprintf(path, sizeof path, "%s/%s", fixtures, name);
    return path;
}

/* ------------------------------------------------------------------ */

static void test_text(struct run *r)
{
    size_t len;
    char *want = slurp(fixture("byline.txt"), &len);
    ok(want != NULL, "byline.txt fixture is there");
    run_file(r, fixture("byline.txt"));
    is_long(r->st, SPSEARCH_OK, "text: read");
    is_long(r->n, 1, "text: one article");
    is_long(r->nw, 0, "text: no warnings");
    if (r->n == 1 && want != NULL) {
        struct art *a = &r->a[0];
        is_str(a->format, "text", "text: format");
        is_str(a->id, "", "text: no id within the file");
        is_str(a->title, "Night Ferries Return to Kessel Harbor",
               "text: title is the first line");
        is_str(a->date, "2025-07-31", "text: date from the dateline");
        is_str(a->author, "Marta Ilves", "text: author from the byline");
        is_str(a->source, "", "text: no source");
        is_str(a->url, "", "text: no url");
        is_str(a->lang, "", "text: no lang");
        is_long(a->line, 1, "text: starts on line 1");
        is_long(a->len, len, "text: the whole file");
        ok(a->len == len && memcmp(a->text, want, len) == 0,
           "text: text is the file, byte for byte");
    }
    free(want);

    /* A BOM stays in the text (offsets are file offsets) but not in the
     * title; a long first line is cut with an ellipsis. */
    run_str(r, "bom.txt",
            "\xef\xbb\xbf" "Short headline\n\nBY JANE DOE\n\nBody text.\n");
    if (is_long(r->n, 1, "bom: one article")) {
        is_str(r->a[0].title, "Short headline", "bom: not in the title");
        is_long(r->a[0].len, 43, "bom: still in the text");
        is_str(r->a[0].author, "JANE DOE", "bom: capitals byline");
    }
    run_str(r, "long.txt",
            "The harbor authority on Thursday approved a six-month trial of "
            "night ferry crossings between the old port and the island of "
            "Vaari, the first such service since the route was cut in 1998, "
            "officials said.\n");
    if (is_long(r->n, 1, "long first line: one article"))
        is_str(r->a[0].title,
               "The harbor authority on Thursday approved a six-month trial "
               "of night ferry crossings between the old port and the "
               "island of Vaari, the first such service since"
               "\xe2\x80\xa6",
               "long first line: cut at a word, with an ellipsis");

    /* Bylines: prose that starts with "By" is not one. */
    static const struct {
        const char *text, *author;
    } bylines[] = {
        {"Title\nBy Ana de la Cruz\nBody.\n", "Ana de la Cruz"},
        {"Title\nBy: Jane Q. Public | Reuters\nBody.\n", "Jane Q. Public"},
        {"Title\nBy Tom Berg and Li Wei \xe2\x80\x94 Kessel\nBody.\n",
         "Tom Berg and Li Wei"},
        {"Title\nBy Monday, the council had voted.\nBody.\n", ""},
        {"Title\nBy the end of the week it rained\nBody.\n", ""},
        {"Title\nBy Late Afternoon It Rained.\nBody.\n", ""},
        {"By Jane Doe\nBody text.\n", ""}, /* the title line */
        /* Other languages' "by". */
        {"Titre\nPar Jean-Luc Dupont, Paris\nTexte.\n", "Jean-Luc Dupont"},
        {"Titre\nPar Jean-Luc Dupont\nTexte.\n", "Jean-Luc Dupont"},
        {"Titre\nPar ailleurs, le conseil a vot\xc3\xa9.\nTexte.\n", ""},
        {"Titel\nVon Hans M\xc3\xbcller und Eva Schmidt\nText.\n",
         "Hans M\xc3\xbcller und Eva Schmidt"},
        {"T\xc3\xad" "tulo\nPor Ana Garc\xc3\xad" "a\nTexto.\n",
         "Ana Garc\xc3\xad" "a"},
        {"Titel\nDoor Jan de Vries\nTekst.\n", "Jan de Vries"},
        {"Rubrik\nAv Anna Lindqvist\nText.\n", "Anna Lindqvist"},
    };
    for (size_t i = 0; i < sizeof bylines / sizeof *bylines; i++) {
        run_str(r, "b.txt", bylines[i].text);
        if (r->n == 1)
            is_str(r->a[0].author, bylines[i].author, "byline rule");
        else
            ok(0, "byline rule: one article");
    }
}

static void check_feed(struct run *r, const char *what)
{
    char w[128];
#define W(s) (snprintf(w, sizeof w, "%s: %s", what, s), w)
    is_long(r->st, SPSEARCH_OK, W("read"));
    if (!is_long(r->n, 4, W("four articles")))
        return;
    struct art *a = r->a;
    is_str(a[0].format, "jsonl", W("format"));
    is_str(a[0].id, "kp-0001", W("1: id"));
    is_str(a[0].title, "Harbor Authority Approves Night Ferry Trial",
           W("1: title"));
    is_str(a[0].date, "2025-07-31", W("1: ISO date with a time"));
    is_str(a[0].author, "Marta Ilves, Tom \xc3\x85" "berg",
           W("1: authors joined, \\u00c5 decoded"));
    is_str(a[0].source, "Kessel Post", W("1: source"));
    is_str(a[0].url, "https://news.example.org/kessel/harbor-ferry",
           W("1: url"));
    is_str(a[0].lang, "en", W("1: lang"));
    is_long(a[0].line, 1, W("1: line"));
    is_str(a[0].text,
           "KESSEL \xe2\x80\x94 The harbor authority on Thursday approved a "
           "six-month trial of night ferry crossings.\n\nThe first boat "
           "leaves the old port at 11 p.m. on Aug. 2, officials said.",
           W("1: body, escapes decoded, nested fields skipped"));
    is_long(a[0].len, strlen(a[0].text), W("1: len"));

    is_str(a[1].id, "https://news.example.org/kessel/cafe-reopens",
           W("2: url stands for a missing id"));
    is_str(a[1].title, "Caf\xc3\xa9 \"Mirador\" Reopens After Flood",
           W("2: title with escaped quotes"));
    is_str(a[1].date, "2025-08-01", W("2: dateline-form date"));
    is_str(a[1].author, "Ana de la Cruz", W("2: author string"));
    is_str(a[1].lang, "es", W("2: lang"));
    is_long(a[1].line, 3, W("2: line (after a blank line)"));
    is_str(a[1].text,
           "After three months of repairs the caf\xc3\xa9 opened its doors "
           "again on Friday \xf0\x9f\x8e\x89, with the same menu and a new "
           "floor.",
           W("2: text field, surrogate pair to one UTF-8 character"));

    is_str(a[2].id, "17", W("3: numeric id"));
    is_str(a[2].title, "Council Delays Vote on Bus Lanes",
           W("3: newline in title becomes a space"));
    is_str(a[2].date, "2025-08-01", W("3: date from seconds since 1970"));
    is_long(a[2].line, 5, W("3: line"));

    is_str(a[3].id, "line 7", W("4: no id nor url: the line"));
    is_str(a[3].date, "2025-08-01", W("4: RFC 822 date"));
    is_str(a[3].text,
           "Wheat futures fell for a third day as rain returned to the "
           "southern plains, traders said.",
           W("4: blank body: text used"));
    is_long(a[3].line, 7, W("4: line"));

    if (is_long(r->nw, 2, W("two warnings"))) {
        is_long(r->wline[0], 4, W("bad line reported with its number"));
        is_str(r->wmsg[0], "not JSON: unterminated string at column 34",
               W("bad line message"));
        is_long(r->wline[1], 6, W("bodiless line reported"));
        is_str(r->wmsg[1], "no body or text field", W("bodiless message"));
    }
#undef W
}

static void test_jsonl(struct run *r)
{
    size_t len;
    char *feed = slurp(fixture("feed.jsonl"), &len);
    ok(feed != NULL, "feed.jsonl fixture is there");
    if (feed == NULL)
        return;
    run_file(r, fixture("feed.jsonl"));
    check_feed(r, "jsonl");

    gz_spew("feed.jsonl.gz", "wb", feed, len);
    run_file(r, "feed.jsonl.gz");
    check_feed(r, "jsonl.gz");

    /* Gzip magic and '{' make the format without any extension. */
    gz_spew("feed", "wb", feed, len);
    run_file(r, "feed");
    check_feed(r, "gzip sniffed, JSON sniffed");

    /* Two gzip members one after the other read as one stream. */
    size_t half = 0;
    for (size_t i = 0, lines = 0; i < len && lines < 3; i++)
        if (feed[i] == '\n') {
            lines++;
            half = i + 1;
        }
    gz_spew("members.jsonl.gz", "wb", feed, half);
    gz_spew("members.jsonl.gz", "ab", feed + half, len - half);
    run_file(r, "members.jsonl.gz");
    check_feed(r, "two gzip members");

    /* Junk after the gzip stream is ignored with a warning. */
    size_t glen;
    char *gz = slurp("feed.jsonl.gz", &glen);
    if (gz != NULL) {
        char *junk = must(malloc(glen + 5));
        memcpy(junk, gz, glen);
        memcpy(junk + glen, "junk\n", 5);
        spew("junk.jsonl.gz", junk, glen + 5);
        run_file(r, "junk.jsonl.gz");
        is_long(r->st, SPSEARCH_OK, "trailing junk: read");
        is_long(r->n, 4, "trailing junk: four articles");
        if (is_long(r->nw, 3, "trailing junk: one more warning")) {
            is_long(r->wline[2], 0, "trailing junk: not about a line");
            is_str(r->wmsg[2], "data after the end of the gzip stream ignored",
                   "trailing junk: message");
        }
        free(junk);
    }

    /* CRLF line ends. */
    const char *crlf =
        "{\"id\":\"a\",\"body\":\"First.\"}\r\n"
        "\r\n"
        "{\"id\":\"b\",\"title\":\"Two\",\"body\":\"Second.\"}\r\n"
        "{\"id\":\"c\" \"body\":\"x\"}\r\n";
    spew("crlf.jsonl", crlf, strlen(crlf));
    run_file(r, "crlf.jsonl");
    is_long(r->st, SPSEARCH_OK, "crlf: read");
    if (is_long(r->n, 2, "crlf: two articles")) {
        is_str(r->a[0].text, "First.", "crlf: no CR in the text");
        is_str(r->a[1].id, "b", "crlf: second id");
        is_long(r->a[1].line, 3, "crlf: second line number");
    }
    if (is_long(r->nw, 1, "crlf: one warning")) {
        is_long(r->wline[0], 4, "crlf: bad line number");
        is_str(r->wmsg[0], "not JSON: unexpected '\"' at column 11",
               "crlf: bad line message");
    }
    free(gz);
    free(feed);
}

/* One line of JSON, and what becomes of it. */
static void test_json_parser(struct run *r)
{
    static const struct {
        const char *line;
        const char *warning; /* NULL: read */
        const char *text;    /* the article's text when read */
    } cases[] = {
        {"{\"body\":\"a\" \"x\":1}",
         "not JSON: unexpected '\"' at column 13", NULL},
        {"{\"body\":\"bad \\q\"}", "not JSON: bad escape at column 14", NULL},
        {"{\"body\":\"\\u12G4\"}", "not JSON: bad \\u escape at column 10",
         NULL},
        {"{\"body\":\"tab\there\"}",
         "not JSON: control character in string at column 13", NULL},
        {"[1, 2]", "not a JSON object", NULL},
        {"{\"body\":\"x\"} trailing", "not JSON: unexpected 't' at column 14",
         NULL},
        {"{\"body\":\"x\",\"n\":01}", "not JSON: unexpected '1' at column 18",
         NULL},
        {"{\"body\":\"x\",\"n\":1.}", "not JSON: bad number at column 17",
         NULL},
        {"{\"body\":\"x\",\"n\":tru}", "not JSON: unexpected 't' at column 17",
         NULL},
        {"{\"body\":\"x\",}", "not JSON: unexpected '}' at column 13", NULL},
        {"{\"body\":\"x\"", "not JSON: unexpected end of line at column 12",
         NULL},
        {"{\"body\" \"x\"}", "not JSON: unexpected '\"' at column 9", NULL},
        {"{\"text\":\"\"}", "empty body", NULL},
        {"{\"body\":null}", "no body or text field", NULL},
        {"{}", "no body or text field", NULL},
        /* Read. */
        {"{\"body\":\"\\ud800 lone \\udc00, nul \\u0000.\"}", NULL,
         "\xef\xbf\xbd lone \xef\xbf\xbd, nul \xef\xbf\xbd."},
        {"{\"body\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", NULL,
         "\"\\/\b\f\n\r\t"},
        /* Bytes that are not UTF-8: the line is read as Windows-1252. */
        {"{\"body\":\"raw \xff\xfe bytes \xc3\"}", NULL,
         "raw \xc3\xbf\xc3\xbe bytes \xc3\x83"},
        {"{\"body\":\"first\",\"body\":\"last\"}", NULL, "last"},
        {" {\"a\":[],\"b\":{},\"c\":[[{}]],\"d\":-0.5E+2,\"body\":\"x\"} ",
         NULL, "x"},
    };
    char what[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        run_str(r, "case.jsonl", cases[i].line);
        snprintf(what, sizeof what, "json: %s", cases[i].line);
        if (cases[i].warning != NULL) {
            ok(r->st == SPSEARCH_OK && r->n == 0 && r->nw == 1 &&
               r->wline[0] == 1 && strcmp(r->wmsg[0], cases[i].warning) == 0,
               what);
            if (r->nw > 0)
                is_str(r->wmsg[0], cases[i].warning, "json: the warning");
        } else {
            ok(r->st == SPSEARCH_OK && r->n == 1 && r->nw == 0, what);
            if (r->n == 1)
                is_str(r->a[0].text, cases[i].text, "json: the text");
        }
    }

    /* Nesting: skipped when shallow, refused when absurdly deep. */
    char deep[1200];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "{\"body\":\"x\",\"n\":");
    for (int k = 0; k < 300; k++)
        deep[n++] = '[';
    for (int k = 0; k < 300; k++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    run_str(r, "deep.jsonl", deep);
    ok(r->n == 0 && r->nw == 1, "json: 300 levels deep is refused");
    if (r->nw == 1)
        is_str(r->wmsg[0], "not JSON: nesting too deep at column 272",
               "json: nesting message");

    /* Found by fuzzing: an empty first author in an array. */
    run_str(r, "a.jsonl", "{\"author\":[\"\"],\"body\":\"x\"}");
    if (is_long(r->n, 1, "json: empty author in an array"))
        is_str(r->a[0].author, "", "json: empty author skipped");

    /* Authors: strings and objects' names of an array, other values and
     * links skipped. */
    run_str(r, "a.jsonl",
            "{\"author\":[\"A. Berg\",1,{\"name\":\"x\",\"id\":[2]},\"\","
            "{\"url\":\"u\"},\"https://staff.example/7\",\"Li Wei\"],"
            "\"body\":\"x\"}");
    if (is_long(r->n, 1, "json authors: read"))
        is_str(r->a[0].author, "A. Berg, x, Li Wei", "json authors: joined");

    /* A body written as HTML is read as a page's text; one that only
     * mentions a tag is not. */
    run_str(r, "h.jsonl",
            "{\"content\":\"<p>The <b>zebra</b> crossed &amp; left.</p>"
            "<p>Second <a href=\\\"http://x\\\">para</a>.<script>x()"
            "</script></p>\"}\n"
            "{\"text\":\"Use a < b, not a<c> tag.\"}\n"
            "{\"text\":\"<p> </p><br>\"}\n");
    if (is_long(r->n, 2, "json html: two articles")) {
        is_str(r->a[0].text, "The zebra crossed & left.\n\nSecond para.",
               "json html: the visible text, entities decoded");
        is_str(r->a[1].text, "Use a < b, not a<c> tag.",
               "json html: prose with a '<' stays as written");
    }
    if (is_long(r->nw, 1, "json html: one warning"))
        is_str(r->wmsg[0], "empty body", "json html: markup only is empty");

    /* The names other feeds use: a NewsAPI article, an RSS-born item. */
    run_str(r, "news.jsonl",
            "{\"source\":{\"id\":\"bbc-news\",\"name\":\"BBC News\"},"
            "\"author\":\"Jane Roe\",\"title\":\"Ferry trial begins\","
            "\"description\":\"A summary.\",\"url\":\"https://b.example/1\","
            "\"publishedAt\":\"2025-07-29T08:00:00Z\","
            "\"content\":\"The trial began.\"}\n"
            "{\"headline\":\"Second\",\"pubDate\":\"Wed, 30 Jul 2025 10:00:00 "
            "GMT\",\"link\":\"https://x.example/2\",\"guid\":\"g-2\","
            "\"byline\":\"By Lena Varga\",\"summary\":\"Only a summary.\"}\n"
            "{\"date\":\"2025-01-01\",\"published\":\"2024-01-01\","
            "\"text\":\"t\",\"content\":\"c\",\"language\":\"de\"}\n");
    if (is_long(r->n, 3, "json aliases: three articles")) {
        struct art *a = &r->a[0];
        is_str(a->text, "The trial began.",
               "json aliases: \"content\" before \"description\"");
        is_str(a->date, "2025-07-29", "json aliases: \"publishedAt\"");
        is_str(a->source, "BBC News", "json aliases: a source object's name");
        is_str(a->id, "https://b.example/1", "json aliases: url as the id");
        a = &r->a[1];
        is_str(a->title, "Second", "json aliases: \"headline\"");
        is_str(a->date, "2025-07-30", "json aliases: an RSS \"pubDate\"");
        is_str(a->url, "https://x.example/2", "json aliases: \"link\"");
        is_str(a->id, "g-2", "json aliases: \"guid\"");
        is_str(a->author, "By Lena Varga", "json aliases: \"byline\"");
        is_str(a->text, "Only a summary.",
               "json aliases: a summary when there is no other text");
        a = &r->a[2];
        is_str(a->date, "2025-01-01",
               "json aliases: \"date\" wins over \"published\" after it");
        is_str(a->text, "t", "json aliases: \"text\" over \"content\"");
        is_str(a->lang, "de", "json aliases: \"language\"");
    }

    /* Dates. */
    static const struct {
        const char *value, *date;
    } dates[] = {
        {"\"2025-08-01\"", "2025-08-01"},
        {"\"2025-08-01T23:59:59-07:00\"", "2025-08-01"},
        {"\"August 1, 2025\"", "2025-08-01"},
        {"\"1 Aug 2025\"", "2025-08-01"},
        {"\"Friday, August 1, 2025 6:30 AM\"", "2025-08-01"},
        {"1754029800", "2025-08-01"},
        {"1754029800000", "2025-08-01"},
        {"\"yesterday\"", ""},
        {"-5", ""},
        {"null", ""},
    };
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        char line[160];
        snprintf(line, sizeof line, "{\"date\":%s,\"body\":\"x\"}",
                 dates[i].value);
        run_str(r, "d.jsonl", line);
        snprintf(what, sizeof what, "json date %s", dates[i].value);
        if (r->n == 1)
            is_str(r->a[0].date, dates[i].date, what);
        else
            ok(0, what);
    }

    /* A BOM before the first line is fine. */
    run_str(r, "bom.jsonl", "\xef\xbb\xbf{\"body\":\"x\"}\n");
    is_long(r->n, 1, "json: BOM before the first line");
}

static void test_big_line(struct run *r)
{
    /* 100 MB of body on line 2: skipped, named, and line 3 still read. */
    FILE *f = fopen("big.jsonl", "wb");
    if (f == NULL) {
        printf("Bail out! cannot write big.jsonl\n");
        exit(99);
    }
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    fputs("{\"id\":\"before\",\"body\":\"Before the big one.\"}\n", f);
    fputs("{\"id\":\"big\",\"body\":\"", f);
    for (int i = 0; i < 100; i++)
        fwrite(block, 1, sizeof block, f);
    fputs("\"}\n", f);
    fputs("{\"id\":\"after\",\"body\":\"After the big one.\"}\n", f);
    if (fclose(f) != 0) {
        printf("Bail out! cannot write big.jsonl\n");
        exit(99);
    }
    run_file(r, "big.jsonl");
    is_long(r->st, SPSEARCH_OK, "100 MB line: file read");
    if (is_long(r->n, 2, "100 MB line: the two others read")) {
        is_str(r->a[0].id, "before", "100 MB line: line 1");
        is_str(r->a[1].id, "after", "100 MB line: line 3 after it");
        is_long(r->a[1].line, 3, "100 MB line: line 3 numbered");
    }
    if (is_long(r->nw, 1, "100 MB line: one warning")) {
        is_long(r->wline[0], 2, "100 MB line: names line 2");
        is_str(r->wmsg[0], "line longer than 64 MB, skipped",
               "100 MB line: message");
    }
    remove("big.jsonl");
}

static void test_trec(struct run *r)
{
    run_file(r, fixture("wire.trec"));
    is_long(r->st, SPSEARCH_OK, "trec: read");
    is_long(r->nw, 0, "trec: no warnings");
    if (!is_long(r->n, 3, "trec: three documents"))
        return;
    struct art *a = r->a;
    is_str(a[0].format, "trec", "trec: format");
    is_str(a[0].id, "KPW19940315-0001", "trec 1: DOCNO");
    is_str(a[0].title, "Harbor Authority Approves Night Ferry Trial",
           "trec 1: HEADLINE with <P> and a line break");
    is_str(a[0].date, "1994-03-15", "trec 1: DATE with weekday and edition");
    is_str(a[0].author, "MARTA ILVES", "trec 1: BYLINE");
    is_long(a[0].line, 1, "trec 1: line");
    is_str(a[0].text,
           "The Kessel Harbor Authority on Monday approved a six-month trial "
           "of night ferry crossings between the old port and the island of "
           "Vaari.\n\nOfficials said the first boat would leave the old port "
           "at 11 p.m. on April 2, weather permitting.",
           "trec 1: <P> paragraphs, lines joined, other elements dropped");

    is_str(a[1].id, "KPW19940316-0014", "trec 2: DOCNO");
    is_str(a[1].title, "Grain Prices Ease As Rain Returns to Plains",
           "trec 2: HL");
    is_str(a[1].date, "1994-03-16", "trec 2: DD as MM/DD/YY");
    is_str(a[1].author, "", "trec 2: no byline");
    is_long(a[1].line, 23, "trec 2: line");
    is_str(a[1].text,
           "Wheat futures fell for a third day on Wednesday as rain returned "
           "to the southern plains, traders said.\n\n\"The market had priced "
           "in a drought that never came,\" said one broker in Kessel.",
           "trec 2: indented lines start paragraphs");

    is_str(a[2].title, "Smith & Sons Wins \"Best Loaf\" Prize",
           "trec 3: entities in the headline");
    is_str(a[2].date, "1994-03-17", "trec 3: DATE as YYMMDD");
    is_long(a[2].line, 36, "trec 3: line");
    is_str(a[2].text,
           "Judges praised the bakery's rye \xe2\x80\x94 <crisp> outside, "
           "soft inside \xe2\x80\x94 and its caf\xc3\xa9 prices.\n\nThe prize "
           "carries no money\xe2\x80\xa6 only a brass plate.",
           "trec 3: entities decoded, two TEXTs joined by a blank line");

    /* Broken documents: each reported with the line of its <DOC>. */
    run_str(r, "broken.trec",
            "<DOC>\n<DOCNO> A </DOCNO>\n<TEXT>\nno end tag\n</TEXT>\n"
            "<DOC>\n<DOCNO> B </DOCNO>\n<HEADLINE>No text</HEADLINE>\n"
            "</DOC>\n"
            "stray words\n"
            "<DOC><DOCNO>C</DOCNO><DATE>12/31/1999</DATE><TEXT>One line, "
            "a < b &amp; AT&T.</TEXT></DOC>\n"
            "<DOC>\n<TEXT>\n\n</TEXT>\n</DOC>\n"
            "<DOC>\n<TEXT>\nNo DOCNO, no end.\n");
    is_long(r->st, SPSEARCH_OK, "broken trec: read");
    if (is_long(r->n, 1, "broken trec: one good document")) {
        is_str(r->a[0].id, "C", "broken trec: the one-line document");
        is_str(r->a[0].date, "1999-12-31", "broken trec: MM/DD/YYYY");
        is_str(r->a[0].text, "One line, a < b & AT&T.",
               "broken trec: stray '<' and '&' kept");
        is_long(r->a[0].line, 11, "broken trec: its line");
    }
    if (is_long(r->nw, 5, "broken trec: five warnings")) {
        is_long(r->wline[0], 1, "broken trec: unclosed <DOC> line");
        is_str(r->wmsg[0], "<DOC> without </DOC>, skipped",
               "broken trec: unclosed <DOC>");
        is_long(r->wline[1], 6, "broken trec: no <TEXT> line");
        is_str(r->wmsg[1], "<DOC> without <TEXT>, skipped",
               "broken trec: no <TEXT>");
        is_long(r->wline[2], 10, "broken trec: stray text line");
        is_str(r->wmsg[2], "text outside <DOC>...</DOC> ignored",
               "broken trec: stray text");
        is_long(r->wline[3], 12, "broken trec: empty <TEXT> line");
        is_str(r->wmsg[3], "empty <TEXT>, skipped", "broken trec: empty");
        is_long(r->wline[4], 17, "broken trec: cut at the end line");
        is_str(r->wmsg[4],
               "<DOC> without </DOC> at the end of the file, skipped",
               "broken trec: cut at the end");
    }

    /* No DOCNO: the line stands for the id; dates in other forms. */
    static const struct {
        const char *date, *want;
    } dates[] = {
        {"<DATE>19940317</DATE>", "1994-03-17"},
        {"<DD> = 870923 </DD>", "1987-09-23"},
        {"<DATE>1994-03-17</DATE>", "1994-03-17"},
        {"<DATE><P>17 March 1994</P></DATE>", "1994-03-17"},
        {"<DATE>Spring</DATE>", ""},
        {"<DATE>941317</DATE>", ""},
        /* Found by fuzzing: a digit run that overflowed an int. */
        {"<DATE>3333333333333333333333/1/94</DATE>", ""},
        {"<DATE>1/3333333333333333333333/94 March 1, 1994</DATE>",
         "1994-03-01"},
    };
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        char doc[256];
        snprintf(doc, sizeof doc, "\n<doc>\n%s\n<text>Body.</text>\n</doc>\n",
                 dates[i].date);
        run_str(r, NULL, doc);
        if (r->n == 1) {
            is_str(r->a[0].date, dates[i].want, dates[i].date);
            is_str(r->a[0].id, "line 2", "trec: no DOCNO, the line");
        } else {
            ok(0, dates[i].date);
        }
    }
}

static void test_html(struct run *r)
{
    run_file(r, fixture("article.html"));
    is_long(r->st, SPSEARCH_OK, "html: read");
    is_long(r->nw, 0, "html: no warnings");
    if (is_long(r->n, 1, "html: one article")) {
        struct art *a = &r->a[0];
        is_str(a->format, "html", "html: format");
        is_str(a->id, "", "html: no id within the file");
        is_str(a->title, "Night Ferry Trial Approved",
               "html: the h1, which <title> holds with the site's name");
        is_str(a->date, "2025-07-31", "html: article:published_time");
        is_str(a->author, "Marta Ilves", "html: meta author");
        is_str(a->source, "Kessel Post", "html: og:site_name");
        is_str(a->url, "https://news.example.org/kessel/harbor-ferry?ref=a&b=1",
               "html: canonical link, entity decoded");
        is_str(a->lang, "en-GB", "html: <html lang>");
        is_long(a->line, 1, "html: line");
        is_str(a->text,
               "Night Ferry Trial Approved\n\n"
               "By Marta Ilves\n\n"
               "3 August 2025\n\n"
               "The Kessel Harbor Authority on Thursday approved a "
               "six\xe2\x80\x91month trial of night ferry crossings "
               "\xe2\x80\x94 the first since 1998.\n\n"
               "\xe2\x80\x9cIt\xe2\x80\x99s about time,\xe2\x80\x9d said Lena "
               "Varga, who commutes from Vaari.\n"
               "Tickets cost \xe2\x82\xac" "4 & go on sale Monday"
               "\xe2\x80\xa6\n\n"
               "The MV Vaari at dusk.\n\n"
               "Departures: 23:00\nReturns: 05:30",
               "html: visible text only, blocks as paragraphs");
    }

    /* Without meta data: a byline and a dateline in the text, and the
     * title when it does not hold the h1. */
    run_str(r, "p.htm",
            "<html><head><title>Ferry news</title></head><body>"
            "<div class=\"promo\"><h1>Subscribe today</h1></div>"
            "<p>By Lena Varga</p>"
            "<p>KESSEL, Aug. 2, 2025 &#151; Crossings begin&#x3A; "
            "AT&T, &bogus; &#0; &#xD800; caf&Eacute;</p>"
            "<pre>line one\nline   two</pre>"
            "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>"
            "<p>x &lt;<b>y</b>&gt; z<wbr>w &nbsp; q<p>unclosed"
            "<svg><title>icon</title><text>svg text</text></svg></body>"
            "</html>");
    if (is_long(r->n, 1, "html 2: one article")) {
        struct art *a = &r->a[0];
        is_str(a->title, "Ferry news", "html 2: <title> not holding the h1");
        is_str(a->author, "Lena Varga", "html 2: byline in the text");
        is_str(a->date, "2025-08-02", "html 2: dateline in the text");
        is_str(a->text,
               "Subscribe today\n\nBy Lena Varga\n\n"
               "KESSEL, Aug. 2, 2025 \xe2\x80\x94 Crossings begin: AT&T, "
               "&bogus; \xef\xbf\xbd \xef\xbf\xbd caf\xc3\x89\n\n"
               "line one\nline two\n\n"
               "a b\nc\n\n"
               "x <y> zw q\n\nunclosed",
               "html 2: entities, pre, table, inline tags, svg skipped");
    }

    /* No title and no h1: the first line; sniffed by content. */
    run_str(r, NULL,
            "<!-- saved page -->\n<!doctype HTML>\n<p>Only a paragraph "
            "here.</p><p>And another.</p>");
    if (is_long(r->n, 1, "html 3: sniffed after a comment")) {
        is_str(r->a[0].format, "html", "html 3: format");
        is_str(r->a[0].title, "Only a paragraph here.",
               "html 3: title from the first line");
    }

    /* A news page's schema.org data: the article's object wins over a
     * list of related ones given first, authors are joined, an author's
     * employer is not an author, and broken data costs nothing. */
    run_str(r, "ld.html",
            "<html><head><title>Ferry | Kessel Post</title>"
            "<script type=\"application/ld+json\">{\"@context\":"
            "\"https://schema.org\",\"@type\":\"ItemList\","
            "\"itemListElement\":[{\"@type\":\"ListItem\",\"item\":"
            "{\"@type\":\"WebPage\",\"headline\":\"Related story\","
            "\"datePublished\":\"2020-01-01\"}}]}</script>"
            "<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":"
            "\"WebSite\",\"name\":\"Kessel Post\"},{\"headline\":"
            "\"Night ferry trial approved\",\"@type\":[\"NewsArticle\"],"
            "\"datePublished\":\"2025-07-29T08:00:00+02:00\",\"author\":"
            "[{\"@type\":\"Person\",\"name\":\"Kari Nordmann\","
            "\"worksFor\":{\"name\":\"Harbor Desk\"}},\"Tom \\u00c5berg\","
            "\"https://kessel.example/staff/x\"],\"publisher\":{\"@type\":"
            "\"Organization\",\"name\":\"Kessel Post\",\"logo\":{\"@type\":"
            "\"ImageObject\",\"name\":\"logo\"}}}]}</script>"
            "<script type=\"application/ld+json\">{\"headline\": broken"
            "</script></head><body><p>The ferry runs at night.</p>"
            "</body></html>");
    if (is_long(r->n, 1, "json-ld: one article")) {
        struct art *a = &r->a[0];
        is_str(a->title, "Night ferry trial approved",
               "json-ld: the article's headline, not a related one's");
        is_str(a->date, "2025-07-29", "json-ld: datePublished");
        is_str(a->author, "Kari Nordmann, Tom \xc3\x85" "berg",
               "json-ld: authors joined, not their employer or a link");
        is_str(a->source, "Kessel Post", "json-ld: the publisher's name");
        is_long(r->nw, 0, "json-ld: broken data is no warning");
    }
    /* Meta tags and an h1 that <title> holds come first. */
    run_str(r, "ld2.html",
            "<html><head><title>Ferry trial | Post</title>"
            "<meta name=\"author\" content=\"Lena Varga\">"
            "<meta property=\"article:published_time\" "
            "content=\"2025-08-02\">"
            "<script type=\"application/ld+json\">{\"@type\":\"Article\","
            "\"headline\":\"Other\",\"datePublished\":\"2025-01-01\","
            "\"author\":\"Someone Else\"}</script></head>"
            "<body><h1>Ferry trial</h1><p>Text.</p></body></html>");
    if (is_long(r->n, 1, "json-ld 2: one article")) {
        struct art *a = &r->a[0];
        is_str(a->title, "Ferry trial", "json-ld 2: the h1 <title> holds");
        is_str(a->date, "2025-08-02", "json-ld 2: the meta date");
        is_str(a->author, "Lena Varga", "json-ld 2: the meta author");
    }

    run_str(r, "empty.html",
            "<html><head><title>T</title><script>x()</script></head>"
            "<body><nav>Menu</nav></body></html>");
    is_long(r->st, SPSEARCH_BAD_INPUT, "html 4: nothing visible");
    is_str(r->err.msg, "no visible text", "html 4: message");
    is_long(r->n, 0, "html 4: no article");
}

static void test_sniffing(struct run *r)
{
    static const struct {
        const char *fixture, *copy, *format;
    } cases[] = {
        {"article.html", "page", "html"},
        {"wire.trec", "wire.dat", "trec"},
        {"byline.txt", "notes", "text"},
        {"feed.jsonl", "feed.log", "jsonl"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len;
        char *data = slurp(fixture(cases[i].fixture), &len);
        if (data == NULL) {
            ok(0, cases[i].fixture);
            continue;
        }
        spew(cases[i].copy, data, len);
        free(data);
        run_file(r, cases[i].copy);
        ok(r->st == SPSEARCH_OK && r->n > 0, cases[i].copy);
        if (r->n > 0)
            is_str(r->a[0].format, cases[i].format, "format by content");
    }
    /* The extension wins over the content. */
    run_str(r, "x.txt", "{\"body\":\"x\"}\n");
    if (is_long(r->n, 1, ".txt holding JSON: one article"))
        is_str(r->a[0].format, "text", ".txt holding JSON is text");
    run_str(r, "x.jsonl", "plain words\n");
    is_long(r->n, 0, ".jsonl holding text: no article");
    is_long(r->nw, 1, ".jsonl holding text: a warning");
}

/* Article i of the last run: its charset, and its title and text when
 * not NULL. */
static void expect_article(struct run *r, int i, const char *charset,
                           const char *title, const char *text,
                           const char *what)
{
    char d[200];
    if (r->n <= i) {
        snprintf(d, sizeof d, "%s: article %d read", what, i + 1);
        ok(0, d);
        return;
    }
    snprintf(d, sizeof d, "%s: charset", what);
    is_str(r->a[i].charset, charset, d);
    if (title != NULL) {
        snprintf(d, sizeof d, "%s: title", what);
        is_str(r->a[i].title, title, d);
    }
    if (text != NULL) {
        snprintf(d, sizeof d, "%s: text", what);
        is_str(r->a[i].text, text, d);
        snprintf(d, sizeof d, "%s: length", what);
        is_long((long)r->a[i].len, (long)strlen(text), d);
    }
}

/* Input that is not UTF-8 comes out as UTF-8, whatever the format. */
static void test_charsets(struct run *r)
{
    /* ISO-8859-1, with Windows-1252's curly quotes (0x93, 0x94) and euro
     * sign (0x80). */
    run_str(r, "latin1.txt",
            "Caf\xe9 cr\xe8me\n\nLe \x93march\xe9\x94 \xe0 Z\xfcrich: 5 \x80.\n");
    expect_article(r, 0, "windows-1252", "Café crème",
                   "Café crème\n\nLe “marché” à Zürich: 5 €.\n",
                   "ISO-8859-1 text, read as Windows-1252");
    run_str(r, "utf8.txt", "Caf\xc3\xa9 cr\xc3\xa8me, na\xc3\xafve \xff\n");
    expect_article(r, 0, "", NULL,
                   "Caf\xc3\xa9 cr\xc3\xa8me, na\xc3\xafve \xff\n",
                   "UTF-8 with a damaged byte stays as it is");
    run_str(r, "bom.txt", "\xef\xbb\xbf" "Caf\xe9\n");
    expect_article(r, 0, "", NULL, NULL,
                   "a byte order mark says UTF-8 whatever follows");
    /* Russian in KOI8-R, with no declaration: ICU's detector knows it. */
    run_str(r, "koi8.txt",
            "\xf0\xd2\xc5\xda\xc9\xc4\xc5\xce\xd4 \xf2\xcf\xd3\xd3\xc9\xc9 "
            "\xda\xc1\xd1\xd7\xc9\xcc, \xde\xd4\xcf \xd0\xc5\xd2\xc5\xc7\xcf"
            "\xd7\xcf\xd2\xd9 \xd3 \xc1\xcd\xc5\xd2\xc9\xcb\xc1\xce\xd3\xcb"
            "\xcf\xca \xd3\xd4\xcf\xd2\xcf\xce\xcf\xca \xd0\xd2\xcf\xc4\xcf"
            "\xcc\xd6\xc1\xd4\xd3\xd1.\n");
    expect_article(r, 0, "KOI8-R", NULL,
                   "Президент России заявил, что переговоры с американской "
                   "стороной продолжатся.\n",
                   "KOI8-R text, detected");
    /* HTML: the charset its <meta> declares, entities decoded after. */
    run_str(r, "page.html",
            "<html><head><meta http-equiv=\"Content-Type\" "
            "content=\"text/html; charset=windows-1251\">"
            "<title>\xcd\xee\xe2\xee\xf1\xf2\xe8</title></head><body>"
            "<p>\xcc\xee\xf1\xea\xe2\xe0 &amp; caf&eacute;</p></body></html>");
    expect_article(r, 0, "windows-1251", "Новости", "Москва & café",
                   "HTML in the Windows-1251 its <meta> declares");
    run_str(r, "wrong.html",
            "<html><head><meta charset=\"iso-8859-1\"></head><body>"
            "<p>Caf\xc3\xa9 cr\xc3\xa8me</p></body></html>");
    expect_article(r, 0, "", NULL, "Café crème",
                   "HTML declared ISO-8859-1 that is UTF-8, read as UTF-8");
    /* TREC documents and JSON lines are decoded one by one. */
    run_str(r, "wire.trec",
            "<DOC>\n<DOCNO>A1</DOCNO>\n<HEADLINE>\xc9lection</HEADLINE>\n"
            "<TEXT>\nLes \xe9lecteurs ont vot\xe9.\n</TEXT>\n</DOC>\n"
            "<DOC>\n<DOCNO>A2</DOCNO>\n<TEXT>\nD\xc3\xa9j\xc3\xa0 vu.\n"
            "</TEXT>\n</DOC>\n");
    is_long(r->n, 2, "TREC, a document in each charset: both read");
    expect_article(r, 0, "windows-1252", "Élection",
                   "Les électeurs ont voté.", "TREC, the first decoded");
    expect_article(r, 1, "", NULL, "Déjà vu.", "TREC, the second UTF-8");
    run_str(r, "feed.jsonl",
            "{\"title\":\"Cr\xe8me\",\"body\":\"Le p\xe2tissier.\"}\n"
            "{\"title\":\"Na\xc3\xafve\",\"body\":\"D\xc3\xa9j\xc3\xa0.\"}\n");
    is_long(r->n, 2, "JSON Lines, a line in each charset: both read");
    expect_article(r, 0, "windows-1252", "Crème", "Le pâtissier.",
                   "JSON Lines, the first decoded");
    expect_article(r, 1, "", "Naïve", "Déjà.", "JSON Lines, the second UTF-8");
}

static void test_bad_files(struct run *r)
{
    run_file(r, "no-such-file.txt");
    is_long(r->st, SPSEARCH_BAD_INPUT, "missing file");
    is_str(r->err.msg, "cannot open: No such file or directory",
           "missing file: message");

    spew("empty.txt", "", 0);
    run_file(r, "empty.txt");
    is_long(r->st, SPSEARCH_BAD_INPUT, "empty file");
    is_str(r->err.msg, "empty file", "empty file: message");

    spew("blank.txt", " \n\t\n", 4);
    run_file(r, "blank.txt");
    is_long(r->st, SPSEARCH_BAD_INPUT, "blank file");
    is_str(r->err.msg, "no text", "blank file: message");

    gz_spew("empty.txt.gz", "wb", "", 0);
    run_file(r, "empty.txt.gz");
    is_long(r->st, SPSEARCH_BAD_INPUT, "gzip of nothing");
    is_str(r->err.msg, "empty file", "gzip of nothing: message");

    static const char bin[] = "GIF89a\0\0\x01\x02 some words";
    spew("image.txt", bin, sizeof bin - 1);
    run_file(r, "image.txt");
    is_long(r->st, SPSEARCH_BAD_INPUT, "binary file");
    is_str(r->err.msg, "binary file (holds NUL bytes)",
           "binary file: message");
    gz_spew("image.gz", "wb", bin, sizeof bin - 1);
    run_file(r, "image.gz");
    is_long(r->st, SPSEARCH_BAD_INPUT, "binary inside gzip");

    spew("fake.jsonl.gz", "{\"body\":\"x\"}\n", 13);
    run_file(r, "fake.jsonl.gz");
    is_long(r->st, SPSEARCH_BAD_INPUT, ".gz that is not gzip");
    is_str(r->err.msg, "not a gzip file", ".gz that is not gzip: message");
    is_long(r->n, 0, ".gz that is not gzip: nothing read");

    run_file(r, ".");
    is_long(r->st, SPSEARCH_BAD_INPUT, "a directory");
    is_str(r->err.msg, "cannot read: Is a directory", "a directory: message");
}

static void test_damaged_gzip(struct run *r)
{
    /* 4000 records, compressed, then cut in half: the records before the
     * cut are passed on whole, then the file fails. */
    size_t cap = 4000 * 96, len = 0;
    char *jsonl = must(malloc(cap));
    for (int i = 0; i < 4000; i++)
        len += (size_t)snprintf(jsonl + len, cap - len,
                                "{\"id\":\"r%d\",\"body\":\"Record %d of the "
                                "wire, number %d.\"}\n",
                                i, i, i * 7919 % 10007);
    gz_spew("whole.jsonl.gz", "wb", jsonl, len);
    size_t glen;
    char *gz = slurp("whole.jsonl.gz", &glen);
    if (gz == NULL) {
        ok(0, "whole.jsonl.gz written");
        free(jsonl);
        return;
    }
    run_file(r, "whole.jsonl.gz");
    is_long(r->st, SPSEARCH_OK, "gzip: whole file read");
    is_long(r->n, 4000, "gzip: all records");

    spew("cut.jsonl.gz", gz, glen / 2);
    run_file(r, "cut.jsonl.gz");
    is_long(r->st, SPSEARCH_BAD_INPUT, "truncated gzip: refused");
    is_str(r->err.msg, "truncated gzip stream", "truncated gzip: message");
    ok(r->n > 0 && r->n < 4000, "truncated gzip: records before the cut");
    int whole = 1;
    for (int i = 0; i < r->n && i < MAX_SEEN; i++) {
        char want[96];
        snprintf(want, sizeof want, "r%d", i);
        whole = whole && strcmp(r->a[i].id, want) == 0;
    }
    ok(whole, "truncated gzip: those records are whole and in order");

    /* The same cut through a one-article format passes nothing on. */
    gz_spew("whole.txt.gz", "wb", jsonl, len);
    free(gz);
    gz = slurp("whole.txt.gz", &glen);
    if (gz != NULL) {
        spew("cut.txt.gz", gz, glen / 2);
        run_file(r, "cut.txt.gz");
        is_long(r->st, SPSEARCH_BAD_INPUT, "truncated gzip text: refused");
        is_long(r->n, 0, "truncated gzip text: no article");

        /* A wrong CRC in the trailer. */
        gz[glen - 8] ^= 0x55;
        spew("crc.txt.gz", gz, glen);
        run_file(r, "crc.txt.gz");
        is_long(r->st, SPSEARCH_BAD_INPUT, "bad CRC: refused");
        is_str(r->err.msg, "damaged gzip stream: incorrect data check",
               "bad CRC: message");

        /* Garbage in the middle of the deflate data. */
        gz[glen - 8] ^= 0x55;
        memset(gz + glen / 3, 0xff, 64);
        spew("garbage.txt.gz", gz, glen);
        run_file(r, "garbage.txt.gz");
        is_long(r->st, SPSEARCH_BAD_INPUT, "damaged deflate data: refused");
        ok(strncmp(r->err.msg, "damaged gzip stream: ", 21) == 0,
           "damaged deflate data: message");
    }
    free(gz);
    free(jsonl);
}

static void test_callback_stops(struct run *r)
{
    run_free(r);
    r->fail_at = 2;
    run_file(r, fixture("feed.jsonl"));
    is_long(r->st, SPSEARCH_IO, "callback status comes back");
    is_long(r->n, 2, "callback status stops the reading");
    is_str(r->err.msg, "callback failed on purpose",
           "callback message left alone");
    r->fail_at = 0;
}

int main(void)
{
    const char *top = getenv("top_srcdir");
    char cwd[1024] = "";
    if (top == NULL || *top == '\0')
        top = ".";
    /* tap_tmpdir() changes directory: the path must be absolute. */
    if (top[0] != '/' && getcwd(cwd, sizeof cwd) == NULL) {
        printf("Bail out! getcwd failed\n");
        return 99;
    }
    snprintf(fixtures, sizeof fixtures, "%s%s%s/tests/fixtures/reader", cwd,
             cwd[0] ? "/" : "", top);
    tap_tmpdir("reader");
    static struct run r;
    test_text(&r);
    test_jsonl(&r);
    test_json_parser(&r);
    test_trec(&r);
    test_html(&r);
    test_sniffing(&r);
    test_charsets(&r);
    test_bad_files(&r);
    test_damaged_gzip(&r);
    test_callback_stops(&r);
    test_big_line(&r);
    run_free(&r);
    return tap_done();
}
