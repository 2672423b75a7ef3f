/*
 * cmd_decision: `starcert decision vote|close|show`, the review
 * committee's votes on a reported audit and the decision that closes them
 * (store_decision does the work). Not for: rules (the store asks
 * src/core).
 */
#include <getopt.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"
#include "store/store_decision.h"

static const char usage[] =
    "usage: starcert decision vote AUDIT --approve [--level LEVEL]\n"
    "                              [--comment TEXT] [BASE]\n"
    "       starcert decision vote AUDIT --refuse --comment TEXT [BASE]\n"
    "       starcert decision close AUDIT [BASE]\n"
    "       starcert decision show AUDIT [BASE]\n"
    "\n"
    "The review committee decides on a reported audit.\n"
    "  vote   one member's vote: approve a level (default the audit's;\n"
    "         never better than the audit's calculation sheet, nor at a\n"
    "         surveillance, restore or scope change than the certificate's\n"
    "         current level), or refuse with a comment. Members who were on\n"
    "         the audit team, did the document review or have an\n"
    "         impartiality link with the organisation may not vote.\n"
    "  close  a member closes the vote and the decision is taken: certified\n"
    "         (a certificate, a new cycle, a new revision, the surveillance\n"
    "         recorded, or a suspended certificate restored) when the\n"
    "         scheme's quorum of independent members approve and outnumber\n"
    "         those who refuse, and every audit finding is verified; refused\n"
    "         when the quorum refuse. The level is the best level the\n"
    "         quorum of approving members support.\n"
    "  show   the votes, the tally and the decision\n"
    "\n" SC_CLI_BASE_HELP "\n"
    "Output: the decision view {\"audit\", \"purpose\", \"state\",\n"
    "\"organisation\", \"score\", \"level\", \"quorum\", \"open_findings\",\n"
    "\"votes\", \"tally\", \"decision\"}.\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        SC_CLI_BASE_OPTS,
        {"approve", no_argument, NULL, 'y'},
        {"refuse", no_argument, NULL, 'n'},
        {"level", required_argument, NULL, 'l'},
        {"comment", required_argument, NULL, 'c'},
        {NULL, 0, NULL, 0},
    };
    struct sc_cli_base base = {0};
    const char *level = NULL, *comment = NULL;
    bool approve = false, refuse = false;
    int c;

    if (argc >= 2 &&
        (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return sc_cli_help(self);
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required: vote, "
                                        "close, show");
    const char *sub = argv[1];
    bool is_vote = strcmp(sub, "vote") == 0;
    if (!is_vote && strcmp(sub, "close") != 0 && strcmp(sub, "show") != 0)
        return sc_cli_usage_error(self, "unknown subcommand \"%s\"", sub);
    argc--;
    argv++;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (sc_cli_base_opt(c, optarg, &base))
            continue;
        switch (c) {
        case 'y':
            approve = true;
            break;
        case 'n':
            refuse = true;
            break;
        case 'l':
            level = optarg;
            break;
        case 'c':
            comment = optarg;
            break;
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option");
        }
        if (!is_vote && (c == 'y' || c == 'n' || c == 'l' || c == 'c'))
            return sc_cli_usage_error(self,
                                      "decision %s takes no vote "
                                      "options",
                                      sub);
    }
    if (optind + 1 != argc)
        return sc_cli_usage_error(self,
                                  "decision %s needs exactly one audit "
                                  "id",
                                  sub);
    if (!sc_cli_opt(base.db, "STARCERT_DB"))
        return sc_cli_usage_error(self, "--db PATH is required");
    if (is_vote && approve == refuse)
        return sc_cli_usage_error(self, "say --approve or --refuse");

    struct sc_error err;
    struct sc_clock clk;
    struct sc_store *st = NULL;
    struct sc_actor actor;
    json_t *view = NULL;
    long long id = 0;
    sc_error_clear(&err);
    enum sc_err rc =
        sc_cli_context(base.db, base.as, base.today, &st, &clk, &actor, &err);
    if (rc == SC_OK)
        rc = sc_cli_parse_int(argv[optind], "audit", 1, INT64_MAX, &id, &err);
    if (rc == SC_OK && is_vote)
        rc = sc_store_decision_vote(st, &clk, &actor, id, approve, level,
                                    comment, &err);
    else if (rc == SC_OK && strcmp(sub, "close") == 0)
        rc = sc_store_decision_close(st, &clk, &actor, id, SC_DECISION_ANY,
                                     NULL, &err);
    if (rc == SC_OK)
        rc = sc_store_decision_json(st, &actor, id, clk.today, &view, &err);
    sc_store_close(st);
    if (rc != SC_OK)
        return sc_cli_fail(self, &err);
    return sc_cli_print(self, view);
}

const struct sc_cli_cmd sc_cmd_decision = {
    "decision", "the review committee's votes and decisions", usage, run};
