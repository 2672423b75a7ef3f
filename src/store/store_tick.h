/*
 * store_tick: the daily clock and the deadline list over stored
 * certificates.
 *
 * `sc_store_tick` applies every time-driven transition of domain.md
 * section 4 that is due on or before a day: suspension of an overdue
 * surveillance (dated the day after the window closed, plus the scheme's
 * grace), withdrawal of a suspension not restored in time (dated suspension
 * + the scheme's months), expiry (dated expiry + 1), and the opening of the
 * recertification period (dated its first day, an event but no status
 * change). Every date comes from src/core/timeline, never from the day tick
 * runs, so a tick that skips days lands every certificate exactly where
 * `starcert schedule` puts it. Each transition goes through the core's
 * certificate state machine (role "system") and is written with its
 * certificate_status_changes row and its event in the same transaction.
 * Idempotent: a second run on the same day changes nothing.
 *
 * `sc_store_due` lists the deadlines falling in a range of days.
 *
 * The precomputed certificates.next_due column (migration 0002) lets tick
 * read only the certificates with something due; this module is the one
 * place that computes it (sc_store_tick_plan).
 * Not for: committee decisions (suspend for cause, restore, recertify,
 * cancel): those are other store modules' actions.
 */
#ifndef SC_STORE_TICK_H
#define SC_STORE_TICK_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/certno.h"
#include "core/date.h"
#include "core/err.h"
#include "core/scheme.h"
#include "core/timeline.h"
#include "core/workflow.h"

struct sc_store;
struct sc_clock;

#define SC_TICK_BATCH_DEFAULT 10000 /* certificates per transaction */
#define SC_TICK_BATCH_MAX 1000000
#define SC_DUE_WITHIN_DEFAULT 30 /* days */
#define SC_DUE_WITHIN_MAX 3660
#define SC_TICK_NEVER "9999-12-31" /* next_due when nothing is ever due */

/* The stored dates a plan reads (one certificate). */
struct sc_tick_cert {
    enum sc_workflow_cert_state state;
    sc_day state_since;
    sc_day cycle_start;
    sc_day expires;
    sc_day anchor;      /* anchor of the next surveillance window */
    int surveillance_n; /* surveillances done in this cycle */
    bool recert_opened; /* recert_opened_on is set */
};

enum sc_tick_step_kind {
    SC_TICK_SUSPEND,     /* active -> suspended, surveillance overdue */
    SC_TICK_WITHDRAW,    /* suspended -> withdrawn, not restored in time */
    SC_TICK_EXPIRE,      /* active/suspended -> expired */
    SC_TICK_RECERT_OPEN  /* the recertification period opens (no state) */
};

struct sc_tick_step {
    enum sc_tick_step_kind kind;
    sc_day on;
};

/* Everything the clock will do to a certificate if nothing else happens,
 * in date order, with the dates `due` reports. */
struct sc_tick_plan {
    struct sc_tick_step steps[4];
    int n_steps;
    bool has_window; /* the pending surveillance window (active only) */
    struct sc_timeline_window window;
    struct sc_timeline_recert recert;
    bool has_withdrawal; /* the plan ends in a withdrawal on .withdrawal */
    sc_day withdrawal;
};

/* "suspend", "withdraw", "expire", "recertification_open". */
const char *sc_tick_step_name(enum sc_tick_step_kind k);

/*
 * The plan of `c` under scheme `s`: pure (timeline calls only). For an
 * active certificate the pending window is the one anchored on c->anchor,
 * numbered surveillance_n + 1; for a suspended one, withdrawal on
 * state_since + the scheme's months or expiry, whichever the timeline
 * says comes first; nothing for withdrawn, cancelled, expired. The
 * recertification period opens (a step) for an active certificate whose
 * marker is not set, on the later of its first day and state_since, when
 * the certificate is still active then. SC_ERR_INVALID when the stored
 * dates are inconsistent (the timeline's field names).
 */
enum sc_err sc_store_tick_plan(const struct sc_scheme *s,
                               const struct sc_tick_cert *c,
                               struct sc_tick_plan *out, struct sc_error *err);

/*
 * The same plan for a certificate with a surveillance audit, or the
 * recertification audit of an application about it, that has started and
 * awaits the committee (audit states in_audit, reported): `pending_to` is
 * the latest last on-site day of such audits (0: none).
 * When it lies inside the pending window, that window is met (carried
 * out on site; the decision may come after the window closes) and the
 * plan's pending window is the next one, anchored on pending_to
 * (docs/decisions.md, "A surveillance awaiting its decision").
 */
enum sc_err sc_store_tick_plan_pending(const struct sc_scheme *s,
                                       const struct sc_tick_cert *c,
                                       sc_day pending_to,
                                       struct sc_tick_plan *out,
                                       struct sc_error *err);

/* The pending_to of the stored certificate `certificate_id` (0: none, or
 * no such certificate), as the clock reads it. */
enum sc_err sc_store_tick_pending_to(struct sc_store *st,
                                     int64_t certificate_id, sc_day *out,
                                     struct sc_error *err);

/* The next_due value of a plan after the steps on or before `after` are
 * done: the first later step's day, or SC_DAY_MAX (written SC_TICK_NEVER). */
sc_day sc_store_tick_next_due(const struct sc_tick_plan *p, sc_day after);

struct sc_tick_counts {
    sc_day today;
    int64_t suspended;  /* transitions written, each kind counted once */
    int64_t withdrawn;  /* a certificate suspended and withdrawn in one run */
    int64_t expired;    /* counts in both */
    int64_t recertification_opened;
    int64_t examined;   /* certificates read (next_due due or stale) */
};

/*
 * Applies everything due on or before clk->today, `batch` certificates per
 * transaction (0 = SC_TICK_BATCH_DEFAULT), calling `progress` (may be NULL)
 * after each batch with (ctx, done, total). Events have actor 0 (the
 * clock) and detail {"number", "from", "to", "on", "reason"}. With no
 * transaction open, each batch is its own transaction; on failure the batch
 * in progress is rolled back (earlier batches stay: each is complete and
 * consistent, and a rerun finishes the work) and the error returned; *out
 * holds what was committed. Inside the caller's open transaction it adds
 * everything to that transaction and leaves commit or rollback to the
 * caller.
 */
enum sc_err sc_store_tick(struct sc_store *st, const struct sc_clock *clk,
                          size_t batch,
                          void (*progress)(void *ctx, int64_t done,
                                           int64_t total),
                          void *ctx, struct sc_tick_counts *out,
                          struct sc_error *err);

/* Recomputes one certificate's next_due now (inside the caller's
 * transaction if one is open). SC_ERR_NOT_FOUND for an unknown id. */
enum sc_err sc_store_tick_refresh(struct sc_store *st, int64_t certificate_id,
                                  struct sc_error *err);

/*
 * The deadlines from `today` to `today + within` days (both inclusive) of
 * every active or suspended certificate, as a new JSON array (caller
 * decrefs) of {"certificate", "organisation", "kind", "date"} sorted by
 * date, then number, then kind in this order: surveillance_opens,
 * surveillance_closes, recertification_opens, expires, withdrawal. Active
 * certificates give their pending window's opening and close, the
 * recertification period's first day and the expiry; suspended ones the
 * withdrawal (when it comes before the expiry) and the expiry.
 * `within` is 0..SC_DUE_WITHIN_MAX.
 */
enum sc_err sc_store_due(struct sc_store *st, sc_day today, int within,
                         json_t **out, struct sc_error *err);

#endif
