/*
 * metrics: lock-free counters (see metrics.h). Route names come from the
 * route table.
 */
#include "http/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "http/router.h"

static const uint64_t bounds_us[] = {50,    100,   250,    500,    1000,
                                     2500,  5000,  10000,  25000,  50000,
                                     100000, 250000, 1000000};
#define N_BOUNDS (sizeof bounds_us / sizeof bounds_us[0])

struct route_stats {
    atomic_uint_fast64_t count;
    atomic_uint_fast64_t sum_us;
    atomic_uint_fast64_t bucket[N_BOUNDS + 1];
};

static struct route_stats routes[SC_METRICS_ROUTES_MAX + 1];
static atomic_uint_fast64_t status_class[6]; /* 1xx..5xx */
static atomic_uint_fast64_t handler_us_total;

void sc_metrics_record(size_t route, int status, uint64_t total_us,
                       uint64_t handler_us)
{
    if (route > SC_METRICS_ROUTES_MAX)
        route = SC_METRICS_ROUTES_MAX;
    struct route_stats *r = &routes[route];
    atomic_fetch_add_explicit(&r->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&r->sum_us, total_us, memory_order_relaxed);
    size_t b = 0;
    while (b < N_BOUNDS && total_us > bounds_us[b])
        b++;
    atomic_fetch_add_explicit(&r->bucket[b], 1, memory_order_relaxed);
    int cls = status / 100;
    if (cls >= 1 && cls <= 5)
        atomic_fetch_add_explicit(&status_class[cls], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&handler_us_total, handler_us,
                              memory_order_relaxed);
}

struct out {
    char *buf;
    size_t cap, len;
    int overflow;
};

static void put(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
    if (o->overflow)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->cap - o->len)
        o->overflow = 1;
    else
        o->len += (size_t)n;
}

size_t sc_metrics_render(char *buf, size_t cap)
{
    struct out o = {buf, cap, 0, 0};
    size_t n = 0;
    const struct sc_route *t = sc_routes(&n);
    if (n > SC_METRICS_ROUTES_MAX)
        n = SC_METRICS_ROUTES_MAX;

    put(&o, "# HELP starcert_http_requests_total Requests per route.\n"
            "# TYPE starcert_http_requests_total counter\n");
    /* slots 0..n-1 are the routes; slot SC_METRICS_ROUTES_MAX holds the
     * requests that matched none */
    for (size_t k = 0; k <= n; k++) {
        size_t i = k < n ? k : SC_METRICS_ROUTES_MAX;
        uint64_t c = atomic_load_explicit(&routes[i].count, memory_order_relaxed);
        if (!c)
            continue;
        put(&o, "starcert_http_requests_total{route=\"%s\"} %llu\n",
            k < n ? t[k].name : "unmatched", (unsigned long long)c);
    }
    put(&o, "# HELP starcert_http_request_duration_seconds Latency per route.\n"
            "# TYPE starcert_http_request_duration_seconds histogram\n");
    for (size_t k = 0; k <= n; k++) {
        struct route_stats *r = &routes[k < n ? k : SC_METRICS_ROUTES_MAX];
        uint64_t c = atomic_load_explicit(&r->count, memory_order_relaxed);
        if (!c)
            continue;
        const char *name = k < n ? t[k].name : "unmatched";
        uint64_t cum = 0;
        for (size_t b = 0; b <= N_BOUNDS; b++) {
            cum += atomic_load_explicit(&r->bucket[b], memory_order_relaxed);
            if (b < N_BOUNDS)
                put(&o,
                    "starcert_http_request_duration_seconds_bucket{route=\"%s\","
                    "le=\"%g\"} %llu\n",
                    name, (double)bounds_us[b] / 1e6, (unsigned long long)cum);
            else
                put(&o,
                    "starcert_http_request_duration_seconds_bucket{route=\"%s\","
                    "le=\"+Inf\"} %llu\n",
                    name, (unsigned long long)cum);
        }
        put(&o, "starcert_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n",
            name,
            (double)atomic_load_explicit(&r->sum_us, memory_order_relaxed) / 1e6);
        put(&o, "starcert_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
            name, (unsigned long long)c);
    }
    put(&o, "# HELP starcert_http_responses_total Responses by status class.\n"
            "# TYPE starcert_http_responses_total counter\n");
    for (int k = 1; k <= 5; k++)
        put(&o, "starcert_http_responses_total{class=\"%dxx\"} %llu\n", k,
            (unsigned long long)atomic_load_explicit(&status_class[k],
                                                     memory_order_relaxed));
    put(&o, "# HELP starcert_handler_seconds_total Time in handlers "
            "(database work included).\n"
            "# TYPE starcert_handler_seconds_total counter\n"
            "starcert_handler_seconds_total %.6f\n",
        (double)atomic_load_explicit(&handler_us_total, memory_order_relaxed) /
            1e6);
    if (o.overflow)
        return 0;
    return o.len;
}
