/*
 * score: exact scoring (see score.h). The earned total is a sum of
 * rationals p*(n-k)/n whose common denominator (the product of the sample
 * counts) outgrows every machine integer, so it is carried in a small
 * fixed-capacity unsigned bignum; the quotients the rules need are small
 * (at most 100 * total points), so they are found by binary search using only
 * multiply-by-small and compare. Not for: JSON (sheet), rounding for
 * anything but the documented display and reported values.
 */
#include "score.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * Bound (why BIG_LIMBS suffices). With
 *   n_i <= SC_SCORE_SAMPLES_MAX = 100000 < 2^17, at most
 *   SC_SCHEME_MAX_INDICATORS = 64 indicators, points <= SC_SCORE_POINTS_MAX,
 *   so the applicable total A <= 64 * 1000 = 64000 < 2^16:
 * - a denominator D = product of the sampled n_i < 2^(17*64) = 2^1088;
 * - a numerator N <= A*D < 2^1104 (earned never exceeds applicable), also at
 *   every step of the accumulation N' = N*n + p*(n-k)*D, D' = D*n;
 * - the largest products formed are N * 10000 and q * A * D with
 *   q <= 10000 (raw), or N * 100 and q * D with q <= 100 * A (earned):
 *   all < 2^(1104 + 14) = 2^1118 (10000 < 2^14; 100 * A < 2^(7 + 16)).
 * So 17*64 + 16 + 14 = 1118 bits are enough; the assertion below reserves
 * one more (MULTIPLIER_BITS 15) and BIG_LIMBS * 32 = 1152. The assertions keep
 * the bound honest if a cap changes, and every operation still reports
 * overflow (turned into SC_ERR_INTERNAL) rather than wrap.
 */
#define SAMPLES_BITS 17
#define APPLICABLE_BITS 16
#define MULTIPLIER_BITS 15 /* the raw factor 10000 < 2^14, one bit spare */
#define BIG_LIMBS 36

_Static_assert(SC_SCORE_SAMPLES_MAX < (1L << SAMPLES_BITS), "samples cap");
_Static_assert(1L * SC_SCHEME_MAX_INDICATORS * SC_SCORE_POINTS_MAX <
                   (1L << APPLICABLE_BITS),
               "applicable cap");
_Static_assert(10000 < (1L << MULTIPLIER_BITS), "multiplier cap");
_Static_assert(32L * BIG_LIMBS >=
                   (long)SAMPLES_BITS * SC_SCHEME_MAX_INDICATORS +
                       APPLICABLE_BITS + MULTIPLIER_BITS,
               "bignum too small for the caps");
/* p * (n - k) must fit one limb. */
_Static_assert(1LL * SC_SCORE_POINTS_MAX * SC_SCORE_SAMPLES_MAX < (1LL << 32),
               "numerator term must fit 32 bits");

struct big {
    uint32_t limb[BIG_LIMBS]; /* little-endian base 2^32 */
};

static void big_set(struct big *b, uint32_t v)
{
    memset(b, 0, sizeof *b);
    b->limb[0] = v;
}

/* b *= m; false on overflow. */
static bool big_mul_small(struct big *b, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < BIG_LIMBS; i++) {
        uint64_t t = (uint64_t)b->limb[i] * m + carry;
        b->limb[i] = (uint32_t)t;
        carry = t >> 32;
    }
    return carry == 0;
}

/* a += b; false on overflow. */
static bool big_add(struct big *a, const struct big *b)
{
    uint64_t carry = 0;
    for (int i = 0; i < BIG_LIMBS; i++) {
        uint64_t t = (uint64_t)a->limb[i] + b->limb[i] + carry;
        a->limb[i] = (uint32_t)t;
        carry = t >> 32;
    }
    return carry == 0;
}

static int big_cmp(const struct big *a, const struct big *b)
{
    for (int i = BIG_LIMBS - 1; i >= 0; i--)
        if (a->limb[i] != b->limb[i])
            return a->limb[i] < b->limb[i] ? -1 : 1;
    return 0;
}

/* An exact non-negative rational num/den, den > 0. */
struct frac {
    struct big num;
    struct big den;
};

static void frac_zero(struct frac *f)
{
    big_set(&f->num, 0);
    big_set(&f->den, 1);
}

/* f += a / b (b > 0); false on overflow. */
static bool frac_add(struct frac *f, uint32_t a, uint32_t b)
{
    struct big t = f->den;
    if (!big_mul_small(&t, a))
        return false;
    if (b != 1) {
        if (!big_mul_small(&f->num, b) || !big_mul_small(&f->den, b))
            return false;
    }
    return big_add(&f->num, &t);
}

/*
 * The largest q in [0, qmax] with q * den * den_mul <= num * num_mul, i.e.
 * floor(num * num_mul / (den * den_mul)) when that is at most qmax.
 * False on overflow.
 */
static bool ratio_floor(const struct big *num, uint32_t num_mul,
                        const struct big *den, uint32_t den_mul, uint32_t qmax,
                        uint32_t *q)
{
    struct big rhs = *num;
    struct big lhs_unit = *den;
    if (!big_mul_small(&rhs, num_mul) || !big_mul_small(&lhs_unit, den_mul))
        return false;
    uint32_t lo = 0, hi = qmax;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        struct big t = lhs_unit;
        if (!big_mul_small(&t, mid))
            return false;
        if (big_cmp(&t, &rhs) <= 0)
            lo = mid;
        else
            hi = mid - 1;
    }
    *q = lo;
    return true;
}

/* floor(a / b) for b > 0 and any sign of a. */
static long long floor_div(long long a, long long b)
{
    long long q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

static const char *const kind_names[] = {"conform", "nonconform", "sampled",
                                         "excluded"};

const char *sc_score_kind_name(enum sc_score_kind kind)
{
    if ((int)kind < 0 ||
        (int)kind >= (int)(sizeof kind_names / sizeof *kind_names))
        return "?";
    return kind_names[kind];
}

bool sc_score_kind_parse(const char *name, enum sc_score_kind *out)
{
    for (size_t i = 0; i < sizeof kind_names / sizeof *kind_names; i++)
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (enum sc_score_kind)i;
            return true;
        }
    return false;
}

void sc_score_input_init(struct sc_score_input *in)
{
    memset(in, 0, sizeof *in);
    for (int i = 0; i < SC_SCHEME_MAX_INDICATORS; i++) {
        in->results[i].kind = SC_SCORE_CONFORM;
        in->results[i].reason = NULL;
    }
    for (int i = 0; i < SC_SCORE_ITEMS_MAX; i++) {
        in->bonus_reasons[i] = NULL;
        in->deduction_reasons[i] = NULL;
    }
}

static enum sc_err check_scheme(const struct sc_scheme *s, struct sc_error *err)
{
    char field[SC_ERROR_FIELD_MAX];
    if (s->n_groups < 1 || s->n_groups > SC_SCHEME_MAX_GROUPS)
        return sc_error_set(err, SC_ERR_SCHEME, "groups", "needs 1..%d groups",
                            SC_SCHEME_MAX_GROUPS);
    if (s->n_indicators < 1 || s->n_indicators > SC_SCHEME_MAX_INDICATORS)
        return sc_error_set(err, SC_ERR_SCHEME, "indicators",
                            "needs 1..%d indicators", SC_SCHEME_MAX_INDICATORS);
    for (int i = 0; i < s->n_indicators; i++) {
        const struct sc_scheme_indicator *ind = &s->indicators[i];
        if (ind->points < 1 || ind->points > SC_SCORE_POINTS_MAX) {
            snprintf(field, sizeof field, "indicators[%d].points", i);
            return sc_error_set(err, SC_ERR_SCHEME, field, "must be 1..%d",
                                SC_SCORE_POINTS_MAX);
        }
        if (ind->group < 0 || ind->group >= s->n_groups) {
            snprintf(field, sizeof field, "indicators[%d].group", i);
            return sc_error_set(err, SC_ERR_SCHEME, field, "unknown group");
        }
    }
    if (s->n_levels < 1 || s->n_levels > SC_SCHEME_MAX_LEVELS)
        return sc_error_set(err, SC_ERR_SCHEME, "levels", "needs 1..%d levels",
                            SC_SCHEME_MAX_LEVELS);
    if (s->bonus_points < 0 || s->bonus_points > SC_SCORE_ADJUST_MAX)
        return sc_error_set(err, SC_ERR_SCHEME, "bonus_points", "must be 0..%d",
                            SC_SCORE_ADJUST_MAX);
    if (s->deduction_points < 0 || s->deduction_points > SC_SCORE_ADJUST_MAX)
        return sc_error_set(err, SC_ERR_SCHEME, "deduction_points",
                            "must be 0..%d", SC_SCORE_ADJUST_MAX);
    if (s->bonus_max_items < 0)
        return sc_error_set(err, SC_ERR_SCHEME, "bonus_max_items",
                            "must be >= 0");
    return SC_OK;
}

static enum sc_err check_input(const struct sc_scheme *s,
                               const struct sc_score_input *in,
                               struct sc_error *err)
{
    char field[SC_ERROR_FIELD_MAX];
    if (in->n_results != s->n_indicators)
        return sc_error_set(err, SC_ERR_INVALID, "results",
                            "%d results for %d indicators", in->n_results,
                            s->n_indicators);
    int applicable = 0;
    for (int i = 0; i < s->n_indicators; i++) {
        const struct sc_score_result *r = &in->results[i];
        const char *code = s->indicators[i].code;
        switch (r->kind) {
        case SC_SCORE_CONFORM:
        case SC_SCORE_NONCONFORM:
            applicable++;
            break;
        case SC_SCORE_EXCLUDED:
            break;
        case SC_SCORE_SAMPLED:
            applicable++;
            if (r->samples < 1 || r->samples > SC_SCORE_SAMPLES_MAX) {
                snprintf(field, sizeof field, "results.%s.samples", code);
                return sc_error_set(err, SC_ERR_INVALID, field, "must be 1..%d",
                                    SC_SCORE_SAMPLES_MAX);
            }
            if (r->nonconforming < 0 || r->nonconforming > r->samples) {
                snprintf(field, sizeof field, "results.%s.nonconforming", code);
                return sc_error_set(err, SC_ERR_INVALID, field,
                                    "must be 0..%d (the samples)", r->samples);
            }
            break;
        default:
            snprintf(field, sizeof field, "results.%s", code);
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "unknown result kind");
        }
    }
    if (applicable == 0)
        return sc_error_set(err, SC_ERR_INVALID, "results",
                            "every indicator is excluded; at least one must "
                            "apply");
    if (in->n_bonus < 0 || in->n_bonus > SC_SCORE_ITEMS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "bonus", "at most %d items",
                            SC_SCORE_ITEMS_MAX);
    if (in->n_deductions < 0 || in->n_deductions > SC_SCORE_ITEMS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "special_deductions",
                            "at most %d items", SC_SCORE_ITEMS_MAX);
    return SC_OK;
}

static enum sc_err overflow(struct sc_error *err)
{
    /* Unreachable within the caps (see the bound above). */
    return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                        "score arithmetic exceeded its proven bound");
}

enum sc_err sc_score_compute(const struct sc_scheme *s,
                             const struct sc_score_input *in,
                             struct sc_score_outcome *out, struct sc_error *err)
{
    enum sc_err rc = check_scheme(s, err);
    if (rc != SC_OK)
        return rc;
    rc = check_input(s, in, err);
    if (rc != SC_OK)
        return rc;

    memset(out, 0, sizeof *out);
    struct frac total;
    struct frac group[SC_SCHEME_MAX_GROUPS];
    frac_zero(&total);
    for (int g = 0; g < s->n_groups; g++)
        frac_zero(&group[g]);
    out->n_groups = s->n_groups;

    for (int i = 0; i < s->n_indicators; i++) {
        const struct sc_score_result *r = &in->results[i];
        const struct sc_scheme_indicator *ind = &s->indicators[i];
        uint32_t p = (uint32_t)ind->points;
        uint32_t a = 0, b = 1; /* earned = a / b */
        switch (r->kind) {
        case SC_SCORE_CONFORM:
            out->n_conform++;
            a = p;
            break;
        case SC_SCORE_NONCONFORM:
            out->n_nonconform++;
            break;
        case SC_SCORE_SAMPLED:
            out->n_sampled++;
            a = p * (uint32_t)(r->samples - r->nonconforming);
            b = (uint32_t)r->samples;
            break;
        case SC_SCORE_EXCLUDED:
        default:
            out->n_excluded++;
            continue;
        }
        /* p * 100 * (n - k) / n fits easily in 64 bits */
        out->indicator_hundredths[i] = (int)((uint64_t)a * 100 / b);
        if (!frac_add(&total, a, b) || !frac_add(&group[ind->group], a, b))
            return overflow(err);
        out->applicable += ind->points;
        out->groups[ind->group].applicable += ind->points;
    }

    uint32_t q = 0;
    for (int g = 0; g < s->n_groups; g++) {
        uint32_t qmax = 100u * (uint32_t)out->groups[g].applicable;
        if (!ratio_floor(&group[g].num, 100, &group[g].den, 1, qmax, &q))
            return overflow(err);
        out->groups[g].earned_hundredths = (int)q;
    }
    if (!ratio_floor(&total.num, 100, &total.den, 1,
                     100u * (uint32_t)out->applicable, &q))
        return overflow(err);
    out->earned_hundredths = (int)q;
    /* R = floor(100 * raw) = floor(10000 * N / (A * D)) <= 10000 */
    if (!ratio_floor(&total.num, 10000, &total.den, (uint32_t)out->applicable,
                     10000, &q))
        return overflow(err);
    out->raw_hundredths = (int)q;

    out->bonus_applied =
        in->n_bonus < s->bonus_max_items ? in->n_bonus : s->bonus_max_items;
    out->deductions = in->n_deductions;
    long long adjust = (long long)out->bonus_applied * s->bonus_points -
                       (long long)out->deductions * s->deduction_points;
    /*
     * Reported tenths = floor(10 * (raw + adjust) + 1/2)
     *                 = floor((100 * raw + 100 * adjust + 5) / 10)
     *                 = floor((R + 100 * adjust + 5) / 10),
     * because floor(x / 10) = floor(floor(x) / 10) and 100 * adjust + 5 is an
     * integer. Clamping to [0, 100] before or after this rounding gives the
     * same result (both are monotone and 0, 1000 are fixed points).
     */
    long long tenths = floor_div((long long)q + 100 * adjust + 5, 10);
    if (tenths < 0)
        tenths = 0;
    if (tenths > 1000)
        tenths = 1000;
    out->score_tenths = (int)tenths;

    int level = s->n_levels - 1;
    out->gated = s->deduction_gate > 0 && out->deductions >= s->deduction_gate;
    if (!out->gated) {
        for (int l = 0; l < s->n_levels; l++)
            if (out->score_tenths >= s->levels[l].min_tenths) {
                level = l;
                break;
            }
    }
    out->level = level;
    out->certified = s->levels[level].certified;
    return SC_OK;
}

int sc_score_first_cap(const struct sc_scheme *s, int level,
                       bool first_certificate, int months_since_first_issue)
{
    if (!s->first_cap_enabled || !first_certificate)
        return level;
    if (level < 0 || level >= s->n_levels)
        return level;
    int cap = s->first_cap_level;
    if (cap < 0 || cap >= s->n_levels)
        return level;
    int months = months_since_first_issue < 0 ? 0 : months_since_first_issue;
    if (months >= s->first_cap_months)
        return level;
    if (s->levels[level].certified && level < cap)
        return cap;
    return level;
}
