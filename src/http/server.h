/*
 * server: `starcert serve`. GNU libmicrohttpd with a thread pool on epoll;
 * each worker thread holds its own store connection. Caps on header size
 * (per-connection memory), body size and connections per address; a timeout
 * for slow clients; a graceful stop on SIGTERM/SIGINT (no new connections,
 * in-flight requests finish, then the store connections close); one access
 * log line per request on stdout: method, path, status, bytes, microseconds.
 * Not for: handlers (h_*.c) or routes (routes.c).
 */
#ifndef SC_SERVER_H
#define SC_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "http/proxy.h"

struct sc_server_config {
    const char *db;           /* database path */
    const char *host;         /* numeric IPv4/IPv6 address to bind */
    uint16_t port;            /* 0: any free port */
    unsigned threads;         /* worker threads (0: 2) */
    size_t body_max;          /* request body cap, bytes */
    unsigned per_ip;          /* concurrent connections per address */
    unsigned timeout_s;       /* idle connection timeout */
    size_t header_max;        /* per-connection memory for headers */
    const char *today;        /* fixed "today" (tests), or NULL: the clock */
    const char *port_file;    /* where to write the bound port, or NULL */
    int quiet;                /* no access log */
    struct sc_proxy_list proxies; /* whose X-Forwarded-For is believed */
};

/* Sensible defaults for every field but db/host/port. */
void sc_server_config_defaults(struct sc_server_config *c);

/*
 * Starts the server and blocks until SIGTERM or SIGINT, then stops
 * gracefully. Returns SC_OK after a clean stop, or the error that kept it
 * from starting (cannot bind, database refused).
 */
enum sc_err sc_server_run(const struct sc_server_config *c,
                          struct sc_error *err);

#endif
