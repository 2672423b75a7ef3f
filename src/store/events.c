/*
 * events: append and verify the hash-chained event log (see events.h).
 * A row's hash is SHA-256 over the canonical text
 *   id \n at \n actor_id \n action \n entity \n entity_id \n detail \n prev_hash
 * and the first row's prev_hash is 64 zeros. Ids are consecutive from 1, so a
 * deleted row shows as a gap.
 */
#include "store/events.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "store/actor.h"
#include "store/db.h"
#include "store/store.h"

static const char ZERO_HASH[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static const char SQL_LAST[] =
    "SELECT id, hash FROM events ORDER BY id DESC LIMIT 1";
static const char SQL_INSERT[] =
    "INSERT INTO events (id, at, actor_id, action, entity, entity_id, detail, "
    "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_ALL[] =
    "SELECT id, at, actor_id, action, entity, entity_id, detail, prev_hash, "
    "hash FROM events ORDER BY id";

static const char SQL_PAGE[] =
    "SELECT e.id, e.at, u.login, e.action, e.entity, e.entity_id, e.detail, "
    "e.prev_hash, e.hash FROM events e LEFT JOIN users u ON u.id = e.actor_id "
    "WHERE e.id > ?1 AND (?2 IS NULL OR e.entity = ?2) "
    "AND (?3 = 0 OR e.entity_id = ?3) ORDER BY e.id LIMIT ?4";

static void row_hash(int64_t id, const char *at, int64_t actor,
                     const char *action, const char *entity, int64_t entity_id,
                     const char *detail, const char *prev,
                     char out[SC_EVENT_HASH_HEX])
{
    crypto_hash_sha256_state h;
    char num[3][32];
    unsigned char bin[crypto_hash_sha256_BYTES];
    snprintf(num[0], sizeof num[0], "%lld", (long long)id);
    snprintf(num[1], sizeof num[1], "%lld", (long long)actor);
    snprintf(num[2], sizeof num[2], "%lld", (long long)entity_id);
    const char *parts[] = {num[0], at,      num[1], action,
                           entity, num[2], detail, prev};
    crypto_hash_sha256_init(&h);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (i)
            crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
        crypto_hash_sha256_update(&h, (const unsigned char *)parts[i],
                                  strlen(parts[i]));
    }
    crypto_hash_sha256_final(&h, bin);
    sodium_bin2hex(out, SC_EVENT_HASH_HEX, bin, sizeof bin);
}

enum sc_err sc_events_append(struct sc_store *st, const struct sc_clock *clk,
                             int64_t actor_id, const char *action,
                             const char *entity, int64_t entity_id,
                             const json_t *detail, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_stmt *s = NULL;
    char prev[SC_EVENT_HASH_HEX];
    char hash[SC_EVENT_HASH_HEX];
    char *text = NULL;
    int64_t last_id = 0;
    bool row = false;
    enum sc_err rc;

    assert(sc_db_in_transaction(db));
    text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    if (strlen(text) > SC_EVENT_DETAIL_MAX) {
        rc = sc_error_set(err, SC_ERR_TOO_LARGE, "detail",
                          "an event's detail is limited to %d bytes",
                          SC_EVENT_DETAIL_MAX);
        goto out;
    }
    rc = sc_db_prepare(db, SQL_LAST, &s, err);
    if (rc != SC_OK)
        goto out;
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && row) {
        last_id = sc_db_col_int(s, 0);
        snprintf(prev, sizeof prev, "%s", sc_db_col_text(s, 1));
    } else {
        snprintf(prev, sizeof prev, "%s", ZERO_HASH);
    }
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    row_hash(last_id + 1, clk->now, actor_id, action, entity, entity_id, text,
             prev, hash);
    rc = sc_db_prepare(db, SQL_INSERT, &s, err);
    if (rc != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, last_id + 1);
    sc_db_bind_text(s, 2, clk->now);
    if (actor_id)
        sc_db_bind_int(s, 3, actor_id);
    else
        sc_db_bind_null(s, 3);
    sc_db_bind_text(s, 4, action);
    sc_db_bind_text(s, 5, entity);
    sc_db_bind_int(s, 6, entity_id);
    sc_db_bind_text(s, 7, text);
    sc_db_bind_text(s, 8, prev);
    sc_db_bind_text(s, 9, hash);
    rc = sc_db_finish(s, err);
out:
    free(text);
    return rc;
}

enum sc_err sc_events_verify(struct sc_store *st, int64_t *count,
                             int64_t *bad_id, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_stmt *s = NULL;
    char prev[SC_EVENT_HASH_HEX];
    char want[SC_EVENT_HASH_HEX];
    int64_t n = 0;
    bool row = false;
    enum sc_err rc;

    *count = 0;
    *bad_id = 0;
    snprintf(prev, sizeof prev, "%s", ZERO_HASH);
    rc = sc_db_prepare(db, SQL_ALL, &s, err);
    if (rc != SC_OK)
        return rc;
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        int64_t id = sc_db_col_int(s, 0);
        const char *at = sc_db_col_text(s, 1);
        int64_t actor = sc_db_col_int(s, 2);
        const char *action = sc_db_col_text(s, 3);
        const char *entity = sc_db_col_text(s, 4);
        int64_t entity_id = sc_db_col_int(s, 5);
        const char *detail = sc_db_col_text(s, 6);
        const char *prev_col = sc_db_col_text(s, 7);
        const char *hash = sc_db_col_text(s, 8);
        n++;
        if (id != n) {
            *bad_id = id;
            rc = sc_error_set(err, SC_ERR_CONFLICT, "events",
                              "event %lld follows event %lld: rows are "
                              "missing",
                              (long long)id, (long long)(n - 1));
            break;
        }
        if (!at || !action || !entity || !detail || !prev_col || !hash ||
            strcmp(prev_col, prev) != 0) {
            *bad_id = id;
            rc = sc_error_set(err, SC_ERR_CONFLICT, "events",
                              "event %lld does not link to the event before "
                              "it",
                              (long long)id);
            break;
        }
        row_hash(id, at, actor, action, entity, entity_id, detail, prev_col,
                 want);
        if (strcmp(want, hash) != 0) {
            *bad_id = id;
            rc = sc_error_set(err, SC_ERR_CONFLICT, "events",
                              "event %lld was changed after it was written",
                              (long long)id);
            break;
        }
        snprintf(prev, sizeof prev, "%s", hash);
    }
    sc_db_done(s);
    if (rc == SC_OK)
        *count = n;
    return rc;
}

/* An entity filter is a stored entity kind: lower-case letters and '_'. */
static bool entity_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SC_EVENT_ENTITY_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '_'))
            return false;
    return true;
}

/* One row of SQL_PAGE as JSON; NULL when out of memory. */
static json_t *event_row_json(struct sc_stmt *s)
{
    const char *detail_text = sc_db_col_text(s, 6);
    json_t *detail = detail_text ? json_loads(detail_text, 0, NULL) : NULL;
    if (!detail)
        detail = json_string(detail_text ? detail_text : "");
    return json_pack("{s:I, s:s, s:s?, s:s, s:s, s:I, s:o, s:s, s:s}", "id",
                     (json_int_t)sc_db_col_int(s, 0), "at",
                     sc_db_col_text(s, 1), "actor",
                     sc_db_col_is_null(s, 2) ? NULL : sc_db_col_text(s, 2),
                     "action", sc_db_col_text(s, 3), "entity",
                     sc_db_col_text(s, 4), "entity_id",
                     (json_int_t)sc_db_col_int(s, 5), "detail", detail,
                     "prev_hash", sc_db_col_text(s, 7), "hash",
                     sc_db_col_text(s, 8));
}

enum sc_err sc_events_list_json(struct sc_store *st,
                                const struct sc_actor *actor, int64_t after,
                                const char *entity, int64_t entity_id,
                                int limit, json_t **out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *list = NULL;
    enum sc_err rc = sc_policy_check("event.view", actor->role, false, err);
    if (rc != SC_OK)
        return rc;
    if (after < 0)
        return sc_error_set(err, SC_ERR_INVALID, "after",
                            "must be 0 or an event id");
    if (entity && !entity_ok(entity))
        return sc_error_set(err, SC_ERR_INVALID, "entity",
                            "an entity kind is 1 to %d letters a-z or _",
                            SC_EVENT_ENTITY_MAX);
    if (entity_id < 0 || (entity_id && !entity))
        return sc_error_set(err, SC_ERR_INVALID, "entity_id",
                            entity_id < 0 ? "must be a positive id"
                                          : "give the entity kind too");
    if (limit < 1 || limit > SC_EVENT_LIST_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "limit", "limit must be 1..%d",
                            SC_EVENT_LIST_MAX);
    list = json_array();
    if (!list)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    rc = sc_db_prepare(sc_store_db(st), SQL_PAGE, &s, err);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    sc_db_bind_int(s, 1, after);
    sc_db_bind_text(s, 2, entity);
    sc_db_bind_int(s, 3, entity_id);
    sc_db_bind_int(s, 4, limit);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        if (json_array_append_new(list, event_row_json(s)) != 0) {
            rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
            break;
        }
    }
    sc_db_done(s);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return SC_OK;
}
