/*
 * store_registry: public look-ups (see store_registry.h). Three prepared
 * queries per search, each bounded by the limit; the FTS5 indexes and
 * their triggers are in migration 0002.
 */
#include "store/store_registry.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/uscc.h"
#include "store/db.h"
#include "store/store.h"

#define VIEW_COLS                                                              \
    "c.id, c.number, c.revision, o.name, o.uscc, c.level, c.score_tenths, "    \
    "c.state, c.issued, c.expires, c.scope"

static const char SQL_GET[] =
    "SELECT " VIEW_COLS " FROM certificates c "
    "JOIN organisations o ON o.id = c.organisation_id WHERE c.number = ?1";
static const char SQL_BY_USCC[] =
    "SELECT " VIEW_COLS " FROM organisations o "
    "JOIN certificates c ON c.organisation_id = o.id "
    "WHERE o.uscc = ?1 AND c.confidential = 0 ORDER BY c.id LIMIT ?2";
static const char SQL_BY_TRIGRAM[] =
    "SELECT " VIEW_COLS " FROM org_name_trigram f "
    "JOIN certificates c ON c.organisation_id = f.rowid "
    "JOIN organisations o ON o.id = c.organisation_id "
    "WHERE org_name_trigram MATCH ?1 AND c.confidential = 0 LIMIT ?2";
static const char SQL_BY_GRAMS[] =
    "SELECT " VIEW_COLS " FROM org_name_grams f "
    "JOIN certificates c ON c.organisation_id = f.rowid "
    "JOIN organisations o ON o.id = c.organisation_id "
    "WHERE org_name_grams MATCH ?1 AND c.confidential = 0 LIMIT ?2";

static json_t *text_or_null(struct sc_stmt *s, int col)
{
    const char *t = sc_db_col_text(s, col);
    return t ? json_string(t) : json_null();
}

/* The JSON view of the current row of a VIEW_COLS statement. */
static json_t *view(struct sc_stmt *s)
{
    char score[32];
    int64_t tenths = sc_db_col_int(s, 6);
    if (tenths < 0)
        tenths = 0;
    snprintf(score, sizeof score, "%lld.%lld", (long long)(tenths / 10),
             (long long)(tenths % 10));
    return json_pack("{s:o, s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o}",
                     "number", text_or_null(s, 1), "revision",
                     (json_int_t)sc_db_col_int(s, 2), "organisation",
                     text_or_null(s, 3), "uscc", text_or_null(s, 4), "level",
                     text_or_null(s, 5), "score", score, "status",
                     text_or_null(s, 7), "issued", text_or_null(s, 8),
                     "expires", text_or_null(s, 9), "scope",
                     text_or_null(s, 10));
}

enum sc_err sc_store_registry_get(struct sc_store *st, const char *number,
                                  json_t **out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    size_t len = number ? strlen(number) : 0;
    if (len == 0 || len > SC_REGISTRY_TEXT_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "number",
                            "a certificate number of 1..%d bytes is required",
                            SC_REGISTRY_TEXT_MAX);
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_GET, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, number);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "number",
                          "no certificate numbered \"%.64s\"", number);
    if (rc == SC_OK) {
        *out = view(s);
        if (!*out)
            rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    }
    sc_db_done(s);
    return rc;
}

/* Decodes one UTF-8 character at s[*i] (strict: no overlong forms, no
 * surrogates, at most U+10FFFF). Returns false on a bad sequence. */
static bool utf8_next(const unsigned char *s, size_t n, size_t *i,
                      uint32_t *cp)
{
    unsigned char c = s[*i];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        (*i)++;
        return true;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1Fu, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0Fu, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07u, min = 0x10000;
    } else {
        return false;
    }
    if (n - *i < len)
        return false;
    for (size_t k = 1; k < len; k++) {
        unsigned char d = s[*i + k];
        if ((d & 0xC0) != 0x80)
            return false;
        v = (v << 6) | (d & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return false;
    *cp = v;
    *i += len;
    return true;
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
           cp == 0x3000 || cp == 0xA0;
}

/* Validates `text`, trims white space at both ends into out[cap] and
 * counts its characters. */
static enum sc_err normalise(const char *text, char *out, size_t cap,
                             size_t *chars, struct sc_error *err)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = text ? strlen(text) : 0;
    size_t i = 0, start = 0, end = 0, count = 0, count_at_end = 0;
    bool seen = false;
    if (n > SC_REGISTRY_TEXT_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "text",
                            "a search text is limited to %d bytes",
                            SC_REGISTRY_TEXT_MAX);
    while (i < n) {
        size_t at = i;
        uint32_t cp = 0;
        if (!utf8_next(s, n, &i, &cp))
            return sc_error_set(err, SC_ERR_INVALID, "text",
                                "not valid UTF-8 (byte %zu)", at + 1);
        if (seen)
            count++;
        if (is_space(cp))
            continue;
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
            return sc_error_set(err, SC_ERR_INVALID, "text",
                                "control character at byte %zu", at + 1);
        if (!seen) {
            seen = true;
            start = at;
            count = 1;
        }
        end = i;
        count_at_end = count;
    }
    if (!seen)
        return sc_error_set(err, SC_ERR_INVALID, "text",
                            "give a certificate number, a name or a code");
    if (end - start + 1 > cap)
        return sc_error_set(err, SC_ERR_INVALID, "text", "too long");
    memcpy(out, text + start, end - start);
    out[end - start] = '\0';
    *chars = count_at_end;
    return SC_OK;
}

struct results {
    json_t *arr;
    int64_t seen[SC_REGISTRY_LIMIT_MAX];
    int n;
    int limit;
};

/* Runs a prepared-and-bound query, appending rows not seen yet. */
static enum sc_err collect(struct sc_stmt *s, struct results *r,
                           struct sc_error *err)
{
    bool row = false;
    enum sc_err rc = SC_OK;
    while (r->n < r->limit && (rc = sc_db_step(s, &row, err)) == SC_OK &&
           row) {
        int64_t id = sc_db_col_int(s, 0);
        bool dup = false;
        for (int i = 0; i < r->n && !dup; i++)
            dup = r->seen[i] == id;
        if (dup)
            continue;
        json_t *v = view(s);
        if (!v || json_array_append_new(r->arr, v) != 0) {
            sc_db_done(s);
            return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        }
        r->seen[r->n++] = id;
    }
    sc_db_done(s);
    return rc;
}

enum sc_err sc_store_registry_search(struct sc_store *st, const char *text,
                                     int limit, json_t **out,
                                     struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_stmt *s = NULL;
    struct results r;
    char q[SC_REGISTRY_TEXT_MAX + 1];
    char phrase[2 * SC_REGISTRY_TEXT_MAX + 3];
    size_t chars = 0, len, p = 0;
    enum sc_err rc;

    if (limit < 1 || limit > SC_REGISTRY_LIMIT_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "limit",
                            "%d is out of range 1..%d", limit,
                            SC_REGISTRY_LIMIT_MAX);
    rc = normalise(text, q, sizeof q, &chars, err);
    if (rc != SC_OK)
        return rc;
    len = strlen(q);
    memset(&r, 0, sizeof r);
    r.limit = limit;
    r.arr = json_array();
    if (!r.arr)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);

    /* 1. exact number: the only way to a confidential certificate */
    rc = sc_db_prepare(db, SQL_GET, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_text(s, 1, q);
        rc = collect(s, &r, err);
    }
    /* 2. the organisation's code */
    if (rc == SC_OK && len == SC_USCC_LEN && r.n < r.limit) {
        char code[SC_USCC_LEN + 1];
        bool ascii = true;
        for (size_t i = 0; i < len; i++) {
            char c = q[i];
            if (c >= 'a' && c <= 'z')
                c = (char)(c - 'a' + 'A');
            ascii = ascii && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'));
            code[i] = c;
        }
        code[len] = '\0';
        if (ascii && (rc = sc_db_prepare(db, SQL_BY_USCC, &s, err)) == SC_OK) {
            sc_db_bind_text(s, 1, code);
            sc_db_bind_int(s, 2, r.limit);
            rc = collect(s, &r, err);
        }
    }
    /* 3. the name: the user's text as ONE quoted FTS5 phrase ('"' doubled),
     * so no character of it is read as query syntax */
    if (rc == SC_OK && r.n < r.limit) {
        phrase[p++] = '"';
        for (size_t i = 0; i < len; i++) {
            if (q[i] == '"')
                phrase[p++] = '"';
            phrase[p++] = q[i];
        }
        phrase[p++] = '"';
        phrase[p] = '\0';
        rc = sc_db_prepare(db, chars >= 3 ? SQL_BY_TRIGRAM : SQL_BY_GRAMS, &s,
                           err);
        if (rc == SC_OK) {
            sc_db_bind_text(s, 1, phrase);
            sc_db_bind_int(s, 2, r.limit + r.n);
            rc = collect(s, &r, err);
        }
    }
    if (rc == SC_OK)
        *out = r.arr;
    else
        json_decref(r.arr);
    return rc;
}
