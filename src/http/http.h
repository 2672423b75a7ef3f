/*
 * http: what a request handler sees. The server (server.c, the only file
 * that includes microhttpd.h) parses the request, finds the route, checks
 * authentication and the route's policy, then calls the handler with a
 * `struct sc_http_req` and an empty `struct sc_http_resp` to fill.
 *
 * Handler contract: parse and validate input, call ONE store or core
 * function, fill the response once. Errors are returned as values (with the
 * struct sc_error filled); the server turns them into
 * {"error": {"code", "message", "field"}} with the code's HTTP status, in
 * one place. Memory: allocate from the request's arena (freed after the
 * response) and hand JSON to the response (the server decrefs it); a
 * handler never calls free.
 * Not for: HTTP parsing, sockets or threads (server.c), route matching
 * (router.c).
 */
#ifndef SC_HTTP_H
#define SC_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/actor.h"
#include "store/store.h"

#define SC_HTTP_MAX_PARAMS 4
#define SC_HTTP_MAX_HEADERS 8
#define SC_HTTP_JSON_BODY_MAX (1024 * 1024) /* JSON request bodies */

struct sc_arena;

/* A bump allocator that lives for one request. Allocation failure returns
 * NULL (the handler answers out_of_memory). */
void *sc_arena_alloc(struct sc_arena *a, size_t n);
char *sc_arena_strdup(struct sc_arena *a, const char *s);
char *sc_arena_printf(struct sc_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

struct sc_http_req {
    const char *method; /* "GET", ... */
    const char *path;   /* decoded path, without the query */
    const char *params[SC_HTTP_MAX_PARAMS]; /* {name} captures, in order */
    int n_params;
    const char *body; /* the whole body, NUL-terminated; "" when none */
    size_t body_len;
    struct sc_store *store; /* this worker thread's connection */
    struct sc_clock clock;  /* today (CB time zone) and now (UTC) */
    struct sc_actor actor;  /* valid when authenticated */
    bool authenticated;
    bool via_cookie;        /* authenticated by the session cookie */
    int64_t session_id;     /* the session row, when authenticated */
    const char *client_ip;  /* textual address of the peer */
    struct sc_arena *arena;
    void *conn;             /* server-private */
    json_t *body_json;      /* server-private: the parsed body, if any */
};

struct sc_http_resp {
    int status;           /* 0: 200, or 201 for POST creating a resource */
    json_t *json;         /* the body as JSON (the server decrefs it) */
    const void *bytes;    /* or raw bytes (arena or static storage) */
    size_t len;
    const char *content_type; /* for raw bytes */
    const char *headers[SC_HTTP_MAX_HEADERS][2]; /* extra name/value pairs */
    int n_headers;
};

typedef enum sc_err (*sc_http_handler)(struct sc_http_req *req,
                                       struct sc_http_resp *resp,
                                       struct sc_error *err);

/* A query-string argument, a request header, a cookie (NULL when absent).
 * Values live as long as the request. */
const char *sc_http_query(struct sc_http_req *req, const char *name);
const char *sc_http_header(struct sc_http_req *req, const char *name);
const char *sc_http_cookie(struct sc_http_req *req, const char *name);

/* Adds a response header (name and value must outlive the request: static
 * or arena strings). Returns false when SC_HTTP_MAX_HEADERS are used. */
bool sc_http_resp_header(struct sc_http_resp *resp, const char *name,
                         const char *value);

/*
 * Parses the request body as one JSON object (strict: duplicate keys
 * refused). SC_ERR_MALFORMED with the position on a syntax error,
 * SC_ERR_INVALID when it is not an object, SC_ERR_MEDIA_TYPE when the
 * Content-Type is not application/json. *out is borrowed: the request owns
 * the parsed document and the server frees it after the response.
 */
enum sc_err sc_http_json_body(struct sc_http_req *req, json_t **out,
                              struct sc_error *err);

/* sc_http_json_body for an optional body, limited to the keys `allowed`
 * (see sc_http_only_keys): *out NULL (read as an empty object by the field
 * readers) when the body is empty. */
enum sc_err sc_http_json_body_opt(struct sc_http_req *req,
                                  const char *const *allowed, json_t **out,
                                  struct sc_error *err);

/*
 * Field readers for a JSON object, with the field name in every error.
 * `allowed` (NULL-terminated) lists the keys the body may hold: any other
 * key is refused (SC_ERR_INVALID, field = the key). get_string: a JSON
 * string (required unless `optional`; *out NULL when absent and optional).
 * get_int: a JSON integer within [min, max].
 */
enum sc_err sc_http_only_keys(const json_t *obj, const char *const *allowed,
                              struct sc_error *err);
enum sc_err sc_http_get_string(const json_t *obj, const char *key,
                               bool optional, const char **out,
                               struct sc_error *err);
enum sc_err sc_http_get_int(const json_t *obj, const char *key, bool optional,
                            long long min, long long max, long long *out,
                            struct sc_error *err);
/* A whole-number query argument (?name=) within [min, max]: decimal digits,
 * a leading '-' only when min < 0. Absent: SC_OK and *out unchanged.
 * Otherwise SC_ERR_INVALID with field `name`. */
enum sc_err sc_http_query_int(struct sc_http_req *req, const char *name,
                              long long min, long long max, long long *out,
                              struct sc_error *err);

/* A positive decimal id (1..INT64_MAX, no sign, no leading zero): true and
 * *out set, or false. */
bool sc_http_decimal_id(const char *text, int64_t *out);

/* An id in the path: a positive decimal id, else the path names no
 * resource: SC_ERR_NOT_FOUND with `field`. */
enum sc_err sc_http_path_id(const char *text, const char *field, int64_t *out,
                            struct sc_error *err);

enum sc_err sc_http_get_bool(const json_t *obj, const char *key, bool optional,
                             bool *out, struct sc_error *err);

#endif
