/*
 * test_sheet: the calculation sheet's JSON codec under the bundled scheme:
 * the exact output object for a worked example, the threshold cases of
 * domain.md section 2 through JSON, and every refusal with its field path.
 * Expected values are worked out by hand in the comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sheet.h"

static struct sc_scheme scheme;

static const char *const codes[15] = {
    "5.1.1", "5.1.2", "5.1.3", "5.1.4", "5.1.5", "5.1.6", "5.1.7", "5.2.1",
    "5.2.2", "5.2.3", "5.2.4", "5.2.5", "5.2.6", "5.3.1", "5.3.2"};

static int load(void **state)
{
    (void)state;
    struct sc_error err;
    sc_error_clear(&err);
    enum sc_err rc = sc_scheme_load_default(&scheme, &err);
    if (rc != SC_OK)
        fprintf(stderr, "default scheme: %s %s\n", err.field, err.message);
    return rc == SC_OK ? 0 : -1;
}

/* {"results": {every code: {"result": "conform"}}} */
static json_t *base(void)
{
    json_t *results = json_object();
    for (int i = 0; i < 15; i++)
        json_object_set_new(results, codes[i],
                            json_pack("{s:s}", "result", "conform"));
    return json_pack("{s:o}", "results", results);
}

static void set(json_t *doc, const char *code, json_t *value)
{
    json_object_set_new(json_object_get(doc, "results"), code, value);
}

static json_t *parse_text(const char *text, size_t flags)
{
    json_error_t je;
    json_t *j = json_loads(text, flags, &je);
    if (!j)
        fprintf(stderr, "test JSON: %s: %s\n", text, je.text);
    assert_non_null(j);
    return j;
}

static json_t *compute_ok(const json_t *doc)
{
    json_t *out = NULL;
    struct sc_error err;
    sc_error_clear(&err);
    enum sc_err rc = sc_sheet_compute(&scheme, doc, NULL, &out, &err);
    if (rc != SC_OK)
        fprintf(stderr, "refused: %s %s\n", err.field, err.message);
    assert_int_equal(rc, SC_OK);
    assert_non_null(out);
    return out;
}

static void expect_refused(const json_t *doc, const char *field)
{
    json_t *out = (json_t *)1;
    struct sc_error err;
    sc_error_clear(&err);
    enum sc_err rc = sc_sheet_compute(&scheme, doc, NULL, &out, &err);
    assert_int_equal(rc, SC_ERR_INVALID);
    assert_null(out);
    assert_string_equal(err.field, field);
    assert_true(err.message[0] != '\0');
}

static void expect_str(const json_t *o, const char *key, const char *want)
{
    const json_t *v = json_object_get(o, key);
    assert_non_null(v);
    assert_string_equal(json_string_value(v), want);
}

/* ---- the default scheme is the rulebook's (the sheet relies on it) ---- */

static void test_default_scheme_is_rulebook(void **state)
{
    (void)state;
    static const int points[15] = {6, 6, 6, 6, 5, 5,  6, 5,
                                   6, 6, 7, 6, 5, 12, 13};
    assert_int_equal(scheme.n_indicators, 15);
    for (int i = 0; i < 15; i++) {
        assert_string_equal(scheme.indicators[i].code, codes[i]);
        assert_int_equal(scheme.indicators[i].points, points[i]);
    }
    assert_int_equal(scheme.n_levels, 5);
    assert_string_equal(scheme.levels[4].code, "none");
    assert_int_equal(scheme.deduction_gate, 5);
}

/* ---- the worked example ---- */

/*
 * 5.2.4 (7) sampled 6 with 1: 7*5/6 = 5.8333; 5.2.6 (5) excluded;
 * 5.3.2 (13) nonconform, with a note. Applicable 95;
 * earned = 100 - 5 - 13 - 7 + 35/6 = 485/6 = 80.8333 -> "80.83";
 * raw = 48500/570 = 85.0877 -> "85.08"; +1 bonus -1 deduction = 85.0877
 * -> "85.1", three-star. 5.2: 5+6+6+5.8333+6 = 28.8333 of 30.
 */
static const char *const worked_input =
    "{\"results\": {\"5.1.1\": {\"result\": \"conform\"},"
    " \"5.1.2\": {\"result\": \"conform\"}, \"5.1.3\": {\"result\": "
    "\"conform\"}, \"5.1.4\": {\"result\": \"conform\"}, \"5.1.5\": "
    "{\"result\": \"conform\"}, \"5.1.6\": {\"result\": \"conform\"},"
    " \"5.1.7\": {\"result\": \"conform\"}, \"5.2.1\": {\"result\": "
    "\"conform\"}, \"5.2.2\": {\"result\": \"conform\"}, \"5.2.3\": "
    "{\"result\": \"conform\"}, \"5.2.4\": {\"result\": \"sampled\", "
    "\"samples\": 6, \"nonconforming\": 1}, \"5.2.5\": {\"result\": "
    "\"conform\"}, \"5.2.6\": {\"result\": \"excluded\", \"reason\": "
    "\"不销售耐用品，无废弃商品回收\"}, \"5.3.1\": {\"result\": \"conform\"},"
    " \"5.3.2\": {\"result\": \"nonconform\", \"reason\": \"no complaint "
    "log\"}},"
    " \"special_deductions\": [{\"reason\": \"false advertising\"}],"
    " \"bonus\": [{\"reason\": \"national service award\"}]}";

static const char *const worked_output =
    "{\"scheme\": \"gbt27922-2011\", \"scheme_version\": \"1\","
    " \"earned\": \"80.83\", \"applicable\": 95, \"raw\": \"85.08\","
    " \"score\": \"85.1\", \"level\": \"three_star\", \"level_zh\": "
    "\"三星级\", \"level_en\": \"three-star\", \"certified\": true,"
    " \"gated\": false, \"bonus_applied\": 1, \"special_deductions\": 1,"
    " \"groups\": ["
    "{\"code\": \"5.1\", \"name_zh\": \"售后服务体系\", \"name_en\": "
    "\"Service system\", \"earned\": \"40.00\", \"applicable\": 40},"
    "{\"code\": \"5.2\", \"name_zh\": \"商品服务\", \"name_en\": \"Product "
    "service\", \"earned\": \"28.83\", \"applicable\": 30},"
    "{\"code\": \"5.3\", \"name_zh\": \"顾客服务\", \"name_en\": \"Customer "
    "service\", \"earned\": \"12.00\", \"applicable\": 25}]}";

static void test_worked_example(void **state)
{
    (void)state;
    json_t *in = parse_text(worked_input, JSON_REJECT_DUPLICATES);
    json_t *out = compute_ok(in);
    json_t *want = parse_text(worked_output, 0);
    /* compare everything but the indicator echo, checked below */
    json_t *got = json_deep_copy(out);
    json_object_del(got, "indicators");
    char *g = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
    char *w = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
    assert_string_equal(g, w);
    free(g);
    free(w);

    /* top-level keys in the documented order */
    static const char *const order[] = {"scheme",
                                        "scheme_version",
                                        "earned",
                                        "applicable",
                                        "raw",
                                        "score",
                                        "level",
                                        "level_zh",
                                        "level_en",
                                        "certified",
                                        "gated",
                                        "bonus_applied",
                                        "special_deductions",
                                        "groups",
                                        "indicators"};
    size_t k = 0;
    const char *key;
    json_t *v;
    json_object_foreach(out, key, v)
    {
        (void)v;
        assert_true(k < sizeof order / sizeof *order);
        assert_string_equal(key, order[k]);
        k++;
    }
    assert_int_equal(k, sizeof order / sizeof *order);

    const json_t *inds = json_object_get(out, "indicators");
    assert_int_equal(json_array_size(inds), 15);
    const json_t *i524 = json_array_get(inds, 10);
    expect_str(i524, "code", "5.2.4");
    expect_str(i524, "group", "5.2");
    expect_str(i524, "result", "sampled");
    expect_str(i524, "earned", "5.83");
    assert_int_equal(json_integer_value(json_object_get(i524, "points")), 7);
    assert_int_equal(json_integer_value(json_object_get(i524, "samples")), 6);
    assert_int_equal(json_integer_value(json_object_get(i524, "nonconforming")),
                     1);
    assert_null(json_object_get(i524, "reason"));
    const json_t *i526 = json_array_get(inds, 12);
    expect_str(i526, "result", "excluded");
    assert_true(json_is_null(json_object_get(i526, "earned")));
    expect_str(i526, "reason", "不销售耐用品，无废弃商品回收");
    assert_null(json_object_get(i526, "samples"));
    const json_t *i532 = json_array_get(inds, 14);
    expect_str(i532, "result", "nonconform");
    expect_str(i532, "earned", "0.00");
    expect_str(i532, "reason", "no complaint log");
    const json_t *i511 = json_array_get(inds, 0);
    expect_str(i511, "earned", "6.00");
    expect_str(i511, "name_zh", "组织架构");

    json_decref(got);
    json_decref(want);
    json_decref(out);
    json_decref(in);
}

/* sc_sheet_compute hands the outcome over for the store */
static void test_compute_outcome(void **state)
{
    (void)state;
    json_t *in = parse_text(worked_input, 0);
    struct sc_score_outcome o;
    json_t *out = NULL;
    assert_int_equal(sc_sheet_compute(&scheme, in, &o, &out, NULL), SC_OK);
    assert_int_equal(o.score_tenths, 851);
    assert_int_equal(o.level, 2);
    assert_true(o.certified);
    assert_int_equal(o.n_excluded, 1);
    json_decref(out);
    json_decref(in);
}

/* ---- thresholds through JSON ---- */

/* 69.95 (see test_score): 5.3.2, 5.2.4, 5.2.5 nonconform, 5.1.5 sampled
 * 100 with 81 -> 0.95 -> "70.0" compliant; 99995 with 80996 -> "69.9". */
static void test_threshold_6995(void **state)
{
    (void)state;
    json_t *doc = base();
    set(doc, "5.3.2", json_pack("{s:s}", "result", "nonconform"));
    set(doc, "5.2.4", json_pack("{s:s}", "result", "nonconform"));
    set(doc, "5.2.5", json_pack("{s:s}", "result", "nonconform"));
    set(doc, "5.1.5",
        json_pack("{s:s,s:i,s:i}", "result", "sampled", "samples", 100,
                  "nonconforming", 81));
    json_t *out = compute_ok(doc);
    expect_str(out, "raw", "69.95");
    expect_str(out, "score", "70.0");
    expect_str(out, "level", "compliant");
    expect_str(out, "level_zh", "达标级");
    assert_true(json_is_true(json_object_get(out, "certified")));
    json_decref(out);

    set(doc, "5.1.5",
        json_pack("{s:s,s:i,s:i}", "result", "sampled", "samples", 99995,
                  "nonconforming", 80996));
    out = compute_ok(doc);
    expect_str(out, "raw", "69.94");
    expect_str(out, "score", "69.9");
    expect_str(out, "level", "none");
    expect_str(out, "level_en", "not certified");
    assert_true(json_is_false(json_object_get(out, "certified")));
    json_decref(out);
    json_decref(doc);
}

/* Applicable 20 (5.3.2 conform, 5.2.4 sampled, the rest excluded):
 * 700 with 101 -> 7*599/700 = 5.99 -> raw 94.95 -> "95.0" five-star;
 * 1750 with 253 -> 5.988 -> raw 94.94 -> "94.9" four-star. */
static void test_threshold_9495(void **state)
{
    (void)state;
    json_t *doc = base();
    for (int i = 0; i < 15; i++)
        if (strcmp(codes[i], "5.3.2") != 0)
            set(doc, codes[i],
                json_pack("{s:s,s:s}", "result", "excluded", "reason",
                          "not applicable"));
    set(doc, "5.2.4",
        json_pack("{s:s,s:i,s:i}", "result", "sampled", "samples", 700,
                  "nonconforming", 101));
    json_t *out = compute_ok(doc);
    assert_int_equal(json_integer_value(json_object_get(out, "applicable")),
                     20);
    expect_str(out, "earned", "18.99");
    expect_str(out, "score", "95.0");
    expect_str(out, "level", "five_star");
    json_decref(out);
    set(doc, "5.2.4",
        json_pack("{s:s,s:i,s:i}", "result", "sampled", "samples", 1750,
                  "nonconforming", 253));
    out = compute_ok(doc);
    expect_str(out, "raw", "94.94");
    expect_str(out, "score", "94.9");
    expect_str(out, "level", "four_star");
    expect_str(out, "level_zh", "四星级");
    json_decref(out);
    json_decref(doc);
}

/* 100 with 5 special deductions: 95.0 shown, but the gate says none; two
 * bonus items count once. */
static void test_gate_and_bonus_cap(void **state)
{
    (void)state;
    json_t *doc = base();
    json_t *items = json_array();
    for (int i = 0; i < 5; i++)
        json_array_append_new(items, json_pack("{s:s}", "reason", "misuse"));
    json_object_set_new(doc, "special_deductions", items);
    json_object_set_new(
        doc, "bonus", json_pack("[{s:s},{s:s}]", "reason", "a", "reason", "b"));
    json_t *out = compute_ok(doc);
    expect_str(out, "score", "96.0"); /* 100 + 1 (one counts) - 5 */
    expect_str(out, "level", "none");
    assert_true(json_is_true(json_object_get(out, "gated")));
    assert_true(json_is_false(json_object_get(out, "certified")));
    assert_int_equal(json_integer_value(json_object_get(out, "bonus_applied")),
                     1);
    assert_int_equal(
        json_integer_value(json_object_get(out, "special_deductions")), 5);
    json_decref(out);
    json_array_remove(items, 0);
    out = compute_ok(doc);
    expect_str(out, "score", "97.0");
    expect_str(out, "level", "five_star");
    assert_true(json_is_false(json_object_get(out, "gated")));
    json_decref(out);
    json_decref(doc);
}

/* ---- refusals ---- */

static void test_refuse_document_shape(void **state)
{
    (void)state;
    json_t *doc = parse_text("[]", 0);
    expect_refused(doc, "");
    json_decref(doc);
    doc = parse_text("{}", 0);
    expect_refused(doc, "results");
    json_decref(doc);
    doc = parse_text("{\"results\": []}", 0);
    expect_refused(doc, "results");
    json_decref(doc);
    doc = base();
    json_object_set_new(doc, "comment", json_string("x"));
    expect_refused(doc, "comment");
    json_decref(doc);
}

static void test_refuse_indicators(void **state)
{
    (void)state;
    json_t *doc = base();
    set(doc, "5.9.9", json_pack("{s:s}", "result", "conform"));
    expect_refused(doc, "results.5.9.9");
    json_decref(doc);

    doc = base();
    json_object_del(json_object_get(doc, "results"), "5.3.2");
    expect_refused(doc, "results.5.3.2");
    json_decref(doc);

    doc = base();
    set(doc, "5.1.1", json_string("conform"));
    expect_refused(doc, "results.5.1.1");
    json_decref(doc);

    doc = base();
    set(doc, "5.1.1", json_pack("{s:s,s:s}", "result", "conform", "note", "x"));
    expect_refused(doc, "results.5.1.1.note");
    json_decref(doc);
}

static void test_refuse_result_kind(void **state)
{
    (void)state;
    json_t *doc = base();
    set(doc, "5.1.3", json_object());
    expect_refused(doc, "results.5.1.3.result");
    set(doc, "5.1.3", json_pack("{s:s}", "result", "pass"));
    expect_refused(doc, "results.5.1.3.result");
    set(doc, "5.1.3", json_pack("{s:i}", "result", 1));
    expect_refused(doc, "results.5.1.3.result");
    set(doc, "5.1.3", json_pack("{s:s}", "result", "Conform"));
    expect_refused(doc, "results.5.1.3.result");
    json_decref(doc);
}

static void test_refuse_samples(void **state)
{
    (void)state;
    static const struct {
        const char *result;
        const char *field;
    } cases[] = {
        {"{\"result\": \"sampled\", \"samples\": 0, \"nonconforming\": 0}",
         "results.5.2.4.samples"},
        {"{\"result\": \"sampled\", \"samples\": -1, \"nonconforming\": 0}",
         "results.5.2.4.samples"},
        {"{\"result\": \"sampled\", \"samples\": 100001, "
         "\"nonconforming\": 0}",
         "results.5.2.4.samples"},
        {"{\"result\": \"sampled\", \"samples\": \"6\", \"nonconforming\": 1}",
         "results.5.2.4.samples"},
        {"{\"result\": \"sampled\", \"samples\": 6.0, \"nonconforming\": 1}",
         "results.5.2.4.samples"},
        {"{\"result\": \"sampled\", \"nonconforming\": 1}",
         "results.5.2.4.samples"},
        {"{\"result\": \"sampled\", \"samples\": 6}",
         "results.5.2.4.nonconforming"},
        {"{\"result\": \"sampled\", \"samples\": 6, \"nonconforming\": 7}",
         "results.5.2.4.nonconforming"},
        {"{\"result\": \"sampled\", \"samples\": 6, \"nonconforming\": -1}",
         "results.5.2.4.nonconforming"},
        {"{\"result\": \"sampled\", \"samples\": 6, \"nonconforming\": 1.5}",
         "results.5.2.4.nonconforming"},
        {"{\"result\": \"sampled\", \"samples\": 6, \"nonconforming\": null}",
         "results.5.2.4.nonconforming"},
        {"{\"result\": \"conform\", \"samples\": 6}", "results.5.2.4.samples"},
        {"{\"result\": \"nonconform\", \"nonconforming\": 6}",
         "results.5.2.4.nonconforming"},
        {"{\"result\": \"excluded\", \"reason\": \"n/a\", \"samples\": 6, "
         "\"nonconforming\": 0}",
         "results.5.2.4.samples"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *doc = base();
        set(doc, "5.2.4", parse_text(cases[i].result, 0));
        expect_refused(doc, cases[i].field);
        json_decref(doc);
    }
    /* the edges that are allowed */
    json_t *doc = base();
    set(doc, "5.2.4",
        json_pack("{s:s,s:i,s:i}", "result", "sampled", "samples", 100000,
                  "nonconforming", 100000));
    json_t *out = compute_ok(doc);
    expect_str(out, "score", "93.0");
    json_decref(out);
    set(doc, "5.2.4",
        json_pack("{s:s,s:i,s:i}", "result", "sampled", "samples", 1,
                  "nonconforming", 0));
    out = compute_ok(doc);
    expect_str(out, "score", "100.0");
    json_decref(out);
    json_decref(doc);
}

static void test_refuse_reasons(void **state)
{
    (void)state;
    json_t *doc = base();
    set(doc, "5.2.6", json_pack("{s:s}", "result", "excluded"));
    expect_refused(doc, "results.5.2.6.reason");
    set(doc, "5.2.6",
        json_pack("{s:s,s:s}", "result", "excluded", "reason", " \t\n"));
    expect_refused(doc, "results.5.2.6.reason");
    /* ideographic spaces (U+3000) and a no-break space are blank too */
    set(doc, "5.2.6",
        json_pack("{s:s,s:s}", "result", "excluded", "reason",
                  "\xE3\x80\x80\xE3\x80\x80\xC2\xA0"));
    expect_refused(doc, "results.5.2.6.reason");
    set(doc, "5.2.6",
        json_pack("{s:s,s:i}", "result", "excluded", "reason", 3));
    expect_refused(doc, "results.5.2.6.reason");
    set(doc, "5.2.6", json_pack("{s:s,s:n}", "result", "excluded", "reason"));
    expect_refused(doc, "results.5.2.6.reason");
    /* a reason on a conform result is allowed but must not be blank */
    set(doc, "5.2.6",
        json_pack("{s:s,s:s}", "result", "conform", "reason", ""));
    expect_refused(doc, "results.5.2.6.reason");

    char *long_reason = malloc(SC_SHEET_REASON_MAX + 2);
    assert_non_null(long_reason);
    memset(long_reason, 'x', SC_SHEET_REASON_MAX + 1);
    long_reason[SC_SHEET_REASON_MAX + 1] = '\0';
    set(doc, "5.2.6",
        json_pack("{s:s,s:s}", "result", "excluded", "reason", long_reason));
    expect_refused(doc, "results.5.2.6.reason");
    long_reason[SC_SHEET_REASON_MAX] = '\0'; /* exactly the cap is fine */
    set(doc, "5.2.6",
        json_pack("{s:s,s:s}", "result", "excluded", "reason", long_reason));
    json_decref(compute_ok(doc));
    free(long_reason);
    json_decref(doc);

    /* an embedded NUL (only possible with JSON_ALLOW_NUL) */
    doc = base();
    set(doc, "5.2.6",
        parse_text("{\"result\": \"excluded\", \"reason\": \"a\\u0000b\"}",
                   JSON_ALLOW_NUL));
    expect_refused(doc, "results.5.2.6.reason");
    json_decref(doc);
}

static void test_refuse_all_excluded(void **state)
{
    (void)state;
    json_t *doc = base();
    for (int i = 0; i < 15; i++)
        set(doc, codes[i],
            json_pack("{s:s,s:s}", "result", "excluded", "reason",
                      "none apply"));
    expect_refused(doc, "results");
    json_decref(doc);
}

static void test_refuse_items(void **state)
{
    (void)state;
    static const struct {
        const char *key, *value, *field;
    } cases[] = {
        {"special_deductions", "{}", "special_deductions"},
        {"special_deductions", "null", "special_deductions"},
        {"special_deductions", "[{\"reason\": \"a\"}, {\"reason\": \"b\"}, {}]",
         "special_deductions[2].reason"},
        {"special_deductions",
         "[{\"reason\": \"a\"}, {\"reason\": \"b\"},"
         " {\"reason\": \"  \"}]",
         "special_deductions[2].reason"},
        {"special_deductions", "[\"misuse\"]", "special_deductions[0]"},
        {"special_deductions", "[{\"reason\": \"a\", \"points\": 2}]",
         "special_deductions[0].points"},
        {"bonus", "[{\"reason\": \"\"}]", "bonus[0].reason"},
        {"bonus", "[{\"reason\": 1}]", "bonus[0].reason"},
        {"bonus", "true", "bonus"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        json_t *doc = base();
        json_object_set_new(doc, cases[i].key,
                            parse_text(cases[i].value, JSON_DECODE_ANY));
        expect_refused(doc, cases[i].field);
        json_decref(doc);
    }
    /* 100 items are accepted, 101 refused */
    json_t *doc = base();
    json_t *items = json_array();
    for (int i = 0; i < SC_SCORE_ITEMS_MAX; i++)
        json_array_append_new(items, json_pack("{s:s}", "reason", "x"));
    json_object_set_new(doc, "bonus", items);
    json_t *out = compute_ok(doc);
    assert_int_equal(json_integer_value(json_object_get(out, "bonus_applied")),
                     1);
    json_decref(out);
    json_array_append_new(items, json_pack("{s:s}", "reason", "x"));
    expect_refused(doc, "bonus");
    json_decref(doc);
}

/* empty lists are the same as absent ones */
static void test_empty_lists(void **state)
{
    (void)state;
    json_t *doc = base();
    json_object_set_new(doc, "bonus", json_array());
    json_object_set_new(doc, "special_deductions", json_array());
    json_t *out = compute_ok(doc);
    expect_str(out, "score", "100.0");
    expect_str(out, "earned", "100.00");
    expect_str(out, "raw", "100.00");
    assert_int_equal(json_integer_value(json_object_get(out, "bonus_applied")),
                     0);
    json_decref(out);
    json_decref(doc);
}

/* parse_input fills the struct in the scheme's order, whatever the key
 * order of the document, with reasons borrowed from the document. */
static void test_parse_struct(void **state)
{
    (void)state;
    json_t *doc = parse_text(
        "{\"bonus\": [{\"reason\": \"award\"}], \"results\": {"
        "\"5.3.2\": {\"result\": \"sampled\", \"samples\": 4, "
        "\"nonconforming\": 3, \"reason\": \"3 of 4 late\"},"
        "\"5.3.1\": {\"result\": \"conform\"}, \"5.2.6\": {\"result\": "
        "\"excluded\", \"reason\": \"n/a\"}, \"5.2.5\": {\"result\": "
        "\"nonconform\"}, \"5.2.4\": {\"result\": \"conform\"},"
        "\"5.2.3\": {\"result\": \"conform\"}, \"5.2.2\": {\"result\": "
        "\"conform\"}, \"5.2.1\": {\"result\": \"conform\"}, \"5.1.7\": "
        "{\"result\": \"conform\"}, \"5.1.6\": {\"result\": \"conform\"},"
        "\"5.1.5\": {\"result\": \"conform\"}, \"5.1.4\": {\"result\": "
        "\"conform\"}, \"5.1.3\": {\"result\": \"conform\"}, \"5.1.2\": "
        "{\"result\": \"conform\"}, \"5.1.1\": {\"result\": \"conform\"}}}",
        0);
    struct sc_score_input in;
    struct sc_error err;
    assert_int_equal(sc_sheet_parse_input(&scheme, doc, &in, &err), SC_OK);
    assert_int_equal(in.n_results, 15);
    assert_int_equal(in.results[14].kind, SC_SCORE_SAMPLED);
    assert_int_equal(in.results[14].samples, 4);
    assert_int_equal(in.results[14].nonconforming, 3);
    assert_string_equal(in.results[14].reason, "3 of 4 late");
    assert_int_equal(in.results[12].kind, SC_SCORE_EXCLUDED);
    assert_int_equal(in.results[11].kind, SC_SCORE_NONCONFORM);
    assert_null(in.results[0].reason);
    assert_int_equal(in.n_bonus, 1);
    assert_int_equal(in.n_deductions, 0);
    assert_string_equal(in.bonus_reasons[0], "award");
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_scheme_is_rulebook),
        cmocka_unit_test(test_worked_example),
        cmocka_unit_test(test_compute_outcome),
        cmocka_unit_test(test_threshold_6995),
        cmocka_unit_test(test_threshold_9495),
        cmocka_unit_test(test_gate_and_bonus_cap),
        cmocka_unit_test(test_refuse_document_shape),
        cmocka_unit_test(test_refuse_indicators),
        cmocka_unit_test(test_refuse_result_kind),
        cmocka_unit_test(test_refuse_samples),
        cmocka_unit_test(test_refuse_reasons),
        cmocka_unit_test(test_refuse_all_excluded),
        cmocka_unit_test(test_refuse_items),
        cmocka_unit_test(test_empty_lists),
        cmocka_unit_test(test_parse_struct),
    };
    return cmocka_run_group_tests(tests, load, NULL);
}
