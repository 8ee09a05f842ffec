/*
 * fuzz-record.c - stored passage records: damaged bytes decode or give
 * SPSEARCH_CORRUPT; a record made from any text decodes to that text.
 * The first byte picks: even, decode the rest as a record; odd, encode
 * the rest as a passage (with and without the dictionary) and decode it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "shared/record.h"
#include "shared/zutil.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t dict_len = 0;
    const char *dict = sp_zdict(&dict_len);
    unsigned long dict_id = sp_zdict_id(dict, dict_len);
    sp_error err;
    sp_record rec;
    char *storage = NULL;
    if (size == 0)
        return 0;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    if (data[0] % 2 == 0) {
        spsearch_status_t st = sp_record_decode_dict(
            in, n, dict, dict_len, dict_id, &rec, &storage, &err);
        fuzz_check(st == SPSEARCH_OK || st == SPSEARCH_CORRUPT ||
                       st == SPSEARCH_NOMEM,
                   "a damaged record is CORRUPT");
        uint32_t passage = 0;
        spsearch_status_t head = sp_record_passage(in, n, &passage, &err);
        fuzz_check(st != SPSEARCH_OK ||
                       (head == SPSEARCH_OK && passage == rec.passage),
                   "the head agrees with the record");
        free(storage);
        return 0;
    }
    for (int with_dict = 0; with_dict < 2; with_dict++) {
        sp_deflater *d = NULL;
        sp_buf b = {0}, z = {0};
        /* Half the inputs are articles of a many-article file. */
        int linked = data[0] & 1;
        sp_record want = {"p/a.txt",
                          "A title",
                          "2025-01-02",
                          5,
                          5 + n,
                          (uint32_t)(data[0] >> 1),
                          in,
                          linked ? "line 7" : NULL,
                          linked ? "https://example.com/7" : NULL,
                          NULL,
                          NULL};
        fuzz_check(sp_deflater_new(&d, &err) == SPSEARCH_OK, "a deflater");
        if (with_dict)
            fuzz_check(sp_deflater_set_dict(d, dict, dict_len, &err) ==
                           SPSEARCH_OK,
                       "the dictionary");
        fuzz_check(sp_record_encode_with(&want, d, &b, &z, &err) ==
                       SPSEARCH_OK,
                   "encoding");
        fuzz_check(sp_record_decode_dict(b.data, b.len, dict, dict_len,
                                         dict_id, &rec, &storage,
                                         &err) == SPSEARCH_OK,
                   "decoding what was encoded");
        fuzz_check(rec.end - rec.start == n && memcmp(rec.text, in, n) == 0 &&
                       rec.passage == want.passage &&
                       strcmp(rec.path, want.path) == 0 &&
                       strcmp(rec.id, linked && with_dict ? want.id : "") ==
                           0 &&
                       strcmp(rec.url, linked && with_dict ? want.url : "") ==
                           0,
                   "the round trip gives the passage back");
        free(storage);
        sp_buf_free(&b);
        sp_buf_free(&z);
        sp_deflater_free(d);
    }
    return 0;
}
