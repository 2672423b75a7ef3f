/*
 * test_certno: certificate-number patterns (domain.md section 6). The pattern
 * language and its refusals, formatting (padding is a minimum), strict
 * parsing, and properties: parse inverts format on random patterns, years and
 * sequence numbers, and any text that parses is exactly what format writes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/certno.h"

static void expect_pattern_ok(const char *pattern)
{
    struct sc_error e;
    sc_error_clear(&e);
    enum sc_err rc = sc_certno_validate_pattern(pattern, &e);
    if (rc != SC_OK)
        print_error("pattern \"%s\": %s\n", pattern, e.message);
    assert_int_equal(rc, SC_OK);
}

static void expect_pattern_bad(const char *pattern, const char *message)
{
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_certno_validate_pattern(pattern, &e), SC_ERR_INVALID);
    assert_string_equal(e.field, "certno_pattern");
    assert_string_equal(e.message, message);
}

static void test_pattern_valid(void **state)
{
    (void)state;
    expect_pattern_ok(SC_CERTNO_DEFAULT_PATTERN);
    expect_pattern_ok("{seq}");
    expect_pattern_ok("{seq:01}");
    expect_pattern_ok("{seq:012}");
    expect_pattern_ok("CB{seq:04}");
    expect_pattern_ok("{seq}{year}");
    expect_pattern_ok("SC/{year}/{seq:05}-A");
    /* 51 literal bytes + 12 seq digits = 63: the longest that fits */
    expect_pattern_ok(
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA{seq}");
    /* 47 + {year} 4 + 12 = 63 */
    expect_pattern_ok(
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA{year}{seq:012}");
}

static void test_pattern_refused(void **state)
{
    (void)state;
    expect_pattern_bad(NULL, "the pattern must not be empty");
    expect_pattern_bad("", "the pattern must not be empty");
    expect_pattern_bad("ASC-{year}", "the pattern needs a {seq} or {seq:0N}");
    expect_pattern_bad("{seq}-{seq:06}",
                       "a second {seq} at position 7; exactly one is required");
    expect_pattern_bad("{year}{year}{seq}", "{year} appears twice (position "
                                            "7); it may appear at most once");
    const char *unknown = "unknown placeholder at position 5: use {year}, "
                          "{seq} or {seq:0N} with N 1..12";
    expect_pattern_bad("ASC-{seq:6}", unknown);
    expect_pattern_bad("ASC-{seq:00}", unknown);
    expect_pattern_bad("ASC-{seq:013}", unknown);
    expect_pattern_bad("ASC-{seq:0012}", unknown);
    expect_pattern_bad("ASC-{Year}{seq}", unknown);
    expect_pattern_bad("ASC-{seq", unknown);
    expect_pattern_bad("ASC-{}{seq}", unknown);
    expect_pattern_bad("ASC-{{seq}}", unknown);
    expect_pattern_bad("ASC}{seq}", "'}' at position 4 closes no placeholder");
    expect_pattern_bad("ASC {seq}",
                       "character at position 4 is not allowed: literals are "
                       "printable ASCII without spaces or braces");
    expect_pattern_bad("\xE8\xAF\x81{seq}",
                       "character at position 1 is not allowed: literals are "
                       "printable ASCII without spaces or braces");
    expect_pattern_bad("A\tB{seq}",
                       "character at position 2 is not allowed: literals are "
                       "printable ASCII without spaces or braces");
    /* 52 + 12 = 64 bytes: one too many */
    expect_pattern_bad(
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA{seq}",
        "numbers from this pattern could be 64 bytes; at most 63 are allowed");
    /* 64 bytes of pattern */
    expect_pattern_bad(
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA{seq}",
        "the pattern must be at most 63 bytes");
}

static void expect_format(const char *pattern, int year, int64_t seq,
                          const char *want)
{
    char out[SC_CERTNO_MAX];
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_certno_format(pattern, year, seq, out, sizeof out, &e),
                     SC_OK);
    assert_string_equal(out, want);
}

static void test_format(void **state)
{
    (void)state;
    const char *d = SC_CERTNO_DEFAULT_PATTERN;
    expect_format(d, 2026, 1, "ASC-2026-000001");
    expect_format(d, 2026, 123, "ASC-2026-000123");
    expect_format(d, 2026, 999999, "ASC-2026-999999");
    expect_format(d, 2026, 1000000, "ASC-2026-1000000");
    expect_format(d, 2026, 1234567, "ASC-2026-1234567");
    expect_format(d, 2026, SC_CERTNO_SEQ_MAX, "ASC-2026-999999999999");
    expect_format(d, 1, 5, "ASC-0001-000005");
    expect_format(d, 9999, 5, "ASC-9999-000005");
    expect_format("{seq}", 2026, 7, "7");
    expect_format("{seq:01}", 2026, 7, "7");
    expect_format("{seq:012}", 2026, 7, "000000000007");
    expect_format("{seq}{year}", 2026, 5, "52026");
    expect_format("CB{seq:04}", 0, 42, "CB0042"); /* no {year}: ignored */
    expect_format("SC/{year}/{seq:05}-A", 2030, 12, "SC/2030/00012-A");
}

static void test_format_refused(void **state)
{
    (void)state;
    char out[SC_CERTNO_MAX];
    struct sc_error e;
    const char *d = SC_CERTNO_DEFAULT_PATTERN;
    assert_int_equal(sc_certno_format(d, 0, 1, out, sizeof out, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "year");
    assert_string_equal(e.message, "year 0 is out of range 1..9999");
    assert_string_equal(out, "");
    assert_int_equal(sc_certno_format(d, 10000, 1, out, sizeof out, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "year");
    assert_int_equal(sc_certno_format(d, 2026, 0, out, sizeof out, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "seq");
    assert_string_equal(e.message,
                        "sequence number 0 is out of range 1..999999999999");
    assert_int_equal(sc_certno_format(d, 2026, -5, out, sizeof out, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "seq");
    assert_int_equal(
        sc_certno_format(d, 2026, SC_CERTNO_SEQ_MAX + 1, out, sizeof out, &e),
        SC_ERR_INVALID);
    assert_string_equal(e.field, "seq");
    assert_int_equal(sc_certno_format("ASC-{seq", 2026, 1, out, sizeof out, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "certno_pattern");
    /* "ASC-2026-000123" is 15 bytes: a 16-byte buffer fits, 15 does not */
    assert_int_equal(sc_certno_format(d, 2026, 123, out, 16, &e), SC_OK);
    assert_string_equal(out, "ASC-2026-000123");
    assert_int_equal(sc_certno_format(d, 2026, 123, out, 15, &e),
                     SC_ERR_TOO_LARGE);
    assert_string_equal(e.field, "number");
    assert_string_equal(out, "");
}

static void expect_parse(const char *pattern, const char *text, int want_year,
                         int64_t want_seq)
{
    int year = -1;
    int64_t seq = -1;
    struct sc_error e;
    sc_error_clear(&e);
    enum sc_err rc = sc_certno_parse(pattern, text, &year, &seq, &e);
    if (rc != SC_OK)
        print_error("\"%s\": %s\n", text, e.message);
    assert_int_equal(rc, SC_OK);
    assert_int_equal(year, want_year);
    assert_int_equal(seq, want_seq);
}

static void expect_parse_bad(const char *pattern, const char *text,
                             const char *message)
{
    int year = -1;
    int64_t seq = -1;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_certno_parse(pattern, text, &year, &seq, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "number");
    assert_string_equal(e.message, message);
    assert_int_equal(year, -1); /* untouched */
    assert_int_equal(seq, -1);
}

static void test_parse(void **state)
{
    (void)state;
    const char *d = SC_CERTNO_DEFAULT_PATTERN;
    expect_parse(d, "ASC-2026-000123", 2026, 123);
    expect_parse(d, "ASC-2026-000001", 2026, 1);
    expect_parse(d, "ASC-2026-999999", 2026, 999999);
    expect_parse(d, "ASC-2026-1000000", 2026, 1000000);
    expect_parse(d, "ASC-2026-1234567", 2026, 1234567);
    expect_parse(d, "ASC-2026-999999999999", 2026, SC_CERTNO_SEQ_MAX);
    expect_parse(d, "ASC-0001-000005", 1, 5);
    expect_parse("{seq}", "7", 0, 7);
    expect_parse("{seq}{year}", "52026", 2026, 5);
    expect_parse("{seq}{year}", "1234562026", 2026, 123456);
    expect_parse("CB{seq:04}", "CB0042", 0, 42);
    expect_parse("X{seq}1", "X11", 0, 1);
    /* year may be NULL */
    int64_t seq = 0;
    assert_int_equal(sc_certno_parse(d, "ASC-2026-000123", NULL, &seq, NULL),
                     SC_OK);
    assert_int_equal(seq, 123);
}

static void test_parse_refused(void **state)
{
    (void)state;
    const char *d = SC_CERTNO_DEFAULT_PATTERN;
    expect_parse_bad(d, "", "a certificate number is required");
    expect_parse_bad(d, NULL, "a certificate number is required");
    expect_parse_bad(d, "ASC-2026-00123",
                     "too short for the pattern \"ASC-{year}-{seq:06}\"");
    expect_parse_bad(d, "ASC-26-000123",
                     "too short for the pattern \"ASC-{year}-{seq:06}\"");
    expect_parse_bad(d, "ASC-2026-0000000000123",
                     "too long for the pattern \"ASC-{year}-{seq:06}\"");
    expect_parse_bad(d, "ASC-2026-0000123",
                     "the sequence number at position 10 has a leading zero "
                     "beyond its padding to 6 digits (pattern "
                     "\"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "asc-2026-000123",
                     "expected \"ASC-\" at position 1 (pattern "
                     "\"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "ASC_2026-000123",
                     "expected \"ASC-\" at position 1 (pattern "
                     "\"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "ASC-2026/000123",
                     "expected \"-\" at position 9 (pattern "
                     "\"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "ASC-0000-000123",
                     "expected a 4-digit year 0001..9999 at position 5 "
                     "(pattern \"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "ASC-20x6-000123",
                     "expected a 4-digit year 0001..9999 at position 5 "
                     "(pattern \"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "ASC-2026-00012a",
                     "expected a 6-digit sequence number at position 10 "
                     "(pattern \"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "ASC-2026-000123 ",
                     "expected a 7-digit sequence number at position 10 "
                     "(pattern \"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "ASC-2026-+00123",
                     "expected a 6-digit sequence number at position 10 "
                     "(pattern \"ASC-{year}-{seq:06}\")");
    expect_parse_bad(d, "ASC-2026-000000",
                     "the sequence number at position "
                     "10 is 0; numbers start at 1");
    expect_parse_bad("{seq}", "0",
                     "the sequence number at position 1 is 0; "
                     "numbers start at 1");
    expect_parse_bad("{seq}", "07",
                     "the sequence number at position 1 has a "
                     "leading zero (pattern \"{seq}\")");
    expect_parse_bad("{seq:01}", "07",
                     "the sequence number at position 1 has a leading zero "
                     "beyond its padding to 1 digits (pattern \"{seq:01}\")");
    expect_parse_bad(d,
                     "ASC-2026-00000000000000000000000000000000000000000000000"
                     "000000000000000000000",
                     "a certificate number is at most 63 bytes");
    /* a bad pattern is reported as the pattern's fault */
    int64_t seq;
    struct sc_error e;
    assert_int_equal(sc_certno_parse("{year}", "2026", NULL, &seq, &e),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "certno_pattern");
}

/* xorshift64*, fixed seed */
static uint64_t rng_state = 0xC0FFEE1234567ULL;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* A random valid pattern: literal runs (digits included, to make parsing
 * work for its living), {seq} or {seq:0N}, maybe {year}, in random order. */
static void random_pattern(char *p, size_t cap)
{
    static const char lit[] = "ABCXYZ-/_.0123456789#";
    const char *pieces[3];
    char seqbuf[16];
    int pad = (int)(rng() % 13);
    if (pad == 0)
        snprintf(seqbuf, sizeof seqbuf, "{seq}");
    else
        snprintf(seqbuf, sizeof seqbuf, "{seq:0%d}", pad);
    size_t np = 0;
    pieces[np++] = seqbuf;
    if (rng() % 3)
        pieces[np++] = "{year}";
    if (np == 2 && rng() % 2) {
        const char *t = pieces[0];
        pieces[0] = pieces[1];
        pieces[1] = t;
    }
    size_t n = 0;
    for (size_t i = 0; i <= np; i++) {
        size_t run = rng() % 5;
        for (size_t k = 0; k < run && n + 1 < cap; k++)
            p[n++] = lit[rng() % (sizeof lit - 1)];
        if (i < np) {
            size_t l = strlen(pieces[i]);
            memcpy(p + n, pieces[i], l);
            n += l;
        }
    }
    p[n] = '\0';
}

static int64_t random_seq(void)
{
    /* spread over every width 1..12 */
    int digits = (int)(rng() % 12) + 1;
    int64_t lo = 1, hi;
    for (int i = 1; i < digits; i++)
        lo *= 10;
    hi = lo * 10 - 1;
    if (digits == 1)
        lo = 1;
    return lo + (int64_t)(rng() % (uint64_t)(hi - lo + 1));
}

static void test_property_round_trip(void **state)
{
    (void)state;
    char pattern[SC_CERTNO_PATTERN_MAX];
    char text[SC_CERTNO_MAX];
    for (int n = 0; n < 20000; n++) {
        random_pattern(pattern, sizeof pattern);
        assert_int_equal(sc_certno_validate_pattern(pattern, NULL), SC_OK);
        int year = (int)(rng() % 9999) + 1;
        int64_t seq = random_seq();
        struct sc_error e;
        assert_int_equal(
            sc_certno_format(pattern, year, seq, text, sizeof text, &e), SC_OK);
        int y2 = -1;
        int64_t s2 = -1;
        enum sc_err rc = sc_certno_parse(pattern, text, &y2, &s2, &e);
        if (rc != SC_OK)
            print_error("%s -> %s: %s\n", pattern, text, e.message);
        assert_int_equal(rc, SC_OK);
        assert_int_equal(s2, seq);
        assert_int_equal(y2, strstr(pattern, "{year}") ? year : 0);
    }
}

/* Strictness: mutate a formatted number (change, insert or delete one
 * character); whenever the result still parses, formatting what it parsed
 * to gives back exactly that text. So no two texts name the same
 * certificate. */
static void test_property_parse_is_exact(void **state)
{
    (void)state;
    static const char chars[] = "0123456789ABCXYZ-/_.#a ";
    char pattern[SC_CERTNO_PATTERN_MAX];
    char text[SC_CERTNO_MAX + 2];
    char again[SC_CERTNO_MAX];
    int parsed = 0;
    for (int n = 0; n < 20000; n++) {
        random_pattern(pattern, sizeof pattern);
        int year = (int)(rng() % 9999) + 1;
        assert_int_equal(sc_certno_format(pattern, year, random_seq(), text,
                                          SC_CERTNO_MAX, NULL),
                         SC_OK);
        size_t len = strlen(text);
        size_t at = rng() % (len + 1);
        char c = chars[rng() % (sizeof chars - 1)];
        switch (rng() % 3) {
        case 0: /* change */
            if (at < len)
                text[at] = c;
            break;
        case 1: /* insert */
            memmove(text + at + 1, text + at, len - at + 1);
            text[at] = c;
            break;
        default: /* delete */
            if (at < len)
                memmove(text + at, text + at + 1, len - at);
        }
        int y2;
        int64_t s2;
        if (sc_certno_parse(pattern, text, &y2, &s2, NULL) != SC_OK)
            continue;
        parsed++;
        assert_int_equal(sc_certno_format(pattern, y2 ? y2 : 1, s2, again,
                                          sizeof again, NULL),
                         SC_OK);
        assert_string_equal(again, text);
    }
    assert_true(parsed > 1000); /* the property was exercised */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pattern_valid),
        cmocka_unit_test(test_pattern_refused),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_refused),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_refused),
        cmocka_unit_test(test_property_round_trip),
        cmocka_unit_test(test_property_parse_is_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
