/*
 * h_certificates: the staff routes on certificates — list, the full view,
 * suspend, restore (the close of a restore audit), withdraw, cancel,
 * reissue, confidentiality — and the deadline list GET /api/v1/due. Each
 * calls the store function `starcert certificate` (or `starcert due`)
 * calls and answers with the same JSON: the certificate as `certificate
 * show` prints it, the lists wrapped as {"results": [...]} like the
 * registry search.
 * Not for: the public registry (h_public.c), issuing, maintaining or
 * recertifying (committee decisions, h_decisions.c), the daily clock (a
 * CLI/cron job), or any rule (the store asks src/core).
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/policy.h"
#include "http/handlers.h"
#include "store/store_certificate.h"
#include "store/store_decision.h"
#include "store/store_tick.h"

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}

static enum sc_err wrap_list(struct sc_http_resp *resp, json_t *list,
                             struct sc_error *err)
{
    resp->json = json_pack("{s:o}", "results", list);
    return resp->json ? SC_OK : nomem(err);
}

SC_HANDLER(sc_h_certificates_list)
{
    long long org = 0, limit = 100;
    enum sc_err rc;
    if ((rc = sc_http_query_int(req, "organisation", 1, INT64_MAX - 1, &org, err)) !=
            SC_OK ||
        (rc = sc_http_query_int(req, "limit", 1, SC_CERT_LIST_MAX, &limit, err)) !=
            SC_OK)
        return rc;
    json_t *list = NULL;
    rc = sc_store_certificate_list_json(req->store, &req->actor,
                                        sc_http_query(req, "state"), org,
                                        (int)limit, &list, err);
    return rc == SC_OK ? wrap_list(resp, list, err) : rc;
}

SC_HANDLER(sc_h_certificates_get)
{
    return sc_store_certificate_json(req->store, &req->actor, req->params[0],
                                     &resp->json, err);
}

/* The body of suspend, withdraw and cancel: {"reason_code", "reason"}. */
static enum sc_err reasons(struct sc_http_req *req, const char **code,
                           const char **reason, struct sc_error *err)
{
    static const char *const keys[] = {"reason_code", "reason", NULL};
    json_t *body = NULL;
    enum sc_err rc;
    if ((rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "reason_code", true, code, err)) !=
            SC_OK)
        return rc;
    return sc_http_get_string(body, "reason", true, reason, err);
}

static enum sc_err show(struct sc_http_req *req, struct sc_http_resp *resp,
                        struct sc_error *err)
{
    return sc_store_certificate_json(req->store, &req->actor, req->params[0],
                                     &resp->json, err);
}

SC_HANDLER(sc_h_certificates_suspend)
{
    const char *code = NULL, *reason = NULL;
    enum sc_err rc = reasons(req, &code, &reason, err);
    if (rc == SC_OK)
        rc = sc_store_certificate_suspend(req->store, &req->clock, &req->actor,
                                          req->params[0], code, reason, err);
    return rc == SC_OK ? show(req, resp, err) : rc;
}

SC_HANDLER(sc_h_certificates_withdraw)
{
    const char *code = NULL, *reason = NULL;
    enum sc_err rc = reasons(req, &code, &reason, err);
    if (rc == SC_OK)
        rc = sc_store_certificate_withdraw(req->store, &req->clock,
                                           &req->actor, req->params[0], code,
                                           reason, err);
    return rc == SC_OK ? show(req, resp, err) : rc;
}

SC_HANDLER(sc_h_certificates_cancel)
{
    const char *code = NULL, *reason = NULL;
    enum sc_err rc = reasons(req, &code, &reason, err);
    if (rc == SC_OK)
        rc = sc_store_certificate_cancel(req->store, &req->clock, &req->actor,
                                         req->params[0], code, reason, err);
    return rc == SC_OK ? show(req, resp, err) : rc;
}

SC_HANDLER(sc_h_certificates_restore)
{
    static const char *const keys[] = {"audit", NULL};
    json_t *body = NULL;
    long long audit = 0;
    enum sc_err rc;
    if ((rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_int(body, "audit", false, 1, INT64_MAX, &audit,
                              err)) != SC_OK)
        return rc;
    rc = sc_store_decision_restore(req->store, &req->clock, &req->actor,
                                   req->params[0], audit, NULL, err);
    return rc == SC_OK ? show(req, resp, err) : rc;
}

SC_HANDLER(sc_h_certificates_reissue)
{
    static const char *const keys[] = {"scope", "outlets", "reason_code",
                                       "reason", NULL};
    json_t *body = NULL;
    const char *scope = NULL, *outlets = NULL, *code = NULL, *reason = NULL;
    enum sc_err rc;
    if ((rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "scope", true, &scope, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "outlets", true, &outlets, err)) !=
            SC_OK ||
        (rc = sc_http_get_string(body, "reason_code", true, &code, err)) !=
            SC_OK ||
        (rc = sc_http_get_string(body, "reason", true, &reason, err)) != SC_OK)
        return rc;
    rc = sc_store_certificate_reissue(req->store, &req->clock, &req->actor,
                                      req->params[0], scope, outlets, code,
                                      reason, err);
    return rc == SC_OK ? show(req, resp, err) : rc;
}

/* {"confidential": true|false, "reason"}: the reason may be absent here so
 * the store says what is missing, as for the other actions. */
SC_HANDLER(sc_h_certificates_confidential)
{
    static const char *const keys[] = {"confidential", "reason", NULL};
    json_t *body = NULL;
    const char *reason = NULL;
    bool confidential = false;
    enum sc_err rc;
    if ((rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_bool(body, "confidential", false, &confidential,
                               err)) != SC_OK ||
        (rc = sc_http_get_string(body, "reason", true, &reason, err)) != SC_OK)
        return rc;
    rc = sc_store_certificate_set_confidential(req->store, &req->clock,
                                               &req->actor, req->params[0],
                                               confidential, reason, NULL, err);
    return rc == SC_OK ? show(req, resp, err) : rc;
}

/* The deadlines of every certificate: only for roles that may view any
 * certificate (an enterprise user would see other organisations'). */
SC_HANDLER(sc_h_due)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    long long within = SC_DUE_WITHIN_DEFAULT;
    enum sc_err rc;
    if ((rc = sc_policy_scope_for("certificate.view", req->actor.role, &scope,
                                  err)) != SC_OK)
        return rc;
    if (scope != SC_POLICY_SCOPE_ANY)
        return sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                            "the deadline list covers every organisation: "
                            "for CB staff only");
    if ((rc = sc_http_query_int(req, "within", 0, SC_DUE_WITHIN_MAX, &within, err)) !=
        SC_OK)
        return rc;
    json_t *list = NULL;
    rc = sc_store_due(req->store, req->clock.today, (int)within, &list, err);
    return rc == SC_OK ? wrap_list(resp, list, err) : rc;
}
