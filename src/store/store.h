/*
 * store: the only door to starcert's data.
 *
 * A `struct sc_store` is one connection to one database (an SQLite file now;
 * PostgreSQL behind the same functions later). Everything that changes state
 * runs in one transaction with its event in the append-only, hash-chained
 * event log: either both commit or neither does, so a refused or failed
 * action leaves the database as it was. Entity functions are declared in
 * the store_*.h headers included at the end of this one. Not for: rules
 * (src/core decides; the store records) or presentation.
 */
#ifndef SC_STORE_H
#define SC_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "core/scheme.h"

struct sc_store;
struct sc_db;

#define SC_STORE_INSTANT_BUF 32 /* "YYYY-MM-DDTHH:MM:SSZ" plus NUL */

/* The moment and day an action happens: supplied by the front end (the
 * CLI's --today, the clock), never read inside the store. */
struct sc_clock {
    sc_day today;
    char now[SC_STORE_INSTANT_BUF]; /* UTC instant recorded on events */
};

/*
 * Opens `target` (a file path). With `create` true the database is created
 * if missing and migrated to the newest schema (`starcert init`); otherwise
 * a database that does not exist, or whose schema is older than this
 * program's, is refused with SC_ERR_STATE and a hint to run `starcert init`.
 * Caller frees with sc_store_close (NULL is a no-op).
 */
enum sc_err sc_store_open(const char *target, bool create,
                          struct sc_store **out, struct sc_error *err);
void sc_store_close(struct sc_store *st);

/* Number of migrations applied by the last open with create (0 when the
 * schema was current). */
int sc_store_migrations_applied(const struct sc_store *st);

/* Newest schema version this program knows, and the database's. */
int sc_store_schema_latest(void);
enum sc_err sc_store_schema_version(struct sc_store *st, int *version,
                                    struct sc_error *err);

/*
 * Records a scheme file (validated with sc_scheme_parse) under its id and
 * version. Loading the same bytes again is a no-op; different bytes under
 * an id and version already stored are refused (SC_ERR_CONFLICT): a changed
 * rule set needs a new version, so that old decisions recompute exactly.
 * *added (may be NULL) tells whether a row was written.
 */
enum sc_err sc_store_scheme_load(struct sc_store *st, const struct sc_clock *clk,
                                 const char *json, size_t len, bool *added,
                                 struct sc_error *err);

/* The scheme stored under id and version, parsed. SC_ERR_NOT_FOUND if none. */
enum sc_err sc_store_scheme_get(struct sc_store *st, const char *id,
                                const char *version, struct sc_scheme *out,
                                struct sc_error *err);

/* Transactions for multi-step work (each entity action opens its own when
 * none is open). */

/* The action pattern: sc_store_tx_begin opens a transaction only when none
 * is open (*own tells whether it did); sc_store_tx_end then commits it when
 * rc is SC_OK or rolls it back otherwise, and returns the final code. A
 * caller's own transaction is left to the caller. */
enum sc_err sc_store_tx_begin(struct sc_store *st, bool *own,
                              struct sc_error *err);
enum sc_err sc_store_tx_end(struct sc_store *st, bool own, enum sc_err rc,
                            struct sc_error *err);

enum sc_err sc_store_begin(struct sc_store *st, struct sc_error *err);
enum sc_err sc_store_commit(struct sc_store *st, struct sc_error *err);
void sc_store_rollback(struct sc_store *st);
bool sc_store_in_transaction(struct sc_store *st);

/* The connection, for the store's own entity modules only. */
struct sc_db *sc_store_db(struct sc_store *st);

/* The entity modules: the rest of the door. */
#include "store/actor.h"
#include "store/events.h"
#include "store/store_application.h"
#include "store/store_audit.h"
#include "store/store_certificate.h"
#include "store/store_decision.h"
#include "store/store_demo.h"
#include "store/store_document.h"
#include "store/store_import.h"
#include "store/store_party.h"
#include "store/store_registry.h"
#include "store/store_tick.h"
#include "store/store_session.h"

#endif
