/*
 * store_session: the store's part of accounts (issue 4): passwords
 * (Argon2id strings from libsodium's crypto_pwhash_str in
 * users.password_hash), log-in sessions, bearer API tokens, the rate limits
 * on log-in and self-registration attempts, and the enterprise
 * self-registration. Everything lives in the database (migration 0006), so
 * any number of servers can share it.
 *
 * Secrets: a session or API token is 32 random bytes (randombytes_buf),
 * given to the client once as 64 hex digits (API tokens prefixed "sct_");
 * the database keeps only the SHA-256 of the bytes. A CSRF token (32 random
 * bytes, hex) is stored with each session: it is no credential on its own.
 *
 * Time: every function takes the front end's clock (clk->now, a UTC
 * instant "YYYY-MM-DDTHH:MM:SSZ"); nothing here reads the system clock.
 * A session is valid while now < expires_at (absolute, limits->absolute_s
 * after the log-in) and now < last_seen_at + limits->idle_s; last_seen_at is
 * written at most once per sc_session_touch_interval(limits) seconds, so
 * that a request does not cost a write.
 *
 * Rate limits (counters in table login_attempts): a log-in attempt is
 * counted BEFORE the password is checked (so racing attempts cannot exceed
 * the limit), and its rows are removed again when it succeeds; a success
 * also clears the account's count. An attempt is refused (SC_ERR_RATE_LIMITED,
 * *retry_after = seconds until one more attempt is allowed) when the
 * account has limits->account_max counted attempts within the last
 * limits->window_s seconds, or the client address limits->address_max.
 * Refused attempts are not counted. Self-registrations count per address.
 *
 * Account status: an admin deactivates an account (it can no longer log
 * in, its sessions end and its API tokens are revoked at once, its
 * history stays) and reactivates it (log-in works again; the ended
 * sessions and revoked tokens stay ended).
 *
 * Not for: HTTP (cookies, headers: src/http/auth.c), what a role may do
 * (src/core/policy.h), or users' other data (store_party.h).
 */
#ifndef SC_STORE_SESSION_H
#define SC_STORE_SESSION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/actor.h"
#include "store/store.h"

struct sc_party_org_input; /* store_party.h */

#define SC_SESSION_TOKEN_BYTES 32
#define SC_SESSION_TOKEN_HEX 65 /* 64 hex digits plus NUL */
#define SC_SESSION_API_PREFIX "sct_"
#define SC_SESSION_API_TOKEN_BUF 69 /* "sct_" + 64 hex + NUL */
#define SC_SESSION_PASSWORD_MIN 10  /* characters (code points) */
#define SC_SESSION_PASSWORD_MAX 128 /* bytes */
#define SC_SESSION_LABEL_MAX 100    /* API token label, bytes */
#define SC_SESSION_TOKEN_DAYS_DEFAULT 90
#define SC_SESSION_TOKEN_DAYS_MAX 366
#define SC_SESSION_REASON_MAX 2000 /* bytes of a deactivation reason */

/* The server's settings for sessions and rate limits. */
struct sc_session_limits {
    int64_t idle_s;     /* session ends after this long unused (8 h) */
    int64_t absolute_s; /* and at the latest this long after log-in (7 d) */
    int64_t window_s;   /* log-in attempts counted over this window (15 min) */
    int account_max;    /* attempts per account within the window (5) */
    int address_max;    /* attempts per client address (20) */
    int64_t register_window_s; /* self-registrations counted over (1 h) */
    int register_max;          /* per client address within it (10) */
};

/* The defaults in parentheses above. */
void sc_session_limits_default(struct sc_session_limits *l);

/* How often last_seen_at is refreshed: 60 s, or idle_s / 4 when the idle
 * limit is under 4 minutes (tests), at least 0 (every request). */
int64_t sc_session_touch_interval(const struct sc_session_limits *l);

/* ---- pure helpers (no database) ------------------------------------------ */

/*
 * The password policy: valid UTF-8 of at least SC_SESSION_PASSWORD_MIN
 * characters and at most SC_SESSION_PASSWORD_MAX bytes, no control
 * characters, not all white space, and not the login itself (ASCII case
 * ignored; `login` may be NULL). SC_ERR_INVALID with field `field`.
 */
enum sc_err sc_session_password_check(const char *login, const char *password,
                                      const char *field, struct sc_error *err);

/* Seconds since 1970-01-01T00:00:00Z of an instant "YYYY-MM-DDTHH:MM:SSZ"
 * (strict: that exact shape, a real date and time). false otherwise. */
bool sc_session_instant_parse(const char *text, int64_t *secs);

/* The instant of `secs` (years 1..9999) into out; false out of range. */
bool sc_session_instant_format(int64_t secs, char out[SC_STORE_INSTANT_BUF]);

/*
 * Decodes a token as the client shows it: `prefix` (may be "") followed by
 * exactly 64 hex digits (either case). false for anything else.
 */
bool sc_session_token_decode(const char *text, const char *prefix,
                             unsigned char out[SC_SESSION_TOKEN_BYTES]);

/* ---- passwords ------------------------------------------------------------ */

/*
 * Sets user `user`'s password. Who may:
 *   - the command-line operator (`starcert user passwd`, who holds the
 *     database file): `by_operator` true, for anyone, no old password;
 *     `actor` (may then be NULL) is only recorded on the event;
 *   - the user themself: `old_password` must be their current password
 *     (a wrong one is SC_ERR_FORBIDDEN on "old_password" and counts as a
 *     failed log-in of the account, with the same rate limit);
 *   - an admin, for anyone else (no old password);
 *   - nobody else (SC_ERR_FORBIDDEN, "as").
 * The new password must pass sc_session_password_check (field "password").
 * Every session of the user but `keep_session` (0: none) ends. Refusals:
 * SC_ERR_NOT_FOUND ("user"), SC_ERR_RATE_LIMITED (*retry_after set; may be
 * NULL). Event "user.password" (no secret in it).
 */
enum sc_err sc_store_password_set(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor,
                                  bool by_operator, int64_t user,
                                  const char *old_password,
                                  const char *new_password,
                                  int64_t keep_session,
                                  const struct sc_session_limits *limits,
                                  const char *client_ip, int64_t *retry_after,
                                  struct sc_error *err);

/* ---- sessions ------------------------------------------------------------- */

/* What a log-in hands the front end. */
struct sc_session_new {
    char token[SC_SESSION_TOKEN_HEX]; /* the cookie value: give it once */
    int64_t session_id;
    int64_t user_id;
    int64_t retry_after; /* on SC_ERR_RATE_LIMITED: seconds to wait */
};

/*
 * Logs `login` in with `password` from `client_ip` (text, may be NULL).
 * A wrong password, an unknown or inactive login and a login without a
 * password are the same SC_ERR_UNAUTHENTICATED and take the same time (an
 * unknown login is checked against a dummy hash). Too many attempts:
 * SC_ERR_RATE_LIMITED with out->retry_after. On success a session row is
 * written, out is filled, and *view (may be NULL; caller json_decrefs) is
 * the session view: {"user": the user's own view (sc_store_user_get),
 * "csrf_token", "created_at", "expires_at", "idle_timeout"} (seconds).
 * Expired sessions of all users are deleted on the way.
 */
enum sc_err sc_store_session_login(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const char *login, const char *password,
                                   const char *client_ip,
                                   const struct sc_session_limits *limits,
                                   struct sc_session_new *out, json_t **view,
                                   struct sc_error *err);

/*
 * The session of a cookie value (64 hex digits): fills *actor and
 * *session_id. SC_ERR_UNAUTHENTICATED when the value is malformed or
 * unknown, the session expired (idle or absolute), or its user is no longer
 * active. Refreshes last_seen_at when it is older than the touch interval
 * (best effort: a busy database does not fail the request).
 */
enum sc_err sc_store_session_identify(struct sc_store *st,
                                      const struct sc_clock *clk,
                                      const char *token,
                                      const struct sc_session_limits *limits,
                                      struct sc_actor *actor,
                                      int64_t *session_id,
                                      struct sc_error *err);

/* The CSRF token of session `id` into out. SC_ERR_UNAUTHENTICATED when the
 * session does not exist (any more). */
enum sc_err sc_store_session_csrf(struct sc_store *st, int64_t id,
                                  char out[SC_SESSION_TOKEN_HEX],
                                  struct sc_error *err);

/* The view of session `id` (as sc_store_session_login's) for `actor`, its
 * user. SC_ERR_UNAUTHENTICATED when it does not exist. */
enum sc_err sc_store_session_get(struct sc_store *st,
                                 const struct sc_actor *actor, int64_t id,
                                 const struct sc_session_limits *limits,
                                 json_t **view, struct sc_error *err);

/* Logs out: deletes session `id` (no-op when already gone). */
enum sc_err sc_store_session_delete(struct sc_store *st, int64_t id,
                                    struct sc_error *err);

/* ---- API tokens ----------------------------------------------------------- */

/*
 * Creates a bearer token for user `user`, valid `days` days (1 ..
 * SC_SESSION_TOKEN_DAYS_MAX; 0: SC_SESSION_TOKEN_DAYS_DEFAULT). `actor`
 * must be an admin (policy "user.create": who manages accounts). `label`
 * says what program holds it (1 .. SC_SESSION_LABEL_MAX bytes). The view
 * {"id", "user", "login", "label", "created_by", "created_at",
 * "expires_at", "revoked_at", "last_used_at", "token"} holds the token: it
 * is shown this once and never again. Refusals: SC_ERR_FORBIDDEN ("as"),
 * SC_ERR_NOT_FOUND ("user"), SC_ERR_INVALID ("user": inactive; "label";
 * "days"). Event "token.create" (without the token).
 */
enum sc_err sc_store_token_create(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor, int64_t user,
                                  const char *label, int64_t days,
                                  json_t **view, struct sc_error *err);

/*
 * Revokes token `id`: an admin any, a user their own. SC_ERR_NOT_FOUND
 * ("token"; also for another's token, so ids do not leak), SC_ERR_STATE
 * when already revoked. The view as above without "token". Event
 * "token.revoke".
 */
enum sc_err sc_store_token_revoke(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor, int64_t id,
                                  json_t **view, struct sc_error *err);

/* Tokens of `user` (0: all; admin only), or the actor's own (anyone),
 * newest first, without secrets. */
enum sc_err sc_store_token_list(struct sc_store *st,
                                const struct sc_actor *actor, int64_t user,
                                json_t **out, struct sc_error *err);

/*
 * The user of a bearer token ("sct_" + 64 hex): fills *actor and
 * *token_id. SC_ERR_UNAUTHENTICATED when malformed, unknown, revoked,
 * expired, or its user is inactive. Refreshes last_used_at at most once a
 * minute (best effort).
 */
enum sc_err sc_store_token_identify(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const char *token, struct sc_actor *actor,
                                    int64_t *token_id, struct sc_error *err);

/* ---- account status ------------------------------------------------------- */

/*
 * Deactivates user `user` (policy "user.deactivate": admin), in one
 * transaction: users.active becomes 0, every session of the user is
 * deleted and every API token not yet revoked is revoked (revoked_at =
 * clk->now), with event "user.deactivate" {"before": {"active": true},
 * "after": {"active": false}, "reason", "sessions_ended",
 * "tokens_revoked"}. Log-in, sessions and tokens already refuse an
 * inactive user (SC_ERR_UNAUTHENTICATED, the same as a wrong password),
 * and so do the CLI's --as and the audit team's check; nothing else of
 * the user changes. Refusals, in this order: SC_ERR_FORBIDDEN ("as");
 * SC_ERR_INVALID ("reason": blank, control characters or more than
 * SC_SESSION_REASON_MAX bytes); SC_ERR_NOT_FOUND ("user"); SC_ERR_INVALID
 * ("user") for the actor themself; SC_ERR_STATE ("user") when already
 * inactive; SC_ERR_CONFLICT ("user") when the user is an admin and no
 * other admin is active (checked inside the transaction, so two admins
 * deactivating each other at once cannot leave none). *view (may be
 * NULL): the user's view (sc_store_user_get).
 */
enum sc_err sc_store_user_deactivate(struct sc_store *st,
                                     const struct sc_clock *clk,
                                     const struct sc_actor *actor,
                                     int64_t user, const char *reason,
                                     json_t **view, struct sc_error *err);

/*
 * Reactivates user `user` (policy "user.reactivate": admin): users.active
 * becomes 1; sessions and tokens ended by the deactivation stay ended.
 * Event "user.reactivate" {"before": {"active": false}, "after":
 * {"active": true}}. Refusals: SC_ERR_FORBIDDEN ("as"), SC_ERR_NOT_FOUND
 * ("user"), SC_ERR_STATE ("user") when already active. *view as above.
 */
enum sc_err sc_store_user_reactivate(struct sc_store *st,
                                     const struct sc_clock *clk,
                                     const struct sc_actor *actor,
                                     int64_t user, json_t **view,
                                     struct sc_error *err);

/* ---- enterprise self-registration ---------------------------------------- */

struct sc_session_registration {
    const struct sc_party_org_input *organisation;
    const char *login;    /* the first enterprise user */
    const char *name;
    const char *password; /* checked with sc_session_password_check */
};

/*
 * An enterprise registers itself: its organisation and its first
 * enterprise user (with the password) in ONE transaction, with their
 * events, or nothing. Acts as the system: the organisation through
 * sc_store_org_create with the system actor, the user through
 * sc_store_user_create with an internal actor of user id 0 (the events
 * record actor 0, like every system action) and role admin (the only role
 * policy "user.create" admits), then event "registration.create" on the
 * organisation naming both. Fields of errors are prefixed
 * "organisation." or "user." (e.g. "organisation.uscc": the core's
 * check; SC_ERR_CONFLICT when the code or login is taken). Counted per
 * `client_ip` (SC_ERR_RATE_LIMITED with *retry_after). *view (may be
 * NULL): {"organisation": org view, "user": user view}.
 */
enum sc_err sc_store_registration_create(
    struct sc_store *st, const struct sc_clock *clk,
    const struct sc_session_registration *in, const char *client_ip,
    const struct sc_session_limits *limits, int64_t *retry_after,
    json_t **view, struct sc_error *err);

#endif
