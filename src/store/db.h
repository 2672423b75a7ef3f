/*
 * db: the engine-neutral statement interface under the store.
 *
 * The store's entity modules speak SQL through this interface only; the
 * engine files (db_sqlite.c now, db_postgres.c later) are the only files that
 * include an engine's headers. SQL text is a literal with numbered
 * parameters `?1`, `?2`, ... (SQLite's form; the PostgreSQL engine rewrites
 * them to `$1`, ...). Statements are prepared once per connection and cached
 * by the ADDRESS of the SQL text, so pass string literals (or other storage
 * that lives as long as the connection). Not for: use outside src/store/.
 *
 * Errors: a constraint violation is SC_ERR_CONFLICT, a busy/locked database
 * SC_ERR_STATE (retryable), anything else SC_ERR_IO; the engine's message is
 * kept in err->message.
 */
#ifndef SC_DB_H
#define SC_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sc_db;
struct sc_stmt;

#define SC_DB_STMT_CACHE 1024 /* statements kept prepared per connection */

/*
 * Opens a connection. `target` is a file path (SQLite, created if missing;
 * WAL journal, foreign keys on, busy timeout 5 s). A `postgresql://` or
 * `postgres://` URL is refused with SC_ERR_USAGE until that engine exists.
 * Caller frees with sc_db_close (NULL is a no-op).
 */
enum sc_err sc_db_open(const char *target, struct sc_db **out,
                       struct sc_error *err);
void sc_db_close(struct sc_db *db);

/* Runs a script of ';'-separated statements without parameters. */
enum sc_err sc_db_exec_script(struct sc_db *db, const char *sql,
                              struct sc_error *err);

/* Transactions. begin takes the write lock at once (BEGIN IMMEDIATE), so two
 * writers serialise instead of failing at commit. Nesting is a programmer
 * error. rollback is safe to call when no transaction is open. */
enum sc_err sc_db_begin(struct sc_db *db, struct sc_error *err);
enum sc_err sc_db_commit(struct sc_db *db, struct sc_error *err);
void sc_db_rollback(struct sc_db *db);
bool sc_db_in_transaction(const struct sc_db *db);

/* Prepares (or finds in the cache) the statement for `sql`; it comes back
 * reset with no bindings. Use it, then call sc_db_done. The statement belongs
 * to the connection: never free it. */
enum sc_err sc_db_prepare(struct sc_db *db, const char *sql,
                          struct sc_stmt **out, struct sc_error *err);

/* Bindings, 1-based. Text and blobs are copied. A NULL text binds SQL NULL.
 * A failed bind is remembered and reported by the next sc_db_step. */
void sc_db_bind_int(struct sc_stmt *st, int idx, int64_t v);
void sc_db_bind_text(struct sc_stmt *st, int idx, const char *s);
void sc_db_bind_blob(struct sc_stmt *st, int idx, const void *p, size_t n);
void sc_db_bind_null(struct sc_stmt *st, int idx);

/* Advances; *row is true when a result row is ready. */
enum sc_err sc_db_step(struct sc_stmt *st, bool *row, struct sc_error *err);

/* Columns of the current row, 0-based. Text is valid until the next step or
 * sc_db_done; NULL text comes back as NULL. */
int64_t sc_db_col_int(struct sc_stmt *st, int col);
const char *sc_db_col_text(struct sc_stmt *st, int col);
const void *sc_db_col_blob(struct sc_stmt *st, int col, size_t *len);
bool sc_db_col_is_null(struct sc_stmt *st, int col);

/* Resets the statement for its next use (keeps it prepared). */
void sc_db_done(struct sc_stmt *st);

/* Runs a prepared-and-bound statement to completion, ignoring rows, then
 * sc_db_done. Returns the step error, if any. */
enum sc_err sc_db_finish(struct sc_stmt *st, struct sc_error *err);

/* Prepares and runs a statement that returns no rows, with ?1 = id and,
 * when text is not NULL, ?2 = text (the common "UPDATE ... WHERE id = ?1"). */
enum sc_err sc_db_exec_id(struct sc_db *db, const char *sql, int64_t id,
                          const char *text, struct sc_error *err);

/* Rows changed by the last statement. */
int64_t sc_db_changes(struct sc_db *db);

/*
 * Change detection, for caches of what was read (the registry's, see
 * store/registry_cache.h). sc_db_data_version: a number that differs from
 * the one returned by the previous call on this connection whenever
 * another connection (this process or another) committed a change in
 * between (SQLite's PRAGMA data_version; it runs a short read transaction).
 * It does NOT move when this connection itself writes: for that,
 * sc_db_total_changes counts every row this connection has inserted,
 * updated or deleted since it was opened (triggers included, rolled-back
 * changes too). A cache is current while both numbers are the ones it was
 * filled under, read BEFORE the read that filled it. SC_ERR_IO/STATE on an
 * engine error (then *out is unchanged).
 */
enum sc_err sc_db_data_version(struct sc_db *db, int64_t *out,
                               struct sc_error *err);
int64_t sc_db_total_changes(struct sc_db *db);

/*
 * A cheaper first question for the same caches: sc_db_wal_mark copies the
 * current header of the write-ahead log's index (48 bytes that every
 * commit by any connection changes) into *out, without a transaction, a
 * lock or a system call. Two marks that compare equal (memcmp) mean that
 * no connection committed between them. False when no mark can be taken
 * (the connection is not in WAL mode, is inside a transaction, its log is
 * not open, or a writer is updating the header this instant): then ask
 * sc_db_data_version. Take a mark BEFORE the sc_db_data_version call it is
 * kept with, so that a commit falling between the two is seen next time.
 */
struct sc_db_mark {
    unsigned char b[48];
};
bool sc_db_wal_mark(struct sc_db *db, struct sc_db_mark *out);

/*
 * Sets this connection's journal: wal true the write-ahead log, false a
 * rollback journal (DELETE). *as_asked (may be NULL): whether that mode is
 * now in force (SQLite keeps WAL while another connection has the
 * database open; an in-memory database stays "memory"). Every change of
 * journal mode goes through here (sc_db_wal_mark relies on it).
 */
enum sc_err sc_db_journal_mode(struct sc_db *db, bool wal, bool *as_asked,
                               struct sc_error *err);

#endif
