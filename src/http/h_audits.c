/*
 * h_audits: the on-site audit routes under /api/v1/audits — list, plan,
 * show, confirm, start, indicator results (one, or several at once),
 * special items, findings, report. Each calls the store function `starcert
 * audit` calls and answers with the same JSON: the audit as `audit show`
 * prints it (a finding for POST .../findings; the list wrapped as
 * {"results": [...]}, like the registry search).
 * Not for: committee votes and the decision (h_decisions.c), the
 * corrective action and verification of a finding (the findings routes),
 * or any rule (the store asks src/core).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "http/handlers.h"
#include "store/store_application.h"
#include "store/store_audit.h"

#define RESULTS_MAX 200 /* indicator results in one batch request */

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}

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

/* An optional date field of a JSON body. */
static enum sc_err body_date(const json_t *body, const char *key, bool optional,
                             sc_day *out, bool *has, struct sc_error *err)
{
    const char *s = NULL;
    enum sc_err rc = sc_http_get_string(body, key, optional, &s, err);
    if (has)
        *has = s != NULL;
    if (rc != SC_OK || !s)
        return rc;
    return sc_date_parse(s, key, out, err);
}

/* The request body, or an empty object when none was sent (actions that
 * take no input accept both). */
static enum sc_err optional_body(struct sc_http_req *req, json_t **out,
                                 struct sc_error *err)
{
    static const char *const none[] = {NULL};
    if (req->body_len == 0) {
        *out = NULL;
        return SC_OK;
    }
    enum sc_err rc = sc_http_json_body(req, out, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(*out, none, err);
    return rc;
}

/* After an action: the audit as `audit show` prints it, or, when the actor
 * may not see the whole audit, {"id", "done": true} (as the CLI does). */
static enum sc_err audit_view(struct sc_http_req *req, struct sc_http_resp *resp,
                              int64_t id, struct sc_error *err)
{
    struct sc_error view_err;
    sc_error_clear(&view_err);
    if (sc_store_audit_json(req->store, &req->actor, id, &resp->json,
                            &view_err) == SC_OK)
        return SC_OK;
    resp->json = json_pack("{s:I, s:b}", "id", (json_int_t)id, "done", 1);
    return resp->json ? SC_OK : nomem(err);
}

SC_HANDLER(sc_h_audits_list)
{
    long long application = 0, limit = 100;
    enum sc_err rc;
    if ((rc = sc_http_query_int(req, "application", 1, INT64_MAX - 1, &application,
                        err)) != SC_OK ||
        (rc = sc_http_query_int(req, "limit", 1, SC_AUDIT_LIST_MAX, &limit, err)) !=
            SC_OK)
        return rc;
    json_t *list = NULL;
    rc = sc_store_audit_list_json(req->store, &req->actor, application,
                                  sc_http_query(req, "certificate"),
                                  sc_http_query(req, "state"), (int)limit,
                                  &list, err);
    if (rc != SC_OK)
        return rc;
    resp->json = json_pack("{s:o}", "results", list);
    return resp->json ? SC_OK : nomem(err);
}

/* The "team" array of a plan: [{"login", "lead"}]. One slot more than a
 * team may have, so the store refuses the size with its own field. */
static enum sc_err read_team(struct sc_http_req *req, const json_t *body,
                             struct sc_audit_plan_input *in,
                             struct sc_error *err)
{
    static const char *const keys[] = {"login", "lead", NULL};
    json_t *team = json_object_get(body, "team");
    if (!team || json_is_null(team))
        return sc_error_set(err, SC_ERR_INVALID, "team", "required");
    if (!json_is_array(team))
        return sc_error_set(err, SC_ERR_INVALID, "team",
                            "must be an array of {\"login\", \"lead\"}");
    size_t n = json_array_size(team);
    if (n > SC_AUDIT_TEAM_MAX + 1)
        n = SC_AUDIT_TEAM_MAX + 1;
    struct sc_audit_member_input *m =
        sc_arena_alloc(req->arena, (n ? n : 1) * sizeof *m);
    if (!m)
        return nomem(err);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(team, i);
        char prefix[32];
        enum sc_err rc;
        bool lead = false;
        snprintf(prefix, sizeof prefix, "team[%zu]", i);
        if (!json_is_object(e))
            return sc_error_set(err, SC_ERR_INVALID, prefix,
                                "must be an object {\"login\", \"lead\"}");
        if ((rc = sc_http_only_keys(e, keys, err)) != SC_OK ||
            (rc = sc_http_get_string(e, "login", false, &m[i].login, err)) !=
                SC_OK ||
            (rc = sc_http_get_bool(e, "lead", true, &lead, err)) != SC_OK) {
            sc_error_prefix_field(err, prefix);
            return rc;
        }
        m[i].lead = lead;
    }
    in->team = m;
    in->n_team = n;
    return SC_OK;
}

SC_HANDLER(sc_h_audits_plan)
{
    static const char *const keys[] = {
        "application", "certificate", "kind",   "from",          "to",
        "team",        "outlets",     "reduce", "justification", NULL};
    json_t *body = NULL;
    struct sc_audit_plan_input in;
    long long application = 0, outlets = -1, reduce = 0;
    enum sc_err rc;
    memset(&in, 0, sizeof in);
    if ((rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_int(body, "application", true, 1, INT64_MAX,
                              &application, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "certificate", true, &in.certificate,
                                 err)) != SC_OK ||
        (rc = sc_http_get_string(body, "kind", true, &in.kind, err)) != SC_OK ||
        (rc = body_date(body, "from", false, &in.from, NULL, err)) != SC_OK ||
        (rc = body_date(body, "to", false, &in.to, NULL, err)) != SC_OK ||
        (rc = read_team(req, body, &in, err)) != SC_OK ||
        (rc = sc_http_get_int(body, "outlets", true, 0, 1000000, &outlets,
                              err)) != SC_OK ||
        (rc = sc_http_get_int(body, "reduce", true, 0, 100, &reduce, err)) !=
            SC_OK ||
        (rc = sc_http_get_string(body, "justification", true,
                                 &in.justification, err)) != SC_OK)
        return rc;
    if ((application != 0) == (in.certificate != NULL))
        return sc_error_set(err, SC_ERR_INVALID, "application",
                            "name either an application or a certificate");
    in.application_id = application;
    in.outlets = outlets;
    in.reduce_percent = (int)reduce;
    int64_t id = 0;
    rc = sc_store_audit_plan(req->store, &req->clock, &req->actor, &in, &id,
                             err);
    if (rc != SC_OK)
        return rc;
    resp->status = 201;
    return audit_view(req, resp, id, err);
}

SC_HANDLER(sc_h_audits_get)
{
    int64_t id = 0;
    enum sc_err rc = path_id(req, &id, err);
    if (rc != SC_OK)
        return rc;
    return sc_store_audit_json(req->store, &req->actor, id, &resp->json, err);
}

SC_HANDLER(sc_h_audits_confirm)
{
    static const char *const keys[] = {"people", "transport", "office",
                                       "from",   "to",        NULL};
    json_t *body = NULL;
    struct sc_audit_arrangements in;
    bool has_to = false;
    int64_t id = 0;
    enum sc_err rc;
    memset(&in, 0, sizeof in);
    if ((rc = path_id(req, &id, err)) != SC_OK ||
        (rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "people", true, &in.people, err)) !=
            SC_OK ||
        (rc = sc_http_get_string(body, "transport", true, &in.transport,
                                 err)) != SC_OK ||
        (rc = sc_http_get_string(body, "office", true, &in.office, err)) !=
            SC_OK ||
        (rc = body_date(body, "from", true, &in.from, &in.has_dates, err)) !=
            SC_OK ||
        (rc = body_date(body, "to", true, &in.to, &has_to, err)) != SC_OK)
        return rc;
    in.has_dates = in.has_dates && has_to;
    rc = sc_store_audit_confirm(req->store, &req->clock, &req->actor, id, &in,
                                err);
    return rc == SC_OK ? audit_view(req, resp, id, err) : rc;
}

SC_HANDLER(sc_h_audits_start)
{
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc;
    if ((rc = path_id(req, &id, err)) != SC_OK ||
        (rc = optional_body(req, &body, err)) != SC_OK ||
        (rc = sc_store_audit_start(req->store, &req->clock, &req->actor, id,
                                   err)) != SC_OK)
        return rc;
    return audit_view(req, resp, id, err);
}

SC_HANDLER(sc_h_audits_report)
{
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc;
    if ((rc = path_id(req, &id, err)) != SC_OK ||
        (rc = optional_body(req, &body, err)) != SC_OK ||
        (rc = sc_store_audit_report(req->store, &req->clock, &req->actor, id,
                                    err)) != SC_OK)
        return rc;
    return audit_view(req, resp, id, err);
}

/* One result object: {"result", "samples", "nonconforming", "reason"} and,
 * in a batch, "indicator". */
static enum sc_err read_result(const json_t *o, bool with_indicator,
                               struct sc_audit_result_input *in,
                               struct sc_error *err)
{
    static const char *const keys[] = {"result", "samples", "nonconforming",
                                       "reason", NULL};
    static const char *const keys_ind[] = {"indicator", "result", "samples",
                                           "nonconforming", "reason", NULL};
    enum sc_err rc;
    if ((rc = sc_http_only_keys(o, with_indicator ? keys_ind : keys, err)) !=
            SC_OK ||
        (with_indicator &&
         (rc = sc_http_get_string(o, "indicator", false, &in->indicator,
                                  err)) != SC_OK) ||
        (rc = sc_http_get_string(o, "result", false, &in->result, err)) !=
            SC_OK ||
        (rc = sc_http_get_string(o, "reason", true, &in->reason, err)) != SC_OK)
        return rc;
    bool has_s = json_object_get(o, "samples") &&
                 !json_is_null(json_object_get(o, "samples"));
    bool has_k = json_object_get(o, "nonconforming") &&
                 !json_is_null(json_object_get(o, "nonconforming"));
    if (has_s || has_k) {
        in->has_samples = true;
        if ((rc = sc_http_get_int(o, "samples", false, -1000000000LL,
                                  1000000000LL, &in->samples, err)) != SC_OK ||
            (rc = sc_http_get_int(o, "nonconforming", false, -1000000000LL,
                                  1000000000LL, &in->nonconforming, err)) !=
                SC_OK)
            return rc;
    }
    return SC_OK;
}

SC_HANDLER(sc_h_audits_result_put)
{
    json_t *body = NULL;
    struct sc_audit_result_input in;
    int64_t id = 0;
    enum sc_err rc;
    memset(&in, 0, sizeof in);
    if ((rc = path_id(req, &id, err)) != SC_OK ||
        (rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = read_result(body, false, &in, err)) != SC_OK)
        return rc;
    in.indicator = req->params[1];
    rc = sc_store_audit_result(req->store, &req->clock, &req->actor, id, &in,
                               err);
    return rc == SC_OK ? audit_view(req, resp, id, err) : rc;
}

/* Several results in one transaction: all are recorded or none. */
SC_HANDLER(sc_h_audits_results_post)
{
    static const char *const keys[] = {"results", NULL};
    json_t *body = NULL;
    int64_t id = 0;
    enum sc_err rc;
    if ((rc = path_id(req, &id, err)) != SC_OK ||
        (rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK)
        return rc;
    json_t *list = json_object_get(body, "results");
    if (!list || !json_is_array(list) || json_array_size(list) == 0 ||
        json_array_size(list) > RESULTS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "results",
                            "must be an array of 1 to %d results",
                            RESULTS_MAX);
    size_t n = json_array_size(list);
    struct sc_audit_result_input *in =
        sc_arena_alloc(req->arena, n * sizeof *in);
    if (!in)
        return nomem(err);
    memset(in, 0, n * sizeof *in);
    for (size_t i = 0; i < n; i++) {
        char prefix[32];
        json_t *o = json_array_get(list, i);
        snprintf(prefix, sizeof prefix, "results[%zu]", i);
        if (!json_is_object(o))
            return sc_error_set(err, SC_ERR_INVALID, prefix,
                                "must be an object");
        if ((rc = read_result(o, true, &in[i], err)) != SC_OK) {
            sc_error_prefix_field(err, prefix);
            return rc;
        }
    }
    if ((rc = sc_store_begin(req->store, err)) != SC_OK)
        return rc;
    for (size_t i = 0; i < n && rc == SC_OK; i++) {
        rc = sc_store_audit_result(req->store, &req->clock, &req->actor, id,
                                   &in[i], err);
        if (rc != SC_OK && strcmp(err->field, "audit") != 0 &&
            strcmp(err->field, "as") != 0 && strcmp(err->field, "state") != 0) {
            char prefix[32];
            snprintf(prefix, sizeof prefix, "results[%zu]", i);
            sc_error_prefix_field(err, prefix);
        }
    }
    if (rc == SC_OK)
        rc = sc_store_commit(req->store, err);
    if (rc != SC_OK) {
        if (sc_store_in_transaction(req->store))
            sc_store_rollback(req->store);
        return rc;
    }
    return audit_view(req, resp, id, err);
}

SC_HANDLER(sc_h_audits_special)
{
    static const char *const keys[] = {"kind", "reason", NULL};
    json_t *body = NULL;
    const char *kind = NULL, *reason = NULL;
    int64_t id = 0;
    enum sc_err rc;
    if ((rc = path_id(req, &id, err)) != SC_OK ||
        (rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "kind", false, &kind, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "reason", true, &reason, err)) != SC_OK)
        return rc;
    bool bonus = strcmp(kind, "bonus") == 0;
    if (!bonus && strcmp(kind, "deduction") != 0)
        return sc_error_set(err, SC_ERR_INVALID, "kind",
                            "must be \"bonus\" or \"deduction\"");
    rc = sc_store_audit_special(req->store, &req->clock, &req->actor, id,
                                bonus, reason, NULL, err);
    if (rc != SC_OK)
        return rc;
    resp->status = 201;
    return audit_view(req, resp, id, err);
}

SC_HANDLER(sc_h_audits_finding)
{
    static const char *const keys[] = {"severity", "indicator", "text", NULL};
    json_t *body = NULL;
    const char *severity = NULL, *indicator = NULL, *text = NULL;
    int64_t id = 0, finding = 0;
    enum sc_err rc;
    if ((rc = path_id(req, &id, err)) != SC_OK ||
        (rc = sc_http_json_body(req, &body, err)) != SC_OK ||
        (rc = sc_http_only_keys(body, keys, err)) != SC_OK ||
        (rc = sc_http_get_string(body, "severity", true, &severity, err)) !=
            SC_OK ||
        (rc = sc_http_get_string(body, "indicator", true, &indicator, err)) !=
            SC_OK ||
        (rc = sc_http_get_string(body, "text", true, &text, err)) != SC_OK)
        return rc;
    rc = sc_store_audit_finding(req->store, &req->clock, &req->actor, id,
                                severity, indicator, text, &finding, err);
    if (rc != SC_OK)
        return rc;
    resp->status = 201;
    return sc_store_finding_get(req->store, &req->actor, finding, &resp->json,
                                err);
}
