/*
 * store_import: the CSV import of certificates (see store_import.h and
 * docs/import.md). Four parts: a streaming RFC 4180 reader with caps, the
 * row checks (every rule asked of src/core), the reading thread that runs
 * both and hands checked batches over, and the writes (with the checks
 * that ask the database), all in one transaction with one event.
 *
 * Two threads: the reading thread reads, checks and prepares rows (no
 * database access at all); the calling thread, which owns the connection
 * and its transaction, takes the batches in file order, asks the database
 * (number unused, code and name agree) and writes. Rows are taken in file
 * order and every refusal is decided exactly as with one thread, so the
 * report and the errors do not depend on the threads' timing. Between the
 * two at most READ_BATCHES batches of READ_ROWS rows and READ_TEXT bytes.
 */
#include "store/store_import.h"

#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/certno.h"
#include "core/date.h"
#include "core/policy.h"
#include "core/timeline.h"
#include "core/uscc.h"
#include "store/actor.h"
#include "store/db.h"
#include "store/import_queue.h"
#include "store/store.h"
#include "store/store_tick.h"
#include <pthread.h>

/* ---- the CSV reader --------------------------------------------------- */

struct csv {
    FILE *f;
    unsigned char buf[64 * 1024];
    size_t pos, len;
    bool eof, io_error;
    crypto_hash_sha256_state hash;
    long line; /* physical line the reader is on, 1-based */
    char *rec; /* the record's fields, each NUL-terminated */
    size_t rec_len;
    size_t off[SC_IMPORT_FIELDS_MAX];
    size_t n;
    bool has_nul; /* a field holds a NUL byte */
};

static int csv_getc(struct csv *c)
{
    if (c->pos == c->len) {
        if (c->eof)
            return EOF;
        c->len = fread(c->buf, 1, sizeof c->buf, c->f);
        c->pos = 0;
        if (c->len < sizeof c->buf) {
            c->eof = true;
            c->io_error = ferror(c->f) != 0;
        }
        if (c->len == 0)
            return EOF;
        crypto_hash_sha256_update(&c->hash, c->buf, c->len);
    }
    return c->buf[c->pos++];
}

static enum sc_err malformed(struct sc_error *err, long line, const char *msg)
{
    char field[32];
    snprintf(field, sizeof field, "line %ld", line);
    return sc_error_set(err, SC_ERR_MALFORMED, field, "line %ld: %s", line,
                        msg);
}

static enum sc_err put(struct csv *c, int ch, long start,
                       struct sc_error *err)
{
    if (c->rec_len >= SC_IMPORT_RECORD_MAX)
        return sc_error_set(err, SC_ERR_MALFORMED, "line",
                            "line %ld: a record is limited to %d bytes",
                            start, SC_IMPORT_RECORD_MAX);
    if (ch == 0)
        c->has_nul = true;
    c->rec[c->rec_len++] = (char)ch;
    return SC_OK;
}

/* Reads the next record; *got is false at the end of the file. *start is
 * the line the record begins on. */
static enum sc_err csv_record(struct csv *c, bool *got, long *start,
                              struct sc_error *err)
{
    enum sc_err rc = SC_OK;
    int ch = csv_getc(c);
    c->rec_len = 0;
    c->n = 0;
    c->has_nul = false;
    *start = c->line;
    *got = ch != EOF;
    if (ch == EOF)
        return c->io_error ? sc_error_set(err, SC_ERR_IO, "file",
                                          "the file could not be read")
                           : SC_OK;
    for (;;) {
        if (c->n == SC_IMPORT_FIELDS_MAX)
            return malformed(err, *start, "too many fields");
        c->off[c->n] = c->rec_len;
        if (ch == '"') {
            for (;;) {
                ch = csv_getc(c);
                if (ch == EOF)
                    return malformed(err, *start,
                                     "a quoted field is not closed");
                if (ch == '"') {
                    ch = csv_getc(c);
                    if (ch != '"')
                        break;
                } else if (ch == '\n') {
                    c->line++;
                }
                if ((rc = put(c, ch, *start, err)) != SC_OK)
                    return rc;
            }
            if (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF)
                return malformed(err, c->line,
                                 "a closing quote must end the field");
        } else {
            while (ch != ',' && ch != '\n' && ch != '\r' && ch != EOF) {
                if (ch == '"')
                    return malformed(err, c->line,
                                     "a quote inside an unquoted field "
                                     "(quote the whole field and double the "
                                     "quote)");
                if ((rc = put(c, ch, *start, err)) != SC_OK)
                    return rc;
                ch = csv_getc(c);
            }
        }
        bool nul = c->has_nul;
        if ((rc = put(c, '\0', *start, err)) != SC_OK)
            return rc;
        c->has_nul = nul; /* the terminator is not a NUL of the data */
        c->n++;
        if (ch == ',') {
            ch = csv_getc(c);
            continue;
        }
        if (ch == '\r') {
            if (csv_getc(c) != '\n')
                return malformed(err, c->line,
                                 "a carriage return not followed by a line "
                                 "feed");
            ch = '\n';
        }
        if (ch == '\n')
            c->line++;
        break;
    }
    if (c->io_error)
        return sc_error_set(err, SC_ERR_IO, "file", "the file could not be read");
    return SC_OK;
}

static const char *field(const struct csv *c, int idx)
{
    return idx >= 0 && (size_t)idx < c->n ? c->rec + c->off[idx] : "";
}

/* ---- columns ---------------------------------------------------------- */

enum col {
    COL_NUMBER,
    COL_ORGANISATION,
    COL_USCC,
    COL_ADDRESS,
    COL_EMPLOYEES,
    COL_LEVEL,
    COL_SCORE,
    COL_STATUS,
    COL_STATUS_SINCE,
    COL_INITIAL_ISSUED,
    COL_CYCLE_START,
    COL_ISSUED,
    COL_EXPIRES,
    COL_LAST_SURVEILLANCE,
    COL_SURVEILLANCE_COUNT,
    COL_SCOPE,
    COL_OUTLETS,
    COL_CONFIDENTIAL,
    COL_REVISION,  /* optional column */
    COL_SIGNATORY, /* optional column */
    COL_COUNT_
};

static const char *const col_names[COL_COUNT_] = {
    "number",          "organisation",      "uscc",
    "address",         "employees",         "level",
    "score",           "status",            "status_since",
    "initial_issued",  "cycle_start",       "issued",
    "expires",         "last_surveillance", "surveillance_count",
    "scope",           "outlets",           "confidential",
    "revision",        "signatory"};

#define FIRST_OPTIONAL COL_REVISION

static enum sc_err read_header(struct csv *c, int map[COL_COUNT_],
                               struct sc_error *err)
{
    bool got = false;
    long start = 0;
    enum sc_err rc = csv_record(c, &got, &start, err);
    if (rc != SC_OK)
        return rc;
    if (!got)
        return malformed(err, 1, "the file is empty: a header line naming "
                                 "the columns is required");
    for (int k = 0; k < COL_COUNT_; k++)
        map[k] = -1;
    for (size_t i = 0; i < c->n; i++) {
        const char *name = field(c, (int)i);
        int k = 0;
        while (k < COL_COUNT_ && strcmp(col_names[k], name) != 0)
            k++;
        if (k == COL_COUNT_) {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown column \"%.64s\" in the header",
                     name);
            return malformed(err, start, msg);
        }
        if (map[k] >= 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "column \"%s\" appears twice", name);
            return malformed(err, start, msg);
        }
        map[k] = (int)i;
    }
    for (int k = 0; k < FIRST_OPTIONAL; k++)
        if (map[k] < 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "the header lacks column \"%s\"",
                     col_names[k]);
            return malformed(err, start, msg);
        }
    return SC_OK;
}

/* ---- row checks ------------------------------------------------------- */

struct row {
    const char *number, *organisation, *uscc, *address, *level, *scope,
        *outlets, *signatory;
    int64_t employees;
    int score_tenths;
    int revision;
    enum sc_workflow_cert_state state;
    sc_day status_since, initial_issued, cycle_start, issued, expires, anchor;
    int surveillance_n;
    bool confidential;
};

static enum sc_err bad(struct sc_error *err, enum sc_err code, enum col k,
                       long line, const char *fmt, const char *a,
                       const char *b)
{
    char msg[SC_ERROR_MESSAGE_MAX];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
    return sc_error_set(err, code, col_names[k], "line %ld: %s", line, msg);
}

/* Valid UTF-8 (strict) without control characters; *chars = characters. */
static bool utf8_text(const char *s, bool lines, size_t *chars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    while (*p) {
        unsigned char c = *p;
        uint32_t v;
        size_t len;
        if (c < 0x80) {
            if ((c < 0x20 && !(lines && c == '\n')) || c == 0x7F)
                return false;
            p++;
            n++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            len = 2, v = c & 0x1Fu;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3, v = c & 0x0Fu;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4, v = c & 0x07u;
        else
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((p[k] & 0xC0) != 0x80)
                return false;
            v = (v << 6) | (p[k] & 0x3Fu);
        }
        if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
            v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ||
            (v >= 0x80 && v <= 0x9F))
            return false;
        p += len;
        n++;
    }
    *chars = n;
    return true;
}

static enum sc_err check_text(const char *s, enum col k, long line,
                              size_t min_bytes, size_t max_chars,
                              struct sc_error *err)
{
    size_t chars = 0;
    /* scope and outlets may run over several lines (LF only) */
    if (!utf8_text(s, k == COL_SCOPE || k == COL_OUTLETS, &chars))
        return bad(err, SC_ERR_INVALID, k, line,
                   "not valid UTF-8 text (or it holds a control character)",
                   NULL, NULL);
    if (strlen(s) < min_bytes)
        return bad(err, SC_ERR_INVALID, k, line, "required", NULL, NULL);
    if (chars > max_chars) {
        char m[32];
        snprintf(m, sizeof m, "%zu", max_chars);
        return bad(err, SC_ERR_INVALID, k, line,
                   "longer than %s characters", m, NULL);
    }
    return SC_OK;
}

static enum sc_err check_int(const char *s, enum col k, long line,
                             int64_t min, int64_t max, int64_t *out,
                             struct sc_error *err)
{
    int64_t v = 0;
    size_t i = 0;
    char range[64];
    snprintf(range, sizeof range, "%lld..%lld", (long long)min,
             (long long)max);
    if (!s[0])
        return bad(err, SC_ERR_INVALID, k, line, "required", NULL, NULL);
    for (; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 12)
            return bad(err, SC_ERR_INVALID, k, line,
                       "\"%.40s\" is not a whole number in %s", s, range);
        v = v * 10 + (s[i] - '0');
    }
    if (v < min || v > max)
        return bad(err, SC_ERR_INVALID, k, line, "%.40s is out of range %s",
                   s, range);
    *out = v;
    return SC_OK;
}

static enum sc_err check_date(const char *s, enum col k, long line,
                              sc_day *out, struct sc_error *err)
{
    if (!s[0])
        return bad(err, SC_ERR_INVALID, k, line, "required (YYYY-MM-DD)",
                   NULL, NULL);
    if (sc_date_parse(s, NULL, out, NULL) != SC_OK)
        return bad(err, SC_ERR_INVALID, k, line,
                   "\"%.40s\" is not a date YYYY-MM-DD", s, NULL);
    return SC_OK;
}

/* "a" (k) must not be after "b" (k2) */
static enum sc_err order(sc_day a, enum col k, sc_day b, enum col k2,
                         long line, struct sc_error *err)
{
    if (a <= b)
        return SC_OK;
    char da[SC_DATE_BUF], db[SC_DATE_BUF], m[96];
    sc_date_format(a, da);
    sc_date_format(b, db);
    snprintf(m, sizeof m, "%s is after %s %s", da, col_names[k2], db);
    return bad(err, SC_ERR_INVALID, k, line, "%s", m, NULL);
}

static enum sc_err check_score(const char *s, long line, int *tenths,
                               struct sc_error *err)
{
    size_t n = strlen(s), dot = 0;
    int v = 0;
    while (dot < n && s[dot] != '.')
        dot++;
    bool ok = dot >= 1 && dot <= 3 && n == dot + 2 && s[dot + 1] >= '0' &&
              s[dot + 1] <= '9';
    for (size_t i = 0; ok && i < dot; i++) {
        ok = s[i] >= '0' && s[i] <= '9';
        v = v * 10 + (s[i] - '0');
    }
    if (!ok)
        return bad(err, SC_ERR_INVALID, COL_SCORE, line,
                   "\"%.40s\" is not a score with one decimal (e.g. 92.5)", s,
                   NULL);
    v = v * 10 + (s[dot + 1] - '0');
    if (v > 1000)
        return bad(err, SC_ERR_INVALID, COL_SCORE, line,
                   "%.40s is above 100.0", s, NULL);
    *tenths = v;
    return SC_OK;
}

static enum sc_err check_status(const char *s, long line,
                                enum sc_workflow_cert_state *out,
                                struct sc_error *err)
{
    static const struct {
        const char *zh;
        enum sc_workflow_cert_state state;
    } zh[] = {{"有效", SC_CERT_STATE_ACTIVE},
              {"暂停", SC_CERT_STATE_SUSPENDED},
              {"撤销", SC_CERT_STATE_WITHDRAWN},
              {"注销", SC_CERT_STATE_CANCELLED},
              {"过期", SC_CERT_STATE_EXPIRED}};
    for (size_t i = 0; i < sizeof zh / sizeof zh[0]; i++)
        if (strcmp(s, zh[i].zh) == 0) {
            *out = zh[i].state;
            return SC_OK;
        }
    if (sc_workflow_cert_state_parse(s, NULL, out, NULL) == SC_OK)
        return SC_OK;
    return bad(err, SC_ERR_INVALID, COL_STATUS, line,
               "\"%.40s\" is not a status (active, suspended, withdrawn, "
               "cancelled, expired, or 有效 暂停 撤销 注销 过期)",
               s, NULL);
}

/* The expiry must be the one the timeline gives the cycle start, or, for
 * a cycle restored late (domain.md 4: the cycle starts on the decision and
 * expires where continuity would have put it), the one of a continuity
 * date D with D < cycle_start <= the previous cycle's late limit (and an
 * earlier cycle: initial_issued < D). */
static enum sc_err check_expiry(const struct sc_scheme *s, const struct row *r,
                                long line, struct sc_error *err)
{
    sc_day want = 0;
    char a[SC_DATE_BUF], b[SC_DATE_BUF], m[200];
    if (sc_timeline_expiry(s, r->cycle_start, &want, NULL) != SC_OK)
        return bad(err, SC_ERR_INVALID, COL_CYCLE_START, line,
                   "the cycle's dates would leave the calendar", NULL, NULL);
    if (want == r->expires)
        return SC_OK;
    sc_day guess = sc_date_add_months(r->expires + 1, -s->validity_months);
    for (sc_day d = guess - 3; d <= guess + 3; d++) {
        sc_day e = 0;
        struct sc_timeline_recert prev;
        if (d >= r->cycle_start || d <= r->initial_issued ||
            sc_timeline_expiry(s, d, &e, NULL) != SC_OK || e != r->expires ||
            sc_timeline_recertification(s, d - 1, &prev, NULL) != SC_OK)
            continue;
        if (r->cycle_start <= prev.late_until)
            return SC_OK;
    }
    sc_date_format(r->cycle_start, a);
    sc_date_format(want, b);
    snprintf(m, sizeof m,
             "a cycle starting on %s expires on %s (or, for a cycle restored "
             "late, on the continuity date's expiry)",
             a, b);
    return bad(err, SC_ERR_INVALID, COL_EXPIRES, line, "%s", m, NULL);
}

static enum sc_err check_row(const struct csv *c, const int map[COL_COUNT_],
                             const struct sc_scheme *s, sc_day today,
                             long line, struct row *r, struct sc_error *err)
{
    enum sc_err rc;
    int64_t v = 0;
    int nmap = 0;
    for (int k = 0; k < COL_COUNT_; k++)
        nmap += map[k] >= 0;
    memset(r, 0, sizeof *r);
    if (c->n != (size_t)nmap) {
        char got[24], want[24];
        snprintf(got, sizeof got, "%zu", c->n);
        snprintf(want, sizeof want, "%d", nmap);
        return sc_error_set(err, SC_ERR_INVALID, "line",
                            "line %ld: %s fields, the header has %s", line,
                            got, want);
    }
    if (c->has_nul)
        return sc_error_set(err, SC_ERR_INVALID, "line",
                            "line %ld: a field holds a NUL byte", line);
#define F(k) field(c, map[k])
    r->number = F(COL_NUMBER);
    size_t nl = strlen(r->number);
    bool printable = nl >= 1 && nl < SC_CERTNO_MAX;
    for (size_t i = 0; printable && i < nl; i++)
        printable = r->number[i] > 0x20 && r->number[i] < 0x7F;
    if (!printable)
        return bad(err, SC_ERR_INVALID, COL_NUMBER, line,
                   "a number is 1..63 printable ASCII characters without "
                   "spaces",
                   NULL, NULL);
    r->organisation = F(COL_ORGANISATION);
    if ((rc = check_text(r->organisation, COL_ORGANISATION, line, 1,
                         SC_IMPORT_NAME_CHARS, err)))
        return rc;
    r->uscc = F(COL_USCC);
    struct sc_error ue;
    if (sc_uscc_check(r->uscc, &ue) != SC_OK)
        return bad(err, SC_ERR_INVALID, COL_USCC, line, "%s", ue.message,
                   NULL);
    r->address = F(COL_ADDRESS);
    if ((rc = check_text(r->address, COL_ADDRESS, line, 1, 500, err)))
        return rc;
    if ((rc = check_int(F(COL_EMPLOYEES), COL_EMPLOYEES, line, 1, 10000000,
                        &r->employees, err)))
        return rc;
    r->level = F(COL_LEVEL);
    int li = sc_scheme_level_index(s, r->level);
    if (li < 0 || !s->levels[li].certified)
        return bad(err, SC_ERR_INVALID, COL_LEVEL, line,
                   "\"%.40s\" is not a certified level of the scheme", r->level,
                   NULL);
    if ((rc = check_score(F(COL_SCORE), line, &r->score_tenths, err)))
        return rc;
    if (r->score_tenths < s->levels[li].min_tenths) {
        char m[64];
        snprintf(m, sizeof m, "%d.%d", s->levels[li].min_tenths / 10,
                 s->levels[li].min_tenths % 10);
        return bad(err, SC_ERR_INVALID, COL_SCORE, line,
                   "below the level's threshold %s", m, NULL);
    }
    if ((rc = check_status(F(COL_STATUS), line, &r->state, err)))
        return rc;
    if ((rc = check_date(F(COL_INITIAL_ISSUED), COL_INITIAL_ISSUED, line,
                         &r->initial_issued, err)) ||
        (rc = check_date(F(COL_CYCLE_START), COL_CYCLE_START, line,
                         &r->cycle_start, err)) ||
        (rc = check_date(F(COL_ISSUED), COL_ISSUED, line, &r->issued, err)) ||
        (rc = check_date(F(COL_EXPIRES), COL_EXPIRES, line, &r->expires,
                         err)))
        return rc;
    if ((rc = order(r->initial_issued, COL_INITIAL_ISSUED, r->cycle_start,
                    COL_CYCLE_START, line, err)) ||
        (rc = order(r->cycle_start, COL_CYCLE_START, r->issued, COL_ISSUED,
                    line, err)) ||
        (rc = order(r->issued, COL_ISSUED, r->expires, COL_EXPIRES, line,
                    err)))
        return rc;
    if (r->issued > today) {
        char t[SC_DATE_BUF];
        sc_date_format(today, t);
        return bad(err, SC_ERR_INVALID, COL_ISSUED, line,
                   "in the future (today is %s)", t, NULL);
    }
    if ((rc = check_expiry(s, r, line, err)))
        return rc;
    if ((rc = check_int(F(COL_SURVEILLANCE_COUNT), COL_SURVEILLANCE_COUNT,
                        line, 0, SC_TIMELINE_MAX_WINDOWS - 1, &v, err)))
        return rc;
    r->surveillance_n = (int)v;
    const char *last = F(COL_LAST_SURVEILLANCE);
    r->anchor = r->cycle_start;
    if (r->surveillance_n == 0 && last[0])
        return bad(err, SC_ERR_INVALID, COL_LAST_SURVEILLANCE, line,
                   "given while surveillance_count is 0", NULL, NULL);
    if (r->surveillance_n > 0) {
        if ((rc = check_date(last, COL_LAST_SURVEILLANCE, line, &r->anchor,
                             err)) ||
            (rc = order(r->cycle_start, COL_CYCLE_START, r->anchor,
                        COL_LAST_SURVEILLANCE, line, err)) ||
            (rc = order(r->anchor, COL_LAST_SURVEILLANCE, r->expires,
                        COL_EXPIRES, line, err)))
            return rc;
        if (r->anchor > today)
            return bad(err, SC_ERR_INVALID, COL_LAST_SURVEILLANCE, line,
                       "in the future", NULL, NULL);
    }
    /* the state's first day: required unless active (then the cycle's
     * start) or expired (then expires + 1, the only day the rules allow) */
    const char *since = F(COL_STATUS_SINCE);
    sc_day expired_on = r->expires + 1;
    if (!since[0]) {
        if (r->state == SC_CERT_STATE_ACTIVE)
            r->status_since = r->cycle_start;
        else if (r->state == SC_CERT_STATE_EXPIRED)
            r->status_since = expired_on;
        else
            return bad(err, SC_ERR_INVALID, COL_STATUS_SINCE, line,
                       "required for status %s", F(COL_STATUS), NULL);
    } else if ((rc = check_date(since, COL_STATUS_SINCE, line,
                                &r->status_since, err))) {
        return rc;
    }
    if ((rc = order(r->cycle_start, COL_CYCLE_START, r->status_since,
                    COL_STATUS_SINCE, line, err)))
        return rc;
    if (r->status_since > today)
        return bad(err, SC_ERR_INVALID, COL_STATUS_SINCE, line,
                   "in the future", NULL, NULL);
    if (r->state == SC_CERT_STATE_EXPIRED && r->status_since != expired_on)
        return bad(err, SC_ERR_INVALID, COL_STATUS_SINCE, line,
                   "a certificate expires on the day after its expiry date",
                   NULL, NULL);
    if ((r->state == SC_CERT_STATE_ACTIVE ||
         r->state == SC_CERT_STATE_SUSPENDED) &&
        r->status_since > r->expires)
        return bad(err, SC_ERR_INVALID, COL_STATUS_SINCE, line,
                   "after the expiry date", NULL, NULL);
    if (r->status_since > expired_on)
        return bad(err, SC_ERR_INVALID, COL_STATUS_SINCE, line,
                   "after the certificate expired", NULL, NULL);
    r->scope = F(COL_SCOPE);
    if ((rc = check_text(r->scope, COL_SCOPE, line, 1, 2000, err)))
        return rc;
    r->outlets = F(COL_OUTLETS);
    if ((rc = check_text(r->outlets, COL_OUTLETS, line, 0, 2000, err)))
        return rc;
    const char *conf = F(COL_CONFIDENTIAL);
    if (strcmp(conf, "0") != 0 && strcmp(conf, "1") != 0)
        return bad(err, SC_ERR_INVALID, COL_CONFIDENTIAL, line,
                   "must be 0 or 1", NULL, NULL);
    r->confidential = conf[0] == '1';
    r->revision = 1;
    if (map[COL_REVISION] >= 0 && F(COL_REVISION)[0]) {
        if ((rc = check_int(F(COL_REVISION), COL_REVISION, line, 1, 1000, &v,
                            err)))
            return rc;
        r->revision = (int)v;
    }
    r->signatory = F(COL_SIGNATORY);
    if ((rc = check_text(r->signatory, COL_SIGNATORY, line, 0, 100, err)))
        return rc;
#undef F
    return SC_OK;
}

/* ---- writes ----------------------------------------------------------- */

static const char SQL_NUMBER_ID[] =
    "SELECT id FROM certificates WHERE number = ?1";
static const char SQL_MAX_CERT[] =
    "SELECT COALESCE(MAX(id), 0) FROM certificates";
static const char SQL_MAX_ORG[] =
    "SELECT COALESCE(MAX(id), 0) FROM organisations";
static const char SQL_ORG_BY_USCC[] =
    "SELECT id, name FROM organisations WHERE uscc = ?1";
/* FTS5 flushes its in-memory index at every statement savepoint, so one
 * insert per organisation inside a long transaction writes a segment per
 * row: the entries are gathered (grams in a temporary table) and indexed by
 * one statement per index at the end. */
static const char SQL_GRAMS_TEMP[] =
    "CREATE TEMP TABLE IF NOT EXISTS import_grams "
    "(id INTEGER PRIMARY KEY, grams TEXT NOT NULL)";
static const char SQL_TRIGRAM_BULK[] =
    "INSERT INTO org_name_trigram (rowid, name) "
    "SELECT id, name FROM organisations WHERE id >= ?1";
static const char SQL_GRAMS_BULK[] =
    "INSERT INTO org_name_grams (rowid, grams) "
    "SELECT id, grams FROM temp.import_grams";
/* Every new certificate's first revision holds the certificate's own
 * values: written by one statement at the end, read back from the rows
 * just written (cheaper than binding them all again), in id order. */
static const char SQL_REV_BULK[] =
    "INSERT INTO certificate_revisions (certificate_id, revision, level, "
    "score_tenths, scope, issued, expires, decision_id) "
    "SELECT id, revision, level, score_tenths, scope, issued, expires, NULL "
    "FROM certificates WHERE id > ?1 ORDER BY id";
static const char SQL_GRAMS_DROP[] = "DROP TABLE temp.import_grams";
/* Bulk mode (SQLite): the organisation insert trigger (its search index
 * entries are written by one statement per index at the end instead) and
 * two certificate indexes the import does not read are dropped inside the
 * transaction and created again from their stored definitions before the
 * commit: building an index once is several times cheaper than a million
 * random insertions. A rollback restores them with everything else. */
static const char SQL_SCHEMA_SQL[] =
    "SELECT sql FROM sqlite_master WHERE name = ?1";
static const char *const DEFERRED_NAMES[] = {
    "organisations_search_insert", "certificates_state",
    "certificates_next_due"};
#define N_DEFERRED 3
static const char SQL_DEFER_DROP[] =
    "DROP TRIGGER organisations_search_insert;"
    "DROP INDEX certificates_state;"
    "DROP INDEX certificates_next_due;";
static const char SQL_SEQUENCE[] =
    "INSERT INTO certificate_sequences (year, next_seq) VALUES (?1, ?2) "
    "ON CONFLICT (year) DO UPDATE SET next_seq = CASE WHEN "
    "excluded.next_seq > certificate_sequences.next_seq THEN "
    "excluded.next_seq ELSE certificate_sequences.next_seq END";

#define GRAM_POSITIONS 300 /* as the gram_positions table of 0002 */

/* Rows are written in batches of IMPORT_BATCH by multi-row INSERT ...
 * VALUES statements (one statement keeps its b-tree cursors for the whole
 * batch instead of opening them per row; about half the cost per row). The
 * statements' text is built once per process from the one-row column lists
 * below (?N numbered per row) and kept in static storage, as the statement
 * cache (db.h) requires; a shorter tail goes through the one-row
 * statements. 128 rows: 32 → 128 took 0.4 s off a million. */
#define IMPORT_BATCH 128
#define ORG_COLS 6
#define CERT_COLS 22
#define GRAMS_COLS 2
static const char SQL_ORG_HEAD[] =
    "INSERT INTO organisations (id, uscc, name, address, employees, "
    "created_at) VALUES ";
static const char SQL_ORG_ROW[] = "(?, ?, ?, ?, ?, ?)";
static const char SQL_CERT_HEAD[] =
    "INSERT INTO certificates (id, number, organisation_id, state, "
    "state_since, state_reason, revision, level, score_tenths, scope, "
    "outlets_covered, initial_issued, cycle_start, issued, expires, anchor, "
    "surveillance_n, confidential, scheme_id, scheme_version, signatory, "
    "next_due, recert_opened_on) VALUES ";
static const char SQL_CERT_ROW[] =
    "(?, ?, ?, ?, ?, 'imported', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?)";
static const char SQL_GRAMS_HEAD[] =
    "INSERT INTO temp.import_grams (id, grams) VALUES ";
static const char SQL_GRAMS_ROW[] = "(?, ?)";

/* head + `rows` copies of the row, each '?' numbered; NULL if it does not
 * fit (it always does: the caps below are sized for IMPORT_BATCH) */
static char *build_insert(char *buf, size_t cap, const char *head,
                          const char *one, int rows)
{
    size_t o = 0;
    int n = 0;
    int w = snprintf(buf, cap, "%s", head);
    if (w < 0 || (size_t)w >= cap)
        return NULL;
    o = (size_t)w;
    for (int r = 0; r < rows; r++) {
        if (r > 0) {
            if (o + 2 >= cap)
                return NULL;
            buf[o++] = ',';
        }
        for (const char *p = one; *p; p++) {
            if (*p == '?')
                w = snprintf(buf + o, cap - o, "?%d", ++n);
            else
                w = snprintf(buf + o, cap - o, "%c", *p);
            if (w < 0 || (size_t)w >= cap - o)
                return NULL;
            o += (size_t)w;
        }
    }
    return buf;
}

static char sql_org_one[256], sql_org_many[128 * IMPORT_BATCH];
static char sql_cert_one[1024], sql_cert_many[512 * IMPORT_BATCH];
static char sql_grams_one[128], sql_grams_many[32 * IMPORT_BATCH];
static bool sql_built;
static pthread_once_t sql_once = PTHREAD_ONCE_INIT;

static void build_sql(void)
{
    sql_built =
        build_insert(sql_org_one, sizeof sql_org_one, SQL_ORG_HEAD,
                     SQL_ORG_ROW, 1) &&
        build_insert(sql_org_many, sizeof sql_org_many, SQL_ORG_HEAD,
                     SQL_ORG_ROW, IMPORT_BATCH) &&
        build_insert(sql_cert_one, sizeof sql_cert_one, SQL_CERT_HEAD,
                     SQL_CERT_ROW, 1) &&
        build_insert(sql_cert_many, sizeof sql_cert_many, SQL_CERT_HEAD,
                     SQL_CERT_ROW, IMPORT_BATCH) &&
        build_insert(sql_grams_one, sizeof sql_grams_one, SQL_GRAMS_HEAD,
                     SQL_GRAMS_ROW, 1) &&
        build_insert(sql_grams_many, sizeof sql_grams_many, SQL_GRAMS_HEAD,
                     SQL_GRAMS_ROW, IMPORT_BATCH);
}

/* A checked row waiting for its batch (flush): it points into the reading
 * thread's batch, which is held until the pending rows are written. */
struct checked;
struct pending {
    const struct checked *ck;
    int64_t id, org;
    bool new_org;
};

/* A set of 64-bit hashes of the numbers and codes this import has
 * written (open addressing, 0 marks a free slot). A miss proves the key
 * is new to the file; a hit is only a hint, confirmed in the database (so
 * a hash collision costs a look-up, never a wrong answer). */
struct hset {
    uint64_t *slot;
    size_t cap, n; /* cap a power of two, n < cap / 2 */
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u; /* FNV-1a, then a final mix */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 0x100000001b3u;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h ? h : 1;
}

static bool hset_has(const struct hset *h, uint64_t k)
{
    if (!h->cap)
        return false;
    for (size_t i = (size_t)k & (h->cap - 1);; i = (i + 1) & (h->cap - 1)) {
        if (h->slot[i] == k)
            return true;
        if (!h->slot[i])
            return false;
    }
}

static bool hset_put_slot(uint64_t *slot, size_t cap, uint64_t k)
{
    for (size_t i = (size_t)k & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (slot[i] == k)
            return false;
        if (!slot[i]) {
            slot[i] = k;
            return true;
        }
    }
}

/* false: out of memory */
static bool hset_add(struct hset *h, uint64_t k)
{
    if (2 * (h->n + 1) > h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 1024;
        if (cap > SIZE_MAX / 2 / sizeof *h->slot)
            return false;
        uint64_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return false;
        for (size_t i = 0; i < h->cap; i++)
            if (h->slot[i])
                hset_put_slot(slot, cap, h->slot[i]);
        free(h->slot);
        h->slot = slot;
        h->cap = cap;
    }
    h->n += hset_put_slot(h->slot, h->cap, k);
    return true;
}

struct import {
    struct sc_store *st;
    const struct sc_clock *clk;
    const struct sc_scheme *scheme;
    int64_t max_before; /* largest certificate id before the import */
    int64_t orgs_before; /* largest organisation id before the import */
    struct hset numbers, codes; /* written by this import */
    int64_t next_cert, next_org; /* ids given to new rows */
    int64_t first_org;           /* the first new organisation's id */
    int64_t rows, loaded, rejected, orgs_created, orgs_matched, recert_open;
    int64_t *seq_by_year; /* next sequence number per year, 0 = none */
    json_t *errors;
    struct pending pend[IMPORT_BATCH];
    int n_pend;
};

static enum sc_err query_int(struct sc_db *db, const char *sql, int64_t *v,
                             struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(db, sql, &q, err);
    if (rc != SC_OK)
        return rc;
    rc = sc_db_step(q, &row, err);
    *v = row ? sc_db_col_int(q, 0) : 0;
    sc_db_done(q);
    return rc;
}

static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* The gram text of migration 0002's trigger, built here: for character
 * positions n = 1..min(length, 300), substr(name, n, 1) || ' ' ||
 * substr(name, n, 2), joined by ' '. `name` is valid UTF-8. */
static void build_grams(const char *name, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)name;
    size_t o = 0;
    for (int n = 0; *p && n < GRAM_POSITIONS; n++) {
        size_t a = utf8_len(p[0]);
        size_t b = p[a] ? utf8_len(p[a]) : 0;
        if (o + 2 * a + b + 3 > cap)
            break;
        if (n > 0)
            out[o++] = ' ';
        memcpy(out + o, p, a);
        o += a;
        out[o++] = ' ';
        memcpy(out + o, p, a + b);
        o += a + b;
        p += a;
    }
    out[o] = '\0';
}

/* ---- the reading thread ----------------------------------------------- */

#define GRAMS_CAP (GRAM_POSITIONS * 16) /* bytes of one gram text */

/* A row as the reading thread hands it over: read, checked (check_row),
 * and made ready for its writes (the clock's plan, its dates as text, the
 * gram text, the hashes of its number and code, its sequence number). Its
 * text lives in its batch. */
struct checked {
    long line;
    enum sc_err rc;      /* check_row's answer (a refusal: in errs[]) */
    enum sc_err plan_rc; /* the clock's plan's (a refusal: in errs[]); the
                          * writer asks it after the database's checks */
    struct row r;
    const char *grams;
    uint64_t hnum, hcode;
    bool opened;  /* the recertification period is already open */
    bool has_seq; /* the number follows the scheme's pattern */
    int year;
    int64_t seq;
    char next[SC_DATE_BUF], open_on[SC_DATE_BUF], d[6][SC_DATE_BUF];
};

#define READ_ROWS 256 /* rows of a batch */
#define READ_TEXT (256 * 1024)       /* bytes of a batch's text */
#define READ_BATCHES 4               /* batches between the threads */

/* The reading thread fills a batch while the writer empties another. A
 * batch is full at READ_ROWS rows, or when its text could not take one
 * more record of the largest size and its gram text. */
struct batch {
    int n;
    struct checked row[READ_ROWS];
    struct sc_error errs[READ_ROWS]; /* refusals, by row */
    size_t used;                     /* bytes of text in use */
    bool end;           /* no rows after these: the file ended or failed */
    enum sc_err end_rc; /* the reader's failure (malformed, I/O), or SC_OK */
    struct sc_error end_err;
    char text[READ_TEXT]; /* the records (the CSV reader writes here) and
                           * the gram texts */
};

_Static_assert(READ_TEXT >= SC_IMPORT_RECORD_MAX + GRAMS_CAP,
               "a batch takes at least one record of the largest size");
_Static_assert(READ_ROWS % IMPORT_BATCH == 0,
               "a batch of good rows ends on a full statement");

/* What the reading thread needs: the reader after the header, read-only
 * checks' inputs, and the two queues (full batches to the writer, empty
 * ones back). The CSV reader (and the file's hash) belong to the reading
 * thread until it is joined. */
struct reader {
    struct csv *c;
    const int *map;
    const struct sc_scheme *scheme;
    sc_day today;
    struct sc_import_queue full, empty;
};

/* The clock's plan of a checked row: next_due, and the recertification
 * period already open on the import day counts as opened (the old system
 * ran it). */
static enum sc_err plan_row(const struct reader *rd, struct checked *ck,
                            struct sc_error *err)
{
    const struct row *r = &ck->r;
    struct sc_tick_cert tc = {r->state,   r->status_since, r->cycle_start,
                              r->expires, r->anchor,       r->surveillance_n,
                              false};
    struct sc_tick_plan plan;
    sc_day opened = 0;
    struct sc_error pe;
    if (sc_store_tick_plan(rd->scheme, &tc, &plan, &pe) != SC_OK)
        return bad(err, SC_ERR_INVALID,
                   strcmp(pe.field, "anchor") == 0 ? COL_LAST_SURVEILLANCE
                                                   : COL_EXPIRES,
                   ck->line, "%s", pe.message, NULL);
    if (plan.n_steps > 0 && plan.steps[0].kind == SC_TICK_RECERT_OPEN &&
        plan.steps[0].on <= rd->today) {
        opened = plan.steps[0].on;
        tc.recert_opened = true;
        if (sc_store_tick_plan(rd->scheme, &tc, &plan, &pe) != SC_OK)
            return sc_error_set(err, SC_ERR_INTERNAL, NULL, "%s", pe.message);
    }
    sc_day nd = sc_store_tick_next_due(&plan, SC_DAY_MIN);
    if (nd >= SC_DAY_MAX)
        snprintf(ck->next, sizeof ck->next, "%s", SC_TICK_NEVER);
    else
        sc_date_format(nd, ck->next);
    ck->opened = opened != 0;
    if (opened)
        sc_date_format(opened, ck->open_on);
    return SC_OK;
}

/* Checks the record just read into b (at b->row[b->n]) and makes it ready
 * for the writer. */
static void prepare_row(const struct reader *rd, struct batch *b)
{
    struct checked *ck = &b->row[b->n];
    struct sc_error *e = &b->errs[b->n];
    const struct row *r = &ck->r;
    sc_error_clear(e);
    ck->plan_rc = SC_OK;
    ck->grams = NULL;
    ck->rc = check_row(rd->c, rd->map, rd->scheme, rd->today, ck->line,
                       &ck->r, e);
    if (ck->rc != SC_OK)
        return;
    ck->plan_rc = plan_row(rd, ck, e);
    if (ck->plan_rc != SC_OK)
        return;
    sc_date_format(r->status_since, ck->d[0]);
    sc_date_format(r->initial_issued, ck->d[1]);
    sc_date_format(r->cycle_start, ck->d[2]);
    sc_date_format(r->issued, ck->d[3]);
    sc_date_format(r->expires, ck->d[4]);
    sc_date_format(r->anchor, ck->d[5]);
    /* the gram text, used if the organisation turns out to be new */
    char *g = b->text + b->used;
    build_grams(r->organisation, g, GRAMS_CAP);
    b->used += strlen(g) + 1;
    ck->grams = g;
    ck->hnum = hash_str(r->number);
    ck->hcode = hash_str(r->uscc);
    ck->year = 0;
    ck->seq = 0;
    ck->has_seq = sc_certno_parse(rd->scheme->certno_pattern, r->number,
                                  &ck->year, &ck->seq, NULL) == SC_OK &&
                  ck->year >= 0 && ck->year <= 9999;
}

/* Fills b with the next rows of the file; b->end after the last one (or
 * after the reader failed: b->end_rc). */
static void read_batch(struct reader *rd, struct batch *b)
{
    struct csv *c = rd->c;
    b->n = 0;
    b->used = 0;
    b->end = false;
    b->end_rc = SC_OK;
    while (b->n < READ_ROWS &&
           READ_TEXT - b->used >= SC_IMPORT_RECORD_MAX + GRAMS_CAP) {
        bool got = false;
        c->rec = b->text + b->used; /* the record is read in place */
        b->end_rc = csv_record(c, &got, &b->row[b->n].line, &b->end_err);
        if (b->end_rc != SC_OK || !got) {
            b->end = true;
            return;
        }
        b->used += c->rec_len;
        prepare_row(rd, b);
        b->n++;
    }
}

/* The reading thread: fills the empty batches it is given until the file
 * ends or fails (that batch goes last) or the writer closes the queues. */
static void *reader_main(void *arg)
{
    struct reader *rd = arg;
    for (;;) {
        struct batch *b = sc_import_queue_pop(&rd->empty);
        if (!b)
            return NULL;
        read_batch(rd, b);
        if (!sc_import_queue_push(&rd->full, b) || b->end)
            return NULL;
    }
}

/* ---- the writer -------------------------------------------------------- */

static enum sc_err exec_sql(struct sc_db *db, const char *sql,
                            struct sc_error *err)
{
    struct sc_stmt *q = NULL;
    enum sc_err rc = sc_db_prepare(db, sql, &q, err);
    return rc == SC_OK ? sc_db_finish(q, err) : rc;
}

static void bind_org(struct sc_stmt *q, int base, const struct import *im,
                     const struct pending *p)
{
    const struct row *r = &p->ck->r;
    sc_db_bind_int(q, base + 1, p->org);
    sc_db_bind_text(q, base + 2, r->uscc);
    sc_db_bind_text(q, base + 3, r->organisation);
    sc_db_bind_text(q, base + 4, r->address);
    sc_db_bind_int(q, base + 5, r->employees);
    sc_db_bind_text(q, base + 6, im->clk->now);
}

static void bind_grams(struct sc_stmt *q, int base, const struct import *im,
                       const struct pending *p)
{
    (void)im;
    sc_db_bind_int(q, base + 1, p->org);
    sc_db_bind_text(q, base + 2, p->ck->grams);
}

static void bind_cert(struct sc_stmt *q, int base, const struct import *im,
                      const struct pending *p)
{
    const struct checked *ck = p->ck;
    const struct row *r = &ck->r;
    sc_db_bind_int(q, base + 1, p->id);
    sc_db_bind_text(q, base + 2, r->number);
    sc_db_bind_int(q, base + 3, p->org);
    sc_db_bind_text(q, base + 4, sc_workflow_cert_state_name(r->state));
    sc_db_bind_text(q, base + 5, ck->d[0]);
    sc_db_bind_int(q, base + 6, r->revision);
    sc_db_bind_text(q, base + 7, r->level);
    sc_db_bind_int(q, base + 8, r->score_tenths);
    sc_db_bind_text(q, base + 9, r->scope);
    sc_db_bind_text(q, base + 10, r->outlets);
    sc_db_bind_text(q, base + 11, ck->d[1]);
    sc_db_bind_text(q, base + 12, ck->d[2]);
    sc_db_bind_text(q, base + 13, ck->d[3]);
    sc_db_bind_text(q, base + 14, ck->d[4]);
    sc_db_bind_text(q, base + 15, ck->d[5]);
    sc_db_bind_int(q, base + 16, r->surveillance_n);
    sc_db_bind_int(q, base + 17, r->confidential);
    sc_db_bind_text(q, base + 18, im->scheme->id);
    sc_db_bind_text(q, base + 19, im->scheme->version);
    sc_db_bind_text(q, base + 20, r->signatory);
    sc_db_bind_text(q, base + 21, ck->next);
    sc_db_bind_text(q, base + 22, ck->opened ? ck->open_on : NULL);
}

typedef void (*binder)(struct sc_stmt *, int, const struct import *,
                       const struct pending *);

/* Writes the pending rows that `want` selects (all, or the new
 * organisations) with one statement per IMPORT_BATCH rows, the rest one by
 * one. */
static enum sc_err write_pending(struct import *im, bool orgs_only,
                                 const char *one, const char *many, int cols,
                                 binder bind, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(im->st);
    const struct pending *sel[IMPORT_BATCH];
    int n = 0;
    enum sc_err rc = SC_OK;
    for (int i = 0; i < im->n_pend; i++)
        if (!orgs_only || im->pend[i].new_org)
            sel[n++] = &im->pend[i];
    if (n == 0)
        return SC_OK;
    struct sc_stmt *q = NULL;
    if (n == IMPORT_BATCH) {
        rc = sc_db_prepare(db, many, &q, err);
        for (int i = 0; rc == SC_OK && i < n; i++)
            bind(q, i * cols, im, sel[i]);
        return rc == SC_OK ? sc_db_finish(q, err) : rc;
    }
    for (int i = 0; rc == SC_OK && i < n; i++) {
        rc = sc_db_prepare(db, one, &q, err);
        if (rc == SC_OK) {
            bind(q, 0, im, sel[i]);
            rc = sc_db_finish(q, err);
        }
    }
    return rc;
}

static enum sc_err write_failed(enum sc_err rc, struct sc_error *err);

/* Writes the batch: organisations first (the certificates refer to them;
 * foreign keys are checked at once), then certificates (their revisions are
 * written together at the end, SQL_REV_BULK). The
 * rows were checked before they joined the batch, so any failure here is
 * the database's: the import stops and rolls back. */
static enum sc_err flush(struct import *im, struct sc_error *err)
{
    enum sc_err rc = SC_OK;
    if (im->n_pend == 0)
        return SC_OK;
    rc = write_pending(im, true, sql_org_one, sql_org_many, ORG_COLS,
                       bind_org, err);
    if (rc == SC_OK)
        rc = write_pending(im, true, sql_grams_one, sql_grams_many,
                           GRAMS_COLS, bind_grams, err);
    if (rc == SC_OK)
        rc = write_pending(im, false, sql_cert_one, sql_cert_many, CERT_COLS,
                           bind_cert, err);
    im->n_pend = 0;
    return rc == SC_OK ? SC_OK : write_failed(rc, err);
}

/* A write after the row's checks failed: every check came first, so this
 * is the database's failure (never a refusal of the row), and the caller
 * stops and rolls the whole import back. */
static enum sc_err write_failed(enum sc_err rc, struct sc_error *err)
{
    if (rc != SC_ERR_INVALID && rc != SC_ERR_CONFLICT)
        return rc;
    char m[SC_ERROR_MESSAGE_MAX];
    snprintf(m, sizeof m, "%s", err->message);
    return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                        "a checked row failed to write: %s", m);
}

/* A row the reading thread checked (ck->rc SC_OK): checks against the
 * database (number unused, code and name agree), then the clock's plan's
 * answer (`plan_err` when refused), in the order one thread asked them;
 * then the row joins the batch that writes the organisation if new (its
 * search index entries are stashed for the end) and the certificate (its
 * revision at the end). A refused row (SC_ERR_INVALID, SC_ERR_CONFLICT) is refused
 * before anything is written; a failure after the first write is a
 * database error, which ends the import (rolled back whole). */
static enum sc_err write_row(struct import *im, const struct checked *ck,
                             const struct sc_error *plan_err,
                             struct sc_error *err)
{
    const struct row *r = &ck->r;
    long line = ck->line;
    struct sc_db *db = sc_store_db(im->st);
    struct sc_stmt *q = NULL;
    bool row = false;
    int64_t org = 0;
    enum sc_err rc = SC_OK;
    uint64_t hnum = ck->hnum, hcode = ck->hcode;

    /* a number already in the database, or on an earlier line of the file
     * (looked up only when the database had certificates or the hash set
     * has seen it: a miss in the set proves it is new to the file) */
    bool seen = hset_has(&im->numbers, hnum);
    if (seen && (rc = flush(im, err)) != SC_OK)
        return rc;
    if (im->max_before > 0 || seen) {
        if ((rc = sc_db_prepare(db, SQL_NUMBER_ID, &q, err)) != SC_OK)
            return rc;
        sc_db_bind_text(q, 1, r->number);
        rc = sc_db_step(q, &row, err);
        int64_t id = row ? sc_db_col_int(q, 0) : 0;
        sc_db_done(q);
        if (rc != SC_OK)
            return rc;
        if (row)
            return bad(err, SC_ERR_CONFLICT, COL_NUMBER, line,
                       id > im->max_before
                           ? "%.64s appears on an earlier line of this file"
                           : "%.64s is already in the database",
                       r->number, NULL);
    }

    /* the organisation, by code: looked up when the database had
     * organisations or this file has already written the code */
    seen = hset_has(&im->codes, hcode);
    if (seen && (rc = flush(im, err)) != SC_OK)
        return rc;
    if (im->orgs_before > 0 || seen) {
        if ((rc = sc_db_prepare(db, SQL_ORG_BY_USCC, &q, err)) != SC_OK)
            return rc;
        sc_db_bind_text(q, 1, r->uscc);
        rc = sc_db_step(q, &row, err);
        if (rc == SC_OK && row) {
            org = sc_db_col_int(q, 0);
            const char *name = sc_db_col_text(q, 1);
            if (!name || strcmp(name, r->organisation) != 0) {
                char m[SC_ERROR_MESSAGE_MAX];
                snprintf(m, sizeof m,
                         "the code %s is registered to \"%.150s\", not to "
                         "this name",
                         r->uscc, name ? name : "");
                rc = bad(err, SC_ERR_CONFLICT, COL_ORGANISATION, line, "%s",
                         m, NULL);
            }
        }
        sc_db_done(q);
        if (rc != SC_OK)
            return rc;
    }
    bool new_org = org == 0;
    if (new_org)
        org = im->next_org;
    if (ck->plan_rc != SC_OK) {
        *err = *plan_err;
        return ck->plan_rc;
    }

    /* every check is done: the row joins the batch (written by flush) */
    struct pending *pd = &im->pend[im->n_pend];
    pd->ck = ck;
    pd->id = im->next_cert++;
    pd->org = org;
    pd->new_org = new_org;
    if (new_org) {
        im->next_org++;
        im->orgs_created++;
    } else {
        im->orgs_matched++;
    }
    im->n_pend++;
    if ((new_org && !hset_add(&im->codes, hcode)) ||
        !hset_add(&im->numbers, hnum))
        return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
    if (ck->opened)
        im->recert_open++;

    /* numbers in the scheme's own pattern reserve their sequence number */
    if (ck->has_seq && ck->seq + 1 > im->seq_by_year[ck->year])
        im->seq_by_year[ck->year] = ck->seq + 1;
    return im->n_pend == IMPORT_BATCH ? flush(im, err) : SC_OK;
}

static enum sc_err note_error(struct import *im, long line,
                              const struct sc_error *e)
{
    im->rejected++;
    if (json_array_size(im->errors) >= SC_IMPORT_ERRORS_MAX)
        return SC_OK;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s}", "line", (json_int_t)line,
                          "field", e->field, "code", sc_err_name(e->code),
                          "message", e->message);
    if (!o || json_array_append_new(im->errors, o) != 0)
        return SC_ERR_NOMEM;
    return SC_OK;
}

static enum sc_err write_sequences(struct import *im, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(im->st);
    enum sc_err rc = SC_OK;
    for (int y = 0; rc == SC_OK && y <= 9999; y++) {
        struct sc_stmt *q = NULL;
        if (!im->seq_by_year[y])
            continue;
        rc = sc_db_prepare(db, SQL_SEQUENCE, &q, err);
        if (rc != SC_OK)
            break;
        sc_db_bind_int(q, 1, y);
        sc_db_bind_int(q, 2, im->seq_by_year[y]);
        rc = sc_db_finish(q, err);
    }
    return rc;
}

/* The first load into a database without certificates (SQLite): a
 * rollback journal instead of the write-ahead log for this one
 * transaction. The log would receive every new page and then copy it into
 * the database (twice the writes); a rollback journal keeps only the
 * original content of the few pages that existed, and the new pages are
 * written once. SQLite switches out of WAL only when no other connection
 * has the database open (else the pragma fails or answers "wal", and the
 * import runs in WAL as usual), and it is just as atomic: a failure or a
 * crash rolls back from the journal. synchronous = FULL while the journal
 * is in use (the rollback journal's safe setting); both are restored after
 * the commit or rollback (every connection also asks for WAL when it
 * opens the database). While it runs, other connections wait (busy) instead
 * of reading the old snapshot: acceptable for a database with no
 * certificates yet. */
static const char SQL_HAS_CERT[] =
    "SELECT EXISTS (SELECT 1 FROM certificates)";
static enum sc_err fast_journal_on(struct sc_db *db, bool *fast,
                                   struct sc_error *err)
{
    struct sc_error ignored;
    int64_t has = 0;
    enum sc_err rc = query_int(db, SQL_HAS_CERT, &has, err);
    *fast = false;
    if (rc != SC_OK || has)
        return rc;
    /* busy (another connection): stay in WAL */
    if (sc_db_journal_mode(db, false, fast, &ignored) != SC_OK) {
        *fast = false;
        return SC_OK;
    }
    if (*fast)
        rc = sc_db_exec_script(db, "PRAGMA synchronous = FULL;", err);
    return rc;
}

static void fast_journal_off(struct sc_db *db)
{
    struct sc_error ignored;
    /* if WAL cannot be restored now (a reader came in), the next
     * connection to open the database does it */
    (void)sc_db_journal_mode(db, true, NULL, &ignored);
    (void)sc_db_exec_script(db, "PRAGMA synchronous = NORMAL;", &ignored);
}

/* Reads, checks and writes every row after the header: the reading thread
 * fills the batches (or, if it cannot be started, this thread does, one
 * batch at a time) and this thread takes them in file order. Returns the
 * import's failure (the database's, the reader's, out of memory); a
 * refused row is counted and noted, and without `partial` the first one
 * sets *failed (its error in *first) and nothing more is written. The
 * reading thread has ended when this returns. */
static enum sc_err load_rows(struct import *im, struct reader *rd,
                             struct batch *const batches[READ_BATCHES],
                             bool partial, bool *failed,
                             struct sc_error *first, struct sc_error *err)
{
    pthread_t th;
    bool threaded = false;
    enum sc_err rc = SC_OK;
    struct sc_error qe;
    if (sc_import_queue_init(&rd->full, READ_BATCHES, &qe) == SC_OK) {
        if (sc_import_queue_init(&rd->empty, READ_BATCHES, &qe) == SC_OK) {
            for (int k = 0; k < READ_BATCHES; k++)
                (void)sc_import_queue_push(&rd->empty, batches[k]);
            threaded = pthread_create(&th, NULL, reader_main, rd) == 0;
            if (!threaded)
                sc_import_queue_destroy(&rd->empty);
        }
        if (!threaded)
            sc_import_queue_destroy(&rd->full);
    }
    for (bool end = false; rc == SC_OK && !end;) {
        struct batch *b = batches[0];
        if (threaded)
            b = sc_import_queue_pop(&rd->full);
        else
            read_batch(rd, b);
        if (!b) { /* only this thread closes the queues */
            rc = sc_error_set(err, SC_ERR_INTERNAL, NULL,
                              "the reading thread stopped");
            break;
        }
        for (int i = 0; rc == SC_OK && i < b->n; i++) {
            const struct checked *ck = &b->row[i];
            const struct sc_error *pe = &b->errs[i];
            struct sc_error e;
            enum sc_err rrc = ck->rc;
            im->rows++;
            if (rrc == SC_OK && !*failed) {
                sc_error_clear(&e);
                rrc = write_row(im, ck, &b->errs[i], &e);
                pe = &e;
            }
            if (rrc == SC_OK) {
                if (!*failed)
                    im->loaded++;
                continue;
            }
            if (rrc != SC_ERR_INVALID && rrc != SC_ERR_CONFLICT) {
                rc = rrc; /* the database failed: stop */
                *err = *pe;
                break;
            }
            if (!*failed && !partial)
                *first = *pe;
            *failed = *failed || !partial;
            if (note_error(im, ck->line, pe) != SC_OK)
                rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        }
        end = b->end;
        if (rc == SC_OK && end && b->end_rc != SC_OK) {
            rc = b->end_rc; /* the file is malformed or unreadable */
            *err = b->end_err;
        } else if (rc == SC_OK && !*failed) {
            rc = flush(im, err); /* the pending rows point into b */
        }
        im->n_pend = 0;
        if (threaded)
            (void)sc_import_queue_push(&rd->empty, b);
    }
    if (threaded) {
        sc_import_queue_close(&rd->empty);
        sc_import_queue_close(&rd->full);
        pthread_join(th, NULL);
        sc_import_queue_destroy(&rd->empty);
        sc_import_queue_destroy(&rd->full);
    }
    return rc;
}

enum sc_err sc_store_import_csv(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor,
                                const struct sc_scheme *scheme, FILE *in,
                                const char *name, bool partial,
                                json_t **report, struct sc_error *err)
{
    struct sc_db *db = sc_store_db(st);
    struct sc_stmt *q = NULL;
    struct csv *c = NULL;
    char *header = NULL; /* the header record's buffer */
    struct batch *batches[READ_BATCHES] = {NULL};
    struct reader rd;
    struct sc_scheme *stored = NULL;
    char *deferred[N_DEFERRED] = {NULL};
    struct import im;
    int map[COL_COUNT_];
    struct sc_error first;
    bool in_tx = false, failed = false, fast = false;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    enum sc_err rc;

    *report = NULL;
    memset(&im, 0, sizeof im);
    sc_error_clear(&first);
    rc = sc_policy_check("import.run", actor->role, true, err);
    if (rc != SC_OK) {
        sc_error_set(err, rc, "as", "%s may not import certificates",
                     actor->login);
        return rc;
    }
    c = calloc(1, sizeof *c);
    stored = malloc(sizeof *stored);
    im.seq_by_year = calloc(10000, sizeof *im.seq_by_year);
    im.errors = json_array();
    if (!c || !stored || !im.seq_by_year || !im.errors) {
        rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    c->rec = header = malloc(SC_IMPORT_RECORD_MAX);
    bool all = header != NULL;
    for (int k = 0; k < READ_BATCHES; k++)
        all = (batches[k] = malloc(sizeof *batches[k])) != NULL && all;
    if (!all) {
        rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    if (pthread_once(&sql_once, build_sql) != 0 || !sql_built) {
        rc = sc_error_set(err, SC_ERR_INTERNAL, NULL,
                          "the import statements could not be built");
        goto out;
    }
    c->f = in;
    c->line = 1;
    crypto_hash_sha256_init(&c->hash);
    im.st = st;
    im.clk = clk;
    im.scheme = scheme;
    rc = sc_store_scheme_get(st, scheme->id, scheme->version, stored, err);
    if (rc != SC_OK) {
        sc_error_set(err, rc, "scheme",
                     "scheme %s version %s is not in the database: record it "
                     "with `starcert init --scheme FILE`",
                     scheme->id, scheme->version);
        goto out;
    }

    /* a UTF-8 byte-order mark is skipped (it is still hashed) */
    int b0 = csv_getc(c);
    if (b0 == 0xEF) {
        if (csv_getc(c) != 0xBB || csv_getc(c) != 0xBF) {
            rc = malformed(err, 1, "the file starts with a broken byte-order "
                                   "mark");
            goto out;
        }
    } else if (b0 != EOF) {
        c->pos--;
    }
    rc = read_header(c, map, err);
    if (rc != SC_OK)
        goto out;

    /* bulk-load settings for this connection: a large page cache, and
     * temporary structures in memory */
    rc = sc_db_exec_script(db,
                           "PRAGMA cache_size = -1048576;"
                           "PRAGMA temp_store = MEMORY;",
                           err);
    if (rc == SC_OK)
        rc = fast_journal_on(db, &fast, err);
    if (rc == SC_OK)
        rc = sc_store_begin(st, err);
    if (rc != SC_OK)
        goto out;
    in_tx = true;
    rc = query_int(db, SQL_MAX_CERT, &im.max_before, err);
    if (rc == SC_OK)
        rc = query_int(db, SQL_MAX_ORG, &im.orgs_before, err);
    im.next_org = im.orgs_before;
    /* the search index entries of new organisations are written here, not
     * by the trigger (migration 0002) */
    for (int k = 0; rc == SC_OK && k < N_DEFERRED; k++) {
        bool row = false;
        rc = sc_db_prepare(db, SQL_SCHEMA_SQL, &q, err);
        if (rc != SC_OK)
            break;
        sc_db_bind_text(q, 1, DEFERRED_NAMES[k]);
        rc = sc_db_step(q, &row, err);
        const char *def = row ? sc_db_col_text(q, 0) : NULL;
        if (rc == SC_OK && !def)
            rc = sc_error_set(err, SC_ERR_INTERNAL, "schema", "%s is missing",
                              DEFERRED_NAMES[k]);
        if (rc == SC_OK && !(deferred[k] = strdup(def)))
            rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        sc_db_done(q);
    }
    if (rc == SC_OK)
        rc = sc_db_exec_script(db, SQL_DEFER_DROP, err);
    if (rc == SC_OK)
        rc = sc_db_exec_script(db, SQL_GRAMS_TEMP, err);
    im.next_cert = im.max_before + 1;
    im.first_org = ++im.next_org;
    rd.c = c;
    rd.map = map;
    rd.scheme = scheme;
    rd.today = clk->today;
    if (rc == SC_OK)
    rc = load_rows(&im, &rd, batches, partial, &failed, &first, err);
    if (rc != SC_OK)
        goto out;
    crypto_hash_sha256_final(&c->hash, digest);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    if (failed)
        im.loaded = 0;
    *report = json_pack(
        "{s:s, s:s, s:{s:s, s:s}, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:O, "
        "s:I}",
        "file", name ? name : "", "sha256", hex, "scheme", "id", scheme->id,
        "version", scheme->version, "partial", partial, "rows",
        (json_int_t)im.rows, "loaded", (json_int_t)im.loaded, "rejected",
        (json_int_t)im.rejected, "organisations_created",
        (json_int_t)(failed ? 0 : im.orgs_created), "organisations_matched",
        (json_int_t)(failed ? 0 : im.orgs_matched), "recertification_open",
        (json_int_t)(failed ? 0 : im.recert_open), "errors", im.errors,
        "errors_listed", (json_int_t)json_array_size(im.errors));
    if (!*report) {
        rc = sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        goto out;
    }
    if (failed) {
        rc = sc_error_set(err, first.code, first.field,
                          "%.240s (%lld bad row%s; nothing was loaded)",
                          first.message, (long long)im.rejected,
                          im.rejected == 1 ? "" : "s");
        goto out;
    }
    rc = write_sequences(&im, err);
    if (rc == SC_OK)
        rc = sc_db_prepare(db, SQL_REV_BULK, &q, err);
    if (rc == SC_OK) {
        sc_db_bind_int(q, 1, im.max_before);
        rc = sc_db_finish(q, err);
    }
    if (rc == SC_OK)
        rc = sc_db_prepare(db, SQL_TRIGRAM_BULK, &q, err);
    if (rc == SC_OK) {
        sc_db_bind_int(q, 1, im.first_org);
        rc = sc_db_finish(q, err);
    }
    if (rc == SC_OK)
        rc = exec_sql(db, SQL_GRAMS_BULK, err);
    if (rc == SC_OK)
        rc = sc_db_exec_script(db, SQL_GRAMS_DROP, err);
    for (int k = 0; rc == SC_OK && k < N_DEFERRED; k++)
        rc = sc_db_exec_script(db, deferred[k], err);
    if (rc == SC_OK) {
        json_t *detail = json_pack(
            "{s:s, s:s, s:{s:s, s:s}, s:b, s:I, s:I, s:I, s:I, s:I}", "file",
            name ? name : "", "sha256", hex, "scheme", "id", scheme->id,
            "version", scheme->version, "partial", partial, "rows",
            (json_int_t)im.rows, "loaded", (json_int_t)im.loaded, "rejected",
            (json_int_t)im.rejected, "organisations_created",
            (json_int_t)im.orgs_created, "recertification_open",
            (json_int_t)im.recert_open);
        rc = detail ? sc_events_append(st, clk, actor->user_id,
                                       "certificate.import", "import", 0,
                                       detail, err)
                    : sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
        json_decref(detail);
    }
    if (rc == SC_OK)
        rc = sc_store_commit(st, err);
    in_tx = rc != SC_OK;
out:
    if (in_tx)
        sc_store_rollback(st);
    if (fast)
        fast_journal_off(db);
    if (rc != SC_OK && !failed) {
        json_decref(*report);
        *report = NULL;
    }
    json_decref(im.errors);
    for (int k = 0; k < N_DEFERRED; k++)
        free(deferred[k]);
    free(im.seq_by_year);
    free(im.numbers.slot);
    for (int k = 0; k < READ_BATCHES; k++)
        free(batches[k]);
    free(im.codes.slot);
    free(stored);
    free(header);
    free(c);
    return rc;
}
