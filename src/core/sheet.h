/*
 * sheet: the calculation sheet, i.e. the JSON form of a score's inputs and
 * outcome, shared by the CLI (`starcert score`), the HTTP API and the store.
 *
 * It validates an input document against a scheme (precise field paths on
 * refusal), turns it into a `struct sc_score_input` for score, and turns an
 * outcome back into the output object. The arithmetic is score's; this
 * module only reads and writes JSON. Not for: reading files or parsing JSON
 * text (the caller loads the document with Jansson, preferably with
 * JSON_REJECT_DUPLICATES), or storing anything.
 *
 * Input document:
 *   {"results": {"5.1.1": {"result": "conform"},
 *                "5.2.4": {"result": "sampled", "samples": 6,
 *                          "nonconforming": 1},
 *                "5.2.6": {"result": "excluded", "reason": "..."}, ...},
 *    "special_deductions": [{"reason": "..."}],     (optional, default [])
 *    "bonus": [{"reason": "..."}]}                  (optional, default [])
 * - every indicator of the scheme appears exactly once in "results";
 * - "result" is conform | nonconform | sampled | excluded;
 * - "samples" (1..SC_SCORE_SAMPLES_MAX) and "nonconforming" (0..samples)
 *   are JSON integers, required with "sampled" and refused with any other
 *   result;
 * - "reason" (the auditor's note) is allowed on every result and required
 *   for "excluded"; every special deduction and bonus item needs one;
 *   a reason is a string that is not blank (white space, including U+3000
 *   and U+00A0, does not count) and at most SC_SHEET_REASON_MAX bytes;
 * - at most SC_SCORE_ITEMS_MAX items in each list;
 * - any other key, anywhere, is refused.
 * Field paths on refusal: "results", "results.5.9.9" (unknown or missing
 * indicator, or not an object), "results.5.2.4.samples",
 * "results.5.2.4.foo" (unknown key), "special_deductions[2].reason",
 * "bonus", "foo" (unknown top-level key), "" (not an object).
 *
 * Output object (keys in this order):
 *   {"scheme": "gbt27922-2011", "scheme_version": "1",
 *    "earned": "87.83", "applicable": 94, "raw": "93.44", "score": "87.5",
 *    "level": "three_star", "level_zh": "三星级", "level_en": "three-star",
 *    "certified": true, "gated": false,
 *    "bonus_applied": 1, "special_deductions": 0,
 *    "groups": [{"code": "5.1", "name_zh": ..., "name_en": ...,
 *                "earned": "40.00", "applicable": 40}, ...],
 *    "indicators": [{"code": "5.2.4", "group": "5.2", "name_zh": ...,
 *                    "name_en": ..., "points": 7, "result": "sampled",
 *                    "samples": 6, "nonconforming": 1, "earned": "5.83",
 *                    "reason": "..."}, ...]}
 * "score" (one decimal, rounded half-up) is the reported, deciding value.
 * "earned" and "raw" (two decimals) are DISPLAY values: the exact value
 * truncated to two decimals, so the shown raw never suggests a different
 * rounding than the reported score; the decision uses the exact value.
 * "special_deductions" is the number of items recorded; "bonus_applied" the
 * number that counted (capped by the scheme). In "indicators", "samples" and
 * "nonconforming" appear only for "sampled", "reason" only when given, and
 * "earned" is null for "excluded" (it leaves the totals). Item reasons of
 * special deductions and bonus are not echoed: the input document, stored
 * beside the output, is their record.
 */
#ifndef SC_SHEET_H
#define SC_SHEET_H

#include <jansson.h>

#include "err.h"
#include "scheme.h"
#include "score.h"

#define SC_SHEET_INPUT_MAX (1024 * 1024) /* bytes of an input document */
#define SC_SHEET_REASON_MAX 2000         /* bytes of one reason (UTF-8) */

/*
 * Validates `input` against scheme `s` and fills *out (n_results =
 * s->n_indicators, results in the scheme's order). The reasons in *out are
 * borrowed from `input`: keep `input` alive while *out is used.
 * SC_ERR_INVALID with err->field as described above; *out unspecified then.
 * Allocates nothing.
 */
enum sc_err sc_sheet_parse_input(const struct sc_scheme *s, const json_t *input,
                                 struct sc_score_input *out,
                                 struct sc_error *err);

/*
 * The output object for an input and the outcome sc_score_compute gave for
 * it under the same scheme. Returns a new reference (caller decrefs), or
 * NULL when out of memory.
 */
json_t *sc_sheet_result_json(const struct sc_scheme *s,
                             const struct sc_score_input *in,
                             const struct sc_score_outcome *o);

/*
 * parse + sc_score_compute + result_json in one call. On SC_OK *result is a
 * new reference (caller decrefs) and, when `outcome` is not NULL, *outcome
 * holds the computed outcome (level, certified, score_tenths for the store).
 * On failure *result is NULL and err says why (SC_ERR_INVALID,
 * SC_ERR_SCHEME, SC_ERR_NOMEM).
 */
enum sc_err sc_sheet_compute(const struct sc_scheme *s, const json_t *input,
                             struct sc_score_outcome *outcome, json_t **result,
                             struct sc_error *err);

#endif
