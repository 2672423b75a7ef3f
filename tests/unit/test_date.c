/*
 * test_date: unit and property tests for src/core/date.c (civil dates).
 *
 * Expectations come from the calendar, worked by hand or by an independent
 * oracle written here (a plain y-m-d walk), never from date.c itself.
 * Not for: the certificate timeline (test_timeline.c) or the clock.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/date.h"

/* Fixed-seed xorshift64 so every run checks the same cases. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

/* Uniform in [lo, hi]. */
static int rng_range(int lo, int hi)
{
    return lo + (int)(rng_next() % (uint64_t)(hi - lo + 1));
}

static sc_day ymd(int y, int m, int d)
{
    assert_true(sc_date_valid_ymd(y, m, d));
    return sc_date_from_ymd(y, m, d);
}

static void assert_day(sc_day got, const char *want)
{
    char buf[SC_DATE_BUF];
    sc_date_format(got, buf);
    assert_string_equal(buf, want);
}

static sc_day parse_ok(const char *s)
{
    sc_day d = 0;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_date_parse(s, "when", &d, &e), SC_OK);
    assert_int_equal(e.code, SC_OK);
    return d;
}

/* The oracle's month length, written from the Gregorian rule. */
static int oracle_days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

static void test_epoch_anchors(void **state)
{
    (void)state;
    assert_int_equal(sc_date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(sc_date_from_ymd(1970, 1, 2), 1);
    assert_int_equal(sc_date_from_ymd(1969, 12, 31), -1);
    /* 30 years of 365 days plus 7 leap days (72 76 80 84 88 92 96) */
    assert_int_equal(sc_date_from_ymd(2000, 1, 1), 30 * 365 + 7);
    assert_int_equal(sc_date_from_ymd(2000, 3, 1), 30 * 365 + 7 + 31 + 29);
    /* 1900..1969: 70 years, leap days 1904..1968 = 17 (1900 is not leap) */
    assert_int_equal(sc_date_from_ymd(1900, 1, 1), -(70 * 365 + 17));
    assert_int_equal(sc_date_from_ymd(1, 1, 1), SC_DAY_MIN);
    assert_int_equal(sc_date_from_ymd(9999, 12, 31), SC_DAY_MAX);
}

/* Every day from 1900-01-01 to 2200-12-31: parse(text) is one more than the
 * previous day, format(day) gives the text back, to_ymd gives the parts. */
static void test_round_trip_every_day(void **state)
{
    (void)state;
    sc_day prev = sc_date_from_ymd(1899, 12, 31);
    long count = 0;
    for (int y = 1900; y <= 2200; y++) {
        for (int m = 1; m <= 12; m++) {
            int dim = oracle_days_in_month(y, m);
            assert_int_equal(sc_date_days_in_month(y, m), dim);
            for (int d = 1; d <= dim; d++) {
                char text[32];
                snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
                sc_day day = parse_ok(text);
                assert_int_equal(day, prev + 1);
                char back[SC_DATE_BUF];
                sc_date_format(day, back);
                assert_string_equal(back, text);
                int yy, mm, dd;
                sc_date_to_ymd(day, &yy, &mm, &dd);
                assert_int_equal(yy, y);
                assert_int_equal(mm, m);
                assert_int_equal(dd, d);
                assert_int_equal(sc_date_from_ymd(y, m, d), day);
                prev = day;
                count++;
            }
        }
    }
    /* 301 years, 73 leap years (1904..2196 every 4th = 74, minus 2100) */
    assert_int_equal(count, 301L * 365 + 73);
    assert_int_equal(prev, sc_date_from_ymd(2200, 12, 31));
}

static void expect_refused(const char *s)
{
    sc_day d = 12345;
    struct sc_error e;
    sc_error_clear(&e);
    enum sc_err rc = sc_date_parse(s, "issued", &d, &e);
    if (rc != SC_ERR_INVALID)
        fail_msg("\"%s\" was not refused (rc %d)", s, (int)rc);
    assert_int_equal(e.code, SC_ERR_INVALID);
    assert_string_equal(e.field, "issued");
    assert_true(e.message[0] != '\0');
    assert_int_equal(d, 12345); /* untouched */
}

static void test_parse_refusals(void **state)
{
    (void)state;
    expect_refused("2026-02-30");
    expect_refused("2026-2-3");
    expect_refused("2026-02-03x");
    expect_refused(" 2026-02-03");
    expect_refused("2026-02-03 ");
    expect_refused("+026-02-03");
    expect_refused("-026-02-03");
    expect_refused("");
    expect_refused("2026-13-01");
    expect_refused("2026-00-10");
    expect_refused("2026-01-00");
    expect_refused("2026-04-31");
    expect_refused("0000-01-01");
    expect_refused("2100-02-29");
    expect_refused("1900-02-29");
    expect_refused("2023-02-29");
    expect_refused("20260203");
    expect_refused("2026/02/03");
    expect_refused("2026-02-3 ");
    expect_refused("2026-0a-03");
    expect_refused("12026-02-03");
    expect_refused("2026-02-03T00:00");
    expect_refused(NULL);
}

static void test_parse_accepts(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("2000-02-29"), ymd(2000, 2, 29));
    assert_int_equal(parse_ok("2024-02-29"), ymd(2024, 2, 29));
    assert_int_equal(parse_ok("0001-01-01"), SC_DAY_MIN);
    assert_int_equal(parse_ok("9999-12-31"), SC_DAY_MAX);
    assert_int_equal(parse_ok("1970-01-01"), 0);
}

static void test_parse_error_quotes_input(void **state)
{
    (void)state;
    sc_day d;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_date_parse("2026-02-30", NULL, &d, &e), SC_ERR_INVALID);
    assert_string_equal(e.field, "");
    assert_non_null(strstr(e.message, "2026-02-30"));
    /* a NULL error struct is allowed */
    assert_int_equal(sc_date_parse("x", "f", &d, NULL), SC_ERR_INVALID);
}

static void test_leap_years(void **state)
{
    (void)state;
    assert_false(sc_date_is_leap(1900));
    assert_true(sc_date_is_leap(2000));
    assert_true(sc_date_is_leap(2024));
    assert_false(sc_date_is_leap(2100));
    assert_false(sc_date_is_leap(2023));
    assert_true(sc_date_is_leap(2400));
    assert_int_equal(sc_date_days_in_month(1900, 2), 28);
    assert_int_equal(sc_date_days_in_month(2000, 2), 29);
    assert_int_equal(sc_date_days_in_month(2024, 2), 29);
    assert_int_equal(sc_date_days_in_month(2100, 2), 28);
    assert_int_equal(sc_date_days_in_month(2025, 4), 30);
    assert_int_equal(sc_date_days_in_month(2025, 12), 31);
    assert_int_equal(sc_date_days_in_month(2025, 0), 0);
    assert_int_equal(sc_date_days_in_month(2025, 13), 0);
    assert_true(sc_date_valid_ymd(2000, 2, 29));
    assert_false(sc_date_valid_ymd(2100, 2, 29));
    assert_false(sc_date_valid_ymd(0, 1, 1));
    assert_false(sc_date_valid_ymd(10000, 1, 1));
    assert_true(sc_date_valid_ymd(9999, 12, 31));
    /* day counts of whole years */
    assert_int_equal(ymd(1901, 1, 1) - ymd(1900, 1, 1), 365);
    assert_int_equal(ymd(2001, 1, 1) - ymd(2000, 1, 1), 366);
    assert_int_equal(ymd(2025, 1, 1) - ymd(2024, 1, 1), 366);
    assert_int_equal(ymd(2101, 1, 1) - ymd(2100, 1, 1), 365);
}

static void test_add_months(void **state)
{
    (void)state;
    assert_day(sc_date_add_months(ymd(2025, 1, 31), 1), "2025-02-28");
    assert_day(sc_date_add_months(ymd(2024, 1, 31), 1), "2024-02-29");
    assert_day(sc_date_add_months(ymd(2100, 1, 31), 1), "2100-02-28");
    assert_day(sc_date_add_months(ymd(2000, 1, 31), 1), "2000-02-29");
    assert_day(sc_date_add_months(ymd(2025, 3, 31), -1), "2025-02-28");
    assert_day(sc_date_add_months(ymd(2024, 3, 31), -1), "2024-02-29");
    assert_day(sc_date_add_months(ymd(2025, 12, 31), 2), "2026-02-28");
    assert_day(sc_date_add_months(ymd(2027, 12, 31), 2), "2028-02-29");
    assert_day(sc_date_add_months(ymd(2025, 3, 31), 1), "2025-04-30");
    assert_day(sc_date_add_months(ymd(2025, 1, 30), 1), "2025-02-28");
    assert_day(sc_date_add_months(ymd(2025, 1, 15), 0), "2025-01-15");
    assert_day(sc_date_add_months(ymd(2025, 12, 15), 1), "2026-01-15");
    assert_day(sc_date_add_months(ymd(2025, 1, 15), -1), "2024-12-15");
    assert_day(sc_date_add_months(ymd(2025, 1, 1), -12), "2024-01-01");
    assert_day(sc_date_add_months(ymd(2025, 2, 28), -14), "2023-12-28");
    assert_day(sc_date_add_months(ymd(2024, 2, 29), -12), "2023-02-28");
    assert_day(sc_date_add_months(ymd(2024, 2, 29), 12), "2025-02-28");
    assert_day(sc_date_add_months(ymd(2024, 2, 29), 48), "2028-02-29");
    assert_day(sc_date_add_months(ymd(2024, 2, 29), 36), "2027-02-28");
    assert_day(sc_date_add_months(ymd(2024, 5, 31), -15), "2023-02-28");
    assert_day(sc_date_add_months(ymd(2025, 1, 31), -25), "2022-12-31");
    assert_day(sc_date_add_months(ymd(2025, 1, 31), -11), "2024-02-29");
    assert_day(sc_date_add_months(ymd(2025, 6, 30), -120), "2015-06-30");
    assert_day(sc_date_add_months(ymd(2026, 11, 30), 3), "2027-02-28");
    assert_day(sc_date_add_months(ymd(2027, 1, 1), -3), "2026-10-01");
}

/* add_months against an oracle that walks months one y-m at a time. */
static void test_add_months_property(void **state)
{
    (void)state;
    for (int i = 0; i < 20000; i++) {
        int y = rng_range(1900, 2200);
        int m = rng_range(1, 12);
        int d = rng_range(1, oracle_days_in_month(y, m));
        int k = rng_range(-400, 400);
        int ty = y, tm = m;
        for (int j = 0; j < (k < 0 ? -k : k); j++) {
            if (k > 0) {
                if (++tm == 13) {
                    tm = 1;
                    ty++;
                }
            } else if (--tm == 0) {
                tm = 12;
                ty--;
            }
        }
        int dim = oracle_days_in_month(ty, tm);
        sc_day got = sc_date_add_months(sc_date_from_ymd(y, m, d), k);
        int gy, gm, gd;
        sc_date_to_ymd(got, &gy, &gm, &gd);
        if (gy != ty || gm != tm || gd != (d < dim ? d : dim))
            fail_msg("%04d-%02d-%02d %+d months: got %04d-%02d-%02d, want "
                     "%04d-%02d-%02d",
                     y, m, d, k, gy, gm, gd, ty, tm, d < dim ? d : dim);
        /* days 1..28 always exist, so the move is reversible */
        if (d <= 28)
            assert_int_equal(sc_date_add_months(got, -k),
                             sc_date_from_ymd(y, m, d));
    }
}

static void test_period_end(void **state)
{
    (void)state;
    /* cases from the brief and the header */
    assert_day(sc_date_period_end(ymd(2024, 2, 29), 36), "2027-02-28");
    assert_day(sc_date_period_end(ymd(2024, 3, 15), 36), "2027-03-14");
    assert_day(sc_date_period_end(ymd(2025, 3, 1), 36), "2028-02-29");
    assert_day(sc_date_period_end(ymd(2024, 1, 31), 1), "2024-02-29");
    /* more, worked by hand */
    assert_day(sc_date_period_end(ymd(2025, 1, 31), 1), "2025-02-28");
    assert_day(sc_date_period_end(ymd(2024, 1, 1), 36), "2026-12-31");
    assert_day(sc_date_period_end(ymd(2024, 1, 31), 36), "2027-01-30");
    assert_day(sc_date_period_end(ymd(2024, 3, 31), 1), "2024-04-30");
    assert_day(sc_date_period_end(ymd(2024, 5, 31), 12), "2025-05-30");
    assert_day(sc_date_period_end(ymd(2024, 8, 31), 6), "2025-02-28");
    assert_day(sc_date_period_end(ymd(2023, 3, 1), 12), "2024-02-29");
    assert_day(sc_date_period_end(ymd(2024, 2, 28), 12), "2025-02-27");
    assert_day(sc_date_period_end(ymd(2024, 2, 29), 12), "2025-02-28");
    assert_day(sc_date_period_end(ymd(2024, 2, 29), 48), "2028-02-28");
    assert_day(sc_date_period_end(ymd(2023, 3, 31), 12), "2024-03-30");
    assert_day(sc_date_period_end(ymd(2025, 12, 31), 2), "2026-02-28");
}

static void test_full_months(void **state)
{
    (void)state;
    /* a 12-month period from 2026-02-10 ends 2027-02-09 */
    assert_int_equal(sc_date_full_months(ymd(2026, 2, 10), ymd(2027, 2, 9)), 11);
    assert_int_equal(sc_date_full_months(ymd(2026, 2, 10), ymd(2027, 2, 10)), 12);
    assert_int_equal(sc_date_full_months(ymd(2026, 2, 10), ymd(2026, 2, 10)), 0);
    assert_int_equal(sc_date_full_months(ymd(2026, 2, 10), ymd(2026, 3, 9)), 0);
    assert_int_equal(sc_date_full_months(ymd(2026, 2, 10), ymd(2026, 3, 10)), 1);
    assert_int_equal(sc_date_full_months(ymd(2026, 2, 10), ymd(2020, 1, 1)), 0);
    /* 29 February: the anniversary that does not exist is 1 March */
    assert_int_equal(sc_date_full_months(ymd(2024, 2, 29), ymd(2025, 2, 28)), 11);
    assert_int_equal(sc_date_full_months(ymd(2024, 2, 29), ymd(2025, 3, 1)), 12);
    assert_int_equal(sc_date_full_months(ymd(2024, 2, 29), ymd(2028, 2, 29)), 48);
    assert_int_equal(sc_date_full_months(ymd(2024, 2, 29), ymd(2028, 2, 28)), 47);
    /* month ends */
    assert_int_equal(sc_date_full_months(ymd(2024, 1, 31), ymd(2024, 2, 29)), 0);
    assert_int_equal(sc_date_full_months(ymd(2024, 1, 31), ymd(2024, 3, 1)), 1);
    assert_int_equal(sc_date_full_months(ymd(2025, 1, 31), ymd(2025, 3, 1)), 1);
    assert_int_equal(sc_date_full_months(ymd(2024, 3, 31), ymd(2024, 4, 30)), 0);
    assert_int_equal(sc_date_full_months(ymd(2024, 3, 31), ymd(2024, 5, 1)), 1);
    assert_int_equal(sc_date_full_months(ymd(2025, 12, 31), ymd(2026, 12, 30)), 11);
    assert_int_equal(sc_date_full_months(ymd(2025, 12, 31), ymd(2026, 12, 31)), 12);
    /* agrees with the period's end over many days */
    for (sc_day from = ymd(2023, 1, 1); from < ymd(2025, 1, 1); from += 7)
        for (int m = 1; m <= 40; m += 3) {
            sc_day end = sc_date_period_end(from, m);
            assert_int_equal(sc_date_full_months(from, end), m - 1);
            assert_int_equal(sc_date_full_months(from, end + 1), m);
        }
}

/* A period is never cut short: its end + 1 is on or after the clamped
 * anniversary, at most 3 days after it, and exactly the day before the
 * anniversary whenever the start day exists in the target month. */
static void test_period_end_property(void **state)
{
    (void)state;
    for (int i = 0; i < 20000; i++) {
        int y = rng_range(1900, 2200);
        int m = rng_range(1, 12);
        int d = rng_range(1, oracle_days_in_month(y, m));
        int k = rng_range(1, 120);
        sc_day start = sc_date_from_ymd(y, m, d);
        sc_day ann = sc_date_add_months(start, k);
        sc_day end = sc_date_period_end(start, k);
        int ay, am, ad;
        sc_date_to_ymd(ann, &ay, &am, &ad);
        if (ad == d) {
            assert_int_equal(end, ann - 1);
        } else {
            /* the anniversary is the 1st of the following month */
            int ny = am == 12 ? ay + 1 : ay, nm = am == 12 ? 1 : am + 1;
            assert_int_equal(end + 1, sc_date_from_ymd(ny, nm, 1));
            assert_true(end + 1 - ann >= 1 && end + 1 - ann <= 3);
        }
        /* and consecutive periods tile: period_end is monotone in start */
        assert_true(sc_date_period_end(start + 1, k) >= end);
    }
}

static void test_format_range(void **state)
{
    (void)state;
    char buf[SC_DATE_BUF];
    sc_date_format(SC_DAY_MAX + 1, buf);
    assert_string_equal(buf, "out-of-range");
    sc_date_format(SC_DAY_MIN - 1, buf);
    assert_string_equal(buf, "out-of-range");
    sc_date_format(SC_DAY_MIN, buf);
    assert_string_equal(buf, "0001-01-01");
    assert_true(sc_date_in_range(SC_DAY_MAX));
    assert_false(sc_date_in_range(SC_DAY_MAX + 1));
    assert_true(sc_date_in_range(SC_DAY_MIN));
    assert_false(sc_date_in_range(SC_DAY_MIN - 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_anchors),
        cmocka_unit_test(test_round_trip_every_day),
        cmocka_unit_test(test_parse_refusals),
        cmocka_unit_test(test_parse_accepts),
        cmocka_unit_test(test_parse_error_quotes_input),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_add_months),
        cmocka_unit_test(test_add_months_property),
        cmocka_unit_test(test_period_end),
        cmocka_unit_test(test_full_months),
        cmocka_unit_test(test_period_end_property),
        cmocka_unit_test(test_format_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
