/*
 * h_events: the admin's view of the hash-chained audit trail — one page of
 * events (GET /api/v1/events?after=&limit=&entity=&entity_id=) and the
 * chain check (GET /api/v1/events/verify, the JSON of `starcert
 * audit-verify`).
 * Not for: writing events (every store action appends its own).
 */
#include <stdint.h>
#include <stdlib.h>

#include "core/policy.h"
#include "http/handlers.h"
#include "store/events.h"

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}

/* {"results": [...], "next_after": the last id when the page is full (ask
 * again with ?after= it), else null}. */
SC_HANDLER(sc_h_events_list)
{
    long long after = 0, entity_id = 0, limit = SC_EVENT_LIST_DEFAULT;
    enum sc_err rc;
    if ((rc = sc_http_query_int(req, "after", 0, INT64_MAX - 1, &after, err)) !=
            SC_OK ||
        (rc = sc_http_query_int(req, "entity_id", 1, INT64_MAX - 1, &entity_id,
                        err)) != SC_OK ||
        (rc = sc_http_query_int(req, "limit", 1, SC_EVENT_LIST_MAX, &limit, err)) !=
            SC_OK)
        return rc;
    json_t *list = NULL;
    rc = sc_events_list_json(req->store, &req->actor, after,
                             sc_http_query(req, "entity"), entity_id,
                             (int)limit, &list, err);
    if (rc != SC_OK)
        return rc;
    size_t n = json_array_size(list);
    json_t *next = json_null();
    if (n == (size_t)limit)
        next = json_incref(
            json_object_get(json_array_get(list, n - 1), "id"));
    resp->json =
        json_pack("{s:o, s:o}", "results", list, "next_after", next);
    return resp->json ? SC_OK : nomem(err);
}

/* 200 {"valid": true, "events": N}; a broken chain is 409 with the CLI's
 * object {"error": {"code", "message", "field"}, "valid": false,
 * "bad_event": ID}. */
SC_HANDLER(sc_h_events_verify)
{
    int64_t count = 0, bad = 0;
    enum sc_err rc = sc_policy_check("event.view", req->actor.role, false, err);
    if (rc != SC_OK)
        return rc;
    rc = sc_events_verify(req->store, &count, &bad, err);
    if (rc != SC_OK && bad) {
        resp->status = sc_err_http_status(rc);
        resp->json = json_pack("{s:{s:s, s:s, s:s}, s:b, s:I}", "error",
                               "code", sc_err_name(rc), "message",
                               err->message, "field", "events", "valid", 0,
                               "bad_event", (json_int_t)bad);
        return resp->json ? SC_OK : nomem(err);
    }
    if (rc != SC_OK)
        return rc;
    resp->json = json_pack("{s:b, s:I}", "valid", 1, "events",
                           (json_int_t)count);
    return resp->json ? SC_OK : nomem(err);
}
