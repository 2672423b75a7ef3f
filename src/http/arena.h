/*
 * arena: creating and freeing the per-request allocator whose allocation
 * functions are declared in http.h (handlers allocate; only the server
 * creates and frees). Not for: anything that outlives a request.
 */
#ifndef SC_ARENA_H
#define SC_ARENA_H

#include <stddef.h>

#include "http/http.h"

#define SC_ARENA_MAX ((size_t)64 * 1024 * 1024) /* bytes per request */

/* A new empty arena (NULL when out of memory); sc_arena_free(NULL) is a
 * no-op. */
struct sc_arena *sc_arena_new(void);
void sc_arena_free(struct sc_arena *a);

#endif
