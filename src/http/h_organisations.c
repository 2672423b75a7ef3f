/*
 * h_organisations: /api/v1/organisations and their service outlets, the
 * HTTP twins of `starcert org add|update|list|show` and `starcert outlet
 * add|list`. Each handler validates the request, calls the store_party
 * function the CLI calls and answers the same JSON view. An organisation
 * in the path is its id or its 统一社会信用代码, resolved so that an
 * enterprise user naming another organisation is refused without learning
 * whether it exists (docs/decisions.md, "Hidden existence").
 * Not for: authorisation rules (the router and the store ask the policy
 * table) or the users of an organisation (h_users.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "http/handlers.h"

#define LIST_LIMIT_DEFAULT 100

/* The organisation named by path parameter 0, for `action`. */
static enum sc_err path_org(struct sc_http_req *req, const char *action,
                            int64_t *id, struct sc_error *err)
{
    return sc_store_org_resolve_as(req->store, &req->actor, action,
                                   req->params[0], "organisation", id, err);
}

SC_HANDLER(sc_h_org_list)
{
    long long after = 0, limit = LIST_LIMIT_DEFAULT;
    enum sc_err rc = sc_http_query_int(req, "after", 0, INT64_MAX, &after, err);
    if (rc == SC_OK)
        rc = sc_http_query_int(req, "limit", 1, SC_PARTY_LIST_MAX, &limit, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_org_list(req->store, &req->actor, after, (int)limit,
                             &resp->json, err);
}

SC_HANDLER(sc_h_org_create)
{
    static const char *const keys[] = {"uscc",    "name",      "name_en",
                                       "address", "employees", NULL};
    struct sc_party_org_input in = {0};
    json_t *body = NULL;
    long long employees = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "uscc", false, &in.uscc, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "name", false, &in.name, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "name_en", true, &in.name_en, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "address", false, &in.address, err);
    if (rc == SC_OK)
        rc = sc_http_get_int(body, "employees", false, 1,
                             SC_PARTY_EMPLOYEES_MAX, &employees, err);
    if (rc != SC_OK)
        return rc;
    in.employees = employees;
    rc = sc_store_org_create(req->store, &req->clock, &req->actor, &in, NULL,
                             &resp->json, err);
    if (rc == SC_OK)
        resp->status = 201;
    return rc;
}

SC_HANDLER(sc_h_org_get)
{
    int64_t id = 0;
    enum sc_err rc = path_org(req, "organisation.view", &id, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_org_get(req->store, &req->actor, id, &resp->json, err);
}

SC_HANDLER(sc_h_org_update)
{
    static const char *const keys[] = {"uscc",    "name",      "name_en",
                                       "address", "employees", NULL};
    struct sc_party_org_update in = {0};
    json_t *body = NULL, *en = NULL;
    long long employees = 0;
    int64_t id = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "uscc", true, &in.uscc, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "name", true, &in.name, err);
    /* "name_en": null removes the English name, as "" does */
    en = json_object_get(body, "name_en");
    if (rc == SC_OK && en && json_is_null(en))
        in.name_en = "";
    else if (rc == SC_OK)
        rc = sc_http_get_string(body, "name_en", true, &in.name_en, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "address", true, &in.address, err);
    if (rc == SC_OK)
        rc = sc_http_get_int(body, "employees", true, 1,
                             SC_PARTY_EMPLOYEES_MAX, &employees, err);
    if (rc == SC_OK)
        rc = path_org(req, "organisation.update", &id, err);
    if (rc != SC_OK)
        return rc;
    in.employees = employees;
    return sc_store_org_update(req->store, &req->clock, &req->actor, id, &in,
                               &resp->json, err);
}

SC_HANDLER(sc_h_outlet_list)
{
    int64_t id = 0;
    enum sc_err rc = path_org(req, "organisation.view", &id, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_outlet_list(req->store, &req->actor, id, &resp->json, err);
}

SC_HANDLER(sc_h_outlet_add)
{
    static const char *const keys[] = {"name", "address", NULL};
    const char *name = NULL, *address = NULL;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "name", false, &name, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "address", false, &address, err);
    if (rc == SC_OK)
        rc = path_org(req, "outlet.add", &id, err);
    if (rc == SC_OK)
        rc = sc_store_outlet_add(req->store, &req->clock, &req->actor, id, name,
                                 address, NULL, &resp->json, err);
    if (rc == SC_OK)
        resp->status = 201;
    return rc;
}
