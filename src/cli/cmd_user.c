/*
 * cmd_user: `starcert user add|list|show|deactivate|reactivate`,
 * `starcert qualification add|list` and `starcert link add|list|end`: the
 * people of the CB and of the enterprises, their accounts' status, auditor
 * qualifications, and the impartiality register. Each subcommand parses
 * its options, opens the store, loads the acting user (--as) and calls one
 * store function (store_party, or store_session for an account's status);
 * the JSON printed is the store's view. The one exception to --as: the
 * first admin of an empty database is created without it. Not for: rules
 * or authorisation (the store asks src/core/policy.h), passwords
 * (cmd_account.c).
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "store/store_party.h"
#include "store/store_session.h"

static const char user_usage[] =
    "usage: starcert user add --login LOGIN --name NAME --role ROLE\n"
    "                         [--org ID|USCC] [BASE]\n"
    "       starcert user list [--role ROLE] [--after ID] [--limit N] [BASE]\n"
    "       starcert user show LOGIN [BASE]\n"
    "       starcert user passwd (--login LOGIN | LOGIN) [--password-stdin]\n"
    "                            [BASE] < PASSWORD\n"
    "       starcert user deactivate LOGIN --reason TEXT [BASE]\n"
    "       starcert user reactivate LOGIN [BASE]\n"
    "\n"
    "Users and their roles: admin, market, review, auditor, committee (CB\n"
    "staff) and enterprise (bound to exactly one organisation, named with\n"
    "--org). Only an admin adds users; the very first user of an empty\n"
    "database is created without --as and must be an admin. `list` shows\n"
    "all users to an admin, and anyone else only themself; `show` prints a\n"
    "user with their qualifications and declared links. `passwd` sets a\n"
    "user's password, read from the first line of stdin (at least 10\n"
    "characters, at most 128 bytes, not the login), as the operator who\n"
    "holds the database: --as is optional and, when given, must be an\n"
    "admin (recorded on the event). It ends the user's sessions.\n"
    "`deactivate` (admin) ends an account: no more log-in, its sessions end\n"
    "and its API tokens are revoked at once, it cannot be put on an audit\n"
    "team or act; its history stays. Never one's own account, never the\n"
    "last active admin. `reactivate` (admin) allows log-in again; ended\n"
    "sessions and revoked tokens stay ended.\n"
    "\n"
    "  --login LOGIN   1..63 of a-z 0-9 . _ - @ (unique)\n"
    "  --name NAME     full name\n"
    "  --role ROLE     admin, market, review, auditor, committee, enterprise\n"
    "  --org REF       the enterprise user's organisation (id or USCC)\n"
    "  --after ID      list after this id (default 0)\n"
    "  --limit N       at most N rows, 1..1000 (default 100)\n"
    "  --reason TEXT   why the account is deactivated (kept on the event)\n"
    SC_CLI_BASE_HELP "\n"
    "Output: {\"id\", \"login\", \"name\", \"role\", \"organisation\",\n"
    "\"active\", \"created_at\", \"qualifications\", \"links\"}; list: an\n"
    "array without qualifications and links.\n";

static const char qual_usage[] =
    "usage: starcert qualification add --user LOGIN --kind KIND --number N\n"
    "                                  --from DATE --to DATE [BASE]\n"
    "       starcert qualification list [--user LOGIN] [BASE]\n"
    "\n"
    "Auditor qualifications with their validity (both days included). Only\n"
    "an admin records them, only for users with role auditor. A team member\n"
    "must hold one valid on every audit day; a lead auditor a lead_auditor\n"
    "one. `list`: admin, review and committee see all, an auditor their own.\n"
    "\n"
    "  --user LOGIN    the auditor\n"
    "  --kind KIND     auditor or lead_auditor\n"
    "  --number N      the qualification's number\n"
    "  --from DATE     first valid day (YYYY-MM-DD)\n"
    "  --to DATE       last valid day, not before --from\n"
    SC_CLI_BASE_HELP "\n"
    "Output: {\"id\", \"user\", \"login\", \"kind\", \"number\",\n"
    "\"valid_from\", \"valid_to\"}; list: an array of them.\n";

static const char link_usage[] =
    "usage: starcert link add --org ID|USCC --kind KIND --from DATE\n"
    "                         (--to DATE | --ongoing) [--user LOGIN] [BASE]\n"
    "       starcert link list [--user LOGIN] [--org ID|USCC] [BASE]\n"
    "       starcert link end ID --to DATE [BASE]\n"
    "\n"
    "The impartiality register: a CB staff member's link with an\n"
    "organisation they consulted for or were employed by. Such a person may\n"
    "not audit, review or decide for it within 24 months of the link's end\n"
    "(scheme setting). Staff declare their own links (--user defaults to\n"
    "--as); an admin may record a link for anyone. `list`: admin, review and\n"
    "committee see all; market and auditors their own. `end` gives an\n"
    "ongoing link its last day (not before its first; a future day is a\n"
    "planned end): the declarer for their own link, an admin for anyone's.\n"
    "An ended link is not changed again.\n"
    "\n"
    "  --user LOGIN    the staff member (default: the acting user)\n"
    "  --org REF       the organisation (id or USCC)\n"
    "  --kind KIND     consulted or employed\n"
    "  --from DATE     first day of the link\n"
    "  --to DATE       last day of the link, not before --from (add, end)\n"
    "  --ongoing       the link has not ended\n" SC_CLI_BASE_HELP "\n"
    "Output: {\"id\", \"user\", \"login\", \"organisation\", \"uscc\",\n"
    "\"kind\", \"from\", \"to\" (null when ongoing), \"ongoing\",\n"
    "\"declared_at\"}; list: an array of them.\n";

/* ---- user -----------------------------------------------------------------
 */

static int user_add(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"login", required_argument, NULL, 'l'},
        {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"org", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *login = NULL, *name = NULL, *role = NULL, *ref = NULL;
    int n_org = 0;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'l':
            login = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'r':
            role = optarg;
            break;
        case 'o':
            ref = optarg;
            n_org++;
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
    if (!login || !name || !role)
        return sc_cli_usage_error(self,
                                  "user add needs --login, --name and --role");

    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor, created;
    struct sc_party_user_input in = {login, name, SC_ROLE_ADMIN, 0};
    json_t *out = NULL;
    int64_t id = 0;
    bool bootstrap = sc_cli_opt(base.as, "STARCERT_AS") == NULL;
    sc_error_clear(&err);
    enum sc_err rc = sc_workflow_role_parse(role, "role", &in.role, &err);
    if (rc == SC_OK && n_org > 1)
        rc = sc_error_set(&err, SC_ERR_INVALID, "organisation",
                          "an enterprise user is bound to exactly one "
                          "organisation: --org given %d times",
                          n_org);
    if (rc == SC_OK)
        rc = sc_cli_clock(base.today, &clk, &err);
    if (rc == SC_OK)
        rc = sc_cli_open_store(base.db, false, &st, &err);
    if (rc == SC_OK && !bootstrap)
        rc = sc_cli_actor(st, base.as, &actor, &err);
    if (rc == SC_OK && ref)
        rc = sc_store_org_resolve(st, ref, "organisation", &in.organisation,
                                  &err);
    if (rc == SC_OK)
        rc = sc_store_user_create(st, &clk, bootstrap ? NULL : &actor, &in, &id,
                                  NULL, &err);
    /* print the full view, as the new user sees themself */
    if (rc == SC_OK)
        rc = sc_store_actor_get(st, login, &created, &err);
    if (rc == SC_OK)
        rc = sc_store_user_get(st, &created, id, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

/* The options of the reading subcommands, with BASE (--today is accepted
 * for symmetry; reading needs no date); -1 when parsing went on to the
 * arguments, else the exit code (help, usage). */
static int read_opts(const struct sc_cli_cmd *self, int argc, char **argv,
                     struct sc_cli_base *base, const char **user,
                     const char **org, const char **role, const char **after,
                     const char **limit)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"user", required_argument, NULL, 'u'},
        {"org", required_argument, NULL, 'o'},
        {"role", required_argument, NULL, 'r'},
        {"after", required_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    const char **slot[128] = {0};
    slot['u'] = user;
    slot['o'] = org;
    slot['r'] = role;
    slot['f'] = after;
    slot['l'] = limit;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, base))
            continue;
        switch (c) {
        case 'h':
            return sc_cli_help(self);
        case 'u':
        case 'o':
        case 'r':
        case 'f':
        case 'l':
            if (!slot[c])
                return sc_cli_usage_error(self, "option not accepted here");
            *slot[c] = optarg;
            break;
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    return -1;
}

static int user_list(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    const char *role = NULL, *after = NULL, *limit = NULL;
    int code =
        read_opts(self, argc, argv, &base, NULL, NULL, &role, &after, &limit);
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
    long long a = 0, l = 100;
    enum sc_workflow_role r = SC_ROLE_ADMIN;
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (role)
        rc = sc_workflow_role_parse(role, "role", &r, &err);
    if (rc == SC_OK && after)
        rc = sc_cli_parse_int(after, "after", 0, INT64_MAX, &a, &err);
    if (rc == SC_OK && limit)
        rc = sc_cli_parse_int(limit, "limit", 1, SC_PARTY_LIST_MAX, &l, &err);
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, NULL, &st, &clk, &actor, &err);
    if (rc == SC_OK)
        rc = sc_store_user_list(st, &actor, role ? (int)r : -1, a, (int)l, &out,
                                &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int user_show(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    int code = read_opts(self, argc, argv, &base, NULL, NULL, NULL, NULL, NULL);
    if (code >= 0)
        return code;
    if (argc - optind != 1)
        return sc_cli_usage_error(self, "user show needs one LOGIN");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    int64_t id = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_context(base.db, base.as, NULL, &st, &clk, &actor, &err);
    if (rc == SC_OK)
        rc = sc_store_user_resolve(st, argv[optind], "login", &id, &err);
    if (rc == SC_OK)
        rc = sc_store_user_get(st, &actor, id, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

/* `user deactivate LOGIN --reason TEXT` and `user reactivate LOGIN`. */
static int user_status(const struct sc_cli_cmd *self, int argc, char **argv,
                       bool deactivate)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"reason", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *reason = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'r':
            if (!deactivate)
                return sc_cli_usage_error(self,
                                          "--reason is not an option here");
            reason = optarg;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (argc - optind != 1)
        return sc_cli_usage_error(self, "user %s needs one LOGIN",
                                  deactivate ? "deactivate" : "reactivate");
    if (deactivate && !reason)
        return sc_cli_usage_error(self, "user deactivate needs --reason");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    int64_t id = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor, &err);
    if (rc == SC_OK)
        rc = sc_store_user_resolve(st, argv[optind], "login", &id, &err);
    if (rc == SC_OK && deactivate)
        rc = sc_store_user_deactivate(st, &clk, &actor, id, reason, &out, &err);
    else if (rc == SC_OK)
        rc = sc_store_user_reactivate(st, &clk, &actor, id, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int user_deactivate(const struct sc_cli_cmd *self, int argc,
                           char **argv)
{
    return user_status(self, argc, argv, true);
}

static int user_reactivate(const struct sc_cli_cmd *self, int argc,
                           char **argv)
{
    return user_status(self, argc, argv, false);
}

/* ---- qualification --------------------------------------------------------
 */

static int qual_add(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"user", required_argument, NULL, 'u'},
        {"kind", required_argument, NULL, 'k'},
        {"number", required_argument, NULL, 'n'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *user = NULL, *kind = NULL, *number = NULL, *from = NULL,
               *to = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'u':
            user = optarg;
            break;
        case 'k':
            kind = optarg;
            break;
        case 'n':
            number = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 'o':
            to = optarg;
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
    if (!user || !kind || !number || !from || !to)
        return sc_cli_usage_error(self, "qualification add needs --user, "
                                        "--kind, --number, --from and --to");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    enum sc_party_qual_kind k = SC_QUAL_AUDITOR;
    sc_day f = 0, t = 0;
    int64_t uid = 0;
    sc_error_clear(&err);
    enum sc_err rc = sc_party_qual_kind_parse(kind, "kind", &k, &err);
    if (rc == SC_OK)
        rc = sc_date_parse(from, "valid_from", &f, &err);
    if (rc == SC_OK)
        rc = sc_date_parse(to, "valid_to", &t, &err);
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor,
                            &err);
    if (rc == SC_OK)
        rc = sc_store_user_resolve(st, user, "user", &uid, &err);
    if (rc == SC_OK)
        rc = sc_store_qualification_add(st, &clk, &actor, uid, k, number, f, t,
                                        NULL, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int qual_list(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    const char *user = NULL;
    int code =
        read_opts(self, argc, argv, &base, &user, NULL, NULL, NULL, NULL);
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
    enum sc_err rc =
        sc_cli_context(base.db, base.as, NULL, &st, &clk, &actor, &err);
    if (rc == SC_OK && user)
        rc = sc_store_user_resolve(st, user, "user", &uid, &err);
    if (rc == SC_OK)
        rc = sc_store_qualification_list(st, &actor, uid, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

/* ---- link -----------------------------------------------------------------
 */

static int link_add(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"user", required_argument, NULL, 'u'},
        {"org", required_argument, NULL, 'o'},
        {"kind", required_argument, NULL, 'k'},
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 'e'},
        {"ongoing", no_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *user = NULL, *ref = NULL, *kind = NULL, *from = NULL,
               *to = NULL;
    bool ongoing = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'u':
            user = optarg;
            break;
        case 'o':
            ref = optarg;
            break;
        case 'k':
            kind = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 'e':
            to = optarg;
            break;
        case 'g':
            ongoing = true;
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
    if (!ref || !kind || !from)
        return sc_cli_usage_error(self,
                                  "link add needs --org, --kind and --from");
    if ((to != NULL) == ongoing)
        return sc_cli_usage_error(self, "give either --to DATE or --ongoing");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    enum sc_impartiality_link_kind k = SC_LINK_CONSULTED;
    sc_day f = 0, t = 0;
    int64_t uid = 0, org = 0;
    sc_error_clear(&err);
    enum sc_err rc = sc_impartiality_link_kind_parse(kind, "kind", &k, &err);
    if (rc == SC_OK)
        rc = sc_date_parse(from, "from", &f, &err);
    if (rc == SC_OK && to)
        rc = sc_date_parse(to, "to", &t, &err);
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor,
                            &err);
    if (rc == SC_OK) {
        if (user)
            rc = sc_store_user_resolve(st, user, "user", &uid, &err);
        else
            uid = actor.user_id;
    }
    if (rc == SC_OK)
        rc = sc_store_org_resolve_as(st, &actor, "link.declare", ref,
                                     "organisation", &org, &err);
    if (rc == SC_OK)
        rc = sc_store_link_add(st, &clk, &actor, uid, org, k, f, t, ongoing,
                               NULL, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int link_list(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    const char *user = NULL, *ref = NULL;
    int code =
        read_opts(self, argc, argv, &base, &user, &ref, NULL, NULL, NULL);
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
    int64_t uid = 0, org = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_context(base.db, base.as, NULL, &st, &clk, &actor, &err);
    if (rc == SC_OK && user)
        rc = sc_store_user_resolve(st, user, "user", &uid, &err);
    if (rc == SC_OK && ref)
        rc = sc_store_org_resolve_as(st, &actor, "link.view", ref,
                                     "organisation", &org, &err);
    if (rc == SC_OK)
        rc = sc_store_link_list(st, &actor, uid, org, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int link_end(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"to", required_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *to = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'e':
            to = optarg;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (argc - optind != 1)
        return sc_cli_usage_error(self, "link end needs one link ID");
    if (!to)
        return sc_cli_usage_error(self, "link end needs --to DATE");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long id = 0;
    sc_day t = 0;
    sc_error_clear(&err);
    enum sc_err rc = sc_cli_parse_int(argv[optind], "link", 1, INT64_MAX, &id,
                                      &err);
    if (rc == SC_OK)
        rc = sc_date_parse(to, "to", &t, &err);
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor,
                            &err);
    if (rc == SC_OK)
        rc = sc_store_link_end(st, &clk, &actor, 0, id, t, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

/* ---- dispatch -------------------------------------------------------------
 */

/* `user passwd` lives with the other credentials, in cmd_account.c. */
int sc_cli_user_passwd(const struct sc_cli_cmd *self, int argc, char **argv);

static int user_run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct sc_cli_sub subs[] = {
        {"add", user_add},
        {"list", user_list},
        {"show", user_show},
        {"passwd", sc_cli_user_passwd},
        {"deactivate", user_deactivate},
        {"reactivate", user_reactivate}};
    return sc_cli_dispatch(self, subs, sizeof subs / sizeof subs[0], argc,
                           argv);
}

static int qual_run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct sc_cli_sub subs[] = {{"add", qual_add},
                                             {"list", qual_list}};
    return sc_cli_dispatch(self, subs, 2, argc, argv);
}

static int link_run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct sc_cli_sub subs[] = {
        {"add", link_add}, {"list", link_list}, {"end", link_end}};
    return sc_cli_dispatch(self, subs, 3, argc, argv);
}

const struct sc_cli_cmd sc_cmd_user = {
    "user", "add, list, show, deactivate and reactivate users",
    user_usage, user_run};
const struct sc_cli_cmd sc_cmd_qualification = {
    "qualification", "record and list auditor qualifications", qual_usage,
    qual_run};
const struct sc_cli_cmd sc_cmd_link = {
    "link", "declare, list and end impartiality links", link_usage,
    link_run};
