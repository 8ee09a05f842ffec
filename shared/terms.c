/*
 * terms.c - the hashed terms that name an article and its file, written
 * by the indexer and looked up by the searcher.
 */
#include "config.h"

#include <stdio.h>

#include "shared/terms.h"

uint64_t sp_fnv1a(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

int sp_hashed_term(char *out, size_t size, const char *prefix,
                   const char *id, size_t len)
{
    return snprintf(out, size, "%s%016llx", prefix,
                    (unsigned long long)sp_fnv1a(id, len));
}
