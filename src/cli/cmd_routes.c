/*
 * cmd_routes: `starcert routes` prints the HTTP route table the server
 * answers (src/http/routes.c) as JSON, so tests and documentation can be
 * checked against the code: every route's method, path pattern, whether it
 * needs a session, the policy action the router checks by role, and its
 * name (the metric label and OpenAPI operationId). Not for: serving, or
 * saying who may call a route beyond the table's own columns.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "http/router.h"

static const char usage[] =
    "usage: starcert routes [--help]\n"
    "\n"
    "Prints the HTTP route table of `starcert serve` as a JSON array, in\n"
    "table order: [{\"method\", \"path\", \"auth\", \"action\", \"name\"}].\n"
    "auth is public (no session looked up), optional (a session is used\n"
    "when present) or session (required); action is the policy action the\n"
    "router checks by role before the handler, or null.\n"
    "\n"
    "options:\n"
    "  -h, --help   this text\n";

static const char *auth_name(enum sc_route_auth a)
{
    switch (a) {
    case SC_ROUTE_PUBLIC: return "public";
    case SC_ROUTE_OPTIONAL: return "optional";
    case SC_ROUTE_SESSION: return "session";
    }
    return "unknown";
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': return sc_cli_help(self);
        default: return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    size_t n = 0;
    const struct sc_route *t = sc_routes(&n);
    json_t *list = json_array();
    for (size_t i = 0; list && i < n; i++) {
        json_t *row = json_pack("{s:s, s:s, s:s, s:s?, s:s}", "method",
                                t[i].method, "path", t[i].pattern, "auth",
                                auth_name(t[i].auth), "action", t[i].action,
                                "name", t[i].name);
        if (!row || json_array_append_new(list, row) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    return sc_cli_print(self, list);
}

const struct sc_cli_cmd sc_cmd_routes = {
    "routes", "print the HTTP route table as JSON", usage, run};
