/*
 * test_err: every error code maps to a wire name, a message and an HTTP
 * status; sc_error_set and sc_error_prefix_field keep to their caps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"

static void every_code_maps(void **state)
{
    (void)state;
    for (int c = 0; c < (int)SC_ERR_COUNT_; c++) {
        const char *name = sc_err_name((enum sc_err)c);
        assert_non_null(name);
        assert_true(strlen(name) > 0);
        assert_true(strlen(sc_err_message((enum sc_err)c)) > 0);
        int status = sc_err_http_status((enum sc_err)c);
        if (c == SC_OK)
            assert_int_equal(status, 200);
        else
            assert_in_range(status, 400, 599);
        /* wire names are unique */
        for (int d = 0; d < c; d++)
            assert_string_not_equal(name, sc_err_name((enum sc_err)d));
    }
    /* out-of-range values fall back to "internal" */
    assert_string_equal(sc_err_name((enum sc_err)999), "internal");
    assert_int_equal(sc_err_http_status((enum sc_err)-1), 500);
}

static void statuses_of_client_errors(void **state)
{
    (void)state;
    assert_int_equal(sc_err_http_status(SC_ERR_STATE), 409);
    assert_int_equal(sc_err_http_status(SC_ERR_FORBIDDEN), 403);
    assert_int_equal(sc_err_http_status(SC_ERR_UNAUTHENTICATED), 401);
    assert_int_equal(sc_err_http_status(SC_ERR_TOO_LARGE), 413);
    assert_int_equal(sc_err_http_status(SC_ERR_MEDIA_TYPE), 415);
    assert_int_equal(sc_err_http_status(SC_ERR_RATE_LIMITED), 429);
    assert_int_equal(sc_err_http_status(SC_ERR_INVALID), 422);
    assert_int_equal(sc_err_http_status(SC_ERR_MALFORMED), 400);
}

static void set_fills_and_returns(void **state)
{
    (void)state;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(e.code, SC_OK);
    assert_int_equal(sc_error_set(&e, SC_ERR_INVALID, "employees",
                                  "must be >= %d", 1),
                     SC_ERR_INVALID);
    assert_string_equal(e.field, "employees");
    assert_string_equal(e.message, "must be >= 1");
    assert_int_equal(sc_error_set(NULL, SC_ERR_STATE, "x", "y"), SC_ERR_STATE);
    sc_error_set(&e, SC_ERR_NOT_FOUND, NULL, NULL);
    assert_string_equal(e.field, "");
    assert_string_equal(e.message, "not found");
}

static void caps_cut_at_utf8_boundary(void **state)
{
    (void)state;
    struct sc_error e;
    char longmsg[1024];
    size_t n = 0;
    while (n + 3 < sizeof longmsg) { /* "星" is 3 bytes */
        memcpy(longmsg + n, "\xe6\x98\x9f", 3);
        n += 3;
    }
    longmsg[n] = '\0';
    sc_error_set(&e, SC_ERR_INVALID, longmsg, "%s", longmsg);
    assert_true(strlen(e.message) < SC_ERROR_MESSAGE_MAX);
    assert_int_equal(strlen(e.message) % 3, 0);
    assert_int_equal(strlen(e.field) % 3, 0);
}

static void prefix_field(void **state)
{
    (void)state;
    struct sc_error e;
    sc_error_set(&e, SC_ERR_INVALID, "samples", "x");
    sc_error_prefix_field(&e, "results.5.2.4");
    assert_string_equal(e.field, "results.5.2.4.samples");
    sc_error_set(&e, SC_ERR_INVALID, NULL, "x");
    sc_error_prefix_field(&e, "bonus[0]");
    assert_string_equal(e.field, "bonus[0]");
    char big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sc_error_prefix_field(&e, big);
    assert_int_equal(strlen(e.field), SC_ERROR_FIELD_MAX - 1);
    sc_error_prefix_field(NULL, "x"); /* no-op */
}

static void invalid_utf8_replaced(void **state)
{
    (void)state;
    struct sc_error e;
    sc_error_set(&e, SC_ERR_INVALID, "x\xff", "bad \"%s\" here", "a\xff\xc3Zb\xed\xa0\x80");
    assert_string_equal(e.field, "x?");
    assert_string_equal(e.message, "bad \"a??Zb???\" here");
    sc_error_set(&e, SC_ERR_INVALID, NULL, "ok \xe6\x98\x9f");
    assert_string_equal(e.message, "ok \xe6\x98\x9f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_maps),
        cmocka_unit_test(statuses_of_client_errors),
        cmocka_unit_test(set_fills_and_returns),
        cmocka_unit_test(caps_cut_at_utf8_boundary),
        cmocka_unit_test(prefix_field),
        cmocka_unit_test(invalid_utf8_replaced),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
