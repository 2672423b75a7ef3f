/*
 * store_audit: audits from plan to report, and their JSON views (see
 * store_audit.h). Engine-neutral: SQL goes through db.h.
 */
#include "store/store_audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/mandays.h"
#include "core/policy.h"
#include "core/score.h"
#include "core/sheet.h"
#include "core/timeline.h"
#include "store/db.h"
#include "store/store_certificate.h"
#include "store/store_party.h"
#include "store/store_tick.h"

/* ---- SQL -------------------------------------------------------------- */

static const char SQL_AUDIT[] =
    "SELECT a.id, COALESCE(a.application_id, 0), COALESCE(a.certificate_id, "
    "0), a.kind, a.state, a.scheme_id, a.scheme_version, a.date_from, "
    "a.date_to, a.score_tenths, COALESCE(a.level, ''), "
    "COALESCE(ap.organisation_id, c.organisation_id), ap.kind, ap.state, "
    "COALESCE(ap.certificate_id, 0) FROM audits a "
    "LEFT JOIN applications ap ON ap.id = a.application_id "
    "LEFT JOIN certificates c ON c.id = a.certificate_id WHERE a.id = ?1";
static const char SQL_APP[] =
    "SELECT organisation_id, kind, state, COALESCE(certificate_id, 0), "
    "scheme_id, scheme_version FROM applications WHERE id = ?1";
static const char SQL_TEAM[] =
    "SELECT user_id, lead FROM audit_team WHERE audit_id = ?1 "
    "ORDER BY lead DESC, user_id";
static const char SQL_ON_TEAM[] =
    "SELECT lead FROM audit_team WHERE audit_id = ?1 AND user_id = ?2";
static const char SQL_OPEN_CERT_AUDIT[] =
    "SELECT id FROM audits WHERE certificate_id = ?1 AND state <> 'decided'";
static const char SQL_OPEN_APP_AUDIT[] =
    "SELECT id FROM audits WHERE application_id = ?1 AND state <> 'decided'";
static const char SQL_EMPLOYEES[] =
    "SELECT employees FROM organisations WHERE id = ?1";
static const char SQL_USER[] =
    "SELECT id, role, active FROM users WHERE login = ?1";
static const char SQL_INSERT_AUDIT[] =
    "INSERT INTO audits (application_id, certificate_id, kind, state, "
    "scheme_id, scheme_version, date_from, date_to, mandays_halves, "
    "mandays_reduction, mandays_reason, employees, outlets, planned_on) "
    "VALUES (?1, ?2, ?3, 'planned', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
    "?13)";
static const char SQL_LAST_AUDIT[] = "SELECT MAX(id) FROM audits";
static const char SQL_INSERT_MEMBER[] =
    "INSERT INTO audit_team (audit_id, user_id, lead) VALUES (?1, ?2, ?3)";
static const char SQL_APP_STATE[] =
    "UPDATE applications SET state = ?2 WHERE id = ?1";
static const char SQL_CONFIRM[] =
    "UPDATE audits SET state = 'confirmed', arrangements = ?2, date_from = ?3, "
    "date_to = ?4, confirmed_on = ?5 WHERE id = ?1";
static const char SQL_PREPARATION_5[] =
    "INSERT INTO preparation_items (application_id, item, done, evidence) "
    "VALUES (?1, 5, 1, ?2) ON CONFLICT (application_id, item) DO UPDATE SET "
    "done = 1, evidence = excluded.evidence";
static const char SQL_START[] =
    "UPDATE audits SET state = 'in_audit', started_on = ?2 WHERE id = ?1";
static const char SQL_RESULT_GET[] =
    "SELECT result, samples, nonconforming, reason FROM audit_results "
    "WHERE audit_id = ?1 AND indicator = ?2";
static const char SQL_RESULT_PUT[] =
    "INSERT INTO audit_results (audit_id, indicator, result, samples, "
    "nonconforming, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT (audit_id, indicator) DO UPDATE SET result = excluded.result, "
    "samples = excluded.samples, nonconforming = excluded.nonconforming, "
    "reason = excluded.reason";
static const char SQL_RESULTS[] =
    "SELECT indicator, result, samples, nonconforming, reason "
    "FROM audit_results WHERE audit_id = ?1 ORDER BY indicator";
static const char SQL_SPECIAL_COUNT[] =
    "SELECT COUNT(*) FROM special_items WHERE audit_id = ?1 AND kind = ?2";
static const char SQL_SPECIAL_PUT[] =
    "INSERT INTO special_items (audit_id, kind, reason) VALUES (?1, ?2, ?3)";
static const char SQL_SPECIAL_LAST[] =
    "SELECT MAX(id) FROM special_items WHERE audit_id = ?1";
static const char SQL_SPECIALS[] =
    "SELECT id, kind, reason FROM special_items WHERE audit_id = ?1 "
    "ORDER BY id";
static const char SQL_FINDING_COUNT[] =
    "SELECT COUNT(*) FROM findings WHERE audit_id = ?1";
static const char SQL_FINDING_OPEN[] =
    "SELECT COUNT(*) FROM findings WHERE audit_id = ?1 AND state <> "
    "'verified'";
static const char SQL_FINDING_PUT[] =
    "INSERT INTO findings (application_id, audit_id, source, severity, "
    "indicator, text, state, raised_by, raised_on) VALUES (?1, ?2, 'audit', "
    "?3, ?4, ?5, 'open', ?6, ?7)";
static const char SQL_FINDING_LAST[] =
    "SELECT MAX(id) FROM findings WHERE audit_id = ?1";
static const char SQL_FINDINGS[] =
    "SELECT f.id, f.severity, f.indicator, f.text, f.state, "
    "f.corrective_action, r.login, f.raised_on, v.login, f.verified_on "
    "FROM findings f JOIN users r ON r.id = f.raised_by "
    "LEFT JOIN users v ON v.id = f.verified_by WHERE f.audit_id = ?1 "
    "ORDER BY f.id";
static const char SQL_REPORT[] =
    "UPDATE audits SET state = 'reported', sheet = ?2, score_tenths = ?3, "
    "level = ?4, reported_on = ?5 WHERE id = ?1";
static const char SQL_VIEW[] =
    "SELECT a.mandays_halves, a.mandays_reduction, a.mandays_reason, "
    "a.employees, a.outlets, a.arrangements, a.sheet, a.planned_on, "
    "a.confirmed_on, a.started_on, a.reported_on, o.name, c.number "
    "FROM audits a LEFT JOIN organisations o ON o.id = ?2 "
    "LEFT JOIN certificates c ON c.id = ?3 WHERE a.id = ?1";
static const char SQL_TEAM_VIEW[] =
    "SELECT u.login, u.name, t.lead FROM audit_team t JOIN users u "
    "ON u.id = t.user_id WHERE t.audit_id = ?1 ORDER BY t.lead DESC, u.login";
static const char SQL_LIST[] =
    "SELECT a.id FROM audits a LEFT JOIN applications ap "
    "ON ap.id = a.application_id LEFT JOIN certificates c "
    "ON c.id = a.certificate_id "
    "WHERE (?1 = 0 OR a.application_id = ?1) "
    "AND (?2 IS NULL OR c.number = ?2) AND (?3 IS NULL OR a.state = ?3) "
    "AND (?4 = 0 OR COALESCE(ap.organisation_id, c.organisation_id) = ?4) "
    "AND (?5 = 0 OR EXISTS (SELECT 1 FROM audit_team t WHERE "
    "t.audit_id = a.id AND t.user_id = ?5)) ORDER BY a.id DESC LIMIT ?6";

/* ---- names ------------------------------------------------------------ */

static const char *const STATE_NAMES[SC_AUDIT_STATE_COUNT_] = {
    "planned", "confirmed", "in_audit", "reported", "decided"};

const char *sc_audit_state_name(enum sc_audit_state s)
{
    return (int)s >= 0 && s < SC_AUDIT_STATE_COUNT_ ? STATE_NAMES[s]
                                                     : "unknown";
}

enum sc_err sc_audit_state_parse(const char *s, const char *field,
                                 enum sc_audit_state *out,
                                 struct sc_error *err)
{
    for (int i = 0; s && i < SC_AUDIT_STATE_COUNT_; i++)
        if (strcmp(s, STATE_NAMES[i]) == 0) {
            *out = (enum sc_audit_state)i;
            return SC_OK;
        }
    return sc_error_set(err, SC_ERR_INVALID, field,
                        "unknown audit state \"%.40s\" (allowed: planned, "
                        "confirmed, in_audit, reported, decided)",
                        s ? s : "");
}

/* ---- small helpers ---------------------------------------------------- */

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}


/* A required (or optional) text of at most SC_AUDIT_TEXT_MAX bytes. */
static enum sc_err check_text(const char *s, const char *field, bool required,
                              struct sc_error *err)
{
    if (required && sc_text_blank(s))
        return sc_error_set(err, SC_ERR_INVALID, field, "%s is required",
                            field);
    if (s && strlen(s) > SC_AUDIT_TEXT_MAX)
        return sc_error_set(err, SC_ERR_TOO_LARGE, field,
                            "%s is limited to %d bytes", field,
                            SC_AUDIT_TEXT_MAX);
    return SC_OK;
}

static void bind_day(struct sc_stmt *s, int idx, sc_day d)
{
    char buf[SC_DATE_BUF];
    sc_date_format(d, buf);
    sc_db_bind_text(s, idx, buf);
}

static json_t *day_json(sc_day d)
{
    char buf[SC_DATE_BUF];
    sc_date_format(d, buf);
    return json_string(buf);
}

static json_t *col_json(struct sc_stmt *s, int col)
{
    const char *t = sc_db_col_text(s, col);
    return t ? json_string(t) : json_null();
}

static json_t *halves_json(int64_t h)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%lld%s", (long long)(h / 2), h % 2 ? ".5" : "");
    return json_string(buf);
}

static json_t *tenths_json(int t)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%d", t / 10, t % 10);
    return json_string(buf);
}

static enum sc_err copy_text(const char *src, char *dst, size_t cap,
                             const char *field, struct sc_error *err)
{
    size_t n = strlen(src ? src : "");
    if (n >= cap)
        return sc_error_set(err, SC_ERR_INTERNAL, field,
                            "stored %s is too long", field);
    memcpy(dst, src ? src : "", n + 1);
    return SC_OK;
}

/* One integer from a one-row query with an integer parameter ?1 (none for
 * SQL_LAST_AUDIT) and an optional text parameter ?2. */
static enum sc_err query_int(struct sc_store *st, const char *sql, int64_t p1,
                             const char *p2, int64_t *out,
                             struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &s, err);
    if (rc != SC_OK)
        return rc;
    if (sql != SQL_LAST_AUDIT)
        sc_db_bind_int(s, 1, p1);
    if (p2)
        sc_db_bind_text(s, 2, p2);
    rc = sc_db_step(s, &row, err);
    *out = rc == SC_OK && row && !sc_db_col_is_null(s, 0) ? sc_db_col_int(s, 0)
                                                          : 0;
    sc_db_done(s);
    return rc;
}

/* ---- loading ---------------------------------------------------------- */

enum sc_err sc_store_audit_get(struct sc_store *st, int64_t id,
                               struct sc_store_audit *out,
                               struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_AUDIT, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "audit",
                          "no audit with id %lld", (long long)id);
    if (rc != SC_OK)
        goto out;
    memset(out, 0, sizeof *out);
    out->id = sc_db_col_int(s, 0);
    out->application_id = sc_db_col_int(s, 1);
    out->certificate_id = sc_db_col_int(s, 2);
    out->of_application = out->application_id != 0;
    out->organisation_id = sc_db_col_int(s, 11);
    if ((rc = copy_text(sc_db_col_text(s, 3), out->kind, sizeof out->kind,
                        "kind", err)) ||
        (rc = sc_audit_state_parse(sc_db_col_text(s, 4), "state", &out->state,
                                   err)) ||
        (rc = copy_text(sc_db_col_text(s, 5), out->scheme_id,
                        sizeof out->scheme_id, "scheme_id", err)) ||
        (rc = copy_text(sc_db_col_text(s, 6), out->scheme_version,
                        sizeof out->scheme_version, "scheme_version", err)) ||
        (rc = sc_date_parse(sc_db_col_text(s, 7), "from", &out->from, err)) ||
        (rc = sc_date_parse(sc_db_col_text(s, 8), "to", &out->to, err)) ||
        (rc = copy_text(sc_db_col_text(s, 10), out->level, sizeof out->level,
                        "level", err)))
        goto out;
    out->has_score = !sc_db_col_is_null(s, 9);
    out->score_tenths = (int)sc_db_col_int(s, 9);
    if (out->of_application) {
        const char *k = sc_db_col_text(s, 12), *stt = sc_db_col_text(s, 13);
        if ((rc = sc_workflow_app_kind_parse(k ? k : "", "kind",
                                             &out->app_kind, err)) ||
            (rc = sc_workflow_app_state_parse(stt ? stt : "", "state",
                                              &out->app_state, err)))
            goto out;
        out->certificate_id = sc_db_col_int(s, 14);
        snprintf(out->purpose, sizeof out->purpose, "%s",
                 sc_workflow_app_kind_name(out->app_kind));
    } else {
        snprintf(out->purpose, sizeof out->purpose, "%s", out->kind);
    }
out:
    sc_db_done(s);
    return rc;
}

enum sc_workflow_app_state sc_store_audit_flow_state(
    const struct sc_store_audit *a)
{
    if (a->of_application)
        return a->app_state;
    switch (a->state) {
    case SC_AUDIT_STATE_PLANNED: return SC_APP_STATE_AUDIT_PLANNED;
    case SC_AUDIT_STATE_CONFIRMED: return SC_APP_STATE_AUDIT_CONFIRMED;
    case SC_AUDIT_STATE_IN_AUDIT: return SC_APP_STATE_IN_AUDIT;
    case SC_AUDIT_STATE_REPORTED: return SC_APP_STATE_AUDIT_REPORTED;
    default: return SC_APP_STATE_CERTIFIED; /* decided: final */
    }
}

enum sc_err sc_store_audit_team(struct sc_store *st, int64_t audit_id,
                                int64_t ids[SC_AUDIT_TEAM_MAX],
                                bool leads[SC_AUDIT_TEAM_MAX], size_t *n,
                                struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_TEAM, &s, err);
    *n = 0;
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, audit_id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        if (*n == SC_AUDIT_TEAM_MAX) {
            rc = sc_error_set(err, SC_ERR_INTERNAL, "team",
                              "more than %d people on audit %lld",
                              SC_AUDIT_TEAM_MAX, (long long)audit_id);
            break;
        }
        ids[*n] = sc_db_col_int(s, 0);
        leads[*n] = sc_db_col_int(s, 1) != 0;
        (*n)++;
    }
    sc_db_done(s);
    return rc;
}

enum sc_err sc_store_audit_on_team(struct sc_store *st, int64_t audit_id,
                                   int64_t user, bool *on, bool *lead,
                                   struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_ON_TEAM, &s, err);
    *on = false;
    if (lead)
        *lead = false;
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, audit_id);
    sc_db_bind_int(s, 2, user);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && row) {
        *on = true;
        if (lead)
            *lead = sc_db_col_int(s, 0) != 0;
    }
    sc_db_done(s);
    return rc;
}

enum sc_err sc_store_audit_allowed(struct sc_store *st,
                                   const struct sc_actor *actor,
                                   const struct sc_store_audit *a,
                                   const char *action, struct sc_error *err)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    bool owns = false;
    enum sc_err rc = sc_policy_scope_for(action, actor->role, &scope, err);
    if (rc != SC_OK)
        return rc;
    if (scope == SC_POLICY_SCOPE_OWN_ORG)
        owns = sc_actor_owns(actor, a->organisation_id);
    else if (scope == SC_POLICY_SCOPE_AUDIT_TEAM &&
             (rc = sc_store_audit_on_team(st, a->id, actor->user_id, &owns,
                                          NULL, err)) != SC_OK)
        return rc;
    return sc_policy_check(action, actor->role, owns, err);
}

/* An enterprise user acting on another organisation's audit. */
static enum sc_err own_org(const struct sc_actor *actor, int64_t org,
                           struct sc_error *err)
{
    if (actor->role == SC_ROLE_ENTERPRISE && !sc_actor_owns(actor, org))
        return sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                            "this belongs to another organisation");
    return SC_OK;
}

static enum sc_err load_scheme(struct sc_store *st, const char *id,
                               const char *version, struct sc_scheme **out,
                               struct sc_error *err)
{
    *out = malloc(sizeof **out);
    if (!*out)
        return nomem(err);
    return sc_store_scheme_get(st, id, version, *out, err);
}

/* ---- plan and confirm ------------------------------------------------- */

/* What an audit is of: the organisation, the certificate (if any) and
 * whether the pending surveillance window bounds the dates. */
struct target {
    int64_t org;
    const struct sc_store_cert *cert; /* NULL: none */
    bool window;                      /* a surveillance of an active cert */
};

/* Dates of a plan (or agreed at confirmation). */
static enum sc_err check_dates(struct sc_store *st, const struct sc_clock *clk,
                               const struct sc_scheme *sch,
                               const struct target *t, sc_day from, sc_day to,
                               struct sc_error *err)
{
    char a[SC_DATE_BUF], b[SC_DATE_BUF];
    (void)st;
    if (from < clk->today) {
        sc_date_format(clk->today, a);
        return sc_error_set(err, SC_ERR_INVALID, "from",
                            "the audit cannot start in the past (today is "
                            "%s)",
                            a);
    }
    if (to < from)
        return sc_error_set(err, SC_ERR_INVALID, "to",
                            "the last on-site day is before the first");
    if ((int64_t)to - from + 1 > SC_AUDIT_DAYS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "to",
                            "an audit lasts at most %d days",
                            SC_AUDIT_DAYS_MAX);
    if (t->cert && to > t->cert->expires) {
        sc_date_format(t->cert->expires, a);
        return sc_error_set(err, SC_ERR_INVALID, "to",
                            "certificate %s expires on %s, before the last "
                            "on-site day",
                            t->cert->number, a);
    }
    if (t->window) {
        struct sc_timeline_window w;
        bool exists = false;
        enum sc_err rc = sc_timeline_window(sch, t->cert->anchor,
                                            t->cert->expires,
                                            t->cert->surveillance_n + 1, &w,
                                            &exists, err);
        if (rc != SC_OK)
            return rc;
        if (!exists)
            return sc_error_set(err, SC_ERR_PRECONDITION, "certificate",
                                "certificate %s has no further surveillance "
                                "in this cycle: the recertification audit "
                                "takes its place",
                                t->cert->number);
        if (to < w.opens || to > w.closes) {
            sc_date_format(w.opens, a);
            sc_date_format(w.closes, b);
            return sc_error_set(err, SC_ERR_INVALID, "to",
                                "the last on-site day must lie inside "
                                "surveillance window %d (%s .. %s)",
                                w.n, a, b);
        }
    }
    return SC_OK;
}

/* Qualifications, team rules and impartiality for `members` over
 * [from, to]. */
static enum sc_err check_team(struct sc_store *st, const struct sc_scheme *sch,
                              int64_t org,
                              struct sc_impartiality_member *members, size_t n,
                              sc_day from, sc_day to, struct sc_error *err)
{
    struct sc_impartiality_link *links = NULL;
    size_t n_links = 0;
    char field[SC_ERROR_FIELD_MAX];
    enum sc_err rc = SC_OK;
    /* The team's shape first (leads, repeats), with qualifications taken
     * as unbounded, so that it is not reported as a qualification gap. */
    for (size_t i = 0; i < n; i++) {
        members[i].qualified_from = SC_DAY_MIN;
        members[i].qualified_to = SC_DAY_MAX;
    }
    if ((rc = sc_impartiality_check_team(members, n, from, to, err)) != SC_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        struct sc_impartiality_member m;
        rc = sc_store_qualification_member(st, members[i].person,
                                           members[i].lead, from, to, &m, err);
        if (rc != SC_OK) {
            snprintf(field, sizeof field, "team[%zu].qualification", i);
            if (err)
                snprintf(err->field, sizeof err->field, "%s", field);
            return rc;
        }
        members[i].qualified_from = m.qualified_from;
        members[i].qualified_to = m.qualified_to;
    }
    if ((rc = sc_impartiality_check_team(members, n, from, to, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_link_load(st, 0, org, &links, &n_links, err)) != SC_OK)
        return rc;
    rc = sc_impartiality_check_team_links(org, members, n, from,
                                          sch->impartiality_months, links,
                                          n_links, err);
    free(links);
    return rc;
}

static enum sc_err load_app(struct sc_store *st, int64_t id,
                            struct sc_store_audit *a, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_APP, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "application",
                          "no application with id %lld", (long long)id);
    if (rc == SC_OK) {
        const char *k = sc_db_col_text(s, 1), *stt = sc_db_col_text(s, 2);
        a->application_id = id;
        a->of_application = true;
        a->organisation_id = sc_db_col_int(s, 0);
        a->certificate_id = sc_db_col_int(s, 3);
        if ((rc = sc_workflow_app_kind_parse(k ? k : "", "kind", &a->app_kind,
                                             err)) == SC_OK &&
            (rc = sc_workflow_app_state_parse(stt ? stt : "", "state",
                                              &a->app_state, err)) == SC_OK &&
            (rc = copy_text(sc_db_col_text(s, 4), a->scheme_id,
                            sizeof a->scheme_id, "scheme_id", err)) == SC_OK)
            rc = copy_text(sc_db_col_text(s, 5), a->scheme_version,
                           sizeof a->scheme_version, "scheme_version", err);
    }
    sc_db_done(s);
    return rc;
}

/* Resolves the plan's people: each an active auditor. */
static enum sc_err resolve_team(struct sc_store *st,
                                const struct sc_audit_plan_input *in,
                                struct sc_impartiality_member *members,
                                json_t *logins, struct sc_error *err)
{
    if (in->n_team < 1 || in->n_team > SC_AUDIT_TEAM_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "team",
                            "a team has 1 to %d people, one of them the lead",
                            SC_AUDIT_TEAM_MAX);
    for (size_t i = 0; i < in->n_team; i++) {
        struct sc_stmt *s = NULL;
        bool row = false;
        char field[SC_ERROR_FIELD_MAX];
        const char *login = in->team[i].login ? in->team[i].login : "";
        enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_USER, &s, err);
        if (rc != SC_OK)
            return rc;
        sc_db_bind_text(s, 1, login);
        rc = sc_db_step(s, &row, err);
        snprintf(field, sizeof field, "team[%zu].login", i);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_NOT_FOUND, field,
                              "no user \"%.64s\"", login);
        if (rc == SC_OK) {
            const char *role = sc_db_col_text(s, 1);
            snprintf(field, sizeof field, "team[%zu].person", i);
            if (!role || strcmp(role, "auditor") != 0)
                rc = sc_error_set(err, SC_ERR_INVALID, field,
                                  "%.64s is not an auditor", login);
            else if (sc_db_col_int(s, 2) == 0)
                rc = sc_error_set(err, SC_ERR_INVALID, field,
                                  "%.64s is not an active user", login);
            memset(&members[i], 0, sizeof members[i]);
            members[i].person = sc_db_col_int(s, 0);
            members[i].lead = in->team[i].lead;
        }
        sc_db_done(s);
        if (rc != SC_OK)
            return rc;
        if (json_array_append_new(logins,
                                  json_pack("{s:s, s:b}", "login", login,
                                            "lead", in->team[i].lead)) != 0)
            return nomem(err);
    }
    return SC_OK;
}

enum sc_err sc_store_audit_plan(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor,
                                const struct sc_audit_plan_input *in,
                                int64_t *audit_id, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_store_audit a;
    struct sc_store_cert *cert = NULL;
    struct sc_scheme *sch = NULL;
    struct sc_impartiality_member members[SC_AUDIT_TEAM_MAX];
    struct sc_mandays md;
    struct target t = {0, NULL, false};
    json_t *logins = json_array(), *detail = NULL;
    enum sc_audit_type type = SC_AUDIT_SURVEILLANCE;
    enum sc_workflow_app_state flow, to_state;
    struct sc_stmt *s = NULL;
    int64_t open_id = 0, id = 0, employees = 0, outlets = 0;
    bool own = false;
    enum sc_err rc;

    memset(&a, 0, sizeof a);
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK) {
        json_decref(logins);
        return rc;
    }
    if (!logins) {
        rc = nomem(err);
        goto out;
    }
    if ((in->application_id != 0) == (in->certificate != NULL)) {
        rc = sc_error_set(err, SC_ERR_USAGE, "application",
                          "name either an application or a certificate");
        goto out;
    }
    if (in->application_id) {
        if ((rc = load_app(st, in->application_id, &a, err)) != SC_OK ||
            (rc = own_org(actor, a.organisation_id, err)) != SC_OK)
            goto out;
        flow = a.app_state;
        switch (a.app_kind) {
        case SC_APP_KIND_INITIAL:
            type = SC_AUDIT_INITIAL;
            snprintf(a.kind, sizeof a.kind, "initial");
            break;
        case SC_APP_KIND_RECERTIFICATION:
        case SC_APP_KIND_UPGRADE:
            type = SC_AUDIT_RECERTIFICATION;
            snprintf(a.kind, sizeof a.kind, "recertification");
            break;
        default:
            type = SC_AUDIT_SURVEILLANCE;
            snprintf(a.kind, sizeof a.kind, "surveillance");
            break;
        }
        t.org = a.organisation_id;
    } else {
        cert = malloc(sizeof *cert);
        if (!cert) {
            rc = nomem(err);
            goto out;
        }
        if ((rc = sc_store_certificate_find(st, in->certificate, cert, err)) !=
                SC_OK ||
            (rc = own_org(actor, cert->organisation_id, err)) != SC_OK)
            goto out;
        a.certificate_id = cert->id;
        a.organisation_id = cert->organisation_id;
        snprintf(a.scheme_id, sizeof a.scheme_id, "%s", cert->scheme_id);
        snprintf(a.scheme_version, sizeof a.scheme_version, "%s",
                 cert->scheme_version);
        t.org = cert->organisation_id;
        t.cert = cert;
        /* A certificate audit stands where an application is ready for
         * one; a certificate in no state for an audit stands nowhere. */
        flow = SC_APP_STATE_DOCUMENTS_APPROVED;
    }
    if ((rc = sc_workflow_app_step(flow, SC_APP_ACTION_PLAN_AUDIT, actor->role,
                                   SC_PRE_ALL, SC_OUTCOME_NONE, &to_state,
                                   err)) != SC_OK)
        goto out;
    if (in->application_id && in->kind) {
        rc = sc_error_set(err, SC_ERR_INVALID, "kind",
                          "an application's audit kind follows the "
                          "application");
        goto out;
    }
    if (cert) {
        const char *kind = in->kind;
        if (!kind)
            kind = cert->state == SC_CERT_STATE_SUSPENDED ? "restore"
                                                          : "surveillance";
        if (strcmp(kind, "surveillance") != 0 && strcmp(kind, "restore") != 0) {
            rc = sc_error_set(err, SC_ERR_INVALID, "kind",
                              "a certificate's audit is a surveillance or a "
                              "restore");
            goto out;
        }
        if (cert->state == SC_CERT_STATE_ACTIVE && strcmp(kind, "restore") == 0) {
            rc = sc_error_set(err, SC_ERR_STATE, "certificate",
                              "certificate %s is active: nothing to restore",
                              cert->number);
            goto out;
        }
        if (cert->state != SC_CERT_STATE_ACTIVE &&
            cert->state != SC_CERT_STATE_SUSPENDED) {
            rc = sc_error_set(err, SC_ERR_STATE, "certificate",
                              "certificate %s is %s: no audit can be planned",
                              cert->number,
                              sc_workflow_cert_state_name(cert->state));
            goto out;
        }
        snprintf(a.kind, sizeof a.kind, "%s", kind);
        t.window = cert->state == SC_CERT_STATE_ACTIVE;
        if ((rc = query_int(st, SQL_OPEN_CERT_AUDIT, cert->id, NULL, &open_id,
                            err)) != SC_OK)
            goto out;
    } else if ((rc = query_int(st, SQL_OPEN_APP_AUDIT, a.application_id, NULL,
                               &open_id, err)) != SC_OK) {
        goto out;
    }
    if (open_id) {
        rc = sc_error_set(err, SC_ERR_CONFLICT,
                          cert ? "certificate" : "application",
                          "audit %lld is still open", (long long)open_id);
        goto out;
    }
    if ((rc = load_scheme(st, a.scheme_id, a.scheme_version, &sch, err)) !=
            SC_OK ||
        (rc = check_dates(st, clk, sch, &t, in->from, in->to, err)) != SC_OK ||
        (rc = resolve_team(st, in, members, logins, err)) != SC_OK ||
        (rc = check_team(st, sch, t.org, members, in->n_team, in->from, in->to,
                         err)) != SC_OK)
        goto out;
    if ((rc = check_text(in->justification, "reason", false, err)) != SC_OK ||
        (rc = query_int(st, SQL_EMPLOYEES, t.org, NULL, &employees, err)) !=
            SC_OK)
        goto out;
    outlets = in->outlets;
    if (outlets < 0 &&
        (rc = sc_store_outlet_count(st, t.org, &outlets, err)) != SC_OK)
        goto out;
    struct sc_mandays_request req = {type, employees, outlets,
                                     in->reduce_percent,
                                     !sc_text_blank(in->justification)};
    if ((rc = sc_mandays_compute(sch, &req, &md, err)) != SC_OK)
        goto out;
    if ((rc = sc_workflow_app_step(flow, SC_APP_ACTION_PLAN_AUDIT, actor->role,
                                   SC_PRE_BIT(SC_PRE_TEAM_ASSIGNED) |
                                       SC_PRE_BIT(SC_PRE_MANDAYS_PLANNED),
                                   SC_OUTCOME_NONE, &to_state, err)) != SC_OK)
        goto out;

    if ((rc = sc_db_prepare(db, SQL_INSERT_AUDIT, &s, err)) != SC_OK)
        goto out;
    if (a.application_id)
        sc_db_bind_int(s, 1, a.application_id);
    else
        sc_db_bind_null(s, 1);
    if (cert)
        sc_db_bind_int(s, 2, cert->id);
    else
        sc_db_bind_null(s, 2);
    sc_db_bind_text(s, 3, a.kind);
    sc_db_bind_text(s, 4, a.scheme_id);
    sc_db_bind_text(s, 5, a.scheme_version);
    bind_day(s, 6, in->from);
    bind_day(s, 7, in->to);
    sc_db_bind_int(s, 8, md.total_halves);
    sc_db_bind_int(s, 9, in->reduce_percent);
    sc_db_bind_text(s, 10, sc_text_blank(in->justification) ? NULL : in->justification);
    sc_db_bind_int(s, 11, employees);
    sc_db_bind_int(s, 12, outlets);
    bind_day(s, 13, clk->today);
    if ((rc = sc_db_finish(s, err)) != SC_OK ||
        (rc = query_int(st, SQL_LAST_AUDIT, 0, NULL, &id, err)) != SC_OK)
        goto out;
    for (size_t i = 0; i < in->n_team; i++) {
        if ((rc = sc_db_prepare(db, SQL_INSERT_MEMBER, &s, err)) != SC_OK)
            goto out;
        sc_db_bind_int(s, 1, id);
        sc_db_bind_int(s, 2, members[i].person);
        sc_db_bind_int(s, 3, members[i].lead ? 1 : 0);
        if ((rc = sc_db_finish(s, err)) != SC_OK)
            goto out;
    }
    if (a.application_id &&
        (rc = sc_db_exec_id(sc_store_db(st), SQL_APP_STATE, a.application_id,
                            sc_workflow_app_state_name(to_state), err)) !=
            SC_OK)
        goto out;
    detail = json_pack(
        "{s:I, s:o, s:o, s:s, s:s, s:o, s:o, s:O, s:{s:o, s:i, s:s?, s:I, "
        "s:I}, s:o}",
        "audit", (json_int_t)id, "application",
        a.application_id ? json_integer(a.application_id) : json_null(),
        "certificate", cert ? json_string(cert->number) : json_null(), "kind",
        a.kind, "purpose", a.application_id ? a.purpose : a.kind, "from",
        day_json(in->from), "to", day_json(in->to), "team", logins, "mandays",
        "total", halves_json(md.total_halves), "reduction_percent",
        in->reduce_percent, "justification",
        sc_text_blank(in->justification) ? NULL : in->justification, "employees",
        (json_int_t)employees, "outlets", (json_int_t)outlets,
        "application_state",
        a.application_id
            ? json_pack("{s:s, s:s}", "before",
                        sc_workflow_app_state_name(flow), "after",
                        sc_workflow_app_state_name(to_state))
            : json_null());
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    if ((rc = sc_events_append(st, clk, actor->user_id, "audit.plan", "audit",
                               id, detail, err)) != SC_OK)
        goto out;
    if (audit_id)
        *audit_id = id;
out:
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(detail);
    json_decref(logins);
    free(cert);
    free(sch);
    return rc;
}

/* The audit's target as plan saw it, for re-checking agreed dates. */
static enum sc_err audit_target(struct sc_store *st,
                                const struct sc_store_audit *a,
                                struct sc_store_cert **cert, struct target *t,
                                struct sc_error *err)
{
    t->org = a->organisation_id;
    t->cert = NULL;
    t->window = false;
    *cert = NULL;
    if (a->of_application)
        return SC_OK;
    *cert = malloc(sizeof **cert);
    if (!*cert)
        return nomem(err);
    enum sc_err rc = sc_store_certificate_get(st, a->certificate_id, *cert, err);
    if (rc == SC_OK) {
        t->cert = *cert;
        t->window = (*cert)->state == SC_CERT_STATE_ACTIVE;
    }
    return rc;
}

enum sc_err sc_store_audit_confirm(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t audit_id,
                                   const struct sc_audit_arrangements *in,
                                   struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_store_audit a;
    struct sc_store_cert *cert = NULL;
    struct sc_scheme *sch = NULL;
    struct sc_impartiality_member members[SC_AUDIT_TEAM_MAX];
    int64_t ids[SC_AUDIT_TEAM_MAX];
    bool leads[SC_AUDIT_TEAM_MAX];
    size_t n = 0;
    struct target t;
    json_t *arr = NULL, *detail = NULL;
    char *arr_text = NULL, *evidence = NULL;
    enum sc_workflow_app_state flow, to_state;
    struct sc_stmt *s = NULL;
    bool own = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_audit_get(st, audit_id, &a, err)) != SC_OK ||
        (rc = own_org(actor, a.organisation_id, err)) != SC_OK)
        goto out;
    flow = sc_store_audit_flow_state(&a);
    if ((rc = sc_workflow_app_step(flow, SC_APP_ACTION_CONFIRM_ARRANGEMENTS,
                                   actor->role, SC_PRE_ALL, SC_OUTCOME_NONE,
                                   &to_state, err)) != SC_OK)
        goto out;
    uint32_t holds = 0;
    if (!sc_text_blank(in->people) && !sc_text_blank(in->transport) && !sc_text_blank(in->office) &&
        in->has_dates)
        holds |= SC_PRE_BIT(SC_PRE_ARRANGEMENTS_RECORDED);
    if ((rc = sc_workflow_app_step(flow, SC_APP_ACTION_CONFIRM_ARRANGEMENTS,
                                   actor->role, holds, SC_OUTCOME_NONE,
                                   &to_state, err)) != SC_OK)
        goto out;
    if ((rc = check_text(in->people, "people", true, err)) != SC_OK ||
        (rc = check_text(in->transport, "transport", true, err)) != SC_OK ||
        (rc = check_text(in->office, "office", true, err)) != SC_OK)
        goto out;
    if (in->from != a.from || in->to != a.to) {
        if ((rc = load_scheme(st, a.scheme_id, a.scheme_version, &sch, err)) !=
                SC_OK ||
            (rc = audit_target(st, &a, &cert, &t, err)) != SC_OK ||
            (rc = check_dates(st, clk, sch, &t, in->from, in->to, err)) !=
                SC_OK ||
            (rc = sc_store_audit_team(st, a.id, ids, leads, &n, err)) != SC_OK)
            goto out;
        for (size_t i = 0; i < n; i++) {
            memset(&members[i], 0, sizeof members[i]);
            members[i].person = ids[i];
            members[i].lead = leads[i];
        }
        if ((rc = check_team(st, sch, t.org, members, n, in->from, in->to,
                             err)) != SC_OK)
            goto out;
    } else if (in->from < clk->today) {
        rc = sc_error_set(err, SC_ERR_INVALID, "from",
                          "the agreed first on-site day has passed: agree "
                          "new dates");
        goto out;
    }
    arr = json_pack("{s:s, s:s, s:s, s:o, s:o}", "people", in->people,
                    "transport", in->transport, "office_space", in->office,
                    "from", day_json(in->from), "to", day_json(in->to));
    arr_text = arr ? json_dumps(arr, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    if (!arr_text) {
        rc = nomem(err);
        goto out;
    }
    if ((rc = sc_db_prepare(db, SQL_CONFIRM, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, a.id);
    sc_db_bind_text(s, 2, arr_text);
    bind_day(s, 3, in->from);
    bind_day(s, 4, in->to);
    bind_day(s, 5, clk->today);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    if (a.of_application) {
        char from[SC_DATE_BUF], to[SC_DATE_BUF];
        size_t cap = strlen(in->people) + strlen(in->transport) +
                     strlen(in->office) + 128;
        evidence = malloc(cap);
        if (!evidence) {
            rc = nomem(err);
            goto out;
        }
        sc_date_format(in->from, from);
        sc_date_format(in->to, to);
        snprintf(evidence, cap,
                 "people: %s; transport: %s; office space: %s; audit dates "
                 "%s .. %s confirmed",
                 in->people, in->transport, in->office, from, to);
        if ((rc = sc_db_exec_id(
                 sc_store_db(st), SQL_APP_STATE, a.application_id,
                 sc_workflow_app_state_name(to_state), err)) != SC_OK ||
            (rc = sc_db_exec_id(sc_store_db(st), SQL_PREPARATION_5,
                                a.application_id, evidence, err)) != SC_OK)
            goto out;
    }
    detail = json_pack("{s:I, s:O, s:{s:o, s:o}, s:o}", "audit",
                       (json_int_t)a.id, "arrangements", arr, "planned", "from",
                       day_json(a.from), "to", day_json(a.to),
                       "application_state",
                       a.of_application
                           ? json_pack("{s:s, s:s}", "before",
                                       sc_workflow_app_state_name(flow),
                                       "after",
                                       sc_workflow_app_state_name(to_state))
                           : json_null());
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "audit.confirm", "audit",
                          a.id, detail, err);
out:
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(arr);
    json_decref(detail);
    free(arr_text);
    free(evidence);
    free(cert);
    free(sch);
    return rc;
}

enum sc_err sc_store_audit_start(struct sc_store *st, const struct sc_clock *clk,
                                 const struct sc_actor *actor, int64_t audit_id,
                                 struct sc_error *err)
{
    struct sc_store_audit a;
    enum sc_workflow_app_state flow, to_state;
    json_t *detail = NULL;
    struct sc_stmt *s = NULL;
    bool own = false, on = false, lead = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_audit_get(st, audit_id, &a, err)) != SC_OK ||
        (rc = own_org(actor, a.organisation_id, err)) != SC_OK)
        goto out;
    flow = sc_store_audit_flow_state(&a);
    if ((rc = sc_workflow_app_step(flow, SC_APP_ACTION_START_AUDIT, actor->role,
                                   SC_PRE_ALL, SC_OUTCOME_NONE, &to_state,
                                   err)) != SC_OK ||
        (rc = sc_store_audit_on_team(st, a.id, actor->user_id, &on, &lead,
                                     err)) != SC_OK)
        goto out;
    if ((rc = sc_workflow_app_step(
             flow, SC_APP_ACTION_START_AUDIT, actor->role,
             on && lead ? SC_PRE_BIT(SC_PRE_LEAD_AUDITOR) : 0, SC_OUTCOME_NONE,
             &to_state, err)) != SC_OK)
        goto out;
    if (clk->today < a.from || clk->today > a.to) {
        char f[SC_DATE_BUF], t[SC_DATE_BUF];
        sc_date_format(a.from, f);
        sc_date_format(a.to, t);
        rc = sc_error_set(err, SC_ERR_INVALID, "today",
                          "the audit is on site from %s to %s: it starts on "
                          "one of those days",
                          f, t);
        goto out;
    }
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_START, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, a.id);
    bind_day(s, 2, clk->today);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    if (a.of_application &&
        (rc = sc_db_exec_id(sc_store_db(st), SQL_APP_STATE, a.application_id,
                            sc_workflow_app_state_name(to_state), err)) !=
            SC_OK)
        goto out;
    /* a started surveillance or recertification audit meets the pending
     * window (the daily clock's plan of the certificate) */
    if (a.certificate_id &&
        (rc = sc_store_tick_refresh(st, a.certificate_id, err)) != SC_OK)
        goto out;
    detail = json_pack("{s:I, s:o, s:{s:s, s:s}}", "audit", (json_int_t)a.id,
                       "on", day_json(clk->today), "state", "before",
                       "confirmed", "after", "in_audit");
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "audit.start", "audit",
                          a.id, detail, err);
out:
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(detail);
    return rc;
}

/* ---- during the audit ------------------------------------------------- */

static enum sc_err need_in_audit(const struct sc_store_audit *a,
                                 const char *what, struct sc_error *err)
{
    if (a->state == SC_AUDIT_STATE_IN_AUDIT)
        return SC_OK;
    return sc_error_set(err, SC_ERR_STATE, "state",
                        "%s is recorded while the audit is in_audit; audit "
                        "%lld is %s",
                        what, (long long)a->id, sc_audit_state_name(a->state));
}

static json_t *result_json(struct sc_stmt *s, int first)
{
    json_t *o = json_pack("{s:o}", "result", col_json(s, first));
    if (!o)
        return NULL;
    if (!sc_db_col_is_null(s, first + 1)) {
        json_object_set_new(o, "samples",
                            json_integer(sc_db_col_int(s, first + 1)));
        json_object_set_new(o, "nonconforming",
                            json_integer(sc_db_col_int(s, first + 2)));
    }
    if (!sc_db_col_is_null(s, first + 3))
        json_object_set_new(o, "reason", col_json(s, first + 3));
    return o;
}

enum sc_err sc_store_audit_result(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor,
                                  int64_t audit_id,
                                  const struct sc_audit_result_input *in,
                                  struct sc_error *err)
{
    struct sc_store_audit a;
    struct sc_scheme *sch = NULL;
    enum sc_score_kind kind;
    json_t *before = NULL, *after = NULL, *detail = NULL;
    struct sc_stmt *s = NULL;
    bool own = false, row = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_audit_get(st, audit_id, &a, err)) != SC_OK ||
        (rc = own_org(actor, a.organisation_id, err)) != SC_OK ||
        (rc = sc_store_audit_allowed(st, actor, &a, "audit.result", err)) !=
            SC_OK ||
        (rc = need_in_audit(&a, "a result", err)) != SC_OK ||
        (rc = load_scheme(st, a.scheme_id, a.scheme_version, &sch, err)) !=
            SC_OK)
        goto out;
    if (!in->indicator || sc_scheme_indicator_index(sch, in->indicator) < 0) {
        rc = sc_error_set(err, SC_ERR_INVALID, "indicator",
                          "\"%.20s\" is not an indicator of scheme %s",
                          in->indicator ? in->indicator : "", sch->id);
        goto out;
    }
    if (!in->result || !sc_score_kind_parse(in->result, &kind)) {
        rc = sc_error_set(err, SC_ERR_INVALID, "result",
                          "a result is conform, nonconform, sampled or "
                          "excluded");
        goto out;
    }
    if (kind == SC_SCORE_SAMPLED) {
        if (!in->has_samples) {
            rc = sc_error_set(err, SC_ERR_INVALID, "samples",
                              "a sampled result needs --samples and "
                              "--nonconforming");
            goto out;
        }
        if (in->samples < 1 || in->samples > SC_SCORE_SAMPLES_MAX) {
            rc = sc_error_set(err, SC_ERR_INVALID, "samples",
                              "samples must be 1..%d", SC_SCORE_SAMPLES_MAX);
            goto out;
        }
        if (in->nonconforming < 0 || in->nonconforming > in->samples) {
            rc = sc_error_set(err, SC_ERR_INVALID, "nonconforming",
                              "nonconforming must be 0..%lld (the samples)",
                              in->samples);
            goto out;
        }
    } else if (in->has_samples) {
        rc = sc_error_set(err, SC_ERR_INVALID, "samples",
                          "samples are given only with a sampled result");
        goto out;
    }
    if ((rc = check_text(in->reason, "reason", kind == SC_SCORE_EXCLUDED,
                         err)) != SC_OK)
        goto out;
    if (in->reason && sc_text_blank(in->reason)) {
        rc = sc_error_set(err, SC_ERR_INVALID, "reason",
                          "a reason must not be blank");
        goto out;
    }
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_RESULT_GET, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, a.id);
    sc_db_bind_text(s, 2, in->indicator);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK)
        before = row ? result_json(s, 0) : json_null();
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_RESULT_PUT, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, a.id);
    sc_db_bind_text(s, 2, in->indicator);
    sc_db_bind_text(s, 3, in->result);
    if (kind == SC_SCORE_SAMPLED) {
        sc_db_bind_int(s, 4, in->samples);
        sc_db_bind_int(s, 5, in->nonconforming);
    } else {
        sc_db_bind_null(s, 4);
        sc_db_bind_null(s, 5);
    }
    sc_db_bind_text(s, 6, in->reason);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    after = json_pack("{s:s}", "result", in->result);
    if (after && kind == SC_SCORE_SAMPLED) {
        json_object_set_new(after, "samples", json_integer(in->samples));
        json_object_set_new(after, "nonconforming",
                            json_integer(in->nonconforming));
    }
    if (after && in->reason)
        json_object_set_new(after, "reason", json_string(in->reason));
    detail = before && after ? json_pack("{s:I, s:s, s:O, s:O}", "audit",
                                         (json_int_t)a.id, "indicator",
                                         in->indicator, "before", before,
                                         "after", after)
                             : NULL;
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "audit.result", "audit",
                          a.id, detail, err);
out:
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(before);
    json_decref(after);
    json_decref(detail);
    free(sch);
    return rc;
}

enum sc_err sc_store_audit_special(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t audit_id, bool bonus,
                                   const char *reason, int64_t *item_id,
                                   struct sc_error *err)
{
    struct sc_store_audit a;
    json_t *detail = NULL;
    struct sc_stmt *s = NULL;
    const char *kind = bonus ? "bonus" : "deduction";
    int64_t count = 0, id = 0;
    bool own = false, on = false, lead = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_audit_get(st, audit_id, &a, err)) != SC_OK ||
        (rc = own_org(actor, a.organisation_id, err)) != SC_OK ||
        (rc = sc_store_audit_allowed(st, actor, &a, "audit.special", err)) !=
            SC_OK ||
        (rc = sc_store_audit_on_team(st, a.id, actor->user_id, &on, &lead,
                                     err)) != SC_OK)
        goto out;
    if (!lead) {
        rc = sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                          "special bonus and deduction items are recorded by "
                          "the lead auditor");
        goto out;
    }
    if ((rc = need_in_audit(&a, "a special item", err)) != SC_OK ||
        (rc = check_text(reason, "reason", true, err)) != SC_OK ||
        (rc = query_int(st, SQL_SPECIAL_COUNT, a.id, kind, &count, err)) !=
            SC_OK)
        goto out;
    if (count >= SC_SCORE_ITEMS_MAX) {
        rc = sc_error_set(err, SC_ERR_INVALID, bonus ? "bonus" : "deduction",
                          "at most %d %s items", SC_SCORE_ITEMS_MAX, kind);
        goto out;
    }
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_SPECIAL_PUT, &s, err)) !=
        SC_OK)
        goto out;
    sc_db_bind_int(s, 1, a.id);
    sc_db_bind_text(s, 2, kind);
    sc_db_bind_text(s, 3, reason);
    if ((rc = sc_db_finish(s, err)) != SC_OK ||
        (rc = query_int(st, SQL_SPECIAL_LAST, a.id, NULL, &id, err)) != SC_OK)
        goto out;
    detail = json_pack("{s:I, s:I, s:s, s:s}", "audit", (json_int_t)a.id,
                       "item", (json_int_t)id, "kind", kind, "reason", reason);
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "audit.special", "audit",
                          a.id, detail, err);
    if (rc == SC_OK && item_id)
        *item_id = id;
out:
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(detail);
    return rc;
}

enum sc_err sc_store_audit_finding(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t audit_id, const char *severity,
                                   const char *indicator, const char *text,
                                   int64_t *finding_id, struct sc_error *err)
{
    struct sc_store_audit a;
    struct sc_scheme *sch = NULL;
    json_t *detail = NULL;
    struct sc_stmt *s = NULL;
    int64_t count = 0, id = 0;
    bool own = false, on = false;
    enum sc_err rc;

    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_audit_get(st, audit_id, &a, err)) != SC_OK ||
        (rc = own_org(actor, a.organisation_id, err)) != SC_OK ||
        (rc = sc_store_audit_allowed(st, actor, &a, "finding.add", err)) !=
            SC_OK ||
        (rc = sc_store_audit_on_team(st, a.id, actor->user_id, &on, NULL,
                                     err)) != SC_OK)
        goto out;
    if (!on) {
        rc = sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                          "audit findings are raised by the audit's team");
        goto out;
    }
    if ((rc = need_in_audit(&a, "a finding", err)) != SC_OK)
        goto out;
    if (!severity || (strcmp(severity, "minor") != 0 &&
                      strcmp(severity, "major") != 0)) {
        rc = sc_error_set(err, SC_ERR_INVALID, "severity",
                          "a finding's severity is minor or major");
        goto out;
    }
    if ((rc = load_scheme(st, a.scheme_id, a.scheme_version, &sch, err)) !=
        SC_OK)
        goto out;
    if (indicator && sc_scheme_indicator_index(sch, indicator) < 0) {
        rc = sc_error_set(err, SC_ERR_INVALID, "indicator",
                          "\"%.20s\" is not an indicator of scheme %s",
                          indicator, sch->id);
        goto out;
    }
    if ((rc = check_text(text, "text", true, err)) != SC_OK ||
        (rc = query_int(st, SQL_FINDING_COUNT, a.id, NULL, &count, err)) !=
            SC_OK)
        goto out;
    if (count >= SC_AUDIT_FINDINGS_MAX) {
        rc = sc_error_set(err, SC_ERR_INVALID, "text",
                          "at most %d findings per audit",
                          SC_AUDIT_FINDINGS_MAX);
        goto out;
    }
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_FINDING_PUT, &s, err)) !=
        SC_OK)
        goto out;
    if (a.of_application)
        sc_db_bind_int(s, 1, a.application_id);
    else
        sc_db_bind_null(s, 1);
    sc_db_bind_int(s, 2, a.id);
    sc_db_bind_text(s, 3, severity);
    sc_db_bind_text(s, 4, indicator);
    sc_db_bind_text(s, 5, text);
    sc_db_bind_int(s, 6, actor->user_id);
    bind_day(s, 7, clk->today);
    if ((rc = sc_db_finish(s, err)) != SC_OK ||
        (rc = query_int(st, SQL_FINDING_LAST, a.id, NULL, &id, err)) != SC_OK)
        goto out;
    detail = json_pack("{s:I, s:I, s:s, s:s?, s:s, s:s}", "audit",
                       (json_int_t)a.id, "finding", (json_int_t)id, "severity",
                       severity, "indicator", indicator, "text", text, "state",
                       "open");
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "audit.finding", "finding",
                          id, detail, err);
    if (rc == SC_OK && finding_id)
        *finding_id = id;
out:
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(detail);
    free(sch);
    return rc;
}

enum sc_err sc_store_audit_open_findings(struct sc_store *st, int64_t audit_id,
                                         int64_t *n, struct sc_error *err)
{
    return query_int(st, SQL_FINDING_OPEN, audit_id, NULL, n, err);
}

/* ---- report ----------------------------------------------------------- */

/* The sheet's input document from the stored results and special items;
 * *complete is false when an indicator has no result. */
static enum sc_err sheet_input(struct sc_store *st,
                               const struct sc_scheme *sch, int64_t audit_id,
                               json_t **out, bool *complete,
                               struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *results = json_object(), *bonus = json_array(),
           *deductions = json_array();
    enum sc_err rc = results && bonus && deductions ? SC_OK : nomem(err);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_RESULTS, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, audit_id);
        while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
            const char *code = sc_db_col_text(s, 0);
            json_t *r = result_json(s, 1);
            if (!code || !r || json_object_set_new(results, code, r) != 0) {
                rc = nomem(err);
                break;
            }
        }
        sc_db_done(s);
    }
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_SPECIALS, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, audit_id);
        while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
            const char *kind = sc_db_col_text(s, 1);
            json_t *item = json_pack("{s:o}", "reason", col_json(s, 2));
            json_t *list = kind && strcmp(kind, "bonus") == 0 ? bonus
                                                              : deductions;
            if (!item || json_array_append_new(list, item) != 0) {
                rc = nomem(err);
                break;
            }
        }
        sc_db_done(s);
    }
    if (rc == SC_OK) {
        *complete = true;
        for (int i = 0; i < sch->n_indicators; i++)
            if (!json_object_get(results, sch->indicators[i].code))
                *complete = false;
        *out = json_pack("{s:O, s:O, s:O}", "results", results, "bonus", bonus,
                         "special_deductions", deductions);
        if (!*out)
            rc = nomem(err);
    }
    json_decref(results);
    json_decref(bonus);
    json_decref(deductions);
    return rc;
}

enum sc_err sc_store_audit_report(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor,
                                  int64_t audit_id, struct sc_error *err)
{
    struct sc_store_audit a;
    struct sc_scheme *sch = NULL;
    struct sc_score_outcome *oc = malloc(sizeof *oc);
    enum sc_workflow_app_state flow, to_state;
    json_t *input = NULL, *output = NULL, *sheet = NULL, *detail = NULL;
    char *sheet_text = NULL;
    struct sc_stmt *s = NULL;
    bool own = false, on = false, lead = false, complete = false;
    enum sc_err rc;

    if (!oc)
        return nomem(err);
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK) {
        free(oc);
        return rc;
    }
    if ((rc = sc_store_audit_get(st, audit_id, &a, err)) != SC_OK ||
        (rc = own_org(actor, a.organisation_id, err)) != SC_OK)
        goto out;
    flow = sc_store_audit_flow_state(&a);
    if ((rc = sc_workflow_app_step(flow, SC_APP_ACTION_SUBMIT_REPORT,
                                   actor->role, SC_PRE_ALL, SC_OUTCOME_NONE,
                                   &to_state, err)) != SC_OK ||
        (rc = sc_store_audit_on_team(st, a.id, actor->user_id, &on, &lead,
                                     err)) != SC_OK ||
        (rc = load_scheme(st, a.scheme_id, a.scheme_version, &sch, err)) !=
            SC_OK ||
        (rc = sheet_input(st, sch, a.id, &input, &complete, err)) != SC_OK)
        goto out;
    uint32_t holds = 0;
    if (on && lead)
        holds |= SC_PRE_BIT(SC_PRE_LEAD_AUDITOR);
    if (complete)
        holds |= SC_PRE_BIT(SC_PRE_ALL_RESULTS_RECORDED);
    if (on && lead && complete) {
        if ((rc = sc_sheet_compute(sch, input, oc, &output, err)) != SC_OK)
            goto out;
        holds |= SC_PRE_BIT(SC_PRE_CALCULATION_SHEET_STORED);
    }
    if ((rc = sc_workflow_app_step(flow, SC_APP_ACTION_SUBMIT_REPORT,
                                   actor->role, holds, SC_OUTCOME_NONE,
                                   &to_state, err)) != SC_OK)
        goto out;
    if (clk->today < a.to) {
        char t[SC_DATE_BUF];
        sc_date_format(a.to, t);
        rc = sc_error_set(err, SC_ERR_INVALID, "today",
                          "the report follows the last on-site day (%s)", t);
        goto out;
    }
    sheet = json_pack("{s:O, s:O}", "input", input, "output", output);
    sheet_text = sheet ? json_dumps(sheet, JSON_COMPACT | JSON_SORT_KEYS)
                       : NULL;
    if (!sheet_text) {
        rc = nomem(err);
        goto out;
    }
    const char *level = sch->levels[oc->level].code;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_REPORT, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, a.id);
    sc_db_bind_text(s, 2, sheet_text);
    sc_db_bind_int(s, 3, oc->score_tenths);
    sc_db_bind_text(s, 4, level);
    bind_day(s, 5, clk->today);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    if (a.of_application &&
        (rc = sc_db_exec_id(sc_store_db(st), SQL_APP_STATE, a.application_id,
                            sc_workflow_app_state_name(to_state), err)) !=
            SC_OK)
        goto out;
    detail = json_pack("{s:I, s:o, s:s, s:b, s:s, s:s, s:O}", "audit",
                       (json_int_t)a.id, "score",
                       tenths_json(oc->score_tenths), "level", level,
                       "certified", oc->certified, "scheme", sch->id,
                       "scheme_version", sch->version, "sheet", sheet);
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "audit.report", "audit",
                          a.id, detail, err);
out:
    rc = sc_store_tx_end(st, own, rc, err);
    json_decref(input);
    json_decref(output);
    json_decref(sheet);
    json_decref(detail);
    free(sheet_text);
    free(sch);
    free(oc);
    return rc;
}

/* ---- views ------------------------------------------------------------ */

static enum sc_err add_list(struct sc_store *st, json_t *o, const char *key,
                            const char *sql, int64_t id,
                            json_t *(*row_fn)(struct sc_stmt *),
                            struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *list = json_array();
    enum sc_err rc = list ? sc_db_prepare(sc_store_db(st), sql, &s, err)
                          : nomem(err);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    sc_db_bind_int(s, 1, id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        json_t *r = row_fn(s);
        if (!r || json_array_append_new(list, r) != 0) {
            rc = nomem(err);
            break;
        }
    }
    sc_db_done(s);
    if (rc == SC_OK && json_object_set_new(o, key, list) != 0)
        return nomem(err);
    if (rc != SC_OK)
        json_decref(list);
    return rc;
}

static json_t *team_row(struct sc_stmt *s)
{
    return json_pack("{s:o, s:o, s:b}", "login", col_json(s, 0), "name",
                     col_json(s, 1), "lead", sc_db_col_int(s, 2) != 0);
}

static json_t *result_row(struct sc_stmt *s)
{
    json_t *r = result_json(s, 1);
    if (r && json_object_set_new(r, "indicator", col_json(s, 0)) != 0) {
        json_decref(r);
        return NULL;
    }
    return r;
}

static json_t *special_row(struct sc_stmt *s)
{
    return json_pack("{s:I, s:o, s:o}", "id", (json_int_t)sc_db_col_int(s, 0),
                     "kind", col_json(s, 1), "reason", col_json(s, 2));
}

static json_t *finding_row(struct sc_stmt *s)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                     (json_int_t)sc_db_col_int(s, 0), "severity",
                     col_json(s, 1), "indicator", col_json(s, 2), "text",
                     col_json(s, 3), "state", col_json(s, 4),
                     "corrective_action", col_json(s, 5), "raised_by",
                     col_json(s, 6), "raised_on", col_json(s, 7),
                     "verified_by", col_json(s, 8), "verified_on",
                     col_json(s, 9));
}

static json_t *parse_json_col(struct sc_stmt *s, int col)
{
    const char *t = sc_db_col_text(s, col);
    json_t *v = t ? json_loads(t, 0, NULL) : NULL;
    return v ? v : json_null();
}

/* The man-day figures of the stored plan inputs. */
static json_t *mandays_view(struct sc_store *st, const struct sc_store_audit *a,
                            struct sc_stmt *s)
{
    struct sc_scheme *sch = malloc(sizeof *sch);
    struct sc_mandays md;
    struct sc_error e;
    int64_t total = sc_db_col_int(s, 0);
    bool have = false;
    if (sch &&
        sc_store_scheme_get(st, a->scheme_id, a->scheme_version, sch, &e) ==
            SC_OK) {
        enum sc_audit_type type = SC_AUDIT_SURVEILLANCE;
        if (strcmp(a->kind, "initial") == 0)
            type = SC_AUDIT_INITIAL;
        else if (strcmp(a->kind, "recertification") == 0)
            type = SC_AUDIT_RECERTIFICATION;
        const char *reason = sc_db_col_text(s, 2);
        struct sc_mandays_request req = {type, sc_db_col_int(s, 3),
                                         sc_db_col_int(s, 4),
                                         (int)sc_db_col_int(s, 1),
                                         !sc_text_blank(reason)};
        have = sc_mandays_compute(sch, &req, &md, &e) == SC_OK &&
               md.total_halves == total;
    }
    free(sch);
    return json_pack("{s:o, s:o, s:o, s:I, s:o, s:I, s:I}", "total",
                     halves_json(total), "planning",
                     have ? halves_json(md.planning_halves) : json_null(),
                     "onsite", have ? halves_json(md.onsite_halves) : json_null(),
                     "reduction_percent", (json_int_t)sc_db_col_int(s, 1),
                     "justification", col_json(s, 2), "employees",
                     (json_int_t)sc_db_col_int(s, 3), "outlets",
                     (json_int_t)sc_db_col_int(s, 4));
}

static enum sc_err audit_view(struct sc_store *st,
                              const struct sc_store_audit *a, bool full,
                              json_t **out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *o = NULL;
    json_t *sheet = NULL;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_VIEW, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, a->id);
    sc_db_bind_int(s, 2, a->organisation_id);
    sc_db_bind_int(s, 3, a->certificate_id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "audit", "audit vanished");
    if (rc != SC_OK) {
        sc_db_done(s);
        return rc;
    }
    o = json_pack(
        "{s:I, s:o, s:o, s:{s:I, s:o}, s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)a->id, "application",
        a->of_application ? json_integer(a->application_id) : json_null(),
        "certificate", col_json(s, 12), "organisation", "id",
        (json_int_t)a->organisation_id, "name", col_json(s, 11), "kind",
        a->kind, "purpose", a->purpose, "state", sc_audit_state_name(a->state),
        "from", day_json(a->from), "to", day_json(a->to), "score",
        a->has_score ? tenths_json(a->score_tenths) : json_null(), "level",
        a->level[0] ? json_string(a->level) : json_null());
    if (o && full) {
        sheet = parse_json_col(s, 6);
        json_t *output = json_object_get(sheet, "output");
        json_object_set_new(o, "scheme",
                            json_pack("{s:s, s:s}", "id", a->scheme_id,
                                      "version", a->scheme_version));
        json_object_set_new(o, "mandays", mandays_view(st, a, s));
        json_object_set_new(o, "arrangements", parse_json_col(s, 5));
        json_object_set_new(o, "sheet", output ? json_incref(output)
                                               : json_null());
        json_object_set_new(o, "planned_on", col_json(s, 7));
        json_object_set_new(o, "confirmed_on", col_json(s, 8));
        json_object_set_new(o, "started_on", col_json(s, 9));
        json_object_set_new(o, "reported_on", col_json(s, 10));
    }
    sc_db_done(s);
    json_decref(sheet);
    if (!o)
        return nomem(err);
    if (full &&
        ((rc = add_list(st, o, "team", SQL_TEAM_VIEW, a->id, team_row, err)) ||
         (rc = add_list(st, o, "results", SQL_RESULTS, a->id, result_row,
                        err)) ||
         (rc = add_list(st, o, "special_items", SQL_SPECIALS, a->id,
                        special_row, err)) ||
         (rc = add_list(st, o, "findings", SQL_FINDINGS, a->id, finding_row,
                        err)))) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return SC_OK;
}

enum sc_err sc_store_audit_json(struct sc_store *st,
                                const struct sc_actor *actor, int64_t id,
                                json_t **out, struct sc_error *err)
{
    struct sc_store_audit a;
    enum sc_err rc = sc_store_audit_get(st, id, &a, err);
    if (rc == SC_OK)
        rc = sc_store_audit_allowed(st, actor, &a, "audit.view", err);
    if (rc == SC_OK)
        rc = audit_view(st, &a, true, out, err);
    return rc;
}

enum sc_err sc_store_audit_list_json(struct sc_store *st,
                                     const struct sc_actor *actor,
                                     int64_t application_id,
                                     const char *certificate,
                                     const char *state, int limit,
                                     json_t **out, struct sc_error *err)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    enum sc_audit_state sv;
    int64_t org = 0, member = 0;
    int64_t ids[SC_AUDIT_LIST_MAX];
    size_t n = 0;
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *list = NULL;
    enum sc_err rc;

    if (state && (rc = sc_audit_state_parse(state, "state", &sv, err)) != SC_OK)
        return rc;
    if (limit < 1 || limit > SC_AUDIT_LIST_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "limit", "limit must be 1..%d",
                            SC_AUDIT_LIST_MAX);
    if ((rc = sc_policy_scope_for("audit.view", actor->role, &scope, err)) !=
        SC_OK)
        return rc;
    if (scope == SC_POLICY_SCOPE_OWN_ORG)
        org = actor->organisation_id;
    else if (scope == SC_POLICY_SCOPE_AUDIT_TEAM)
        member = actor->user_id;
    else if ((rc = sc_policy_check("audit.view", actor->role, false, err)) !=
             SC_OK)
        return rc;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_LIST, &s, err)) != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, application_id);
    sc_db_bind_text(s, 2, certificate);
    sc_db_bind_text(s, 3, state);
    sc_db_bind_int(s, 4, org);
    sc_db_bind_int(s, 5, member);
    sc_db_bind_int(s, 6, limit);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row &&
           n < SC_AUDIT_LIST_MAX)
        ids[n++] = sc_db_col_int(s, 0);
    sc_db_done(s);
    if (rc != SC_OK)
        return rc;
    list = json_array();
    if (!list)
        return nomem(err);
    for (size_t i = 0; i < n; i++) {
        struct sc_store_audit a;
        json_t *v = NULL;
        if ((rc = sc_store_audit_get(st, ids[i], &a, err)) != SC_OK ||
            (rc = audit_view(st, &a, false, &v, err)) != SC_OK)
            break;
        if (json_array_append_new(list, v) != 0) {
            rc = nomem(err);
            break;
        }
    }
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    *out = list;
    return SC_OK;
}
