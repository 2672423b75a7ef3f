/*
 * workflow: the application and certificate state machines of domain.md
 * sections 1.1 and 1.2, as two data tables, with the vocabulary they use
 * (roles, application kinds, states, actions, preconditions) and the names
 * of every value as they appear on the wire and in the database.
 *
 * A row of a table says: from this state, this action, taken by one of these
 * roles, leads to that state, provided these named preconditions hold. The
 * store, the API and the UI ask these tables (step, available actions,
 * required preconditions) and never re-implement them. Whether a
 * precondition holds (materials uploaded, quorum reached, ...) is decided by
 * the caller from its data, usually with the help of impartiality.h; this
 * module only says which ones are needed and names the first one missing.
 *
 * Not for: storing anything, recording who/when/why of a transition (the
 * store does that in the same transaction), or time-based rules (timeline
 * decides when the daily clock, role "system", acts). Pure; static tables;
 * no I/O, no allocation.
 */
#ifndef SC_WORKFLOW_H
#define SC_WORKFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* ---- vocabulary ------------------------------------------------------- */

/* Who acts. "system" is the daily clock (starcert tick). */
enum sc_workflow_role {
    SC_ROLE_ADMIN,
    SC_ROLE_MARKET,
    SC_ROLE_REVIEW,
    SC_ROLE_AUDITOR,
    SC_ROLE_COMMITTEE,
    SC_ROLE_ENTERPRISE,
    SC_ROLE_SYSTEM,
    SC_ROLE_COUNT_
};

enum sc_workflow_app_kind {
    SC_APP_KIND_INITIAL,
    SC_APP_KIND_RECERTIFICATION,
    SC_APP_KIND_UPGRADE,
    SC_APP_KIND_SCOPE_CHANGE,
    SC_APP_KIND_COUNT_
};

enum sc_workflow_app_state {
    SC_APP_STATE_DRAFT,
    SC_APP_STATE_SUBMITTED,
    SC_APP_STATE_ACCEPTED,
    SC_APP_STATE_REJECTED, /* terminal */
    SC_APP_STATE_CONTRACTED,
    SC_APP_STATE_DOCUMENTS_APPROVED,
    SC_APP_STATE_AUDIT_PLANNED,
    SC_APP_STATE_AUDIT_CONFIRMED,
    SC_APP_STATE_IN_AUDIT,
    SC_APP_STATE_AUDIT_REPORTED,
    SC_APP_STATE_CERTIFIED, /* terminal: decided, certificate issued */
    SC_APP_STATE_REFUSED,   /* terminal: decided, not certified */
    SC_APP_STATE_WITHDRAWN, /* terminal */
    SC_APP_STATE_COUNT_
};

enum sc_workflow_app_action {
    SC_APP_ACTION_SUBMIT,
    SC_APP_ACTION_ACCEPT,
    SC_APP_ACTION_RETURN,
    SC_APP_ACTION_REJECT,
    SC_APP_ACTION_SIGN_CONTRACT,
    SC_APP_ACTION_REVISE_DOCUMENTS,
    SC_APP_ACTION_APPROVE_DOCUMENTS,
    SC_APP_ACTION_PLAN_AUDIT,
    SC_APP_ACTION_CONFIRM_ARRANGEMENTS,
    SC_APP_ACTION_START_AUDIT,
    SC_APP_ACTION_SUBMIT_REPORT,
    SC_APP_ACTION_VOTE,
    SC_APP_ACTION_WITHDRAW,
    SC_APP_ACTION_COUNT_
};

enum sc_workflow_cert_state {
    SC_CERT_STATE_ACTIVE,
    SC_CERT_STATE_SUSPENDED,
    SC_CERT_STATE_WITHDRAWN, /* terminal (撤销) */
    SC_CERT_STATE_CANCELLED, /* terminal (注销) */
    SC_CERT_STATE_EXPIRED,   /* only recertify, within the late period */
    SC_CERT_STATE_COUNT_
};

enum sc_workflow_cert_action {
    SC_CERT_ACTION_MAINTAIN,
    SC_CERT_ACTION_SUSPEND,
    SC_CERT_ACTION_RESTORE,
    SC_CERT_ACTION_WITHDRAW,
    SC_CERT_ACTION_CANCEL,
    SC_CERT_ACTION_EXPIRE,
    SC_CERT_ACTION_RECERTIFY,
    SC_CERT_ACTION_REISSUE, /* a new revision, e.g. a scope correction */
    SC_CERT_ACTION_COUNT_
};

/* The committee's decision carried by the application action "vote".
 * NONE for every other action (where it is ignored). */
enum sc_workflow_outcome {
    SC_OUTCOME_NONE,
    SC_OUTCOME_CERTIFIED,
    SC_OUTCOME_REFUSED,
    SC_OUTCOME_COUNT_
};

/*
 * Named preconditions. A set of them is a bit mask: SC_PRE_BIT(p). The caller
 * passes the set that HOLDS; a rule lists the set it NEEDS.
 */
enum sc_workflow_pre {
    SC_PRE_MATERIALS_UPLOADED, /* every required material uploaded */
    SC_PRE_PREPARATION_DONE,   /* preparation items 1-2: trained managers
                                  (at least the scheme's managers_min) and
                                  the service manual */
    SC_PRE_REASON_GIVEN,       /* a reason code and text */
    SC_PRE_CONTRACT_FIELDS,    /* contract number, fee, preliminary audit
                                  date */
    SC_PRE_FINDINGS_RECORDED,  /* document-review findings recorded */
    SC_PRE_NO_OPEN_DOCUMENT_FINDINGS,
    SC_PRE_TEAM_ASSIGNED,         /* team passes impartiality checks (one
                                     lead, qualified, no conflicting link) */
    SC_PRE_MANDAYS_PLANNED,       /* audit time computed (and any reduction
                                     justified) */
    SC_PRE_ARRANGEMENTS_RECORDED, /* people, transport, office space, agreed
                                     dates */
    SC_PRE_LEAD_AUDITOR,          /* the actor is this audit's lead auditor */
    SC_PRE_ALL_RESULTS_RECORDED,  /* every indicator has a result */
    SC_PRE_CALCULATION_SHEET_STORED,
    SC_PRE_FINDINGS_CLOSED,    /* corrective actions verified */
    SC_PRE_LEVEL_PASSED,       /* the calculation sheet's level is a
                                  certified one (not "none") */
    SC_PRE_QUORUM_REACHED,     /* enough independent approving votes */
    SC_PRE_AUDIT_COMPLETED,    /* the audit behind this decision is
                                  completed (reported) */
    SC_PRE_WITHIN_LATE_PERIOD, /* decided within the late period after
                                  expiry (6 months) */
    SC_PRE_COUNT_
};

#define SC_PRE_BIT(p) ((uint32_t)1 << (p))
#define SC_PRE_ALL ((uint32_t)(SC_PRE_BIT(SC_PRE_COUNT_) - 1u))
#define SC_ROLE_BIT(r) ((uint32_t)1 << (r))

/* ---- names ------------------------------------------------------------ */

/* Wire name of a value ("enterprise", "audit_planned", ...), or "unknown"
 * for a value out of range. Static strings. */
const char *sc_workflow_role_name(enum sc_workflow_role v);
const char *sc_workflow_app_kind_name(enum sc_workflow_app_kind v);
const char *sc_workflow_app_state_name(enum sc_workflow_app_state v);
const char *sc_workflow_app_action_name(enum sc_workflow_app_action v);
const char *sc_workflow_cert_state_name(enum sc_workflow_cert_state v);
const char *sc_workflow_cert_action_name(enum sc_workflow_cert_action v);
const char *sc_workflow_outcome_name(enum sc_workflow_outcome v);
const char *sc_workflow_pre_name(enum sc_workflow_pre v);
/* One English line on what a precondition means, for messages and the UI. */
const char *sc_workflow_pre_text(enum sc_workflow_pre v);

/*
 * Parse a wire name (exact, case-sensitive). On failure SC_ERR_INVALID with
 * `field` (may be NULL) and a message listing the allowed names; *out is
 * untouched. "none" is the name of SC_OUTCOME_NONE.
 */
enum sc_err sc_workflow_role_parse(const char *s, const char *field,
                                   enum sc_workflow_role *out,
                                   struct sc_error *err);
enum sc_err sc_workflow_app_kind_parse(const char *s, const char *field,
                                       enum sc_workflow_app_kind *out,
                                       struct sc_error *err);
enum sc_err sc_workflow_app_state_parse(const char *s, const char *field,
                                        enum sc_workflow_app_state *out,
                                        struct sc_error *err);
enum sc_err sc_workflow_app_action_parse(const char *s, const char *field,
                                         enum sc_workflow_app_action *out,
                                         struct sc_error *err);
enum sc_err sc_workflow_cert_state_parse(const char *s, const char *field,
                                         enum sc_workflow_cert_state *out,
                                         struct sc_error *err);
enum sc_err sc_workflow_cert_action_parse(const char *s, const char *field,
                                          enum sc_workflow_cert_action *out,
                                          struct sc_error *err);
enum sc_err sc_workflow_outcome_parse(const char *s, const char *field,
                                      enum sc_workflow_outcome *out,
                                      struct sc_error *err);
enum sc_err sc_workflow_pre_parse(const char *s, const char *field,
                                  enum sc_workflow_pre *out,
                                  struct sc_error *err);

/* ---- the tables ------------------------------------------------------- */

/* One row of the application table. Rows with the same (from, action)
 * differ only by outcome: "vote" has one row per outcome. */
struct sc_workflow_app_rule {
    enum sc_workflow_app_state from;
    enum sc_workflow_app_action action;
    uint32_t roles; /* SC_ROLE_BIT set */
    enum sc_workflow_outcome outcome;
    enum sc_workflow_app_state to;
    uint32_t needs; /* SC_PRE_BIT set */
};

struct sc_workflow_cert_rule {
    enum sc_workflow_cert_state from;
    enum sc_workflow_cert_action action;
    uint32_t roles;
    enum sc_workflow_cert_state to;
    uint32_t needs;
};

/* The tables themselves (static storage), with their row counts. */
const struct sc_workflow_app_rule *sc_workflow_app_rules(size_t *n);
const struct sc_workflow_cert_rule *sc_workflow_cert_rules(size_t *n);

/* ---- stepping --------------------------------------------------------- */

/*
 * Applies `action` to an application in state `from`, taken by `role`, with
 * `holds` the set of preconditions that hold now, and for "vote" the
 * committee's `outcome`. On SC_OK writes the next state to *to. Checks, in
 * this order, stopping at the first failure (so a caller learns nothing
 * about preconditions of an action it may not take):
 *   1. values in range, else SC_ERR_INVALID (field "state", "action" or
 *      "role");
 *   2. state: the action exists from `from`, else SC_ERR_STATE (409), field
 *      "action", message naming both the action and the state;
 *   3. role: `role` may take it, else SC_ERR_FORBIDDEN (403), field "role";
 *   4. outcome (vote only): certified or refused, else SC_ERR_INVALID,
 *      field "outcome";
 *   5. preconditions, in enum order: the first one needed and not held gives
 *      SC_ERR_PRECONDITION (422) with field = its name
 *      (e.g. "materials_uploaded").
 * *to is written only on success; `err` may be NULL.
 */
enum sc_err sc_workflow_app_step(enum sc_workflow_app_state from,
                                 enum sc_workflow_app_action action,
                                 enum sc_workflow_role role, uint32_t holds,
                                 enum sc_workflow_outcome outcome,
                                 enum sc_workflow_app_state *to,
                                 struct sc_error *err);

/* The same for a certificate (no outcome). */
enum sc_err sc_workflow_cert_step(enum sc_workflow_cert_state from,
                                  enum sc_workflow_cert_action action,
                                  enum sc_workflow_role role, uint32_t holds,
                                  enum sc_workflow_cert_state *to,
                                  struct sc_error *err);

/* ---- queries for the API and the UI ----------------------------------- */

/*
 * The actions `role` may take from `from`, whatever the preconditions
 * (the UI shows them, greyed out with the missing preconditions when
 * sc_workflow_*_missing is not 0). Written to out[] in enum order, each
 * once; returns how many (0 for a terminal state or a role with no rights
 * there, and for values out of range). out needs room for *_COUNT_ entries.
 */
size_t
sc_workflow_app_actions(enum sc_workflow_app_state from,
                        enum sc_workflow_role role,
                        enum sc_workflow_app_action out[SC_APP_ACTION_COUNT_]);
size_t sc_workflow_cert_actions(
    enum sc_workflow_cert_state from, enum sc_workflow_role role,
    enum sc_workflow_cert_action out[SC_CERT_ACTION_COUNT_]);

/* Preconditions an action needs from a state (for vote: with that outcome;
 * other actions ignore `outcome`); 0 when the action does not exist there. */
uint32_t sc_workflow_app_needs(enum sc_workflow_app_state from,
                               enum sc_workflow_app_action action,
                               enum sc_workflow_outcome outcome);
uint32_t sc_workflow_cert_needs(enum sc_workflow_cert_state from,
                                enum sc_workflow_cert_action action);

/* true for states from which no action exists. */
bool sc_workflow_app_terminal(enum sc_workflow_app_state s);
bool sc_workflow_cert_terminal(enum sc_workflow_cert_state s);

/* true for the decided states (certified, refused). */
bool sc_workflow_app_decided(enum sc_workflow_app_state s);

#endif
