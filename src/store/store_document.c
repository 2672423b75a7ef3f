/*
 * store_document: application materials stored in the database (see
 * store_document.h). The media type comes from core/filetype, the hash from
 * libsodium; the cap from the scheme recorded on the application.
 */
#include "store/store_document.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/filetype.h"
#include "store/db.h"
#include "store/store_application.h"

static const char *const kind_names[SC_DOC_KIND_COUNT_] = {
    "application_form",    "business_licence",         "legal_licences",
    "product_description", "laws_and_standards",       "company_profile",
    "organisation_chart",  "sales_and_service_policy", "outlet_list",
    "delivery_mode",       "other_certificates",       "system_document_list",
    "service_manual",
};

const char *sc_document_kind_name(enum sc_document_kind k)
{
    if ((int)k < 0 || k >= SC_DOC_KIND_COUNT_)
        return "unknown";
    return kind_names[k];
}

enum sc_err sc_document_kind_parse(const char *s, const char *field,
                                   enum sc_document_kind *out,
                                   struct sc_error *err)
{
    for (int k = 0; s && k < SC_DOC_KIND_COUNT_; k++)
        if (strcmp(s, kind_names[k]) == 0) {
            *out = (enum sc_document_kind)k;
            return SC_OK;
        }
    return sc_error_set(err, SC_ERR_INVALID, field,
                        "unknown document kind \"%.40s\": one of "
                        "application_form, business_licence, legal_licences, "
                        "product_description, laws_and_standards, "
                        "company_profile, organisation_chart, "
                        "sales_and_service_policy, outlet_list, "
                        "delivery_mode, other_certificates, "
                        "system_document_list, service_manual",
                        s ? s : "");
}

bool sc_document_kind_required(enum sc_document_kind k)
{
    return (int)k >= 0 && k < SC_DOC_KIND_COUNT_ &&
           k != SC_DOC_LEGAL_LICENCES && k != SC_DOC_OTHER_CERTIFICATES;
}

static const char SQL_INSERT[] =
    "INSERT INTO documents (application_id, kind, name, size, sha256, "
    "media_type, content, uploaded_by, uploaded_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_LAST_ID[] =
    "SELECT MAX(id) FROM documents WHERE application_id = ?1";
static const char SQL_META_COLS_ONE[] =
    "SELECT d.id, d.application_id, d.kind, d.name, d.size, d.sha256, "
    "d.media_type, u.login, d.uploaded_at, "
    "(SELECT MAX(x.id) FROM documents x WHERE x.application_id = "
    "d.application_id AND x.kind = d.kind) "
    "FROM documents d JOIN users u ON u.id = d.uploaded_by WHERE d.id = ?1";
static const char SQL_CONTENT[] = "SELECT content FROM documents WHERE id = ?1";
static const char SQL_META_COLS_APP[] =
    "SELECT d.id, d.application_id, d.kind, d.name, d.size, d.sha256, "
    "d.media_type, u.login, d.uploaded_at, "
    "(SELECT MAX(x.id) FROM documents x WHERE x.application_id = "
    "d.application_id AND x.kind = d.kind) "
    "FROM documents d JOIN users u ON u.id = d.uploaded_by "
    "WHERE d.application_id = ?1 ORDER BY d.id";
static const char SQL_KINDS[] =
    "SELECT DISTINCT kind FROM documents WHERE application_id = ?1";
static const char SQL_LATEST[] =
    "SELECT MAX(id) FROM documents WHERE application_id = ?1 AND kind = ?2";

static json_t *meta_view(struct sc_stmt *s)
{
    int64_t id = sc_db_col_int(s, 0);
    return json_pack(
        "{s:I, s:I, s:s, s:s, s:I, s:s, s:s, s:s, s:s, s:b}", "id",
        (json_int_t)id, "application", (json_int_t)sc_db_col_int(s, 1), "kind",
        sc_db_col_text(s, 2), "name", sc_db_col_text(s, 3), "size",
        (json_int_t)sc_db_col_int(s, 4), "sha256", sc_db_col_text(s, 5),
        "media_type", sc_db_col_text(s, 6), "uploaded_by", sc_db_col_text(s, 7),
        "uploaded_at", sc_db_col_text(s, 8), "current",
        sc_db_col_int(s, 9) == id);
}

/* A file name: 1..SC_DOCUMENT_NAME_MAX bytes, no control characters, no
 * path separators (the name is shown and offered for download). */
static enum sc_err check_name(const char *name, struct sc_error *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return sc_error_set(err, SC_ERR_INVALID, "name",
                            "a document needs a file name");
    if (n > SC_DOCUMENT_NAME_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "name",
                            "a file name has at most %d bytes",
                            SC_DOCUMENT_NAME_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7F || c == '/' || c == '\\')
            return sc_error_set(err, SC_ERR_INVALID, "name",
                                "a file name may not hold control characters "
                                "or path separators");
    }
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return sc_error_set(err, SC_ERR_INVALID, "name",
                            "\"%s\" is not a file name", name);
    return SC_OK;
}

static enum sc_err scheme_cap(struct sc_store *st,
                              const struct sc_application_ref *app,
                              int64_t *cap, struct sc_error *err)
{
    struct sc_scheme *sch = malloc(sizeof *sch);
    if (!sch)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    enum sc_err rc =
        sc_store_scheme_get(st, app->scheme_id, app->scheme_version, sch, err);
    if (rc == SC_OK)
        *cap = sch->document_max_bytes;
    free(sch);
    return rc;
}

enum sc_err sc_store_document_max_bytes(struct sc_store *st,
                                        int64_t application_id, int64_t *cap,
                                        struct sc_error *err)
{
    struct sc_application_ref app;
    enum sc_err rc = sc_store_application_ref(st, application_id, &app, err);
    return rc == SC_OK ? scheme_cap(st, &app, cap, err) : rc;
}

enum sc_err
sc_store_document_upload(struct sc_store *st, const struct sc_clock *clk,
                         const struct sc_actor *actor, int64_t application_id,
                         const char *kind, const char *name, const void *bytes,
                         size_t len, int64_t *id, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_application_ref app;
    struct sc_stmt *s = NULL;
    enum sc_document_kind k;
    enum sc_filetype type;
    json_t *detail = NULL;
    int64_t cap = 0, new_id = 0;
    bool row = false;
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char hash[crypto_hash_sha256_BYTES];
    bool own_tx = !sc_db_in_transaction(db);
    enum sc_err rc = SC_OK;

    if (own_tx && (rc = sc_db_begin(db, err)) != SC_OK)
        return rc;
    rc = sc_store_application_ref(st, application_id, &app, err);
    if (rc == SC_OK)
        rc = sc_store_application_allowed(st, actor, &app, "document.upload",
                                          err);
    if (rc != SC_OK)
        goto out;
    if (app.state != SC_APP_STATE_DRAFT &&
        app.state != SC_APP_STATE_CONTRACTED) {
        rc = sc_error_set(err, SC_ERR_STATE, "application",
                          "documents are uploaded while the application is a "
                          "draft, or contracted (revisions during the "
                          "document review); it is %s",
                          sc_workflow_app_state_name(app.state));
        goto out;
    }
    if ((rc = sc_document_kind_parse(kind, "kind", &k, err)) != SC_OK ||
        (rc = check_name(name, err)) != SC_OK ||
        (rc = scheme_cap(st, &app, &cap, err)) != SC_OK)
        goto out;
    if (cap < 0 || (uint64_t)len > (uint64_t)cap) {
        rc = sc_error_set(err, SC_ERR_TOO_LARGE, "file",
                          "the document is larger than %lld bytes, the limit "
                          "of scheme %s version %s",
                          (long long)cap, app.scheme_id, app.scheme_version);
        goto out;
    }
    if ((rc = sc_filetype_detect(bytes, len, &type, err)) != SC_OK)
        goto out;
    crypto_hash_sha256(hash, bytes, len);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);

    if ((rc = sc_db_prepare(db, SQL_INSERT, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_text(s, 2, sc_document_kind_name(k));
    sc_db_bind_text(s, 3, name);
    sc_db_bind_int(s, 4, (int64_t)len);
    sc_db_bind_text(s, 5, hex);
    sc_db_bind_text(s, 6, sc_filetype_media_type(type));
    sc_db_bind_blob(s, 7, bytes, len);
    sc_db_bind_int(s, 8, actor->user_id);
    sc_db_bind_text(s, 9, clk->now);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(db, SQL_LAST_ID, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    rc = sc_db_step(s, &row, err);
    new_id = row ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    detail = json_pack("{s:{s:I, s:I, s:s, s:s, s:I, s:s, s:s}}", "after", "id",
                       (json_int_t)new_id, "application", (json_int_t)app.id,
                       "kind", sc_document_kind_name(k), "name", name, "size",
                       (json_int_t)len, "sha256", hex, "media_type",
                       sc_filetype_media_type(type));
    rc = detail ? sc_events_append(st, clk, actor->user_id, "document.upload",
                                   "document", new_id, detail, err)
                : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    if (rc == SC_OK && id)
        *id = new_id;
out:
    json_decref(detail);
    if (own_tx) {
        if (rc == SC_OK)
            rc = sc_db_commit(db, err);
        else
            sc_db_rollback(db);
    }
    return rc;
}

enum sc_err sc_store_document_get(struct sc_store *st,
                                  const struct sc_actor *actor, int64_t id,
                                  json_t **meta, void **bytes, size_t *len,
                                  struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_stmt *s = NULL;
    struct sc_application_ref app;
    json_t *view = NULL;
    void *copy = NULL;
    size_t n = 0;
    bool row = false;
    enum sc_err rc = sc_db_prepare(db, SQL_META_COLS_ONE, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "document", "no document %lld",
                          (long long)id);
    if (rc == SC_OK) {
        view = meta_view(s);
        app.id = sc_db_col_int(s, 1);
        if (!view)
            rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    }
    sc_db_done(s);
    if (rc == SC_OK)
        rc = sc_store_application_ref(st, app.id, &app, err);
    if (rc == SC_OK)
        rc =
            sc_store_application_allowed(st, actor, &app, "document.view", err);
    if (rc == SC_OK && bytes) {
        rc = sc_db_prepare(db, SQL_CONTENT, &s, err);
        if (rc == SC_OK) {
            sc_db_bind_int(s, 1, id);
            rc = sc_db_step(s, &row, err);
            const void *p =
                rc == SC_OK && row ? sc_db_col_blob(s, 0, &n) : NULL;
            copy = malloc(n ? n : 1);
            if (!copy)
                rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
            else if (n)
                memcpy(copy, p, n);
            sc_db_done(s);
        }
    }
    if (rc != SC_OK) {
        json_decref(view);
        free(copy);
        return rc;
    }
    *meta = view;
    if (bytes) {
        *bytes = copy;
        *len = n;
    }
    return SC_OK;
}

enum sc_err sc_store_document_views(struct sc_store *st, int64_t application_id,
                                    json_t **out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *list = json_array();
    enum sc_err rc =
        list ? sc_db_prepare(sc_store_db(st), SQL_META_COLS_APP, &s, err)
             : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    sc_db_bind_int(s, 1, application_id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row)
        if (json_array_append_new(list, meta_view(s)) != 0) {
            rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
            break;
        }
    sc_db_done(s);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return SC_OK;
}

enum sc_err sc_store_document_list(struct sc_store *st,
                                   const struct sc_actor *actor,
                                   int64_t application_id, json_t **out,
                                   struct sc_error *err)
{
    struct sc_application_ref app;
    enum sc_err rc = sc_store_application_ref(st, application_id, &app, err);
    if (rc == SC_OK)
        rc =
            sc_store_application_allowed(st, actor, &app, "document.view", err);
    return rc == SC_OK ? sc_store_document_views(st, application_id, out, err)
                       : rc;
}

enum sc_err sc_store_document_kinds(struct sc_store *st, int64_t application_id,
                                    uint32_t *present, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    uint32_t set = 0;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_KINDS, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, application_id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        enum sc_document_kind k;
        if (sc_document_kind_parse(sc_db_col_text(s, 0), NULL, &k, NULL) ==
            SC_OK)
            set |= SC_DOC_KIND_BIT(k);
    }
    sc_db_done(s);
    if (rc == SC_OK)
        *present = set;
    return rc;
}

enum sc_err sc_store_document_latest(struct sc_store *st,
                                     int64_t application_id,
                                     enum sc_document_kind kind, int64_t *id,
                                     struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_LATEST, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, application_id);
    sc_db_bind_text(s, 2, sc_document_kind_name(kind));
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK)
        *id = row && !sc_db_col_is_null(s, 0) ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    return rc;
}
