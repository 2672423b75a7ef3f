/*
 * registry_cache: rendered registry look-ups per certificate number, shared
 * by threads (see registry_cache.h). A set-associative table of slots
 * (hash + entry); each entry is one allocation holding the number and the
 * JSON text. A list of the occupied slots makes dropping cost one free per
 * entry, not a scan of the table. One mutex guards the table, the byte
 * count and the epoch; database reads happen outside it. Not for:
 * deciding what a certificate looks like (store_registry.c does; this only
 * keeps its answer).
 */
#include "store/registry_cache.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store.h"

#define WAYS 4
#define SLOTS_MAX ((size_t)1 << 24)
#define ENTRY_SHARE 64 /* one entry may take at most max_bytes / 64 */

struct entry {
    size_t size; /* the whole allocation, counted against max_bytes */
    size_t key_len, json_len;
    char data[]; /* key '\0' json '\0' */
};

struct slot {
    uint64_t hash;
    struct entry *e; /* NULL: empty */
};

struct sc_registry_cache {
    pthread_mutex_t lock;
    struct slot *slots;
    size_t n_slots, set_mask;
    uint32_t *used; /* indexes of the occupied slots */
    size_t n_used;
    size_t bytes, max_bytes;
    uint64_t epoch; /* +1 at every drop */
    uint64_t rng;
    uint64_t hits, misses, drops;
    atomic_uint_fast64_t checks_mark, checks_database; /* outside the lock */
};

struct sc_registry_cache *sc_registry_cache_new(size_t max_entries,
                                                size_t max_bytes)
{
    size_t n = WAYS;
    while (n < max_entries && n < SLOTS_MAX)
        n *= 2;
    struct sc_registry_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    /* a set (WAYS slots of 16 bytes) is one 64-byte line */
    c->slots = aligned_alloc(64, n * sizeof *c->slots);
    c->used = calloc(n, sizeof *c->used);
    if (!c->slots || !c->used) {
        sc_registry_cache_free(c);
        return NULL;
    }
    memset(c->slots, 0, n * sizeof *c->slots);
    atomic_init(&c->checks_mark, 0);
    atomic_init(&c->checks_database, 0);
    c->n_slots = n;
    c->set_mask = n / WAYS - 1;
    c->max_bytes = max_bytes;
    c->rng = 0x9E3779B97F4A7C15ull;
    return c;
}

/* With the lock held. */
static void drop_locked(struct sc_registry_cache *c)
{
    for (size_t i = 0; i < c->n_used; i++) {
        struct slot *s = &c->slots[c->used[i]];
        free(s->e);
        s->e = NULL;
        s->hash = 0;
    }
    if (c->n_used)
        c->drops++;
    c->n_used = 0;
    c->bytes = 0;
    c->epoch++;
}

void sc_registry_cache_drop(struct sc_registry_cache *c)
{
    pthread_mutex_lock(&c->lock);
    drop_locked(c);
    pthread_mutex_unlock(&c->lock);
}

void sc_registry_cache_free(struct sc_registry_cache *c)
{
    if (!c)
        return;
    if (c->slots && c->used)
        drop_locked(c);
    free(c->slots);
    free(c->used);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void sc_registry_cache_stats(struct sc_registry_cache *c,
                             struct sc_registry_cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    out->hits = c->hits;
    out->misses = c->misses;
    out->drops = c->drops;
    out->entries = c->n_used;
    out->bytes = c->bytes;
    pthread_mutex_unlock(&c->lock);
    out->checks_mark =
        atomic_load_explicit(&c->checks_mark, memory_order_relaxed);
    out->checks_database =
        atomic_load_explicit(&c->checks_database, memory_order_relaxed);
}

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, then a final mix */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

static uint64_t next_rng(struct sc_registry_cache *c)
{
    uint64_t x = c->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c->rng = x;
    return x;
}

/* Asks r's connection whether the database changed since it last asked;
 * drops the cache when it did. Runs before any read of this request.
 * First the free question (the log index's header, unchanged since the
 * last full answer, and no write of this connection's own); only when it
 * cannot say "unchanged" the full one (PRAGMA data_version, a read
 * transaction), with a new mark taken before it. */
static enum sc_err check_current(struct sc_registry_cache *c,
                                 struct sc_registry_cache_reader *r,
                                 struct sc_store *st, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    int64_t changes = sc_db_total_changes(db);
    struct sc_db_mark mark;
    bool marked = sc_db_wal_mark(db, &mark);
    if (marked && r->marked && r->stamped && r->st == st &&
        r->changes == changes &&
        memcmp(mark.b, r->mark.b, sizeof mark.b) == 0) {
        atomic_fetch_add_explicit(&c->checks_mark, 1, memory_order_relaxed);
        return SC_OK;
    }
    int64_t version = 0;
    enum sc_err rc = sc_db_data_version(db, &version, err);
    if (rc != SC_OK) {
        r->stamped = false;
        return rc;
    }
    if (!r->stamped || r->st != st || r->data_version != version ||
        r->changes != changes) {
        sc_registry_cache_drop(c);
        r->st = st;
        r->data_version = version;
        r->changes = changes;
        r->stamped = true;
    }
    r->marked = marked;
    if (marked)
        r->mark = mark;
    atomic_fetch_add_explicit(&c->checks_database, 1, memory_order_relaxed);
    return SC_OK;
}

/* The slot holding `number`, or NULL. With the lock held. */
static struct slot *find_locked(struct sc_registry_cache *c, uint64_t h,
                                const char *number, size_t key_len)
{
    size_t base = (size_t)(h & c->set_mask) * WAYS;
    for (size_t w = 0; w < WAYS; w++) {
        struct slot *s = &c->slots[base + w];
        if (s->e && s->hash == h && s->e->key_len == key_len &&
            memcmp(s->e->data, number, key_len) == 0)
            return s;
    }
    return NULL;
}

/* Stores `e` under hash h, unless a drop happened since `epoch` (the
 * answer may then predate a change) or it is already there. Takes or
 * frees e. With the lock held. */
static void insert_locked(struct sc_registry_cache *c, uint64_t epoch,
                          uint64_t h, struct entry *e)
{
    if (epoch != c->epoch || e->size > c->max_bytes / ENTRY_SHARE ||
        find_locked(c, h, e->data, e->key_len)) {
        free(e);
        return;
    }
    if (c->bytes + e->size > c->max_bytes) {
        drop_locked(c);
        free(e); /* a drop moved the epoch: begin filling at the next read */
        return;
    }
    size_t base = (size_t)(h & c->set_mask) * WAYS;
    size_t at = c->n_slots;
    for (size_t w = 0; w < WAYS && at == c->n_slots; w++)
        if (!c->slots[base + w].e)
            at = base + w;
    if (at == c->n_slots) {
        at = base + (size_t)(next_rng(c) % WAYS);
        c->bytes -= c->slots[at].e->size;
        free(c->slots[at].e);
    } else {
        c->used[c->n_used++] = (uint32_t)at;
    }
    c->slots[at].hash = h;
    c->slots[at].e = e;
    c->bytes += e->size;
}

static enum sc_err copy_out(const char *text, size_t len,
                            sc_registry_cache_alloc alloc, void *alloc_ctx,
                            char **json, size_t *out_len, struct sc_error *err)
{
    char *copy = alloc(alloc_ctx, len + 1);
    if (!copy)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    memcpy(copy, text, len + 1);
    *json = copy;
    *out_len = len;
    return SC_OK;
}

enum sc_err sc_registry_cache_get(struct sc_registry_cache *c,
                                  struct sc_registry_cache_reader *r,
                                  struct sc_store *st, const char *number,
                                  sc_registry_cache_alloc alloc,
                                  void *alloc_ctx, char **json, size_t *len,
                                  struct sc_error *err)
{
    json_t *obj = NULL;
    enum sc_err rc;
    size_t key_len = number ? strlen(number) : 0;

    if (key_len == 0 || key_len > SC_REGISTRY_TEXT_MAX) {
        /* the store's own refusal, word for word */
        rc = sc_store_registry_get(st, number, &obj, err);
        json_decref(obj);
        return rc == SC_OK ? sc_error_set(err, SC_ERR_INTERNAL, NULL, NULL)
                           : rc;
    }
    uint64_t h = hash_of(number, key_len);
    /* the set's line arrives while the database is asked about changes */
    __builtin_prefetch(&c->slots[(size_t)(h & c->set_mask) * WAYS]);
    if ((rc = check_current(c, r, st, err)) != SC_OK)
        return rc;

    pthread_mutex_lock(&c->lock);
    uint64_t epoch = c->epoch; /* taken before the read below */
    struct slot *s = find_locked(c, h, number, key_len);
    if (s) {
        c->hits++;
        rc = copy_out(s->e->data + key_len + 1, s->e->json_len, alloc,
                      alloc_ctx, json, len, err);
        pthread_mutex_unlock(&c->lock);
        return rc;
    }
    c->misses++;
    pthread_mutex_unlock(&c->lock);

    if ((rc = sc_store_registry_get(st, number, &obj, err)) != SC_OK)
        return rc;
    char *text = json_dumps(obj, JSON_COMPACT);
    json_decref(obj);
    if (!text)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    size_t json_len = strlen(text);
    rc = copy_out(text, json_len, alloc, alloc_ctx, json, len, err);
    /* key_len <= SC_REGISTRY_TEXT_MAX and json_len is the length of a
     * string in memory: the sum cannot wrap */
    size_t size = sizeof(struct entry) + key_len + 1 + json_len + 1;
    struct entry *e = rc == SC_OK ? malloc(size) : NULL;
    if (e) {
        e->size = size;
        e->key_len = key_len;
        e->json_len = json_len;
        memcpy(e->data, number, key_len + 1);
        memcpy(e->data + key_len + 1, text, json_len + 1);
        pthread_mutex_lock(&c->lock);
        insert_locked(c, epoch, h, e);
        pthread_mutex_unlock(&c->lock);
    }
    free(text);
    return rc;
}
