/*
 * charset.c - input that is not UTF-8, decoded into UTF-8 (see charset.h).
 */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "shared/charset.h"

/* The detector reads at most this much, from a little before the first
 * invalid byte: enough for its statistics, and a 200 MB file costs no
 * more than a page. */
#define DETECT_WINDOW (64u << 10)

/* Counts, in s[0..n), the valid multi-byte UTF-8 sequences and the bytes
 * that belong to no valid sequence (overlong forms, surrogates and code
 * points past U+10FFFF included); first_bad: offset of the first such
 * byte, n if none. */
static void utf8_census(const unsigned char *s, size_t n, size_t *multi,
                        size_t *bad, size_t *first_bad)
{
    *multi = *bad = 0;
    *first_bad = n;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t k = c >= 0xc2 && c <= 0xdf   ? 2
                   : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4
                                            : 0;
        int ok = k > 0 && i + k <= n;
        for (size_t j = 1; ok && j < k; j++)
            ok = (s[i + j] & 0xc0) == 0x80;
        if (ok && k == 3) {
            unsigned c1 = s[i + 1];
            ok = !(c == 0xe0 && c1 < 0xa0) && !(c == 0xed && c1 >= 0xa0);
        } else if (ok && k == 4) {
            unsigned c1 = s[i + 1];
            ok = !(c == 0xf0 && c1 < 0x90) && !(c == 0xf4 && c1 >= 0x90);
        }
        if (ok) {
            (*multi)++;
            i += k;
        } else {
            if (*bad == 0)
                *first_bad = i;
            (*bad)++;
            i++;
        }
    }
}

/* A label as browsers read it: ISO-8859-1 and ASCII mean Windows-1252. */
static const char *as_browsers_read(const char *label)
{
    static const char *const latin1[] = {
        "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "cp819",
        "ibm819", "iso-ir-100", "us-ascii", "ascii", "ansi_x3.4-1968",
        "windows-1252", "cp1252", "x-cp1252"};
    for (size_t i = 0; i < sizeof latin1 / sizeof *latin1; i++)
        if (strcasecmp(label, latin1[i]) == 0)
            return "windows-1252";
    return label;
}

/* Whether a charset the detector names may be used: ASCII-compatible,
 * and not one of the encodings of Unicode that the census ruled out. */
static int usable_guess(const char *name)
{
    return strncasecmp(name, "UTF-", 4) != 0 &&
           strncasecmp(name, "ISO-2022", 8) != 0 &&
           strncasecmp(name, "IBM4", 4) != 0;
}

/* ICU's detector over the window around the first invalid byte; "" when
 * it is not sure enough of a usable charset. */
static void detect(const char *s, size_t n, size_t first_bad, int markup,
                   char *name)
{
    name[0] = '\0';
    size_t from = first_bad > DETECT_WINDOW / 4 ? first_bad - DETECT_WINDOW / 4
                                                : 0;
    size_t len = n - from < DETECT_WINDOW ? n - from : DETECT_WINDOW;
    UErrorCode st = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&st);
    if (U_FAILURE(st))
        return;
    ucsdet_enableInputFilter(det, markup ? 1 : 0);
    ucsdet_setText(det, s + from, (int32_t)len, &st);
    int32_t count = 0;
    const UCharsetMatch **all = ucsdet_detectAll(det, &count, &st);
    for (int32_t i = 0; U_SUCCESS(st) && i < count; i++) {
        const char *guess = ucsdet_getName(all[i], &st);
        int32_t confidence = ucsdet_getConfidence(all[i], &st);
        if (U_FAILURE(st) || confidence < SP_CHARSET_CONFIDENCE)
            break;
        if (usable_guess(guess)) {
            snprintf(name, SP_CHARSET_NAME, "%s", as_browsers_read(guess));
            break;
        }
    }
    ucsdet_close(det);
}

/* Decodes s[0..n) from cnv's charset into out. */
static spsearch_status_t convert(UConverter *cnv, const char *s, size_t n,
                                 sp_buf *out, sp_error *err)
{
    if (n > (size_t)INT32_MAX / 3)
        return sp_error_set(err, SPSEARCH_NOMEM,
                            "text too large to decode");
    /* A byte gives at most 3 bytes of UTF-8 (a two-byte character of a
     * double-byte charset, or a byte a charset leaves undefined, U+FFFD,
     * at most 3 as well; four-byte GB18030 gives 4 for 4); ICU says how
     * much it needed if that is ever short. */
    size_t cap = 3 * n + 1;
    for (int tries = 0; tries < 2; tries++) {
        out->len = 0;
        spsearch_status_t st = sp_buf_reserve(out, cap, err);
        if (st != SPSEARCH_OK)
            return st;
        UErrorCode ust = U_ZERO_ERROR;
        ucnv_reset(cnv);
        int32_t got = ucnv_toAlgorithmic(UCNV_UTF8, cnv, out->data,
                                         (int32_t)(cap - 1), s, (int32_t)n,
                                         &ust);
        if (ust == U_BUFFER_OVERFLOW_ERROR) {
            cap = (size_t)got + 2;
            continue;
        }
        if (U_FAILURE(ust))
            return sp_error_set(err, ust == U_MEMORY_ALLOCATION_ERROR
                                         ? SPSEARCH_NOMEM
                                         : SPSEARCH_INTERNAL,
                                "decoding text: %s", u_errorName(ust));
        out->len = (size_t)got;
        out->data[out->len] = '\0';
        return SPSEARCH_OK;
    }
    return sp_error_set(err, SPSEARCH_INTERNAL,
                        "decoding text: the output kept growing");
}

spsearch_status_t sp_charset_decode(const char *s, size_t n,
                                    const char *declared, int markup,
                                    sp_buf *out, char *charset,
                                    sp_error *err)
{
    size_t multi, bad, first_bad;
    charset[0] = '\0';
    utf8_census((const unsigned char *)s, n, &multi, &bad, &first_bad);
    if (bad == 0 || multi >= bad)
        return SPSEARCH_OK;

    UErrorCode ust = U_ZERO_ERROR;
    UConverter *cnv = NULL;
    char name[SP_CHARSET_NAME];
    if (declared != NULL && *declared != '\0' &&
        strncasecmp(declared, "utf", 3) != 0) {
        snprintf(name, sizeof name, "%s", as_browsers_read(declared));
        cnv = ucnv_open(name, &ust);
        if (U_FAILURE(ust)) {
            cnv = NULL;
            ust = U_ZERO_ERROR;
        }
    }
    if (cnv == NULL) {
        detect(s, n, first_bad, markup, name);
        if (name[0] != '\0') {
            cnv = ucnv_open(name, &ust);
            if (U_FAILURE(ust)) {
                cnv = NULL;
                ust = U_ZERO_ERROR;
            }
        }
    }
    if (cnv == NULL) {
        snprintf(name, sizeof name, "windows-1252");
        cnv = ucnv_open(name, &ust);
        if (U_FAILURE(ust))
            return sp_error_set(err, SPSEARCH_INTERNAL,
                                "no converter for %s: %s", name,
                                u_errorName(ust));
    }
    spsearch_status_t st = convert(cnv, s, n, out, err);
    ucnv_close(cnv);
    if (st == SPSEARCH_OK)
        snprintf(charset, SP_CHARSET_NAME, "%s", name);
    return st;
}

/* Whether s[0..n) starts with the ASCII word w, case ignored. */
static int starts_with(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && strncasecmp(s, w, k) == 0;
}

int sp_charset_html_declared(const char *s, size_t n, char *name)
{
    for (size_t i = 0; i + 5 < n; i++) {
        if (s[i] != '<' || !starts_with(s + i + 1, n - i - 1, "meta"))
            continue;
        const char *end = memchr(s + i, '>', n - i);
        size_t tag = end != NULL ? (size_t)(end - s) : n;
        /* charset= inside the tag, as an attribute or in content="". */
        for (size_t j = i + 5; j + 7 < tag; j++) {
            if (!starts_with(s + j, tag - j, "charset"))
                continue;
            size_t k = j + 7;
            while (k < tag && isspace((unsigned char)s[k]))
                k++;
            if (k >= tag || s[k] != '=')
                continue;
            k++;
            while (k < tag && (isspace((unsigned char)s[k]) || s[k] == '"' ||
                               s[k] == '\''))
                k++;
            size_t len = 0;
            while (k + len < tag && len + 1 < SP_CHARSET_NAME &&
                   (isalnum((unsigned char)s[k + len]) ||
                    (s[k + len] != '\0' && strchr("-_.:", s[k + len]))))
                len++;
            if (len == 0)
                continue;
            memcpy(name, s + k, len);
            name[len] = '\0';
            return 1;
        }
        i = tag;
    }
    return 0;
}
