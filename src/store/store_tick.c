/*
 * store_tick: the daily clock and the deadline list (see store_tick.h).
 * Every date is asked of src/core/timeline; every transition of
 * src/core/workflow's certificate table (role "system"). This file only
 * reads certificates, orders the steps and writes them down.
 */
#include "store/store_tick.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/store.h"

#define SCHEME_CACHE 8

const char *sc_tick_step_name(enum sc_tick_step_kind k)
{
    switch (k) {
    case SC_TICK_SUSPEND:
        return "suspend";
    case SC_TICK_WITHDRAW:
        return "withdraw";
    case SC_TICK_EXPIRE:
        return "expire";
    case SC_TICK_RECERT_OPEN:
        return "recertification_open";
    }
    return "unknown";
}

static sc_day max_day(sc_day a, sc_day b) { return a > b ? a : b; }
static sc_day min_day(sc_day a, sc_day b) { return a < b ? a : b; }

static void add_step(struct sc_tick_plan *p, enum sc_tick_step_kind k,
                     sc_day on)
{
    p->steps[p->n_steps++] = (struct sc_tick_step){k, on};
}

/* The final time-driven state (withdrawn or expired) of a certificate
 * active since `since` with `pending` as its open window, and the
 * suspension before it, if any: asked of the timeline on the last day
 * before the final state begins. */
static enum sc_err final_states(const struct sc_scheme *s, sc_day since,
                                sc_day expires,
                                const struct sc_timeline_window *pending,
                                struct sc_timeline_status *fin,
                                bool *suspended, sc_day *suspended_on,
                                struct sc_error *err)
{
    struct sc_timeline_status mid;
    enum sc_err rc = sc_timeline_state_on(s, since, expires, pending,
                                          SC_DAY_MAX, fin, err);
    *suspended = false;
    if (rc == SC_OK && fin->since - 1 >= since) {
        rc = sc_timeline_state_on(s, since, expires, pending, fin->since - 1,
                                  &mid, err);
        if (rc == SC_OK && mid.state == SC_TL_SUSPENDED) {
            *suspended = true;
            *suspended_on = mid.since;
        }
    }
    return rc;
}

enum sc_err sc_store_tick_plan(const struct sc_scheme *s,
                               const struct sc_tick_cert *c,
                               struct sc_tick_plan *out, struct sc_error *err)
{
    return sc_store_tick_plan_pending(s, c, 0, out, err);
}

enum sc_err sc_store_tick_plan_pending(const struct sc_scheme *s,
                                       const struct sc_tick_cert *c,
                                       sc_day pending_to,
                                       struct sc_tick_plan *out,
                                       struct sc_error *err)
{
    struct sc_timeline_status fin;
    bool suspended = false;
    sc_day suspended_on = 0;
    enum sc_err rc;

    memset(out, 0, sizeof *out);
    rc = sc_timeline_recertification(s, c->expires, &out->recert, err);
    if (rc != SC_OK)
        return rc;
    if (c->state == SC_CERT_STATE_ACTIVE) {
        rc = sc_timeline_window(s, c->anchor, c->expires,
                                c->surveillance_n + 1, &out->window,
                                &out->has_window, err);
        /* a surveillance carried out in this window, awaiting its
         * decision, meets it: the next window is the pending one */
        if (rc == SC_OK && out->has_window && pending_to &&
            pending_to >= out->window.opens &&
            pending_to <= out->window.closes)
            rc = sc_timeline_window(s, pending_to, c->expires,
                                    c->surveillance_n + 2, &out->window,
                                    &out->has_window, err);
        if (rc == SC_OK)
            rc = final_states(s, c->state_since, c->expires,
                              out->has_window ? &out->window : NULL, &fin,
                              &suspended, &suspended_on, err);
        if (rc != SC_OK)
            return rc;
        sc_day first_change = suspended ? suspended_on : fin.since;
        sc_day opens = max_day(out->recert.opens, c->state_since);
        if (!c->recert_opened && opens < first_change)
            add_step(out, SC_TICK_RECERT_OPEN, opens);
        if (suspended)
            add_step(out, SC_TICK_SUSPEND, suspended_on);
    } else if (c->state == SC_CERT_STATE_SUSPENDED) {
        /* The timeline dates withdrawal from a suspension for an overdue
         * window; a suspension for any other reason follows the same rule
         * (domain.md 4), so give the timeline a window whose close puts the
         * suspension exactly on state_since. */
        struct sc_timeline_window w;
        memset(&w, 0, sizeof w);
        w.closes = c->state_since - 1 - s->suspension_grace_days;
        w.opens = w.nominal_from = w.nominal_to = w.anchor = w.closes;
        sc_day since =
            min_day(min_day(c->cycle_start, c->state_since), c->expires);
        rc = sc_timeline_state_on(s, since, c->expires, &w, SC_DAY_MAX, &fin,
                                  err);
        if (rc != SC_OK)
            return rc;
        fin.since = max_day(fin.since, c->state_since);
    } else {
        return SC_OK;
    }
    if (fin.state == SC_TL_WITHDRAWN) {
        add_step(out, SC_TICK_WITHDRAW, fin.since);
        out->has_withdrawal = true;
        out->withdrawal = fin.since;
    } else {
        add_step(out, SC_TICK_EXPIRE, fin.since);
    }
    return SC_OK;
}

sc_day sc_store_tick_next_due(const struct sc_tick_plan *p, sc_day after)
{
    for (int i = 0; i < p->n_steps; i++)
        if (p->steps[i].on > after)
            return p->steps[i].on;
    return SC_DAY_MAX;
}

/* ---- schemes by id and version, parsed once per run ------------------- */

struct scheme_cache {
    struct sc_scheme *s[SCHEME_CACHE];
    int n;
};

static void cache_free(struct scheme_cache *c)
{
    for (int i = 0; i < c->n; i++)
        free(c->s[i]);
    c->n = 0;
}

static enum sc_err cache_get(struct sc_store *st, struct scheme_cache *c,
                             const char *id, const char *version,
                             const struct sc_scheme **out,
                             struct sc_error *err)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->s[i]->id, id) == 0 &&
            strcmp(c->s[i]->version, version) == 0) {
            *out = c->s[i];
            return SC_OK;
        }
    if (c->n == SCHEME_CACHE)
        return sc_error_set(err, SC_ERR_INTERNAL, "scheme",
                            "more than %d schemes in use", SCHEME_CACHE);
    struct sc_scheme *s = malloc(sizeof *s);
    if (!s)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    enum sc_err rc = sc_store_scheme_get(st, id, version, s, err);
    if (rc != SC_OK) {
        free(s);
        return rc;
    }
    c->s[c->n++] = s;
    *out = s;
    return SC_OK;
}

/* ---- reading a certificate -------------------------------------------- */

/* Columns shared by tick and due; keep the order in read_cert. */
/* The latest last on-site day of the certificate's started audits awaiting
 * the committee (sc_store_tick_plan_pending), or NULL: one expression for
 * every statement that asks. */
#define PENDING_TO                                                             \
    "NULLIF(max("                                                              \
    "COALESCE((SELECT max(a.date_to) FROM audits a "                           \
    "WHERE a.certificate_id = certificates.id AND a.kind = 'surveillance' "   \
    "AND a.state IN ('in_audit', 'reported')), ''), "                         \
    "COALESCE((SELECT max(a.date_to) FROM applications p JOIN audits a "       \
    "ON a.application_id = p.id WHERE p.certificate_id = certificates.id "    \
    "AND a.kind = 'recertification' "                                        \
    "AND a.state IN ('in_audit', 'reported')), '')), '')"
#define CERT_COLS                                                              \
    "id, number, state, state_since, cycle_start, expires, anchor, "           \
    "surveillance_n, recert_opened_on, scheme_id, scheme_version, next_due, "  \
    "organisation_id, " PENDING_TO

static const char SQL_PENDING_TO[] =
    "SELECT " PENDING_TO " FROM certificates WHERE id = ?1";
static const char SQL_TICK_ROW[] =
    "SELECT " CERT_COLS " FROM certificates WHERE id = ?1";
static const char SQL_TICK_CANDIDATES[] =
    "SELECT id FROM certificates WHERE next_due IS NULL "
    "UNION ALL SELECT id FROM certificates WHERE next_due <= ?1";
static const char SQL_TICK_UPDATE[] =
    "UPDATE certificates SET state = ?2, state_since = ?3, state_reason = ?4, "
    "recert_opened_on = ?5, next_due = ?6 WHERE id = ?1";
static const char SQL_TICK_NEXT_DUE[] =
    "UPDATE certificates SET next_due = ?2 WHERE id = ?1";
static const char SQL_STATUS_CHANGE[] =
    "INSERT INTO certificate_status_changes (certificate_id, from_state, "
    "to_state, action, reason_code, reason_text, on_date, by_user) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL)";
static const char SQL_DUE_SCAN[] =
    "SELECT " CERT_COLS " FROM certificates "
    "WHERE state IN ('active', 'suspended') AND expires >= ?1";
static const char SQL_ORG_NAME[] =
    "SELECT name FROM organisations WHERE id = ?1";

struct cert_row {
    int64_t id;
    int64_t organisation_id;
    char number[SC_CERTNO_MAX];
    struct sc_tick_cert c;
    sc_day pending_to; /* see sc_store_tick_plan_pending; 0: none */
    sc_day recert_opened_on;
    char scheme_id[SC_SCHEME_ID_MAX];
    char scheme_version[SC_SCHEME_ID_MAX];
    char next_due[SC_DATE_BUF]; /* "" when NULL */
    char state_reason[64];
};

static enum sc_err col_date(struct sc_stmt *s, int col, const char *field,
                            sc_day *out, struct sc_error *err)
{
    const char *t = sc_db_col_text(s, col);
    if (!t)
        return sc_error_set(err, SC_ERR_INVALID, field, "missing date");
    return sc_date_parse(t, field, out, err);
}

enum sc_err sc_store_tick_pending_to(struct sc_store *st,
                                     int64_t certificate_id, sc_day *out,
                                     struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    bool row = false;
    *out = 0;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_PENDING_TO, &q, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(q, 1, certificate_id);
    rc = sc_db_step(q, &row, err);
    if (rc == SC_OK && row && !sc_db_col_is_null(q, 0))
        rc = col_date(q, 0, "pending_to", out, err);
    sc_db_done(q);
    return rc;
}

static void copy_col(struct sc_stmt *s, int col, char *out, size_t cap)
{
    const char *t = sc_db_col_text(s, col);
    snprintf(out, cap, "%s", t ? t : "");
}

/* Reads the current row of a CERT_COLS statement. */
static enum sc_err read_cert(struct sc_stmt *s, struct cert_row *r,
                             struct sc_error *err)
{
    enum sc_err rc;
    memset(r, 0, sizeof *r);
    r->id = sc_db_col_int(s, 0);
    copy_col(s, 1, r->number, sizeof r->number);
    rc = sc_workflow_cert_state_parse(sc_db_col_text(s, 2), "state",
                                      &r->c.state, err);
    if (rc == SC_OK)
        rc = col_date(s, 3, "state_since", &r->c.state_since, err);
    if (rc == SC_OK)
        rc = col_date(s, 4, "cycle_start", &r->c.cycle_start, err);
    if (rc == SC_OK)
        rc = col_date(s, 5, "expires", &r->c.expires, err);
    if (rc == SC_OK)
        rc = col_date(s, 6, "anchor", &r->c.anchor, err);
    r->c.surveillance_n = (int)sc_db_col_int(s, 7);
    r->c.recert_opened = !sc_db_col_is_null(s, 8);
    if (rc == SC_OK && r->c.recert_opened)
        rc = col_date(s, 8, "recert_opened_on", &r->recert_opened_on, err);
    copy_col(s, 9, r->scheme_id, sizeof r->scheme_id);
    copy_col(s, 10, r->scheme_version, sizeof r->scheme_version);
    copy_col(s, 11, r->next_due, sizeof r->next_due);
    r->organisation_id = sc_db_col_int(s, 12);
    if (rc == SC_OK && !sc_db_col_is_null(s, 13))
        rc = col_date(s, 13, "pending_to", &r->pending_to, err);
    if (rc != SC_OK) {
        char prefix[SC_CERTNO_MAX + 16];
        snprintf(prefix, sizeof prefix, "certificate %s", r->number);
        sc_error_prefix_field(err, prefix);
    }
    return rc;
}

static void format_due(sc_day d, char out[SC_DATE_BUF])
{
    if (d >= SC_DAY_MAX)
        snprintf(out, SC_DATE_BUF, "%s", SC_TICK_NEVER);
    else
        sc_date_format(d, out);
}

/* ---- the clock -------------------------------------------------------- */

static enum sc_err write_transition(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const struct sc_scheme *s,
                                    struct cert_row *r,
                                    const struct sc_tick_plan *p,
                                    const struct sc_tick_step *step,
                                    struct sc_error *err)
{
    static const enum sc_workflow_cert_action actions[] = {
        [SC_TICK_SUSPEND] = SC_CERT_ACTION_SUSPEND,
        [SC_TICK_WITHDRAW] = SC_CERT_ACTION_WITHDRAW,
        [SC_TICK_EXPIRE] = SC_CERT_ACTION_EXPIRE,
    };
    enum sc_workflow_cert_action action = actions[step->kind];
    enum sc_workflow_cert_state to;
    char on[SC_DATE_BUF], d1[SC_DATE_BUF], text[200];
    const char *code;
    struct sc_stmt *q = NULL;
    json_t *detail = NULL;

    enum sc_err rc = sc_workflow_cert_step(r->c.state, action, SC_ROLE_SYSTEM,
                                           SC_PRE_BIT(SC_PRE_REASON_GIVEN),
                                           &to, err);
    if (rc != SC_OK)
        return rc;
    sc_date_format(step->on, on);
    if (step->kind == SC_TICK_SUSPEND) {
        code = "surveillance_overdue";
        sc_date_format(p->window.closes, d1);
        snprintf(text, sizeof text,
                 "surveillance window %d closed on %s without an audit",
                 p->window.n, d1);
    } else if (step->kind == SC_TICK_WITHDRAW) {
        code = "suspension_limit";
        sc_date_format(r->c.state_since, d1);
        snprintf(text, sizeof text,
                 "suspended on %s and not restored within %d months", d1,
                 s->withdrawal_months);
    } else {
        code = "validity_ended";
        sc_date_format(r->c.expires, d1);
        snprintf(text, sizeof text, "validity ended on %s", d1);
    }
    rc = sc_db_prepare(sc_store_db(st), SQL_STATUS_CHANGE, &q, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(q, 1, r->id);
    sc_db_bind_text(q, 2, sc_workflow_cert_state_name(r->c.state));
    sc_db_bind_text(q, 3, sc_workflow_cert_state_name(to));
    sc_db_bind_text(q, 4, sc_workflow_cert_action_name(action));
    sc_db_bind_text(q, 5, code);
    sc_db_bind_text(q, 6, text);
    sc_db_bind_text(q, 7, on);
    rc = sc_db_finish(q, err);
    if (rc != SC_OK)
        return rc;
    detail = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "number", r->number,
                       "from", sc_workflow_cert_state_name(r->c.state), "to",
                       sc_workflow_cert_state_name(to), "on", on, "reason",
                       code, "text", text);
    if (!detail)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    char action_name[48];
    snprintf(action_name, sizeof action_name, "certificate.%s",
             sc_workflow_cert_action_name(action));
    rc = sc_events_append(st, clk, 0, action_name, "certificate", r->id,
                          detail, err);
    json_decref(detail);
    if (rc != SC_OK)
        return rc;
    r->c.state = to;
    r->c.state_since = step->on;
    snprintf(r->state_reason, sizeof r->state_reason, "%s", code);
    return SC_OK;
}

static enum sc_err write_recert_open(struct sc_store *st,
                                     const struct sc_clock *clk,
                                     struct cert_row *r,
                                     const struct sc_tick_plan *p,
                                     const struct sc_tick_step *step,
                                     struct sc_error *err)
{
    char on[SC_DATE_BUF], o[SC_DATE_BUF], c[SC_DATE_BUF];
    sc_date_format(step->on, on);
    sc_date_format(p->recert.opens, o);
    sc_date_format(p->recert.closes, c);
    json_t *detail = json_pack("{s:s, s:s, s:{s:s, s:s}}", "number",
                               r->number, "on", on, "recertification",
                               "opens", o, "closes", c);
    if (!detail)
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    enum sc_err rc =
        sc_events_append(st, clk, 0, "certificate.recertification_open",
                         "certificate", r->id, detail, err);
    json_decref(detail);
    if (rc == SC_OK) {
        r->c.recert_opened = true;
        r->recert_opened_on = step->on;
    }
    return rc;
}

/* Applies one certificate's due steps; adds to *counts. */
static enum sc_err tick_one(struct sc_store *st, const struct sc_clock *clk,
                            struct scheme_cache *cache, int64_t id,
                            struct sc_tick_counts *counts,
                            struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_stmt *q = NULL;
    struct cert_row r;
    struct sc_tick_plan plan;
    const struct sc_scheme *s = NULL;
    bool row = false, changed = false;
    char next[SC_DATE_BUF];

    enum sc_err rc = sc_db_prepare(db, SQL_TICK_ROW, &q, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(q, 1, id);
    rc = sc_db_step(q, &row, err);
    if (rc == SC_OK && row)
        rc = read_cert(q, &r, err);
    sc_db_done(q);
    if (rc != SC_OK || !row)
        return rc; /* gone since the candidates were read */
    rc = cache_get(st, cache, r.scheme_id, r.scheme_version, &s, err);
    if (rc == SC_OK)
        rc = sc_store_tick_plan_pending(s, &r.c, r.pending_to, &plan, err);
    if (rc != SC_OK)
        goto out;
    for (int i = 0; rc == SC_OK && i < plan.n_steps; i++) {
        const struct sc_tick_step *step = &plan.steps[i];
        if (step->on > clk->today)
            break;
        changed = true;
        if (step->kind == SC_TICK_RECERT_OPEN) {
            rc = write_recert_open(st, clk, &r, &plan, step, err);
            counts->recertification_opened++;
            continue;
        }
        rc = write_transition(st, clk, s, &r, &plan, step, err);
        if (step->kind == SC_TICK_SUSPEND)
            counts->suspended++;
        else if (step->kind == SC_TICK_WITHDRAW)
            counts->withdrawn++;
        else
            counts->expired++;
    }
    if (rc != SC_OK)
        goto out;
    format_due(sc_store_tick_next_due(&plan, clk->today), next);
    if (changed) {
        char since[SC_DATE_BUF], opened[SC_DATE_BUF];
        sc_date_format(r.c.state_since, since);
        sc_date_format(r.recert_opened_on, opened);
        rc = sc_db_prepare(db, SQL_TICK_UPDATE, &q, err);
        if (rc != SC_OK)
            goto out;
        sc_db_bind_int(q, 1, r.id);
        sc_db_bind_text(q, 2, sc_workflow_cert_state_name(r.c.state));
        sc_db_bind_text(q, 3, since);
        if (r.state_reason[0])
            sc_db_bind_text(q, 4, r.state_reason);
        else
            sc_db_bind_null(q, 4); /* unreachable: set by a transition */
        if (r.c.recert_opened)
            sc_db_bind_text(q, 5, opened);
        else
            sc_db_bind_null(q, 5);
        sc_db_bind_text(q, 6, next);
        rc = sc_db_finish(q, err);
    } else if (strcmp(next, r.next_due) != 0) {
        rc = sc_db_prepare(db, SQL_TICK_NEXT_DUE, &q, err);
        if (rc != SC_OK)
            goto out;
        sc_db_bind_int(q, 1, r.id);
        sc_db_bind_text(q, 2, next);
        rc = sc_db_finish(q, err);
    }
out:
    if (rc != SC_OK && err && !strstr(err->field, "certificate ")) {
        char prefix[SC_CERTNO_MAX + 16];
        snprintf(prefix, sizeof prefix, "certificate %s", r.number);
        sc_error_prefix_field(err, prefix);
    }
    return rc;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Every certificate whose next_due is stale or due, sorted by id. */
static enum sc_err candidates(struct sc_store *st, sc_day today,
                              int64_t **ids, size_t *n, struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    char t[SC_DATE_BUF];
    size_t cap = 0;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_TICK_CANDIDATES, &q,
                                   err);
    *ids = NULL;
    *n = 0;
    if (rc != SC_OK)
        return rc;
    sc_date_format(today, t);
    sc_db_bind_text(q, 1, t);
    while ((rc = sc_db_step(q, &row, err)) == SC_OK && row) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 1024;
            int64_t *p = ncap > SIZE_MAX / sizeof *p
                             ? NULL
                             : realloc(*ids, ncap * sizeof *p);
            if (!p) {
                rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
                break;
            }
            *ids = p;
            cap = ncap;
        }
        (*ids)[(*n)++] = sc_db_col_int(q, 0);
    }
    sc_db_done(q);
    if (rc == SC_OK && *n > 1)
        qsort(*ids, *n, sizeof **ids, cmp_id);
    return rc;
}

enum sc_err sc_store_tick(struct sc_store *st, const struct sc_clock *clk,
                          size_t batch,
                          void (*progress)(void *ctx, int64_t done,
                                           int64_t total),
                          void *ctx, struct sc_tick_counts *out,
                          struct sc_error *err)
{
    struct scheme_cache cache = {0};
    int64_t *ids = NULL;
    size_t n = 0;
    enum sc_err rc;

    memset(out, 0, sizeof *out);
    out->today = clk->today;
    if (batch == 0)
        batch = SC_TICK_BATCH_DEFAULT;
    if (batch > SC_TICK_BATCH_MAX)
        batch = SC_TICK_BATCH_MAX;
    bool joined = sc_store_in_transaction(st);
    rc = candidates(st, clk->today, &ids, &n, err);
    for (size_t i = 0; rc == SC_OK && i < n; i += batch) {
        struct sc_tick_counts part = {0};
        size_t end = i + batch < n ? i + batch : n;
        if (!joined && (rc = sc_store_begin(st, err)) != SC_OK)
            break;
        for (size_t j = i; rc == SC_OK && j < end; j++)
            rc = tick_one(st, clk, &cache, ids[j], &part, err);
        if (rc == SC_OK && !joined)
            rc = sc_store_commit(st, err);
        if (rc != SC_OK) {
            if (!joined)
                sc_store_rollback(st);
            break;
        }
        out->suspended += part.suspended;
        out->withdrawn += part.withdrawn;
        out->expired += part.expired;
        out->recertification_opened += part.recertification_opened;
        out->examined += (int64_t)(end - i);
        if (progress)
            progress(ctx, (int64_t)end, (int64_t)n);
    }
    free(ids);
    cache_free(&cache);
    return rc;
}

enum sc_err sc_store_tick_refresh(struct sc_store *st, int64_t certificate_id,
                                  struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct scheme_cache cache = {0};
    struct sc_stmt *q = NULL;
    struct cert_row r;
    struct sc_tick_plan plan;
    const struct sc_scheme *s = NULL;
    bool row = false;
    char next[SC_DATE_BUF];

    enum sc_err rc = sc_db_prepare(db, SQL_TICK_ROW, &q, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(q, 1, certificate_id);
    rc = sc_db_step(q, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "certificate",
                          "no certificate with id %lld",
                          (long long)certificate_id);
    if (rc == SC_OK)
        rc = read_cert(q, &r, err);
    sc_db_done(q);
    if (rc == SC_OK)
        rc = cache_get(st, &cache, r.scheme_id, r.scheme_version, &s, err);
    if (rc == SC_OK)
        rc = sc_store_tick_plan_pending(s, &r.c, r.pending_to, &plan, err);
    /* a plan holds only steps not yet done (a done transition changes the
     * state, a done opening sets the marker), so its first is next */
    if (rc == SC_OK) {
        format_due(sc_store_tick_next_due(&plan, SC_DAY_MIN), next);
        rc = sc_db_prepare(db, SQL_TICK_NEXT_DUE, &q, err);
    }
    if (rc == SC_OK) {
        sc_db_bind_int(q, 1, certificate_id);
        sc_db_bind_text(q, 2, next);
        rc = sc_db_finish(q, err);
    }
    cache_free(&cache);
    return rc;
}

/* ---- deadlines -------------------------------------------------------- */

enum due_kind {
    DUE_SURV_OPENS,
    DUE_SURV_CLOSES,
    DUE_RECERT_OPENS,
    DUE_EXPIRES,
    DUE_WITHDRAWAL
};

static const char *const due_names[] = {
    "surveillance_opens", "surveillance_closes", "recertification_opens",
    "expires", "withdrawal"};

struct due_item {
    sc_day date;
    enum due_kind kind;
    int64_t organisation_id;
    char number[SC_CERTNO_MAX];
};

struct due_list {
    struct due_item *v;
    size_t n, cap;
};

static enum sc_err due_add(struct due_list *l, const struct cert_row *r,
                           enum due_kind kind, sc_day date, sc_day from,
                           sc_day to, struct sc_error *err)
{
    if (date < from || date > to)
        return SC_OK;
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        struct due_item *p = ncap > SIZE_MAX / sizeof *p
                                 ? NULL
                                 : realloc(l->v, ncap * sizeof *p);
        if (!p)
            return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        l->v = p;
        l->cap = ncap;
    }
    struct due_item *it = &l->v[l->n++];
    it->date = date;
    it->kind = kind;
    it->organisation_id = r->organisation_id;
    snprintf(it->number, sizeof it->number, "%s", r->number);
    return SC_OK;
}

static int cmp_due(const void *a, const void *b)
{
    const struct due_item *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    int c = strcmp(x->number, y->number);
    if (c)
        return c;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

static enum sc_err due_json(struct sc_store *st, const struct due_list *l,
                            json_t **out, struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    json_t *arr = json_array();
    enum sc_err rc = arr ? SC_OK : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    for (size_t i = 0; rc == SC_OK && i < l->n; i++) {
        const struct due_item *it = &l->v[i];
        bool row = false;
        char d[SC_DATE_BUF];
        rc = sc_db_prepare(sc_store_db(st), SQL_ORG_NAME, &q, err);
        if (rc != SC_OK)
            break;
        sc_db_bind_int(q, 1, it->organisation_id);
        rc = sc_db_step(q, &row, err);
        const char *name = row ? sc_db_col_text(q, 0) : NULL;
        sc_date_format(it->date, d);
        json_t *o = rc == SC_OK ? json_pack("{s:s, s:s?, s:s, s:s}",
                                            "certificate", it->number,
                                            "organisation", name, "kind",
                                            due_names[it->kind], "date", d)
                                : NULL;
        sc_db_done(q);
        if (rc == SC_OK && (!o || json_array_append_new(arr, o) != 0))
            rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    }
    if (rc == SC_OK)
        *out = arr;
    else
        json_decref(arr);
    return rc;
}

enum sc_err sc_store_due(struct sc_store *st, sc_day today, int within,
                         json_t **out, struct sc_error *err)
{
    struct scheme_cache cache = {0};
    struct due_list l = {0};
    struct sc_stmt *q = NULL;
    bool row = false;
    char lo[SC_DATE_BUF];
    enum sc_err rc;

    if (within < 0 || within > SC_DUE_WITHIN_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "within",
                            "%d days is out of range 0..%d", within,
                            SC_DUE_WITHIN_MAX);
    if (!sc_date_in_range(today) || !sc_date_in_range(today + within))
        return sc_error_set(err, SC_ERR_INVALID, "today",
                            "out of range 0001-01-01..9999-12-31");
    sc_day to = today + within;
    /* every deadline lies on or before expires + 1 */
    sc_date_format(today - 1, lo);
    rc = sc_db_prepare(sc_store_db(st), SQL_DUE_SCAN, &q, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(q, 1, lo);
    while ((rc = sc_db_step(q, &row, err)) == SC_OK && row) {
        struct cert_row r;
        struct sc_tick_plan p;
        const struct sc_scheme *s = NULL;
        rc = read_cert(q, &r, err);
        if (rc == SC_OK)
            rc = cache_get(st, &cache, r.scheme_id, r.scheme_version, &s, err);
        if (rc == SC_OK)
            rc = sc_store_tick_plan_pending(s, &r.c, r.pending_to, &p, err);
        if (rc != SC_OK)
            break;
        if (r.c.state == SC_CERT_STATE_ACTIVE) {
            if (p.has_window) {
                rc = due_add(&l, &r, DUE_SURV_OPENS, p.window.opens, today,
                             to, err);
                if (rc == SC_OK)
                    rc = due_add(&l, &r, DUE_SURV_CLOSES, p.window.closes,
                                 today, to, err);
            }
            if (rc == SC_OK)
                rc = due_add(&l, &r, DUE_RECERT_OPENS, p.recert.opens, today,
                             to, err);
        } else if (p.has_withdrawal) {
            rc = due_add(&l, &r, DUE_WITHDRAWAL, p.withdrawal, today, to, err);
        }
        if (rc == SC_OK)
            rc = due_add(&l, &r, DUE_EXPIRES, r.c.expires, today, to, err);
        if (rc != SC_OK)
            break;
    }
    sc_db_done(q);
    if (rc == SC_OK) {
        if (l.n > 1)
            qsort(l.v, l.n, sizeof *l.v, cmp_due);
        rc = due_json(st, &l, out, err);
    }
    free(l.v);
    cache_free(&cache);
    return rc;
}
