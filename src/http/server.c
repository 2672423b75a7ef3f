/*
 * server: the HTTP front end on GNU libmicrohttpd (see server.h). The only
 * file that includes microhttpd.h. One request's life:
 *   1. first call: a context with an arena; a declared Content-Length over
 *      the cap is answered 413 at once when the client waits for
 *      "100 Continue", else after the body has been read and dropped;
 *   2. body chunks are appended up to the cap (beyond it: 413);
 *   3. last call: route match (404/405), identify the caller (401), the
 *      CSRF check, the route's policy (403), the handler, one response;
 *   4. completion: metrics, the access log line, the arena freed.
 * Errors become {"error": {"code", "message", "field"}} here and nowhere
 * else.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/policy.h"
#include "http/arena.h"
#include "http/auth.h"
#include "http/http.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/store.h"

#define STORES_MAX 256

struct ctx {
    struct sc_http_req req;
    struct sc_http_resp resp;
    char *body;
    size_t len, cap;
    bool too_large;
    bool answered;
    int status;
    size_t bytes;
    size_t route;
    uint64_t t0, handler_us;
    char path[SC_ROUTE_PATH_MAX];
    char method[16];
    char ip[INET6_ADDRSTRLEN];
};

static const struct sc_server_config *cfg;
static atomic_int in_flight;
static pthread_mutex_t stores_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sc_store *stores[STORES_MAX];
static int n_stores;
static _Thread_local struct sc_store *tls_store;
static sc_day fixed_today;
static bool has_fixed_today;

void sc_server_config_defaults(struct sc_server_config *c)
{
    memset(c, 0, sizeof *c);
    c->host = "127.0.0.1";
    c->port = 8080;
    c->threads = 2;
    c->body_max = 21 * 1024 * 1024; /* a 20 MiB document and its framing */
    c->per_ip = 64;
    c->timeout_s = 30;
    c->header_max = 16 * 1024; /* MHD clears it after every request */
}

static uint64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* This worker thread's store connection, opened on first use. */
static enum sc_err thread_store(struct sc_store **out, struct sc_error *err)
{
    if (tls_store) {
        *out = tls_store;
        return SC_OK;
    }
    struct sc_store *st = NULL;
    enum sc_err rc = sc_store_open(cfg->db, false, &st, err);
    if (rc != SC_OK)
        return rc;
    pthread_mutex_lock(&stores_lock);
    if (n_stores == STORES_MAX) {
        pthread_mutex_unlock(&stores_lock);
        sc_store_close(st);
        return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                            "too many worker threads");
    }
    stores[n_stores++] = st;
    pthread_mutex_unlock(&stores_lock);
    tls_store = st;
    *out = st;
    return SC_OK;
}

/* The request's clock. The UTC text is formatted once per second per
 * thread (the same second gives the same text). */
static enum sc_err request_clock(struct sc_clock *clk, struct sc_error *err)
{
    static _Thread_local time_t last = (time_t)-1;
    static _Thread_local char last_text[sizeof clk->now];
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1)
        return sc_error_set(err, SC_ERR_INTERNAL, NULL, "no clock");
    if (now != last) {
        if (!gmtime_r(&now, &tm) ||
            strftime(last_text, sizeof last_text, "%Y-%m-%dT%H:%M:%SZ",
                     &tm) == 0) {
            last = (time_t)-1;
            return sc_error_set(err, SC_ERR_INTERNAL, NULL, "no clock");
        }
        last = now;
    }
    memcpy(clk->now, last_text, sizeof clk->now);
    if (has_fixed_today) {
        clk->today = fixed_today;
    } else {
        long long local = (long long)now + 8 * 3600; /* Asia/Shanghai */
        clk->today = (sc_day)(local / 86400);
    }
    return SC_OK;
}

/* ---- accessors declared in http.h ------------------------------------ */

const char *sc_http_query(struct sc_http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sc_http_header(struct sc_http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *sc_http_cookie(struct sc_http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

bool sc_http_resp_header(struct sc_http_resp *resp, const char *name,
                         const char *value)
{
    if (resp->n_headers == SC_HTTP_MAX_HEADERS)
        return false;
    resp->headers[resp->n_headers][0] = name;
    resp->headers[resp->n_headers][1] = value;
    resp->n_headers++;
    return true;
}

/* ---- responses --------------------------------------------------------- */

static enum MHD_Result send_bytes(struct MHD_Connection *conn, struct ctx *c,
                                  int status, const void *data, size_t len,
                                  const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, (void *)(uintptr_t)data, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (int i = 0; i < c->resp.n_headers; i++)
        MHD_add_response_header(r, c->resp.headers[i][0],
                                c->resp.headers[i][1]);
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)status, r);
    MHD_destroy_response(r);
    c->status = status;
    c->bytes = len;
    c->answered = true;
    return ok;
}

static enum MHD_Result send_json(struct MHD_Connection *conn, struct ctx *c,
                                 int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] =
            "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of "
            "memory\",\"field\":null}}";
        return send_bytes(conn, c, 500, oom, sizeof oom - 1,
                          "application/json; charset=utf-8");
    }
    enum MHD_Result ok = send_bytes(conn, c, status, text, strlen(text),
                                    "application/json; charset=utf-8");
    free(text);
    return ok;
}

/* The one place where an error becomes an HTTP response. */
static enum MHD_Result send_error(struct MHD_Connection *conn, struct ctx *c,
                                  const struct sc_error *err)
{
    enum sc_err code = err->code == SC_OK ? SC_ERR_INTERNAL : err->code;
    int status = sc_err_http_status(code);
    const char *msg = err->message[0] ? err->message : sc_err_message(code);
    if (status >= 500) {
        fprintf(stderr, "starcert serve: %s %s: %s: %s\n", c->method, c->path,
                sc_err_name(code), msg);
        msg = sc_err_message(code); /* never leak internals */
    }
    json_t *body = json_pack("{s:{s:s, s:s, s:s?}}", "error", "code",
                             sc_err_name(code), "message", msg, "field",
                             err->field[0] && status < 500 ? err->field : NULL);
    if (code == SC_ERR_UNAUTHENTICATED)
        sc_http_resp_header(&c->resp, "WWW-Authenticate", "Bearer");
    return send_json(conn, c, status, body);
}

/* ---- the request path -------------------------------------------------- */

static void client_ip(struct MHD_Connection *conn, char *out, size_t cap)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, cap, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET && cap >= sizeof "255.255.255.255") {
        /* by hand: inet_ntop formats through sprintf, on every request */
        const unsigned char *b = (const unsigned char *)&(
            (const struct sockaddr_in *)(const void *)sa)->sin_addr;
        size_t n = 0;
        for (int i = 0; i < 4; i++) {
            unsigned v = b[i];
            if (v >= 100)
                out[n++] = (char)('0' + v / 100);
            if (v >= 10)
                out[n++] = (char)('0' + v / 10 % 10);
            out[n++] = (char)('0' + v % 10);
            out[n++] = i < 3 ? '.' : '\0';
        }
    } else if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
                  out, (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                  out, (socklen_t)cap);
}

static enum MHD_Result dispatch(struct MHD_Connection *conn, struct ctx *c)
{
    struct sc_error err;
    const struct sc_route *route = NULL;
    char buf[SC_ROUTE_PATH_MAX];
    char allow[64];
    sc_error_clear(&err);

    enum sc_err rc = sc_router_match(c->method, c->path, &route, c->req.params,
                                     &c->req.n_params, buf, sizeof buf, allow,
                                     sizeof allow, &err);
    if (rc == SC_OK) {
        c->route = sc_route_index(route);
        /* params point into buf: keep them in the arena */
        for (int i = 0; i < c->req.n_params; i++) {
            c->req.params[i] = sc_arena_strdup(c->req.arena, c->req.params[i]);
            if (!c->req.params[i])
                rc = sc_error_set(&err, SC_ERR_NOMEM, NULL, NULL);
        }
    } else if (rc == SC_ERR_METHOD) {
        char *a = sc_arena_strdup(c->req.arena, allow);
        if (a)
            sc_http_resp_header(&c->resp, MHD_HTTP_HEADER_ALLOW, a);
    }
    if (rc == SC_OK && c->too_large)
        rc = sc_error_set(&err, SC_ERR_TOO_LARGE, "body",
                          "the request body is larger than %zu bytes",
                          cfg->body_max);
    if (rc == SC_OK)
        rc = thread_store(&c->req.store, &err);
    if (rc == SC_OK)
        rc = request_clock(&c->req.clock, &err);
    if (rc == SC_OK && route->auth != SC_ROUTE_PUBLIC)
        rc = sc_auth_identify(&c->req, &err);
    if (rc == SC_OK && route->auth == SC_ROUTE_SESSION && !c->req.authenticated)
        rc = sc_error_set(&err, SC_ERR_UNAUTHENTICATED, NULL,
                          "log in first (session cookie or bearer token)");
    if (rc == SC_OK && c->req.authenticated)
        rc = sc_auth_check_csrf(&c->req, &err);
    if (rc == SC_OK && route->action) {
        enum sc_workflow_role role =
            c->req.authenticated ? c->req.actor.role : SC_POLICY_ANONYMOUS;
        enum sc_policy_scope scope;
        rc = sc_policy_scope_for(route->action, role, &scope, &err);
        if (rc == SC_OK && scope == SC_POLICY_SCOPE_NONE)
            rc = sc_policy_check(route->action, role, false, &err);
    }
    if (rc == SC_OK) {
        uint64_t h0 = now_us();
        rc = route->handler(&c->req, &c->resp, &err);
        c->handler_us = now_us() - h0;
        if (rc == SC_OK && sc_store_in_transaction(c->req.store)) {
            /* a handler must finish its transaction; never leak one */
            sc_store_rollback(c->req.store);
            rc = sc_error_set(&err, SC_ERR_INTERNAL, NULL,
                              "a transaction was left open");
        }
    }
    if (c->req.store && sc_store_in_transaction(c->req.store))
        sc_store_rollback(c->req.store);
    if (rc != SC_OK) {
        json_decref(c->resp.json);
        c->resp.json = NULL;
        return send_error(conn, c, &err);
    }
    int status = c->resp.status ? c->resp.status : 200;
    if (c->resp.json) {
        json_t *j = c->resp.json;
        c->resp.json = NULL;
        return send_json(conn, c, status, j);
    }
    return send_bytes(conn, c, status, c->resp.bytes ? c->resp.bytes : "",
                      c->resp.len,
                      c->resp.content_type ? c->resp.content_type
                                           : "application/octet-stream");
}

/* `src` cut to cap - 1 bytes, like snprintf "%s" without the formatter. */
static void copy_text(char *dst, size_t cap, const char *src)
{
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)version;
    struct ctx *c = *con_cls;
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            return MHD_NO;
        *con_cls = c;
        atomic_fetch_add(&in_flight, 1);
        c->t0 = now_us();
        c->route = SC_METRICS_ROUTES_MAX;
        c->req.arena = sc_arena_new();
        c->req.conn = conn;
        c->req.body = "";
        copy_text(c->method, sizeof c->method, method);
        copy_text(c->path, sizeof c->path, url);
        c->req.method = c->method;
        c->req.path = c->path;
        client_ip(conn, c->ip, sizeof c->ip);
        if (cfg->proxies.n) { /* behind a trusted proxy: its client */
            char peer[sizeof c->ip];
            memcpy(peer, c->ip, sizeof peer);
            sc_proxy_client(&cfg->proxies, peer,
                            MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                        "X-Forwarded-For"),
                            c->ip, sizeof c->ip);
        }
        c->req.client_ip = c->ip;
        if (!c->req.arena)
            return MHD_NO;
        const char *cl = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end = NULL;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || !end || *end || n > cfg->body_max)
                c->too_large = true;
        }
        /* A client that waits for "100 Continue" gets its 413 before it
         * sends the body; others send it anyway, and answering before it is
         * read would reset their connection: they get the 413 after it,
         * its bytes dropped. */
        const char *expect = MHD_lookup_connection_value(
            conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_EXPECT);
        if (c->too_large && expect && strcasecmp(expect, "100-continue") == 0)
            return dispatch(conn, c);
        return MHD_YES;
    }
    if (*upload_size) {
        if (!c->too_large) {
            size_t need = c->len + *upload_size;
            if (need > cfg->body_max) {
                c->too_large = true;
            } else {
                if (need + 1 > c->cap) {
                    size_t cap = c->cap ? c->cap : 4096;
                    while (cap < need + 1)
                        cap *= 2;
                    char *p = realloc(c->body, cap);
                    if (!p)
                        return MHD_NO;
                    c->body = p;
                    c->cap = cap;
                }
                memcpy(c->body + c->len, upload, *upload_size);
                c->len = need;
                c->body[c->len] = '\0';
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (c->answered)
        return MHD_YES;
    if (c->body) {
        c->req.body = c->body;
        c->req.body_len = c->len;
    }
    return dispatch(conn, c);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    struct ctx *c = *con_cls;
    if (!c)
        return;
    uint64_t total = now_us() - c->t0;
    int status = c->answered ? c->status : 499;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && !c->answered)
        status = 499;
    sc_metrics_record(c->route, status, total, c->handler_us);
    if (!cfg->quiet)
        printf("%s %s %d %zu %llu\n", c->method, c->path, status, c->bytes,
               (unsigned long long)total);
    json_decref(c->resp.json);
    json_decref(c->req.body_json);
    sc_arena_free(c->req.arena);
    free(c->body);
    free(c);
    *con_cls = NULL;
    atomic_fetch_sub(&in_flight, 1);
}

/* ---- start and stop ---------------------------------------------------- */

static enum sc_err bind_addr(const struct sc_server_config *c,
                             struct sockaddr_storage *ss, struct sc_error *err)
{
    memset(ss, 0, sizeof *ss);
    struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)ss;
    if (inet_pton(AF_INET, c->host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons(c->port);
        return SC_OK;
    }
    if (inet_pton(AF_INET6, c->host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(c->port);
        return SC_OK;
    }
    return sc_error_set(err, SC_ERR_INVALID, "listen",
                        "\"%.60s\" is not a numeric IPv4 or IPv6 address",
                        c->host);
}

enum sc_err sc_server_run(const struct sc_server_config *c,
                          struct sc_error *err)
{
    struct sockaddr_storage ss;
    struct sc_store *probe = NULL;
    struct MHD_Daemon *d = NULL;
    sigset_t set;
    enum sc_err rc;

    cfg = c;
    if (c->today) {
        if ((rc = sc_date_parse(c->today, "today", &fixed_today, err)) != SC_OK)
            return rc;
        has_fixed_today = true;
    }
    if ((rc = bind_addr(c, &ss, err)) != SC_OK)
        return rc;
    /* Refuse to start on a missing or old database, before binding. */
    if ((rc = sc_store_open(c->db, false, &probe, err)) != SC_OK)
        return rc;
    sc_store_close(probe);

    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* worker threads inherit it */
    signal(SIGPIPE, SIG_IGN);

    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    d = MHD_start_daemon(
        flags, c->port, NULL, NULL, on_request, NULL, MHD_OPTION_SOCK_ADDR,
        (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(c->threads ? c->threads : 2), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)1024, MHD_OPTION_PER_IP_CONNECTION_LIMIT, c->per_ip,
        MHD_OPTION_CONNECTION_TIMEOUT, c->timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, c->header_max,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
    if (!d) {
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        return sc_error_set(err, SC_ERR_IO, "listen",
                            "cannot listen on %s port %u", c->host,
                            (unsigned)c->port);
    }
    const union MHD_DaemonInfo *di =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : c->port;
    fprintf(stderr, "starcert serve: listening on %s port %u\n", c->host, port);
    if (c->port_file) {
        FILE *f = fopen(c->port_file, "w");
        if (f) {
            fprintf(f, "%u\n", port);
            fclose(f);
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);

    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "starcert serve: stopping (signal %d)\n", sig);
    MHD_socket lfd = MHD_quiesce_daemon(d); /* no new connections */
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    for (int i = 0; i < 100 && atomic_load(&in_flight) > 0; i++)
        usleep(100 * 1000); /* in-flight requests finish (10 s at most) */
    MHD_stop_daemon(d);
    pthread_mutex_lock(&stores_lock);
    for (int i = 0; i < n_stores; i++)
        sc_store_close(stores[i]);
    n_stores = 0;
    pthread_mutex_unlock(&stores_lock);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    return SC_OK;
}
