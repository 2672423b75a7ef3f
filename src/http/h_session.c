/*
 * h_session: accounts over HTTP: log-in (POST /api/v1/session: sets the
 * HttpOnly SameSite=Strict cookie and returns the CSRF token), who is
 * logged in (GET), log-out (DELETE); enterprise self-registration
 * (POST /api/v1/registrations); bearer API tokens (POST, GET
 * /api/v1/tokens, DELETE /api/v1/tokens/{id}); and password changes
 * (POST /api/v1/users/{id}/password). Each handler validates the body and
 * calls one store_session function; the rate-limit refusals carry
 * Retry-After. Not for: how credentials are checked on every request
 * (auth.c) or the rules behind them (store_session.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "http/auth.h"
#include "http/handlers.h"

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}

/* Adds Retry-After to a rate-limited answer. */
static enum sc_err with_retry(struct sc_http_req *req,
                              struct sc_http_resp *resp, enum sc_err rc,
                              int64_t retry_after)
{
    if (rc == SC_ERR_RATE_LIMITED) {
        const char *v = sc_arena_printf(req->arena, "%lld",
                                        (long long)(retry_after > 0
                                                        ? retry_after
                                                        : 1));
        if (v)
            sc_http_resp_header(resp, "Retry-After", v);
    }
    return rc;
}

/* A positive decimal id (1..INT64_MAX), or false. */
static bool decimal_id(const char *text, int64_t *out)
{
    bool ok = text && *text >= '1' && *text <= '9';
    for (const char *p = text; ok && *p; p++)
        if (*p < '0' || *p > '9')
            ok = false;
    if (!ok)
        return false;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || !end || *end)
        return false;
    *out = v;
    return true;
}

/* ---- session -------------------------------------------------------------- */

SC_HANDLER(sc_h_session_create)
{
    static const char *const keys[] = {"login", "password", NULL};
    const struct sc_auth_config *cfg = sc_auth_settings();
    struct sc_session_new s;
    const char *login = NULL, *password = NULL;
    json_t *body = NULL;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "login", false, &login, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "password", false, &password, err);
    if (rc != SC_OK)
        return rc;
    memset(&s, 0, sizeof s);
    rc = sc_store_session_login(req->store, &req->clock, login, password,
                                req->client_ip, &cfg->limits, &s, &resp->json,
                                err);
    if (rc != SC_OK)
        return with_retry(req, resp, rc, s.retry_after);
    const char *cookie = sc_auth_cookie(req->arena, s.token);
    if (!cookie || !sc_http_resp_header(resp, "Set-Cookie", cookie)) {
        (void)sc_store_session_delete(req->store, s.session_id, NULL);
        return nomem(err);
    }
    resp->status = 201;
    return SC_OK;
}

SC_HANDLER(sc_h_session_get)
{
    const struct sc_auth_config *cfg = sc_auth_settings();
    json_t *user = NULL;
    if (req->via_cookie)
        return sc_store_session_get(req->store, &req->actor, req->session_id,
                                    &cfg->limits, &resp->json, err);
    /* a bearer token: no session, no CSRF token */
    enum sc_err rc = sc_store_user_get(req->store, &req->actor,
                                       req->actor.user_id, &user, err);
    if (rc != SC_OK)
        return rc;
    resp->json = json_pack("{s:o, s:n}", "user", user, "csrf_token");
    return resp->json ? SC_OK : nomem(err);
}

SC_HANDLER(sc_h_session_delete)
{
    if (!req->via_cookie)
        return sc_error_set(err, SC_ERR_PRECONDITION, "session",
                            "a bearer token has no session: revoke the token "
                            "with DELETE /api/v1/tokens/{id}");
    enum sc_err rc = sc_store_session_delete(req->store, req->session_id, err);
    if (rc != SC_OK)
        return rc;
    const char *cookie = sc_auth_cookie(req->arena, NULL);
    if (!cookie || !sc_http_resp_header(resp, "Set-Cookie", cookie))
        return nomem(err);
    resp->status = 204;
    return SC_OK;
}

/* ---- self-registration --------------------------------------------------- */

/* Reads the nested object `key` of `body`, allowing `keys` only; errors
 * name "key.field". */
static enum sc_err nested(const json_t *body, const char *key,
                          const char *const *keys, json_t **out,
                          struct sc_error *err)
{
    json_t *o = json_object_get(body, key);
    if (!o || json_is_null(o))
        return sc_error_set(err, SC_ERR_INVALID, key, "required");
    if (!json_is_object(o))
        return sc_error_set(err, SC_ERR_INVALID, key, "must be an object");
    enum sc_err rc = sc_http_only_keys(o, keys, err);
    if (rc != SC_OK)
        sc_error_prefix_field(err, key);
    *out = o;
    return rc;
}

SC_HANDLER(sc_h_registration_create)
{
    static const char *const keys[] = {"organisation", "user", NULL};
    static const char *const org_keys[] = {"name", "name_en", "uscc",
                                           "address", "employees", NULL};
    static const char *const user_keys[] = {"login", "name", "password",
                                            NULL};
    const struct sc_auth_config *cfg = sc_auth_settings();
    struct sc_party_org_input org = {0};
    struct sc_session_registration in = {&org, NULL, NULL, NULL};
    json_t *body = NULL, *o = NULL, *u = NULL;
    long long employees = 0;
    int64_t retry = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = nested(body, "organisation", org_keys, &o, err);
    if (rc == SC_OK)
        rc = nested(body, "user", user_keys, &u, err);
    if (rc == SC_OK &&
        ((rc = sc_http_get_string(o, "name", false, &org.name, err)) ||
         (rc = sc_http_get_string(o, "name_en", true, &org.name_en, err)) ||
         (rc = sc_http_get_string(o, "uscc", false, &org.uscc, err)) ||
         (rc = sc_http_get_string(o, "address", false, &org.address, err)) ||
         (rc = sc_http_get_int(o, "employees", false, 1,
                               SC_PARTY_EMPLOYEES_MAX, &employees, err))))
        sc_error_prefix_field(err, "organisation");
    if (rc == SC_OK &&
        ((rc = sc_http_get_string(u, "login", false, &in.login, err)) ||
         (rc = sc_http_get_string(u, "name", false, &in.name, err)) ||
         (rc = sc_http_get_string(u, "password", false, &in.password, err))))
        sc_error_prefix_field(err, "user");
    if (rc != SC_OK)
        return rc;
    org.employees = employees;
    rc = sc_store_registration_create(req->store, &req->clock, &in,
                                      req->client_ip, &cfg->limits, &retry,
                                      &resp->json, err);
    if (rc != SC_OK)
        return with_retry(req, resp, rc, retry);
    resp->status = 201;
    return SC_OK;
}

/* ---- API tokens ------------------------------------------------------------ */

SC_HANDLER(sc_h_token_create)
{
    static const char *const keys[] = {"user", "label", "days", NULL};
    const char *label = NULL;
    long long days = 0;
    int64_t user = 0;
    json_t *body = NULL, *u = NULL;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "label", false, &label, err);
    if (rc == SC_OK)
        rc = sc_http_get_int(body, "days", true, 1, SC_SESSION_TOKEN_DAYS_MAX,
                             &days, err);
    if (rc != SC_OK)
        return rc;
    u = json_object_get(body, "user");
    if (json_is_integer(u) && json_integer_value(u) > 0)
        user = (int64_t)json_integer_value(u);
    else if (json_is_string(u))
        rc = sc_store_user_resolve(req->store, json_string_value(u), "user",
                                   &user, err);
    else
        rc = sc_error_set(err, SC_ERR_INVALID, "user",
                          "give the user's id or login");
    if (rc != SC_OK)
        return rc;
    rc = sc_store_token_create(req->store, &req->clock, &req->actor, user,
                               label, days, &resp->json, err);
    if (rc == SC_OK)
        resp->status = 201;
    return rc;
}

SC_HANDLER(sc_h_token_list)
{
    const char *u = sc_http_query(req, "user");
    int64_t user = 0;
    enum sc_err rc = SC_OK;
    if (u && !decimal_id(u, &user))
        rc = sc_store_user_resolve(req->store, u, "user", &user, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_token_list(req->store, &req->actor, user, &resp->json, err);
}

SC_HANDLER(sc_h_token_revoke)
{
    int64_t id = 0;
    if (!decimal_id(req->params[0], &id))
        return sc_error_set(err, SC_ERR_NOT_FOUND, "token", "no token %.40s",
                            req->params[0]);
    return sc_store_token_revoke(req->store, &req->clock, &req->actor, id,
                                 &resp->json, err);
}

/* ---- passwords ---------------------------------------------------------------- */

SC_HANDLER(sc_h_user_password)
{
    static const char *const keys[] = {"password", "old_password", NULL};
    const struct sc_auth_config *cfg = sc_auth_settings();
    const char *pw = NULL, *old = NULL;
    json_t *body = NULL;
    int64_t id = 0, retry = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "password", false, &pw, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "old_password", true, &old, err);
    if (rc != SC_OK)
        return rc;
    if (!decimal_id(req->params[0], &id)) {
        rc = sc_store_user_resolve(req->store, req->params[0], "user", &id,
                                   err);
        /* a login that names nobody tells a non-admin nothing */
        if (rc == SC_ERR_NOT_FOUND)
            (void)sc_policy_check("user.create", req->actor.role, false, err);
        if (rc != SC_OK)
            return rc == SC_ERR_NOT_FOUND ? err->code : rc;
    }
    rc = sc_store_password_set(req->store, &req->clock, &req->actor, false,
                               id, old, pw, req->session_id, &cfg->limits,
                               req->client_ip, &retry, err);
    if (rc != SC_OK)
        return with_retry(req, resp, rc, retry);
    resp->status = 204;
    return SC_OK;
}
