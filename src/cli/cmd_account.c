/*
 * cmd_account: credentials from the command line. `starcert user passwd`
 * (reached through cmd_user.c's dispatcher) sets a user's password read
 * from stdin, as the operator who holds the database file (no --as, like
 * the first admin's creation); `starcert token create|list|revoke` manages
 * bearer API tokens for programs, as an admin (--as). Each calls one
 * store_session function and prints its JSON view. Not for: log-in or
 * sessions (only the HTTP server has those).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/policy.h"
#include "store/store_party.h"
#include "store/store_session.h"

/* `starcert user passwd`: called by cmd_user.c's dispatcher. */
int sc_cli_user_passwd(const struct sc_cli_cmd *self, int argc, char **argv);

#define PASSWORD_INPUT_MAX 4096

static const char token_usage[] =
    "usage: starcert token create --user LOGIN --label TEXT [--days N] [BASE]\n"
    "       starcert token list [--user LOGIN] [BASE]\n"
    "       starcert token revoke ID [BASE]\n"
    "\n"
    "Bearer API tokens for programs: `Authorization: Bearer sct_...` acts as\n"
    "the token's user, without the CSRF header a browser session needs.\n"
    "Only an admin creates them; the token is printed once, and only its\n"
    "SHA-256 is stored. `revoke` ends one at once (an admin any, a user their\n"
    "own); `list` shows an admin every token (or --user's), anyone else\n"
    "their own, never the secret.\n"
    "\n"
    "  --user LOGIN    whose token\n"
    "  --label TEXT    which program holds it (at most 100 bytes)\n"
    "  --days N        valid N days, 1..366 (default 90)\n"
    "BASE options:\n"
    "  --db PATH       database (env STARCERT_DB)\n"
    "  --as LOGIN      the acting user, an admin (env STARCERT_AS)\n"
    "  --today DATE    accepted for symmetry (env STARCERT_TODAY)\n"
    "\n"
    "Output: {\"id\", \"user\", \"login\", \"label\", \"created_by\",\n"
    "\"created_at\", \"expires_at\", \"revoked_at\", \"last_used_at\"}, plus\n"
    "\"token\" on create; list: an array of them, newest first.\n";

/* Strips one trailing "\n" or "\r\n". */
static void chomp(char *s, size_t *n)
{
    if (*n && s[*n - 1] == '\n')
        s[--*n] = '\0';
    if (*n && s[*n - 1] == '\r')
        s[--*n] = '\0';
}

int sc_cli_user_passwd(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"login", required_argument, NULL, 'l'},
        {"password-stdin", no_argument, NULL, 'p'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *login = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'l':
            login = optarg;
            break;
        case 'p':
            break; /* stdin is the only source: accepted for clarity */
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (!login && argc - optind == 1)
        login = argv[optind++];
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!login)
        return sc_cli_usage_error(self, "user passwd needs --login LOGIN");

    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    struct sc_session_limits limits;
    char *pw = NULL;
    size_t n = 0;
    int64_t id = 0;
    bool acting = sc_cli_opt(base.as, "STARCERT_AS") != NULL;
    sc_error_clear(&err);
    sc_session_limits_default(&limits);
    enum sc_err rc = sc_cli_read_file("-", PASSWORD_INPUT_MAX, &pw, &n, &err);
    if (rc == SC_OK) {
        chomp(pw, &n);
        if (strlen(pw) != n)
            rc = sc_error_set(&err, SC_ERR_INVALID, "password",
                              "the password holds a NUL byte");
    }
    if (rc == SC_OK)
        rc = sc_cli_clock(base.today, &clk, &err);
    if (rc == SC_OK)
        rc = sc_cli_open_store(base.db, false, &st, &err);
    /* --as is optional; when given it must be an admin, recorded as such */
    if (rc == SC_OK && acting)
        rc = sc_cli_actor(st, base.as, &actor, &err);
    if (rc == SC_OK && acting)
        rc = sc_policy_check("user.create", actor.role, false, &err);
    if (rc == SC_OK)
        rc = sc_store_user_resolve(st, login, "login", &id, &err);
    if (rc == SC_OK)
        rc = sc_store_password_set(st, &clk, acting ? &actor : NULL, true, id,
                                   NULL, pw, 0, &limits, NULL, NULL, &err);
    if (pw) {
        memset(pw, 0, n);
        free(pw);
    }
    sc_store_close(st);
    if (rc != SC_OK)
        return sc_cli_fail(self, &err);
    return sc_cli_print(self, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id,
                                        "login", login, "password_changed_at",
                                        clk.now));
}

/* ---- token ------------------------------------------------------------------
 */

struct token_opts {
    struct sc_cli_base base;
    const char *user, *label, *days;
};

/* Parses the options of a token subcommand; -1 to go on, else an exit. */
static int token_parse(const struct sc_cli_cmd *self, int argc, char **argv,
                       struct token_opts *o, bool create)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"user", required_argument, NULL, 'u'},
        {"label", required_argument, NULL, 'l'},
        {"days", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    int c;
    memset(o, 0, sizeof *o);
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &o->base))
            continue;
        switch (c) {
        case 'u':
            o->user = optarg;
            break;
        case 'l':
        case 'n':
            if (!create)
                return sc_cli_usage_error(self, "option not accepted here");
            if (c == 'l')
                o->label = optarg;
            else
                o->days = optarg;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    return -1;
}

static int token_create(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct token_opts o;
    int code = token_parse(self, argc, argv, &o, true);
    if (code >= 0)
        return code;
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!o.user || !o.label)
        return sc_cli_usage_error(self,
                                  "token create needs --user and --label");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long days = 0;
    int64_t uid = 0;
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (o.days)
        rc = sc_cli_parse_int(o.days, "days", 1, SC_SESSION_TOKEN_DAYS_MAX,
                              &days, &err);
    if (rc == SC_OK)
        rc = sc_cli_context(o.base.db, o.base.as, o.base.today, &st, &clk,
                            &actor, &err);
    if (rc == SC_OK)
        rc = sc_store_user_resolve(st, o.user, "user", &uid, &err);
    if (rc == SC_OK)
        rc = sc_store_token_create(st, &clk, &actor, uid, o.label, days, &out,
                                   &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int token_list(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct token_opts o;
    int code = token_parse(self, argc, argv, &o, false);
    if (code >= 0)
        return code;
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    int64_t uid = 0;
    sc_error_clear(&err);
    enum sc_err rc = sc_cli_context(o.base.db, o.base.as, o.base.today, &st,
                                    &clk, &actor, &err);
    if (rc == SC_OK && o.user)
        rc = sc_store_user_resolve(st, o.user, "user", &uid, &err);
    if (rc == SC_OK)
        rc = sc_store_token_list(st, &actor, uid, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int token_revoke(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct token_opts o;
    int code = token_parse(self, argc, argv, &o, false);
    if (code >= 0)
        return code;
    if (argc - optind != 1)
        return sc_cli_usage_error(self, "token revoke needs one token ID");
    if (o.user)
        return sc_cli_usage_error(self, "option not accepted here");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long id = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_parse_int(argv[optind], "token", 1, INT64_MAX, &id, &err);
    if (rc == SC_OK)
        rc = sc_cli_context(o.base.db, o.base.as, o.base.today, &st, &clk,
                            &actor, &err);
    if (rc == SC_OK)
        rc = sc_store_token_revoke(st, &clk, &actor, id, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int token_run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct sc_cli_sub subs[] = {
        {"create", token_create},
        {"list", token_list},
        {"revoke", token_revoke},
    };
    return sc_cli_dispatch(self, subs, sizeof subs / sizeof subs[0], argc,
                           argv);
}

const struct sc_cli_cmd sc_cmd_token = {
    "token", "create, list and revoke bearer API tokens", token_usage,
    token_run};
