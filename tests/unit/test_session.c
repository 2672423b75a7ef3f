/*
 * test_session: the pure parts of store_session: the password policy, the
 * UTC instants sessions and counters are computed with, the token format,
 * and the settings' defaults. The database parts are tested over HTTP
 * (tests/api/test_auth.test.mjs) and by tests/cli/test_account.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "store/store_session.h"

static enum sc_err pw(const char *login, const char *password,
                      struct sc_error *err)
{
    sc_error_clear(err);
    return sc_session_password_check(login, password, "password", err);
}

static void password_length_edges(void **state)
{
    (void)state;
    struct sc_error err;
    assert_int_equal(pw("alice", "123456789", &err), SC_ERR_INVALID); /* 9 */
    assert_string_equal(err.field, "password");
    assert_int_equal(pw("alice", "1234567890", &err), SC_OK); /* 10 */
    assert_int_equal(pw("alice", "", &err), SC_ERR_INVALID);
    assert_int_equal(pw("alice", NULL, &err), SC_ERR_INVALID);

    char buf[200];
    memset(buf, 'a', sizeof buf);
    buf[128] = '\0';
    assert_int_equal(pw("alice", buf, &err), SC_OK); /* 128 bytes */
    buf[128] = 'a';
    buf[129] = '\0';
    assert_int_equal(pw("alice", buf, &err), SC_ERR_INVALID); /* 129 */
}

static void password_counts_characters_not_bytes(void **state)
{
    (void)state;
    struct sc_error err;
    /* 9 Chinese characters = 27 bytes: still too short */
    assert_int_equal(pw("alice", "售后服务认证星级评", &err), SC_ERR_INVALID);
    /* 10 characters */
    assert_int_equal(pw("alice", "售后服务认证星级评价", &err), SC_OK);
    /* 43 characters of 3 bytes = 129 bytes: too long in bytes */
    char buf[200] = "";
    for (int i = 0; i < 43; i++)
        memcpy(buf + 3 * i, "星", 4); /* 3 bytes and the NUL */
    assert_int_equal(strlen(buf), 129);
    assert_int_equal(pw("alice", buf, &err), SC_ERR_INVALID);
    buf[126] = '\0'; /* 42 characters, 126 bytes */
    assert_int_equal(pw("alice", buf, &err), SC_OK);
}

static void password_refusals(void **state)
{
    (void)state;
    struct sc_error err;
    assert_int_equal(pw("alice", "tab\there 12345", &err), SC_ERR_INVALID);
    assert_int_equal(pw("alice", "            ", &err), SC_ERR_INVALID);
    assert_int_equal(pw("alice", "\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80"
                                 "\x80\xe3\x80\x80\xe3\x80\x80\xe3\x80\x80\xe3"
                                 "\x80\x80\xe3\x80\x80\xe3\x80\x80",
                         &err),
                     SC_ERR_INVALID); /* ten ideographic spaces */
    assert_int_equal(pw("alice", "bad \xff utf8 text", &err), SC_ERR_INVALID);
    /* the login itself, in any ASCII case */
    assert_int_equal(pw("enterprise1", "enterprise1", &err), SC_ERR_INVALID);
    assert_int_equal(pw("enterprise1", "ENTERPRISE1", &err), SC_ERR_INVALID);
    assert_int_equal(pw("enterprise1", "enterprise12", &err), SC_OK);
    assert_int_equal(pw(NULL, "enterprise1", &err), SC_OK);
    /* spaces inside are fine */
    assert_int_equal(pw("alice", "correct horse", &err), SC_OK);
}

static void instant_known_values(void **state)
{
    (void)state;
    int64_t s = -1;
    assert_true(sc_session_instant_parse("1970-01-01T00:00:00Z", &s));
    assert_int_equal(s, 0);
    assert_true(sc_session_instant_parse("2000-03-01T00:00:00Z", &s));
    assert_int_equal(s, 951868800);
    assert_true(sc_session_instant_parse("2024-02-29T23:59:59Z", &s));
    assert_int_equal(s, 1709251199);
    assert_true(sc_session_instant_parse("1969-12-31T23:59:59Z", &s));
    assert_int_equal(s, -1);

    char buf[SC_STORE_INSTANT_BUF];
    assert_true(sc_session_instant_format(1709251199 + 1, buf));
    assert_string_equal(buf, "2024-03-01T00:00:00Z");
    assert_true(sc_session_instant_format(-1, buf));
    assert_string_equal(buf, "1969-12-31T23:59:59Z");
    /* 15 minutes before midnight of a new year */
    assert_true(sc_session_instant_parse("2025-01-01T00:10:00Z", &s));
    assert_true(sc_session_instant_format(s - 900, buf));
    assert_string_equal(buf, "2024-12-31T23:55:00Z");
}

static void instant_refusals(void **state)
{
    (void)state;
    int64_t s = 0;
    const char *bad[] = {
        "2023-02-29T00:00:00Z", /* no 29 February in 2023 */
        "2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z",
        "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:60Z", "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00",  "2024-01-01T00:00:00+08:00",
        "2024-1-01T00:00:00Z",  "2024-01-01T00:00:0xZ",
        "",                     NULL,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(sc_session_instant_parse(bad[i], &s));
    char buf[SC_STORE_INSTANT_BUF];
    assert_false(sc_session_instant_format(INT64_C(400000000000), buf));
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Property: format then parse gives back the same second, and a later
 * second formats to a text that sorts later (what the SQL relies on). */
static void instant_round_trip_and_order(void **state)
{
    (void)state;
    uint64_t x = 0x9E3779B97F4A7C15u;
    int64_t lo = -62135596800; /* 0001-01-01T00:00:00Z */
    int64_t span = 253402300799 - lo; /* to 9999-12-31T23:59:59Z */
    char a[SC_STORE_INSTANT_BUF], b[SC_STORE_INSTANT_BUF];
    for (int i = 0; i < 20000; i++) {
        int64_t s = lo + (int64_t)(xorshift(&x) % (uint64_t)span);
        int64_t back = 0;
        assert_true(sc_session_instant_format(s, a));
        assert_true(sc_session_instant_parse(a, &back));
        assert_int_equal(back, s);
        int64_t t = s + 1 + (int64_t)(xorshift(&x) % 1000000);
        if (t > lo + span)
            continue;
        assert_true(sc_session_instant_format(t, b));
        assert_true(strcmp(a, b) < 0);
    }
}

static void token_decode(void **state)
{
    (void)state;
    unsigned char out[SC_SESSION_TOKEN_BYTES];
    char hex[80];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", i * 7 + 1);
    assert_true(sc_session_token_decode(hex, "", out));
    assert_int_equal(out[0], 1);
    assert_int_equal(out[31], 31 * 7 + 1);
    assert_false(sc_session_token_decode(hex, "sct_", out));

    char pref[90];
    snprintf(pref, sizeof pref, "sct_%s", hex);
    assert_true(sc_session_token_decode(pref, "sct_", out));
    pref[4] = 'A'; /* upper case is hex too */
    pref[5] = 'F';
    assert_true(sc_session_token_decode(pref, "sct_", out));
    assert_int_equal(out[0], 0xAF);
    pref[6] = 'g';
    assert_false(sc_session_token_decode(pref, "sct_", out));

    hex[63] = '\0'; /* 63 digits */
    assert_false(sc_session_token_decode(hex, "", out));
    hex[63] = '0';
    hex[64] = '0'; /* 65 digits */
    hex[65] = '\0';
    assert_false(sc_session_token_decode(hex, "", out));
    assert_false(sc_session_token_decode("", "", out));
    assert_false(sc_session_token_decode(NULL, "", out));
}

static void limits_and_touch(void **state)
{
    (void)state;
    struct sc_session_limits l;
    sc_session_limits_default(&l);
    assert_int_equal(l.idle_s, 8 * 3600);
    assert_int_equal(l.absolute_s, 7 * 86400);
    assert_int_equal(l.window_s, 900);
    assert_int_equal(l.account_max, 5);
    assert_int_equal(l.address_max, 20);
    assert_int_equal(sc_session_touch_interval(&l), 60);
    l.idle_s = 240;
    assert_int_equal(sc_session_touch_interval(&l), 60);
    l.idle_s = 239;
    assert_int_equal(sc_session_touch_interval(&l), 59);
    l.idle_s = 2;
    assert_int_equal(sc_session_touch_interval(&l), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(password_length_edges),
        cmocka_unit_test(password_counts_characters_not_bytes),
        cmocka_unit_test(password_refusals),
        cmocka_unit_test(instant_known_values),
        cmocka_unit_test(instant_refusals),
        cmocka_unit_test(instant_round_trip_and_order),
        cmocka_unit_test(token_decode),
        cmocka_unit_test(limits_and_touch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
