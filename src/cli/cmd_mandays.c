/*
 * cmd_mandays: `starcert mandays`, the audit time of one audit (domain.md
 * section 3) under the bundled scheme or --scheme FILE, printed as JSON in
 * man-days (8.5, 9.0, 0.5). Not for: any rule (src/core/mandays does the
 * arithmetic, in half days); this file only reads options and prints.
 */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "core/mandays.h"

static const char usage[] =
    "usage: starcert mandays [--scheme FILE] --employees N [--outlets N]\n"
    "                        --type initial|surveillance|recertification\n"
    "                        [--reduce PERCENT --reason TEXT]\n"
    "\n"
    "Computes the audit time in man-days (domain.md section 3): the base\n"
    "from the scheme's table by number of employees (head office plus all\n"
    "sites), plus a fixed time per sampled service outlet (ceil(f * sqrt(N))\n"
    "of N outlets besides the head office), less an optional reduction that\n"
    "needs a written reason, rounded to the nearest half day (a quarter day\n"
    "rounds up). Bundled scheme: f = 1.0 initial, 0.6 surveillance, 0.8\n"
    "recertification, 0.5 man-day per outlet; reduction at most 30 %.\n"
    "\n"
    "Prints {\"type\", \"employees\", \"outlets\", \"outlets_visited\", "
    "\"base\",\n"
    "\"outlet_days\", \"reduction_percent\", \"total\", \"planning\", "
    "\"onsite\"}\n"
    "(man-days as numbers; planning is the table's planning and document\n"
    "review share, given for initial audits only). Exits 1 with a JSON\n"
    "error naming the field on refused input, 2 on bad usage.\n"
    "\n"
    "options:\n"
    "  --scheme FILE      scheme file (env STARCERT_SCHEME; default: bundled)\n"
    "  --employees N      employees, head office plus all sites (>= 1)\n"
    "  --outlets N        service outlets besides the head office (default 0)\n"
    "  --type TYPE        initial, surveillance or recertification\n"
    "  --reduce PERCENT   reduce the total by this whole percentage\n"
    "  --reason TEXT      the written justification a reduction needs\n"
    "  -h, --help         this text\n";

/* A justification counts only when it says something. */
static bool has_text(const char *s)
{
    if (!s)
        return false;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return true;
    return false;
}

/* sc_cli_parse_int quotes what it refuses; text that is not printable
 * ASCII is refused here first, unquoted, so the JSON error stays valid
 * UTF-8. */
static enum sc_err parse_number(const char *text, const char *field,
                                long long min, long long max, long long *out,
                                struct sc_error *err)
{
    for (const char *c = text; *c; c++)
        if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "not a whole number");
    return sc_cli_parse_int(text, field, min, max, out, err);
}

static json_t *days(int halves)
{
    return json_real(halves / 2.0);
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    enum {
        OPT_SCHEME = 256,
        OPT_EMPLOYEES,
        OPT_OUTLETS,
        OPT_TYPE,
        OPT_REDUCE,
        OPT_REASON
    };
    static const struct option opts[] = {
        {"scheme", required_argument, NULL, OPT_SCHEME},
        {"employees", required_argument, NULL, OPT_EMPLOYEES},
        {"outlets", required_argument, NULL, OPT_OUTLETS},
        {"type", required_argument, NULL, OPT_TYPE},
        {"reduce", required_argument, NULL, OPT_REDUCE},
        {"reason", required_argument, NULL, OPT_REASON},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *scheme_path = NULL;
    const char *employees_arg = NULL;
    const char *outlets_arg = NULL;
    const char *type_arg = NULL;
    const char *reduce_arg = NULL;
    const char *reason = NULL;

    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case OPT_SCHEME:
            scheme_path = optarg;
            break;
        case OPT_EMPLOYEES:
            employees_arg = optarg;
            break;
        case OPT_OUTLETS:
            outlets_arg = optarg;
            break;
        case OPT_TYPE:
            type_arg = optarg;
            break;
        case OPT_REDUCE:
            reduce_arg = optarg;
            break;
        case OPT_REASON:
            reason = optarg;
            break;
        case 'h':
            return sc_cli_help(self);
        case ':':
            return sc_cli_usage_error(self, "option \"%s\" needs a value",
                                      argv[optind - 1]);
        default:
            return sc_cli_usage_error(self, "unknown option \"%s\"",
                                      argv[optind - 1]);
        }
    }
    if (optind < argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!employees_arg)
        return sc_cli_usage_error(self, "--employees is required");
    if (!type_arg)
        return sc_cli_usage_error(self, "--type is required");

    struct sc_error err;
    sc_error_clear(&err);
    struct sc_mandays_request req = {SC_AUDIT_INITIAL, 0, 0, 0, false};
    long long v = 0;
    if (sc_audit_type_parse(type_arg, "type", &req.type, &err) != SC_OK)
        return sc_cli_fail(self, &err);
    /* ranges are the core's to decide; here only "is it a whole number" */
    if (parse_number(employees_arg, "employees", INT64_MIN, INT64_MAX, &v,
                     &err) != SC_OK)
        return sc_cli_fail(self, &err);
    req.employees = v;
    if (outlets_arg) {
        if (parse_number(outlets_arg, "outlets", INT64_MIN, INT64_MAX, &v,
                         &err) != SC_OK)
            return sc_cli_fail(self, &err);
        req.outlets = v;
    }
    if (reduce_arg) {
        if (parse_number(reduce_arg, "reduce", INT_MIN, INT_MAX, &v, &err) !=
            SC_OK)
            return sc_cli_fail(self, &err);
        req.reduce_percent = (int)v;
    }
    req.justified = has_text(reason);

    /* large: keep it off the stack */
    static struct sc_scheme scheme;
    if (sc_cli_load_scheme(scheme_path, &scheme, &err) != SC_OK)
        return sc_cli_fail(self, &err);
    struct sc_mandays m;
    if (sc_mandays_compute(&scheme, &req, &m, &err) != SC_OK)
        return sc_cli_fail(self, &err);

    json_t *out = json_object();
    if (out &&
        (json_object_set_new(out, "type",
                             json_string(sc_audit_type_name(req.type))) ||
         json_object_set_new(out, "employees",
                             json_integer((json_int_t)req.employees)) ||
         json_object_set_new(out, "outlets",
                             json_integer((json_int_t)req.outlets)) ||
         json_object_set_new(out, "outlets_visited",
                             json_integer((json_int_t)m.outlets_visited)) ||
         json_object_set_new(out, "base", days(m.base_halves)) ||
         json_object_set_new(out, "outlet_days", days(m.outlet_halves)) ||
         json_object_set_new(out, "reduction_percent",
                             json_integer(m.reduction_percent)) ||
         json_object_set_new(out, "total", days(m.total_halves)) ||
         json_object_set_new(out, "planning", days(m.planning_halves)) ||
         json_object_set_new(out, "onsite", days(m.onsite_halves)))) {
        json_decref(out);
        out = NULL;
    }
    return sc_cli_print(self, out);
}

const struct sc_cli_cmd sc_cmd_mandays = {
    "mandays",
    "audit time in man-days for an initial, surveillance or recertification "
    "audit",
    usage,
    run,
};
