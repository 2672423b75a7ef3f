/*
 * store: opening a database, migrating its schema, the scheme registry and
 * transactions. Engine-neutral: SQL goes through db.h.
 */
#include "store/store.h"

#include <assert.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/embedded.h"

struct sc_store {
    struct sc_db *db;
    int applied;
};

struct sc_db *sc_store_db(struct sc_store *st) { return st->db; }

int sc_store_migrations_applied(const struct sc_store *st)
{
    return st->applied;
}

/* The version a migration file stands for: its leading number
 * ("0004_applications.sql" -> 4). Numbers may leave gaps but must rise. */
static int migration_version(const struct sc_embedded *m)
{
    int v = 0;
    for (const char *p = m->name; *p >= '0' && *p <= '9' && v < 100000; p++)
        v = v * 10 + (*p - '0');
    return v;
}

int sc_store_schema_latest(void)
{
    return sc_migrations_count
               ? migration_version(&sc_migrations[sc_migrations_count - 1])
               : 0;
}

static const char SQL_MIGRATIONS_TABLE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
static const char SQL_MIGRATIONS_MAX[] =
    "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char SQL_MIGRATIONS_HAS_TABLE[] =
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = "
    "'schema_migrations'";
static const char SQL_MIGRATION_RECORD[] =
    "INSERT INTO schema_migrations (version, name, applied_at) "
    "VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";

static enum sc_err query_int(struct sc_db *db, const char *sql, int64_t *v,
                             struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(db, sql, &s, err);
    if (rc != SC_OK)
        return rc;
    rc = sc_db_step(s, &row, err);
    *v = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    return rc;
}

enum sc_err sc_store_schema_version(struct sc_store *st, int *version,
                                    struct sc_error *err)
{
    int64_t has = 0, v = 0;
    enum sc_err rc = query_int(st->db, SQL_MIGRATIONS_HAS_TABLE, &has, err);
    if (rc == SC_OK && has)
        rc = query_int(st->db, SQL_MIGRATIONS_MAX, &v, err);
    *version = (int)v;
    return rc;
}

/* Applies every migration newer than the database, each in its own
 * transaction together with its schema_migrations row. */
static enum sc_err migrate(struct sc_store *st, struct sc_error *err)
{
    int current = 0;
    enum sc_err rc = sc_db_exec_script(st->db, SQL_MIGRATIONS_TABLE, err);
    if (rc == SC_OK)
        rc = sc_store_schema_version(st, &current, err);
    for (size_t i = 0; rc == SC_OK && i < sc_migrations_count; i++) {
        const struct sc_embedded *m = &sc_migrations[i];
        struct sc_stmt *s = NULL;
        int version = migration_version(m);
        assert(version > 0 &&
               (i == 0 || version > migration_version(&sc_migrations[i - 1])));
        if (version <= current)
            continue;
        rc = sc_db_begin(st->db, err);
        if (rc != SC_OK)
            break;
        rc = sc_db_exec_script(st->db, m->text, err);
        if (rc == SC_OK)
            rc = sc_db_prepare(st->db, SQL_MIGRATION_RECORD, &s, err);
        if (rc == SC_OK) {
            sc_db_bind_int(s, 1, version);
            sc_db_bind_text(s, 2, m->name);
            rc = sc_db_finish(s, err);
        }
        if (rc == SC_OK)
            rc = sc_db_commit(st->db, err);
        if (rc != SC_OK) {
            sc_db_rollback(st->db);
            sc_error_prefix_field(err, m->name);
            break;
        }
        st->applied++;
    }
    return rc;
}

enum sc_err sc_store_open(const char *target, bool create,
                          struct sc_store **out, struct sc_error *err)
{
    struct sc_store *st = NULL;
    enum sc_err rc = SC_OK;

    if (sodium_init() < 0)
        return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                            "the crypto library failed to start");
    if (!target || !target[0])
        return sc_error_set(err, SC_ERR_USAGE, "db", "a database is required");
    /* access(), not fopen(): closing any descriptor of a database file
     * drops every POSIX lock this process holds on it, including those of
     * the other threads' open SQLite connections. */
    if (!create && strstr(target, "://") == NULL && access(target, F_OK) != 0)
        return sc_error_set(err, SC_ERR_STATE, "db",
                            "no database at %s: run `starcert init --db %s` "
                            "first",
                            target, target);
    st = calloc(1, sizeof *st);
    if (!st)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    rc = sc_db_open(target, &st->db, err);
    if (rc != SC_OK)
        goto out;
    if (create) {
        rc = migrate(st, err);
    } else {
        int v = 0;
        rc = sc_store_schema_version(st, &v, err);
        if (rc == SC_OK && v != sc_store_schema_latest())
            rc = sc_error_set(err, SC_ERR_STATE, "db",
                              "the database schema is version %d, this program "
                              "needs %d: run `starcert init --db %s`",
                              v, sc_store_schema_latest(), target);
    }
    if (rc != SC_OK)
        goto out;
    *out = st;
    st = NULL;
out:
    sc_store_close(st);
    return rc;
}

void sc_store_close(struct sc_store *st)
{
    if (!st)
        return;
    sc_db_close(st->db);
    free(st);
}

enum sc_err sc_store_begin(struct sc_store *st, struct sc_error *err)
{
    return sc_db_begin(st->db, err);
}

enum sc_err sc_store_commit(struct sc_store *st, struct sc_error *err)
{
    return sc_db_commit(st->db, err);
}

void sc_store_rollback(struct sc_store *st) { sc_db_rollback(st->db); }

bool sc_store_in_transaction(struct sc_store *st)
{
    return sc_db_in_transaction(st->db);
}

enum sc_err sc_store_tx_begin(struct sc_store *st, bool *own,
                              struct sc_error *err)
{
    *own = !sc_db_in_transaction(st->db);
    return *own ? sc_db_begin(st->db, err) : SC_OK;
}

enum sc_err sc_store_tx_end(struct sc_store *st, bool own, enum sc_err rc,
                            struct sc_error *err)
{
    if (!own)
        return rc;
    if (rc == SC_OK)
        return sc_db_commit(st->db, err);
    sc_db_rollback(st->db);
    return rc;
}

static const char SQL_SCHEME_GET_SHA[] =
    "SELECT sha256 FROM schemes WHERE id = ?1 AND version = ?2";
static const char SQL_SCHEME_INSERT[] =
    "INSERT INTO schemes (id, version, body, sha256, loaded_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_SCHEME_BODY[] =
    "SELECT body FROM schemes WHERE id = ?1 AND version = ?2";

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(out, 65, h, sizeof h);
}

enum sc_err sc_store_scheme_load(struct sc_store *st, const struct sc_clock *clk,
                                 const char *json, size_t len, bool *added,
                                 struct sc_error *err)
{
    struct sc_scheme *sch = NULL;
    struct sc_stmt *s = NULL;
    char hex[65];
    char *text = NULL;
    bool row = false;
    bool own_tx = !sc_db_in_transaction(st->db);
    enum sc_err rc;

    if (added)
        *added = false;
    sch = malloc(sizeof *sch);
    text = malloc(len + 1);
    if (!sch || !text) {
        rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    memcpy(text, json, len);
    text[len] = '\0';
    if (strlen(text) != len) {
        rc = sc_error_set(err, SC_ERR_SCHEME, "", "the scheme file holds a NUL byte");
        goto out;
    }
    rc = sc_scheme_parse(json, len, sch, err);
    if (rc != SC_OK)
        goto out;
    sha256_hex(json, len, hex);
    if (own_tx && (rc = sc_db_begin(st->db, err)) != SC_OK)
        goto out;
    rc = sc_db_prepare(st->db, SQL_SCHEME_GET_SHA, &s, err);
    if (rc != SC_OK)
        goto out;
    sc_db_bind_text(s, 1, sch->id);
    sc_db_bind_text(s, 2, sch->version);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && row) {
        bool same = strcmp(sc_db_col_text(s, 0), hex) == 0;
        sc_db_done(s);
        if (!same)
            rc = sc_error_set(err, SC_ERR_CONFLICT, "version",
                              "scheme %s version %s is already stored with "
                              "other content; give the changed file a new "
                              "version",
                              sch->id, sch->version);
        goto out;
    }
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    rc = sc_db_prepare(st->db, SQL_SCHEME_INSERT, &s, err);
    if (rc != SC_OK)
        goto out;
    sc_db_bind_text(s, 1, sch->id);
    sc_db_bind_text(s, 2, sch->version);
    sc_db_bind_text(s, 3, text);
    sc_db_bind_text(s, 4, hex);
    sc_db_bind_text(s, 5, clk->now);
    rc = sc_db_finish(s, err);
    if (rc == SC_OK) {
        json_t *detail = json_pack("{s:s, s:s, s:s}", "id", sch->id,
                                   "version", sch->version, "sha256", hex);
        rc = detail ? sc_events_append(st, clk, 0, "scheme.load", "scheme", 0,
                                       detail, err)
                    : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        json_decref(detail);
    }
    if (rc == SC_OK && added)
        *added = true;
out:
    if (own_tx) {
        if (rc == SC_OK)
            rc = sc_db_commit(st->db, err);
        else
            sc_db_rollback(st->db);
    }
    free(text);
    free(sch);
    return rc;
}

enum sc_err sc_store_scheme_get(struct sc_store *st, const char *id,
                                const char *version, struct sc_scheme *out,
                                struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(st->db, SQL_SCHEME_BODY, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, id);
    sc_db_bind_text(s, 2, version);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "scheme",
                          "no scheme %s version %s", id, version);
    if (rc == SC_OK) {
        const char *body = sc_db_col_text(s, 0);
        rc = sc_scheme_parse(body, strlen(body), out, err);
    }
    sc_db_done(s);
    return rc;
}
