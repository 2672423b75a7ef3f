/*
 * workflow: the two state-machine tables and the functions that read them
 * (see workflow.h). The tables below are the only statement of who may do
 * what, from where, under which conditions; everything else derives from
 * them.
 */
#include "workflow.h"

#include <stdio.h>
#include <string.h>

/* ---- names ------------------------------------------------------------ */

static const char *const role_names[SC_ROLE_COUNT_] = {
    "admin", "market", "review", "auditor", "committee", "enterprise", "system",
};

static const char *const kind_names[SC_APP_KIND_COUNT_] = {
    "initial",
    "recertification",
    "upgrade",
    "scope_change",
};

static const char *const app_state_names[SC_APP_STATE_COUNT_] = {
    "draft",      "submitted",          "accepted",      "rejected",
    "contracted", "documents_approved", "audit_planned", "audit_confirmed",
    "in_audit",   "audit_reported",     "certified",     "refused",
    "withdrawn",
};

static const char *const app_action_names[SC_APP_ACTION_COUNT_] = {
    "submit",
    "accept",
    "return",
    "reject",
    "sign_contract",
    "revise_documents",
    "approve_documents",
    "plan_audit",
    "confirm_arrangements",
    "start_audit",
    "submit_report",
    "vote",
    "withdraw",
};

static const char *const cert_state_names[SC_CERT_STATE_COUNT_] = {
    "active", "suspended", "withdrawn", "cancelled", "expired",
};

static const char *const cert_action_names[SC_CERT_ACTION_COUNT_] = {
    "maintain", "suspend", "restore",   "withdraw",
    "cancel",   "expire",  "recertify", "reissue",
};

static const char *const outcome_names[SC_OUTCOME_COUNT_] = {
    "none",
    "certified",
    "refused",
};

static const char *const pre_names[SC_PRE_COUNT_] = {
    "materials_uploaded", "preparation_done",     "reason_given",
    "contract_fields",    "findings_recorded",    "no_open_document_findings",
    "team_assigned",      "mandays_planned",      "arrangements_recorded",
    "lead_auditor",       "all_results_recorded", "calculation_sheet_stored",
    "findings_closed",    "level_passed",         "quorum_reached",
    "audit_completed",    "within_late_period",
};

static const char *const pre_texts[SC_PRE_COUNT_] = {
    "every required application material is uploaded",
    "the preparation items are done: trained service managers listed and "
    "the service manual uploaded",
    "a reason code and text are given",
    "the contract has a number, a fee and a preliminary audit date",
    "the document-review findings are recorded",
    "no document-review finding is open",
    "an impartial, qualified audit team with one lead auditor is assigned",
    "the audit time (man-days) is planned",
    "the on-site arrangements (people, transport, office space, agreed "
    "dates) are recorded",
    "the actor is this audit's lead auditor",
    "every indicator has a result",
    "the calculation sheet is stored",
    "every finding is closed (corrective action verified)",
    "the calculated level is a certified level",
    "enough independent committee members approve",
    "the audit behind this decision is completed",
    "the decision falls within the late period after expiry",
};

#define NAME_OF(table, count, v)                                               \
    ((int)(v) >= 0 && (int)(v) < (int)(count) ? (table)[(v)] : "unknown")

const char *sc_workflow_role_name(enum sc_workflow_role v)
{
    return NAME_OF(role_names, SC_ROLE_COUNT_, v);
}
const char *sc_workflow_app_kind_name(enum sc_workflow_app_kind v)
{
    return NAME_OF(kind_names, SC_APP_KIND_COUNT_, v);
}
const char *sc_workflow_app_state_name(enum sc_workflow_app_state v)
{
    return NAME_OF(app_state_names, SC_APP_STATE_COUNT_, v);
}
const char *sc_workflow_app_action_name(enum sc_workflow_app_action v)
{
    return NAME_OF(app_action_names, SC_APP_ACTION_COUNT_, v);
}
const char *sc_workflow_cert_state_name(enum sc_workflow_cert_state v)
{
    return NAME_OF(cert_state_names, SC_CERT_STATE_COUNT_, v);
}
const char *sc_workflow_cert_action_name(enum sc_workflow_cert_action v)
{
    return NAME_OF(cert_action_names, SC_CERT_ACTION_COUNT_, v);
}
const char *sc_workflow_outcome_name(enum sc_workflow_outcome v)
{
    return NAME_OF(outcome_names, SC_OUTCOME_COUNT_, v);
}
const char *sc_workflow_pre_name(enum sc_workflow_pre v)
{
    return NAME_OF(pre_names, SC_PRE_COUNT_, v);
}
const char *sc_workflow_pre_text(enum sc_workflow_pre v)
{
    return NAME_OF(pre_texts, SC_PRE_COUNT_, v);
}

/* Looks `s` up in names[0..n); on failure lists the names in the message. */
static enum sc_err parse_name(const char *const *names, int n, const char *what,
                              const char *s, const char *field, int *out,
                              struct sc_error *err)
{
    for (int i = 0; s && i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return SC_OK;
        }
    }
    char list[SC_ERROR_MESSAGE_MAX];
    size_t used = 0;
    list[0] = '\0';
    for (int i = 0; i < n && used < sizeof list; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                         names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (!s)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "a %s is required: one of %s", what, list);
    return sc_error_set(err, SC_ERR_INVALID, field,
                        "unknown %s \"%.40s\": use one of %s", what, s, list);
}

#define PARSE_FN(fn, type, table, count, what)                                 \
    enum sc_err fn(const char *s, const char *field, type *out,                \
                   struct sc_error *err)                                       \
    {                                                                          \
        int v = 0;                                                             \
        enum sc_err rc =                                                       \
            parse_name(table, (int)(count), what, s, field, &v, err);          \
        if (rc == SC_OK)                                                       \
            *out = (type)v;                                                    \
        return rc;                                                             \
    }

PARSE_FN(sc_workflow_role_parse, enum sc_workflow_role, role_names,
         SC_ROLE_COUNT_, "role")
PARSE_FN(sc_workflow_app_kind_parse, enum sc_workflow_app_kind, kind_names,
         SC_APP_KIND_COUNT_, "application kind")
PARSE_FN(sc_workflow_app_state_parse, enum sc_workflow_app_state,
         app_state_names, SC_APP_STATE_COUNT_, "application state")
PARSE_FN(sc_workflow_app_action_parse, enum sc_workflow_app_action,
         app_action_names, SC_APP_ACTION_COUNT_, "application action")
PARSE_FN(sc_workflow_cert_state_parse, enum sc_workflow_cert_state,
         cert_state_names, SC_CERT_STATE_COUNT_, "certificate state")
PARSE_FN(sc_workflow_cert_action_parse, enum sc_workflow_cert_action,
         cert_action_names, SC_CERT_ACTION_COUNT_, "certificate action")
PARSE_FN(sc_workflow_outcome_parse, enum sc_workflow_outcome, outcome_names,
         SC_OUTCOME_COUNT_, "outcome")
PARSE_FN(sc_workflow_pre_parse, enum sc_workflow_pre, pre_names, SC_PRE_COUNT_,
         "precondition")

/* ---- the tables ------------------------------------------------------- */

#define R(x) SC_ROLE_BIT(SC_ROLE_##x)
#define P(x) SC_PRE_BIT(SC_PRE_##x)
#define AS(x) SC_APP_STATE_##x
#define AA(x) SC_APP_ACTION_##x
#define CS(x) SC_CERT_STATE_##x
#define CA(x) SC_CERT_ACTION_##x

/* domain.md 1.1. A committee decision to certify needs the findings closed,
 * a certified level and a quorum; a decision to refuse needs only the
 * quorum (open findings or a failing level are reasons to refuse). The
 * enterprise may withdraw from every state before a decision. */
static const struct sc_workflow_app_rule app_rules[] = {
    {AS(DRAFT), AA(SUBMIT), R(ENTERPRISE), SC_OUTCOME_NONE, AS(SUBMITTED),
     P(MATERIALS_UPLOADED) | P(PREPARATION_DONE)},
    {AS(SUBMITTED), AA(ACCEPT), R(MARKET), SC_OUTCOME_NONE, AS(ACCEPTED), 0},
    {AS(SUBMITTED), AA(RETURN), R(MARKET), SC_OUTCOME_NONE, AS(DRAFT),
     P(REASON_GIVEN)},
    {AS(SUBMITTED), AA(REJECT), R(MARKET), SC_OUTCOME_NONE, AS(REJECTED),
     P(REASON_GIVEN)},
    {AS(ACCEPTED), AA(SIGN_CONTRACT), R(MARKET), SC_OUTCOME_NONE,
     AS(CONTRACTED), P(CONTRACT_FIELDS)},
    {AS(CONTRACTED), AA(REVISE_DOCUMENTS), R(REVIEW), SC_OUTCOME_NONE,
     AS(CONTRACTED), P(FINDINGS_RECORDED)},
    {AS(CONTRACTED), AA(APPROVE_DOCUMENTS), R(REVIEW), SC_OUTCOME_NONE,
     AS(DOCUMENTS_APPROVED), P(NO_OPEN_DOCUMENT_FINDINGS)},
    {AS(DOCUMENTS_APPROVED), AA(PLAN_AUDIT), R(REVIEW), SC_OUTCOME_NONE,
     AS(AUDIT_PLANNED), P(TEAM_ASSIGNED) | P(MANDAYS_PLANNED)},
    {AS(AUDIT_PLANNED), AA(CONFIRM_ARRANGEMENTS), R(ENTERPRISE),
     SC_OUTCOME_NONE, AS(AUDIT_CONFIRMED), P(ARRANGEMENTS_RECORDED)},
    {AS(AUDIT_CONFIRMED), AA(START_AUDIT), R(AUDITOR), SC_OUTCOME_NONE,
     AS(IN_AUDIT), P(LEAD_AUDITOR)},
    {AS(IN_AUDIT), AA(SUBMIT_REPORT), R(AUDITOR), SC_OUTCOME_NONE,
     AS(AUDIT_REPORTED),
     P(LEAD_AUDITOR) | P(ALL_RESULTS_RECORDED) | P(CALCULATION_SHEET_STORED)},
    {AS(AUDIT_REPORTED), AA(VOTE), R(COMMITTEE), SC_OUTCOME_CERTIFIED,
     AS(CERTIFIED), P(FINDINGS_CLOSED) | P(LEVEL_PASSED) | P(QUORUM_REACHED)},
    {AS(AUDIT_REPORTED), AA(VOTE), R(COMMITTEE), SC_OUTCOME_REFUSED,
     AS(REFUSED), P(QUORUM_REACHED)},
    {AS(DRAFT), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE, AS(WITHDRAWN), 0},
    {AS(SUBMITTED), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE, AS(WITHDRAWN),
     0},
    {AS(ACCEPTED), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE, AS(WITHDRAWN),
     0},
    {AS(CONTRACTED), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE,
     AS(WITHDRAWN), 0},
    {AS(DOCUMENTS_APPROVED), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE,
     AS(WITHDRAWN), 0},
    {AS(AUDIT_PLANNED), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE,
     AS(WITHDRAWN), 0},
    {AS(AUDIT_CONFIRMED), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE,
     AS(WITHDRAWN), 0},
    {AS(IN_AUDIT), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE, AS(WITHDRAWN),
     0},
    {AS(AUDIT_REPORTED), AA(WITHDRAW), R(ENTERPRISE), SC_OUTCOME_NONE,
     AS(WITHDRAWN), 0},
};

/* domain.md 1.2. Every committee decision that keeps or gives back a
 * certificate (maintain, restore, recertify) rests on a completed, scored
 * audit with its findings closed, a certified level and a quorum. */
#define DECISION                                                               \
    (P(AUDIT_COMPLETED) | P(FINDINGS_CLOSED) | P(LEVEL_PASSED) |               \
     P(QUORUM_REACHED))
static const struct sc_workflow_cert_rule cert_rules[] = {
    {CS(ACTIVE), CA(MAINTAIN), R(COMMITTEE), CS(ACTIVE), DECISION},
    {CS(ACTIVE), CA(SUSPEND), R(COMMITTEE) | R(SYSTEM), CS(SUSPENDED),
     P(REASON_GIVEN)},
    {CS(SUSPENDED), CA(RESTORE), R(COMMITTEE), CS(ACTIVE), DECISION},
    {CS(SUSPENDED), CA(WITHDRAW), R(COMMITTEE) | R(SYSTEM), CS(WITHDRAWN),
     P(REASON_GIVEN)},
    {CS(ACTIVE), CA(CANCEL), R(MARKET), CS(CANCELLED), P(REASON_GIVEN)},
    {CS(SUSPENDED), CA(CANCEL), R(MARKET), CS(CANCELLED), P(REASON_GIVEN)},
    {CS(ACTIVE), CA(EXPIRE), R(SYSTEM), CS(EXPIRED), 0},
    {CS(SUSPENDED), CA(EXPIRE), R(SYSTEM), CS(EXPIRED), 0},
    {CS(ACTIVE), CA(RECERTIFY), R(COMMITTEE), CS(ACTIVE), DECISION},
    {CS(EXPIRED), CA(RECERTIFY), R(COMMITTEE), CS(ACTIVE),
     DECISION | P(WITHIN_LATE_PERIOD)},
    {CS(ACTIVE), CA(REISSUE), R(COMMITTEE), CS(ACTIVE), P(REASON_GIVEN)},
};

#define N_APP_RULES (sizeof app_rules / sizeof app_rules[0])
#define N_CERT_RULES (sizeof cert_rules / sizeof cert_rules[0])

const struct sc_workflow_app_rule *sc_workflow_app_rules(size_t *n)
{
    if (n)
        *n = N_APP_RULES;
    return app_rules;
}

const struct sc_workflow_cert_rule *sc_workflow_cert_rules(size_t *n)
{
    if (n)
        *n = N_CERT_RULES;
    return cert_rules;
}

/* ---- stepping --------------------------------------------------------- */

static void list_roles(uint32_t roles, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int r = 0; r < SC_ROLE_COUNT_ && used < cap; r++) {
        if (!(roles & SC_ROLE_BIT(r)))
            continue;
        int w = snprintf(buf + used, cap - used, "%s%s", used ? ", " : "",
                         role_names[r]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

static enum sc_err missing_pre(const char *action, uint32_t needs,
                               uint32_t holds, struct sc_error *err)
{
    uint32_t missing = needs & ~holds;
    for (int p = 0; p < SC_PRE_COUNT_; p++)
        if (missing & SC_PRE_BIT(p))
            return sc_error_set(err, SC_ERR_PRECONDITION, pre_names[p],
                                "action \"%s\" needs %s: %s", action,
                                pre_names[p], pre_texts[p]);
    return SC_OK;
}

static enum sc_err refuse_state(const char *action, const char *state,
                                bool terminal, struct sc_error *err)
{
    if (terminal)
        return sc_error_set(err, SC_ERR_STATE, "action",
                            "action \"%s\" is not allowed in state \"%s\": "
                            "the state is final",
                            action, state);
    return sc_error_set(err, SC_ERR_STATE, "action",
                        "action \"%s\" is not allowed in state \"%s\"", action,
                        state);
}

static enum sc_err refuse_role(const char *role, const char *action,
                               uint32_t allowed, struct sc_error *err)
{
    char list[128];
    list_roles(allowed, list, sizeof list);
    return sc_error_set(err, SC_ERR_FORBIDDEN, "role",
                        "role \"%s\" may not take action \"%s\" (allowed: %s)",
                        role, action, list);
}

static bool in_range(int v, int count)
{
    return v >= 0 && v < count;
}

enum sc_err sc_workflow_app_step(enum sc_workflow_app_state from,
                                 enum sc_workflow_app_action action,
                                 enum sc_workflow_role role, uint32_t holds,
                                 enum sc_workflow_outcome outcome,
                                 enum sc_workflow_app_state *to,
                                 struct sc_error *err)
{
    if (!in_range((int)from, SC_APP_STATE_COUNT_))
        return sc_error_set(err, SC_ERR_INVALID, "state",
                            "application state %d is out of range", (int)from);
    if (!in_range((int)action, SC_APP_ACTION_COUNT_))
        return sc_error_set(err, SC_ERR_INVALID, "action",
                            "application action %d is out of range",
                            (int)action);
    if (!in_range((int)role, SC_ROLE_COUNT_))
        return sc_error_set(err, SC_ERR_INVALID, "role",
                            "role %d is out of range", (int)role);
    const char *aname = app_action_names[action];
    const struct sc_workflow_app_rule *any = NULL;
    for (size_t i = 0; i < N_APP_RULES && !any; i++)
        if (app_rules[i].from == from && app_rules[i].action == action)
            any = &app_rules[i];
    if (!any)
        return refuse_state(aname, app_state_names[from],
                            sc_workflow_app_terminal(from), err);
    if (!(any->roles & SC_ROLE_BIT(role)))
        return refuse_role(role_names[role], aname, any->roles, err);
    enum sc_workflow_outcome want =
        action == SC_APP_ACTION_VOTE ? outcome : SC_OUTCOME_NONE;
    if (action == SC_APP_ACTION_VOTE && want != SC_OUTCOME_CERTIFIED &&
        want != SC_OUTCOME_REFUSED)
        return sc_error_set(err, SC_ERR_INVALID, "outcome",
                            "action \"vote\" needs an outcome: certified or "
                            "refused");
    const struct sc_workflow_app_rule *rule = NULL;
    for (size_t i = 0; i < N_APP_RULES && !rule; i++)
        if (app_rules[i].from == from && app_rules[i].action == action &&
            app_rules[i].outcome == want)
            rule = &app_rules[i];
    if (!rule) /* a table without a row for this outcome is a bug */
        return sc_error_set(err, SC_ERR_INTERNAL, "outcome",
                            "no rule for outcome \"%s\"",
                            sc_workflow_outcome_name(want));
    enum sc_err rc = missing_pre(aname, rule->needs, holds, err);
    if (rc != SC_OK)
        return rc;
    *to = rule->to;
    return SC_OK;
}

enum sc_err sc_workflow_cert_step(enum sc_workflow_cert_state from,
                                  enum sc_workflow_cert_action action,
                                  enum sc_workflow_role role, uint32_t holds,
                                  enum sc_workflow_cert_state *to,
                                  struct sc_error *err)
{
    if (!in_range((int)from, SC_CERT_STATE_COUNT_))
        return sc_error_set(err, SC_ERR_INVALID, "state",
                            "certificate state %d is out of range", (int)from);
    if (!in_range((int)action, SC_CERT_ACTION_COUNT_))
        return sc_error_set(err, SC_ERR_INVALID, "action",
                            "certificate action %d is out of range",
                            (int)action);
    if (!in_range((int)role, SC_ROLE_COUNT_))
        return sc_error_set(err, SC_ERR_INVALID, "role",
                            "role %d is out of range", (int)role);
    const char *aname = cert_action_names[action];
    const struct sc_workflow_cert_rule *rule = NULL;
    for (size_t i = 0; i < N_CERT_RULES && !rule; i++)
        if (cert_rules[i].from == from && cert_rules[i].action == action)
            rule = &cert_rules[i];
    if (!rule)
        return refuse_state(aname, cert_state_names[from],
                            sc_workflow_cert_terminal(from), err);
    if (!(rule->roles & SC_ROLE_BIT(role)))
        return refuse_role(role_names[role], aname, rule->roles, err);
    enum sc_err rc = missing_pre(aname, rule->needs, holds, err);
    if (rc != SC_OK)
        return rc;
    *to = rule->to;
    return SC_OK;
}

/* ---- queries ---------------------------------------------------------- */

size_t
sc_workflow_app_actions(enum sc_workflow_app_state from,
                        enum sc_workflow_role role,
                        enum sc_workflow_app_action out[SC_APP_ACTION_COUNT_])
{
    size_t n = 0;
    if (!in_range((int)from, SC_APP_STATE_COUNT_) ||
        !in_range((int)role, SC_ROLE_COUNT_))
        return 0;
    for (int a = 0; a < SC_APP_ACTION_COUNT_; a++) {
        for (size_t i = 0; i < N_APP_RULES; i++) {
            if (app_rules[i].from == from && (int)app_rules[i].action == a &&
                (app_rules[i].roles & SC_ROLE_BIT(role))) {
                out[n++] = (enum sc_workflow_app_action)a;
                break;
            }
        }
    }
    return n;
}

size_t sc_workflow_cert_actions(
    enum sc_workflow_cert_state from, enum sc_workflow_role role,
    enum sc_workflow_cert_action out[SC_CERT_ACTION_COUNT_])
{
    size_t n = 0;
    if (!in_range((int)from, SC_CERT_STATE_COUNT_) ||
        !in_range((int)role, SC_ROLE_COUNT_))
        return 0;
    for (int a = 0; a < SC_CERT_ACTION_COUNT_; a++) {
        for (size_t i = 0; i < N_CERT_RULES; i++) {
            if (cert_rules[i].from == from && (int)cert_rules[i].action == a &&
                (cert_rules[i].roles & SC_ROLE_BIT(role))) {
                out[n++] = (enum sc_workflow_cert_action)a;
                break;
            }
        }
    }
    return n;
}

uint32_t sc_workflow_app_needs(enum sc_workflow_app_state from,
                               enum sc_workflow_app_action action,
                               enum sc_workflow_outcome outcome)
{
    enum sc_workflow_outcome want =
        action == SC_APP_ACTION_VOTE ? outcome : SC_OUTCOME_NONE;
    for (size_t i = 0; i < N_APP_RULES; i++)
        if (app_rules[i].from == from && app_rules[i].action == action &&
            app_rules[i].outcome == want)
            return app_rules[i].needs;
    return 0;
}

uint32_t sc_workflow_cert_needs(enum sc_workflow_cert_state from,
                                enum sc_workflow_cert_action action)
{
    for (size_t i = 0; i < N_CERT_RULES; i++)
        if (cert_rules[i].from == from && cert_rules[i].action == action)
            return cert_rules[i].needs;
    return 0;
}

bool sc_workflow_app_terminal(enum sc_workflow_app_state s)
{
    for (size_t i = 0; i < N_APP_RULES; i++)
        if (app_rules[i].from == s)
            return false;
    return true;
}

bool sc_workflow_cert_terminal(enum sc_workflow_cert_state s)
{
    for (size_t i = 0; i < N_CERT_RULES; i++)
        if (cert_rules[i].from == s)
            return false;
    return true;
}

bool sc_workflow_app_decided(enum sc_workflow_app_state s)
{
    return s == SC_APP_STATE_CERTIFIED || s == SC_APP_STATE_REFUSED;
}
