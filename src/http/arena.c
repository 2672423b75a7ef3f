/*
 * arena: the per-request bump allocator declared in http.h. The first
 * 2 KiB live inside the arena itself (one allocation for a request that
 * needs little, such as a registry look-up); then blocks of at least
 * 16 KiB, chained; everything is freed at once when the request ends.
 * A request may hold at most SC_ARENA_MAX bytes.
 */
#include "http/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MIN (16 * 1024)
#define INLINE_BYTES (2 * 1024)

struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
};

struct sc_arena {
    struct block *head;
    size_t total;
    size_t inline_used;
    max_align_t inline_data[INLINE_BYTES / sizeof(max_align_t)];
};

struct sc_arena *sc_arena_new(void)
{
    struct sc_arena *a = malloc(sizeof *a);
    if (a) {
        a->head = NULL;
        a->total = 0;
        a->inline_used = 0;
    }
    return a;
}

void sc_arena_free(struct sc_arena *a)
{
    if (!a)
        return;
    struct block *b = a->head;
    while (b) {
        struct block *next = b->next;
        free(b);
        b = next;
    }
    free(a);
}

void *sc_arena_alloc(struct sc_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    if (n > SC_ARENA_MAX)
        return NULL;
    n = (n + align - 1) / align * align;
    if (n == 0)
        n = align;
    if (sizeof a->inline_data - a->inline_used >= n) {
        void *p = (char *)a->inline_data + a->inline_used;
        a->inline_used += n;
        return p;
    }
    struct block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > BLOCK_MIN ? n : BLOCK_MIN;
        if (a->total + cap > SC_ARENA_MAX)
            return NULL;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
        a->total += cap;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *sc_arena_strdup(struct sc_arena *a, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = sc_arena_alloc(a, n);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *sc_arena_printf(struct sc_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = sc_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}
