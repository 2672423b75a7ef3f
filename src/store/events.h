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

#define SC_EVENT_HASH_HEX 65 /* 64 hex digits plus NUL */
#define SC_EVENT_DETAIL_MAX (256 * 1024)

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

#endif
