/*
 * store_certificate: certificate rows, the one writer, numbers, the
 * committee's and market's actions (suspend, withdraw, cancel, reissue,
 * confidentiality) and the JSON views (see store_certificate.h).
 * Engine-neutral: SQL goes through db.h.
 */
#include "store/store_certificate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "core/policy.h"
#include "core/timeline.h"
#include "store/db.h"
#include "store/store_tick.h"

/* ---- SQL -------------------------------------------------------------- */

#define CERT_COLS                                                              \
    "id, number, organisation_id, state, state_since, "                        \
    "COALESCE(state_reason, ''), revision, level, score_tenths, scope, "       \
    "outlets_covered, initial_issued, cycle_start, issued, expires, anchor, "  \
    "surveillance_n, confidential, scheme_id, scheme_version, signatory"

static const char SQL_GET_ID[] =
    "SELECT " CERT_COLS " FROM certificates WHERE id = ?1";
static const char SQL_GET_NUMBER[] =
    "SELECT " CERT_COLS " FROM certificates WHERE number = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO certificates (number, organisation_id, state, state_since, "
    "state_reason, revision, level, score_tenths, scope, outlets_covered, "
    "initial_issued, cycle_start, issued, expires, anchor, surveillance_n, "
    "confidential, scheme_id, scheme_version, signatory) VALUES (?1, ?2, ?3, "
    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
    "?20)";
static const char SQL_UPDATE[] =
    "UPDATE certificates SET number = ?1, organisation_id = ?2, state = ?3, "
    "state_since = ?4, state_reason = ?5, revision = ?6, level = ?7, "
    "score_tenths = ?8, scope = ?9, outlets_covered = ?10, "
    "initial_issued = ?11, cycle_start = ?12, issued = ?13, expires = ?14, "
    "anchor = ?15, surveillance_n = ?16, confidential = ?17, scheme_id = ?18, "
    "scheme_version = ?19, signatory = ?20 WHERE id = ?21";
static const char SQL_LAST_ID[] =
    "SELECT id FROM certificates WHERE number = ?1";
static const char SQL_REVISION[] =
    "INSERT INTO certificate_revisions (certificate_id, revision, level, "
    "score_tenths, scope, issued, expires, decision_id, outlets_covered, "
    "reason_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_STATUS[] =
    "INSERT INTO certificate_status_changes (certificate_id, from_state, "
    "to_state, action, reason_code, reason_text, on_date, by_user) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_SEQ_GET[] =
    "SELECT next_seq FROM certificate_sequences WHERE year = ?1";
static const char SQL_SEQ_PUT[] =
    "INSERT INTO certificate_sequences (year, next_seq) VALUES (?1, ?2) "
    "ON CONFLICT (year) DO UPDATE SET next_seq = excluded.next_seq";
static const char SQL_NUMBER_USED[] =
    "SELECT COUNT(*) FROM certificates WHERE number = ?1";
static const char SQL_ORG[] =
    "SELECT name, uscc, address FROM organisations WHERE id = ?1";
static const char SQL_REVISIONS[] =
    "SELECT revision, level, score_tenths, scope, issued, expires, "
    "decision_id, outlets_covered, reason_code FROM certificate_revisions "
    "WHERE certificate_id = ?1 ORDER BY revision";
static const char SQL_CHANGES[] =
    "SELECT c.id, c.from_state, c.to_state, c.action, c.reason_code, "
    "c.reason_text, c.on_date, u.login FROM certificate_status_changes c "
    "LEFT JOIN users u ON u.id = c.by_user WHERE c.certificate_id = ?1 "
    "ORDER BY c.id";
static const char SQL_LIST[] =
    "SELECT c.number, c.revision, c.state, c.level, c.score_tenths, "
    "c.issued, c.expires, o.id, o.name FROM certificates c "
    "JOIN organisations o ON o.id = c.organisation_id "
    "WHERE (?1 IS NULL OR c.state = ?1) AND (?2 = 0 OR c.organisation_id = ?2) "
    "ORDER BY c.number LIMIT ?3";

/* ---- small helpers ---------------------------------------------------- */

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}

/* Copies a column's text into a fixed buffer; refuses (never truncates)
 * what does not fit. */
static enum sc_err copy_col(struct sc_stmt *s, int col, char *out, size_t cap,
                            const char *field, struct sc_error *err)
{
    const char *t = sc_db_col_text(s, col);
    if (!t)
        t = "";
    size_t n = strlen(t);
    if (n >= cap)
        return sc_error_set(err, SC_ERR_INTERNAL, field,
                            "stored %s is longer than %zu bytes", field,
                            cap - 1);
    memcpy(out, t, n + 1);
    return SC_OK;
}

static enum sc_err day_col(struct sc_stmt *s, int col, const char *field,
                           sc_day *out, struct sc_error *err)
{
    const char *t = sc_db_col_text(s, col);
    return sc_date_parse(t ? t : "", field, out, err);
}

static void bind_day(struct sc_stmt *s, int idx, sc_day d)
{
    char buf[SC_DATE_BUF];
    sc_date_format(d, buf);
    sc_db_bind_text(s, idx, buf);
}


static bool in_list(const char *s, const char *const *list)
{
    for (size_t i = 0; s && list[i]; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static enum sc_err row_from_stmt(struct sc_stmt *s, struct sc_store_cert *c,
                                 struct sc_error *err)
{
    enum sc_err rc;
    memset(c, 0, sizeof *c);
    c->id = sc_db_col_int(s, 0);
    if ((rc = copy_col(s, 1, c->number, sizeof c->number, "number", err)))
        return rc;
    c->organisation_id = sc_db_col_int(s, 2);
    const char *state = sc_db_col_text(s, 3);
    if ((rc = sc_workflow_cert_state_parse(state ? state : "", "state",
                                           &c->state, err)))
        return rc;
    if ((rc = day_col(s, 4, "state_since", &c->state_since, err)) ||
        (rc = copy_col(s, 5, c->state_reason, sizeof c->state_reason,
                       "state_reason", err)))
        return rc;
    c->revision = (int)sc_db_col_int(s, 6);
    if ((rc = copy_col(s, 7, c->level, sizeof c->level, "level", err)))
        return rc;
    c->score_tenths = (int)sc_db_col_int(s, 8);
    if ((rc = copy_col(s, 9, c->scope, sizeof c->scope, "scope", err)) ||
        (rc = copy_col(s, 10, c->outlets_covered, sizeof c->outlets_covered,
                       "outlets_covered", err)) ||
        (rc = day_col(s, 11, "initial_issued", &c->initial_issued, err)) ||
        (rc = day_col(s, 12, "cycle_start", &c->cycle_start, err)) ||
        (rc = day_col(s, 13, "issued", &c->issued, err)) ||
        (rc = day_col(s, 14, "expires", &c->expires, err)) ||
        (rc = day_col(s, 15, "anchor", &c->anchor, err)))
        return rc;
    c->surveillance_n = (int)sc_db_col_int(s, 16);
    c->confidential = sc_db_col_int(s, 17) != 0;
    if ((rc = copy_col(s, 18, c->scheme_id, sizeof c->scheme_id, "scheme_id",
                       err)) ||
        (rc = copy_col(s, 19, c->scheme_version, sizeof c->scheme_version,
                       "scheme_version", err)) ||
        (rc = copy_col(s, 20, c->signatory, sizeof c->signatory, "signatory",
                       err)))
        return rc;
    return SC_OK;
}

static enum sc_err load(struct sc_store *st, const char *sql, int64_t id,
                        const char *number, struct sc_store_cert *out,
                        struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &s, err);
    if (rc != SC_OK)
        return rc;
    if (number)
        sc_db_bind_text(s, 1, number);
    else
        sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row) {
        if (number)
            rc = sc_error_set(err, SC_ERR_NOT_FOUND, "number",
                              "no certificate \"%.64s\"", number);
        else
            rc = sc_error_set(err, SC_ERR_NOT_FOUND, "certificate",
                              "no certificate with id %lld", (long long)id);
    }
    if (rc == SC_OK)
        rc = row_from_stmt(s, out, err);
    sc_db_done(s);
    return rc;
}

enum sc_err sc_store_certificate_get(struct sc_store *st, int64_t id,
                                     struct sc_store_cert *out,
                                     struct sc_error *err)
{
    return load(st, SQL_GET_ID, id, NULL, out, err);
}

enum sc_err sc_store_certificate_find(struct sc_store *st, const char *number,
                                      struct sc_store_cert *out,
                                      struct sc_error *err)
{
    if (!number || !number[0])
        return sc_error_set(err, SC_ERR_INVALID, "number",
                            "a certificate number is required");
    return load(st, SQL_GET_NUMBER, 0, number, out, err);
}

/* ---- the writer ------------------------------------------------------- */

static void bind_row(struct sc_stmt *s, const struct sc_store_cert *c)
{
    sc_db_bind_text(s, 1, c->number);
    sc_db_bind_int(s, 2, c->organisation_id);
    sc_db_bind_text(s, 3, sc_workflow_cert_state_name(c->state));
    bind_day(s, 4, c->state_since);
    if (c->state_reason[0])
        sc_db_bind_text(s, 5, c->state_reason);
    else
        sc_db_bind_null(s, 5);
    sc_db_bind_int(s, 6, c->revision);
    sc_db_bind_text(s, 7, c->level);
    sc_db_bind_int(s, 8, c->score_tenths);
    sc_db_bind_text(s, 9, c->scope);
    sc_db_bind_text(s, 10, c->outlets_covered);
    bind_day(s, 11, c->initial_issued);
    bind_day(s, 12, c->cycle_start);
    bind_day(s, 13, c->issued);
    bind_day(s, 14, c->expires);
    bind_day(s, 15, c->anchor);
    sc_db_bind_int(s, 16, c->surveillance_n);
    sc_db_bind_int(s, 17, c->confidential ? 1 : 0);
    sc_db_bind_text(s, 18, c->scheme_id);
    sc_db_bind_text(s, 19, c->scheme_version);
    sc_db_bind_text(s, 20, c->signatory);
}

enum sc_err sc_store_certificate_write(struct sc_store *st,
                                       const struct sc_clock *clk,
                                       int64_t by_user,
                                       const struct sc_store_cert *before,
                                       struct sc_store_cert *after,
                                       const struct sc_store_cert_change *ch,
                                       struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc;

    rc = sc_db_prepare(db, before ? SQL_UPDATE : SQL_INSERT, &s, err);
    if (rc != SC_OK)
        return rc;
    bind_row(s, after);
    if (before)
        sc_db_bind_int(s, 21, after->id);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        return rc;
    if (!before) {
        if ((rc = sc_db_prepare(db, SQL_LAST_ID, &s, err)) != SC_OK)
            return rc;
        sc_db_bind_text(s, 1, after->number);
        rc = sc_db_step(s, &row, err);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_INTERNAL, "certificate",
                              "the new certificate was not stored");
        if (rc == SC_OK)
            after->id = sc_db_col_int(s, 0);
        sc_db_done(s);
        if (rc != SC_OK)
            return rc;
    }
    if (ch->new_revision) {
        if ((rc = sc_db_prepare(db, SQL_REVISION, &s, err)) != SC_OK)
            return rc;
        sc_db_bind_int(s, 1, after->id);
        sc_db_bind_int(s, 2, after->revision);
        sc_db_bind_text(s, 3, after->level);
        sc_db_bind_int(s, 4, after->score_tenths);
        sc_db_bind_text(s, 5, after->scope);
        bind_day(s, 6, after->issued);
        bind_day(s, 7, after->expires);
        if (ch->decision_id)
            sc_db_bind_int(s, 8, ch->decision_id);
        else
            sc_db_bind_null(s, 8);
        sc_db_bind_text(s, 9, after->outlets_covered);
        sc_db_bind_text(s, 10, ch->reason_code);
        if ((rc = sc_db_finish(s, err)) != SC_OK)
            return rc;
    }
    if ((rc = sc_db_prepare(db, SQL_STATUS, &s, err)) != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, after->id);
    sc_db_bind_text(s, 2,
                    before ? sc_workflow_cert_state_name(before->state)
                           : "none");
    sc_db_bind_text(s, 3, sc_workflow_cert_state_name(after->state));
    sc_db_bind_text(s, 4, ch->action);
    sc_db_bind_text(s, 5, ch->reason_code);
    sc_db_bind_text(s, 6, ch->reason_text);
    bind_day(s, 7, clk->today);
    if (by_user)
        sc_db_bind_int(s, 8, by_user);
    else
        sc_db_bind_null(s, 8);
    if ((rc = sc_db_finish(s, err)) != SC_OK)
        return rc;
    /* The daily clock's precomputed next_due, in this same transaction. */
    return sc_store_tick_refresh(st, after->id, err);
}

enum sc_err sc_store_certificate_take_number(struct sc_store *st,
                                             const char *pattern, int year,
                                             char out[SC_CERTNO_MAX],
                                             struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_stmt *s = NULL;
    bool row = false;
    int64_t seq = 1, used = 1;
    enum sc_err rc = sc_db_prepare(db, SQL_SEQ_GET, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, year);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && row)
        seq = sc_db_col_int(s, 0);
    sc_db_done(s);
    if (rc != SC_OK)
        return rc;
    if (seq < 1)
        seq = 1;
    /* Skip numbers already taken (imported certificates); bounded. */
    for (int tries = 0; used && tries < 100000; tries++) {
        if (seq > SC_CERTNO_SEQ_MAX)
            return sc_error_set(err, SC_ERR_CONFLICT, "number",
                                "the certificate numbers of %d are used up",
                                year);
        if ((rc = sc_certno_format(pattern, year, seq, out, SC_CERTNO_MAX,
                                   err)) != SC_OK)
            return rc;
        if ((rc = sc_db_prepare(db, SQL_NUMBER_USED, &s, err)) != SC_OK)
            return rc;
        sc_db_bind_text(s, 1, out);
        rc = sc_db_step(s, &row, err);
        used = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc != SC_OK)
            return rc;
        if (used)
            seq++;
    }
    if (used)
        return sc_error_set(err, SC_ERR_CONFLICT, "number",
                            "no free certificate number found for %d", year);
    if ((rc = sc_db_prepare(db, SQL_SEQ_PUT, &s, err)) != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, year);
    sc_db_bind_int(s, 2, seq + 1);
    return sc_db_finish(s, err);
}

static json_t *day_json(sc_day d)
{
    char buf[SC_DATE_BUF];
    sc_date_format(d, buf);
    return json_string(buf);
}

static json_t *score_json(int tenths)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%d.%d", tenths / 10, tenths % 10);
    return json_string(buf);
}

json_t *sc_store_certificate_row_json(const struct sc_store_cert *c)
{
    return json_pack(
        "{s:s, s:I, s:s, s:o, s:s?, s:i, s:s, s:o, s:s, s:s, s:o, s:o, s:o, "
        "s:o, s:o, s:i, s:b, s:s, s:s, s:s}",
        "number", c->number, "organisation", (json_int_t)c->organisation_id,
        "state", sc_workflow_cert_state_name(c->state), "state_since",
        day_json(c->state_since), "state_reason",
        c->state_reason[0] ? c->state_reason : NULL, "revision", c->revision,
        "level", c->level, "score", score_json(c->score_tenths), "scope",
        c->scope, "outlets_covered", c->outlets_covered, "initial_issued",
        day_json(c->initial_issued), "cycle_start", day_json(c->cycle_start),
        "issued", day_json(c->issued), "expires", day_json(c->expires),
        "anchor", day_json(c->anchor), "surveillance_n", c->surveillance_n,
        "confidential", c->confidential, "scheme", c->scheme_id,
        "scheme_version", c->scheme_version, "signatory", c->signatory);
}

/* ---- actions ---------------------------------------------------------- */

static const char *const SUSPEND_CODES[] = {
    "surveillance_overdue", "serious_nonconformity", "misuse_of_mark",
    "holder_request", NULL};
static const char *const WITHDRAW_CODES[] = {
    "not_restored", "serious_nonconformity", "misuse_of_mark",
    "holder_request", NULL};
static const char *const CANCEL_CODES[] = {"holder_request", "service_stopped",
                                           NULL};
static const char *const REISSUE_CODES[] = {
    "scope_correction", "address_correction", "name_correction",
    "outlets_correction", NULL};

static enum sc_err bad_code(const char *code, const char *const *list,
                            struct sc_error *err)
{
    char allowed[256];
    size_t used = 0;
    allowed[0] = '\0';
    for (size_t i = 0; list[i] && used < sizeof allowed; i++) {
        int w = snprintf(allowed + used, sizeof allowed - used, "%s%s",
                         i ? ", " : "", list[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return sc_error_set(err, SC_ERR_INVALID, "reason_code",
                        "unknown reason code \"%.48s\" (allowed: %s)", code,
                        allowed);
}

/* A reason is given when there is a code and a text that is not blank
 * (white space only counts as missing). */
static bool reason_given(const char *code, const char *text)
{
    return code && code[0] && !sc_text_blank(text);
}

static enum sc_err check_reason_text(const char *text, struct sc_error *err)
{
    if (text && strlen(text) > SC_CERT_REASON_MAX)
        return sc_error_set(err, SC_ERR_TOO_LARGE, "reason",
                            "a reason is limited to %d bytes",
                            SC_CERT_REASON_MAX);
    return SC_OK;
}

/* An enterprise user never acts on a certificate's state; told apart from a
 * wrong CB role so the message names the organisation rule. */
static enum sc_err refuse_enterprise(const struct sc_actor *actor,
                                     const struct sc_store_cert *c,
                                     struct sc_error *err)
{
    if (actor->role == SC_ROLE_ENTERPRISE && !sc_actor_owns(actor, c->organisation_id))
        return sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                            "certificate %s belongs to another organisation",
                            c->number);
    return SC_OK;
}

/* An action on the certificate is dated clk->today, never before the day
 * its current state began (the history stays in order). */
static enum sc_err not_before_state(const struct sc_clock *clk,
                                    const struct sc_store_cert *c,
                                    const char *what, struct sc_error *err)
{
    if (clk->today >= c->state_since)
        return SC_OK;
    char since[SC_DATE_BUF];
    sc_date_format(c->state_since, since);
    return sc_error_set(err, SC_ERR_INVALID, "today",
                        "the certificate is %s since %s: a %s cannot be "
                        "dated before that",
                        sc_workflow_cert_state_name(c->state), since, what);
}

static enum sc_err state_change(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor,
                                const char *number,
                                enum sc_workflow_cert_action action,
                                const char *const *codes,
                                const char *reason_code,
                                const char *reason_text, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_store_cert *before = malloc(sizeof *before);
    struct sc_store_cert *after = malloc(sizeof *after);
    json_t *detail = NULL;
    bool own_tx = !sc_db_in_transaction(db);
    enum sc_workflow_cert_state to;
    enum sc_err rc = SC_OK;
    const char *aname = sc_workflow_cert_action_name(action);
    char ename[64];

    if (!before || !after) {
        rc = nomem(err);
        goto out;
    }
    if (own_tx && (rc = sc_db_begin(db, err)) != SC_OK)
        goto out;
    if ((rc = sc_store_certificate_find(st, number, before, err)) != SC_OK ||
        (rc = refuse_enterprise(actor, before, err)) != SC_OK)
        goto out;
    uint32_t holds = SC_PRE_ALL & ~SC_PRE_BIT(SC_PRE_REASON_GIVEN);
    if (reason_given(reason_code, reason_text))
        holds |= SC_PRE_BIT(SC_PRE_REASON_GIVEN);
    /* Only REASON_GIVEN is needed by these rows; the others are set so the
     * table alone decides state and role. */
    if ((rc = sc_workflow_cert_step(before->state, action, actor->role, holds,
                                    &to, err)) != SC_OK)
        goto out;
    if (!in_list(reason_code, codes)) {
        rc = bad_code(reason_code, codes, err);
        goto out;
    }
    if ((rc = check_reason_text(reason_text, err)) != SC_OK)
        goto out;
    if ((rc = not_before_state(clk, before, aname, err)) != SC_OK)
        goto out;
    *after = *before;
    after->state = to;
    after->state_since = clk->today;
    snprintf(after->state_reason, sizeof after->state_reason, "%s",
             reason_code);
    struct sc_store_cert_change ch = {aname, reason_code, reason_text, false, 0};
    if ((rc = sc_store_certificate_write(st, clk, actor->user_id, before, after,
                                         &ch, err)) != SC_OK)
        goto out;
    detail = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "number",
                       after->number, "reason_code", reason_code, "reason",
                       reason_text, "on", sc_workflow_cert_state_name(to),
                       "before", sc_store_certificate_row_json(before),
                       "after", sc_store_certificate_row_json(after));
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    snprintf(ename, sizeof ename, "certificate.%s", aname);
    rc = sc_events_append(st, clk, actor->user_id, ename, "certificate",
                          after->id, detail, err);
out:
    if (own_tx) {
        if (rc == SC_OK)
            rc = sc_db_commit(db, err);
        else
            sc_db_rollback(db);
    }
    json_decref(detail);
    free(before);
    free(after);
    return rc;
}

enum sc_err sc_store_certificate_suspend(struct sc_store *st,
                                         const struct sc_clock *clk,
                                         const struct sc_actor *actor,
                                         const char *number,
                                         const char *reason_code,
                                         const char *reason_text,
                                         struct sc_error *err)
{
    return state_change(st, clk, actor, number, SC_CERT_ACTION_SUSPEND,
                        SUSPEND_CODES, reason_code, reason_text, err);
}

enum sc_err sc_store_certificate_withdraw(struct sc_store *st,
                                          const struct sc_clock *clk,
                                          const struct sc_actor *actor,
                                          const char *number,
                                          const char *reason_code,
                                          const char *reason_text,
                                          struct sc_error *err)
{
    return state_change(st, clk, actor, number, SC_CERT_ACTION_WITHDRAW,
                        WITHDRAW_CODES, reason_code, reason_text, err);
}

enum sc_err sc_store_certificate_cancel(struct sc_store *st,
                                        const struct sc_clock *clk,
                                        const struct sc_actor *actor,
                                        const char *number,
                                        const char *reason_code,
                                        const char *reason_text,
                                        struct sc_error *err)
{
    return state_change(st, clk, actor, number, SC_CERT_ACTION_CANCEL,
                        CANCEL_CODES, reason_code, reason_text, err);
}

static enum sc_err set_text(char *dst, size_t cap, const char *src,
                            const char *field, struct sc_error *err)
{
    size_t n = strlen(src);
    if (n >= cap)
        return sc_error_set(err, SC_ERR_TOO_LARGE, field,
                            "%s is limited to %zu bytes", field, cap - 1);
    memcpy(dst, src, n + 1);
    return SC_OK;
}

enum sc_err sc_store_certificate_reissue(struct sc_store *st,
                                         const struct sc_clock *clk,
                                         const struct sc_actor *actor,
                                         const char *number, const char *scope,
                                         const char *outlets,
                                         const char *reason_code,
                                         const char *reason_text,
                                         struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_store_cert *before = malloc(sizeof *before);
    struct sc_store_cert *after = malloc(sizeof *after);
    json_t *detail = NULL;
    bool own_tx = !sc_db_in_transaction(db);
    enum sc_err rc = SC_OK;

    if (!before || !after) {
        rc = nomem(err);
        goto out;
    }
    if (own_tx && (rc = sc_db_begin(db, err)) != SC_OK)
        goto out;
    if ((rc = sc_store_certificate_find(st, number, before, err)) != SC_OK ||
        (rc = sc_policy_check("certificate.reissue", actor->role,
                              sc_actor_owns(actor, before->organisation_id),
                              err)) != SC_OK)
        goto out;
    {
        uint32_t holds = reason_given(reason_code, reason_text)
                             ? SC_PRE_BIT(SC_PRE_REASON_GIVEN)
                             : 0;
        enum sc_workflow_cert_state to;
        if ((rc = sc_workflow_cert_step(before->state, SC_CERT_ACTION_REISSUE,
                                        actor->role, holds, &to, err)) !=
            SC_OK)
            goto out;
    }
    if (!in_list(reason_code, REISSUE_CODES)) {
        rc = bad_code(reason_code, REISSUE_CODES, err);
        goto out;
    }
    if ((rc = check_reason_text(reason_text, err)) != SC_OK)
        goto out;
    if (!scope && !outlets) {
        rc = sc_error_set(err, SC_ERR_INVALID, "scope",
                          "a reissue changes the scope or the outlets: give "
                          "at least one");
        goto out;
    }
    if (scope && sc_text_blank(scope)) {
        rc = sc_error_set(err, SC_ERR_INVALID, "scope",
                          "the scope must not be blank");
        goto out;
    }
    if (clk->today < before->issued) {
        rc = sc_error_set(err, SC_ERR_INVALID, "today",
                          "a new revision cannot be dated before the "
                          "current one");
        goto out;
    }
    *after = *before;
    if ((scope && (rc = set_text(after->scope, sizeof after->scope, scope,
                                 "scope", err)) != SC_OK) ||
        (outlets && (rc = set_text(after->outlets_covered,
                                   sizeof after->outlets_covered, outlets,
                                   "outlets", err)) != SC_OK))
        goto out;
    if (strcmp(after->scope, before->scope) == 0 &&
        strcmp(after->outlets_covered, before->outlets_covered) == 0) {
        rc = sc_error_set(err, SC_ERR_INVALID, scope ? "scope" : "outlets",
                          "nothing changes: the certificate already says "
                          "that");
        goto out;
    }
    if (before->revision >= 1000000) {
        rc = sc_error_set(err, SC_ERR_CONFLICT, "revision",
                          "too many revisions");
        goto out;
    }
    after->revision = before->revision + 1;
    after->issued = clk->today;
    struct sc_store_cert_change ch = {"reissue", reason_code, reason_text, true,
                                      0};
    if ((rc = sc_store_certificate_write(st, clk, actor->user_id, before, after,
                                         &ch, err)) != SC_OK)
        goto out;
    detail = json_pack("{s:s, s:s, s:s, s:o, s:o}", "number", after->number,
                       "reason_code", reason_code, "reason", reason_text,
                       "before", sc_store_certificate_row_json(before), "after",
                       sc_store_certificate_row_json(after));
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "certificate.reissue",
                          "certificate", after->id, detail, err);
out:
    if (own_tx) {
        if (rc == SC_OK)
            rc = sc_db_commit(db, err);
        else
            sc_db_rollback(db);
    }
    json_decref(detail);
    free(before);
    free(after);
    return rc;
}

/* The one ground on which confidentiality changes, recorded as the status
 * change's reason code. */
static const char CONFIDENTIAL_CODE[] = "holder_request";

enum sc_err sc_store_certificate_set_confidential(
    struct sc_store *st, const struct sc_clock *clk,
    const struct sc_actor *actor, const char *number, bool confidential,
    const char *reason_text, bool *changed, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_store_cert *before = malloc(sizeof *before);
    struct sc_store_cert *after = malloc(sizeof *after);
    json_t *detail = NULL;
    bool own_tx = !sc_db_in_transaction(db);
    const char *aname =
        confidential ? "set_confidential" : "clear_confidential";
    enum sc_err rc = SC_OK;

    if (changed)
        *changed = false;
    if (!before || !after) {
        rc = nomem(err);
        goto out;
    }
    if (own_tx && (rc = sc_db_begin(db, err)) != SC_OK)
        goto out;
    if ((rc = sc_store_certificate_find(st, number, before, err)) != SC_OK ||
        (rc = sc_policy_check("certificate.confidential", actor->role,
                              sc_actor_owns(actor, before->organisation_id),
                              err)) != SC_OK)
        goto out;
    if (!reason_given(CONFIDENTIAL_CODE, reason_text)) {
        rc = sc_error_set(err, SC_ERR_PRECONDITION, "reason_given",
                          "say why (the holder's written request): a reason "
                          "is required");
        goto out;
    }
    if ((rc = check_reason_text(reason_text, err)) != SC_OK ||
        (rc = not_before_state(clk, before, aname, err)) != SC_OK)
        goto out;
    /* Already so: nothing to write, as an organisation update that changes
     * nothing (the request is safe to repeat). */
    if (before->confidential == confidential)
        goto out;
    *after = *before;
    after->confidential = confidential;
    struct sc_store_cert_change ch = {aname, CONFIDENTIAL_CODE, reason_text,
                                      false, 0};
    if ((rc = sc_store_certificate_write(st, clk, actor->user_id, before, after,
                                         &ch, err)) != SC_OK)
        goto out;
    detail = json_pack("{s:s, s:b, s:s, s:s, s:o, s:o}", "number",
                       after->number, "confidential", confidential,
                       "reason_code", CONFIDENTIAL_CODE, "reason", reason_text,
                       "before", sc_store_certificate_row_json(before), "after",
                       sc_store_certificate_row_json(after));
    if (!detail) {
        rc = nomem(err);
        goto out;
    }
    rc = sc_events_append(st, clk, actor->user_id, "certificate.confidential",
                          "certificate", after->id, detail, err);
    if (rc == SC_OK && changed)
        *changed = true;
out:
    if (own_tx) {
        if (rc == SC_OK)
            rc = sc_db_commit(db, err);
        else
            sc_db_rollback(db);
    }
    if (rc != SC_OK && changed)
        *changed = false;
    json_decref(detail);
    free(before);
    free(after);
    return rc;
}

/* ---- views ------------------------------------------------------------ */

static json_t *col_json(struct sc_stmt *s, int col)
{
    const char *t = sc_db_col_text(s, col);
    return t ? json_string(t) : json_null();
}

static enum sc_err add_org(struct sc_store *st, json_t *o, int64_t org,
                           struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_ORG, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, org);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK) {
        json_t *v = row ? json_pack("{s:I, s:o, s:o, s:o}", "id",
                                    (json_int_t)org, "name", col_json(s, 0),
                                    "uscc", col_json(s, 1), "address",
                                    col_json(s, 2))
                        : json_pack("{s:I}", "id", (json_int_t)org);
        if (!v || json_object_set_new(o, "organisation", v) != 0)
            rc = nomem(err);
    }
    sc_db_done(s);
    return rc;
}

static enum sc_err add_revisions(struct sc_store *st, json_t *o, int64_t id,
                                 struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *list = json_array();
    enum sc_err rc = list ? sc_db_prepare(sc_store_db(st), SQL_REVISIONS, &s,
                                          err)
                          : nomem(err);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    sc_db_bind_int(s, 1, id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        json_t *r = json_pack(
            "{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "revision",
            (json_int_t)sc_db_col_int(s, 0), "level", col_json(s, 1), "score",
            score_json((int)sc_db_col_int(s, 2)), "scope", col_json(s, 3),
            "issued", col_json(s, 4), "expires", col_json(s, 5), "decision",
            sc_db_col_is_null(s, 6) ? json_null()
                                    : json_integer(sc_db_col_int(s, 6)),
            "outlets_covered", col_json(s, 7), "reason_code", col_json(s, 8));
        if (!r || json_array_append_new(list, r) != 0) {
            rc = nomem(err);
            break;
        }
    }
    sc_db_done(s);
    if (rc == SC_OK && json_object_set_new(o, "revisions", list) != 0)
        return nomem(err);
    if (rc != SC_OK)
        json_decref(list);
    return rc;
}

static enum sc_err add_changes(struct sc_store *st, json_t *o, int64_t id,
                               struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *list = json_array();
    enum sc_err rc = list ? sc_db_prepare(sc_store_db(st), SQL_CHANGES, &s, err)
                          : nomem(err);
    if (rc != SC_OK) {
        json_decref(list);
        return rc;
    }
    sc_db_bind_int(s, 1, id);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        json_t *r = json_pack(
            "{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "from", col_json(s, 1), "to",
            col_json(s, 2), "action", col_json(s, 3), "reason_code",
            col_json(s, 4), "reason", col_json(s, 5), "on", col_json(s, 6),
            "by", sc_db_col_is_null(s, 7) ? json_string("system")
                                          : col_json(s, 7));
        if (!r || json_array_append_new(list, r) != 0) {
            rc = nomem(err);
            break;
        }
    }
    sc_db_done(s);
    if (rc == SC_OK && json_object_set_new(o, "status_changes", list) != 0)
        return nomem(err);
    if (rc != SC_OK)
        json_decref(list);
    return rc;
}

/* The pending surveillance window of an active certificate, as the daily
 * clock will hold it (null when the chain has ended): the one after the
 * window an audit awaiting the committee has met, if any
 * (sc_store_tick_plan_pending); "awaiting_decision" is that audit's last
 * on-site day when it met the certificate's own pending window, else null. */
static enum sc_err add_window(struct sc_store *st,
                              const struct sc_store_cert *c, json_t *o,
                              struct sc_error *err)
{
    struct sc_scheme *sch = NULL;
    struct sc_tick_plan plan;
    struct sc_timeline_recert r;
    sc_day pending = 0;
    json_t *v = json_null();
    json_t *rv = json_null();
    json_t *aw = json_null();
    enum sc_err rc = SC_OK;

    if (c->state != SC_CERT_STATE_ACTIVE)
        goto set;
    sch = malloc(sizeof *sch);
    if (!sch) {
        rc = nomem(err);
        goto set;
    }
    if ((rc = sc_store_scheme_get(st, c->scheme_id, c->scheme_version, sch,
                                  err)) != SC_OK ||
        (rc = sc_store_tick_pending_to(st, c->id, &pending, err)) != SC_OK)
        goto set;
    struct sc_tick_cert tc = {c->state,   c->state_since,    c->cycle_start,
                              c->expires, c->anchor,         c->surveillance_n,
                              false};
    struct sc_tick_plan own; /* the window of the certificate's own chain */
    if ((rc = sc_store_tick_plan(sch, &tc, &own, err)) != SC_OK ||
        (rc = sc_store_tick_plan_pending(sch, &tc, pending, &plan, err)) !=
            SC_OK)
        goto set;
    if (plan.has_window) {
        const struct sc_timeline_window *w = &plan.window;
        json_decref(v);
        v = json_pack("{s:i, s:o, s:o, s:o, s:o, s:o}", "n", w->n, "anchor",
                      day_json(w->anchor), "opens", day_json(w->opens),
                      "nominal_from", day_json(w->nominal_from), "nominal_to",
                      day_json(w->nominal_to), "closes", day_json(w->closes));
    }
    if (pending && own.has_window && pending >= own.window.opens &&
        pending <= own.window.closes) {
        json_decref(aw); /* the audit awaiting the committee met it */
        aw = day_json(pending);
    }
    if ((rc = sc_timeline_recertification(sch, c->expires, &r, err)) != SC_OK)
        goto set;
    json_decref(rv);
    rv = json_pack("{s:o, s:o, s:o}", "opens", day_json(r.opens), "closes",
                   day_json(r.closes), "late_until", day_json(r.late_until));
set:
    free(sch);
    if (rc == SC_OK && (!v || !rv || !aw))
        rc = nomem(err);
    if (rc == SC_OK) {
        json_object_set_new(o, "next_surveillance", v);
        json_object_set_new(o, "awaiting_decision", aw);
        json_object_set_new(o, "recertification", rv);
    } else {
        json_decref(v);
        json_decref(rv);
        json_decref(aw);
    }
    return rc;
}

enum sc_err sc_store_certificate_json(struct sc_store *st,
                                      const struct sc_actor *actor,
                                      const char *number, json_t **out,
                                      struct sc_error *err)
{
    struct sc_store_cert *c = malloc(sizeof *c);
    json_t *o = NULL;
    enum sc_err rc = c ? sc_store_certificate_find(st, number, c, err)
                       : nomem(err);
    if (rc == SC_OK)
        rc = sc_policy_check("certificate.view", actor->role,
                             sc_actor_owns(actor, c->organisation_id), err);
    if (rc == SC_OK) {
        o = sc_store_certificate_row_json(c);
        if (!o)
            rc = nomem(err);
    }
    if (rc == SC_OK) {
        json_object_del(o, "organisation");
        rc = add_org(st, o, c->organisation_id, err);
    }
    if (rc == SC_OK)
        rc = add_revisions(st, o, c->id, err);
    if (rc == SC_OK)
        rc = add_changes(st, o, c->id, err);
    if (rc == SC_OK)
        rc = add_window(st, c, o, err);
    free(c);
    if (rc != SC_OK) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return SC_OK;
}

enum sc_err sc_store_certificate_list_json(struct sc_store *st,
                                           const struct sc_actor *actor,
                                           const char *state,
                                           int64_t organisation, int limit,
                                           json_t **out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_workflow_cert_state sv;
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    json_t *list = NULL;
    enum sc_err rc;

    if (state && (rc = sc_workflow_cert_state_parse(state, "state", &sv, err)))
        return rc;
    if (limit < 1 || limit > SC_CERT_LIST_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "limit",
                            "limit must be 1..%d", SC_CERT_LIST_MAX);
    if ((rc = sc_policy_scope_for("certificate.view", actor->role, &scope,
                                  err)) != SC_OK)
        return rc;
    if (scope == SC_POLICY_SCOPE_OWN_ORG) {
        /* an enterprise user lists only their own organisation's */
        if (organisation && organisation != actor->organisation_id)
            return sc_error_set(err, SC_ERR_FORBIDDEN, "organisation",
                                "organisation %lld is not yours",
                                (long long)organisation);
        organisation = actor->organisation_id;
    } else if ((rc = sc_policy_check("certificate.view", actor->role, false,
                                     err)) != SC_OK) {
        return rc;
    }
    list = json_array();
    if (!list)
        return nomem(err);
    if ((rc = sc_db_prepare(sc_store_db(st), SQL_LIST, &s, err)) != SC_OK) {
        json_decref(list);
        return rc;
    }
    sc_db_bind_text(s, 1, state);
    sc_db_bind_int(s, 2, organisation);
    sc_db_bind_int(s, 3, limit);
    while ((rc = sc_db_step(s, &row, err)) == SC_OK && row) {
        json_t *r = json_pack(
            "{s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:{s:I, s:o}}", "number",
            col_json(s, 0), "revision", (json_int_t)sc_db_col_int(s, 1),
            "state", col_json(s, 2), "level", col_json(s, 3), "score",
            score_json((int)sc_db_col_int(s, 4)), "issued", col_json(s, 5),
            "expires", col_json(s, 6), "organisation", "id",
            (json_int_t)sc_db_col_int(s, 7), "name", col_json(s, 8));
        if (!r || json_array_append_new(list, r) != 0) {
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
