/* cmd_uscc: placeholder until the subcommand is written; refuses to run. */
#include "cli.h"

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return sc_cli_usage_error(self, "not built yet");
}

const struct sc_cli_cmd sc_cmd_uscc = {"uscc", "(not built yet)", "usage: starcert uscc\n", run};
