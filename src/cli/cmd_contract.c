/*
 * cmd_contract: `starcert contract sign`, the certification contract the
 * market department signs for an accepted application: number, fee in
 * cents, preliminary audit date; the audit time (man-days) is computed and
 * stored with it. Missing fields are reported by the store as the workflow
 * precondition contract_fields. Not for: rules (store_application and the
 * core decide).
 */
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "store/store_application.h"

static const char usage[] =
    "usage: starcert contract sign --application ID --number NUMBER\n"
    "                 --fee-cents CENTS --preliminary-audit DATE [BASE]\n"
    "\n"
    "Signs the certification contract of an accepted application (market\n"
    "department); the application becomes contracted. The contract number\n"
    "is unique; the fee is in cents (fen), at least 1; the preliminary audit\n"
    "date is not before today. The audit time is computed from the\n"
    "organisation's employees and service outlets (initial audit time for\n"
    "an initial application, recertification time for a recertification or\n"
    "an upgrade, surveillance time for a scope change) and stored in half\n"
    "days (mandays_halves).\n"
    "\n"
    "  --application ID         the application\n"
    "  --number NUMBER          contract number\n"
    "  --fee-cents CENTS        the fee in cents\n"
    "  --preliminary-audit DATE YYYY-MM-DD\n"
    "BASE options:\n"
    "  --db PATH                database (env STARCERT_DB)\n"
    "  --as LOGIN               the acting user (env STARCERT_AS)\n"
    "  --today DATE             the day of the action (env STARCERT_TODAY)\n"
    "\n"
    "Output: the application's view, its \"contract\" {\"id\", \"number\",\n"
    "\"fee_cents\", \"mandays_halves\", \"preliminary_audit\", \"signed_on\",\n"
    "\"signed_by\"}.\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"application", required_argument, NULL, 'A'},
        {"number", required_argument, NULL, 'n'},
        {"fee-cents", required_argument, NULL, 'f'},
        {"preliminary-audit", required_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required: sign");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return sc_cli_help(self);
    if (strcmp(argv[1], "sign") != 0)
        return sc_cli_usage_error(self, "unknown subcommand \"%s\"", argv[1]);
    argc--;
    argv++;
    struct sc_cli_base base = {0};
    const char *app = NULL, *fee = NULL;
    struct sc_contract_input in = {0};
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'A':
            app = optarg;
            break;
        case 'n':
            in.number = optarg;
            break;
        case 'f':
            fee = optarg;
            break;
        case 'p':
            in.preliminary_audit = optarg;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!app)
        return sc_cli_usage_error(self, "contract sign needs --application");

    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long id = 0, cents = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_parse_int(app, "application", 1, INT64_MAX, &id, &err);
    /* Only the number's form here; its range is the store's, after the
     * state and role checks. */
    if (rc == SC_OK && fee) {
        rc = sc_cli_parse_int(fee, "fee_cents", LLONG_MIN, LLONG_MAX, &cents,
                              &err);
        in.has_fee = true;
        in.fee_cents = cents;
    }
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor,
                            &err);
    if (rc == SC_OK)
        rc = sc_store_contract_sign(st, &clk, &actor, id, &in, NULL, &err);
    if (rc == SC_OK)
        rc = sc_store_application_get(st, &actor, id, clk.today, &out, &err);
    int code = rc == SC_OK ? sc_cli_print(self, out) : sc_cli_fail(self, &err);
    if (rc != SC_OK)
        json_decref(out);
    sc_store_close(st);
    return code;
}

const struct sc_cli_cmd sc_cmd_contract = {
    "contract", "sign the certification contract of an accepted application",
    usage, run};
