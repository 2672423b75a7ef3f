/*
 * store_audit: on-site audits (domain.md 1.1 from plan_audit to
 * submit_report, 2, 3, 5): of an application (initial, recertification,
 * upgrade, scope change) or of a certificate (surveillance, restore).
 * Plan (team with one lead, qualifications, impartiality, man-days),
 * confirm (the enterprise's on-site arrangements and agreed dates), start
 * (lead auditor), indicator results (the team), special bonus/deduction
 * items (the lead), audit findings, report (the calculation sheet, scored
 * by src/core/sheet and stored with the scheme version).
 *
 * An audit walks the application state machine's audit path (audit_planned
 * -> audit_confirmed -> in_audit -> audit_reported -> decided) whether it
 * belongs to an application or to a certificate: every step goes through
 * sc_workflow_app_step, with the application's own state when there is
 * one, else the audit's state mapped onto that path. Each action has the
 * store's shape (docs/store.md): own transaction when none is open, checks
 * (existence, an enterprise user's organisation, the workflow or the policy
 * table, then the values), write, exactly one event, commit; any refusal
 * rolls back, so the database is left as it was.
 *
 * Not for: committee votes and decisions (store_decision), certificate rows
 * (store_certificate), or the corrective action and verification of a
 * finding (store_application's sc_store_finding_correct / _verify handle
 * both sources).
 */
#ifndef SC_STORE_AUDIT_H
#define SC_STORE_AUDIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "core/impartiality.h"
#include "core/scheme.h"
#include "core/workflow.h"
#include "store/actor.h"
#include "store/store.h"

#define SC_AUDIT_TEAM_MAX 16      /* people on one audit team */
#define SC_AUDIT_TEXT_MAX 2000    /* bytes of a reason, arrangement, finding */
#define SC_AUDIT_DAYS_MAX 60      /* on-site days of one audit, at most */
#define SC_AUDIT_LIST_MAX 1000    /* rows of one list */
#define SC_AUDIT_FINDINGS_MAX 200 /* findings of one audit */

enum sc_audit_state {
    SC_AUDIT_STATE_PLANNED,
    SC_AUDIT_STATE_CONFIRMED,
    SC_AUDIT_STATE_IN_AUDIT,
    SC_AUDIT_STATE_REPORTED,
    SC_AUDIT_STATE_DECIDED,
    SC_AUDIT_STATE_COUNT_
};

/* "planned", "confirmed", "in_audit", "reported", "decided". */
const char *sc_audit_state_name(enum sc_audit_state s);
enum sc_err sc_audit_state_parse(const char *s, const char *field,
                                 enum sc_audit_state *out,
                                 struct sc_error *err);

/* One audit as the store modules need it. Caller-owned; no heap. */
struct sc_store_audit {
    int64_t id;
    int64_t application_id; /* 0 for a certificate audit */
    int64_t certificate_id; /* the certificate audited, or the one an
                               application (other than initial) is about;
                               0 for an initial application */
    int64_t organisation_id;
    bool of_application;
    enum sc_workflow_app_kind app_kind;   /* when of_application */
    enum sc_workflow_app_state app_state; /* when of_application */
    char kind[24];    /* stored kind: initial, surveillance, recertification,
                         restore */
    char purpose[24]; /* application kind, or surveillance / restore */
    enum sc_audit_state state;
    char scheme_id[SC_SCHEME_ID_MAX];
    char scheme_version[SC_SCHEME_ID_MAX];
    sc_day from, to; /* on-site days, both inclusive */
    bool has_score;
    int score_tenths;
    char level[48]; /* the calculation sheet's level, "" before the report */
};

/* Loads an audit with no policy check. SC_ERR_NOT_FOUND ("audit"). */
enum sc_err sc_store_audit_get(struct sc_store *st, int64_t id,
                               struct sc_store_audit *out,
                               struct sc_error *err);

/* The application state the audit stands in on the audit path (the
 * application's own state when it has one). */
enum sc_workflow_app_state sc_store_audit_flow_state(
    const struct sc_store_audit *a);

/* The team: person ids and lead flags, at most SC_AUDIT_TEAM_MAX. */
enum sc_err sc_store_audit_team(struct sc_store *st, int64_t audit_id,
                                int64_t ids[SC_AUDIT_TEAM_MAX],
                                bool leads[SC_AUDIT_TEAM_MAX], size_t *n,
                                struct sc_error *err);

/* true when `user` is on the audit's team (and *lead whether as lead). */
enum sc_err sc_store_audit_on_team(struct sc_store *st, int64_t audit_id,
                                   int64_t user, bool *on, bool *lead,
                                   struct sc_error *err);

/* sc_policy_check(`action`) for `actor` on audit `a`, the scope resolved
 * from the data: own organisation (enterprise), on the team (auditor).
 * SC_ERR_FORBIDDEN ("as"). */
enum sc_err sc_store_audit_allowed(struct sc_store *st,
                                   const struct sc_actor *actor,
                                   const struct sc_store_audit *a,
                                   const char *action, struct sc_error *err);

/* ---- plan ------------------------------------------------------------- */

struct sc_audit_member_input {
    const char *login;
    bool lead;
};

struct sc_audit_plan_input {
    int64_t application_id;  /* an application in documents_approved, or */
    const char *certificate; /* a certificate's number */
    const char *kind;        /* certificate audits: "surveillance" or
                                "restore"; NULL: surveillance when active,
                                restore when suspended */
    sc_day from, to;         /* on-site days, from >= today */
    const struct sc_audit_member_input *team;
    size_t n_team;           /* 1..SC_AUDIT_TEAM_MAX, exactly one lead */
    int64_t outlets;         /* outlets besides the head office; -1: count
                                the organisation's registered outlets */
    int reduce_percent;      /* 0..scheme reduction_max_percent */
    const char *justification; /* required with a reduction */
};

/*
 * plan_audit (review). Refusals, in order: SC_ERR_USAGE ("application")
 * when neither or both targets are named; SC_ERR_NOT_FOUND ("application",
 * "certificate", "team[i].login"); the workflow (state, role);
 * SC_ERR_CONFLICT ("certificate") when the certificate already has an open
 * audit; SC_ERR_INVALID on "kind", "from" (before today), "to" (before
 * from, longer than SC_AUDIT_DAYS_MAX days, past the certificate's expiry,
 * or outside the pending surveillance window), "team" (size, no lead),
 * "team[i].lead" (a second lead), "team[i].person" (twice, or not an
 * auditor), "team[i].qualified_*" (qualification does not cover the
 * dates), "reduce", "reason" (man-days); SC_ERR_IMPARTIALITY
 * ("team[i].person") for a member linked to the organisation within the
 * scheme's impartiality months; SC_ERR_PRECONDITION ("certificate") when
 * the surveillance chain has ended (the recertification audit takes its
 * place). Man-days by audit type: initial application -> initial;
 * recertification and upgrade -> recertification; scope change,
 * surveillance and restore -> surveillance. Event "audit.plan".
 */
enum sc_err sc_store_audit_plan(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor,
                                const struct sc_audit_plan_input *in,
                                int64_t *audit_id, struct sc_error *err);

/* ---- confirm ---------------------------------------------------------- */

struct sc_audit_arrangements {
    const char *people;    /* who receives the team */
    const char *transport; /* how the team travels on site */
    const char *office;    /* office space for the team */
    bool has_dates;
    sc_day from, to;       /* the agreed on-site days */
};

/*
 * confirm_arrangements (the enterprise, own organisation):
 * arrangements_recorded holds when people, transport, office space and the
 * agreed dates are all given. Agreed dates other than the planned ones are
 * checked again like a plan (today, length, window, team qualifications
 * and impartiality) and replace them. Sets preparation item 5 of an
 * application. Event "audit.confirm".
 */
enum sc_err sc_store_audit_confirm(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t audit_id,
                                   const struct sc_audit_arrangements *in,
                                   struct sc_error *err);

/* start_audit (the lead auditor), on one of the on-site days
 * (SC_ERR_INVALID "today" otherwise). Event "audit.start". */
enum sc_err sc_store_audit_start(struct sc_store *st, const struct sc_clock *clk,
                                 const struct sc_actor *actor, int64_t audit_id,
                                 struct sc_error *err);

/* ---- during the audit ------------------------------------------------- */

struct sc_audit_result_input {
    const char *indicator; /* a code of the audit's scheme */
    const char *result;    /* conform | nonconform | sampled | excluded */
    bool has_samples;
    long long samples;       /* sampled only: 1..SC_SCORE_SAMPLES_MAX */
    long long nonconforming; /* sampled only: 0..samples */
    const char *reason;      /* required for excluded */
};

/*
 * Records (or replaces) one indicator's result (policy "audit.result": an
 * auditor on the team) while the audit is in_audit (SC_ERR_STATE "state").
 * SC_ERR_INVALID on "indicator", "result", "samples", "nonconforming",
 * "reason". Event "audit.result" with before/after.
 */
enum sc_err sc_store_audit_result(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor,
                                  int64_t audit_id,
                                  const struct sc_audit_result_input *in,
                                  struct sc_error *err);

/*
 * Records a special bonus (bonus true) or deduction item with its reason
 * (policy "audit.special", and only the lead auditor: SC_ERR_FORBIDDEN
 * "as") while in_audit. SC_ERR_INVALID "reason"; at most
 * SC_SCORE_ITEMS_MAX items of a kind. Event "audit.special".
 */
enum sc_err sc_store_audit_special(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t audit_id, bool bonus,
                                   const char *reason, int64_t *item_id,
                                   struct sc_error *err);

/*
 * Raises an audit finding (policy "finding.add", and only a member of the
 * audit's team: SC_ERR_FORBIDDEN "as") while in_audit: severity minor or
 * major ("severity"), optional indicator code ("indicator"), text
 * ("text"). Stored with source "audit", state open, the application's id
 * for an application audit. Event "audit.finding".
 */
enum sc_err sc_store_audit_finding(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t audit_id, const char *severity,
                                   const char *indicator, const char *text,
                                   int64_t *finding_id, struct sc_error *err);

/* Findings of the audit not yet verified. */
enum sc_err sc_store_audit_open_findings(struct sc_store *st, int64_t audit_id,
                                         int64_t *n, struct sc_error *err);

/*
 * submit_report (the lead auditor), on or after the last on-site day
 * (SC_ERR_INVALID "today"): all_results_recorded holds when every indicator
 * of the scheme has a result; the calculation sheet is then computed from
 * the results and special items by src/core/sheet (its refusals pass
 * through, e.g. "results" when every indicator is excluded) and stored as
 * {"input", "output"} with score_tenths and level. Event "audit.report".
 */
enum sc_err sc_store_audit_report(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor,
                                  int64_t audit_id, struct sc_error *err);

/* ---- views ------------------------------------------------------------ */

/*
 * The full view (policy "audit.view"): {"id", "application",
 * "certificate", "organisation": {"id", "name"}, "kind", "purpose",
 * "state", "scheme": {"id", "version"}, "from", "to", "mandays": {"total",
 * "planning", "onsite" (man-days as decimal text), "reduction_percent",
 * "justification", "employees", "outlets"}, "team": [{"login", "name",
 * "lead"}], "arrangements", "results": [...], "special_items": [...],
 * "findings": [...], "sheet" (the stored calculation sheet's output, or
 * null), "score", "level", "planned_on", "confirmed_on", "started_on",
 * "reported_on"}.
 */
enum sc_err sc_store_audit_json(struct sc_store *st,
                                const struct sc_actor *actor, int64_t id,
                                json_t **out, struct sc_error *err);

/* Audits visible to the actor, newest first, optionally of one application
 * (0: any), one certificate number (NULL: any) and one state (NULL: any):
 * short views {"id", "application", "certificate", "organisation", "kind",
 * "purpose", "state", "from", "to", "score", "level"}. */
enum sc_err sc_store_audit_list_json(struct sc_store *st,
                                     const struct sc_actor *actor,
                                     int64_t application_id,
                                     const char *certificate,
                                     const char *state, int limit,
                                     json_t **out, struct sc_error *err);

#endif
