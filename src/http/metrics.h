/*
 * metrics: request counters and latency histograms per route, error counts
 * per status class, and time spent in the handlers (which is where the
 * database work happens), kept with C11 atomics so worker threads never
 * lock; rendered in the Prometheus text format for GET /metrics.
 * Not for: logging.
 */
#ifndef SC_METRICS_H
#define SC_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define SC_METRICS_ROUTES_MAX 256 /* routes counted one by one */

/* Records one request: route index (SC_METRICS_ROUTES_MAX for requests
 * that matched no route), status, total and handler microseconds. */
void sc_metrics_record(size_t route, int status, uint64_t total_us,
                       uint64_t handler_us);

/* Renders every counter into `buf` (at most `cap` bytes, NUL-terminated).
 * Returns the length written, or 0 when the buffer is too small. */
size_t sc_metrics_render(char *buf, size_t cap);

#endif
