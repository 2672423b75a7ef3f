/*
 * common: helpers every subcommand shares (see cli.h). The only place where
 * a `struct sc_error` becomes output.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int sc_cli_usage_error(const struct sc_cli_cmd *cmd, const char *fmt, ...)
{
    fprintf(stderr, "starcert %s: ", cmd->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n\n%s", cmd->usage);
    return SC_EXIT_USAGE;
}

int sc_cli_help(const struct sc_cli_cmd *cmd)
{
    fputs(cmd->usage, stdout);
    return SC_EXIT_OK;
}

int sc_cli_fail(const struct sc_cli_cmd *cmd, const struct sc_error *err)
{
    enum sc_err code = err->code == SC_OK ? SC_ERR_INTERNAL : err->code;
    const char *msg = err->message[0] ? err->message : sc_err_message(code);
    json_t *body =
        json_pack("{s:{s:s, s:s, s:s?}}", "error", "code", sc_err_name(code),
                  "message", msg, "field", err->field[0] ? err->field : NULL);
    if (body) {
        json_dumpf(body, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
        json_decref(body);
    }
    fflush(stdout);
    if (err->field[0])
        fprintf(stderr, "starcert %s: %s: %s: %s\n", cmd->name,
                sc_err_name(code), err->field, msg);
    else
        fprintf(stderr, "starcert %s: %s: %s\n", cmd->name, sc_err_name(code),
                msg);
    return SC_EXIT_FAIL;
}

int sc_cli_print(const struct sc_cli_cmd *cmd, json_t *value)
{
    if (!value) {
        struct sc_error e;
        sc_error_set(&e, SC_ERR_NOMEM, NULL, NULL);
        return sc_cli_fail(cmd, &e);
    }
    int rc = json_dumpf(value, stdout, JSON_INDENT(2));
    json_decref(value);
    if (rc != 0 || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
        fprintf(stderr, "starcert %s: cannot write output\n", cmd->name);
        return SC_EXIT_FAIL;
    }
    return SC_EXIT_OK;
}

json_t *sc_cli_date(sc_day d)
{
    char buf[SC_DATE_BUF];
    sc_date_format(d, buf);
    return json_string(buf);
}

const char *sc_cli_opt(const char *value, const char *env_name)
{
    if (value)
        return value;
    const char *env = env_name ? getenv(env_name) : NULL;
    return env && env[0] ? env : NULL;
}

enum sc_err sc_cli_read_file(const char *path, size_t cap, char **out,
                             size_t *len, struct sc_error *err)
{
    FILE *f = NULL;
    char *buf = NULL;
    enum sc_err rc = SC_OK;
    bool is_stdin = strcmp(path, "-") == 0;

    f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        rc = sc_error_set(err, SC_ERR_IO, "file", "cannot open %s: %s", path,
                          strerror(errno));
        goto out;
    }
    buf = malloc(cap + 1);
    if (!buf) {
        rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    size_t n = fread(buf, 1, cap + 1, f);
    if (ferror(f)) {
        rc = sc_error_set(err, SC_ERR_IO, "file", "cannot read %s", path);
        goto out;
    }
    if (n > cap) {
        rc = sc_error_set(err, SC_ERR_TOO_LARGE, "file",
                          "%s is larger than %zu bytes", path, cap);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    if (f && !is_stdin)
        fclose(f);
    return rc;
}

enum sc_err sc_cli_load_scheme(const char *path, struct sc_scheme *out,
                               struct sc_error *err)
{
    path = sc_cli_opt(path, "STARCERT_SCHEME");
    if (!path)
        return sc_scheme_load_default(out, err);
    char *text = NULL;
    size_t len = 0;
    enum sc_err rc =
        sc_cli_read_file(path, SC_SCHEME_FILE_MAX, &text, &len, err);
    if (rc == SC_OK)
        rc = sc_scheme_parse(text, len, out, err);
    free(text);
    return rc;
}

enum sc_err sc_cli_today(const char *arg, sc_day *out, struct sc_error *err)
{
    arg = sc_cli_opt(arg, "STARCERT_TODAY");
    if (arg)
        return sc_date_parse(arg, "today", out, err);
    time_t now = time(NULL);
    if (now == (time_t)-1)
        return sc_error_set(err, SC_ERR_IO, "today",
                            "the clock is unavailable");
    /* Asia/Shanghai is UTC+8 all year. */
    long long local = (long long)now + 8 * 3600;
    long long days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
    *out = (sc_day)days;
    return SC_OK;
}

enum sc_err sc_cli_parse_int(const char *text, const char *field, long long min,
                             long long max, long long *out,
                             struct sc_error *err)
{
    const char *p = text;
    if (*p == '-')
        p++;
    bool ok = *p != '\0';
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            ok = false;
    long long v = 0;
    if (ok) {
        errno = 0;
        char *end = NULL;
        v = strtoll(text, &end, 10);
        ok = errno == 0 && end && *end == '\0';
    }
    if (!ok)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "\"%.40s\" is not a whole number", text);
    if (v < min || v > max)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "%lld is out of range %lld..%lld", v, min, max);
    *out = v;
    return SC_OK;
}

bool sc_cli_base_opt(int c, const char *arg, struct sc_cli_base *b)
{
    switch (c) {
    case 'd':
        b->db = arg;
        return true;
    case 'a':
        b->as = arg;
        return true;
    case 't':
        b->today = arg;
        return true;
    default:
        return false;
    }
}

enum sc_err sc_cli_clock(const char *today_arg, struct sc_clock *out,
                         struct sc_error *err)
{
    enum sc_err rc = sc_cli_today(today_arg, &out->today, err);
    if (rc != SC_OK)
        return rc;
    time_t now = time(NULL);
    struct tm tm;
    if (now == (time_t)-1 || !gmtime_r(&now, &tm) ||
        strftime(out->now, sizeof out->now, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return sc_error_set(err, SC_ERR_IO, NULL, "the clock is unavailable");
    return SC_OK;
}

enum sc_err sc_cli_open_store(const char *db, bool create,
                              struct sc_store **out, struct sc_error *err)
{
    db = sc_cli_opt(db, "STARCERT_DB");
    if (!db)
        return sc_error_set(err, SC_ERR_USAGE, "db",
                            "--db PATH (or STARCERT_DB) is required");
    return sc_store_open(db, create, out, err);
}

enum sc_err sc_cli_actor(struct sc_store *st, const char *login,
                         struct sc_actor *out, struct sc_error *err)
{
    return sc_store_actor_get(st, sc_cli_opt(login, "STARCERT_AS"), out, err);
}

enum sc_err sc_cli_context(const char *db, const char *as, const char *today,
                           struct sc_store **st, struct sc_clock *clk,
                           struct sc_actor *actor, struct sc_error *err)
{
    enum sc_err rc = sc_cli_clock(today, clk, err);
    if (rc == SC_OK)
        rc = sc_cli_open_store(db, false, st, err);
    if (rc == SC_OK)
        rc = sc_cli_actor(*st, as, actor, err);
    return rc;
}

int sc_cli_finish(const struct sc_cli_cmd *self, struct sc_store *st,
                  enum sc_err rc, const struct sc_error *err, json_t *out)
{
    int code = rc == SC_OK ? sc_cli_print(self, out) : sc_cli_fail(self, err);
    if (rc != SC_OK)
        json_decref(out);
    sc_store_close(st);
    return code;
}

int sc_cli_dispatch(const struct sc_cli_cmd *self,
                    const struct sc_cli_sub *subs, size_t n, int argc,
                    char **argv)
{
    char names[256];
    size_t used = 0;
    names[0] = '\0';
    for (size_t i = 0; i < n && used < sizeof names; i++) {
        int w = snprintf(names + used, sizeof names - used, "%s%s",
                         i ? ", " : "", subs[i].name);
        if (w > 0)
            used += (size_t)w;
    }
    if (argc < 2)
        return sc_cli_usage_error(self, "a subcommand is required: %s", names);
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return sc_cli_help(self);
    for (size_t i = 0; i < n; i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(self, argc - 1, argv + 1);
    return sc_cli_usage_error(self, "unknown subcommand \"%s\": use %s",
                              argv[1], names);
}
