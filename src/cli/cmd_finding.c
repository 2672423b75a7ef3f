/*
 * cmd_finding: `starcert finding show|correct|verify`, findings of a
 * document review or of an audit (one table, source document_review or
 * audit): the enterprise records its corrective action, the department that
 * raised the finding verifies it (the review department for document-review
 * findings, an auditor of the audit team for audit findings) or sends it
 * back. Raising findings belongs to the action that finds them (`starcert
 * review revise`, the audit commands). Not for: rules (store_application
 * and the core decide).
 */
#include <getopt.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "store/store_application.h"

static const char usage[] =
    "usage: starcert finding show ID [BASE]\n"
    "       starcert finding correct ID --action TEXT [BASE]\n"
    "       starcert finding verify ID [--note TEXT] [BASE]\n"
    "       starcert finding verify ID --reject --note TEXT [BASE]\n"
    "\n"
    "Findings of a document review or an audit.\n"
    "  correct   the enterprise's corrective action on an open finding of\n"
    "            its own organisation; the finding becomes corrected\n"
    "  verify    the corrective action is checked: verified, or with\n"
    "            --reject (and a --note saying why) open again. Document-\n"
    "            review findings are verified by the review department,\n"
    "            audit findings by an auditor of the audit's team.\n"
    "Document-review findings are worked on while the application is\n"
    "contracted (in its document review).\n"
    "\n"
    "  --action TEXT   the corrective action taken\n"
    "  --note TEXT     the verifier's note\n"
    "  --reject        the corrective action is not sufficient\n"
    SC_CLI_BASE_HELP "\n"
    "Output: the finding {\"id\", \"application\", \"audit\", \"source\",\n"
    "\"severity\", \"indicator\", \"text\", \"state\", \"corrective_action\",\n"
    "\"raised_by\", \"raised_on\", \"verified_by\", \"verified_on\"}.\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"action", required_argument, NULL, 'c'},
        {"note", required_argument, NULL, 'n'},
        {"reject", no_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required: show, "
                                        "correct, verify");
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return sc_cli_help(self);
    const char *sub = argv[1];
    bool show = strcmp(sub, "show") == 0, correct = strcmp(sub, "correct") == 0,
         verify = strcmp(sub, "verify") == 0;
    if (!show && !correct && !verify)
        return sc_cli_usage_error(self, "unknown subcommand \"%s\"", sub);
    argc--;
    argv++;
    struct sc_cli_base base = {0};
    const char *action = NULL, *note = NULL;
    bool reject = false;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'c':
            action = optarg;
            break;
        case 'n':
            note = optarg;
            break;
        case 'r':
            reject = true;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (argc - optind != 1)
        return sc_cli_usage_error(self, "finding %s needs one finding ID", sub);
    if ((action && !correct) || ((note || reject) && !verify))
        return sc_cli_usage_error(self, "option not allowed for finding %s",
                                  sub);
    if (correct && !action)
        return sc_cli_usage_error(self, "finding correct needs --action");

    struct sc_error err;
    struct sc_store *st = NULL;
    struct sc_clock clk;
    struct sc_actor actor;
    json_t *out = NULL;
    long long id = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_parse_int(argv[optind], "finding", 1, INT64_MAX, &id, &err);
    if (rc == SC_OK)
        rc = sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor,
                            &err);
    if (rc == SC_OK && correct)
        rc = sc_store_finding_correct(st, &clk, &actor, id, action, &err);
    if (rc == SC_OK && verify)
        rc = sc_store_finding_verify(st, &clk, &actor, id, !reject, note, &err);
    if (rc == SC_OK)
        rc = sc_store_finding_get(st, &actor, id, &out, &err);
    int code = rc == SC_OK ? sc_cli_print(self, out) : sc_cli_fail(self, &err);
    if (rc != SC_OK)
        json_decref(out);
    sc_store_close(st);
    return code;
}

const struct sc_cli_cmd sc_cmd_finding = {
    "finding", "correct and verify findings (document review or audit)", usage,
    run};
