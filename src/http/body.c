/*
 * body: JSON request bodies and their field readers (declared in http.h),
 * so every handler refuses bad input the same way: malformed JSON with its
 * position, unknown keys, wrong types, out-of-range numbers — each naming
 * the field.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"

enum sc_err sc_http_json_body(struct sc_http_req *req, json_t **out,
                              struct sc_error *err)
{
    if (req->body_json) {
        *out = req->body_json;
        return SC_OK;
    }
    const char *type = sc_http_header(req, "Content-Type");
    if (!type || strncasecmp(type, "application/json", 16) != 0 ||
        (type[16] != '\0' && type[16] != ';' && type[16] != ' '))
        return sc_error_set(err, SC_ERR_MEDIA_TYPE, "Content-Type",
                            "send the body as application/json");
    if (req->body_len > SC_HTTP_JSON_BODY_MAX)
        return sc_error_set(err, SC_ERR_TOO_LARGE, "body",
                            "a JSON body is limited to %d bytes",
                            SC_HTTP_JSON_BODY_MAX);
    json_error_t jerr;
    json_t *doc = json_loadb(req->body, req->body_len,
                             JSON_REJECT_DUPLICATES,
                             &jerr);
    if (!doc)
        return sc_error_set(err, SC_ERR_MALFORMED, NULL,
                            "malformed JSON at line %d, column %d: %s",
                            jerr.line, jerr.column, jerr.text);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return sc_error_set(err, SC_ERR_INVALID, "body",
                            "the body must be a JSON object");
    }
    req->body_json = doc;
    *out = doc;
    return SC_OK;
}

enum sc_err sc_http_only_keys(const json_t *obj, const char *const *allowed,
                              struct sc_error *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        bool ok = false;
        for (const char *const *a = allowed; *a && !ok; a++)
            ok = strcmp(*a, key) == 0;
        if (!ok)
            return sc_error_set(err, SC_ERR_INVALID, key, "unknown field");
    }
    return SC_OK;
}

enum sc_err sc_http_json_body_opt(struct sc_http_req *req,
                                  const char *const *allowed, json_t **out,
                                  struct sc_error *err)
{
    *out = NULL;
    if (req->body_len == 0)
        return SC_OK;
    enum sc_err rc = sc_http_json_body(req, out, err);
    if (rc == SC_OK)
        rc = sc_http_only_keys(*out, allowed, err);
    return rc;
}

enum sc_err sc_http_get_string(const json_t *obj, const char *key,
                               bool optional, const char **out,
                               struct sc_error *err)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (optional)
            return SC_OK;
        return sc_error_set(err, SC_ERR_INVALID, key, "required");
    }
    if (!json_is_string(v))
        return sc_error_set(err, SC_ERR_INVALID, key, "must be a string");
    if (strlen(json_string_value(v)) != json_string_length(v))
        return sc_error_set(err, SC_ERR_INVALID, key,
                            "must not contain NUL characters");
    *out = json_string_value(v);
    return SC_OK;
}

enum sc_err sc_http_get_int(const json_t *obj, const char *key, bool optional,
                            long long min, long long max, long long *out,
                            struct sc_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (optional)
            return SC_OK;
        return sc_error_set(err, SC_ERR_INVALID, key, "required");
    }
    if (!json_is_integer(v))
        return sc_error_set(err, SC_ERR_INVALID, key, "must be an integer");
    long long n = (long long)json_integer_value(v);
    if (n < min || n > max)
        return sc_error_set(err, SC_ERR_INVALID, key,
                            "must be between %lld and %lld", min, max);
    *out = n;
    return SC_OK;
}

enum sc_err sc_http_get_bool(const json_t *obj, const char *key, bool optional,
                             bool *out, struct sc_error *err)
{
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (optional)
            return SC_OK;
        return sc_error_set(err, SC_ERR_INVALID, key, "required");
    }
    if (!json_is_boolean(v))
        return sc_error_set(err, SC_ERR_INVALID, key,
                            "must be true or false");
    *out = json_is_true(v);
    return SC_OK;
}

bool sc_http_decimal_id(const char *text, int64_t *out)
{
    if (!text || *text < '1' || *text > '9')
        return false;
    for (const char *p = text; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || !end || *end)
        return false;
    *out = v;
    return true;
}

enum sc_err sc_http_path_id(const char *text, const char *field, int64_t *out,
                            struct sc_error *err)
{
    if (!sc_http_decimal_id(text, out))
        return sc_error_set(err, SC_ERR_NOT_FOUND, field, "no %s \"%.40s\"",
                            field, text ? text : "");
    return SC_OK;
}

enum sc_err sc_http_query_int(struct sc_http_req *req, const char *name,
                              long long min, long long max, long long *out,
                              struct sc_error *err)
{
    const char *text = sc_http_query(req, name);
    if (!text)
        return SC_OK;
    const char *digits = text[0] == '-' && min < 0 ? text + 1 : text;
    bool ok = *digits != '\0';
    for (const char *p = digits; *p; p++)
        if (*p < '0' || *p > '9')
            ok = false;
    long long v = 0;
    if (ok) {
        char *end = NULL;
        errno = 0;
        v = strtoll(text, &end, 10);
        ok = errno == 0 && end && *end == '\0';
    }
    if (!ok || v < min || v > max)
        return sc_error_set(err, SC_ERR_INVALID, name,
                            "must be a whole number from %lld to %lld", min,
                            max);
    *out = v;
    return SC_OK;
}
