#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/record.h"
#include "shared/zutil.h"

/* The first byte: the record layout, and whether the text is compressed.
 * Short passages are kept raw when zlib would not make them smaller.
 * RECORD_ZDICT (format 2) compresses path, title, date and text together
 * against the index's dictionary, whose id follows the kind: the path and
 * title then cost a few bytes of back-references instead of themselves. */
enum { RECORD_RAW = 1, RECORD_ZLIB = 2, RECORD_ZDICT = 3 };

/* RECORD_ZDICT: kind, dictionary id, start, end, passage, the lengths of
 * path, title and date, then raw deflate of the four strings in a row. */
static spsearch_status_t encode_dict(const sp_record *rec, sp_deflater *d,
                                     sp_buf *b, sp_buf *z, sp_error *err)
{
    const char *field[3] = {rec->path ? rec->path : "",
                            rec->title ? rec->title : "",
                            rec->date ? rec->date : ""};
    size_t n[3] = {strlen(field[0]), strlen(field[1]), strlen(field[2])};
    size_t text_len = (size_t)(rec->end - rec->start);
    unsigned char kind = RECORD_ZDICT;
    /* z holds the plain bytes, b the record. */
    spsearch_status_t st = SPSEARCH_OK;
    for (int i = 0; i < 3 && st == SPSEARCH_OK; i++)
        st = sp_buf_append(z, field[i], n[i], err);
    if (st == SPSEARCH_OK)
        st = sp_buf_append(z, rec->text, text_len, err);
    if (st == SPSEARCH_OK)
        st = sp_buf_append(b, &kind, 1, err);
    unsigned long long head[7] = {sp_deflater_dict_id(d), rec->start,
                                  rec->end, rec->passage, n[0], n[1], n[2]};
    for (int i = 0; i < 7 && st == SPSEARCH_OK; i++)
        st = sp_buf_varint(b, head[i], err);
    if (st == SPSEARCH_OK)
        st = sp_deflater_run(d, z->data, z->len, b, err);
    return st;
}

static spsearch_status_t put_string(sp_buf *b, const char *s, sp_error *err)
{
    size_t n = s ? strlen(s) : 0;
    spsearch_status_t st = sp_buf_varint(b, n, err);
    if (st == SPSEARCH_OK)
        st = sp_buf_append(b, s ? s : "", n, err);
    return st;
}

spsearch_status_t sp_record_encode_with(const sp_record *rec,
                                        sp_deflater *d, sp_buf *b,
                                        sp_buf *z, sp_error *err)
{
    size_t text_len = (size_t)(rec->end - rec->start);
    unsigned char kind = RECORD_RAW;
    b->len = 0;
    z->len = 0;
    if (d != NULL && sp_deflater_dict_id(d) != 0)
        return encode_dict(rec, d, b, z, err);
    spsearch_status_t st = d != NULL
                               ? sp_deflater_run(d, rec->text, text_len, z,
                                                 err)
                               : sp_zcompress(rec->text, text_len, z, err);
    if (st == SPSEARCH_OK && z->len < text_len)
        kind = RECORD_ZLIB;
    if (st == SPSEARCH_OK)
        st = sp_buf_append(b, &kind, 1, err);
    if (st == SPSEARCH_OK)
        st = put_string(b, rec->path, err);
    if (st == SPSEARCH_OK)
        st = put_string(b, rec->title, err);
    if (st == SPSEARCH_OK)
        st = put_string(b, rec->date, err);
    if (st == SPSEARCH_OK)
        st = sp_buf_varint(b, rec->start, err);
    if (st == SPSEARCH_OK)
        st = sp_buf_varint(b, rec->end, err);
    if (st == SPSEARCH_OK)
        st = sp_buf_varint(b, rec->passage, err);
    if (st == SPSEARCH_OK) {
        if (kind == RECORD_ZLIB)
            st = sp_buf_append(b, z->data, z->len, err);
        else
            st = sp_buf_append(b, rec->text, text_len, err);
    }
    return st;
}

spsearch_status_t sp_record_encode(const sp_record *rec, char **out,
                                   size_t *len, sp_error *err)
{
    sp_buf b = {0};
    sp_buf z = {0};
    spsearch_status_t st = sp_record_encode_with(rec, NULL, &b, &z, err);
    sp_buf_free(&z);
    if (st != SPSEARCH_OK) {
        sp_buf_free(&b);
        *out = NULL;
        *len = 0;
        return st;
    }
    *out = b.data;
    *len = b.len;
    return SPSEARCH_OK;
}

static int get_string(const unsigned char **p, const unsigned char *end,
                      size_t *n)
{
    unsigned long long v;
    if (sp_read_varint(p, end, &v) != 0 || v > (size_t)(end - *p))
        return -1;
    *n = (size_t)v;
    return 0;
}

/* Parses a RECORD_ZDICT record: one block holds the three strings and the
 * text, each NUL-terminated. */
static spsearch_status_t decode_dict(const char *data, size_t len,
                                     sp_inflater *inf, const char *dict,
                                     size_t dict_len, unsigned long dict_id,
                                     sp_record *rec, char **storage,
                                     sp_error *err)
{
    const unsigned char *p = (const unsigned char *)data + 1;
    const unsigned char *end = (const unsigned char *)data + len;
    unsigned long long v[7];
    for (int i = 0; i < 7; i++)
        if (sp_read_varint(&p, end, &v[i]) != 0)
            goto corrupt;
    if (v[2] < v[1] || v[2] - v[1] > (1ULL << 40) || v[3] > UINT32_MAX ||
        v[4] > (1ULL << 20) || v[5] > (1ULL << 20) || v[6] > 64)
        goto corrupt;
    if (dict == NULL || v[0] != dict_id)
        return sp_error_set(err, SPSEARCH_CORRUPT,
                            "a stored passage needs a compression "
                            "dictionary the index does not have");
    size_t n[4] = {(size_t)v[4], (size_t)v[5], (size_t)v[6],
                   (size_t)(v[2] - v[1])};
    size_t plain = n[0] + n[1] + n[2] + n[3];
    char *bytes = NULL;
    spsearch_status_t st =
        inf != NULL
            ? sp_inflater_run_dict(inf, (const char *)p, (size_t)(end - p),
                                   plain, dict, dict_len, &bytes, err)
            : sp_zuncompress_dict((const char *)p, (size_t)(end - p), plain,
                                  dict, dict_len, &bytes, err);
    if (st != SPSEARCH_OK)
        return st;
    char *block = malloc(plain + 4);
    if (block == NULL) {
        free(bytes);
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    }
    const char **fields[4] = {&rec->path, &rec->title, &rec->date,
                              &rec->text};
    const char *r = bytes;
    char *w = block;
    for (int i = 0; i < 4; i++) {
        memcpy(w, r, n[i]);
        w[n[i]] = '\0';
        *fields[i] = w;
        r += n[i];
        w += n[i] + 1;
    }
    free(bytes);
    rec->start = v[1];
    rec->end = v[2];
    rec->passage = (uint32_t)v[3];
    *storage = block;
    return SPSEARCH_OK;
corrupt:
    return sp_error_set(err, SPSEARCH_CORRUPT,
                        "a stored passage record is damaged");
}

spsearch_status_t sp_record_decode(const char *data, size_t len,
                                   sp_record *rec, char **storage,
                                   sp_error *err)
{
    return sp_record_decode_dict(data, len, NULL, 0, 0, rec, storage, err);
}

spsearch_status_t sp_record_decode_dict(const char *data, size_t len,
                                        const char *dict, size_t dict_len,
                                        unsigned long dict_id,
                                        sp_record *rec, char **storage,
                                        sp_error *err)
{
    return sp_record_decode_with(data, len, NULL, dict, dict_len, dict_id,
                                 rec, storage, err);
}

spsearch_status_t sp_record_decode_with(const char *data, size_t len,
                                        sp_inflater *inf, const char *dict,
                                        size_t dict_len,
                                        unsigned long dict_id,
                                        sp_record *rec, char **storage,
                                        sp_error *err)
{
    const unsigned char *p = (const unsigned char *)data;
    const unsigned char *end = p + len;
    const unsigned char *s[3];
    size_t n[3];
    unsigned long long start, stop, passage;
    *storage = NULL;
    memset(rec, 0, sizeof *rec);
    if (len >= 1 && p[0] == RECORD_ZDICT)
        return decode_dict(data, len, inf, dict, dict_len, dict_id, rec,
                           storage, err);
    if (len < 1 || (p[0] != RECORD_RAW && p[0] != RECORD_ZLIB))
        goto corrupt;
    unsigned char kind = *p++;
    for (int i = 0; i < 3; i++) {
        if (get_string(&p, end, &n[i]) != 0)
            goto corrupt;
        s[i] = p;
        p += n[i];
    }
    if (sp_read_varint(&p, end, &start) != 0 ||
        sp_read_varint(&p, end, &stop) != 0 ||
        sp_read_varint(&p, end, &passage) != 0 || stop < start ||
        stop - start > (1ULL << 40) || passage > UINT32_MAX)
        goto corrupt;
    size_t text_len = (size_t)(stop - start);
    char *text = NULL;
    if (kind == RECORD_ZLIB) {
        spsearch_status_t st = sp_zuncompress((const char *)p,
                                              (size_t)(end - p), text_len,
                                              &text, err);
        if (st != SPSEARCH_OK)
            return st;
    } else if ((size_t)(end - p) != text_len) {
        goto corrupt;
    }
    /* One block: the three strings, then the text, each NUL-terminated. */
    size_t total = n[0] + n[1] + n[2] + text_len + 4;
    char *block = malloc(total);
    if (block == NULL) {
        free(text);
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    }
    char *w = block;
    const char **fields[3] = {&rec->path, &rec->title, &rec->date};
    for (int i = 0; i < 3; i++) {
        memcpy(w, s[i], n[i]);
        w[n[i]] = '\0';
        *fields[i] = w;
        w += n[i] + 1;
    }
    memcpy(w, kind == RECORD_ZLIB ? text : (const char *)p, text_len);
    w[text_len] = '\0';
    free(text);
    rec->text = w;
    rec->start = start;
    rec->end = stop;
    rec->passage = (uint32_t)passage;
    *storage = block;
    return SPSEARCH_OK;
corrupt:
    return sp_error_set(err, SPSEARCH_CORRUPT,
                        "a stored passage record is damaged");
}

spsearch_status_t sp_record_passage(const char *data, size_t len,
                                    uint32_t *passage, sp_error *err)
{
    const unsigned char *p = (const unsigned char *)data;
    const unsigned char *end = p + len;
    unsigned long long v[4];
    int ok = len >= 1;
    /* RECORD_ZDICT: dictionary id, start, end, passage; the others: three
     * strings, then start, end, passage. */
    if (ok && p[0] == RECORD_ZDICT) {
        p++;
        for (int i = 0; i < 4 && ok; i++)
            ok = sp_read_varint(&p, end, &v[i]) == 0;
        v[2] = v[3];
    } else if (ok && (p[0] == RECORD_RAW || p[0] == RECORD_ZLIB)) {
        size_t n;
        p++;
        for (int i = 0; i < 3 && ok; i++) {
            ok = get_string(&p, end, &n) == 0;
            p += ok ? n : 0;
        }
        for (int i = 0; i < 3 && ok; i++)
            ok = sp_read_varint(&p, end, &v[i]) == 0;
    } else {
        ok = 0;
    }
    if (!ok || v[2] > UINT32_MAX)
        return sp_error_set(err, SPSEARCH_CORRUPT,
                            "a stored passage record is damaged");
    *passage = (uint32_t)v[2];
    return SPSEARCH_OK;
}
