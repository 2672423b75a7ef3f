/*
 * h_users: /api/v1/users with their accounts' status, their auditor
 * qualifications and their impartiality links, the HTTP twins of
 * `starcert user add|list|show|deactivate|reactivate`, `starcert
 * qualification add|list` and `starcert link add|list|end`. Each
 * handler validates the request, calls the store_party function the CLI
 * calls and answers the same JSON view.
 *
 * A user in the path is a decimal id or a login. A login that names nobody
 * is refused as forbidden (not "not found") when the caller's role may
 * take the action only for themself, so that logins cannot be probed; the
 * store applies the same rule to ids by checking the policy first.
 * Not for: passwords, sessions and self-registration (auth), or the
 * authorisation rules themselves (src/core/policy.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "core/policy.h"
#include "http/handlers.h"
#include "store/store_session.h"

#define LIST_LIMIT_DEFAULT 100

/* The user named by path parameter 0 (id or login), for `action`. */
static enum sc_err path_user(struct sc_http_req *req, const char *action,
                             int64_t *id, struct sc_error *err)
{
    if (sc_http_decimal_id(req->params[0], id))
        return SC_OK; /* the store checks the policy before existence */
    enum sc_err rc =
        sc_store_user_resolve(req->store, req->params[0], "user", id, err);
    if (rc != SC_ERR_NOT_FOUND)
        return rc;
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    if (sc_policy_scope_for(action, req->actor.role, &scope, NULL) == SC_OK &&
        scope != SC_POLICY_SCOPE_ANY)
        return sc_policy_check(action, req->actor.role, false, err);
    return rc;
}

/* An organisation given in a body or a query as its id (a JSON integer or
 * a decimal string) or its 统一社会信用代码. */
static enum sc_err org_ref(struct sc_http_req *req, const json_t *v,
                           const char *action, const char *field, int64_t *id,
                           struct sc_error *err)
{
    const char *ref = NULL;
    if (json_is_integer(v))
        ref = sc_arena_printf(req->arena, "%lld",
                              (long long)json_integer_value(v));
    else if (json_is_string(v))
        ref = json_string_value(v);
    else
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "give the organisation's id or 统一社会信用代码");
    if (!ref)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    return sc_store_org_resolve_as(req->store, &req->actor, action, ref, field,
                                   id, err);
}

/* ---- users ------------------------------------------------------------ */

SC_HANDLER(sc_h_user_list)
{
    long long after = 0, limit = LIST_LIMIT_DEFAULT;
    enum sc_workflow_role role = SC_ROLE_ADMIN;
    const char *role_text = sc_http_query(req, "role");
    enum sc_err rc = SC_OK;
    if (role_text)
        rc = sc_workflow_role_parse(role_text, "role", &role, err);
    if (rc == SC_OK)
        rc = sc_http_query_int(req, "after", 0, INT64_MAX, &after, err);
    if (rc == SC_OK)
        rc = sc_http_query_int(req, "limit", 1, SC_PARTY_LIST_MAX, &limit, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_user_list(req->store, &req->actor,
                              role_text ? (int)role : -1, after, (int)limit,
                              &resp->json, err);
}

SC_HANDLER(sc_h_user_create)
{
    static const char *const keys[] = {"login", "name", "role", "organisation",
                                       NULL};
    struct sc_party_user_input in = {0};
    const char *role = NULL;
    json_t *body = NULL, *org = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "login", false, &in.login, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "name", false, &in.name, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "role", false, &role, err);
    if (rc == SC_OK)
        rc = sc_workflow_role_parse(role, "role", &in.role, err);
    org = json_object_get(body, "organisation");
    if (rc == SC_OK && org && !json_is_null(org))
        rc = org_ref(req, org, "user.create", "organisation", &in.organisation,
                     err);
    if (rc == SC_OK)
        rc = sc_store_user_create(req->store, &req->clock, &req->actor, &in,
                                  &id, NULL, err);
    if (rc == SC_OK)
        rc = sc_store_user_get(req->store, &req->actor, id, &resp->json, err);
    if (rc == SC_OK)
        resp->status = 201;
    return rc;
}

SC_HANDLER(sc_h_user_get)
{
    int64_t id = 0;
    enum sc_err rc = path_user(req, "user.view", &id, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_user_get(req->store, &req->actor, id, &resp->json, err);
}

SC_HANDLER(sc_h_user_deactivate)
{
    static const char *const keys[] = {"reason", NULL};
    const char *reason = NULL;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "reason", false, &reason, err);
    if (rc == SC_OK)
        rc = path_user(req, "user.deactivate", &id, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_user_deactivate(req->store, &req->clock, &req->actor, id,
                                    reason, &resp->json, err);
}

SC_HANDLER(sc_h_user_reactivate)
{
    static const char *const none[] = {NULL};
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_json_body_opt(req, none, &body, err);
    if (rc == SC_OK)
        rc = path_user(req, "user.reactivate", &id, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_user_reactivate(req->store, &req->clock, &req->actor, id,
                                    &resp->json, err);
}

/* ---- qualifications ----------------------------------------------------- */

SC_HANDLER(sc_h_qualification_list)
{
    int64_t id = 0;
    enum sc_err rc = path_user(req, "qualification.view", &id, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_qualification_list(req->store, &req->actor, id,
                                       &resp->json, err);
}

SC_HANDLER(sc_h_qualification_add)
{
    static const char *const keys[] = {"kind", "number", "valid_from",
                                       "valid_to", NULL};
    const char *kind = NULL, *number = NULL, *from = NULL, *to = NULL;
    enum sc_party_qual_kind k = SC_QUAL_AUDITOR;
    sc_day f = 0, t = 0;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "kind", false, &kind, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "number", false, &number, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "valid_from", false, &from, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "valid_to", false, &to, err);
    if (rc == SC_OK)
        rc = sc_party_qual_kind_parse(kind, "kind", &k, err);
    if (rc == SC_OK)
        rc = sc_date_parse(from, "valid_from", &f, err);
    if (rc == SC_OK)
        rc = sc_date_parse(to, "valid_to", &t, err);
    if (rc == SC_OK)
        rc = path_user(req, "qualification.add", &id, err);
    if (rc == SC_OK)
        rc = sc_store_qualification_add(req->store, &req->clock, &req->actor,
                                        id, k, number, f, t, NULL, &resp->json,
                                        err);
    if (rc == SC_OK)
        resp->status = 201;
    return rc;
}

/* ---- impartiality links ------------------------------------------------- */

SC_HANDLER(sc_h_link_list)
{
    int64_t id = 0, org = 0;
    const char *ref = sc_http_query(req, "organisation");
    enum sc_err rc = path_user(req, "link.view", &id, err);
    if (rc == SC_OK && ref)
        rc = sc_store_org_resolve_as(req->store, &req->actor, "link.view", ref,
                                     "organisation", &org, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_link_list(req->store, &req->actor, id, org, &resp->json,
                              err);
}

SC_HANDLER(sc_h_link_declare)
{
    static const char *const keys[] = {"organisation", "kind", "from", "to",
                                       "ongoing", NULL};
    const char *kind = NULL, *from = NULL, *to = NULL;
    enum sc_impartiality_link_kind k = SC_LINK_CONSULTED;
    bool ongoing = false;
    sc_day f = 0, t = 0;
    json_t *body = NULL, *org_v = NULL;
    int64_t id = 0, org = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK) {
        org_v = json_object_get(body, "organisation");
        if (!org_v || json_is_null(org_v))
            rc = sc_error_set(err, SC_ERR_INVALID, "organisation", "required");
    }
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "kind", false, &kind, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "from", false, &from, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "to", true, &to, err);
    if (rc == SC_OK)
        rc = sc_http_get_bool(body, "ongoing", true, &ongoing, err);
    if (rc == SC_OK && (to != NULL) == ongoing)
        rc = sc_error_set(err, SC_ERR_INVALID, "to",
                          "give either \"to\" (the link's last day) or "
                          "\"ongoing\": true");
    if (rc == SC_OK)
        rc = sc_impartiality_link_kind_parse(kind, "kind", &k, err);
    if (rc == SC_OK)
        rc = sc_date_parse(from, "from", &f, err);
    if (rc == SC_OK && to)
        rc = sc_date_parse(to, "to", &t, err);
    if (rc == SC_OK)
        rc = path_user(req, "link.declare", &id, err);
    if (rc == SC_OK)
        rc = org_ref(req, org_v, "link.declare", "organisation", &org, err);
    if (rc == SC_OK)
        rc = sc_store_link_add(req->store, &req->clock, &req->actor, id, org, k,
                               f, t, ongoing, NULL, &resp->json, err);
    if (rc == SC_OK)
        resp->status = 201;
    return rc;
}

SC_HANDLER(sc_h_link_end)
{
    static const char *const keys[] = {"to", NULL};
    const char *to = NULL;
    sc_day t = 0;
    json_t *body = NULL;
    int64_t id = 0, link = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "to", false, &to, err);
    if (rc == SC_OK)
        rc = sc_date_parse(to, "to", &t, err);
    if (rc == SC_OK)
        rc = path_user(req, "link.end", &id, err);
    if (rc == SC_OK)
        rc = sc_http_path_id(req->params[1], "link", &link, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_link_end(req->store, &req->clock, &req->actor, id, link,
                             t, &resp->json, err);
}
