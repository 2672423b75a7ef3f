/*
 * cmd_score: `starcert score [--scheme FILE] INPUT.json` scores one
 * calculation sheet (domain.md section 2) and prints the output object of
 * core/sheet.h, or the refusal as the JSON error. Not for: storing the
 * sheet or deciding anything about an application (the store and the
 * workflow do that); the rules are in core/score.c, the formats in
 * core/sheet.h.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "core/sheet.h"

static const char usage[] =
    "usage: starcert score [--scheme FILE] [--help] INPUT.json\n"
    "\n"
    "Scores an audit's results (GB/T 27922: raw percentage, special bonus and\n"
    "deductions, the reported score rounded half-up to one decimal, the star\n"
    "level decided on that reported value). INPUT.json (`-` reads stdin, at\n"
    "most 1 MiB) holds one result per indicator of the scheme:\n"
    "\n"
    "  {\"results\": {\"5.1.1\": {\"result\": \"conform\"},\n"
    "               \"5.2.4\": {\"result\": \"sampled\", \"samples\": 6,\n"
    "                         \"nonconforming\": 1},\n"
    "               \"5.2.6\": {\"result\": \"excluded\", \"reason\": "
    "\"...\"},\n"
    "               ...},\n"
    "   \"special_deductions\": [{\"reason\": \"...\"}],\n"
    "   \"bonus\": [{\"reason\": \"...\"}]}\n"
    "\n"
    "result: conform | nonconform | sampled | excluded (a reason is required\n"
    "for excluded and allowed on any result); the two lists are optional.\n"
    "\n"
    "Prints {\"scheme\", \"scheme_version\", \"earned\", \"applicable\", "
    "\"raw\",\n"
    "\"score\", \"level\", \"level_zh\", \"level_en\", \"certified\", "
    "\"gated\",\n"
    "\"bonus_applied\", \"special_deductions\", \"groups\", \"indicators\"} "
    "and exits 0.\n"
    "\"score\" decides; \"earned\" and \"raw\" are shown truncated to two "
    "decimals.\n"
    "A refused input prints {\"error\": {\"code\", \"message\", \"field\"}} "
    "and exits 1\n"
    "(\"malformed\" for invalid JSON, \"invalid\" for a refused value, with "
    "the\n"
    "field's path such as results.5.2.4.samples). Exits 2 on bad usage.\n"
    "\n"
    "options:\n"
    "  --scheme FILE   scheme file (env STARCERT_SCHEME; default: the "
    "bundled\n"
    "                  gbt27922-2011)\n"
    "  -h, --help      this text\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"scheme", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *scheme_path = NULL;
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            return sc_cli_help(self);
        case 's':
            scheme_path = optarg;
            break;
        case ':':
            return sc_cli_usage_error(self, "option \"%s\" needs a value",
                                      argv[optind - 1]);
        default:
            return sc_cli_usage_error(self, "unknown option \"%s\"",
                                      argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return sc_cli_usage_error(self, argc - optind == 0
                                            ? "an INPUT.json is required"
                                            : "exactly one INPUT.json is "
                                              "expected");

    struct sc_error err;
    sc_error_clear(&err);
    struct sc_scheme *scheme = NULL;
    char *text = NULL;
    json_t *input = NULL;
    json_t *result = NULL;
    int status = SC_EXIT_FAIL;

    scheme = malloc(sizeof *scheme);
    if (!scheme) {
        sc_error_set(&err, SC_ERR_NOMEM, NULL, NULL);
        goto fail;
    }
    if (sc_cli_load_scheme(scheme_path, scheme, &err) != SC_OK)
        goto fail;
    size_t len = 0;
    if (sc_cli_read_file(argv[optind], SC_SHEET_INPUT_MAX, &text, &len, &err) !=
        SC_OK)
        goto fail;
    json_error_t je;
    input = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!input) {
        sc_error_set(&err, SC_ERR_MALFORMED, NULL, "line %d column %d: %s",
                     je.line, je.column, je.text);
        goto fail;
    }
    if (sc_sheet_compute(scheme, input, NULL, &result, &err) != SC_OK)
        goto fail;
    status = sc_cli_print(self, result);
    result = NULL;
    goto out;
fail:
    status = sc_cli_fail(self, &err);
out:
    json_decref(result);
    json_decref(input);
    free(text);
    free(scheme);
    return status;
}

const struct sc_cli_cmd sc_cmd_score = {
    "score",
    "score an audit's results: reported score and star level",
    usage,
    run,
};
