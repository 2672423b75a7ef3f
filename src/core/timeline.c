/*
 * timeline: the certificate's dates and time-driven state (see timeline.h
 * for the rules and the decisions). Pure arithmetic on sc_day values; every
 * date that is reported is checked to lie in the formattable range.
 */
#include "timeline.h"

#include <stdio.h>

const char *sc_timeline_state_name(enum sc_timeline_state s)
{
    switch (s) {
    case SC_TL_ACTIVE:
        return "active";
    case SC_TL_SUSPENDED:
        return "suspended";
    case SC_TL_WITHDRAWN:
        return "withdrawn";
    case SC_TL_EXPIRED:
        return "expired";
    }
    return "unknown";
}

const char *sc_timeline_reason_name(enum sc_timeline_reason r)
{
    switch (r) {
    case SC_TL_REASON_NONE:
        return "none";
    case SC_TL_REASON_SURVEILLANCE_OVERDUE:
        return "surveillance_overdue";
    case SC_TL_REASON_VALIDITY_ENDED:
        return "validity_ended";
    }
    return "unknown";
}

#define MONTHS_MAX 1200 /* 100 years: far beyond any sensible setting */
#define GRACE_DAYS_MAX 3660

static enum sc_err check_months(int v, int min, const char *field,
                                struct sc_error *err)
{
    if (v < min || v > MONTHS_MAX)
        return sc_error_set(err, SC_ERR_SCHEME, field,
                            "%d months is out of range %d..%d", v, min,
                            MONTHS_MAX);
    return SC_OK;
}

enum sc_err sc_timeline_check_scheme(const struct sc_scheme *s,
                                     struct sc_error *err)
{
    enum sc_err rc;
    if ((rc = check_months(s->validity_months, 1, "timeline.validity_months",
                           err)) ||
        (rc = check_months(s->surv_open_months, 1,
                           "timeline.surveillance.opens_months", err)) ||
        (rc = check_months(s->surv_nominal_from_months, 1,
                           "timeline.surveillance.nominal_from_months", err)) ||
        (rc = check_months(s->surv_nominal_to_months, 1,
                           "timeline.surveillance.nominal_to_months", err)) ||
        (rc = check_months(s->surv_close_months, 1,
                           "timeline.surveillance.closes_months", err)) ||
        (rc = check_months(s->recert_window_months, 1,
                           "timeline.recertification_window_months", err)) ||
        (rc = check_months(s->recert_late_months, 0,
                           "timeline.recertification_late_months", err)) ||
        (rc = check_months(s->withdrawal_months, 1,
                           "timeline.withdrawal_months", err)))
        return rc;
    if (s->surv_nominal_from_months < s->surv_open_months)
        return sc_error_set(err, SC_ERR_SCHEME,
                            "timeline.surveillance.nominal_from_months",
                            "must not be before the window opens (%d months)",
                            s->surv_open_months);
    if (s->surv_nominal_to_months < s->surv_nominal_from_months)
        return sc_error_set(err, SC_ERR_SCHEME,
                            "timeline.surveillance.nominal_to_months",
                            "must not be before nominal_from (%d months)",
                            s->surv_nominal_from_months);
    if (s->surv_close_months <= s->surv_nominal_to_months)
        return sc_error_set(
            err, SC_ERR_SCHEME, "timeline.surveillance.closes_months",
            "must be after nominal_to (%d months)", s->surv_nominal_to_months);
    if (s->recert_window_months >= s->validity_months)
        return sc_error_set(err, SC_ERR_SCHEME,
                            "timeline.recertification_window_months",
                            "must be shorter than the validity (%d months)",
                            s->validity_months);
    if (s->suspension_grace_days < 0 ||
        s->suspension_grace_days > GRACE_DAYS_MAX)
        return sc_error_set(err, SC_ERR_SCHEME,
                            "timeline.suspension_grace_days",
                            "%d days is out of range 0..%d",
                            s->suspension_grace_days, GRACE_DAYS_MAX);
    return SC_OK;
}

/* Refuses a cycle end whose later dates (late recertification, the latest
 * possible withdrawal) could not be written as YYYY-MM-DD. The scheme is
 * checked, so the sums stay far from int overflow. */
static enum sc_err check_end(const struct sc_scheme *s, sc_day expires,
                             const char *field, struct sc_error *err)
{
    if (!sc_date_in_range(expires))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "the certificate would expire after 9999-12-31");
    /* a suspension starts at the latest on expires (else it never does) */
    sc_day late = sc_date_add_months(expires, s->recert_late_months);
    sc_day withdrawal = sc_date_add_months(expires, s->withdrawal_months);
    if (!sc_date_in_range(late) || !sc_date_in_range(withdrawal))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "the certificate's dates (late recertification, "
                            "withdrawal) would fall after 9999-12-31");
    return SC_OK;
}

enum sc_err sc_timeline_expiry(const struct sc_scheme *s, sc_day issued,
                               sc_day *expires, struct sc_error *err)
{
    enum sc_err rc = sc_timeline_check_scheme(s, err);
    if (rc)
        return rc;
    if (!sc_date_in_range(issued))
        return sc_error_set(err, SC_ERR_INVALID, "issued",
                            "the issue date is outside 0001-01-01..9999-12-31");
    sc_day e = sc_date_period_end(issued, s->validity_months);
    if ((rc = check_end(s, e, "issued", err)))
        return rc;
    *expires = e;
    return SC_OK;
}

static sc_day recert_opens(const struct sc_scheme *s, sc_day expires)
{
    return sc_date_add_months(expires + 1, -s->recert_window_months);
}

enum sc_err sc_timeline_recertification(const struct sc_scheme *s,
                                        sc_day expires,
                                        struct sc_timeline_recert *out,
                                        struct sc_error *err)
{
    enum sc_err rc = sc_timeline_check_scheme(s, err);
    if (rc || (rc = check_end(s, expires, "expires", err)))
        return rc;
    out->opens = recert_opens(s, expires);
    out->closes = expires;
    out->late_until = sc_date_add_months(expires, s->recert_late_months);
    return SC_OK;
}

static sc_day min_day(sc_day a, sc_day b)
{
    return a < b ? a : b;
}

enum sc_err sc_timeline_window(const struct sc_scheme *s, sc_day anchor,
                               sc_day expires, int n,
                               struct sc_timeline_window *out, bool *exists,
                               struct sc_error *err)
{
    enum sc_err rc = sc_timeline_check_scheme(s, err);
    if (rc || (rc = check_end(s, expires, "expires", err)))
        return rc;
    if (!sc_date_in_range(anchor) || anchor > expires)
        return sc_error_set(err, SC_ERR_INVALID, "anchor",
                            "the anchor must lie on or before the expiry");
    sc_day opens = sc_date_add_months(anchor, s->surv_open_months);
    if (opens >= recert_opens(s, expires)) {
        *exists = false;
        return SC_OK;
    }
    /* opens < R <= expires, and closes >= opens since close > open months */
    sc_day closes =
        min_day(sc_date_period_end(anchor, s->surv_close_months), expires);
    out->n = n;
    out->anchor = anchor;
    out->opens = opens;
    /* a nominal date past the close (window cut by the expiry) would
     * mislead planners: clamp it to the close */
    out->nominal_from = min_day(
        sc_date_add_months(anchor, s->surv_nominal_from_months), closes);
    out->nominal_to =
        min_day(sc_date_add_months(anchor, s->surv_nominal_to_months), closes);
    out->closes = closes;
    *exists = true;
    return SC_OK;
}

enum sc_err sc_timeline_state_on(const struct sc_scheme *s, sc_day active_since,
                                 sc_day expires,
                                 const struct sc_timeline_window *pending,
                                 sc_day today, struct sc_timeline_status *out,
                                 struct sc_error *err)
{
    enum sc_err rc = sc_timeline_check_scheme(s, err);
    if (rc || (rc = check_end(s, expires, "expires", err)))
        return rc;
    if (!sc_date_in_range(active_since) || active_since > expires)
        return sc_error_set(err, SC_ERR_INVALID, "active_since",
                            "must lie on or before the expiry");
    if (today < active_since) {
        char t[SC_DATE_BUF], a[SC_DATE_BUF];
        sc_date_format(today, t);
        sc_date_format(active_since, a);
        return sc_error_set(err, SC_ERR_INVALID, "today",
                            "%s is before the certificate's start %s", t, a);
    }
    sc_day expired = expires + 1;
    if (pending && pending->closes < expires) {
        sc_day suspended = pending->closes + 1 + s->suspension_grace_days;
        if (suspended < expired) {
            sc_day withdrawn =
                sc_date_add_months(suspended, s->withdrawal_months);
            if (withdrawn <= expired && today >= withdrawn) {
                *out = (struct sc_timeline_status){
                    SC_TL_WITHDRAWN, withdrawn,
                    SC_TL_REASON_SURVEILLANCE_OVERDUE};
                return SC_OK;
            }
            if (today < expired && today >= suspended) {
                *out = (struct sc_timeline_status){
                    SC_TL_SUSPENDED, suspended,
                    SC_TL_REASON_SURVEILLANCE_OVERDUE};
                return SC_OK;
            }
        }
    }
    if (today >= expired)
        *out = (struct sc_timeline_status){SC_TL_EXPIRED, expired,
                                           SC_TL_REASON_VALIDITY_ENDED};
    else
        *out = (struct sc_timeline_status){SC_TL_ACTIVE, active_since,
                                           SC_TL_REASON_NONE};
    return SC_OK;
}

static enum sc_err refuse_audit(struct sc_error *err, size_t i,
                                const char *fmt_intro, sc_day audit,
                                const struct sc_timeline_window *w)
{
    char field[32], a[SC_DATE_BUF], o[SC_DATE_BUF], c[SC_DATE_BUF];
    snprintf(field, sizeof field, "audit[%zu]", i);
    sc_date_format(audit, a);
    sc_date_format(w->opens, o);
    sc_date_format(w->closes, c);
    return sc_error_set(err, SC_ERR_INVALID, field,
                        "audit %s is %s surveillance window %d (%s .. %s)", a,
                        fmt_intro, w->n, o, c);
}

enum sc_err sc_timeline_run(const struct sc_scheme *s,
                            const struct sc_timeline_cycle *cycle,
                            const sc_day *audits, size_t n_audits, sc_day today,
                            struct sc_timeline *out, struct sc_error *err)
{
    enum sc_err rc = sc_timeline_check_scheme(s, err);
    if (rc || (rc = check_end(s, cycle->expires, "expires", err)))
        return rc;
    if (!sc_date_in_range(cycle->start) || cycle->start > cycle->expires)
        return sc_error_set(err, SC_ERR_INVALID, "start",
                            "the cycle must start on or before its expiry");
    if (!sc_date_in_range(cycle->anchor) || cycle->anchor > cycle->expires)
        return sc_error_set(err, SC_ERR_INVALID, "anchor",
                            "the anchor must lie on or before the expiry");
    if (!sc_date_in_range(today))
        return sc_error_set(err, SC_ERR_INVALID, "today",
                            "outside 0001-01-01..9999-12-31");
    if (today < cycle->start) {
        char t[SC_DATE_BUF], a[SC_DATE_BUF];
        sc_date_format(today, t);
        sc_date_format(cycle->start, a);
        return sc_error_set(err, SC_ERR_INVALID, "today",
                            "%s is before the certificate's start %s", t, a);
    }
    if (n_audits > SC_TIMELINE_MAX_WINDOWS - 1)
        return sc_error_set(err, SC_ERR_INVALID, "audit",
                            "at most %d audits per cycle",
                            SC_TIMELINE_MAX_WINDOWS - 1);

    out->cycle = *cycle;
    out->n_entries = 0;
    out->has_pending = false;
    if ((rc =
             sc_timeline_recertification(s, cycle->expires, &out->recert, err)))
        return rc;

    sc_day anchor = cycle->anchor;
    for (size_t i = 0; i <= n_audits; i++) {
        struct sc_timeline_window w;
        bool exists = false;
        char field[32];
        snprintf(field, sizeof field, "audit[%zu]", i);
        rc = sc_timeline_window(s, anchor, cycle->expires, (int)i + 1, &w,
                                &exists, err);
        if (rc)
            return rc;
        if (i == n_audits) { /* past the audits given: the pending window */
            if (exists) {
                out->entries[out->n_entries++] =
                    (struct sc_timeline_entry){w, false, 0};
                out->has_pending = true;
            }
            break;
        }
        sc_day a = audits[i];
        char ad[SC_DATE_BUF], other[SC_DATE_BUF];
        sc_date_format(a, ad);
        if (i > 0 && a <= audits[i - 1]) {
            sc_date_format(audits[i - 1], other);
            return sc_error_set(
                err, SC_ERR_INVALID, field,
                a == audits[i - 1]
                    ? "audit %s is given twice (audit[%zu] is %s)"
                    : "audit %s is not after audit[%zu] (%s): give the "
                      "audits in chronological order",
                ad, i - 1, other);
        }
        if (a > today) {
            sc_date_format(today, other);
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "audit %s is after today (%s): it has not "
                                "happened yet",
                                ad, other);
        }
        if (!exists) {
            sc_date_format(out->recert.opens, other);
            return sc_error_set(
                err, SC_ERR_INVALID, field,
                "audit %s is one too many: no surveillance window follows "
                "window %zu (the next would open on or after the "
                "recertification period's start %s; the recertification "
                "audit takes its place)",
                ad, i, other);
        }
        if (a < w.opens || a > w.closes)
            return refuse_audit(err, i, "outside", a, &w);
        out->entries[out->n_entries++] = (struct sc_timeline_entry){w, true, a};
        anchor = a;
    }

    const struct sc_timeline_window *pending =
        out->has_pending ? &out->entries[out->n_entries - 1].window : NULL;
    return sc_timeline_state_on(s, cycle->start, cycle->expires, pending, today,
                                &out->status, err);
}

enum sc_err sc_timeline_compute(const struct sc_scheme *s, sc_day issued,
                                const sc_day *audits, size_t n_audits,
                                sc_day today, struct sc_timeline *out,
                                struct sc_error *err)
{
    sc_day expires = 0;
    enum sc_err rc = sc_timeline_expiry(s, issued, &expires, err);
    if (rc)
        return rc;
    struct sc_timeline_cycle c = {issued, issued, expires};
    return sc_timeline_run(s, &c, audits, n_audits, today, out, err);
}
