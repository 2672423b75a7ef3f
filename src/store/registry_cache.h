/*
 * registry_cache: the rendered JSON of registry look-ups by certificate
 * number (sc_store_registry_get), shared by the threads of a process, so
 * that a number asked for again is answered without a query or a JSON
 * build.
 *
 * Always right: every look-up first asks its own connection whether the
 * database changed since that connection last asked (first through
 * sc_db_wal_mark, which costs no system call and answers "unchanged" when
 * no connection has committed since the last full question; else
 * sc_db_data_version:
 * a commit by any other connection, in this process or another, such as
 * `starcert tick` or the committee on another worker thread; and
 * sc_db_total_changes: a write by this connection itself). On a change
 * the whole cache is dropped before the look-up, and an answer read
 * before a drop is never stored after it (an epoch, taken before the
 * read, must be unchanged when it is stored). So a request that starts
 * after a commit has finished never gets an answer older than that
 * commit, whichever thread or process made it. Only found certificates
 * are kept (a number that is not found is looked up again each time, so
 * a flood of made-up numbers cannot evict real ones).
 *
 * Bounded: at most `max_entries` entries and `max_bytes` bytes of entries
 * (key, text and bookkeeping; the table itself is 16 bytes a slot more).
 * The table is set-associative (4 entries a set, a pseudo-random victim
 * when a set is full); when the bytes cap would be passed, the whole
 * cache is dropped first. Dropping costs one free per entry held.
 *
 * Threads: one mutex inside, held for a table probe and a copy of the
 * answer, never during a database read. Each connection that uses the
 * cache brings its own `struct sc_registry_cache_reader` (its last view
 * of the database; zero-initialise it; use it with one connection only).
 * Not for: searches (only the exact-number look-up is cached), anything
 * that writes.
 */
#ifndef SC_REGISTRY_CACHE_H
#define SC_REGISTRY_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/db.h"

struct sc_store;
struct sc_registry_cache;

/* Defaults for the HTTP server: one cache for the process. */
#define SC_REGISTRY_CACHE_ENTRIES 262144
#define SC_REGISTRY_CACHE_BYTES (128 * 1024 * 1024)

/* What one connection last saw of the database (opaque to callers;
 * zero-initialised before first use). */
struct sc_registry_cache_reader {
    struct sc_store *st;
    int64_t data_version, changes;
    struct sc_db_mark mark; /* taken just before data_version was read */
    bool stamped, marked;
};

struct sc_registry_cache_stats {
    uint64_t hits, misses, drops; /* drops: wholesale invalidations */
    /* freshness checks answered by the log index's mark alone / that
     * asked the database (PRAGMA data_version) */
    uint64_t checks_mark, checks_database;
    size_t entries, bytes;        /* held now */
};

/* Allocates n bytes that the caller keeps (e.g. from a request arena);
 * NULL when out of memory. Called with the cache's mutex held. */
typedef void *(*sc_registry_cache_alloc)(void *ctx, size_t n);

/* A new, empty cache holding at most max_entries (rounded up to a power of
 * two, at least 4; at most 2^24) entries and max_bytes bytes. NULL when
 * out of memory. Free with sc_registry_cache_free (NULL is a no-op) once
 * no thread uses it. */
struct sc_registry_cache *sc_registry_cache_new(size_t max_entries,
                                                size_t max_bytes);
void sc_registry_cache_free(struct sc_registry_cache *c);

/* Drops every entry (the next look-ups go to the database). */
void sc_registry_cache_drop(struct sc_registry_cache *c);

/*
 * The certificate numbered `number` as the compact JSON text of
 * sc_store_registry_get's object (json_dumps with JSON_COMPACT: the same
 * bytes the HTTP server writes for that object), from the cache when the
 * database has not changed, else read through `st` (and then stored).
 * The text is copied, NUL-terminated, into alloc(alloc_ctx, *len + 1):
 * *json is that copy, the caller's. Errors are sc_store_registry_get's
 * (SC_ERR_NOT_FOUND, SC_ERR_INVALID), SC_ERR_NOMEM, and the engine's;
 * nothing is stored then. `r` must always come with the same `st`.
 */
enum sc_err sc_registry_cache_get(struct sc_registry_cache *c,
                                  struct sc_registry_cache_reader *r,
                                  struct sc_store *st, const char *number,
                                  sc_registry_cache_alloc alloc,
                                  void *alloc_ctx, char **json, size_t *len,
                                  struct sc_error *err);

void sc_registry_cache_stats(struct sc_registry_cache *c,
                             struct sc_registry_cache_stats *out);

#endif
