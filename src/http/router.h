/*
 * router: the one table of HTTP routes (method, path pattern, who may call
 * it, handler) and the matcher the server asks before any handler runs.
 * Unknown paths are 404, a known path with another method 405 (with the
 * allowed methods), a route that needs a session without one 401, and a
 * role that the policy table (src/core/policy.h) never allows for the
 * route's action 403 — all before the handler. Ownership (own organisation,
 * audit team) needs data, so the store checks it with the same policy table.
 * Not for: parsing requests or writing responses.
 */
#ifndef SC_ROUTER_H
#define SC_ROUTER_H

#include <stddef.h>

#include "core/err.h"
#include "http/http.h"

#define SC_ROUTE_SEGMENTS_MAX 8
#define SC_ROUTE_PATH_MAX 512

enum sc_route_auth {
    SC_ROUTE_PUBLIC,  /* anyone, no session looked up */
    SC_ROUTE_OPTIONAL, /* anyone; a session is used when present */
    SC_ROUTE_SESSION  /* a valid session or bearer token is required */
};

struct sc_route {
    const char *method;  /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern; /* "/api/v1/certificates/{number}/suspend" */
    enum sc_route_auth auth;
    const char *action;  /* policy action checked by role, or NULL */
    sc_http_handler handler;
    const char *name;    /* metric label and OpenAPI operationId */
};

/* The route table (static storage). */
const struct sc_route *sc_routes(size_t *n);

/* Index of a route in the table (for per-route metrics). */
size_t sc_route_index(const struct sc_route *r);

/*
 * Finds the route for `method` and `path` (already percent-decoded, without
 * the query). On SC_OK *route is set and params[] point into `buf` (a copy
 * of the path of at most `cap` bytes). SC_ERR_NOT_FOUND when no pattern
 * matches the path; SC_ERR_METHOD when one does but not with this method,
 * and then `allow` (if not NULL, `allow_cap` bytes) lists the methods that
 * would match ("GET, POST").
 */
enum sc_err sc_router_match(const char *method, const char *path,
                            const struct sc_route **route,
                            const char *params[SC_HTTP_MAX_PARAMS],
                            int *n_params, char *buf, size_t cap, char *allow,
                            size_t allow_cap, struct sc_error *err);

#endif
