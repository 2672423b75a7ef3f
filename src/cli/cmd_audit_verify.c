/*
 * cmd_audit_verify: `starcert audit-verify --db PATH` walks the whole
 * hash-chained event log and names the first row that does not verify.
 */
#include <getopt.h>

#include "cli.h"

static const char usage[] =
    "usage: starcert audit-verify --db PATH\n"
    "\n"
    "Checks the event log's hash chain from the first row to the last.\n"
    "Exit 0 and {\"valid\": true, \"events\": N} when every row verifies;\n"
    "exit 1 and an error naming the first bad row (field \"events\", and\n"
    "\"bad_event\" in the output) when one was edited, deleted or reordered.\n"
    "\n"
    "  --db PATH   database file (env STARCERT_DB)\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
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
    int64_t count = 0, bad = 0;
    sc_error_clear(&err);
    enum sc_err rc = sc_cli_open_store(db, false, &st, &err);
    if (rc == SC_OK)
        rc = sc_events_verify(st, &count, &bad, &err);
    sc_store_close(st);
    if (rc != SC_OK) {
        if (bad) {
            json_t *o = json_pack("{s:{s:s, s:s, s:s}, s:b, s:I}", "error",
                                  "code", sc_err_name(rc), "message",
                                  err.message, "field", "events", "valid", 0,
                                  "bad_event", (json_int_t)bad);
            sc_cli_print(self, o);
            fprintf(stderr, "starcert %s: %s\n", self->name, err.message);
            return SC_EXIT_FAIL;
        }
        return sc_cli_fail(self, &err);
    }
    return sc_cli_print(self, json_pack("{s:b, s:I}", "valid", 1, "events",
                                        (json_int_t)count));
}

const struct sc_cli_cmd sc_cmd_audit_verify = {
    "audit-verify", "check the event log's hash chain", usage, run};
