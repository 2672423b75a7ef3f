/*
 * handlers: every route handler, one function per route, grouped in
 * h_<resource>.c files. Each has the sc_http_handler shape (http.h): parse
 * and validate input, call one store or core function, fill the response.
 * Not for: the route table (routes.c) or anything that writes the wire.
 */
#ifndef SC_HANDLERS_H
#define SC_HANDLERS_H

#include "http/http.h"

#define SC_HANDLER(name)                                                       \
    enum sc_err name(struct sc_http_req *req, struct sc_http_resp *resp,       \
                     struct sc_error *err)

/* h_public.c */
SC_HANDLER(sc_h_healthz);
SC_HANDLER(sc_h_metrics);
SC_HANDLER(sc_h_registry_get);
SC_HANDLER(sc_h_registry_search);

#endif
