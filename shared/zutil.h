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

/* Preset dictionaries.  A passage is a few hundred bytes: alone, zlib
 * compresses it to ~0.54 of its size; with its window primed by 22 KB of
 * other news text, to ~0.46 (bench corpus, level 6).  Streams made with a
 * dictionary are raw deflate: its id says which dictionary. */
#define SP_ZDICT_MAX 32768
/* The dictionary of index format 2, built in (shared/zdict.c). */
const char *sp_zdict(size_t *len);
/* The id of a dictionary: zlib's Adler-32 of its bytes. */
unsigned long sp_zdict_id(const char *dict, size_t len);
/* From now on d makes raw deflate streams primed with a copy of dict. */
spsearch_status_t sp_deflater_set_dict(sp_deflater *d, const char *dict,
                                       size_t len, sp_error *err);
/* The id of d's dictionary, 0 when it has none. */
unsigned long sp_deflater_dict_id(const sp_deflater *d);
/* sp_zuncompress() for a raw deflate stream made with dictionary dict. */
spsearch_status_t sp_zuncompress_dict(const char *in, size_t len,
                                      size_t want, const char *dict,
                                      size_t dict_len, char **out,
                                      sp_error *err);
/* A reusable decompressor for sp_zuncompress_dict()'s streams: a search
 * inflates ten passages or more, and a fresh inflate state each time
 * allocated, and faulted in, a 32 KB window for every one. */
typedef struct sp_inflater sp_inflater;
spsearch_status_t sp_inflater_new(sp_inflater **out, sp_error *err);
spsearch_status_t sp_inflater_run_dict(sp_inflater *inf, const char *in,
                                       size_t len, size_t want,
                                       const char *dict, size_t dict_len,
                                       char **out, sp_error *err);
void sp_inflater_free(sp_inflater *inf);

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
