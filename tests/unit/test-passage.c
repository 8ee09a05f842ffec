/*
 * test-passage.c - splitting articles into passages (shared/passage.h).
 *
 * Passages are what search ranks and shows, so every visible byte of an
 * article must land in exactly one passage, in order, and long paragraphs
 * must be cut where a reader would cut them: after a sentence, or at least
 * between words and never inside a character.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uclean.h>

#include "shared/passage.h"
#include "tests/unit/tap.h"

static int is_ws(const char *t, size_t len, size_t i)
{
    unsigned char c = (unsigned char)t[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
        c == '\v')
        return 1;
    /* U+00A0, either of its two bytes */
    if (c == 0xc2 && i + 1 < len && (unsigned char)t[i + 1] == 0xa0)
        return 1;
    return c == 0xa0 && i > 0 && (unsigned char)t[i - 1] == 0xc2;
}

static int is_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/* Splits text, bailing out if the splitter itself fails. */
static size_t split(const char *text, size_t len, sp_passage **out)
{
    size_t n = 0;
    sp_error err;
    spsearch_status_t st = sp_passages_split(text, len, out, &n, &err);
    if (st != SPSEARCH_OK) {
        printf("Bail out! sp_passages_split: status %d: %s\n", (int)st,
               err.msg);
        exit(99);
    }
    return n;
}

/* The invariants every split must keep: in order, not overlapping,
 * trimmed, within LONG (unless allowed), and covering every visible byte
 * exactly once.  Prints what broke; returns 1 when all hold. */
static int invariants(const char *text, size_t len, const sp_passage *p,
                      size_t n, const char *what)
{
    int good = 1;
    size_t i, next = 0;
    char *covered = calloc(len + 1, 1);
    for (i = 0; i < n; i++) {
        if (p[i].start >= p[i].end || p[i].end > len) {
            diag("%s: passage %zu is empty or out of range: %zu..%zu", what,
                 i, p[i].start, p[i].end);
            good = 0;
            break;
        }
        if (p[i].start < next) {
            diag("%s: passage %zu starts at %zu, before %zu", what, i,
                 p[i].start, next);
            good = 0;
        }
        if (is_ws(text, len, p[i].start) || is_ws(text, len, p[i].end - 1)) {
            diag("%s: passage %zu (%zu..%zu) is not trimmed", what, i,
                 p[i].start, p[i].end);
            good = 0;
        }
        if (p[i].end - p[i].start > SP_PASSAGE_LONG) {
            diag("%s: passage %zu is %zu bytes, over %d", what, i,
                 p[i].end - p[i].start, SP_PASSAGE_LONG);
            good = 0;
        }
        if (is_cont((unsigned char)text[p[i].start]) ||
            (p[i].end < len && is_cont((unsigned char)text[p[i].end]))) {
            diag("%s: passage %zu (%zu..%zu) cuts a UTF-8 sequence", what, i,
                 p[i].start, p[i].end);
            good = 0;
        }
        for (size_t b = p[i].start; b < p[i].end; b++)
            covered[b]++;
        next = p[i].end;
    }
    for (i = 0; good && i < len; i++) {
        if (!is_ws(text, len, i) && covered[i] != 1) {
            diag("%s: byte %zu ('%c') is covered %d times", what, i,
                 text[i] >= ' ' ? text[i] : '?', covered[i]);
            good = 0;
        }
    }
    free(covered);
    return good;
}

/* Appends s to the buffer at *at (bounded by cap). */
static void put(char *buf, size_t cap, size_t *at, const char *s)
{
    size_t n = strlen(s);
    if (*at + n >= cap) {
        printf("Bail out! test buffer too small\n");
        exit(99);
    }
    memcpy(buf + *at, s, n);
    *at += n;
    buf[*at] = '\0';
}

/* Does the passage end a sentence: '.', '!' or '?', then maybe closing
 * quotes? */
static int ends_sentence(const char *text, const sp_passage *p)
{
    size_t e = p->end;
    for (;;) {
        if (e - p->start >= 3 && memcmp(text + e - 3, "\xe2\x80\x9d", 3) == 0)
            e -= 3; /* ” */
        else if (e - p->start >= 3 &&
                 memcmp(text + e - 3, "\xe2\x80\x99", 3) == 0)
            e -= 3; /* ’ */
        else if (e > p->start && (text[e - 1] == '"' || text[e - 1] == '\''))
            e--;
        else
            break;
    }
    return e > p->start &&
           (text[e - 1] == '.' || text[e - 1] == '!' || text[e - 1] == '?');
}

static int passage_is(const char *text, const sp_passage *p, const char *want)
{
    size_t n = strlen(want);
    return p->end - p->start == n && memcmp(text + p->start, want, n) == 0;
}

/* Passage i of p as a string (empty when there is no such passage). */
static const char *text_of(const char *text, const sp_passage *p, size_t n,
                           size_t i)
{
    static char out[4096];
    out[0] = '\0';
    if (i < n && p[i].end - p[i].start < sizeof out) {
        memcpy(out, text + p[i].start, p[i].end - p[i].start);
        out[p[i].end - p[i].start] = '\0';
    }
    return out;
}

static const char para_a[] =
    "The heads of Roscosmos and NASA held their first face-to-face talks "
    "since 2018, in Houston, on the future of the space station.";
static const char para_b[] =
    "Both agencies said that cross-flights of cosmonauts and astronauts "
    "would continue, and that the station would stay in orbit until 2028.";

static void test_empty(void)
{
    sp_passage *p = NULL;
    is_long(split("", 0, &p), 0, "empty text: no passages");
    free(p);
    static const char ws[] = "  \n\t\r\n \f\v \r\n\n";
    is_long(split(ws, sizeof ws - 1, &p), 0,
            "white space only: no passages");
    free(p);
    static const char nbsp[] = "\xc2\xa0 \n\xc2\xa0\xc2\xa0\n";
    is_long(split(nbsp, sizeof nbsp - 1, &p), 0,
            "no-break spaces only: no passages");
    free(p);
    /* Only the first len bytes count. */
    is_long(split("   visible", 3, &p), 0,
            "only the bytes within len are read");
    free(p);
}

static void test_paragraphs(void)
{
    char buf[4096];
    size_t at = 0;
    sp_passage *p = NULL;
    size_t n;

    /* Blank-line separated, with indentation and trailing blanks. */
    put(buf, sizeof buf, &at, "\n\n   ");
    put(buf, sizeof buf, &at, para_a);
    put(buf, sizeof buf, &at, "  \n\n\n\t");
    put(buf, sizeof buf, &at, para_b);
    put(buf, sizeof buf, &at, "\n");
    n = split(buf, at, &p);
    is_long(n, 2, "two blank-line separated paragraphs: two passages");
    ok(invariants(buf, at, p, n, "blank lines"), "blank lines: invariants");
    is_str(text_of(buf, p, n, 0), para_a,
           "blank lines: the first passage is the first paragraph, trimmed");
    is_str(text_of(buf, p, n, 1), para_b,
           "blank lines: the second passage is the second paragraph");
    free(p);

    /* Single newlines separate paragraphs too (some corpus files). */
    at = 0;
    put(buf, sizeof buf, &at, para_a);
    put(buf, sizeof buf, &at, "\n");
    put(buf, sizeof buf, &at, para_b);
    n = split(buf, at, &p);
    is_long(n, 2, "two paragraphs on consecutive lines: two passages");
    ok(n == 2 && passage_is(buf, &p[0], para_a) &&
           passage_is(buf, &p[1], para_b),
       "consecutive lines: each passage is its paragraph");
    free(p);

    /* CRLF line endings give the same passages, without the CRs. */
    at = 0;
    put(buf, sizeof buf, &at, para_a);
    put(buf, sizeof buf, &at, "\r\n\r\n");
    put(buf, sizeof buf, &at, para_b);
    put(buf, sizeof buf, &at, "\r\n");
    n = split(buf, at, &p);
    is_long(n, 2, "CRLF: two passages");
    ok(invariants(buf, at, p, n, "CRLF"), "CRLF: invariants");
    is_str(text_of(buf, p, n, 0), para_a, "CRLF: first passage, no CR");
    is_str(text_of(buf, p, n, 1), para_b, "CRLF: second passage, no CR");
    free(p);

    /* No-break spaces around a paragraph are trimmed like spaces. */
    at = 0;
    put(buf, sizeof buf, &at, "\xc2\xa0\xc2\xa0");
    put(buf, sizeof buf, &at, para_a);
    put(buf, sizeof buf, &at, "\xc2\xa0\n");
    n = split(buf, at, &p);
    ok(n == 1 && passage_is(buf, &p[0], para_a),
       "no-break spaces around a paragraph are trimmed");
    free(p);
}

static void test_short_lines(void)
{
    char buf[4096];
    size_t at = 0;
    sp_passage *p = NULL;
    size_t n;

    /* Datelines and headings join the paragraph after them. */
    put(buf, sizeof buf, &at, "Aug 1, 2025, 2:40 PM\n\n");
    put(buf, sizeof buf, &at, para_a);
    put(buf, sizeof buf, &at, "\n\n");
    put(buf, sizeof buf, &at, para_b);
    n = split(buf, at, &p);
    is_long(n, 2, "a dateline does not make a passage of its own");
    ok(n >= 1 && p[0].start == 0 &&
           p[0].end == strlen("Aug 1, 2025, 2:40 PM\n\n") + strlen(para_a),
       "the dateline starts the first paragraph's passage");
    ok(invariants(buf, at, p, n, "dateline"), "dateline: invariants");
    free(p);

    /* "Highlights" with bullet lines, as in the corpus. */
    static const char bullets[] =
        "Highlights\n"
        "  \xe2\x80\xa2 Dmitry Bakanov, director of Roscosmos, visited the "
        "U.S. for talks with NASA's Sean Duffy about space collaboration.\n"
        "  \xe2\x80\xa2 The meeting addressed continued operations of the "
        "International Space Station and lunar programs.\n"
        "  \xe2\x80\xa2 Short one.\n"
        "Story\n\n";
    at = 0;
    put(buf, sizeof buf, &at, bullets);
    put(buf, sizeof buf, &at, para_a);
    n = split(buf, at, &p);
    ok(invariants(buf, at, p, n, "bullets"), "bullets: invariants");
    is_long(n, 3, "heading + bullets + paragraph: three passages");
    ok(n == 3 && p[0].start == 0 &&
           memcmp(buf + p[0].end - 14, "collaboration.", 14) == 0,
       "the heading joins the first bullet");
    ok(n == 3 && memcmp(buf + p[1].start, "\xe2\x80\xa2 The", 6) == 0 &&
           memcmp(buf + p[1].end - 15, "lunar programs.", 15) == 0,
       "a long bullet line is a passage of its own, from its bullet");
    ok(n == 3 && memcmp(buf + p[2].start, "\xe2\x80\xa2 Short", 8) == 0 &&
           passage_is(buf, &(sp_passage){p[2].end - strlen(para_a), p[2].end},
                      para_a),
       "a short bullet and a heading join the paragraph after them");
    free(p);

    /* Several short lines in a row gather until they are long enough. */
    at = 0;
    put(buf, sizeof buf, &at, "By Nathan Thorne\nStaff writer\nHouston\n");
    put(buf, sizeof buf, &at, para_b);
    n = split(buf, at, &p);
    is_long(n, 1, "three short lines and a paragraph: one passage");
    ok(n == 1 && p[0].start == 0 && p[0].end == at,
       "...covering all of them");
    free(p);

    /* A short line at the very end has no paragraph after it. */
    at = 0;
    put(buf, sizeof buf, &at, para_a);
    put(buf, sizeof buf, &at, "\n\nLatest medical news online");
    n = split(buf, at, &p);
    ok(invariants(buf, at, p, n, "short last line"),
       "short last line: invariants");
    sp_passage *p2 = NULL;
    put(buf, sizeof buf, &at, "\n\n\n  \n");
    size_t n2 = split(buf, at, &p2);
    ok(invariants(buf, at, p2, n2, "short last line + blank lines"),
       "short last line and trailing blank lines: invariants");
    int same = n == n2;
    for (size_t i = 0; same && i < n; i++)
        same = p[i].start == p2[i].start && p[i].end == p2[i].end;
    ok(same, "trailing blank lines do not change the passages");
    if (!same)
        diag("without: %zu passages, with: %zu", n, n2);
    free(p);
    free(p2);

    /* A text that is one short line. */
    n = split("Opinions", 8, &p);
    ok(n == 1 && p[0].start == 0 && p[0].end == 8,
       "a text of one short line is one passage");
    free(p);
}

/* How many passages a line and para_b on the next line make. */
static size_t line_then_paragraph(const char *line)
{
    char buf[1024];
    size_t at = 0;
    sp_passage *p = NULL;
    put(buf, sizeof buf, &at, line);
    put(buf, sizeof buf, &at, "\n");
    put(buf, sizeof buf, &at, para_b);
    size_t n = split(buf, at, &p);
    free(p);
    return n;
}

static void test_headlines(void)
{
    char buf[4096];
    size_t at = 0;
    sp_passage *p = NULL;
    size_t n;

    /* A headline longer than a short line (the bundled corpus has one of
     * 87 bytes) ends no sentence: it joins its lede. */
    static const char headline[] =
        "Space Diplomacy in Action: Roscosmos and NASA Chart a Course "
        "Through Unsanctioned Skies";
    put(buf, sizeof buf, &at, headline);
    put(buf, sizeof buf, &at, "\n\n");
    put(buf, sizeof buf, &at, para_a);
    put(buf, sizeof buf, &at, "\n\n");
    put(buf, sizeof buf, &at, para_b);
    n = split(buf, at, &p);
    ok(invariants(buf, at, p, n, "headline"), "headline: invariants");
    is_long(n, 2, "a long headline does not make a passage of its own");
    ok(n == 2 && p[0].start == 0 &&
           passage_is(buf, &(sp_passage){p[0].end - strlen(para_a), p[0].end},
                      para_a),
       "...it starts its lede's passage");
    free(p);

    /* A line that introduces what follows with a colon joins it too... */
    is_long(line_then_paragraph("The core of the discussions revolved "
                                "around several established and emerging "
                                "pillars of cooperation:"),
            1, "a line ending in a colon joins the paragraph after it");
    /* ...while a long line that ends a sentence, closing quote and all,
     * is a paragraph of its own. */
    is_long(line_then_paragraph("\xe2\x80\x9cWe will keep the station flying "
                                "for as long as the crews can be carried up "
                                "there safely.\xe2\x80\x9d"),
            2, "a quoted sentence on its own line stays a passage");

    /* Lines that never end a sentence (a list, a table) gather into
     * passages of about SP_PASSAGE_WINDOW bytes, not into one. */
    at = 0;
    for (int i = 0; i < 30; i++) {
        char item[100];
        snprintf(item, sizeof item,
                 "Item %02d of a long list whose lines have no full stop at "
                 "the end\n", i);
        put(buf, sizeof buf, &at, item);
    }
    n = split(buf, at, &p);
    ok(invariants(buf, at, p, n, "list"), "list: invariants");
    int bounded = n > 1;
    for (size_t i = 0; i < n; i++)
        bounded = bounded &&
                  p[i].end - p[i].start < SP_PASSAGE_WINDOW + SP_PASSAGE_HEADING;
    ok(bounded, "a list without full stops is cut into bounded passages");
    if (!bounded)
        diag("%zu passages", n);
    free(p);
}

/* Sentences of about 100 bytes; some end in quotes, "!" or "?". */
static size_t make_sentences(char *buf, size_t cap, size_t count)
{
    static const char *const s[] = {
        "Roscosmos and NASA agreed to keep the cross-flight programme going "
        "for another year at least. ",
        "\xe2\x80\x9cWe will do everything to keep the station flying,\xe2"
        "\x80\x9d said the director general of Roscosmos.\xe2\x80\x9d ",
        "Could the lunar programmes of both countries ever meet in one "
        "common project on the surface? ",
        "The talks in Houston were the first face-to-face meeting of the "
        "two agency heads since 2018! ",
        "Both sides said that they would report to their presidents \"as "
        "soon as possible.\" "};
    size_t at = 0;
    for (size_t i = 0; i < count; i++)
        put(buf, cap, &at, s[i % 5]);
    return at;
}

static void test_long_paragraphs(void)
{
    static char buf[200000];
    sp_passage *p = NULL;
    size_t n, len;

    /* About 3 KB of sentences in one paragraph. */
    len = make_sentences(buf, sizeof buf, 30);
    ok(len > 2 * SP_PASSAGE_LONG, "the long paragraph is long");
    n = split(buf, len, &p);
    ok(n >= 3, "a long paragraph is cut into several passages");
    ok(invariants(buf, len, p, n, "sentences"),
       "long paragraph: invariants (each piece within SP_PASSAGE_LONG)");
    int at_end = 1;
    for (size_t i = 0; i < n; i++)
        if (!ends_sentence(buf, &p[i])) {
            diag("passage %zu ends with \"%.20s\"", i, buf + p[i].end - 20);
            at_end = 0;
        }
    ok(at_end, "each piece ends at the end of a sentence");
    free(p);

    /* Just over the limit: cut; just under: kept whole. */
    size_t k = 1;
    while (make_sentences(buf, sizeof buf, k + 1) <= SP_PASSAGE_LONG)
        k++;
    len = make_sentences(buf, sizeof buf, k);
    n = split(buf, len, &p);
    diag("%zu sentences, %zu bytes: %zu passages", k, len, n);
    ok(n == 1, "a paragraph within the limit is kept whole");
    free(p);
    len = make_sentences(buf, sizeof buf, k + 1);
    n = split(buf, len, &p);
    diag("%zu sentences, %zu bytes: %zu passages", k + 1, len, n);
    ok(len > SP_PASSAGE_LONG && n >= 2, "a paragraph over the limit is cut");
    free(p);

    /* One runaway sentence, with spaces but no full stop: cut between
     * words. */
    len = 0;
    for (int i = 0; i < 400; i++)
        put(buf, sizeof buf, &len, i % 7 ? "orbit " : "cosmonauts ");
    n = split(buf, len, &p);
    ok(n >= 2, "a 2.6 KB sentence without a full stop is cut");
    ok(invariants(buf, len, p, n, "runaway sentence"),
       "runaway sentence: invariants");
    int between = 1;
    for (size_t i = 0; i < n; i++)
        if (p[i].end < len && buf[p[i].end] != ' ')
            between = 0;
    ok(between, "...and only between words");
    free(p);

    /* 100 KB without punctuation or spaces, in two- and three-byte
     * characters: cut within the limit, never inside a character. */
    len = 0;
    while (len < 100000)
        put(buf, sizeof buf, &len, "\xc3\xa9\xe4\xb8\xad\xc3\xa9\xc3\xa9");
    n = split(buf, len, &p);
    ok(n >= 100000 / SP_PASSAGE_LONG, "100 KB without a break is cut");
    ok(invariants(buf, len, p, n, "100 KB of é中"),
       "100 KB of é and 中: invariants (no piece cuts a character)");
    free(p);

    /* The same with a few sentences before and after. */
    len = make_sentences(buf, sizeof buf, 4);
    while (len < 20000)
        put(buf, sizeof buf, &len, "\xe4\xb8\xad\xe4\xb8\xad\xc3\xa9");
    put(buf, sizeof buf, &len, ". ");
    size_t tail = len;
    len = tail + make_sentences(buf + tail, sizeof buf - tail, 4);
    n = split(buf, len, &p);
    ok(invariants(buf, len, p, n, "sentences around a runaway"),
       "sentences around a runaway: invariants");
    ok(n > 0 && ends_sentence(buf, &p[n - 1]),
       "the sentences after a runaway still end their passage");
    free(p);

    /* Bytes that are not UTF-8 (Latin-1 read as UTF-8): still cut into
     * pieces of reasonable size, not into single bytes. */
    len = 0;
    while (len < 20000)
        put(buf, sizeof buf, &len, "\xab\xb0\xbb\xa9");
    n = split(buf, len, &p);
    ok(n > 0 && n <= len / (SP_PASSAGE_WINDOW / 2),
       "20 KB of stray continuation bytes: pieces of a useful size");
    diag("20 KB of stray bytes give %zu passages", n);
    free(p);
}

/* Reads a corpus file; NULL if it is not there. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap)
            break;
        cap *= 2;
        buf = realloc(buf, cap);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Where the corpus is: $top_srcdir/corpus under make check, else found
 * from this source file's path.  Set before the test leaves for its
 * temporary directory. */
static char corpus_dir[4096];

static void find_corpus(void)
{
    const char *top = getenv("top_srcdir");
    if (top != NULL && *top != '\0') {
        snprintf(corpus_dir, sizeof corpus_dir, "%s/corpus", top);
        return;
    }
    const char *me = __FILE__;
    const char *tail = strstr(me, "tests/unit/test-passage.c");
    int prefix = tail != NULL ? (int)(tail - me) : 0;
    char cwd[2048] = ".";
    if (me[0] != '/' && getcwd(cwd, sizeof cwd) == NULL)
        strcpy(cwd, ".");
    if (me[0] == '/')
        snprintf(corpus_dir, sizeof corpus_dir, "%.*scorpus", prefix, me);
    else
        snprintf(corpus_dir, sizeof corpus_dir, "%s/%.*scorpus", cwd, prefix,
                 me);
}

static void test_corpus(void)
{
    static const char *const files[] = {
        "000_d9a4be1c3b1e15b8.txt", "001_37ff818fd7faee62.txt",
        "002_99863aae14a88d0b.txt", "003_007efc6446bec603.txt",
        "004_2e1e28aae998c8dd.txt"};
    char path[4200];
    for (size_t i = 0; i < 5; i++) {
        size_t len = 0;
        char line[200];
        snprintf(path, sizeof path, "%s/%s", corpus_dir, files[i]);
        char *text = slurp(path, &len);
        snprintf(line, sizeof line, "corpus %s is readable", files[i]);
        if (!ok(text != NULL, line)) {
            diag("cannot read %s", path);
            continue;
        }
        sp_passage *p = NULL;
        size_t n = split(text, len, &p);
        snprintf(line, sizeof line, "corpus %s: %zu passages, invariants",
                 files[i], n);
        ok(n > 1 && invariants(text, len, p, n, files[i]), line);

        /* The same article with Windows line endings gives the same
         * passages, byte for byte apart from the CRs. */
        char *crlf = malloc(2 * len + 1);
        size_t cl = 0;
        for (size_t b = 0; b < len; b++) {
            if (text[b] == '\n')
                crlf[cl++] = '\r';
            crlf[cl++] = text[b];
        }
        sp_passage *q = NULL;
        size_t m = split(crlf, cl, &q);
        int same = m == n;
        /* Compare the passages with CRs removed. */
        for (size_t k = 0; same && k < n; k++) {
            size_t a = p[k].start, b = q[k].start;
            while (same && a < p[k].end && b < q[k].end) {
                if (crlf[b] == '\r') {
                    b++;
                    continue;
                }
                same = text[a] == crlf[b];
                a++;
                b++;
            }
            same = same && a == p[k].end && b == q[k].end;
        }
        snprintf(line, sizeof line, "corpus %s with CRLF: same passages",
                 files[i]);
        ok(same, line);
        free(q);
        free(crlf);
        free(p);
        free(text);
    }
}

int main(void)
{
    find_corpus();
    tap_tmpdir("passage");
    test_empty();
    test_paragraphs();
    test_short_lines();
    test_headlines();
    test_long_paragraphs();
    test_corpus();
    u_cleanup();
    return tap_done();
}
