#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "shared/record.h"
#include "shared/zutil.h"

/* The first byte: the record layout, and whether the text is compressed.
 * Short passages are kept raw when zlib would not make them smaller. */
enum { RECORD_RAW = 1, RECORD_ZLIB = 2 };

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

spsearch_status_t sp_record_decode(const char *data, size_t len,
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
        stop - start > (1ULL << 40))
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
