/*
 * policy: who may take the actions that are NOT state-machine transitions
 * (create an organisation, upload a document, view an audit, run the daily
 * clock...), as one static table. Each row says: this action, by these
 * roles, within this scope. The store, the CLI and the later HTTP API ask
 * sc_policy_check and never write their own role tests; the API's
 * authorisation matrix is generated from sc_policy_rules.
 *
 * Scope is a flag the CALLER resolves from its data, because this module
 * knows no data:
 *   - SC_POLICY_SCOPE_ANY: the role may act on anything;
 *   - SC_POLICY_SCOPE_OWN_ORG: only on its own organisation's data (the
 *     enterprise user; the caller passes owns_scope = the target belongs to
 *     the actor's organisation, e.g. sc_actor_owns);
 *   - SC_POLICY_SCOPE_AUDIT_TEAM: only on audits (and their application,
 *     documents, findings) where the actor is on the audit team;
 *   - SC_POLICY_SCOPE_SELF: only on records about the actor themself (a
 *     staff member declaring their own impartiality link, a user viewing
 *     their own account).
 * A caller that does not know yet whether the actor owns the scope can ask
 * sc_policy_scope_for first and resolve only when needed.
 *
 * The anonymous public (registry look-ups) is the pseudo-role
 * SC_POLICY_ANONYMOUS (= SC_ROLE_COUNT_), named "anonymous".
 *
 * Not for: state-machine transitions (workflow.h decides those, roles
 * included), impartiality (impartiality.h), or authentication. Pure; static
 * table; no I/O, no allocation.
 */
#ifndef SC_POLICY_H
#define SC_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "workflow.h"

/* The anonymous public, as a role value one past the real roles. */
#define SC_POLICY_ANONYMOUS SC_ROLE_COUNT_
/* Every role bit, the anonymous one included. */
#define SC_POLICY_ROLES_ALL ((uint32_t)(SC_ROLE_BIT(SC_ROLE_COUNT_ + 1) - 1u))

enum sc_policy_scope {
    SC_POLICY_SCOPE_NONE, /* not allowed at all (only from scope_for) */
    SC_POLICY_SCOPE_ANY,
    SC_POLICY_SCOPE_OWN_ORG,
    SC_POLICY_SCOPE_AUDIT_TEAM,
    SC_POLICY_SCOPE_SELF,
    SC_POLICY_SCOPE_COUNT_
};

#define SC_POLICY_ACTION_MAX 48 /* longest action name plus NUL, with room */

/* One row: `roles` (SC_ROLE_BIT set; bit SC_POLICY_ANONYMOUS for the
 * public) may take `action` within `scope`. An action has one row per
 * scope at most, and a role appears in at most one row of an action. */
struct sc_policy_rule {
    const char *action; /* "organisation.create" */
    uint32_t roles;
    enum sc_policy_scope scope;
    const char *note; /* one English line for the matrix, or "" */
};

/* The table (static storage), with its row count, rows of one action
 * adjacent, actions in a stable documented order. */
const struct sc_policy_rule *sc_policy_rules(size_t *n);

/* Wire names: "any", "own_org", "audit_team", "self", "none"; a role's name
 * as in workflow.h plus "anonymous" for SC_POLICY_ANONYMOUS; "unknown" for
 * values out of range. Static strings. */
const char *sc_policy_scope_name(enum sc_policy_scope s);
const char *sc_policy_role_name(enum sc_workflow_role r);

/* true when `action` is a name in the table. NULL is not. */
bool sc_policy_known(const char *action);

/*
 * The scope within which `role` may take `action`: SC_POLICY_SCOPE_NONE
 * when the role may not take it at all. SC_ERR_INTERNAL (field "action")
 * for an unknown action or a role out of range (a programmer error,
 * reported, not a crash); *out is written only on SC_OK.
 */
enum sc_err sc_policy_scope_for(const char *action, enum sc_workflow_role role,
                                enum sc_policy_scope *out,
                                struct sc_error *err);

/*
 * May `role` take `action`? `owns_scope` is the caller's answer for the
 * role's scope (ignored for SC_POLICY_SCOPE_ANY): true when the target is
 * the actor's own organisation / an audit the actor is on / the actor
 * themself. Returns SC_OK; SC_ERR_FORBIDDEN with field "as" and a message
 * naming the role and the action (and, for a scoped role, the scope it
 * lacks); SC_ERR_INTERNAL (field "action") for an unknown action or a role
 * out of range. `err` may be NULL.
 */
enum sc_err sc_policy_check(const char *action, enum sc_workflow_role role,
                            bool owns_scope, struct sc_error *err);

#endif
