/*
 * router: segment-by-segment matching of the route table (routes.c holds
 * the table itself). A pattern segment "{name}" captures one path segment.
 */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

static int split(char *path, char *seg[SC_ROUTE_SEGMENTS_MAX + 1])
{
    int n = 0;
    char *p = path;
    if (*p != '/')
        return -1;
    while (*p == '/') {
        *p++ = '\0';
        if (*p == '\0')
            break; /* a trailing slash matches nothing extra */
        if (n == SC_ROUTE_SEGMENTS_MAX)
            return -1;
        seg[n++] = p;
        while (*p && *p != '/')
            p++;
    }
    return n;
}

/* Does `pattern` match the segments? Captures go to params. */
static bool match(const char *pattern, char *const *seg, int n,
                  const char *params[SC_HTTP_MAX_PARAMS], int *n_params)
{
    int i = 0, np = 0;
    const char *p = pattern;
    while (*p == '/') {
        p++;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (i >= n)
            return false;
        if (len >= 2 && p[0] == '{' && p[len - 1] == '}') {
            if (np == SC_HTTP_MAX_PARAMS || seg[i][0] == '\0')
                return false;
            params[np++] = seg[i];
        } else if (strlen(seg[i]) != len || memcmp(seg[i], p, len) != 0) {
            return false;
        }
        i++;
        p += len;
    }
    if (i != n)
        return false;
    *n_params = np;
    return true;
}

size_t sc_route_index(const struct sc_route *r)
{
    size_t n = 0;
    const struct sc_route *t = sc_routes(&n);
    return (size_t)(r - t);
}

enum sc_err sc_router_match(const char *method, const char *path,
                            const struct sc_route **route,
                            const char *params[SC_HTTP_MAX_PARAMS],
                            int *n_params, char *buf, size_t cap, char *allow,
                            size_t allow_cap, struct sc_error *err)
{
    char *seg[SC_ROUTE_SEGMENTS_MAX + 1];
    size_t plen = strlen(path);
    if (plen >= cap || plen >= SC_ROUTE_PATH_MAX)
        return sc_error_set(err, SC_ERR_NOT_FOUND, "path", "no such resource");
    memcpy(buf, path, plen + 1);
    int n = split(buf, seg);
    if (n < 0)
        return sc_error_set(err, SC_ERR_NOT_FOUND, "path", "no such resource");

    size_t count = 0;
    const struct sc_route *t = sc_routes(&count);
    bool path_known = false;
    size_t used = 0;
    if (allow && allow_cap)
        allow[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        const char *pp[SC_HTTP_MAX_PARAMS];
        int np = 0;
        if (!match(t[i].pattern, seg, n, pp, &np))
            continue;
        if (strcmp(t[i].method, method) == 0) {
            memcpy(params, pp, sizeof pp);
            *n_params = np;
            *route = &t[i];
            return SC_OK;
        }
        path_known = true;
        if (allow && used < allow_cap && !strstr(allow, t[i].method)) {
            int w = snprintf(allow + used, allow_cap - used, "%s%s",
                             used ? ", " : "", t[i].method);
            if (w > 0)
                used += (size_t)w;
        }
    }
    if (path_known)
        return sc_error_set(err, SC_ERR_METHOD, "method",
                            "%s is not allowed here", method);
    return sc_error_set(err, SC_ERR_NOT_FOUND, "path", "no such resource");
}
