/*
 * cmd_review: `starcert review revise|approve`, the review department's
 * document review of a contracted application. revise records findings
 * (source document_review) that the enterprise corrects (`starcert finding
 * correct`, plus a revised service manual) and the reviewer verifies
 * (`starcert finding verify`); approve moves the application to
 * documents_approved once no document finding is open. Not for: rules
 * (store_application and the core decide).
 */
#include <getopt.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "store/store_application.h"

static const char usage[] =
    "usage: starcert review revise --application ID --finding TEXT...\n"
    "                 [--major TEXT]... [--note TEXT] [BASE]\n"
    "       starcert review approve --application ID [--note TEXT] [BASE]\n"
    "\n"
    "The document review of a contracted application (review department).\n"
    "  revise    records one finding per --finding (minor) or --major\n"
    "            (major), at least one; the application stays contracted.\n"
    "            The enterprise answers each with `starcert finding correct`\n"
    "            and uploads a revised service_manual; the reviewer checks\n"
    "            with `starcert finding verify`.\n"
    "  approve   needs every document finding verified and, after a revise,\n"
    "            a service manual newer than the one reviewed; the\n"
    "            application becomes documents_approved.\n"
    "A reviewer with a declared link to the organisation within the\n"
    "cooling-off period is refused (impartiality).\n"
    "\n"
    "  --application ID   the application\n"
    "  --finding TEXT     a minor finding (repeatable)\n"
    "  --major TEXT       a major finding (repeatable)\n"
    "  --note TEXT        the reviewer's note\n"
    "BASE options:\n"
    "  --db PATH          database (env STARCERT_DB)\n"
    "  --as LOGIN         the acting user (env STARCERT_AS)\n"
    "  --today DATE       the day of the action (env STARCERT_TODAY)\n"
    "\n"
    "Output: the application's view (\"reviews\", \"findings\", \"state\").\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"application", required_argument, NULL, 'A'},
        {"finding", required_argument, NULL, 'f'},
        {"major", required_argument, NULL, 'M'},
        {"note", required_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    static struct sc_finding_input findings[SC_APPLICATION_FINDINGS_MAX];
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required: revise, "
                                        "approve");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return sc_cli_help(self);
    bool revise = strcmp(argv[1], "revise") == 0;
    if (!revise && strcmp(argv[1], "approve") != 0)
        return sc_cli_usage_error(self, "unknown subcommand \"%s\"", argv[1]);
    argc--;
    argv++;
    struct sc_cli_base base = {0};
    const char *app = NULL, *note = NULL;
    size_t n = 0;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'A':
            app = optarg;
            break;
        case 'n':
            note = optarg;
            break;
        case 'f':
        case 'M':
            if (!revise)
                return sc_cli_usage_error(self, "review approve takes no "
                                                "findings");
            if (n == SC_APPLICATION_FINDINGS_MAX)
                return sc_cli_usage_error(self, "at most %d findings",
                                          SC_APPLICATION_FINDINGS_MAX);
            findings[n].text = optarg;
            findings[n].severity = c == 'M' ? "major" : "minor";
            findings[n].indicator = NULL;
            n++;
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
    if (!app)
        return sc_cli_usage_error(self, "review %s needs --application",
                                  revise ? "revise" : "approve");

    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long id = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_parse_int(app, "application", 1, INT64_MAX, &id, &err);
    if (rc == SC_OK)
        rc = sc_cli_clock(base.today, &clk, &err);
    if (rc == SC_OK)
        rc = sc_cli_open_store(base.db, false, &st, &err);
    if (rc == SC_OK)
        rc = sc_cli_actor(st, base.as, &actor, &err);
    if (rc == SC_OK)
        rc = revise ? sc_store_review_revise(st, &clk, &actor, id, findings, n,
                                             note, NULL, &err)
                    : sc_store_review_approve(st, &clk, &actor, id, note, NULL,
                                              &err);
    if (rc == SC_OK)
        rc = sc_store_application_get(st, &actor, id, clk.today, &out, &err);
    int code = rc == SC_OK ? sc_cli_print(self, out) : sc_cli_fail(self, &err);
    if (rc != SC_OK)
        json_decref(out);
    sc_store_close(st);
    return code;
}

const struct sc_cli_cmd sc_cmd_review = {
    "review", "document review: ask for revisions or approve the documents",
    usage, run};
