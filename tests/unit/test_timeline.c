/*
 * test_timeline: unit and property tests for src/core/timeline.c, the
 * certificate's dates and time-driven state (domain.md section 4).
 *
 * The scheme is filled in here from the rulebook's numbers (36, 7, 9, 10,
 * 12, 3, 6, 0 days, 6), so these tests do not depend on the scheme parser.
 * Every expected date below was worked out by hand from the rules; the
 * property tests check the rulebook's claims over thousands of generated
 * certificates. Not for: the scheme file or the command line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/timeline.h"

/* ---------------------------------------------------------------- helpers */

static struct sc_scheme rulebook(void)
{
    struct sc_scheme s;
    memset(&s, 0, sizeof s);
    s.validity_months = 36;
    s.surv_open_months = 7;
    s.surv_nominal_from_months = 9;
    s.surv_nominal_to_months = 10;
    s.surv_close_months = 12;
    s.recert_window_months = 3;
    s.recert_late_months = 6;
    s.suspension_grace_days = 0;
    s.withdrawal_months = 6;
    s.certify_target_days = 90;
    return s;
}

static sc_day D(const char *text)
{
    sc_day d = 0;
    struct sc_error e;
    if (sc_date_parse(text, "test", &d, &e) != SC_OK)
        fail_msg("bad date in test: %s", text);
    return d;
}

static void assert_day(sc_day got, const char *want)
{
    char buf[SC_DATE_BUF];
    sc_date_format(got, buf);
    assert_string_equal(buf, want);
}

static void assert_window(const struct sc_timeline_window *w, int n,
                          const char *anchor, const char *opens,
                          const char *nfrom, const char *nto,
                          const char *closes)
{
    assert_int_equal(w->n, n);
    assert_day(w->anchor, anchor);
    assert_day(w->opens, opens);
    assert_day(w->nominal_from, nfrom);
    assert_day(w->nominal_to, nto);
    assert_day(w->closes, closes);
}

static void assert_status(const struct sc_timeline_status *st,
                          const char *state, const char *since,
                          const char *reason)
{
    assert_string_equal(sc_timeline_state_name(st->state), state);
    assert_day(st->since, since);
    assert_string_equal(sc_timeline_reason_name(st->reason), reason);
}

/* Computes with audits given as text (NULL-terminated list). */
static enum sc_err compute(const char *issued, const char *const *audits,
                           const char *today, struct sc_timeline *out,
                           struct sc_error *err)
{
    struct sc_scheme s = rulebook();
    sc_day a[SC_TIMELINE_MAX_WINDOWS];
    size_t n = 0;
    for (; audits && audits[n]; n++)
        a[n] = D(audits[n]);
    sc_error_clear(err);
    return sc_timeline_compute(&s, D(issued), a, n, D(today), out, err);
}

static void compute_ok(const char *issued, const char *const *audits,
                       const char *today, struct sc_timeline *out)
{
    struct sc_error e;
    enum sc_err rc = compute(issued, audits, today, out, &e);
    if (rc != SC_OK)
        fail_msg("issued %s today %s: refused: %s: %s", issued, today, e.field,
                 e.message);
}

static void expect_refused(const char *issued, const char *const *audits,
                           const char *today, const char *field,
                           const char *message_part)
{
    struct sc_timeline tl;
    struct sc_error e;
    enum sc_err rc = compute(issued, audits, today, &tl, &e);
    assert_int_equal(rc, SC_ERR_INVALID);
    assert_int_equal(e.code, SC_ERR_INVALID);
    assert_string_equal(e.field, field);
    if (message_part && !strstr(e.message, message_part))
        fail_msg("message \"%s\" lacks \"%s\"", e.message, message_part);
}

static const char *state_on(const char *issued, const char *const *audits,
                            const char *today, struct sc_timeline *tl)
{
    compute_ok(issued, audits, today, tl);
    return sc_timeline_state_name(tl->status.state);
}

/* ------------------------------------------------------------- hand-worked */

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(sc_timeline_state_name(SC_TL_ACTIVE), "active");
    assert_string_equal(sc_timeline_state_name(SC_TL_SUSPENDED), "suspended");
    assert_string_equal(sc_timeline_state_name(SC_TL_WITHDRAWN), "withdrawn");
    assert_string_equal(sc_timeline_state_name(SC_TL_EXPIRED), "expired");
    assert_string_equal(sc_timeline_reason_name(SC_TL_REASON_NONE), "none");
    assert_string_equal(
        sc_timeline_reason_name(SC_TL_REASON_SURVEILLANCE_OVERDUE),
        "surveillance_overdue");
    assert_string_equal(sc_timeline_reason_name(SC_TL_REASON_VALIDITY_ENDED),
                        "validity_ended");
}

static void test_expiry(void **state)
{
    (void)state;
    struct sc_scheme s = rulebook();
    struct {
        const char *issued, *expires;
    } cases[] = {
        {"2024-01-01", "2026-12-31"}, {"2024-02-29", "2027-02-28"},
        {"2024-03-15", "2027-03-14"}, {"2025-03-01", "2028-02-29"},
        {"2024-01-31", "2027-01-30"}, {"2023-03-31", "2026-03-30"},
        {"2024-02-28", "2027-02-27"}, {"2023-12-31", "2026-12-30"},
        {"2025-02-28", "2028-02-27"}, {"2024-03-01", "2027-02-28"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sc_day e = 0;
        struct sc_error err;
        assert_int_equal(sc_timeline_expiry(&s, D(cases[i].issued), &e, &err),
                         SC_OK);
        assert_day(e, cases[i].expires);
    }
}

/* Issued 1 January: the plain case. */
static void test_plain_year(void **state)
{
    (void)state;
    struct sc_timeline tl;
    compute_ok("2024-01-01", NULL, "2024-01-01", &tl);
    assert_day(tl.cycle.expires, "2026-12-31");
    assert_day(tl.recert.opens, "2026-10-01");
    assert_day(tl.recert.closes, "2026-12-31");
    assert_day(tl.recert.late_until, "2027-06-30");
    assert_int_equal(tl.n_entries, 1);
    assert_true(tl.has_pending);
    assert_false(tl.entries[0].done);
    assert_window(&tl.entries[0].window, 1, "2024-01-01", "2024-08-01",
                  "2024-10-01", "2024-11-01", "2024-12-31");
    assert_status(&tl.status, "active", "2024-01-01", "none");

    /* three audits; the fourth window would open 2026-12-01 >= R */
    const char *a[] = {"2024-10-01", "2025-08-01", "2026-05-01", NULL};
    compute_ok("2024-01-01", a, "2026-12-31", &tl);
    assert_int_equal(tl.n_entries, 3);
    assert_false(tl.has_pending);
    assert_window(&tl.entries[1].window, 2, "2024-10-01", "2025-05-01",
                  "2025-07-01", "2025-08-01", "2025-09-30");
    assert_window(&tl.entries[2].window, 3, "2025-08-01", "2026-03-01",
                  "2026-05-01", "2026-06-01", "2026-07-31");
    assert_true(tl.entries[2].done);
    assert_day(tl.entries[2].audit, "2026-05-01");
    /* expiry day: still active; the day after: expired */
    assert_status(&tl.status, "active", "2024-01-01", "none");
    compute_ok("2024-01-01", a, "2027-01-01", &tl);
    assert_status(&tl.status, "expired", "2027-01-01", "validity_ended");
    const char *four[] = {"2024-10-01", "2025-08-01", "2026-05-01",
                          "2026-09-01", NULL};
    expect_refused("2024-01-01", four, "2026-12-31", "audit[3]",
                   "one too many");
}

/* Issued 29 February: every date of the chain worked by hand. */
static void test_leap_day_issue(void **state)
{
    (void)state;
    struct sc_timeline tl;
    const char *a[] = {"2025-02-28", "2026-02-27", "2027-02-26", NULL};
    compute_ok("2024-02-29", a, "2027-02-28", &tl);
    assert_day(tl.cycle.expires, "2027-02-28");
    assert_day(tl.recert.opens, "2026-12-01");
    assert_day(tl.recert.closes, "2027-02-28");
    assert_day(tl.recert.late_until, "2027-08-28");
    assert_int_equal(tl.n_entries, 3);
    assert_false(tl.has_pending);
    assert_window(&tl.entries[0].window, 1, "2024-02-29", "2024-09-29",
                  "2024-11-29", "2024-12-29", "2025-02-28");
    assert_window(&tl.entries[1].window, 2, "2025-02-28", "2025-09-28",
                  "2025-11-28", "2025-12-28", "2026-02-27");
    assert_window(&tl.entries[2].window, 3, "2026-02-27", "2026-09-27",
                  "2026-11-27", "2026-12-27", "2027-02-26");
    assert_status(&tl.status, "active", "2024-02-29", "none");
    compute_ok("2024-02-29", a, "2027-03-01", &tl);
    assert_status(&tl.status, "expired", "2027-03-01", "validity_ended");

    const char *four[] = {"2025-02-28", "2026-02-27", "2027-02-26",
                          "2027-02-27", NULL};
    expect_refused("2024-02-29", four, "2027-02-28", "audit[3]",
                   "one too many");
    /* window 1 closes 2025-02-28: a day later is outside it */
    const char *late[] = {"2025-03-01", NULL};
    expect_refused("2024-02-29", late, "2025-03-01", "audit[0]",
                   "audit 2025-03-01 is outside surveillance window 1 "
                   "(2024-09-29 .. 2025-02-28)");
    /* no audit: suspended the day after window 1 closes */
    assert_string_equal(state_on("2024-02-29", NULL, "2025-02-28", &tl),
                        "active");
    assert_string_equal(state_on("2024-02-29", NULL, "2025-03-01", &tl),
                        "suspended");
    assert_status(&tl.status, "suspended", "2025-03-01",
                  "surveillance_overdue");
    assert_string_equal(state_on("2024-02-29", NULL, "2025-08-31", &tl),
                        "suspended");
    assert_string_equal(state_on("2024-02-29", NULL, "2025-09-01", &tl),
                        "withdrawn");
    assert_status(&tl.status, "withdrawn", "2025-09-01",
                  "surveillance_overdue");
}

/* Issued 2023-03-31, audits on month ends, including a fourth window. */
static void test_issued_march_31(void **state)
{
    (void)state;
    struct sc_timeline tl;
    const char *a[] = {"2024-01-31", "2024-08-31", "2025-03-31", "2025-12-01",
                       NULL};
    compute_ok("2023-03-31", a, "2026-01-01", &tl);
    assert_day(tl.cycle.expires, "2026-03-30");
    assert_day(tl.recert.opens, "2025-12-31");
    assert_day(tl.recert.late_until, "2026-09-30");
    assert_int_equal(tl.n_entries, 4);
    assert_false(tl.has_pending);
    assert_window(&tl.entries[0].window, 1, "2023-03-31", "2023-10-31",
                  "2023-12-31", "2024-01-31", "2024-03-30");
    assert_window(&tl.entries[1].window, 2, "2024-01-31", "2024-08-31",
                  "2024-10-31", "2024-11-30", "2025-01-30");
    assert_window(&tl.entries[2].window, 3, "2024-08-31", "2025-03-31",
                  "2025-05-31", "2025-06-30", "2025-08-30");
    /* window 4 opens 2025-10-31 < R = 2025-12-31, closes at the expiry */
    assert_window(&tl.entries[3].window, 4, "2025-03-31", "2025-10-31",
                  "2025-12-31", "2026-01-31", "2026-03-30");
    assert_status(&tl.status, "active", "2023-03-31", "none");

    /* the pending 4th window, closing on the expiry day, never suspends:
     * the certificate expires the day after */
    const char *three[] = {"2024-01-31", "2024-08-31", "2025-03-31", NULL};
    compute_ok("2023-03-31", three, "2026-03-30", &tl);
    assert_true(tl.has_pending);
    assert_status(&tl.status, "active", "2023-03-31", "none");
    compute_ok("2023-03-31", three, "2026-03-31", &tl);
    assert_status(&tl.status, "expired", "2026-03-31", "validity_ended");
}

/* Issued on the 31st: each boundary of window 1 and of the state. */
static void test_boundaries_31st(void **state)
{
    (void)state;
    struct sc_timeline tl;
    compute_ok("2024-01-31", NULL, "2024-01-31", &tl);
    assert_day(tl.cycle.expires, "2027-01-30");
    assert_day(tl.recert.opens, "2026-10-31");
    assert_day(tl.recert.late_until, "2027-07-30");
    assert_window(&tl.entries[0].window, 1, "2024-01-31", "2024-08-31",
                  "2024-10-31", "2024-11-30", "2025-01-30");

    const char *on_open[] = {"2024-08-31", NULL};
    compute_ok("2024-01-31", on_open, "2024-08-31", &tl);
    assert_int_equal(tl.n_entries, 2);
    assert_window(&tl.entries[1].window, 2, "2024-08-31", "2025-03-31",
                  "2025-05-31", "2025-06-30", "2025-08-30");
    const char *on_close[] = {"2025-01-30", NULL};
    compute_ok("2024-01-31", on_close, "2025-01-30", &tl);
    assert_window(&tl.entries[1].window, 2, "2025-01-30", "2025-08-30",
                  "2025-10-30", "2025-11-30", "2026-01-29");
    const char *before[] = {"2024-08-30", NULL};
    expect_refused("2024-01-31", before, "2025-01-30", "audit[0]",
                   "audit 2024-08-30 is outside surveillance window 1 "
                   "(2024-08-31 .. 2025-01-30)");
    const char *after[] = {"2025-01-31", NULL};
    expect_refused("2024-01-31", after, "2025-01-31", "audit[0]",
                   "outside surveillance window 1");

    /* no audit: close day active, the day after suspended, withdrawn on
     * suspension + 6 months */
    assert_string_equal(state_on("2024-01-31", NULL, "2025-01-30", &tl),
                        "active");
    assert_string_equal(state_on("2024-01-31", NULL, "2025-01-31", &tl),
                        "suspended");
    assert_status(&tl.status, "suspended", "2025-01-31",
                  "surveillance_overdue");
    assert_true(tl.has_pending); /* the overdue window is still reported */
    assert_string_equal(state_on("2024-01-31", NULL, "2025-07-30", &tl),
                        "suspended");
    assert_string_equal(state_on("2024-01-31", NULL, "2025-07-31", &tl),
                        "withdrawn");
    assert_status(&tl.status, "withdrawn", "2025-07-31",
                  "surveillance_overdue");
    /* withdrawn is final: still withdrawn after the expiry */
    assert_string_equal(state_on("2024-01-31", NULL, "2030-01-01", &tl),
                        "withdrawn");
    assert_day(tl.status.since, "2025-07-31");
}

/* Withdrawal date clamped to a month end: suspended 2025-08-31,
 * + 6 months = 2026-02-28. */
static void test_withdrawal_month_end(void **state)
{
    (void)state;
    struct sc_timeline tl;
    compute_ok("2024-08-31", NULL, "2024-08-31", &tl);
    assert_day(tl.entries[0].window.closes, "2025-08-30");
    assert_string_equal(state_on("2024-08-31", NULL, "2025-08-31", &tl),
                        "suspended");
    assert_string_equal(state_on("2024-08-31", NULL, "2026-02-27", &tl),
                        "suspended");
    assert_string_equal(state_on("2024-08-31", NULL, "2026-02-28", &tl),
                        "withdrawn");
    assert_day(tl.status.since, "2026-02-28");
}

/* Withdrawal and expiry on the same day: withdrawal wins. Window 3 anchored
 * on 2025-07-01 closes 2026-06-30; suspended 2026-07-01; withdrawn
 * 2027-01-01 = expiry 2026-12-31 + 1. */
static void test_tie_withdrawal_expiry(void **state)
{
    (void)state;
    struct sc_timeline tl;
    const char *a[] = {"2024-09-15", "2025-07-01", NULL};
    compute_ok("2024-01-01", a, "2026-06-30", &tl);
    assert_window(&tl.entries[1].window, 2, "2024-09-15", "2025-04-15",
                  "2025-06-15", "2025-07-15", "2025-09-14");
    assert_window(&tl.entries[2].window, 3, "2025-07-01", "2026-02-01",
                  "2026-04-01", "2026-05-01", "2026-06-30");
    assert_status(&tl.status, "active", "2024-01-01", "none");
    compute_ok("2024-01-01", a, "2026-07-01", &tl);
    assert_status(&tl.status, "suspended", "2026-07-01",
                  "surveillance_overdue");
    compute_ok("2024-01-01", a, "2026-12-31", &tl);
    assert_status(&tl.status, "suspended", "2026-07-01",
                  "surveillance_overdue");
    compute_ok("2024-01-01", a, "2027-01-01", &tl);
    assert_status(&tl.status, "withdrawn", "2027-01-01",
                  "surveillance_overdue");
    compute_ok("2024-01-01", a, "2027-06-01", &tl);
    assert_status(&tl.status, "withdrawn", "2027-01-01",
                  "surveillance_overdue");
}

/* Expiry before withdrawal: suspended 2026-08-01, withdrawal would be
 * 2027-02-01, but the certificate expires 2027-01-01. One day earlier
 * (suspended 2026-06-30) withdrawal comes first (2026-12-30). */
static void test_expiry_before_withdrawal(void **state)
{
    (void)state;
    struct sc_timeline tl;
    const char *a[] = {"2024-09-15", "2025-08-01", NULL};
    compute_ok("2024-01-01", a, "2026-12-31", &tl);
    assert_status(&tl.status, "suspended", "2026-08-01",
                  "surveillance_overdue");
    compute_ok("2024-01-01", a, "2027-01-01", &tl);
    assert_status(&tl.status, "expired", "2027-01-01", "validity_ended");
    compute_ok("2024-01-01", a, "2027-02-01", &tl);
    assert_status(&tl.status, "expired", "2027-01-01", "validity_ended");

    const char *b[] = {"2024-09-15", "2025-06-30", NULL};
    compute_ok("2024-01-01", b, "2026-12-29", &tl);
    assert_day(tl.entries[2].window.closes, "2026-06-29");
    assert_status(&tl.status, "suspended", "2026-06-30",
                  "surveillance_overdue");
    compute_ok("2024-01-01", b, "2026-12-30", &tl);
    assert_status(&tl.status, "withdrawn", "2026-12-30",
                  "surveillance_overdue");
    compute_ok("2024-01-01", b, "2027-01-01", &tl);
    assert_status(&tl.status, "withdrawn", "2026-12-30",
                  "surveillance_overdue");
}

static void test_grace_days(void **state)
{
    (void)state;
    struct sc_scheme s = rulebook();
    s.suspension_grace_days = 10;
    struct sc_timeline tl;
    struct sc_error e;
    /* window 1 closes 2024-12-31; suspended 2025-01-11; withdrawn 07-11 */
    assert_int_equal(sc_timeline_compute(&s, D("2024-01-01"), NULL, 0,
                                         D("2025-01-10"), &tl, &e),
                     SC_OK);
    assert_status(&tl.status, "active", "2024-01-01", "none");
    assert_int_equal(sc_timeline_compute(&s, D("2024-01-01"), NULL, 0,
                                         D("2025-01-11"), &tl, &e),
                     SC_OK);
    assert_status(&tl.status, "suspended", "2025-01-11",
                  "surveillance_overdue");
    assert_int_equal(sc_timeline_compute(&s, D("2024-01-01"), NULL, 0,
                                         D("2025-07-11"), &tl, &e),
                     SC_OK);
    assert_status(&tl.status, "withdrawn", "2025-07-11",
                  "surveillance_overdue");
}

static void test_refusals(void **state)
{
    (void)state;
    /* today before the issue date */
    expect_refused("2024-01-01", NULL, "2023-12-31", "today",
                   "before the certificate's start");
    /* an audit that has not happened yet */
    const char *future[] = {"2024-10-01", NULL};
    expect_refused("2024-01-01", future, "2024-09-30", "audit[0]",
                   "after today");
    /* duplicates and order */
    const char *dup[] = {"2024-10-01", "2024-10-01", NULL};
    expect_refused("2024-01-01", dup, "2025-12-31", "audit[1]", "twice");
    const char *order[] = {"2025-06-01", "2024-10-01", NULL};
    expect_refused("2024-01-01", order, "2025-12-31", "audit[0]",
                   "outside surveillance window 1");
    const char *order2[] = {"2024-10-01", "2025-06-01", "2025-05-01", NULL};
    expect_refused("2024-01-01", order2, "2025-12-31", "audit[2]",
                   "chronological");
    /* window 2 of the brief's message form: anchor 2022-11-15 */
    const char *w2[] = {"2022-11-15", "2023-05-01", NULL};
    expect_refused("2022-03-01", w2, "2023-06-01", "audit[1]",
                   "audit 2023-05-01 is outside surveillance window 2 "
                   "(2023-06-15 .. 2023-11-14)");
    /* the audit on the issue day is outside window 1 */
    const char *day0[] = {"2024-01-01", NULL};
    expect_refused("2024-01-01", day0, "2024-01-01", "audit[0]",
                   "outside surveillance window 1");
}

static void test_year_range(void **state)
{
    (void)state;
    struct sc_timeline tl;
    /* latest issue accepted: expires 9999-06-30, late until 9999-12-30 */
    compute_ok("9996-07-01", NULL, "9996-07-01", &tl);
    assert_day(tl.cycle.expires, "9999-06-30");
    assert_day(tl.recert.late_until, "9999-12-30");
    /* a day later the late-recertification date would be 10000-01-01 */
    expect_refused("9996-07-02", NULL, "9996-07-02", "issued", "9999-12-31");
    expect_refused("9999-01-01", NULL, "9999-01-01", "issued", "9999-12-31");
    struct sc_scheme s = rulebook();
    sc_day e = 0;
    struct sc_error err;
    assert_int_equal(sc_timeline_expiry(&s, SC_DAY_MAX + 1, &e, &err),
                     SC_ERR_INVALID);
    assert_string_equal(err.field, "issued");
    /* the earliest day works */
    compute_ok("0001-01-01", NULL, "0001-01-01", &tl);
    assert_day(tl.cycle.expires, "0003-12-31");
}

static void test_scheme_checks(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_scheme s = rulebook();
    assert_int_equal(sc_timeline_check_scheme(&s, &e), SC_OK);
    s.surv_close_months = 10;
    assert_int_equal(sc_timeline_check_scheme(&s, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "timeline.surveillance.closes_months");
    s = rulebook();
    s.recert_window_months = 36;
    assert_int_equal(sc_timeline_check_scheme(&s, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "timeline.recertification_window_months");
    s = rulebook();
    s.validity_months = 0;
    assert_int_equal(sc_timeline_check_scheme(&s, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "timeline.validity_months");
    s = rulebook();
    s.suspension_grace_days = -1;
    assert_int_equal(sc_timeline_check_scheme(&s, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "timeline.suspension_grace_days");
    s = rulebook();
    s.surv_nominal_from_months = 6;
    assert_int_equal(sc_timeline_check_scheme(&s, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "timeline.surveillance.nominal_from_months");
    s = rulebook();
    s.withdrawal_months = 1201;
    assert_int_equal(sc_timeline_check_scheme(&s, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "timeline.withdrawal_months");
    /* compute refuses a bad scheme too */
    struct sc_timeline tl;
    assert_int_equal(sc_timeline_compute(&s, D("2024-01-01"), NULL, 0,
                                         D("2024-01-01"), &tl, &e),
                     SC_ERR_SCHEME);
}

/* Lower-level pieces for the store: a restored cycle (start on the
 * decision date, anchor on the restoring audit, expiry fixed). */
static void test_restored_cycle(void **state)
{
    (void)state;
    struct sc_scheme s = rulebook();
    struct sc_error e;
    struct sc_timeline_cycle c = {D("2025-06-10"), D("2025-06-01"),
                                  D("2026-12-31")};
    struct sc_timeline tl;
    assert_int_equal(sc_timeline_run(&s, &c, NULL, 0, D("2025-06-10"), &tl, &e),
                     SC_OK);
    assert_window(&tl.entries[0].window, 1, "2025-06-01", "2026-01-01",
                  "2026-03-01", "2026-04-01", "2026-05-31");
    assert_status(&tl.status, "active", "2025-06-10", "none");
    assert_int_equal(sc_timeline_run(&s, &c, NULL, 0, D("2025-06-09"), &tl, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "today");
    assert_int_equal(sc_timeline_run(&s, &c, NULL, 0, D("2026-06-01"), &tl, &e),
                     SC_OK);
    assert_status(&tl.status, "suspended", "2026-06-01",
                  "surveillance_overdue");

    /* a window alone; the chain ends where it would open on/after R */
    struct sc_timeline_window w;
    bool exists = false;
    assert_int_equal(sc_timeline_window(&s, D("2026-02-28"), D("2026-12-31"), 4,
                                        &w, &exists, &e),
                     SC_OK);
    assert_true(exists);
    assert_window(&w, 4, "2026-02-28", "2026-09-28", "2026-11-28", "2026-12-28",
                  "2026-12-31");
    assert_int_equal(sc_timeline_window(&s, D("2026-03-01"), D("2026-12-31"), 4,
                                        &w, &exists, &e),
                     SC_OK);
    assert_false(exists); /* would open 2026-10-01 = R */
    assert_int_equal(sc_timeline_window(&s, D("2027-01-01"), D("2026-12-31"), 1,
                                        &w, &exists, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "anchor");

    struct sc_timeline_recert r;
    assert_int_equal(sc_timeline_recertification(&s, D("2027-02-28"), &r, &e),
                     SC_OK);
    assert_day(r.opens, "2026-12-01");
    assert_day(r.closes, "2027-02-28");
    assert_day(r.late_until, "2027-08-28");

    struct sc_timeline_status st;
    assert_int_equal(sc_timeline_state_on(&s, D("2024-01-01"), D("2026-12-31"),
                                          NULL, D("2026-12-31"), &st, &e),
                     SC_OK);
    assert_status(&st, "active", "2024-01-01", "none");
}

/* With a scheme whose windows can reach past the expiry, the nominal dates
 * are clamped to the window's close. recert 1 month: R = expiry + 1 - 1m. */
static void test_nominal_clamped(void **state)
{
    (void)state;
    struct sc_scheme s = rulebook();
    s.recert_window_months = 1;
    struct sc_error e;
    struct sc_timeline_window w;
    bool exists = false;
    /* expires 2026-12-31, R = 2026-12-01; anchor 2026-04-15 opens
     * 2026-11-15 < R; nominal 2027-01-15 .. 2027-02-15 -> 2026-12-31 */
    assert_int_equal(sc_timeline_window(&s, D("2026-04-15"), D("2026-12-31"), 3,
                                        &w, &exists, &e),
                     SC_OK);
    assert_true(exists);
    assert_window(&w, 3, "2026-04-15", "2026-11-15", "2026-12-31", "2026-12-31",
                  "2026-12-31");
}

static void test_too_many_audits_given(void **state)
{
    (void)state;
    struct sc_scheme s = rulebook();
    sc_day a[SC_TIMELINE_MAX_WINDOWS];
    for (int i = 0; i < SC_TIMELINE_MAX_WINDOWS; i++)
        a[i] = D("2024-10-01") + i;
    struct sc_timeline tl;
    struct sc_error e;
    assert_int_equal(sc_timeline_compute(&s, D("2024-01-01"), a,
                                         SC_TIMELINE_MAX_WINDOWS,
                                         D("2026-01-01"), &tl, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "audit");
}

/* ------------------------------------------------------------- properties */

static uint64_t rng_state = 0x2545f4914f6cdd1du;

static uint64_t rng_next(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}

static sc_day rng_between(sc_day lo, sc_day hi)
{
    return lo + (sc_day)(rng_next() % (uint64_t)(hi - lo + 1));
}

enum pick { PICK_UNIFORM, PICK_FIRST, PICK_LAST };

struct stats {
    long cycles;
    int min_audits, max_audits;
    long year3_only_from_window4; /* audit 3 fell in year 2 */
    long window_in_recert_period; /* a surveillance window closing after R */
};

/* Builds the whole chain for `issued`, one audit per window chosen by
 * `pick`, until the chain ends; checks properties 1-3 on it. Fills
 * audits[] and returns how many. */
static size_t chain(const struct sc_scheme *s, sc_day issued, enum pick pick,
                    sc_day *audits, struct stats *st)
{
    struct sc_error e;
    sc_day expires = 0;
    assert_int_equal(sc_timeline_expiry(s, issued, &expires, &e), SC_OK);
    struct sc_timeline_recert r;
    assert_int_equal(sc_timeline_recertification(s, expires, &r, &e), SC_OK);
    size_t n = 0;
    sc_day anchor = issued, prev_close = issued - 1;
    for (;;) {
        struct sc_timeline_window w;
        bool exists = false;
        assert_int_equal(
            sc_timeline_window(s, anchor, expires, (int)n + 1, &w, &exists, &e),
            SC_OK);
        /* the chain ends exactly when the next window would open >= R */
        sc_day would_open = sc_date_add_months(anchor, s->surv_open_months);
        assert_int_equal(exists, would_open < r.opens);
        if (!exists)
            break;
        /* (2) opens after its anchor, after the previous window closed */
        assert_true(w.opens > w.anchor);
        assert_true(w.opens > prev_close);
        /* (3) never closes after expiry; well-formed */
        assert_true(w.closes <= expires);
        assert_true(w.opens <= w.nominal_from);
        assert_true(w.nominal_from <= w.nominal_to);
        assert_true(w.nominal_to <= w.closes);
        if (w.closes >= r.opens)
            st->window_in_recert_period++;
        sc_day a = pick == PICK_FIRST  ? w.opens
                   : pick == PICK_LAST ? w.closes
                                       : rng_between(w.opens, w.closes);
        assert_true(n < SC_TIMELINE_MAX_WINDOWS - 1);
        audits[n++] = a;
        anchor = a;
        prev_close = w.closes;
    }

    /* (1) every certificate year holds a surveillance audit. Year y runs
     * from the day after period_end(issued, 12(y-1)) to
     * period_end(issued, 12y); year 3 ends on the expiry. */
    int years = s->validity_months / 12;
    assert_int_equal(sc_date_period_end(issued, 12 * years), expires);
    for (int y = 1; y <= years; y++) {
        sc_day from =
            y == 1 ? issued : sc_date_period_end(issued, 12 * (y - 1)) + 1;
        sc_day to = sc_date_period_end(issued, 12 * y);
        int count = 0;
        for (size_t i = 0; i < n; i++)
            count += audits[i] >= from && audits[i] <= to;
        if (count == 0) {
            char i_[SC_DATE_BUF], f_[SC_DATE_BUF], t_[SC_DATE_BUF];
            sc_date_format(issued, i_);
            sc_date_format(from, f_);
            sc_date_format(to, t_);
            fail_msg("issued %s: certificate year %d (%s .. %s) holds no "
                     "surveillance audit",
                     i_, y, f_, t_);
        }
    }
    if (n >= 3 && audits[2] <= sc_date_period_end(issued, 24))
        st->year3_only_from_window4++;

    /* the whole computation agrees with the step-by-step chain */
    struct sc_timeline tl;
    assert_int_equal(
        sc_timeline_compute(s, issued, audits, n, audits[n - 1], &tl, &e),
        SC_OK);
    assert_int_equal(tl.n_entries, (int)n);
    assert_false(tl.has_pending);
    assert_int_equal(tl.status.state, SC_TL_ACTIVE);

    st->cycles++;
    if ((int)n < st->min_audits)
        st->min_audits = (int)n;
    if ((int)n > st->max_audits)
        st->max_audits = (int)n;
    return n;
}

static int rank(enum sc_timeline_state s)
{
    switch (s) {
    case SC_TL_ACTIVE:
        return 0;
    case SC_TL_SUSPENDED:
        return 1;
    case SC_TL_WITHDRAWN:
    case SC_TL_EXPIRED:
        return 2;
    }
    return -1;
}

/* (4) walking today forward, with the audits of the first `keep` windows
 * done on their dates, the state never goes back: active -> suspended ->
 * withdrawn, or -> expired; a final state keeps its date. */
static void check_monotone(const struct sc_scheme *s, sc_day issued,
                           const sc_day *audits, size_t keep, bool full)
{
    struct sc_error e;
    sc_day expires = 0;
    assert_int_equal(sc_timeline_expiry(s, issued, &expires, &e), SC_OK);
    struct sc_timeline_status last = {SC_TL_ACTIVE, issued, SC_TL_REASON_NONE};
    sc_day end = expires + 400;
    for (sc_day t = issued; t <= end; t += (sc_day)(1 + rng_next() % 12)) {
        size_t done = 0;
        while (done < keep && audits[done] <= t)
            done++;
        struct sc_timeline tl;
        assert_int_equal(
            sc_timeline_compute(s, issued, audits, done, t, &tl, &e), SC_OK);
        struct sc_timeline_status now = tl.status;
        assert_true(rank(now.state) >= rank(last.state));
        if (rank(last.state) == 2) { /* final */
            assert_int_equal(now.state, last.state);
            assert_int_equal(now.since, last.since);
        }
        if (last.state == SC_TL_SUSPENDED && now.state == SC_TL_SUSPENDED)
            assert_int_equal(now.since, last.since);
        assert_true(now.since <= t);
        if (now.state == SC_TL_ACTIVE)
            assert_int_equal(now.reason, SC_TL_REASON_NONE);
        else if (now.state == SC_TL_EXPIRED)
            assert_int_equal(now.since, expires + 1);
        else
            assert_int_equal(now.reason, SC_TL_REASON_SURVEILLANCE_OVERDUE);
        /* the whole chain done in time: active until the expiry day,
         * expired from the day after */
        if (full)
            assert_int_equal(now.state,
                             t <= expires ? SC_TL_ACTIVE : SC_TL_EXPIRED);
        last = now;
    }
    assert_true(rank(last.state) == 2);
}

static void run_properties(sc_day issued, struct stats *st)
{
    struct sc_scheme s = rulebook();
    sc_day audits[SC_TIMELINE_MAX_WINDOWS];
    size_t n = chain(&s, issued, PICK_UNIFORM, audits, st);
    /* monotone with the full chain, and with the audits stopping early */
    check_monotone(&s, issued, audits, n, true);
    check_monotone(&s, issued, audits, (size_t)(rng_next() % n), false);
    n = chain(&s, issued, PICK_FIRST, audits, st);
    assert_int_equal(n, 4); /* 7, 14, 21, 28 months; the 5th opens at 35 */
    n = chain(&s, issued, PICK_LAST, audits, st);
    assert_int_equal(n, 3); /* ~12, ~24 months; the 4th would open ~43 */
}

static void report(const char *what, const struct stats *st)
{
    print_message("%s: %ld chains, %d..%d surveillance audits per cycle, "
                  "%ld with audit 3 in year 2 (year 3 covered by window 4), "
                  "%ld windows reaching into the recertification period\n",
                  what, st->cycles, st->min_audits, st->max_audits,
                  st->year3_only_from_window4, st->window_in_recert_period);
}

/* Every issue day of 2023..2025: all of a leap year's February and March,
 * every month end. */
static void test_property_every_day_2023_2025(void **state)
{
    (void)state;
    struct stats st = {0, 99, 0, 0, 0};
    for (sc_day d = D("2023-01-01"); d <= D("2025-12-31"); d++)
        run_properties(d, &st);
    report("2023..2025", &st);
    assert_true(st.year3_only_from_window4 > 0);
}

/* Every 28th..31st of every 7th year 1900..2200, and every day of February
 * and March of the century years 1900 (common), 2000 (leap), 2100 (common)
 * and of 2096 (leap). */
static void test_property_month_ends(void **state)
{
    (void)state;
    struct stats st = {0, 99, 0, 0, 0};
    static const int years[] = {1900, 2000, 2096, 2100};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++)
        for (sc_day d = sc_date_from_ymd(years[i], 2, 1);
             d <= sc_date_from_ymd(years[i], 3, 31); d++)
            run_properties(d, &st);
    for (int y = 1900; y <= 2200; y += 7)
        for (int m = 1; m <= 12; m++)
            for (int d = 28; d <= sc_date_days_in_month(y, m); d++)
                run_properties(sc_date_from_ymd(y, m, d), &st);
    report("month ends", &st);
}

/* Thousands of random issue days, 1900..2200. */
static void test_property_random(void **state)
{
    (void)state;
    struct stats st = {0, 99, 0, 0, 0};
    sc_day lo = D("1900-01-01"), hi = D("2200-12-31");
    for (int i = 0; i < 4000; i++)
        run_properties(rng_between(lo, hi), &st);
    report("random", &st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_plain_year),
        cmocka_unit_test(test_leap_day_issue),
        cmocka_unit_test(test_issued_march_31),
        cmocka_unit_test(test_boundaries_31st),
        cmocka_unit_test(test_withdrawal_month_end),
        cmocka_unit_test(test_tie_withdrawal_expiry),
        cmocka_unit_test(test_expiry_before_withdrawal),
        cmocka_unit_test(test_grace_days),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_year_range),
        cmocka_unit_test(test_scheme_checks),
        cmocka_unit_test(test_restored_cycle),
        cmocka_unit_test(test_nominal_clamped),
        cmocka_unit_test(test_too_many_audits_given),
        cmocka_unit_test(test_property_every_day_2023_2025),
        cmocka_unit_test(test_property_month_ends),
        cmocka_unit_test(test_property_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
