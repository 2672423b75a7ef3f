/*
 * store_party: organisations, outlets, users, qualifications and the
 * impartiality register (see store_party.h). Every action follows the
 * store's action shape: policy first (so an actor who may not act learns
 * nothing about the data), then validation with the core, then the write
 * and its one event, all in one transaction. Portable SQL only; "INSERT ...
 * RETURNING id" is understood by SQLite (3.35+) and PostgreSQL alike.
 */
#include "store/store_party.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/policy.h"
#include "core/uscc.h"
#include "store/db.h"
#include "store/events.h"

/* ---- SQL ---------------------------------------------------------------- */

static const char SQL_ORG_BY_USCC[] =
    "SELECT id FROM organisations WHERE uscc = ?1";
static const char SQL_ORG_EXISTS[] =
    "SELECT id FROM organisations WHERE id = ?1";
static const char SQL_ORG_INSERT[] =
    "INSERT INTO organisations (uscc, name, name_en, address, employees, "
    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_ORG_UPDATE[] =
    "UPDATE organisations SET name = ?2, name_en = ?3, address = ?4, "
    "employees = ?5 WHERE id = ?1";
static const char SQL_ORG_GET[] =
    "SELECT id, uscc, name, name_en, address, employees, created_at "
    "FROM organisations WHERE id = ?1";
static const char SQL_ORG_LIST[] =
    "SELECT o.id, o.uscc, o.name, o.name_en, o.address, o.employees, "
    "o.created_at, (SELECT COUNT(*) FROM outlets x WHERE x.organisation_id = "
    "o.id) FROM organisations o WHERE o.id > ?1 AND (?2 = 0 OR o.id = ?2) "
    "ORDER BY o.id LIMIT ?3";

static const char SQL_OUTLET_BY_NAME[] =
    "SELECT id FROM outlets WHERE organisation_id = ?1 AND name = ?2";
static const char SQL_OUTLET_INSERT[] =
    "INSERT INTO outlets (organisation_id, name, address) VALUES (?1, ?2, ?3) "
    "RETURNING id";
static const char SQL_OUTLET_LIST[] =
    "SELECT id, organisation_id, name, address FROM outlets "
    "WHERE organisation_id = ?1 ORDER BY id";
static const char SQL_OUTLET_GET[] =
    "SELECT id, organisation_id, name, address FROM outlets WHERE id = ?1";
static const char SQL_OUTLET_COUNT[] =
    "SELECT COUNT(*) FROM outlets WHERE organisation_id = ?1";

static const char SQL_USER_COUNT[] = "SELECT COUNT(*) FROM users WHERE id > ?1";
static const char SQL_USER_BY_LOGIN[] = "SELECT id FROM users WHERE login = ?1";
static const char SQL_USER_ROLE[] = "SELECT role FROM users WHERE id = ?1";
static const char SQL_USER_INSERT[] =
    "INSERT INTO users (login, name, role, organisation_id, active, "
    "created_at) VALUES (?1, ?2, ?3, ?4, 1, ?5) RETURNING id";
static const char SQL_USER_GET[] =
    "SELECT id, login, name, role, organisation_id, active, created_at "
    "FROM users WHERE id = ?1";
static const char SQL_USER_LIST[] =
    "SELECT id, login, name, role, organisation_id, active, created_at "
    "FROM users WHERE id > ?1 AND (?2 = 0 OR id = ?2) AND (?3 = '' OR role = "
    "?3) ORDER BY id LIMIT ?4";

static const char SQL_QUAL_DUP[] =
    "SELECT id FROM qualifications WHERE user_id = ?1 AND kind = ?2 AND "
    "number = ?3 AND valid_from = ?4 AND valid_to = ?5";
static const char SQL_QUAL_INSERT[] =
    "INSERT INTO qualifications (user_id, kind, number, valid_from, valid_to) "
    "VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id";
static const char SQL_QUAL_GET[] =
    "SELECT q.id, q.user_id, u.login, q.kind, q.number, q.valid_from, "
    "q.valid_to FROM qualifications q JOIN users u ON u.id = q.user_id "
    "WHERE q.id = ?1";
static const char SQL_QUAL_LIST[] =
    "SELECT q.id, q.user_id, u.login, q.kind, q.number, q.valid_from, "
    "q.valid_to FROM qualifications q JOIN users u ON u.id = q.user_id "
    "WHERE (?1 = 0 OR q.user_id = ?1) ORDER BY q.id LIMIT ?2";
static const char SQL_QUAL_MEMBER[] =
    "SELECT valid_from, valid_to FROM qualifications WHERE user_id = ?1 AND "
    "(?2 = 0 OR kind = 'lead_auditor') ORDER BY valid_to DESC, id";

static const char SQL_LINK_INSERT[] =
    "INSERT INTO impartiality_links (user_id, organisation_id, kind, "
    "date_from, date_to, declared_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "RETURNING id";
static const char SQL_LINK_GET[] =
    "SELECT l.id, l.user_id, u.login, l.organisation_id, o.uscc, l.kind, "
    "l.date_from, l.date_to, l.declared_at FROM impartiality_links l "
    "JOIN users u ON u.id = l.user_id JOIN organisations o ON o.id = "
    "l.organisation_id WHERE l.id = ?1";
static const char SQL_LINK_END[] =
    "UPDATE impartiality_links SET date_to = ?2 WHERE id = ?1 AND date_to "
    "IS NULL";
static const char SQL_LINK_LIST[] =
    "SELECT l.id, l.user_id, u.login, l.organisation_id, o.uscc, l.kind, "
    "l.date_from, l.date_to, l.declared_at FROM impartiality_links l "
    "JOIN users u ON u.id = l.user_id JOIN organisations o ON o.id = "
    "l.organisation_id WHERE (?1 = 0 OR l.user_id = ?1) AND (?2 = 0 OR "
    "l.organisation_id = ?2) ORDER BY l.id LIMIT ?3";
static const char SQL_LINK_LOAD[] =
    "SELECT user_id, organisation_id, kind, date_from, date_to "
    "FROM impartiality_links WHERE (?1 = 0 OR user_id = ?1) AND (?2 = 0 OR "
    "organisation_id = ?2) ORDER BY id LIMIT ?3";

/* ---- helpers ------------------------------------------------------------ */

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}


/* A free-text field: UTF-8, no control characters, at most `max` bytes,
 * and (when `required`) something other than spaces. */
static enum sc_err check_text(const char *s, const char *field, size_t max,
                              bool required, struct sc_error *err)
{
    if (!s || !s[0]) {
        if (required)
            return sc_error_set(err, SC_ERR_INVALID, field, "%s is required",
                                field);
        return SC_OK;
    }
    size_t n = strlen(s);
    if (n > max)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "%s is %zu bytes long, at most %zu allowed", field,
                            n, max);
    if (!sc_text_utf8_valid(s, n))
        return sc_error_set(err, SC_ERR_INVALID, field, "%s is not valid UTF-8",
                            field);
    bool blank = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F)
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "%s holds a control character at byte %zu",
                                field, i + 1);
        if (c != ' ')
            blank = false;
    }
    if (blank && required)
        return sc_error_set(err, SC_ERR_INVALID, field, "%s is required",
                            field);
    return SC_OK;
}

static enum sc_err check_login(const char *s, struct sc_error *err)
{
    if (!s || !s[0])
        return sc_error_set(err, SC_ERR_INVALID, "login", "login is required");
    size_t n = strlen(s);
    if (n > SC_PARTY_LOGIN_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "login",
                            "login is %zu characters long, at most %d allowed",
                            n, SC_PARTY_LOGIN_MAX);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum &&
            (i == 0 || (c != '.' && c != '_' && c != '-' && c != '@')))
            return sc_error_set(err, SC_ERR_INVALID, "login",
                                "login may hold only a-z, 0-9, '.', '_', '-', "
                                "'@', starting with a letter or digit (byte "
                                "%zu is not allowed)",
                                i + 1);
    }
    if (strcmp(s, "system") == 0 || strcmp(s, "anonymous") == 0)
        return sc_error_set(err, SC_ERR_INVALID, "login",
                            "login \"%s\" is reserved", s);
    return SC_OK;
}

/* Runs a one-column integer query with one integer or text parameter;
 * *found tells whether a row came back. */
static enum sc_err lookup_id(struct sc_store *st, const char *sql, int64_t ipar,
                             const char *tpar, int64_t *v, bool *found,
                             struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &s, err);
    if (rc != SC_OK)
        return rc;
    if (tpar)
        sc_db_bind_text(s, 1, tpar);
    else
        sc_db_bind_int(s, 1, ipar);
    rc = sc_db_step(s, &row, err);
    *found = rc == SC_OK && row;
    *v = *found ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    return rc;
}

static enum sc_err org_must_exist(struct sc_store *st, int64_t org,
                                  const char *field, struct sc_error *err)
{
    int64_t v = 0;
    bool found = false;
    enum sc_err rc = lookup_id(st, SQL_ORG_EXISTS, org, NULL, &v, &found, err);
    if (rc == SC_OK && !found)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, field, "no organisation %lld",
                          (long long)org);
    return rc;
}

/* The role of user `id`; SC_ERR_NOT_FOUND on `field` when there is none. */
static enum sc_err user_role(struct sc_store *st, int64_t id, const char *field,
                             enum sc_workflow_role *role, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_USER_ROLE, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, field, "no user %lld",
                          (long long)id);
    if (rc == SC_OK)
        rc = sc_workflow_role_parse(sc_db_col_text(s, 0), field, role, err);
    sc_db_done(s);
    return rc;
}

/* Appends the event of a creation: detail {"after": view} plus `extra`'s
 * keys (may be NULL). Borrows view and extra. */
static enum sc_err event_created(struct sc_store *st,
                                 const struct sc_clock *clk,
                                 const struct sc_actor *actor,
                                 const char *action, const char *entity,
                                 int64_t id, json_t *view, json_t *extra,
                                 struct sc_error *err)
{
    json_t *detail = json_pack("{s:O}", "after", view);
    if (!detail || (extra && json_object_update(detail, extra) != 0)) {
        json_decref(detail);
        return nomem(err);
    }
    enum sc_err rc = sc_events_append(st, clk, actor ? actor->user_id : 0,
                                      action, entity, id, detail, err);
    json_decref(detail);
    return rc;
}

/* ---- views -------------------------------------------------------------- */

static json_t *org_row_view(struct sc_stmt *s)
{
    return json_pack(
        "{s:I, s:s, s:s, s:s?, s:s, s:I, s:s}", "id",
        (json_int_t)sc_db_col_int(s, 0), "uscc", sc_db_col_text(s, 1), "name",
        sc_db_col_text(s, 2), "name_en", sc_db_col_text(s, 3), "address",
        sc_db_col_text(s, 4), "employees", (json_int_t)sc_db_col_int(s, 5),
        "created_at", sc_db_col_text(s, 6));
}

static json_t *outlet_row_view(struct sc_stmt *s)
{
    return json_pack("{s:I, s:I, s:s, s:s}", "id",
                     (json_int_t)sc_db_col_int(s, 0), "organisation",
                     (json_int_t)sc_db_col_int(s, 1), "name",
                     sc_db_col_text(s, 2), "address", sc_db_col_text(s, 3));
}

static json_t *user_row_view(struct sc_stmt *s)
{
    json_t *org = sc_db_col_is_null(s, 4)
                      ? json_null()
                      : json_integer((json_int_t)sc_db_col_int(s, 4));
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:o, s:b, s:s}", "id",
        (json_int_t)sc_db_col_int(s, 0), "login", sc_db_col_text(s, 1), "name",
        sc_db_col_text(s, 2), "role", sc_db_col_text(s, 3), "organisation", org,
        "active", sc_db_col_int(s, 5) != 0, "created_at", sc_db_col_text(s, 6));
}

static json_t *qual_row_view(struct sc_stmt *s)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s}", "id",
                     (json_int_t)sc_db_col_int(s, 0), "user",
                     (json_int_t)sc_db_col_int(s, 1), "login",
                     sc_db_col_text(s, 2), "kind", sc_db_col_text(s, 3),
                     "number", sc_db_col_text(s, 4), "valid_from",
                     sc_db_col_text(s, 5), "valid_to", sc_db_col_text(s, 6));
}

static json_t *link_row_view(struct sc_stmt *s)
{
    const char *to = sc_db_col_text(s, 7);
    return json_pack("{s:I, s:I, s:s, s:I, s:s, s:s, s:s, s:s?, s:b, s:s}",
                     "id", (json_int_t)sc_db_col_int(s, 0), "user",
                     (json_int_t)sc_db_col_int(s, 1), "login",
                     sc_db_col_text(s, 2), "organisation",
                     (json_int_t)sc_db_col_int(s, 3), "uscc",
                     sc_db_col_text(s, 4), "kind", sc_db_col_text(s, 5), "from",
                     sc_db_col_text(s, 6), "to", to, "ongoing", to == NULL,
                     "declared_at", sc_db_col_text(s, 8));
}

/*
 * Runs `sql` with up to four integer/text parameters already bound by the
 * caller (the statement comes in prepared), appending one view per row to
 * a new array in *out. Always calls sc_db_done.
 */
static enum sc_err collect(struct sc_stmt *s, json_t *(*view)(struct sc_stmt *),
                           json_t **out, struct sc_error *err)
{
    json_t *arr = json_array();
    enum sc_err rc = arr ? SC_OK : nomem(err);
    bool row = true;
    while (rc == SC_OK) {
        rc = sc_db_step(s, &row, err);
        if (rc != SC_OK || !row)
            break;
        json_t *v = view(s);
        if (!v || json_array_append_new(arr, v) != 0)
            rc = nomem(err);
    }
    sc_db_done(s);
    if (rc != SC_OK) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return SC_OK;
}

/* One row by id through `sql` into a view; SC_ERR_NOT_FOUND on `field`. */
static enum sc_err one_view(struct sc_store *st, const char *sql, int64_t id,
                            json_t *(*view)(struct sc_stmt *),
                            const char *field, const char *what, json_t **out,
                            struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, field, "no %s %lld", what,
                          (long long)id);
    if (rc == SC_OK && !(*out = view(s)))
        rc = nomem(err);
    sc_db_done(s);
    return rc;
}

static enum sc_err outlets_of(struct sc_store *st, int64_t org, json_t **out,
                              struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_OUTLET_LIST, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, org);
    return collect(s, outlet_row_view, out, err);
}

/* The full organisation view (with outlets), no policy. */
static enum sc_err org_view(struct sc_store *st, int64_t id, json_t **out,
                            struct sc_error *err)
{
    json_t *v = NULL, *outlets = NULL;
    enum sc_err rc = one_view(st, SQL_ORG_GET, id, org_row_view, "organisation",
                              "organisation", &v, err);
    if (rc == SC_OK)
        rc = outlets_of(st, id, &outlets, err);
    if (rc == SC_OK && json_object_set_new(v, "outlets", outlets) != 0)
        rc = nomem(err);
    if (rc != SC_OK) {
        json_decref(v);
        return rc;
    }
    *out = v;
    return SC_OK;
}

static enum sc_err check_limit(int limit, struct sc_error *err)
{
    if (limit < 1 || limit > SC_PARTY_LIST_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "limit",
                            "limit %d is out of range 1..%d", limit,
                            SC_PARTY_LIST_MAX);
    return SC_OK;
}

/* ---- organisations ------------------------------------------------------ */

enum sc_err sc_store_org_create(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor,
                                const struct sc_party_org_input *in,
                                int64_t *id, json_t **view_out,
                                struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    json_t *view = NULL;
    bool own = false, row = false, found = false;
    int64_t new_id = 0, other = 0;
    enum sc_err rc =
        sc_policy_check("organisation.create", actor->role, false, err);
    if (rc != SC_OK)
        return rc;
    rc = sc_uscc_check(in->uscc, err);
    if (rc != SC_OK) {
        if (err)
            snprintf(err->field, sizeof err->field, "uscc");
        return rc;
    }
    if ((rc = check_text(in->name, "name", SC_PARTY_NAME_MAX, true, err)) ||
        (rc = check_text(in->name_en, "name_en", SC_PARTY_NAME_MAX, false,
                         err)) ||
        (rc = check_text(in->address, "address", SC_PARTY_ADDRESS_MAX, true,
                         err)))
        return rc;
    if (in->employees < 1 || in->employees > SC_PARTY_EMPLOYEES_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "employees",
                            "employees must be 1..%lld (head office plus all "
                            "sites), got %lld",
                            SC_PARTY_EMPLOYEES_MAX, (long long)in->employees);

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = lookup_id(st, SQL_ORG_BY_USCC, 0, in->uscc, &other, &found, err);
    if (rc == SC_OK && found)
        rc = sc_error_set(
            err, SC_ERR_CONFLICT, "uscc",
            "统一社会信用代码 %s is already registered (organisation "
            "%lld)",
            in->uscc, (long long)other);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_ORG_INSERT, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_text(s, 1, in->uscc);
        sc_db_bind_text(s, 2, in->name);
        sc_db_bind_text(s, 3,
                        in->name_en && in->name_en[0] ? in->name_en : NULL);
        sc_db_bind_text(s, 4, in->address);
        sc_db_bind_int(s, 5, in->employees);
        sc_db_bind_text(s, 6, clk->now);
        rc = sc_db_step(s, &row, err);
        new_id = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_INTERNAL, NULL, "insert gave no id");
    }
    if (rc == SC_OK)
        rc = org_view(st, new_id, &view, err);
    if (rc == SC_OK)
        rc = event_created(st, clk, actor, "organisation.create",
                           "organisation", new_id, view, NULL, err);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc == SC_OK && id)
        *id = new_id;
    if (rc == SC_OK && view_out)
        *view_out = json_incref(view);
    json_decref(view);
    return rc;
}

/* Validates an update's fields before any read (see sc_store_org_update). */
static enum sc_err org_update_check(const struct sc_actor *actor, int64_t org,
                                    const struct sc_party_org_update *in,
                                    struct sc_error *err)
{
    enum sc_err rc = sc_policy_check("organisation.update", actor->role,
                                     sc_actor_owns(actor, org), err);
    const char *renamed = in->name ? "name" : in->name_en ? "name_en" : NULL;
    if (rc == SC_OK && renamed &&
        (rc = sc_policy_check("organisation.rename", actor->role, false,
                              err)) != SC_OK && err)
        snprintf(err->field, sizeof err->field, "%s", renamed);
    if (rc != SC_OK)
        return rc;
    if (!renamed && !in->address && in->employees == 0 && !in->uscc)
        return sc_error_set(err, SC_ERR_INVALID, NULL,
                            "nothing to change: give the name, the English "
                            "name, the address or the employees");
    if ((in->name &&
         (rc = check_text(in->name, "name", SC_PARTY_NAME_MAX, true, err))) ||
        (rc = check_text(in->name_en, "name_en", SC_PARTY_NAME_MAX, false,
                         err)) ||
        (in->address && (rc = check_text(in->address, "address",
                                         SC_PARTY_ADDRESS_MAX, true, err))))
        return rc;
    if (in->employees != 0 &&
        (in->employees < 1 || in->employees > SC_PARTY_EMPLOYEES_MAX))
        return sc_error_set(err, SC_ERR_INVALID, "employees",
                            "employees must be 1..%lld (head office plus all "
                            "sites), got %lld",
                            SC_PARTY_EMPLOYEES_MAX, (long long)in->employees);
    return SC_OK;
}

/* Records a changed text field (NULL: absent) in before/after. */
static int diff_text(json_t *before, json_t *after, const char *key,
                     const char *old, const char *new_value)
{
    bool same = (old == NULL && new_value == NULL) ||
                (old && new_value && strcmp(old, new_value) == 0);
    if (same)
        return 0;
    return json_object_set_new(before, key,
                               old ? json_string(old) : json_null()) |
           json_object_set_new(after, key,
                               new_value ? json_string(new_value)
                                         : json_null());
}

enum sc_err sc_store_org_update(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor, int64_t org,
                                const struct sc_party_org_update *in,
                                json_t **view_out, struct sc_error *err)
{
    json_t *cur = NULL, *before = NULL, *after = NULL, *detail = NULL,
           *view = NULL;
    bool own = false;
    enum sc_err rc = org_update_check(actor, org, in, err);
    if (rc != SC_OK)
        return rc;
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = one_view(st, SQL_ORG_GET, org, org_row_view, "organisation",
                  "organisation", &cur, err);
    const char *uscc = cur ? json_string_value(json_object_get(cur, "uscc"))
                           : NULL;
    if (rc == SC_OK && in->uscc && strcmp(in->uscc, uscc) != 0)
        rc = sc_error_set(err, SC_ERR_INVALID, "uscc",
                          "the 统一社会信用代码 of an organisation never "
                          "changes: %s is registered with %.24s, and a "
                          "different code is a different organisation "
                          "(register it on its own)",
                          uscc, in->uscc);
    if (rc == SC_OK && (!(before = json_object()) || !(after = json_object())))
        rc = nomem(err);
    const char *name = NULL, *name_en = NULL, *address = NULL;
    json_int_t employees = 0;
    if (rc == SC_OK) {
        const char *old_en =
            json_string_value(json_object_get(cur, "name_en"));
        json_int_t old_emp =
            json_integer_value(json_object_get(cur, "employees"));
        name = json_string_value(json_object_get(cur, "name"));
        address = json_string_value(json_object_get(cur, "address"));
        name_en = in->name_en ? (in->name_en[0] ? in->name_en : NULL) : old_en;
        employees = in->employees ? (json_int_t)in->employees : old_emp;
        int bad = 0;
        if (in->name)
            bad |= diff_text(before, after, "name", name, in->name);
        bad |= diff_text(before, after, "name_en", old_en, name_en);
        if (in->address)
            bad |= diff_text(before, after, "address", address, in->address);
        if (employees != old_emp)
            bad |= json_object_set_new(before, "employees",
                                       json_integer(old_emp)) |
                   json_object_set_new(after, "employees",
                                       json_integer(employees));
        if (in->name)
            name = in->name;
        if (in->address)
            address = in->address;
        if (bad)
            rc = nomem(err);
    }
    if (rc == SC_OK && json_object_size(after) > 0) {
        struct sc_stmt *s = NULL;
        rc = sc_db_prepare(sc_store_db(st), SQL_ORG_UPDATE, &s, err);
        if (rc == SC_OK) {
            sc_db_bind_int(s, 1, org);
            sc_db_bind_text(s, 2, name);
            sc_db_bind_text(s, 3, name_en);
            sc_db_bind_text(s, 4, address);
            sc_db_bind_int(s, 5, employees);
            rc = sc_db_finish(s, err);
        }
        if (rc == SC_OK &&
            !(detail = json_pack("{s:O, s:O}", "before", before, "after",
                                 after)))
            rc = nomem(err);
        if (rc == SC_OK)
            rc = sc_events_append(st, clk, actor->user_id,
                                  "organisation.update", "organisation", org,
                                  detail, err);
    }
    if (rc == SC_OK && view_out)
        rc = org_view(st, org, &view, err);
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(cur);
    json_decref(before);
    json_decref(after);
    json_decref(detail);
    if (rc == SC_OK && view_out)
        *view_out = view;
    else
        json_decref(view);
    return rc;
}

enum sc_err sc_store_org_resolve(struct sc_store *st, const char *ref,
                                 const char *field, int64_t *id,
                                 struct sc_error *err)
{
    int64_t v = 0;
    bool found = false, digits = ref && ref[0];
    enum sc_err rc;
    for (const char *p = ref; digits && *p; p++)
        if (*p < '0' || *p > '9')
            digits = false;
    if (!ref || !ref[0])
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "name the organisation by id or 统一社会信用代码");
    if (digits && strlen(ref) < SC_USCC_LEN) {
        if (strlen(ref) > 15)
            return sc_error_set(err, SC_ERR_NOT_FOUND, field,
                                "no organisation %.20s", ref);
        int64_t n = 0;
        for (const char *p = ref; *p; p++)
            n = n * 10 + (*p - '0');
        rc = lookup_id(st, SQL_ORG_EXISTS, n, NULL, &v, &found, err);
    } else if (strlen(ref) == SC_USCC_LEN) {
        rc = lookup_id(st, SQL_ORG_BY_USCC, 0, ref, &v, &found, err);
    } else {
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "\"%.40s\" is neither an organisation id nor an "
                            "18-character 统一社会信用代码",
                            ref);
    }
    if (rc == SC_OK && !found)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, field, "no organisation %.40s",
                          ref);
    if (rc == SC_OK)
        *id = v;
    return rc;
}

enum sc_err sc_store_org_resolve_as(struct sc_store *st,
                                    const struct sc_actor *actor,
                                    const char *action, const char *ref,
                                    const char *field, int64_t *id,
                                    struct sc_error *err)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    enum sc_err rc = sc_store_org_resolve(st, ref, field, id, err);
    if (rc != SC_ERR_NOT_FOUND && rc != SC_ERR_INVALID)
        return rc;
    if (sc_policy_scope_for(action, actor->role, &scope, NULL) == SC_OK &&
        (scope == SC_POLICY_SCOPE_NONE || scope == SC_POLICY_SCOPE_OWN_ORG))
        return sc_policy_check(action, actor->role, false, err);
    return rc;
}

enum sc_err sc_store_org_get(struct sc_store *st, const struct sc_actor *actor,
                             int64_t id, json_t **out, struct sc_error *err)
{
    enum sc_err rc = sc_policy_check("organisation.view", actor->role,
                                     sc_actor_owns(actor, id), err);
    if (rc != SC_OK)
        return rc;
    return org_view(st, id, out, err);
}

enum sc_err sc_store_org_list(struct sc_store *st, const struct sc_actor *actor,
                              int64_t after_id, int limit, json_t **out,
                              struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    enum sc_err rc =
        sc_policy_scope_for("organisation.view", actor->role, &scope, err);
    if (rc != SC_OK)
        return rc;
    if (scope == SC_POLICY_SCOPE_NONE)
        return sc_policy_check("organisation.view", actor->role, false, err);
    if ((rc = check_limit(limit, err)) != SC_OK)
        return rc;
    rc = sc_db_prepare(sc_store_db(st), SQL_ORG_LIST, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, after_id);
    /* an enterprise user (scope own_org) sees their own only; -1 matches no
     * organisation when they have none */
    sc_db_bind_int(
        s, 2,
        scope == SC_POLICY_SCOPE_ANY
            ? 0
            : (actor->organisation_id ? actor->organisation_id : -1));
    sc_db_bind_int(s, 3, limit);
    json_t *arr = NULL;
    bool row = false;
    arr = json_array();
    rc = arr ? SC_OK : nomem(err);
    while (rc == SC_OK) {
        rc = sc_db_step(s, &row, err);
        if (rc != SC_OK || !row)
            break;
        json_t *v = org_row_view(s);
        if (!v ||
            json_object_set_new(
                v, "outlet_count",
                json_integer((json_int_t)sc_db_col_int(s, 7))) != 0 ||
            json_array_append_new(arr, v) != 0)
            rc = nomem(err);
    }
    sc_db_done(s);
    if (rc != SC_OK) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return SC_OK;
}

/* ---- outlets ------------------------------------------------------------ */

enum sc_err sc_store_outlet_add(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor, int64_t org,
                                const char *name, const char *address,
                                int64_t *id, json_t **view_out,
                                struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    json_t *view = NULL;
    bool own = false, row = false, found = false;
    int64_t new_id = 0, other = 0;
    enum sc_err rc = sc_policy_check("outlet.add", actor->role,
                                     sc_actor_owns(actor, org), err);
    if (rc != SC_OK)
        return rc;
    if ((rc = check_text(name, "name", SC_PARTY_NAME_MAX, true, err)) ||
        (rc = check_text(address, "address", SC_PARTY_ADDRESS_MAX, true, err)))
        return rc;
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = org_must_exist(st, org, "organisation", err);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_OUTLET_BY_NAME, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, org);
        sc_db_bind_text(s, 2, name);
        rc = sc_db_step(s, &found, err);
        other = rc == SC_OK && found ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && found)
            rc = sc_error_set(err, SC_ERR_CONFLICT, "name",
                              "organisation %lld already has an outlet named "
                              "\"%.80s\" (outlet %lld)",
                              (long long)org, name, (long long)other);
    }
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_OUTLET_INSERT, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, org);
        sc_db_bind_text(s, 2, name);
        sc_db_bind_text(s, 3, address);
        rc = sc_db_step(s, &row, err);
        new_id = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_INTERNAL, NULL, "insert gave no id");
    }
    if (rc == SC_OK)
        rc = one_view(st, SQL_OUTLET_GET, new_id, outlet_row_view, "outlet",
                      "outlet", &view, err);
    if (rc == SC_OK)
        rc = event_created(st, clk, actor, "outlet.add", "outlet", new_id, view,
                           NULL, err);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc == SC_OK && id)
        *id = new_id;
    if (rc == SC_OK && view_out)
        *view_out = json_incref(view);
    json_decref(view);
    return rc;
}

enum sc_err sc_store_outlet_list(struct sc_store *st,
                                 const struct sc_actor *actor, int64_t org,
                                 json_t **out, struct sc_error *err)
{
    enum sc_err rc = sc_policy_check("organisation.view", actor->role,
                                     sc_actor_owns(actor, org), err);
    if (rc == SC_OK)
        rc = org_must_exist(st, org, "organisation", err);
    if (rc == SC_OK)
        rc = outlets_of(st, org, out, err);
    return rc;
}

enum sc_err sc_store_outlet_count(struct sc_store *st, int64_t org,
                                  int64_t *count, struct sc_error *err)
{
    bool found = false;
    return lookup_id(st, SQL_OUTLET_COUNT, org, NULL, count, &found, err);
}

/* ---- users -------------------------------------------------------------- */

enum sc_err sc_store_user_create(struct sc_store *st,
                                 const struct sc_clock *clk,
                                 const struct sc_actor *actor,
                                 const struct sc_party_user_input *in,
                                 int64_t *id, json_t **view_out,
                                 struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    json_t *view = NULL, *extra = NULL;
    bool own = false, row = false, found = false;
    int64_t new_id = 0, n_users = 0, other = 0;
    enum sc_err rc = SC_OK;

    if (actor &&
        (rc = sc_policy_check("user.create", actor->role, false, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if (!actor) {
        /* bootstrap: the first admin of an empty database, nobody else */
        rc = lookup_id(st, SQL_USER_COUNT, 0, NULL, &n_users, &found, err);
        if (rc == SC_OK && n_users > 0)
            rc = sc_error_set(err, SC_ERR_UNAUTHENTICATED, "as",
                              "the database has users already: say who acts "
                              "with --as LOGIN (an admin)");
        if (rc == SC_OK && in->role != SC_ROLE_ADMIN)
            rc = sc_error_set(err, SC_ERR_INVALID, "role",
                              "the first user of a database must be an admin");
    }
    if (rc == SC_OK)
        rc = check_login(in->login, err);
    if (rc == SC_OK)
        rc = check_text(in->name, "name", SC_PARTY_NAME_MAX, true, err);
    if (rc == SC_OK &&
        ((int)in->role < 0 || (int)in->role >= (int)SC_ROLE_SYSTEM))
        rc = sc_error_set(err, SC_ERR_INVALID, "role",
                          "role must be one of admin, market, review, "
                          "auditor, committee, enterprise");
    if (rc == SC_OK && in->role == SC_ROLE_ENTERPRISE && in->organisation == 0)
        rc = sc_error_set(err, SC_ERR_INVALID, "organisation",
                          "an enterprise user is bound to exactly one "
                          "organisation: name it");
    if (rc == SC_OK && in->role != SC_ROLE_ENTERPRISE && in->organisation != 0)
        rc = sc_error_set(err, SC_ERR_INVALID, "organisation",
                          "only enterprise users belong to an organisation; "
                          "a %s is CB staff",
                          sc_workflow_role_name(in->role));
    if (rc == SC_OK && in->organisation)
        rc = org_must_exist(st, in->organisation, "organisation", err);
    if (rc == SC_OK) {
        rc =
            lookup_id(st, SQL_USER_BY_LOGIN, 0, in->login, &other, &found, err);
        if (rc == SC_OK && found)
            rc = sc_error_set(err, SC_ERR_CONFLICT, "login",
                              "login \"%s\" is taken (user %lld)", in->login,
                              (long long)other);
    }
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_USER_INSERT, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_text(s, 1, in->login);
        sc_db_bind_text(s, 2, in->name);
        sc_db_bind_text(s, 3, sc_workflow_role_name(in->role));
        if (in->organisation)
            sc_db_bind_int(s, 4, in->organisation);
        else
            sc_db_bind_null(s, 4);
        sc_db_bind_text(s, 5, clk->now);
        rc = sc_db_step(s, &row, err);
        new_id = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_INTERNAL, NULL, "insert gave no id");
    }
    if (rc == SC_OK)
        rc = one_view(st, SQL_USER_GET, new_id, user_row_view, "user", "user",
                      &view, err);
    if (rc == SC_OK && !actor && !(extra = json_pack("{s:b}", "bootstrap", 1)))
        rc = nomem(err);
    if (rc == SC_OK)
        rc = event_created(st, clk, actor, "user.create", "user", new_id, view,
                           extra, err);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc == SC_OK && id)
        *id = new_id;
    if (rc == SC_OK && view_out)
        *view_out = json_incref(view);
    json_decref(view);
    json_decref(extra);
    return rc;
}

enum sc_err sc_store_user_resolve(struct sc_store *st, const char *login,
                                  const char *field, int64_t *id,
                                  struct sc_error *err)
{
    int64_t v = 0;
    bool found = false;
    if (!login || !login[0])
        return sc_error_set(err, SC_ERR_INVALID, field, "a login is required");
    enum sc_err rc =
        lookup_id(st, SQL_USER_BY_LOGIN, 0, login, &v, &found, err);
    if (rc == SC_OK && !found)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, field, "no user \"%.64s\"",
                          login);
    if (rc == SC_OK)
        *id = v;
    return rc;
}

enum sc_err sc_store_user_get(struct sc_store *st, const struct sc_actor *actor,
                              int64_t id, json_t **out, struct sc_error *err)
{
    json_t *v = NULL, *quals = NULL, *links = NULL;
    struct sc_stmt *s = NULL;
    enum sc_err rc =
        sc_policy_check("user.view", actor->role, id == actor->user_id, err);
    if (rc == SC_OK)
        rc = one_view(st, SQL_USER_GET, id, user_row_view, "user", "user", &v,
                      err);
    if (rc == SC_OK && (rc = sc_db_prepare(sc_store_db(st), SQL_QUAL_LIST, &s,
                                           err)) == SC_OK) {
        sc_db_bind_int(s, 1, id);
        sc_db_bind_int(s, 2, SC_PARTY_LIST_MAX);
        rc = collect(s, qual_row_view, &quals, err);
    }
    if (rc == SC_OK && (rc = sc_db_prepare(sc_store_db(st), SQL_LINK_LIST, &s,
                                           err)) == SC_OK) {
        sc_db_bind_int(s, 1, id);
        sc_db_bind_int(s, 2, 0);
        sc_db_bind_int(s, 3, SC_PARTY_LIST_MAX);
        rc = collect(s, link_row_view, &links, err);
    }
    if (rc == SC_OK) {
        int a = json_object_set_new(v, "qualifications", quals);
        int b = json_object_set_new(v, "links", links);
        quals = links = NULL;
        if (a || b)
            rc = nomem(err);
    }
    json_decref(quals);
    json_decref(links);
    if (rc != SC_OK) {
        json_decref(v);
        return rc;
    }
    *out = v;
    return SC_OK;
}

enum sc_err sc_store_user_list(struct sc_store *st,
                               const struct sc_actor *actor, int role,
                               int64_t after_id, int limit, json_t **out,
                               struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    enum sc_err rc = sc_policy_scope_for("user.view", actor->role, &scope, err);
    if (rc != SC_OK)
        return rc;
    if (scope == SC_POLICY_SCOPE_NONE)
        return sc_policy_check("user.view", actor->role, false, err);
    if ((rc = check_limit(limit, err)) != SC_OK)
        return rc;
    if (role >= (int)SC_ROLE_SYSTEM)
        return sc_error_set(err, SC_ERR_INVALID, "role", "no such user role");
    rc = sc_db_prepare(sc_store_db(st), SQL_USER_LIST, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, after_id);
    sc_db_bind_int(s, 2,
                   scope == SC_POLICY_SCOPE_ANY
                       ? 0
                       : (actor->user_id ? actor->user_id : -1));
    sc_db_bind_text(
        s, 3,
        role < 0 ? "" : sc_workflow_role_name((enum sc_workflow_role)role));
    sc_db_bind_int(s, 4, limit);
    return collect(s, user_row_view, out, err);
}

/* ---- qualifications ----------------------------------------------------- */

static const char *const qual_kind_names[SC_QUAL_KIND_COUNT_] = {
    "auditor",
    "lead_auditor",
};

const char *sc_party_qual_kind_name(enum sc_party_qual_kind k)
{
    if ((int)k < 0 || (int)k >= (int)SC_QUAL_KIND_COUNT_)
        return "unknown";
    return qual_kind_names[k];
}

enum sc_err sc_party_qual_kind_parse(const char *s, const char *field,
                                     enum sc_party_qual_kind *out,
                                     struct sc_error *err)
{
    for (int i = 0; s && i < (int)SC_QUAL_KIND_COUNT_; i++) {
        if (strcmp(s, qual_kind_names[i]) == 0) {
            *out = (enum sc_party_qual_kind)i;
            return SC_OK;
        }
    }
    return sc_error_set(err, SC_ERR_INVALID, field,
                        "unknown qualification kind \"%.40s\": use auditor or "
                        "lead_auditor",
                        s ? s : "");
}

/* Checks a [from, to] period, naming `to_field` when it is reversed. */
static enum sc_err check_period(sc_day from, sc_day to, const char *from_field,
                                const char *to_field, struct sc_error *err)
{
    if (!sc_date_in_range(from))
        return sc_error_set(err, SC_ERR_INVALID, from_field,
                            "%s is out of range", from_field);
    if (!sc_date_in_range(to))
        return sc_error_set(err, SC_ERR_INVALID, to_field, "%s is out of range",
                            to_field);
    if (to < from) {
        char a[SC_DATE_BUF], b[SC_DATE_BUF];
        sc_date_format(from, a);
        sc_date_format(to, b);
        return sc_error_set(err, SC_ERR_INVALID, to_field,
                            "%s %s is before %s %s", to_field, b, from_field,
                            a);
    }
    return SC_OK;
}

enum sc_err
sc_store_qualification_add(struct sc_store *st, const struct sc_clock *clk,
                           const struct sc_actor *actor, int64_t user,
                           enum sc_party_qual_kind kind, const char *number,
                           sc_day from, sc_day to, int64_t *id,
                           json_t **view_out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    json_t *view = NULL;
    bool own = false, row = false, found = false;
    int64_t new_id = 0;
    enum sc_workflow_role role = SC_ROLE_COUNT_;
    char a[SC_DATE_BUF], b[SC_DATE_BUF];
    enum sc_err rc =
        sc_policy_check("qualification.add", actor->role, false, err);
    if (rc != SC_OK)
        return rc;
    if ((int)kind < 0 || (int)kind >= (int)SC_QUAL_KIND_COUNT_)
        return sc_error_set(err, SC_ERR_INVALID, "kind",
                            "unknown qualification kind");
    if ((rc = check_text(number, "number", SC_PARTY_NUMBER_MAX, true, err)) ||
        (rc = check_period(from, to, "valid_from", "valid_to", err)))
        return rc;
    sc_date_format(from, a);
    sc_date_format(to, b);
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = user_role(st, user, "user", &role, err);
    if (rc == SC_OK && role != SC_ROLE_AUDITOR)
        rc = sc_error_set(err, SC_ERR_INVALID, "user",
                          "auditor qualifications are held by auditors; user "
                          "%lld is %s",
                          (long long)user, sc_workflow_role_name(role));
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_QUAL_DUP, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, user);
        sc_db_bind_text(s, 2, sc_party_qual_kind_name(kind));
        sc_db_bind_text(s, 3, number);
        sc_db_bind_text(s, 4, a);
        sc_db_bind_text(s, 5, b);
        rc = sc_db_step(s, &found, err);
        sc_db_done(s);
        if (rc == SC_OK && found)
            rc = sc_error_set(err, SC_ERR_CONFLICT, "number",
                              "this qualification is already recorded");
    }
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_QUAL_INSERT, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, user);
        sc_db_bind_text(s, 2, sc_party_qual_kind_name(kind));
        sc_db_bind_text(s, 3, number);
        sc_db_bind_text(s, 4, a);
        sc_db_bind_text(s, 5, b);
        rc = sc_db_step(s, &row, err);
        new_id = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_INTERNAL, NULL, "insert gave no id");
    }
    if (rc == SC_OK)
        rc = one_view(st, SQL_QUAL_GET, new_id, qual_row_view, "qualification",
                      "qualification", &view, err);
    if (rc == SC_OK)
        rc = event_created(st, clk, actor, "qualification.add", "qualification",
                           new_id, view, NULL, err);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc == SC_OK && id)
        *id = new_id;
    if (rc == SC_OK && view_out)
        *view_out = json_incref(view);
    json_decref(view);
    return rc;
}

/* Resolves a SELF-scoped list filter: `*user` 0 means "me" for a role
 * limited to itself, and anyone else's is refused. */
static enum sc_err scope_user(const char *action, const struct sc_actor *actor,
                              int64_t *user, struct sc_error *err)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    enum sc_err rc = sc_policy_scope_for(action, actor->role, &scope, err);
    if (rc != SC_OK || scope == SC_POLICY_SCOPE_ANY)
        return rc;
    if (scope == SC_POLICY_SCOPE_SELF && *user == 0)
        *user = actor->user_id ? actor->user_id : -1;
    return sc_policy_check(
        action, actor->role,
        scope == SC_POLICY_SCOPE_SELF && *user == actor->user_id, err);
}

enum sc_err sc_store_qualification_list(struct sc_store *st,
                                        const struct sc_actor *actor,
                                        int64_t user, json_t **out,
                                        struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    enum sc_err rc = scope_user("qualification.view", actor, &user, err);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_QUAL_LIST, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, user);
    sc_db_bind_int(s, 2, SC_PARTY_LIST_MAX);
    return collect(s, qual_row_view, out, err);
}

enum sc_err sc_store_qualification_member(struct sc_store *st, int64_t user,
                                          bool lead, sc_day first, sc_day last,
                                          struct sc_impartiality_member *out,
                                          struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false, any = false, covered = false;
    sc_day best_from = 0, best_to = 0;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_QUAL_MEMBER, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, user);
    sc_db_bind_int(s, 2, lead ? 1 : 0);
    while (rc == SC_OK && !covered) {
        sc_day f = 0, t = 0;
        rc = sc_db_step(s, &row, err);
        if (rc != SC_OK || !row)
            break;
        rc = sc_date_parse(sc_db_col_text(s, 0), "valid_from", &f, err);
        if (rc == SC_OK)
            rc = sc_date_parse(sc_db_col_text(s, 1), "valid_to", &t, err);
        if (rc != SC_OK)
            break;
        if (!any || (f <= first && t >= last)) {
            best_from = f;
            best_to = t;
            any = true;
            covered = f <= first && t >= last;
        }
    }
    sc_db_done(s);
    if (rc != SC_OK)
        return rc;
    if (!any)
        return sc_error_set(err, SC_ERR_INVALID, "team",
                            "user %lld holds no %s qualification",
                            (long long)user, lead ? "lead_auditor" : "auditor");
    memset(out, 0, sizeof *out);
    out->person = user;
    out->lead = lead;
    out->qualified_from = best_from;
    out->qualified_to = best_to;
    return SC_OK;
}

/* ---- the impartiality register ----------------------------------------- */

enum sc_err sc_store_link_add(struct sc_store *st, const struct sc_clock *clk,
                              const struct sc_actor *actor, int64_t user,
                              int64_t org, enum sc_impartiality_link_kind kind,
                              sc_day from, sc_day to, bool ongoing, int64_t *id,
                              json_t **view_out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    json_t *view = NULL;
    bool own = false, row = false;
    int64_t new_id = 0;
    enum sc_workflow_role role = SC_ROLE_COUNT_;
    char a[SC_DATE_BUF], b[SC_DATE_BUF];
    enum sc_err rc = sc_policy_check("link.declare", actor->role,
                                     user != 0 && user == actor->user_id, err);
    if (rc != SC_OK)
        return rc;
    if ((int)kind < 0 || (int)kind >= (int)SC_LINK_KIND_COUNT_)
        return sc_error_set(err, SC_ERR_INVALID, "kind", "unknown link kind");
    if (ongoing) {
        if (!sc_date_in_range(from))
            return sc_error_set(err, SC_ERR_INVALID, "from",
                                "from is out of range");
    } else if ((rc = check_period(from, to, "from", "to", err)) != SC_OK) {
        return rc;
    }
    sc_date_format(from, a);
    sc_date_format(to, b);
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = user_role(st, user, "user", &role, err);
    if (rc == SC_OK && role == SC_ROLE_ENTERPRISE)
        rc = sc_error_set(err, SC_ERR_INVALID, "user",
                          "the impartiality register is for CB staff; user "
                          "%lld is an enterprise user",
                          (long long)user);
    if (rc == SC_OK)
        rc = org_must_exist(st, org, "organisation", err);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_LINK_INSERT, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, user);
        sc_db_bind_int(s, 2, org);
        sc_db_bind_text(s, 3, sc_impartiality_link_kind_name(kind));
        sc_db_bind_text(s, 4, a);
        sc_db_bind_text(s, 5, ongoing ? NULL : b);
        sc_db_bind_text(s, 6, clk->now);
        rc = sc_db_step(s, &row, err);
        new_id = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_INTERNAL, NULL, "insert gave no id");
    }
    if (rc == SC_OK)
        rc = one_view(st, SQL_LINK_GET, new_id, link_row_view, "link", "link",
                      &view, err);
    if (rc == SC_OK)
        rc = event_created(st, clk, actor, "link.declare", "link", new_id, view,
                           NULL, err);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc == SC_OK && id)
        *id = new_id;
    if (rc == SC_OK && view_out)
        *view_out = json_incref(view);
    json_decref(view);
    return rc;
}

enum sc_err sc_store_link_end(struct sc_store *st, const struct sc_clock *clk,
                              const struct sc_actor *actor, int64_t user,
                              int64_t link, sc_day to, json_t **view_out,
                              struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    json_t *before = NULL, *view = NULL, *detail = NULL;
    bool own = false;
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    char b[SC_DATE_BUF];
    enum sc_err rc = sc_policy_scope_for("link.end", actor->role, &scope, err);
    if (rc == SC_OK && scope == SC_POLICY_SCOPE_NONE)
        rc = sc_policy_check("link.end", actor->role, false, err);
    if (rc == SC_OK)
        rc = sc_store_tx_begin(st, &own, err);
    if (rc != SC_OK)
        return rc;
    rc = one_view(st, SQL_LINK_GET, link, link_row_view, "link", "link",
                  &before, err);
    int64_t holder =
        before ? (int64_t)json_integer_value(json_object_get(before, "user"))
               : 0;
    if (rc == SC_OK && user != 0 && holder != user)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "link",
                          "user %lld has no link %lld", (long long)user,
                          (long long)link);
    /* a role limited to its own links learns nothing of other links */
    if (scope != SC_POLICY_SCOPE_ANY &&
        (rc == SC_ERR_NOT_FOUND ||
         (rc == SC_OK && holder != actor->user_id)))
        rc = sc_policy_check("link.end", actor->role, false, err);
    if (rc == SC_OK && json_is_false(json_object_get(before, "ongoing")))
        rc = sc_error_set(err, SC_ERR_STATE, "link",
                          "link %lld ended on %.10s: an ended link is not "
                          "changed again (declare a new one)",
                          (long long)link,
                          json_string_value(json_object_get(before, "to")));
    if (rc == SC_OK) {
        sc_day from = 0;
        rc = sc_date_parse(json_string_value(json_object_get(before, "from")),
                           "from", &from, err);
        if (rc == SC_OK)
            rc = check_period(from, to, "from", "to", err);
    }
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_LINK_END, &s, err);
    if (rc == SC_OK) {
        sc_date_format(to, b);
        sc_db_bind_int(s, 1, link);
        sc_db_bind_text(s, 2, b);
        rc = sc_db_finish(s, err);
    }
    if (rc == SC_OK)
        rc = one_view(st, SQL_LINK_GET, link, link_row_view, "link", "link",
                      &view, err);
    if (rc == SC_OK &&
        !(detail = json_pack("{s:O, s:O}", "before", before, "after", view)))
        rc = nomem(err);
    if (rc == SC_OK)
        rc = sc_events_append(st, clk, actor->user_id, "link.end", "link",
                              link, detail, err);
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(before);
    json_decref(detail);
    if (rc == SC_OK && view_out)
        *view_out = view;
    else
        json_decref(view);
    return rc;
}

enum sc_err sc_store_link_list(struct sc_store *st,
                               const struct sc_actor *actor, int64_t user,
                               int64_t org, json_t **out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    enum sc_err rc = scope_user("link.view", actor, &user, err);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_LINK_LIST, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, user);
    sc_db_bind_int(s, 2, org);
    sc_db_bind_int(s, 3, SC_PARTY_LIST_MAX);
    return collect(s, link_row_view, out, err);
}

enum sc_err sc_store_link_load(struct sc_store *st, int64_t user, int64_t org,
                               struct sc_impartiality_link **out, size_t *n,
                               struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    struct sc_impartiality_link *arr = NULL;
    size_t count = 0, cap = 0;
    bool row = false;
    *out = NULL;
    *n = 0;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_LINK_LOAD, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, user);
    sc_db_bind_int(s, 2, org);
    sc_db_bind_int(s, 3, SC_PARTY_LINKS_MAX + 1);
    while (rc == SC_OK) {
        rc = sc_db_step(s, &row, err);
        if (rc != SC_OK || !row)
            break;
        if (count == SC_PARTY_LINKS_MAX) {
            rc =
                sc_error_set(err, SC_ERR_TOO_LARGE, "links",
                             "more than %d declared links", SC_PARTY_LINKS_MAX);
            break;
        }
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct sc_impartiality_link *p = realloc(arr, ncap * sizeof *arr);
            if (!p) {
                rc = nomem(err);
                break;
            }
            arr = p;
            cap = ncap;
        }
        struct sc_impartiality_link *l = &arr[count];
        memset(l, 0, sizeof *l);
        l->person = sc_db_col_int(s, 0);
        l->organisation = sc_db_col_int(s, 1);
        rc = sc_impartiality_link_kind_parse(sc_db_col_text(s, 2), "kind",
                                             &l->kind, err);
        if (rc == SC_OK)
            rc = sc_date_parse(sc_db_col_text(s, 3), "from", &l->from, err);
        l->ongoing = sc_db_col_is_null(s, 4);
        if (rc == SC_OK && !l->ongoing)
            rc = sc_date_parse(sc_db_col_text(s, 4), "to", &l->to, err);
        count++;
    }
    sc_db_done(s);
    if (rc != SC_OK) {
        free(arr);
        return rc;
    }
    *out = count ? arr : NULL;
    if (!count)
        free(arr);
    *n = count;
    return SC_OK;
}
