/*
 * db_sqlite: the SQLite engine behind db.h. The only file of starcert that
 * includes sqlite3.h. One `struct sc_db` is one connection, used by one
 * thread at a time; its statements are prepared once (SQLITE_PREPARE_PERSISTENT)
 * and cached by SQL text address.
 */
#include "db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sc_stmt {
    sqlite3_stmt *s;
    const char *key; /* the SQL text's address */
    struct sc_db *db;
    int bind_rc;     /* first failing bind, SQLITE_OK if none */
};

struct sc_db {
    sqlite3 *h;
    struct sc_stmt cache[SC_DB_STMT_CACHE];
    bool in_tx;
    bool wal; /* the connection's journal is the write-ahead log */
};

static enum sc_err map(struct sc_db *db, int rc, struct sc_error *err)
{
    int primary = rc & 0xff;
    const char *msg = db && db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    if (primary == SQLITE_CONSTRAINT)
        return sc_error_set(err, SC_ERR_CONFLICT, NULL, "%s", msg);
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return sc_error_set(err, SC_ERR_STATE, NULL,
                            "the database is busy, try again: %s", msg);
    if (primary == SQLITE_NOMEM)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    if (primary == SQLITE_TOOBIG)
        return sc_error_set(err, SC_ERR_TOO_LARGE, NULL, "%s", msg);
    return sc_error_set(err, SC_ERR_IO, NULL, "database: %s", msg);
}

/* Process-wide, before SQLite initialises: no memory statistics (nothing
 * here reads them), so an allocation inside SQLite takes no global mutex;
 * with connections opened NOMUTEX, a connection used by one thread then
 * locks nothing shared on its hot paths (the import's writer, whose
 * process also runs a reading thread, spends about 0.5-1 s less CPU per
 * 1,000,000 rows). */
static pthread_once_t configured = PTHREAD_ONCE_INIT;
static void configure(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

enum sc_err sc_db_open(const char *target, struct sc_db **out,
                       struct sc_error *err)
{
    struct sc_db *db = NULL;
    enum sc_err rc = SC_OK;

    if (!target || !target[0])
        return sc_error_set(err, SC_ERR_USAGE, "db", "a database is required");
    if (strncmp(target, "postgresql://", 13) == 0 ||
        strncmp(target, "postgres://", 11) == 0)
        return sc_error_set(err, SC_ERR_USAGE, "db",
                            "the PostgreSQL engine is not available yet; use "
                            "an SQLite file path");
    pthread_once(&configured, configure);
    db = calloc(1, sizeof *db);
    if (!db)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    int src = sqlite3_open_v2(target, &db->h,
                              SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                                  SQLITE_OPEN_NOMUTEX,
                              NULL);
    if (src != SQLITE_OK) {
        rc = map(db, src, err);
        sc_error_prefix_field(err, "db");
        goto out;
    }
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 5000);
    rc = sc_db_journal_mode(db, true, NULL, err);
    if (rc != SC_OK)
        goto out;
    rc = sc_db_exec_script(db,
                           "PRAGMA foreign_keys=ON;"
                           "PRAGMA synchronous=NORMAL;"
                           /* read pages through a memory map instead of
                            * copying each one with pread: the registry's
                            * random look-ups miss the page cache */
                           "PRAGMA mmap_size=1073741824;",
                           err);
    if (rc != SC_OK)
        goto out;
    *out = db;
    db = NULL;
out:
    sc_db_close(db);
    return rc;
}

void sc_db_close(struct sc_db *db)
{
    if (!db)
        return;
    for (size_t i = 0; i < SC_DB_STMT_CACHE; i++)
        sqlite3_finalize(db->cache[i].s);
    sqlite3_close(db->h);
    free(db);
}

enum sc_err sc_db_exec_script(struct sc_db *db, const char *sql,
                              struct sc_error *err)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, &msg);
    sqlite3_free(msg);
    return rc == SQLITE_OK ? SC_OK : map(db, rc, err);
}

enum sc_err sc_db_begin(struct sc_db *db, struct sc_error *err)
{
    enum sc_err rc = sc_db_exec_script(db, "BEGIN IMMEDIATE", err);
    if (rc == SC_OK)
        db->in_tx = true;
    return rc;
}

enum sc_err sc_db_commit(struct sc_db *db, struct sc_error *err)
{
    enum sc_err rc = sc_db_exec_script(db, "COMMIT", err);
    if (rc == SC_OK)
        db->in_tx = false;
    else
        sc_db_rollback(db);
    return rc;
}

void sc_db_rollback(struct sc_db *db)
{
    if (!sqlite3_get_autocommit(db->h))
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    db->in_tx = false;
}

bool sc_db_in_transaction(const struct sc_db *db) { return db->in_tx; }

static size_t slot_of(const char *key)
{
    uintptr_t h = (uintptr_t)key;
    h ^= h >> 17;
    h *= (uintptr_t)0x9E3779B97F4A7C15ull;
    return (size_t)(h % SC_DB_STMT_CACHE);
}

enum sc_err sc_db_prepare(struct sc_db *db, const char *sql,
                          struct sc_stmt **out, struct sc_error *err)
{
    size_t i = slot_of(sql);
    for (size_t probe = 0; probe < SC_DB_STMT_CACHE; probe++) {
        struct sc_stmt *st = &db->cache[(i + probe) % SC_DB_STMT_CACHE];
        if (st->key == sql) {
            *out = st;
            return SC_OK;
        }
        if (st->key == NULL) {
            int rc = sqlite3_prepare_v3(db->h, sql, -1,
                                        SQLITE_PREPARE_PERSISTENT, &st->s, NULL);
            if (rc != SQLITE_OK) {
                st->s = NULL;
                return map(db, rc, err);
            }
            st->key = sql;
            st->db = db;
            st->bind_rc = SQLITE_OK;
            *out = st;
            return SC_OK;
        }
    }
    return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                        "statement cache full (%d)", SC_DB_STMT_CACHE);
}

static void note_bind(struct sc_stmt *st, int rc)
{
    if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK)
        st->bind_rc = rc;
}

void sc_db_bind_int(struct sc_stmt *st, int idx, int64_t v)
{
    note_bind(st, sqlite3_bind_int64(st->s, idx, v));
}

void sc_db_bind_text(struct sc_stmt *st, int idx, const char *s)
{
    if (!s)
        note_bind(st, sqlite3_bind_null(st->s, idx));
    else
        note_bind(st, sqlite3_bind_text(st->s, idx, s, -1, SQLITE_TRANSIENT));
}

void sc_db_bind_blob(struct sc_stmt *st, int idx, const void *p, size_t n)
{
    note_bind(st, sqlite3_bind_blob64(st->s, idx, p ? p : "", (sqlite3_uint64)n,
                                      SQLITE_TRANSIENT));
}

void sc_db_bind_null(struct sc_stmt *st, int idx)
{
    note_bind(st, sqlite3_bind_null(st->s, idx));
}

enum sc_err sc_db_step(struct sc_stmt *st, bool *row, struct sc_error *err)
{
    *row = false;
    if (st->bind_rc != SQLITE_OK)
        return map(st->db, st->bind_rc, err);
    int rc = sqlite3_step(st->s);
    if (rc == SQLITE_ROW) {
        *row = true;
        return SC_OK;
    }
    if (rc == SQLITE_DONE)
        return SC_OK;
    return map(st->db, rc, err);
}

int64_t sc_db_col_int(struct sc_stmt *st, int col)
{
    return sqlite3_column_int64(st->s, col);
}

const char *sc_db_col_text(struct sc_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->s, col);
}

const void *sc_db_col_blob(struct sc_stmt *st, int col, size_t *len)
{
    const void *p = sqlite3_column_blob(st->s, col);
    *len = (size_t)sqlite3_column_bytes(st->s, col);
    return p;
}

bool sc_db_col_is_null(struct sc_stmt *st, int col)
{
    return sqlite3_column_type(st->s, col) == SQLITE_NULL;
}

void sc_db_done(struct sc_stmt *st)
{
    sqlite3_reset(st->s);
    sqlite3_clear_bindings(st->s);
    st->bind_rc = SQLITE_OK;
}

enum sc_err sc_db_finish(struct sc_stmt *st, struct sc_error *err)
{
    bool row = true;
    enum sc_err rc = SC_OK;
    while (row && rc == SC_OK)
        rc = sc_db_step(st, &row, err);
    sc_db_done(st);
    return rc;
}

enum sc_err sc_db_exec_id(struct sc_db *db, const char *sql, int64_t id,
                          const char *text, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    enum sc_err rc = sc_db_prepare(db, sql, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    if (text)
        sc_db_bind_text(s, 2, text);
    return sc_db_finish(s, err);
}

int64_t sc_db_changes(struct sc_db *db) { return sqlite3_changes64(db->h); }

static const char SQL_DATA_VERSION[] = "PRAGMA data_version";

enum sc_err sc_db_data_version(struct sc_db *db, int64_t *out,
                               struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(db, SQL_DATA_VERSION, &s, err);
    if (rc != SC_OK)
        return rc;
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_IO, NULL,
                          "database: PRAGMA data_version gave no row");
    if (rc == SC_OK)
        *out = sc_db_col_int(s, 0);
    sc_db_done(s);
    return rc;
}

int64_t sc_db_total_changes(struct sc_db *db)
{
    return sqlite3_total_changes64(db->h);
}

static const char SQL_JOURNAL_WAL[] = "PRAGMA journal_mode = WAL";
static const char SQL_JOURNAL_DELETE[] = "PRAGMA journal_mode = DELETE";
static const char SQL_JOURNAL_QUERY[] = "PRAGMA journal_mode";

enum sc_err sc_db_journal_mode(struct sc_db *db, bool wal, bool *as_asked,
                               struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false, asked = false;
    /* whatever happens below, the mode is unknown until SQLite answers:
     * no look at the log's index until then */
    db->wal = false;
    enum sc_err rc =
        sc_db_prepare(db, wal ? SQL_JOURNAL_WAL : SQL_JOURNAL_DELETE, &s, err);
    if (rc != SC_OK)
        return rc;
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && row) {
        const char *mode = sc_db_col_text(s, 0);
        db->wal = mode && strcmp(mode, "wal") == 0;
        asked = mode && strcmp(mode, wal ? "wal" : "delete") == 0;
    }
    sc_db_done(s);
    if (rc != SC_OK) { /* e.g. busy: the mode did not change; which is it? */
        struct sc_error ignored;
        if (sc_db_prepare(db, SQL_JOURNAL_QUERY, &s, &ignored) == SC_OK) {
            if (sc_db_step(s, &row, &ignored) == SC_OK && row) {
                const char *mode = sc_db_col_text(s, 0);
                db->wal = mode && strcmp(mode, "wal") == 0;
            }
            sc_db_done(s);
        }
    }
    if (as_asked)
        *as_asked = asked;
    return rc;
}

/*
 * The wal-index header (SQLite's file format, "WAL-index format": the
 * first 136 bytes of the -shm file's first 32 KiB region) holds two
 * copies of a 48-byte header. A writer updates the second copy, then,
 * after a memory barrier, the first; SQLite's own readers read the first,
 * then after a barrier the second, and trust the header only when the two
 * agree and its isInit byte (offset 12) is set. Every commit changes it
 * (the change counter iChange, the last valid frame mxFrame, and on a
 * restarted log the salts). The region is reached through the VFS's
 * documented xShmMap method of the database file (obtained with
 * SQLITE_FCNTL_FILE_POINTER), with bExtend 0, only on a connection whose
 * log is open (db->wal), so nothing is created or locked here.
 */
bool sc_db_wal_mark(struct sc_db *db, struct sc_db_mark *out)
{
    enum { HDR = sizeof out->b };
    sqlite3_file *f = NULL;
    volatile void *region = NULL;

    if (!db->wal || db->in_tx ||
        sqlite3_file_control(db->h, "main", SQLITE_FCNTL_FILE_POINTER, &f) !=
            SQLITE_OK ||
        !f || !f->pMethods || f->pMethods->iVersion < 2 ||
        !f->pMethods->xShmMap)
        return false;
    if (f->pMethods->xShmMap(f, 0, 32768, 0, &region) != SQLITE_OK || !region)
        return false;
    const volatile unsigned char *hdr = region;
    unsigned char first[HDR], second[HDR];
    for (size_t i = 0; i < HDR; i++)
        first[i] = hdr[i];
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    for (size_t i = 0; i < HDR; i++)
        second[i] = hdr[HDR + i];
    if (memcmp(first, second, HDR) != 0 || first[12] == 0)
        return false; /* being written, or never initialised */
    memcpy(out->b, first, HDR);
    return true;
}
