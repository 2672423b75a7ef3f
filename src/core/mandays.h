/*
 * mandays: audit time in man-days (domain.md section 3), from the scheme's
 * band table, the number of service outlets and an optional justified
 * reduction. Also the audit types (initial, surveillance, recertification)
 * and their wire names, which other modules share.
 *
 * Every figure is held in HALF DAYS (8.5 man-days -> 17) and computed in
 * exact integer arithmetic: no floating point decides anything here.
 * Pure: no I/O, no allocation. Not for: planning the audit's dates or team
 * (workflow and impartiality do that).
 *
 * The rules, in order:
 *   base      the band row holding `employees` (head office plus all sites),
 *             the column of the audit type; beyond the last band, plus the
 *             scheme's beyond increment of that type per started block of
 *             beyond_per_employees employees;
 *   outlets   with n outlets besides the head office, ceil(f * sqrt(n)) are
 *             visited (f: the type's factor, in tenths), each adding
 *             outlet_visit_halves;
 *   total     (base + outlets) * (100 - reduce) / 100, rounded to the nearest
 *             half day, an exact quarter day rounding up;
 *   planning  the band's planning column for an initial audit (the last
 *             band's beyond the table), 0 for surveillance and
 *             recertification, never more than the total;
 *   onsite    total - planning.
 */
#ifndef SC_MANDAYS_H
#define SC_MANDAYS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "scheme.h"

enum sc_audit_type {
    SC_AUDIT_INITIAL,
    SC_AUDIT_SURVEILLANCE,
    SC_AUDIT_RECERTIFICATION
};
#define SC_AUDIT_TYPE_COUNT 3

#define SC_MANDAYS_EMPLOYEES_MAX 10000000LL /* 10 million */
#define SC_MANDAYS_OUTLETS_MAX 1000000LL    /* 1 million */
#define SC_MANDAYS_HALVES_MAX 2000000       /* 1 million man-days */

/* "initial", "surveillance", "recertification"; "unknown" for any other
 * value. Static storage. */
const char *sc_audit_type_name(enum sc_audit_type type);

/* Parses exactly one of the names above (case-sensitive) from the
 * NUL-terminated `text`. On failure returns SC_ERR_INVALID with `field`
 * (may be NULL) and *out untouched. */
enum sc_err sc_audit_type_parse(const char *text, const char *field,
                                enum sc_audit_type *out, struct sc_error *err);

struct sc_mandays_request {
    enum sc_audit_type type;
    int64_t employees;  /* 1 .. SC_MANDAYS_EMPLOYEES_MAX */
    int64_t outlets;    /* 0 .. SC_MANDAYS_OUTLETS_MAX, besides head office */
    int reduce_percent; /* 0 .. scheme->reduction_max_percent */
    bool justified;     /* a written justification for the reduction exists */
};

/* The computed audit time; every *_halves figure in half days. */
struct sc_mandays {
    int band;                /* index of the band row used (last if beyond) */
    int64_t beyond_blocks;   /* started blocks past the last band, else 0 */
    int base_halves;         /* from the band table (plus beyond blocks) */
    int64_t outlets_visited; /* ceil(f * sqrt(outlets)) */
    int outlet_halves;       /* outlets_visited * outlet_visit_halves */
    int reduction_percent;   /* as requested, after validation */
    int total_halves;        /* reduced and rounded */
    int planning_halves;     /* of which planning + document review */
    int onsite_halves;       /* total - planning */
};

/*
 * Computes the audit time for `req` under `scheme` (a validated scheme).
 * On success fills *out and returns SC_OK. Refused input returns
 * SC_ERR_INVALID with err->field naming the request field: "type",
 * "employees", "outlets", "reduce" (out of 0..reduction_max_percent), or
 * "reason" (a reduction without justification); *out is then unspecified.
 * A result above SC_MANDAYS_HALVES_MAX is refused on "employees" (or
 * "outlets" when the outlets push it over).
 */
enum sc_err sc_mandays_compute(const struct sc_scheme *scheme,
                               const struct sc_mandays_request *req,
                               struct sc_mandays *out, struct sc_error *err);

/*
 * Outlets visited, ceil(factor_tenths / 10 * sqrt(n)) computed exactly: the
 * smallest v >= 0 with (10 v)^2 >= factor_tenths^2 * n. Returns -1
 * when n or factor_tenths is out of range (n 0..SC_MANDAYS_OUTLETS_MAX,
 * factor 1..1000).
 */
int64_t sc_mandays_outlets_visited(int factor_tenths, int64_t n);

#endif
