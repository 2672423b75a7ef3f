/*
 * auth: sessions and tokens are not stored yet; every request is
 * anonymous. (Replaced by the sessions implementation.)
 */
#include "http/auth.h"

enum sc_err sc_auth_identify(struct sc_http_req *req, struct sc_error *err)
{
    (void)err;
    req->authenticated = false;
    return SC_OK;
}

enum sc_err sc_auth_check_csrf(struct sc_http_req *req, struct sc_error *err)
{
    (void)req;
    (void)err;
    return SC_OK;
}
