/*
 * spsearch - searches an index made by spindex.  Uses only spsearch.h.
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "searcher/cli.h"
#include "searcher/spsearch.h"

/* Exit statuses, as grep's (documented in spsearch.1). */
enum { EXIT_HITS = 0, EXIT_NO_HITS = 1, EXIT_ERROR = 2 };

/* Bytes of passage shown in text output, around the first highlight. */
#define SHOWN_PASSAGE 320
/* Copies of a hit named in text output (--json names all). */
#define SHOWN_COPIES 3

enum { OPT_DB = 256, OPT_JSON, OPT_COLOR, OPT_OFFSET, OPT_SORT, OPT_SINCE,
       OPT_UNTIL, OPT_LANG, OPT_ANALYZE, OPT_CORRECT, OPT_FORMAT, OPT_PASSAGES,
       OPT_PER_ARTICLE, OPT_EXPLAIN, OPT_RECENT, OPT_DUPLICATES, OPT_LIKE,
       OPT_HELP,
       OPT_VERSION };

static const cli_option options[] = {
    {"db", OPT_DB, "PATH", "the index to search (default: see ENVIRONMENT)"},
    {"json", OPT_JSON, NULL, "print JSON Lines, one object per hit"},
    {"files", 'l', NULL, "print only the paths of matching articles"},
    {"null", '0', NULL, "with --files, end each path with a NUL byte"},
    {"count", 'c', NULL, "print only how many articles match"},
    {"quiet", 'q', NULL, "no notes on stderr (suggestions, some words "
                         "only): errors only, as cron wants"},
    {"format", OPT_FORMAT, "TEMPLATE",
     "print each hit with TEMPLATE (%r %s %p %t %d %i %u %a %o %x %b %e %c)"},
    {"limit", 'n', "N", "show at most N articles (default 10)"},
    {"offset", OPT_OFFSET, "N", "skip the first N articles"},
    {"passages", OPT_PASSAGES, NULL, "list the best passages across all "
                                     "articles, flat"},
    {"per-article", OPT_PER_ARTICLE, "N", "show up to N passages per article"},
    {"explain", OPT_EXPLAIN, NULL, "say why each hit ranked where it did"},
    {"like", OPT_LIKE, "PATH", "articles like the one at PATH (indexed or "
                               "not; PATH#ID for one of a file's), by its "
                               "telling words; no QUERY"},
    {"duplicates", OPT_DUPLICATES, NULL, "show copies of an article (the "
                                         "same passage word for word) as "
                                         "hits of their own"},
    {"sort", OPT_SORT, "ORDER", "relevance (default), newest or oldest"},
    {"recent", OPT_RECENT, "DAYS", "favour recent articles: a score halves "
                                   "every DAYS of age"},
    {"since", OPT_SINCE, "DATE", "only articles dated DATE or later "
                                 "(also today, yesterday, 7d, 2w)"},
    {"until", OPT_UNTIL, "DATE", "only articles dated DATE or earlier"},
    {"lang", OPT_LANG, "LANG", "stem the query in LANG (default: en)"},
    {"color", OPT_COLOR, "WHEN", "colour highlights: auto, always, never"},
    {"correct", OPT_CORRECT, NULL, "search the spelling suggestion when "
                                   "nothing matches"},
    {"analyze", OPT_ANALYZE, NULL, "show the terms the operands become"},
    {"help", OPT_HELP, NULL, "show this help and exit"},
    {"version", OPT_VERSION, NULL, "show versions and exit"},
    {NULL, 0, NULL, NULL}};

/* One printer interface, two back-ends: text and JSON. */
typedef struct printer {
    void (*hit)(const struct printer *p, const spsearch_hit_t *hit);
    int color;
    const char *format; /* for format_hit */
    size_t per_article;
} printer;

/* Output of text, wrapped to the terminal's width when there is one.
 * The line being written is kept until it is known where it breaks. */
static struct {
    int width;         /* 0: no wrapping */
    int indent;        /* columns of indent after a break */
    char line[8192];
    size_t len;        /* bytes in line */
    int cols;          /* visible columns in line */
    size_t space;      /* byte index of the last space, or SIZE_MAX */
    int space_cols;    /* columns before that space */
    int blank;         /* the last visible column written is blank */
} wrap = {0, 3, "", 0, 0, (size_t)-1, 0, 1};

static void wrap_flush(void)
{
    fwrite(wrap.line, 1, wrap.len, stdout);
    wrap.len = 0;
    wrap.cols = 0;
    wrap.space = (size_t)-1;
}

/* Appends n bytes that take cols columns (0 for colour codes). */
static void wrap_add(const char *s, size_t n, int cols)
{
    if (wrap.len + n > sizeof wrap.line)
        wrap_flush();
    if (wrap.width > 0 && cols > 0 && n == 1 && s[0] == ' ') {
        wrap.space = wrap.len;
        wrap.space_cols = wrap.cols;
    }
    memcpy(wrap.line + wrap.len, s, n);
    wrap.len += n;
    wrap.cols += cols;
    if (wrap.width > 0 && wrap.cols > wrap.width &&
        wrap.space != (size_t)-1) {
        /* Break at the last space: the rest starts the next line. */
        size_t rest = wrap.len - wrap.space - 1;
        int rest_cols = wrap.cols - wrap.space_cols - 1;
        char tail[sizeof wrap.line];
        memcpy(tail, wrap.line + wrap.space + 1, rest);
        wrap.len = wrap.space;
        wrap_flush();
        printf("\n%*s", wrap.indent, "");
        memcpy(wrap.line, tail, rest);
        wrap.len = rest;
        wrap.cols = wrap.indent + rest_cols;
    }
}

/* Ends the current line. */
static void wrap_newline(void)
{
    wrap_flush();
    putchar('\n');
    wrap.blank = 1;
}

/* Markup (colour codes, brackets) around text. */
static void put_markup(const char *s)
{
    int visible = s[0] != '\033';
    wrap_add(s, strlen(s), visible ? (int)strlen(s) : 0);
    if (visible && *s != '\0')
        wrap.blank = s[strlen(s) - 1] == ' ';
}

/* Writes s[0..n) with control characters escaped, so that an article can
 * not drive the terminal; line breaks become spaces.  As prose (a title,
 * a passage), a run of blanks and line breaks is one space, and none at
 * the start of a line: a passage across paragraphs or a list reads as one
 * line of text. */
/* What prose shows as one space, in runs. */
static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static void put_chars(const char *s, size_t n, int prose)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c != ' ' ? is_blank(c) : prose) {
            if (!prose || !wrap.blank)
                wrap_add(" ", 1, 1);
            wrap.blank = 1;
            i++;
            continue;
        }
        wrap.blank = 0;
        if (c < 0x20 || c == 0x7f) {
            char esc[8];
            snprintf(esc, sizeof esc, "\\x%02x", c);
            wrap_add(esc, 4, 4);
            i++;
        } else {
            /* One code point, one column (wide characters count as one:
             * an approximation that only makes a line a little long). */
            size_t k = 1;
            while (i + k < n && ((unsigned char)s[i + k] & 0xc0) == 0x80)
                k++;
            wrap_add(s + i, k, 1);
            i += k;
        }
    }
}

static void put_text(const char *s, size_t n)
{
    put_chars(s, n, 0);
}

static void put_prose(const char *s, size_t n)
{
    put_chars(s, n, 1);
}

static int is_utf8_cont(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/* The window of the passage to show: around the first highlight, cut at
 * spaces, never inside a UTF-8 sequence. */
static void shown_window(const char *text, size_t len, size_t first_hl,
                         size_t *from, size_t *to)
{
    *from = 0;
    *to = len;
    if (len <= SHOWN_PASSAGE)
        return;
    size_t start = first_hl > SHOWN_PASSAGE / 3 ? first_hl - SHOWN_PASSAGE / 3
                                                : 0;
    if (start + SHOWN_PASSAGE > len)
        start = len - SHOWN_PASSAGE;
    if (start > 0) {
        size_t s = start;
        while (s < first_hl && text[s - 1] != ' ')
            s++;
        start = s < first_hl ? s : start;
        while (start < len && is_utf8_cont((unsigned char)text[start]))
            start++;
    }
    size_t end = start + SHOWN_PASSAGE;
    if (end < len) {
        size_t e = end;
        while (e > start + SHOWN_PASSAGE / 2 && text[e] != ' ')
            e--;
        end = e > start + SHOWN_PASSAGE / 2 ? e : end;
        while (end > start && is_utf8_cont((unsigned char)text[end]))
            end--;
    } else {
        end = len;
    }
    *from = start;
    *to = end;
}

/* Whether two highlighted spans are the same words, ASCII case aside. */
static int same_span(const char *text, size_t as, size_t ae, size_t bs,
                     size_t be)
{
    if (ae - as != be - bs)
        return 0;
    for (size_t i = 0; i < ae - as; i++)
        if (tolower((unsigned char)text[as + i]) !=
            tolower((unsigned char)text[bs + i]))
            return 0;
    return 1;
}

/* The highlight to show the passage around, among those from byte from
 * on: the first of those whose
 * window holds the most of the query's different words, so that a long
 * passage shows where they meet, not only where the first of them is.
 * Each counts its length: the longer words are the rarer ones ("for" and
 * "the" do not outweigh "tariff"). */
static size_t best_anchor(const spsearch_hit_t *hit, const char *text,
                          size_t from)
{
    size_t nhl = spsearch_hit_highlight_count(hit), best = from, best_n = 0;
    size_t is, ie, js, je, ks, ke;
    for (size_t i = 0; i < nhl; i++) {
        spsearch_hit_highlight(hit, i, &is, &ie);
        if (is < from)
            continue;
        size_t lo = is > SHOWN_PASSAGE / 3 ? is - SHOWN_PASSAGE / 3 : 0;
        size_t hi = is + SHOWN_PASSAGE - SHOWN_PASSAGE / 3, n = 0;
        for (size_t j = 0; j < nhl; j++) {
            spsearch_hit_highlight(hit, j, &js, &je);
            if (js < lo || je > hi)
                continue;
            /* Counted once: at its first occurrence in the window. */
            size_t k = 0;
            for (; k < j; k++) {
                spsearch_hit_highlight(hit, k, &ks, &ke);
                if (ks >= lo && same_span(text, ks, ke, js, je))
                    break;
            }
            n += k == j ? je - js : 0;
        }
        if (n > best_n) {
            best_n = n;
            best = is;
        }
    }
    return best;
}

/* text[from..to) with the hit's highlights in it marked; resume is put
 * after each mark ends (the title's bold). */
static void put_marked(const spsearch_hit_t *hit, const char *text,
                       size_t from, size_t to, const char *mark,
                       const char *unmark, const char *resume)
{
    size_t at = from, hs, he;
    for (size_t i = 0; i < spsearch_hit_highlight_count(hit); i++) {
        spsearch_hit_highlight(hit, i, &hs, &he);
        if (he <= at || hs >= to)
            continue;
        if (hs < at)
            hs = at;
        if (he > to)
            he = to;
        put_prose(text + at, hs - at);
        put_markup(mark);
        put_prose(text + hs, he - hs);
        put_markup(unmark);
        if (*resume)
            put_markup(resume);
        at = he;
    }
    put_prose(text + at, to - at);
}

static void text_hit(const printer *p, const spsearch_hit_t *hit)
{
    const char *bold = p->color ? "\033[1m" : "";
    const char *mark = p->color ? "\033[1;31m" : "[";
    const char *unmark = p->color ? "\033[0m" : "]";
    const char *dim = p->color ? "\033[32m" : "";
    const char *reset = p->color ? "\033[0m" : "";
    const char *date = spsearch_hit_date(hit);
    const char *title = spsearch_hit_title(hit);
    size_t len;
    const char *text = spsearch_hit_passage_text(hit, &len);
    size_t from, to;
    char num[32];
    /* A best passage that begins with the headline shows it once, marked,
     * in the hit's first line, and the rest (the lede, without a dateline
     * that the date in that line says again) below; with more passages an
     * article, each passage is shown whole. */
    size_t title_start = 0, title_end = 0, lede = 0;
    if (p->per_article <= 1)
        lede = spsearch_hit_lede(hit, &title_start, &title_end);

    if (*title == '\0')
        title = "(untitled)";
    /* More passages of the article just shown: only the passage. */
    static size_t last_rank;
    if (p->per_article > 1 && spsearch_hit_rank(hit) == last_rank)
        goto passage;
    last_rank = spsearch_hit_rank(hit);
    if (*bold)
        put_markup(bold);
    snprintf(num, sizeof num, "%zu. ", spsearch_hit_rank(hit));
    put_markup(num);
    if (title_end > 0)
        put_marked(hit, text, title_start, title_end, mark, unmark, bold);
    else
        put_prose(title, strlen(title));
    if (*reset)
        put_markup(reset);
    /* "(date, source, author)", each when known. */
    const char *about[3] = {date, spsearch_hit_source(hit),
                            spsearch_hit_author(hit)};
    const char *open = " (";
    for (int f = 0; f < 3; f++) {
        if (about[f] == NULL)
            continue;
        put_markup(open);
        if (f == 0)
            put_text(about[f], strlen(about[f]));
        else
            put_prose(about[f], strlen(about[f]));
        open = ", ";
    }
    if (open[0] == ',')
        put_markup(")");
    wrap_newline();
    put_markup("   ");
    if (*dim)
        put_markup(dim);
    put_text(spsearch_hit_path(hit), strlen(spsearch_hit_path(hit)));
    /* Which article of a many-article file (a JSON line that has only a
     * URL for id shows it once, below). */
    const char *id = spsearch_hit_id(hit), *url = spsearch_hit_url(hit);
    if (id != NULL && (url == NULL || strcmp(id, url) != 0)) {
        put_markup(" (");
        put_text(id, strlen(id));
        put_markup(")");
    }
    if (*reset)
        put_markup(reset);
    snprintf(num, sizeof num, "  score %.3f", spsearch_hit_score(hit));
    put_markup(num);
    wrap_newline();
    if (url != NULL) {
        put_markup("   ");
        put_text(url, strlen(url));
        wrap_newline();
    }
    /* Copies folded into this hit: where else the same text is; a few,
     * so that a story forty papers ran does not fill the screen. */
    size_t ncopies = spsearch_hit_copies(hit);
    for (size_t k = 0; k < ncopies && k < SHOWN_COPIES; k++) {
        const char *copy_id;
        const char *copy = spsearch_hit_copy(hit, k, &copy_id);
        put_markup(k == 0 ? "   also: " : ", ");
        if (*dim)
            put_markup(dim);
        put_text(copy, strlen(copy));
        if (copy_id != NULL) {
            put_markup(" (");
            put_text(copy_id, strlen(copy_id));
            put_markup(")");
        }
        if (*reset)
            put_markup(reset);
    }
    if (ncopies > SHOWN_COPIES) {
        snprintf(num, sizeof num, " and %zu more", ncopies - SHOWN_COPIES);
        put_markup(num);
    }
    if (ncopies > 0)
        wrap_newline();
    if (lede > 0 && lede == len)
        goto explain;
passage:
    put_markup("   ");

    shown_window(text + lede, len - lede, best_anchor(hit, text, lede) - lede,
                 &from, &to);
    from += lede;
    to += lede;
    if (from > lede)
        put_markup("...");
    put_marked(hit, text, from, to, mark, unmark, "");
    if (to < len)
        put_markup("...");
    wrap_newline();
explain:
    if (spsearch_hit_explain(hit) != NULL) {
        put_markup("   why: ");
        put_text(spsearch_hit_explain(hit), strlen(spsearch_hit_explain(hit)));
        wrap_newline();
    }
    wrap_newline();
}

/* -l: the path only. */
static void path_hit(const printer *p, const spsearch_hit_t *hit)
{
    (void)p;
    put_text(spsearch_hit_path(hit), strlen(spsearch_hit_path(hit)));
    wrap_newline();
}

/* --files --null: the path as stored, byte for byte, for xargs -0; a path
 * may hold any byte but NUL, a newline included. */
static void null_path_hit(const printer *p, const spsearch_hit_t *hit)
{
    (void)p;
    const char *path = spsearch_hit_path(hit);
    fwrite(path, 1, strlen(path) + 1, stdout);
}

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* --format: a template with %r rank, %s score, %p path, %t title, %d date,
 * %i the article's id in its file, %u its URL, %a author, %o source (each
 * "" when none), %x the passage (highlights marked as in text output),
 * %b/%e the passage's byte range, %c how many copies were folded into
 * the hit, %% a percent sign, and \n, \t. */
static void format_hit(const printer *p, const spsearch_hit_t *hit)
{
    char num[64];
    for (const char *f = p->format; *f != '\0'; f++) {
        if (*f == '\\' && (f[1] == 'n' || f[1] == 't' || f[1] == '\\')) {
            f++;
            putchar(*f == 'n' ? '\n' : *f == 't' ? '\t' : '\\');
            continue;
        }
        if (*f != '%' || f[1] == '\0') {
            putchar(*f);
            continue;
        }
        f++;
        const char *str = NULL;
        int prose = 0;
        switch (*f) {
        case 'r':
            snprintf(num, sizeof num, "%zu", spsearch_hit_rank(hit));
            str = num;
            break;
        case 's':
            snprintf(num, sizeof num, "%.3f", spsearch_hit_score(hit));
            str = num;
            break;
        case 'p': str = spsearch_hit_path(hit); break;
        case 't':
            str = spsearch_hit_title(hit);
            prose = 1;
            break;
        case 'd':
            str = or_empty(spsearch_hit_date(hit));
            break;
        case 'i':
            str = or_empty(spsearch_hit_id(hit));
            break;
        case 'u':
            str = or_empty(spsearch_hit_url(hit));
            break;
        case 'a':
            str = or_empty(spsearch_hit_author(hit));
            prose = 1;
            break;
        case 'o':
            str = or_empty(spsearch_hit_source(hit));
            prose = 1;
            break;
        case 'b':
            snprintf(num, sizeof num, "%zu", spsearch_hit_passage_start(hit));
            str = num;
            break;
        case 'e':
            snprintf(num, sizeof num, "%zu", spsearch_hit_passage_end(hit));
            str = num;
            break;
        case 'c':
            snprintf(num, sizeof num, "%zu", spsearch_hit_copies(hit));
            str = num;
            break;
        case 'x': {
            size_t len, at = 0, hs, he;
            const char *text = spsearch_hit_passage_text(hit, &len);
            for (size_t i = 0; spsearch_hit_highlight(hit, i, &hs, &he) == 0;
                 i++) {
                put_prose(text + at, hs - at);
                put_markup(p->color ? "\033[1;31m" : "[");
                put_prose(text + hs, he - hs);
                put_markup(p->color ? "\033[0m" : "]");
                at = he;
            }
            put_prose(text + at, len - at);
            wrap_flush();
            continue;
        }
        case '%': str = "%"; break;
        default:
            putchar('%');
            putchar(*f);
            continue;
        }
        if (prose)
            put_prose(str, strlen(str));
        else
            put_text(str, strlen(str));
        wrap_flush();
    }
}

/* A JSON string; bytes that are not valid UTF-8 become U+FFFD. */
static void json_string(const char *s, size_t n)
{
    putchar('"');
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
            i++;
        } else if (c == '\n') {
            printf("\\n");
            i++;
        } else if (c == '\t') {
            printf("\\t");
            i++;
        } else if (c == '\r') {
            printf("\\r");
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            printf("\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            putchar(c);
            i++;
        } else {
            size_t want = c >= 0xf0 && c <= 0xf4   ? 4
                          : c >= 0xe0              ? 3
                          : c >= 0xc2 && c <= 0xdf ? 2
                                                   : 0;
            size_t k = 1;
            while (want > 0 && k < want && i + k < n &&
                   is_utf8_cont((unsigned char)s[i + k]))
                k++;
            if (want == 0 || k < want) {
                printf("\\ufffd");
                i += want == 0 ? 1 : k;
            } else {
                fwrite(s + i, 1, want, stdout);
                i += want;
            }
        }
    }
    putchar('"');
}

static void json_hit(const printer *p, const spsearch_hit_t *hit)
{
    size_t len, s, e;
    const char *text = spsearch_hit_passage_text(hit, &len);
    const char *date = spsearch_hit_date(hit);
    (void)p;
    printf("{\"rank\":%zu,\"score\":%.6f,\"path\":", spsearch_hit_rank(hit),
           spsearch_hit_score(hit));
    json_string(spsearch_hit_path(hit), strlen(spsearch_hit_path(hit)));
    printf(",\"title\":");
    json_string(spsearch_hit_title(hit), strlen(spsearch_hit_title(hit)));
    const char *field[5] = {date, spsearch_hit_id(hit), spsearch_hit_url(hit),
                            spsearch_hit_author(hit),
                            spsearch_hit_source(hit)};
    static const char *const names[5] = {"date", "id", "url", "author",
                                         "source"};
    for (int f = 0; f < 5; f++) {
        printf(",\"%s\":", names[f]);
        if (field[f] != NULL)
            json_string(field[f], strlen(field[f]));
        else
            printf("null");
    }
    printf(",\"passage\":{\"text\":");
    json_string(text, len);
    printf(",\"start\":%zu,\"end\":%zu,\"lede\":%zu},\"highlights\":[",
           spsearch_hit_passage_start(hit), spsearch_hit_passage_end(hit),
           spsearch_hit_lede(hit, NULL, NULL));
    for (size_t i = 0; spsearch_hit_highlight(hit, i, &s, &e) == 0; i++)
        printf("%s[%zu,%zu]", i ? "," : "", s, e);
    printf("],\"passage_number\":%zu,\"copies\":[",
           spsearch_hit_passage_number(hit));
    for (size_t k = 0; k < spsearch_hit_copies(hit); k++) {
        const char *copy_id;
        const char *copy = spsearch_hit_copy(hit, k, &copy_id);
        printf("%s{\"path\":", k ? "," : "");
        json_string(copy, strlen(copy));
        printf(",\"id\":");
        if (copy_id != NULL)
            json_string(copy_id, strlen(copy_id));
        else
            printf("null");
        printf("}");
    }
    printf("]");
    if (spsearch_hit_explain(hit) != NULL) {
        printf(",\"explain\":");
        json_string(spsearch_hit_explain(hit),
                    strlen(spsearch_hit_explain(hit)));
    }
    printf("}\n");
}

static int print_token(void *ctx, const char *term, const char *exact,
                       unsigned long pos, size_t start, size_t end,
                       unsigned flags)
{
    const char *text = ctx;
    printf("%lu\t%zu-%zu\t", pos, start, end);
    put_text(text + start, end - start);
    wrap_flush();
    printf("\t%s\t%s\t%s%s%s%s%s\n", term, exact,
           flags & SPSEARCH_TOKEN_PART ? "part " : "",
           flags & SPSEARCH_TOKEN_JOINED ? "joined " : "",
           flags & SPSEARCH_TOKEN_ACRONYM ? "acronym " : "",
           flags & SPSEARCH_TOKEN_NUMBER ? "number " : "",
           flags & SPSEARCH_TOKEN_IDEO ? "ideographic " : "");
    return 0;
}

/* --analyze: one line per token: position, byte range, the text, the term
 * it is searched as, its exact form, flags. */
static int analyze(const char *text, const char *lang)
{
    char *errmsg = NULL;
    printf("pos\tbytes\ttext\tterm\texact\tflags\n");
    spsearch_status_t st = spsearch_analyze(text, lang, print_token,
                                            (void *)text, &errmsg);
    if (st != SPSEARCH_OK) {
        cli_error("%s", errmsg ? errmsg : spsearch_status_string(st));
        spsearch_free(errmsg);
        return EXIT_ERROR;
    }
    return cli_close_stdout();
}

/* --like PATH: the article at PATH (made absolute, as spindex stores
 * paths, when it names a file here), else, for an article of a file of
 * several, PATH#ID. */
static spsearch_status_t search_like(spsearch_index_t *index,
                                     const char *like,
                                     const spsearch_options_t *opts,
                                     spsearch_results_t **res)
{
    char real[PATH_MAX];
    const char *path = realpath(like, real) ? real : like;
    spsearch_status_t st = spsearch_search_like(index, path, NULL, opts, res);
    const char *hash = strrchr(like, '#');
    if (st != SPSEARCH_BAD_QUERY || hash == NULL || hash == like)
        return st;
    char *file = strndup(like, (size_t)(hash - like));
    if (file == NULL)
        return SPSEARCH_NOMEM;
    path = realpath(file, real) ? real : file;
    spsearch_status_t again = spsearch_search_like(index, path, hash + 1,
                                                   opts, res);
    free(file);
    /* Not found either way: the message names PATH as given. */
    return again == SPSEARCH_BAD_QUERY ? spsearch_search_like(index, like,
                                                              NULL, opts, res)
                                       : again;
}

static int exit_code(spsearch_status_t st)
{
    return st == SPSEARCH_OK ? EXIT_HITS : EXIT_ERROR;
}

int main(int argc, char **argv)
{
    const char *db_opt = NULL, *color = NULL, *arg;
    const char *since = NULL, *until = NULL, *lang = NULL;
    int json = 0, analyze_only = 0, correct = 0, files = 0, count = 0;
    int explain = 0, null_paths = 0, quiet = 0, duplicates = 0;
    const char *like = NULL;
    size_t per_article = 1, half_life = 0;
    int opt, first;
    const char *format = NULL;
    size_t limit = 10, offset = 0;
    spsearch_sort_t sort = SPSEARCH_SORT_RELEVANCE;
    cli_init(argv[0]);
    /* "spsearch -war" reads as options; the query has to come after --. */
    cli_set_unknown_option_hint("\n(a query that starts with '-' goes after "
                                "'--': spsearch -- -word ...)");
    while ((opt = cli_next_option(argc, argv, options, &arg, &first)) != -1) {
        switch (opt) {
        case OPT_DB: db_opt = arg; break;
        case OPT_JSON: json = 1; break;
        case 'n': limit = cli_parse_count("limit", arg); break;
        case OPT_OFFSET: offset = cli_parse_count("offset", arg); break;
        case OPT_SORT:
            if (strcmp(arg, "relevance") == 0)
                sort = SPSEARCH_SORT_RELEVANCE;
            else if (strcmp(arg, "newest") == 0)
                sort = SPSEARCH_SORT_NEWEST;
            else if (strcmp(arg, "oldest") == 0)
                sort = SPSEARCH_SORT_OLDEST;
            else
                cli_usage_error("--sort wants relevance, newest or oldest, "
                                "not '%s'", arg);
            break;
        case OPT_SINCE: since = arg; break;
        case OPT_UNTIL: until = arg; break;
        case OPT_LANG: lang = arg; break;
        case OPT_ANALYZE: analyze_only = 1; break;
        case OPT_CORRECT: correct = 1; break;
        case OPT_PASSAGES: per_article = 0; break;
        case OPT_PER_ARTICLE:
            per_article = cli_parse_count("per-article", arg);
            if (per_article == 0 || per_article > 1000)
                cli_usage_error("--per-article wants 1 to 1000");
            break;
        case OPT_EXPLAIN: explain = 1; break;
        case OPT_DUPLICATES: duplicates = 1; break;
        case OPT_LIKE: like = arg; break;
        case OPT_RECENT:
            half_life = cli_parse_count("recent", arg);
            if (half_life == 0)
                cli_usage_error("--recent wants a number of days, at least 1");
            break;
        case 'l': files = 1; break;
        case '0': null_paths = 1; break;
        case 'c': count = 1; break;
        case 'q': quiet = 1; break;
        case OPT_FORMAT: format = arg; break;
        case OPT_COLOR:
            if (cli_use_color(arg) < 0)
                cli_usage_error("--color wants auto, always or never, not '%s'",
                                arg);
            color = arg;
            break;
        case OPT_HELP:
            cli_print_help(
                "[OPTION]... QUERY...\n"
                "  or:  spsearch [OPTION]... --like=PATH",
                "Search the index for QUERY and print the best articles, each "
                "with its best\npassage and the query's words highlighted.\n"
                "QUERY: words (all required when some article has them all), "
                "\"a phrase\",\n+required, -excluded, AND, OR, NOT, "
                "(groups), prefix*, =exact.",
                options,
                "Exit status: 0 hits found, 1 no hits, 2 error.\n");
            return cli_close_stdout();
        case OPT_VERSION:
            printf("spsearch %s (%s)\n", PACKAGE_VERSION,
                   spsearch_version_details());
            return cli_close_stdout();
        default: break;
        }
    }
    if (like != NULL && (first < argc || analyze_only))
        cli_usage_error("--like takes no query and no --analyze: the "
                        "article's words are the query");
    if (first >= argc && like == NULL)
        cli_usage_error(analyze_only ? "no text given" : "no query given");
    if (limit == 0)
        cli_usage_error("--limit must be at least 1");
    spsearch_options_t *opts = NULL;
    if (spsearch_options_new(&opts) != SPSEARCH_OK) {
        cli_error("out of memory");
        return EXIT_ERROR;
    }
    spsearch_options_set_page(opts, offset, limit);
    spsearch_options_set_sort(opts, sort);
    spsearch_options_set_correct(opts, correct);
    spsearch_options_set_passages(opts, per_article);
    spsearch_options_set_explain(opts, explain);
    /* --files lists every file that matches, as grep -l does: a copy is
     * a file of its own to xargs. */
    spsearch_options_set_duplicates(opts, duplicates || files);
    if (half_life > 0 &&
        spsearch_options_set_recency(opts, (double)half_life) != SPSEARCH_OK)
        cli_usage_error("--recent: %zu days is too many", half_life);
    if (json + files + count + (format != NULL) > 1)
        cli_usage_error("--json, --files, --count and --format exclude each "
                        "other");
    if (null_paths && !files)
        cli_usage_error("--null goes with --files");
    if (count)
        spsearch_options_set_exact_count(opts, 1);
    if (spsearch_options_set_dates(opts, since, NULL) != SPSEARCH_OK)
        cli_usage_error("--since wants YYYY, YYYY-MM, YYYY-MM-DD, today, "
                        "yesterday, Nd or Nw, not '%s'",
                        since);
    if (spsearch_options_set_dates(opts, NULL, until) != SPSEARCH_OK)
        cli_usage_error("--until wants YYYY, YYYY-MM, YYYY-MM-DD, today, "
                        "yesterday, Nd or Nw, not '%s'",
                        until);
    if (spsearch_options_set_dates(opts, since, until) != SPSEARCH_OK)
        cli_usage_error("--since %s is after --until %s", since, until);
    if (lang != NULL && spsearch_options_set_lang(opts, lang) != SPSEARCH_OK)
        cli_usage_error("--lang: no stemmer for '%s'", lang);

    /* The query is the operands joined by spaces, as a shell splits it. */
    size_t qlen = 1;
    for (int i = first; i < argc; i++)
        qlen += strlen(argv[i]) + 1;
    char *query = malloc(qlen);
    if (query == NULL) {
        cli_error("out of memory");
        return EXIT_ERROR;
    }
    query[0] = '\0';
    for (int i = first; i < argc; i++) {
        if (i > first)
            strcat(query, " ");
        strcat(query, argv[i]);
    }

    if (analyze_only) {
        int rc = analyze(query, lang);
        free(query);
        spsearch_options_free(opts);
        return rc;
    }
    char *db_path = cli_index_path(db_opt);
    if (db_path == NULL) {
        free(query);
        spsearch_options_free(opts);
        return EXIT_ERROR;
    }
    spsearch_index_t *index = NULL;
    char *errmsg = NULL;
    spsearch_status_t st = spsearch_open(db_path, &index, &errmsg);
    if (st != SPSEARCH_OK) {
        cli_error("%s", errmsg ? errmsg : spsearch_status_string(st));
        spsearch_free(errmsg);
        free(db_path);
        free(query);
        spsearch_options_free(opts);
        return exit_code(st);
    }
    spsearch_results_t *res = NULL;
    st = like != NULL ? search_like(index, like, opts, &res)
                      : spsearch_search_with(index, query, opts, &res);
    if (st == SPSEARCH_BAD_QUERY && spsearch_error_offset(index) >= 0) {
        cli_error("query, column %ld: %s", spsearch_error_offset(index) + 1,
                  spsearch_errmsg(index));
    } else if (st != SPSEARCH_OK) {
        const char *m = spsearch_errmsg(index);
        cli_error("%s", *m ? m : spsearch_status_string(st));
    }
    size_t shown = 0;
    if (st == SPSEARCH_OK) {
        printer p = {json     ? json_hit
                     : files  ? (null_paths ? null_path_hit : path_hit)
                     : format ? format_hit
                              : text_hit,
                     json || files ? 0 : cli_use_color(color), format,
                     per_article};
        struct winsize ws;
        if (p.hit == text_hit && isatty(STDOUT_FILENO) &&
            ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
            wrap.width = ws.ws_col - 1;
        const spsearch_hit_t *hit;
        const char *sugg = spsearch_results_suggestion(res);
        int corrected = spsearch_results_corrected(res);
        /* Hits that lack some of the query's words say so, as a web
         * search marks them, or they read as a bad ranking. */
        int loosened = spsearch_results_loosened(res) &&
                       spsearch_results_estimate(res) > 0;
        /* What --like searched, since no one typed it. */
        const char *searched = like ? spsearch_results_query(res) : NULL;
        if ((sugg != NULL || loosened || searched != NULL) && json) {
            const char *sep = "{";
            if (searched != NULL) {
                printf("{\"query\":");
                json_string(searched, strlen(searched));
                sep = ",";
            }
            if (sugg != NULL) {
                printf("%s\"suggestion\":", sep);
                json_string(sugg, strlen(sugg));
                printf(",\"corrected\":%s", corrected ? "true" : "false");
                sep = ",";
            }
            if (loosened)
                printf("%s\"loosened\":true", sep);
            printf("}\n");
        }
        if (searched != NULL && !quiet)
            cli_error("searching: %s", searched);
        if (sugg != NULL && !quiet)
            cli_error(corrected ? "showing results for: %s"
                                : "did you mean: %s",
                      sugg);
        if (loosened && !quiet)
            cli_error("no passage matches the whole query; showing those "
                      "with some of its words");
        if (count) {
            shown = spsearch_results_estimate(res);
            printf("%zu\n", shown);
        }
        while (!count &&
               (st = spsearch_results_next(res, &hit)) == SPSEARCH_OK &&
               hit != NULL) {
            p.hit(&p, hit);
            shown++;
        }
    }
    /* Nothing found in an empty index says why, which nothing found in a
     * full one need not: the first build of a large corpus commits only
     * at its end. */
    size_t passages = 1;
    int writing = 0;
    if (st == SPSEARCH_OK && shown == 0 &&
        spsearch_index_state(index, &passages, &writing) == SPSEARCH_OK &&
        passages == 0)
        cli_error(writing ? "%s holds no articles yet: spindex is building "
                            "it, and a new index is searchable once its "
                            "build ends"
                          : "%s holds no articles: index some with spindex",
                  db_path);
    spsearch_results_free(res);
    spsearch_options_free(opts);
    spsearch_close(index);
    free(db_path);
    free(query);
    int rc = cli_close_stdout();
    if (rc != 0 || st != SPSEARCH_OK)
        return EXIT_ERROR;
    return shown > 0 ? EXIT_HITS : EXIT_NO_HITS;
}
