/*
 * store_decision: committee votes and the decision they carry (see
 * store_decision.h). Engine-neutral: SQL goes through db.h.
 */
#include "store/store_decision.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/impartiality.h"
#include "core/score.h"
#include "core/timeline.h"
#include "store/store_tick.h"
#include "core/workflow.h"
#include "store/db.h"
#include "store/store_audit.h"
#include "store/store_certificate.h"
#include "store/store_party.h"

static const char SQL_REVIEWERS[] =
    "SELECT DISTINCT reviewer_id FROM document_reviews "
    "WHERE application_id = ?1 ORDER BY reviewer_id";
static const char SQL_VOTES[] =
    "SELECT v.user_id, v.approve, v.level, u.login, u.name, v.comment, "
    "v.voted_on FROM votes v JOIN users u ON u.id = v.user_id "
    "WHERE v.audit_id = ?1 ORDER BY v.voted_on, v.user_id";
static const char SQL_VOTED[] =
    "SELECT COUNT(*) FROM votes WHERE audit_id = ?1 AND user_id = ?2";
static const char SQL_VOTE_PUT[] =
    "INSERT INTO votes (audit_id, user_id, approve, level, comment, voted_on) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_DECISION_PUT[] =
    "INSERT INTO decisions (audit_id, outcome, level, score_tenths, "
    "decided_on, closed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_DECISION_ID[] =
    "SELECT id FROM decisions WHERE audit_id = ?1";
static const char SQL_DECISION_CERT[] =
    "UPDATE decisions SET certificate_id = ?2 WHERE id = ?1";
static const char SQL_DECISION_GET[] =
    "SELECT d.id, d.outcome, d.level, d.score_tenths, d.decided_on, "
    "u.login, c.number FROM decisions d LEFT JOIN users u ON u.id = "
    "d.closed_by LEFT JOIN certificates c ON c.id = d.certificate_id "
    "WHERE d.audit_id = ?1";
static const char SQL_AUDIT_DECIDED[] =
    "UPDATE audits SET state = 'decided' WHERE id = ?1";
static const char SQL_APP_DECIDED[] =
    "UPDATE applications SET state = ?2, decided_on = ?3 WHERE id = ?1";
static const char SQL_APP_SCOPE[] =
    "SELECT scope FROM applications WHERE id = ?1";
static const char SQL_OUTLETS[] =
    "SELECT name FROM outlets WHERE organisation_id = ?1 ORDER BY name";
static const char SQL_ORG_NAME[] =
    "SELECT name FROM organisations WHERE id = ?1";

/* ---- helpers ---------------------------------------------------------- */

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}


static void bind_day(struct sc_stmt *s, int idx, sc_day d)
{
    char buf[SC_DATE_BUF];
    sc_date_format(d, buf);
    sc_db_bind_text(s, idx, buf);
}

static json_t *col_json(struct sc_stmt *s, int col)
{
    const char *t = sc_db_col_text(s, col);
    return t ? json_string(t) : json_null();
}

static json_t *tenths_json(int t)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%d", t / 10, t % 10);
    return json_string(buf);
}

/* Everything a vote or a close looks at. Caller-owned; free with
 * ctx_free. */
struct ctx {
    struct sc_store_audit a;
    struct sc_scheme *sch;
    int64_t team[SC_AUDIT_TEAM_MAX];
    bool leads[SC_AUDIT_TEAM_MAX];
    size_t n_team;
    int64_t *reviewers;
    size_t n_reviewers;
    struct sc_impartiality_link *links;
    size_t n_links;
    struct sc_impartiality_case c;
    struct sc_store_cert *cert; /* the certificate concerned, or NULL */
};

static void ctx_free(struct ctx *x)
{
    free(x->sch);
    free(x->reviewers);
    free(x->links);
    free(x->cert);
}

static enum sc_err load_reviewers(struct sc_store *st, struct ctx *x,
                                  struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    size_t cap = 0;
    enum sc_err rc;
    if (!x->a.of_application)
        return SC_OK;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_REVIEWERS, &s, err)) != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, x->a.application_id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        if (x->n_reviewers == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            int64_t *p = ncap <= 4096 ? realloc(x->reviewers, ncap * sizeof *p)
                                      : NULL;
            if (!p) {
                rc = nomem(err);
                break;
            }
            x->reviewers = p;
            cap = ncap;
        }
        x->reviewers[x->n_reviewers++] = sc_db_col_int(s, 0);
    }
    sc_db_done(s);
    return rc;
}

static enum sc_err ctx_load(struct sc_store *st, int64_t audit_id,
                            struct ctx *x, struct sc_error *err)
{
    enum sc_err rc;
    memset(x, 0, sizeof *x);
    if ((rc = sc_store_audit_get(st, audit_id, &x->a, err)) != SC_OK)
        return rc;
    x->sch = malloc(sizeof *x->sch);
    if (!x->sch)
        return nomem(err);
    if ((rc = sc_store_scheme_get(st, x->a.scheme_id, x->a.scheme_version,
                                  x->sch, err)) != SC_OK ||
        (rc = sc_store_audit_team(st, x->a.id, x->team, x->leads, &x->n_team,
                                  err)) != SC_OK ||
        (rc = load_reviewers(st, x, err)) != SC_OK ||
        (rc = sc_store_link_load(st, 0, x->a.organisation_id, &x->links,
                                 &x->n_links, err)) != SC_OK)
        return rc;
    if (x->a.certificate_id) {
        x->cert = malloc(sizeof *x->cert);
        if (!x->cert)
            return nomem(err);
        if ((rc = sc_store_certificate_get(st, x->a.certificate_id, x->cert,
                                           err)) != SC_OK)
            return rc;
    }
    x->c.organisation = x->a.organisation_id;
    x->c.team = x->team;
    x->c.n_team = x->n_team;
    x->c.reviewers = x->reviewers;
    x->c.n_reviewers = x->n_reviewers;
    x->c.links = x->links;
    x->c.n_links = x->n_links;
    x->c.months = x->sch->impartiality_months;
    return SC_OK;
}

/* The enterprise never votes; a foreign one learns nothing more. */
static enum sc_err own_org(const struct sc_actor *actor, int64_t org,
                           struct sc_error *err)
{
    if (actor->role == SC_ROLE_ENTERPRISE && !sc_actor_owns(actor, org))
        return sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                            "this belongs to another organisation");
    return SC_OK;
}

/* May `role` take "vote" here at all (state and role only)? */
static enum sc_err may_vote(const struct ctx *x, enum sc_workflow_role role,
                            struct sc_error *err)
{
    enum sc_workflow_app_state to;
    return sc_workflow_app_step(sc_store_audit_flow_state(&x->a),
                                SC_APP_ACTION_VOTE, role, SC_PRE_ALL,
                                SC_OUTCOME_CERTIFIED, &to, err);
}

/* The best level a vote on `today` may approve: the sheet's; for audits
 * that cannot raise the level, no better than the certificate's; and,
 * when the scheme enables the first-certificate cap, no better than its
 * level while fewer than its months have passed since the certificate was
 * first issued (an initial certification: 0 months). */
static enum sc_err best_level(const struct ctx *x, sc_day today, int *best,
                              struct sc_error *err)
{
    int sheet = sc_scheme_level_index(x->sch, x->a.level);
    if (sheet < 0)
        return sc_error_set(err, SC_ERR_INTERNAL, "level",
                            "the audit's level \"%s\" is not in its scheme",
                            x->a.level);
    *best = sheet;
    bool capped = !x->a.of_application ||
                  x->a.app_kind == SC_APP_KIND_SCOPE_CHANGE;
    if (capped && x->cert) {
        int cur = sc_scheme_level_index(x->sch, x->cert->level);
        if (cur > *best)
            *best = cur;
    }
    int months =
        x->cert ? sc_date_full_months(x->cert->initial_issued, today) : 0;
    *best = sc_score_first_cap(x->sch, *best, true, months);
    return SC_OK;
}

/* ---- vote ------------------------------------------------------------- */

enum sc_err sc_store_decision_vote(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t audit_id, bool approve,
                                   const char *level, const char *comment,
                                   struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct ctx x;
    struct sc_stmt *s = NULL;
    json_t *detail = NULL;
    bool own = !sc_db_in_transaction(db), row = false;
    int64_t voted = 0;
    const char *lv = NULL;
    enum sc_err rc;

    memset(&x, 0, sizeof x);
    if (own && (rc = sc_db_begin(db, err)) != SC_OK)
        return rc;
    if ((rc = ctx_load(st, audit_id, &x, err)) != SC_OK ||
        (rc = own_org(actor, x.a.organisation_id, err)) != SC_OK ||
        (rc = may_vote(&x, actor->role, err)) != SC_OK ||
        (rc = sc_impartiality_check_decider(&x.c, actor->user_id, clk->today,
                                            err)) != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(db, SQL_VOTED, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, x.a.id);
    sc_db_bind_int(s, 2, actor->user_id);
    rc = sc_db_step(s, &row, err);
    voted = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    if (voted) {
        rc = sc_error_set(err, SC_ERR_CONFLICT, "as",
                          "%s has already voted on audit %lld", actor->login,
                          (long long)x.a.id);
        goto out;
    }
    if (approve) {
        int best = 0;
        if ((rc = best_level(&x, clk->today, &best, err)) != SC_OK)
            goto out;
        lv = level ? level : x.sch->levels[best].code;
        int idx = sc_scheme_level_index(x.sch, lv);
        if (idx < 0) {
            rc = sc_error_set(err, SC_ERR_INVALID, "level",
                              "\"%.40s\" is not a level of scheme %s", lv,
                              x.sch->id);
            goto out;
        }
        if (!x.sch->levels[idx].certified) {
            rc = sc_error_set(err, SC_ERR_INVALID, "level",
                              "level %s is not a certified level: vote to "
                              "refuse instead",
                              lv);
            goto out;
        }
        if (idx < best) {
            rc = sc_error_set(err, SC_ERR_INVALID, "level",
                              "level %s is better than this audit allows "
                              "(%s at best)",
                              lv, x.sch->levels[best].code);
            goto out;
        }
    } else {
        if (level) {
            rc = sc_error_set(err, SC_ERR_INVALID, "level",
                              "a vote to refuse carries no level");
            goto out;
        }
        if (sc_text_blank(comment)) {
            rc = sc_error_set(err, SC_ERR_INVALID, "comment",
                              "a vote to refuse needs a comment giving the "
                              "reason");
            goto out;
        }
    }
    if (comment && strlen(comment) > SC_AUDIT_TEXT_MAX) {
        rc = sc_error_set(err, SC_ERR_TOO_LARGE, "comment",
                          "a comment is limited to %d bytes",
                          SC_AUDIT_TEXT_MAX);
        goto out;
    }
    if ((rc = sc_db_prepare(db, SQL_VOTE_PUT, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, x.a.id);
    sc_db_bind_int(s, 2, actor->user_id);
    sc_db_bind_int(s, 3, approve ? 1 : 0);
    sc_db_bind_text(s, 4, lv);
    sc_db_bind_text(s, 5, comment);
    bind_day(s, 6, clk->today);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        goto out;
    detail = json_pack("{s:I, s:s, s:b, s:s?, s:s?}", "audit",
                       (json_int_t)x.a.id, "member", actor->login, "approve",
                       approve, "level", lv, "comment", comment);
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "decision.vote", "audit",
                          x.a.id, detail, err);
out:
    if (own) {
        if (rc == SC_OK)
            rc = sc_db_commit(db, err);
        else
            sc_db_rollback(db);
    }
    json_decref(detail);
    ctx_free(&x);
    return rc;
}

/* ---- close ------------------------------------------------------------ */

struct tally {
    struct sc_impartiality_tally t;
    bool certify_q; /* approving quorum */
    bool refuse_q;  /* refusing quorum */
    int level;      /* decided level index (certify_q only) */
};

static enum sc_err count_votes(struct sc_store *st, const struct ctx *x,
                               sc_day today, struct tally *out,
                               struct sc_error *err)
{
    struct sc_impartiality_vote v[SC_DECISION_VOTES_MAX];
    int levels[SC_DECISION_VOTES_MAX];
    size_t n = 0, nl = 0;
    struct sc_stmt *s = NULL;
    bool row = false;
    struct sc_error ignore;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_VOTES, &s, err);
    memset(out, 0, sizeof *out);
    out->level = -1;
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, x->a.id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        if (n == SC_DECISION_VOTES_MAX) {
            rc = sc_error_set(err, SC_ERR_INTERNAL, "votes",
                              "more than %d votes", SC_DECISION_VOTES_MAX);
            break;
        }
        v[n].person = sc_db_col_int(s, 0);
        v[n].approve = sc_db_col_int(s, 1) != 0;
        if (v[n].approve &&
            sc_impartiality_check_decider(&x->c, v[n].person, today, NULL) ==
                SC_OK) {
            const char *l = sc_db_col_text(s, 2);
            int idx = l ? sc_scheme_level_index(x->sch, l) : -1;
            if (idx >= 0)
                levels[nl++] = idx;
        }
        n++;
    }
    sc_db_done(s);
    if (rc != SC_OK)
        return rc;
    out->certify_q = sc_impartiality_check_quorum(&x->c, v, n, today,
                                                  x->sch->quorum, &out->t,
                                                  &ignore) == SC_OK;
    out->refuse_q = out->t.dissenting >= x->sch->quorum &&
                    out->t.dissenting >= out->t.approving;
    /* The best level at least `quorum` approving members support: the
     * quorum-th best of their levels (insertion sort, n is small). */
    for (size_t i = 1; i < nl; i++)
        for (size_t j = i; j > 0 && levels[j - 1] > levels[j]; j--) {
            int tmp = levels[j];
            levels[j] = levels[j - 1];
            levels[j - 1] = tmp;
        }
    if (out->certify_q && x->sch->quorum >= 1 &&
        (size_t)x->sch->quorum <= nl)
        out->level = levels[x->sch->quorum - 1];
    return SC_OK;
}

static enum sc_err take_scope(struct sc_store *st, int64_t app,
                              struct sc_store_cert *c, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_APP_SCOPE, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, app);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && row) {
        const char *t = sc_db_col_text(s, 0);
        size_t len = strlen(t ? t : "");
        if (len >= sizeof c->scope)
            rc = sc_error_set(err, SC_ERR_TOO_LARGE, "scope",
                              "the application's scope exceeds %zu bytes",
                              sizeof c->scope - 1);
        else
            memcpy(c->scope, t ? t : "", len + 1);
    }
    sc_db_done(s);
    return rc;
}

/* The organisation's outlets as one line, "; "-separated, for the
 * certificate's "outlets covered". */
static enum sc_err take_outlets(struct sc_store *st, int64_t org,
                                struct sc_store_cert *c, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    size_t used = 0;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_OUTLETS, &s, err);
    if (rc != SC_OK)
        return rc;
    c->outlets_covered[0] = '\0';
    sc_db_bind_int(s, 1, org);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        const char *name = sc_db_col_text(s, 0);
        size_t len = strlen(name ? name : "") + (used ? 2 : 0);
        if (used + len >= sizeof c->outlets_covered) {
            rc = sc_error_set(err, SC_ERR_TOO_LARGE, "outlets",
                              "the outlets list exceeds %zu bytes",
                              sizeof c->outlets_covered - 1);
            break;
        }
        snprintf(c->outlets_covered + used, sizeof c->outlets_covered - used,
                 "%s%s", used ? "; " : "", name ? name : "");
        used += len;
    }
    sc_db_done(s);
    return rc;
}

static void set_level(struct sc_store_cert *c, const struct sc_scheme *sch,
                      int level, int score)
{
    snprintf(c->level, sizeof c->level, "%s", sch->levels[level].code);
    c->score_tenths = score;
}

/* The certificate of an initial certification. */
static enum sc_err new_certificate(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   const struct ctx *x, int level,
                                   struct sc_store_cert *c,
                                   struct sc_error *err)
{
    int y = 0, m = 0, d = 0;
    enum sc_err rc;
    memset(c, 0, sizeof *c);
    sc_date_to_ymd(clk->today, &y, &m, &d);
    if ((rc = sc_store_certificate_take_number(st, x->sch->certno_pattern, y,
                                               c->number, err)) != SC_OK ||
        (rc = take_scope(st, x->a.application_id, c, err)) != SC_OK ||
        (rc = take_outlets(st, x->a.organisation_id, c, err)) != SC_OK)
        return rc;
    c->organisation_id = x->a.organisation_id;
    c->state = SC_CERT_STATE_ACTIVE;
    c->state_since = clk->today;
    c->revision = 1;
    set_level(c, x->sch, level, x->a.score_tenths);
    c->initial_issued = c->cycle_start = c->issued = c->anchor = clk->today;
    if ((rc = sc_timeline_expiry(x->sch, clk->today, &c->expires, err)) !=
        SC_OK)
        return rc;
    c->surveillance_n = 0;
    if ((rc = sc_impartiality_check_issue_date(clk->today, c->issued, err)) !=
        SC_OK)
        return rc;
    snprintf(c->scheme_id, sizeof c->scheme_id, "%s", x->a.scheme_id);
    snprintf(c->scheme_version, sizeof c->scheme_version, "%s",
             x->a.scheme_version);
    snprintf(c->signatory, sizeof c->signatory, "%s", actor->name);
    return SC_OK;
}

/* A certificate decision: which action, the new row, and whether it is a
 * new revision. Returns the workflow's refusal when the certificate may
 * not take it. */
static enum sc_err certificate_change(struct sc_store *st,
                                      const struct sc_clock *clk,
                                      const struct sc_actor *actor,
                                      const struct ctx *x, uint32_t holds,
                                      int level, struct sc_store_cert *after,
                                      const char **action, bool *revision,
                                      const char **outcome,
                                      struct sc_error *err)
{
    const struct sc_store_cert *before = x->cert;
    enum sc_workflow_cert_action act;
    enum sc_workflow_cert_state to;
    char a[SC_DATE_BUF];
    enum sc_err rc;

    if (!before)
        return sc_error_set(err, SC_ERR_INTERNAL, "certificate",
                            "no certificate behind audit %lld",
                            (long long)x->a.id);
    if (x->a.of_application) {
        act = x->a.app_kind == SC_APP_KIND_RECERTIFICATION
                  ? SC_CERT_ACTION_RECERTIFY
                  : SC_CERT_ACTION_MAINTAIN;
    } else {
        act = before->state == SC_CERT_STATE_SUSPENDED
                  ? SC_CERT_ACTION_RESTORE
                  : SC_CERT_ACTION_MAINTAIN;
    }
    if (act == SC_CERT_ACTION_RECERTIFY && before->state == SC_CERT_STATE_EXPIRED) {
        struct sc_timeline_recert r;
        if ((rc = sc_timeline_recertification(x->sch, before->expires, &r,
                                              err)) != SC_OK)
            return rc;
        if (clk->today <= r.late_until)
            holds |= SC_PRE_BIT(SC_PRE_WITHIN_LATE_PERIOD);
    }
    if ((rc = sc_workflow_cert_step(before->state, act, actor->role, holds,
                                    &to, err)) != SC_OK)
        return rc;
    if (before->state == SC_CERT_STATE_ACTIVE || act == SC_CERT_ACTION_RESTORE) {
        if (clk->today > before->expires) {
            sc_date_format(before->expires, a);
            return sc_error_set(err, SC_ERR_STATE, "certificate",
                                "certificate %s expired after %s: the daily "
                                "clock (starcert tick) records that first",
                                before->number, a);
        }
    }
    *after = *before;
    after->state = to;
    *revision = level != sc_scheme_level_index(x->sch, before->level);
    switch (act) {
    case SC_CERT_ACTION_MAINTAIN:
        if (x->a.of_application) { /* upgrade, scope change */
            *action = "revise";
            *outcome = "revised";
            *revision = true;
            if ((rc = take_scope(st, x->a.application_id, after, err)) != SC_OK)
                return rc;
            break;
        }
        *action = "maintain";
        *outcome = "maintained";
        {
            struct sc_timeline_window w;
            bool exists = false;
            if ((rc = sc_timeline_window(x->sch, before->anchor,
                                         before->expires,
                                         before->surveillance_n + 1, &w,
                                         &exists, err)) != SC_OK)
                return rc;
            if (!exists || x->a.to < w.opens || x->a.to > w.closes)
                return sc_error_set(err, SC_ERR_PRECONDITION, "to",
                                    "the audit's last on-site day is not "
                                    "inside the current surveillance window");
        }
        after->anchor = x->a.to;
        after->surveillance_n = before->surveillance_n + 1;
        break;
    case SC_CERT_ACTION_RESTORE:
        *action = "restore";
        *outcome = "restored";
        after->state_since = clk->today;
        after->state_reason[0] = '\0';
        after->anchor = x->a.to;
        after->surveillance_n = before->surveillance_n + 1;
        break;
    default: /* recertify */
        *action = "recertify";
        *outcome = "recertified";
        *revision = true;
        if ((rc = take_scope(st, x->a.application_id, after, err)) != SC_OK)
            return rc;
        if (before->expires >= SC_DAY_MAX)
            return sc_error_set(err, SC_ERR_INVALID, "expires",
                                "expiry out of range");
        sc_day next = before->expires + 1;
        if ((rc = sc_timeline_expiry(x->sch, next, &after->expires, err)) !=
            SC_OK)
            return rc;
        if (before->state == SC_CERT_STATE_ACTIVE) { /* continuity */
            after->cycle_start = next;
            after->anchor = next;
        } else { /* restored within the late period */
            after->cycle_start = clk->today;
            after->anchor = x->a.to;
            after->state_since = clk->today;
            after->state_reason[0] = '\0';
        }
        after->surveillance_n = 0;
        snprintf(after->scheme_id, sizeof after->scheme_id, "%s",
                 x->a.scheme_id);
        snprintf(after->scheme_version, sizeof after->scheme_version, "%s",
                 x->a.scheme_version);
        break;
    }
    if (*revision) {
        if (before->revision >= 1000000)
            return sc_error_set(err, SC_ERR_CONFLICT, "revision",
                                "too many revisions");
        after->revision = before->revision + 1;
        after->issued = clk->today;
        set_level(after, x->sch, level, x->a.score_tenths);
        snprintf(after->signatory, sizeof after->signatory, "%s", actor->name);
    }
    return *revision
               ? sc_impartiality_check_issue_date(clk->today, after->issued,
                                                  err)
               : SC_OK;
}

enum sc_err sc_store_decision_close(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const struct sc_actor *actor,
                                    int64_t audit_id,
                                    enum sc_decision_expect expect,
                                    int64_t *decision_id,
                                    struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct ctx x;
    struct tally t;
    struct sc_store_cert *after = NULL;
    struct sc_stmt *s = NULL;
    json_t *detail = NULL, *cert_detail = NULL;
    bool own = !sc_db_in_transaction(db), row = false, revision = false;
    int64_t open = 0, id = 0;
    const char *outcome_name = "refused", *cert_action = NULL;
    enum sc_workflow_outcome outcome;
    enum sc_workflow_app_state flow, to;
    enum sc_err rc;

    memset(&x, 0, sizeof x);
    if (own && (rc = sc_db_begin(db, err)) != SC_OK)
        return rc;
    if ((rc = ctx_load(st, audit_id, &x, err)) != SC_OK ||
        (rc = own_org(actor, x.a.organisation_id, err)) != SC_OK)
        goto out;
    if (expect == SC_DECISION_RESTORE &&
        (x.a.of_application || !x.cert ||
         x.cert->state != SC_CERT_STATE_SUSPENDED)) {
        rc = sc_error_set(err, SC_ERR_STATE, "certificate",
                          "audit %lld is not an audit of a suspended "
                          "certificate: nothing to restore",
                          (long long)x.a.id);
        goto out;
    }
    if ((rc = may_vote(&x, actor->role, err)) != SC_OK ||
        (rc = sc_impartiality_check_decider(&x.c, actor->user_id, clk->today,
                                            err)) != SC_OK ||
        (rc = count_votes(st, &x, clk->today, &t, err)) != SC_OK ||
        (rc = sc_store_audit_open_findings(st, x.a.id, &open, err)) != SC_OK)
        goto out;
    flow = sc_store_audit_flow_state(&x.a);
    /* Without a quorum either way, the refusal names the quorum (asking
     * for "refused" needs nothing else). */
    outcome = t.certify_q ? SC_OUTCOME_CERTIFIED : SC_OUTCOME_REFUSED;
    uint32_t holds = SC_PRE_BIT(SC_PRE_AUDIT_COMPLETED);
    if (open == 0)
        holds |= SC_PRE_BIT(SC_PRE_FINDINGS_CLOSED);
    if (outcome == SC_OUTCOME_CERTIFIED ? t.certify_q : t.refuse_q)
        holds |= SC_PRE_BIT(SC_PRE_QUORUM_REACHED);
    if (t.level >= 0 && x.sch->levels[t.level].certified)
        holds |= SC_PRE_BIT(SC_PRE_LEVEL_PASSED);
    rc = sc_workflow_app_step(flow, SC_APP_ACTION_VOTE, actor->role, holds,
                              outcome, &to, err);
    if (rc == SC_ERR_PRECONDITION && err &&
        strcmp(err->field, "quorum_reached") == 0)
        sc_error_set(err, SC_ERR_PRECONDITION, "quorum_reached",
                     "quorum not reached: %d approving and %d refusing "
                     "independent vote(s), %d needed (%d ignored: not "
                     "independent)",
                     t.t.approving, t.t.dissenting, x.sch->quorum,
                     t.t.ignored);
    if (rc == SC_ERR_PRECONDITION && err &&
        strcmp(err->field, "findings_closed") == 0)
        sc_error_set(err, SC_ERR_PRECONDITION, "findings_closed",
                     "%lld finding(s) of audit %lld are not verified yet",
                     (long long)open, (long long)x.a.id);
    if (rc != SC_OK)
        goto out;
    if (outcome == SC_OUTCOME_CERTIFIED) {
        after = malloc(sizeof *after);
        if (!after) {
            rc = nomem(err);
            goto out;
        }
        if (x.a.of_application && x.a.app_kind == SC_APP_KIND_INITIAL) {
            if ((rc = new_certificate(st, clk, actor, &x, t.level, after,
                                      err)) != SC_OK)
                goto out;
            cert_action = "issue";
            outcome_name = "certified";
            revision = true;
        } else if ((rc = certificate_change(st, clk, actor, &x, holds, t.level,
                                            after, &cert_action, &revision,
                                            &outcome_name, err)) != SC_OK) {
            goto out;
        }
    }
    if ((rc = sc_db_prepare(db, SQL_DECISION_PUT, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, x.a.id);
    sc_db_bind_text(s, 2, outcome_name);
    sc_db_bind_text(s, 3,
                    outcome == SC_OUTCOME_CERTIFIED
                        ? x.sch->levels[t.level].code
                        : x.sch->levels[x.sch->n_levels - 1].code);
    sc_db_bind_int(s, 4, x.a.score_tenths);
    bind_day(s, 5, clk->today);
    sc_db_bind_int(s, 6, actor->user_id);
    if ((rc = sc_db_finish(s, err)) != SC_OK ||
        (rc = sc_db_prepare(db, SQL_DECISION_ID, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, x.a.id);
    rc = sc_db_step(s, &row, err);
    id = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    if (cert_action) {
        struct sc_store_cert_change ch = {cert_action, cert_action, NULL,
                                          revision, id};
        char why[96];
        snprintf(why, sizeof why, "committee decision %lld on audit %lld",
                 (long long)id, (long long)x.a.id);
        ch.reason_text = why;
        if ((rc = sc_store_certificate_write(st, clk, actor->user_id,
                                             strcmp(cert_action, "issue") == 0
                                                 ? NULL
                                                 : x.cert,
                                             after, &ch, err)) != SC_OK ||
            (rc = sc_db_prepare(db, SQL_DECISION_CERT, &s, err)) != SC_OK)
            goto out;
        sc_db_bind_int(s, 1, id);
        sc_db_bind_int(s, 2, after->id);
        if ((rc = sc_db_finish(s, err)) != SC_OK)
            goto out;
        cert_detail = json_pack(
            "{s:s, s:s, s:b, s:o, s:o}", "number", after->number, "action",
            cert_action, "new_revision", revision, "before",
            strcmp(cert_action, "issue") == 0
                ? json_null()
                : sc_store_certificate_row_json(x.cert),
            "after", sc_store_certificate_row_json(after));
    } else {
        cert_detail = json_null();
    }
    if ((rc = sc_db_exec_id(db, SQL_AUDIT_DECIDED, x.a.id, NULL, err)) != SC_OK)
        goto out;
    /* the audit no longer awaits the committee: the daily clock's plan of
     * its certificate changes with it, whatever the outcome */
    if (x.a.certificate_id &&
        (rc = sc_store_tick_refresh(st, x.a.certificate_id, err)) != SC_OK)
        goto out;
    if (x.a.of_application) {
        if ((rc = sc_db_prepare(db, SQL_APP_DECIDED, &s, err)) != SC_OK)
            goto out;
        sc_db_bind_int(s, 1, x.a.application_id);
        sc_db_bind_text(s, 2, sc_workflow_app_state_name(to));
        bind_day(s, 3, clk->today);
        if ((rc = sc_db_finish(s, err)) != SC_OK)
            goto out;
    }
    detail = json_pack(
        "{s:I, s:I, s:s, s:s, s:o, s:{s:i, s:i, s:i, s:i}, s:o, s:O}",
        "decision", (json_int_t)id, "audit", (json_int_t)x.a.id, "outcome",
        outcome_name, "level",
        outcome == SC_OUTCOME_CERTIFIED
            ? x.sch->levels[t.level].code
            : x.sch->levels[x.sch->n_levels - 1].code,
        "score", tenths_json(x.a.score_tenths), "votes", "approving",
        t.t.approving, "dissenting", t.t.dissenting, "ignored", t.t.ignored,
        "quorum", x.sch->quorum, "application_state",
        x.a.of_application
            ? json_pack("{s:s, s:s}", "before",
                        sc_workflow_app_state_name(flow), "after",
                        sc_workflow_app_state_name(to))
            : json_null(),
        "certificate", cert_detail ? cert_detail : json_null());
    if (!detail || !cert_detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "decision.close", "decision",
                          id, detail, err);
    if (rc == SC_OK && decision_id)
        *decision_id = id;
out:
    if (own) {
        if (rc == SC_OK)
            rc = sc_db_commit(db, err);
        else
            sc_db_rollback(db);
    }
    json_decref(detail);
    json_decref(cert_detail);
    free(after);
    ctx_free(&x);
    return rc;
}

enum sc_err sc_store_decision_restore(struct sc_store *st,
                                      const struct sc_clock *clk,
                                      const struct sc_actor *actor,
                                      const char *number, int64_t audit_id,
                                      int64_t *decision_id,
                                      struct sc_error *err)
{
    struct sc_store_cert *c = malloc(sizeof *c);
    struct sc_store_audit a;
    enum sc_workflow_cert_state to;
    enum sc_err rc = c ? sc_store_certificate_find(st, number, c, err)
                       : nomem(err);
    if (rc == SC_OK && actor->role == SC_ROLE_ENTERPRISE &&
        !sc_actor_owns(actor, c->organisation_id))
        rc = sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                          "certificate %s belongs to another organisation",
                          c->number);
    /* state and role first: the preconditions are checked by the close */
    if (rc == SC_OK)
        rc = sc_workflow_cert_step(c->state, SC_CERT_ACTION_RESTORE,
                                   actor->role, SC_PRE_ALL, &to, err);
    if (rc == SC_OK)
        rc = sc_store_audit_get(st, audit_id, &a, err);
    if (rc == SC_OK && (a.of_application || a.certificate_id != c->id))
        rc = sc_error_set(err, SC_ERR_INVALID, "audit",
                          "audit %lld is not an audit of certificate %s",
                          (long long)audit_id, c->number);
    free(c);
    if (rc != SC_OK)
        return rc;
    return sc_store_decision_close(st, clk, actor, audit_id,
                                   SC_DECISION_RESTORE, decision_id, err);
}

/* ---- view ------------------------------------------------------------- */

enum sc_err sc_store_decision_json(struct sc_store *st,
                                   const struct sc_actor *actor,
                                   int64_t audit_id, sc_day today,
                                   json_t **out, struct sc_error *err)
{
    struct ctx x;
    struct tally t;
    struct sc_stmt *s = NULL;
    bool row = false;
    int64_t open = 0;
    json_t *o = NULL, *votes = NULL, *dec = NULL;
    enum sc_err rc;

    memset(&x, 0, sizeof x);
    if ((rc = ctx_load(st, audit_id, &x, err)) != SC_OK ||
        (rc = sc_store_audit_allowed(st, actor, &x.a, "audit.view", err)) !=
            SC_OK ||
        (rc = count_votes(st, &x, today, &t, err)) != SC_OK ||
        (rc = sc_store_audit_open_findings(st, x.a.id, &open, err)) != SC_OK)
        goto out;
    votes = json_array();
    if (!votes || (rc = sc_db_prepare(sc_store_db(st), SQL_VOTES, &s, err)) !=
                      SC_OK) {
        rc = votes ? rc : nomem(err);
        goto out;
    }
    sc_db_bind_int(s, 1, x.a.id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        bool eligible = sc_impartiality_check_decider(
                            &x.c, sc_db_col_int(s, 0), today, NULL) == SC_OK;
        json_t *v = json_pack(
            "{s:o, s:o, s:b, s:o, s:o, s:o, s:b}", "login", col_json(s, 3),
            "name", col_json(s, 4), "approve", sc_db_col_int(s, 1) != 0,
            "level", col_json(s, 2), "comment", col_json(s, 5), "voted_on",
            col_json(s, 6), "eligible", eligible);
        if (!v || json_array_append_new(votes, v) != 0) {
            rc = nomem(err);
            break;
        }
    }
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_DECISION_GET, &s, err)) !=
        SC_OK)
        goto out;
    sc_db_bind_int(s, 1, x.a.id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK)
        dec = row ? json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
                              (json_int_t)sc_db_col_int(s, 0), "outcome",
                              col_json(s, 1), "level", col_json(s, 2),
                              "score",
                              tenths_json((int)sc_db_col_int(s, 3)),
                              "decided_on", col_json(s, 4), "closed_by",
                              col_json(s, 5), "certificate", col_json(s, 6))
                  : json_null();
    sc_db_done(s);
    if (rc != SC_OK)
        goto out;
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_ORG_NAME, &s, err)) != SC_OK)
        goto out;
    sc_db_bind_int(s, 1, x.a.organisation_id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK)
        o = json_pack(
            "{s:I, s:s, s:s, s:{s:I, s:o}, s:o, s:o, s:i, s:I, s:O, "
            "s:{s:i, s:i, s:i}, s:O}",
            "audit", (json_int_t)x.a.id, "purpose", x.a.purpose, "state",
            sc_audit_state_name(x.a.state), "organisation", "id",
            (json_int_t)x.a.organisation_id, "name",
            row ? col_json(s, 0) : json_null(), "score",
            x.a.has_score ? tenths_json(x.a.score_tenths) : json_null(),
            "level", x.a.level[0] ? json_string(x.a.level) : json_null(),
            "quorum", x.sch->quorum, "open_findings", (json_int_t)open,
            "votes", votes, "tally", "approving", t.t.approving, "dissenting",
            t.t.dissenting, "ignored", t.t.ignored, "decision",
            dec ? dec : json_null());
    sc_db_done(s);
    if (rc == SC_OK && !o)
        rc = nomem(err);
    if (rc == SC_OK)
        *out = o;
out:
    json_decref(votes);
    json_decref(dec);
    ctx_free(&x);
    return rc;
}
