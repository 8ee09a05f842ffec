/*
 * arena.h - one block chain per result set: every hit, passage and
 * highlight of a query is allocated here and freed in one call.
 */
#ifndef SP_ARENA_H
#define SP_ARENA_H

#include <stddef.h>

typedef struct sp_arena_block sp_arena_block;

typedef struct sp_arena {
    sp_arena_block *head;
} sp_arena;

/* Returns n bytes aligned for any type, or NULL when out of memory. */
void *sp_arena_alloc(sp_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n), or NULL when out of memory. */
char *sp_arena_strndup(sp_arena *a, const char *s, size_t n);
/* The NUL-terminated strings a and b one after the other ("E" + "word",
 * a term), or NULL when out of memory. */
char *sp_arena_concat(sp_arena *a, const char *x, const char *y);
/* Frees every block; the arena is empty and usable again. */
void sp_arena_free(sp_arena *a);

#endif /* SP_ARENA_H */
