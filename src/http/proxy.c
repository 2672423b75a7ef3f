/*
 * proxy: X-Forwarded-For from trusted proxies only (see proxy.h).
 */
#include "http/proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* Parses numeric text into family + bytes; false when it is neither. */
static bool parse(const char *text, size_t len, int *family,
                  unsigned char bytes[16])
{
    char buf[SC_PROXY_ADDR_TEXT];
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, text, len);
    buf[len] = '\0';
    memset(bytes, 0, 16);
    if (inet_pton(AF_INET, buf, bytes) == 1) {
        *family = AF_INET;
        return true;
    }
    if (inet_pton(AF_INET6, buf, bytes) == 1) {
        *family = AF_INET6;
        return true;
    }
    return false;
}

static bool listed(const struct sc_proxy_list *l, int family,
                   const unsigned char bytes[16])
{
    for (unsigned i = 0; i < l->n; i++)
        if (l->addr[i].family == family &&
            memcmp(l->addr[i].bytes, bytes, 16) == 0)
            return true;
    return false;
}

enum sc_err sc_proxy_add(struct sc_proxy_list *l, const char *text,
                         struct sc_error *err)
{
    int family = 0;
    unsigned char bytes[16];
    if (!text || !parse(text, strlen(text), &family, bytes))
        return sc_error_set(err, SC_ERR_INVALID, "trust_proxy",
                            "\"%.60s\" is not a numeric IPv4 or IPv6 address",
                            text ? text : "");
    if (listed(l, family, bytes))
        return SC_OK;
    if (l->n >= SC_PROXY_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "trust_proxy",
                            "at most %d trusted proxies", SC_PROXY_MAX);
    l->addr[l->n].family = family;
    memcpy(l->addr[l->n].bytes, bytes, 16);
    l->n++;
    return SC_OK;
}

enum sc_err sc_proxy_add_list(struct sc_proxy_list *l, const char *text,
                              struct sc_error *err)
{
    const char *p = text ? text : "";
    for (;;) {
        while (*p == ' ')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && p[len - 1] == ' ')
            len--;
        char one[SC_PROXY_ADDR_TEXT + 1];
        if (len == 0 || len >= sizeof one)
            return sc_error_set(err, SC_ERR_INVALID, "trust_proxy",
                                "give numeric addresses separated by commas");
        memcpy(one, p, len);
        one[len] = '\0';
        enum sc_err rc = sc_proxy_add(l, one, err);
        if (rc != SC_OK || !end)
            return rc;
        p = end + 1;
    }
}

bool sc_proxy_trusted(const struct sc_proxy_list *l, const char *ip)
{
    int family = 0;
    unsigned char bytes[16];
    return l->n && ip && parse(ip, strlen(ip), &family, bytes) &&
           listed(l, family, bytes);
}

void sc_proxy_client(const struct sc_proxy_list *l, const char *peer,
                     const char *xff, char *out, size_t cap)
{
    snprintf(out, cap, "%s", peer ? peer : "?");
    if (!xff || !sc_proxy_trusted(l, peer))
        return;
    /* walk the entries from the right */
    size_t end = strlen(xff);
    for (int hops = 0; hops < SC_PROXY_HOPS_MAX; hops++) {
        while (end > 0 && (xff[end - 1] == ' ' || xff[end - 1] == '\t'))
            end--;
        size_t start = end;
        while (start > 0 && xff[start - 1] != ',')
            start--;
        size_t s = start;
        while (s < end && (xff[s] == ' ' || xff[s] == '\t'))
            s++;
        int family = 0;
        unsigned char bytes[16];
        if (!parse(xff + s, end - s, &family, bytes))
            return; /* not an address: keep the last trusted hop */
        char text[SC_PROXY_ADDR_TEXT];
        if (!inet_ntop(family, bytes, text, sizeof text))
            return;
        snprintf(out, cap, "%s", text);
        if (!listed(l, family, bytes) || start == 0)
            return; /* the client, or the leftmost entry */
        end = start - 1; /* before the comma */
    }
}
