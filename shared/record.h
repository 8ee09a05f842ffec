/*
 * record.h - the data stored with each passage document: where the passage
 * comes from and its text, zlib-compressed.  The stored text is what makes
 * the index self-contained: passages come out of it even when the corpus
 * has moved, and remote shards can answer in full.
 */
#ifndef SP_RECORD_H
#define SP_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "shared/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sp_record {
    const char *path;   /* the article's source file */
    const char *title;  /* "" when none */
    const char *date;   /* "YYYY-MM-DD", or "" when unknown */
    uint64_t start;     /* the passage's byte range in the article text */
    uint64_t end;
    uint32_t passage;   /* 0-based passage number within the article */
    const char *text;   /* the passage text, end - start bytes */
    /* Format 6: the article's id within its file (sp_article_in's), its
     * URL, author and source; NULL or "" when none (decoded: "").  Only
     * records made with a dictionary (the indexer's) keep them. */
    const char *id;
    const char *url;
    const char *author;
    const char *source;
} sp_record;

/* Serialises rec into a malloc'd buffer. */
spsearch_status_t sp_record_encode(const sp_record *rec, char **out,
                                   size_t *len, sp_error *err);
/* The same with a reusable compressor (see sp_deflater in zutil.h) and a
 * buffer reused across calls: *out is b->data, valid until the next call.
 * A compressor with a dictionary makes records that need it to decode. */
struct sp_deflater;
struct sp_buf;
spsearch_status_t sp_record_encode_with(const sp_record *rec,
                                        struct sp_deflater *d,
                                        struct sp_buf *b, struct sp_buf *z,
                                        sp_error *err);

/* Parses data into rec.  The strings in rec point into *storage, one
 * malloc'd block the caller frees with free(). Damaged data gives
 * SPSEARCH_CORRUPT. */
spsearch_status_t sp_record_decode(const char *data, size_t len,
                                   sp_record *rec, char **storage,
                                   sp_error *err);

/* sp_record_decode() for records that may need a dictionary (kind 3):
 * dict is the one they were made with, or NULL, and dict_id its
 * sp_zdict_id(), which the caller keeps rather than have it computed over
 * the dictionary for every record.  A record naming another dictionary
 * gives SPSEARCH_CORRUPT. */
spsearch_status_t sp_record_decode_dict(const char *data, size_t len,
                                        const char *dict, size_t dict_len,
                                        unsigned long dict_id,
                                        sp_record *rec, char **storage,
                                        sp_error *err);

/* The passage number of a record, read from its head without
 * decompressing anything. */
spsearch_status_t sp_record_passage(const char *data, size_t len,
                                    uint32_t *passage, sp_error *err);

/* sp_record_decode_dict() with a reusable decompressor (see zutil.h). */
struct sp_inflater;
spsearch_status_t sp_record_decode_with(const char *data, size_t len,
                                        struct sp_inflater *inf,
                                        const char *dict, size_t dict_len,
                                        unsigned long dict_id,
                                        sp_record *rec, char **storage,
                                        sp_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SP_RECORD_H */
