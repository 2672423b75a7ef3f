/*
 * cmd_certificate: `starcert certificate show|list|suspend|restore|
 * withdraw|cancel|reissue|confidential` (store_certificate and
 * store_decision do the work). Issuing, maintaining and recertifying are
 * committee decisions (`starcert decision close`); the daily clock's
 * transitions are `starcert tick`. Not for: rules (the store asks src/core).
 */
#include <getopt.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "store/store_certificate.h"
#include "store/store_decision.h"

static const char usage[] =
    "usage: starcert certificate show NUMBER [BASE]\n"
    "       starcert certificate list [--state STATE] [--organisation ID]\n"
    "                                 [--limit N] [BASE]\n"
    "       starcert certificate suspend NUMBER --reason-code CODE\n"
    "                                 --reason TEXT [BASE]\n"
    "       starcert certificate restore NUMBER --audit ID [BASE]\n"
    "       starcert certificate withdraw NUMBER --reason-code CODE\n"
    "                                 --reason TEXT [BASE]\n"
    "       starcert certificate cancel NUMBER --reason-code CODE\n"
    "                                 --reason TEXT [BASE]\n"
    "       starcert certificate reissue NUMBER [--scope TEXT]\n"
    "                                 [--outlets TEXT] --reason-code CODE\n"
    "                                 --reason TEXT [BASE]\n"
    "       starcert certificate confidential NUMBER (--on | --off)\n"
    "                                 --reason TEXT [BASE]\n"
    "\n"
    "  show      the certificate with every revision, every status change,\n"
    "            the pending surveillance window and the recertification\n"
    "            period\n"
    "  suspend   committee; active -> suspended. Codes: surveillance_overdue,\n"
    "            serious_nonconformity, misuse_of_mark, holder_request\n"
    "  restore   committee; suspended -> active after a reported restore or\n"
    "            surveillance audit of it with the quorum's votes (the same\n"
    "            as `decision close AUDIT`); the audit's last on-site day\n"
    "            anchors the next surveillance window\n"
    "  withdraw  committee; suspended -> withdrawn. Codes: not_restored,\n"
    "            serious_nonconformity, misuse_of_mark, holder_request\n"
    "  cancel    market; active or suspended -> cancelled. Codes:\n"
    "            holder_request, service_stopped\n"
    "  reissue   committee; a new revision of an active certificate dated\n"
    "            today with a corrected scope and/or outlets, same level\n"
    "            and expiry. Codes: scope_correction, address_correction,\n"
    "            name_correction, outlets_correction\n"
    "  confidential  market or committee, any state, at the holder's\n"
    "            written request: --on hides the certificate from registry\n"
    "            searches by name or code (an exact number still finds it),\n"
    "            --off shows it again; the value it already has changes\n"
    "            nothing\n"
    "\n" SC_CLI_BASE_HELP "\n"
    "Output: the certificate as `certificate show` prints it (list: an\n"
    "array of short views).\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"reason-code", required_argument, NULL, 'c'},
        {"reason", required_argument, NULL, 'r'},
        {"audit", required_argument, NULL, 'u'},
        {"scope", required_argument, NULL, 's'},
        {"outlets", required_argument, NULL, 'o'},
        {"state", required_argument, NULL, 'S'},
        {"organisation", required_argument, NULL, 'O'},
        {"limit", required_argument, NULL, 'l'},
        {"on", no_argument, NULL, 'n'},
        {"off", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    static const char *const subs[] = {"show",    "list",     "suspend",
                                       "restore", "withdraw", "cancel",
                                       "reissue", "confidential", NULL};
    /* options beyond BASE each subcommand takes */
    static const char *const allowed[] = {"",   "SOl", "cr",  "u",
                                          "cr", "cr",  "crso", "nfr"};
    struct sc_cli_base base = {0};
    const char *code = NULL, *reason = NULL, *audit = NULL, *scope = NULL,
               *outlets = NULL, *state = NULL, *org = NULL, *limit = NULL;
    int c, sub = -1, on = 0, off = 0;

    if (argc >= 2 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return sc_cli_help(self);
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required");
    for (int i = 0; subs[i]; i++)
        if (strcmp(argv[1], subs[i]) == 0)
            sub = i;
    if (sub < 0)
        return sc_cli_usage_error(self, "unknown subcommand \"%s\"", argv[1]);
    argc--;
    argv++;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        if (c != 'h' && c != '?' && c != ':' && !strchr(allowed[sub], c))
            return sc_cli_usage_error(self,
                                      "certificate %s does not take "
                                      "that option",
                                      subs[sub]);
        switch (c) {
        case 'c':
            code = optarg;
            break;
        case 'r':
            reason = optarg;
            break;
        case 'u':
            audit = optarg;
            break;
        case 's':
            scope = optarg;
            break;
        case 'o':
            outlets = optarg;
            break;
        case 'S':
            state = optarg;
            break;
        case 'O':
            org = optarg;
            break;
        case 'l':
            limit = optarg;
            break;
        case 'n':
            on = 1;
            break;
        case 'f':
            off = 1;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    bool is_list = sub == 1;
    if (optind + (is_list ? 0 : 1) != argc)
        return sc_cli_usage_error(self, is_list
                                            ? "certificate list takes no "
                                              "argument"
                                            : "give exactly one certificate "
                                              "number");
    if (!sc_cli_opt(base.db, "STARCERT_DB"))
        return sc_cli_usage_error(self, "--db PATH is required");
    if (sub == 3 && !audit)
        return sc_cli_usage_error(self, "certificate restore needs --audit ID");
    if (sub == 7 && on + off != 1)
        return sc_cli_usage_error(self, "certificate confidential needs "
                                        "exactly one of --on and --off");
    const char *number = is_list ? NULL : argv[optind];

    struct sc_error err;
    struct sc_clock clk;
    struct sc_store *st = NULL;
    struct sc_actor actor;
    json_t *view = NULL;
    long long n = 0, lim = 100;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor, &err);
    if (rc != SC_OK)
        goto out;
    switch (sub) {
    case 1:
        if ((org && (rc = sc_cli_parse_int(org, "organisation", 1, INT64_MAX,
                                           &n, &err))) ||
            (limit && (rc = sc_cli_parse_int(limit, "limit", 1,
                                             SC_CERT_LIST_MAX, &lim, &err))))
            break;
        rc = sc_store_certificate_list_json(st, &actor, state, n, (int)lim,
                                            &view, &err);
        goto out;
    case 2:
        rc = sc_store_certificate_suspend(st, &clk, &actor, number, code,
                                          reason, &err);
        break;
    case 3:
        if ((rc = sc_cli_parse_int(audit, "audit", 1, INT64_MAX, &n, &err)) ==
            SC_OK)
            rc = sc_store_decision_restore(st, &clk, &actor, number, n, NULL,
                                           &err);
        break;
    case 4:
        rc = sc_store_certificate_withdraw(st, &clk, &actor, number, code,
                                           reason, &err);
        break;
    case 5:
        rc = sc_store_certificate_cancel(st, &clk, &actor, number, code, reason,
                                         &err);
        break;
    case 6:
        rc = sc_store_certificate_reissue(st, &clk, &actor, number, scope,
                                          outlets, code, reason, &err);
        break;
    case 7:
        rc = sc_store_certificate_set_confidential(st, &clk, &actor, number,
                                                   on == 1, reason, NULL, &err);
        break;
    default:
        break;
    }
    if (rc == SC_OK)
        rc = sc_store_certificate_json(st, &actor, number, &view, &err);
out:
    sc_store_close(st);
    if (rc != SC_OK) {
        json_decref(view);
        return sc_cli_fail(self, &err);
    }
    return sc_cli_print(self, view);
}

const struct sc_cli_cmd sc_cmd_certificate = {
    "certificate",
    "certificates: show, suspend, restore, withdraw, cancel, reissue, "
    "confidential",
    usage, run};
