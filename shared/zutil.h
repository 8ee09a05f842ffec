/*
 * zutil.h - zlib helpers: compressing stored text, and a growable buffer.
 */
#ifndef SP_ZUTIL_H
#define SP_ZUTIL_H

#include <stddef.h>

#include "shared/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A growable byte buffer; zero-initialise, free with sp_buf_free(). */
typedef struct sp_buf {
    char *data;
    size_t len, cap;
} sp_buf;

spsearch_status_t sp_buf_reserve(sp_buf *b, size_t extra, sp_error *err);
spsearch_status_t sp_buf_append(sp_buf *b, const void *p, size_t n,
                                sp_error *err);
/* Appends an unsigned number in LEB128 form (7 bits a byte). */
spsearch_status_t sp_buf_varint(sp_buf *b, unsigned long long v,
                                sp_error *err);
void sp_buf_free(sp_buf *b);

/* Reads a LEB128 number at *p (not past end); advances *p.  Returns 0 on
 * success, -1 on truncated or overlong input. */
int sp_read_varint(const unsigned char **p, const unsigned char *end,
                   unsigned long long *v);

/* Appends a zlib stream of in[0..len) to out. */
spsearch_status_t sp_zcompress(const char *in, size_t len, sp_buf *out,
                               sp_error *err);
/* A reusable compressor: zlib's deflate state is ~270 KB, and making one
 * per passage had malloc trimming and growing the heap for every passage
 * (a third of spindex's time went to brk() and its TLB flushes). */
typedef struct sp_deflater sp_deflater;
spsearch_status_t sp_deflater_new(sp_deflater **out, sp_error *err);
/* Appends a zlib stream of in[0..len) to out, as sp_zcompress() does. */
spsearch_status_t sp_deflater_run(sp_deflater *d, const char *in, size_t len,
                                  sp_buf *out, sp_error *err);
void sp_deflater_free(sp_deflater *d);

/* Inflates a zlib stream of in[0..len) into a malloc'd buffer of exactly
 * want bytes (plus a NUL).  A stream that is damaged or does not inflate to
 * want bytes gives SPSEARCH_CORRUPT. */
spsearch_status_t sp_zuncompress(const char *in, size_t len, size_t want,
                                 char **out, sp_error *err);

/* zlib's version, "1.2.13". */
const char *sp_zlib_version(void);

#ifdef __cplusplus
}
#endif

#endif /* SP_ZUTIL_H */
