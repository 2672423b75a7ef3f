/*
 * cmd_serve: `starcert serve --db PATH --listen ADDR:PORT [--threads N]`
 * runs the JSON API and the public registry until SIGTERM or SIGINT.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "http/auth.h"
#include "http/server.h"

static const char usage[] =
    "usage: starcert serve --db PATH [--listen ADDR:PORT] [--threads N]\n"
    "                      [--today DATE] [--port-file FILE] [--quiet]\n"
    "                      [--trust-proxy ADDR]...\n"
    "\n"
    "Serves the JSON API (/api/v1/...), the public registry and /healthz,\n"
    "/metrics, until SIGTERM or SIGINT (in-flight requests finish first).\n"
    "One access-log line per request on stdout: method, path, status,\n"
    "bytes, microseconds.\n"
    "\n"
    "  --db PATH         database file (env STARCERT_DB)\n"
    "  --listen A:P      numeric address and port, default 127.0.0.1:8080;\n"
    "                    [::1]:8080 for IPv6; port 0 picks a free one\n"
    "                    (env STARCERT_LISTEN)\n"
    "  --threads N       worker threads, default 2 (env STARCERT_THREADS)\n"
    "  --timeout S       close a connection idle for S seconds, default 30\n"
    "  --today DATE      a fixed today for every request, for tests\n"
    "                    (env STARCERT_TODAY)\n"
    "  --port-file FILE  write the bound port there once listening\n"
    "  --quiet           no access log\n"
    "  --trust-proxy A   a reverse proxy's numeric address (repeatable, at\n"
    "                    most 8; env STARCERT_TRUST_PROXY, comma-separated):\n"
    "                    for requests from it, the client is the address it\n"
    "                    names in X-Forwarded-For (log-in limits count per\n"
    "                    client); nobody else's X-Forwarded-For is believed\n"
    "\n"
    "Sessions: STARCERT_SECURE_COOKIES=1 marks the cookie Secure (an HTTPS\n"
    "site, also behind a TLS-terminating proxy).\n";

static enum sc_err parse_listen(const char *text, char *host, size_t cap,
                                unsigned *port, struct sc_error *err)
{
    const char *colon = strrchr(text, ':');
    if (!colon)
        return sc_error_set(err, SC_ERR_INVALID, "listen",
                            "give ADDR:PORT, e.g. 127.0.0.1:8080");
    const char *h = text;
    size_t hl = (size_t)(colon - text);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h++;
        hl -= 2;
    }
    if (hl == 0 || hl >= cap)
        return sc_error_set(err, SC_ERR_INVALID, "listen",
                            "give ADDR:PORT, e.g. 127.0.0.1:8080");
    memcpy(host, h, hl);
    host[hl] = '\0';
    long long p = 0;
    enum sc_err rc = sc_cli_parse_int(colon + 1, "listen", 0, 65535, &p, err);
    *port = (unsigned)p;
    return rc;
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"timeout", required_argument, NULL, 'o'},
        {"today", required_argument, NULL, 'T'},
        {"port-file", required_argument, NULL, 'p'},
        {"quiet", no_argument, NULL, 'q'},
        {"trust-proxy", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct sc_server_config cfg;
    const char *db = NULL, *listen = NULL, *threads = NULL, *today = NULL;
    const char *timeout = NULL;
    const char *proxies[SC_PROXY_MAX + 1];
    unsigned n_proxies = 0;
    int c;
    sc_server_config_defaults(&cfg);
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': listen = optarg; break;
        case 't': threads = optarg; break;
        case 'o': timeout = optarg; break;
        case 'T': today = optarg; break;
        case 'p': cfg.port_file = optarg; break;
        case 'q': cfg.quiet = 1; break;
        case 'P':
            if (n_proxies > SC_PROXY_MAX)
                return sc_cli_usage_error(self, "at most %d --trust-proxy",
                                          SC_PROXY_MAX);
            proxies[n_proxies++] = optarg;
            break;
        case 'h': return sc_cli_help(self);
        default: return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    cfg.db = sc_cli_opt(db, "STARCERT_DB");
    if (!cfg.db)
        return sc_cli_usage_error(self, "--db PATH is required");
    cfg.today = sc_cli_opt(today, "STARCERT_TODAY");

    struct sc_error err;
    char host[64];
    unsigned port = cfg.port;
    sc_error_clear(&err);
    listen = sc_cli_opt(listen, "STARCERT_LISTEN");
    enum sc_err rc = SC_OK;
    if (listen)
        rc = parse_listen(listen, host, sizeof host, &port, &err);
    else
        snprintf(host, sizeof host, "%s", cfg.host);
    threads = sc_cli_opt(threads, "STARCERT_THREADS");
    if (rc == SC_OK && threads) {
        long long n = 0;
        rc = sc_cli_parse_int(threads, "threads", 1, 64, &n, &err);
        cfg.threads = (unsigned)n;
    }
    if (rc == SC_OK && timeout) {
        long long n = 0;
        rc = sc_cli_parse_int(timeout, "timeout", 1, 3600, &n, &err);
        cfg.timeout_s = (unsigned)n;
    }
    for (unsigned i = 0; rc == SC_OK && i < n_proxies; i++)
        rc = sc_proxy_add(&cfg.proxies, proxies[i], &err);
    const char *env_proxies = sc_cli_opt(NULL, "STARCERT_TRUST_PROXY");
    if (rc == SC_OK && !n_proxies && env_proxies)
        rc = sc_proxy_add_list(&cfg.proxies, env_proxies, &err);
    if (rc != SC_OK)
        return sc_cli_fail(self, &err);
    cfg.host = host;
    cfg.port = (uint16_t)port;
    /* session and log-in limits, Secure cookies: a bad setting stops the
     * start instead of being ignored */
    struct sc_auth_config auth;
    if ((rc = sc_auth_config_from_env(&auth, &err)) != SC_OK)
        return sc_cli_fail(self, &err);
    sc_auth_configure(&auth);
    rc = sc_server_run(&cfg, &err);
    return rc == SC_OK ? SC_EXIT_OK : sc_cli_fail(self, &err);
}

const struct sc_cli_cmd sc_cmd_serve = {
    "serve", "the JSON API and the public registry over HTTP", usage, run};
