/*
 * cmd_demo: `starcert demo --db PATH [--today DATE] [--seed N]` fills a
 * database with a believable certification body (src/store/store_demo.h;
 * docs/demo.md says who is who). A missing database is created exactly as
 * `starcert init` creates it, in a temporary file next to PATH that takes
 * the name PATH only when the whole demo succeeded, so a failure leaves
 * nothing behind. An existing database is used only when it holds no
 * organisation and no user. Not for: real data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <getopt.h>

#include "cli.h"
#include "store/store_demo.h"

#define PATH_MAX_DEMO 4096

static const char usage[] =
    "usage: starcert demo --db PATH [--today DATE] [--seed N] [--password P]\n"
    "\n"
    "Fills a database with a demo certification body: staff for every role\n"
    "(logins in docs/demo.md), fifteen enterprises with outlets, applications\n"
    "in every state and certificates of every level and status, with their\n"
    "surveillance history, all made through the same actions as the other\n"
    "commands while the clock moves through the past years (the daily clock\n"
    "runs every seven simulated days). The same --seed and --today give the\n"
    "same database. A missing database is created (as `starcert init` does)\n"
    "and appears only when the demo succeeded; a database that already holds\n"
    "organisations or users is refused (exit 1, conflict).\n"
    "\n"
    "  --db PATH      database file (env STARCERT_DB)\n"
    "  --today DATE   the day the story ends (env STARCERT_TODAY; default\n"
    "                 today in Asia/Shanghai)\n"
    "  --seed N       varies head counts, codes, sampled results and fees\n"
    "                 (0..9223372036854775807, default 1)\n"
    "  --password P   give every demo user the password P, to log in over\n"
    "                 HTTP (env STARCERT_DEMO_PASSWORD; default: none)\n"
    "\n"
    "Output: {\"db\", \"today\", \"seed\", \"created\", \"organisations\",\n"
    "\"outlets\", \"users\": {role: n}, \"applications\": {state: n},\n"
    "\"certificates\": {\"total\", \"status\": {..}, \"level\": {..}}, \"audits\":\n"
    "{state: n}, \"certificate_revisions\", \"qualifications\",\n"
    "\"impartiality_links\", \"documents\", \"findings\", \"decisions\", \"events\"}\n";

/* Creates the database as `starcert init` does: migrations, the bundled
 * scheme. */
static enum sc_err init_db(const char *path, const struct sc_clock *clk,
                           struct sc_store **st, struct sc_error *err)
{
    size_t len = 0;
    const char *json = sc_scheme_default_json(&len);
    struct sc_scheme *sch = malloc(sizeof *sch);
    enum sc_err rc = sch ? sc_scheme_parse(json, len, sch, err)
                         : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    free(sch);
    if (rc == SC_OK)
        rc = sc_store_open(path, true, st, err);
    if (rc == SC_OK)
        rc = sc_store_scheme_load(*st, clk, json, len, NULL, err);
    return rc;
}

static void remove_files(const char *path)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
    char p[PATH_MAX_DEMO + 64];
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        snprintf(p, sizeof p, "%s%s", path, suffix[i]);
        unlink(p);
    }
}

/* Gives the finished temporary database the name `path`, unless a file of
 * that name appeared meanwhile. */
static enum sc_err publish(const char *tmp, const char *path,
                           struct sc_error *err)
{
    char wal[PATH_MAX_DEMO + 64];
    struct stat sb;
    snprintf(wal, sizeof wal, "%s-wal", tmp);
    if (stat(wal, &sb) == 0 && sb.st_size > 0)
        return sc_error_set(err, SC_ERR_IO, "db",
                            "the demo database was not checkpointed");
    if (link(tmp, path) == 0) {
        unlink(tmp);
        return SC_OK;
    }
    if (errno == EEXIST)
        return sc_error_set(err, SC_ERR_CONFLICT, "db",
                            "%s was created by someone else meanwhile", path);
    if (rename(tmp, path) == 0)
        return SC_OK;
    return sc_error_set(err, SC_ERR_IO, "db", "cannot create %s: %s", path,
                        strerror(errno));
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"today", required_argument, NULL, 't'},
        {"seed", required_argument, NULL, 's'},
        {"password", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *today = NULL, *seed_arg = NULL, *password = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 't': today = optarg; break;
        case 's': seed_arg = optarg; break;
        case 'p': password = optarg; break;
        case 'h': return sc_cli_help(self);
        default: return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    db = sc_cli_opt(db, "STARCERT_DB");
    if (!db)
        return sc_cli_usage_error(self, "--db PATH is required");

    struct sc_error err;
    struct sc_clock clk;
    struct sc_store *st = NULL;
    json_t *counts = NULL;
    long long seed = 1;
    char tmp[PATH_MAX_DEMO + 32];
    struct stat sb;
    bool created = false;
    sc_error_clear(&err);

    enum sc_err rc = sc_cli_clock(today, &clk, &err);
    if (rc == SC_OK && seed_arg)
        rc = sc_cli_parse_int(seed_arg, "seed", 0, 9223372036854775807LL,
                              &seed, &err);
    if (rc == SC_OK && strlen(db) > PATH_MAX_DEMO)
        rc = sc_error_set(&err, SC_ERR_INVALID, "db", "path too long");
    if (rc != SC_OK)
        return sc_cli_fail(self, &err);

    if (stat(db, &sb) != 0 && errno == ENOENT) {
        /* the scheme is recorded before the story begins (60 months back) */
        struct sc_clock init_clk = clk;
        char date[SC_DATE_BUF];
        init_clk.today = sc_date_add_months(clk.today, -60);
        sc_date_format(init_clk.today, date);
        snprintf(init_clk.now, sizeof init_clk.now, "%.10sT00:30:00Z", date);
        snprintf(tmp, sizeof tmp, "%s.demo-%ld.tmp", db, (long)getpid());
        remove_files(tmp);
        created = true;
        rc = init_db(tmp, &init_clk, &st, &err);
    } else {
        rc = sc_cli_open_store(db, false, &st, &err);
    }
    if (rc == SC_OK)
        rc = sc_store_demo_run(st, clk.today, (uint64_t)seed, &counts, &err);
    password = sc_cli_opt(password, "STARCERT_DEMO_PASSWORD");
    if (rc == SC_OK && password)
        rc = sc_store_demo_passwords(st, &clk, password, &err);
    sc_store_close(st);
    if (created) {
        if (rc == SC_OK)
            rc = publish(tmp, db, &err);
        if (rc != SC_OK)
            remove_files(tmp);
    }
    if (rc != SC_OK) {
        json_decref(counts);
        return sc_cli_fail(self, &err);
    }
    json_object_set_new(counts, "db", json_string(db));
    json_object_set_new(counts, "today", sc_cli_date(clk.today));
    json_object_set_new(counts, "seed", json_integer(seed));
    json_object_set_new(counts, "created", json_boolean(created));
    return sc_cli_print(self, counts);
}

const struct sc_cli_cmd sc_cmd_demo = {
    "demo", "fill a new database with a demo certification body", usage,
    run};
