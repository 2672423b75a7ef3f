/*
 * policy: the one table of who may take the actions outside the state
 * machines, and the functions that read it (see policy.h). Adding an action
 * means adding rows here and a row to the test's expectation table.
 */
#include "policy.h"

#include <string.h>

#define R(x) SC_ROLE_BIT(SC_ROLE_##x)
#define ANON SC_ROLE_BIT(SC_POLICY_ANONYMOUS)
#define STAFF (R(MARKET) | R(REVIEW) | R(AUDITOR) | R(COMMITTEE))
#define ANY SC_POLICY_SCOPE_ANY
#define OWN SC_POLICY_SCOPE_OWN_ORG
#define TEAM SC_POLICY_SCOPE_AUDIT_TEAM
#define SELF SC_POLICY_SCOPE_SELF

/* The CB staff who see everything of a file: admin, market, review,
 * committee. Auditors see only the files of audits they are on. */
#define OFFICE (R(ADMIN) | R(MARKET) | R(REVIEW) | R(COMMITTEE))

static const struct sc_policy_rule rules[] = {
    /* parties */
    {"organisation.create", R(ADMIN) | R(MARKET) | R(SYSTEM), ANY,
     "the CB registers organisations; enterprise users are then created "
     "bound to one; the system actor for imports"},
    {"organisation.update", R(ADMIN) | R(MARKET), ANY, ""},
    {"organisation.update", R(ENTERPRISE), OWN,
     "the holder keeps its address and head count current"},
    {"organisation.rename", R(ADMIN) | R(MARKET), ANY,
     "the name the CB certifies changes only through the CB"},
    {"organisation.view", OFFICE | R(AUDITOR), ANY, ""},
    {"organisation.view", R(ENTERPRISE), OWN, ""},
    {"outlet.add", R(ADMIN) | R(MARKET) | R(SYSTEM), ANY, ""},
    {"outlet.add", R(ENTERPRISE), OWN, ""},
    {"user.create", R(ADMIN), ANY,
     "the very first admin of an empty database is created without an actor"},
    {"user.view", R(ADMIN), ANY, ""},
    {"user.view", STAFF | R(ENTERPRISE), SELF,
     "everyone sees their own account"},
    {"user.deactivate", R(ADMIN), ANY,
     "never themself, never the last active admin"},
    {"user.reactivate", R(ADMIN), ANY, ""},
    {"qualification.add", R(ADMIN), ANY, ""},
    {"qualification.view", R(ADMIN) | R(REVIEW) | R(COMMITTEE), ANY,
     "review plans audit teams"},
    {"qualification.view", R(AUDITOR), SELF, ""},
    {"link.declare", R(ADMIN), ANY, "admin records links for anyone"},
    {"link.declare", STAFF, SELF, "staff declare their own links"},
    {"link.view", R(ADMIN) | R(REVIEW) | R(COMMITTEE), ANY, ""},
    {"link.view", R(MARKET) | R(AUDITOR), SELF, ""},
    {"link.end", R(ADMIN), ANY, "admin ends anyone's link"},
    {"link.end", STAFF, SELF, "staff end their own links"},
    /* applications and their file */
    {"application.create", R(MARKET), ANY, ""},
    {"application.create", R(ENTERPRISE), OWN, ""},
    {"application.view", OFFICE, ANY, ""},
    {"application.view", R(AUDITOR), TEAM, ""},
    {"application.view", R(ENTERPRISE), OWN, ""},
    {"preparation.update", R(MARKET), ANY, ""},
    {"preparation.update", R(ENTERPRISE), OWN, ""},
    {"manager.add", R(MARKET), ANY, ""},
    {"manager.add", R(ENTERPRISE), OWN, ""},
    {"document.upload", R(MARKET), ANY, ""},
    {"document.upload", R(ENTERPRISE), OWN, ""},
    {"document.view", OFFICE, ANY, ""},
    {"document.view", R(AUDITOR), TEAM, ""},
    {"document.view", R(ENTERPRISE), OWN, ""},
    /* findings and audits */
    {"finding.add", R(REVIEW), ANY, ""},
    {"finding.add", R(AUDITOR), TEAM, ""},
    {"finding.correct", R(ENTERPRISE), OWN, ""},
    {"finding.verify", R(REVIEW), ANY, ""},
    {"finding.verify", R(AUDITOR), TEAM, ""},
    {"audit.view", OFFICE, ANY, ""},
    {"audit.view", R(AUDITOR), TEAM, ""},
    {"audit.view", R(ENTERPRISE), OWN, ""},
    {"audit.result", R(AUDITOR), TEAM, ""},
    {"audit.special", R(AUDITOR), TEAM, ""},
    /* certificates and the public */
    {"certificate.view", OFFICE | R(AUDITOR), ANY, ""},
    {"certificate.view", R(ENTERPRISE), OWN, ""},
    {"certificate.reissue", R(COMMITTEE), ANY, ""},
    {"certificate.confidential", R(MARKET) | R(COMMITTEE), ANY,
     "at the holder's written request; market runs the registry"},
    {"event.view", R(ADMIN), ANY, ""},
    {"registry.view", SC_POLICY_ROLES_ALL, ANY, "the public registry"},
    /* batch work */
    {"tick.run", R(ADMIN) | R(SYSTEM), ANY, ""},
    {"import.run", R(ADMIN) | R(SYSTEM), ANY, ""},
};

#define RULE_COUNT (sizeof rules / sizeof rules[0])

const struct sc_policy_rule *sc_policy_rules(size_t *n)
{
    if (n)
        *n = RULE_COUNT;
    return rules;
}

static const char *const scope_names[SC_POLICY_SCOPE_COUNT_] = {
    "none", "any", "own_org", "audit_team", "self",
};

const char *sc_policy_scope_name(enum sc_policy_scope s)
{
    if ((int)s < 0 || (int)s >= (int)SC_POLICY_SCOPE_COUNT_)
        return "unknown";
    return scope_names[s];
}

const char *sc_policy_role_name(enum sc_workflow_role r)
{
    if (r == SC_POLICY_ANONYMOUS)
        return "anonymous";
    return sc_workflow_role_name(r);
}

bool sc_policy_known(const char *action)
{
    if (!action)
        return false;
    for (size_t i = 0; i < RULE_COUNT; i++)
        if (strcmp(rules[i].action, action) == 0)
            return true;
    return false;
}

enum sc_err sc_policy_scope_for(const char *action, enum sc_workflow_role role,
                                enum sc_policy_scope *out, struct sc_error *err)
{
    if (!sc_policy_known(action))
        return sc_error_set(err, SC_ERR_INTERNAL, "action",
                            "no policy for action \"%.48s\"",
                            action ? action : "(null)");
    if ((int)role < 0 || (int)role > (int)SC_POLICY_ANONYMOUS)
        return sc_error_set(err, SC_ERR_INTERNAL, "action",
                            "role %d out of range for action %s", (int)role,
                            action);
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    for (size_t i = 0; i < RULE_COUNT; i++) {
        if (strcmp(rules[i].action, action) == 0 &&
            (rules[i].roles & SC_ROLE_BIT(role))) {
            scope = rules[i].scope;
            break;
        }
    }
    *out = scope;
    return SC_OK;
}

/* The words for what a scoped role lacks, for the refusal message. */
static const char *scope_limit(enum sc_policy_scope s)
{
    switch (s) {
    case SC_POLICY_SCOPE_OWN_ORG:
        return "only for its own organisation";
    case SC_POLICY_SCOPE_AUDIT_TEAM:
        return "only for audits it is on the team of";
    case SC_POLICY_SCOPE_SELF:
        return "only for itself";
    default:
        return "";
    }
}

enum sc_err sc_policy_check(const char *action, enum sc_workflow_role role,
                            bool owns_scope, struct sc_error *err)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    enum sc_err rc = sc_policy_scope_for(action, role, &scope, err);
    if (rc != SC_OK)
        return rc;
    if (scope == SC_POLICY_SCOPE_ANY)
        return SC_OK;
    if (scope == SC_POLICY_SCOPE_NONE)
        return sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                            "role %s may not take action %s",
                            sc_policy_role_name(role), action);
    if (owns_scope)
        return SC_OK;
    return sc_error_set(err, SC_ERR_FORBIDDEN, "as",
                        "role %s may take action %s %s",
                        sc_policy_role_name(role), action, scope_limit(scope));
}
