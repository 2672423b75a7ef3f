/*
 * score: the audit score and star level of domain.md section 2, computed
 * exactly.
 *
 * Given a scheme (points per indicator, level thresholds, bonus and
 * deduction settings) and one result per indicator, this module computes the
 * earned and applicable points, the raw percentage, the reported score
 * (rounded half-up to one decimal) and the level decided on that reported
 * value. Everything is integer arithmetic on exact rationals: the sum of
 * sampled fractions p*(n-k)/n over many indicators has a common denominator
 * far beyond 64 or 128 bits, so a small fixed-size bignum inside score.c
 * carries it. No floating point anywhere. No I/O, no clock, no allocation.
 * Not for: parsing or printing (sheet does the JSON), storing the
 * calculation sheet (the store), or deciding whether the first-certificate
 * cap applies to an application (the caller supplies the facts).
 */
#ifndef SC_SCORE_H
#define SC_SCORE_H

#include <stdbool.h>

#include "err.h"
#include "scheme.h"

/* Caps. Inputs beyond them are refused (SC_ERR_INVALID); scheme values
 * beyond them are refused (SC_ERR_SCHEME). The bignum in score.c is sized
 * from these (see the bound proved there). */
#define SC_SCORE_SAMPLES_MAX 100000 /* n of a sampled indicator */
#define SC_SCORE_ITEMS_MAX 100      /* special bonus / deduction items */
#define SC_SCORE_POINTS_MAX 1000    /* one indicator's points in a scheme */
#define SC_SCORE_ADJUST_MAX 100     /* bonus_points, deduction_points */

enum sc_score_kind {
    SC_SCORE_CONFORM = 0, /* full points */
    SC_SCORE_NONCONFORM,  /* 0 points */
    SC_SCORE_SAMPLED,     /* points * (samples - nonconforming) / samples */
    SC_SCORE_EXCLUDED     /* does not apply: leaves earned and applicable */
};

/* One indicator's result. `samples` and `nonconforming` are read only for
 * SC_SCORE_SAMPLED (1 <= samples <= SC_SCORE_SAMPLES_MAX,
 * 0 <= nonconforming <= samples). `reason` is the auditor's note, borrowed
 * (never freed here; sheet points it into the parsed JSON document, which
 * must outlive the input); NULL when none. The score ignores it; sheet
 * requires a non-blank one for SC_SCORE_EXCLUDED. */
struct sc_score_result {
    enum sc_score_kind kind;
    int samples;
    int nonconforming;
    const char *reason;
};

/* Everything the score depends on. results[i] belongs to the scheme's
 * indicators[i]; n_results must equal the scheme's n_indicators. The item
 * reasons are borrowed like sc_score_result.reason and ignored by the score;
 * only the counts matter. Caller-owned; no heap. */
struct sc_score_input {
    struct sc_score_result results[SC_SCHEME_MAX_INDICATORS];
    int n_results;
    int n_bonus;      /* special bonus items recorded, 0..SC_SCORE_ITEMS_MAX */
    int n_deductions; /* special deduction items, 0..SC_SCORE_ITEMS_MAX */
    const char *bonus_reasons[SC_SCORE_ITEMS_MAX];
    const char *deduction_reasons[SC_SCORE_ITEMS_MAX];
};

/*
 * The outcome. Deciding values: score_tenths, level, certified, gated.
 * Display values (*_hundredths): the exact value truncated (rounded down)
 * to two decimals, so that rounding a displayed raw half-up to one decimal
 * and adding the bonus/deductions always gives the reported score (a
 * half-up display could show raw 69.95 beside a reported 69.9). They never
 * decide anything.
 */
struct sc_score_group_outcome {
    int earned_hundredths; /* display: the group's earned points x 100 */
    int applicable;        /* points of the group's applicable indicators */
};

struct sc_score_outcome {
    struct sc_score_group_outcome groups[SC_SCHEME_MAX_GROUPS];
    int n_groups;
    /* display: each indicator's earned points x 100; 0 when excluded */
    int indicator_hundredths[SC_SCHEME_MAX_INDICATORS];
    int earned_hundredths; /* display: total earned x 100 */
    int applicable;        /* total applicable points (> 0) */
    int raw_hundredths;    /* display: raw percentage x 100, 0..10000 */
    int score_tenths;      /* REPORTED score x 10, 0..1000: decides */
    int level;             /* index into scheme->levels */
    bool certified;        /* scheme->levels[level].certified */
    bool gated;            /* deductions >= deduction_gate forced the level */
    int bonus_applied;     /* min(n_bonus, bonus_max_items) */
    int deductions;        /* n_deductions */
    int n_conform, n_nonconform, n_sampled, n_excluded;
};

/* Zeroes `in` (all results conform with no reason, no items). */
void sc_score_input_init(struct sc_score_input *in);

/*
 * Computes the outcome of `in` under scheme `s`. Returns SC_OK and fills
 * *out; on failure *out is unspecified and err says why:
 *   SC_ERR_SCHEME  the scheme is outside the caps (field names the setting,
 *                  e.g. "indicators[3].points");
 *   SC_ERR_INVALID the input is refused, field in sheet's path form:
 *                  "results" (wrong count, or every indicator excluded),
 *                  "results.5.2.4" (unknown kind), "results.5.2.4.samples",
 *                  "results.5.2.4.nonconforming", "bonus",
 *                  "special_deductions" (count outside 0..SC_SCORE_ITEMS_MAX).
 * Scoring: raw = 100 * sum(earned) / sum(applicable);
 * score = raw + bonus_applied*bonus_points - deductions*deduction_points,
 * clamped to [0, 100], reported rounded half-up to one decimal; the level is
 * the first (best) level whose min_tenths <= the reported tenths, or the last
 * level when deductions >= deduction_gate (a gate <= 0 means no gate).
 */
enum sc_err sc_score_compute(const struct sc_scheme *s,
                             const struct sc_score_input *in,
                             struct sc_score_outcome *out,
                             struct sc_error *err);

/*
 * The optional first-certificate cap (scheme first_cap_*; off by default):
 * returns the level index to award. When the cap is enabled, this is a first
 * certificate and fewer than first_cap_months full months have passed since
 * its first issue (a negative count counts as 0; pass 0 at the initial
 * decision), a certified level better than first_cap_level is lowered to
 * first_cap_level. Otherwise, or for an uncertified level, `level` is
 * returned unchanged. Pure.
 */
int sc_score_first_cap(const struct sc_scheme *s, int level,
                       bool first_certificate, int months_since_first_issue);

/* Wire name of a result kind ("conform", ...); "?" for an unknown value. */
const char *sc_score_kind_name(enum sc_score_kind kind);

/* The kind named `name`; false when there is none. */
bool sc_score_kind_parse(const char *name, enum sc_score_kind *out);

#endif
