/*
 * cmd_org: `starcert org add|update|list|show` and `starcert outlet add|list`,
 * the organisations that apply for certification and their service
 * outlets. Each subcommand parses its options, opens the store, loads the
 * acting user (--as) and calls one store_party function; the JSON printed
 * is the store's view. Not for: rules or authorisation (the store asks
 * src/core/policy.h).
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "store/store_party.h"

static const char org_usage[] =
    "usage: starcert org add --uscc CODE --name NAME --address ADDRESS\n"
    "                        --employees N [--name-en NAME] [BASE]\n"
    "       starcert org update ID|USCC [--name NAME] [--name-en NAME]\n"
    "                           [--address ADDRESS] [--employees N] [BASE]\n"
    "       starcert org list [--after ID] [--limit N] [BASE]\n"
    "       starcert org show ID|USCC [BASE]\n"
    "\n"
    "Organisations applying for certification. `add` registers one (admin\n"
    "or market): the 统一社会信用代码 must be valid (GB 32100) and not yet\n"
    "registered; employees counts the head office plus all sites. `list`\n"
    "pages through them in id order (an enterprise user sees only their\n"
    "own); `show` prints one with its service outlets. `update` changes\n"
    "the address or employees (admin, market, or an enterprise user for\n"
    "their own organisation) and the name or English name (admin or\n"
    "market; --name-en \"\" removes it); the 统一社会信用代码 never\n"
    "changes (a --uscc other than the registered one is refused).\n"
    "\n"
    "  --uscc CODE       统一社会信用代码, 18 characters\n"
    "  --name NAME       registered name\n"
    "  --name-en NAME    English name (optional)\n"
    "  --address TEXT    registered address\n"
    "  --employees N     1..10000000\n"
    "  --after ID        list after this id (default 0)\n"
    "  --limit N         at most N rows, 1..1000 (default 100)\n"
    SC_CLI_BASE_HELP "\n"
    "Output: the organisation {\"id\", \"uscc\", \"name\", \"name_en\",\n"
    "\"address\", \"employees\", \"created_at\", \"outlets\"}; list: an array\n"
    "of them with \"outlet_count\" instead of \"outlets\".\n";

static const char outlet_usage[] =
    "usage: starcert outlet add --org ID|USCC --name NAME --address ADDRESS\n"
    "                           [BASE]\n"
    "       starcert outlet list --org ID|USCC [BASE]\n"
    "\n"
    "Service outlets (sales and service points besides the head office) of\n"
    "an organisation; their number drives the outlets visited and the audit\n"
    "time. `add`: admin or market, or an enterprise user for their own\n"
    "organisation. Names are unique within an organisation.\n"
    "\n"
    "  --org REF         the organisation: id or 统一社会信用代码\n"
    "  --name NAME       outlet name\n"
    "  --address TEXT    outlet address\n" SC_CLI_BASE_HELP "\n"
    "Output: {\"id\", \"organisation\", \"name\", \"address\"}; list: an\n"
    "array of them.\n";

/* The fields of `org add` and `org update`, with BASE; -1 when parsing
 * went on to the arguments, else the exit code (help, usage). */
static int org_opts(const struct sc_cli_cmd *self, int argc, char **argv,
                    struct sc_cli_base *base, const char **uscc,
                    const char **name, const char **name_en,
                    const char **address, const char **employees)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"uscc", required_argument, NULL, 'u'},
        {"name", required_argument, NULL, 'n'},
        {"name-en", required_argument, NULL, 'e'},
        {"address", required_argument, NULL, 'r'},
        {"employees", required_argument, NULL, 'm'},
        {NULL, 0, NULL, 0},
    };
    const char **slot[128] = {0};
    slot['u'] = uscc;
    slot['n'] = name;
    slot['e'] = name_en;
    slot['r'] = address;
    slot['m'] = employees;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (c == 'h')
            return sc_cli_help(self);
        if (sc_cli_base_opt(c, optarg, base))
            continue;
        if (c < 0 || c >= 128 || !slot[c])
            return sc_cli_usage_error(self, "unknown option");
        *slot[c] = optarg;
    }
    return -1;
}

static int org_add(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    const char *employees = NULL;
    struct sc_party_org_input in = {0};
    int code = org_opts(self, argc, argv, &base, &in.uscc, &in.name,
                        &in.name_en, &in.address, &employees);
    if (code >= 0)
        return code;
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!in.uscc || !in.name || !in.address || !employees)
        return sc_cli_usage_error(
            self, "org add needs --uscc, --name, --address and --employees");

    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long n = 0;
    sc_error_clear(&err);
    enum sc_err rc = sc_cli_parse_int(employees, "employees", 1,
                                      SC_PARTY_EMPLOYEES_MAX, &n, &err);
    in.employees = n;
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor,
                            &err);
    if (rc == SC_OK)
        rc = sc_store_org_create(st, &clk, &actor, &in, NULL, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int org_update(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    const char *employees = NULL;
    struct sc_party_org_update in = {0};
    int code = org_opts(self, argc, argv, &base, &in.uscc, &in.name,
                        &in.name_en, &in.address, &employees);
    if (code >= 0)
        return code;
    if (argc - optind != 1)
        return sc_cli_usage_error(self, "org update needs one ID or USCC");
    if (!in.uscc && !in.name && !in.name_en && !in.address && !employees)
        return sc_cli_usage_error(self, "org update needs at least one of "
                                        "--name, --name-en, --address, "
                                        "--employees");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long n = 0;
    int64_t id = 0;
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (employees)
        rc = sc_cli_parse_int(employees, "employees", 1,
                              SC_PARTY_EMPLOYEES_MAX, &n, &err);
    in.employees = n;
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor,
                            &err);
    if (rc == SC_OK)
        rc = sc_store_org_resolve_as(st, &actor, "organisation.update",
                                     argv[optind], "organisation", &id, &err);
    if (rc == SC_OK)
        rc = sc_store_org_update(st, &clk, &actor, id, &in, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

/* The options of the reading subcommands, with BASE (--today is accepted
 * for symmetry; reading needs no date); -1 when parsing went on to the
 * arguments, else the exit code (help, usage). */
static int list_opts(const struct sc_cli_cmd *self, int argc, char **argv,
                     struct sc_cli_base *base, const char **after,
                     const char **limit, const char **ref)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"after", required_argument, NULL, 'f'},
        {"limit", required_argument, NULL, 'l'},
        {"org", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, base))
            continue;
        switch (c) {
        case 'f':
            if (!after)
                return sc_cli_usage_error(self,
                                          "--after is not an option here");
            *after = optarg;
            break;
        case 'l':
            if (!limit)
                return sc_cli_usage_error(self,
                                          "--limit is not an option here");
            *limit = optarg;
            break;
        case 'o':
            if (!ref)
                return sc_cli_usage_error(self, "--org is not an option here");
            *ref = optarg;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    return -1;
}

static int org_list(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    const char *after = NULL, *limit = NULL;
    int code = list_opts(self, argc, argv, &base, &after, &limit, NULL);
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
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (after)
        rc = sc_cli_parse_int(after, "after", 0, INT64_MAX, &a, &err);
    if (rc == SC_OK && limit)
        rc = sc_cli_parse_int(limit, "limit", 1, SC_PARTY_LIST_MAX, &l, &err);
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, NULL, &st, &clk, &actor, &err);
    if (rc == SC_OK)
        rc = sc_store_org_list(st, &actor, a, (int)l, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int org_show(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    int code = list_opts(self, argc, argv, &base, NULL, NULL, NULL);
    if (code >= 0)
        return code;
    if (argc - optind != 1)
        return sc_cli_usage_error(self, "org show needs one ID or USCC");
    const char *ref = argv[optind];
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
        rc = sc_store_org_resolve_as(st, &actor, "organisation.view", ref,
                                     "organisation", &id, &err);
    if (rc == SC_OK)
        rc = sc_store_org_get(st, &actor, id, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int outlet_add(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"org", required_argument, NULL, 'o'},
        {"name", required_argument, NULL, 'n'},
        {"address", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *ref = NULL, *name = NULL, *address = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'o':
            ref = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'r':
            address = optarg;
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
    if (!ref || !name || !address)
        return sc_cli_usage_error(
            self, "outlet add needs --org, --name and --address");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    int64_t org = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor, &err);
    if (rc == SC_OK)
        rc = sc_store_org_resolve_as(st, &actor, "outlet.add", ref,
                                     "organisation", &org, &err);
    if (rc == SC_OK)
        rc = sc_store_outlet_add(st, &clk, &actor, org, name, address, NULL,
                                 &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int outlet_list(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct sc_cli_base base = {0};
    const char *ref = NULL;
    int code = list_opts(self, argc, argv, &base, NULL, NULL, &ref);
    if (code >= 0)
        return code;
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!ref)
        return sc_cli_usage_error(self, "outlet list needs --org");
    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    int64_t org = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_context(base.db, base.as, NULL, &st, &clk, &actor, &err);
    if (rc == SC_OK)
        rc = sc_store_org_resolve_as(st, &actor, "organisation.view", ref,
                                     "organisation", &org, &err);
    if (rc == SC_OK)
        rc = sc_store_outlet_list(st, &actor, org, &out, &err);
    return sc_cli_finish(self, st, rc, &err, out);
}

static int org_run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct sc_cli_sub subs[] = {{"add", org_add},
                                             {"update", org_update},
                                             {"list", org_list},
                                             {"show", org_show}};
    return sc_cli_dispatch(self, subs, 4, argc, argv);
}

static int outlet_run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct sc_cli_sub subs[] = {{"add", outlet_add},
                                             {"list", outlet_list}};
    return sc_cli_dispatch(self, subs, 2, argc, argv);
}

const struct sc_cli_cmd sc_cmd_org = {
    "org", "register, update, list and show organisations", org_usage,
    org_run};
const struct sc_cli_cmd sc_cmd_outlet = {
    "outlet", "add and list an organisation's service outlets", outlet_usage,
    outlet_run};
