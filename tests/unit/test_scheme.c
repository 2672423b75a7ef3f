/*
 * test_scheme: the bundled scheme file loads with exactly the numbers of
 * domain.md (worked from the rulebook, not from the file), and mutated
 * copies of it are refused with the JSON path of the fault. Not for: the
 * rules that use the scheme (score, timeline, mandays have their own tests).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/scheme.h"

/* ---- helpers ------------------------------------------------------------ */

/* A heap copy of the bundled file with the first occurrence of `from`
 * replaced by `to`; fails the test when `from` does not occur. */
static char *mutate(const char *from, const char *to, size_t *len)
{
    size_t n = 0;
    const char *base = sc_scheme_default_json(&n);
    char *orig = malloc(n + 1);
    assert_non_null(orig);
    memcpy(orig, base, n);
    orig[n] = '\0';
    char *at = strstr(orig, from);
    if (!at)
        fail_msg("mutation source not found: %s", from);
    size_t head = (size_t)(at - orig);
    size_t fl = strlen(from);
    size_t tl = strlen(to);
    size_t out_len = n - fl + tl;
    char *out = malloc(out_len + 1);
    assert_non_null(out);
    memcpy(out, orig, head);
    memcpy(out + head, to, tl);
    memcpy(out + head + tl, at + fl, n - head - fl);
    out[out_len] = '\0';
    free(orig);
    *len = out_len;
    return out;
}

static enum sc_err parse_mutated(const char *from, const char *to,
                                 struct sc_scheme *s, struct sc_error *e)
{
    size_t len = 0;
    char *text = mutate(from, to, &len);
    sc_error_clear(e);
    enum sc_err rc = sc_scheme_parse(text, len, s, e);
    free(text);
    return rc;
}

static struct sc_scheme scheme; /* large: keep it off the stack */

static void load(void)
{
    struct sc_error e;
    sc_error_clear(&e);
    enum sc_err rc = sc_scheme_load_default(&scheme, &e);
    if (rc != SC_OK)
        fail_msg("bundled scheme refused: %s: %s", e.field, e.message);
}

/* ---- the bundled file --------------------------------------------------- */

static void test_default_identity(void **state)
{
    (void)state;
    load();
    assert_string_equal(scheme.id, "gbt27922-2011");
    assert_string_equal(scheme.version, "1");
    assert_string_equal(scheme.standard, "GB/T 27922-2011");
    size_t len = 0;
    const char *json = sc_scheme_default_json(&len);
    assert_non_null(json);
    assert_true(len > 1000);
    assert_int_equal(json[0], '{');
    assert_ptr_equal(sc_scheme_default_json(NULL), json);
}

static void test_default_catalogue(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        const char *group;
        int points;
    } want[] = {
        {"5.1.1", "5.1", 6}, {"5.1.2", "5.1", 6},  {"5.1.3", "5.1", 6},
        {"5.1.4", "5.1", 6}, {"5.1.5", "5.1", 5},  {"5.1.6", "5.1", 5},
        {"5.1.7", "5.1", 6}, {"5.2.1", "5.2", 5},  {"5.2.2", "5.2", 6},
        {"5.2.3", "5.2", 6}, {"5.2.4", "5.2", 7},  {"5.2.5", "5.2", 6},
        {"5.2.6", "5.2", 5}, {"5.3.1", "5.3", 12}, {"5.3.2", "5.3", 13},
    };
    load();
    assert_int_equal(scheme.n_groups, 3);
    assert_string_equal(scheme.groups[0].code, "5.1");
    assert_int_equal(scheme.groups[0].points, 40);
    assert_string_equal(scheme.groups[0].name_zh, "售后服务体系");
    assert_string_equal(scheme.groups[1].code, "5.2");
    assert_int_equal(scheme.groups[1].points, 35);
    assert_string_equal(scheme.groups[2].code, "5.3");
    assert_int_equal(scheme.groups[2].points, 25);
    assert_int_equal(scheme.total_points, 100);

    assert_int_equal(scheme.n_indicators, 15);
    for (int i = 0; i < 15; i++) {
        assert_string_equal(scheme.indicators[i].code, want[i].code);
        assert_int_equal(scheme.indicators[i].points, want[i].points);
        assert_string_equal(scheme.groups[scheme.indicators[i].group].code,
                            want[i].group);
        assert_int_equal(sc_scheme_indicator_index(&scheme, want[i].code), i);
    }
    assert_string_equal(scheme.indicators[14].name_zh, "投诉处理");
    assert_string_equal(scheme.indicators[14].name_en, "Complaint handling");
    assert_int_equal(sc_scheme_indicator_index(&scheme, "5.4.1"), -1);
    assert_int_equal(sc_scheme_indicator_index(&scheme, ""), -1);
    assert_int_equal(sc_scheme_group_index(&scheme, "5.3"), 2);
    assert_int_equal(sc_scheme_group_index(&scheme, "5.1.1"), -1);
}

static void test_default_levels(void **state)
{
    (void)state;
    load();
    assert_int_equal(scheme.n_levels, 5);
    static const struct {
        const char *code;
        const char *zh;
        int min_tenths;
        bool certified;
    } want[] = {
        {"five_star", "五星级", 950, true},  {"four_star", "四星级", 900, true},
        {"three_star", "三星级", 800, true}, {"compliant", "达标级", 700, true},
        {"none", "不通过", 0, false},
    };
    for (int i = 0; i < 5; i++) {
        assert_string_equal(scheme.levels[i].code, want[i].code);
        assert_string_equal(scheme.levels[i].name_zh, want[i].zh);
        assert_int_equal(scheme.levels[i].min_tenths, want[i].min_tenths);
        assert_int_equal(scheme.levels[i].certified, want[i].certified);
        assert_int_equal(sc_scheme_level_index(&scheme, want[i].code), i);
    }
    assert_int_equal(sc_scheme_level_index(&scheme, "six_star"), -1);
    assert_int_equal(scheme.bonus_points, 1);
    assert_int_equal(scheme.bonus_max_items, 1);
    assert_int_equal(scheme.deduction_points, 1);
    assert_int_equal(scheme.deduction_gate, 5);
    assert_false(scheme.first_cap_enabled);
    assert_int_equal(scheme.first_cap_months, 12);
    assert_int_equal(scheme.first_cap_level, 3);
}

static void test_default_timeline_people(void **state)
{
    (void)state;
    load();
    assert_int_equal(scheme.validity_months, 36);
    assert_int_equal(scheme.surv_open_months, 7);
    assert_int_equal(scheme.surv_nominal_from_months, 9);
    assert_int_equal(scheme.surv_nominal_to_months, 10);
    assert_int_equal(scheme.surv_close_months, 12);
    assert_int_equal(scheme.recert_window_months, 3);
    assert_int_equal(scheme.recert_late_months, 6);
    assert_int_equal(scheme.suspension_grace_days, 0);
    assert_int_equal(scheme.withdrawal_months, 6);
    assert_int_equal(scheme.certify_target_days, 90);
    assert_int_equal(scheme.quorum, 2);
    assert_int_equal(scheme.impartiality_months, 24);
    assert_int_equal(scheme.managers_min, 1);
    assert_int_equal(scheme.document_max_bytes, 20 * 1024 * 1024);
    assert_string_equal(scheme.certno_pattern, "ASC-{year}-{seq:06}");
}

static void test_default_mandays(void **state)
{
    (void)state;
    /* domain.md section 3, in half days: max, initial, planning,
     * surveillance, recertification. */
    static const int want[21][5] = {
        {10, 6, 2, 3, 4},      {25, 8, 2, 3, 5},      {45, 12, 2, 4, 8},
        {65, 13, 3, 4, 8},     {85, 15, 3, 5, 9},     {125, 17, 3, 6, 10},
        {175, 19, 3, 7, 12},   {275, 21, 3, 8, 14},   {425, 23, 3, 9, 15},
        {625, 25, 3, 9, 16},   {875, 27, 3, 10, 18},  {1175, 29, 3, 11, 19},
        {1550, 32, 4, 11, 20}, {2025, 34, 4, 12, 22}, {2675, 36, 4, 13, 24},
        {3450, 38, 4, 13, 24}, {4350, 42, 6, 14, 26}, {5450, 44, 6, 15, 27},
        {6800, 46, 6, 15, 28}, {8500, 48, 6, 16, 30}, {10700, 50, 6, 17, 32},
    };
    load();
    assert_int_equal(scheme.n_bands, 21);
    for (int i = 0; i < 21; i++) {
        const struct sc_scheme_band *b = &scheme.bands[i];
        assert_int_equal(b->employees_max, want[i][0]);
        assert_int_equal(b->initial_halves, want[i][1]);
        assert_int_equal(b->planning_halves, want[i][2]);
        assert_int_equal(b->surveillance_halves, want[i][3]);
        assert_int_equal(b->recertification_halves, want[i][4]);
    }
    assert_int_equal(scheme.beyond_per_employees, 2000);
    assert_int_equal(scheme.beyond_initial_halves, 2);
    assert_int_equal(scheme.beyond_surveillance_halves, 1);
    assert_int_equal(scheme.beyond_recertification_halves, 1);
    assert_int_equal(scheme.outlet_factor_initial_tenths, 10);
    assert_int_equal(scheme.outlet_factor_surveillance_tenths, 6);
    assert_int_equal(scheme.outlet_factor_recertification_tenths, 8);
    assert_int_equal(scheme.outlet_visit_halves, 1);
    assert_int_equal(scheme.reduction_max_percent, 30);
}

/* ---- refused files ------------------------------------------------------ */

struct bad_case {
    const char *name;
    const char *from;
    const char *to;
    enum sc_err code;
    const char *field;
    const char *message_part; /* NULL: not checked */
};

static const struct bad_case bad_cases[] = {
    {"indicator points 0", "\"Organisation\", \"points\": 6}",
     "\"Organisation\", \"points\": 0}", SC_ERR_SCHEME,
     "scoring.indicators[0].points", "must be > 0"},
    {"indicator points negative", "\"Staffing\", \"points\": 6}",
     "\"Staffing\", \"points\": -6}", SC_ERR_SCHEME,
     "scoring.indicators[1].points", "must be > 0"},
    {"indicator points as text", "\"Staffing\", \"points\": 6}",
     "\"Staffing\", \"points\": \"6\"}", SC_ERR_SCHEME,
     "scoring.indicators[1].points", "whole number"},
    {"indicator points fractional", "\"Staffing\", \"points\": 6}",
     "\"Staffing\", \"points\": 6.5}", SC_ERR_SCHEME,
     "scoring.indicators[1].points", "whole number"},
    {"group sum wrong", "spare parts\", \"points\": 7}",
     "spare parts\", \"points\": 8}", SC_ERR_SCHEME, "scoring.groups[1].points",
     "add up to 36 points, the group has 35"},
    {"group points 0", "\"Customer service\", \"points\": 25}",
     "\"Customer service\", \"points\": 0}", SC_ERR_SCHEME,
     "scoring.groups[2].points", "must be > 0"},
    {"duplicate indicator code", "{\"code\": \"5.1.2\", \"group\"",
     "{\"code\": \"5.1.1\", \"group\"", SC_ERR_SCHEME,
     "scoring.indicators[1].code", "duplicate"},
    {"duplicate group code", "{\"code\": \"5.3\", \"zh\"",
     "{\"code\": \"5.2\", \"zh\"", SC_ERR_SCHEME, "scoring.groups[2].code",
     "duplicate"},
    {"duplicate level code", "{\"code\": \"four_star\"",
     "{\"code\": \"five_star\"", SC_ERR_SCHEME, "scoring.levels[1].code",
     "duplicate"},
    {"indicator in missing group", "{\"code\": \"5.3.2\", \"group\": \"5.3\"",
     "{\"code\": \"5.3.2\", \"group\": \"5.4\"", SC_ERR_SCHEME,
     "scoring.indicators[14].group", "no group"},
    {"unknown key", "\"deduction_gate\": 5,",
     "\"deduction_gate\": 5, \"deduction_gates\": 5,", SC_ERR_SCHEME,
     "scoring.deduction_gates", "unknown key"},
    {"unknown key in band", "{\"max\": 10,", "{\"max\": 10, \"mx\": 10,",
     SC_ERR_SCHEME, "mandays.bands[0].mx", "unknown key"},
    {"unknown top-level key", "\"id\": \"gbt27922-2011\",",
     "\"id\": \"gbt27922-2011\", \"comment\": \"x\",", SC_ERR_SCHEME, "comment",
     "unknown key"},
    {"missing key", "\"committee\": {\"quorum\": 2},", "", SC_ERR_SCHEME,
     "committee", "missing"},
    {"missing nested key", "\"quorum\": 2", "\"quorom\": 2", SC_ERR_SCHEME,
     "committee.quorom", "unknown key"},
    {"threshold 70.05", "\"min\": 70}", "\"min\": 70.05}", SC_ERR_SCHEME,
     "scoring.levels[3].min", "multiple of 0.1"},
    {"threshold 69.95", "\"min\": 70}", "\"min\": 69.95}", SC_ERR_SCHEME,
     "scoring.levels[3].min", "multiple of 0.1"},
    {"threshold above 100", "\"min\": 95}", "\"min\": 100.1}", SC_ERR_SCHEME,
     "scoring.levels[0].min", "<= 100"},
    {"levels out of order", "\"min\": 90}", "\"min\": 96}", SC_ERR_SCHEME,
     "scoring.levels[1].min", "strictly decreasing"},
    {"levels equal", "\"min\": 90}", "\"min\": 95}", SC_ERR_SCHEME,
     "scoring.levels[1].min", "strictly decreasing"},
    {"last level min not 0", "\"min\": 0, \"certified\": false",
     "\"min\": 10, \"certified\": false", SC_ERR_SCHEME,
     "scoring.levels[4].min", "min 0"},
    {"last level certified", "\"min\": 0, \"certified\": false", "\"min\": 0",
     SC_ERR_SCHEME, "scoring.levels[4].certified", NULL},
    {"middle level uncertified", "\"en\": \"three-star\", \"min\": 80}",
     "\"en\": \"three-star\", \"min\": 80, \"certified\": false}",
     SC_ERR_SCHEME, "scoring.levels[2].certified", NULL},
    {"certified not boolean", "\"certified\": false", "\"certified\": 0",
     SC_ERR_SCHEME, "scoring.levels[4].certified", "true or false"},
    {"first cap names failing level", "\"level\": \"compliant\"",
     "\"level\": \"none\"", SC_ERR_SCHEME,
     "scoring.first_certificate_cap.level", "certified level"},
    {"first cap names unknown level", "\"level\": \"compliant\"",
     "\"level\": \"silver\"", SC_ERR_SCHEME,
     "scoring.first_certificate_cap.level", "no level"},
    {"deduction gate 0", "\"deduction_gate\": 5", "\"deduction_gate\": 0",
     SC_ERR_SCHEME, "scoring.deduction_gate", "must be > 0"},
    {"manday 1.25", "\"surveillance\": 1.5, \"recertification\": 2}",
     "\"surveillance\": 1.25, \"recertification\": 2}", SC_ERR_SCHEME,
     "mandays.bands[0].surveillance", "multiple of 0.5"},
    {"manday 0", "{\"max\": 10, \"initial\": 3", "{\"max\": 10, \"initial\": 0",
     SC_ERR_SCHEME, "mandays.bands[0].initial", "must be > 0"},
    {"planning above initial", "\"initial\": 3, \"planning\": 1",
     "\"initial\": 3, \"planning\": 3.5", SC_ERR_SCHEME,
     "mandays.bands[0].planning", "initial"},
    {"band max not increasing", "{\"max\": 45,", "{\"max\": 25,", SC_ERR_SCHEME,
     "mandays.bands[2].max", "previous"},
    {"band max 0", "{\"max\": 10,", "{\"max\": 0,", SC_ERR_SCHEME,
     "mandays.bands[0].max", "must be > 0"},
    {"beyond block 0", "\"per_employees\": 2000", "\"per_employees\": 0",
     SC_ERR_SCHEME, "mandays.beyond.per_employees", "must be > 0"},
    {"factor 0", "\"factor_surveillance\": 0.6", "\"factor_surveillance\": 0",
     SC_ERR_SCHEME, "mandays.outlets.factor_surveillance", "must be > 0"},
    {"factor above 10", "\"factor_initial\": 1.0", "\"factor_initial\": 10.1",
     SC_ERR_SCHEME, "mandays.outlets.factor_initial", "<= 10"},
    {"factor 0.65", "\"factor_recertification\": 0.8",
     "\"factor_recertification\": 0.65", SC_ERR_SCHEME,
     "mandays.outlets.factor_recertification", "multiple of 0.1"},
    {"days per outlet 0.3", "\"days_per_outlet\": 0.5",
     "\"days_per_outlet\": 0.3", SC_ERR_SCHEME,
     "mandays.outlets.days_per_outlet", "multiple of 0.5"},
    {"reduction 101 percent", "\"reduction_max_percent\": 30",
     "\"reduction_max_percent\": 101", SC_ERR_SCHEME,
     "mandays.reduction_max_percent", "<= 100"},
    {"reduction negative", "\"reduction_max_percent\": 30",
     "\"reduction_max_percent\": -1", SC_ERR_SCHEME,
     "mandays.reduction_max_percent", ">= 0"},
    {"quorum 0", "\"quorum\": 2", "\"quorum\": 0", SC_ERR_SCHEME,
     "committee.quorum", "must be > 0"},
    {"quorum 2.0", "\"quorum\": 2", "\"quorum\": 2.0", SC_ERR_SCHEME,
     "committee.quorum", "whole number"},
    {"validity 0 months", "\"validity_months\": 36", "\"validity_months\": 0",
     SC_ERR_SCHEME, "timeline.validity_months", "must be > 0"},
    {"cooling off 0 months", "\"cooling_off_months\": 24",
     "\"cooling_off_months\": 0", SC_ERR_SCHEME,
     "impartiality.cooling_off_months", "must be > 0"},
    {"surveillance window out of order", "\"nominal_to_months\": 10",
     "\"nominal_to_months\": 8", SC_ERR_SCHEME,
     "timeline.surveillance.nominal_to_months", NULL},
    {"negative grace", "\"suspension_grace_days\": 0",
     "\"suspension_grace_days\": -1", SC_ERR_SCHEME,
     "timeline.suspension_grace_days", ">= 0"},
    {"empty number pattern", "\"number_pattern\": \"ASC-{year}-{seq:06}\"",
     "\"number_pattern\": \"\"", SC_ERR_SCHEME, "certificate.number_pattern",
     "empty"},
    {"number pattern too long", "\"number_pattern\": \"ASC-{year}-{seq:06}\"",
     "\"number_pattern\": "
     "\"ASC-{year}-{seq:06}-ASC-{year}-{seq:06}-ASC-{year}-{seq:06}-ABCD\"",
     SC_ERR_SCHEME, "certificate.number_pattern", "at most 63"},
    {"number pattern without a sequence",
     "\"number_pattern\": \"ASC-{year}-{seq:06}\"",
     "\"number_pattern\": \"ASC-{year}\"", SC_ERR_SCHEME,
     "certificate.number_pattern", NULL},
    {"code too long", "{\"code\": \"5.1.1\",",
     "{\"code\": \"5.1.1.1.1.1.1.1.1\",", SC_ERR_SCHEME,
     "scoring.indicators[0].code", "at most 15"},
    {"code with a space", "{\"code\": \"5.1.1\",", "{\"code\": \"5.1 1\",",
     SC_ERR_SCHEME, "scoring.indicators[0].code", "letters"},
    {"empty name", "\"zh\": \"组织架构\"", "\"zh\": \"\"", SC_ERR_SCHEME,
     "scoring.indicators[0].zh", "empty"},
    {"id missing", "\"id\": \"gbt27922-2011\",", "", SC_ERR_SCHEME, "id",
     "missing"},
    {"title not an object",
     "\"title\": {\"zh\": \"商品售后服务评价体系\", \"en\": \"Evaluation "
     "system for "
     "after-sales service of commodities\"}",
     "\"title\": \"x\"", SC_ERR_SCHEME, "title", "must be an object"},
    {"title with an unknown language",
     "\"title\": {\"zh\": \"商品售后服务评价体系\",",
     "\"title\": {\"fr\": \"x\", \"zh\": \"商品售后服务评价体系\",",
     SC_ERR_SCHEME, "title.fr", "unknown key"},
    {"groups not an array", "\"groups\": [", "\"groupz\": 1, \"groups\": [",
     SC_ERR_SCHEME, "scoring.groupz", "unknown key"},
    {"malformed JSON", "\"version\": \"1\",", "\"version\": \"1\"",
     SC_ERR_SCHEME, "", "malformed JSON at line 4"},
    {"duplicate JSON key", "\"version\": \"1\",",
     "\"version\": \"1\", \"version\": \"2\",", SC_ERR_SCHEME, "", "duplicate"},
    {"invalid UTF-8", "\"en\": \"Staffing\"", "\"en\": \"Sta\xff\xfe\"",
     SC_ERR_SCHEME, "", "malformed"},
    {"NUL escape in string", "\"en\": \"Staffing\"", "\"en\": \"Sta\\u0000\"",
     SC_ERR_SCHEME, "", "malformed"},
};

static void test_bad_cases(void **state)
{
    (void)state;
    int failures = 0;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        struct sc_error e;
        enum sc_err rc = parse_mutated(c->from, c->to, &scheme, &e);
        bool ok = rc == c->code && strcmp(e.field, c->field) == 0 &&
                  (!c->message_part || strstr(e.message, c->message_part));
        if (!ok) {
            print_error("case \"%s\": got %s field \"%s\" message \"%s\"; "
                        "wanted %s field \"%s\" message with \"%s\"\n",
                        c->name, sc_err_name(rc), e.field, e.message,
                        sc_err_name(c->code), c->field,
                        c->message_part ? c->message_part : "");
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_trailing_garbage(void **state)
{
    (void)state;
    size_t n = 0;
    const char *base = sc_scheme_default_json(&n);
    char *text = malloc(n + 2);
    assert_non_null(text);
    memcpy(text, base, n);
    text[n] = 'x';
    text[n + 1] = '\0';
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_scheme_parse(text, n + 1, &scheme, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "");
    assert_non_null(strstr(e.message, "malformed JSON"));
    /* a second document after the first is garbage too */
    memcpy(text + n, "{", 1);
    assert_int_equal(sc_scheme_parse(text, n + 1, &scheme, &e), SC_ERR_SCHEME);
    /* trailing white space is fine */
    text[n] = '\n';
    assert_int_equal(sc_scheme_parse(text, n + 1, &scheme, &e), SC_OK);
    free(text);
}

/* Jansson quotes the bytes near a fault; the message must stay printable
 * ASCII so that it can travel in a JSON error. */
static void test_malformed_message_is_printable(void **state)
{
    (void)state;
    static const char text[] = "{\"id\": \"\xe4\xb8\xad\xff\x01\"}";
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_scheme_parse(text, sizeof text - 1, &scheme, &e),
                     SC_ERR_SCHEME);
    assert_non_null(strstr(e.message, "line 1, column"));
    for (const char *c = e.message; *c; c++)
        assert_true((unsigned char)*c >= 0x20 && (unsigned char)*c <= 0x7e);
}

static void test_len_is_honoured(void **state)
{
    (void)state;
    /* the buffer need not be NUL-terminated: only len bytes are read */
    size_t n = 0;
    const char *base = sc_scheme_default_json(&n);
    char *text = malloc(n + 8);
    assert_non_null(text);
    memcpy(text, base, n);
    memcpy(text + n, "garbage", 8);
    struct sc_error e;
    assert_int_equal(sc_scheme_parse(text, n, &scheme, &e), SC_OK);
    /* a truncated file is malformed */
    assert_int_equal(sc_scheme_parse(text, n / 2, &scheme, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "");
    free(text);
}

static void test_empty_and_not_object(void **state)
{
    (void)state;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_scheme_parse("", 0, &scheme, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "");
    assert_int_equal(sc_scheme_parse(NULL, 0, &scheme, &e), SC_ERR_SCHEME);
    assert_int_equal(sc_scheme_parse("   ", 3, &scheme, &e), SC_ERR_SCHEME);
    assert_int_equal(sc_scheme_parse("[]", 2, &scheme, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "");
    assert_non_null(strstr(e.message, "object"));
    assert_int_equal(sc_scheme_parse("{}", 2, &scheme, &e), SC_ERR_SCHEME);
    assert_string_equal(e.field, "id");
}

static void test_too_large(void **state)
{
    (void)state;
    size_t n = (size_t)SC_SCHEME_FILE_MAX + 1;
    char *text = malloc(n);
    assert_non_null(text);
    memset(text, ' ', n);
    size_t dn = 0;
    const char *base = sc_scheme_default_json(&dn);
    memcpy(text, base, dn);
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_scheme_parse(text, n, &scheme, &e), SC_ERR_TOO_LARGE);
    /* exactly at the cap is accepted (trailing spaces are white space) */
    assert_int_equal(sc_scheme_parse(text, n - 1, &scheme, &e), SC_OK);
    free(text);
}

/* Every threshold 0.1 .. 79.9 written as a decimal converts to exact tenths
 * (0.7 is 7.000000000000001 tenths in binary floating point). */
static void test_tenths_exact(void **state)
{
    (void)state;
    for (int t = 1; t < 800; t++) {
        char to[64];
        snprintf(to, sizeof to, "\"min\": %d.%d}", t / 10, t % 10);
        struct sc_error e;
        enum sc_err rc = parse_mutated("\"min\": 70}", to, &scheme, &e);
        if (rc != SC_OK)
            fail_msg("%s refused: %s: %s", to, e.field, e.message);
        assert_int_equal(scheme.levels[3].min_tenths, t);
    }
    /* exponent notation and a trailing zero are the same number */
    struct sc_error e;
    assert_int_equal(
        parse_mutated("\"min\": 70}", "\"min\": 7.05e1}", &scheme, &e), SC_OK);
    assert_int_equal(scheme.levels[3].min_tenths, 705);
    assert_int_equal(
        parse_mutated("\"min\": 70}", "\"min\": 70.000}", &scheme, &e), SC_OK);
    assert_int_equal(scheme.levels[3].min_tenths, 700);
}

/* Every half day 0.5 .. 50 converts exactly; quarter days are refused. */
static void test_halves_exact(void **state)
{
    (void)state;
    for (int h = 1; h <= 100; h++) {
        char to[64];
        snprintf(to, sizeof to, "\"recertification\": %d.%d}", h / 2,
                 h % 2 ? 5 : 0);
        struct sc_error e;
        enum sc_err rc =
            parse_mutated("\"recertification\": 16}", to, &scheme, &e);
        if (rc != SC_OK)
            fail_msg("%s refused: %s: %s", to, e.field, e.message);
        assert_int_equal(scheme.bands[20].recertification_halves, h);
        snprintf(to, sizeof to, "\"recertification\": %d.25}", h);
        rc = parse_mutated("\"recertification\": 16}", to, &scheme, &e);
        assert_int_equal(rc, SC_ERR_SCHEME);
        assert_string_equal(e.field, "mandays.bands[20].recertification");
    }
}

/* A CB's own file may differ: different points, levels, first cap on. */
static void test_custom_scheme_accepted(void **state)
{
    (void)state;
    size_t len = 0;
    char *a = mutate("\"enabled\": false", "\"enabled\": true", &len);
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_scheme_parse(a, len, &scheme, &e), SC_OK);
    assert_true(scheme.first_cap_enabled);
    free(a);
    /* the last level's name and an explicit "certified": true elsewhere */
    assert_int_equal(parse_mutated("\"en\": \"five-star\", \"min\": 95}",
                                   "\"en\": \"five-star\", \"min\": 95, "
                                   "\"certified\": true}",
                                   &scheme, &e),
                     SC_OK);
    assert_true(scheme.levels[0].certified);
}

static void test_failed_parse_does_not_leave_half_a_scheme(void **state)
{
    (void)state;
    struct sc_error e;
    load();
    assert_int_equal(
        parse_mutated("\"quorum\": 2", "\"quorum\": 0", &scheme, &e),
        SC_ERR_SCHEME);
    /* the output is unspecified, but never a valid-looking scheme */
    assert_int_equal(scheme.n_indicators, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_identity),
        cmocka_unit_test(test_default_catalogue),
        cmocka_unit_test(test_default_levels),
        cmocka_unit_test(test_default_timeline_people),
        cmocka_unit_test(test_default_mandays),
        cmocka_unit_test(test_bad_cases),
        cmocka_unit_test(test_trailing_garbage),
        cmocka_unit_test(test_malformed_message_is_printable),
        cmocka_unit_test(test_len_is_honoured),
        cmocka_unit_test(test_empty_and_not_object),
        cmocka_unit_test(test_too_large),
        cmocka_unit_test(test_tenths_exact),
        cmocka_unit_test(test_halves_exact),
        cmocka_unit_test(test_custom_scheme_accepted),
        cmocka_unit_test(test_failed_parse_does_not_leave_half_a_scheme),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
