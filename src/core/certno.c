/*
 * certno: certificate-number patterns (see certno.h). A pattern is compiled
 * into a short list of parts (literal, year, seq) on the stack each call;
 * formatting and parsing both walk that list.
 */
#include "certno.h"

#include <stdbool.h>
#include <string.h>

#define FIELD_PATTERN "certno_pattern"
#define FIELD_NUMBER "number"
#define YEAR_DIGITS 4

enum part_kind { PART_LITERAL, PART_YEAR, PART_SEQ };

struct part {
    enum part_kind kind;
    const char *lit; /* PART_LITERAL: points into the pattern */
    size_t len;      /* PART_LITERAL: bytes */
    int pad;         /* PART_SEQ: minimum digits, 0 = no padding */
};

struct compiled {
    struct part parts[SC_CERTNO_PATTERN_MAX];
    size_t n;
    size_t fixed; /* bytes of output outside {seq} */
    int pad;      /* the {seq} part's padding */
    bool has_year;
};

static bool literal_ok(unsigned char c)
{
    return c > ' ' && c < 0x7F && c != '{' && c != '}';
}

/* Matches "{seq:0N}" at p (p[0] == '{'); returns its length or 0. */
static size_t match_padded_seq(const char *p, int *pad)
{
    if (strncmp(p, "{seq:0", 6) != 0)
        return 0;
    const char *q = p + 6;
    if (*q < '1' || *q > '9')
        return 0;
    int n = 0;
    while (*q >= '0' && *q <= '9' && n <= SC_CERTNO_PAD_MAX) {
        n = n * 10 + (*q - '0');
        q++;
    }
    if (*q != '}' || n < 1 || n > SC_CERTNO_PAD_MAX)
        return 0;
    *pad = n;
    return (size_t)(q - p) + 1;
}

static enum sc_err compile(const char *pattern, struct compiled *c,
                           struct sc_error *err)
{
    memset(c, 0, sizeof *c);
    if (!pattern || !pattern[0])
        return sc_error_set(err, SC_ERR_INVALID, FIELD_PATTERN,
                            "the pattern must not be empty");
    size_t plen = strnlen(pattern, SC_CERTNO_PATTERN_MAX);
    if (plen >= SC_CERTNO_PATTERN_MAX)
        return sc_error_set(err, SC_ERR_INVALID, FIELD_PATTERN,
                            "the pattern must be at most %d bytes",
                            SC_CERTNO_PATTERN_MAX - 1);
    int n_seq = 0;
    const char *p = pattern;
    while (*p) {
        size_t pos = (size_t)(p - pattern) + 1;
        struct part part = {PART_LITERAL, NULL, 0, 0};
        size_t adv;
        if (*p == '{') {
            int pad = 0;
            if (strncmp(p, "{year}", 6) == 0) {
                if (c->has_year)
                    return sc_error_set(err, SC_ERR_INVALID, FIELD_PATTERN,
                                        "{year} appears twice (position "
                                        "%zu); it may appear at most once",
                                        pos);
                c->has_year = true;
                part.kind = PART_YEAR;
                adv = 6;
            } else if (strncmp(p, "{seq}", 5) == 0 ||
                       match_padded_seq(p, &pad) != 0) {
                adv = pad ? match_padded_seq(p, &pad) : 5;
                if (++n_seq > 1)
                    return sc_error_set(err, SC_ERR_INVALID, FIELD_PATTERN,
                                        "a second {seq} at position %zu; "
                                        "exactly one is required",
                                        pos);
                part.kind = PART_SEQ;
                part.pad = pad;
                c->pad = pad;
            } else {
                return sc_error_set(err, SC_ERR_INVALID, FIELD_PATTERN,
                                    "unknown placeholder at position %zu: "
                                    "use {year}, {seq} or {seq:0N} with N "
                                    "1..%d",
                                    pos, SC_CERTNO_PAD_MAX);
            }
        } else if (*p == '}') {
            return sc_error_set(err, SC_ERR_INVALID, FIELD_PATTERN,
                                "'}' at position %zu closes no placeholder",
                                pos);
        } else {
            adv = 0;
            while (p[adv] && p[adv] != '{' && p[adv] != '}') {
                if (!literal_ok((unsigned char)p[adv]))
                    return sc_error_set(
                        err, SC_ERR_INVALID, FIELD_PATTERN,
                        "character at position %zu is not allowed: literals "
                        "are printable ASCII without spaces or braces",
                        pos + adv);
                adv++;
            }
            part.lit = p;
            part.len = adv;
        }
        if (part.kind == PART_LITERAL)
            c->fixed += part.len;
        else if (part.kind == PART_YEAR)
            c->fixed += YEAR_DIGITS;
        c->parts[c->n++] = part;
        p += adv;
    }
    if (n_seq == 0)
        return sc_error_set(err, SC_ERR_INVALID, FIELD_PATTERN,
                            "the pattern needs a {seq} or {seq:0N}");
    int widest = c->pad > SC_CERTNO_PAD_MAX ? c->pad : SC_CERTNO_PAD_MAX;
    if (c->fixed + (size_t)widest > SC_CERTNO_MAX - 1)
        return sc_error_set(err, SC_ERR_INVALID, FIELD_PATTERN,
                            "numbers from this pattern could be %zu bytes; "
                            "at most %d are allowed",
                            c->fixed + (size_t)widest, SC_CERTNO_MAX - 1);
    return SC_OK;
}

enum sc_err sc_certno_validate_pattern(const char *pattern,
                                       struct sc_error *err)
{
    struct compiled c;
    return compile(pattern, &c, err);
}

/* Writes v in decimal, at least `width` digits, into buf; returns length. */
static size_t put_decimal(int64_t v, int width, char *buf)
{
    char tmp[24];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (n < (size_t)width)
        tmp[n++] = '0';
    for (size_t i = 0; i < n; i++)
        buf[i] = tmp[n - 1 - i];
    return n;
}

enum sc_err sc_certno_format(const char *pattern, int year, int64_t seq,
                             char *out, size_t cap, struct sc_error *err)
{
    if (out && cap > 0)
        out[0] = '\0';
    struct compiled c;
    enum sc_err rc = compile(pattern, &c, err);
    if (rc != SC_OK)
        return rc;
    if (c.has_year && (year < 1 || year > 9999))
        return sc_error_set(err, SC_ERR_INVALID, "year",
                            "year %d is out of range 1..9999", year);
    if (seq < 1 || seq > SC_CERTNO_SEQ_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "seq",
                            "sequence number %lld is out of range 1..%lld",
                            (long long)seq, (long long)SC_CERTNO_SEQ_MAX);
    char buf[SC_CERTNO_MAX];
    size_t n = 0;
    for (size_t i = 0; i < c.n; i++) {
        const struct part *pt = &c.parts[i];
        /* compile() bounded the total below SC_CERTNO_MAX */
        if (pt->kind == PART_LITERAL) {
            memcpy(buf + n, pt->lit, pt->len);
            n += pt->len;
        } else if (pt->kind == PART_YEAR) {
            n += put_decimal(year, YEAR_DIGITS, buf + n);
        } else {
            n += put_decimal(seq, pt->pad, buf + n);
        }
    }
    if (!out || n + 1 > cap)
        return sc_error_set(err, SC_ERR_TOO_LARGE, FIELD_NUMBER,
                            "the number needs %zu bytes, the buffer has %zu",
                            n + 1, out ? cap : 0);
    memcpy(out, buf, n);
    out[n] = '\0';
    return SC_OK;
}

/* Reads `n` decimal digits; false if any is not a digit. */
static bool read_digits(const char *s, size_t n, int64_t *v)
{
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
}

enum sc_err sc_certno_parse(const char *pattern, const char *text, int *year,
                            int64_t *seq, struct sc_error *err)
{
    struct compiled c;
    enum sc_err rc = compile(pattern, &c, err);
    if (rc != SC_OK)
        return rc;
    if (!text || !text[0])
        return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                            "a certificate number is required");
    size_t len = strnlen(text, SC_CERTNO_MAX);
    if (len >= SC_CERTNO_MAX)
        return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                            "a certificate number is at most %d bytes",
                            SC_CERTNO_MAX - 1);
    int min_width = c.pad > 1 ? c.pad : 1;
    if (len < c.fixed + (size_t)min_width)
        return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                            "too short for the pattern \"%s\"", pattern);
    size_t width = len - c.fixed;
    if (width > (size_t)SC_CERTNO_PAD_MAX && width > (size_t)c.pad)
        return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                            "too long for the pattern \"%s\"", pattern);
    int64_t y = 0, s = 0;
    const char *p = text;
    for (size_t i = 0; i < c.n; i++) {
        const struct part *pt = &c.parts[i];
        size_t pos = (size_t)(p - text) + 1;
        if (pt->kind == PART_LITERAL) {
            if (memcmp(p, pt->lit, pt->len) != 0)
                return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                                    "expected \"%.*s\" at position %zu "
                                    "(pattern \"%s\")",
                                    (int)pt->len, pt->lit, pos, pattern);
            p += pt->len;
        } else if (pt->kind == PART_YEAR) {
            if (!read_digits(p, YEAR_DIGITS, &y) || y < 1)
                return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                                    "expected a 4-digit year 0001..9999 at "
                                    "position %zu (pattern \"%s\")",
                                    pos, pattern);
            p += YEAR_DIGITS;
        } else {
            if (!read_digits(p, width, &s))
                return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                                    "expected a %zu-digit sequence number at "
                                    "position %zu (pattern \"%s\")",
                                    width, pos, pattern);
            if (width > (size_t)min_width && p[0] == '0' && c.pad == 0)
                return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                                    "the sequence number at position %zu has "
                                    "a leading zero (pattern \"%s\")",
                                    pos, pattern);
            if (width > (size_t)min_width && p[0] == '0')
                return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                                    "the sequence number at position %zu has "
                                    "a leading zero beyond its padding to %d "
                                    "digits (pattern \"%s\")",
                                    pos, min_width, pattern);
            if (s < 1)
                return sc_error_set(err, SC_ERR_INVALID, FIELD_NUMBER,
                                    "the sequence number at position %zu is "
                                    "0; numbers start at 1",
                                    pos);
            p += width;
        }
    }
    if (year)
        *year = (int)y;
    *seq = s;
    return SC_OK;
}
