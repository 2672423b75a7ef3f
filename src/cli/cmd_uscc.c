/*
 * cmd_uscc: `starcert uscc CODE`, checks one unified social credit code
 * (统一社会信用代码, domain.md section 7) and prints {"valid": true, "code"}
 * or the refusal as the JSON error. Not for: looking the organisation up
 * anywhere; the check is the alphabet, the length and the check character.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "core/uscc.h"

static const char usage[] =
    "usage: starcert uscc [--help] CODE\n"
    "\n"
    "Checks a unified social credit code (统一社会信用代码, GB 32100-2015):\n"
    "18 characters from 0-9 and A-Z without I, O, Z, S, V, the last one a\n"
    "check character.\n"
    "\n"
    "Prints {\"valid\": true, \"code\": CODE} and exits 0 when it is valid;\n"
    "otherwise prints {\"error\": {\"code\": \"invalid\", \"message\", "
    "\"field\": \"code\"}}\n"
    "and exits 1. Exits 2 on bad usage.\n"
    "\n"
    "options:\n"
    "  -h, --help   this text\n";

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            return sc_cli_help(self);
        default:
            return sc_cli_usage_error(self, "unknown option \"%s\"",
                                      argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return sc_cli_usage_error(self, argc - optind == 0
                                            ? "a CODE is required"
                                            : "exactly one CODE is expected");
    const char *code = argv[optind];
    struct sc_error err;
    sc_error_clear(&err);
    if (sc_uscc_check(code, &err) != SC_OK)
        return sc_cli_fail(self, &err);
    return sc_cli_print(self,
                        json_pack("{s:b, s:s}", "valid", 1, "code", code));
}

const struct sc_cli_cmd sc_cmd_uscc = {
    "uscc",
    "check a unified social credit code (统一社会信用代码)",
    usage,
    run,
};
