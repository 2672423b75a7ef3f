/*
 * cmd_audit: `starcert audit plan|confirm|start|result|special|finding|
 * report|show|list`, the on-site audit of an application or of a
 * certificate, from the plan to the report (store_audit does the work).
 * Corrective actions and their verification on audit findings are
 * `starcert finding correct|verify`; the committee's part is `starcert
 * decision`. Not for: rules (the store asks src/core).
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "store/store_application.h"
#include "store/store_audit.h"

static const char usage[] =
    "usage: starcert audit plan (--application ID | --certificate NUMBER\n"
    "                            [--kind surveillance|restore])\n"
    "                           --from DATE --to DATE --lead LOGIN\n"
    "                           [--member LOGIN]... [--outlets N]\n"
    "                           [--reduce PERCENT --justification TEXT] "
    "[BASE]\n"
    "       starcert audit confirm AUDIT --people TEXT --transport TEXT\n"
    "                           --office TEXT --from DATE --to DATE [BASE]\n"
    "       starcert audit start AUDIT [BASE]\n"
    "       starcert audit result AUDIT --indicator CODE --result RESULT\n"
    "                           [--samples N --nonconforming K]\n"
    "                           [--reason TEXT] [BASE]\n"
    "       starcert audit special AUDIT (--bonus | --deduction)\n"
    "                           --reason TEXT [BASE]\n"
    "       starcert audit finding AUDIT --severity minor|major\n"
    "                           [--indicator CODE] --text TEXT [BASE]\n"
    "       starcert audit report AUDIT [BASE]\n"
    "       starcert audit show AUDIT [BASE]\n"
    "       starcert audit list [--application ID] [--certificate NUMBER]\n"
    "                           [--state STATE] [--limit N] [BASE]\n"
    "\n"
    "On-site audits of an application (initial, recertification, upgrade,\n"
    "scope change) or of a certificate (surveillance; restore of a\n"
    "suspended certificate), along the audit path of the state machine:\n"
    "  plan     review department: dates, a team of auditors with exactly\n"
    "           one --lead (qualified over the dates, no impartiality link\n"
    "           with the organisation within the scheme's months), man-days\n"
    "           from the organisation's employees and outlets, optionally\n"
    "           reduced (at most the scheme's percentage) with a written\n"
    "           justification. A surveillance's last on-site day lies in the\n"
    "           certificate's pending surveillance window.\n"
    "  confirm  the enterprise: people, transport, office space and the\n"
    "           agreed on-site dates\n"
    "  start    the lead auditor, on an on-site day\n"
    "  result   an auditor of the team: one indicator's result, conform,\n"
    "           nonconform, sampled (with --samples and --nonconforming) or\n"
    "           excluded (with a --reason); recording again replaces it\n"
    "  special  the lead auditor: a special bonus or deduction item\n"
    "  finding  an auditor of the team raises a finding (then `starcert\n"
    "           finding correct|verify`)\n"
    "  report   the lead auditor, on or after the last on-site day: every\n"
    "           indicator has a result; the calculation sheet is computed\n"
    "           and stored with the scheme version\n"
    "  show     the audit; list: the audits the acting user may see\n"
    "\n" SC_CLI_BASE_HELP "\n"
    "Output: the audit as `audit show` prints it (list: an array of short\n"
    "views); `finding` prints the finding.\n";

enum sub {
    SUB_PLAN,
    SUB_CONFIRM,
    SUB_START,
    SUB_RESULT,
    SUB_SPECIAL,
    SUB_FINDING,
    SUB_REPORT,
    SUB_SHOW,
    SUB_LIST,
    SUB_COUNT_
};

static const char *const SUB_NAMES[SUB_COUNT_] = {
    "plan",    "confirm", "start", "result", "special",
    "finding", "report",  "show",  "list"};

enum opt {
    O_APPLICATION = 256,
    O_CERTIFICATE,
    O_KIND,
    O_FROM,
    O_TO,
    O_LEAD,
    O_MEMBER,
    O_OUTLETS,
    O_REDUCE,
    O_JUSTIFICATION,
    O_PEOPLE,
    O_TRANSPORT,
    O_OFFICE,
    O_INDICATOR,
    O_RESULT,
    O_SAMPLES,
    O_NONCONF,
    O_REASON,
    O_BONUS,
    O_DEDUCTION,
    O_SEVERITY,
    O_TEXT,
    O_STATE,
    O_LIMIT
};

#define BIT(o) (UINT64_C(1) << ((o)-O_APPLICATION))

/* The options each subcommand takes beyond BASE. */
static const uint64_t ALLOWED[SUB_COUNT_] = {
    [SUB_PLAN] = BIT(O_APPLICATION) | BIT(O_CERTIFICATE) | BIT(O_KIND) |
                 BIT(O_FROM) | BIT(O_TO) | BIT(O_LEAD) | BIT(O_MEMBER) |
                 BIT(O_OUTLETS) | BIT(O_REDUCE) | BIT(O_JUSTIFICATION),
    [SUB_CONFIRM] = BIT(O_PEOPLE) | BIT(O_TRANSPORT) | BIT(O_OFFICE) |
                    BIT(O_FROM) | BIT(O_TO),
    [SUB_START] = 0,
    [SUB_RESULT] = BIT(O_INDICATOR) | BIT(O_RESULT) | BIT(O_SAMPLES) |
                   BIT(O_NONCONF) | BIT(O_REASON),
    [SUB_SPECIAL] = BIT(O_BONUS) | BIT(O_DEDUCTION) | BIT(O_REASON),
    [SUB_FINDING] = BIT(O_SEVERITY) | BIT(O_INDICATOR) | BIT(O_TEXT),
    [SUB_REPORT] = 0,
    [SUB_SHOW] = 0,
    [SUB_LIST] =
        BIT(O_APPLICATION) | BIT(O_CERTIFICATE) | BIT(O_STATE) | BIT(O_LIMIT),
};

struct args {
    struct sc_cli_base base;
    const char *application, *certificate, *kind, *from, *to, *outlets;
    const char *reduce, *justification, *people, *transport, *office;
    const char *indicator, *result, *samples, *nonconforming, *reason;
    const char *severity, *text, *state, *limit;
    bool bonus, deduction;
    struct sc_audit_member_input team[SC_AUDIT_TEAM_MAX + 1];
    size_t n_team;
    const char *positional;
};

static int parse(const struct sc_cli_cmd *self, enum sub sub, int argc,
                 char **argv, struct args *a)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"application", required_argument, NULL, O_APPLICATION},
        {"certificate", required_argument, NULL, O_CERTIFICATE},
        {"kind", required_argument, NULL, O_KIND},
        {"from", required_argument, NULL, O_FROM},
        {"to", required_argument, NULL, O_TO},
        {"lead", required_argument, NULL, O_LEAD},
        {"member", required_argument, NULL, O_MEMBER},
        {"outlets", required_argument, NULL, O_OUTLETS},
        {"reduce", required_argument, NULL, O_REDUCE},
        {"justification", required_argument, NULL, O_JUSTIFICATION},
        {"people", required_argument, NULL, O_PEOPLE},
        {"transport", required_argument, NULL, O_TRANSPORT},
        {"office", required_argument, NULL, O_OFFICE},
        {"indicator", required_argument, NULL, O_INDICATOR},
        {"result", required_argument, NULL, O_RESULT},
        {"samples", required_argument, NULL, O_SAMPLES},
        {"nonconforming", required_argument, NULL, O_NONCONF},
        {"reason", required_argument, NULL, O_REASON},
        {"bonus", no_argument, NULL, O_BONUS},
        {"deduction", no_argument, NULL, O_DEDUCTION},
        {"severity", required_argument, NULL, O_SEVERITY},
        {"text", required_argument, NULL, O_TEXT},
        {"state", required_argument, NULL, O_STATE},
        {"limit", required_argument, NULL, O_LIMIT},
        {NULL, 0, NULL, 0},
    };
    int c, idx = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
        if (c == 'h') {
            sc_cli_help(self);
            return -1;
        }
        if (c == '?' || c == ':')
            return sc_cli_usage_error(self,
                                      "unknown option or missing "
                                      "argument: %s",
                                      argv[optind - 1]);
        if (sc_cli_base_opt(c, optarg, &a->base))
            continue;
        if (c >= O_APPLICATION && !(ALLOWED[sub] & BIT(c)))
            return sc_cli_usage_error(self, "audit %s takes no --%s",
                                      SUB_NAMES[sub], opts[idx].name);
        switch (c) {
        case O_APPLICATION:
            a->application = optarg;
            break;
        case O_CERTIFICATE:
            a->certificate = optarg;
            break;
        case O_KIND:
            a->kind = optarg;
            break;
        case O_FROM:
            a->from = optarg;
            break;
        case O_TO:
            a->to = optarg;
            break;
        case O_LEAD:
        case O_MEMBER:
            /* one slot more than a team may have, so the store refuses
             * the size with its field */
            if (a->n_team == SC_AUDIT_TEAM_MAX + 1)
                return sc_cli_usage_error(self, "at most %d team members",
                                          SC_AUDIT_TEAM_MAX);
            a->team[a->n_team].login = optarg;
            a->team[a->n_team].lead = c == O_LEAD;
            a->n_team++;
            break;
        case O_OUTLETS:
            a->outlets = optarg;
            break;
        case O_REDUCE:
            a->reduce = optarg;
            break;
        case O_JUSTIFICATION:
            a->justification = optarg;
            break;
        case O_PEOPLE:
            a->people = optarg;
            break;
        case O_TRANSPORT:
            a->transport = optarg;
            break;
        case O_OFFICE:
            a->office = optarg;
            break;
        case O_INDICATOR:
            a->indicator = optarg;
            break;
        case O_RESULT:
            a->result = optarg;
            break;
        case O_SAMPLES:
            a->samples = optarg;
            break;
        case O_NONCONF:
            a->nonconforming = optarg;
            break;
        case O_REASON:
            a->reason = optarg;
            break;
        case O_BONUS:
            a->bonus = true;
            break;
        case O_DEDUCTION:
            a->deduction = true;
            break;
        case O_SEVERITY:
            a->severity = optarg;
            break;
        case O_TEXT:
            a->text = optarg;
            break;
        case O_STATE:
            a->state = optarg;
            break;
        case O_LIMIT:
            a->limit = optarg;
            break;
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    bool wants_id = sub != SUB_PLAN && sub != SUB_LIST;
    if (wants_id) {
        if (optind >= argc)
            return sc_cli_usage_error(self, "audit %s needs the audit's id",
                                      SUB_NAMES[sub]);
        a->positional = argv[optind++];
    }
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!sc_cli_opt(a->base.db, "STARCERT_DB"))
        return sc_cli_usage_error(self, "--db PATH is required");
    if (sub == SUB_SPECIAL && a->bonus == a->deduction)
        return sc_cli_usage_error(self, "say --bonus or --deduction");
    return 0;
}

/* Parses an optional date option; a missing one leaves *has false. */
static enum sc_err opt_date(const char *text, const char *field, sc_day *out,
                            bool *has, struct sc_error *err)
{
    if (has)
        *has = text != NULL;
    if (!text)
        return SC_OK;
    return sc_date_parse(text, field, out, err);
}

static enum sc_err need(const char *v, const char *field, struct sc_error *err)
{
    if (v)
        return SC_OK;
    return sc_error_set(err, SC_ERR_INVALID, field, "--%s is required", field);
}

static int run_sub(const struct sc_cli_cmd *self, enum sub sub, struct args *a)
{
    struct sc_error err;
    struct sc_clock clk;
    struct sc_store *st = NULL;
    struct sc_actor actor;
    json_t *view = NULL;
    long long id = 0, n = 0;
    int64_t finding = 0;
    enum sc_err rc;

    sc_error_clear(&err);
    rc = sc_cli_context(a->base.db, a->base.as, a->base.today, &st, &clk,
                        &actor, &err);
    if (rc == SC_OK && a->positional)
        rc = sc_cli_parse_int(a->positional, "audit", 1, INT64_MAX, &id, &err);
    if (rc != SC_OK)
        goto out;

    switch (sub) {
    case SUB_PLAN: {
        struct sc_audit_plan_input in;
        bool has_from = false, has_to = false;
        memset(&in, 0, sizeof in);
        in.outlets = -1;
        if (a->application &&
            (rc = sc_cli_parse_int(a->application, "application", 1, INT64_MAX,
                                   &n, &err)) != SC_OK)
            break;
        in.application_id = a->application ? n : 0;
        in.certificate = a->certificate;
        in.kind = a->kind;
        if ((rc = opt_date(a->from, "from", &in.from, &has_from, &err)) ||
            (rc = opt_date(a->to, "to", &in.to, &has_to, &err)) ||
            (rc = need(a->from, "from", &err)) ||
            (rc = need(a->to, "to", &err)))
            break;
        if (a->outlets) {
            if ((rc = sc_cli_parse_int(a->outlets, "outlets", 0, 1000000, &n,
                                       &err)) != SC_OK)
                break;
            in.outlets = n;
        }
        if (a->reduce) {
            if ((rc = sc_cli_parse_int(a->reduce, "reduce", 0, 100, &n,
                                       &err)) != SC_OK)
                break;
            in.reduce_percent = (int)n;
        }
        in.justification = a->justification;
        in.team = a->team;
        in.n_team = a->n_team;
        int64_t aid = 0;
        rc = sc_store_audit_plan(st, &clk, &actor, &in, &aid, &err);
        id = aid;
        break;
    }
    case SUB_CONFIRM: {
        struct sc_audit_arrangements in;
        bool has_to = false;
        memset(&in, 0, sizeof in);
        in.people = a->people;
        in.transport = a->transport;
        in.office = a->office;
        if ((rc = opt_date(a->from, "from", &in.from, &in.has_dates, &err)) ||
            (rc = opt_date(a->to, "to", &in.to, &has_to, &err)))
            break;
        in.has_dates = in.has_dates && has_to;
        rc = sc_store_audit_confirm(st, &clk, &actor, id, &in, &err);
        break;
    }
    case SUB_START:
        rc = sc_store_audit_start(st, &clk, &actor, id, &err);
        break;
    case SUB_RESULT: {
        struct sc_audit_result_input in;
        memset(&in, 0, sizeof in);
        in.indicator = a->indicator;
        in.result = a->result;
        in.reason = a->reason;
        if ((rc = need(a->indicator, "indicator", &err)) ||
            (rc = need(a->result, "result", &err)))
            break;
        if (a->samples || a->nonconforming) {
            in.has_samples = true;
            if ((rc = need(a->samples, "samples", &err)) ||
                (rc = need(a->nonconforming, "nonconforming", &err)) ||
                (rc = sc_cli_parse_int(a->samples, "samples", -1000000000LL,
                                       1000000000LL, &in.samples, &err)) ||
                (rc = sc_cli_parse_int(a->nonconforming, "nonconforming",
                                       -1000000000LL, 1000000000LL,
                                       &in.nonconforming, &err)))
                break;
        }
        rc = sc_store_audit_result(st, &clk, &actor, id, &in, &err);
        break;
    }
    case SUB_SPECIAL:
        rc = sc_store_audit_special(st, &clk, &actor, id, a->bonus, a->reason,
                                    NULL, &err);
        break;
    case SUB_FINDING:
        rc = sc_store_audit_finding(st, &clk, &actor, id, a->severity,
                                    a->indicator, a->text, &finding, &err);
        break;
    case SUB_REPORT:
        rc = sc_store_audit_report(st, &clk, &actor, id, &err);
        break;
    case SUB_SHOW:
        break;
    case SUB_LIST: {
        long long limit = 100;
        n = 0;
        if ((a->application &&
             (rc = sc_cli_parse_int(a->application, "application", 1, INT64_MAX,
                                    &n, &err))) ||
            (a->limit &&
             (rc = sc_cli_parse_int(a->limit, "limit", 1, SC_AUDIT_LIST_MAX,
                                    &limit, &err))))
            break;
        rc = sc_store_audit_list_json(st, &actor, n, a->certificate, a->state,
                                      (int)limit, &view, &err);
        break;
    }
    default:
        break;
    }
    if (rc != SC_OK || sub == SUB_LIST)
        goto out;
    if (sub == SUB_FINDING) {
        rc = sc_store_finding_get(st, &actor, finding, &view, &err);
        goto out;
    }
    rc = sc_store_audit_json(st, &actor, id, &view, &err);
    if (rc != SC_OK && sub != SUB_SHOW) {
        /* the action is done; the actor may just not see the whole audit */
        rc = SC_OK;
        view = json_pack("{s:I, s:b}", "id", (json_int_t)id, "done", 1);
    }
out:
    sc_store_close(st);
    if (rc != SC_OK) {
        json_decref(view);
        return sc_cli_fail(self, &err);
    }
    return sc_cli_print(self, view);
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    struct args a;
    if (argc >= 2 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return sc_cli_help(self);
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required");
    enum sub sub = SUB_COUNT_;
    for (int i = 0; i < SUB_COUNT_; i++)
        if (strcmp(argv[1], SUB_NAMES[i]) == 0)
            sub = (enum sub)i;
    if (sub == SUB_COUNT_)
        return sc_cli_usage_error(self, "unknown subcommand \"%s\"", argv[1]);
    memset(&a, 0, sizeof a);
    int prc = parse(self, sub, argc - 1, argv + 1, &a);
    if (prc == -1)
        return SC_EXIT_OK; /* --help */
    if (prc != 0)
        return prc;
    return run_sub(self, sub, &a);
}

const struct sc_cli_cmd sc_cmd_audit = {
    "audit", "on-site audits: plan, confirm, start, results, report", usage,
    run};
