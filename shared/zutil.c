#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "shared/zutil.h"

spsearch_status_t sp_buf_reserve(sp_buf *b, size_t extra, sp_error *err)
{
    if (b->cap - b->len >= extra)
        return SPSEARCH_OK;
    if (extra > SIZE_MAX / 2 - b->len)
        return sp_error_set(err, SPSEARCH_NOMEM, "buffer too large");
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (p == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    b->data = p;
    b->cap = cap;
    return SPSEARCH_OK;
}

spsearch_status_t sp_buf_append(sp_buf *b, const void *p, size_t n,
                                sp_error *err)
{
    spsearch_status_t st = sp_buf_reserve(b, n + 1, err);
    if (st != SPSEARCH_OK)
        return st;
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    /* Keep text NUL-terminated for callers that print it. */
    b->data[b->len] = '\0';
    return SPSEARCH_OK;
}

spsearch_status_t sp_buf_varint(sp_buf *b, unsigned long long v,
                                sp_error *err)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char byte = v & 0x7f;
        v >>= 7;
        tmp[n++] = byte | (v ? 0x80 : 0);
    } while (v != 0);
    return sp_buf_append(b, tmp, n, err);
}

void sp_buf_free(sp_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int sp_read_varint(const unsigned char **p, const unsigned char *end,
                   unsigned long long *v)
{
    unsigned long long r = 0;
    int shift = 0;
    const unsigned char *q = *p;
    while (q < end && shift < 64) {
        unsigned char byte = *q++;
        /* The tenth byte holds only the 64th bit: more would not fit. */
        if (shift == 63 && (byte & 0x7f) > 1)
            return -1;
        r |= (unsigned long long)(byte & 0x7f) << shift;
        if (!(byte & 0x80)) {
            *v = r;
            *p = q;
            return 0;
        }
        shift += 7;
    }
    return -1;
}

spsearch_status_t sp_zcompress(const char *in, size_t len, sp_buf *out,
                               sp_error *err)
{
    if (len > UINT_MAX)
        return sp_error_set(err, SPSEARCH_INVALID,
                            "compressing: %zu bytes is too long", len);
    uLong bound = compressBound((uLong)len);
    spsearch_status_t st = sp_buf_reserve(out, bound + 1, err);
    if (st != SPSEARCH_OK)
        return st;
    uLongf got = bound;
    int zr = compress2((Bytef *)out->data + out->len, &got,
                       (const Bytef *)in, (uLong)len, Z_DEFAULT_COMPRESSION);
    if (zr == Z_MEM_ERROR)
        return sp_error_set(err, SPSEARCH_NOMEM, "compressing: out of memory");
    if (zr != Z_OK)
        return sp_error_set(err, SPSEARCH_INTERNAL, "compressing: zlib %s",
                            zError(zr));
    out->len += got;
    return SPSEARCH_OK;
}

/* Whether len bytes of deflate data can inflate to want bytes: deflate
 * expands at most 1032-fold (a 258-byte match per bit pair, at best), so a
 * damaged record's length never makes the reader allocate gigabytes (the
 * record fuzz target found one claiming 2.9 GB from 6 bytes of data). */
static int plausible(size_t len, size_t want)
{
    return len <= UINT_MAX && want <= UINT_MAX - 1 &&
           want <= (size_t)len * 1032 + 64;
}

spsearch_status_t sp_zuncompress(const char *in, size_t len, size_t want,
                                 char **out, sp_error *err)
{
    *out = NULL;
    if (!plausible(len, want))
        return sp_error_set(err, SPSEARCH_CORRUPT,
                            "stored text: implausible length");
    char *buf = malloc(want + 1);
    if (buf == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    uLongf got = (uLongf)want;
    int zr = uncompress((Bytef *)buf, &got, (const Bytef *)in, (uLong)len);
    if (zr == Z_MEM_ERROR) {
        free(buf);
        return sp_error_set(err, SPSEARCH_NOMEM,
                            "uncompressing: out of memory");
    }
    if (zr != Z_OK || got != want) {
        free(buf);
        return sp_error_set(err, SPSEARCH_CORRUPT,
                            "stored text is damaged (zlib: %s)",
                            zr == Z_OK ? "wrong length" : zError(zr));
    }
    buf[want] = '\0';
    *out = buf;
    return SPSEARCH_OK;
}

const char *sp_zlib_version(void)
{
    return zlibVersion();
}

/* zlib's allocations for one copy of the primed stream, kept for the
 * next copy: a copy makes the same five, of the same sizes.  zfree is
 * not told the size, so each block keeps it in a 16-byte head (16, to
 * keep malloc's alignment). */
#define POOL_MAX 8
typedef struct zpool {
    void *blocks[POOL_MAX];
    size_t sizes[POOL_MAX];
    size_t n;
} zpool;

struct sp_deflater {
    z_stream z;
    char *dict; /* NULL: zlib streams; else raw streams primed with it */
    size_t dict_len;
    unsigned long dict_id;
    /* With a dictionary, z is primed with it once and copied for each
     * run (a copy is memcpy; priming hashes the whole dictionary). */
    zpool pool;
};

static voidpf pool_alloc(voidpf opaque, uInt items, uInt size)
{
    zpool *p = opaque;
    size_t want = (size_t)items * size;
    for (size_t i = 0; i < p->n; i++)
        if (p->sizes[i] == want) {
            char *b = p->blocks[i];
            p->n--;
            p->blocks[i] = p->blocks[p->n];
            p->sizes[i] = p->sizes[p->n];
            return b + 16;
        }
    char *b = malloc(want + 16);
    if (b == NULL)
        return Z_NULL;
    memcpy(b, &want, sizeof want);
    return b + 16;
}

static void pool_free(voidpf opaque, voidpf address)
{
    zpool *p = opaque;
    char *b = (char *)address - 16;
    if (p->n < POOL_MAX) {
        memcpy(&p->sizes[p->n], b, sizeof(size_t));
        p->blocks[p->n++] = b;
    } else {
        free(b);
    }
}

static void pool_empty(zpool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->blocks[i]);
    p->n = 0;
}

spsearch_status_t sp_deflater_new(sp_deflater **out, sp_error *err)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    int zr = deflateInit(&(*out)->z, Z_DEFAULT_COMPRESSION);
    if (zr != Z_OK) {
        free(*out);
        *out = NULL;
        return sp_error_set(err, zr == Z_MEM_ERROR ? SPSEARCH_NOMEM
                                                   : SPSEARCH_INTERNAL,
                            "compressing: zlib %s", zError(zr));
    }
    return SPSEARCH_OK;
}

spsearch_status_t sp_deflater_run(sp_deflater *d, const char *in, size_t len,
                                  sp_buf *out, sp_error *err)
{
    if (len > UINT_MAX)
        return sp_error_set(err, SPSEARCH_INVALID,
                            "compressing: %zu bytes is too long", len);
    uLong bound = deflateBound(&d->z, (uLong)len);
    spsearch_status_t st = sp_buf_reserve(out, bound + 1, err);
    if (st != SPSEARCH_OK)
        return st;
    z_stream work, *z = &d->z;
    if (d->dict != NULL) {
        int cr = deflateCopy(&work, &d->z);
        if (cr != Z_OK)
            return sp_error_set(err, cr == Z_MEM_ERROR ? SPSEARCH_NOMEM
                                                       : SPSEARCH_INTERNAL,
                                "compressing: zlib %s", zError(cr));
        z = &work;
    } else {
        deflateReset(z);
    }
    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)len;
    z->next_out = (Bytef *)out->data + out->len;
    z->avail_out = (uInt)bound;
    int zr = deflate(z, Z_FINISH);
    uLong left = z->avail_out;
    if (z == &work)
        deflateEnd(z);
    if (zr != Z_STREAM_END)
        return sp_error_set(err, SPSEARCH_INTERNAL, "compressing: zlib %s",
                            zError(zr));
    out->len += bound - left;
    return SPSEARCH_OK;
}

void sp_deflater_free(sp_deflater *d)
{
    if (d == NULL)
        return;
    deflateEnd(&d->z);
    pool_empty(&d->pool);
    free(d->dict);
    free(d);
}

unsigned long sp_zdict_id(const char *dict, size_t len)
{
    return adler32(adler32(0L, Z_NULL, 0), (const Bytef *)dict, (uInt)len);
}

spsearch_status_t sp_deflater_set_dict(sp_deflater *d, const char *dict,
                                       size_t len, sp_error *err)
{
    if (len == 0 || len > SP_ZDICT_MAX)
        return sp_error_set(err, SPSEARCH_INVALID,
                            "compressing: a dictionary of %zu bytes", len);
    char *copy = malloc(len);
    if (copy == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    memcpy(copy, dict, len);
    /* Raw deflate: the stream's header would only repeat the id, which
     * the record keeps.  (zlib's state points back at its z_stream, so
     * the stream is remade in place, not copied.) */
    deflateEnd(&d->z);
    memset(&d->z, 0, sizeof d->z);
    d->z.zalloc = pool_alloc;
    d->z.zfree = pool_free;
    d->z.opaque = &d->pool;
    int zr = deflateInit2(&d->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8,
                          Z_DEFAULT_STRATEGY);
    if (zr == Z_OK &&
        deflateSetDictionary(&d->z, (const Bytef *)copy, (uInt)len) != Z_OK) {
        deflateEnd(&d->z);
        zr = Z_STREAM_ERROR;
    }
    if (zr != Z_OK) {
        free(copy);
        /* Leave a working zlib-stream compressor behind. */
        memset(&d->z, 0, sizeof d->z);
        if (deflateInit(&d->z, Z_DEFAULT_COMPRESSION) != Z_OK)
            memset(&d->z, 0, sizeof d->z);
        free(d->dict);
        d->dict = NULL;
        return sp_error_set(err, zr == Z_MEM_ERROR ? SPSEARCH_NOMEM
                                                   : SPSEARCH_INTERNAL,
                            "compressing: zlib %s", zError(zr));
    }
    free(d->dict);
    d->dict = copy;
    d->dict_len = len;
    d->dict_id = sp_zdict_id(dict, len);
    return SPSEARCH_OK;
}

unsigned long sp_deflater_dict_id(const sp_deflater *d)
{
    return d->dict != NULL ? d->dict_id : 0;
}

struct sp_inflater {
    z_stream z;
};

spsearch_status_t sp_inflater_new(sp_inflater **out, sp_error *err)
{
    sp_inflater *inf = calloc(1, sizeof *inf);
    *out = NULL;
    if (inf == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    int zr = inflateInit2(&inf->z, -15);
    if (zr != Z_OK) {
        free(inf);
        return sp_error_set(err, zr == Z_MEM_ERROR ? SPSEARCH_NOMEM
                                                   : SPSEARCH_INTERNAL,
                            "uncompressing: zlib %s", zError(zr));
    }
    *out = inf;
    return SPSEARCH_OK;
}

void sp_inflater_free(sp_inflater *inf)
{
    if (inf == NULL)
        return;
    inflateEnd(&inf->z);
    free(inf);
}

spsearch_status_t sp_inflater_run_dict(sp_inflater *inf, const char *in,
                                       size_t len, size_t want,
                                       const char *dict, size_t dict_len,
                                       char **out, sp_error *err)
{
    *out = NULL;
    if (!plausible(len, want) || dict_len > SP_ZDICT_MAX)
        return sp_error_set(err, SPSEARCH_CORRUPT,
                            "stored text: implausible length");
    char *buf = malloc(want + 1);
    if (buf == NULL)
        return sp_error_set(err, SPSEARCH_NOMEM, "out of memory");
    z_stream *z = &inf->z;
    int zr = inflateReset(z);
    if (zr == Z_OK)
        zr = inflateSetDictionary(z, (const Bytef *)dict, (uInt)dict_len);
    if (zr == Z_OK) {
        z->next_in = (Bytef *)in;
        z->avail_in = (uInt)len;
        z->next_out = (Bytef *)buf;
        z->avail_out = (uInt)want;
        zr = inflate(z, Z_FINISH);
    }
    size_t got = want - z->avail_out;
    if (zr == Z_MEM_ERROR) {
        free(buf);
        return sp_error_set(err, SPSEARCH_NOMEM,
                            "uncompressing: out of memory");
    }
    if (zr != Z_STREAM_END || got != want || z->avail_in != 0) {
        free(buf);
        return sp_error_set(err, SPSEARCH_CORRUPT,
                            "stored text is damaged (zlib: %s)",
                            zr == Z_STREAM_END ? "wrong length"
                                               : zError(zr));
    }
    buf[want] = '\0';
    *out = buf;
    return SPSEARCH_OK;
}

spsearch_status_t sp_zuncompress_dict(const char *in, size_t len,
                                      size_t want, const char *dict,
                                      size_t dict_len, char **out,
                                      sp_error *err)
{
    sp_inflater *inf = NULL;
    *out = NULL;
    spsearch_status_t st = sp_inflater_new(&inf, err);
    if (st == SPSEARCH_OK)
        st = sp_inflater_run_dict(inf, in, len, want, dict, dict_len, out,
                                  err);
    sp_inflater_free(inf);
    return st;
}
