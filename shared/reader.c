/*
 * reader.c - input files to articles: plain text, JSON Lines, TREC, HTML,
 * each possibly gzipped.
 *
 * Layers, bottom up: raw bytes (a file descriptor or memory), an optional
 * inflate stream, a 64 KB window of decoded bytes with a line reader on
 * top, then one function per format.  Plain text and HTML are read whole
 * (bounded by SP_READ_MAX_ARTICLE); JSON Lines and TREC go line by line,
 * so that memory is bounded by the largest record.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "shared/article.h"
#include "shared/charset.h"
#include "shared/reader.h"
#include "shared/analyzer.h"
#include "shared/zutil.h"

#define CHUNK ((size_t)65536)
/* Deeper JSON than this is refused rather than risking the stack. */
#define JSON_MAX_DEPTH 256
/* Open elements tracked while skipping HTML (nav inside aside...). */
#define SKIP_MAX 256
/* "…" */
#define ELLIPSIS "\xe2\x80\xa6"

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_blank_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws((unsigned char)s[i]))
            return 0;
    return 1;
}

static int has_bom(const char *s, size_t n)
{
    return n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0;
}

static const char *cstr(const sp_buf *b)
{
    return b->data != NULL ? b->data : "";
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && is_ws((unsigned char)**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_ws((unsigned char)(*s)[*n - 1]))
        (*n)--;
}

/* Whether s[0..n) equals the lower-case word w, ignoring case. */
static int word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/* Encodes cp (at most U+10FFFF) as UTF-8 into u; returns the length. */
static size_t utf8_encode(unsigned long cp, char u[4])
{
    if (cp < 0x80) {
        u[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        u[0] = (char)(0xc0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        u[0] = (char)(0xe0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        u[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    u[0] = (char)(0xf0 | (cp >> 18));
    u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    u[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

static spsearch_status_t put_utf8(sp_buf *b, unsigned long cp, sp_error *err)
{
    char u[4];
    size_t n = utf8_encode(cp, u);
    return sp_buf_append(b, u, n, err);
}

/* Sets b to "" (allocated, so that cstr() and callers see a string). */
static spsearch_status_t buf_reset(sp_buf *b, sp_error *err)
{
    b->len = 0;
    return sp_buf_append(b, "", 0, err);
}

/* Writes s[0..n) into out on one line: white space runs become one space,
 * ends trimmed.  With max > 0, a longer result is cut at a word (as
 * sp_article_title() cuts) and ends with an ellipsis; so does any result
 * when cut is set (the caller already cut it). */
static spsearch_status_t put_line(sp_buf *out, const char *s, size_t n,
                                  size_t max, int cut, sp_error *err)
{
    spsearch_status_t st = buf_reset(out, err);
    size_t i = 0;
    while (st == SPSEARCH_OK && i < n) {
        size_t run = i;
        while (i < n && !is_ws((unsigned char)s[i]))
            i++;
        if (i > run) {
            if (out->len > 0)
                st = sp_buf_append(out, " ", 1, err);
            if (st == SPSEARCH_OK)
                st = sp_buf_append(out, s + run, i - run, err);
        }
        while (i < n && is_ws((unsigned char)s[i]))
            i++;
    }
    if (st != SPSEARCH_OK)
        return st;
    if (max > 0 && out->len > max) {
        size_t at = max;
        while (at > max / 2 && out->data[at] != ' ')
            at--;
        if (at <= max / 2) {
            at = max;
            while (at > 0 && ((unsigned char)out->data[at] & 0xc0) == 0x80)
                at--;
        }
        while (at > 0 && (out->data[at - 1] == ' ' || out->data[at - 1] == ','))
            at--;
        out->len = at;
        out->data[at] = '\0';
        cut = 1;
    }
    if (cut && out->len > 0)
        st = sp_buf_append(out, ELLIPSIS, 3, err);
    return st;
}

/* ------------------------------------------------------------------ */
/* Bylines                                                             */

/* Lower-case words that may sit inside a name ("Ana de la Cruz"). */
static int name_particle(const char *w, size_t n)
{
    static const char *const particles[] = {
        "and", "&", "de", "del", "della", "der", "den", "van", "von", "da",
        "di", "du", "la", "le", "y", "e", "bin", "ibn", "al", "el", "dos",
        "und", "et", "och", "og"};
    for (size_t i = 0; i < sizeof particles / sizeof *particles; i++)
        if (n == strlen(particles[i]) && memcmp(w, particles[i], n) == 0)
            return 1;
    return 0;
}

/* A name word starts with a capital (or a non-ASCII letter: "Émile"). */
static int name_word(const char *w, size_t n)
{
    unsigned char c = (unsigned char)w[0];
    return n > 0 && ((c >= 'A' && c <= 'Z') || c >= 0xc0);
}

/* Whether the line s[0..n) (trimmed) is a byline, "By Jane Doe" or
 * "BY JANE DOE, Staff Writer" ("Par", "Von", "Por", "Door", "Av", "Af" in
 * other languages); sets [*ns, *ne) to the name.  The name is
 * one to six capitalised words (particles allowed inside) up to the end of
 * the line or a ',', ';', '|', '(' or dash; what follows a comma must be
 * capitalised too, so that "By Monday, the council..." is not a byline. */
static int byline_name(const char *s, size_t n, size_t *ns, size_t *ne)
{
    /* "By" as the press of the languages spindex stems most writes it. */
    static const char *const by_words[] = {"by",   "par", "von", "por",
                                           "door", "av",  "af"};
    size_t i = 0;
    for (size_t k = 0; k < sizeof by_words / sizeof *by_words && i == 0; k++) {
        size_t len = strlen(by_words[k]);
        if (n >= len + 2 && strncasecmp(s, by_words[k], len) == 0)
            i = len;
    }
    if (i == 0)
        return 0;
    if (s[i] == ':')
        i++;
    if (i >= n || (s[i] != ' ' && s[i] != '\t'))
        return 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t start = i, end = i;
    int words = 0, last_name = 0;
    char stop = '\0';
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == ',' || c == ';' || c == '|' || c == '(') {
            stop = (char)c;
            break;
        }
        if (c == '-' || (c == 0xe2 && i + 2 < n &&
                         (unsigned char)s[i + 1] == 0x80 &&
                         ((unsigned char)s[i + 2] == 0x93 ||
                          (unsigned char)s[i + 2] == 0x94))) {
            if (i > start && s[i - 1] == ' ') {
                stop = '-';
                break;
            }
        }
        size_t w = i;
        while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != ',' &&
               s[i] != ';' && s[i] != '|' && s[i] != '(')
            i++;
        int is_name = name_word(s + w, i - w);
        if (!is_name && !name_particle(s + w, i - w))
            return 0;
        if (++words > 6)
            return 0;
        last_name = is_name;
        end = i;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
    }
    if (words == 0 || !last_name)
        return 0;
    if (stop == ',') {
        i++;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i < n && !name_word(s + i, n - i))
            return 0;
    }
    /* A line ending a sentence is prose ("By then, ..." aside): "By
     * Jane Q. Public" is a byline, "By Late Afternoon It Rained." not. */
    if (stop == '\0') {
        char last = s[end - 1];
        size_t w = end;
        while (w > start && s[w - 1] != ' ' && s[w - 1] != '\t')
            w--;
        if (last == '!' || last == '?' || (last == '.' && end - w > 2))
            return 0;
    }
    *ns = start;
    *ne = end;
    return 1;
}

/* Looks for a byline among the first non-empty lines of text (within
 * SP_DATELINE_SCAN bytes) and writes the name into out ("" if none). */
static spsearch_status_t find_byline(const char *text, size_t len,
                                     sp_buf *out, sp_error *err)
{
    size_t pos = 0, scan = len < SP_DATELINE_SCAN ? len : SP_DATELINE_SCAN;
    int lines = 0;
    while (pos < scan && lines < 8) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t e = nl != NULL ? (size_t)(nl - text) : len;
        const char *s = text + pos;
        size_t n = e - pos, ns, ne;
        pos = e + 1;
        trim(&s, &n);
        if (n == 0)
            continue;
        lines++;
        if (n <= 100 && byline_name(s, n, &ns, &ne))
            return put_line(out, s + ns, ne - ns, 0, 0, err);
    }
    return buf_reset(out, err);
}

/* Writes an author given whole ("By Jane Doe, Staff Writer" or "Jane
 * Doe"): the byline's name, else the text up to a comma. */
static spsearch_status_t put_author(sp_buf *out, const char *s, size_t n,
                                    sp_error *err)
{
    size_t ns, ne;
    trim(&s, &n);
    if (byline_name(s, n, &ns, &ne))
        return put_line(out, s + ns, ne - ns, 0, 0, err);
    if (n >= 3 && strncasecmp(s, "by ", 3) == 0) {
        s += 3;
        n -= 3;
    }
    return put_line(out, s, n, 0, 0, err);
}

/* ------------------------------------------------------------------ */
/* Entities (HTML and TREC)                                            */

typedef struct entity {
    const char *name;
    unsigned long cp;
} entity;

static const entity entities[] = {
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},
    {"quot", '"'},      {"apos", '\''},      {"nbsp", 0xa0},
    {"mdash", 0x2014},  {"ndash", 0x2013},   {"hellip", 0x2026},
    {"rsquo", 0x2019},  {"lsquo", 0x2018},   {"rdquo", 0x201d},
    {"ldquo", 0x201c},  {"sbquo", 0x201a},   {"bdquo", 0x201e},
    {"laquo", 0xab},    {"raquo", 0xbb},     {"lsaquo", 0x2039},
    {"rsaquo", 0x203a}, {"bull", 0x2022},    {"middot", 0xb7},
    {"copy", 0xa9},     {"reg", 0xae},       {"trade", 0x2122},
    {"deg", 0xb0},      {"plusmn", 0xb1},    {"frac12", 0xbd},
    {"frac14", 0xbc},   {"frac34", 0xbe},    {"euro", 0x20ac},
    {"pound", 0xa3},    {"yen", 0xa5},       {"cent", 0xa2},
    {"sect", 0xa7},     {"para", 0xb6},      {"shy", 0xad},
    {"thinsp", 0x2009}, {"ensp", 0x2002},    {"emsp", 0x2003},
    {"dagger", 0x2020}, {"prime", 0x2032},   {"minus", 0x2212},
    {"iexcl", 0xa1},    {"iquest", 0xbf},    {"ordm", 0xba},
    {"ordf", 0xaa},     {"OElig", 0x152},    {"oelig", 0x153},
    {"Scaron", 0x160},  {"scaron", 0x161},   {"Yuml", 0x178},
    {"zwj", 0x200d},    {"zwnj", 0x200c},
    /* TREC collections use these. */
    {"hyph", '-'},      {"blank", ' '},
};

/* Latin-1 letters U+00C0..U+00FF by name (times and divide included). */
static const char *const latin1[64] = {
    "Agrave", "Aacute", "Acirc",  "Atilde", "Auml",   "Aring",  "AElig",
    "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave", "Iacute",
    "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",
    "Otilde", "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",
    "Uuml",   "Yacute", "THORN",  "szlig",  "agrave", "aacute", "acirc",
    "atilde", "auml",   "aring",  "aelig",  "ccedil", "egrave", "eacute",
    "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide",
    "oslash", "ugrave", "uacute", "ucirc",  "uuml",   "yacute", "thorn",
    "yuml"};

/* What Windows-1252 puts at 0x80..0x9F, which is what "&#151;" in old
 * pages means (HTML5 reads them so); 0 where it has nothing. */
static const unsigned short cp1252[32] = {
    0x20ac, 0,      0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
    0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017d, 0,
    0,      0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
    0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0,      0x017e, 0x0178};

/* Decodes the entity at s[0..n) (s[0] is '&'): sets *cp and returns the
 * bytes it takes, or 0 when this is no entity we know ("AT&T"), which
 * then stays as written.  Numbers that are no character give U+FFFD. */
static size_t decode_entity(const char *s, size_t n, unsigned long *cp)
{
    size_t i = 1;
    if (n > 2 && s[1] == '#') {
        unsigned long v = 0;
        int hex = s[2] == 'x' || s[2] == 'X';
        size_t digits = 0;
        i = hex ? 3 : 2;
        for (; i < n && digits < 9; i++, digits++) {
            unsigned char c = (unsigned char)s[i];
            if (is_digit(c))
                v = v * (hex ? 16 : 10) + (c - '0');
            else if (hex && c >= 'a' && c <= 'f')
                v = v * 16 + (c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F')
                v = v * 16 + (c - 'A' + 10);
            else
                break;
        }
        if (digits == 0 || digits > 8 || i >= n || s[i] != ';')
            return 0;
        if (v >= 0x80 && v <= 0x9f)
            v = cp1252[v - 0x80];
        if (v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff) ||
            (v < 0x20 && v != '\t' && v != '\n' && v != '\r') || v == 0x7f)
            v = 0xfffd;
        *cp = v;
        return i + 1;
    }
    while (i < n && i <= 8 && (is_alpha((unsigned char)s[i]) ||
                               is_digit((unsigned char)s[i])))
        i++;
    if (i == 1 || i >= n || s[i] != ';')
        return 0;
    const char *name = s + 1;
    size_t len = i - 1;
    for (size_t k = 0; k < sizeof entities / sizeof *entities; k++) {
        if (strlen(entities[k].name) == len &&
            memcmp(entities[k].name, name, len) == 0) {
            *cp = entities[k].cp;
            return i + 1;
        }
    }
    for (size_t k = 0; k < 64; k++) {
        if (strlen(latin1[k]) == len && memcmp(latin1[k], name, len) == 0) {
            *cp = 0xc0 + k;
            return i + 1;
        }
    }
    /* &AMP; &LT; &GT; &QUOT; are HTML too. */
    for (size_t k = 0; k < 4; k++) {
        if (word_is(name, len, entities[k].name)) {
            *cp = entities[k].cp;
            return i + 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* A text builder: visible runs, with white space and breaks collapsed  */

typedef struct tb {
    sp_buf *out;
    int space;  /* a space is due before the next visible byte */
    int brk;    /* 1: a line break is due, 2: a paragraph break */
    int flat;   /* breaks become spaces (titles) */
    int pre;    /* a line break in the text is one (HTML <pre>) */
    spsearch_status_t st;
    sp_error *err;
} tb;

static void tb_init(tb *t, sp_buf *out, int flat, sp_error *err)
{
    t->out = out;
    t->space = 0;
    t->brk = 0;
    t->flat = flat;
    t->pre = 0;
    t->err = err;
    t->st = buf_reset(out, err);
}

static void tb_space(tb *t)
{
    t->space = 1;
}

static void tb_break(tb *t, int level)
{
    if (t->flat)
        t->space = 1;
    else if (level > t->brk)
        t->brk = level;
}

static void tb_put(tb *t, const char *p, size_t n)
{
    if (t->st != SPSEARCH_OK || n == 0)
        return;
    if (t->out->len > 0) {
        if (t->brk > 0)
            t->st = sp_buf_append(t->out, "\n\n", (size_t)t->brk, t->err);
        else if (t->space)
            t->st = sp_buf_append(t->out, " ", 1, t->err);
    }
    t->brk = 0;
    t->space = 0;
    if (t->st == SPSEARCH_OK)
        t->st = sp_buf_append(t->out, p, n, t->err);
}

/* Puts a decoded entity: spaces (nbsp included) collapse with the rest;
 * a soft hyphen and zero-width joiners vanish. */
static void tb_char(tb *t, unsigned long cp)
{
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0xa0) {
        tb_space(t);
        return;
    }
    if (cp == 0xad || cp == 0x200c || cp == 0x200d)
        return;
    char u[4];
    size_t n = utf8_encode(cp, u);
    tb_put(t, u, n);
}

/* Which '<' start a tag: none, every one with a '>' after it (TREC
 * headlines), or one followed by a letter, '/' or '!' (TREC text, where
 * "a < b" is text). */
enum { TAGS_NONE, TAGS_ANY, TAGS_NAMED };

/* Feeds s[i..e) as text: entities decoded, white space collapsed, tags
 * (by rule tags) breaks.  An entity or a tag may run past e, up to n; when
 * a tag does, the text goes on to the end of the line the tag ends on.
 * Returns where the text ended. */
static size_t tb_span(tb *t, const char *s, size_t i, size_t e, size_t n,
                      int tags)
{
    while (i < e && t->st == SPSEARCH_OK) {
        size_t run = i;
        while (i < e && !is_ws((unsigned char)s[i]) && s[i] != '&' &&
               !(tags != TAGS_NONE && s[i] == '<'))
            i++;
        tb_put(t, s + run, i - run);
        if (i >= e)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' && t->pre) {
            tb_break(t, 1);
            i++;
        } else if (is_ws(c)) {
            tb_space(t);
            i++;
        } else if (c == '&') {
            unsigned long cp;
            size_t k = decode_entity(s + i, n - i, &cp);
            if (k == 0) {
                tb_put(t, "&", 1);
                i++;
            } else {
                tb_char(t, cp);
                i += k;
            }
        } else {
            const char *gt = NULL;
            if (tags == TAGS_ANY ||
                (i + 1 < n && (is_alpha((unsigned char)s[i + 1]) ||
                               s[i + 1] == '/' || s[i + 1] == '!')))
                gt = memchr(s + i, '>', n - i);
            if (gt == NULL) {
                tb_put(t, "<", 1);
                i++;
                continue;
            }
            tb_break(t, 2);
            i = (size_t)(gt - s) + 1;
            if (i > e) {
                const char *nl = memchr(s + i, '\n', n - i);
                e = nl != NULL ? (size_t)(nl - s) : n;
            }
        }
    }
    return e;
}

/* Feeds s[0..n) as text; with tags set, anything that looks like a tag is
 * a break (TREC headlines). */
static void tb_text(tb *t, const char *s, size_t n, int tags)
{
    tb_span(t, s, 0, n, n, tags ? TAGS_ANY : TAGS_NONE);
}

/* ------------------------------------------------------------------ */
/* Input: raw bytes, inflate, a window of decoded bytes, lines          */

typedef struct input {
    int fd;                   /* -1 when reading memory */
    const unsigned char *rp;  /* raw bytes not yet used... */
    size_t ravail;            /* ...this many */
    unsigned char *rbuf;      /* where rp points when reading a file */
    int raw_eof;
    int gz;                   /* inflating */
    int z_live;               /* zs needs inflateEnd() */
    int member_done;          /* a gzip member ended; another may follow */
    int trailing_junk;        /* non-gzip bytes after the last member */
    z_stream zs;
    char *buf;                /* decoded bytes; [pos, len) not yet used */
    size_t pos, len;
    int eof;                  /* no more decoded bytes */
    unsigned long line;       /* lines read so far */
    sp_buf lbuf;              /* a line that spans windows */
    sp_input_warn_fn warn;
    void *ctx;
} input;

typedef struct line {
    const char *p;
    size_t len;
    unsigned long no;  /* 1-based */
    int too_long;      /* longer than SP_READ_MAX_RECORD: p is empty */
} line;

static void warn_at(input *in, unsigned long lineno, const char *msg)
{
    if (in->warn != NULL)
        in->warn(in->ctx, lineno, msg);
}

/* Reads more raw bytes after the unused ones (files only: memory is all
 * there from the start). */
static spsearch_status_t raw_more(input *in, sp_error *err)
{
    if (in->fd < 0) {
        in->raw_eof = 1;
        return SPSEARCH_OK;
    }
    if (in->ravail > 0 && in->rp != in->rbuf)
        memmove(in->rbuf, in->rp, in->ravail);
    in->rp = in->rbuf;
    for (;;) {
        ssize_t got = read(in->fd, in->rbuf + in->ravail, CHUNK - in->ravail);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return sp_error_set(err, SPSEARCH_BAD_INPUT, "cannot read: %s",
                                strerror(errno));
        if (got == 0)
            in->raw_eof = 1;
        in->ravail += (size_t)got;
        return SPSEARCH_OK;
    }
}

/* One step of inflating into the window: may add bytes, or only take
 * input, or note the end. */
static spsearch_status_t inflate_some(input *in, sp_error *err)
{
    if (in->member_done) {
        /* gzip allows several members one after the other (cat a.gz b.gz);
         * anything else after a member is ignored, as gzip(1) does. */
        if (in->ravail < 2 && !in->raw_eof)
            return raw_more(in, err);
        if (in->ravail == 0) {
            in->eof = 1;
        } else if (in->ravail >= 2 && in->rp[0] == 0x1f && in->rp[1] == 0x8b) {
            if (inflateReset(&in->zs) != Z_OK)
                return sp_error_set(err, SPSEARCH_INTERNAL,
                                    "cannot reset the gzip stream");
            in->member_done = 0;
        } else {
            /* Reported once the articles before it are, in read_input(). */
            in->trailing_junk = 1;
            in->eof = 1;
        }
        return SPSEARCH_OK;
    }
    if (in->ravail == 0 && !in->raw_eof) {
        spsearch_status_t st = raw_more(in, err);
        if (st != SPSEARCH_OK)
            return st;
    }
    uInt give = in->ravail > UINT_MAX ? UINT_MAX : (uInt)in->ravail;
    uInt room = (uInt)(CHUNK - in->len);
    in->zs.next_in = (Bytef *)(uintptr_t)in->rp;
    in->zs.avail_in = give;
    in->zs.next_out = (Bytef *)in->buf + in->len;
    in->zs.avail_out = room;
    int r = inflate(&in->zs, Z_NO_FLUSH);
    in->rp += give - in->zs.avail_in;
    in->ravail -= give - in->zs.avail_in;
    in->len += room - in->zs.avail_out;
    switch (r) {
    case Z_OK:
        return SPSEARCH_OK;
    case Z_STREAM_END:
        in->member_done = 1;
        return SPSEARCH_OK;
    case Z_BUF_ERROR:
        /* No progress: more input is needed, and there is none. */
        if (in->ravail == 0 && in->raw_eof)
            return sp_error_set(err, SPSEARCH_BAD_INPUT,
                                "truncated gzip stream");
        return SPSEARCH_OK;
    case Z_MEM_ERROR:
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    default:
        return sp_error_set(err, SPSEARCH_BAD_INPUT,
                            "damaged gzip stream: %s",
                            in->zs.msg != NULL ? in->zs.msg : zError(r));
    }
}

/* Reads more decoded bytes into the window after the unused ones.
 * Returns having added at least one byte, or with in->eof set. */
static spsearch_status_t fill(input *in, sp_error *err)
{
    if (in->pos > 0) {
        memmove(in->buf, in->buf + in->pos, in->len - in->pos);
        in->len -= in->pos;
        in->pos = 0;
    }
    size_t before = in->len;
    while (in->len == before && !in->eof && in->len < CHUNK) {
        spsearch_status_t st;
        if (in->gz) {
            st = inflate_some(in, err);
        } else if (in->ravail > 0) {
            size_t n = CHUNK - in->len;
            if (n > in->ravail)
                n = in->ravail;
            memcpy(in->buf + in->len, in->rp, n);
            in->rp += n;
            in->ravail -= n;
            in->len += n;
            st = SPSEARCH_OK;
        } else if (in->raw_eof) {
            in->eof = 1;
            st = SPSEARCH_OK;
        } else {
            st = raw_more(in, err);
        }
        if (st != SPSEARCH_OK)
            return st;
    }
    return SPSEARCH_OK;
}

/* Checks the start of the input: gzip or not, empty, binary.  Leaves up
 * to SP_READ_SNIFF decoded bytes in the window for choosing the format. */
static spsearch_status_t input_start(input *in, int want_gz, sp_error *err)
{
    spsearch_status_t st = SPSEARCH_OK;
    in->buf = malloc(CHUNK + 1);
    if (in->buf == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    if (in->fd >= 0) {
        in->rbuf = malloc(CHUNK);
        if (in->rbuf == NULL)
            return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        in->rp = in->rbuf;
    }
    while (st == SPSEARCH_OK && in->ravail < 2 && !in->raw_eof)
        st = raw_more(in, err);
    if (st != SPSEARCH_OK)
        return st;
    if (in->ravail == 0)
        return sp_error_set(err, SPSEARCH_BAD_INPUT, "empty file");
    int magic = in->ravail >= 2 && in->rp[0] == 0x1f && in->rp[1] == 0x8b;
    if (want_gz && !magic)
        return sp_error_set(err, SPSEARCH_BAD_INPUT, "not a gzip file");
    if (magic) {
        /* 16 + MAX_WBITS: a gzip wrapper, checked (CRC and length). */
        int r = inflateInit2(&in->zs, 16 + MAX_WBITS);
        if (r == Z_MEM_ERROR)
            return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        if (r != Z_OK)
            return sp_error_set(err, SPSEARCH_INTERNAL,
                                "cannot start inflating: %s", zError(r));
        in->z_live = 1;
        in->gz = 1;
    }
    while (st == SPSEARCH_OK && in->len < SP_READ_SNIFF && !in->eof)
        st = fill(in, err);
    if (st != SPSEARCH_OK)
        return st;
    if (in->len == 0)
        return sp_error_set(err, SPSEARCH_BAD_INPUT, "empty file");
    if (memchr(in->buf, '\0', in->len < SP_READ_SNIFF ? in->len
                                                       : SP_READ_SNIFF))
        return sp_error_set(err, SPSEARCH_BAD_INPUT,
                            "binary file (holds NUL bytes)");
    return SPSEARCH_OK;
}

static void input_end(input *in)
{
    if (in->z_live)
        inflateEnd(&in->zs);
    free(in->buf);
    free(in->rbuf);
    sp_buf_free(&in->lbuf);
}

/* Reads the next line, without its '\n', into *ln; *have is 0 at the end
 * of the input.  A line longer than SP_READ_MAX_RECORD is read through
 * without being kept, and flagged.  ln->p stays valid until the next
 * call. */
static spsearch_status_t next_line(input *in, line *ln, int *have,
                                   sp_error *err)
{
    int started = 0, too_long = 0;
    *have = 0;
    in->lbuf.len = 0;
    for (;;) {
        if (in->pos == in->len) {
            if (in->eof)
                break;
            spsearch_status_t st = fill(in, err);
            if (st != SPSEARCH_OK)
                return st;
            continue;
        }
        const char *p = in->buf + in->pos;
        size_t avail = in->len - in->pos;
        const char *nl = memchr(p, '\n', avail);
        size_t n = nl != NULL ? (size_t)(nl - p) : avail;
        if (nl != NULL && !started) {
            /* The whole line is in the window: no copy. */
            in->pos += n + 1;
            in->line++;
            ln->p = p;
            ln->len = n;
            ln->no = in->line;
            ln->too_long = 0;
            *have = 1;
            return SPSEARCH_OK;
        }
        started = 1;
        if (!too_long && in->lbuf.len + n > SP_READ_MAX_RECORD) {
            too_long = 1;
            sp_buf_free(&in->lbuf);
        }
        if (!too_long) {
            spsearch_status_t st = sp_buf_append(&in->lbuf, p, n, err);
            if (st != SPSEARCH_OK)
                return st;
        }
        in->pos += n;
        if (nl != NULL) {
            in->pos++;
            break;
        }
    }
    if (!started)
        return SPSEARCH_OK;
    in->line++;
    ln->p = too_long ? "" : cstr(&in->lbuf);
    ln->len = too_long ? 0 : in->lbuf.len;
    ln->no = in->line;
    ln->too_long = too_long;
    *have = 1;
    return SPSEARCH_OK;
}

/* Reads the rest of the input into out (bounded by SP_READ_MAX_ARTICLE);
 * size_hint is the file's size when known. */
static spsearch_status_t read_all(input *in, size_t size_hint, sp_buf *out,
                                  sp_error *err)
{
    spsearch_status_t st;
    const char *how = in->gz ? " uncompressed" : "";
    if (!in->gz && size_hint > SP_READ_MAX_ARTICLE)
        return sp_error_set(err, SPSEARCH_BAD_INPUT, "larger than %u MB",
                            SP_READ_MAX_ARTICLE >> 20);
    if (!in->gz && size_hint > 0) {
        st = sp_buf_reserve(out, size_hint + 1, err);
        if (st != SPSEARCH_OK)
            return st;
    }
    for (;;) {
        size_t n = in->len - in->pos;
        if (n > 0) {
            if (out->len + n > SP_READ_MAX_ARTICLE)
                return sp_error_set(err, SPSEARCH_BAD_INPUT,
                                    "larger than %u MB%s",
                                    SP_READ_MAX_ARTICLE >> 20, how);
            st = sp_buf_append(out, in->buf + in->pos, n, err);
            if (st != SPSEARCH_OK)
                return st;
            in->pos = in->len;
        }
        if (in->eof)
            break;
        st = fill(in, err);
        if (st != SPSEARCH_OK)
            return st;
    }
    return sp_buf_append(out, "", 0, err);
}

/* ------------------------------------------------------------------ */
/* Formats                                                             */

enum format { F_UNKNOWN, F_TEXT, F_JSONL, F_TREC, F_HTML };

static const char *const format_names[] = {"", "text", "jsonl", "trec",
                                           "html"};

static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && strncasecmp(s + n - k, suffix, k) == 0;
}

static int gz_name(const char *name)
{
    return name != NULL && ends_with_ci(name, strlen(name), ".gz");
}

static enum format format_of_name(const char *name)
{
    if (name == NULL)
        return F_UNKNOWN;
    const char *base = strrchr(name, '/');
    base = base != NULL ? base + 1 : name;
    size_t n = strlen(base);
    if (ends_with_ci(base, n, ".gz"))
        n -= 3;
    static const struct {
        const char *ext;
        enum format f;
    } exts[] = {{".txt", F_TEXT},    {".text", F_TEXT},   {".jsonl", F_JSONL},
                {".ndjson", F_JSONL}, {".trec", F_TREC},  {".sgml", F_TREC},
                {".sgm", F_TREC},     {".html", F_HTML},  {".htm", F_HTML},
                {".xhtml", F_HTML}};
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
        if (ends_with_ci(base, n, exts[i].ext))
            return exts[i].f;
    return F_UNKNOWN;
}

static enum format format_of_content(const char *s, size_t n)
{
    size_t i = has_bom(s, n) ? 3 : 0;
    for (;;) {
        while (i < n && is_ws((unsigned char)s[i]))
            i++;
        if (i >= n)
            return F_TEXT;
        if (s[i] == '{')
            return F_JSONL;
        if (s[i] != '<')
            return F_TEXT;
        /* Comments and an XML declaration may come before <html>. */
        if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
            const char *e = NULL;
            for (size_t k = i + 4; k + 3 <= n; k++) {
                if (memcmp(s + k, "-->", 3) == 0) {
                    e = s + k + 3;
                    break;
                }
            }
            if (e == NULL)
                return F_TEXT;
            i = (size_t)(e - s);
            continue;
        }
        if (n - i >= 2 && s[i + 1] == '?') {
            const char *e = memchr(s + i, '>', n - i);
            if (e == NULL)
                return F_TEXT;
            i = (size_t)(e - s) + 1;
            continue;
        }
        break;
    }
    const char *p = s + i;
    size_t left = n - i;
    if (left >= 5 && strncasecmp(p, "<doc", 4) == 0 &&
        (p[4] == '>' || is_ws((unsigned char)p[4])))
        return F_TREC;
    if (left >= 6 && strncasecmp(p, "<html", 5) == 0 &&
        (p[5] == '>' || is_ws((unsigned char)p[5])))
        return F_HTML;
    if (left >= 9 && strncasecmp(p, "<!doctype", 9) == 0) {
        size_t k = 9;
        while (k < left && is_ws((unsigned char)p[k]))
            k++;
        if (left - k >= 4 && strncasecmp(p + k, "html", 4) == 0)
            return F_HTML;
    }
    return F_TEXT;
}

/* What every format hands over. */
typedef struct emit {
    sp_article_fn fn;
    void *ctx;
    sp_error *err;
    const char *format;
    /* Scratch fields, reused from article to article. */
    sp_buf id, title, author, source, url, lang, text;
    /* The input decoded into UTF-8 (see decode_input), and from what:
     * "" when it was UTF-8. */
    sp_buf decoded;
    char charset[SP_CHARSET_NAME];
} emit;

static void emit_free(emit *e)
{
    sp_buf_free(&e->id);
    sp_buf_free(&e->title);
    sp_buf_free(&e->author);
    sp_buf_free(&e->source);
    sp_buf_free(&e->url);
    sp_buf_free(&e->lang);
    sp_buf_free(&e->text);
    sp_buf_free(&e->decoded);
}

/* Makes the input in b UTF-8 (see sp_charset_decode): b then holds the
 * decoded text and e->charset names what it was decoded from.  The
 * buffers are swapped, not copied, so both stay reusable. */
static spsearch_status_t decode_input(emit *e, sp_buf *b, const char *declared,
                                      int markup)
{
    spsearch_status_t st = sp_charset_decode(b->data, b->len, declared,
                                             markup, &e->decoded, e->charset,
                                             e->err);
    if (st == SPSEARCH_OK && e->charset[0] != '\0') {
        sp_buf raw = *b;
        *b = e->decoded;
        e->decoded = raw;
    }
    return st;
}

static spsearch_status_t emit_reset(emit *e)
{
    spsearch_status_t st = buf_reset(&e->id, e->err);
    if (st == SPSEARCH_OK)
        st = buf_reset(&e->title, e->err);
    if (st == SPSEARCH_OK)
        st = buf_reset(&e->author, e->err);
    if (st == SPSEARCH_OK)
        st = buf_reset(&e->source, e->err);
    if (st == SPSEARCH_OK)
        st = buf_reset(&e->url, e->err);
    if (st == SPSEARCH_OK)
        st = buf_reset(&e->lang, e->err);
    return st;
}

static spsearch_status_t emit_call(emit *e, const char *date,
                                   const char *text, size_t len,
                                   unsigned long lineno)
{
    sp_article_in a;
    a.id = cstr(&e->id);
    a.title = cstr(&e->title);
    memcpy(a.date, date, 11);
    a.author = cstr(&e->author);
    a.source = cstr(&e->source);
    a.url = cstr(&e->url);
    a.lang = cstr(&e->lang);
    a.text = text;
    a.len = len;
    a.line = lineno;
    a.format = e->format;
    a.charset = e->charset;
    return e->fn(e->ctx, &a);
}

static spsearch_status_t id_from_line(emit *e, unsigned long lineno)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "line %lu", lineno);
    e->id.len = 0;
    return sp_buf_append(&e->id, tmp, (size_t)n, e->err);
}

/* ---- plain text ---- */

static spsearch_status_t read_text(input *in, emit *e, size_t size_hint)
{
    sp_buf all = {0};
    char date[11] = "";
    spsearch_status_t st = read_all(in, size_hint, &all, e->err);
    if (st == SPSEARCH_OK && is_blank_text(all.data, all.len))
        st = sp_error_set(e->err, SPSEARCH_BAD_INPUT, "no text");
    /* A byte order mark says UTF-8 whatever follows. */
    if (st == SPSEARCH_OK && !has_bom(all.data, all.len))
        st = decode_input(e, &all, NULL, 0);
    if (st == SPSEARCH_OK)
        st = emit_reset(e);
    if (st == SPSEARCH_OK) {
        /* Offsets stay file offsets: a BOM stays in the text and is only
         * stepped over for the title, date and byline. */
        size_t off = has_bom(all.data, all.len) ? 3 : 0;
        const char *t = all.data + off;
        size_t n = all.len - off, ts, te;
        sp_article_title(t, n, &ts, &te);
        size_t rest = te;
        while (rest < n && (t[rest] == ' ' || t[rest] == '\t'))
            rest++;
        int cut = te > ts && rest < n && t[rest] != '\n' && t[rest] != '\r';
        st = put_line(&e->title, t + ts, te - ts, SP_TITLE_MAX, cut, e->err);
        if (st == SPSEARCH_OK)
            st = find_byline(t + te, n - te, &e->author, e->err);
        sp_article_find_date(t, n, date);
    }
    if (st == SPSEARCH_OK)
        st = emit_call(e, date, all.data, all.len, 1);
    sp_buf_free(&all);
    return st;
}

/* ---- JSON Lines ---- */

enum { J_OK = 0, J_BAD = -1, J_MEM = -2, J_NOT_OBJECT = -3 };

typedef struct jp {
    const char *s;
    size_t n, i;
    const char *what;     /* a syntax error: what... */
    size_t at;            /* ...and at which byte */
    char what_buf[48];
    sp_error *err;
} jp;

/* The fields of one record; has[] says which were given as strings. */
enum { JF_ID, JF_URL, JF_TITLE, JF_DATE, JF_AUTHOR, JF_SOURCE, JF_LANG,
       JF_BODY, JF_TEXT, JF_COUNT };

/* The names each field goes by in the feeds people have (NewsAPI's
 * "publishedAt" and "content", RSS-born "link", "pubDate" and "guid"),
 * best first: a line with two of them takes the first. */
#define JF_ALIASES 7
static const char *const jf_names[JF_COUNT][JF_ALIASES] = {
    {"id", "guid", "uuid"},
    {"url", "link", "permalink"},
    {"title", "headline"},
    {"date", "published", "published_at", "publishedAt", "pubDate",
     "datePublished", "date_published"},
    {"author", "authors", "byline", "creator"},
    {"source", "publisher"},
    {"lang", "language"},
    {"body", "articleBody", "article_body"},
    {"text", "content", "full_text", "description", "summary"}};

typedef struct jrec {
    sp_buf key;
    sp_buf f[JF_COUNT];
    int has[JF_COUNT];
    int alias[JF_COUNT]; /* which of its names gave the field */
    char date_num[40];  /* a date given as a number */
} jrec;

static int jbad(jp *p, size_t at, const char *what)
{
    p->what = what;
    p->at = at;
    return J_BAD;
}

static int junexpected(jp *p)
{
    if (p->i >= p->n)
        return jbad(p, p->i, "unexpected end of line");
    unsigned char c = (unsigned char)p->s[p->i];
    if (c > 0x20 && c < 0x7f)
        snprintf(p->what_buf, sizeof p->what_buf, "unexpected '%c'", c);
    else
        snprintf(p->what_buf, sizeof p->what_buf, "unexpected byte 0x%02x",
                 c);
    return jbad(p, p->i, p->what_buf);
}

static void jws(jp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
                           p->s[p->i] == '\r' || p->s[p->i] == '\n'))
        p->i++;
}

static int jhex4(jp *p, unsigned long *v)
{
    *v = 0;
    if (p->n - p->i < 4)
        return -1;
    for (int k = 0; k < 4; k++) {
        unsigned char c = (unsigned char)p->s[p->i + (size_t)k];
        unsigned d;
        if (is_digit(c))
            d = c - '0';
        else if (c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        else
            return -1;
        *v = *v * 16 + d;
    }
    p->i += 4;
    return 0;
}

/* Reads the string at p->i (a '"'), decoding it into out (NULL: only
 * check it).  \u0000 and unpaired surrogates become U+FFFD, so that the
 * result is a C string; other bytes, invalid UTF-8 included, pass. */
static int jstring(jp *p, sp_buf *out)
{
    size_t start = p->i;
    p->i++;
    for (;;) {
        size_t run = p->i;
        while (p->i < p->n) {
            unsigned char c = (unsigned char)p->s[p->i];
            if (c == '"' || c == '\\' || c < 0x20)
                break;
            p->i++;
        }
        if (out != NULL && p->i > run &&
            sp_buf_append(out, p->s + run, p->i - run, p->err) != SPSEARCH_OK)
            return J_MEM;
        if (p->i >= p->n)
            return jbad(p, start, "unterminated string");
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            return J_OK;
        }
        if (c < 0x20)
            return jbad(p, p->i, "control character in string");
        size_t esc = p->i++;
        if (p->i >= p->n)
            return jbad(p, start, "unterminated string");
        unsigned long cp;
        switch (p->s[p->i++]) {
        case '"':
            cp = '"';
            break;
        case '\\':
            cp = '\\';
            break;
        case '/':
            cp = '/';
            break;
        case 'b':
            cp = '\b';
            break;
        case 'f':
            cp = '\f';
            break;
        case 'n':
            cp = '\n';
            break;
        case 'r':
            cp = '\r';
            break;
        case 't':
            cp = '\t';
            break;
        case 'u':
            if (jhex4(p, &cp) != 0)
                return jbad(p, esc, "bad \\u escape");
            if (cp >= 0xd800 && cp <= 0xdbff) {
                size_t save = p->i;
                unsigned long lo;
                if (p->n - p->i >= 2 && p->s[p->i] == '\\' &&
                    p->s[p->i + 1] == 'u') {
                    p->i += 2;
                    if (jhex4(p, &lo) == 0 && lo >= 0xdc00 && lo <= 0xdfff) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                    } else {
                        p->i = save;
                        cp = 0xfffd;
                    }
                } else {
                    cp = 0xfffd;
                }
            } else if ((cp >= 0xdc00 && cp <= 0xdfff) || cp == 0) {
                cp = 0xfffd;
            }
            break;
        default:
            return jbad(p, esc, "bad escape");
        }
        if (out != NULL && put_utf8(out, cp, p->err) != SPSEARCH_OK)
            return J_MEM;
    }
}

static int jnumber(jp *p)
{
    size_t start = p->i;
    if (p->i < p->n && p->s[p->i] == '-')
        p->i++;
    if (p->i < p->n && p->s[p->i] == '0') {
        p->i++;
    } else if (p->i < p->n && p->s[p->i] >= '1' && p->s[p->i] <= '9') {
        while (p->i < p->n && is_digit((unsigned char)p->s[p->i]))
            p->i++;
    } else {
        return jbad(p, start, "bad number");
    }
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (p->i >= p->n || !is_digit((unsigned char)p->s[p->i]))
            return jbad(p, start, "bad number");
        while (p->i < p->n && is_digit((unsigned char)p->s[p->i]))
            p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (p->i >= p->n || !is_digit((unsigned char)p->s[p->i]))
            return jbad(p, start, "bad number");
        while (p->i < p->n && is_digit((unsigned char)p->s[p->i]))
            p->i++;
    }
    return J_OK;
}

static int jliteral(jp *p, const char *word)
{
    size_t k = strlen(word);
    if (p->n - p->i < k || memcmp(p->s + p->i, word, k) != 0)
        return junexpected(p);
    p->i += k;
    return J_OK;
}

static int jskip(jp *p, int depth);

/* Steps into the object or array at p->i; 1 when it is empty (and read
 * through its close). */
static int jopen(jp *p, char close)
{
    p->i++;
    jws(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return 1;
    }
    return 0;
}

/* After a member or an element: steps over the ',' before another (1) or
 * the closing close (J_OK); else a syntax error. */
static int jnext(jp *p, char close)
{
    jws(p);
    if (p->i < p->n && p->s[p->i] == ',') {
        p->i++;
        jws(p);
        return 1;
    }
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return J_OK;
    }
    return junexpected(p);
}

/* A member's key at p->i into key (NULL: only checked), then its ':'. */
static int jkey(jp *p, sp_buf *key)
{
    if (p->i >= p->n || p->s[p->i] != '"')
        return junexpected(p);
    if (key != NULL)
        key->len = 0;
    int r = jstring(p, key);
    if (r != J_OK)
        return r;
    jws(p);
    if (p->i >= p->n || p->s[p->i] != ':')
        return junexpected(p);
    p->i++;
    jws(p);
    return J_OK;
}

/* Skips the object or array at p->i. */
static int jskip_container(jp *p, int depth)
{
    char close = p->s[p->i] == '{' ? '}' : ']';
    if (depth >= JSON_MAX_DEPTH)
        return jbad(p, p->i, "nesting too deep");
    if (jopen(p, close))
        return J_OK;
    for (;;) {
        int r;
        if (close == '}' && (r = jkey(p, NULL)) != J_OK)
            return r;
        if ((r = jskip(p, depth + 1)) != J_OK || (r = jnext(p, close)) <= 0)
            return r;
    }
}

/* Skips (while checking) the value at p->i. */
static int jskip(jp *p, int depth)
{
    if (p->i >= p->n)
        return junexpected(p);
    switch (p->s[p->i]) {
    case '"':
        return jstring(p, NULL);
    case '{':
    case '[':
        return jskip_container(p, depth);
    case 't':
        return jliteral(p, "true");
    case 'f':
        return jliteral(p, "false");
    case 'n':
        return jliteral(p, "null");
    default:
        if (p->s[p->i] == '-' || is_digit((unsigned char)p->s[p->i]))
            return jnumber(p);
        return junexpected(p);
    }
}

/* The name at p->i (a string) onto out, after ", " when out has some
 * already; an empty or blank one, or a link, adds nothing. */
static int jappend_name(jp *p, sp_buf *out)
{
    size_t before = out->len;
    if (before > 0 && sp_buf_append(out, ", ", 2, p->err) != SPSEARCH_OK)
        return J_MEM;
    size_t mark = out->len;
    int r = jstring(p, out);
    size_t n = out->len - mark;
    if (r == J_OK &&
        (n == 0 || is_blank_text(out->data + mark, n) ||
         (n >= 4 && strncasecmp(out->data + mark, "http", 4) == 0)))
        out->len = before;
    return r;
}

/* An object's "name" onto out, the rest skipped ({"name": "BBC News",
 * "id": "bbc-news"}); with many, joined with ", " to what out has, else
 * only into an empty out.  key is scratch. */
static int jname(jp *p, sp_buf *key, sp_buf *out, int many, int depth)
{
    if (depth >= JSON_MAX_DEPTH)
        return jbad(p, p->i, "nesting too deep");
    if (jopen(p, '}'))
        return J_OK;
    for (;;) {
        int r = jkey(p, key);
        if (r != J_OK)
            return r;
        if (p->i < p->n && p->s[p->i] == '"' && key->len == 4 &&
            memcmp(key->data, "name", 4) == 0 && (many || out->len == 0)) {
            r = jappend_name(p, out);
        } else {
            r = jskip(p, depth + 1);
        }
        if (r != J_OK)
            return r;
        if ((r = jnext(p, '}')) <= 0)
            return r;
    }
}

/* "author": a string, or an array whose strings (or objects' names) are
 * joined with ", ". */
static int jauthors(jp *p, sp_buf *key, sp_buf *out)
{
    if (jopen(p, ']'))
        return J_OK;
    for (;;) {
        int r;
        if (p->i < p->n && p->s[p->i] == '"') {
            r = jappend_name(p, out);
        } else if (p->i < p->n && p->s[p->i] == '{') {
            r = jname(p, key, out, 1, 2);
        } else {
            r = jskip(p, 1);
        }
        if (r != J_OK)
            return r;
        if ((r = jnext(p, ']')) <= 0)
            return r;
    }
}

/* One member's value, for the key just read into r->key. */
static int jfield(jp *p, jrec *r)
{
    int f, alias = 0;
    for (f = 0; f < JF_COUNT; f++) {
        for (alias = 0; alias < JF_ALIASES && jf_names[f][alias]; alias++)
            if (r->key.len == strlen(jf_names[f][alias]) &&
                memcmp(r->key.data, jf_names[f][alias], r->key.len) == 0)
                break;
        if (alias < JF_ALIASES && jf_names[f][alias])
            break;
    }
    if (f == JF_COUNT || p->i >= p->n)
        return jskip(p, 1);
    /* A better name of the field was given already. */
    if ((r->has[f] || (f == JF_DATE && r->date_num[0] != '\0')) &&
        r->alias[f] < alias)
        return jskip(p, 1);
    char c = p->s[p->i];
    r->alias[f] = alias;
    if ((f == JF_AUTHOR || f == JF_SOURCE) && c == '{') {
        if (buf_reset(&r->f[f], p->err) != SPSEARCH_OK)
            return J_MEM;
        r->has[f] = 1;
        return jname(p, &r->key, &r->f[f], f == JF_AUTHOR, 1);
    }
    /* Allocated even when empty, so that every field read is a string. */
    if ((c == '"' || c == '[' || c == '-' || is_digit((unsigned char)c)) &&
        buf_reset(&r->f[f], p->err) != SPSEARCH_OK)
        return J_MEM;
    if (c == '"') {
        /* A repeated key: the last one counts. */
        r->has[f] = 1;
        if (f == JF_DATE)
            r->date_num[0] = '\0';
        return jstring(p, &r->f[f]);
    }
    if (f == JF_AUTHOR && c == '[') {
        r->has[f] = 1;
        return jauthors(p, &r->key, &r->f[f]);
    }
    if ((f == JF_ID || f == JF_DATE) &&
        (c == '-' || is_digit((unsigned char)c))) {
        size_t start = p->i;
        int res = jnumber(p);
        if (res != J_OK)
            return res;
        size_t n = p->i - start;
        if (f == JF_ID) {
            r->has[f] = 1;
            if (sp_buf_append(&r->f[f], p->s + start, n, p->err) !=
                SPSEARCH_OK)
                return J_MEM;
        } else if (n < sizeof r->date_num) {
            memcpy(r->date_num, p->s + start, n);
            r->date_num[n] = '\0';
            r->has[f] = 0;
        }
        return J_OK;
    }
    return jskip(p, 1);
}

/* Parses the line p->s[p->i..n) as one JSON object into r. */
static int jrecord(jp *p, jrec *r)
{
    jws(p);
    if (p->i >= p->n || p->s[p->i] != '{') {
        int res = jskip(p, 0);
        if (res != J_OK)
            return res;
        jws(p);
        return p->i < p->n ? junexpected(p) : J_NOT_OBJECT;
    }
    if (!jopen(p, '}')) {
        int res;
        do {
            if ((res = jkey(p, &r->key)) != J_OK ||
                (res = jfield(p, r)) != J_OK)
                return res;
        } while ((res = jnext(p, '}')) > 0);
        if (res != J_OK)
            return res;
    }
    jws(p);
    return p->i < p->n ? junexpected(p) : J_OK;
}

/* A date given as seconds (or, when huge, milliseconds) since 1970. */
static void epoch_date(const char *num, char out[11])
{
    char *end;
    double t = strtod(num, &end);
    out[0] = '\0';
    if (t > 1e11)
        t /= 1000;
    if (!(t >= 0 && t < 32503680000.0))  /* up to the year 3000 */
        return;
    time_t tt = (time_t)t;
    struct tm tm;
    if (gmtime_r(&tt, &tm) != NULL)
        strftime(out, 11, "%Y-%m-%d", &tm);
}

static int looks_like_html(const char *s, size_t n);
static spsearch_status_t html_fragment(emit *e, const char *s, size_t n);

static spsearch_status_t jsonl_record(input *in, emit *e, jrec *r,
                                      const line *ln)
{
    char msg[96];
    jp p = {ln->p, ln->len, 0, NULL, 0, "", e->err};
    if (ln->no == 1 && has_bom(ln->p, ln->len))
        p.i = 3;
    for (int f = 0; f < JF_COUNT; f++) {
        r->f[f].len = 0;
        r->has[f] = 0;
    }
    r->date_num[0] = '\0';
    int res = jrecord(&p, r);
    if (res == J_MEM)
        return SPSEARCH_NOMEM;
    if (res == J_BAD) {
        snprintf(msg, sizeof msg, "not JSON: %s at column %zu", p.what,
                 p.at + 1);
        warn_at(in, ln->no, msg);
        return SPSEARCH_OK;
    }
    if (res == J_NOT_OBJECT) {
        warn_at(in, ln->no, "not a JSON object");
        return SPSEARCH_OK;
    }
    int body = JF_BODY;
    if (!r->has[body] || is_blank_text(r->f[body].data, r->f[body].len))
        body = JF_TEXT;
    if (!r->has[body] || is_blank_text(r->f[body].data, r->f[body].len)) {
        warn_at(in, ln->no, r->has[JF_BODY] || r->has[JF_TEXT]
                                ? "empty body"
                                : "no body or text field");
        return SPSEARCH_OK;
    }
    spsearch_status_t st = emit_reset(e);
    const sp_buf *f = r->f;
    if (st == SPSEARCH_OK) {
        if (r->has[JF_ID] && !is_blank_text(f[JF_ID].data, f[JF_ID].len))
            st = sp_buf_append(&e->id, f[JF_ID].data, f[JF_ID].len, e->err);
        else if (r->has[JF_URL] &&
                 !is_blank_text(f[JF_URL].data, f[JF_URL].len))
            st = put_line(&e->id, f[JF_URL].data, f[JF_URL].len, 0, 0,
                          e->err);
        else
            st = id_from_line(e, ln->no);
    }
    if (st == SPSEARCH_OK && r->has[JF_TITLE])
        st = put_line(&e->title, f[JF_TITLE].data, f[JF_TITLE].len,
                      SP_TITLE_MAX, 0, e->err);
    if (st == SPSEARCH_OK && r->has[JF_AUTHOR])
        st = put_line(&e->author, f[JF_AUTHOR].data, f[JF_AUTHOR].len, 0, 0,
                      e->err);
    if (st == SPSEARCH_OK && r->has[JF_SOURCE])
        st = put_line(&e->source, f[JF_SOURCE].data, f[JF_SOURCE].len, 0, 0,
                      e->err);
    if (st == SPSEARCH_OK && r->has[JF_URL])
        st = put_line(&e->url, f[JF_URL].data, f[JF_URL].len, 0, 0, e->err);
    if (st == SPSEARCH_OK && r->has[JF_LANG])
        st = put_line(&e->lang, f[JF_LANG].data, f[JF_LANG].len, 0, 0,
                      e->err);
    if (st != SPSEARCH_OK)
        return st;
    char date[11] = "";
    if (r->has[JF_DATE]) {
        const char *d = f[JF_DATE].data;
        size_t dn = f[JF_DATE].len;
        if (sp_article_parse_date(d, dn, date) != 0)
            sp_article_find_date(d, dn, date);
    } else if (r->date_num[0] != '\0') {
        epoch_date(r->date_num, date);
    }
    /* A body written as HTML (an RSS item's content:encoded, a CMS
     * export) is read as a page's: its tags are no words. */
    if (looks_like_html(f[body].data, f[body].len)) {
        st = html_fragment(e, f[body].data, f[body].len);
        if (st == SPSEARCH_BAD_INPUT) {
            warn_at(in, ln->no, "empty body");
            return SPSEARCH_OK;
        }
        if (st != SPSEARCH_OK)
            return st;
        return emit_call(e, date, e->text.data, e->text.len, ln->no);
    }
    return emit_call(e, date, f[body].data, f[body].len, ln->no);
}

static spsearch_status_t read_jsonl(input *in, emit *e)
{
    jrec r;
    memset(&r, 0, sizeof r);
    spsearch_status_t st = SPSEARCH_OK;
    char msg[64];
    for (;;) {
        line ln;
        int have;
        st = next_line(in, &ln, &have, e->err);
        if (st != SPSEARCH_OK || !have)
            break;
        if (ln.too_long) {
            snprintf(msg, sizeof msg, "line longer than %u MB, skipped",
                     SP_READ_MAX_RECORD >> 20);
            warn_at(in, ln.no, msg);
            continue;
        }
        if (is_blank_text(ln.p, ln.len))
            continue;
        /* A line is decoded on its own: an archive of lines appended
         * over the years may change charsets from one to the next. */
        st = sp_charset_decode(ln.p, ln.len, NULL, 0, &e->decoded,
                               e->charset, e->err);
        if (st != SPSEARCH_OK)
            break;
        if (e->charset[0] != '\0') {
            ln.p = e->decoded.data;
            ln.len = e->decoded.len;
        }
        st = jsonl_record(in, e, &r, &ln);
        if (st != SPSEARCH_OK)
            break;
    }
    sp_buf_free(&r.key);
    for (int f = 0; f < JF_COUNT; f++)
        sp_buf_free(&r.f[f]);
    return st;
}

/* ---- TREC ---- */

/* Finds the first tag <name ...> (or </name ...> when closing) in
 * s[0..n), name lower-case; case is ignored. */
static const char *find_tag(const char *s, size_t n, const char *name,
                            int closing)
{
    size_t k = strlen(name);
    const char *p = s, *end = s + n;
    for (;;) {
        p = memchr(p, '<', (size_t)(end - p));
        if (p == NULL)
            return NULL;
        const char *q = p + 1;
        if (closing) {
            if (q >= end || *q != '/') {
                p++;
                continue;
            }
            q++;
        }
        if ((size_t)(end - q) > k && strncasecmp(q, name, k) == 0 &&
            (q[k] == '>' || is_ws((unsigned char)q[k])))
            return p;
        p++;
    }
}

/* The byte after the '>' that closes the tag at t, or end. */
static const char *tag_end(const char *t, const char *end)
{
    const char *gt = memchr(t, '>', (size_t)(end - t));
    return gt != NULL ? gt + 1 : end;
}

typedef struct trec {
    sp_buf doc;                /* the current <DOC>'s content */
    int in_doc, overflow;
    unsigned long doc_line;
    int outside_warned;        /* about text between documents */
    sp_buf scratch;
} trec;

/* The date of a TREC <DATE>/<DD>: "940317", "19940317", "03/17/94",
 * "= 940317", or any form sp_article_parse_date()/find_date() reads
 * ("March 17, 1994, Thursday, Home Edition"). */
static int trec_date(const char *s, size_t n, char out[11])
{
    char iso[16];
    trim(&s, &n);
    while (n > 0 && (*s == '=' || is_ws((unsigned char)*s))) {
        s++;
        n--;
    }
    size_t tok = 0;
    while (tok < n && !is_ws((unsigned char)s[tok]))
        tok++;
    int y = -1, m = 0, d = 0, digits = 1;
    for (size_t i = 0; i < tok; i++)
        digits = digits && is_digit((unsigned char)s[i]);
    if (digits && (tok == 6 || tok == 8)) {
        int v[8];
        for (size_t i = 0; i < tok; i++)
            v[i] = s[i] - '0';
        size_t yl = tok - 4;
        y = 0;
        for (size_t i = 0; i < yl; i++)
            y = y * 10 + v[i];
        m = v[yl] * 10 + v[yl + 1];
        d = v[yl + 2] * 10 + v[yl + 3];
    } else {
        /* M/D/Y */
        int part[3] = {0, 0, 0}, len[3] = {0, 0, 0}, k = 0;
        size_t i = 0;
        for (; i < tok && k < 3; i++) {
            if (is_digit((unsigned char)s[i])) {
                if (++len[k] > 4)
                    break;
                part[k] = part[k] * 10 + (s[i] - '0');
            } else if (s[i] == '/' && k < 2 && len[k] > 0) {
                k++;
            } else {
                break;
            }
        }
        if (i == tok && k == 2 && len[0] <= 2 && len[1] <= 2 &&
            (len[2] == 2 || len[2] == 4)) {
            m = part[0];
            d = part[1];
            y = part[2];
        }
    }
    if (y >= 0) {
        if (y < 100)
            y += y < 50 ? 2000 : 1900;
        snprintf(iso, sizeof iso, "%04d-%02d-%02d", y % 10000, m % 100,
                 d % 100);
        if (sp_article_parse_date(iso, strlen(iso), out) == 0)
            return 0;
    }
    if (sp_article_parse_date(s, n, out) == 0)
        return 0;
    return sp_article_find_date(s, n, out);
}

/* Appends the paragraphs of one <TEXT> to t. */
static void trec_text(tb *t, const char *s, size_t n)
{
    /* Indentation starts paragraphs only when the text mixes indented
     * and unindented lines (AP); text indented throughout is one block. */
    int indented = 0, flush = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl != NULL ? (size_t)(nl - s) : n;
        if (!is_blank_text(s + i, e - i)) {
            if (s[i] == ' ' || s[i] == '\t')
                indented = 1;
            else
                flush = 1;
        }
        i = e + 1;
    }
    int indent_breaks = indented && flush;
    tb_break(t, 2);
    size_t i = 0;
    while (i < n && t->st == SPSEARCH_OK) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl != NULL ? (size_t)(nl - s) : n;
        if (is_blank_text(s + i, e - i)) {
            tb_break(t, 2);
            i = e + 1;
            continue;
        }
        if (indent_breaks && (s[i] == ' ' || s[i] == '\t'))
            tb_break(t, 2);
        else
            tb_space(t);
        /* A tag (<P>, </P>, <F P=102>) ends a paragraph. */
        e = tb_span(t, s, i, e, n, TAGS_NAMED);
        i = e + 1;
    }
    tb_break(t, 2);
}

/* The elements of a <DOC> that the reader uses. */
enum { T_DOCNO, T_HEADLINE, T_HL, T_DATE, T_DD, T_BYLINE, T_TEXT, T_OTHER };
static const char *const trec_tags[T_OTHER] = {
    "docno", "headline", "hl", "date", "dd", "byline", "text"};

/* Turns the content of one <DOC> into an article. */
static spsearch_status_t trec_doc(input *in, emit *e, trec *tr)
{
    spsearch_status_t st = decode_input(e, &tr->doc, NULL, 1);
    if (st != SPSEARCH_OK)
        return st;
    const char *s = cstr(&tr->doc), *end = s + tr->doc.len;
    char date[11] = "";
    int have_id = 0, have_title = 0, have_author = 0, texts = 0;
    tb body;
    st = emit_reset(e);
    if (st != SPSEARCH_OK)
        return st;
    tb_init(&body, &e->text, 0, e->err);
    const char *p = s;
    while (body.st == SPSEARCH_OK) {
        p = memchr(p, '<', (size_t)(end - p));
        if (p == NULL)
            break;
        const char *q = p + 1;
        if (q < end && *q == '/') {
            p = tag_end(p, end);
            continue;
        }
        const char *name = q;
        while (q < end && (is_alpha((unsigned char)*q) ||
                           is_digit((unsigned char)*q)))
            q++;
        size_t nl = (size_t)(q - name);
        const char *open_end = tag_end(p, end);
        int kind = T_OTHER;
        for (int k = 0; k < T_OTHER; k++)
            if (word_is(name, nl, trec_tags[k]))
                kind = k;
        if (kind == T_OTHER) {
            /* Unknown elements (<SECTION>, <LENGTH>...) are dropped, and
             * so is what sits between elements. */
            p = nl == 0 ? p + 1 : open_end;
            continue;
        }
        /* The content runs to the matching close tag; without one, a
         * <TEXT> runs to the end of the document and the others to the
         * next tag. */
        const char *c_start = open_end, *c_end;
        const char *close = find_tag(c_start, (size_t)(end - c_start),
                                     trec_tags[kind], 1);
        if (close != NULL) {
            c_end = close;
            p = tag_end(close, end);
        } else if (kind == T_TEXT) {
            c_end = end;
            p = end;
        } else {
            const char *lt = memchr(c_start, '<', (size_t)(end - c_start));
            c_end = lt != NULL ? lt : end;
            p = c_end;
        }
        size_t cn = (size_t)(c_end - c_start);
        switch (kind) {
        case T_DOCNO:
            if (!have_id) {
                st = put_line(&e->id, c_start, cn, 0, 0, e->err);
                have_id = e->id.len > 0;
            }
            break;
        case T_HEADLINE:
        case T_HL:
            if (!have_title) {
                tb h;
                tb_init(&h, &tr->scratch, 1, e->err);
                tb_text(&h, c_start, cn, 1);
                st = h.st;
                if (st == SPSEARCH_OK)
                    st = put_line(&e->title, tr->scratch.data,
                                  tr->scratch.len, SP_TITLE_MAX, 0, e->err);
                have_title = e->title.len > 0;
            }
            break;
        case T_DATE:
        case T_DD:
            if (date[0] == '\0') {
                tb d;
                tb_init(&d, &tr->scratch, 1, e->err);
                tb_text(&d, c_start, cn, 1);
                st = d.st;
                if (st == SPSEARCH_OK)
                    trec_date(tr->scratch.data, tr->scratch.len, date);
            }
            break;
        case T_BYLINE:
            if (!have_author) {
                tb b;
                tb_init(&b, &tr->scratch, 1, e->err);
                tb_text(&b, c_start, cn, 1);
                st = b.st;
                if (st == SPSEARCH_OK)
                    st = put_author(&e->author, tr->scratch.data,
                                    tr->scratch.len, e->err);
                have_author = e->author.len > 0;
            }
            break;
        default: /* T_TEXT */
            texts++;
            trec_text(&body, c_start, cn);
            break;
        }
        if (st != SPSEARCH_OK)
            return st;
    }
    if (body.st != SPSEARCH_OK)
        return body.st;
    if (texts == 0) {
        warn_at(in, tr->doc_line, "<DOC> without <TEXT>, skipped");
        return SPSEARCH_OK;
    }
    if (e->text.len == 0) {
        warn_at(in, tr->doc_line, "empty <TEXT>, skipped");
        return SPSEARCH_OK;
    }
    if (!have_id)
        st = id_from_line(e, tr->doc_line);
    if (st == SPSEARCH_OK)
        st = emit_call(e, date, e->text.data, e->text.len, tr->doc_line);
    return st;
}

static void trec_skip_msg(trec *tr, char *msg, size_t size, const char *why)
{
    if (tr->overflow)
        snprintf(msg, size, "document longer than %u MB, skipped",
                 SP_READ_MAX_RECORD >> 20);
    else
        snprintf(msg, size, "<DOC> without </DOC>%s, skipped", why);
}

static spsearch_status_t trec_append(trec *tr, const char *s, size_t n,
                                     int newline, sp_error *err)
{
    if (tr->overflow)
        return SPSEARCH_OK;
    if (tr->doc.len + n + 1 > SP_READ_MAX_RECORD) {
        tr->overflow = 1;
        sp_buf_free(&tr->doc);
        return SPSEARCH_OK;
    }
    spsearch_status_t st = sp_buf_append(&tr->doc, s, n, err);
    if (st == SPSEARCH_OK && newline)
        st = sp_buf_append(&tr->doc, "\n", 1, err);
    return st;
}

/* Feeds one line to the <DOC> splitter. */
static spsearch_status_t trec_line(input *in, emit *e, trec *tr,
                                   const line *ln)
{
    char msg[96];
    const char *p = ln->p, *end = ln->p + ln->len;
    spsearch_status_t st = SPSEARCH_OK;
    if (ln->too_long) {
        if (tr->in_doc) {
            tr->overflow = 1;
            sp_buf_free(&tr->doc);
        } else {
            snprintf(msg, sizeof msg, "line longer than %u MB, skipped",
                     SP_READ_MAX_RECORD >> 20);
            warn_at(in, ln->no, msg);
        }
        return SPSEARCH_OK;
    }
    if (ln->no == 1 && has_bom(p, ln->len))
        p += 3;
    while (st == SPSEARCH_OK) {
        if (!tr->in_doc) {
            const char *open = find_tag(p, (size_t)(end - p), "doc", 0);
            const char *stop = open != NULL ? open : end;
            if (!tr->outside_warned &&
                !is_blank_text(p, (size_t)(stop - p))) {
                warn_at(in, ln->no, "text outside <DOC>...</DOC> ignored");
                tr->outside_warned = 1;
            }
            if (open == NULL)
                return SPSEARCH_OK;
            p = tag_end(open, end);
            tr->in_doc = 1;
            tr->overflow = 0;
            tr->doc_line = ln->no;
            tr->doc.len = 0;
            continue;
        }
        const char *close = find_tag(p, (size_t)(end - p), "doc", 1);
        const char *open = find_tag(p, (size_t)(end - p), "doc", 0);
        if (open != NULL && (close == NULL || open < close)) {
            trec_skip_msg(tr, msg, sizeof msg, "");
            warn_at(in, tr->doc_line, msg);
            tr->in_doc = 0;
            p = open;
            continue;
        }
        if (close == NULL)
            return trec_append(tr, p, (size_t)(end - p), 1, e->err);
        st = trec_append(tr, p, (size_t)(close - p), 0, e->err);
        if (st != SPSEARCH_OK)
            break;
        tr->in_doc = 0;
        tr->outside_warned = 0;
        if (tr->overflow) {
            trec_skip_msg(tr, msg, sizeof msg, "");
            warn_at(in, tr->doc_line, msg);
        } else {
            st = trec_doc(in, e, tr);
        }
        p = tag_end(close, end);
    }
    return st;
}

static spsearch_status_t read_trec(input *in, emit *e)
{
    trec tr;
    memset(&tr, 0, sizeof tr);
    spsearch_status_t st;
    for (;;) {
        line ln;
        int have;
        st = next_line(in, &ln, &have, e->err);
        if (st != SPSEARCH_OK || !have)
            break;
        st = trec_line(in, e, &tr, &ln);
        if (st != SPSEARCH_OK)
            break;
    }
    if (st == SPSEARCH_OK && tr.in_doc) {
        char msg[96];
        trec_skip_msg(&tr, msg, sizeof msg, " at the end of the file");
        warn_at(in, tr.doc_line, msg);
    }
    sp_buf_free(&tr.doc);
    sp_buf_free(&tr.scratch);
    return st;
}

/* ---- HTML ---- */

enum {
    H_BLOCK = 1,   /* ends a paragraph */
    H_LINE = 2,    /* ends a line */
    H_CELL = 4,    /* a space */
    H_SKIP = 8,    /* contents are not text */
    H_RAW = 16,    /* contents are not markup either: jump to the end tag */
    H_VOID = 32,   /* never has an end tag */
    H_HEAD = 64    /* may sit in <head> */
};

typedef struct helem {
    const char *name;
    int flags;
} helem;

static const helem helems[] = {
    {"p", H_BLOCK},          {"div", H_BLOCK},        {"h1", H_BLOCK},
    {"h2", H_BLOCK},         {"h3", H_BLOCK},         {"h4", H_BLOCK},
    {"h5", H_BLOCK},         {"h6", H_BLOCK},         {"article", H_BLOCK},
    {"section", H_BLOCK},    {"main", H_BLOCK},       {"blockquote", H_BLOCK},
    {"ul", H_BLOCK},         {"ol", H_BLOCK},         {"dl", H_BLOCK},
    {"table", H_BLOCK},      {"pre", H_BLOCK},        {"figure", H_BLOCK},
    {"figcaption", H_BLOCK}, {"address", H_BLOCK},    {"center", H_BLOCK},
    {"details", H_BLOCK},    {"summary", H_BLOCK},    {"caption", H_BLOCK},
    {"fieldset", H_BLOCK},   {"hgroup", H_BLOCK},     {"body", H_BLOCK},
    {"hr", H_BLOCK | H_VOID},
    {"header", H_BLOCK | H_SKIP},
    {"li", H_LINE},          {"dt", H_LINE},          {"dd", H_LINE},
    {"tr", H_LINE},          {"option", H_LINE},
    {"br", H_LINE | H_VOID},
    {"td", H_CELL},          {"th", H_CELL},
    {"nav", H_BLOCK | H_SKIP},       {"footer", H_BLOCK | H_SKIP},
    {"aside", H_BLOCK | H_SKIP},     {"form", H_BLOCK | H_SKIP},
    {"svg", H_SKIP},                 {"math", H_SKIP},
    {"select", H_SKIP},              {"button", H_SKIP},
    {"object", H_SKIP},              {"canvas", H_SKIP},
    {"video", H_SKIP},               {"audio", H_SKIP},
    {"map", H_SKIP},                 {"dialog", H_SKIP},
    {"script", H_SKIP | H_RAW | H_HEAD},
    {"style", H_SKIP | H_RAW | H_HEAD},
    {"noscript", H_SKIP | H_RAW | H_HEAD},
    {"template", H_SKIP | H_RAW | H_HEAD},
    {"textarea", H_SKIP | H_RAW},    {"iframe", H_SKIP | H_RAW},
    {"xmp", H_SKIP | H_RAW},         {"noembed", H_SKIP | H_RAW},
    {"noframes", H_SKIP | H_RAW},
    {"title", H_RAW | H_HEAD},
    {"meta", H_VOID | H_HEAD},       {"link", H_VOID | H_HEAD},
    {"base", H_VOID | H_HEAD},       {"head", H_HEAD},
    {"html", H_HEAD},
    {"img", H_VOID},   {"input", H_VOID}, {"wbr", H_VOID},
    {"source", H_VOID}, {"area", H_VOID}, {"col", H_VOID},
    {"embed", H_VOID}, {"param", H_VOID}, {"track", H_VOID},
};

#define HELEM_NONE (sizeof helems / sizeof *helems)

static size_t helem_of(const char *name, size_t n)
{
    for (size_t k = 0; k < HELEM_NONE; k++)
        if (word_is(name, n, helems[k].name))
            return k;
    return HELEM_NONE;
}

typedef struct hattr {
    const char *v;
    size_t n;
    int set;
} hattr;

/* The attributes the reader cares about. */
enum { A_NAME, A_PROPERTY, A_ITEMPROP, A_CONTENT, A_REL, A_HREF, A_LANG,
       A_DATETIME, A_TYPE, A_COUNT };
static const char *const attr_names[A_COUNT] = {
    "name", "property", "itemprop", "content", "rel", "href", "lang",
    "datetime", "type"};

/* ---- JSON-LD: what a news page's schema.org data says ---- */

/* The fields of one JSON-LD object that spindex takes. */
typedef struct ld_fields {
    sp_buf headline, date, author, publisher;
    int article; /* its "@type", or one of them, is an article's */
} ld_fields;

/* The first of each field from an article's object ("@type" NewsArticle,
 * Article, BlogPosting...), and from any other object, for a page whose
 * data names no article (a WebPage with a headline). */
typedef struct jld {
    ld_fields article, other;
    sp_buf key, scratch;
} jld;

/* What a value is read as: any object's, an author's or a publisher's
 * (their names), or "@type" (the types). */
enum { LD_ANY, LD_AUTHOR, LD_PUBLISHER, LD_TYPE };

static void ld_fields_free(ld_fields *f)
{
    sp_buf_free(&f->headline);
    sp_buf_free(&f->date);
    sp_buf_free(&f->author);
    sp_buf_free(&f->publisher);
}

static int ld_article_type(const char *t, size_t n)
{
    static const char *const types[] = {
        "Article",          "NewsArticle",          "ReportageNewsArticle",
        "AnalysisNewsArticle", "OpinionNewsArticle", "ReviewNewsArticle",
        "BackgroundNewsArticle", "BlogPosting",    "LiveBlogPosting",
        "Report",           "ScholarlyArticle",     "TechArticle"};
    for (size_t k = 0; k < sizeof types / sizeof *types; k++)
        if (word_is(t, n, types[k]))
            return 1;
    return 0;
}

/* A name, as a string or an object's "name", onto out: authors joined
 * with ", ", a publisher's only the first.  Links are no names. */
static int ld_name(jp *p, sp_buf *out, int many)
{
    return out->len > 0 && !many ? jstring(p, NULL) : jappend_name(p, out);
}

static int ld_value(jp *p, int depth, int role, ld_fields *into, jld *ld);

/* A string into an empty field; any other value skipped. */
static int ld_string(jp *p, int depth, sp_buf *field)
{
    if (p->s[p->i] != '"' || field->len > 0)
        return jskip(p, depth);
    if (buf_reset(field, p->err) != SPSEARCH_OK)
        return J_MEM;
    return jstring(p, field);
}

static int ld_object(jp *p, int depth, int role, ld_fields *into, jld *ld)
{
    if (depth >= JSON_MAX_DEPTH)
        return jbad(p, p->i, "nesting too deep");
    ld_fields mine;
    memset(&mine, 0, sizeof mine);
    int r = J_OK;
    if (jopen(p, '}'))
        return J_OK;
    while (r == J_OK) {
        if ((r = jkey(p, &ld->key)) != J_OK)
            break;
        if (p->i >= p->n) {
            r = junexpected(p);
            break;
        }
        const char *k = ld->key.data;
        size_t kn = ld->key.len;
        if (role != LD_ANY)
            /* An author's or a publisher's own name; nothing deeper (an
             * author's employer has a name too). */
            r = word_is(k, kn, "name") && p->s[p->i] == '"'
                    ? ld_name(p,
                              role == LD_AUTHOR ? &into->author
                                                : &into->publisher,
                              role == LD_AUTHOR)
                    : jskip(p, depth + 1);
        else if (word_is(k, kn, "@type"))
            r = ld_value(p, depth + 1, LD_TYPE, &mine, ld);
        else if (word_is(k, kn, "headline"))
            r = ld_string(p, depth + 1, &mine.headline);
        else if (word_is(k, kn, "datePublished"))
            r = ld_string(p, depth + 1, &mine.date);
        else if (word_is(k, kn, "author") || word_is(k, kn, "creator"))
            r = ld_value(p, depth + 1, LD_AUTHOR, &mine, ld);
        else if (word_is(k, kn, "publisher"))
            r = ld_value(p, depth + 1, LD_PUBLISHER, &mine, ld);
        else if (p->s[p->i] == '{' || p->s[p->i] == '[')
            /* "@graph", "mainEntity", "itemListElement": objects inside
             * count on their own. */
            r = ld_value(p, depth + 1, LD_ANY, NULL, ld);
        else
            r = jskip(p, depth + 1);
        if (r != J_OK || (r = jnext(p, '}')) <= 0)
            break;
        r = J_OK;
    }
    if (r == J_OK && role == LD_ANY) {
        /* The first object to give a field keeps it. */
        ld_fields *to = mine.article ? &ld->article : &ld->other;
        sp_buf *from[4] = {&mine.headline, &mine.date, &mine.author,
                           &mine.publisher};
        sp_buf *dest[4] = {&to->headline, &to->date, &to->author,
                           &to->publisher};
        for (int f = 0; f < 4; f++)
            if (dest[f]->len == 0 && from[f]->len > 0) {
                sp_buf t = *dest[f];
                *dest[f] = *from[f];
                *from[f] = t;
            }
    }
    ld_fields_free(&mine);
    return r;
}

static int ld_value(jp *p, int depth, int role, ld_fields *into, jld *ld)
{
    char c = p->s[p->i];
    if (c == '{' && role != LD_TYPE)
        return ld_object(p, depth, role, into, ld);
    if (c == '"' && role == LD_TYPE) {
        ld->scratch.len = 0;
        int r = jstring(p, &ld->scratch);
        if (r == J_OK && ld_article_type(ld->scratch.data, ld->scratch.len))
            into->article = 1;
        return r;
    }
    if (c == '"' && role != LD_ANY)
        return ld_name(p,
                       role == LD_AUTHOR ? &into->author : &into->publisher,
                       role == LD_AUTHOR);
    if (c != '[')
        return jskip(p, depth);
    if (depth >= JSON_MAX_DEPTH)
        return jbad(p, p->i, "nesting too deep");
    p->i++;
    for (;;) {
        jws(p);
        if (p->i < p->n && p->s[p->i] == ']') {
            p->i++;
            return J_OK;
        }
        if (p->i >= p->n)
            return junexpected(p);
        int r = ld_value(p, depth + 1, role, into, ld);
        if (r != J_OK || (r = jnext(p, ']')) <= 0)
            return r;
    }
}

/* Reads one <script type="application/ld+json"> block into ld.  Broken
 * data is the page's problem, not the article's: what was read whole
 * before the damage is kept, and nothing is reported. */
static spsearch_status_t ld_read(jld *ld, const char *s, size_t n,
                                 sp_error *err)
{
    jp p;
    memset(&p, 0, sizeof p);
    p.s = s;
    p.n = n;
    p.err = err;
    jws(&p);
    int r = p.i < p.n ? ld_value(&p, 0, LD_ANY, NULL, ld) : J_OK;
    return r == J_MEM ? sp_error_set(err, SPSEARCH_NOMEM, "out of memory")
                      : SPSEARCH_OK;
}

static void jld_free(jld *ld)
{
    ld_fields_free(&ld->article);
    ld_fields_free(&ld->other);
    sp_buf_free(&ld->key);
    sp_buf_free(&ld->scratch);
}

/* A field of the page's JSON-LD: the article's, else another object's. */
static const sp_buf *ld_pick(const sp_buf *article, const sp_buf *other)
{
    return article->len > 0 ? article : other;
}

typedef struct html {
    const char *s;
    size_t n, i;
    tb body, h1;
    sp_buf h1_buf, title, tmp, tmp2;
    int in_h1, h1_done, title_done;
    int in_head, article_depth, pre_depth;
    size_t skip[SKIP_MAX];
    int nskip, skip_overflow;
    char date[11], time_date[11];
    int have_url, have_canonical;
    jld ld;
    emit *e;
    spsearch_status_t st;
} html;

static int h_visible(const html *h)
{
    return !h->in_head && h->nskip == 0 && h->skip_overflow == 0;
}

/* Entity-decoded, white-space-collapsed attribute value into out. */
static spsearch_status_t h_attr_text(html *h, const hattr *a, sp_buf *out)
{
    tb t;
    tb_init(&t, &h->tmp, 1, h->e->err);
    tb_text(&t, a->v, a->n, 0);
    if (t.st != SPSEARCH_OK)
        return t.st;
    return put_line(out, h->tmp.data, h->tmp.len, 0, 0, h->e->err);
}

static void h_meta(html *h, const hattr *a)
{
    const hattr *key = a[A_NAME].set       ? &a[A_NAME]
                       : a[A_PROPERTY].set ? &a[A_PROPERTY]
                                           : &a[A_ITEMPROP];
    if (!key->set || !a[A_CONTENT].set)
        return;
    static const char *const date_keys[] = {
        "date", "dc.date", "dc.date.issued", "dcterms.date", "dcterms.created",
        "pubdate", "publishdate", "publish-date", "article:published_time",
        "datepublished", "sailthru.date", "parsely-pub-date"};
    for (size_t k = 0; k < sizeof date_keys / sizeof *date_keys; k++) {
        if (word_is(key->v, key->n, date_keys[k]) && h->date[0] == '\0') {
            const char *v = a[A_CONTENT].v;
            size_t n = a[A_CONTENT].n;
            if (sp_article_parse_date(v, n, h->date) != 0)
                sp_article_find_date(v, n, h->date);
            return;
        }
    }
    emit *e = h->e;
    const hattr *c = &a[A_CONTENT];
    if ((word_is(key->v, key->n, "author") ||
         word_is(key->v, key->n, "dc.creator") ||
         word_is(key->v, key->n, "article:author") ||
         word_is(key->v, key->n, "byl")) &&
        e->author.len == 0 && c->n > 0 &&
        !(c->n >= 4 && strncasecmp(c->v, "http", 4) == 0)) {
        h->st = h_attr_text(h, c, &h->tmp2);
        if (h->st == SPSEARCH_OK)
            h->st = put_author(&e->author, cstr(&h->tmp2), h->tmp2.len,
                               e->err);
    } else if (word_is(key->v, key->n, "og:site_name") &&
               e->source.len == 0) {
        h->st = h_attr_text(h, c, &e->source);
    } else if (word_is(key->v, key->n, "og:url") && !h->have_canonical) {
        h->st = h_attr_text(h, c, &e->url);
    }
}

/* Parses a start tag's attributes from h->i (after the name) to past its
 * '>'; sets *self_closing for "/>". */
static void h_attrs(html *h, hattr *a, int *self_closing)
{
    const char *s = h->s;
    size_t n = h->n, i = h->i;
    memset(a, 0, sizeof *a * A_COUNT);
    *self_closing = 0;
    while (i < n) {
        while (i < n && (is_ws((unsigned char)s[i]) || s[i] == '/')) {
            *self_closing = s[i] == '/';
            i++;
        }
        if (i >= n)
            break;
        if (s[i] == '>') {
            i++;
            break;
        }
        *self_closing = 0;
        size_t ns = i;
        while (i < n && !is_ws((unsigned char)s[i]) && s[i] != '=' &&
               s[i] != '>' && s[i] != '/')
            i++;
        size_t nn = i - ns;
        while (i < n && is_ws((unsigned char)s[i]))
            i++;
        const char *v = NULL;
        size_t vn = 0;
        if (i < n && s[i] == '=') {
            i++;
            while (i < n && is_ws((unsigned char)s[i]))
                i++;
            if (i < n && (s[i] == '"' || s[i] == '\'')) {
                char q = s[i++];
                const char *e = memchr(s + i, q, n - i);
                size_t ve = e != NULL ? (size_t)(e - s) : n;
                v = s + i;
                vn = ve - i;
                i = e != NULL ? ve + 1 : n;
            } else {
                size_t vs = i;
                while (i < n && !is_ws((unsigned char)s[i]) && s[i] != '>')
                    i++;
                v = s + vs;
                vn = i - vs;
            }
        }
        for (int k = 0; k < A_COUNT; k++) {
            if (word_is(s + ns, nn, attr_names[k]) && !a[k].set) {
                a[k].v = v != NULL ? v : "";
                a[k].n = vn;
                a[k].set = 1;
            }
        }
    }
    h->i = i;
}

/* Where the raw element's end tag "</name" starts, from h->i; n if none. */
static size_t h_raw_end(const html *h, const char *name)
{
    size_t k = strlen(name);
    const char *p = h->s + h->i, *end = h->s + h->n;
    for (;;) {
        p = memchr(p, '<', (size_t)(end - p));
        if (p == NULL)
            return h->n;
        if ((size_t)(end - p) >= k + 2 && p[1] == '/' &&
            strncasecmp(p + 2, name, k) == 0 &&
            ((size_t)(end - p) == k + 2 || p[k + 2] == '>' ||
             p[k + 2] == '/' || is_ws((unsigned char)p[k + 2])))
            return (size_t)(p - h->s);
        p++;
    }
}

static void h_start_tag(html *h, size_t el, const char *name, size_t nl)
{
    hattr a[A_COUNT];
    int self_closing;
    h_attrs(h, a, &self_closing);
    emit *e = h->e;
    int flags = el < HELEM_NONE ? helems[el].flags : 0;
    /* An element that has no place in <head> starts the body. */
    if (h->in_head && !(flags & H_HEAD))
        h->in_head = 0;
    if (word_is(name, nl, "head")) {
        h->in_head = 1;
    } else if (word_is(name, nl, "html") && a[A_LANG].set &&
               e->lang.len == 0) {
        h->st = h_attr_text(h, &a[A_LANG], &e->lang);
    } else if (word_is(name, nl, "meta")) {
        h_meta(h, a);
    } else if (word_is(name, nl, "link") && a[A_REL].set && a[A_HREF].set &&
               word_is(a[A_REL].v, a[A_REL].n, "canonical") &&
               !h->have_canonical) {
        h->have_canonical = 1;
        h->st = h_attr_text(h, &a[A_HREF], &e->url);
    } else if (word_is(name, nl, "time") && a[A_DATETIME].set &&
               h->time_date[0] == '\0' && h_visible(h)) {
        if (sp_article_parse_date(a[A_DATETIME].v, a[A_DATETIME].n,
                                  h->time_date) != 0)
            h->time_date[0] = '\0';
    } else if (word_is(name, nl, "article") || word_is(name, nl, "main")) {
        h->article_depth++;
    }
    if (flags & H_RAW) {
        size_t end = h_raw_end(h, helems[el].name);
        if (word_is(name, nl, "script") && a[A_TYPE].set &&
            word_is(a[A_TYPE].v, a[A_TYPE].n, "application/ld+json"))
            h->st = ld_read(&h->ld, h->s + h->i, end - h->i, e->err);
        if (word_is(name, nl, "title") && !h->title_done &&
            h->nskip == 0) {
            tb t;
            tb_init(&t, &h->tmp, 1, e->err);
            tb_text(&t, h->s + h->i, end - h->i, 0);
            h->st = t.st;
            if (h->st == SPSEARCH_OK)
                h->st = put_line(&h->title, h->tmp.data, h->tmp.len, 0, 0,
                                 e->err);
            h->title_done = 1;
        }
        h->i = end < h->n ? (size_t)(tag_end(h->s + end, h->s + h->n) - h->s)
                          : h->n;
        return;
    }
    /* The page's banner is skipped, an article's own header is not. */
    int skip = (flags & H_SKIP) &&
               !(word_is(name, nl, "header") && h->article_depth > 0);
    if (skip && !self_closing && !(flags & H_VOID)) {
        if (h->nskip < SKIP_MAX)
            h->skip[h->nskip++] = el;
        else
            h->skip_overflow++;
        return;
    }
    if (!h_visible(h))
        return;
    if (flags & H_BLOCK)
        tb_break(&h->body, 2);
    else if (flags & H_LINE)
        tb_break(&h->body, 1);
    else if (flags & H_CELL)
        tb_space(&h->body);
    if (word_is(name, nl, "pre"))
        h->pre_depth++;
    if (word_is(name, nl, "h1") && !h->h1_done)
        h->in_h1 = 1;
    if (h->in_h1 && (flags & (H_LINE | H_CELL)))
        tb_space(&h->h1);
}

static void h_end_tag(html *h, size_t el, const char *name, size_t nl)
{
    h->i = (size_t)(tag_end(h->s + h->i, h->s + h->n) - h->s);
    if (word_is(name, nl, "head")) {
        h->in_head = 0;
        return;
    }
    if (word_is(name, nl, "article") || word_is(name, nl, "main")) {
        if (h->article_depth > 0)
            h->article_depth--;
    }
    if (el < HELEM_NONE && (helems[el].flags & H_SKIP)) {
        if (h->skip_overflow > 0 && h->nskip == SKIP_MAX) {
            h->skip_overflow--;
            return;
        }
        for (int k = h->nskip; k > 0; k--) {
            if (h->skip[k - 1] == el) {
                h->nskip = k - 1;
                return;
            }
        }
        /* Not skipped: an article's own <header>. */
    }
    if (!h_visible(h))
        return;
    int flags = el < HELEM_NONE ? helems[el].flags : 0;
    if (flags & H_BLOCK)
        tb_break(&h->body, 2);
    else if (flags & H_LINE)
        tb_break(&h->body, 1);
    else if (flags & H_CELL)
        tb_space(&h->body);
    if (word_is(name, nl, "pre") && h->pre_depth > 0)
        h->pre_depth--;
    if (word_is(name, nl, "h1") && h->in_h1) {
        h->in_h1 = 0;
        h->h1_done = 1;
    }
}

/* Text between tags. */
static void h_text(html *h, const char *s, size_t n)
{
    if (h->in_head && !is_blank_text(s, n))
        h->in_head = 0;
    if (!h_visible(h))
        return;
    h->body.pre = h->pre_depth > 0;
    tb_span(&h->body, s, 0, n, n, TAGS_NONE);
    if (h->in_h1)
        tb_span(&h->h1, s, 0, n, n, TAGS_NONE);
}

static void h_parse(html *h)
{
    const char *s = h->s;
    size_t n = h->n;
    while (h->i < n && h->st == SPSEARCH_OK && h->body.st == SPSEARCH_OK &&
           h->h1.st == SPSEARCH_OK) {
        const char *lt = memchr(s + h->i, '<', n - h->i);
        size_t at = lt != NULL ? (size_t)(lt - s) : n;
        h_text(h, s + h->i, at - h->i);
        h->i = at;
        if (at >= n)
            break;
        /* A comment runs to "-->"; a doctype or a processing
         * instruction to '>'. */
        if (n - at >= 4 && memcmp(s + at, "<!--", 4) == 0) {
            size_t k = at + 4;
            while (k + 3 <= n && memcmp(s + k, "-->", 3) != 0)
                k++;
            h->i = k + 3 <= n ? k + 3 : n;
            continue;
        }
        if (at + 1 < n && (s[at + 1] == '!' || s[at + 1] == '?')) {
            h->i = (size_t)(tag_end(s + at, s + n) - s);
            continue;
        }
        int closing = at + 1 < n && s[at + 1] == '/';
        size_t ns = at + 1 + (size_t)closing;
        if (ns >= n || !is_alpha((unsigned char)s[ns])) {
            h_text(h, "<", 1);
            h->i = at + 1;
            continue;
        }
        size_t ne = ns;
        while (ne < n && (is_alpha((unsigned char)s[ne]) ||
                          is_digit((unsigned char)s[ne]) || s[ne] == '-' ||
                          s[ne] == ':'))
            ne++;
        size_t el = helem_of(s + ns, ne - ns);
        h->i = ne;
        if (closing)
            h_end_tag(h, el, s + ns, ne - ns);
        else
            h_start_tag(h, el, s + ns, ne - ns);
    }
}

/* Whether a text field holds HTML: a paragraph, a line break or the end
 * tag of a common element.  Prose that mentions "<b>" is rare in news. */
static int looks_like_html(const char *s, size_t n)
{
    static const char *const marks[] = {"<p>", "<p ", "<br", "</p>",
                                        "</a>", "</div>", "</li>", "</b>",
                                        "</em>", "</strong>", "</span>"};
    const char *end = s + n;
    for (const char *lt = memchr(s, '<', n); lt != NULL;
         lt = memchr(lt + 1, '<', (size_t)(end - lt - 1))) {
        for (size_t k = 0; k < sizeof marks / sizeof *marks; k++) {
            size_t m = strlen(marks[k]);
            if ((size_t)(end - lt) >= m && strncasecmp(lt, marks[k], m) == 0)
                return 1;
        }
    }
    return 0;
}

/* The visible text of an HTML fragment into e->text, as read_html reads
 * a page's; SPSEARCH_BAD_INPUT when there is none. */
/* Parses s[from..n) as HTML into h, its visible text into e->text; the
 * first failure of the parse or of the text it wrote. */
static spsearch_status_t h_run(html *h, emit *e, const char *s, size_t n,
                               size_t from)
{
    memset(h, 0, sizeof *h);
    h->s = s;
    h->n = n;
    h->i = from;
    h->e = e;
    tb_init(&h->body, &e->text, 0, e->err);
    tb_init(&h->h1, &h->h1_buf, 1, e->err);
    h_parse(h);
    return h->st != SPSEARCH_OK        ? h->st
           : h->body.st != SPSEARCH_OK ? h->body.st
                                       : h->h1.st;
}

static void h_free(html *h)
{
    jld_free(&h->ld);
    sp_buf_free(&h->h1_buf);
    sp_buf_free(&h->title);
    sp_buf_free(&h->tmp);
    sp_buf_free(&h->tmp2);
}

static spsearch_status_t html_fragment(emit *e, const char *s, size_t n)
{
    html h;
    spsearch_status_t st = h_run(&h, e, s, n, 0);
    if (st == SPSEARCH_OK && is_blank_text(e->text.data, e->text.len))
        st = SPSEARCH_BAD_INPUT;
    h_free(&h);
    return st;
}

static spsearch_status_t read_html(input *in, emit *e, size_t size_hint)
{
    sp_buf all = {0};
    html h;
    memset(&h, 0, sizeof h);
    spsearch_status_t st = read_all(in, size_hint, &all, e->err);
    if (st == SPSEARCH_OK)
        st = emit_reset(e);
    if (st == SPSEARCH_OK && !has_bom(all.data, all.len)) {
        /* Browsers look for the <meta> charset in the first 1024 bytes;
         * pages with long heads put it later, so a little further. */
        char declared[SP_CHARSET_NAME];
        int named = sp_charset_html_declared(
            all.data, all.len < 4096 ? all.len : 4096, declared);
        st = decode_input(e, &all, named ? declared : NULL, 1);
    }
    if (st != SPSEARCH_OK) {
        sp_buf_free(&all);
        return st;
    }
    st = h_run(&h, e, all.data, all.len, has_bom(all.data, all.len) ? 3 : 0);
    if (st == SPSEARCH_OK && e->text.len == 0)
        st = sp_error_set(e->err, SPSEARCH_BAD_INPUT, "no visible text");
    if (st == SPSEARCH_OK) {
        /* The h1 is the headline without the site's name that <title>
         * often adds ("Headline | The Daily Post"). */
        const char *title = cstr(&h.title), *h1 = cstr(&h.h1_buf);
        const sp_buf *headline = ld_pick(&h.ld.article.headline,
                                             &h.ld.other.headline);
        if (h.h1_buf.len > 0 && (h.title.len == 0 || strstr(title, h1)))
            st = put_line(&e->title, h1, h.h1_buf.len, SP_TITLE_MAX, 0,
                          e->err);
        else if (headline->len > 0 && !is_blank_text(headline->data,
                                                     headline->len))
            /* The data's headline is the article's own, where the page
             * has no h1 that <title> holds. */
            st = put_line(&e->title, headline->data, headline->len,
                          SP_TITLE_MAX, 0, e->err);
        else if (h.title.len > 0)
            st = put_line(&e->title, title, h.title.len, SP_TITLE_MAX, 0,
                          e->err);
        else {
            size_t ts, te;
            sp_article_title(e->text.data, e->text.len, &ts, &te);
            int cut = te < e->text.len && e->text.data[te] != '\n';
            st = put_line(&e->title, e->text.data + ts, te - ts,
                          SP_TITLE_MAX, cut, e->err);
        }
    }
    const sp_buf *ld_author = ld_pick(&h.ld.article.author,
                                      &h.ld.other.author);
    const sp_buf *ld_publisher = ld_pick(&h.ld.article.publisher,
                                         &h.ld.other.publisher);
    const sp_buf *ld_date = ld_pick(&h.ld.article.date, &h.ld.other.date);
    if (st == SPSEARCH_OK && e->author.len == 0 && ld_author->len > 0)
        st = put_line(&e->author, ld_author->data, ld_author->len, 0, 0,
                      e->err);
    if (st == SPSEARCH_OK && e->author.len == 0)
        st = find_byline(e->text.data, e->text.len, &e->author, e->err);
    if (st == SPSEARCH_OK && e->source.len == 0 && ld_publisher->len > 0)
        st = put_line(&e->source, ld_publisher->data, ld_publisher->len, 0,
                      0, e->err);
    if (st == SPSEARCH_OK) {
        char date[11], data_date[11] = "";
        if (ld_date->len > 0 &&
            sp_article_parse_date(ld_date->data, ld_date->len, data_date) !=
                0)
            data_date[0] = '\0';
        if (h.date[0] != '\0')
            memcpy(date, h.date, 11);
        else if (data_date[0] != '\0')
            memcpy(date, data_date, 11);
        else if (h.time_date[0] != '\0')
            memcpy(date, h.time_date, 11);
        else
            sp_article_find_date(e->text.data, e->text.len, date);
        st = emit_call(e, date, e->text.data, e->text.len, 1);
    }
    h_free(&h);
    sp_buf_free(&all);
    return st;
}

/* ------------------------------------------------------------------ */
/* Entry points                                                        */

const char *sp_article_in_lang(const sp_article_in *a, const char *forced)
{
    if (forced != NULL)
        return forced;
    if (a->lang[0] != '\0')
        return a->lang;
    return sp_analyzer_detect_lang(a->text, a->len);
}


static spsearch_status_t read_input(input *in, const char *name,
                                    size_t size_hint, sp_article_fn fn,
                                    void *ctx, sp_error *err)
{
    emit e;
    memset(&e, 0, sizeof e);
    e.fn = fn;
    e.ctx = ctx;
    e.err = err;
    spsearch_status_t st = input_start(in, gz_name(name), err);
    if (st == SPSEARCH_OK) {
        enum format f = format_of_name(name);
        if (f == F_UNKNOWN)
            f = format_of_content(in->buf, in->len);
        e.format = format_names[f];
        switch (f) {
        case F_JSONL:
            st = read_jsonl(in, &e);
            break;
        case F_TREC:
            st = read_trec(in, &e);
            break;
        case F_HTML:
            st = read_html(in, &e, size_hint);
            break;
        default:
            st = read_text(in, &e, size_hint);
            break;
        }
    }
    if (st == SPSEARCH_OK && in->trailing_junk)
        warn_at(in, 0, "data after the end of the gzip stream ignored");
    emit_free(&e);
    input_end(in);
    return st;
}

spsearch_status_t sp_read_file(const char *path, sp_article_fn fn,
                               sp_input_warn_fn warn, void *ctx,
                               sp_error *err)
{
    input in;
    struct stat sb;
    memset(&in, 0, sizeof in);
    in.warn = warn;
    in.ctx = ctx;
    in.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (in.fd < 0)
        return sp_error_set(err, SPSEARCH_BAD_INPUT, "cannot open: %s",
                            strerror(errno));
    size_t size_hint = 0;
    if (fstat(in.fd, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0)
        size_hint = (uintmax_t)sb.st_size > SIZE_MAX / 2
                        ? SIZE_MAX / 2
                        : (size_t)sb.st_size;
    spsearch_status_t st = read_input(&in, path, size_hint, fn, ctx, err);
    close(in.fd);
    return st;
}

spsearch_status_t sp_read_memory(const char *name, const void *data,
                                 size_t len, sp_article_fn fn,
                                 sp_input_warn_fn warn, void *ctx,
                                 sp_error *err)
{
    input in;
    memset(&in, 0, sizeof in);
    in.fd = -1;
    in.rp = data;
    in.ravail = len;
    in.raw_eof = 1;
    in.warn = warn;
    in.ctx = ctx;
    return read_input(&in, name, 0, fn, ctx, err);
}
