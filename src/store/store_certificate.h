/*
 * store_certificate: certificates, their revisions and status changes
 * (domain.md sections 1.2, 4 and 6), and the committee's and the market's
 * actions on them: suspend, withdraw, cancel, reissue, confidentiality
 * (restore and the decisions that issue, maintain or recertify live in
 * store_decision, which writes through the one writer below).
 *
 * Every write of a certificate row goes through sc_store_certificate_write:
 * it updates the row, keeps the revision history, records the status change
 * (who, when, why, from, to) and refreshes the daily clock's derived
 * columns (store_tick), all inside the caller's transaction. The caller
 * appends the action's one event. Not for: rules (src/core: workflow,
 * timeline, certno decide), the daily clock (store_tick) or the public
 * registry search.
 */
#ifndef SC_STORE_CERTIFICATE_H
#define SC_STORE_CERTIFICATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/certno.h"
#include "core/date.h"
#include "core/err.h"
#include "core/scheme.h"
#include "core/workflow.h"
#include "store/actor.h"
#include "store/store.h"

#define SC_CERT_TEXT_MAX 4096   /* bytes of a scope or outlets list, plus NUL */
#define SC_CERT_REASON_MAX 2000 /* bytes of a reason text */
#define SC_CERT_CODE_MAX 48     /* level and reason codes, plus NUL */
#define SC_CERT_LIST_MAX 1000   /* rows of one list */

/* One certificate row, as stored. Caller-owned; no heap. */
struct sc_store_cert {
    int64_t id; /* 0 before the first write */
    char number[SC_CERTNO_MAX];
    int64_t organisation_id;
    enum sc_workflow_cert_state state;
    sc_day state_since;
    char state_reason[SC_CERT_CODE_MAX];
    int revision;
    char level[SC_CERT_CODE_MAX];
    int score_tenths;
    char scope[SC_CERT_TEXT_MAX];
    char outlets_covered[SC_CERT_TEXT_MAX];
    sc_day initial_issued; /* first certificate of this holder */
    sc_day cycle_start;    /* first day of the current validity cycle */
    sc_day issued;         /* this revision's issue date */
    sc_day expires;
    sc_day anchor; /* anchor of the next surveillance window */
    int surveillance_n;
    bool confidential;
    char scheme_id[SC_SCHEME_ID_MAX];
    char scheme_version[SC_SCHEME_ID_MAX];
    char signatory[SC_ACTOR_NAME_MAX];
};

/* Loads by id / by number. SC_ERR_NOT_FOUND (field "certificate" /
 * "number") when there is none. */
enum sc_err sc_store_certificate_get(struct sc_store *st, int64_t id,
                                     struct sc_store_cert *out,
                                     struct sc_error *err);
enum sc_err sc_store_certificate_find(struct sc_store *st, const char *number,
                                      struct sc_store_cert *out,
                                      struct sc_error *err);

/* What a write records besides the row. */
struct sc_store_cert_change {
    const char *action;      /* "issue", "maintain", "suspend", ... */
    const char *reason_code; /* required */
    const char *reason_text; /* may be NULL */
    bool new_revision;       /* append a certificate_revisions row */
    int64_t decision_id;     /* 0 when no decision is behind it */
};

/*
 * THE writer of certificate rows. Must run inside an open transaction.
 * `before` NULL inserts `after` as a new certificate (after->id is set);
 * otherwise updates the row after->id to `after`. Records a
 * certificate_status_changes row (from "none" for a new certificate) dated
 * clk->today by `by_user` (0: the daily clock), a revision row when asked,
 * and refreshes the tick module's derived columns. Does not append the
 * event (the caller's action does, once).
 */
enum sc_err sc_store_certificate_write(struct sc_store *st,
                                       const struct sc_clock *clk,
                                       int64_t by_user,
                                       const struct sc_store_cert *before,
                                       struct sc_store_cert *after,
                                       const struct sc_store_cert_change *ch,
                                       struct sc_error *err);

/*
 * The next free certificate number for `year` under the scheme's pattern,
 * taking it: the per-year sequence in certificate_sequences advances (numbers
 * already used, e.g. by an import, are skipped). Inside the caller's
 * transaction.
 */
enum sc_err sc_store_certificate_take_number(struct sc_store *st,
                                             const char *pattern, int year,
                                             char out[SC_CERTNO_MAX],
                                             struct sc_error *err);

/* The row as a JSON object for events (before/after). New reference, NULL
 * when out of memory. */
json_t *sc_store_certificate_row_json(const struct sc_store_cert *c);

/*
 * Committee and market actions on a certificate (domain.md 1.2), each in
 * its own transaction when none is open, through sc_workflow_cert_step:
 *   suspend   committee; active -> suspended; reason codes
 *             surveillance_overdue, serious_nonconformity, misuse_of_mark,
 *             holder_request;
 *   withdraw  committee; suspended -> withdrawn; reason codes not_restored,
 *             serious_nonconformity, misuse_of_mark, holder_request;
 *   cancel    market; active or suspended -> cancelled; reason codes
 *             holder_request, service_stopped.
 * A reason code and a non-blank text (at most SC_CERT_REASON_MAX bytes) are
 * required (precondition reason_given; an unknown code is SC_ERR_INVALID,
 * field "reason_code"). An enterprise user gets SC_ERR_FORBIDDEN. The
 * state date is clk->today, which must not be before the current state's
 * start (field "today").
 */
enum sc_err sc_store_certificate_suspend(struct sc_store *st,
                                         const struct sc_clock *clk,
                                         const struct sc_actor *actor,
                                         const char *number,
                                         const char *reason_code,
                                         const char *reason_text,
                                         struct sc_error *err);
enum sc_err sc_store_certificate_withdraw(struct sc_store *st,
                                          const struct sc_clock *clk,
                                          const struct sc_actor *actor,
                                          const char *number,
                                          const char *reason_code,
                                          const char *reason_text,
                                          struct sc_error *err);
enum sc_err sc_store_certificate_cancel(struct sc_store *st,
                                        const struct sc_clock *clk,
                                        const struct sc_actor *actor,
                                        const char *number,
                                        const char *reason_code,
                                        const char *reason_text,
                                        struct sc_error *err);

/*
 * Reissue: a new revision of an active certificate dated clk->today, same
 * level, score and expiry, with a corrected scope and/or outlets list (NULL
 * keeps the current one; at least one must change). Policy action
 * "certificate.reissue". Reason codes scope_correction,
 * address_correction, name_correction, outlets_correction. Not a state
 * transition: the state machine has no row for it, so the state is checked
 * here (active only, SC_ERR_STATE otherwise).
 */
enum sc_err sc_store_certificate_reissue(struct sc_store *st,
                                         const struct sc_clock *clk,
                                         const struct sc_actor *actor,
                                         const char *number, const char *scope,
                                         const char *outlets,
                                         const char *reason_code,
                                         const char *reason_text,
                                         struct sc_error *err);

/*
 * Confidentiality (domain.md 6): a confidential certificate is found in the
 * public registry only by an exact number look-up, never by a name or
 * 统一社会信用代码 search. The CB sets or clears the flag at the holder's
 * written request. Policy action "certificate.confidential" (market, which
 * runs the registry, and the committee); any state, since the flag governs
 * only search visibility. Not a state transition: the state stays, and the
 * change is recorded as a status change (action "set_confidential" or
 * "clear_confidential", reason code holder_request, the text) and one event
 * "certificate.confidential" {number, confidential, reason_code, reason,
 * before, after}, in one transaction (its own when none is open), dated
 * clk->today (not before the current state's start, field "today").
 * Refusals, in this order: SC_ERR_NOT_FOUND ("number"); SC_ERR_FORBIDDEN
 * ("as"); SC_ERR_PRECONDITION ("reason_given") for a missing or blank
 * reason; SC_ERR_TOO_LARGE ("reason") over SC_CERT_REASON_MAX bytes.
 * Setting the value the certificate already has succeeds and writes
 * nothing. *changed (may be NULL): whether anything was written.
 */
enum sc_err sc_store_certificate_set_confidential(
    struct sc_store *st, const struct sc_clock *clk,
    const struct sc_actor *actor, const char *number, bool confidential,
    const char *reason_text, bool *changed, struct sc_error *err);

/*
 * The full view: the row, the organisation, every revision, every status
 * change and (active certificates) the pending surveillance window.
 * Policy action "certificate.view" (an enterprise user sees only their
 * own). *out is a new reference.
 */
enum sc_err sc_store_certificate_json(struct sc_store *st,
                                      const struct sc_actor *actor,
                                      const char *number, json_t **out,
                                      struct sc_error *err);

/*
 * Certificates visible to `actor`, by number, optionally only one state
 * (NULL: all) and one organisation (0: all), at most `limit`
 * (1..SC_CERT_LIST_MAX) rows: a new JSON array of short views.
 */
enum sc_err sc_store_certificate_list_json(struct sc_store *st,
                                           const struct sc_actor *actor,
                                           const char *state,
                                           int64_t organisation, int limit,
                                           json_t **out, struct sc_error *err);

#endif
