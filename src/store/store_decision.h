/*
 * store_decision: the review committee's votes on a reported audit and the
 * decision they carry (domain.md 1.1 "vote", 1.2, 4, 5): certify (a new
 * certificate), recertify (a new cycle: continuity, or restored within the
 * late period), revise (upgrade or scope change: a new revision), maintain
 * (surveillance: the window is re-anchored, a level change is a new
 * revision), restore (a suspended certificate), or refuse.
 *
 * Members vote one by one (sc_store_decision_vote); a member closes the
 * vote (sc_store_decision_close), which takes the decision through the
 * state machines: the application's "vote" (an application audit), or the
 * audit path's "vote" plus the certificate's maintain / restore /
 * recertify. Impartiality (src/core/impartiality.h): a member who was on
 * the audit's team, did the application's document review or has a
 * barring link with the organisation may neither vote nor close; quorum
 * counts eligible members only. Each action has the store's shape (own
 * transaction when none is open, exactly one event, nothing written on a
 * refusal). Not for: certificate rows (store_certificate's one writer
 * does the writing) or the audit itself (store_audit).
 */
#ifndef SC_STORE_DECISION_H
#define SC_STORE_DECISION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "store/actor.h"
#include "store/store.h"

#define SC_DECISION_VOTES_MAX 64 /* votes on one audit */

/*
 * One committee member's vote on a reported audit. Refusals in order:
 * SC_ERR_NOT_FOUND ("audit"); the workflow's state and role for "vote";
 * SC_ERR_IMPARTIALITY ("person") for a member who may not decide;
 * SC_ERR_CONFLICT ("as") for a second vote by the same member;
 * SC_ERR_INVALID on "level" (approve: a certified level, never better
 * than the audit's calculation sheet, nor, for a surveillance, restore or
 * scope change, than the certificate's current level; default the best
 * level allowed; refuse: no level) and "comment" (required with a refusal, at most
 * SC_AUDIT_TEXT_MAX bytes). Event "decision.vote".
 */
enum sc_err sc_store_decision_vote(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const struct sc_actor *actor,
                                   int64_t audit_id, bool approve,
                                   const char *level, const char *comment,
                                   struct sc_error *err);

/* What a close must do, for callers that name the expected action. */
enum sc_decision_expect {
    SC_DECISION_ANY,    /* whatever the audit calls for */
    SC_DECISION_RESTORE /* only restore a suspended certificate */
};

/*
 * Closes the vote and takes the decision, dated clk->today. The outcome:
 * certified when at least the scheme's quorum of eligible members approve
 * and outnumber those who refuse; refused when at least the quorum refuse
 * and are not fewer than those who approve; otherwise the workflow refuses
 * with precondition quorum_reached. The level is the best level that at
 * least the quorum of approving members support (a member's level
 * supports every lower one). Certifying also needs every audit finding
 * verified (findings_closed). Then, by target (see the file comment),
 * through sc_workflow_cert_step where a certificate changes; a
 * recertification decided after expiry needs the certificate marked
 * expired by the daily clock first (SC_ERR_STATE) and the late period
 * (within_late_period). `expect` SC_DECISION_RESTORE refuses
 * (SC_ERR_STATE "certificate") unless the audit is of a suspended
 * certificate. Event "decision.close"; *decision_id (may be NULL) gets the
 * decision's id.
 */
enum sc_err sc_store_decision_close(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const struct sc_actor *actor,
                                    int64_t audit_id,
                                    enum sc_decision_expect expect,
                                    int64_t *decision_id,
                                    struct sc_error *err);

/*
 * `starcert certificate restore`: the close of audit `audit_id`, which
 * must be an audit of certificate `number` (SC_ERR_INVALID "audit"
 * otherwise), with SC_DECISION_RESTORE.
 */
enum sc_err sc_store_decision_restore(struct sc_store *st,
                                      const struct sc_clock *clk,
                                      const struct sc_actor *actor,
                                      const char *number, int64_t audit_id,
                                      int64_t *decision_id,
                                      struct sc_error *err);

/*
 * The committee's view of an audit (policy "audit.view"): {"audit",
 * "purpose", "state", "organisation", "score", "level" (the sheet's),
 * "quorum", "open_findings", "votes": [{"login", "name", "approve",
 * "level", "comment", "voted_on", "eligible"}], "tally": {"approving",
 * "dissenting", "ignored"}, "decision": {"id", "outcome", "level",
 * "score", "decided_on", "closed_by", "certificate"} or null}.
 */
enum sc_err sc_store_decision_json(struct sc_store *st,
                                   const struct sc_actor *actor,
                                   int64_t audit_id, sc_day today,
                                   json_t **out, struct sc_error *err);

#endif
