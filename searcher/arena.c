#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "searcher/arena.h"

#define ARENA_BLOCK 16384

/* The strictest alignment of ordinary types, without C11's max_align_t. */
typedef union arena_align {
    long double ld;
    long long ll;
    void *p;
    void (*fn)(void);
} arena_align;

struct sp_arena_block {
    sp_arena_block *next;
    size_t used, size;
    arena_align data[];
};

void *sp_arena_alloc(sp_arena *a, size_t n)
{
    const size_t align = sizeof(arena_align);
    if (n > SIZE_MAX - align)
        return NULL;
    n = (n + align - 1) & ~(align - 1);
    sp_arena_block *b = a->head;
    if (b == NULL || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = malloc(sizeof *b + size);
        if (b == NULL)
            return NULL;
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *sp_arena_strndup(sp_arena *a, const char *s, size_t n)
{
    char *p = sp_arena_alloc(a, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sp_arena_concat(sp_arena *a, const char *x, const char *y)
{
    size_t nx = strlen(x), ny = strlen(y);
    char *p = sp_arena_alloc(a, nx + ny + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, x, nx);
    memcpy(p + nx, y, ny + 1);
    return p;
}

void sp_arena_free(sp_arena *a)
{
    sp_arena_block *b = a->head;
    while (b != NULL) {
        sp_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}
