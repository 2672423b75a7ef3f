/*
 * store_application: applications for certification (domain.md sections 1
 * and 1.1) from the draft to documents_approved, and withdrawal: creation
 * (kind, scope, the scheme in force recorded), the enterprise's preparation
 * checklist (items 1-5 with evidence) and trained service managers, the
 * market department's accept / return / reject and the contract (fee, man-days
 * from src/core/mandays, preliminary audit date), the review department's
 * document review (findings, revise, approve) and the findings' corrective
 * actions and verification (generic: document-review and audit findings).
 *
 * Every state change goes through sc_workflow_app_step with the set of
 * preconditions that hold computed here from the data, and follows the
 * store's action shape (docs/store.md): own transaction when none is open,
 * checks, write, exactly one event, commit; any refusal rolls back, so the
 * database is left as it was. Check order for an action on an application:
 * it exists (SC_ERR_NOT_FOUND "application"), an enterprise user owns it
 * (SC_ERR_FORBIDDEN "as"), then the workflow (state, role, preconditions by
 * name), then the values (SC_ERR_INVALID with the field).
 *
 * JSON views are built here so that the CLI and the HTTP API print the same
 * thing; they are new references the caller drops with json_decref.
 * Not for: audits, votes, decisions and certificates (store_audit), the
 * preparation item 5 arrangements of an audit (recorded with the audit).
 */
#ifndef SC_STORE_APPLICATION_H
#define SC_STORE_APPLICATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "core/scheme.h"
#include "core/workflow.h"
#include "store/actor.h"
#include "store/store.h"

#define SC_APPLICATION_TEXT_MAX 4000    /* scope, reasons, evidence, notes */
#define SC_APPLICATION_NAME_MAX 200     /* a service manager's name */
#define SC_APPLICATION_NUMBER_MAX 64    /* certificate / contract numbers */
#define SC_APPLICATION_FINDINGS_MAX 100 /* findings per review action */
#define SC_APPLICATION_FEE_MAX 100000000000LL /* cents: 1 billion yuan */
#define SC_APPLICATION_LIST_MAX 1000

/* What the other store modules need to know about an application. */
struct sc_application_ref {
    int64_t id;
    int64_t organisation_id;
    int64_t certificate_id; /* 0 for an initial application */
    enum sc_workflow_app_kind kind;
    enum sc_workflow_app_state state;
    char scheme_id[SC_SCHEME_ID_MAX];
    char scheme_version[SC_SCHEME_ID_MAX];
};

/* Loads an application without any policy check. SC_ERR_NOT_FOUND with
 * field "application" when there is none. */
enum sc_err sc_store_application_ref(struct sc_store *st, int64_t id,
                                     struct sc_application_ref *out,
                                     struct sc_error *err);

/* sc_policy_check(`action`) for `actor` on `app`, the scope resolved from
 * the data: own organisation for enterprise users, membership of a team of
 * an audit of this application for auditors. SC_ERR_FORBIDDEN ("as"). */
enum sc_err sc_store_application_allowed(struct sc_store *st,
                                         const struct sc_actor *actor,
                                         const struct sc_application_ref *app,
                                         const char *action,
                                         struct sc_error *err);

/* ---- creation --------------------------------------------------------- */

struct sc_application_input {
    int64_t organisation_id;   /* 0: the enterprise actor's own organisation */
    const char *kind;          /* "initial", "recertification", "upgrade",
                                  "scope_change" */
    const char *certificate;   /* number or decimal id; required for every
                                  kind but initial (NULL: none) */
    const char *scope;         /* products/services and activities: required */
    const char *delivery_mode; /* NULL, "direct", "outsourced", "mixed" */
    const char *excluded_note; /* indicators that do not apply, and why */
    const char *scheme_id;     /* NULL: the newest stored scheme of any id */
};

/*
 * Creates a draft application (policy "application.create": market, or an
 * enterprise user for their own organisation). The scheme recorded is the
 * newest stored version (latest loaded_at, then the highest version text)
 * of `scheme_id`, or of all schemes when NULL. Refusals, in order:
 *   SC_ERR_USAGE ("organisation") when a CB user names none;
 *   SC_ERR_NOT_FOUND ("organisation", "certificate", "scheme_id");
 *     (the certificate is named by its number or its id);
 *   SC_ERR_FORBIDDEN ("as");
 *   SC_ERR_INVALID on "kind", "scope", "delivery_mode", "excluded_note",
 *     "certificate" (given for an initial application, missing otherwise);
 *   SC_ERR_CONFLICT ("organisation") when the organisation already has an
 *     application that is not final, or ("kind") for an initial
 *     application of an organisation holding an active or suspended
 *     certificate; ("certificate") when the certificate belongs to another
 *     organisation;
 *   SC_ERR_STATE ("certificate") when the certificate's state does not
 *     allow the kind (upgrade / scope_change: active; recertification:
 *     active or expired), or a recertification is applied for outside its
 *     period (expiry + 1 day - 3 months .. expiry + 6 months).
 * Event "application.create".
 */
enum sc_err sc_store_application_create(struct sc_store *st,
                                        const struct sc_clock *clk,
                                        const struct sc_actor *actor,
                                        const struct sc_application_input *in,
                                        int64_t *id, struct sc_error *err);

/* ---- the simple transitions ------------------------------------------ */

/*
 * submit, accept, return, reject, withdraw: `action` is one of those.
 * Preconditions computed from the data: materials_uploaded (every required
 * kind present), preparation_done (at least the scheme's managers_min
 * service managers and a service manual), reason_given (`reason` not
 * blank). withdraw needs a reason too (SC_ERR_PRECONDITION
 * "reason_given", checked after the workflow). Recorded: submitted_on
 * (today, at each submit), state_reason (the reason, or NULL), closed_on
 * (rejected, withdrawn). Event "application.<action>" with before/after.
 * SC_ERR_INVALID ("action") for any other action.
 */
enum sc_err sc_store_application_step(struct sc_store *st,
                                      const struct sc_clock *clk,
                                      const struct sc_actor *actor, int64_t id,
                                      enum sc_workflow_app_action action,
                                      const char *reason, struct sc_error *err);

/* ---- preparation and managers ---------------------------------------- */

/*
 * Records the enterprise's declaration on preparation item `item` (1-5):
 * done or not, with evidence text (required when done). Items 1-4 are also
 * computed from the data (managers, manual, submission, contract) and the
 * computed value is what the workflow uses; the declaration adds the
 * evidence. Policy "preparation.update"; refused in final states
 * (SC_ERR_STATE "application"); SC_ERR_INVALID "item" / "evidence".
 * Event "application.prepare".
 */
enum sc_err sc_store_application_prepare(struct sc_store *st,
                                         const struct sc_clock *clk,
                                         const struct sc_actor *actor,
                                         int64_t id, int item, bool done,
                                         const char *evidence,
                                         struct sc_error *err);

/*
 * Adds a trained after-sales service manager (preparation item 1): name and
 * training-certificate number, unique per application (SC_ERR_CONFLICT
 * "certificate_no"). Policy "manager.add"; refused in final states and
 * after the documents are approved (SC_ERR_STATE "application");
 * SC_ERR_INVALID "name" / "certificate_no". Event "application.manager_add".
 */
enum sc_err sc_store_application_manager_add(
    struct sc_store *st, const struct sc_clock *clk,
    const struct sc_actor *actor, int64_t id, const char *name,
    const char *certificate_no, int64_t *manager_id, struct sc_error *err);

/* ---- contract -------------------------------------------------------- */

struct sc_contract_input {
    const char *number; /* unique; NULL or blank: not given */
    bool has_fee;
    int64_t fee_cents;             /* 0 .. SC_APPLICATION_FEE_MAX */
    const char *preliminary_audit; /* YYYY-MM-DD, not before today */
};

/*
 * sign_contract (market): contract_fields holds when number, fee and
 * preliminary audit date are all given. Then SC_ERR_INVALID on "number",
 * "fee_cents", "preliminary_audit" (not a date, or before today), and
 * SC_ERR_CONFLICT ("number") for a number already used. The man-days are
 * computed with sc_mandays_compute from the organisation's employees and
 * outlets, the audit type by application kind (initial -> initial,
 * recertification and upgrade -> recertification, scope_change ->
 * surveillance). Event "application.sign_contract" with the contract.
 */
enum sc_err sc_store_contract_sign(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t application_id,
                                   const struct sc_contract_input *in,
                                   int64_t *contract_id, struct sc_error *err);

/* ---- document review ------------------------------------------------- */

struct sc_finding_input {
    const char *text;      /* required */
    const char *severity;  /* "minor" (NULL) or "major" */
    const char *indicator; /* optional indicator code of the scheme */
};

/*
 * revise_documents (review): records `n` findings (source document_review,
 * open) and a review with outcome "revise"; findings_recorded holds when
 * n >= 1. The reviewer must be free of impartiality links with the
 * organisation (SC_ERR_IMPARTIALITY "person"). SC_ERR_INVALID on
 * "findings[i].text" / ".severity" / ".indicator", "note". Event
 * "application.revise_documents" with the finding ids.
 */
enum sc_err sc_store_review_revise(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t application_id,
                                   const struct sc_finding_input *findings,
                                   size_t n, const char *note,
                                   int64_t *review_id, struct sc_error *err);

/*
 * approve_documents (review): no_open_document_findings holds when every
 * document-review finding is verified; then, when an earlier review asked
 * for revisions, a service manual newer than the one it looked at must have
 * been uploaded (SC_ERR_PRECONDITION "revised_manual"); impartiality as for
 * revise. Event "application.approve_documents".
 */
enum sc_err sc_store_review_approve(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const struct sc_actor *actor,
                                    int64_t application_id, const char *note,
                                    int64_t *review_id, struct sc_error *err);

/* ---- findings (either source) ------------------------------------------ */

/*
 * The enterprise's corrective action on an open finding (policy
 * "finding.correct", own organisation). SC_ERR_NOT_FOUND ("finding"),
 * SC_ERR_STATE ("finding") unless open, or for a document-review finding
 * unless the application is contracted; SC_ERR_INVALID
 * ("corrective_action"). Event "finding.correct".
 */
enum sc_err sc_store_finding_correct(struct sc_store *st,
                                     const struct sc_clock *clk,
                                     const struct sc_actor *actor, int64_t id,
                                     const char *corrective_action,
                                     struct sc_error *err);

/*
 * Verification of a corrected finding (policy "finding.verify"; by source:
 * a document-review finding by the review department, an audit finding by
 * an auditor on that audit's team). With `accept` false the corrective
 * action is refused and the finding is open again (`note` required:
 * SC_ERR_INVALID "note"). SC_ERR_STATE ("finding") unless corrected.
 * Event "finding.verify" or "finding.reopen".
 */
enum sc_err sc_store_finding_verify(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const struct sc_actor *actor, int64_t id,
                                    bool accept, const char *note,
                                    struct sc_error *err);

/* ---- views ------------------------------------------------------------- */

/*
 * The full view of one application (policy "application.view") on `today`:
 * {"id", "organisation": {"id", "name", "uscc"}, "kind", "state",
 *  "certificate" (id or null), "scheme": {"id", "version"}, "scope",
 *  "delivery_mode", "excluded_note", "created_on", "submitted_on",
 *  "decided_on", "closed_on", "state_reason",
 *  "time_to_certify": {"submitted_on", "until", "elapsed_days",
 *                      "target_days", "over_target"},
 *  "preparation": [{"item", "title", "done", "declared", "evidence"}],
 *  "managers": [{"id", "name", "certificate_no"}],
 *  "materials": {"required": [...], "missing": [...]},
 *  "documents": [document views], "contract": {...} or null,
 *  "reviews": [...], "findings": [finding views of source document_review],
 *  "actions": [{"action", "missing": [precondition names]}] for the
 *  actor's role}.
 * elapsed_days counts from the last submission to the decision, the day
 * the application was closed, or `today`; null before any submission.
 */
enum sc_err sc_store_application_get(struct sc_store *st,
                                     const struct sc_actor *actor, int64_t id,
                                     sc_day today, json_t **out,
                                     struct sc_error *err);

/*
 * Applications in id order, at most SC_APPLICATION_LIST_MAX, filtered by
 * organisation (0: any) and state (NULL: any): summaries {"id",
 * "organisation", "organisation_name", "kind", "state", "created_on",
 * "submitted_on", "time_to_certify"}. An enterprise user sees only their
 * own organisation's; an auditor only those of audits they are on.
 * SC_ERR_INVALID ("state") for an unknown state name.
 */
enum sc_err sc_store_application_list(struct sc_store *st,
                                      const struct sc_actor *actor,
                                      int64_t organisation_id,
                                      const char *state, sc_day today,
                                      json_t **out, struct sc_error *err);

/* One finding: {"id", "application", "audit", "source", "severity",
 * "indicator", "text", "state", "corrective_action", "raised_by",
 * "raised_on", "verified_by", "verified_on"} (policy "application.view" on
 * its application, or "audit.view" on its audit). */
enum sc_err sc_store_finding_get(struct sc_store *st,
                                 const struct sc_actor *actor, int64_t id,
                                 json_t **out, struct sc_error *err);

#endif
