/*
 * h_applications: /api/v1/applications from the draft to the approved
 * documents, and the findings of a document review or an audit: the HTTP
 * twins of `starcert application ...`, `starcert contract sign`,
 * `starcert review revise|approve` and `starcert finding show|correct|
 * verify`. Each handler validates the request, calls the store function
 * the CLI calls and answers the same JSON: after a change, the
 * application's (or the finding's) view as the CLI prints it.
 *
 * State-machine actions (submit, accept, return, reject, withdraw, the
 * contract, the reviews) are decided by the store's workflow step: state
 * 409, role 403, named preconditions 422. A missing reason is left to that
 * step (precondition "reason_given"), so that the order of refusals is the
 * rulebook's, not this file's.
 * Not for: documents (h_documents.c), audits and decisions, or any rule.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/handlers.h"

/* A reference given as a JSON integer id or a string (a number, a code):
 * the text form the store resolves. Absent or null: *out NULL. */
static enum sc_err ref_text(struct sc_http_req *req, const json_t *obj,
                            const char *key, const char **out,
                            struct sc_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return SC_OK;
    if (json_is_integer(v)) {
        *out = sc_arena_printf(req->arena, "%lld",
                               (long long)json_integer_value(v));
        return *out ? SC_OK : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    }
    return sc_http_get_string(obj, key, true, out, err);
}

/* The view of application `id` after an action, as the CLI prints it. */
static enum sc_err app_view(struct sc_http_req *req, struct sc_http_resp *resp,
                            int64_t id, struct sc_error *err)
{
    return sc_store_application_get(req->store, &req->actor, id,
                                    req->clock.today, &resp->json, err);
}

/* ---- the collection ---------------------------------------------------- */

SC_HANDLER(sc_h_application_list)
{
    const char *org_ref = sc_http_query(req, "organisation");
    const char *state = sc_http_query(req, "state");
    int64_t org = 0;
    enum sc_err rc = SC_OK;
    if (org_ref)
        rc = sc_store_org_resolve_as(req->store, &req->actor,
                                     "application.view", org_ref,
                                     "organisation", &org, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_application_list(req->store, &req->actor, org, state,
                                     req->clock.today, &resp->json, err);
}

SC_HANDLER(sc_h_application_create)
{
    static const char *const keys[] = {
        "organisation",  "kind",          "certificate", "scope",
        "delivery_mode", "excluded_note", "scheme_id",   NULL};
    struct sc_application_input in = {0};
    const char *org = NULL;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = ref_text(req, body, "organisation", &org, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "kind", true, &in.kind, err);
    if (rc == SC_OK)
        rc = ref_text(req, body, "certificate", &in.certificate, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "scope", false, &in.scope, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "delivery_mode", true, &in.delivery_mode,
                                err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "excluded_note", true, &in.excluded_note,
                                err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "scheme_id", true, &in.scheme_id, err);
    if (rc == SC_OK && org)
        rc = sc_store_org_resolve_as(req->store, &req->actor,
                                     "application.create", org,
                                     "organisation", &in.organisation_id, err);
    if (rc != SC_OK)
        return rc;
    if (!in.kind)
        in.kind = "initial";
    rc = sc_store_application_create(req->store, &req->clock, &req->actor, &in,
                                     &id, err);
    if (rc == SC_ERR_USAGE) /* a CB user named no organisation */
        err->code = rc = SC_ERR_INVALID;
    if (rc == SC_OK)
        rc = app_view(req, resp, id, err);
    if (rc == SC_OK)
        resp->status = 201;
    return rc;
}

SC_HANDLER(sc_h_application_get)
{
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &id, err);
    return rc == SC_OK ? app_view(req, resp, id, err) : rc;
}

/* ---- submit, accept, return, reject, withdraw --------------------------- */

static enum sc_err step(struct sc_http_req *req, struct sc_http_resp *resp,
                        enum sc_workflow_app_action action, bool with_reason,
                        struct sc_error *err)
{
    static const char *const none[] = {NULL};
    static const char *const reason_only[] = {"reason", NULL};
    const char *reason = NULL;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &id, err);
    if (rc == SC_OK)
        rc = sc_http_json_body_opt(req, with_reason ? reason_only : none,
                                   &body, err);
    if (rc == SC_OK && with_reason)
        rc = sc_http_get_string(body, "reason", true, &reason, err);
    if (rc == SC_OK)
        rc = sc_store_application_step(req->store, &req->clock, &req->actor,
                                       id, action, reason, err);
    return rc == SC_OK ? app_view(req, resp, id, err) : rc;
}

SC_HANDLER(sc_h_application_submit)
{
    return step(req, resp, SC_APP_ACTION_SUBMIT, false, err);
}

SC_HANDLER(sc_h_application_accept)
{
    return step(req, resp, SC_APP_ACTION_ACCEPT, false, err);
}

SC_HANDLER(sc_h_application_return)
{
    return step(req, resp, SC_APP_ACTION_RETURN, true, err);
}

SC_HANDLER(sc_h_application_reject)
{
    return step(req, resp, SC_APP_ACTION_REJECT, true, err);
}

SC_HANDLER(sc_h_application_withdraw)
{
    return step(req, resp, SC_APP_ACTION_WITHDRAW, true, err);
}

/* ---- preparation and managers ------------------------------------------- */

SC_HANDLER(sc_h_application_prepare)
{
    static const char *const keys[] = {"done", "evidence", NULL};
    const char *evidence = NULL;
    bool done = true;
    json_t *body = NULL;
    int64_t id = 0, item = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &id, err);
    if (rc == SC_OK)
        rc = sc_http_path_id(req->params[1], "item", &item, err);
    if (rc == SC_OK && item > INT32_MAX) /* the store names the range */
        item = INT32_MAX;
    if (rc == SC_OK)
        rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_bool(body, "done", true, &done, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "evidence", true, &evidence, err);
    if (rc == SC_OK)
        rc = sc_store_application_prepare(req->store, &req->clock, &req->actor,
                                          id, (int)item, done, evidence, err);
    return rc == SC_OK ? app_view(req, resp, id, err) : rc;
}

SC_HANDLER(sc_h_application_manager_add)
{
    static const char *const keys[] = {"name", "certificate_no", NULL};
    const char *name = NULL, *cert_no = NULL;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &id, err);
    if (rc == SC_OK)
        rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "name", false, &name, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "certificate_no", false, &cert_no, err);
    if (rc == SC_OK)
        rc = sc_store_application_manager_add(req->store, &req->clock,
                                              &req->actor, id, name, cert_no,
                                              NULL, err);
    if (rc == SC_OK)
        rc = app_view(req, resp, id, err);
    if (rc == SC_OK)
        resp->status = 201;
    return rc;
}

/* ---- contract and document review --------------------------------------- */

SC_HANDLER(sc_h_application_contract)
{
    static const char *const keys[] = {"number", "fee_cents",
                                       "preliminary_audit", NULL};
    struct sc_contract_input in = {0};
    long long fee = 0;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &id, err);
    if (rc == SC_OK)
        rc = sc_http_json_body_opt(req, keys, &body, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "number", true, &in.number, err);
    /* Only the number's form here; its range is the store's, after the
     * state and role checks (as the CLI). */
    if (rc == SC_OK)
        rc = sc_http_get_int(body, "fee_cents", true, LLONG_MIN, LLONG_MAX,
                             &fee, err);
    if (rc == SC_OK) {
        json_t *v = json_object_get(body, "fee_cents");
        in.has_fee = v && !json_is_null(v);
        in.fee_cents = fee;
    }
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "preliminary_audit", true,
                                &in.preliminary_audit, err);
    if (rc == SC_OK)
        rc = sc_store_contract_sign(req->store, &req->clock, &req->actor, id,
                                    &in, NULL, err);
    return rc == SC_OK ? app_view(req, resp, id, err) : rc;
}

/* findings[i] -> struct sc_finding_input, with "findings[i].key" fields. */
static enum sc_err finding_inputs(struct sc_http_req *req, const json_t *body,
                                  struct sc_finding_input **out, size_t *n,
                                  struct sc_error *err)
{
    static const char *const keys[] = {"text", "severity", "indicator", NULL};
    json_t *list = json_object_get(body, "findings");
    *out = NULL;
    *n = 0;
    if (!list || json_is_null(list))
        return SC_OK; /* the workflow names findings_recorded */
    if (!json_is_array(list))
        return sc_error_set(err, SC_ERR_INVALID, "findings",
                            "must be an array of findings");
    size_t count = json_array_size(list);
    if (count > SC_APPLICATION_FINDINGS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "findings",
                            "at most %d findings per review",
                            SC_APPLICATION_FINDINGS_MAX);
    if (count == 0)
        return SC_OK;
    struct sc_finding_input *arr =
        sc_arena_alloc(req->arena, count * sizeof *arr);
    if (!arr)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    for (size_t i = 0; i < count; i++) {
        json_t *f = json_array_get(list, i);
        struct sc_error sub;
        enum sc_err rc = SC_OK;
        sc_error_clear(&sub);
        memset(&arr[i], 0, sizeof arr[i]);
        if (!json_is_object(f))
            rc = sc_error_set(&sub, SC_ERR_INVALID, "", "must be an object");
        if (rc == SC_OK)
            rc = sc_http_only_keys(f, keys, &sub);
        if (rc == SC_OK)
            rc = sc_http_get_string(f, "text", false, &arr[i].text, &sub);
        if (rc == SC_OK)
            rc = sc_http_get_string(f, "severity", true, &arr[i].severity,
                                    &sub);
        if (rc == SC_OK)
            rc = sc_http_get_string(f, "indicator", true, &arr[i].indicator,
                                    &sub);
        if (rc != SC_OK) {
            char field[sizeof sub.field];
            snprintf(field, sizeof field, "findings[%zu]%s%.40s", i,
                     sub.field[0] ? "." : "", sub.field);
            return sc_error_set(err, rc, field, "%s", sub.message);
        }
    }
    *out = arr;
    *n = count;
    return SC_OK;
}

SC_HANDLER(sc_h_review_revise)
{
    static const char *const keys[] = {"findings", "note", NULL};
    struct sc_finding_input *findings = NULL;
    const char *note = NULL;
    size_t n = 0;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &id, err);
    if (rc == SC_OK)
        rc = sc_http_json_body_opt(req, keys, &body, err);
    if (rc == SC_OK)
        rc = finding_inputs(req, body, &findings, &n, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "note", true, &note, err);
    if (rc == SC_OK)
        rc = sc_store_review_revise(req->store, &req->clock, &req->actor, id,
                                    findings, n, note, NULL, err);
    return rc == SC_OK ? app_view(req, resp, id, err) : rc;
}

SC_HANDLER(sc_h_review_approve)
{
    static const char *const keys[] = {"note", NULL};
    const char *note = NULL;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "application", &id, err);
    if (rc == SC_OK)
        rc = sc_http_json_body_opt(req, keys, &body, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "note", true, &note, err);
    if (rc == SC_OK)
        rc = sc_store_review_approve(req->store, &req->clock, &req->actor, id,
                                     note, NULL, err);
    return rc == SC_OK ? app_view(req, resp, id, err) : rc;
}

/* ---- findings ----------------------------------------------------------- */

SC_HANDLER(sc_h_finding_get)
{
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "finding", &id, err);
    return rc == SC_OK ? sc_store_finding_get(req->store, &req->actor, id,
                                              &resp->json, err)
                       : rc;
}

SC_HANDLER(sc_h_finding_correct)
{
    static const char *const keys[] = {"corrective_action", NULL};
    const char *action = NULL;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "finding", &id, err);
    if (rc == SC_OK)
        rc = sc_http_json_body(req, &body, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(body, keys, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "corrective_action", false, &action, err);
    if (rc == SC_OK)
        rc = sc_store_finding_correct(req->store, &req->clock, &req->actor, id,
                                      action, err);
    return rc == SC_OK ? sc_store_finding_get(req->store, &req->actor, id,
                                              &resp->json, err)
                       : rc;
}

SC_HANDLER(sc_h_finding_verify)
{
    static const char *const keys[] = {"accept", "note", NULL};
    const char *note = NULL;
    bool accept = true;
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = sc_http_path_id(req->params[0], "finding", &id, err);
    if (rc == SC_OK)
        rc = sc_http_json_body_opt(req, keys, &body, err);
    if (rc == SC_OK)
        rc = sc_http_get_bool(body, "accept", true, &accept, err);
    if (rc == SC_OK)
        rc = sc_http_get_string(body, "note", true, &note, err);
    if (rc == SC_OK)
        rc = sc_store_finding_verify(req->store, &req->clock, &req->actor, id,
                                     accept, note, err);
    return rc == SC_OK ? sc_store_finding_get(req->store, &req->actor, id,
                                              &resp->json, err)
                       : rc;
}
