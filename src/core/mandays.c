/*
 * mandays: the audit-time rules of domain.md section 3 (see mandays.h for
 * the contract and the order of the rules). Everything is integer
 * arithmetic in half days; products are formed in int64_t after the inputs
 * are bounded, so none of them can overflow.
 */
#include "mandays.h"

#include <string.h>

static const char *const type_names[SC_AUDIT_TYPE_COUNT] = {
    "initial", "surveillance", "recertification"};

const char *sc_audit_type_name(enum sc_audit_type type)
{
    if ((int)type < 0 || (int)type >= SC_AUDIT_TYPE_COUNT)
        return "unknown";
    return type_names[type];
}

enum sc_err sc_audit_type_parse(const char *text, const char *field,
                                enum sc_audit_type *out, struct sc_error *err)
{
    for (int i = 0; i < SC_AUDIT_TYPE_COUNT; i++)
        if (text && strcmp(text, type_names[i]) == 0) {
            *out = (enum sc_audit_type)i;
            return SC_OK;
        }
    /* quote the input only when it is printable ASCII: the message may end
     * up in a JSON string, which must be valid UTF-8 */
    bool quotable = text != NULL;
    for (const char *c = text; quotable && *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
            quotable = false;
    if (!quotable)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "not an audit type (initial, surveillance or "
                            "recertification)");
    return sc_error_set(err, SC_ERR_INVALID, field,
                        "\"%.40s\" is not an audit type (initial, "
                        "surveillance or recertification)",
                        text ? text : "");
}

int64_t sc_mandays_outlets_visited(int factor_tenths, int64_t n)
{
    if (n < 0 || n > SC_MANDAYS_OUTLETS_MAX || factor_tenths < 1 ||
        factor_tenths > 1000)
        return -1;
    /* v visits cover n when v >= f/10 * sqrt(n), i.e. 100 v^2 >= f^2 n.
     * f^2 n <= 10^12, so v <= 10^5 and every product fits. */
    int64_t target = (int64_t)factor_tenths * factor_tenths * n;
    int64_t lo = 0;
    int64_t hi = 100001;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (100 * mid * mid >= target)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int column(const struct sc_scheme_band *b, enum sc_audit_type type)
{
    switch (type) {
    case SC_AUDIT_INITIAL:
        return b->initial_halves;
    case SC_AUDIT_SURVEILLANCE:
        return b->surveillance_halves;
    case SC_AUDIT_RECERTIFICATION:
        return b->recertification_halves;
    }
    return 0;
}

static void type_rules(const struct sc_scheme *s, enum sc_audit_type type,
                       int *beyond_halves, int *factor_tenths)
{
    switch (type) {
    case SC_AUDIT_INITIAL:
        *beyond_halves = s->beyond_initial_halves;
        *factor_tenths = s->outlet_factor_initial_tenths;
        return;
    case SC_AUDIT_SURVEILLANCE:
        *beyond_halves = s->beyond_surveillance_halves;
        *factor_tenths = s->outlet_factor_surveillance_tenths;
        return;
    case SC_AUDIT_RECERTIFICATION:
        *beyond_halves = s->beyond_recertification_halves;
        *factor_tenths = s->outlet_factor_recertification_tenths;
        return;
    }
}

enum sc_err sc_mandays_compute(const struct sc_scheme *scheme,
                               const struct sc_mandays_request *req,
                               struct sc_mandays *out, struct sc_error *err)
{
    memset(out, 0, sizeof *out);
    if ((int)req->type < 0 || (int)req->type >= SC_AUDIT_TYPE_COUNT)
        return sc_error_set(err, SC_ERR_INVALID, "type",
                            "unknown audit type %d", (int)req->type);
    if (req->employees < 1 || req->employees > SC_MANDAYS_EMPLOYEES_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "employees",
                            "must be between 1 and %lld, got %lld",
                            SC_MANDAYS_EMPLOYEES_MAX,
                            (long long)req->employees);
    if (req->outlets < 0 || req->outlets > SC_MANDAYS_OUTLETS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "outlets",
                            "must be between 0 and %lld, got %lld",
                            SC_MANDAYS_OUTLETS_MAX, (long long)req->outlets);
    if (req->reduce_percent < 0 ||
        req->reduce_percent > scheme->reduction_max_percent)
        return sc_error_set(err, SC_ERR_INVALID, "reduce",
                            "a reduction must be between 0 and %d %%, got %d",
                            scheme->reduction_max_percent, req->reduce_percent);
    if (req->reduce_percent > 0 && !req->justified)
        return sc_error_set(err, SC_ERR_INVALID, "reason",
                            "a reduction of the audit time needs a written "
                            "justification");
    if (scheme->n_bands < 1 || scheme->beyond_per_employees < 1)
        return sc_error_set(err, SC_ERR_SCHEME, "mandays.bands",
                            "the scheme has no man-day table");

    int beyond_halves = 0;
    int factor = 0;
    type_rules(scheme, req->type, &beyond_halves, &factor);

    /* base: the first band whose max holds the head count */
    int band = 0;
    while (band < scheme->n_bands - 1 &&
           req->employees > scheme->bands[band].employees_max)
        band++;
    const struct sc_scheme_band *b = &scheme->bands[band];
    int64_t base = column(b, req->type);
    int64_t blocks = 0;
    if (req->employees > b->employees_max) {
        int64_t over = req->employees - b->employees_max;
        blocks = (over + scheme->beyond_per_employees - 1) /
                 scheme->beyond_per_employees;
        base += blocks * beyond_halves;
    }
    if (base > SC_MANDAYS_HALVES_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "employees",
                            "the audit time would exceed %d man-days",
                            SC_MANDAYS_HALVES_MAX / 2);

    int64_t visited = sc_mandays_outlets_visited(factor, req->outlets);
    if (visited < 0)
        return sc_error_set(err, SC_ERR_SCHEME, "mandays.outlets",
                            "outlet factor %d tenths out of range", factor);
    int64_t outlet = visited * scheme->outlet_visit_halves;
    int64_t sum = base + outlet;
    if (sum > SC_MANDAYS_HALVES_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "outlets",
                            "the audit time would exceed %d man-days",
                            SC_MANDAYS_HALVES_MAX / 2);

    /* sum * (100 - r) / 100 half days, to the nearest whole half day with
     * an exact tie (a quarter day) going up */
    int64_t total = (sum * (100 - req->reduce_percent) + 50) / 100;

    int64_t planning =
        req->type == SC_AUDIT_INITIAL ? (int64_t)b->planning_halves : 0;
    if (planning > total)
        planning = total;

    out->band = band;
    out->beyond_blocks = blocks;
    out->base_halves = (int)base;
    out->outlets_visited = visited;
    out->outlet_halves = (int)outlet;
    out->reduction_percent = req->reduce_percent;
    out->total_halves = (int)total;
    out->planning_halves = (int)planning;
    out->onsite_halves = (int)(total - planning);
    return SC_OK;
}
