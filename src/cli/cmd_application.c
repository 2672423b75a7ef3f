/*
 * cmd_application: `starcert application create|list|show|submit|accept|
 * return|reject|withdraw|prepare|manager-add`, an application for
 * certification from the draft on. Each subcommand parses its options,
 * opens the store, loads the acting user (--as) and calls one
 * store_application function; it prints the application's view (the same
 * JSON the HTTP API will serve) after the change. Not for: rules or
 * authorisation (the store asks src/core/workflow.h and policy.h).
 */
#include <getopt.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "store/store_application.h"
#include "store/store_party.h"

static const char usage[] =
    "usage: starcert application create [--org REF] [--kind KIND]\n"
    "                 [--certificate NUMBER|ID] --scope TEXT\n"
    "                 [--delivery-mode direct|outsourced|mixed]\n"
    "                 [--excluded-note TEXT] [--scheme-id ID] [BASE]\n"
    "       starcert application list [--org REF] [--state STATE] [BASE]\n"
    "       starcert application show ID [BASE]\n"
    "       starcert application submit|accept ID [BASE]\n"
    "       starcert application return|reject|withdraw ID --reason TEXT "
    "[BASE]\n"
    "       starcert application prepare ID --item 1-5 (--evidence TEXT |\n"
    "                 --undone [--evidence TEXT]) [BASE]\n"
    "       starcert application manager-add ID --name NAME\n"
    "                 --certificate-no NUMBER [BASE]\n"
    "\n"
    "Applications for certification (GB/T 27922), from the draft to the\n"
    "approved documents, and withdrawal:\n"
    "  create       a draft (enterprise for its own organisation, or market\n"
    "               with --org). KIND: initial (default), recertification,\n"
    "               upgrade, scope_change; all but initial name the\n"
    "               certificate. The newest stored scheme is recorded.\n"
    "  submit       enterprise; needs every required material uploaded and\n"
    "               preparation items 1-2 (service managers, service manual)\n"
    "  accept       market\n"
    "  return       market, back to draft, with a reason\n"
    "  reject       market, final, with a reason\n"
    "  withdraw     enterprise, any state before the decision, with a reason\n"
    "  prepare      records the enterprise's evidence on a preparation item\n"
    "  manager-add  a trained after-sales service manager (item 1)\n"
    "\n"
    "  --org REF          organisation id or 统一社会信用代码\n"
    "  --state STATE      draft, submitted, accepted, contracted, ...\n"
    "BASE options:\n"
    "  --db PATH          database (env STARCERT_DB)\n"
    "  --as LOGIN         the acting user (env STARCERT_AS)\n"
    "  --today DATE       the day of the action (env STARCERT_TODAY)\n"
    "\n"
    "Output: the application {\"id\", \"organisation\", \"kind\", \"state\",\n"
    "\"scheme\", \"time_to_certify\", \"preparation\", \"managers\",\n"
    "\"materials\", \"documents\", \"contract\", \"reviews\", \"findings\",\n"
    "\"actions\", ...}; list: an array of summaries.\n";

enum {
    O_ORG = 1000,
    O_KIND,
    O_CERT,
    O_SCOPE,
    O_DELIVERY,
    O_EXCLUDED,
    O_SCHEME_ID,
    O_STATE,
    O_REASON,
    O_ITEM,
    O_EVIDENCE,
    O_UNDONE,
    O_NAME,
    O_CERT_NO,
    O_COUNT_
};

static const struct option opts[] = {
    SC_CLI_BASE_OPTS,
    {"org", required_argument, NULL, O_ORG},
    {"kind", required_argument, NULL, O_KIND},
    {"certificate", required_argument, NULL, O_CERT},
    {"scope", required_argument, NULL, O_SCOPE},
    {"delivery-mode", required_argument, NULL, O_DELIVERY},
    {"excluded-note", required_argument, NULL, O_EXCLUDED},
    {"scheme-id", required_argument, NULL, O_SCHEME_ID},
    {"state", required_argument, NULL, O_STATE},
    {"reason", required_argument, NULL, O_REASON},
    {"item", required_argument, NULL, O_ITEM},
    {"evidence", required_argument, NULL, O_EVIDENCE},
    {"undone", no_argument, NULL, O_UNDONE},
    {"name", required_argument, NULL, O_NAME},
    {"certificate-no", required_argument, NULL, O_CERT_NO},
    {NULL, 0, NULL, 0},
};

/* The parsed command line: v[O_X - O_ORG] is option --x's value. */
struct args {
    struct sc_cli_base base;
    const char *v[O_COUNT_ - O_ORG];
    const char *id; /* the one positional argument, if any */
};

#define V(a, o) ((a)->v[(o)-O_ORG])

/* Which options each subcommand takes besides the base ones. */
struct sub {
    const char *name;
    bool wants_id;
    int allowed[8]; /* option codes, 0-terminated */
};

static const struct sub subs[] = {
    {"create",
     false,
     {O_ORG, O_KIND, O_CERT, O_SCOPE, O_DELIVERY, O_EXCLUDED, O_SCHEME_ID, 0}},
    {"list", false, {O_ORG, O_STATE, 0}},
    {"show", true, {0}},
    {"submit", true, {0}},
    {"accept", true, {0}},
    {"return", true, {O_REASON, 0}},
    {"reject", true, {O_REASON, 0}},
    {"withdraw", true, {O_REASON, 0}},
    {"prepare", true, {O_ITEM, O_EVIDENCE, O_UNDONE, 0}},
    {"manager-add", true, {O_NAME, O_CERT_NO, 0}},
};
#define N_SUBS (sizeof subs / sizeof subs[0])

static bool allows(const struct sub *s, int code)
{
    for (size_t i = 0; s->allowed[i]; i++)
        if (s->allowed[i] == code)
            return true;
    return false;
}

/* Returns -1 when the command line is good, else the exit code. */
static int parse(const struct sc_cli_cmd *self, const struct sub *sub, int argc,
                 char **argv, struct args *a)
{
    int c, idx = 0;
    memset(a, 0, sizeof *a);
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
        if (c == 'h')
            return sc_cli_help(self);
        if (sc_cli_base_opt(c, optarg, &a->base))
            continue;
        if (c < O_ORG || c >= O_COUNT_)
            return sc_cli_usage_error(self, "unknown option");
        if (!allows(sub, c))
            return sc_cli_usage_error(self, "%s does not take --%s", sub->name,
                                      opts[idx].name);
        V(a, c) = c == O_UNDONE ? "1" : optarg;
    }
    int n = argc - optind;
    if (sub->wants_id && n != 1)
        return sc_cli_usage_error(self,
                                  "application %s needs one application "
                                  "ID",
                                  sub->name);
    if (!sub->wants_id && n != 0)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    a->id = sub->wants_id ? argv[optind] : NULL;
    return -1;
}

static enum sc_err open_all(const struct args *a, struct sc_store **st,
                            struct sc_clock *clk, struct sc_actor *actor,
                            struct sc_error *err)
{
    return sc_cli_context(a->base.db, a->base.as, a->base.today, st, clk, actor,
                          err);
}

static int run_sub(const struct sc_cli_cmd *self, const struct sub *sub,
                   int argc, char **argv)
{
    struct args a;
    int code = parse(self, sub, argc, argv, &a);
    if (code >= 0)
        return code;
    const char *name = sub->name;
    if (strcmp(name, "create") == 0 && !V(&a, O_SCOPE))
        return sc_cli_usage_error(self, "application create needs --scope");
    if (strcmp(name, "prepare") == 0 &&
        (!V(&a, O_ITEM) || (!V(&a, O_EVIDENCE) && !V(&a, O_UNDONE))))
        return sc_cli_usage_error(
            self, "application prepare needs --item and --evidence (or "
                  "--undone)");
    if (strcmp(name, "manager-add") == 0 &&
        (!V(&a, O_NAME) || !V(&a, O_CERT_NO)))
        return sc_cli_usage_error(
            self, "application manager-add needs --name and --certificate-no");

    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long id = 0, item = 0;
    int64_t new_id = 0;
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (a.id)
        rc = sc_cli_parse_int(a.id, "application", 1, INT64_MAX, &id, &err);
    if (rc == SC_OK && V(&a, O_ITEM))
        rc = sc_cli_parse_int(V(&a, O_ITEM), "item", INT32_MIN, INT32_MAX,
                              &item, &err);
    if (rc == SC_OK)
        rc = open_all(&a, &st, &clk, &actor, &err);
    if (rc != SC_OK)
        goto out;

    if (strcmp(name, "create") == 0) {
        struct sc_application_input in = {0};
        int64_t org = 0;
        if (V(&a, O_ORG))
            rc = sc_store_org_resolve(st, V(&a, O_ORG), "organisation", &org,
                                      &err);
        in.organisation_id = org;
        in.kind = V(&a, O_KIND) ? V(&a, O_KIND) : "initial";
        in.certificate = V(&a, O_CERT);
        in.scope = V(&a, O_SCOPE);
        in.delivery_mode = V(&a, O_DELIVERY);
        in.excluded_note = V(&a, O_EXCLUDED);
        in.scheme_id = V(&a, O_SCHEME_ID);
        if (rc == SC_OK)
            rc = sc_store_application_create(st, &clk, &actor, &in, &new_id,
                                             &err);
        id = new_id;
    } else if (strcmp(name, "list") == 0) {
        int64_t org = 0;
        if (V(&a, O_ORG))
            rc = sc_store_org_resolve(st, V(&a, O_ORG), "organisation", &org,
                                      &err);
        if (rc == SC_OK)
            rc = sc_store_application_list(st, &actor, org, V(&a, O_STATE),
                                           clk.today, &out, &err);
        goto out;
    } else if (strcmp(name, "show") == 0) {
        /* the view below */
    } else if (strcmp(name, "prepare") == 0) {
        rc = sc_store_application_prepare(st, &clk, &actor, id, (int)item,
                                          V(&a, O_UNDONE) == NULL,
                                          V(&a, O_EVIDENCE), &err);
    } else if (strcmp(name, "manager-add") == 0) {
        rc = sc_store_application_manager_add(
            st, &clk, &actor, id, V(&a, O_NAME), V(&a, O_CERT_NO), NULL, &err);
    } else {
        enum sc_workflow_app_action action;
        rc = sc_workflow_app_action_parse(name, "action", &action, &err);
        if (rc == SC_OK)
            rc = sc_store_application_step(st, &clk, &actor, id, action,
                                           V(&a, O_REASON), &err);
    }
    if (rc == SC_OK)
        rc = sc_store_application_get(st, &actor, id, clk.today, &out, &err);
out:
    code = rc == SC_OK ? sc_cli_print(self, out) : sc_cli_fail(self, &err);
    if (rc != SC_OK)
        json_decref(out);
    sc_store_close(st);
    return code;
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return sc_cli_help(self);
    for (size_t i = 0; i < N_SUBS; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return run_sub(self, &subs[i], argc - 1, argv + 1);
    return sc_cli_usage_error(self, "unknown subcommand \"%s\"", argv[1]);
}

const struct sc_cli_cmd sc_cmd_application = {
    "application",
    "create, submit, accept, return, reject, withdraw "
    "applications; preparation and managers",
    usage, run};
