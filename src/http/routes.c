/*
 * routes: THE route table. Every route the server answers is one row here;
 * docs/openapi.yaml describes exactly these (a test compares them).
 */
#include "http/handlers.h"
#include "http/router.h"

#define PUBLIC SC_ROUTE_PUBLIC
#define OPTIONAL SC_ROUTE_OPTIONAL
#define SESSION SC_ROUTE_SESSION

static const struct sc_route table[] = {
    {"GET", "/healthz", PUBLIC, NULL, sc_h_healthz, "healthz"},
    {"GET", "/metrics", PUBLIC, NULL, sc_h_metrics, "metrics"},
    {"GET", "/api/v1/registry", PUBLIC, NULL, sc_h_registry_search,
     "registry_search"},
    {"GET", "/api/v1/registry/{number}", PUBLIC, NULL, sc_h_registry_get,
     "registry_get"},
};

const struct sc_route *sc_routes(size_t *n)
{
    *n = sizeof table / sizeof table[0];
    return table;
}
