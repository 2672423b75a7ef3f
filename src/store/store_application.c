/*
 * store_application: applications up to documents_approved, withdrawal, the
 * contract, the document review and findings (see store_application.h).
 * The rules come from the core: workflow (states, roles, preconditions),
 * policy (who may act outside the state machine), mandays (the contract's
 * audit time), impartiality (who may review), timeline (the recertification
 * period). This file computes from the data which preconditions hold,
 * records, and appends one event per action. Portable SQL; new rows come
 * back with "INSERT ... RETURNING id" (SQLite 3.35+ and PostgreSQL).
 */
#include "store/store_application.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/impartiality.h"
#include "core/mandays.h"
#include "core/policy.h"
#include "core/timeline.h"
#include "store/db.h"
#include "store/store_document.h"
#include "store/store_party.h"

/* ---- SQL ---------------------------------------------------------------- */

static const char SQL_REF[] =
    "SELECT id, organisation_id, COALESCE(certificate_id, 0), kind, state, "
    "scheme_id, scheme_version FROM applications WHERE id = ?1";
static const char SQL_ON_TEAM_OF_APP[] =
    "SELECT COUNT(*) FROM audit_team t JOIN audits a ON a.id = t.audit_id "
    "WHERE a.application_id = ?1 AND t.user_id = ?2";
static const char SQL_ON_TEAM_OF_AUDIT[] =
    "SELECT COUNT(*) FROM audit_team WHERE audit_id = ?1 AND user_id = ?2";
static const char SQL_ORG_EMPLOYEES[] =
    "SELECT employees FROM organisations WHERE id = ?1";
static const char SQL_CERT[] =
    "SELECT organisation_id, state, expires FROM certificates WHERE id = ?1";
static const char SQL_CERT_BY_NUMBER[] =
    "SELECT id FROM certificates WHERE number = ?1";
static const char SQL_OPEN_APPS[] =
    "SELECT COUNT(*) FROM applications WHERE organisation_id = ?1 AND state "
    "NOT IN ('rejected', 'certified', 'refused', 'withdrawn')";
static const char SQL_LIVE_CERTS[] =
    "SELECT COUNT(*) FROM certificates WHERE organisation_id = ?1 AND state "
    "IN ('active', 'suspended')";
static const char SQL_SCHEME_NEWEST[] =
    "SELECT id, version FROM schemes "
    "ORDER BY loaded_at DESC, LENGTH(version) DESC, version DESC LIMIT 1";
static const char SQL_SCHEME_NEWEST_OF[] =
    "SELECT id, version FROM schemes WHERE id = ?1 "
    "ORDER BY loaded_at DESC, LENGTH(version) DESC, version DESC LIMIT 1";
static const char SQL_APP_INSERT[] =
    "INSERT INTO applications (organisation_id, kind, state, certificate_id, "
    "scheme_id, scheme_version, scope, delivery_mode, excluded_note, "
    "created_on) VALUES (?1, ?2, 'draft', ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "RETURNING id";
static const char SQL_APP_STEP[] =
    "UPDATE applications SET state = ?2, submitted_on = COALESCE(?3, "
    "submitted_on), state_reason = ?4, closed_on = ?5 WHERE id = ?1";
static const char SQL_APP_STATE[] =
    "UPDATE applications SET state = ?2 WHERE id = ?1";
static const char SQL_MANAGERS_COUNT[] =
    "SELECT COUNT(*) FROM service_managers WHERE application_id = ?1";
static const char SQL_MANAGER_BY_NO[] =
    "SELECT COUNT(*) FROM service_managers WHERE application_id = ?1 AND "
    "certificate_no = ?2";
static const char SQL_MANAGER_INSERT[] =
    "INSERT INTO service_managers (application_id, name, certificate_no) "
    "VALUES (?1, ?2, ?3) RETURNING id";
static const char SQL_MANAGERS[] =
    "SELECT id, name, certificate_no FROM service_managers "
    "WHERE application_id = ?1 ORDER BY id";
static const char SQL_PREP_GET[] =
    "SELECT done, evidence FROM preparation_items WHERE application_id = ?1 "
    "AND item = ?2";
static const char SQL_PREP_PUT[] =
    "INSERT INTO preparation_items (application_id, item, done, evidence) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (application_id, item) DO UPDATE "
    "SET done = excluded.done, evidence = excluded.evidence";
static const char SQL_PREP_ALL[] =
    "SELECT item, done, evidence FROM preparation_items "
    "WHERE application_id = ?1 ORDER BY item";
static const char SQL_ARRANGED[] =
    "SELECT COUNT(*) FROM audits WHERE application_id = ?1 AND arrangements "
    "IS NOT NULL";
static const char SQL_OPEN_DOC_FINDINGS[] =
    "SELECT COUNT(*) FROM findings WHERE application_id = ?1 AND source = "
    "'document_review' AND state <> 'verified'";
static const char SQL_CONTRACT_BY_NO[] =
    "SELECT COUNT(*) FROM contracts WHERE number = ?1";
static const char SQL_CONTRACT_INSERT[] =
    "INSERT INTO contracts (application_id, number, fee_cents, "
    "mandays_halves, preliminary_audit, signed_on, signed_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
static const char SQL_CONTRACT_GET[] =
    "SELECT c.id, c.number, c.fee_cents, c.mandays_halves, "
    "c.preliminary_audit, c.signed_on, u.login FROM contracts c "
    "JOIN users u ON u.id = c.signed_by WHERE c.application_id = ?1";
static const char SQL_REVIEW_INSERT[] =
    "INSERT INTO document_reviews (application_id, reviewer_id, outcome, "
    "reviewed_on, note, manual_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "RETURNING id";
static const char SQL_LAST_REVISE[] =
    "SELECT COALESCE(manual_id, 0) FROM document_reviews WHERE "
    "application_id = ?1 AND outcome = 'revise' ORDER BY id DESC LIMIT 1";
static const char SQL_REVIEWS[] =
    "SELECT r.id, u.login, r.outcome, r.reviewed_on, r.note, r.manual_id "
    "FROM document_reviews r JOIN users u ON u.id = r.reviewer_id "
    "WHERE r.application_id = ?1 ORDER BY r.id";
static const char SQL_FINDING_INSERT[] =
    "INSERT INTO findings (application_id, source, severity, indicator, "
    "text, state, raised_by, raised_on) VALUES (?1, 'document_review', ?2, "
    "?3, ?4, 'open', ?5, ?6) RETURNING id";
static const char SQL_FINDING_REF[] =
    "SELECT f.id, f.source, f.state, COALESCE(f.application_id, "
    "au.application_id, 0), COALESCE(f.audit_id, 0), "
    "COALESCE(ap.organisation_id, aa.organisation_id, c.organisation_id, 0), "
    "COALESCE(ap.state, aa.state, '') FROM findings f "
    "LEFT JOIN audits au ON au.id = f.audit_id "
    "LEFT JOIN applications ap ON ap.id = f.application_id "
    "LEFT JOIN applications aa ON aa.id = au.application_id "
    "LEFT JOIN certificates c ON c.id = au.certificate_id WHERE f.id = ?1";
static const char SQL_FINDING_CORRECT[] =
    "UPDATE findings SET state = 'corrected', corrective_action = ?2 "
    "WHERE id = ?1";
static const char SQL_FINDING_VERIFY[] =
    "UPDATE findings SET state = 'verified', verified_by = ?2, "
    "verified_on = ?3 WHERE id = ?1";
static const char SQL_FINDING_REOPEN[] =
    "UPDATE findings SET state = 'open' WHERE id = ?1";
#define FINDING_COLS                                                           \
    "SELECT f.id, f.application_id, f.audit_id, f.source, f.severity, "        \
    "f.indicator, f.text, f.state, f.corrective_action, ru.login, "            \
    "f.raised_on, vu.login, f.verified_on FROM findings f "                    \
    "JOIN users ru ON ru.id = f.raised_by "                                    \
    "LEFT JOIN users vu ON vu.id = f.verified_by "
static const char SQL_FINDING_VIEW[] = FINDING_COLS "WHERE f.id = ?1";
static const char SQL_FINDINGS_OF_APP[] =
    FINDING_COLS "WHERE f.application_id = ?1 AND f.source = "
                 "'document_review' ORDER BY f.id";
static const char SQL_APP_VIEW[] =
    "SELECT a.id, a.organisation_id, o.name, o.uscc, a.kind, a.state, "
    "a.certificate_id, a.scheme_id, a.scheme_version, a.scope, "
    "a.delivery_mode, a.excluded_note, a.created_on, a.submitted_on, "
    "a.decided_on, a.closed_on, a.state_reason FROM applications a "
    "JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ?1";
static const char SQL_APP_LIST[] =
    "SELECT a.id, a.organisation_id, o.name, a.kind, a.state, a.created_on, "
    "a.submitted_on, a.decided_on, a.closed_on, a.scheme_id, "
    "a.scheme_version FROM applications a "
    "JOIN organisations o ON o.id = a.organisation_id "
    "WHERE (?1 = 0 OR a.organisation_id = ?1) AND (?2 = '' OR a.state = ?2) "
    "AND (?3 = 0 OR EXISTS (SELECT 1 FROM audits au JOIN audit_team t ON "
    "t.audit_id = au.id WHERE au.application_id = a.id AND t.user_id = ?3)) "
    "ORDER BY a.id LIMIT ?4";

/* ---- helpers ------------------------------------------------------------ */

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}

/* One integer from a query with up to two integer parameters (0 when no
 * row or NULL). */
static enum sc_err query_int(struct sc_store *st, const char *sql, int64_t a,
                             int64_t b, int64_t *out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, a);
    if (b)
        sc_db_bind_int(s, 2, b);
    rc = sc_db_step(s, &row, err);
    *out = rc == SC_OK && row && !sc_db_col_is_null(s, 0) ? sc_db_col_int(s, 0)
                                                          : 0;
    sc_db_done(s);
    return rc;
}

/* Runs an INSERT ... RETURNING id (already bound). */
static enum sc_err insert_id(struct sc_stmt *s, int64_t *id,
                             struct sc_error *err)
{
    bool row = false;
    enum sc_err rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_INTERNAL, NULL, "insert returned no id");
    if (rc == SC_OK)
        *id = sc_db_col_int(s, 0);
    sc_db_done(s);
    return rc;
}

/* true when `s` holds something other than white space. */
static bool given(const char *s)
{
    for (; s && *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return true;
    return false;
}

/* Free text: at most `max` bytes, no control characters except tab and
 * newline (and none at all when `one_line`). A blank required text is
 * refused; a blank optional one counts as absent. */
static enum sc_err check_text(const char *s, const char *field, bool required,
                              size_t max, bool one_line, struct sc_error *err)
{
    if (!given(s))
        return required ? sc_error_set(err, SC_ERR_INVALID, field,
                                       "%s is required", field)
                        : SC_OK;
    size_t n = strlen(s);
    if (n > max)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "%s has %zu bytes, at most %zu", field, n, max);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ctl = c < 0x20 || c == 0x7F;
        if (ctl && (one_line || (c != '\n' && c != '\t' && c != '\r')))
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "%s may not hold control characters", field);
    }
    return SC_OK;
}

static const char *opt(const char *s)
{
    return given(s) ? s : NULL;
}

static json_t *state_change(enum sc_workflow_app_state from,
                            enum sc_workflow_app_state to)
{
    return json_pack("{s:{s:s}, s:{s:s}}", "before", "state",
                     sc_workflow_app_state_name(from), "after", "state",
                     sc_workflow_app_state_name(to));
}

/* Adds `value` (stolen) under `key` to the detail's "after" object. */
static void after_set(json_t *detail, const char *key, json_t *value)
{
    json_t *after = json_object_get(detail, "after");
    if (after)
        json_object_set_new(after, key, value);
    else
        json_decref(value);
}

static enum sc_err append(struct sc_store *st, const struct sc_clock *clk,
                          const struct sc_actor *actor, const char *action,
                          const char *entity, int64_t id, json_t *detail,
                          struct sc_error *err)
{
    enum sc_err rc = detail ? sc_events_append(st, clk, actor->user_id, action,
                                               entity, id, detail, err)
                            : nomem(err);
    json_decref(detail);
    return rc;
}

static struct sc_scheme *scheme_of(struct sc_store *st,
                                   const struct sc_application_ref *app,
                                   enum sc_err *rc, struct sc_error *err)
{
    struct sc_scheme *sch = malloc(sizeof *sch);
    if (!sch) {
        *rc = nomem(err);
        return NULL;
    }
    *rc =
        sc_store_scheme_get(st, app->scheme_id, app->scheme_version, sch, err);
    if (*rc != SC_OK) {
        free(sch);
        return NULL;
    }
    return sch;
}

/* ---- reference and authorisation --------------------------------------- */

enum sc_err sc_store_application_ref(struct sc_store *st, int64_t id,
                                     struct sc_application_ref *out,
                                     struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_REF, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "application",
                          "no application %lld", (long long)id);
    if (rc == SC_OK) {
        memset(out, 0, sizeof *out);
        out->id = sc_db_col_int(s, 0);
        out->organisation_id = sc_db_col_int(s, 1);
        out->certificate_id = sc_db_col_int(s, 2);
        snprintf(out->scheme_id, sizeof out->scheme_id, "%s",
                 sc_db_col_text(s, 5));
        snprintf(out->scheme_version, sizeof out->scheme_version, "%s",
                 sc_db_col_text(s, 6));
        rc = sc_workflow_app_kind_parse(sc_db_col_text(s, 3), "kind",
                                        &out->kind, err);
        if (rc == SC_OK)
            rc = sc_workflow_app_state_parse(sc_db_col_text(s, 4), "state",
                                             &out->state, err);
    }
    sc_db_done(s);
    return rc;
}

/* Resolves the actor's scope for `action` and asks the policy. `audit_id`
 * (0: any audit of the application) narrows the audit-team scope. */
static enum sc_err allowed(struct sc_store *st, const struct sc_actor *actor,
                           int64_t org, int64_t application_id,
                           int64_t audit_id, const char *action,
                           struct sc_error *err)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    enum sc_err rc = sc_policy_scope_for(action, actor->role, &scope, err);
    bool owns = false;
    if (rc != SC_OK)
        return rc;
    if (scope == SC_POLICY_SCOPE_OWN_ORG) {
        owns = sc_actor_owns(actor, org);
    } else if (scope == SC_POLICY_SCOPE_AUDIT_TEAM) {
        int64_t n = 0;
        if (audit_id)
            rc = query_int(st, SQL_ON_TEAM_OF_AUDIT, audit_id, actor->user_id,
                           &n, err);
        else if (application_id)
            rc = query_int(st, SQL_ON_TEAM_OF_APP, application_id,
                           actor->user_id, &n, err);
        if (rc != SC_OK)
            return rc;
        owns = n > 0;
    }
    return sc_policy_check(action, actor->role, owns, err);
}

enum sc_err sc_store_application_allowed(struct sc_store *st,
                                         const struct sc_actor *actor,
                                         const struct sc_application_ref *app,
                                         const char *action,
                                         struct sc_error *err)
{
    return allowed(st, actor, app->organisation_id, app->id, 0, action, err);
}

/* For state-machine actions the workflow checks the role; an enterprise
 * user must in addition own the application. */
static enum sc_err owner_check(const struct sc_actor *actor,
                               const struct sc_application_ref *app,
                               struct sc_error *err)
{
    if (sc_actor_owns(actor, app->organisation_id))
        return SC_OK;
    return sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                        "%s acts only on applications of their own "
                        "organisation",
                        actor->login);
}

/* ---- preconditions from the data --------------------------------------- */

struct facts {
    uint32_t present; /* document kinds present */
    int64_t managers;
    int64_t manual_id; /* newest service manual, 0 if none */
    int64_t open_doc_findings;
};

static enum sc_err load_facts(struct sc_store *st, int64_t app, struct facts *f,
                              struct sc_error *err)
{
    enum sc_err rc = sc_store_document_kinds(st, app, &f->present, err);
    if (rc == SC_OK)
        rc = query_int(st, SQL_MANAGERS_COUNT, app, 0, &f->managers, err);
    if (rc == SC_OK)
        rc = sc_store_document_latest(st, app, SC_DOC_SERVICE_MANUAL,
                                      &f->manual_id, err);
    if (rc == SC_OK)
        rc = query_int(st, SQL_OPEN_DOC_FINDINGS, app, 0, &f->open_doc_findings,
                       err);
    return rc;
}

/* The start of every action on an application: its row, the actor's right
 * to it, its scheme (heap: *sch is freed by the caller, also on failure)
 * and the facts its preconditions read. */
static enum sc_err action_load(struct sc_store *st,
                               const struct sc_actor *actor, int64_t id,
                               struct sc_application_ref *app,
                               struct sc_scheme **sch, struct facts *f,
                               struct sc_error *err)
{
    enum sc_err rc;
    if ((rc = sc_store_application_ref(st, id, app, err)) != SC_OK ||
        (rc = owner_check(actor, app, err)) != SC_OK)
        return rc;
    if (!(*sch = scheme_of(st, app, &rc, err)))
        return rc;
    return load_facts(st, app->id, f, err);
}

static uint32_t required_kinds(void)
{
    uint32_t set = 0;
    for (int k = 0; k < SC_DOC_KIND_COUNT_; k++)
        if (sc_document_kind_required((enum sc_document_kind)k))
            set |= SC_DOC_KIND_BIT(k);
    return set;
}

/* The preconditions this module computes from the data. */
#define DATA_PRES                                                              \
    (SC_PRE_BIT(SC_PRE_MATERIALS_UPLOADED) |                                   \
     SC_PRE_BIT(SC_PRE_PREPARATION_DONE) |                                     \
     SC_PRE_BIT(SC_PRE_NO_OPEN_DOCUMENT_FINDINGS))

static uint32_t holds_from(const struct facts *f, const struct sc_scheme *sch)
{
    uint32_t h = 0;
    uint32_t req = required_kinds();
    if ((f->present & req) == req)
        h |= SC_PRE_BIT(SC_PRE_MATERIALS_UPLOADED);
    if (f->managers >= sch->managers_min && f->manual_id > 0)
        h |= SC_PRE_BIT(SC_PRE_PREPARATION_DONE);
    if (f->open_doc_findings == 0)
        h |= SC_PRE_BIT(SC_PRE_NO_OPEN_DOCUMENT_FINDINGS);
    return h;
}

/* ---- create ------------------------------------------------------------- */

static enum sc_err newest_scheme(struct sc_store *st, const char *id,
                                 char sid[SC_SCHEME_ID_MAX],
                                 char sver[SC_SCHEME_ID_MAX],
                                 struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc =
        sc_db_prepare(sc_store_db(st),
                      id ? SQL_SCHEME_NEWEST_OF : SQL_SCHEME_NEWEST, &s, err);
    if (rc != SC_OK)
        return rc;
    if (id)
        sc_db_bind_text(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "scheme_id",
                          "no scheme %s is stored: run `starcert init`",
                          id ? id : "at all");
    if (rc == SC_OK) {
        snprintf(sid, SC_SCHEME_ID_MAX, "%s", sc_db_col_text(s, 0));
        snprintf(sver, SC_SCHEME_ID_MAX, "%s", sc_db_col_text(s, 1));
    }
    sc_db_done(s);
    return rc;
}

/* The certificate a non-initial application refers to: same organisation,
 * a state that allows the kind, and for a recertification today inside
 * the recertification period (or the late period after expiry). */
static enum sc_err check_certificate(struct sc_store *st,
                                     const struct sc_clock *clk, int64_t org,
                                     enum sc_workflow_app_kind kind,
                                     int64_t cert, const struct sc_scheme *sch,
                                     struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    int64_t holder = 0;
    char state[24] = "", expires_text[SC_DATE_BUF] = "";
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_CERT, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, cert);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "certificate",
                          "no certificate %lld", (long long)cert);
    if (rc == SC_OK) {
        holder = sc_db_col_int(s, 0);
        snprintf(state, sizeof state, "%s", sc_db_col_text(s, 1));
        snprintf(expires_text, sizeof expires_text, "%s", sc_db_col_text(s, 2));
    }
    sc_db_done(s);
    if (rc != SC_OK)
        return rc;
    if (holder != org)
        return sc_error_set(err, SC_ERR_CONFLICT, "certificate",
                            "certificate %lld belongs to another organisation",
                            (long long)cert);
    bool active = strcmp(state, "active") == 0;
    bool expired = strcmp(state, "expired") == 0;
    if (kind != SC_APP_KIND_RECERTIFICATION) {
        if (!active)
            return sc_error_set(err, SC_ERR_STATE, "certificate",
                                "an application of kind %s needs an active "
                                "certificate; certificate %lld is %s",
                                sc_workflow_app_kind_name(kind),
                                (long long)cert, state);
        return SC_OK;
    }
    if (!active && !expired)
        return sc_error_set(err, SC_ERR_STATE, "certificate",
                            "a recertification needs an active or expired "
                            "certificate; certificate %lld is %s",
                            (long long)cert, state);
    sc_day expires = 0;
    struct sc_timeline_recert r;
    rc = sc_date_parse(expires_text, "certificate", &expires, err);
    if (rc == SC_OK)
        rc = sc_timeline_recertification(sch, expires, &r, err);
    if (rc != SC_OK)
        return rc;
    if (clk->today < r.opens || clk->today > r.late_until) {
        char a[SC_DATE_BUF], b[SC_DATE_BUF];
        sc_date_format(r.opens, a);
        sc_date_format(r.late_until, b);
        return sc_error_set(err, SC_ERR_STATE, "certificate",
                            "recertification of certificate %lld can be "
                            "applied for from %s to %s",
                            (long long)cert, a, b);
    }
    return SC_OK;
}

/* A certificate named by its number, or by its decimal id. */
static enum sc_err resolve_certificate(struct sc_store *st, const char *ref,
                                       int64_t *id, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false, digits = ref[0] != '\0' && strlen(ref) <= 18;
    for (const char *p = ref; *p; p++)
        if (*p < '0' || *p > '9')
            digits = false;
    if (digits) {
        int64_t v = 0;
        for (const char *p = ref; *p; p++)
            v = v * 10 + (*p - '0');
        *id = v;
        return SC_OK;
    }
    enum sc_err rc =
        sc_db_prepare(sc_store_db(st), SQL_CERT_BY_NUMBER, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, ref);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "certificate",
                          "no certificate numbered %.64s", ref);
    if (rc == SC_OK)
        *id = sc_db_col_int(s, 0);
    sc_db_done(s);
    return rc;
}

enum sc_err sc_store_application_create(struct sc_store *st,
                                        const struct sc_clock *clk,
                                        const struct sc_actor *actor,
                                        const struct sc_application_input *in,
                                        int64_t *id, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    struct sc_scheme *sch = NULL;
    enum sc_workflow_app_kind kind = SC_APP_KIND_INITIAL;
    char sid[SC_SCHEME_ID_MAX], sver[SC_SCHEME_ID_MAX];
    char today[SC_DATE_BUF];
    int64_t org = in->organisation_id, n = 0, new_id = 0;
    bool own = false;
    enum sc_err rc;

    if (org == 0) {
        if (actor->role != SC_ROLE_ENTERPRISE)
            return sc_error_set(err, SC_ERR_USAGE, "organisation",
                                "name the organisation applying");
        org = actor->organisation_id;
    }
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = query_int(st, SQL_ORG_EMPLOYEES, org, 0, &n, err)) != SC_OK)
        goto out;
    if (n == 0) {
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "organisation",
                          "no organisation %lld", (long long)org);
        goto out;
    }
    if ((rc = allowed(st, actor, org, 0, 0, "application.create", err)) !=
        SC_OK)
        goto out;
    if ((rc = sc_workflow_app_kind_parse(in->kind, "kind", &kind, err)) !=
            SC_OK ||
        (rc = check_text(in->scope, "scope", true, SC_APPLICATION_TEXT_MAX,
                         false, err)) != SC_OK ||
        (rc = check_text(in->excluded_note, "excluded_note", false,
                         SC_APPLICATION_TEXT_MAX, false, err)) != SC_OK)
        goto out;
    if (opt(in->delivery_mode) && strcmp(in->delivery_mode, "direct") != 0 &&
        strcmp(in->delivery_mode, "outsourced") != 0 &&
        strcmp(in->delivery_mode, "mixed") != 0) {
        rc = sc_error_set(err, SC_ERR_INVALID, "delivery_mode",
                          "delivery mode is direct, outsourced or mixed");
        goto out;
    }
    int64_t cert_id = 0;
    if (opt(in->certificate) &&
        (rc = resolve_certificate(st, in->certificate, &cert_id, err)) != SC_OK)
        goto out;
    if (kind == SC_APP_KIND_INITIAL && cert_id) {
        rc = sc_error_set(err, SC_ERR_INVALID, "certificate",
                          "an initial application names no certificate");
        goto out;
    }
    if (kind != SC_APP_KIND_INITIAL && !cert_id) {
        rc = sc_error_set(err, SC_ERR_INVALID, "certificate",
                          "an application of kind %s names the certificate "
                          "it is about",
                          sc_workflow_app_kind_name(kind));
        goto out;
    }
    if ((rc = newest_scheme(st, opt(in->scheme_id), sid, sver, err)) != SC_OK)
        goto out;
    sch = malloc(sizeof *sch);
    if (!sch) {
        rc = nomem(err);
        goto out;
    }
    if ((rc = sc_store_scheme_get(st, sid, sver, sch, err)) != SC_OK)
        goto out;
    if (kind != SC_APP_KIND_INITIAL &&
        (rc = check_certificate(st, clk, org, kind, cert_id, sch, err)) !=
            SC_OK)
        goto out;
    if ((rc = query_int(st, SQL_OPEN_APPS, org, 0, &n, err)) != SC_OK)
        goto out;
    if (n > 0) {
        rc = sc_error_set(err, SC_ERR_CONFLICT, "organisation",
                          "organisation %lld already has an application in "
                          "progress",
                          (long long)org);
        goto out;
    }
    if (kind == SC_APP_KIND_INITIAL) {
        if ((rc = query_int(st, SQL_LIVE_CERTS, org, 0, &n, err)) != SC_OK)
            goto out;
        if (n > 0) {
            rc = sc_error_set(err, SC_ERR_CONFLICT, "kind",
                              "organisation %lld holds an active or "
                              "suspended certificate: apply for "
                              "recertification, upgrade or scope_change",
                              (long long)org);
            goto out;
        }
    }
    sc_date_format(clk->today, today);
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_APP_INSERT, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, org);
    sc_db_bind_text(s, 2, sc_workflow_app_kind_name(kind));
    if (cert_id)
        sc_db_bind_int(s, 3, cert_id);
    else
        sc_db_bind_null(s, 3);
    sc_db_bind_text(s, 4, sid);
    sc_db_bind_text(s, 5, sver);
    sc_db_bind_text(s, 6, in->scope);
    sc_db_bind_text(s, 7, opt(in->delivery_mode));
    sc_db_bind_text(s, 8, opt(in->excluded_note));
    sc_db_bind_text(s, 9, today);
    if ((rc = insert_id(s, &new_id, err)) != SC_OK)
        goto out;
    json_t *cert = cert_id ? json_integer(cert_id) : json_null();
    rc = append(st, clk, actor, "application.create", "application", new_id,
                json_pack("{s:{s:I, s:I, s:s, s:s, s:o, s:{s:s, s:s}, s:s, "
                          "s:s?, s:s?}}",
                          "after", "id", (json_int_t)new_id, "organisation",
                          (json_int_t)org, "kind",
                          sc_workflow_app_kind_name(kind), "state", "draft",
                          "certificate", cert, "scheme", "id", sid, "version",
                          sver, "scope", in->scope, "delivery_mode",
                          opt(in->delivery_mode), "excluded_note",
                          opt(in->excluded_note)),
                err);
    if (rc == SC_OK && id)
        *id = new_id;
out:
    free(sch);
    return sc_store_tx_end(st, own, rc, err);
}

/* ---- simple transitions ---------------------------------------------------
 */

enum sc_err sc_store_application_step(struct sc_store *st,
                                      const struct sc_clock *clk,
                                      const struct sc_actor *actor, int64_t id,
                                      enum sc_workflow_app_action action,
                                      const char *reason, struct sc_error *err)
{
    struct sc_application_ref app;
    struct sc_scheme *sch = NULL;
    struct sc_stmt *s = NULL;
    struct facts f;
    enum sc_workflow_app_state to;
    char today[SC_DATE_BUF];
    bool own = false;
    enum sc_err rc;

    if (action != SC_APP_ACTION_SUBMIT && action != SC_APP_ACTION_ACCEPT &&
        action != SC_APP_ACTION_RETURN && action != SC_APP_ACTION_REJECT &&
        action != SC_APP_ACTION_WITHDRAW)
        return sc_error_set(err, SC_ERR_INVALID, "action",
                            "action %s has its own function",
                            sc_workflow_app_action_name(action));
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = action_load(st, actor, id, &app, &sch, &f, err)) != SC_OK)
        goto out;
    uint32_t holds = holds_from(&f, sch);
    if (given(reason))
        holds |= SC_PRE_BIT(SC_PRE_REASON_GIVEN);
    if ((rc = sc_workflow_app_step(app.state, action, actor->role, holds,
                                   SC_OUTCOME_NONE, &to, err)) != SC_OK)
        goto out;
    if (action == SC_APP_ACTION_WITHDRAW && !given(reason)) {
        rc = sc_error_set(err, SC_ERR_PRECONDITION, "reason_given",
                          "action \"withdraw\" needs reason_given: say why "
                          "the application is withdrawn");
        goto out;
    }
    if ((rc = check_text(reason, "reason", false, SC_APPLICATION_TEXT_MAX,
                         false, err)) != SC_OK)
        goto out;
    sc_date_format(clk->today, today);
    bool closes = to == SC_APP_STATE_REJECTED || to == SC_APP_STATE_WITHDRAWN;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_APP_STEP, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_text(s, 2, sc_workflow_app_state_name(to));
    sc_db_bind_text(s, 3, action == SC_APP_ACTION_SUBMIT ? today : NULL);
    sc_db_bind_text(s, 4, opt(reason));
    sc_db_bind_text(s, 5, closes ? today : NULL);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    json_t *detail = state_change(app.state, to);
    if (detail) {
        if (opt(reason))
            json_object_set_new(detail, "reason", json_string(reason));
        if (action == SC_APP_ACTION_SUBMIT)
            after_set(detail, "submitted_on", json_string(today));
    }
    char name[64];
    snprintf(name, sizeof name, "application.%s",
             sc_workflow_app_action_name(action));
    rc = append(st, clk, actor, name, "application", app.id, detail, err);
out:
    free(sch);
    return sc_store_tx_end(st, own, rc, err);
}

/* ---- preparation and managers ------------------------------------------- */

enum sc_err sc_store_application_prepare(struct sc_store *st,
                                         const struct sc_clock *clk,
                                         const struct sc_actor *actor,
                                         int64_t id, int item, bool done,
                                         const char *evidence,
                                         struct sc_error *err)
{
    struct sc_application_ref app;
    struct sc_stmt *s = NULL;
    json_t *before = NULL;
    bool own = false, row = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_application_ref(st, id, &app, err)) != SC_OK ||
        (rc = sc_store_application_allowed(st, actor, &app,
                                           "preparation.update", err)) != SC_OK)
        goto out;
    if (sc_workflow_app_terminal(app.state)) {
        rc = sc_error_set(err, SC_ERR_STATE, "application",
                          "application %lld is %s: its preparation is closed",
                          (long long)app.id,
                          sc_workflow_app_state_name(app.state));
        goto out;
    }
    if (item < 1 || item > 5) {
        rc = sc_error_set(err, SC_ERR_INVALID, "item",
                          "preparation items are numbered 1 to 5");
        goto out;
    }
    if ((rc = check_text(evidence, "evidence", done, SC_APPLICATION_TEXT_MAX,
                         false, err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_PREP_GET, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_int(s, 2, item);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK)
        before =
            row ? json_pack("{s:b, s:s?}", "done", sc_db_col_int(s, 0) != 0,
                            "evidence", sc_db_col_text(s, 1))
                : json_pack("{s:b, s:n}", "done", 0, "evidence");
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_PREP_PUT, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_int(s, 2, item);
    sc_db_bind_int(s, 3, done ? 1 : 0);
    sc_db_bind_text(s, 4, opt(evidence));
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    rc = append(st, clk, actor, "application.prepare", "application", app.id,
                json_pack("{s:i, s:O, s:{s:b, s:s?}}", "item", item, "before",
                          before, "after", "done", done, "evidence",
                          opt(evidence)),
                err);
out:
    json_decref(before);
    return sc_store_tx_end(st, own, rc, err);
}

enum sc_err sc_store_application_manager_add(
    struct sc_store *st, const struct sc_clock *clk,
    const struct sc_actor *actor, int64_t id, const char *name,
    const char *certificate_no, int64_t *manager_id, struct sc_error *err)
{
    struct sc_application_ref app;
    struct sc_stmt *s = NULL;
    int64_t n = 0, new_id = 0;
    bool own = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_application_ref(st, id, &app, err)) != SC_OK ||
        (rc = sc_store_application_allowed(st, actor, &app, "manager.add",
                                           err)) != SC_OK)
        goto out;
    if (sc_workflow_app_terminal(app.state)) {
        rc = sc_error_set(err, SC_ERR_STATE, "application",
                          "application %lld is %s: its preparation is closed",
                          (long long)app.id,
                          sc_workflow_app_state_name(app.state));
        goto out;
    }
    if ((rc = check_text(name, "name", true, SC_APPLICATION_NAME_MAX, true,
                         err)) != SC_OK ||
        (rc = check_text(certificate_no, "certificate_no", true,
                         SC_APPLICATION_NUMBER_MAX, true, err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_MANAGER_BY_NO, &s, err)) !=
        SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_text(s, 2, certificate_no);
    bool row = false;
    rc = sc_db_step(s, &row, err);
    n = row ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    if (n > 0) {
        rc = sc_error_set(err, SC_ERR_CONFLICT, "certificate_no",
                          "a manager with training certificate %.64s is "
                          "already listed",
                          certificate_no);
        goto out;
    }
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_MANAGER_INSERT, &s, err)) !=
        SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_text(s, 2, name);
    sc_db_bind_text(s, 3, certificate_no);
    if ((rc = insert_id(s, &new_id, err)) != SC_OK)
        goto out;
    rc = append(
        st, clk, actor, "application.manager_add", "application", app.id,
        json_pack("{s:{s:I, s:s, s:s}}", "after", "manager", (json_int_t)new_id,
                  "name", name, "certificate_no", certificate_no),
        err);
    if (rc == SC_OK && manager_id)
        *manager_id = new_id;
out:
    return sc_store_tx_end(st, own, rc, err);
}

/* ---- contract -------------------------------------------------------------
 */

/* The audit whose time the contract prices: a full initial audit for an
 * initial application, a full re-assessment (recertification time) for a
 * recertification or an upgrade, surveillance time for a scope change. */
static enum sc_audit_type audit_type_of(enum sc_workflow_app_kind kind)
{
    switch (kind) {
    case SC_APP_KIND_INITIAL:
        return SC_AUDIT_INITIAL;
    case SC_APP_KIND_SCOPE_CHANGE:
        return SC_AUDIT_SURVEILLANCE;
    default:
        return SC_AUDIT_RECERTIFICATION;
    }
}

enum sc_err sc_store_contract_sign(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t application_id,
                                   const struct sc_contract_input *in,
                                   int64_t *contract_id, struct sc_error *err)
{
    struct sc_application_ref app;
    struct sc_scheme *sch = NULL;
    struct sc_stmt *s = NULL;
    struct facts f;
    struct sc_mandays md;
    enum sc_workflow_app_state to;
    sc_day prelim = 0;
    char today[SC_DATE_BUF];
    int64_t n = 0, new_id = 0, employees = 0, outlets = 0;
    bool own = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = action_load(st, actor, application_id, &app, &sch, &f, err)) !=
        SC_OK)
        goto out;
    uint32_t holds = holds_from(&f, sch);
    if (given(in->number) && in->has_fee && given(in->preliminary_audit))
        holds |= SC_PRE_BIT(SC_PRE_CONTRACT_FIELDS);
    if ((rc = sc_workflow_app_step(app.state, SC_APP_ACTION_SIGN_CONTRACT,
                                   actor->role, holds, SC_OUTCOME_NONE, &to,
                                   err)) != SC_OK)
        goto out;
    if ((rc = check_text(in->number, "number", true, SC_APPLICATION_NUMBER_MAX,
                         true, err)) != SC_OK)
        goto out;
    if (in->fee_cents < 1 || in->fee_cents > SC_APPLICATION_FEE_MAX) {
        rc = sc_error_set(err, SC_ERR_INVALID, "fee_cents",
                          "the fee is 1 to %lld cents",
                          (long long)SC_APPLICATION_FEE_MAX);
        goto out;
    }
    if ((rc = sc_date_parse(in->preliminary_audit, "preliminary_audit", &prelim,
                            err)) != SC_OK)
        goto out;
    sc_date_format(clk->today, today);
    if (prelim < clk->today) {
        rc = sc_error_set(err, SC_ERR_INVALID, "preliminary_audit",
                          "the preliminary audit date %s is before today (%s)",
                          in->preliminary_audit, today);
        goto out;
    }
    struct sc_stmt *q = NULL;
    bool row = false;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_CONTRACT_BY_NO, &q, err)) !=
        SC_OK)
        goto out;
    sc_db_bind_text(q, 1, in->number);
    rc = sc_db_step(q, &row, err);
    n = row ? sc_db_col_int(q, 0) : 0;
    sc_db_done(q);
    if (rc != SC_OK)
        goto out;
    if (n > 0) {
        rc = sc_error_set(err, SC_ERR_CONFLICT, "number",
                          "contract number %.64s is already used", in->number);
        goto out;
    }
    if ((rc = query_int(st, SQL_ORG_EMPLOYEES, app.organisation_id, 0,
                        &employees, err)) != SC_OK ||
        (rc = sc_store_outlet_count(st, app.organisation_id, &outlets, err)) !=
            SC_OK)
        goto out;
    struct sc_mandays_request req = {audit_type_of(app.kind), employees,
                                     outlets, 0, false};
    if ((rc = sc_mandays_compute(sch, &req, &md, err)) != SC_OK) {
        sc_error_prefix_field(err, "mandays");
        goto out;
    }
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_CONTRACT_INSERT, &s, err)) !=
        SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_text(s, 2, in->number);
    sc_db_bind_int(s, 3, in->fee_cents);
    sc_db_bind_int(s, 4, md.total_halves);
    sc_db_bind_text(s, 5, in->preliminary_audit);
    sc_db_bind_text(s, 6, today);
    sc_db_bind_int(s, 7, actor->user_id);
    if ((rc = insert_id(s, &new_id, err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_APP_STATE, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_text(s, 2, sc_workflow_app_state_name(to));
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    json_t *detail = state_change(app.state, to);
    after_set(detail, "contract",
              json_pack("{s:I, s:s, s:I, s:i, s:s, s:s, s:I, s:I}", "id",
                        (json_int_t)new_id, "number", in->number, "fee_cents",
                        (json_int_t)in->fee_cents, "mandays_halves",
                        md.total_halves, "audit_type",
                        sc_audit_type_name(req.type), "preliminary_audit",
                        in->preliminary_audit, "employees",
                        (json_int_t)employees, "outlets", (json_int_t)outlets));
    rc = append(st, clk, actor, "application.sign_contract", "application",
                app.id, detail, err);
    if (rc == SC_OK && contract_id)
        *contract_id = new_id;
out:
    free(sch);
    return sc_store_tx_end(st, own, rc, err);
}

/* ---- document review ------------------------------------------------------
 */

/* The reviewer must have no barring link with the organisation today. */
static enum sc_err check_reviewer(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor,
                                  const struct sc_application_ref *app,
                                  const struct sc_scheme *sch,
                                  struct sc_error *err)
{
    struct sc_impartiality_link *links = NULL;
    size_t n = 0;
    enum sc_err rc = sc_store_link_load(st, actor->user_id,
                                        app->organisation_id, &links, &n, err);
    if (rc == SC_OK)
        rc = sc_impartiality_check_assignment(
            actor->user_id, app->organisation_id, SC_DUTY_REVIEW, clk->today,
            sch->impartiality_months, links, n, err);
    free(links);
    return rc;
}

static enum sc_err insert_review(struct sc_store *st,
                                 const struct sc_clock *clk,
                                 const struct sc_actor *actor, int64_t app,
                                 const char *outcome, const char *note,
                                 int64_t manual_id, int64_t *id,
                                 struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    char today[SC_DATE_BUF];
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_REVIEW_INSERT, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_date_format(clk->today, today);
    sc_db_bind_int(s, 1, app);
    sc_db_bind_int(s, 2, actor->user_id);
    sc_db_bind_text(s, 3, outcome);
    sc_db_bind_text(s, 4, today);
    sc_db_bind_text(s, 5, opt(note));
    if (manual_id)
        sc_db_bind_int(s, 6, manual_id);
    else
        sc_db_bind_null(s, 6);
    return insert_id(s, id, err);
}

static enum sc_err check_finding(const struct sc_finding_input *f, size_t i,
                                 const struct sc_scheme *sch,
                                 struct sc_error *err)
{
    char field[48];
    snprintf(field, sizeof field, "findings[%zu].text", i);
    enum sc_err rc =
        check_text(f->text, field, true, SC_APPLICATION_TEXT_MAX, false, err);
    if (rc != SC_OK)
        return rc;
    if (f->severity && strcmp(f->severity, "minor") != 0 &&
        strcmp(f->severity, "major") != 0) {
        snprintf(field, sizeof field, "findings[%zu].severity", i);
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "severity is minor or major");
    }
    if (opt(f->indicator) && sc_scheme_indicator_index(sch, f->indicator) < 0) {
        snprintf(field, sizeof field, "findings[%zu].indicator", i);
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "scheme %s has no indicator \"%.16s\"", sch->id,
                            f->indicator);
    }
    return SC_OK;
}

enum sc_err sc_store_review_revise(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t application_id,
                                   const struct sc_finding_input *findings,
                                   size_t n, const char *note,
                                   int64_t *review_id, struct sc_error *err)
{
    struct sc_application_ref app;
    struct sc_scheme *sch = NULL;
    struct sc_stmt *s = NULL;
    struct facts f;
    enum sc_workflow_app_state to;
    json_t *ids = NULL;
    char today[SC_DATE_BUF];
    int64_t rid = 0;
    bool own = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = action_load(st, actor, application_id, &app, &sch, &f, err)) !=
        SC_OK)
        goto out;
    uint32_t holds = holds_from(&f, sch);
    if (n > 0)
        holds |= SC_PRE_BIT(SC_PRE_FINDINGS_RECORDED);
    if ((rc = sc_workflow_app_step(app.state, SC_APP_ACTION_REVISE_DOCUMENTS,
                                   actor->role, holds, SC_OUTCOME_NONE, &to,
                                   err)) != SC_OK ||
        (rc = check_reviewer(st, clk, actor, &app, sch, err)) != SC_OK)
        goto out;
    if (n > SC_APPLICATION_FINDINGS_MAX) {
        rc = sc_error_set(err, SC_ERR_INVALID, "findings",
                          "at most %d findings per review",
                          SC_APPLICATION_FINDINGS_MAX);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if ((rc = check_finding(&findings[i], i, sch, err)) != SC_OK)
            goto out;
    if ((rc = check_text(note, "note", false, SC_APPLICATION_TEXT_MAX, false,
                         err)) != SC_OK ||
        (rc = insert_review(st, clk, actor, app.id, "revise", note, f.manual_id,
                            &rid, err)) != SC_OK)
        goto out;
    if (!(ids = json_array())) {
        rc = nomem(err);
        goto out;
    }
    sc_date_format(clk->today, today);
    for (size_t i = 0; i < n; i++) {
        int64_t fid = 0;
        if ((rc = sc_db_prepare(sc_store_db(st), SQL_FINDING_INSERT, &s,
                                err)) != SC_OK)
            goto out;
        sc_db_bind_int(s, 1, app.id);
        sc_db_bind_text(s, 2,
                        findings[i].severity ? findings[i].severity : "minor");
        sc_db_bind_text(s, 3, opt(findings[i].indicator));
        sc_db_bind_text(s, 4, findings[i].text);
        sc_db_bind_int(s, 5, actor->user_id);
        sc_db_bind_text(s, 6, today);
        if ((rc = insert_id(s, &fid, err)) != SC_OK)
            goto out;
        json_array_append_new(ids, json_integer(fid));
    }
    json_t *detail = state_change(app.state, to);
    after_set(detail, "review", json_integer(rid));
    after_set(detail, "findings", json_incref(ids));
    if (detail && opt(note))
        json_object_set_new(detail, "note", json_string(note));
    rc = append(st, clk, actor, "application.revise_documents", "application",
                app.id, detail, err);
    if (rc == SC_OK && review_id)
        *review_id = rid;
out:
    json_decref(ids);
    free(sch);
    return sc_store_tx_end(st, own, rc, err);
}

enum sc_err sc_store_review_approve(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const struct sc_actor *actor,
                                    int64_t application_id, const char *note,
                                    int64_t *review_id, struct sc_error *err)
{
    struct sc_application_ref app;
    struct sc_scheme *sch = NULL;
    struct sc_stmt *s = NULL;
    struct facts f;
    enum sc_workflow_app_state to;
    int64_t rid = 0, reviewed_manual = 0;
    bool own = false, row = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = action_load(st, actor, application_id, &app, &sch, &f, err)) !=
        SC_OK)
        goto out;
    if ((rc = sc_workflow_app_step(app.state, SC_APP_ACTION_APPROVE_DOCUMENTS,
                                   actor->role, holds_from(&f, sch),
                                   SC_OUTCOME_NONE, &to, err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_LAST_REVISE, &s, err)) !=
        SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    rc = sc_db_step(s, &row, err);
    reviewed_manual = row ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    if (row && f.manual_id <= reviewed_manual) {
        rc = sc_error_set(err, SC_ERR_PRECONDITION, "revised_manual",
                          "action \"approve_documents\" needs revised_manual: "
                          "the review asked for revisions and no newer "
                          "service manual has been uploaded since");
        goto out;
    }
    if ((rc = check_reviewer(st, clk, actor, &app, sch, err)) != SC_OK ||
        (rc = check_text(note, "note", false, SC_APPLICATION_TEXT_MAX, false,
                         err)) != SC_OK ||
        (rc = insert_review(st, clk, actor, app.id, "approved", note,
                            f.manual_id, &rid, err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_APP_STATE, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    sc_db_bind_text(s, 2, sc_workflow_app_state_name(to));
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    json_t *detail = state_change(app.state, to);
    after_set(detail, "review", json_integer(rid));
    after_set(detail, "manual", json_integer(f.manual_id));
    if (detail && opt(note))
        json_object_set_new(detail, "note", json_string(note));
    rc = append(st, clk, actor, "application.approve_documents", "application",
                app.id, detail, err);
    if (rc == SC_OK && review_id)
        *review_id = rid;
out:
    free(sch);
    return sc_store_tx_end(st, own, rc, err);
}

/* ---- findings ---------------------------------------------------------------
 */

struct finding_ref {
    int64_t id;
    bool document; /* source document_review (else audit) */
    char state[16];
    int64_t application_id;
    int64_t audit_id;
    int64_t organisation_id;
    char app_state[24];
};

static enum sc_err finding_ref(struct sc_store *st, int64_t id,
                               struct finding_ref *out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_FINDING_REF, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "finding", "no finding %lld",
                          (long long)id);
    if (rc == SC_OK) {
        memset(out, 0, sizeof *out);
        out->id = sc_db_col_int(s, 0);
        out->document = strcmp(sc_db_col_text(s, 1), "document_review") == 0;
        snprintf(out->state, sizeof out->state, "%s", sc_db_col_text(s, 2));
        out->application_id = sc_db_col_int(s, 3);
        out->audit_id = sc_db_col_int(s, 4);
        out->organisation_id = sc_db_col_int(s, 5);
        snprintf(out->app_state, sizeof out->app_state, "%s",
                 sc_db_col_text(s, 6));
    }
    sc_db_done(s);
    return rc;
}

/* A document-review finding is worked on only while its application is in
 * the document review (contracted). */
static enum sc_err finding_in_review(const struct finding_ref *f,
                                     struct sc_error *err)
{
    if (!f->document || strcmp(f->app_state, "contracted") == 0)
        return SC_OK;
    return sc_error_set(err, SC_ERR_STATE, "finding",
                        "finding %lld belongs to a document review that is "
                        "over (the application is %s)",
                        (long long)f->id, f->app_state);
}

enum sc_err sc_store_finding_correct(struct sc_store *st,
                                     const struct sc_clock *clk,
                                     const struct sc_actor *actor, int64_t id,
                                     const char *corrective_action,
                                     struct sc_error *err)
{
    struct finding_ref f;
    struct sc_stmt *s = NULL;
    bool own = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = finding_ref(st, id, &f, err)) != SC_OK ||
        (rc = allowed(st, actor, f.organisation_id, f.application_id,
                      f.audit_id, "finding.correct", err)) != SC_OK)
        goto out;
    if (strcmp(f.state, "open") != 0) {
        rc = sc_error_set(err, SC_ERR_STATE, "finding",
                          "finding %lld is %s: only an open finding is "
                          "corrected",
                          (long long)f.id, f.state);
        goto out;
    }
    if ((rc = finding_in_review(&f, err)) != SC_OK ||
        (rc = check_text(corrective_action, "corrective_action", true,
                         SC_APPLICATION_TEXT_MAX, false, err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_FINDING_CORRECT, &s, err)) !=
        SC_OK)
        goto out;
    sc_db_bind_int(s, 1, f.id);
    sc_db_bind_text(s, 2, corrective_action);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    rc = append(st, clk, actor, "finding.correct", "finding", f.id,
                json_pack("{s:{s:s}, s:{s:s, s:s}}", "before", "state", f.state,
                          "after", "state", "corrected", "corrective_action",
                          corrective_action),
                err);
out:
    return sc_store_tx_end(st, own, rc, err);
}

enum sc_err sc_store_finding_verify(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const struct sc_actor *actor, int64_t id,
                                    bool accept, const char *note,
                                    struct sc_error *err)
{
    struct finding_ref f;
    struct sc_stmt *s = NULL;
    char today[SC_DATE_BUF];
    bool own = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = finding_ref(st, id, &f, err)) != SC_OK ||
        (rc = allowed(st, actor, f.organisation_id, f.application_id,
                      f.audit_id, "finding.verify", err)) != SC_OK)
        goto out;
    /* By source: the department that raised the kind of finding verifies. */
    enum sc_workflow_role by = f.document ? SC_ROLE_REVIEW : SC_ROLE_AUDITOR;
    if (actor->role != by) {
        rc = sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                          "%s findings are verified by role %s, not %s",
                          f.document ? "document-review" : "audit",
                          sc_workflow_role_name(by),
                          sc_workflow_role_name(actor->role));
        goto out;
    }
    if (strcmp(f.state, "corrected") != 0) {
        rc = sc_error_set(err, SC_ERR_STATE, "finding",
                          "finding %lld is %s: only a corrected finding is "
                          "verified",
                          (long long)f.id, f.state);
        goto out;
    }
    if ((rc = finding_in_review(&f, err)) != SC_OK ||
        (rc = check_text(note, "note", !accept, SC_APPLICATION_TEXT_MAX, false,
                         err)) != SC_OK)
        goto out;
    sc_date_format(clk->today, today);
    if ((rc = sc_db_prepare(sc_store_db(st),
                            accept ? SQL_FINDING_VERIFY : SQL_FINDING_REOPEN,
                            &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, f.id);
    if (accept) {
        sc_db_bind_int(s, 2, actor->user_id);
        sc_db_bind_text(s, 3, today);
    }
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    rc = append(st, clk, actor, accept ? "finding.verify" : "finding.reopen",
                "finding", f.id,
                json_pack("{s:{s:s}, s:{s:s}, s:s?}", "before", "state",
                          f.state, "after", "state",
                          accept ? "verified" : "open", "note", opt(note)),
                err);
out:
    return sc_store_tx_end(st, own, rc, err);
}

/* ---- views ------------------------------------------------------------------
 */

static json_t *text_or_null(struct sc_stmt *s, int col)
{
    const char *t = sc_db_col_text(s, col);
    return t ? json_string(t) : json_null();
}

static json_t *int_or_null(struct sc_stmt *s, int col)
{
    return sc_db_col_is_null(s, col) ? json_null()
                                     : json_integer(sc_db_col_int(s, col));
}

static json_t *finding_view(struct sc_stmt *s)
{
    return json_pack(
        "{s:I, s:o, s:o, s:s, s:s, s:o, s:s, s:s, s:o, s:s, "
        "s:s, s:o, s:o}",
        "id", (json_int_t)sc_db_col_int(s, 0), "application", int_or_null(s, 1),
        "audit", int_or_null(s, 2), "source", sc_db_col_text(s, 3), "severity",
        sc_db_col_text(s, 4), "indicator", text_or_null(s, 5), "text",
        sc_db_col_text(s, 6), "state", sc_db_col_text(s, 7),
        "corrective_action", text_or_null(s, 8), "raised_by",
        sc_db_col_text(s, 9), "raised_on", sc_db_col_text(s, 10), "verified_by",
        text_or_null(s, 11), "verified_on", text_or_null(s, 12));
}

/* Runs a one-int-parameter query and collects `build(row)` per row. */
static enum sc_err collect(struct sc_store *st, const char *sql, int64_t a,
                           json_t *(*build)(struct sc_stmt *), json_t **out,
                           struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *list = json_array();
    enum sc_err rc =
        list ? sc_db_prepare(sc_store_db(st), sql, &s, err) : nomem(err);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    sc_db_bind_int(s, 1, a);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        json_t *v = build(s);
        if (!v || json_array_append_new(list, v) != 0) {
            rc = nomem(err);
            break;
        }
    }
    sc_db_done(s);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return SC_OK;
}

static json_t *manager_view(struct sc_stmt *s)
{
    return json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sc_db_col_int(s, 0),
                     "name", sc_db_col_text(s, 1), "certificate_no",
                     sc_db_col_text(s, 2));
}

static json_t *review_view(struct sc_stmt *s)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}", "id",
                     (json_int_t)sc_db_col_int(s, 0), "reviewer",
                     sc_db_col_text(s, 1), "outcome", sc_db_col_text(s, 2),
                     "reviewed_on", sc_db_col_text(s, 3), "note",
                     text_or_null(s, 4), "manual", int_or_null(s, 5));
}

static json_t *contract_view(struct sc_stmt *s)
{
    return json_pack("{s:I, s:s, s:I, s:I, s:s, s:s, s:s}", "id",
                     (json_int_t)sc_db_col_int(s, 0), "number",
                     sc_db_col_text(s, 1), "fee_cents",
                     (json_int_t)sc_db_col_int(s, 2), "mandays_halves",
                     (json_int_t)sc_db_col_int(s, 3), "preliminary_audit",
                     sc_db_col_text(s, 4), "signed_on", sc_db_col_text(s, 5),
                     "signed_by", sc_db_col_text(s, 6));
}

/* elapsed days from the last submission to the decision, the closing day
 * or today; null fields before any submission. */
static json_t *time_view(const char *submitted, const char *decided,
                         const char *closed, sc_day today, int target)
{
    sc_day from = 0, until = today;
    if (!submitted || sc_date_parse(submitted, NULL, &from, NULL) != SC_OK)
        return json_pack("{s:n, s:n, s:n, s:i, s:b}", "submitted_on", "until",
                         "elapsed_days", "target_days", target, "over_target",
                         0);
    const char *end = decided ? decided : closed;
    if (end)
        sc_date_parse(end, NULL, &until, NULL);
    int64_t elapsed = (int64_t)until - (int64_t)from;
    if (elapsed < 0)
        elapsed = 0;
    char ubuf[SC_DATE_BUF];
    sc_date_format(until, ubuf);
    return json_pack("{s:s, s:s, s:I, s:i, s:b}", "submitted_on", submitted,
                     "until", ubuf, "elapsed_days", (json_int_t)elapsed,
                     "target_days", target, "over_target", elapsed > target);
}

static const char *const item_titles[5] = {
    "trained after-sales service managers",
    "service manual compiled (document service_manual)",
    "application form submitted",
    "contract signed with a preliminary audit date",
    "on-site arrangements recorded and audit date confirmed",
};

static enum sc_err preparation_view(struct sc_store *st,
                                    const struct sc_application_ref *app,
                                    const struct facts *f,
                                    const struct sc_scheme *sch,
                                    bool has_contract, bool submitted,
                                    json_t **out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    bool declared[5] = {false};
    char *evidence[5] = {NULL};
    int64_t arranged = 0;
    json_t *list = NULL;
    enum sc_err rc = query_int(st, SQL_ARRANGED, app->id, 0, &arranged, err);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_PREP_ALL, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, app->id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        int64_t item = sc_db_col_int(s, 0);
        if (item < 1 || item > 5)
            continue;
        declared[item - 1] = sc_db_col_int(s, 1) != 0;
        const char *e = sc_db_col_text(s, 2);
        evidence[item - 1] = e ? strdup(e) : NULL;
    }
    sc_db_done(s);
    bool done[5] = {f->managers >= sch->managers_min, f->manual_id > 0,
                    submitted, has_contract, declared[4] || arranged > 0};
    list = rc == SC_OK ? json_array() : NULL;
    if (rc == SC_OK && !list)
        rc = nomem(err);
    for (int i = 0; rc == SC_OK && i < 5; i++)
        if (json_array_append_new(
                list,
                json_pack("{s:i, s:s, s:b, s:b, s:s?}", "item", i + 1, "title",
                          item_titles[i], "done", done[i], "declared",
                          declared[i], "evidence", evidence[i])) != 0)
            rc = nomem(err);
    for (int i = 0; i < 5; i++)
        free(evidence[i]);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return SC_OK;
}

static json_t *materials_view(uint32_t present)
{
    json_t *req = json_array(), *missing = json_array();
    for (int k = 0; req && missing && k < SC_DOC_KIND_COUNT_; k++) {
        enum sc_document_kind kind = (enum sc_document_kind)k;
        if (!sc_document_kind_required(kind))
            continue;
        json_array_append_new(req, json_string(sc_document_kind_name(kind)));
        if (!(present & SC_DOC_KIND_BIT(k)))
            json_array_append_new(missing,
                                  json_string(sc_document_kind_name(kind)));
    }
    return json_pack("{s:o, s:o}", "required", req, "missing", missing);
}

/* The actions the actor's role may take now, each with the preconditions
 * this module computes that do not hold yet. */
static json_t *actions_view(enum sc_workflow_app_state state,
                            enum sc_workflow_role role, uint32_t holds)
{
    enum sc_workflow_app_action acts[SC_APP_ACTION_COUNT_];
    size_t n = sc_workflow_app_actions(state, role, acts);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        uint32_t needs =
            sc_workflow_app_needs(state, acts[i], SC_OUTCOME_CERTIFIED);
        uint32_t missing = needs & DATA_PRES & ~holds;
        json_t *m = json_array();
        for (int p = 0; m && p < SC_PRE_COUNT_; p++)
            if (missing & SC_PRE_BIT(p))
                json_array_append_new(m, json_string(sc_workflow_pre_name(
                                             (enum sc_workflow_pre)p)));
        json_array_append_new(list,
                              json_pack("{s:s, s:o}", "action",
                                        sc_workflow_app_action_name(acts[i]),
                                        "missing", m ? m : json_array()));
    }
    return list;
}

enum sc_err sc_store_application_get(struct sc_store *st,
                                     const struct sc_actor *actor, int64_t id,
                                     sc_day today, json_t **out,
                                     struct sc_error *err)
{
    struct sc_application_ref app;
    struct sc_scheme *sch = NULL;
    struct sc_stmt *s = NULL;
    struct facts f;
    json_t *view = NULL, *docs = NULL, *prep = NULL, *managers = NULL,
           *reviews = NULL, *findings = NULL, *contracts = NULL;
    bool row = false;
    enum sc_err rc = sc_store_application_ref(st, id, &app, err);
    if (rc == SC_OK)
        rc = sc_store_application_allowed(st, actor, &app, "application.view",
                                          err);
    if (rc != SC_OK)
        return rc;
    if (!(sch = scheme_of(st, &app, &rc, err)) ||
        (rc = load_facts(st, app.id, &f, err)) != SC_OK ||
        (rc = sc_store_document_views(st, app.id, &docs, err)) != SC_OK ||
        (rc = collect(st, SQL_MANAGERS, app.id, manager_view, &managers,
                      err)) != SC_OK ||
        (rc = collect(st, SQL_REVIEWS, app.id, review_view, &reviews, err)) !=
            SC_OK ||
        (rc = collect(st, SQL_FINDINGS_OF_APP, app.id, finding_view, &findings,
                      err)) != SC_OK ||
        (rc = collect(st, SQL_CONTRACT_GET, app.id, contract_view, &contracts,
                      err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_APP_VIEW, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, app.id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "application",
                          "no application %lld", (long long)id);
    if (rc == SC_OK) {
        const char *submitted = sc_db_col_text(s, 13);
        bool was_submitted =
            submitted != NULL && app.state != SC_APP_STATE_DRAFT;
        size_t n_contracts = json_array_size(contracts);
        view = json_pack(
            "{s:I, s:{s:I, s:s, s:s}, s:s, s:s, s:o, s:{s:s, s:s}, s:s, s:o, "
            "s:o, s:s, s:o, s:o, s:o, s:o}",
            "id", (json_int_t)app.id, "organisation", "id",
            (json_int_t)app.organisation_id, "name", sc_db_col_text(s, 2),
            "uscc", sc_db_col_text(s, 3), "kind", sc_db_col_text(s, 4), "state",
            sc_db_col_text(s, 5), "certificate", int_or_null(s, 6), "scheme",
            "id", app.scheme_id, "version", app.scheme_version, "scope",
            sc_db_col_text(s, 9), "delivery_mode", text_or_null(s, 10),
            "excluded_note", text_or_null(s, 11), "created_on",
            sc_db_col_text(s, 12), "submitted_on", text_or_null(s, 13),
            "decided_on", text_or_null(s, 14), "closed_on", text_or_null(s, 15),
            "state_reason", text_or_null(s, 16));
        if (view) {
            json_object_set_new(view, "time_to_certify",
                                time_view(submitted, sc_db_col_text(s, 14),
                                          sc_db_col_text(s, 15), today,
                                          sch->certify_target_days));
            rc = preparation_view(st, &app, &f, sch, n_contracts > 0,
                                  was_submitted, &prep, err);
        } else {
            rc = nomem(err);
        }
    }
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    json_object_set_new(view, "preparation", prep);
    prep = NULL;
    json_object_set(view, "managers", managers);
    json_object_set_new(view, "materials", materials_view(f.present));
    json_object_set(view, "documents", docs);
    json_object_set(view, "contract",
                    json_array_size(contracts) ? json_array_get(contracts, 0)
                                               : json_null());
    json_object_set(view, "reviews", reviews);
    json_object_set(view, "findings", findings);
    json_object_set_new(
        view, "actions",
        actions_view(app.state, actor->role, holds_from(&f, sch)));
    *out = view;
    view = NULL;
out:
    json_decref(view);
    json_decref(prep);
    json_decref(docs);
    json_decref(managers);
    json_decref(reviews);
    json_decref(findings);
    json_decref(contracts);
    free(sch);
    return rc;
}

enum sc_err sc_store_application_list(struct sc_store *st,
                                      const struct sc_actor *actor,
                                      int64_t organisation_id,
                                      const char *state, sc_day today,
                                      json_t **out, struct sc_error *err)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    enum sc_workflow_app_state parsed;
    struct sc_scheme *sch = NULL;
    struct sc_stmt *s = NULL;
    json_t *list = NULL;
    char sid[SC_SCHEME_ID_MAX] = "", sver[SC_SCHEME_ID_MAX] = "";
    int64_t team_user = 0;
    bool row = false;
    enum sc_err rc =
        sc_policy_scope_for("application.view", actor->role, &scope, err);
    if (rc != SC_OK)
        return rc;
    if (scope == SC_POLICY_SCOPE_OWN_ORG) {
        if (organisation_id && !sc_actor_owns(actor, organisation_id))
            return sc_policy_check("application.view", actor->role, false, err);
        organisation_id = actor->organisation_id;
    } else if (scope == SC_POLICY_SCOPE_AUDIT_TEAM) {
        team_user = actor->user_id;
    } else if (scope != SC_POLICY_SCOPE_ANY) {
        return sc_policy_check("application.view", actor->role, false, err);
    }
    if (state && (rc = sc_workflow_app_state_parse(state, "state", &parsed,
                                                   err)) != SC_OK)
        return rc;
    if (!(list = json_array()) || !(sch = malloc(sizeof *sch))) {
        rc = nomem(err);
        goto out;
    }
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_APP_LIST, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, organisation_id);
    sc_db_bind_text(s, 2, state ? state : "");
    sc_db_bind_int(s, 3, team_user);
    sc_db_bind_int(s, 4, SC_APPLICATION_LIST_MAX);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        const char *rid = sc_db_col_text(s, 9), *rver = sc_db_col_text(s, 10);
        if (strcmp(rid, sid) != 0 || strcmp(rver, sver) != 0) {
            snprintf(sid, sizeof sid, "%s", rid);
            snprintf(sver, sizeof sver, "%s", rver);
            if ((rc = sc_store_scheme_get(st, sid, sver, sch, err)) != SC_OK) {
                sid[0] = '\0';
                break;
            }
        }
        json_t *v = json_pack(
            "{s:I, s:I, s:s, s:s, s:s, s:s, s:o, s:o}", "id",
            (json_int_t)sc_db_col_int(s, 0), "organisation",
            (json_int_t)sc_db_col_int(s, 1), "organisation_name",
            sc_db_col_text(s, 2), "kind", sc_db_col_text(s, 3), "state",
            sc_db_col_text(s, 4), "created_on", sc_db_col_text(s, 5),
            "submitted_on", text_or_null(s, 6), "time_to_certify",
            time_view(sc_db_col_text(s, 6), sc_db_col_text(s, 7),
                      sc_db_col_text(s, 8), today, sch->certify_target_days));
        if (!v || json_array_append_new(list, v) != 0) {
            rc = nomem(err);
            break;
        }
    }
    sc_db_done(s);
out:
    free(sch);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return SC_OK;
}

enum sc_err sc_store_finding_get(struct sc_store *st,
                                 const struct sc_actor *actor, int64_t id,
                                 json_t **out, struct sc_error *err)
{
    struct finding_ref f;
    enum sc_err rc = finding_ref(st, id, &f, err);
    if (rc == SC_OK)
        rc = allowed(st, actor, f.organisation_id, f.application_id, f.audit_id,
                     f.document ? "application.view" : "audit.view", err);
    if (rc != SC_OK)
        return rc;
    json_t *list = NULL;
    rc = collect(st, SQL_FINDING_VIEW, id, finding_view, &list, err);
    if (rc != SC_OK)
        return rc;
    *out = json_incref(json_array_get(list, 0));
    json_decref(list);
    return *out ? SC_OK : sc_error_set(err, SC_ERR_NOT_FOUND, "finding", NULL);
}
