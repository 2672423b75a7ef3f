/*
 * cmd_schedule: `starcert schedule`, a certificate's timeline (domain.md
 * section 4) from its issue date and the surveillance audits done so far:
 * expiry, each surveillance window (completed ones and the next pending
 * one), the recertification period and the state on a given day, as JSON.
 * Not for: any rule (src/core/timeline does them) or stored certificates
 * (this works from the dates given on the command line only).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "core/timeline.h"

static const char usage[] =
    "usage: starcert schedule [--scheme FILE] --issued DATE [--audit DATE]...\n"
    "                         [--today DATE]\n"
    "\n"
    "Prints a certificate's timeline as JSON: expiry, the surveillance\n"
    "windows (one per audit done, plus the next pending one), the\n"
    "recertification period and the state on DATE:\n"
    "  {\"issued\", \"expires\",\n"
    "   \"surveillance\": [{\"n\", \"anchor\", \"opens\", \"nominal_from\",\n"
    "                     \"nominal_to\", \"closes\", \"done\"}],\n"
    "   \"recertification\": {\"opens\", \"closes\", \"late_until\"},\n"
    "   \"status\": {\"state\", \"since\", \"reason\"}}\n"
    "Dates are YYYY-MM-DD. \"done\" is the audit's date, or null for the\n"
    "pending window; \"reason\" is null while the certificate is active.\n"
    "\n"
    "options:\n"
    "  --issued DATE   the certificate's issue date (required)\n"
    "  --audit DATE    last on-site day of a surveillance audit; repeat it,\n"
    "                  oldest first, one per window\n"
    "  --today DATE    the day to report the state on (env STARCERT_TODAY;\n"
    "                  default: today in Asia/Shanghai)\n"
    "  --scheme FILE   scheme file (env STARCERT_SCHEME; default: the\n"
    "                  bundled GB/T 27922-2011 scheme)\n"
    "  -h, --help      this text\n"
    "\n"
    "Exit codes: 0 ok; 1 refused (bad date, an audit outside its window or\n"
    "one too many, today before the issue date: a JSON error naming the\n"
    "field, e.g. \"audit[1]\"); 2 usage.\n";

static json_t *window_json(const struct sc_timeline_entry *e)
{
    const struct sc_timeline_window *w = &e->window;
    return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o}", "n", w->n, "anchor",
                     sc_cli_date(w->anchor), "opens", sc_cli_date(w->opens),
                     "nominal_from", sc_cli_date(w->nominal_from), "nominal_to",
                     sc_cli_date(w->nominal_to), "closes",
                     sc_cli_date(w->closes), "done",
                     e->done ? sc_cli_date(e->audit) : json_null());
}

static json_t *timeline_json(const struct sc_timeline *tl)
{
    json_t *list = json_array();
    if (!list)
        return NULL;
    for (int i = 0; i < tl->n_entries; i++) {
        if (json_array_append_new(list, window_json(&tl->entries[i])) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    const struct sc_timeline_status *st = &tl->status;
    json_t *reason = st->reason == SC_TL_REASON_NONE
                         ? json_null()
                         : json_string(sc_timeline_reason_name(st->reason));
    return json_pack("{s:o, s:o, s:o, s:{s:o, s:o, s:o}, s:{s:s, s:o, s:o}}",
                     "issued", sc_cli_date(tl->cycle.start), "expires",
                     sc_cli_date(tl->cycle.expires), "surveillance", list,
                     "recertification", "opens", sc_cli_date(tl->recert.opens),
                     "closes", sc_cli_date(tl->recert.closes), "late_until",
                     sc_cli_date(tl->recert.late_until), "status", "state",
                     sc_timeline_state_name(st->state), "since",
                     sc_cli_date(st->since), "reason", reason);
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    enum { OPT_SCHEME = 256, OPT_ISSUED, OPT_AUDIT, OPT_TODAY };
    static const struct option opts[] = {
        {"scheme", required_argument, NULL, OPT_SCHEME},
        {"issued", required_argument, NULL, OPT_ISSUED},
        {"audit", required_argument, NULL, OPT_AUDIT},
        {"today", required_argument, NULL, OPT_TODAY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *scheme_path = NULL, *issued_text = NULL, *today_text = NULL;
    /* one slot more than the core accepts, so "too many" is its refusal */
    const char *audit_text[SC_TIMELINE_MAX_WINDOWS];
    size_t n_audits = 0;
    bool too_many = false;

    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            return sc_cli_help(self);
        case OPT_SCHEME:
            scheme_path = optarg;
            break;
        case OPT_ISSUED:
            issued_text = optarg;
            break;
        case OPT_TODAY:
            today_text = optarg;
            break;
        case OPT_AUDIT:
            if (n_audits < SC_TIMELINE_MAX_WINDOWS)
                audit_text[n_audits++] = optarg;
            else
                too_many = true;
            break;
        case ':':
            return sc_cli_usage_error(self, "option \"%s\" needs a value",
                                      argv[optind - 1]);
        default:
            return sc_cli_usage_error(self, "unknown option \"%s\"",
                                      argv[optind - 1]);
        }
    }
    if (optind < argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!issued_text)
        return sc_cli_usage_error(self, "--issued DATE is required");

    struct sc_error err;
    sc_error_clear(&err);
    struct sc_scheme scheme;
    if (sc_cli_load_scheme(scheme_path, &scheme, &err) != SC_OK)
        return sc_cli_fail(self, &err);
    sc_day issued = 0, today = 0;
    if (sc_date_parse(issued_text, "issued", &issued, &err) != SC_OK)
        return sc_cli_fail(self, &err);
    sc_day audits[SC_TIMELINE_MAX_WINDOWS];
    for (size_t i = 0; i < n_audits; i++) {
        char field[32];
        snprintf(field, sizeof field, "audit[%zu]", i);
        if (sc_date_parse(audit_text[i], field, &audits[i], &err) != SC_OK)
            return sc_cli_fail(self, &err);
    }
    if (too_many) {
        sc_error_set(&err, SC_ERR_INVALID, "audit",
                     "at most %d audits per cycle",
                     SC_TIMELINE_MAX_WINDOWS - 1);
        return sc_cli_fail(self, &err);
    }
    if (sc_cli_today(today_text, &today, &err) != SC_OK)
        return sc_cli_fail(self, &err);

    struct sc_timeline tl;
    if (sc_timeline_compute(&scheme, issued, audits, n_audits, today, &tl,
                            &err) != SC_OK)
        return sc_cli_fail(self, &err);
    return sc_cli_print(self, timeline_json(&tl));
}

const struct sc_cli_cmd sc_cmd_schedule = {
    "schedule",
    "a certificate's timeline: surveillance windows, expiry, state (§4)",
    usage,
    run,
};
