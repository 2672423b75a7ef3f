/*
 * cmd_import: `starcert import`, loading certificates from a CB's previous
 * system out of a CSV file (columns in docs/import.md; every check in
 * store_import.h). Prints the counts; a refused import prints the first
 * bad row as the JSON error and lists the bad rows on stderr.
 * Not for: certificates issued through the workflow.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/actor.h"
#include "store/store_import.h"

static const char usage[] =
    "usage: starcert import --db PATH [--partial] [--as LOGIN]\n"
    "                       [--scheme FILE] [--today DATE] FILE.csv\n"
    "\n"
    "Loads certificates from a CSV file (RFC 4180, UTF-8, header line\n"
    "naming the columns; see docs/import.md; FILE - reads stdin). Every row\n"
    "is checked; organisations are matched by 统一社会信用代码 and created\n"
    "when new. One transaction and one event for the whole file: a bad row\n"
    "(reported with its line and column) loads NOTHING, unless --partial,\n"
    "which loads the good rows and lists the bad ones.\n"
    "\n"
    "  --db PATH       database (env STARCERT_DB)\n"
    "  --partial       load the good rows, report the bad ones\n"
    "  --as LOGIN      the acting admin (env STARCERT_AS; default: the\n"
    "                  system)\n"
    "  --scheme FILE   the scheme the certificates follow (env\n"
    "                  STARCERT_SCHEME; default: the bundled one); it must\n"
    "                  be recorded in the database\n"
    "  --today DATE    the import day (env STARCERT_TODAY): no date may be\n"
    "                  after it\n"
    "  -h, --help      this text\n"
    "\n"
    "Output: {\"file\", \"sha256\", \"scheme\", \"partial\", \"rows\", \"loaded\",\n"
    "\"rejected\", \"organisations_created\", \"organisations_matched\",\n"
    "\"recertification_open\", \"errors\": [{\"line\", \"field\", \"code\",\n"
    "\"message\"}], \"errors_listed\"} (at most 100 errors listed).\n"
    "Exit 1 when the file is refused (nothing loaded).\n";

static void list_errors(const json_t *report)
{
    const json_t *errors = json_object_get(report, "errors");
    size_t i;
    const json_t *e;
    json_array_foreach(errors, i, e)
    {
        fprintf(stderr, "starcert import: line %lld: %s: %s\n",
                (long long)json_integer_value(json_object_get(e, "line")),
                json_string_value(json_object_get(e, "field")),
                json_string_value(json_object_get(e, "message")));
    }
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"partial", no_argument, NULL, 'p'},
        {"scheme", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *scheme_path = NULL;
    bool partial = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'p': partial = true; break;
        case 's': scheme_path = optarg; break;
        case 'h': return sc_cli_help(self);
        default: return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (argc - optind != 1)
        return sc_cli_usage_error(self, "give exactly one FILE.csv");
    if (!sc_cli_opt(base.db, "STARCERT_DB"))
        return sc_cli_usage_error(self, "--db PATH is required");
    const char *path = argv[optind];

    struct sc_error err;
    struct sc_clock clk;
    struct sc_store *st = NULL;
    struct sc_scheme *scheme = malloc(sizeof *scheme);
    struct sc_actor actor;
    json_t *report = NULL;
    FILE *in = NULL;
    int exit_code;
    sc_error_clear(&err);
    enum sc_err rc = scheme ? SC_OK : sc_error_set(&err, SC_ERR_NOMEM, NULL, NULL);
    if (rc == SC_OK)
        rc = sc_cli_load_scheme(scheme_path, scheme, &err);
    if (rc == SC_OK)
        rc = sc_cli_clock(base.today, &clk, &err);
    if (rc == SC_OK)
        rc = sc_cli_open_store(base.db, false, &st, &err);
    if (rc == SC_OK) {
        if (sc_cli_opt(base.as, "STARCERT_AS"))
            rc = sc_cli_actor(st, base.as, &actor, &err);
        else
            sc_actor_system(&actor);
    }
    if (rc == SC_OK) {
        in = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
        if (!in)
            rc = sc_error_set(&err, SC_ERR_IO, "file", "cannot open %s", path);
    }
    if (rc == SC_OK)
        rc = sc_store_import_csv(st, &clk, &actor, scheme, in, path, partial,
                                 &report, &err);
    if (report)
        list_errors(report);
    if (rc == SC_OK) {
        exit_code = sc_cli_print(self, report);
        report = NULL;
    } else {
        exit_code = sc_cli_fail(self, &err);
    }
    json_decref(report);
    if (in && in != stdin)
        fclose(in);
    sc_store_close(st);
    free(scheme);
    return exit_code;
}

const struct sc_cli_cmd sc_cmd_import = {
    "import", "load certificates from a previous system's CSV file", usage,
    run};
