/*
 * main: the `starcert` dispatcher. Looks the subcommand up in one table and
 * hands it the remaining arguments (argv[0] = the subcommand's name).
 * Not for: option parsing of any subcommand (each owns its own).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

#define STARCERT_VERSION "0.1.0"

static const struct sc_cli_cmd *const commands[] = {
    &sc_cmd_score,
    &sc_cmd_schedule,
    &sc_cmd_mandays,
    &sc_cmd_uscc,
    &sc_cmd_init,
    &sc_cmd_serve,
    &sc_cmd_routes,
    &sc_cmd_audit_verify,
    &sc_cmd_org,
    &sc_cmd_outlet,
    &sc_cmd_user,
    &sc_cmd_token,
    &sc_cmd_qualification,
    &sc_cmd_link,
    &sc_cmd_tick,
    &sc_cmd_due,
    &sc_cmd_registry,
    &sc_cmd_import,
    &sc_cmd_application,
    &sc_cmd_document,
    &sc_cmd_contract,
    &sc_cmd_review,
    &sc_cmd_finding,
    &sc_cmd_audit,
    &sc_cmd_decision,
    &sc_cmd_certificate,
    &sc_cmd_demo,
};

static void overview(FILE *f)
{
    fprintf(f, "starcert %s: after-sales service certification (GB/T 27922)\n\n"
               "usage: starcert COMMAND [OPTIONS] [ARGS]\n"
               "       starcert COMMAND --help\n\ncommands:\n",
            STARCERT_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\nExit codes: 0 ok, 1 refused or failed (JSON error on "
               "stdout), 2 usage.\n");
}

static const struct sc_cli_cmd *lookup(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        overview(stderr);
        return SC_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        overview(stdout);
        return SC_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0) {
        printf("starcert %s\n", STARCERT_VERSION);
        return SC_EXIT_OK;
    }
    if (strcmp(name, "help") == 0) {
        const struct sc_cli_cmd *c = argc > 2 ? lookup(argv[2]) : NULL;
        if (c)
            return sc_cli_help(c);
        overview(argc > 2 ? stderr : stdout);
        return argc > 2 ? SC_EXIT_USAGE : SC_EXIT_OK;
    }
    const struct sc_cli_cmd *cmd = lookup(name);
    if (!cmd) {
        fprintf(stderr, "starcert: unknown command \"%s\"\n\n", name);
        overview(stderr);
        return SC_EXIT_USAGE;
    }
    return cmd->run(cmd, argc - 1, argv + 1);
}
