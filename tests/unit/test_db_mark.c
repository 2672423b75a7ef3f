/*
 * test_db_mark: sc_db_wal_mark, the free "has anyone committed?" question
 * the registry cache asks before every look-up. Two real connections to
 * one SQLite file: a commit by either (and only a commit) changes the
 * other's mark; no mark is taken where it could be wrong (an in-memory
 * database, a rollback journal, inside a transaction). The cache built on
 * it is tested over HTTP (tests/api/test_registry_cache.test.mjs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

struct fixture {
    char dir[64];
    char path[96];
    struct sc_db *a, *b;
};

static void exec_ok(struct sc_db *db, const char *sql)
{
    struct sc_error err;
    sc_error_clear(&err);
    assert_int_equal(sc_db_exec_script(db, sql, &err), SC_OK);
}

static int64_t version(struct sc_db *db)
{
    struct sc_error err;
    int64_t v = -1;
    sc_error_clear(&err);
    assert_int_equal(sc_db_data_version(db, &v, &err), SC_OK);
    return v;
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct sc_error err;
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/sc_mark_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    sc_error_clear(&err);
    if (sc_db_open(f->path, &f->a, &err) != SC_OK ||
        sc_db_open(f->path, &f->b, &err) != SC_OK)
        return -1;
    exec_ok(f->a, "CREATE TABLE t (x INTEGER)");
    (void)version(f->a); /* each connection has read: its log is open */
    (void)version(f->b);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[128];
    sc_db_close(f->a);
    sc_db_close(f->b);
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void same_without_commit(void **state)
{
    struct fixture *f = *state;
    struct sc_db_mark m1, m2;
    assert_true(sc_db_wal_mark(f->a, &m1));
    assert_true(sc_db_wal_mark(f->a, &m2));
    assert_memory_equal(m1.b, m2.b, sizeof m1.b);
    /* reads, on either connection, change nothing */
    (void)version(f->b);
    exec_ok(f->b, "SELECT count(*) FROM t");
    assert_true(sc_db_wal_mark(f->a, &m2));
    assert_memory_equal(m1.b, m2.b, sizeof m1.b);
    /* both connections map the same index */
    assert_true(sc_db_wal_mark(f->b, &m2));
    assert_memory_equal(m1.b, m2.b, sizeof m1.b);
}

static void every_commit_moves_it(void **state)
{
    struct fixture *f = *state;
    struct sc_db_mark before, after;
    for (int i = 0; i < 50; i++) {
        struct sc_db *writer = i % 2 ? f->a : f->b;
        assert_true(sc_db_wal_mark(f->a, &before));
        exec_ok(writer, "INSERT INTO t VALUES (1)");
        assert_true(sc_db_wal_mark(f->a, &after));
        assert_memory_not_equal(before.b, after.b, sizeof before.b);
    }
    /* a transaction that ends in a rollback commits nothing */
    assert_true(sc_db_wal_mark(f->a, &before));
    exec_ok(f->b, "BEGIN IMMEDIATE; INSERT INTO t VALUES (2); ROLLBACK");
    assert_true(sc_db_wal_mark(f->a, &after));
    assert_memory_equal(before.b, after.b, sizeof before.b);
}

static void a_restarted_log_is_a_change(void **state)
{
    struct fixture *f = *state;
    struct sc_db_mark before, after;
    exec_ok(f->b, "INSERT INTO t VALUES (3)");
    /* copy the log into the database and start it again from frame 0 */
    exec_ok(f->b, "PRAGMA wal_checkpoint(RESTART)");
    (void)version(f->a);
    assert_true(sc_db_wal_mark(f->a, &before));
    exec_ok(f->b, "INSERT INTO t VALUES (4)"); /* writes at frame 1 again */
    assert_true(sc_db_wal_mark(f->a, &after));
    assert_memory_not_equal(before.b, after.b, sizeof before.b);
    /* and the full question agrees */
    int64_t v1 = version(f->a);
    exec_ok(f->b, "INSERT INTO t VALUES (5)");
    assert_int_not_equal(version(f->a), v1);
}

static void no_mark_inside_a_transaction(void **state)
{
    struct fixture *f = *state;
    struct sc_db_mark m;
    struct sc_error err;
    sc_error_clear(&err);
    assert_int_equal(sc_db_begin(f->a, &err), SC_OK);
    assert_false(sc_db_wal_mark(f->a, &m));
    assert_int_equal(sc_db_commit(f->a, &err), SC_OK);
    assert_true(sc_db_wal_mark(f->a, &m));
}

static void no_mark_without_a_log(void **state)
{
    struct fixture *f = *state;
    struct sc_db_mark m;
    struct sc_error err;
    bool asked = true;
    sc_error_clear(&err);

    /* another connection is open: SQLite refuses (busy) and keeps the log */
    enum sc_err rc = sc_db_journal_mode(f->a, false, &asked, &err);
    assert_true(rc == SC_OK || rc == SC_ERR_STATE); /* busy */
    assert_false(asked);
    assert_true(sc_db_wal_mark(f->a, &m));

    /* alone, the connection leaves WAL: no mark until it is back */
    sc_db_close(f->b);
    f->b = NULL;
    assert_int_equal(sc_db_journal_mode(f->a, false, &asked, &err), SC_OK);
    assert_true(asked);
    assert_false(sc_db_wal_mark(f->a, &m));
    exec_ok(f->a, "INSERT INTO t VALUES (6)");
    assert_false(sc_db_wal_mark(f->a, &m));
    assert_int_equal(sc_db_journal_mode(f->a, true, &asked, &err), SC_OK);
    assert_true(asked);
    (void)version(f->a);
    assert_true(sc_db_wal_mark(f->a, &m));
    assert_int_equal(sc_db_open(f->path, &f->b, &err), SC_OK);

    /* an in-memory database has no log index */
    struct sc_db *mem = NULL;
    assert_int_equal(sc_db_open(":memory:", &mem, &err), SC_OK);
    exec_ok(mem, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
    assert_false(sc_db_wal_mark(mem, &m));
    sc_db_close(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(same_without_commit, setup, teardown),
        cmocka_unit_test_setup_teardown(every_commit_moves_it, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_restarted_log_is_a_change, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(no_mark_inside_a_transaction, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(no_mark_without_a_log, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
