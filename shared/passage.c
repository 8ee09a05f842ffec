#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include "shared/passage.h"

typedef struct passage_list {
    sp_passage *v;
    size_t n, cap;
} passage_list;

static spsearch_status_t push(passage_list *l, size_t start, size_t end,
                              sp_error *err)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        sp_passage *v = realloc(l->v, cap * sizeof *v);
        if (v == NULL)
            return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n].start = start;
    l->v[l->n].end = end;
    l->n++;
    return SPSEARCH_OK;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
           c == '\v';
}

/* Trims ASCII white space and the UTF-8 no-break space off both ends. */
static void trim(const char *t, size_t *start, size_t *end)
{
    for (;;) {
        if (*start < *end && is_space((unsigned char)t[*start]))
            (*start)++;
        else if (*end - *start >= 2 && (unsigned char)t[*start] == 0xc2 &&
                 (unsigned char)t[*start + 1] == 0xa0)
            *start += 2;
        else
            break;
    }
    for (;;) {
        if (*end > *start && is_space((unsigned char)t[*end - 1]))
            (*end)--;
        else if (*end - *start >= 2 && (unsigned char)t[*end - 2] == 0xc2 &&
                 (unsigned char)t[*end - 1] == 0xa0)
            *end -= 2;
        else
            break;
    }
}

/* Whether text[from..len) has anything but white space. */
static int has_visible(const char *text, size_t from, size_t len)
{
    size_t s = from, e = len;
    while (s < e) {
        if (is_space((unsigned char)text[s]))
            s++;
        else if (e - s >= 2 && (unsigned char)text[s] == 0xc2 &&
                 (unsigned char)text[s + 1] == 0xa0)
            s += 2;
        else
            return 1;
    }
    return 0;
}

/* Whether the line text[s..e) (trimmed, not empty) ends a sentence: its
 * last character, closing quotes and brackets aside, is a full stop, "!",
 * "?", ";" or an ellipsis, ASCII or CJK.  A colon announces what follows. */
static int ends_sentence(const char *text, size_t s, size_t e)
{
    static const char *const closers[] = {
        "\"", "'", ")", "]", "\xe2\x80\x99" /* ’ */, "\xe2\x80\x9d" /* ” */,
        "\xc2\xbb" /* » */, "\xe3\x80\x8d" /* 」 */, "\xe3\x80\x8f" /* 』 */};
    static const char *const stops[] = {
        ".", "!", "?", ";", "\xe2\x80\xa6" /* … */, "\xe3\x80\x82" /* 。 */,
        "\xef\xbc\x81" /* ！ */, "\xef\xbc\x9f" /* ？ */};
    for (int again = 1; again && e > s;) {
        again = 0;
        for (size_t i = 0; i < sizeof closers / sizeof *closers; i++) {
            size_t n = strlen(closers[i]);
            if (e - s > n && memcmp(text + e - n, closers[i], n) == 0) {
                e -= n;
                again = 1;
                break;
            }
        }
    }
    for (size_t i = 0; i < sizeof stops / sizeof *stops; i++) {
        size_t n = strlen(stops[i]);
        if (e - s >= n && memcmp(text + e - n, stops[i], n) == 0)
            return 1;
    }
    return 0;
}

/* Where to cut a sentence that is too long by itself: the last space
 * before SP_PASSAGE_WINDOW bytes, else there, never inside a UTF-8
 * sequence. */
static size_t hard_cut(const char *text, size_t win)
{
    size_t cut = win + SP_PASSAGE_WINDOW;
    while (cut > win + 1 && !is_space((unsigned char)text[cut]))
        cut--;
    if (cut <= win + 1) {
        /* A UTF-8 sequence is at most 4 bytes: further back there is no
         * boundary to find, only invalid bytes, and backing over them all
         * would cut the rest into 1-byte passages. */
        cut = win + SP_PASSAGE_WINDOW;
        for (int i = 0; i < 3 && ((unsigned char)text[cut] & 0xc0) == 0x80;
             i++)
            cut--;
    }
    return cut;
}

static spsearch_status_t emit(const char *text, size_t s, size_t e,
                              passage_list *l, sp_error *err)
{
    trim(text, &s, &e);
    return e > s ? push(l, s, e, err) : SPSEARCH_OK;
}

/* ICU's failure while splitting, out of memory told apart. */
static spsearch_status_t split_failed(sp_error *err, UErrorCode uerr)
{
    return sp_error_set(err,
                        uerr == U_MEMORY_ALLOCATION_ERROR ? SPSEARCH_NOMEM
                                                          : SPSEARCH_INTERNAL,
                        "splitting passages: %s", u_errorName(uerr));
}

/* Cuts the long paragraph text[start..end) at sentence boundaries into
 * windows of about SP_PASSAGE_WINDOW bytes. */
static spsearch_status_t split_long(const char *text, size_t start,
                                    size_t end, UBreakIterator *bi,
                                    passage_list *l, sp_error *err)
{
    UErrorCode uerr = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, text + start, (int64_t)(end - start),
                               &uerr);
    if (U_SUCCESS(uerr))
        ubrk_setUText(bi, ut, &uerr);
    if (U_FAILURE(uerr)) {
        utext_close(ut);
        return split_failed(err, uerr);
    }
    spsearch_status_t st = SPSEARCH_OK;
    size_t win = start;  /* start of the window being filled */
    size_t last = start; /* the last sentence boundary inside it */
    for (int32_t b = ubrk_next(bi); b != UBRK_DONE && st == SPSEARCH_OK;
         b = ubrk_next(bi)) {
        size_t at = start + (size_t)b;
        if (at - win <= SP_PASSAGE_WINDOW) {
            last = at;
            continue;
        }
        if (last > win) {
            st = emit(text, win, last, l, err);
            win = last;
        }
        while (st == SPSEARCH_OK && at - win > SP_PASSAGE_LONG) {
            size_t cut = hard_cut(text, win);
            st = emit(text, win, cut, l, err);
            win = cut;
        }
        last = at;
    }
    if (st == SPSEARCH_OK)
        st = emit(text, win, end, l, err);
    utext_close(ut);
    return st;
}

spsearch_status_t sp_passages_split(const char *text, size_t len,
                                    sp_passage **out, size_t *n,
                                    sp_error *err)
{
    passage_list l = {0};
    UBreakIterator *bi = NULL;
    spsearch_status_t st = SPSEARCH_OK;
    size_t para = len; /* start of a paragraph being gathered, or len */
    size_t pos = 0;
    *out = NULL;
    *n = 0;
    while (pos < len && st == SPSEARCH_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t line_end = nl ? (size_t)(nl - text) : len;
        size_t s = pos, e = line_end;
        trim(text, &s, &e);
        pos = line_end + 1;
        if (e == s)
            continue; /* blank line */
        if (para == len)
            para = s;
        /* A short line, or a headline, waits for the next one, unless it
         * is the last visible one (trailing blank lines must not change
         * that). */
        int heading = e - s < SP_PASSAGE_HEADING &&
                      e - para < SP_PASSAGE_WINDOW &&
                      !ends_sentence(text, s, e);
        if ((e - para < SP_PASSAGE_SHORT || heading) &&
            has_visible(text, pos, len))
            continue;
        if (e - para > SP_PASSAGE_LONG) {
            if (bi == NULL) {
                UErrorCode uerr = U_ZERO_ERROR;
                bi = ubrk_open(UBRK_SENTENCE, "", NULL, 0, &uerr);
                if (U_FAILURE(uerr)) {
                    st = split_failed(err, uerr);
                    break;
                }
            }
            st = split_long(text, para, e, bi, &l, err);
        } else {
            st = push(&l, para, e, err);
        }
        para = len;
    }
    /* A short tail after the last paragraph joins it. */
    if (st == SPSEARCH_OK && para != len) {
        size_t s = para, e = len;
        trim(text, &s, &e);
        if (e > s) {
            if (l.n > 0)
                l.v[l.n - 1].end = e;
            else
                st = push(&l, s, e, err);
        }
    }
    if (bi != NULL)
        ubrk_close(bi);
    if (st != SPSEARCH_OK) {
        free(l.v);
        return st;
    }
    *out = l.v;
    *n = l.n;
    return SPSEARCH_OK;
}
