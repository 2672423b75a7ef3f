/*
 * cmd_registry: `starcert registry get|search`, the public registry's
 * look-ups (store_registry.h): one certificate by exact number, or a search
 * by number, organisation name (Chinese substring) or 统一社会信用代码.
 * Confidential certificates are found only by their exact number.
 * Not for: exports or changes.
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "store/store_registry.h"

static const char usage[] =
    "usage: starcert registry get NUMBER --db PATH\n"
    "       starcert registry search TEXT --db PATH [--limit N]\n"
    "\n"
    "get: the certificate with exactly that number (confidential ones\n"
    "included); exit 1 with code not_found when there is none.\n"
    "search: up to N (1..100, default 20) certificates: the one with that\n"
    "exact number, then those of the organisation with that 统一社会信用代码,\n"
    "then those of organisations whose name contains TEXT (any length, 海\n"
    "or 海尔 or 青岛海尔; Latin letters case-insensitive). Confidential\n"
    "certificates appear only for their exact number. The text is matched\n"
    "literally: no query syntax.\n"
    "\n"
    "Each certificate: {\"number\", \"revision\", \"organisation\", \"uscc\",\n"
    "\"level\", \"score\", \"status\", \"issued\", \"expires\", \"scope\"}\n"
    "(score a string with one decimal; issued = this revision's date).\n"
    "get prints one object, search an array.\n"
    "\n"
    "  --db PATH     database (env STARCERT_DB)\n"
    "  --limit N     most results of a search (default 20)\n"
    "  -h, --help    this text\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *limit_arg = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': limit_arg = optarg; break;
        case 'h': return sc_cli_help(self);
        default: return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (optind >= argc)
        return sc_cli_usage_error(self, "say get NUMBER or search TEXT");
    const char *verb = argv[optind];
    bool get = strcmp(verb, "get") == 0;
    if (!get && strcmp(verb, "search") != 0)
        return sc_cli_usage_error(self, "unknown action \"%s\" (get, search)",
                                  verb);
    if (argc - optind != 2)
        return sc_cli_usage_error(self, "%s takes exactly one %s", verb,
                                  get ? "NUMBER" : "TEXT");
    if (get && limit_arg)
        return sc_cli_usage_error(self, "--limit is for search");
    if (!sc_cli_opt(db, "STARCERT_DB"))
        return sc_cli_usage_error(self, "--db PATH is required");

    struct sc_error err;
    struct sc_store *st = NULL;
    long long limit = SC_REGISTRY_LIMIT_DEFAULT;
    json_t *out = NULL;
    int exit_code;
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (limit_arg)
        rc = sc_cli_parse_int(limit_arg, "limit", 1, SC_REGISTRY_LIMIT_MAX,
                              &limit, &err);
    if (rc == SC_OK)
        rc = sc_cli_open_store(db, false, &st, &err);
    if (rc == SC_OK)
        rc = get ? sc_store_registry_get(st, argv[optind + 1], &out, &err)
                 : sc_store_registry_search(st, argv[optind + 1], (int)limit,
                                            &out, &err);
    exit_code = rc == SC_OK ? sc_cli_print(self, out) : sc_cli_fail(self, &err);
    sc_store_close(st);
    return exit_code;
}

const struct sc_cli_cmd sc_cmd_registry = {
    "registry", "public registry: get a certificate, search by name or code",
    usage, run};
