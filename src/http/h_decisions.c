/*
 * h_decisions: the review committee's routes on a reported audit — a
 * member's vote (POST /api/v1/audits/{id}/votes), the close that takes the
 * decision (POST /api/v1/audits/{id}/decision) and the committee's view
 * (GET /api/v1/audits/{id}/decision). Each answers with the JSON `starcert
 * decision vote|close|show` prints: the committee's view of the audit.
 * Not for: restoring a suspended certificate by name (the certificates
 * route "restore"), or any rule (store_decision asks src/core).
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "http/handlers.h"
#include "store/store_decision.h"

/* The {id} of the path: an audit id, else no such audit. */
static enum sc_err path_id(const struct sc_http_req *req, int64_t *out,
                           struct sc_error *err)
{
    const char *s = req->params[0];
    char *end = NULL;
    long long v = 0;
    if (s && s[0] >= '1' && s[0] <= '9')
        v = strtoll(s, &end, 10);
    if (!end || *end || v < 1 || v == LLONG_MAX)
        return sc_error_set(err, SC_ERR_NOT_FOUND, "audit",
                            "no audit with id \"%.40s\"", s ? s : "");
    *out = (int64_t)v;
    return SC_OK;
}

static enum sc_err view(struct sc_http_req *req, struct sc_http_resp *resp,
                        int64_t id, struct sc_error *err)
{
    return sc_store_decision_json(req->store, &req->actor, id,
                                  req->clock.today, &resp->json, err);
}

SC_HANDLER(sc_h_decision_vote)
{
    static const char *const keys[] = {"approve", "level", "comment", NULL};
    json_t *body = NULL;
    const char *level = NULL, *comment = NULL;
    bool approve = false;
    int64_t id = 0;
    enum sc_err rc;
    if ((rc = path_id(req, &id, err)) != SC_OK ||
        (rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_bool(body, "approve", false, &approve, err)) !=
            SC_OK ||
        (rc = sc_http_get_string(body, "level", true, &level, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "comment", true, &comment, err)) !=
            SC_OK)
        return rc;
    rc = sc_store_decision_vote(req->store, &req->clock, &req->actor, id,
                                approve, level, comment, err);
    if (rc != SC_OK)
        return rc;
    resp->status = 201;
    return view(req, resp, id, err);
}

SC_HANDLER(sc_h_decision_close)
{
    static const char *const none[] = {NULL};
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc = path_id(req, &id, err);
    if (rc != SC_OK)
        return rc;
    if (req->body_len > 0 &&
        ((rc = sc_http_json_body(req, &body, err)) != SC_OK ||
         (rc = sc_http_only_keys(body, none, err)) != SC_OK))
        return rc;
    rc = sc_store_decision_close(req->store, &req->clock, &req->actor, id,
                                 SC_DECISION_ANY, NULL, err);
    if (rc != SC_OK)
        return rc;
    resp->status = 201;
    return view(req, resp, id, err);
}

SC_HANDLER(sc_h_decision_get)
{
    int64_t id = 0;
    enum sc_err rc = path_id(req, &id, err);
    return rc == SC_OK ? view(req, resp, id, err) : rc;
}
