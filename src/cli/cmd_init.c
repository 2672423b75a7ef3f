/*
 * cmd_init: `starcert init --db PATH [--scheme FILE]...` creates the
 * database if missing, applies every pending migration and records the
 * bundled scheme plus any scheme files given.
 */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"

#define MAX_SCHEMES 16

static const char usage[] =
    "usage: starcert init --db PATH [--scheme FILE]...\n"
    "\n"
    "Creates the database if it does not exist, migrates it to the newest\n"
    "schema (each migration in one transaction), and records the bundled\n"
    "scheme (GB/T 27922-2011) and every --scheme FILE given. Safe to run\n"
    "again: it only applies what is missing.\n"
    "\n"
    "  --db PATH        database file (env STARCERT_DB)\n"
    "  --scheme FILE    a further scheme file to record (repeatable)\n"
    "  --today DATE     date recorded with the events (env STARCERT_TODAY)\n"
    "\n"
    "Output: {\"db\", \"schema_version\", \"migrations_applied\", \"schemes\":\n"
    "[{\"id\", \"version\", \"added\"}]}\n";

static enum sc_err load_one(struct sc_store *st, const struct sc_clock *clk,
                            const char *json, size_t len, json_t *list,
                            struct sc_error *err)
{
    struct sc_scheme *sch = malloc(sizeof *sch);
    bool added = false;
    enum sc_err rc = sch ? sc_scheme_parse(json, len, sch, err)
                         : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    if (rc == SC_OK)
        rc = sc_store_scheme_load(st, clk, json, len, &added, err);
    if (rc == SC_OK)
        json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "id", sch->id,
                                              "version", sch->version, "added",
                                              added));
    free(sch);
    return rc;
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"scheme", required_argument, NULL, 's'},
        {"today", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *today = NULL;
    const char *schemes[MAX_SCHEMES];
    int n_schemes = 0;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 't': today = optarg; break;
        case 's':
            if (n_schemes == MAX_SCHEMES)
                return sc_cli_usage_error(self, "at most %d --scheme files",
                                          MAX_SCHEMES);
            schemes[n_schemes++] = optarg;
            break;
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
    struct sc_clock clk;
    struct sc_store *st = NULL;
    json_t *list = json_array();
    int version = 0;
    int exit_code = SC_EXIT_FAIL;
    sc_error_clear(&err);
    enum sc_err rc = list ? sc_cli_clock(today, &clk, &err)
                          : sc_error_set(&err, SC_ERR_NOMEM, NULL, NULL);
    if (rc == SC_OK)
        rc = sc_cli_open_store(db, true, &st, &err);
    if (rc == SC_OK) {
        size_t len = 0;
        const char *json = sc_scheme_default_json(&len);
        rc = load_one(st, &clk, json, len, list, &err);
    }
    for (int i = 0; rc == SC_OK && i < n_schemes; i++) {
        char *text = NULL;
        size_t len = 0;
        rc = sc_cli_read_file(schemes[i], SC_SCHEME_FILE_MAX, &text, &len, &err);
        if (rc == SC_OK)
            rc = load_one(st, &clk, text, len, list, &err);
        free(text);
        if (rc != SC_OK)
            sc_error_prefix_field(&err, "scheme");
    }
    if (rc == SC_OK)
        rc = sc_store_schema_version(st, &version, &err);
    if (rc == SC_OK) {
        exit_code = sc_cli_print(
            self, json_pack("{s:s, s:i, s:i, s:O}", "db",
                            sc_cli_opt(db, "STARCERT_DB"), "schema_version",
                            version, "migrations_applied",
                            sc_store_migrations_applied(st), "schemes", list));
    } else {
        exit_code = sc_cli_fail(self, &err);
    }
    json_decref(list);
    sc_store_close(st);
    return exit_code;
}

const struct sc_cli_cmd sc_cmd_init = {
    "init", "create or migrate a database and load the schemes", usage, run};
