/*
 * test_impartiality: domain.md section 5. The cooling-off boundary on both
 * sides (exactly 24 months, month ends, 29 February), teams (lead count,
 * duplicates, qualification on the first and last audit day), deciders,
 * quorum (one short, exact, dissent, repeats, ineligible votes) and the issue
 * date. Every expected date below was worked by hand from the rule "a link
 * bars on D when its last day >= D - months (month-end clamped)".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/impartiality.h"

static sc_day D(const char *s)
{
    sc_day d = 0;
    if (sc_date_parse(s, "date", &d, NULL) != SC_OK)
        fail_msg("bad test date %s", s);
    return d;
}

static struct sc_impartiality_link link_ended(int64_t person, int64_t org,
                                              enum sc_impartiality_link_kind k,
                                              const char *from, const char *to)
{
    struct sc_impartiality_link l = {person, org, k, D(from), D(to), false};
    return l;
}

static enum sc_err assign(const struct sc_impartiality_link *links, size_t n,
                          int64_t person, int64_t org, const char *date,
                          int months, struct sc_error *e)
{
    sc_error_clear(e);
    return sc_impartiality_check_assignment(person, org, SC_DUTY_AUDIT, D(date),
                                            months, links, n, e);
}

/* ---- cooling-off ------------------------------------------------------ */

static void test_exactly_24_months(void **state)
{
    (void)state;
    struct sc_impartiality_link l =
        link_ended(7, 3, SC_LINK_EMPLOYED, "2020-01-01", "2024-03-01");
    struct sc_error e;
    /* ended exactly 24 months before: refused */
    assert_int_equal(assign(&l, 1, 7, 3, "2026-03-01", 24, &e),
                     SC_ERR_IMPARTIALITY);
    assert_string_equal(e.field, "person");
    assert_string_equal(e.message,
                        "person 7 may not audit organisation 3: employed by it "
                        "from 2020-01-01 to 2024-03-01, within 24 months "
                        "before 2026-03-01; free from 2026-03-02");
    assert_int_equal(sc_err_http_status(e.code), 422);
    /* one day later: allowed */
    assert_int_equal(assign(&l, 1, 7, 3, "2026-03-02", 24, &e), SC_OK);
    /* well inside: refused */
    assert_int_equal(assign(&l, 1, 7, 3, "2025-01-01", 24, &e),
                     SC_ERR_IMPARTIALITY);
    /* during the link: refused */
    assert_int_equal(assign(&l, 1, 7, 3, "2022-06-15", 24, &e),
                     SC_ERR_IMPARTIALITY);
    /* another organisation, another person: not looked at */
    assert_int_equal(assign(&l, 1, 7, 4, "2025-01-01", 24, &e), SC_OK);
    assert_int_equal(assign(&l, 1, 8, 3, "2025-01-01", 24, &e), SC_OK);
    assert_int_equal(assign(NULL, 0, 7, 3, "2025-01-01", 24, &e), SC_OK);
}

static void test_month_ends(void **state)
{
    (void)state;
    struct sc_error e;
    /* ended 2024-02-29. On 2026-02-28 the threshold is 2024-02-28, and
     * 02-29 >= 02-28: refused. On 2026-03-01 it is 2024-03-01: allowed. */
    struct sc_impartiality_link l =
        link_ended(1, 2, SC_LINK_CONSULTED, "2023-05-01", "2024-02-29");
    assert_int_equal(assign(&l, 1, 1, 2, "2026-02-28", 24, &e),
                     SC_ERR_IMPARTIALITY);
    assert_string_equal(e.message,
                        "person 1 may not audit organisation 2: consulted for "
                        "it from 2023-05-01 to 2024-02-29, within 24 months "
                        "before 2026-02-28; free from 2026-03-01");
    assert_int_equal(assign(&l, 1, 1, 2, "2026-03-01", 24, &e), SC_OK);
    assert_int_equal(sc_impartiality_free_from(D("2024-02-29"), 24),
                     D("2026-03-01"));
    /* ended 2024-08-31, 6 months. 2025-02-28 - 6 months = 2024-08-28:
     * refused; 2025-03-01 - 6 months = 2024-09-01: allowed. */
    l = link_ended(1, 2, SC_LINK_EMPLOYED, "2024-01-01", "2024-08-31");
    assert_int_equal(assign(&l, 1, 1, 2, "2025-02-28", 6, &e),
                     SC_ERR_IMPARTIALITY);
    assert_int_equal(assign(&l, 1, 1, 2, "2025-03-01", 6, &e), SC_OK);
    assert_int_equal(sc_impartiality_free_from(D("2024-08-31"), 6),
                     D("2025-03-01"));
    /* ended 2025-08-27, 6 months: 2026-02-27 - 6 = 2025-08-27 (refused),
     * 2026-02-28 - 6 = 2025-08-28 (allowed) */
    l = link_ended(1, 2, SC_LINK_EMPLOYED, "2025-01-01", "2025-08-27");
    assert_int_equal(assign(&l, 1, 1, 2, "2026-02-27", 6, &e),
                     SC_ERR_IMPARTIALITY);
    assert_int_equal(assign(&l, 1, 1, 2, "2026-02-28", 6, &e), SC_OK);
    assert_int_equal(sc_impartiality_free_from(D("2025-08-27"), 6),
                     D("2026-02-28"));
    /* leap day as the assignment date: 2028-02-29 - 24 months = 2026-02-28 */
    l = link_ended(1, 2, SC_LINK_EMPLOYED, "2025-01-01", "2026-02-28");
    assert_int_equal(assign(&l, 1, 1, 2, "2028-02-29", 24, &e),
                     SC_ERR_IMPARTIALITY);
    assert_int_equal(assign(&l, 1, 1, 2, "2028-03-01", 24, &e), SC_OK);
}

static void test_ongoing_future_and_zero(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_link l = {5, 9,   SC_LINK_EMPLOYED, D("2010-01-01"),
                                     0, true};
    assert_int_equal(assign(&l, 1, 5, 9, "2040-01-01", 24, &e),
                     SC_ERR_IMPARTIALITY);
    assert_string_equal(e.message, "person 5 may not audit organisation 9: "
                                   "employed by it since 2010-01-01 (ongoing)");
    /* a declared link that starts after the date bars already */
    l = link_ended(5, 9, SC_LINK_CONSULTED, "2026-06-01", "2026-12-31");
    assert_int_equal(assign(&l, 1, 5, 9, "2026-03-01", 24, &e),
                     SC_ERR_IMPARTIALITY);
    /* months = 0: a link that ended the day before no longer bars */
    l = link_ended(5, 9, SC_LINK_CONSULTED, "2025-01-01", "2026-02-28");
    assert_int_equal(assign(&l, 1, 5, 9, "2026-03-01", 0, &e), SC_OK);
    assert_int_equal(assign(&l, 1, 5, 9, "2026-02-28", 0, &e),
                     SC_ERR_IMPARTIALITY);
    /* the first barring link in the array is named */
    struct sc_impartiality_link two[] = {
        link_ended(5, 9, SC_LINK_CONSULTED, "2015-01-01", "2016-01-01"),
        link_ended(5, 9, SC_LINK_EMPLOYED, "2025-01-01", "2025-12-31"),
    };
    assert_int_equal(assign(two, 2, 5, 9, "2026-03-01", 24, &e),
                     SC_ERR_IMPARTIALITY);
    assert_non_null(strstr(e.message, "employed by it from 2025-01-01"));
}

static void test_duties(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_link l =
        link_ended(7, 3, SC_LINK_CONSULTED, "2025-01-01", "2025-02-01");
    assert_int_equal(sc_impartiality_check_assignment(
                         7, 3, SC_DUTY_REVIEW, D("2026-01-01"), 24, &l, 1, &e),
                     SC_ERR_IMPARTIALITY);
    assert_non_null(
        strstr(e.message, "person 7 may not review organisation 3"));
    assert_int_equal(sc_impartiality_check_assignment(
                         7, 3, SC_DUTY_DECIDE, D("2026-01-01"), 24, &l, 1, &e),
                     SC_ERR_IMPARTIALITY);
    assert_non_null(
        strstr(e.message, "person 7 may not decide on organisation 3"));
}

static void test_assignment_invalid_input(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_link l =
        link_ended(7, 3, SC_LINK_CONSULTED, "2025-02-01", "2025-01-01");
    assert_int_equal(assign(&l, 1, 7, 3, "2030-01-01", 24, &e), SC_ERR_INVALID);
    assert_string_equal(e.field, "links[0].to");
    assert_int_equal(assign(&l, 1, 7, 3, "2030-01-01", -1, &e), SC_ERR_INVALID);
    assert_string_equal(e.field, "months");
    assert_int_equal(assign(NULL, 0, 7, 3, "2030-01-01", 1201, &e),
                     SC_ERR_INVALID);
    assert_int_equal(assign(NULL, 0, 7, 3, "2030-01-01", 1200, &e), SC_OK);
    /* a malformed link of someone else is not this check's business */
    assert_int_equal(assign(&l, 1, 8, 3, "2030-01-01", 24, &e), SC_OK);
}

/* xorshift64*, fixed seed */
static uint64_t rng_state = 0x5EED5EED1234ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* For random last days and periods, sc_impartiality_free_from is the exact
 * boundary: refused the day before, allowed on it and on every later day
 * checked; and it lies `months` months after the end, give or take the
 * month-end clamp. */
static void test_property_free_from_is_the_boundary(void **state)
{
    (void)state;
    sc_day lo = D("2000-01-01");
    for (int n = 0; n < 20000; n++) {
        sc_day to = lo + (sc_day)(rng() % 15000);
        int months = (int)(rng() % 61);
        struct sc_impartiality_link l = {1,       2,  SC_LINK_EMPLOYED,
                                         to - 30, to, false};
        sc_day f = sc_impartiality_free_from(to, months);
        assert_int_equal(sc_impartiality_check_assignment(
                             1, 2, SC_DUTY_AUDIT, f - 1, months, &l, 1, NULL),
                         SC_ERR_IMPARTIALITY);
        for (sc_day d = f; d < f + 3; d++)
            assert_int_equal(sc_impartiality_check_assignment(
                                 1, 2, SC_DUTY_AUDIT, d, months, &l, 1, NULL),
                             SC_OK);
        /* the day after the end, months later, within 3 days (clamp) */
        sc_day nominal = sc_date_add_months(to + 1, months);
        assert_true(f >= nominal - 3 && f <= nominal + 3);
        if (months == 0)
            assert_int_equal(f, to + 1);
    }
}

/* ---- teams ------------------------------------------------------------ */

static struct sc_impartiality_member member(int64_t person, bool lead,
                                            const char *from, const char *to)
{
    struct sc_impartiality_member m = {person, lead, D(from), D(to)};
    return m;
}

static enum sc_err team_check(const struct sc_impartiality_member *t, size_t n,
                              const char *first, const char *last,
                              struct sc_error *e)
{
    sc_error_clear(e);
    return sc_impartiality_check_team(t, n, D(first), D(last), e);
}

static void test_team_ok(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_member t[] = {
        member(1, true, "2024-01-01", "2027-12-31"),
        member(2, false, "2026-03-10", "2026-03-12"), /* exactly the days */
        member(3, false, "2020-01-01", "2030-01-01"),
    };
    assert_int_equal(team_check(t, 3, "2026-03-10", "2026-03-12", &e), SC_OK);
    /* a lead alone, one-day audit */
    assert_int_equal(team_check(t, 1, "2026-03-10", "2026-03-10", &e), SC_OK);
    struct sc_impartiality_member open = {4, true, D("2020-01-01"), SC_DAY_MAX};
    assert_int_equal(team_check(&open, 1, "2026-03-10", "2026-03-12", &e),
                     SC_OK);
}

static void test_team_leads(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_member t[] = {
        member(1, false, "2024-01-01", "2027-12-31"),
        member(2, false, "2024-01-01", "2027-12-31"),
        member(3, true, "2024-01-01", "2027-12-31"),
        member(4, true, "2024-01-01", "2027-12-31"),
    };
    /* no lead */
    assert_int_equal(team_check(t, 2, "2026-03-10", "2026-03-12", &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "team");
    assert_string_equal(
        e.message, "the team has no lead auditor; an audit has exactly one");
    /* one lead */
    assert_int_equal(team_check(t, 3, "2026-03-10", "2026-03-12", &e), SC_OK);
    /* two leads: the second is named */
    assert_int_equal(team_check(t, 4, "2026-03-10", "2026-03-12", &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "team[3].lead");
    assert_string_equal(e.message, "person 4 is a second lead auditor; an "
                                   "audit has exactly one");
    /* nobody */
    assert_int_equal(team_check(NULL, 0, "2026-03-10", "2026-03-12", &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "team");
    /* last before first */
    assert_int_equal(team_check(t, 3, "2026-03-12", "2026-03-11", &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "last");
}

static void test_team_duplicates(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_member t[] = {
        member(1, true, "2024-01-01", "2027-12-31"),
        member(2, false, "2024-01-01", "2027-12-31"),
        member(1, false, "2024-01-01", "2027-12-31"),
    };
    assert_int_equal(team_check(t, 3, "2026-03-10", "2026-03-12", &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "team[2].person");
    assert_string_equal(e.message, "person 1 is listed twice");
}

static void test_team_qualification_boundaries(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_member t[2];
    t[0] = member(1, true, "2020-01-01", "2030-01-01");
    /* valid from the first day: ok; from the day after: refused */
    t[1] = member(2, false, "2026-03-10", "2030-01-01");
    assert_int_equal(team_check(t, 2, "2026-03-10", "2026-03-12", &e), SC_OK);
    t[1] = member(2, false, "2026-03-11", "2030-01-01");
    assert_int_equal(team_check(t, 2, "2026-03-10", "2026-03-12", &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "team[1].qualified_from");
    assert_string_equal(e.message, "person 2 is qualified only from "
                                   "2026-03-11, after the audit's first day "
                                   "2026-03-10");
    /* valid until the last day: ok; until the day before: refused */
    t[1] = member(2, false, "2020-01-01", "2026-03-12");
    assert_int_equal(team_check(t, 2, "2026-03-10", "2026-03-12", &e), SC_OK);
    t[1] = member(2, false, "2020-01-01", "2026-03-11");
    assert_int_equal(team_check(t, 2, "2026-03-10", "2026-03-12", &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "team[1].qualified_to");
    assert_string_equal(e.message, "person 2 is qualified only until "
                                   "2026-03-11, before the audit's last day "
                                   "2026-03-12");
    /* the lead too */
    t[0] = member(1, true, "2020-01-01", "2026-03-09");
    t[1] = member(2, false, "2020-01-01", "2030-01-01");
    assert_int_equal(team_check(t, 2, "2026-03-10", "2026-03-12", &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "team[0].qualified_to");
}

static void test_team_links(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_member t[] = {
        member(1, true, "2020-01-01", "2030-01-01"),
        member(2, false, "2020-01-01", "2030-01-01"),
    };
    struct sc_impartiality_link l =
        link_ended(2, 50, SC_LINK_EMPLOYED, "2019-01-01", "2024-03-10");
    /* first day 2026-03-10: ended exactly 24 months before: refused */
    assert_int_equal(sc_impartiality_check_team_links(50, t, 2, D("2026-03-10"),
                                                      24, &l, 1, &e),
                     SC_ERR_IMPARTIALITY);
    assert_string_equal(e.field, "team[1].person");
    /* first day 2026-03-11: allowed */
    assert_int_equal(sc_impartiality_check_team_links(50, t, 2, D("2026-03-11"),
                                                      24, &l, 1, &e),
                     SC_OK);
    /* another organisation */
    assert_int_equal(sc_impartiality_check_team_links(51, t, 2, D("2026-03-10"),
                                                      24, &l, 1, &e),
                     SC_OK);
}

/* ---- deciders and quorum ---------------------------------------------- */

static const int64_t team_ids[] = {1, 2};
static const int64_t reviewer_ids[] = {3};
static const struct sc_impartiality_link case_links[] = {
    {20, 100, SC_LINK_CONSULTED, 0, 0, true}, /* member 20 consults org 100 */
};

static struct sc_impartiality_case the_case(void)
{
    struct sc_impartiality_case c = {100, team_ids,   2, reviewer_ids,
                                     1,   case_links, 1, 24};
    return c;
}

static void test_decider(void **state)
{
    (void)state;
    struct sc_impartiality_case c = the_case();
    struct sc_error e;
    sc_day d = D("2026-05-01");
    assert_int_equal(sc_impartiality_check_decider(&c, 2, d, &e),
                     SC_ERR_IMPARTIALITY);
    assert_string_equal(e.field, "person");
    assert_string_equal(e.message, "person 2 was on this audit's team and may "
                                   "not decide on it");
    assert_int_equal(sc_impartiality_check_decider(&c, 3, d, &e),
                     SC_ERR_IMPARTIALITY);
    assert_string_equal(e.message, "person 3 did this application's document "
                                   "review and may not decide on it");
    assert_int_equal(sc_impartiality_check_decider(&c, 20, d, &e),
                     SC_ERR_IMPARTIALITY);
    assert_non_null(strstr(e.message, "person 20 may not decide on "
                                      "organisation 100: consulted for it"));
    assert_int_equal(sc_impartiality_check_decider(&c, 10, d, &e), SC_OK);
    /* no team, no reviewers, no links */
    struct sc_impartiality_case empty = {100, NULL, 0, NULL, 0, NULL, 0, 24};
    assert_int_equal(sc_impartiality_check_decider(&empty, 2, d, &e), SC_OK);
}

static enum sc_err quorum(const struct sc_impartiality_vote *v, size_t n, int q,
                          struct sc_impartiality_tally *t, struct sc_error *e)
{
    struct sc_impartiality_case c = the_case();
    sc_error_clear(e);
    return sc_impartiality_check_quorum(&c, v, n, D("2026-05-01"), q, t, e);
}

static void test_quorum(void **state)
{
    (void)state;
    struct sc_error e;
    struct sc_impartiality_tally t;
    /* one short, then exactly the quorum */
    struct sc_impartiality_vote one[] = {{10, true}};
    assert_int_equal(quorum(one, 1, 2, &t, &e), SC_ERR_PRECONDITION);
    assert_string_equal(e.field, "votes");
    assert_string_equal(e.message, "1 approving independent vote(s), 2 needed "
                                   "(0 against, 0 ignored: not independent)");
    assert_int_equal(quorum(one, 1, 1, &t, &e), SC_OK);
    struct sc_impartiality_vote two[] = {{10, true}, {11, true}};
    assert_int_equal(quorum(two, 2, 2, &t, &e), SC_OK);
    assert_int_equal(t.approving, 2);
    assert_int_equal(quorum(two, 2, 3, &t, &e), SC_ERR_PRECONDITION);
    /* the same member twice counts once */
    struct sc_impartiality_vote twice[] = {{10, true}, {10, true}};
    assert_int_equal(quorum(twice, 2, 2, &t, &e), SC_ERR_PRECONDITION);
    assert_int_equal(t.approving, 1);
    /* team member, reviewer and linked member are ignored */
    struct sc_impartiality_vote tainted[] = {
        {10, true}, {1, true}, {3, true}, {20, true}};
    assert_int_equal(quorum(tainted, 4, 2, &t, &e), SC_ERR_PRECONDITION);
    assert_int_equal(t.approving, 1);
    assert_int_equal(t.ignored, 3);
    assert_string_equal(e.message, "1 approving independent vote(s), 2 needed "
                                   "(0 against, 3 ignored: not independent)");
    /* dissent: 2 for, 1 against holds; 2 for, 2 against does not */
    struct sc_impartiality_vote split[] = {
        {10, true}, {11, true}, {12, false}, {13, false}};
    assert_int_equal(quorum(split, 3, 2, &t, &e), SC_OK);
    assert_int_equal(t.dissenting, 1);
    assert_int_equal(quorum(split, 4, 2, &t, &e), SC_ERR_PRECONDITION);
    assert_string_equal(e.message, "2 approving independent vote(s) do not "
                                   "outnumber 2 against (0 ignored: not "
                                   "independent)");
    /* both ways */
    struct sc_impartiality_vote flip[] = {{10, true}, {11, true}, {10, false}};
    assert_int_equal(quorum(flip, 3, 2, &t, &e), SC_ERR_INVALID);
    assert_string_equal(e.field, "votes[2].approve");
    /* quorum must be at least 1 */
    assert_int_equal(quorum(two, 2, 0, &t, &e), SC_ERR_INVALID);
    assert_string_equal(e.field, "quorum");
    /* no votes */
    assert_int_equal(quorum(NULL, 0, 1, &t, &e), SC_ERR_PRECONDITION);
    assert_int_equal(quorum(two, 2, 2, NULL, &e), SC_OK);
}

static void test_issue_date(void **state)
{
    (void)state;
    struct sc_error e;
    assert_int_equal(
        sc_impartiality_check_issue_date(D("2026-03-01"), D("2026-03-01"), &e),
        SC_OK);
    assert_int_equal(
        sc_impartiality_check_issue_date(D("2026-03-01"), D("2026-03-02"), &e),
        SC_OK);
    assert_int_equal(
        sc_impartiality_check_issue_date(D("2026-03-01"), D("2026-02-28"), &e),
        SC_ERR_INVALID);
    assert_string_equal(e.field, "issued");
    assert_string_equal(e.message, "the issue date 2026-02-28 is before the "
                                   "decision date 2026-03-01");
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(sc_impartiality_link_kind_name(SC_LINK_CONSULTED),
                        "consulted");
    assert_string_equal(sc_impartiality_link_kind_name(SC_LINK_EMPLOYED),
                        "employed");
    assert_string_equal(
        sc_impartiality_link_kind_name((enum sc_impartiality_link_kind)2),
        "unknown");
    assert_string_equal(sc_impartiality_duty_name(SC_DUTY_AUDIT), "audit");
    assert_string_equal(sc_impartiality_duty_name(SC_DUTY_REVIEW), "review");
    assert_string_equal(sc_impartiality_duty_name(SC_DUTY_DECIDE), "decide");
    enum sc_impartiality_link_kind k = SC_LINK_CONSULTED;
    assert_int_equal(
        sc_impartiality_link_kind_parse("employed", "kind", &k, NULL), SC_OK);
    assert_int_equal(k, SC_LINK_EMPLOYED);
    struct sc_error e;
    assert_int_equal(
        sc_impartiality_link_kind_parse("Employed", "kind", &k, &e),
        SC_ERR_INVALID);
    assert_string_equal(e.field, "kind");
    assert_string_equal(e.message, "unknown link kind \"Employed\": use "
                                   "consulted or employed");
    enum sc_impartiality_duty d = SC_DUTY_AUDIT;
    assert_int_equal(sc_impartiality_duty_parse("decide", "duty", &d, NULL),
                     SC_OK);
    assert_int_equal(d, SC_DUTY_DECIDE);
    assert_int_equal(sc_impartiality_duty_parse(NULL, "duty", &d, &e),
                     SC_ERR_INVALID);
    assert_int_equal(d, SC_DUTY_DECIDE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exactly_24_months),
        cmocka_unit_test(test_month_ends),
        cmocka_unit_test(test_ongoing_future_and_zero),
        cmocka_unit_test(test_duties),
        cmocka_unit_test(test_assignment_invalid_input),
        cmocka_unit_test(test_property_free_from_is_the_boundary),
        cmocka_unit_test(test_team_ok),
        cmocka_unit_test(test_team_leads),
        cmocka_unit_test(test_team_duplicates),
        cmocka_unit_test(test_team_qualification_boundaries),
        cmocka_unit_test(test_team_links),
        cmocka_unit_test(test_decider),
        cmocka_unit_test(test_quorum),
        cmocka_unit_test(test_issue_date),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
