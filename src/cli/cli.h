/*
 * cli: the contract between `starcert`'s dispatcher (main.c) and its
 * subcommands (one file each, cmd_NAME.c), plus the helpers they share:
 * JSON output, the one error printer, scheme loading, reading input files,
 * today's date, option/environment twins, and the options every database
 * command takes.
 *
 * Exit codes: 0 ok, 1 failure (the input was refused or an operation
 * failed; a JSON error object is printed on stdout), 2 usage (a message and
 * the usage text on stderr). Output meant for programs is JSON on stdout;
 * messages go to stderr. Not for: any rule of the domain (that is src/core).
 */
#ifndef SC_CLI_H
#define SC_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/date.h"
#include "core/err.h"
#include "core/scheme.h"
#include "store/actor.h"
#include "store/store.h"

enum { SC_EXIT_OK = 0, SC_EXIT_FAIL = 1, SC_EXIT_USAGE = 2 };

struct sc_cli_cmd {
    const char *name;
    const char *summary; /* one line for `starcert --help` */
    const char *usage;   /* full help text, printed by `--help` */
    int (*run)(const struct sc_cli_cmd *self, int argc, char **argv);
};

/* Every subcommand, defined in its own cmd_*.c. */
extern const struct sc_cli_cmd sc_cmd_score;
extern const struct sc_cli_cmd sc_cmd_schedule;
extern const struct sc_cli_cmd sc_cmd_mandays;
extern const struct sc_cli_cmd sc_cmd_uscc;
extern const struct sc_cli_cmd sc_cmd_init;
extern const struct sc_cli_cmd sc_cmd_serve;
extern const struct sc_cli_cmd sc_cmd_token;
extern const struct sc_cli_cmd sc_cmd_routes;
extern const struct sc_cli_cmd sc_cmd_audit_verify;
extern const struct sc_cli_cmd sc_cmd_org;
extern const struct sc_cli_cmd sc_cmd_outlet;
extern const struct sc_cli_cmd sc_cmd_user;
extern const struct sc_cli_cmd sc_cmd_qualification;
extern const struct sc_cli_cmd sc_cmd_link;
extern const struct sc_cli_cmd sc_cmd_tick;
extern const struct sc_cli_cmd sc_cmd_due;
extern const struct sc_cli_cmd sc_cmd_registry;
extern const struct sc_cli_cmd sc_cmd_import;
extern const struct sc_cli_cmd sc_cmd_application;
extern const struct sc_cli_cmd sc_cmd_document;
extern const struct sc_cli_cmd sc_cmd_contract;
extern const struct sc_cli_cmd sc_cmd_review;
extern const struct sc_cli_cmd sc_cmd_finding;
extern const struct sc_cli_cmd sc_cmd_audit;
extern const struct sc_cli_cmd sc_cmd_decision;
extern const struct sc_cli_cmd sc_cmd_certificate;
extern const struct sc_cli_cmd sc_cmd_demo;

/* Prints `starcert NAME: message` and the command's usage to stderr;
 * returns SC_EXIT_USAGE. */
int sc_cli_usage_error(const struct sc_cli_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the usage text to stdout; returns SC_EXIT_OK (for --help). */
int sc_cli_help(const struct sc_cli_cmd *cmd);

/* The one place that turns an error into output:
 * {"error": {"code", "message", "field"}} on stdout and a one-line message on
 * stderr. Returns SC_EXIT_FAIL. */
int sc_cli_fail(const struct sc_cli_cmd *cmd, const struct sc_error *err);

/* Writes `value` as indented UTF-8 JSON plus a newline on stdout and drops
 * the reference (steals it; NULL counts as out of memory). Returns
 * SC_EXIT_OK, or SC_EXIT_FAIL if it could not be written. */
int sc_cli_print(const struct sc_cli_cmd *cmd, json_t *value);

/* A JSON string "YYYY-MM-DD" for `d` (new reference). */
json_t *sc_cli_date(sc_day d);

/* The option's value if given, else the environment variable's (if set and
 * non-empty), else NULL. */
const char *sc_cli_opt(const char *value, const char *env_name);

/*
 * Reads a whole file (`-` = stdin) into a NUL-terminated heap buffer of at
 * most `cap` bytes. Caller frees *out. SC_ERR_IO (field = "file") when it
 * cannot be read, SC_ERR_TOO_LARGE past the cap.
 */
enum sc_err sc_cli_read_file(const char *path, size_t cap, char **out,
                             size_t *len, struct sc_error *err);

/* Loads the scheme from `path` (option --scheme, env STARCERT_SCHEME), or the
 * bundled scheme when neither is given. */
enum sc_err sc_cli_load_scheme(const char *path, struct sc_scheme *out,
                               struct sc_error *err);

/* Today's date: `arg` (option --today, env STARCERT_TODAY) parsed strictly,
 * or the clock's date in the CB's time zone (Asia/Shanghai, UTC+8, which
 * keeps no daylight saving time). */
enum sc_err sc_cli_today(const char *arg, sc_day *out, struct sc_error *err);

/*
 * Parses a decimal integer option strictly (optional leading '-', digits
 * only, no spaces or trailing text) into [min, max]. Fills err with the
 * option's name as field when it does not parse or is out of range.
 */
enum sc_err sc_cli_parse_int(const char *text, const char *field, long long min,
                             long long max, long long *out,
                             struct sc_error *err);

/*
 * The base options of a database command: --db PATH, --as LOGIN and
 * --today DATE (each with its environment twin, read later by
 * sc_cli_context) and --help. SC_CLI_BASE_OPTS are their getopt_long
 * entries, to open a command's option table; --db, --as and --today come
 * back as 'd', 'a' and 't', --help as 'h', so no other option of the table
 * may use these values. SC_CLI_BASE_HELP is the help text block for them,
 * for commands whose other option help uses the same 16-column layout.
 */
#define SC_CLI_BASE_OPTS                                                       \
    {"db", required_argument, NULL, 'd'},                                      \
        {"as", required_argument, NULL, 'a'},                                  \
        {"today", required_argument, NULL, 't'},                               \
    {                                                                          \
        "help", no_argument, NULL, 'h'                                         \
    }

#define SC_CLI_BASE_HELP                                                       \
    "BASE options:\n"                                                          \
    "  --db PATH       database (env STARCERT_DB)\n"                           \
    "  --as LOGIN      the acting user (env STARCERT_AS)\n"                    \
    "  --today DATE    the day of the action (env STARCERT_TODAY)\n"

/* The values of the base options as given (NULL when absent); start from
 * {0}. */
struct sc_cli_base {
    const char *db, *as, *today;
};

/* Takes getopt_long's result `c` and its `arg` (optarg) into `b` when c is
 * a base option with a value ('d', 'a' or 't'; a later one replaces an
 * earlier one); returns whether it was. --help ('h') is not taken: the
 * command answers it with sc_cli_help. */
bool sc_cli_base_opt(int c, const char *arg, struct sc_cli_base *b);

/* The action's clock: today as sc_cli_today, now = the UTC instant. */
enum sc_err sc_cli_clock(const char *today_arg, struct sc_clock *out,
                         struct sc_error *err);

/* Opens the store named by `db` (option --db, env STARCERT_DB); see
 * sc_store_open for `create`. A missing --db is SC_ERR_USAGE. */
enum sc_err sc_cli_open_store(const char *db, bool create,
                              struct sc_store **out, struct sc_error *err);

/* The acting user named by `login` (option --as, env STARCERT_AS). */
enum sc_err sc_cli_actor(struct sc_store *st, const char *login,
                         struct sc_actor *out, struct sc_error *err);

/* A database command's context: the clock (--today), the store (--db) and
 * the acting user (--as), in that order; stops at the first failure (the
 * caller closes *st, which may be set). */
enum sc_err sc_cli_context(const char *db, const char *as, const char *today,
                           struct sc_store **st, struct sc_clock *clk,
                           struct sc_actor *actor, struct sc_error *err);

/* Ends a database command: prints `out` (stolen) when rc is SC_OK, else the
 * error (and drops `out`); closes `st` (may be NULL). Returns the exit
 * code. */
int sc_cli_finish(const struct sc_cli_cmd *self, struct sc_store *st,
                  enum sc_err rc, const struct sc_error *err, json_t *out);

/* A subcommand of a command group (`starcert org add`). */
struct sc_cli_sub {
    const char *name;
    int (*run)(const struct sc_cli_cmd *self, int argc, char **argv);
};

/* Hands argv[1..] to the subcommand named by argv[1]; `--help` prints the
 * group's usage; a missing or unknown subcommand is a usage error listing
 * the names. */
int sc_cli_dispatch(const struct sc_cli_cmd *self,
                    const struct sc_cli_sub *subs, size_t n, int argc,
                    char **argv);

#endif
