/*
 * test-zutil.c - the growable buffer, LEB128 numbers, zlib helpers
 * (shared/zutil.h) and the passage records built on them
 * (shared/record.h).
 *
 * Records are read back from the index for every hit shown, so a damaged
 * one must give SPSEARCH_CORRUPT, whatever the damage, and never a crash.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shared/record.h"
#include "shared/zutil.h"
#include "tests/unit/tap.h"

/* ---- sp_buf ---- */

static void test_buf(void)
{
    sp_buf b = {0};
    sp_error err;
    int same = 1;
    for (int i = 0; i < 10000; i++) {
        char c = (char)('a' + i % 26);
        if (sp_buf_append(&b, &c, 1, &err) != SPSEARCH_OK)
            same = 0;
    }
    is_long(b.len, 10000, "10000 single-byte appends give 10000 bytes");
    ok(b.cap >= b.len + 1, "capacity covers the length and a NUL");
    for (size_t i = 0; same && i < b.len; i++)
        same = b.data[i] == (char)('a' + i % 26);
    ok(same, "the bytes come out in the order they went in");
    is_long(b.data[b.len], '\0', "the buffer stays NUL-terminated");

    /* A large append after small ones. */
    static char big[300000];
    memset(big, 'x', sizeof big);
    is_long(sp_buf_append(&b, big, sizeof big, &err), SPSEARCH_OK,
            "a 300 KB append grows the buffer");
    is_long(b.len, 310000, "length after the large append");
    ok(b.data[9999] == (char)('a' + 9999 % 26) && b.data[10000] == 'x' &&
           b.data[309999] == 'x' && b.data[310000] == '\0',
       "old bytes kept, new bytes after them, NUL at the end");

    size_t before = b.len;
    is_long(sp_buf_reserve(&b, 1000000, &err), SPSEARCH_OK, "reserve 1 MB");
    ok(b.cap - b.len >= 1000000, "reserve leaves room for the bytes asked");
    is_long(b.len, before, "reserve does not change the length");

    is_long(sp_buf_append(&b, NULL, 0, &err), SPSEARCH_OK,
            "appending nothing is fine");
    is_long(b.len, before, "...and adds nothing");

    is_long(sp_buf_reserve(&b, SIZE_MAX - 10, &err), SPSEARCH_NOMEM,
            "an impossible reservation is SPSEARCH_NOMEM, not a wrap");
    is_long(b.len, before, "...and the buffer is unchanged");

    sp_buf_free(&b);
    ok(b.data == NULL && b.len == 0 && b.cap == 0,
       "sp_buf_free leaves an empty, reusable buffer");
    is_long(sp_buf_append(&b, "abc", 3, &err), SPSEARCH_OK,
            "a freed buffer can be used again");
    is_str(b.data, "abc", "...and holds the new bytes");
    sp_buf_free(&b);
    sp_buf_free(&b); /* twice is harmless */
}

/* ---- varints ---- */

static void check_varint(unsigned long long v, size_t want_len)
{
    sp_buf b = {0};
    sp_error err;
    char what[128];
    unsigned long long got = 0;
    sp_buf_varint(&b, v, &err);
    snprintf(what, sizeof what, "varint %llu takes %zu bytes", v, want_len);
    is_long(b.len, want_len, what);

    const unsigned char *p = (const unsigned char *)b.data;
    const unsigned char *end = p + b.len;
    int rc = sp_read_varint(&p, end, &got);
    snprintf(what, sizeof what, "varint %llu reads back", v);
    ok(rc == 0 && got == v, what);
    if (got != v)
        diag("got %llu", got);
    snprintf(what, sizeof what, "varint %llu: reading stops at its end", v);
    ok(p == end, what);

    /* Every truncation is refused and leaves the cursor alone. */
    int refused = 1;
    for (size_t k = 0; k < b.len; k++) {
        p = (const unsigned char *)b.data;
        if (sp_read_varint(&p, p + k, &got) != -1 ||
            p != (const unsigned char *)b.data)
            refused = 0;
    }
    snprintf(what, sizeof what, "varint %llu cut short is refused", v);
    ok(refused, what);
    sp_buf_free(&b);
}

static void test_varint(void)
{
    check_varint(0, 1);
    check_varint(1, 1);
    check_varint(127, 1);
    check_varint(128, 2);
    check_varint(16383, 2);
    check_varint(16384, 3);
    check_varint(4294967295ULL, 5);
    check_varint(4294967296ULL, 5); /* 2^32 */
    check_varint(1ULL << 63, 10);
    check_varint(18446744073709551615ULL, 10); /* 2^64 - 1 */

    /* The byte layout is part of the index format. */
    sp_buf b = {0};
    sp_error err;
    sp_buf_varint(&b, 300, &err);
    ok(b.len == 2 && (unsigned char)b.data[0] == 0xac &&
           (unsigned char)b.data[1] == 0x02,
       "300 is written as ac 02 (LEB128, low bits first)");
    sp_buf_free(&b);

    /* Several in a row. */
    static const unsigned long long vals[] = {5, 300, 0, 1ULL << 40, 127};
    for (size_t i = 0; i < 5; i++)
        sp_buf_varint(&b, vals[i], &err);
    const unsigned char *p = (const unsigned char *)b.data;
    const unsigned char *end = p + b.len;
    int all = 1;
    for (size_t i = 0; i < 5; i++) {
        unsigned long long v = 0;
        if (sp_read_varint(&p, end, &v) != 0 || v != vals[i])
            all = 0;
    }
    ok(all && p == end, "five varints in a row read back in order");
    unsigned long long v = 0;
    is_long(sp_read_varint(&p, end, &v), -1, "reading past the end fails");
    sp_buf_free(&b);

    /* Longer than any 64-bit number can need. */
    static const unsigned char eleven[11] = {0x80, 0x80, 0x80, 0x80,
                                             0x80, 0x80, 0x80, 0x80,
                                             0x80, 0x80, 0x00};
    p = eleven;
    is_long(sp_read_varint(&p, eleven + 11, &v), -1,
            "an 11-byte varint is refused");
    ok(p == eleven, "...and the cursor stays");
    /* Ten bytes whose last carries more than the 64th bit. */
    static const unsigned char over[10] = {0xff, 0xff, 0xff, 0xff, 0xff,
                                           0xff, 0xff, 0xff, 0xff, 0x03};
    p = over;
    is_long(sp_read_varint(&p, over + 10, &v), -1,
            "a varint above 2^64-1 is refused, not wrapped");
    static const unsigned char max[10] = {0xff, 0xff, 0xff, 0xff, 0xff,
                                          0xff, 0xff, 0xff, 0xff, 0x01};
    p = max;
    ok(sp_read_varint(&p, max + 10, &v) == 0 &&
           v == 18446744073709551615ULL,
       "ten bytes ending in 01 are 2^64-1");
}

/* ---- zlib ---- */

static void check_roundtrip(const char *in, size_t len, const char *what)
{
    sp_buf z = {0};
    sp_error err;
    char line[160];
    char *out = NULL;
    /* sp_zcompress appends: something already in the buffer stays. */
    sp_buf_append(&z, "HDR", 3, &err);
    spsearch_status_t st = sp_zcompress(in, len, &z, &err);
    snprintf(line, sizeof line, "%s: compresses", what);
    is_long(st, SPSEARCH_OK, line);
    snprintf(line, sizeof line, "%s: compressing appends after the header",
             what);
    ok(z.len > 3 && memcmp(z.data, "HDR", 3) == 0, line);
    st = sp_zuncompress(z.data + 3, z.len - 3, len, &out, &err);
    snprintf(line, sizeof line, "%s: uncompresses", what);
    is_long(st, SPSEARCH_OK, line);
    snprintf(line, sizeof line, "%s: same bytes back", what);
    ok(out != NULL && memcmp(out, in, len) == 0, line);
    snprintf(line, sizeof line, "%s: NUL after the text", what);
    ok(out != NULL && out[len] == '\0', line);
    free(out);
    sp_buf_free(&z);
}

static void test_zlib(void)
{
    sp_error err;
    ok(strncmp(sp_zlib_version(), "1.", 2) == 0, "zlib version 1.x");

    check_roundtrip("", 0, "empty text");
    check_roundtrip("x", 1, "one byte");
    check_roundtrip("a\0b\0\xff", 5, "bytes with NULs");

    size_t big_len = 1 << 20;
    char *big = malloc(big_len);
    if (big == NULL) {
        printf("Bail out! out of memory\n");
        exit(99);
    }
    static const char *const words[] = {"Roscosmos ", "NASA ", "orbit ",
                                        "cooperation, ", "station. ",
                                        "Bakanov ", "Duffy ", "lunar "};
    size_t at = 0;
    unsigned r = 12345;
    while (at < big_len) {
        r = r * 1103515245u + 12345u;
        const char *w = words[(r >> 16) % 8];
        size_t n = strlen(w);
        if (n > big_len - at)
            n = big_len - at;
        memcpy(big + at, w, n);
        at += n;
    }
    check_roundtrip(big, big_len, "1 MB of text");

    sp_buf z = {0};
    sp_zcompress(big, big_len, &z, &err);
    ok(z.len < big_len / 3, "1 MB of text compresses to under a third");

    /* Damage: every failure is SPSEARCH_CORRUPT with no output. */
    char *out = (char *)"junk";
    is_long(sp_zuncompress(z.data, z.len, big_len - 1, &out, &err),
            SPSEARCH_CORRUPT, "expecting one byte less than the stream has");
    ok(out == NULL, "...gives no output");
    is_long(err.status, SPSEARCH_CORRUPT, "...and err says corrupt");
    ok(err.msg[0] != '\0', "...with a message");
    is_long(sp_zuncompress(z.data, z.len, big_len + 1, &out, &err),
            SPSEARCH_CORRUPT, "expecting one byte more than the stream has");
    is_long(sp_zuncompress(z.data, z.len, 0, &out, &err), SPSEARCH_CORRUPT,
            "expecting nothing from a stream with text");
    is_long(sp_zuncompress(z.data, z.len / 2, big_len, &out, &err),
            SPSEARCH_CORRUPT, "a stream cut in half");
    is_long(sp_zuncompress(z.data, z.len - 1, big_len, &out, &err),
            SPSEARCH_CORRUPT, "a stream missing its last byte (checksum)");
    z.data[z.len / 2] ^= 0x55;
    is_long(sp_zuncompress(z.data, z.len, big_len, &out, &err),
            SPSEARCH_CORRUPT, "a stream with a damaged byte in the middle");
    ok(out == NULL, "...gives no output");
    is_long(sp_zuncompress(big, 100, 100, &out, &err), SPSEARCH_CORRUPT,
            "plain text that is no zlib stream");
    is_long(sp_zuncompress("", 0, 0, &out, &err), SPSEARCH_CORRUPT,
            "no bytes at all, even when nothing is expected");
    is_long(sp_zuncompress(z.data, z.len, (size_t)1 << 40, &out, &err),
            SPSEARCH_CORRUPT, "an implausible length is refused up front");
    sp_buf_free(&z);
    free(big);
}

/* ---- records ---- */

static int same_str(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* Encodes rec, decodes it, and checks every field. */
static void check_record(const sp_record *rec, const char *what,
                         char **enc, size_t *enc_len)
{
    sp_error err;
    sp_record back;
    char *storage = NULL;
    char line[160];
    size_t text_len = (size_t)(rec->end - rec->start);
    spsearch_status_t st = sp_record_encode(rec, enc, enc_len, &err);
    snprintf(line, sizeof line, "%s: encodes", what);
    is_long(st, SPSEARCH_OK, line);
    st = sp_record_decode(*enc, *enc_len, &back, &storage, &err);
    snprintf(line, sizeof line, "%s: decodes", what);
    is_long(st, SPSEARCH_OK, line);
    snprintf(line, sizeof line, "%s: path, title and date", what);
    ok(same_str(back.path, rec->path ? rec->path : "") &&
           same_str(back.title, rec->title ? rec->title : "") &&
           same_str(back.date, rec->date ? rec->date : ""),
       line);
    snprintf(line, sizeof line, "%s: byte range and passage number", what);
    ok(back.start == rec->start && back.end == rec->end &&
           back.passage == rec->passage,
       line);
    snprintf(line, sizeof line, "%s: the text, byte for byte", what);
    ok(back.text != NULL && memcmp(back.text, rec->text, text_len) == 0 &&
           back.text[text_len] == '\0',
       line);
    free(storage);
}

/* The dictionary decode_status() decodes with, when set. */
static const char *decode_dict;
static size_t decode_dict_len;

/* Decodes data[0..len); returns the status and frees what it made. */
static spsearch_status_t decode_status(const char *data, size_t len,
                                       int *storage_ok)
{
    sp_record rec;
    sp_error err;
    char *storage = (char *)"junk";
    spsearch_status_t st = sp_record_decode_dict(
        data, len, decode_dict, decode_dict_len,
        decode_dict ? sp_zdict_id(decode_dict, decode_dict_len) : 0, &rec,
        &storage, &err);
    *storage_ok = st == SPSEARCH_OK ? storage != NULL : storage == NULL;
    if (st == SPSEARCH_OK)
        free(storage);
    return st;
}

/* Cutting the record anywhere must be noticed. */
static void check_truncations(const char *enc, size_t len, const char *what)
{
    int all = 1, clean = 1;
    char line[160];
    for (size_t k = 0; k < len; k++) {
        /* A fresh copy of exactly k bytes, so that valgrind sees any read
         * past the cut. */
        char *cut = malloc(k ? k : 1);
        memcpy(cut, enc, k);
        int storage_ok = 0;
        spsearch_status_t st = decode_status(cut, k, &storage_ok);
        if (st != SPSEARCH_CORRUPT) {
            if (all)
                diag("%s: cut at %zu gives status %d", what, k, (int)st);
            all = 0;
        }
        if (!storage_ok)
            clean = 0;
        free(cut);
    }
    snprintf(line, sizeof line,
             "%s: cut at each of its %zu lengths, SPSEARCH_CORRUPT", what,
             len);
    ok(all, line);
    snprintf(line, sizeof line, "%s: no storage handed out when damaged",
             what);
    ok(clean, line);
}

/* Flipping any bit gives OK or CORRUPT, never a crash or another status
 * (valgrind watches the reads). */
static void check_bit_flips(const char *enc, size_t len, const char *what)
{
    char *copy = malloc(len);
    int fine = 1;
    char line[160];
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            memcpy(copy, enc, len);
            copy[i] = (char)(copy[i] ^ (1 << bit));
            int storage_ok = 0;
            spsearch_status_t st = decode_status(copy, len, &storage_ok);
            if ((st != SPSEARCH_OK && st != SPSEARCH_CORRUPT) ||
                !storage_ok) {
                if (fine)
                    diag("%s: flip at %zu bit %d: status %d", what, i, bit,
                         (int)st);
                fine = 0;
            }
        }
    free(copy);
    snprintf(line, sizeof line,
             "%s: any single bit flipped gives OK or CORRUPT", what);
    ok(fine, line);
}

static void test_records(void)
{
    char *enc = NULL;
    size_t enc_len = 0;

    /* A long passage: zlib makes it smaller. */
    static char text[1200];
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = "the heads of Roscosmos and NASA met in Houston. "[i % 48];
    sp_record rec = {"corpus/000_d9a4be1c3b1e15b8.txt",
                     "Space Diplomacy in Action", "2025-08-01", 1000,
                     1000 + sizeof text, 3, text, NULL, NULL, NULL, NULL};
    check_record(&rec, "compressible passage", &enc, &enc_len);
    ok(enc_len < sizeof text / 2, "a compressible passage is stored smaller");
    check_truncations(enc, enc_len, "compressible record");
    check_bit_flips(enc, enc_len, "compressible record");
    free(enc);

    /* A short passage: not worth compressing, stored as is. */
    sp_record small = {"a.txt", "Title", "2025-07-31", 0,    5,   0,
                       "Hello", NULL,    NULL,         NULL, NULL};
    check_record(&small, "short passage", &enc, &enc_len);
    ok(enc_len < 40, "a short passage record stays short");
    check_truncations(enc, enc_len, "short record");
    check_bit_flips(enc, enc_len, "short record");
    /* One byte too many is damage too. */
    char *longer = malloc(enc_len + 1);
    memcpy(longer, enc, enc_len);
    longer[enc_len] = 'x';
    int storage_ok = 0;
    is_long(decode_status(longer, enc_len + 1, &storage_ok),
            SPSEARCH_CORRUPT, "a stored text longer than its range");
    free(longer);
    free(enc);

    /* Empty title and date, NULs inside the text, large offsets. */
    static const char nul_text[] = "before\0after\0\0end";
    sp_record odd = {"dir/ünïcödé.txt", "", "", 5000000000ULL,
                     5000000000ULL + sizeof nul_text - 1, 4294967295u,
                     nul_text, NULL, NULL, NULL, NULL};
    check_record(&odd, "empty title and date, text with NULs", &enc,
                 &enc_len);
    check_truncations(enc, enc_len, "record with NULs");
    free(enc);

    /* NULL title and date are stored as empty. */
    sp_record nulls = {"p",   NULL, NULL, 0,    3,   1,
                       "abc", NULL, NULL, NULL, NULL};
    check_record(&nulls, "NULL title and date", &enc, &enc_len);
    free(enc);

    /* An empty passage. */
    sp_record empty = {"p", "t",  "2025-01-01", 7,    7,   0,
                       "",  NULL, NULL,         NULL, NULL};
    check_record(&empty, "empty text", &enc, &enc_len);
    check_truncations(enc, enc_len, "empty-text record");
    free(enc);

    /* Not a record at all. */
    int ok_storage = 0;
    is_long(decode_status("", 0, &ok_storage), SPSEARCH_CORRUPT,
            "an empty record");
    is_long(decode_status("\x07garbage", 8, &ok_storage), SPSEARCH_CORRUPT,
            "an unknown record kind");
    is_long(decode_status("\x02\x01p\x00\x00\x00\x05\x00xxxxx", 13,
                          &ok_storage),
            SPSEARCH_CORRUPT, "a 'compressed' record whose text is not zlib");
    is_long(decode_status("\x01\x01p\x00\x00\x09\x05\x00", 8, &ok_storage),
            SPSEARCH_CORRUPT, "a range that ends before it starts");
}

/* Records compressed against a dictionary: smaller, decodable only with
 * that dictionary, and damage is still only ever CORRUPT. */
static void test_dict_records(void)
{
    static char dict[4096], text[900];
    const char *sample = "The heads of Roscosmos and NASA met in Houston "
                         "to discuss the International Space Station. ";
    for (size_t i = 0; i < sizeof dict; i++)
        dict[i] = sample[i % strlen(sample)];
    /* The passage says much the same, in other order. */
    const char *said = "NASA and Roscosmos discussed the Space Station "
                       "when their heads met in Houston. ";
    for (size_t i = 0; i < sizeof text; i++)
        text[i] = said[i % strlen(said)];
    sp_record rec = {"corpus/000_d9a4be1c3b1e15b8.txt",
                     "Space Diplomacy in Action", "2025-08-01", 10,
                     10 + sizeof text, 2, text, NULL, NULL, NULL, NULL};
    sp_error err;
    sp_deflater *d = NULL, *plain = NULL;
    sp_buf b = {0}, z = {0}, pb = {0}, pz = {0};
    is_long(sp_deflater_new(&d, &err), SPSEARCH_OK, "dict: a compressor");
    is_long(sp_deflater_new(&plain, &err), SPSEARCH_OK,
            "dict: a compressor without one");
    is_long(sp_deflater_set_dict(d, dict, sizeof dict, &err), SPSEARCH_OK,
            "dict: set on the compressor");
    ok(sp_deflater_dict_id(d) == sp_zdict_id(dict, sizeof dict) &&
           sp_deflater_dict_id(plain) == 0,
       "dict: the compressor knows its dictionary's id");
    is_long(sp_deflater_set_dict(d, dict, SP_ZDICT_MAX + 1, &err),
            SPSEARCH_INVALID, "dict: one over 32 KB is refused");
    is_long(sp_record_encode_with(&rec, d, &b, &z, &err), SPSEARCH_OK,
            "dict: encodes");
    is_long(sp_record_encode_with(&rec, plain, &pb, &pz, &err), SPSEARCH_OK,
            "dict: encodes without one");
    ok(b.len < pb.len, "dict: the record is smaller with the dictionary");

    sp_record back;
    char *storage = NULL;
    unsigned long id = sp_zdict_id(dict, sizeof dict);
    is_long(sp_record_decode_dict(b.data, b.len, dict, sizeof dict, id,
                                  &back, &storage, &err),
            SPSEARCH_OK, "dict: decodes with its dictionary");
    ok(storage != NULL && strcmp(back.path, rec.path) == 0 &&
           strcmp(back.title, rec.title) == 0 &&
           strcmp(back.date, rec.date) == 0 && back.start == rec.start &&
           back.end == rec.end && back.passage == rec.passage &&
           memcmp(back.text, text, sizeof text) == 0 &&
           back.text[sizeof text] == '\0',
       "dict: every field comes back");
    free(storage);
    storage = NULL;
    is_long(sp_record_decode(b.data, b.len, &back, &storage, &err),
            SPSEARCH_CORRUPT, "dict: without the dictionary, CORRUPT");
    ok(strstr(err.msg, "dictionary") != NULL,
       "dict: ...and the message says a dictionary is missing");
    char other[sizeof dict];
    memcpy(other, dict, sizeof dict);
    other[0] ^= 1;
    is_long(sp_record_decode_dict(b.data, b.len, other, sizeof other,
                                  sp_zdict_id(other, sizeof other), &back,
                                  &storage, &err),
            SPSEARCH_CORRUPT, "dict: with another dictionary, CORRUPT");

    /* Damage, decoded with the right dictionary. */
    decode_dict = dict;
    decode_dict_len = sizeof dict;
    check_truncations(b.data, b.len, "dictionary record");
    check_bit_flips(b.data, b.len, "dictionary record");
    /* Plain records still decode when a dictionary is at hand. */
    int storage_ok = 0;
    is_long(decode_status(pb.data, pb.len, &storage_ok), SPSEARCH_OK,
            "dict: a record without one decodes beside it");
    decode_dict = NULL;
    decode_dict_len = 0;

    /* NULL title and date, as sp_record_encode() allows. */
    sp_record nulls = {"p",   NULL, NULL, 0,    3,   1,
                       "abc", NULL, NULL, NULL, NULL};
    is_long(sp_record_encode_with(&nulls, d, &b, &z, &err), SPSEARCH_OK,
            "dict: NULL title and date encode");
    is_long(sp_record_decode_dict(b.data, b.len, dict, sizeof dict, id,
                                  &back, &storage, &err),
            SPSEARCH_OK, "dict: ...and decode");
    ok(storage != NULL && back.title[0] == '\0' && back.date[0] == '\0' &&
           strcmp(back.text, "abc") == 0,
       "dict: ...as empty strings");
    ok(back.id[0] == '\0' && back.url[0] == '\0' && back.author[0] == '\0' &&
           back.source[0] == '\0',
       "dict: a record without id, url, author, source: all empty");
    free(storage);

    /* An article of a many-article file: its id, URL, author and source
     * come back. */
    sp_record linked = rec;
    linked.id = "LA010189-0001";
    linked.url = "https://example.com/news/17";
    linked.author = "Marta Ilves";
    linked.source = "Kessel Post";
    size_t unlinked_len = 0;
    is_long(sp_record_encode_with(&rec, d, &b, &z, &err), SPSEARCH_OK,
            "dict: encodes again");
    unlinked_len = b.len;
    is_long(sp_record_encode_with(&linked, d, &b, &z, &err), SPSEARCH_OK,
            "dict: a record with id, url, author and source encodes");
    ok(b.len > unlinked_len, "dict: ...and keeps them (it is longer)");
    is_long(sp_record_decode_dict(b.data, b.len, dict, sizeof dict, id,
                                  &back, &storage, &err),
            SPSEARCH_OK, "dict: ...and decodes");
    ok(storage != NULL && strcmp(back.id, linked.id) == 0 &&
           strcmp(back.url, linked.url) == 0 &&
           strcmp(back.author, linked.author) == 0 &&
           strcmp(back.source, linked.source) == 0 &&
           strcmp(back.path, rec.path) == 0 &&
           strcmp(back.date, rec.date) == 0 &&
           memcmp(back.text, text, sizeof text) == 0 &&
           back.text[sizeof text] == '\0',
       "dict: ...with its id, url, author, source and every other field");
    free(storage);
    storage = NULL;
    decode_dict = dict;
    decode_dict_len = sizeof dict;
    check_truncations(b.data, b.len, "record with id and url");
    check_bit_flips(b.data, b.len, "record with id and url");
    decode_dict = NULL;
    decode_dict_len = 0;
    sp_buf_free(&b);
    sp_buf_free(&z);
    sp_buf_free(&pb);
    sp_buf_free(&pz);
    sp_deflater_free(d);
    sp_deflater_free(plain);
}

/* A damaged record may claim any length for its text: a claim deflate
 * cannot reach is refused before anything is allocated for it, and the
 * most compressible text there is still decodes. */
static void test_implausible_lengths(void)
{
    sp_error err;
    size_t dict_len = 0;
    const char *dict = sp_zdict(&dict_len);
    char *out = NULL;
    static const char six[6] = {0x4b, 0x04, 0x00, 0x00, 0x00, 0x00};
    is_long(sp_zuncompress_dict(six, sizeof six, 3000000000u, dict,
                                dict_len, &out, &err),
            SPSEARCH_CORRUPT, "3 GB claimed by 6 bytes: CORRUPT");
    is_str(err.msg, "stored text: implausible length",
           "...refused as implausible, before allocating it");
    ok(out == NULL, "...with nothing made");
    is_long(sp_zuncompress(six, sizeof six, 3000000000u, &out, &err),
            SPSEARCH_CORRUPT, "the same without a dictionary");
    is_str(err.msg, "stored text: implausible length",
           "...refused as implausible too");

    /* 1 MB of one letter: about as compressible as text gets. */
    size_t n = 1 << 20;
    char *same = malloc(n);
    sp_deflater *d = NULL;
    sp_buf z = {0};
    if (same == NULL || sp_deflater_new(&d, &err) != SPSEARCH_OK ||
        sp_deflater_set_dict(d, dict, dict_len, &err) != SPSEARCH_OK ||
        sp_deflater_run(d, (memset(same, 'a', n), same), n, &z, &err) !=
            SPSEARCH_OK) {
        printf("Bail out! compressing: %s\n", err.msg);
        exit(99);
    }
    diag("1 MB of 'a' deflates to %zu bytes", z.len);
    is_long(sp_zuncompress_dict(z.data, z.len, n, dict, dict_len, &out,
                                &err),
            SPSEARCH_OK, "the most compressible text still decodes");
    ok(out != NULL && memcmp(out, same, n) == 0, "...to itself");
    free(out);
    free(same);
    sp_buf_free(&z);
    sp_deflater_free(d);
}

int main(void)
{
    tap_tmpdir("zutil");
    test_buf();
    test_varint();
    test_zlib();
    test_records();
    test_dict_records();
    test_implausible_lengths();
    return tap_done();
}
