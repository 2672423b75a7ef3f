/*
 * proxy: the address a request comes from when the server runs behind
 * reverse proxies it trusts (nginx terminating TLS, a load balancer).
 * Such a proxy connects from its own address and names the client in
 * X-Forwarded-For ("client, proxy1, proxy2": each hop appends the address
 * it received the request from). Only a hop the operator listed is
 * believed: starting from the peer, while the address at hand is a trusted
 * proxy, step one entry to the left; the first untrusted address is the
 * client. A header from anyone else is ignored (a client cannot choose the
 * address its log-in attempts are counted under). Addresses compare in
 * binary form, so "::1" and "0:0:0:0:0:0:0:1" are one.
 * Not for: host names or address ranges (numeric addresses only).
 */
#ifndef SC_PROXY_H
#define SC_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define SC_PROXY_MAX 8          /* trusted proxies */
#define SC_PROXY_HOPS_MAX 16    /* X-Forwarded-For entries looked at */
#define SC_PROXY_ADDR_TEXT 46   /* INET6_ADDRSTRLEN */

struct sc_proxy_list {
    unsigned n;
    struct {
        int family; /* AF_INET or AF_INET6 */
        unsigned char bytes[16];
    } addr[SC_PROXY_MAX];
};

/* Adds a numeric IPv4 or IPv6 address; SC_ERR_INVALID (field
 * "trust_proxy") for anything else or for more than SC_PROXY_MAX. */
enum sc_err sc_proxy_add(struct sc_proxy_list *l, const char *text,
                         struct sc_error *err);

/* Adds each address of a comma-separated list (spaces allowed). */
enum sc_err sc_proxy_add_list(struct sc_proxy_list *l, const char *text,
                              struct sc_error *err);

/* Whether `ip` (numeric text) is one of the list's addresses. */
bool sc_proxy_trusted(const struct sc_proxy_list *l, const char *ip);

/*
 * The client's address, as text, into out (cap >= SC_PROXY_ADDR_TEXT):
 * `peer` itself unless the peer is trusted and `xff` (the
 * X-Forwarded-For value, or NULL) names an address to its left as above.
 * An entry that is not a numeric address stops the walk at the last
 * trusted hop (its address is then the answer). Past SC_PROXY_HOPS_MAX
 * trusted hops the walk stops too.
 */
void sc_proxy_client(const struct sc_proxy_list *l, const char *peer,
                     const char *xff, char *out, size_t cap);

#endif
