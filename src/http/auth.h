/*
 * auth: who is calling. Sessions (a random 256-bit token, stored hashed,
 * sent as the HttpOnly SameSite=Strict cookie `sc_session`), bearer API
 * tokens for programs (`Authorization: Bearer ...`), the CSRF check on
 * cookie-authenticated writes, and the log-in handlers with their rate
 * limits. Sessions and counters live in the database, so any number of
 * servers can share it.
 * Not for: what a role may do (policy.h, router.h).
 */
#ifndef SC_AUTH_H
#define SC_AUTH_H

#include "core/err.h"
#include "http/http.h"

#define SC_AUTH_COOKIE "sc_session"
#define SC_AUTH_CSRF_HEADER "X-CSRF-Token"

/*
 * Identifies the caller from the bearer token or the session cookie. No
 * credentials: SC_OK with req->authenticated false. Credentials that are
 * unknown, expired, or of a disabled user: SC_ERR_UNAUTHENTICATED. On
 * success fills req->actor, req->authenticated, req->via_cookie and
 * req->session_id.
 */
enum sc_err sc_auth_identify(struct sc_http_req *req, struct sc_error *err);

/*
 * For a cookie-authenticated request with an unsafe method (anything but
 * GET and HEAD): the X-CSRF-Token header must equal the session's CSRF
 * token, else SC_ERR_FORBIDDEN (field "csrf"). Bearer-token requests and
 * safe methods pass.
 */
enum sc_err sc_auth_check_csrf(struct sc_http_req *req, struct sc_error *err);

#endif
