/*
 * test_mandays: audit time (domain.md section 3) under the bundled scheme.
 * Every expected figure is worked by hand from the rulebook's table, in
 * half days (8.5 man-days -> 17). Covers every band boundary, the started
 * blocks beyond the table, outlet sampling rounding (exact where f * sqrt(n)
 * is a whole number), the reduction's rounding to half days (a quarter day
 * rounds up), and refused input. Not for: parsing the scheme (test_scheme).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "core/mandays.h"

static struct sc_scheme scheme;

static int setup(void **state)
{
    (void)state;
    struct sc_error e;
    return sc_scheme_load_default(&scheme, &e) == SC_OK ? 0 : -1;
}

static struct sc_mandays compute_ok(enum sc_audit_type type, int64_t employees,
                                    int64_t outlets, int reduce)
{
    struct sc_mandays_request req = {type, employees, outlets, reduce,
                                     reduce > 0};
    struct sc_mandays m;
    struct sc_error e;
    sc_error_clear(&e);
    enum sc_err rc = sc_mandays_compute(&scheme, &req, &m, &e);
    if (rc != SC_OK)
        fail_msg("%s %lld employees %lld outlets -%d%%: %s: %s",
                 sc_audit_type_name(type), (long long)employees,
                 (long long)outlets, reduce, e.field, e.message);
    return m;
}

/* ---- audit types -------------------------------------------------------- */

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(sc_audit_type_name(SC_AUDIT_INITIAL), "initial");
    assert_string_equal(sc_audit_type_name(SC_AUDIT_SURVEILLANCE),
                        "surveillance");
    assert_string_equal(sc_audit_type_name(SC_AUDIT_RECERTIFICATION),
                        "recertification");
    assert_string_equal(sc_audit_type_name((enum sc_audit_type)3), "unknown");
    assert_string_equal(sc_audit_type_name((enum sc_audit_type) - 1),
                        "unknown");

    enum sc_audit_type t = SC_AUDIT_INITIAL;
    struct sc_error e;
    assert_int_equal(sc_audit_type_parse("surveillance", "type", &t, &e),
                     SC_OK);
    assert_int_equal(t, SC_AUDIT_SURVEILLANCE);
    assert_int_equal(sc_audit_type_parse("recertification", "type", &t, &e),
                     SC_OK);
    assert_int_equal(t, SC_AUDIT_RECERTIFICATION);
    assert_int_equal(sc_audit_type_parse("initial", "type", &t, &e), SC_OK);
    assert_int_equal(t, SC_AUDIT_INITIAL);

    const char *bad[] = {"Initial",     "initial ", "",
                         "surveilance", "upgrade",  "unknown"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        t = SC_AUDIT_SURVEILLANCE;
        sc_error_clear(&e);
        assert_int_equal(sc_audit_type_parse(bad[i], "type", &t, &e),
                         SC_ERR_INVALID);
        assert_string_equal(e.field, "type");
        assert_int_equal(t, SC_AUDIT_SURVEILLANCE); /* untouched */
    }
    assert_int_equal(sc_audit_type_parse(NULL, "type", &t, &e), SC_ERR_INVALID);
    /* the message quotes only printable ASCII input */
    assert_int_equal(sc_audit_type_parse("annual", "type", &t, &e),
                     SC_ERR_INVALID);
    assert_non_null(strstr(e.message, "\"annual\""));
    assert_int_equal(sc_audit_type_parse("\xe4x", "type", &t, &e),
                     SC_ERR_INVALID);
    assert_null(strchr(e.message, '\xe4'));
}

/* ---- the band table ----------------------------------------------------- */

/* domain.md section 3, half days: max, initial, planning, surveillance,
 * recertification. */
static const int64_t table[21][5] = {
    {10, 6, 2, 3, 4},      {25, 8, 2, 3, 5},      {45, 12, 2, 4, 8},
    {65, 13, 3, 4, 8},     {85, 15, 3, 5, 9},     {125, 17, 3, 6, 10},
    {175, 19, 3, 7, 12},   {275, 21, 3, 8, 14},   {425, 23, 3, 9, 15},
    {625, 25, 3, 9, 16},   {875, 27, 3, 10, 18},  {1175, 29, 3, 11, 19},
    {1550, 32, 4, 11, 20}, {2025, 34, 4, 12, 22}, {2675, 36, 4, 13, 24},
    {3450, 38, 4, 13, 24}, {4350, 42, 6, 14, 26}, {5450, 44, 6, 15, 27},
    {6800, 46, 6, 15, 28}, {8500, 48, 6, 16, 30}, {10700, 50, 6, 17, 32},
};

static void check_row(int64_t employees, int row)
{
    struct sc_mandays m = compute_ok(SC_AUDIT_INITIAL, employees, 0, 0);
    assert_int_equal(m.band, row);
    assert_int_equal(m.beyond_blocks, 0);
    assert_int_equal(m.base_halves, table[row][1]);
    assert_int_equal(m.total_halves, table[row][1]);
    assert_int_equal(m.planning_halves, table[row][2]);
    assert_int_equal(m.onsite_halves, table[row][1] - table[row][2]);
    assert_int_equal(m.outlets_visited, 0);
    assert_int_equal(m.outlet_halves, 0);

    m = compute_ok(SC_AUDIT_SURVEILLANCE, employees, 0, 0);
    assert_int_equal(m.base_halves, table[row][3]);
    assert_int_equal(m.total_halves, table[row][3]);
    assert_int_equal(m.planning_halves, 0);
    assert_int_equal(m.onsite_halves, table[row][3]);

    m = compute_ok(SC_AUDIT_RECERTIFICATION, employees, 0, 0);
    assert_int_equal(m.base_halves, table[row][4]);
    assert_int_equal(m.total_halves, table[row][4]);
    assert_int_equal(m.planning_halves, 0);
    assert_int_equal(m.onsite_halves, table[row][4]);
}

static void test_every_band_boundary(void **state)
{
    (void)state;
    check_row(1, 0);
    for (int row = 0; row < 21; row++) {
        int64_t min = row == 0 ? 1 : table[row - 1][0] + 1;
        check_row(min, row);
        check_row(table[row][0], row);
        if (row < 20)
            check_row(table[row][0] + 1, row + 1);
    }
    /* a few spelled out, days: 10 -> 3, 11 -> 4, 8500 -> 24, 8501 -> 25 */
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 10, 0, 0).total_halves, 6);
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 11, 0, 0).total_halves, 8);
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 8501, 0, 0).total_halves, 50);
    assert_int_equal(compute_ok(SC_AUDIT_SURVEILLANCE, 8501, 0, 0).total_halves,
                     17);
    assert_int_equal(
        compute_ok(SC_AUDIT_RECERTIFICATION, 10700, 0, 0).total_halves, 32);
}

static void test_beyond_the_table(void **state)
{
    (void)state;
    /* 10,701 .. 12,700 is the first started block of 2,000: +1 day initial,
     * +0.5 surveillance and recertification */
    static const struct {
        int64_t employees;
        int64_t blocks;
        int initial, surveillance, recertification;
    } want[] = {
        {10701, 1, 52, 18, 33},
        {12700, 1, 52, 18, 33},
        {12701, 2, 54, 19, 34},
        {14700, 2, 54, 19, 34},
        {14701, 3, 56, 20, 35},
        {100000, 45, 140, 62, 77},
        /* ceil((10,000,000 - 10,700) / 2,000) = 4,995 blocks */
        {10000000, 4995, 50 + 2 * 4995, 17 + 4995, 32 + 4995},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        struct sc_mandays m =
            compute_ok(SC_AUDIT_INITIAL, want[i].employees, 0, 0);
        assert_int_equal(m.band, 20);
        assert_int_equal(m.beyond_blocks, want[i].blocks);
        assert_int_equal(m.total_halves, want[i].initial);
        assert_int_equal(m.planning_halves, 6); /* the last band's 3 days */
        assert_int_equal(m.onsite_halves, want[i].initial - 6);
        m = compute_ok(SC_AUDIT_SURVEILLANCE, want[i].employees, 0, 0);
        assert_int_equal(m.total_halves, want[i].surveillance);
        m = compute_ok(SC_AUDIT_RECERTIFICATION, want[i].employees, 0, 0);
        assert_int_equal(m.total_halves, want[i].recertification);
    }
}

/* ---- outlets ------------------------------------------------------------ */

static void test_outlet_rounding(void **state)
{
    (void)state;
    /* n, then ceil(sqrt n), ceil(0.6 sqrt n), ceil(0.8 sqrt n) by hand */
    static const int64_t want[][4] = {
        {0, 0, 0, 0},       {1, 1, 1, 1}, /* 1, 0.6, 0.8 */
        {2, 2, 1, 2},                     /* 1.414, 0.849, 1.131 */
        {4, 2, 2, 2},                     /* 2, 1.2, 1.6 */
        {5, 3, 2, 2},                     /* 2.236, 1.342, 1.789 */
        {9, 3, 2, 3},                     /* 3, 1.8, 2.4 */
        {10, 4, 2, 3},                    /* 3.162, 1.897, 2.530 */
        {16, 4, 3, 4},                    /* 4, 2.4, 3.2 */
        {25, 5, 3, 4},                    /* 5, 3 exactly, 4 exactly */
        {26, 6, 4, 5},                    /* 5.099, 3.059, 4.079 */
        {100, 10, 6, 8},                  /* 10, 6 exactly, 8 exactly */
        {101, 11, 7, 9},                  /* 10.05, 6.03, 8.04 */
        {2500, 50, 30, 40},               /* exact */
        {2501, 51, 31, 41}, {1000000, 1000, 600, 800},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int64_t n = want[i][0];
        assert_int_equal(sc_mandays_outlets_visited(10, n), want[i][1]);
        assert_int_equal(sc_mandays_outlets_visited(6, n), want[i][2]);
        assert_int_equal(sc_mandays_outlets_visited(8, n), want[i][3]);
        /* and through the whole computation, 0.5 day per visit */
        struct sc_mandays m = compute_ok(SC_AUDIT_INITIAL, 10, n, 0);
        assert_int_equal(m.outlets_visited, want[i][1]);
        assert_int_equal(m.outlet_halves, want[i][1]);
        assert_int_equal(m.total_halves, 6 + want[i][1]);
        m = compute_ok(SC_AUDIT_SURVEILLANCE, 10, n, 0);
        assert_int_equal(m.outlets_visited, want[i][2]);
        assert_int_equal(m.total_halves, 3 + want[i][2]);
        m = compute_ok(SC_AUDIT_RECERTIFICATION, 10, n, 0);
        assert_int_equal(m.outlets_visited, want[i][3]);
        assert_int_equal(m.total_halves, 4 + want[i][3]);
    }
    /* other factors: 0.7 * sqrt(100) = 7 exactly, 1.5 * sqrt(4) = 3 */
    assert_int_equal(sc_mandays_outlets_visited(7, 100), 7);
    assert_int_equal(sc_mandays_outlets_visited(15, 4), 3);
    assert_int_equal(sc_mandays_outlets_visited(1, 1), 1);
    assert_int_equal(sc_mandays_outlets_visited(1000, 1000000), 100000);
    /* out of range */
    assert_int_equal(sc_mandays_outlets_visited(6, -1), -1);
    assert_int_equal(sc_mandays_outlets_visited(6, 1000001), -1);
    assert_int_equal(sc_mandays_outlets_visited(0, 4), -1);
    assert_int_equal(sc_mandays_outlets_visited(1001, 4), -1);
}

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static uint64_t xorshift(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* For every factor and many n: v is the least whole number of visits not
 * below f * sqrt(n), so 100 v^2 >= f^2 n > 100 (v - 1)^2, and it agrees with
 * a floating-point ceiling wherever that is not within rounding of a whole
 * number. */
static void test_outlet_property(void **state)
{
    (void)state;
    for (int f = 1; f <= 100; f++) {
        int64_t prev = 0;
        for (int64_t n = 0; n <= 3000; n++) {
            int64_t v = sc_mandays_outlets_visited(f, n);
            int64_t t = (int64_t)f * f * n;
            assert_true(100 * v * v >= t);
            assert_true(v == 0 || 100 * (v - 1) * (v - 1) < t);
            assert_true(v >= prev); /* more outlets, never fewer visits */
            prev = v;
            double x = f / 10.0 * sqrt((double)n);
            if (fabs(x - round(x)) > 1e-6)
                assert_int_equal(v, (int64_t)ceil(x));
        }
    }
    for (int i = 0; i < 5000; i++) {
        int f = (int)(xorshift() % 100) + 1;
        int64_t n = (int64_t)(xorshift() % 1000001);
        int64_t v = sc_mandays_outlets_visited(f, n);
        int64_t t = (int64_t)f * f * n;
        assert_true(100 * v * v >= t);
        assert_true(v == 0 || 100 * (v - 1) * (v - 1) < t);
    }
}

/* ---- reduction ---------------------------------------------------------- */

static void test_reduction_rounding(void **state)
{
    (void)state;
    struct sc_mandays m;
    /* 3 days less 30 % = 2.1 days -> 2.0 */
    m = compute_ok(SC_AUDIT_INITIAL, 10, 0, 30);
    assert_int_equal(m.reduction_percent, 30);
    assert_int_equal(m.base_halves, 6);
    assert_int_equal(m.total_halves, 4);
    assert_int_equal(m.planning_halves, 2);
    assert_int_equal(m.onsite_halves, 2);
    /* 3 days less 25 % = 2.25 days, exactly a quarter: up to 2.5 */
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 10, 0, 25).total_halves, 5);
    /* 3 days less 26 % = 2.22 -> 2.0; less 24 % = 2.28 -> 2.5 */
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 10, 0, 26).total_halves, 4);
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 10, 0, 24).total_halves, 5);
    /* 3 days less 10 % = 2.7 -> 2.5; less 1 % = 2.97 -> 3.0 */
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 10, 0, 10).total_halves, 5);
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 10, 0, 1).total_halves, 6);
    /* 3 + 4 outlets x 0.5 (16 outlets) = 5 days; less 25 % = 3.75, exactly
     * three quarters: up to 4.0; less 26 % = 3.7 -> 3.5; less 24 % = 3.8 ->
     * 4.0 */
    m = compute_ok(SC_AUDIT_INITIAL, 10, 16, 25);
    assert_int_equal(m.base_halves, 6);
    assert_int_equal(m.outlet_halves, 4);
    assert_int_equal(m.total_halves, 8);
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 10, 16, 26).total_halves, 7);
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 10, 16, 24).total_halves, 8);
    /* surveillance 1.5 + 2 visits (4 outlets) = 2.5 days; less 10 % =
     * 2.25 -> 2.5; less 30 % = 1.75 -> 2.0 */
    m = compute_ok(SC_AUDIT_SURVEILLANCE, 10, 4, 10);
    assert_int_equal(m.total_halves, 5);
    assert_int_equal(m.planning_halves, 0);
    assert_int_equal(m.onsite_halves, 5);
    assert_int_equal(compute_ok(SC_AUDIT_SURVEILLANCE, 10, 4, 30).total_halves,
                     4);
    /* surveillance 1.5 days less 30 % = 1.05 -> 1.0 */
    assert_int_equal(compute_ok(SC_AUDIT_SURVEILLANCE, 1, 0, 30).total_halves,
                     2);
    /* 25 days less 30 % = 17.5 exactly */
    m = compute_ok(SC_AUDIT_INITIAL, 10700, 0, 30);
    assert_int_equal(m.total_halves, 35);
    assert_int_equal(m.planning_halves, 6);
    assert_int_equal(m.onsite_halves, 29);
    /* 8.5 days (86 employees) less 15 % = 7.225 -> 7.0 */
    assert_int_equal(compute_ok(SC_AUDIT_INITIAL, 86, 0, 15).total_halves, 14);
}

/* The rounding rule as a property: |100 total - sum (100 - r)| <= 50 half
 * days, and a tie (exactly 50) always lies below the total. */
static void test_reduction_property(void **state)
{
    (void)state;
    for (int i = 0; i < 20000; i++) {
        enum sc_audit_type type = (enum sc_audit_type)(xorshift() % 3);
        int64_t emp = (int64_t)(xorshift() % 20000) + 1;
        int64_t outlets = (int64_t)(xorshift() % 500);
        int r = (int)(xorshift() % 31);
        struct sc_mandays m = compute_ok(type, emp, outlets, r);
        int64_t sum = (int64_t)m.base_halves + m.outlet_halves;
        int64_t diff = 100 * (int64_t)m.total_halves - sum * (100 - r);
        assert_true(diff > -50 && diff <= 50);
        assert_int_equal(m.planning_halves + m.onsite_halves, m.total_halves);
        assert_true(m.planning_halves <= m.total_halves);
        if (type != SC_AUDIT_INITIAL)
            assert_int_equal(m.planning_halves, 0);
        /* more employees never mean less audit time */
        struct sc_mandays more = compute_ok(type, emp + 1, outlets, r);
        assert_true(more.total_halves >= m.total_halves);
        /* no reduction means no rounding */
        struct sc_mandays full = compute_ok(type, emp, outlets, 0);
        assert_int_equal(full.total_halves, sum);
    }
}

static void test_planning_capped_by_total(void **state)
{
    (void)state;
    struct sc_scheme s = scheme;
    s.bands[0].planning_halves = 6; /* a CB's file: planning = whole audit */
    struct sc_mandays_request req = {SC_AUDIT_INITIAL, 5, 0, 30, true};
    struct sc_mandays m;
    struct sc_error e;
    assert_int_equal(sc_mandays_compute(&s, &req, &m, &e), SC_OK);
    assert_int_equal(m.total_halves, 4);
    assert_int_equal(m.planning_halves, 4);
    assert_int_equal(m.onsite_halves, 0);
}

/* ---- refused input ------------------------------------------------------ */

static void expect_refused(enum sc_audit_type type, int64_t employees,
                           int64_t outlets, int reduce, bool justified,
                           const char *field)
{
    struct sc_mandays_request req = {type, employees, outlets, reduce,
                                     justified};
    struct sc_mandays m;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_mandays_compute(&scheme, &req, &m, &e), SC_ERR_INVALID);
    assert_int_equal(e.code, SC_ERR_INVALID);
    assert_string_equal(e.field, field);
    assert_true(e.message[0] != '\0');
}

static void test_bad_input(void **state)
{
    (void)state;
    expect_refused(SC_AUDIT_INITIAL, 0, 0, 0, false, "employees");
    expect_refused(SC_AUDIT_INITIAL, -5, 0, 0, false, "employees");
    expect_refused(SC_AUDIT_INITIAL, 10000001, 0, 0, false, "employees");
    expect_refused(SC_AUDIT_INITIAL, INT64_MAX, 0, 0, false, "employees");
    expect_refused(SC_AUDIT_INITIAL, 10, -1, 0, false, "outlets");
    expect_refused(SC_AUDIT_INITIAL, 10, 1000001, 0, false, "outlets");
    expect_refused(SC_AUDIT_INITIAL, 10, 0, 31, true, "reduce");
    expect_refused(SC_AUDIT_INITIAL, 10, 0, 31, false, "reduce");
    expect_refused(SC_AUDIT_INITIAL, 10, 0, 100, true, "reduce");
    expect_refused(SC_AUDIT_INITIAL, 10, 0, -1, true, "reduce");
    expect_refused(SC_AUDIT_INITIAL, 10, 0, 10, false, "reason");
    expect_refused(SC_AUDIT_SURVEILLANCE, 10, 0, 1, false, "reason");
    expect_refused((enum sc_audit_type)3, 10, 0, 0, false, "type");
    expect_refused((enum sc_audit_type) - 1, 10, 0, 0, false, "type");

    /* the limits themselves are accepted; no reduction needs no reason */
    compute_ok(SC_AUDIT_INITIAL, 10000000, 1000000, 30);
    struct sc_mandays_request req = {SC_AUDIT_INITIAL, 10, 0, 0, false};
    struct sc_mandays m;
    struct sc_error e;
    assert_int_equal(sc_mandays_compute(&scheme, &req, &m, &e), SC_OK);
    assert_int_equal(m.total_halves, 6);

    /* a scheme that allows no reduction refuses 1 % */
    struct sc_scheme s = scheme;
    s.reduction_max_percent = 0;
    req.reduce_percent = 1;
    req.justified = true;
    sc_error_clear(&e);
    assert_int_equal(sc_mandays_compute(&s, &req, &m, &e), SC_ERR_INVALID);
    assert_string_equal(e.field, "reduce");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_every_band_boundary),
        cmocka_unit_test(test_beyond_the_table),
        cmocka_unit_test(test_outlet_rounding),
        cmocka_unit_test(test_outlet_property),
        cmocka_unit_test(test_reduction_rounding),
        cmocka_unit_test(test_reduction_property),
        cmocka_unit_test(test_planning_capped_by_total),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
