/*
 * cmd_due: `starcert due`, the deadlines of the coming days (surveillance
 * windows opening and closing, recertification periods opening, expiries,
 * withdrawals) as one sorted JSON array. Not for: changing anything (that
 * is `starcert tick`).
 */
#include <getopt.h>

#include "cli.h"
#include "store/store_tick.h"

static const char usage[] =
    "usage: starcert due --db PATH [--today DATE] [--within DAYS]\n"
    "\n"
    "Lists the deadlines from DATE to DATE + DAYS (both inclusive) of every\n"
    "active or suspended certificate, sorted by date, then certificate\n"
    "number:\n"
    "  [{\"certificate\", \"organisation\", \"kind\", \"date\"}]\n"
    "kinds: surveillance_opens, surveillance_closes (the pending window of\n"
    "an active certificate), recertification_opens, expires, withdrawal (a\n"
    "suspended certificate not restored by then).\n"
    "\n"
    "  --db PATH        database (env STARCERT_DB)\n"
    "  --today DATE     first day (env STARCERT_TODAY; default: today in\n"
    "                   Asia/Shanghai)\n"
    "  --within DAYS    days ahead, 0..3660 (default 30)\n"
    "  -h, --help       this text\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"today", required_argument, NULL, 't'},
        {"within", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *today = NULL, *within_arg = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 't': today = optarg; break;
        case 'w': within_arg = optarg; break;
        case 'h': return sc_cli_help(self);
        default: return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!sc_cli_opt(db, "STARCERT_DB"))
        return sc_cli_usage_error(self, "--db PATH is required");

    struct sc_error err;
    struct sc_store *st = NULL;
    long long within = SC_DUE_WITHIN_DEFAULT;
    sc_day day = 0;
    json_t *list = NULL;
    int exit_code;
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (within_arg)
        rc = sc_cli_parse_int(within_arg, "within", 0, SC_DUE_WITHIN_MAX,
                              &within, &err);
    if (rc == SC_OK)
        rc = sc_cli_today(today, &day, &err);
    if (rc == SC_OK)
        rc = sc_cli_open_store(db, false, &st, &err);
    if (rc == SC_OK)
        rc = sc_store_due(st, day, (int)within, &list, &err);
    exit_code = rc == SC_OK ? sc_cli_print(self, list) : sc_cli_fail(self, &err);
    sc_store_close(st);
    return exit_code;
}

const struct sc_cli_cmd sc_cmd_due = {
    "due", "surveillance, recertification, expiry and withdrawal deadlines",
    usage, run};
