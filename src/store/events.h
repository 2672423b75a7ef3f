/*
 * events: the append-only audit trail. Each row stores the SHA-256 of the
 * previous row's hash and its own canonical text, so editing, deleting or
 * reordering any row breaks the chain at that row. Appends happen inside the
 * caller's transaction (the state change and its event commit together).
 * Not for: application logging.
 */
#ifndef SC_EVENTS_H
#define SC_EVENTS_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"

struct sc_store;
struct sc_clock;
struct sc_actor;

#define SC_EVENT_HASH_HEX 65 /* 64 hex digits plus NUL */
#define SC_EVENT_DETAIL_MAX (256 * 1024)
#define SC_EVENT_LIST_DEFAULT 100 /* rows of one page when not asked */
#define SC_EVENT_LIST_MAX 1000    /* rows of one page, at most */
#define SC_EVENT_ENTITY_MAX 32    /* bytes of an entity filter */

/*
 * Appends one event. Must be called inside an open transaction (a
 * programmer error otherwise). `actor_id` 0 means the system or the daily
 * clock. `detail` (borrowed) is a JSON object: what changed (before/after),
 * the reason code and text; it is stored in canonical form (sorted keys,
 * compact) and must serialise to at most SC_EVENT_DETAIL_MAX bytes.
 */
enum sc_err sc_events_append(struct sc_store *st, const struct sc_clock *clk,
                             int64_t actor_id, const char *action,
                             const char *entity, int64_t entity_id,
                             const json_t *detail, struct sc_error *err);

/*
 * Walks the whole chain. On success *count is the number of rows and
 * *bad_id 0; when a row does not verify, returns SC_ERR_CONFLICT with
 * *bad_id the first bad row's id and the reason in err.
 */
enum sc_err sc_events_verify(struct sc_store *st, int64_t *count,
                             int64_t *bad_id, struct sc_error *err);

/*
 * One page of the trail for `actor` (policy "event.view"; SC_ERR_FORBIDDEN
 * "as" otherwise): the events with id > `after` (0: from the first), in id
 * order, optionally only of one entity kind (`entity`, NULL: any; at most
 * SC_EVENT_ENTITY_MAX bytes of [a-z_], SC_ERR_INVALID "entity") and one
 * entity id (`entity_id`, 0: any; needs `entity`, SC_ERR_INVALID
 * "entity_id"), at most `limit` rows (1..SC_EVENT_LIST_MAX, SC_ERR_INVALID
 * "limit"); `after` < 0 is SC_ERR_INVALID "after". *out: a new JSON array
 * of {"id", "at", "actor" (login, or null for the system and the daily
 * clock), "action", "entity", "entity_id", "detail" (the stored object),
 * "prev_hash", "hash"}. Reads only; no transaction needed.
 */
enum sc_err sc_events_list_json(struct sc_store *st,
                                const struct sc_actor *actor, int64_t after,
                                const char *entity, int64_t entity_id,
                                int limit, json_t **out, struct sc_error *err);

#endif
