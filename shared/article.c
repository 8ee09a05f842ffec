#include "config.h"

#include <string.h>
#include <strings.h>

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

static const char *const month_names[12] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

/* Month from a word: the full English name, or its first three letters
 * ("Sept" too).  Returns 1..12, or 0. */
static int month_of(const char *w, size_t n)
{
    if (n < 3)
        return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(month_names[m]);
        if ((n == full || n == 3 || (m == 8 && n == 4)) &&
            n <= full && strncasecmp(w, month_names[m], n) == 0)
            return m + 1;
    }
    return 0;
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

static void skip_blanks(const char *s, size_t len, size_t *i)
{
    while (*i < len && is_blank((unsigned char)s[*i]))
        (*i)++;
}

/* Tries to read a date starting exactly at s[at]; on success sets *stop to
 * the byte after it. */
static int date_at(const char *s, size_t len, size_t at, char out[11],
                   size_t *stop)
{
    size_t i = at;
    int y, m, d;
    if (is_digit((unsigned char)s[i])) {
        /* 2025-07-31 */
        if (digits(s, len, &i, 4, &y) == 4 && i < len && s[i] == '-') {
            i++;
            if (digits(s, len, &i, 2, &m) == 2 && i < len && s[i] == '-') {
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
        /* 31 July 2025 */
        i = at;
        if (digits(s, len, &i, 2, &d) == 0 || (i < len && is_digit((unsigned char)s[i])))
            return -1;
        skip_blanks(s, len, &i);
        size_t w = i;
        while (i < len && is_alpha((unsigned char)s[i]))
            i++;
        m = month_of(s + w, i - w);
        if (m == 0)
            return -1;
        if (i < len && s[i] == '.')
            i++;
        if (i < len && s[i] == ',')
            i++;
        skip_blanks(s, len, &i);
        if (digits(s, len, &i, 4, &y) == 4 &&
            (i == len || !is_digit((unsigned char)s[i])) &&
            put_date(y, m, d, out) == 0) {
            *stop = i;
            return 0;
        }
        return -1;
    }
    /* July 31, 2025 / Aug. 1, 2025 */
    while (i < len && is_alpha((unsigned char)s[i]))
        i++;
    m = month_of(s + at, i - at);
    if (m == 0)
        return -1;
    if (i < len && s[i] == '.')
        i++;
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
    if (digits(s, len, &i, 4, &y) == 4 &&
        (i == len || !is_digit((unsigned char)s[i])) &&
        put_date(y, m, d, out) == 0) {
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

int sp_date_bound(const char *s, size_t len, int upper, char out[11])
{
    static const char shape[] = "dddd-dd-dd";
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
