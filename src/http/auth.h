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

#include <stdbool.h>

#include "core/err.h"
#include "http/http.h"
#include "store/store_session.h"

#define SC_AUTH_COOKIE "sc_session"
#define SC_AUTH_CSRF_HEADER "X-CSRF-Token"

/*
 * The server's account settings. Defaults: store_session.h's limits
 * (sessions 8 h idle, 7 days absolute; 5 failed log-ins per account and 20
 * per address in 15 minutes; 10 self-registrations per address an hour)
 * and no Secure cookie attribute.
 */
struct sc_auth_config {
    struct sc_session_limits limits;
    bool secure_cookies; /* add "Secure" to the cookie (an HTTPS site,
                            also behind a TLS-terminating proxy) */
};

/*
 * The defaults, overridden by the environment where set:
 * STARCERT_SESSION_IDLE_SECONDS, STARCERT_SESSION_ABSOLUTE_SECONDS,
 * STARCERT_LOGIN_WINDOW_SECONDS, STARCERT_LOGIN_ACCOUNT_MAX,
 * STARCERT_LOGIN_ADDRESS_MAX, STARCERT_REGISTER_WINDOW_SECONDS,
 * STARCERT_REGISTER_MAX (whole numbers >= 1) and STARCERT_SECURE_COOKIES
 * ("1", "true" or "yes"; "0", "false", "no"). A value that does not parse
 * is SC_ERR_INVALID with the variable's name as field (c keeps the
 * defaults for it).
 */
enum sc_err sc_auth_config_from_env(struct sc_auth_config *c,
                                    struct sc_error *err);

/*
 * Sets the settings every later request uses (call before the server
 * starts; not thread-safe against running requests). Without it, the
 * first request reads sc_auth_config_from_env (a bad variable is reported
 * on stderr and its default kept).
 */
void sc_auth_configure(const struct sc_auth_config *c);

/* The settings in use (static storage). */
const struct sc_auth_config *sc_auth_settings(void);

/*
 * The Set-Cookie value for a new session's token ("sc_session=TOKEN;
 * Path=/; HttpOnly; SameSite=Strict", plus "; Secure" when configured;
 * no Max-Age: a browser-session cookie, the server enforces the expiry),
 * or, with token NULL, the value that deletes the cookie. Allocated from
 * `arena`; NULL when out of memory.
 */
const char *sc_auth_cookie(struct sc_arena *arena, const char *token);

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
