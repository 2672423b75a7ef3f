/*
 * h_public: the routes anyone may call: health, metrics, and the public
 * registry (the same JSON objects as `starcert registry`). The look-up by
 * number answers through one registry_cache for the process (its bytes
 * are the server's own rendering of the same object; each worker thread's
 * connection tells it when the database changed, see
 * store/registry_cache.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"
#include "http/metrics.h"
#include "store/registry_cache.h"

enum sc_err sc_h_healthz(struct sc_http_req *req, struct sc_http_resp *resp,
                         struct sc_error *err)
{
    int version = 0;
    enum sc_err rc = sc_store_schema_version(req->store, &version, err);
    if (rc != SC_OK)
        return rc;
    resp->json = json_pack("{s:s, s:i}", "status", "ok", "schema_version",
                           version);
    return resp->json ? SC_OK : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}

static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static struct sc_registry_cache *cache; /* lives as long as the process */
static _Thread_local struct sc_registry_cache_reader reader;

static void cache_init(void)
{
    cache = sc_registry_cache_new(SC_REGISTRY_CACHE_ENTRIES,
                                  SC_REGISTRY_CACHE_BYTES);
}

/* The registry cache's counters after the request metrics (none when
 * there is no cache): false when they do not fit in cap bytes. */
static bool render_cache(char *buf, size_t cap, size_t *len)
{
    struct sc_registry_cache_stats s;
    *len = 0;
    pthread_once(&cache_once, cache_init);
    if (!cache)
        return true;
    sc_registry_cache_stats(cache, &s);
    int n = snprintf(
        buf, cap,
        "# TYPE starcert_registry_cache_lookups_total counter\n"
        "starcert_registry_cache_lookups_total{result=\"hit\"} %llu\n"
        "starcert_registry_cache_lookups_total{result=\"miss\"} %llu\n"
        "# TYPE starcert_registry_cache_drops_total counter\n"
        "starcert_registry_cache_drops_total %llu\n"
        "# TYPE starcert_registry_cache_checks_total counter\n"
        "starcert_registry_cache_checks_total{by=\"mark\"} %llu\n"
        "starcert_registry_cache_checks_total{by=\"database\"} %llu\n"
        "# TYPE starcert_registry_cache_entries gauge\n"
        "starcert_registry_cache_entries %zu\n"
        "# TYPE starcert_registry_cache_bytes gauge\n"
        "starcert_registry_cache_bytes %zu\n",
        (unsigned long long)s.hits, (unsigned long long)s.misses,
        (unsigned long long)s.drops, (unsigned long long)s.checks_mark,
        (unsigned long long)s.checks_database, s.entries, s.bytes);
    if (n < 0 || (size_t)n >= cap)
        return false;
    *len = (size_t)n;
    return true;
}

enum sc_err sc_h_metrics(struct sc_http_req *req, struct sc_http_resp *resp,
                         struct sc_error *err)
{
    size_t cap = 256 * 1024;
    char *buf = sc_arena_alloc(req->arena, cap);
    size_t n = buf ? sc_metrics_render(buf, cap) : 0;
    size_t more = 0;
    if (!n || !render_cache(buf + n, cap - n, &more))
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    n += more;
    resp->bytes = buf;
    resp->len = n;
    resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    return SC_OK;
}

static void *arena_alloc(void *arena, size_t n)
{
    return sc_arena_alloc(arena, n);
}

enum sc_err sc_h_registry_get(struct sc_http_req *req,
                              struct sc_http_resp *resp, struct sc_error *err)
{
    pthread_once(&cache_once, cache_init);
    if (!cache) /* no memory for it at start: every look-up is a read */
        return sc_store_registry_get(req->store, req->params[0], &resp->json,
                                     err);
    char *json = NULL;
    size_t len = 0;
    enum sc_err rc =
        sc_registry_cache_get(cache, &reader, req->store, req->params[0],
                              arena_alloc, req->arena, &json, &len, err);
    if (rc != SC_OK)
        return rc;
    resp->bytes = json;
    resp->len = len;
    resp->content_type = "application/json; charset=utf-8";
    return SC_OK;
}

enum sc_err sc_h_registry_search(struct sc_http_req *req,
                                 struct sc_http_resp *resp,
                                 struct sc_error *err)
{
    const char *q = sc_http_query(req, "q");
    long long limit = SC_REGISTRY_LIMIT_DEFAULT;
    if (!q)
        return sc_error_set(err, SC_ERR_INVALID, "q",
                            "give the text to search for: ?q=...");
    enum sc_err rc = sc_http_query_int(req, "limit", 1, SC_REGISTRY_LIMIT_MAX,
                                       &limit, err);
    json_t *list = NULL;
    if (rc == SC_OK)
        rc = sc_store_registry_search(req->store, q, (int)limit, &list, err);
    if (rc != SC_OK) {
        if (strcmp(err->field, "text") == 0) /* the store's name for ?q= */
            snprintf(err->field, sizeof err->field, "q");
        return rc;
    }
    resp->json = json_pack("{s:o}", "results", list);
    return resp->json ? SC_OK : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}
