/*
 * test_proxy: which address a request comes from behind trusted reverse
 * proxies (src/http/proxy.h): only listed hops are believed, the walk goes
 * from the right, a malformed entry stops it, addresses compare in binary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/proxy.h"

static struct sc_proxy_list list_of(const char *text)
{
    struct sc_proxy_list l;
    struct sc_error err;
    memset(&l, 0, sizeof l);
    sc_error_clear(&err);
    assert_int_equal(sc_proxy_add_list(&l, text, &err), SC_OK);
    return l;
}

static const char *client(const struct sc_proxy_list *l, const char *peer,
                          const char *xff)
{
    static char out[SC_PROXY_ADDR_TEXT];
    sc_proxy_client(l, peer, xff, out, sizeof out);
    return out;
}

static void only_a_trusted_peer_is_believed(void **state)
{
    (void)state;
    struct sc_proxy_list none;
    memset(&none, 0, sizeof none);
    assert_string_equal(client(&none, "127.0.0.1", "203.0.113.9"),
                        "127.0.0.1");
    struct sc_proxy_list l = list_of("127.0.0.1");
    assert_string_equal(client(&l, "127.0.0.1", "203.0.113.9"),
                        "203.0.113.9");
    /* another peer sending the header: ignored */
    assert_string_equal(client(&l, "198.51.100.7", "203.0.113.9"),
                        "198.51.100.7");
    /* no header: the peer */
    assert_string_equal(client(&l, "127.0.0.1", NULL), "127.0.0.1");
}

static void the_walk_goes_from_the_right(void **state)
{
    (void)state;
    struct sc_proxy_list l = list_of("127.0.0.1, 10.0.0.2");
    /* a client-supplied entry on the left is not believed */
    assert_string_equal(
        client(&l, "127.0.0.1", "6.6.6.6, 203.0.113.9, 10.0.0.2"),
        "203.0.113.9");
    assert_string_equal(client(&l, "127.0.0.1", "203.0.113.9 ,10.0.0.2 "),
                        "203.0.113.9");
    /* every entry a trusted hop: the leftmost */
    assert_string_equal(client(&l, "127.0.0.1", "10.0.0.2"), "10.0.0.2");
}

static void a_malformed_entry_stops_the_walk(void **state)
{
    (void)state;
    struct sc_proxy_list l = list_of("127.0.0.1,10.0.0.2");
    assert_string_equal(client(&l, "127.0.0.1", "unknown"), "127.0.0.1");
    assert_string_equal(client(&l, "127.0.0.1", ""), "127.0.0.1");
    assert_string_equal(client(&l, "127.0.0.1", "203.0.113.9, junk, 10.0.0.2"),
                        "10.0.0.2");
    assert_string_equal(client(&l, "127.0.0.1", "203.0.113.9,"), "127.0.0.1");
    assert_string_equal(client(&l, "127.0.0.1", "1.2.3.4:5678"), "127.0.0.1");
    char longer[300];
    memset(longer, '1', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_string_equal(client(&l, "127.0.0.1", longer), "127.0.0.1");
}

static void ipv6_compares_in_binary(void **state)
{
    (void)state;
    struct sc_proxy_list l = list_of("::1");
    assert_true(sc_proxy_trusted(&l, "0:0:0:0:0:0:0:1"));
    assert_false(sc_proxy_trusted(&l, "127.0.0.1"));
    /* the answer is written in the canonical form */
    assert_string_equal(client(&l, "::1", "2001:DB8:0:0:0:0:0:1"),
                        "2001:db8::1");
}

static void bad_lists_are_refused(void **state)
{
    (void)state;
    struct sc_proxy_list l;
    struct sc_error err;
    memset(&l, 0, sizeof l);
    sc_error_clear(&err);
    assert_int_equal(sc_proxy_add(&l, "localhost", &err), SC_ERR_INVALID);
    assert_string_equal(err.field, "trust_proxy");
    assert_int_equal(sc_proxy_add_list(&l, "127.0.0.1,,::1", &err),
                     SC_ERR_INVALID);
    assert_int_equal(sc_proxy_add_list(&l, "", &err), SC_ERR_INVALID);
    assert_int_equal(sc_proxy_add(&l, "10.0.0.0/8", &err), SC_ERR_INVALID);
    memset(&l, 0, sizeof l);
    char text[32];
    for (int i = 0; i < SC_PROXY_MAX; i++) {
        snprintf(text, sizeof text, "10.0.0.%d", i + 1);
        assert_int_equal(sc_proxy_add(&l, text, &err), SC_OK);
    }
    assert_int_equal(sc_proxy_add(&l, "10.0.0.1", &err), SC_OK); /* again */
    assert_int_equal(sc_proxy_add(&l, "10.0.0.99", &err), SC_ERR_INVALID);
    assert_int_equal(l.n, SC_PROXY_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(only_a_trusted_peer_is_believed),
        cmocka_unit_test(the_walk_goes_from_the_right),
        cmocka_unit_test(a_malformed_entry_stops_the_walk),
        cmocka_unit_test(ipv6_compares_in_binary),
        cmocka_unit_test(bad_lists_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
