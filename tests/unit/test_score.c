/*
 * test_score: the exact score of domain.md section 2. Every expected value
 * below was worked out by hand from the rulebook (the arithmetic is in the
 * comments), never copied from the program. The scheme is built here with
 * the rulebook's default points and thresholds, so these tests do not depend
 * on the scheme parser. Property tests compare against an independent
 * reference in 128-bit rational arithmetic (lcm denominators, direct
 * division) and check monotonicity.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/score.h"

__extension__ typedef __int128 i128;

/* domain.md section 2, in catalogue order */
static const struct {
    const char *code;
    int group;
    int points;
} catalogue[15] = {
    {"5.1.1", 0, 6}, {"5.1.2", 0, 6},  {"5.1.3", 0, 6},  {"5.1.4", 0, 6},
    {"5.1.5", 0, 5}, {"5.1.6", 0, 5},  {"5.1.7", 0, 6},  {"5.2.1", 1, 5},
    {"5.2.2", 1, 6}, {"5.2.3", 1, 6},  {"5.2.4", 1, 7},  {"5.2.5", 1, 6},
    {"5.2.6", 1, 5}, {"5.3.1", 2, 12}, {"5.3.2", 2, 13},
};
/* clang-format off */
enum { I511, I512, I513, I514, I515, I516, I517, I521, I522, I523, I524,
       I525, I526, I531, I532 };
/* clang-format on */
enum { FIVE, FOUR, THREE, COMPLIANT, NONE };

static struct sc_scheme scheme;
static struct sc_score_input in;
static struct sc_score_outcome out;

static void make_scheme(struct sc_scheme *s)
{
    memset(s, 0, sizeof *s);
    snprintf(s->id, sizeof s->id, "gbt27922-2011");
    snprintf(s->version, sizeof s->version, "1");
    static const char *const groups[3] = {"5.1", "5.2", "5.3"};
    static const int group_points[3] = {40, 35, 25};
    for (int g = 0; g < 3; g++) {
        snprintf(s->groups[g].code, sizeof s->groups[g].code, "%s", groups[g]);
        s->groups[g].points = group_points[g];
    }
    s->n_groups = 3;
    for (int i = 0; i < 15; i++) {
        snprintf(s->indicators[i].code, sizeof s->indicators[i].code, "%s",
                 catalogue[i].code);
        s->indicators[i].group = catalogue[i].group;
        s->indicators[i].points = catalogue[i].points;
    }
    s->n_indicators = 15;
    s->total_points = 100;
    static const char *const levels[5] = {"five_star", "four_star",
                                          "three_star", "compliant", "none"};
    static const int mins[5] = {950, 900, 800, 700, 0};
    for (int l = 0; l < 5; l++) {
        snprintf(s->levels[l].code, sizeof s->levels[l].code, "%s", levels[l]);
        s->levels[l].min_tenths = mins[l];
        s->levels[l].certified = l < 4;
    }
    s->n_levels = 5;
    s->bonus_points = 1;
    s->bonus_max_items = 1;
    s->deduction_points = 1;
    s->deduction_gate = 5;
    s->first_cap_enabled = false;
    s->first_cap_months = 12;
    s->first_cap_level = COMPLIANT;
}

static int setup(void **state)
{
    (void)state;
    make_scheme(&scheme);
    sc_score_input_init(&in);
    in.n_results = 15;
    return 0;
}

static void nonconform(int i)
{
    in.results[i].kind = SC_SCORE_NONCONFORM;
}
static void excluded(int i)
{
    in.results[i].kind = SC_SCORE_EXCLUDED;
}
static void sampled(int i, int n, int k)
{
    in.results[i].kind = SC_SCORE_SAMPLED;
    in.results[i].samples = n;
    in.results[i].nonconforming = k;
}

static void compute(void)
{
    struct sc_error err;
    sc_error_clear(&err);
    enum sc_err rc = sc_score_compute(&scheme, &in, &out, &err);
    if (rc != SC_OK)
        fprintf(stderr, "refused: %s %s: %s\n", sc_err_name(rc), err.field,
                err.message);
    assert_int_equal(rc, SC_OK);
}

static void expect(int raw_hundredths, int score_tenths, int level)
{
    compute();
    assert_int_equal(out.raw_hundredths, raw_hundredths);
    assert_int_equal(out.score_tenths, score_tenths);
    assert_int_equal(out.level, level);
    assert_int_equal(out.certified, level != NONE);
}

static void refused(enum sc_err code, const char *field)
{
    struct sc_error err;
    sc_error_clear(&err);
    assert_int_equal(sc_score_compute(&scheme, &in, &out, &err), code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.field, field);
}

/* ---- plain cases ---- */

static void test_all_conform(void **state)
{
    (void)state;
    expect(10000, 1000, FIVE);
    assert_int_equal(out.applicable, 100);
    assert_int_equal(out.earned_hundredths, 10000);
    assert_int_equal(out.n_conform, 15);
    assert_int_equal(out.gated, false);
    assert_int_equal(out.n_groups, 3);
    assert_int_equal(out.groups[0].earned_hundredths, 4000);
    assert_int_equal(out.groups[1].applicable, 35);
    assert_int_equal(out.groups[2].applicable, 25);
}

static void test_all_nonconform(void **state)
{
    (void)state;
    for (int i = 0; i < 15; i++)
        nonconform(i);
    expect(0, 0, NONE);
    assert_int_equal(out.applicable, 100);
    assert_int_equal(out.n_nonconform, 15);
}

/* raw 70.00 exactly (30 points lost: 5.3.2 13 + 5.3.1 12 + 5.1.5 5) and
 * 69.90 (plus 0.1 lost: 5.1.6 sampled 5*49/50 = 4.9). */
static void test_compliant_exact_and_below(void **state)
{
    (void)state;
    nonconform(I532);
    nonconform(I531);
    nonconform(I515);
    expect(7000, 700, COMPLIANT);
    sampled(I516, 50, 1);
    expect(6990, 699, NONE);
}

/*
 * 69.95: lose 5.3.2 (13), 5.2.4 (7), 5.2.5 (6) = 26, and 5.1.5 (5 points)
 * sampled 100 with 81 nonconforming earns 5*19/100 = 0.95:
 * earned = 100 - 26 - 5 + 0.95 = 69.95 of 100 -> reported 70.0, compliant.
 */
static void lose_26(void)
{
    nonconform(I532);
    nonconform(I524);
    nonconform(I525);
}

static void test_6995_is_compliant(void **state)
{
    (void)state;
    lose_26();
    sampled(I515, 100, 81);
    expect(6995, 700, COMPLIANT);
    assert_int_equal(out.earned_hundredths, 6995);
    /* 5.1: 6*5 + 5 + 0.95 = 35.95; 5.2: 35 - 13 = 22; 5.3: 12 */
    assert_int_equal(out.groups[0].earned_hundredths, 3595);
    assert_int_equal(out.groups[0].applicable, 40);
    assert_int_equal(out.groups[1].earned_hundredths, 2200);
    assert_int_equal(out.groups[2].earned_hundredths, 1200);
    assert_int_equal(out.indicator_hundredths[I515], 95);
    assert_int_equal(out.n_sampled, 1);
    assert_int_equal(out.n_nonconform, 3);
    assert_int_equal(out.n_conform, 11);
}

/* 5*18999/99995: 0.19*99995 = 18999.05, so 18999/99995 < 0.19 by
 * 0.05/99995; earned 69.9499975.. -> 69.9 none (raw shown 69.94). */
static void test_just_below_6995_is_none(void **state)
{
    (void)state;
    lose_26();
    sampled(I515, 99995, 99995 - 18999);
    expect(6994, 699, NONE);
}

/* 5*18999/99991 vs 0.95: 18999*100 = 1899900 > 19*99991 = 1899829, so
 * just above: 69.95003.. -> 70.0. */
static void test_just_above_6995_is_compliant(void **state)
{
    (void)state;
    lose_26();
    sampled(I515, 99991, 99991 - 18999);
    expect(6995, 700, COMPLIANT);
}

/* 79.95: lose 5.1.1 (6), 5.1.6 (5), 5.2.1 (5) = 16; 5.1.5 earns 0.95. */
static void test_7995_three_star_and_below(void **state)
{
    (void)state;
    nonconform(I511);
    nonconform(I516);
    nonconform(I521);
    sampled(I515, 100, 81);
    expect(7995, 800, THREE);
    sampled(I515, 99995, 99995 - 18999);
    expect(7994, 799, COMPLIANT);
}

/* 89.95: lose 5.1.1 (6); 5.1.5 earns 0.95. */
static void test_8995_four_star_and_below(void **state)
{
    (void)state;
    nonconform(I511);
    sampled(I515, 100, 81);
    expect(8995, 900, FOUR);
    sampled(I515, 99995, 99995 - 18999);
    expect(8994, 899, THREE);
}

/*
 * Applicable 20: only 5.3.2 (13, conform) and 5.2.4 (7) apply.
 * 5.2.4 sampled 700 with 101 nonconforming: 7*599/700 = 5.99; earned 18.99;
 * raw = 18.99/20*100 = 94.95 -> 95.0 five-star.
 * 5.2.4 sampled 1750 with 253: 7*1497/1750 = 5.988; earned 18.988;
 * raw 94.94 -> 94.9 four-star.
 */
static void exclude_all_but_532_524(void)
{
    for (int i = 0; i < 15; i++)
        if (i != I532 && i != I524)
            excluded(i);
}

static void test_9495_five_star(void **state)
{
    (void)state;
    exclude_all_but_532_524();
    sampled(I524, 700, 101);
    expect(9495, 950, FIVE);
    assert_int_equal(out.applicable, 20);
    assert_int_equal(out.earned_hundredths, 1899);
    assert_int_equal(out.n_excluded, 13);
    assert_int_equal(out.groups[0].applicable, 0);
    assert_int_equal(out.groups[0].earned_hundredths, 0);
    assert_int_equal(out.groups[1].applicable, 7);
    assert_int_equal(out.groups[1].earned_hundredths, 599);
}

static void test_9494_four_star(void **state)
{
    (void)state;
    exclude_all_but_532_524();
    sampled(I524, 1750, 253);
    expect(9494, 949, FOUR);
    /* 18.988 is shown truncated */
    assert_int_equal(out.earned_hundredths, 1898);
}

/* ---- bonus, deductions, clamp, gate ---- */

/* raw 94: 5.1.5 (5) lost, 5.1.6 sampled 5 with 1 -> 4 (1 lost). */
static void test_bonus_lifts_94_to_95(void **state)
{
    (void)state;
    nonconform(I515);
    sampled(I516, 5, 1);
    expect(9400, 940, FOUR);
    in.n_bonus = 1;
    expect(9400, 950, FIVE);
    assert_int_equal(out.bonus_applied, 1);
}

/* raw 93 (5.1.6 sampled 5 with 2 -> 3): two bonus items count once. */
static void test_bonus_cap(void **state)
{
    (void)state;
    nonconform(I515);
    sampled(I516, 5, 2);
    in.n_bonus = 2;
    expect(9300, 940, FOUR);
    assert_int_equal(out.bonus_applied, 1);
    scheme.bonus_max_items = 2; /* a CB may allow two */
    expect(9300, 950, FIVE);
    assert_int_equal(out.bonus_applied, 2);
}

/* raw 80.4: lose 5.3.2 + 5.2.5 (19) and 5.1.5 sampled 25 with 3:
 * 5*22/25 = 4.4 (0.6 lost). One deduction -> 79.4 compliant. */
static void test_deduction_below_threshold(void **state)
{
    (void)state;
    nonconform(I532);
    nonconform(I525);
    sampled(I515, 25, 3);
    expect(8040, 804, THREE);
    in.n_deductions = 1;
    expect(8040, 794, COMPLIANT);
    assert_int_equal(out.deductions, 1);
    assert_int_equal(out.gated, false);
}

/* raw 70.95 (lose 26; 5.1.5 sampled 100 with 61 -> 1.95) minus 1 = 69.95
 * -> 70.0 compliant; 5.1.5 = 5*38998/99995 (0.39*99995 = 38998.05, so just
 * under 1.95) -> 69.949.. -> 69.9 none. */
static void test_deduction_rounding_on_reported(void **state)
{
    (void)state;
    lose_26();
    in.n_deductions = 1;
    sampled(I515, 100, 61);
    expect(7095, 700, COMPLIANT);
    sampled(I515, 99995, 99995 - 38998);
    expect(7094, 699, NONE);
}

static void test_clamp_at_100(void **state)
{
    (void)state;
    in.n_bonus = 1;
    expect(10000, 1000, FIVE);
    /* 99.5 + 1 = 100.5 -> 100.0: 5.3.2 sampled 26 with 1 -> 13*25/26 =
     * 12.5 */
    sampled(I532, 26, 1);
    expect(9950, 1000, FIVE);
}

/* raw 2: everything nonconform but 5.1.6 sampled 5 with 3 -> 2;
 * 3 deductions -> -1 -> 0.0 (not gated). */
static void test_clamp_at_0(void **state)
{
    (void)state;
    for (int i = 0; i < 15; i++)
        nonconform(i);
    sampled(I516, 5, 3);
    in.n_deductions = 3;
    expect(200, 0, NONE);
    assert_int_equal(out.gated, false);
}

static void test_gate_4_vs_5(void **state)
{
    (void)state;
    in.n_deductions = 4;
    expect(10000, 960, FIVE);
    assert_int_equal(out.gated, false);
    in.n_deductions = 5;
    compute();
    assert_int_equal(out.score_tenths, 950); /* the score still shows */
    assert_int_equal(out.level, NONE);       /* but the gate decides */
    assert_int_equal(out.certified, false);
    assert_int_equal(out.gated, true);
    in.n_bonus = 1; /* a bonus does not open the gate */
    compute();
    assert_int_equal(out.level, NONE);
}

/* ---- bignum path: 12 sampled indicators with distinct primes near 10^5
 * (common denominator ~ 10^60 > 2^128) ---- */

static const int primes[16] = {99991, 99989, 99971, 99961, 99929, 99923,
                               99907, 99901, 99881, 99877, 99871, 99859,
                               99839, 99833, 99829, 99823};

/*
 * 5.3.2, 5.3.1, 5.1.5 nonconform (30 lost); the other 12 (70 points) sampled
 * with a distinct prime n_i in [99859, 99991]. earned = 70 - L with
 * L = sum p_i*k_i/n_i. With sum p_i*k_i = S:  S/99991 <= L <= S/99859.
 * k_i = 71 everywhere: S = 70*71 = 4970.
 *  5.1.6 (5 points) k = 75 instead: S = 4990, L <= 4990/99859 < 0.04998
 *    -> raw > 69.95 -> 70.0 compliant (raw shown 69.95).
 *  and 5.2.1 (5 points) k = 73: S = 5000, L >= 5000/99991 > 0.050004
 *    -> raw < 69.95 -> 69.9 none (raw shown 69.94).
 */
static void big_case(int k516, int k521)
{
    nonconform(I532);
    nonconform(I531);
    nonconform(I515);
    int j = 0;
    for (int i = 0; i < 15; i++) {
        if (in.results[i].kind != SC_SCORE_CONFORM)
            continue;
        int k = i == I516 ? k516 : i == I521 ? k521 : 71;
        sampled(i, primes[j++], k);
    }
    assert_int_equal(j, 12);
}

static void test_big_coprime_above(void **state)
{
    (void)state;
    big_case(75, 71);
    expect(6995, 700, COMPLIANT);
    assert_int_equal(out.n_sampled, 12);
}

static void test_big_coprime_below(void **state)
{
    (void)state;
    big_case(75, 73);
    expect(6994, 699, NONE);
}

/*
 * All 15 sampled with distinct primes and k = 1: earned = 100 - L,
 * L = sum p_i/n_i in [100/99991, 100/99823] (n in [99823, 99991]),
 * so raw lies in (99.9989, 99.9990) -> shown 99.99, reported 100.0.
 */
static void test_big_all_fifteen(void **state)
{
    (void)state;
    for (int i = 0; i < 15; i++)
        sampled(i, primes[i], 1);
    expect(9999, 1000, FIVE);
    assert_int_equal(out.earned_hundredths, 9999);
    /* 5.3.2: 13*99828/99829 = 13 - 13/99829 -> 12.99 */
    assert_int_equal(out.indicator_hundredths[I532], 1299);
}

/* At the caps: every n = 100000 or 99999 (max), k = n. */
static void test_caps_accepted(void **state)
{
    (void)state;
    for (int i = 0; i < 15; i++)
        sampled(
            i, i % 2 ? SC_SCORE_SAMPLES_MAX : SC_SCORE_SAMPLES_MAX - 1,
            i == 0 ? 0
                   : (i % 2 ? SC_SCORE_SAMPLES_MAX : SC_SCORE_SAMPLES_MAX - 1));
    /* only 5.1.1 (6 points) earns: raw 6.00 */
    expect(600, 60, NONE);
    in.n_bonus = SC_SCORE_ITEMS_MAX;
    in.n_deductions = SC_SCORE_ITEMS_MAX;
    expect(600, 0, NONE);
    assert_int_equal(out.gated, true);
}

/* A scheme at the caps: 64 indicators of 1000 points, all sampled with
 * pairwise distinct large n (product ~ 10^320). Each earns exactly
 * 1000*(n-1)/n, i.e. loses 1000/n ~ 0.01: raw = 100 - (100/A)*L with
 * L = sum 1000/n_i in [64000/100000, 64000/99937] = [0.64, 0.64041]:
 * raw in [99.998999, 99.999) -> shown 99.99, reported 100.0. */
static void test_scheme_at_caps(void **state)
{
    (void)state;
    scheme.n_indicators = SC_SCHEME_MAX_INDICATORS;
    for (int i = 0; i < SC_SCHEME_MAX_INDICATORS; i++) {
        snprintf(scheme.indicators[i].code, sizeof scheme.indicators[i].code,
                 "x.%d", i);
        scheme.indicators[i].group = i % 3;
        scheme.indicators[i].points = SC_SCORE_POINTS_MAX;
    }
    in.n_results = SC_SCHEME_MAX_INDICATORS;
    for (int i = 0; i < SC_SCHEME_MAX_INDICATORS; i++)
        sampled(i, SC_SCORE_SAMPLES_MAX - i, 1);
    expect(9999, 1000, FIVE);
    assert_int_equal(out.applicable, 64000);
    /* earned = 64000 - L, L in [0.64, 0.6405) -> 63999.35.. -> 6399935 */
    assert_int_equal(out.earned_hundredths, 6399935);
}

/* ---- refusals ---- */

static void test_all_excluded_refused(void **state)
{
    (void)state;
    for (int i = 0; i < 15; i++)
        excluded(i);
    refused(SC_ERR_INVALID, "results");
    in.results[I526].kind = SC_SCORE_CONFORM;
    expect(10000, 1000, FIVE);
    assert_int_equal(out.applicable, 5);
}

static void test_bad_samples_refused(void **state)
{
    (void)state;
    sampled(I524, 0, 0);
    refused(SC_ERR_INVALID, "results.5.2.4.samples");
    sampled(I524, SC_SCORE_SAMPLES_MAX + 1, 0);
    refused(SC_ERR_INVALID, "results.5.2.4.samples");
    sampled(I524, -3, 0);
    refused(SC_ERR_INVALID, "results.5.2.4.samples");
    sampled(I524, 6, 7);
    refused(SC_ERR_INVALID, "results.5.2.4.nonconforming");
    sampled(I524, 6, -1);
    refused(SC_ERR_INVALID, "results.5.2.4.nonconforming");
    sampled(I524, 6, 6); /* all nonconforming is allowed: 0 points */
    expect(9300, 930, FOUR);
}

static void test_bad_counts_refused(void **state)
{
    (void)state;
    in.n_results = 14;
    refused(SC_ERR_INVALID, "results");
    in.n_results = 15;
    in.n_bonus = SC_SCORE_ITEMS_MAX + 1;
    refused(SC_ERR_INVALID, "bonus");
    in.n_bonus = -1;
    refused(SC_ERR_INVALID, "bonus");
    in.n_bonus = 0;
    in.n_deductions = SC_SCORE_ITEMS_MAX + 1;
    refused(SC_ERR_INVALID, "special_deductions");
    in.n_deductions = 0;
    in.results[3].kind = (enum sc_score_kind)9;
    refused(SC_ERR_INVALID, "results.5.1.4");
}

static void test_bad_scheme_refused(void **state)
{
    (void)state;
    scheme.indicators[2].points = 0;
    refused(SC_ERR_SCHEME, "indicators[2].points");
    scheme.indicators[2].points = SC_SCORE_POINTS_MAX + 1;
    refused(SC_ERR_SCHEME, "indicators[2].points");
    scheme.indicators[2].points = 6;
    scheme.indicators[2].group = 3;
    refused(SC_ERR_SCHEME, "indicators[2].group");
    scheme.indicators[2].group = 0;
    scheme.n_levels = 0;
    refused(SC_ERR_SCHEME, "levels");
}

/* ---- first-certificate cap ---- */

static void test_first_cap(void **state)
{
    (void)state;
    /* off by default: nothing changes */
    assert_int_equal(sc_score_first_cap(&scheme, FIVE, true, 0), FIVE);
    scheme.first_cap_enabled = true;
    assert_int_equal(sc_score_first_cap(&scheme, FIVE, true, 0), COMPLIANT);
    assert_int_equal(sc_score_first_cap(&scheme, FOUR, true, 11), COMPLIANT);
    assert_int_equal(sc_score_first_cap(&scheme, THREE, true, -2), COMPLIANT);
    /* 12 full months after the first issue the cap has ended */
    assert_int_equal(sc_score_first_cap(&scheme, FIVE, true, 12), FIVE);
    assert_int_equal(sc_score_first_cap(&scheme, FOUR, true, 30), FOUR);
    /* not a first certificate */
    assert_int_equal(sc_score_first_cap(&scheme, FIVE, false, 0), FIVE);
    /* never raises */
    assert_int_equal(sc_score_first_cap(&scheme, COMPLIANT, true, 0),
                     COMPLIANT);
    assert_int_equal(sc_score_first_cap(&scheme, NONE, true, 0), NONE);
}

static void test_kind_names(void **state)
{
    (void)state;
    static const char *const names[4] = {"conform", "nonconform", "sampled",
                                         "excluded"};
    for (int k = 0; k < 4; k++) {
        enum sc_score_kind got;
        assert_string_equal(sc_score_kind_name((enum sc_score_kind)k),
                            names[k]);
        assert_true(sc_score_kind_parse(names[k], &got));
        assert_int_equal(got, k);
    }
    enum sc_score_kind got;
    assert_false(sc_score_kind_parse("Conform", &got));
    assert_false(sc_score_kind_parse("", &got));
    assert_string_equal(sc_score_kind_name((enum sc_score_kind)7), "?");
}

/* ---- properties ---- */

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    rng_state = x;
    return x;
}
static int rnd_in(int lo, int hi) /* inclusive */
{
    return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static i128 gcd128(i128 a, i128 b)
{
    while (b != 0) {
        i128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static i128 floor128(i128 a, i128 b) /* b > 0 */
{
    i128 q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

struct ref {
    int earned_h, raw_h, tenths, level, applicable;
    int group_h[SC_SCHEME_MAX_GROUPS];
    bool on_half; /* 10 * score lies exactly on a .5 */
};

/* Independent reference: lcm denominator, one 128-bit division each. Only
 * for small sample counts (lcm(1..12) = 27720). */
static struct ref reference(const struct sc_scheme *s,
                            const struct sc_score_input *x)
{
    struct ref r;
    memset(&r, 0, sizeof r);
    i128 d = 1;
    for (int i = 0; i < s->n_indicators; i++)
        if (x->results[i].kind == SC_SCORE_SAMPLED)
            d = d / gcd128(d, x->results[i].samples) * x->results[i].samples;
    i128 n = 0, gn[SC_SCHEME_MAX_GROUPS] = {0};
    for (int i = 0; i < s->n_indicators; i++) {
        const struct sc_score_result *res = &x->results[i];
        int p = s->indicators[i].points, g = s->indicators[i].group;
        i128 e = 0;
        if (res->kind == SC_SCORE_EXCLUDED)
            continue;
        if (res->kind == SC_SCORE_CONFORM)
            e = (i128)p * d;
        else if (res->kind == SC_SCORE_SAMPLED)
            e = (i128)p * (res->samples - res->nonconforming) * d /
                res->samples;
        n += e;
        gn[g] += e;
        r.applicable += p;
    }
    i128 a = r.applicable;
    r.earned_h = (int)(100 * n / d);
    r.raw_h = (int)(10000 * n / (a * d));
    for (int g = 0; g < s->n_groups; g++)
        r.group_h[g] = (int)(100 * gn[g] / d);
    int bonus =
        x->n_bonus < s->bonus_max_items ? x->n_bonus : s->bonus_max_items;
    i128 adj = (i128)bonus * s->bonus_points -
               (i128)x->n_deductions * s->deduction_points;
    /* 10 * score = (1000 n + 10 adj a d) / (a d); half-up */
    i128 num = 1000 * n + 10 * adj * a * d, den = a * d;
    r.on_half = (2 * num) % (2 * den) == den || (2 * num) % (2 * den) == -den;
    i128 t = floor128(2 * num + den, 2 * den);
    r.tenths = t < 0 ? 0 : t > 1000 ? 1000 : (int)t;
    r.level = 4;
    if (x->n_deductions < s->deduction_gate)
        for (int l = 3; l >= 0; l--)
            if (r.tenths >= s->levels[l].min_tenths)
                r.level = l;
    return r;
}

static void random_input(int max_n)
{
    sc_score_input_init(&in);
    in.n_results = scheme.n_indicators;
    int applicable = 0;
    for (int i = 0; i < scheme.n_indicators; i++) {
        int w = rnd_in(0, 9);
        if (w < 3)
            in.results[i].kind = SC_SCORE_CONFORM;
        else if (w < 4)
            in.results[i].kind = SC_SCORE_NONCONFORM;
        else if (w < 5)
            in.results[i].kind = SC_SCORE_EXCLUDED;
        else {
            int n = rnd_in(1, max_n);
            sampled(i, n, rnd_in(0, n));
        }
        applicable += in.results[i].kind != SC_SCORE_EXCLUDED;
    }
    if (!applicable)
        in.results[rnd_in(0, scheme.n_indicators - 1)].kind = SC_SCORE_CONFORM;
    in.n_bonus = rnd_in(0, 9) < 7 ? 0 : rnd_in(1, 3);
    in.n_deductions = rnd_in(0, 9) < 6 ? 0 : rnd_in(1, 6);
}

static void check_against(const struct ref *r)
{
    assert_int_equal(out.applicable, r->applicable);
    assert_int_equal(out.earned_hundredths, r->earned_h);
    assert_int_equal(out.raw_hundredths, r->raw_h);
    assert_int_equal(out.score_tenths, r->tenths);
    assert_int_equal(out.level, r->level);
    for (int g = 0; g < scheme.n_groups; g++)
        assert_int_equal(out.groups[g].earned_hundredths, r->group_h[g]);
}

/* 20000 random sheets with n <= 12 agree exactly with the reference; some
 * of them land exactly on a rounding half, so the boundary is exercised. */
static void test_property_matches_reference(void **state)
{
    (void)state;
    rng_state = 0x9E3779B97F4A7C15ull;
    int halves = 0;
    for (int c = 0; c < 20000; c++) {
        random_input(12);
        compute();
        struct ref r = reference(&scheme, &in);
        halves += r.on_half;
        check_against(&r);
    }
    assert_true(halves > 100);
}

/* The same with random points per indicator (1..50), random thresholds,
 * bonus/deduction points and gate, so nothing depends on the defaults. */
static void test_property_random_scheme(void **state)
{
    (void)state;
    rng_state = 0x1234567887654321ull;
    for (int c = 0; c < 5000; c++) {
        make_scheme(&scheme);
        for (int i = 0; i < 15; i++)
            scheme.indicators[i].points = rnd_in(1, 50);
        int min = 1000;
        for (int l = 0; l < 4; l++) {
            min = rnd_in(min / 2, min);
            scheme.levels[l].min_tenths = min;
        }
        scheme.bonus_points = rnd_in(0, 3);
        scheme.bonus_max_items = rnd_in(0, 2);
        scheme.deduction_points = rnd_in(0, 3);
        scheme.deduction_gate = rnd_in(1, 7);
        random_input(12);
        compute();
        struct ref r = reference(&scheme, &in);
        check_against(&r);
    }
}

/* The bignum path: n = m*c, k = j*c with m <= 12 and c large has the same
 * value as j/m but a huge common denominator (up to 10^75); the outcome must
 * equal the reference computed on the reduced fractions. */
static void test_property_scaled_bignum(void **state)
{
    (void)state;
    rng_state = 0xC0FFEE0DDF00Dull;
    for (int c = 0; c < 5000; c++) {
        random_input(12);
        struct ref r = reference(&scheme, &in);
        for (int i = 0; i < 15; i++) {
            struct sc_score_result *res = &in.results[i];
            if (res->kind != SC_SCORE_SAMPLED)
                continue;
            int f = rnd_in(SC_SCORE_SAMPLES_MAX / res->samples / 2,
                           SC_SCORE_SAMPLES_MAX / res->samples);
            res->samples *= f;
            res->nonconforming *= f;
        }
        compute();
        check_against(&r);
    }
}

/* Improving one indicator (nonconform -> sampled -> conform, or fewer
 * nonconforming samples) never lowers the score or the level. */
static void test_property_monotone(void **state)
{
    (void)state;
    rng_state = 0xDEADBEEFCAFEF00Dull;
    int improved = 0;
    for (int c = 0; c < 10000; c++) {
        random_input(SC_SCORE_SAMPLES_MAX);
        compute();
        struct sc_score_outcome before = out;
        int i = rnd_in(0, 14);
        struct sc_score_result *res = &in.results[i];
        switch (res->kind) {
        case SC_SCORE_NONCONFORM:
            if (rnd_in(0, 1)) {
                res->kind = SC_SCORE_CONFORM;
            } else {
                int n = rnd_in(1, SC_SCORE_SAMPLES_MAX);
                sampled(i, n, rnd_in(0, n - 1));
            }
            break;
        case SC_SCORE_SAMPLED:
            if (res->nonconforming == 0 || rnd_in(0, 3) == 0)
                res->kind = SC_SCORE_CONFORM;
            else
                res->nonconforming -= rnd_in(1, res->nonconforming);
            break;
        default:
            continue;
        }
        improved++;
        compute();
        assert_true(out.score_tenths >= before.score_tenths);
        assert_true(out.raw_hundredths >= before.raw_hundredths);
        assert_true(out.earned_hundredths >= before.earned_hundredths);
        assert_true(out.level <= before.level);
    }
    assert_true(improved > 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_all_conform, setup),
        cmocka_unit_test_setup(test_all_nonconform, setup),
        cmocka_unit_test_setup(test_compliant_exact_and_below, setup),
        cmocka_unit_test_setup(test_6995_is_compliant, setup),
        cmocka_unit_test_setup(test_just_below_6995_is_none, setup),
        cmocka_unit_test_setup(test_just_above_6995_is_compliant, setup),
        cmocka_unit_test_setup(test_7995_three_star_and_below, setup),
        cmocka_unit_test_setup(test_8995_four_star_and_below, setup),
        cmocka_unit_test_setup(test_9495_five_star, setup),
        cmocka_unit_test_setup(test_9494_four_star, setup),
        cmocka_unit_test_setup(test_bonus_lifts_94_to_95, setup),
        cmocka_unit_test_setup(test_bonus_cap, setup),
        cmocka_unit_test_setup(test_deduction_below_threshold, setup),
        cmocka_unit_test_setup(test_deduction_rounding_on_reported, setup),
        cmocka_unit_test_setup(test_clamp_at_100, setup),
        cmocka_unit_test_setup(test_clamp_at_0, setup),
        cmocka_unit_test_setup(test_gate_4_vs_5, setup),
        cmocka_unit_test_setup(test_big_coprime_above, setup),
        cmocka_unit_test_setup(test_big_coprime_below, setup),
        cmocka_unit_test_setup(test_big_all_fifteen, setup),
        cmocka_unit_test_setup(test_caps_accepted, setup),
        cmocka_unit_test_setup(test_scheme_at_caps, setup),
        cmocka_unit_test_setup(test_all_excluded_refused, setup),
        cmocka_unit_test_setup(test_bad_samples_refused, setup),
        cmocka_unit_test_setup(test_bad_counts_refused, setup),
        cmocka_unit_test_setup(test_bad_scheme_refused, setup),
        cmocka_unit_test_setup(test_first_cap, setup),
        cmocka_unit_test_setup(test_kind_names, setup),
        cmocka_unit_test_setup(test_property_matches_reference, setup),
        cmocka_unit_test_setup(test_property_random_scheme, setup),
        cmocka_unit_test_setup(test_property_scaled_bignum, setup),
        cmocka_unit_test_setup(test_property_monotone, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
