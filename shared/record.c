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
/* RECORD_LINKS (format 6) is RECORD_ZDICT with four more strings, the
 * article's id within its file, its URL, author and source, written when
 * any is set. */
enum { RECORD_RAW = 1, RECORD_ZLIB = 2, RECORD_ZDICT = 3, RECORD_LINKS = 4 };

/* The strings before the text: path, title, date, then id, url, author
 * and source. */
#define RECORD_STRINGS 7

static const char *or_empty(const char *s)
{
    return s != NULL ? s : "";
}

/* RECORD_ZDICT, RECORD_LINKS: kind, dictionary id, start, end, passage,
 * the lengths of the strings (3 or 7), then raw deflate of the strings
 * and the text in a row. */
static spsearch_status_t encode_dict(const sp_record *rec, sp_deflater *d,
                                     sp_buf *b, sp_buf *z, sp_error *err)
{
    const char *field[RECORD_STRINGS] = {
        or_empty(rec->path), or_empty(rec->title), or_empty(rec->date),
        or_empty(rec->id), or_empty(rec->url), or_empty(rec->author),
        or_empty(rec->source)};
    size_t nfields =
        *field[3] || *field[4] || *field[5] || *field[6] ? RECORD_STRINGS : 3;
    size_t text_len = (size_t)(rec->end - rec->start);
    unsigned char kind = nfields == 3 ? RECORD_ZDICT : RECORD_LINKS;
    /* z holds the plain bytes, b the record. */
    spsearch_status_t st = SPSEARCH_OK;
    for (size_t i = 0; i < nfields && st == SPSEARCH_OK; i++)
        st = sp_buf_append(z, field[i], strlen(field[i]), err);
    if (st == SPSEARCH_OK)
        st = sp_buf_append(z, rec->text, text_len, err);
    if (st == SPSEARCH_OK)
        st = sp_buf_append(b, &kind, 1, err);
    unsigned long long head[4] = {sp_deflater_dict_id(d), rec->start,
                                  rec->end, rec->passage};
    for (int i = 0; i < 4 && st == SPSEARCH_OK; i++)
        st = sp_buf_varint(b, head[i], err);
    for (size_t i = 0; i < nfields && st == SPSEARCH_OK; i++)
        st = sp_buf_varint(b, strlen(field[i]), err);
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

/* A record's head, everything before its text.  RECORD_ZDICT and
 * RECORD_LINKS: see encode_dict.  RECORD_RAW and RECORD_ZLIB: kind, the
 * three strings, start, end, passage, then the text (zlib-compressed for
 * RECORD_ZLIB).  Strings a kind lacks are empty. */
typedef struct record_head {
    unsigned char kind;
    unsigned long long dict_id, start, end, passage;
    size_t nstr;                              /* strings the kind has */
    size_t n[RECORD_STRINGS];                 /* their lengths */
    const unsigned char *str[RECORD_STRINGS]; /* RAW, ZLIB: in place */
    const unsigned char *body;                /* what follows the head */
    size_t body_len;
} record_head;

/* Parses the head of data[0..len) into h; -1 when it is damaged. */
static int read_head(const char *data, size_t len, record_head *h)
{
    const unsigned char *p = (const unsigned char *)data;
    const unsigned char *end = p + len;
    /* Bounds that no real record reaches: a damaged length fails here,
     * not in an allocation. */
    static const unsigned long long most[RECORD_STRINGS] = {
        1ULL << 20, 1ULL << 20, 64, 1ULL << 20, 1ULL << 20, 1ULL << 20,
        1ULL << 20};
    if (len < 1)
        return -1;
    memset(h, 0, sizeof *h);
    h->kind = *p++;
    if (h->kind == RECORD_ZDICT || h->kind == RECORD_LINKS) {
        unsigned long long *v[4] = {&h->dict_id, &h->start, &h->end,
                                    &h->passage};
        for (int i = 0; i < 4; i++)
            if (sp_read_varint(&p, end, v[i]) != 0)
                return -1;
        h->nstr = h->kind == RECORD_LINKS ? RECORD_STRINGS : 3;
        for (size_t i = 0; i < h->nstr; i++) {
            unsigned long long n;
            if (sp_read_varint(&p, end, &n) != 0 || n > most[i])
                return -1;
            h->n[i] = (size_t)n;
        }
    } else if (h->kind == RECORD_RAW || h->kind == RECORD_ZLIB) {
        h->nstr = 3;
        for (int i = 0; i < 3; i++) {
            if (get_string(&p, end, &h->n[i]) != 0)
                return -1;
            h->str[i] = p;
            p += h->n[i];
        }
        if (sp_read_varint(&p, end, &h->start) != 0 ||
            sp_read_varint(&p, end, &h->end) != 0 ||
            sp_read_varint(&p, end, &h->passage) != 0)
            return -1;
    } else {
        return -1;
    }
    if (h->end < h->start || h->end - h->start > (1ULL << 40) ||
        h->passage > UINT32_MAX)
        return -1;
    h->body = p;
    h->body_len = (size_t)(end - p);
    return 0;
}

static spsearch_status_t corrupt(sp_error *err)
{
    return sp_error_set(err, SPSEARCH_CORRUPT,
                        "a stored passage record is damaged");
}

/* The plain bytes of h's strings and text, malloc'd: inflated (with the
 * dictionary for RECORD_ZDICT), or h's own bytes. */
static spsearch_status_t plain_bytes(const record_head *h, sp_inflater *inf,
                                     const char *dict, size_t dict_len,
                                     unsigned long dict_id, char **out,
                                     sp_error *err)
{
    size_t text_len = (size_t)(h->end - h->start);
    const char *body = (const char *)h->body;
    *out = NULL;
    if (h->kind == RECORD_ZDICT || h->kind == RECORD_LINKS) {
        if (dict == NULL || h->dict_id != dict_id)
            return sp_error_set(err, SPSEARCH_CORRUPT,
                                "a stored passage needs a compression "
                                "dictionary the index does not have");
        size_t plain = text_len;
        for (size_t i = 0; i < h->nstr; i++)
            plain += h->n[i];
        return inf != NULL
                   ? sp_inflater_run_dict(inf, body, h->body_len, plain, dict,
                                          dict_len, out, err)
                   : sp_zuncompress_dict(body, h->body_len, plain, dict,
                                         dict_len, out, err);
    }
    if (h->kind == RECORD_ZLIB)
        return sp_zuncompress(body, h->body_len, text_len, out, err);
    if (h->body_len != text_len)
        return corrupt(err);
    *out = malloc(text_len + 1);
    if (*out == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    memcpy(*out, body, text_len);
    return SPSEARCH_OK;
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
    record_head h;
    char *bytes = NULL;
    *storage = NULL;
    memset(rec, 0, sizeof *rec);
    if (read_head(data, len, &h) != 0)
        return corrupt(err);
    spsearch_status_t st =
        plain_bytes(&h, inf, dict, dict_len, dict_id, &bytes, err);
    if (st != SPSEARCH_OK)
        return st;
    /* One block: the strings, then the text, each NUL-terminated (a
     * string the kind lacks is empty).  RECORD_ZDICT and RECORD_LINKS
     * inflate them all in a row; the others hold the strings in the head
     * and only the text in bytes. */
    enum { NFIELDS = RECORD_STRINGS + 1 };
    size_t n[NFIELDS], total = NFIELDS;
    const unsigned char *in_head[NFIELDS];
    for (size_t i = 0; i < RECORD_STRINGS; i++) {
        n[i] = h.n[i];
        in_head[i] = h.str[i];
    }
    n[RECORD_STRINGS] = (size_t)(h.end - h.start);
    in_head[RECORD_STRINGS] = NULL;
    for (size_t i = 0; i < NFIELDS; i++)
        total += n[i];
    char *block = malloc(total);
    if (block == NULL) {
        free(bytes);
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    }
    const char **fields[NFIELDS] = {&rec->path,   &rec->title, &rec->date,
                                    &rec->id,     &rec->url,   &rec->author,
                                    &rec->source, &rec->text};
    const char *r = bytes;
    char *w = block;
    for (size_t i = 0; i < NFIELDS; i++) {
        const char *from = in_head[i] != NULL ? (const char *)in_head[i] : r;
        memcpy(w, from, n[i]);
        if (from == r)
            r += n[i];
        w[n[i]] = '\0';
        *fields[i] = w;
        w += n[i] + 1;
    }
    free(bytes);
    rec->start = h.start;
    rec->end = h.end;
    rec->passage = (uint32_t)h.passage;
    *storage = block;
    return SPSEARCH_OK;
}

spsearch_status_t sp_record_passage(const char *data, size_t len,
                                    uint32_t *passage, sp_error *err)
{
    record_head h;
    if (read_head(data, len, &h) != 0)
        return corrupt(err);
    *passage = (uint32_t)h.passage;
    return SPSEARCH_OK;
}
