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
