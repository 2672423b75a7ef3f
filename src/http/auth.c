/*
 * auth: who is calling (see auth.h). A bearer token in the Authorization
 * header wins over the session cookie; with neither, the caller is
 * anonymous. The session and token rows, the hashing and the rate limits
 * are store_session's; this file only reads the request's credentials,
 * compares the CSRF token in constant time and formats the cookie.
 * Not for: the log-in handlers (h_session.c) or the policy (router.c).
 */
#include "http/auth.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct sc_auth_config settings;
static pthread_once_t settings_once = PTHREAD_ONCE_INIT;
static bool settings_set;

/* A whole number 1..1e9 from the environment variable `name`, if set. */
static enum sc_err env_int(const char *name, int64_t *out,
                           struct sc_error *err)
{
    const char *v = getenv(name);
    if (!v || !v[0])
        return SC_OK;
    bool ok = true;
    for (const char *p = v; *p; p++)
        if (*p < '0' || *p > '9')
            ok = false;
    long long n = 0;
    if (ok) {
        char *end = NULL;
        errno = 0;
        n = strtoll(v, &end, 10);
        ok = errno == 0 && end && *end == '\0' && n >= 1 && n <= 1000000000;
    }
    if (!ok)
        return sc_error_set(err, SC_ERR_INVALID, name,
                            "%s must be a whole number from 1 to 1000000000",
                            name);
    *out = n;
    return SC_OK;
}

static enum sc_err env_count(const char *name, int *out, struct sc_error *err)
{
    int64_t v = *out;
    enum sc_err rc = env_int(name, &v, err);
    if (rc == SC_OK)
        *out = (int)v;
    return rc;
}

static enum sc_err env_bool(const char *name, bool *out, struct sc_error *err)
{
    const char *v = getenv(name);
    if (!v || !v[0])
        return SC_OK;
    if (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 ||
        strcasecmp(v, "yes") == 0)
        *out = true;
    else if (strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0 ||
             strcasecmp(v, "no") == 0)
        *out = false;
    else
        return sc_error_set(err, SC_ERR_INVALID, name,
                            "%s must be 1, true, yes, 0, false or no", name);
    return SC_OK;
}

enum sc_err sc_auth_config_from_env(struct sc_auth_config *c,
                                    struct sc_error *err)
{
    struct sc_session_limits *l = &c->limits;
    memset(c, 0, sizeof *c);
    sc_session_limits_default(l);
    enum sc_err rc = SC_OK, r;
    /* every variable is read; the first bad one is reported */
    if ((r = env_int("STARCERT_SESSION_IDLE_SECONDS", &l->idle_s, err)) &&
        !rc)
        rc = r;
    if ((r = env_int("STARCERT_SESSION_ABSOLUTE_SECONDS", &l->absolute_s,
                     rc ? NULL : err)) &&
        !rc)
        rc = r;
    if ((r = env_int("STARCERT_LOGIN_WINDOW_SECONDS", &l->window_s,
                     rc ? NULL : err)) &&
        !rc)
        rc = r;
    if ((r = env_count("STARCERT_LOGIN_ACCOUNT_MAX", &l->account_max,
                       rc ? NULL : err)) &&
        !rc)
        rc = r;
    if ((r = env_count("STARCERT_LOGIN_ADDRESS_MAX", &l->address_max,
                       rc ? NULL : err)) &&
        !rc)
        rc = r;
    if ((r = env_int("STARCERT_REGISTER_WINDOW_SECONDS",
                     &l->register_window_s, rc ? NULL : err)) &&
        !rc)
        rc = r;
    if ((r = env_count("STARCERT_REGISTER_MAX", &l->register_max,
                       rc ? NULL : err)) &&
        !rc)
        rc = r;
    if ((r = env_bool("STARCERT_SECURE_COOKIES", &c->secure_cookies,
                      rc ? NULL : err)) &&
        !rc)
        rc = r;
    return rc;
}

static void settings_init(void)
{
    if (settings_set)
        return;
    struct sc_error err;
    sc_error_clear(&err);
    if (sc_auth_config_from_env(&settings, &err) != SC_OK)
        fprintf(stderr, "starcert serve: %s: %s (its default is used)\n",
                err.field, err.message);
}

void sc_auth_configure(const struct sc_auth_config *c)
{
    settings = *c;
    settings_set = true;
}

const struct sc_auth_config *sc_auth_settings(void)
{
    pthread_once(&settings_once, settings_init);
    return &settings;
}

const char *sc_auth_cookie(struct sc_arena *arena, const char *token)
{
    const char *secure = sc_auth_settings()->secure_cookies ? "; Secure" : "";
    if (!token)
        return sc_arena_printf(arena,
                               SC_AUTH_COOKIE "=; Path=/; HttpOnly; "
                                              "SameSite=Strict; Max-Age=0%s",
                               secure);
    return sc_arena_printf(
        arena, SC_AUTH_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict%s",
        token, secure);
}

enum sc_err sc_auth_identify(struct sc_http_req *req, struct sc_error *err)
{
    const struct sc_auth_config *cfg = sc_auth_settings();
    const char *authz = sc_http_header(req, "Authorization");
    enum sc_err rc;
    req->authenticated = false;
    req->via_cookie = false;
    req->session_id = 0;
    if (authz) {
        int64_t token_id = 0;
        if (strncasecmp(authz, "Bearer ", 7) != 0)
            return sc_error_set(err, SC_ERR_UNAUTHENTICATED, "Authorization",
                                "send Authorization: Bearer TOKEN");
        const char *tok = authz + 7;
        while (*tok == ' ')
            tok++;
        rc = sc_store_token_identify(req->store, &req->clock, tok, &req->actor,
                                     &token_id, err);
        if (rc != SC_OK)
            return rc;
        req->authenticated = true;
        return SC_OK;
    }
    const char *cookie = sc_http_cookie(req, SC_AUTH_COOKIE);
    if (!cookie || !cookie[0])
        return SC_OK;
    rc = sc_store_session_identify(req->store, &req->clock, cookie,
                                   &cfg->limits, &req->actor, &req->session_id,
                                   err);
    if (rc != SC_OK)
        return rc;
    req->authenticated = true;
    req->via_cookie = true;
    return SC_OK;
}

enum sc_err sc_auth_check_csrf(struct sc_http_req *req, struct sc_error *err)
{
    char want[SC_SESSION_TOKEN_HEX];
    if (!req->authenticated || !req->via_cookie ||
        strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0)
        return SC_OK;
    const char *got = sc_http_header(req, SC_AUTH_CSRF_HEADER);
    if (!got || !got[0])
        return sc_error_set(err, SC_ERR_FORBIDDEN, "csrf",
                            "send the session's CSRF token in the "
                            SC_AUTH_CSRF_HEADER " header");
    enum sc_err rc =
        sc_store_session_csrf(req->store, req->session_id, want, err);
    if (rc != SC_OK)
        return rc;
    size_t n = strlen(want);
    if (strlen(got) != n || n == 0 || sodium_memcmp(got, want, n) != 0)
        return sc_error_set(err, SC_ERR_FORBIDDEN, "csrf",
                            "the " SC_AUTH_CSRF_HEADER
                            " header does not match this session");
    return SC_OK;
}
