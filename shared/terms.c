/*
 * terms.c - the hashed terms that name an article and its file, written
 * by the indexer and looked up by the searcher.
 */
#include "config.h"

#include <stdio.h>

#include "shared/terms.h"

uint64_t sp_fnv1a(const char *s, size_t n)
{
    uint64_t h = SP_FNV1A_INIT;
    for (size_t i = 0; i < n; i++)
        h = sp_fnv1a_byte(h, (unsigned char)s[i]);
    return h;
}

int sp_hashed_term(char *out, size_t size, const char *prefix,
                   const char *id, size_t len)
{
    return snprintf(out, size, "%s%016llx", prefix,
                    (unsigned long long)sp_fnv1a(id, len));
}
