#include "config.h"

#include <string.h>
#include <strings.h>
#include <time.h>

#include "shared/article.h"

static int is_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int date_at(const char *s, size_t len, size_t at, char out[11],
                   size_t *stop);

/* Whether line s[0..n) is only a dateline: a date, maybe with a time
 * after it ("Aug 1, 2025, 2:40 PM"). */
static int is_dateline(const char *s, size_t n)
{
    char date[11];
    size_t stop;
    if (date_at(s, n, 0, date, &stop) != 0)
        return 0;
    return n - stop <= 16;
}

void sp_article_title(const char *text, size_t len, size_t *start,
                      size_t *end)
{
    size_t pos = 0;
    *start = *end = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t e = nl ? (size_t)(nl - text) : len;
        size_t s = pos;
        pos = e + 1;
        while (s < e && is_blank((unsigned char)text[s]))
            s++;
        while (e > s && is_blank((unsigned char)text[e - 1]))
            e--;
        /* A dateline above the headline is not the title. */
        if (e == s || is_dateline(text + s, e - s))
            continue;
        if (e - s > SP_TITLE_MAX) {
            /* A paragraph, not a headline: its beginning, cut at a word. */
            size_t cut = s + SP_TITLE_MAX;
            while (cut > s + SP_TITLE_MAX / 2 &&
                   !is_blank((unsigned char)text[cut]))
                cut--;
            if (cut <= s + SP_TITLE_MAX / 2)
                cut = s + SP_TITLE_MAX;
            while (cut > s && ((unsigned char)text[cut] & 0xc0) == 0x80)
                cut--;
            e = cut;
            while (e > s && (is_blank((unsigned char)text[e - 1]) ||
                             text[e - 1] == ','))
                e--;
        }
        *start = s;
        *end = e;
        return;
    }
}

/* The end of the line at s[from..len), and of its text without the
 * blanks around it in [*ts, *te). */
static size_t line_at(const char *s, size_t len, size_t from, size_t *ts,
                      size_t *te)
{
    const char *nl = memchr(s + from, '\n', len - from);
    size_t end = nl ? (size_t)(nl - s) : len;
    *ts = from;
    *te = end;
    while (*ts < *te && is_blank((unsigned char)s[*ts]))
        (*ts)++;
    while (*te > *ts && is_blank((unsigned char)s[*te - 1]))
        (*te)--;
    return end;
}

/* Past the blanks and line ends from text[at] on. */
static size_t skip_space(const char *text, size_t len, size_t at)
{
    while (at < len && (is_blank((unsigned char)text[at]) || text[at] == '\n'))
        at++;
    return at;
}

/* Past the lines from text[at] on that are only datelines (some pages
 * repeat theirs: published, updated), and the blank lines between them;
 * at when there are none. */
static size_t skip_datelines(const char *text, size_t len, size_t at)
{
    for (size_t from = at;;) {
        size_t ts, te, end = line_at(text, len, from, &ts, &te);
        if (te == ts || !is_dateline(text + ts, te - ts))
            return at;
        at = end;
        from = skip_space(text, len, end);
    }
}

/* Where text[at..len) stops being the same words as all of title, blanks
 * aside, before the blanks after them; 0 when it does not begin with the
 * title's words whole. */
static size_t title_prefix(const char *title, const char *text, size_t len,
                           size_t at)
{
    size_t i = 0, j = at, tlen = strlen(title);
    for (;;) {
        int tblank = 0, xblank = 0;
        while (i < tlen && (is_blank((unsigned char)title[i]) ||
                            title[i] == '\n'))
            i++, tblank = 1;
        size_t word_end = j;
        while (j < len && (is_blank((unsigned char)text[j]) || text[j] == '\n'))
            j++, xblank = 1;
        if (i == tlen)
            return word_end > at && (word_end == len || xblank) ? word_end : 0;
        if (j == len || (tblank != xblank && i > 0) || title[i] != text[j])
            return 0;
        i++;
        j++;
    }
}

size_t sp_article_lede(const char *title, const char *text, size_t len,
                       size_t *headline_start, size_t *headline_end)
{
    size_t top = skip_space(text, len, 0);
    size_t dated = skip_datelines(text, len, top); /* top: none */
    size_t at = skip_space(text, len, dated);
    size_t end = title_prefix(title, text, len, at);
    *headline_start = end > 0 ? at : 0;
    *headline_end = end;
    if (end > 0) {
        at = skip_space(text, len, end);
        if (dated == top)
            at = skip_space(text, len, skip_datelines(text, len, at));
    }
    return end > 0 || dated > top ? at : 0;
}

/* Month names, lower case, in the languages whose press spindex stems
 * most: English, French, German, Spanish, Italian, Portuguese, Dutch,
 * Swedish, Danish and Norwegian (the last two as one row, Norwegian's
 * "mars" and "mai" being in other rows), and Austrian German's Jänner. */
static const char *const month_names[][12] = {
    {"january", "february", "march", "april", "may", "june", "july",
     "august", "september", "october", "november", "december"},
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
     "août", "septembre", "octobre", "novembre", "décembre"},
    {"januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
     "september", "oktober", "november", "dezember"},
    {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
     "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
    {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
     "agosto", "settembre", "ottobre", "novembre", "dicembre"},
    {"janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
     "agosto", "setembro", "outubro", "novembro", "dezembro"},
    {"januari", "februari", "maart", "april", "mei", "juni", "juli",
     "augustus", "september", "oktober", "november", "december"},
    {"januari", "februari", "mars", "april", "maj", "juni", "juli",
     "augusti", "september", "oktober", "november", "december"},
    {"januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
     "september", "oktober", "november", "december"},
    {"jänner", "", "", "", "", "", "", "", "setiembre", "", "", ""},
};

/* The byte length of the letter at s[i] (an ASCII letter, or a Latin-1
 * letter in UTF-8, U+00C0 to U+00FF), or 0. */
static size_t letter_at(const char *s, size_t len, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (is_alpha(c))
        return 1;
    if (c == 0xc3 && i + 1 < len && ((unsigned char)s[i + 1] & 0xc0) == 0x80)
        return 2;
    return 0;
}

/* Month from the word w[0..n) (letters, see letter_at): a full name, or
 * an abbreviation of one, of three letters ("Aug", "déc"), of four for
 * "Sept", or of any length with a point after it (dot: "févr.", "janv.");
 * one that could be two months ("jui") is none.  Returns 1..12, or 0. */
static int month_of(const char *w, size_t n, int dot)
{
    char low[16];
    size_t letters = 0;
    if (n < 3 || n >= sizeof low)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)w[i];
        /* Upper-case Latin-1 letters are 0x20 below their lower case,
         * in the second byte of their UTF-8. */
        if (i > 0 && (unsigned char)w[i - 1] == 0xc3 && c >= 0x80 &&
            c <= 0x9e && c != 0x97)
            c += 0x20;
        else if (c >= 'A' && c <= 'Z')
            c += 'a' - 'A';
        low[i] = (char)c;
        if ((c & 0xc0) != 0x80)
            letters++;
    }
    int found = 0;
    for (size_t l = 0; l < sizeof month_names / sizeof *month_names; l++) {
        for (int m = 0; m < 12; m++) {
            const char *name = month_names[l][m];
            size_t full = strlen(name);
            if (full < n || strncmp(name, low, n) != 0)
                continue;
            if (full == n)
                return m + 1;
            int abbreviation = dot || letters == 3 ||
                               (letters == 4 && strncmp(low, "sept", 4) == 0);
            if (!abbreviation)
                continue;
            if (found != 0 && found != m + 1)
                return 0;
            found = m + 1;
        }
    }
    return found;
}

static int days_in(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static int put_date(int y, int m, int d, char out[11])
{
    if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 ||
        d > days_in(y, m))
        return -1;
    /* The ranges were checked above: this fits in 11 bytes. */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return 0;
}

/* Reads up to max digits at s[*i]; returns the count read. */
static int digits(const char *s, size_t len, size_t *i, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (*i < len && n < max && is_digit((unsigned char)s[*i])) {
        *v = *v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    return n;
}

/* Steps over blanks, no-break spaces included (U+00A0, and U+202F, which
 * French puts between a day and its month). */
static void skip_blanks(const char *s, size_t len, size_t *i)
{
    for (;;) {
        if (*i < len && is_blank((unsigned char)s[*i]))
            (*i)++;
        else if (*i + 1 < len && memcmp(s + *i, "\xc2\xa0", 2) == 0)
            *i += 2;
        else if (*i + 2 < len && memcmp(s + *i, "\xe2\x80\xaf", 3) == 0)
            *i += 3;
        else
            return;
    }
}

/* Reads a month word at s[*i], with the point of an abbreviation after
 * it; returns 1..12, or 0. */
static int month_word(const char *s, size_t len, size_t *i)
{
    size_t w = *i, k;
    while (*i < len && (k = letter_at(s, len, *i)) > 0)
        *i += k;
    int dot = *i < len && s[*i] == '.';
    int m = month_of(s + w, *i - w, dot);
    if (m != 0 && dot)
        (*i)++;
    return m;
}

/* Steps over the word "de" (Spanish and Portuguese: "31 de julio de
 * 2025") and the blanks after it. */
static void skip_de(const char *s, size_t len, size_t *i)
{
    if (*i + 2 < len && strncasecmp(s + *i, "de", 2) == 0 &&
        (is_blank((unsigned char)s[*i + 2]) || s[*i + 2] == '\xc2')) {
        *i += 2;
        skip_blanks(s, len, i);
    }
}

/* A four-digit year at s[*i], not followed by a digit. */
static int year_at(const char *s, size_t len, size_t *i, int *y)
{
    return digits(s, len, i, 4, y) == 4 &&
           (*i == len || !is_digit((unsigned char)s[*i]));
}

/* Tries to read a date starting exactly at s[at]; on success sets *stop to
 * the byte after it. */
static int date_at(const char *s, size_t len, size_t at, char out[11],
                   size_t *stop)
{
    size_t i = at;
    int y, m, d;
    if (is_digit((unsigned char)s[i])) {
        /* 2025-07-31, 2025/07/31 */
        if (digits(s, len, &i, 4, &y) == 4 && i < len &&
            (s[i] == '-' || s[i] == '/')) {
            char sep = s[i++];
            if (digits(s, len, &i, 2, &m) == 2 && i < len && s[i] == sep) {
                i++;
                if (digits(s, len, &i, 2, &d) == 2 &&
                    (i == len || !is_digit((unsigned char)s[i])) &&
                    put_date(y, m, d, out) == 0) {
                    *stop = i;
                    return 0;
                }
            }
            return -1;
        }
        i = at;
        if (digits(s, len, &i, 2, &d) == 0 ||
            (i < len && is_digit((unsigned char)s[i])))
            return -1;
        /* 31.07.2025, as German and others write it: day first. */
        size_t num = i;
        if (num < len && s[num] == '.') {
            num++;
            if (digits(s, len, &num, 2, &m) > 0 && num < len &&
                s[num] == '.') {
                num++;
                if (year_at(s, len, &num, &y) && put_date(y, m, d, out) == 0) {
                    *stop = num;
                    return 0;
                }
                return -1;
            }
        }
        /* 7/31/2025 (American) and 31/7/2025 (most others) when the
         * numbers tell which is the day: one is over 12, or both are the
         * same.  3/4/2025 says nothing the text can be sure of. */
        num = i;
        int b;
        if (num < len && s[num] == '/') {
            num++;
            if (digits(s, len, &num, 2, &b) > 0 && num < len &&
                s[num] == '/') {
                num++;
                if (!year_at(s, len, &num, &y))
                    return -1;
                if (d > 12 && b <= 12)
                    m = b;
                else if (b > 12 && d <= 12) {
                    m = d;
                    d = b;
                } else if (b == d)
                    m = d;
                else
                    return -1;
                if (put_date(y, m, d, out) != 0)
                    return -1;
                *stop = num;
                return 0;
            }
        }
        /* 31 July 2025, 31. Juli 2025, 1er août 2025, 31 de julio de
         * 2025 */
        if (i < len && s[i] == '.')
            i++;
        else if (i + 1 < len && (strncmp(s + i, "er", 2) == 0 ||
                                 strncmp(s + i, "st", 2) == 0 ||
                                 strncmp(s + i, "nd", 2) == 0 ||
                                 strncmp(s + i, "rd", 2) == 0 ||
                                 strncmp(s + i, "th", 2) == 0))
            i += 2;
        skip_blanks(s, len, &i);
        skip_de(s, len, &i);
        m = month_word(s, len, &i);
        if (m == 0)
            return -1;
        if (i < len && s[i] == ',')
            i++;
        skip_blanks(s, len, &i);
        skip_de(s, len, &i);
        if (year_at(s, len, &i, &y) && put_date(y, m, d, out) == 0) {
            *stop = i;
            return 0;
        }
        return -1;
    }
    /* July 31, 2025 / Aug. 1, 2025 */
    m = month_word(s, len, &i);
    if (m == 0)
        return -1;
    skip_blanks(s, len, &i);
    if (digits(s, len, &i, 2, &d) == 0)
        return -1;
    if (i + 1 < len && (strncmp(s + i, "st", 2) == 0 ||
                        strncmp(s + i, "nd", 2) == 0 ||
                        strncmp(s + i, "rd", 2) == 0 ||
                        strncmp(s + i, "th", 2) == 0))
        i += 2;
    if (i < len && s[i] == ',')
        i++;
    skip_blanks(s, len, &i);
    if (year_at(s, len, &i, &y) && put_date(y, m, d, out) == 0) {
        *stop = i;
        return 0;
    }
    return -1;
}

int sp_article_find_date(const char *text, size_t len, char out[11])
{
    size_t scan = len < SP_DATELINE_SCAN ? len : SP_DATELINE_SCAN;
    for (size_t i = 0; i < scan; i++) {
        unsigned char c = (unsigned char)text[i];
        /* Only at the start of a word. */
        if (i > 0 && (is_alpha((unsigned char)text[i - 1]) ||
                      is_digit((unsigned char)text[i - 1])))
            continue;
        size_t stop;
        if ((is_digit(c) || is_alpha(c)) &&
            date_at(text, len, i, out, &stop) == 0)
            return 0;
    }
    out[0] = '\0';
    return -1;
}

int sp_article_parse_date(const char *s, size_t len, char out[11])
{
    size_t i = 0, stop;
    skip_blanks(s, len, &i);
    if (i == len || date_at(s, len, i, out, &stop) != 0)
        return -1;
    /* An ISO date may carry a time: 2025-07-31T14:40:00Z.  Only a time:
     * "2025-07-31 is the day" is not a date. */
    if (stop + 1 < len && (s[stop] == 'T' || s[stop] == ' ') &&
        is_digit((unsigned char)s[stop + 1]) && stop == i + 10)
        return 0;
    skip_blanks(s, len, &stop);
    return stop == len ? 0 : -1;
}

/* A day counted back from today, local time: "today", "yesterday", "7d"
 * (seven days ago), "2w" (two weeks ago); 0, or -1 when s is none. */
static int relative_day(const char *s, size_t len, char out[11])
{
    long back = -1;
    if (len == 5 && strncmp(s, "today", 5) == 0) {
        back = 0;
    } else if (len == 9 && strncmp(s, "yesterday", 9) == 0) {
        back = 1;
    } else if (len >= 2 && len <= 6 &&
               (s[len - 1] == 'd' || s[len - 1] == 'w')) {
        back = 0;
        for (size_t i = 0; i + 1 < len; i++) {
            if (!is_digit((unsigned char)s[i]))
                return -1;
            back = back * 10 + (s[i] - '0');
        }
        if (s[len - 1] == 'w')
            back *= 7;
        if (back > 36600)
            return -1;
    }
    if (back < 0)
        return -1;
    time_t now = time(NULL);
    struct tm tm;
    if (localtime_r(&now, &tm) == NULL)
        return -1;
    /* mktime carries the day back across months, years and DST. */
    tm.tm_mday -= (int)back;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    if (mktime(&tm) == (time_t)-1 || strftime(out, 11, "%Y-%m-%d", &tm) != 10)
        return -1;
    return 0;
}

int sp_date_bound(const char *s, size_t len, int upper, char out[11])
{
    static const char shape[] = "dddd-dd-dd";
    if (relative_day(s, len, out) == 0)
        return 0;
    if (len != 4 && len != 7 && len != 10)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (shape[i] == 'd' ? !is_digit((unsigned char)s[i]) : s[i] != '-')
            return -1;
    }
    if (len >= 7) {
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12)
            return -1;
    }
    if (len == 10) {
        int d = (s[8] - '0') * 10 + (s[9] - '0');
        if (d < 1 || d > 31)
            return -1;
    }
    memcpy(out, s, len);
    memcpy(out + len, (upper ? "-99-99" : "-01-01") + (len - 4), 10 - len);
    out[10] = '\0';
    return 0;
}
