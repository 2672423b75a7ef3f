/*
 * cmd_tick: `starcert tick`, the daily clock. Applies every time-driven
 * transition due by a day to every certificate (store_tick.h) and prints
 * the counts. Not for: any rule (src/core/timeline dates every step) or
 * committee decisions.
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "store/store_tick.h"

static const char usage[] =
    "usage: starcert tick --db PATH [--today DATE] [--batch N]\n"
    "\n"
    "Applies every time-based transition due on or before DATE to every\n"
    "certificate: suspension when a surveillance window closed without an\n"
    "audit carried out in it (dated the day after the close; a started\n"
    "audit awaiting the committee counts), withdrawal when a suspension\n"
    "was not restored within the scheme's months (dated suspension + those\n"
    "months), expiry (dated expiry + 1), and the opening of the\n"
    "recertification period. Dates come from the rules, not from the day\n"
    "tick runs: skipping days lands every certificate where `starcert\n"
    "schedule` puts it. Each change is written with its status-change row\n"
    "and its event; N certificates per transaction (default 10000).\n"
    "Idempotent: a second run on the same day prints zeros. A progress bar\n"
    "is drawn on stderr when stderr is a terminal.\n"
    "\n"
    "  --db PATH      database (env STARCERT_DB)\n"
    "  --today DATE   the day (env STARCERT_TODAY; default: today in\n"
    "                 Asia/Shanghai)\n"
    "  --batch N      certificates per transaction, 1..1000000\n"
    "  -h, --help     this text\n"
    "\n"
    "Output: {\"today\", \"suspended\", \"withdrawn\", \"expired\",\n"
    "\"recertification_opened\"}: transitions written (a certificate\n"
    "suspended and withdrawn in one run counts in both).\n";

static void progress(void *ctx, int64_t done, int64_t total)
{
    (void)ctx;
    int width = 40;
    int64_t filled = total > 0 ? done * width / total : width;
    fprintf(stderr, "\rtick [");
    for (int i = 0; i < width; i++)
        fputc(i < filled ? '#' : '.', stderr);
    fprintf(stderr, "] %lld/%lld", (long long)done, (long long)total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int run(const struct sc_cli_cmd *self, int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"today", required_argument, NULL, 't'},
        {"batch", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *today = NULL, *batch_arg = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 't': today = optarg; break;
        case 'b': batch_arg = optarg; break;
        case 'h': return sc_cli_help(self);
        default: return sc_cli_usage_error(self, "unknown option");
        }
    }
    if (optind != argc)
        return sc_cli_usage_error(self, "unexpected argument \"%s\"",
                                  argv[optind]);
    if (!sc_cli_opt(db, "STARCERT_DB"))
        return sc_cli_usage_error(self, "--db PATH is required");

    struct sc_error err;
    struct sc_clock clk;
    struct sc_store *st = NULL;
    struct sc_tick_counts counts;
    long long batch = SC_TICK_BATCH_DEFAULT;
    int exit_code;
    sc_error_clear(&err);
    enum sc_err rc = SC_OK;
    if (batch_arg)
        rc = sc_cli_parse_int(batch_arg, "batch", 1, SC_TICK_BATCH_MAX, &batch,
                              &err);
    if (rc == SC_OK)
        rc = sc_cli_clock(today, &clk, &err);
    if (rc == SC_OK)
        rc = sc_cli_open_store(db, false, &st, &err);
    if (rc == SC_OK)
        rc = sc_store_tick(st, &clk, (size_t)batch,
                           isatty(STDERR_FILENO) ? progress : NULL, NULL,
                           &counts, &err);
    if (rc == SC_OK)
        exit_code = sc_cli_print(
            self, json_pack("{s:o, s:I, s:I, s:I, s:I}", "today",
                            sc_cli_date(counts.today), "suspended",
                            (json_int_t)counts.suspended, "withdrawn",
                            (json_int_t)counts.withdrawn, "expired",
                            (json_int_t)counts.expired,
                            "recertification_opened",
                            (json_int_t)counts.recertification_opened));
    else
        exit_code = sc_cli_fail(self, &err);
    sc_store_close(st);
    return exit_code;
}

const struct sc_cli_cmd sc_cmd_tick = {
    "tick", "apply every time-based transition due by a day (idempotent)",
    usage, run};
