/*
 * test_workflow: the application and certificate state machines (domain.md
 * sections 1.1 and 1.2). Every (state x action x role) combination is checked
 * against an expectation table written here from the rulebook, independently
 * of the production table, and for every allowed step each needed
 * precondition is removed in turn. Plus names, the query API, messages and
 * the check order.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/workflow.h"

/* ---- the test's own vocabulary ---------------------------------------- */

struct named {
    int v;
    const char *name;
};

static const struct named roles[] = {
    {SC_ROLE_ADMIN, "admin"},         {SC_ROLE_MARKET, "market"},
    {SC_ROLE_REVIEW, "review"},       {SC_ROLE_AUDITOR, "auditor"},
    {SC_ROLE_COMMITTEE, "committee"}, {SC_ROLE_ENTERPRISE, "enterprise"},
    {SC_ROLE_SYSTEM, "system"},
};

static const struct named kinds[] = {
    {SC_APP_KIND_INITIAL, "initial"},
    {SC_APP_KIND_RECERTIFICATION, "recertification"},
    {SC_APP_KIND_UPGRADE, "upgrade"},
    {SC_APP_KIND_SCOPE_CHANGE, "scope_change"},
};

static const struct named app_states[] = {
    {SC_APP_STATE_DRAFT, "draft"},
    {SC_APP_STATE_SUBMITTED, "submitted"},
    {SC_APP_STATE_ACCEPTED, "accepted"},
    {SC_APP_STATE_REJECTED, "rejected"},
    {SC_APP_STATE_CONTRACTED, "contracted"},
    {SC_APP_STATE_DOCUMENTS_APPROVED, "documents_approved"},
    {SC_APP_STATE_AUDIT_PLANNED, "audit_planned"},
    {SC_APP_STATE_AUDIT_CONFIRMED, "audit_confirmed"},
    {SC_APP_STATE_IN_AUDIT, "in_audit"},
    {SC_APP_STATE_AUDIT_REPORTED, "audit_reported"},
    {SC_APP_STATE_CERTIFIED, "certified"},
    {SC_APP_STATE_REFUSED, "refused"},
    {SC_APP_STATE_WITHDRAWN, "withdrawn"},
};

static const struct named app_actions[] = {
    {SC_APP_ACTION_SUBMIT, "submit"},
    {SC_APP_ACTION_ACCEPT, "accept"},
    {SC_APP_ACTION_RETURN, "return"},
    {SC_APP_ACTION_REJECT, "reject"},
    {SC_APP_ACTION_SIGN_CONTRACT, "sign_contract"},
    {SC_APP_ACTION_REVISE_DOCUMENTS, "revise_documents"},
    {SC_APP_ACTION_APPROVE_DOCUMENTS, "approve_documents"},
    {SC_APP_ACTION_PLAN_AUDIT, "plan_audit"},
    {SC_APP_ACTION_CONFIRM_ARRANGEMENTS, "confirm_arrangements"},
    {SC_APP_ACTION_START_AUDIT, "start_audit"},
    {SC_APP_ACTION_SUBMIT_REPORT, "submit_report"},
    {SC_APP_ACTION_VOTE, "vote"},
    {SC_APP_ACTION_WITHDRAW, "withdraw"},
};

static const struct named cert_states[] = {
    {SC_CERT_STATE_ACTIVE, "active"},
    {SC_CERT_STATE_SUSPENDED, "suspended"},
    {SC_CERT_STATE_WITHDRAWN, "withdrawn"},
    {SC_CERT_STATE_CANCELLED, "cancelled"},
    {SC_CERT_STATE_EXPIRED, "expired"},
};

static const struct named cert_actions[] = {
    {SC_CERT_ACTION_MAINTAIN, "maintain"},
    {SC_CERT_ACTION_SUSPEND, "suspend"},
    {SC_CERT_ACTION_RESTORE, "restore"},
    {SC_CERT_ACTION_WITHDRAW, "withdraw"},
    {SC_CERT_ACTION_CANCEL, "cancel"},
    {SC_CERT_ACTION_EXPIRE, "expire"},
    {SC_CERT_ACTION_RECERTIFY, "recertify"},
    {SC_CERT_ACTION_REISSUE, "reissue"},
};

static const struct named outcomes[] = {
    {SC_OUTCOME_NONE, "none"},
    {SC_OUTCOME_CERTIFIED, "certified"},
    {SC_OUTCOME_REFUSED, "refused"},
};

/* in enum order: "first missing" means first in this list */
static const struct named pres[] = {
    {SC_PRE_MATERIALS_UPLOADED, "materials_uploaded"},
    {SC_PRE_PREPARATION_DONE, "preparation_done"},
    {SC_PRE_REASON_GIVEN, "reason_given"},
    {SC_PRE_CONTRACT_FIELDS, "contract_fields"},
    {SC_PRE_FINDINGS_RECORDED, "findings_recorded"},
    {SC_PRE_NO_OPEN_DOCUMENT_FINDINGS, "no_open_document_findings"},
    {SC_PRE_TEAM_ASSIGNED, "team_assigned"},
    {SC_PRE_MANDAYS_PLANNED, "mandays_planned"},
    {SC_PRE_ARRANGEMENTS_RECORDED, "arrangements_recorded"},
    {SC_PRE_LEAD_AUDITOR, "lead_auditor"},
    {SC_PRE_ALL_RESULTS_RECORDED, "all_results_recorded"},
    {SC_PRE_CALCULATION_SHEET_STORED, "calculation_sheet_stored"},
    {SC_PRE_FINDINGS_CLOSED, "findings_closed"},
    {SC_PRE_LEVEL_PASSED, "level_passed"},
    {SC_PRE_QUORUM_REACHED, "quorum_reached"},
    {SC_PRE_AUDIT_COMPLETED, "audit_completed"},
    {SC_PRE_WITHIN_LATE_PERIOD, "within_late_period"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int lookup(const struct named *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return t[i].v;
    fail_msg("test table names unknown value \"%s\"", name);
    return -1;
}

/* ---- the expectations, from domain.md --------------------------------- */

/* from, action, roles (space-separated), to, needs (space-separated, in
 * enum order). For "vote", one row per outcome: action "vote:certified". */
struct expect {
    const char *from, *action, *roles, *to, *needs;
};

#define BEFORE_DECIDED(s)                                                      \
    {                                                                          \
        s, "withdraw", "enterprise", "withdrawn", ""                           \
    }

static const struct expect app_expect[] = {
    {"draft", "submit", "enterprise", "submitted",
     "materials_uploaded preparation_done"},
    {"submitted", "accept", "market", "accepted", ""},
    {"submitted", "return", "market", "draft", "reason_given"},
    {"submitted", "reject", "market", "rejected", "reason_given"},
    {"accepted", "sign_contract", "market", "contracted", "contract_fields"},
    {"contracted", "revise_documents", "review", "contracted",
     "findings_recorded"},
    {"contracted", "approve_documents", "review", "documents_approved",
     "no_open_document_findings"},
    {"documents_approved", "plan_audit", "review", "audit_planned",
     "team_assigned mandays_planned"},
    {"audit_planned", "confirm_arrangements", "enterprise", "audit_confirmed",
     "arrangements_recorded"},
    {"audit_confirmed", "start_audit", "auditor", "in_audit", "lead_auditor"},
    {"in_audit", "submit_report", "auditor", "audit_reported",
     "lead_auditor all_results_recorded calculation_sheet_stored"},
    {"audit_reported", "vote:certified", "committee", "certified",
     "findings_closed level_passed quorum_reached"},
    {"audit_reported", "vote:refused", "committee", "refused",
     "quorum_reached"},
    BEFORE_DECIDED("draft"),
    BEFORE_DECIDED("submitted"),
    BEFORE_DECIDED("accepted"),
    BEFORE_DECIDED("contracted"),
    BEFORE_DECIDED("documents_approved"),
    BEFORE_DECIDED("audit_planned"),
    BEFORE_DECIDED("audit_confirmed"),
    BEFORE_DECIDED("in_audit"),
    BEFORE_DECIDED("audit_reported"),
};

#define CERT_DECISION                                                          \
    "findings_closed level_passed quorum_reached audit_completed"

static const struct expect cert_expect[] = {
    {"active", "maintain", "committee", "active", CERT_DECISION},
    {"active", "suspend", "committee system", "suspended", "reason_given"},
    {"suspended", "restore", "committee", "active", CERT_DECISION},
    {"suspended", "withdraw", "committee system", "withdrawn", "reason_given"},
    {"active", "cancel", "market", "cancelled", "reason_given"},
    {"suspended", "cancel", "market", "cancelled", "reason_given"},
    {"active", "expire", "system", "expired", ""},
    {"suspended", "expire", "system", "expired", ""},
    {"active", "recertify", "committee", "active", CERT_DECISION},
    {"expired", "recertify", "committee", "active",
     CERT_DECISION " within_late_period"},
    {"active", "reissue", "committee", "active", "reason_given"},
};

static bool word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
    return false;
}

static uint32_t needs_mask(const char *needs)
{
    uint32_t m = 0;
    for (size_t i = 0; i < COUNT(pres); i++)
        if (word_in(needs, pres[i].name))
            m |= SC_PRE_BIT(pres[i].v);
    return m;
}

static const char *first_need(const char *needs)
{
    for (size_t i = 0; i < COUNT(pres); i++)
        if (word_in(needs, pres[i].name))
            return pres[i].name;
    return NULL;
}

static const struct expect *find_expect(const struct expect *t, size_t n,
                                        const char *from, const char *action)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].from, from) == 0 && strcmp(t[i].action, action) == 0)
            return &t[i];
    return NULL;
}

/* ---- application: every combination ----------------------------------- */

static int app_checked;

/* One (state, action, role, outcome) against its expectation row (or none). */
static void check_app(const struct named *st, const struct named *ac,
                      const struct named *ro, enum sc_workflow_outcome oc,
                      const struct expect *x, bool action_exists)
{
    enum sc_workflow_app_state to = SC_APP_STATE_COUNT_;
    struct sc_error e;
    sc_error_clear(&e);
    enum sc_err rc = sc_workflow_app_step(
        (enum sc_workflow_app_state)st->v, (enum sc_workflow_app_action)ac->v,
        (enum sc_workflow_role)ro->v, SC_PRE_ALL, oc, &to, &e);
    app_checked++;
    if (!action_exists) {
        if (rc != SC_ERR_STATE)
            fail_msg("%s/%s/%s: got %d, wanted state conflict", st->name,
                     ac->name, ro->name, rc);
        assert_string_equal(e.field, "action");
        assert_non_null(strstr(e.message, st->name));
        assert_non_null(strstr(e.message, ac->name));
        assert_int_equal(to, SC_APP_STATE_COUNT_); /* untouched */
        return;
    }
    if (!word_in(x->roles, ro->name)) {
        if (rc != SC_ERR_FORBIDDEN)
            fail_msg("%s/%s/%s: got %d, wanted forbidden", st->name, ac->name,
                     ro->name, rc);
        assert_string_equal(e.field, "role");
        assert_non_null(strstr(e.message, ro->name));
        return;
    }
    if (rc != SC_OK)
        fail_msg("%s/%s/%s: got %d (%s), wanted ok", st->name, ac->name,
                 ro->name, rc, e.message);
    assert_int_equal(to, lookup(app_states, COUNT(app_states), x->to));

    /* exactly the listed preconditions are needed */
    uint32_t needs = needs_mask(x->needs);
    assert_int_equal(sc_workflow_app_needs((enum sc_workflow_app_state)st->v,
                                           (enum sc_workflow_app_action)ac->v,
                                           oc),
                     needs);
    rc = sc_workflow_app_step((enum sc_workflow_app_state)st->v,
                              (enum sc_workflow_app_action)ac->v,
                              (enum sc_workflow_role)ro->v, needs, oc, &to, &e);
    assert_int_equal(rc, SC_OK);
    rc = sc_workflow_app_step((enum sc_workflow_app_state)st->v,
                              (enum sc_workflow_app_action)ac->v,
                              (enum sc_workflow_role)ro->v, 0, oc, &to, &e);
    const char *first = first_need(x->needs);
    if (!first) {
        assert_int_equal(rc, SC_OK);
    } else {
        assert_int_equal(rc, SC_ERR_PRECONDITION);
        assert_string_equal(e.field, first);
    }
    for (size_t p = 0; p < COUNT(pres); p++) {
        if (!(needs & SC_PRE_BIT(pres[p].v)))
            continue;
        rc = sc_workflow_app_step(
            (enum sc_workflow_app_state)st->v,
            (enum sc_workflow_app_action)ac->v, (enum sc_workflow_role)ro->v,
            SC_PRE_ALL & ~SC_PRE_BIT(pres[p].v), oc, &to, &e);
        assert_int_equal(rc, SC_ERR_PRECONDITION);
        assert_string_equal(e.field, pres[p].name);
        assert_int_equal(e.code, SC_ERR_PRECONDITION);
    }
}

static void test_app_every_combination(void **state)
{
    (void)state;
    char key[64];
    app_checked = 0;
    for (size_t s = 0; s < COUNT(app_states); s++) {
        for (size_t a = 0; a < COUNT(app_actions); a++) {
            const char *sn = app_states[s].name, *an = app_actions[a].name;
            bool is_vote = strcmp(an, "vote") == 0;
            snprintf(key, sizeof key, "%s%s", an, is_vote ? ":certified" : "");
            const struct expect *x =
                find_expect(app_expect, COUNT(app_expect), sn, key);
            const struct expect *xr = NULL;
            if (is_vote) {
                xr = find_expect(app_expect, COUNT(app_expect), sn,
                                 "vote:refused");
                assert_true((x == NULL) == (xr == NULL));
            }
            for (size_t r = 0; r < COUNT(roles); r++) {
                if (!is_vote) {
                    check_app(&app_states[s], &app_actions[a], &roles[r],
                              SC_OUTCOME_NONE, x, x != NULL);
                    continue;
                }
                check_app(&app_states[s], &app_actions[a], &roles[r],
                          SC_OUTCOME_CERTIFIED, x, x != NULL);
                check_app(&app_states[s], &app_actions[a], &roles[r],
                          SC_OUTCOME_REFUSED, xr, xr != NULL);
            }
        }
    }
    /* 13 states x 13 actions x 7 roles, vote twice */
    assert_int_equal(app_checked, 13 * 13 * 7 + 13 * 7);
}

/* Every row of the production table is in the expectation table (the loop
 * above proves the converse). */
static void test_app_table_has_no_extra_rows(void **state)
{
    (void)state;
    size_t n = 0;
    const struct sc_workflow_app_rule *rules = sc_workflow_app_rules(&n);
    assert_int_equal(n, COUNT(app_expect));
    for (size_t i = 0; i < n; i++) {
        char key[64];
        const char *an = sc_workflow_app_action_name(rules[i].action);
        if (rules[i].action == SC_APP_ACTION_VOTE)
            snprintf(key, sizeof key, "vote:%s",
                     sc_workflow_outcome_name(rules[i].outcome));
        else
            snprintf(key, sizeof key, "%s", an);
        const struct expect *x =
            find_expect(app_expect, COUNT(app_expect),
                        sc_workflow_app_state_name(rules[i].from), key);
        assert_non_null(x);
        assert_string_equal(sc_workflow_app_state_name(rules[i].to), x->to);
        assert_int_equal(rules[i].needs, needs_mask(x->needs));
        if (rules[i].action != SC_APP_ACTION_VOTE)
            assert_int_equal(rules[i].outcome, SC_OUTCOME_NONE);
    }
}

static void test_app_vote_outcome(void **state)
{
    (void)state;
    enum sc_workflow_app_state to = SC_APP_STATE_DRAFT;
    struct sc_error e;
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_AUDIT_REPORTED,
                                          SC_APP_ACTION_VOTE, SC_ROLE_COMMITTEE,
                                          SC_PRE_ALL, SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "outcome");
    assert_string_equal(
        e.message, "action \"vote\" needs an outcome: certified or refused");
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_AUDIT_REPORTED,
                                          SC_APP_ACTION_VOTE, SC_ROLE_COMMITTEE,
                                          SC_PRE_ALL,
                                          (enum sc_workflow_outcome)7, &to, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "outcome");
    assert_int_equal(to, SC_APP_STATE_DRAFT);
    /* refusing does not need the findings closed nor a passing level */
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_AUDIT_REPORTED,
                                          SC_APP_ACTION_VOTE, SC_ROLE_COMMITTEE,
                                          SC_PRE_BIT(SC_PRE_QUORUM_REACHED),
                                          SC_OUTCOME_REFUSED, &to, &e),
                     SC_OK);
    assert_int_equal(to, SC_APP_STATE_REFUSED);
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_AUDIT_REPORTED,
                                          SC_APP_ACTION_VOTE, SC_ROLE_COMMITTEE,
                                          SC_PRE_BIT(SC_PRE_QUORUM_REACHED),
                                          SC_OUTCOME_CERTIFIED, &to, &e),
                     SC_ERR_PRECONDITION);
    assert_string_equal(e.field, "findings_closed");
    /* outcome is ignored by other actions */
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_SUBMITTED,
                                          SC_APP_ACTION_ACCEPT, SC_ROLE_MARKET,
                                          0, SC_OUTCOME_REFUSED, &to, &e),
                     SC_OK);
    assert_int_equal(to, SC_APP_STATE_ACCEPTED);
}

/* ---- certificate: every combination ----------------------------------- */

static void test_cert_every_combination(void **state)
{
    (void)state;
    int checked = 0;
    for (size_t s = 0; s < COUNT(cert_states); s++) {
        for (size_t a = 0; a < COUNT(cert_actions); a++) {
            const struct named *st = &cert_states[s], *ac = &cert_actions[a];
            const struct expect *x = find_expect(
                cert_expect, COUNT(cert_expect), st->name, ac->name);
            for (size_t r = 0; r < COUNT(roles); r++) {
                const struct named *ro = &roles[r];
                enum sc_workflow_cert_state to = SC_CERT_STATE_COUNT_;
                struct sc_error e;
                sc_error_clear(&e);
                enum sc_err rc = sc_workflow_cert_step(
                    (enum sc_workflow_cert_state)st->v,
                    (enum sc_workflow_cert_action)ac->v,
                    (enum sc_workflow_role)ro->v, SC_PRE_ALL, &to, &e);
                checked++;
                if (!x) {
                    if (rc != SC_ERR_STATE)
                        fail_msg("%s/%s/%s: got %d, wanted state conflict",
                                 st->name, ac->name, ro->name, rc);
                    assert_string_equal(e.field, "action");
                    assert_non_null(strstr(e.message, st->name));
                    assert_non_null(strstr(e.message, ac->name));
                    assert_int_equal(to, SC_CERT_STATE_COUNT_);
                    continue;
                }
                if (!word_in(x->roles, ro->name)) {
                    if (rc != SC_ERR_FORBIDDEN)
                        fail_msg("%s/%s/%s: got %d, wanted forbidden", st->name,
                                 ac->name, ro->name, rc);
                    assert_string_equal(e.field, "role");
                    continue;
                }
                if (rc != SC_OK)
                    fail_msg("%s/%s/%s: got %d (%s), wanted ok", st->name,
                             ac->name, ro->name, rc, e.message);
                assert_int_equal(
                    to, lookup(cert_states, COUNT(cert_states), x->to));
                uint32_t needs = needs_mask(x->needs);
                assert_int_equal(
                    sc_workflow_cert_needs((enum sc_workflow_cert_state)st->v,
                                           (enum sc_workflow_cert_action)ac->v),
                    needs);
                assert_int_equal(
                    sc_workflow_cert_step((enum sc_workflow_cert_state)st->v,
                                          (enum sc_workflow_cert_action)ac->v,
                                          (enum sc_workflow_role)ro->v, needs,
                                          &to, &e),
                    SC_OK);
                rc = sc_workflow_cert_step((enum sc_workflow_cert_state)st->v,
                                           (enum sc_workflow_cert_action)ac->v,
                                           (enum sc_workflow_role)ro->v, 0, &to,
                                           &e);
                const char *first = first_need(x->needs);
                if (!first) {
                    assert_int_equal(rc, SC_OK);
                } else {
                    assert_int_equal(rc, SC_ERR_PRECONDITION);
                    assert_string_equal(e.field, first);
                }
                for (size_t p = 0; p < COUNT(pres); p++) {
                    if (!(needs & SC_PRE_BIT(pres[p].v)))
                        continue;
                    rc = sc_workflow_cert_step(
                        (enum sc_workflow_cert_state)st->v,
                        (enum sc_workflow_cert_action)ac->v,
                        (enum sc_workflow_role)ro->v,
                        SC_PRE_ALL & ~SC_PRE_BIT(pres[p].v), &to, &e);
                    assert_int_equal(rc, SC_ERR_PRECONDITION);
                    assert_string_equal(e.field, pres[p].name);
                }
            }
        }
    }
    assert_int_equal(checked, 5 * 8 * 7);
}

static void test_cert_table_has_no_extra_rows(void **state)
{
    (void)state;
    size_t n = 0;
    const struct sc_workflow_cert_rule *rules = sc_workflow_cert_rules(&n);
    assert_int_equal(n, COUNT(cert_expect));
    for (size_t i = 0; i < n; i++) {
        const struct expect *x =
            find_expect(cert_expect, COUNT(cert_expect),
                        sc_workflow_cert_state_name(rules[i].from),
                        sc_workflow_cert_action_name(rules[i].action));
        assert_non_null(x);
        assert_string_equal(sc_workflow_cert_state_name(rules[i].to), x->to);
    }
}

/* ---- messages and check order ----------------------------------------- */

static void test_messages(void **state)
{
    (void)state;
    enum sc_workflow_app_state to;
    struct sc_error e;
    assert_int_equal(sc_workflow_app_step(
                         SC_APP_STATE_DRAFT, SC_APP_ACTION_SIGN_CONTRACT,
                         SC_ROLE_MARKET, SC_PRE_ALL, SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_STATE);
    assert_string_equal(e.message, "action \"sign_contract\" is not allowed in "
                                   "state \"draft\"");
    assert_int_equal(sc_err_http_status(e.code), 409);
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_CERTIFIED,
                                          SC_APP_ACTION_WITHDRAW,
                                          SC_ROLE_ENTERPRISE, SC_PRE_ALL,
                                          SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_STATE);
    assert_string_equal(e.message, "action \"withdraw\" is not allowed in "
                                   "state \"certified\": the state is final");
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_SUBMITTED,
                                          SC_APP_ACTION_ACCEPT, SC_ROLE_REVIEW,
                                          SC_PRE_ALL, SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_FORBIDDEN);
    assert_string_equal(e.field, "role");
    assert_string_equal(e.message, "role \"review\" may not take action "
                                   "\"accept\" (allowed: market)");
    assert_int_equal(sc_err_http_status(e.code), 403);
    assert_int_equal(
        sc_workflow_app_step(
            SC_APP_STATE_DRAFT, SC_APP_ACTION_SUBMIT, SC_ROLE_ENTERPRISE,
            SC_PRE_BIT(SC_PRE_MATERIALS_UPLOADED), SC_OUTCOME_NONE, &to, &e),
        SC_ERR_PRECONDITION);
    assert_string_equal(e.field, "preparation_done");
    assert_string_equal(e.message,
                        "action \"submit\" needs preparation_done: the "
                        "preparation items are done: trained service managers "
                        "listed and the service manual uploaded");
    assert_int_equal(sc_err_http_status(e.code), 422);
    enum sc_workflow_cert_state cto;
    assert_int_equal(
        sc_workflow_cert_step(SC_CERT_STATE_ACTIVE, SC_CERT_ACTION_SUSPEND,
                              SC_ROLE_MARKET, SC_PRE_ALL, &cto, &e),
        SC_ERR_FORBIDDEN);
    assert_string_equal(e.message, "role \"market\" may not take action "
                                   "\"suspend\" (allowed: committee, system)");
    assert_int_equal(
        sc_workflow_cert_step(SC_CERT_STATE_CANCELLED, SC_CERT_ACTION_RECERTIFY,
                              SC_ROLE_COMMITTEE, SC_PRE_ALL, &cto, &e),
        SC_ERR_STATE);
    assert_string_equal(e.message, "action \"recertify\" is not allowed in "
                                   "state \"cancelled\": the state is final");
    assert_int_equal(
        sc_workflow_cert_step(
            SC_CERT_STATE_EXPIRED, SC_CERT_ACTION_RECERTIFY, SC_ROLE_COMMITTEE,
            SC_PRE_ALL & ~SC_PRE_BIT(SC_PRE_WITHIN_LATE_PERIOD), &cto, &e),
        SC_ERR_PRECONDITION);
    assert_string_equal(e.field, "within_late_period");
}

/* state before role before preconditions */
static void test_check_order(void **state)
{
    (void)state;
    enum sc_workflow_app_state to;
    struct sc_error e;
    /* wrong state, wrong role, nothing holds: the state is reported */
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_DRAFT,
                                          SC_APP_ACTION_VOTE, SC_ROLE_ADMIN, 0,
                                          SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_STATE);
    /* right state, wrong role, nothing holds: the role is reported */
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_DRAFT,
                                          SC_APP_ACTION_SUBMIT, SC_ROLE_MARKET,
                                          0, SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_FORBIDDEN);
    /* vote by the wrong role without an outcome: the role is reported */
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_AUDIT_REPORTED,
                                          SC_APP_ACTION_VOTE, SC_ROLE_REVIEW, 0,
                                          SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_FORBIDDEN);
    /* outcome before preconditions */
    assert_int_equal(sc_workflow_app_step(SC_APP_STATE_AUDIT_REPORTED,
                                          SC_APP_ACTION_VOTE, SC_ROLE_COMMITTEE,
                                          0, SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_INVALID);
    /* first missing in enum order */
    assert_int_equal(
        sc_workflow_app_step(SC_APP_STATE_IN_AUDIT, SC_APP_ACTION_SUBMIT_REPORT,
                             SC_ROLE_AUDITOR, 0, SC_OUTCOME_NONE, &to, &e),
        SC_ERR_PRECONDITION);
    assert_string_equal(e.field, "lead_auditor");
    /* out-of-range values */
    assert_int_equal(sc_workflow_app_step(
                         (enum sc_workflow_app_state)99, SC_APP_ACTION_SUBMIT,
                         SC_ROLE_ENTERPRISE, 0, SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "state");
    assert_int_equal(sc_workflow_app_step(
                         SC_APP_STATE_DRAFT, (enum sc_workflow_app_action) - 1,
                         SC_ROLE_ENTERPRISE, 0, SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "action");
    assert_int_equal(sc_workflow_app_step(
                         SC_APP_STATE_DRAFT, SC_APP_ACTION_SUBMIT,
                         (enum sc_workflow_role)7, 0, SC_OUTCOME_NONE, &to, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "role");
    enum sc_workflow_cert_state cto;
    assert_int_equal(sc_workflow_cert_step((enum sc_workflow_cert_state)5,
                                           SC_CERT_ACTION_EXPIRE,
                                           SC_ROLE_SYSTEM, 0, &cto, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "state");
    assert_int_equal(sc_workflow_cert_step(SC_CERT_STATE_ACTIVE,
                                           (enum sc_workflow_cert_action)8,
                                           SC_ROLE_SYSTEM, 0, &cto, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "action");
    /* err may be NULL */
    assert_int_equal(sc_workflow_cert_step(SC_CERT_STATE_ACTIVE,
                                           SC_CERT_ACTION_EXPIRE,
                                           SC_ROLE_SYSTEM, 0, &cto, NULL),
                     SC_OK);
    assert_int_equal(cto, SC_CERT_STATE_EXPIRED);
}

/* ---- queries ---------------------------------------------------------- */

static void expect_app_actions(enum sc_workflow_app_state s,
                               enum sc_workflow_role r, const char *want)
{
    enum sc_workflow_app_action out[SC_APP_ACTION_COUNT_];
    size_t n = sc_workflow_app_actions(s, r, out);
    char got[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        used +=
            (size_t)snprintf(got + used, sizeof got - used, "%s%s",
                             i ? " " : "", sc_workflow_app_action_name(out[i]));
    assert_string_equal(got, want);
}

static void expect_cert_actions(enum sc_workflow_cert_state s,
                                enum sc_workflow_role r, const char *want)
{
    enum sc_workflow_cert_action out[SC_CERT_ACTION_COUNT_];
    size_t n = sc_workflow_cert_actions(s, r, out);
    char got[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(got + used, sizeof got - used, "%s%s",
                                 i ? " " : "",
                                 sc_workflow_cert_action_name(out[i]));
    assert_string_equal(got, want);
}

static void test_available_actions(void **state)
{
    (void)state;
    expect_app_actions(SC_APP_STATE_DRAFT, SC_ROLE_ENTERPRISE,
                       "submit withdraw");
    expect_app_actions(SC_APP_STATE_DRAFT, SC_ROLE_MARKET, "");
    expect_app_actions(SC_APP_STATE_SUBMITTED, SC_ROLE_MARKET,
                       "accept return reject");
    expect_app_actions(SC_APP_STATE_SUBMITTED, SC_ROLE_ENTERPRISE, "withdraw");
    expect_app_actions(SC_APP_STATE_CONTRACTED, SC_ROLE_REVIEW,
                       "revise_documents approve_documents");
    expect_app_actions(SC_APP_STATE_AUDIT_REPORTED, SC_ROLE_COMMITTEE, "vote");
    expect_app_actions(SC_APP_STATE_IN_AUDIT, SC_ROLE_AUDITOR, "submit_report");
    for (size_t r = 0; r < COUNT(roles); r++) {
        expect_app_actions(SC_APP_STATE_REJECTED,
                           (enum sc_workflow_role)roles[r].v, "");
        expect_app_actions(SC_APP_STATE_CERTIFIED,
                           (enum sc_workflow_role)roles[r].v, "");
        expect_app_actions(SC_APP_STATE_REFUSED,
                           (enum sc_workflow_role)roles[r].v, "");
        expect_app_actions(SC_APP_STATE_WITHDRAWN,
                           (enum sc_workflow_role)roles[r].v, "");
        expect_cert_actions(SC_CERT_STATE_WITHDRAWN,
                            (enum sc_workflow_role)roles[r].v, "");
        expect_cert_actions(SC_CERT_STATE_CANCELLED,
                            (enum sc_workflow_role)roles[r].v, "");
    }
    expect_cert_actions(SC_CERT_STATE_ACTIVE, SC_ROLE_COMMITTEE,
                        "maintain suspend recertify reissue");
    expect_cert_actions(SC_CERT_STATE_ACTIVE, SC_ROLE_SYSTEM, "suspend expire");
    expect_cert_actions(SC_CERT_STATE_ACTIVE, SC_ROLE_MARKET, "cancel");
    expect_cert_actions(SC_CERT_STATE_SUSPENDED, SC_ROLE_COMMITTEE,
                        "restore withdraw");
    expect_cert_actions(SC_CERT_STATE_SUSPENDED, SC_ROLE_SYSTEM,
                        "withdraw expire");
    expect_cert_actions(SC_CERT_STATE_EXPIRED, SC_ROLE_COMMITTEE, "recertify");
    expect_cert_actions(SC_CERT_STATE_EXPIRED, SC_ROLE_SYSTEM, "");
    expect_cert_actions(SC_CERT_STATE_ACTIVE, SC_ROLE_ADMIN, "");
    /* out of range: nothing */
    expect_app_actions((enum sc_workflow_app_state)40, SC_ROLE_ENTERPRISE, "");
    expect_cert_actions(SC_CERT_STATE_ACTIVE, (enum sc_workflow_role)40, "");
}

/* The query agrees with the step function for every combination. */
static void test_actions_agree_with_step(void **state)
{
    (void)state;
    for (size_t s = 0; s < COUNT(app_states); s++) {
        for (size_t r = 0; r < COUNT(roles); r++) {
            enum sc_workflow_app_action out[SC_APP_ACTION_COUNT_];
            size_t n = sc_workflow_app_actions(
                (enum sc_workflow_app_state)app_states[s].v,
                (enum sc_workflow_role)roles[r].v, out);
            size_t k = 0;
            for (size_t a = 0; a < COUNT(app_actions); a++) {
                enum sc_workflow_app_state to;
                enum sc_err rc = sc_workflow_app_step(
                    (enum sc_workflow_app_state)app_states[s].v,
                    (enum sc_workflow_app_action)app_actions[a].v,
                    (enum sc_workflow_role)roles[r].v, SC_PRE_ALL,
                    SC_OUTCOME_CERTIFIED, &to, NULL);
                if (rc == SC_OK) {
                    assert_true(k < n);
                    assert_int_equal(out[k], app_actions[a].v);
                    k++;
                }
            }
            assert_int_equal(k, n);
        }
    }
}

static void test_terminal_and_decided(void **state)
{
    (void)state;
    const char *terminal = "rejected certified refused withdrawn";
    for (size_t s = 0; s < COUNT(app_states); s++) {
        enum sc_workflow_app_state v =
            (enum sc_workflow_app_state)app_states[s].v;
        assert_int_equal(sc_workflow_app_terminal(v),
                         word_in(terminal, app_states[s].name));
        assert_int_equal(sc_workflow_app_decided(v),
                         word_in("certified refused", app_states[s].name));
    }
    for (size_t s = 0; s < COUNT(cert_states); s++)
        assert_int_equal(sc_workflow_cert_terminal(
                             (enum sc_workflow_cert_state)cert_states[s].v),
                         word_in("withdrawn cancelled", cert_states[s].name));
}

/* Segregation of duties: the administrator takes no step in either machine,
 * and the clock takes none in the application's. */
static void test_admin_and_system_rights(void **state)
{
    (void)state;
    enum sc_workflow_app_action aout[SC_APP_ACTION_COUNT_];
    enum sc_workflow_cert_action cout[SC_CERT_ACTION_COUNT_];
    for (size_t s = 0; s < COUNT(app_states); s++) {
        assert_int_equal(
            sc_workflow_app_actions((enum sc_workflow_app_state)app_states[s].v,
                                    SC_ROLE_ADMIN, aout),
            0);
        assert_int_equal(
            sc_workflow_app_actions((enum sc_workflow_app_state)app_states[s].v,
                                    SC_ROLE_SYSTEM, aout),
            0);
    }
    for (size_t s = 0; s < COUNT(cert_states); s++)
        assert_int_equal(sc_workflow_cert_actions(
                             (enum sc_workflow_cert_state)cert_states[s].v,
                             SC_ROLE_ADMIN, cout),
                         0);
}

/* ---- names ------------------------------------------------------------ */

#define CHECK_NAMES(table, name_fn, parse_fn, type)                            \
    do {                                                                       \
        for (size_t i = 0; i < COUNT(table); i++) {                            \
            assert_int_equal(table[i].v, (int)i); /* enum order */             \
            assert_string_equal(name_fn((type)table[i].v), table[i].name);     \
            type v;                                                            \
            assert_int_equal(parse_fn(table[i].name, "f", &v, NULL), SC_OK);   \
            assert_int_equal(v, table[i].v);                                   \
        }                                                                      \
        assert_string_equal(name_fn((type)COUNT(table)), "unknown");           \
        assert_string_equal(name_fn((type)-1), "unknown");                     \
    } while (0)

static void test_names(void **state)
{
    (void)state;
    CHECK_NAMES(roles, sc_workflow_role_name, sc_workflow_role_parse,
                enum sc_workflow_role);
    CHECK_NAMES(kinds, sc_workflow_app_kind_name, sc_workflow_app_kind_parse,
                enum sc_workflow_app_kind);
    CHECK_NAMES(app_states, sc_workflow_app_state_name,
                sc_workflow_app_state_parse, enum sc_workflow_app_state);
    CHECK_NAMES(app_actions, sc_workflow_app_action_name,
                sc_workflow_app_action_parse, enum sc_workflow_app_action);
    CHECK_NAMES(cert_states, sc_workflow_cert_state_name,
                sc_workflow_cert_state_parse, enum sc_workflow_cert_state);
    CHECK_NAMES(cert_actions, sc_workflow_cert_action_name,
                sc_workflow_cert_action_parse, enum sc_workflow_cert_action);
    CHECK_NAMES(outcomes, sc_workflow_outcome_name, sc_workflow_outcome_parse,
                enum sc_workflow_outcome);
    CHECK_NAMES(pres, sc_workflow_pre_name, sc_workflow_pre_parse,
                enum sc_workflow_pre);
    assert_int_equal(COUNT(roles), SC_ROLE_COUNT_);
    assert_int_equal(COUNT(app_states), SC_APP_STATE_COUNT_);
    assert_int_equal(COUNT(app_actions), SC_APP_ACTION_COUNT_);
    assert_int_equal(COUNT(cert_states), SC_CERT_STATE_COUNT_);
    assert_int_equal(COUNT(cert_actions), SC_CERT_ACTION_COUNT_);
    assert_int_equal(COUNT(pres), SC_PRE_COUNT_);
    for (size_t i = 0; i < COUNT(pres); i++)
        assert_true(strlen(sc_workflow_pre_text((enum sc_workflow_pre)i)) > 10);
}

static void test_parse_refusals(void **state)
{
    (void)state;
    enum sc_workflow_role r = SC_ROLE_ADMIN;
    struct sc_error e;
    assert_int_equal(sc_workflow_role_parse("Market", "role", &r, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "role");
    assert_string_equal(e.message,
                        "unknown role \"Market\": use one of admin, market, "
                        "review, auditor, committee, enterprise, system");
    assert_int_equal(r, SC_ROLE_ADMIN); /* untouched */
    assert_int_equal(sc_workflow_role_parse(NULL, "role", &r, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.message,
                        "a role is required: one of admin, market, review, "
                        "auditor, committee, enterprise, system");
    enum sc_workflow_cert_state cs;
    assert_int_equal(sc_workflow_cert_state_parse("revoked", "status", &cs, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "status");
    assert_string_equal(e.message,
                        "unknown certificate state \"revoked\": use one of "
                        "active, suspended, withdrawn, cancelled, expired");
    enum sc_workflow_app_action aa;
    assert_int_equal(sc_workflow_app_action_parse("", NULL, &aa, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_app_every_combination),
        cmocka_unit_test(test_app_table_has_no_extra_rows),
        cmocka_unit_test(test_app_vote_outcome),
        cmocka_unit_test(test_cert_every_combination),
        cmocka_unit_test(test_cert_table_has_no_extra_rows),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_check_order),
        cmocka_unit_test(test_available_actions),
        cmocka_unit_test(test_actions_agree_with_step),
        cmocka_unit_test(test_terminal_and_decided),
        cmocka_unit_test(test_admin_and_system_rights),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_parse_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
