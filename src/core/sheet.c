/*
 * sheet: the calculation sheet's JSON codec (see sheet.h for the formats).
 * Reads a Jansson document into a `struct sc_score_input` with field paths
 * on every refusal, and writes the outcome object. Not for: arithmetic
 * (score) or text I/O (the front ends).
 */
#include "sheet.h"

#include "text.h"

#include <stdio.h>
#include <string.h>

static const char *const result_keys[] = {"result", "samples", "nonconforming",
                                          "reason"};
static const char *const item_keys[] = {"reason"};
static const char *const top_keys[] = {"results", "special_deductions",
                                       "bonus"};

static bool known_key(const char *key, const char *const *keys, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

/* The first key of object `o` not in `keys`, or NULL. */
static const char *unknown_key(const json_t *o, const char *const *keys,
                               size_t n)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)o, key, v)
    {
        (void)v;
        if (!known_key(key, keys, n))
            return key;
    }
    return NULL;
}


static enum sc_err get_reason(const json_t *v, const char *field,
                              const char **out, struct sc_error *err)
{
    if (!json_is_string(v))
        return sc_error_set(err, SC_ERR_INVALID, field, "must be a string");
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (strlen(s) != len)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "must not contain NUL characters");
    if (len > SC_SHEET_REASON_MAX)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "is %zu bytes; at most %d", len,
                            SC_SHEET_REASON_MAX);
    if (sc_text_blank(s))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "must not be blank: give the reason in words");
    *out = s;
    return SC_OK;
}

static enum sc_err get_int(const json_t *v, const char *field, long long min,
                           long long max, int *out, struct sc_error *err)
{
    if (!json_is_integer(v))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "must be a whole number (a JSON integer)");
    long long x = (long long)json_integer_value(v);
    if (x < min || x > max)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "%lld is out of range %lld..%lld", x, min, max);
    *out = (int)x;
    return SC_OK;
}

static enum sc_err parse_result(const json_t *v, const char *code,
                                struct sc_score_result *r, struct sc_error *err)
{
    char field[SC_ERROR_FIELD_MAX];
    enum sc_err rc;
    snprintf(field, sizeof field, "results.%s", code);
    if (!json_is_object(v))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "must be an object such as "
                            "{\"result\": \"conform\"}");
    const char *bad =
        unknown_key(v, result_keys, sizeof result_keys / sizeof *result_keys);
    if (bad) {
        snprintf(field, sizeof field, "results.%s.%s", code, bad);
        return sc_error_set(err, SC_ERR_INVALID, field, "unknown key");
    }

    snprintf(field, sizeof field, "results.%s.result", code);
    const json_t *kind = json_object_get(v, "result");
    if (!kind)
        return sc_error_set(err, SC_ERR_INVALID, field, "required");
    if (!json_is_string(kind) ||
        !sc_score_kind_parse(json_string_value(kind), &r->kind))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "must be one of conform, nonconform, sampled, "
                            "excluded");

    const json_t *samples = json_object_get(v, "samples");
    const json_t *nonconf = json_object_get(v, "nonconforming");
    r->samples = 0;
    r->nonconforming = 0;
    if (r->kind == SC_SCORE_SAMPLED) {
        snprintf(field, sizeof field, "results.%s.samples", code);
        if (!samples)
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "required with \"sampled\"");
        rc = get_int(samples, field, 1, SC_SCORE_SAMPLES_MAX, &r->samples, err);
        if (rc != SC_OK)
            return rc;
        snprintf(field, sizeof field, "results.%s.nonconforming", code);
        if (!nonconf)
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "required with \"sampled\"");
        rc = get_int(nonconf, field, 0, r->samples, &r->nonconforming, err);
        if (rc != SC_OK)
            return rc;
    } else if (samples || nonconf) {
        snprintf(field, sizeof field, "results.%s.%s", code,
                 samples ? "samples" : "nonconforming");
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "allowed only with \"result\": \"sampled\"");
    }

    snprintf(field, sizeof field, "results.%s.reason", code);
    const json_t *reason = json_object_get(v, "reason");
    r->reason = NULL;
    if (reason) {
        rc = get_reason(reason, field, &r->reason, err);
        if (rc != SC_OK)
            return rc;
    } else if (r->kind == SC_SCORE_EXCLUDED) {
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "required: say why the indicator does not apply");
    }
    return SC_OK;
}

/* "special_deductions" or "bonus": an optional array of {"reason": "..."}. */
static enum sc_err parse_items(const json_t *input, const char *name,
                               int *count, const char **reasons,
                               struct sc_error *err)
{
    char field[SC_ERROR_FIELD_MAX];
    const json_t *arr = json_object_get(input, name);
    *count = 0;
    if (!arr)
        return SC_OK;
    if (!json_is_array(arr))
        return sc_error_set(err, SC_ERR_INVALID, name,
                            "must be an array of {\"reason\": \"...\"}");
    size_t n = json_array_size(arr);
    if (n > SC_SCORE_ITEMS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, name, "%zu items; at most %d",
                            n, SC_SCORE_ITEMS_MAX);
    for (size_t i = 0; i < n; i++) {
        const json_t *item = json_array_get(arr, i);
        snprintf(field, sizeof field, "%s[%zu]", name, i);
        if (!json_is_object(item))
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "must be an object {\"reason\": \"...\"}");
        const char *bad =
            unknown_key(item, item_keys, sizeof item_keys / sizeof *item_keys);
        if (bad) {
            snprintf(field, sizeof field, "%s[%zu].%s", name, i, bad);
            return sc_error_set(err, SC_ERR_INVALID, field, "unknown key");
        }
        snprintf(field, sizeof field, "%s[%zu].reason", name, i);
        const json_t *reason = json_object_get(item, "reason");
        if (!reason)
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "required: every item needs a written "
                                "reason");
        enum sc_err rc = get_reason(reason, field, &reasons[i], err);
        if (rc != SC_OK)
            return rc;
    }
    *count = (int)n;
    return SC_OK;
}

enum sc_err sc_sheet_parse_input(const struct sc_scheme *s, const json_t *input,
                                 struct sc_score_input *out,
                                 struct sc_error *err)
{
    char field[SC_ERROR_FIELD_MAX];
    enum sc_err rc;
    sc_score_input_init(out);
    if (!json_is_object(input))
        return sc_error_set(err, SC_ERR_INVALID, "",
                            "the input must be a JSON object with "
                            "\"results\"");
    const char *bad =
        unknown_key(input, top_keys, sizeof top_keys / sizeof *top_keys);
    if (bad)
        return sc_error_set(err, SC_ERR_INVALID, bad, "unknown key");
    if (s->n_indicators < 1 || s->n_indicators > SC_SCHEME_MAX_INDICATORS)
        return sc_error_set(err, SC_ERR_SCHEME, "indicators",
                            "the scheme has no indicators");

    const json_t *results = json_object_get(input, "results");
    if (!results)
        return sc_error_set(err, SC_ERR_INVALID, "results",
                            "required: one result per indicator");
    if (!json_is_object(results))
        return sc_error_set(err, SC_ERR_INVALID, "results",
                            "must be an object keyed by indicator code");
    bool seen[SC_SCHEME_MAX_INDICATORS] = {false};
    const char *code;
    json_t *v;
    json_object_foreach((json_t *)results, code, v)
    {
        int i = sc_scheme_indicator_index(s, code);
        if (i < 0) {
            snprintf(field, sizeof field, "results.%s", code);
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "no such indicator in scheme %s", s->id);
        }
        rc = parse_result(v, s->indicators[i].code, &out->results[i], err);
        if (rc != SC_OK)
            return rc;
        seen[i] = true;
    }
    int applicable = 0;
    for (int i = 0; i < s->n_indicators; i++) {
        if (!seen[i]) {
            snprintf(field, sizeof field, "results.%s", s->indicators[i].code);
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "missing: every indicator needs a result "
                                "(\"excluded\" with a reason if it does not "
                                "apply)");
        }
        applicable += out->results[i].kind != SC_SCORE_EXCLUDED;
    }
    out->n_results = s->n_indicators;
    if (applicable == 0)
        return sc_error_set(err, SC_ERR_INVALID, "results",
                            "every indicator is excluded; at least one must "
                            "apply");

    rc = parse_items(input, "special_deductions", &out->n_deductions,
                     out->deduction_reasons, err);
    if (rc != SC_OK)
        return rc;
    return parse_items(input, "bonus", &out->n_bonus, out->bonus_reasons, err);
}

/* "12.34" from 1234 (value >= 0) with `decimals` 1 or 2. */
static json_t *fixed(int value, int decimals)
{
    char buf[32];
    int unit = decimals == 1 ? 10 : 100;
    if (value < 0)
        value = 0;
    snprintf(buf, sizeof buf, "%d.%0*d", value / unit, decimals, value % unit);
    return json_string(buf);
}

/* Sets o[key] = v, stealing v; false when v is NULL or the set fails. */
static bool put(json_t *o, const char *key, json_t *v)
{
    if (!v)
        return false;
    return json_object_set_new(o, key, v) == 0;
}

static json_t *group_json(const struct sc_scheme *s,
                          const struct sc_score_outcome *o, int g)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    const struct sc_scheme_group *grp = &s->groups[g];
    if (put(j, "code", json_string(grp->code)) &&
        put(j, "name_zh", json_string(grp->name_zh)) &&
        put(j, "name_en", json_string(grp->name_en)) &&
        put(j, "earned", fixed(o->groups[g].earned_hundredths, 2)) &&
        put(j, "applicable", json_integer(o->groups[g].applicable)))
        return j;
    json_decref(j);
    return NULL;
}

static json_t *indicator_json(const struct sc_scheme *s,
                              const struct sc_score_input *in,
                              const struct sc_score_outcome *o, int i)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    const struct sc_scheme_indicator *ind = &s->indicators[i];
    const struct sc_score_result *r = &in->results[i];
    bool ok = put(j, "code", json_string(ind->code)) &&
              put(j, "group", json_string(s->groups[ind->group].code)) &&
              put(j, "name_zh", json_string(ind->name_zh)) &&
              put(j, "name_en", json_string(ind->name_en)) &&
              put(j, "points", json_integer(ind->points)) &&
              put(j, "result", json_string(sc_score_kind_name(r->kind)));
    if (ok && r->kind == SC_SCORE_SAMPLED)
        ok = put(j, "samples", json_integer(r->samples)) &&
             put(j, "nonconforming", json_integer(r->nonconforming));
    if (ok)
        ok = put(j, "earned",
                 r->kind == SC_SCORE_EXCLUDED
                     ? json_null()
                     : fixed(o->indicator_hundredths[i], 2));
    if (ok && r->reason)
        ok = put(j, "reason", json_string(r->reason));
    if (ok)
        return j;
    json_decref(j);
    return NULL;
}

json_t *sc_sheet_result_json(const struct sc_scheme *s,
                             const struct sc_score_input *in,
                             const struct sc_score_outcome *o)
{
    json_t *root = json_object();
    json_t *groups = json_array();
    json_t *indicators = json_array();
    json_t *result = NULL;
    if (!root || !groups || !indicators)
        goto out;
    const struct sc_scheme_level *lv = &s->levels[o->level];
    if (!(put(root, "scheme", json_string(s->id)) &&
          put(root, "scheme_version", json_string(s->version)) &&
          put(root, "earned", fixed(o->earned_hundredths, 2)) &&
          put(root, "applicable", json_integer(o->applicable)) &&
          put(root, "raw", fixed(o->raw_hundredths, 2)) &&
          put(root, "score", fixed(o->score_tenths, 1)) &&
          put(root, "level", json_string(lv->code)) &&
          put(root, "level_zh", json_string(lv->name_zh)) &&
          put(root, "level_en", json_string(lv->name_en)) &&
          put(root, "certified", json_boolean(o->certified)) &&
          put(root, "gated", json_boolean(o->gated)) &&
          put(root, "bonus_applied", json_integer(o->bonus_applied)) &&
          put(root, "special_deductions", json_integer(o->deductions))))
        goto out;
    for (int g = 0; g < o->n_groups && g < s->n_groups; g++)
        if (json_array_append_new(groups, group_json(s, o, g)) != 0)
            goto out;
    for (int i = 0; i < s->n_indicators && i < in->n_results; i++)
        if (json_array_append_new(indicators, indicator_json(s, in, o, i)) != 0)
            goto out;
    bool ok = put(root, "groups", groups); /* steals, even on failure */
    groups = NULL;
    if (ok) {
        ok = put(root, "indicators", indicators);
        indicators = NULL;
    }
    if (ok) {
        result = root;
        root = NULL;
    }
out:
    json_decref(groups);
    json_decref(indicators);
    json_decref(root);
    return result;
}

enum sc_err sc_sheet_compute(const struct sc_scheme *s, const json_t *input,
                             struct sc_score_outcome *outcome, json_t **result,
                             struct sc_error *err)
{
    struct sc_score_input in;
    struct sc_score_outcome o;
    *result = NULL;
    enum sc_err rc = sc_sheet_parse_input(s, input, &in, err);
    if (rc == SC_OK)
        rc = sc_score_compute(s, &in, &o, err);
    if (rc != SC_OK)
        return rc;
    *result = sc_sheet_result_json(s, &in, &o);
    if (!*result)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    if (outcome)
        *outcome = o;
    return SC_OK;
}
