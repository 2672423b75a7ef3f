/*
 * timeline: a certificate's dates (domain.md section 4): expiry, the chain of
 * surveillance windows, the recertification period, and the state the daily
 * clock gives a certificate on a given day (active, suspended for an overdue
 * surveillance, withdrawn, expired).
 *
 * Pure: every date, "today" included, is an argument; no I/O, no clock, no
 * allocation. All numbers come from the scheme's timeline settings.
 * Not for: committee decisions (suspension for other reasons, restore,
 * cancellation, recertification decisions): the store records those and uses
 * the lower-level pieces below (a cycle that starts on a decision date with
 * an expiry fixed elsewhere, a window re-anchored on a restoring audit).
 *
 * Date rules (decided, see docs):
 * - expires = sc_date_period_end(issued, validity_months): "issued + 36 months
 *   - 1 day", except that a period whose anniversary day does not exist is
 *   taken to end the day before the 1st of the following month (a 29 February
 *   issue expires on 28 February, 3 years later), so no certificate is cut a
 *   day short by the month-end clamp.
 * - window anchored on A: opens A + open months, nominal A + from .. A + to
 *   months (sc_date_add_months, month-end clamped; both clamped to closes),
 *   closes min(sc_date_period_end(A, close months), expires).
 * - recertification period: opens R = (expires + 1) - recert_window months,
 *   closes on expires; a late restore is possible until expires + late months.
 *   No surveillance window is scheduled that would open on or after R.
 * - state: suspended on closes + 1 + grace days when the pending window
 *   closed without an audit; withdrawn on the suspension date + withdrawal
 *   months; expired on expires + 1. Whichever of withdrawal and expiry comes
 *   first wins, withdrawal on a tie; a suspension that would start on or
 *   after the expiry day never happens (the certificate expires instead).
 */
#ifndef SC_TIMELINE_H
#define SC_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "err.h"
#include "scheme.h"

/* Most surveillance windows one computation holds (completed + pending).
 * The bundled scheme needs at most 4 per cycle. */
#define SC_TIMELINE_MAX_WINDOWS 64

/* The states the daily clock can give a certificate. The workflow module has
 * the full certificate state set (with `cancelled`); these are its
 * time-driven subset, kept here to avoid a dependency. */
enum sc_timeline_state {
    SC_TL_ACTIVE,
    SC_TL_SUSPENDED,
    SC_TL_WITHDRAWN,
    SC_TL_EXPIRED
};

enum sc_timeline_reason {
    SC_TL_REASON_NONE,
    SC_TL_REASON_SURVEILLANCE_OVERDUE,
    SC_TL_REASON_VALIDITY_ENDED
};

/* "active", "suspended", "withdrawn", "expired"; "unknown" otherwise. */
const char *sc_timeline_state_name(enum sc_timeline_state s);

/* "none", "surveillance_overdue", "validity_ended"; "unknown" otherwise. */
const char *sc_timeline_reason_name(enum sc_timeline_reason r);

struct sc_timeline_window {
    int n;         /* 1-based position in the chain */
    sc_day anchor; /* issue date, or the previous audit's last on-site day */
    sc_day opens;
    sc_day nominal_from;
    sc_day nominal_to;
    sc_day closes; /* inclusive */
};

struct sc_timeline_recert {
    sc_day opens;      /* R = (expires + 1) - recert_window_months months */
    sc_day closes;     /* = expires: decided by then => continuity */
    sc_day late_until; /* expires + recert_late_months months (inclusive) */
};

struct sc_timeline_status {
    enum sc_timeline_state state;
    sc_day since; /* first day of the state (active: the cycle's start) */
    enum sc_timeline_reason reason; /* NONE when active */
};

/* A validity cycle. A fresh certificate: start = anchor = issue date,
 * expires from sc_timeline_expiry. After a restore or a late
 * recertification the store builds one itself: start = decision date,
 * anchor = the restoring audit's last on-site day, expires fixed. */
struct sc_timeline_cycle {
    sc_day start;   /* first day the certificate is active in this cycle */
    sc_day anchor;  /* anchor of the first surveillance window */
    sc_day expires; /* last day of validity */
};

/* One surveillance window of a computed timeline, with its audit if done. */
struct sc_timeline_entry {
    struct sc_timeline_window window;
    bool done;
    sc_day audit; /* the audit's last on-site day when done */
};

/* A whole computation. Caller-owned, no heap. */
struct sc_timeline {
    struct sc_timeline_cycle cycle;
    /* one entry per completed audit, in order, then the pending window when
     * the chain has not ended (entries[n_entries - 1].done == false) */
    struct sc_timeline_entry entries[SC_TIMELINE_MAX_WINDOWS];
    int n_entries;
    bool has_pending;
    struct sc_timeline_recert recert;
    struct sc_timeline_status status;
};

/*
 * Checks the scheme's timeline settings: 1 <= open <= nominal_from <=
 * nominal_to < close months, 1 <= recert_window < validity, every month
 * count <= 1200, grace 0..3660 days. SC_ERR_SCHEME with the scheme file's
 * JSON path as field ("timeline.validity_months") otherwise. Every function
 * below calls it first.
 */
enum sc_err sc_timeline_check_scheme(const struct sc_scheme *s,
                                     struct sc_error *err);

/*
 * The last day of validity of a cycle issued on `issued`. SC_ERR_INVALID
 * (field "issued") when `issued` or any date of its cycle (expiry, late
 * recertification, a possible withdrawal) would leave 0001-01-01..9999-12-31.
 */
enum sc_err sc_timeline_expiry(const struct sc_scheme *s, sc_day issued,
                               sc_day *expires, struct sc_error *err);

/* The recertification period of a cycle ending on `expires`. SC_ERR_INVALID
 * (field "expires") when a date would leave the formattable range. */
enum sc_err sc_timeline_recertification(const struct sc_scheme *s,
                                        sc_day expires,
                                        struct sc_timeline_recert *out,
                                        struct sc_error *err);

/*
 * The surveillance window anchored on `anchor` in a cycle ending on
 * `expires`, numbered `n`. Sets *exists = false (and leaves *out
 * unspecified) when it would open on or after the recertification period's
 * start: the chain has ended and the recertification audit takes its place.
 * SC_ERR_INVALID (field "anchor") when the anchor is out of range or after
 * `expires`.
 */
enum sc_err sc_timeline_window(const struct sc_scheme *s, sc_day anchor,
                               sc_day expires, int n,
                               struct sc_timeline_window *out, bool *exists,
                               struct sc_error *err);

/*
 * The time-driven state on `today` of a certificate active since
 * `active_since` in a cycle ending on `expires`, whose next surveillance
 * window is `pending` (NULL when the chain has ended). SC_ERR_INVALID with
 * field "today" when today < active_since.
 */
enum sc_err sc_timeline_state_on(const struct sc_scheme *s, sc_day active_since,
                                 sc_day expires,
                                 const struct sc_timeline_window *pending,
                                 sc_day today, struct sc_timeline_status *out,
                                 struct sc_error *err);

/*
 * The whole timeline of `cycle` given the surveillance audits done so far
 * (last on-site days, strictly chronological, none after `today`) and the
 * state on `today`. Audit i must fall inside window i + 1 (inclusive) of the
 * chain; refusals are SC_ERR_INVALID with field "audit[i]" (0-based, as
 * given) and a message naming the window, e.g. "audit 2023-05-01 is outside
 * surveillance window 2 (2023-06-15 .. 2023-11-14)"; one audit too many
 * (after the chain has ended) is refused the same way; "today" when today is
 * before cycle->start; "audit" when more than SC_TIMELINE_MAX_WINDOWS - 1
 * audits are given. `audits` may be NULL when n_audits is 0. *out is
 * unspecified on failure.
 */
enum sc_err sc_timeline_run(const struct sc_scheme *s,
                            const struct sc_timeline_cycle *cycle,
                            const sc_day *audits, size_t n_audits, sc_day today,
                            struct sc_timeline *out, struct sc_error *err);

/* sc_timeline_run of a fresh cycle issued on `issued` (start = anchor =
 * issued, expiry from sc_timeline_expiry). */
enum sc_err sc_timeline_compute(const struct sc_scheme *s, sc_day issued,
                                const sc_day *audits, size_t n_audits,
                                sc_day today, struct sc_timeline *out,
                                struct sc_error *err);

#endif
