/*
 * store_session: passwords, sessions, API tokens, attempt counters and the
 * enterprise self-registration (see store_session.h). Password hashing
 * (Argon2id, libsodium's interactive limits) runs OUTSIDE any transaction,
 * so that a log-in never holds the database's write lock for the tens of
 * milliseconds a hash takes. Portable SQL only.
 */
#include "store/store_session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/policy.h"
#include "core/text.h"
#include "store/db.h"
#include "store/events.h"
#include "store/store_party.h"

/* Argon2id cost: libsodium's "interactive" limits (2 passes, 64 MiB). */
#define PWHASH_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PWHASH_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE
#define SUBJECT_MAX 64 /* bytes of a login or address kept as a counter key */

/* ---- SQL ---------------------------------------------------------------- */

static const char SQL_ATT_COUNT[] =
    "SELECT COUNT(*) FROM login_attempts WHERE kind = ?1 AND subject = ?2 "
    "AND at > ?3";
static const char SQL_ATT_NTH[] =
    "SELECT at FROM login_attempts WHERE kind = ?1 AND subject = ?2 AND at > "
    "?3 ORDER BY at DESC, id DESC LIMIT 1 OFFSET ?4";
static const char SQL_ATT_INSERT[] =
    "INSERT INTO login_attempts (kind, subject, at) VALUES (?1, ?2, ?3) "
    "RETURNING id";
static const char SQL_ATT_DELETE_ID[] = "DELETE FROM login_attempts WHERE id = ?1";
static const char SQL_ATT_CLEAR[] =
    "DELETE FROM login_attempts WHERE kind = ?1 AND subject = ?2";
static const char SQL_ATT_PURGE[] = "DELETE FROM login_attempts WHERE at <= ?1";

static const char SQL_USER_PW_BY_LOGIN[] =
    "SELECT id, password_hash FROM users WHERE login = ?1 AND active = 1";
static const char SQL_USER_PW_BY_ID[] =
    "SELECT login, password_hash FROM users WHERE id = ?1";
static const char SQL_USER_ACTOR[] =
    "SELECT id, login, name, role, COALESCE(organisation_id, 0), active "
    "FROM users WHERE id = ?1";
static const char SQL_USER_SET_PW[] =
    "UPDATE users SET password_hash = ?2, password_changed_at = ?3 "
    "WHERE id = ?1";

static const char SQL_SESSION_INSERT[] =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
    "last_seen_at, expires_at, client_ip) VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6) "
    "RETURNING id";
static const char SQL_SESSION_PURGE[] =
    "DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?2";
static const char SQL_SESSION_BY_HASH[] =
    "SELECT s.id, s.last_seen_at, s.expires_at, u.id, u.login, u.name, "
    "u.role, COALESCE(u.organisation_id, 0), u.active FROM sessions s "
    "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1";
static const char SQL_SESSION_TOUCH[] =
    "UPDATE sessions SET last_seen_at = ?2 WHERE id = ?1";
static const char SQL_SESSION_GET[] =
    "SELECT csrf_token, created_at, expires_at, user_id FROM sessions "
    "WHERE id = ?1";
static const char SQL_SESSION_DELETE[] = "DELETE FROM sessions WHERE id = ?1";
static const char SQL_SESSION_DELETE_USER[] =
    "DELETE FROM sessions WHERE user_id = ?1 AND id <> ?2";

static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO api_tokens (token_hash, user_id, label, created_by, "
    "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
static const char SQL_TOKEN_GET[] =
    "SELECT t.id, t.user_id, u.login, t.label, t.created_by, t.created_at, "
    "t.expires_at, t.revoked_at, t.last_used_at FROM api_tokens t "
    "JOIN users u ON u.id = t.user_id WHERE t.id = ?1";
static const char SQL_TOKEN_LIST[] =
    "SELECT t.id, t.user_id, u.login, t.label, t.created_by, t.created_at, "
    "t.expires_at, t.revoked_at, t.last_used_at FROM api_tokens t "
    "JOIN users u ON u.id = t.user_id WHERE (?1 = 0 OR t.user_id = ?1) "
    "ORDER BY t.id DESC LIMIT ?2";
static const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS "
    "NULL";
static const char SQL_TOKEN_BY_HASH[] =
    "SELECT t.id, t.expires_at, t.revoked_at, t.last_used_at, u.id, "
    "u.login, u.name, u.role, COALESCE(u.organisation_id, 0), u.active "
    "FROM api_tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.token_hash = ?1";
static const char SQL_TOKEN_TOUCH[] =
    "UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1";

static const char SQL_USER_DEACTIVATE[] =
    "UPDATE users SET active = 0 WHERE id = ?1";
static const char SQL_USER_REACTIVATE[] =
    "UPDATE users SET active = 1 WHERE id = ?1";
static const char SQL_ADMINS_OTHER[] =
    "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND "
    "id <> ?1";
static const char SQL_SESSION_END_USER[] =
    "DELETE FROM sessions WHERE user_id = ?1";
static const char SQL_TOKEN_REVOKE_USER[] =
    "UPDATE api_tokens SET revoked_at = ?2 WHERE user_id = ?1 AND "
    "revoked_at IS NULL";

/* ---- pure helpers --------------------------------------------------------- */

void sc_session_limits_default(struct sc_session_limits *l)
{
    l->idle_s = 8 * 3600;
    l->absolute_s = 7 * 86400;
    l->window_s = 15 * 60;
    l->account_max = 5;
    l->address_max = 20;
    l->register_window_s = 3600;
    l->register_max = 10;
}

int64_t sc_session_touch_interval(const struct sc_session_limits *l)
{
    if (l->idle_s >= 240)
        return 60;
    return l->idle_s > 0 ? l->idle_s / 4 : 0;
}

static bool ascii_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return *a == *b;
}

enum sc_err sc_session_password_check(const char *login, const char *password,
                                      const char *field, struct sc_error *err)
{
    if (!password || !password[0])
        return sc_error_set(err, SC_ERR_INVALID, field, "a password is required");
    size_t n = strlen(password);
    if (n > SC_SESSION_PASSWORD_MAX)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "the password is %zu bytes long, at most %d "
                            "allowed",
                            n, SC_SESSION_PASSWORD_MAX);
    if (!sc_text_utf8_valid(password, n))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "the password is not valid UTF-8");
    size_t chars = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)password[i];
        if (c < 0x20 || c == 0x7F)
            return sc_error_set(err, SC_ERR_INVALID, field,
                                "the password holds a control character");
        if ((c & 0xC0) != 0x80)
            chars++;
    }
    if (chars < SC_SESSION_PASSWORD_MIN)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "the password has %zu characters, at least %d "
                            "needed",
                            chars, SC_SESSION_PASSWORD_MIN);
    if (sc_text_blank(password))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "the password is only white space");
    if (login && ascii_ieq(login, password))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "the password must not be the login");
    return SC_OK;
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool sc_session_instant_parse(const char *text, int64_t *secs)
{
    int y, mo, d, h, mi, s;
    if (!text || strlen(text) != 20 || text[4] != '-' || text[7] != '-' ||
        text[10] != 'T' || text[13] != ':' || text[16] != ':' ||
        text[19] != 'Z')
        return false;
    if (!digits(text, 4, &y) || !digits(text + 5, 2, &mo) ||
        !digits(text + 8, 2, &d) || !digits(text + 11, 2, &h) ||
        !digits(text + 14, 2, &mi) || !digits(text + 17, 2, &s))
        return false;
    if (!sc_date_valid_ymd(y, mo, d) || h > 23 || mi > 59 || s > 59)
        return false;
    *secs = (int64_t)sc_date_from_ymd(y, mo, d) * 86400 + h * 3600 + mi * 60 +
            s;
    return true;
}

bool sc_session_instant_format(int64_t secs, char out[SC_STORE_INSTANT_BUF])
{
    int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    int64_t rem = secs - days * 86400;
    if (days < SC_DAY_MIN || days > SC_DAY_MAX)
        return false;
    int y, mo, d;
    sc_date_to_ymd((sc_day)days, &y, &mo, &d);
    int n = snprintf(out, SC_STORE_INSTANT_BUF, "%04d-%02d-%02dT%02d:%02d:%02dZ",
                     y, mo, d, (int)(rem / 3600), (int)(rem % 3600 / 60),
                     (int)(rem % 60));
    return n == 20;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool sc_session_token_decode(const char *text, const char *prefix,
                             unsigned char out[SC_SESSION_TOKEN_BYTES])
{
    size_t pl = strlen(prefix);
    if (!text || strncmp(text, prefix, pl) != 0)
        return false;
    text += pl;
    if (strlen(text) != 2 * SC_SESSION_TOKEN_BYTES)
        return false;
    for (size_t i = 0; i < SC_SESSION_TOKEN_BYTES; i++) {
        int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (unsigned char)(hi * 16 + lo);
    }
    return true;
}

/* ---- internal helpers ----------------------------------------------------- */

static enum sc_err nomem(struct sc_error *err)
{
    return sc_error_set(err, SC_ERR_NOMEM, NULL, NULL);
}

static enum sc_err crypto_ready(struct sc_error *err)
{
    if (sodium_init() < 0)
        return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                            "libsodium cannot start");
    return SC_OK;
}

/* The clock's now in seconds, and an instant `delta` seconds from it. */
static enum sc_err clock_secs(const struct sc_clock *clk, int64_t *secs,
                              struct sc_error *err)
{
    if (!sc_session_instant_parse(clk->now, secs))
        return sc_error_set(err, SC_ERR_INTERNAL, NULL,
                            "the clock's instant \"%.24s\" is malformed",
                            clk->now);
    return SC_OK;
}

static enum sc_err instant_at(int64_t secs, char out[SC_STORE_INSTANT_BUF],
                              struct sc_error *err)
{
    if (!sc_session_instant_format(secs, out))
        return sc_error_set(err, SC_ERR_INTERNAL, NULL, "instant out of range");
    return SC_OK;
}

/* SHA-256 of the token bytes as 64 hex digits. */
static void token_hash(const unsigned char tok[SC_SESSION_TOKEN_BYTES],
                       char out[SC_SESSION_TOKEN_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, tok, SC_SESSION_TOKEN_BYTES);
    sodium_bin2hex(out, SC_SESSION_TOKEN_HEX, h, sizeof h);
}

/* 32 fresh random bytes, as hex (for the client) and hashed (for us). */
static void token_new(char hex[SC_SESSION_TOKEN_HEX],
                      char hash[SC_SESSION_TOKEN_HEX])
{
    unsigned char tok[SC_SESSION_TOKEN_BYTES];
    randombytes_buf(tok, sizeof tok);
    sodium_bin2hex(hex, SC_SESSION_TOKEN_HEX, tok, sizeof tok);
    if (hash)
        token_hash(tok, hash);
    sodium_memzero(tok, sizeof tok);
}

/* Fills an actor from columns id, login, name, role, org at `c`.. c+4. */
static enum sc_err actor_from_row(struct sc_stmt *s, int c,
                                  struct sc_actor *out, struct sc_error *err)
{
    memset(out, 0, sizeof *out);
    out->user_id = sc_db_col_int(s, c);
    snprintf(out->login, sizeof out->login, "%s", sc_db_col_text(s, c + 1));
    snprintf(out->name, sizeof out->name, "%s", sc_db_col_text(s, c + 2));
    out->organisation_id = sc_db_col_int(s, c + 4);
    return sc_workflow_role_parse(sc_db_col_text(s, c + 3), "role", &out->role,
                                  err);
}

static enum sc_err actor_by_id(struct sc_store *st, int64_t id,
                               struct sc_actor *out, bool *active,
                               struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_USER_ACTOR, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "user", "no user %lld",
                          (long long)id);
    if (rc == SC_OK) {
        rc = actor_from_row(s, 0, out, err);
        *active = sc_db_col_int(s, 5) != 0;
    }
    sc_db_done(s);
    return rc;
}

static bool is_admin(const struct sc_actor *a)
{
    enum sc_policy_scope scope = SC_POLICY_SCOPE_NONE;
    return a && sc_policy_scope_for("user.create", a->role, &scope, NULL) ==
                    SC_OK &&
           scope == SC_POLICY_SCOPE_ANY;
}

/* A counter key: the text, cut to SUBJECT_MAX bytes ("?" when absent). */
static void subject_of(const char *text, char out[SUBJECT_MAX + 1])
{
    snprintf(out, SUBJECT_MAX + 1, "%s", text && text[0] ? text : "?");
}

/* ---- Argon2id --------------------------------------------------------------- */

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];
static bool dummy_ok;

static void dummy_init(void)
{
    char pw[SC_SESSION_TOKEN_HEX];
    if (sodium_init() < 0)
        return;
    token_new(pw, NULL);
    dummy_ok = crypto_pwhash_str(dummy_hash, pw, strlen(pw), PWHASH_OPS,
                                 PWHASH_MEM) == 0;
}

static enum sc_err hash_password(const char *pw, char out[crypto_pwhash_STRBYTES],
                                 struct sc_error *err)
{
    if (crypto_pwhash_str(out, pw, strlen(pw), PWHASH_OPS, PWHASH_MEM) != 0)
        return sc_error_set(err, SC_ERR_NOMEM, NULL,
                            "not enough memory to hash the password");
    return SC_OK;
}

/*
 * Does `pw` match `hash`? A NULL hash (unknown user, no password set) is
 * checked against a dummy hash of the same cost and fails, so that every
 * failure takes as long as a real one.
 */
static bool verify_password(const char *hash, const char *pw)
{
    pthread_once(&dummy_once, dummy_init);
    size_t n = pw ? strlen(pw) : 0;
    if (!pw || n > SC_SESSION_PASSWORD_MAX)
        return false; /* never a valid password; its length is no secret */
    if (!hash || !hash[0]) {
        if (dummy_ok) {
            /* the outcome is known (a failure); only the time matters */
            volatile int sink = crypto_pwhash_str_verify(dummy_hash, pw, n);
            (void)sink;
        }
        return false;
    }
    return crypto_pwhash_str_verify(hash, pw, n) == 0;
}

/* ---- attempt counters ------------------------------------------------------- */

static enum sc_err att_insert(struct sc_store *st, const char *kind,
                              const char *subject, const char *at, int64_t *id,
                              struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_ATT_INSERT, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, kind);
    sc_db_bind_text(s, 2, subject);
    sc_db_bind_text(s, 3, at);
    rc = sc_db_step(s, &row, err);
    if (id)
        *id = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    return rc;
}

static enum sc_err att_exec2(struct sc_store *st, const char *sql,
                             const char *a, const char *b, int64_t id,
                             struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), sql, &s, err);
    if (rc != SC_OK)
        return rc;
    if (a) {
        sc_db_bind_text(s, 1, a);
        if (b)
            sc_db_bind_text(s, 2, b);
    } else {
        sc_db_bind_int(s, 1, id);
    }
    return sc_db_finish(s, err);
}

/*
 * Refuses with SC_ERR_RATE_LIMITED when `kind`/`subject` has `max` or more
 * attempts within `window` seconds before `now`; *retry_after = seconds
 * until the max-th newest one leaves the window.
 */
static enum sc_err att_check(struct sc_store *st, const char *kind,
                             const char *subject, int64_t now, int64_t window,
                             int max, const char *what, int64_t *retry_after,
                             struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    int64_t count = 0, nth = 0;
    char since[SC_STORE_INSTANT_BUF];
    enum sc_err rc = instant_at(now - window, since, err);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_ATT_COUNT, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, kind);
    sc_db_bind_text(s, 2, subject);
    sc_db_bind_text(s, 3, since);
    rc = sc_db_step(s, &row, err);
    count = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
    sc_db_done(s);
    if (rc != SC_OK || count < max)
        return rc;
    rc = sc_db_prepare(sc_store_db(st), SQL_ATT_NTH, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, kind);
    sc_db_bind_text(s, 2, subject);
    sc_db_bind_text(s, 3, since);
    sc_db_bind_int(s, 4, max > 0 ? max - 1 : 0);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !(row && sc_session_instant_parse(sc_db_col_text(s, 0),
                                                         &nth)))
        nth = now;
    sc_db_done(s);
    if (rc != SC_OK)
        return rc;
    int64_t wait = nth + window - now;
    if (wait < 1)
        wait = 1;
    if (retry_after)
        *retry_after = wait;
    return sc_error_set(err, SC_ERR_RATE_LIMITED, NULL,
                        "too many attempts %s; try again in %lld seconds",
                        what, (long long)wait);
}

/*
 * One transaction: drops counters older than every window, checks the
 * account (when `account` is not NULL) and address limits, and counts this
 * attempt on both; *addr_id receives the address row's id.
 */
static enum sc_err att_begin_login(struct sc_store *st, int64_t now,
                                   const char *account, const char *address,
                                   const struct sc_session_limits *l,
                                   int64_t *retry_after, int64_t *addr_id,
                                   struct sc_error *err)
{
    bool own = false;
    char at[SC_STORE_INSTANT_BUF], old[SC_STORE_INSTANT_BUF];
    int64_t keep = l->window_s > l->register_window_s ? l->window_s
                                                      : l->register_window_s;
    enum sc_err rc = instant_at(now, at, err);
    if (rc == SC_OK)
        rc = instant_at(now - keep, old, err);
    if (rc != SC_OK)
        return rc;
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = att_exec2(st, SQL_ATT_PURGE, old, NULL, 0, err);
    if (rc == SC_OK && account)
        rc = att_check(st, "account", account, now, l->window_s,
                       l->account_max, "for this account", retry_after, err);
    if (rc == SC_OK)
        rc = att_check(st, "address", address, now, l->window_s,
                       l->address_max, "from this address", retry_after, err);
    if (rc == SC_OK && account)
        rc = att_insert(st, "account", account, at, NULL, err);
    if (rc == SC_OK)
        rc = att_insert(st, "address", address, at, addr_id, err);
    return sc_store_tx_end(st, own, rc, err);
}

/* ---- passwords -------------------------------------------------------------- */

/* The login and password hash of user `id` (*hash "" when none). */
static enum sc_err user_pw(struct sc_store *st, int64_t id,
                           char login[SC_ACTOR_LOGIN_MAX],
                           char hash[crypto_pwhash_STRBYTES],
                           struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_USER_PW_BY_ID, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "user", "no user %lld",
                          (long long)id);
    if (rc == SC_OK) {
        const char *h = sc_db_col_text(s, 1);
        snprintf(login, SC_ACTOR_LOGIN_MAX, "%s", sc_db_col_text(s, 0));
        snprintf(hash, crypto_pwhash_STRBYTES, "%s", h ? h : "");
    }
    sc_db_done(s);
    return rc;
}

enum sc_err sc_store_password_set(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor,
                                  bool by_operator, int64_t user,
                                  const char *old_password,
                                  const char *new_password,
                                  int64_t keep_session,
                                  const struct sc_session_limits *limits,
                                  const char *client_ip, int64_t *retry_after,
                                  struct sc_error *err)
{
    char login[SC_ACTOR_LOGIN_MAX], old_hash[crypto_pwhash_STRBYTES];
    char new_hash[crypto_pwhash_STRBYTES], acc[SUBJECT_MAX + 1],
        addr[SUBJECT_MAX + 1];
    bool self = !by_operator && actor && actor->user_id != 0 &&
                actor->user_id == user;
    bool own = false;
    int64_t now = 0, addr_id = 0, ended = 0;
    json_t *detail = NULL;
    enum sc_err rc = crypto_ready(err);

    if (rc == SC_OK && !by_operator && !actor)
        rc = sc_error_set(err, SC_ERR_UNAUTHENTICATED, "as", "who acts?");
    if (rc == SC_OK && !by_operator && !self)
        rc = sc_policy_check("user.create", actor->role, false, err);
    if (rc == SC_OK)
        rc = clock_secs(clk, &now, err);
    if (rc == SC_OK)
        rc = user_pw(st, user, login, old_hash, err);
    if (rc == SC_OK)
        rc = sc_session_password_check(login, new_password, "password", err);
    if (rc == SC_OK && self && (!old_password || !old_password[0]))
        rc = sc_error_set(err, SC_ERR_INVALID, "old_password",
                          "give your current password to change it");
    if (rc == SC_OK && self) {
        subject_of(login, acc);
        subject_of(client_ip, addr);
        rc = att_begin_login(st, now, acc, addr, limits, retry_after, &addr_id,
                             err);
        if (rc == SC_OK && !verify_password(old_hash, old_password))
            rc = sc_error_set(err, SC_ERR_FORBIDDEN, "old_password",
                              "the current password is wrong");
        if (rc == SC_OK && (rc = sc_store_tx_begin(st, &own, err)) == SC_OK) {
            rc = att_exec2(st, SQL_ATT_CLEAR, "account", acc, 0, err);
            if (rc == SC_OK)
                rc = att_exec2(st, SQL_ATT_DELETE_ID, NULL, NULL, addr_id, err);
            rc = sc_store_tx_end(st, own, rc, err);
        }
    }
    if (rc == SC_OK)
        rc = hash_password(new_password, new_hash, err);
    if (rc != SC_OK)
        return rc;

    struct sc_stmt *s = NULL;
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = sc_db_prepare(sc_store_db(st), SQL_USER_SET_PW, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, user);
        sc_db_bind_text(s, 2, new_hash);
        sc_db_bind_text(s, 3, clk->now);
        rc = sc_db_finish(s, err);
    }
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_SESSION_DELETE_USER, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, user);
        sc_db_bind_int(s, 2, keep_session);
        rc = sc_db_finish(s, err);
        ended = sc_db_changes(sc_store_db(st));
    }
    if (rc == SC_OK &&
        !(detail = json_pack("{s:I, s:s, s:s, s:I}", "user", (json_int_t)user,
                             "login", login, "by",
                             by_operator ? "operator"
                             : self      ? "self"
                                         : "admin",
                             "sessions_ended", (json_int_t)ended)))
        rc = nomem(err);
    if (rc == SC_OK)
        rc = sc_events_append(st, clk, actor ? actor->user_id : 0,
                              "user.password", "user", user, detail, err);
    json_decref(detail);
    sodium_memzero(new_hash, sizeof new_hash);
    return sc_store_tx_end(st, own, rc, err);
}

/* ---- sessions --------------------------------------------------------------- */

/* The session view of row `id` for its user `actor`. */
static enum sc_err session_view(struct sc_store *st,
                                const struct sc_actor *actor, int64_t id,
                                const struct sc_session_limits *limits,
                                json_t **view, char *csrf_out,
                                struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    json_t *user = NULL, *v = NULL;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_SESSION_GET, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && (!row || (actor && sc_db_col_int(s, 3) != actor->user_id)))
        rc = sc_error_set(err, SC_ERR_UNAUTHENTICATED, NULL,
                          "the session has ended: log in again");
    if (rc == SC_OK && csrf_out)
        snprintf(csrf_out, SC_SESSION_TOKEN_HEX, "%s", sc_db_col_text(s, 0));
    if (rc == SC_OK && view &&
        !(v = json_pack("{s:s, s:s, s:s, s:I}", "csrf_token",
                        sc_db_col_text(s, 0), "created_at",
                        sc_db_col_text(s, 1), "expires_at",
                        sc_db_col_text(s, 2), "idle_timeout",
                        (json_int_t)limits->idle_s)))
        rc = nomem(err);
    sc_db_done(s);
    if (rc == SC_OK && view)
        rc = sc_store_user_get(st, actor, actor->user_id, &user, err);
    if (rc == SC_OK && view && json_object_set_new(v, "user", user) != 0)
        rc = nomem(err);
    if (rc != SC_OK) {
        json_decref(v);
        return rc;
    }
    if (view)
        *view = v;
    return SC_OK;
}

enum sc_err sc_store_session_login(struct sc_store *st,
                                   const struct sc_clock *clk,
                                   const char *login, const char *password,
                                   const char *client_ip,
                                   const struct sc_session_limits *limits,
                                   struct sc_session_new *out, json_t **view,
                                   struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    char acc[SUBJECT_MAX + 1], addr[SUBJECT_MAX + 1];
    char hash[crypto_pwhash_STRBYTES] = "", token_h[SC_SESSION_TOKEN_HEX];
    char csrf[SC_SESSION_TOKEN_HEX], exp[SC_STORE_INSTANT_BUF],
        idle_old[SC_STORE_INSTANT_BUF];
    char rehash[crypto_pwhash_STRBYTES] = "";
    bool row = false, found = false, own = false;
    int64_t now = 0, uid = 0, addr_id = 0, sid = 0;
    struct sc_actor actor;
    bool active = false;

    memset(out, 0, sizeof *out);
    enum sc_err rc = crypto_ready(err);
    if (rc == SC_OK)
        rc = clock_secs(clk, &now, err);
    if (rc != SC_OK)
        return rc;
    subject_of(login, acc);
    subject_of(client_ip, addr);
    rc = att_begin_login(st, now, acc, addr, limits, &out->retry_after,
                         &addr_id, err);
    if (rc != SC_OK)
        return rc;

    if (login && strlen(login) <= SC_PARTY_LOGIN_MAX) {
        rc = sc_db_prepare(sc_store_db(st), SQL_USER_PW_BY_LOGIN, &s, err);
        if (rc != SC_OK)
            return rc;
        sc_db_bind_text(s, 1, login);
        rc = sc_db_step(s, &found, err);
        if (rc == SC_OK && found) {
            const char *h = sc_db_col_text(s, 1);
            uid = sc_db_col_int(s, 0);
            snprintf(hash, sizeof hash, "%s", h ? h : "");
        }
        sc_db_done(s);
        if (rc != SC_OK)
            return rc;
    }
    bool ok = verify_password(found ? hash : NULL, password);
    if (!ok)
        return sc_error_set(err, SC_ERR_UNAUTHENTICATED, NULL,
                            "unknown login or wrong password");
    /* upgrade a hash made with older limits while we know the password */
    if (crypto_pwhash_str_needs_rehash(hash, PWHASH_OPS, PWHASH_MEM) != 0)
        (void)hash_password(password, rehash, NULL);

    token_new(out->token, token_h);
    token_new(csrf, NULL);
    if ((rc = instant_at(now + limits->absolute_s, exp, err)) != SC_OK ||
        (rc = instant_at(now - limits->idle_s, idle_old, err)) != SC_OK)
        return rc;
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = att_exec2(st, SQL_ATT_CLEAR, "account", acc, 0, err);
    if (rc == SC_OK)
        rc = att_exec2(st, SQL_ATT_DELETE_ID, NULL, NULL, addr_id, err);
    if (rc == SC_OK)
        rc = att_exec2(st, SQL_SESSION_PURGE, clk->now, idle_old, 0, err);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_SESSION_INSERT, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_text(s, 1, token_h);
        sc_db_bind_int(s, 2, uid);
        sc_db_bind_text(s, 3, csrf);
        sc_db_bind_text(s, 4, clk->now);
        sc_db_bind_text(s, 5, exp);
        sc_db_bind_text(s, 6, client_ip);
        rc = sc_db_step(s, &row, err);
        sid = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_INTERNAL, NULL, "insert gave no id");
    }
    if (rc == SC_OK && rehash[0] &&
        (rc = sc_db_prepare(sc_store_db(st), SQL_USER_SET_PW, &s, err)) ==
            SC_OK) {
        sc_db_bind_int(s, 1, uid);
        sc_db_bind_text(s, 2, rehash);
        sc_db_bind_text(s, 3, clk->now);
        rc = sc_db_finish(s, err);
    }
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc == SC_OK)
        rc = actor_by_id(st, uid, &actor, &active, err);
    if (rc == SC_OK && view)
        rc = session_view(st, &actor, sid, limits, view, NULL, err);
    if (rc != SC_OK) {
        sodium_memzero(out->token, sizeof out->token);
        return rc;
    }
    out->session_id = sid;
    out->user_id = uid;
    return SC_OK;
}

enum sc_err sc_store_session_identify(struct sc_store *st,
                                      const struct sc_clock *clk,
                                      const char *token,
                                      const struct sc_session_limits *limits,
                                      struct sc_actor *actor,
                                      int64_t *session_id,
                                      struct sc_error *err)
{
    unsigned char tok[SC_SESSION_TOKEN_BYTES];
    char h[SC_SESSION_TOKEN_HEX], at[SC_STORE_INSTANT_BUF];
    struct sc_stmt *s = NULL;
    bool row = false, live = false;
    int64_t now = 0, seen = 0, exp = 0, sid = 0;
    enum sc_err rc = clock_secs(clk, &now, err);
    if (rc != SC_OK)
        return rc;
    if (!sc_session_token_decode(token, "", tok))
        return sc_error_set(err, SC_ERR_UNAUTHENTICATED, NULL,
                            "the session cookie is malformed: log in again");
    token_hash(tok, h);
    rc = sc_db_prepare(sc_store_db(st), SQL_SESSION_BY_HASH, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, h);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && row) {
        sid = sc_db_col_int(s, 0);
        live = sc_session_instant_parse(sc_db_col_text(s, 1), &seen) &&
               sc_session_instant_parse(sc_db_col_text(s, 2), &exp) &&
               now < exp && now < seen + limits->idle_s &&
               sc_db_col_int(s, 8) != 0;
        if (live)
            rc = actor_from_row(s, 3, actor, err);
    }
    sc_db_done(s);
    if (rc != SC_OK)
        return rc;
    if (!live)
        return sc_error_set(err, SC_ERR_UNAUTHENTICATED, NULL,
                            "no session, or the session has ended: log in "
                            "again");
    if (now - seen >= sc_session_touch_interval(limits) && now > seen &&
        instant_at(now, at, NULL) == SC_OK &&
        sc_db_prepare(sc_store_db(st), SQL_SESSION_TOUCH, &s, NULL) == SC_OK) {
        sc_db_bind_int(s, 1, sid);
        sc_db_bind_text(s, 2, at);
        (void)sc_db_finish(s, NULL); /* best effort: a busy database is fine */
    }
    *session_id = sid;
    return SC_OK;
}

enum sc_err sc_store_session_csrf(struct sc_store *st, int64_t id,
                                  char out[SC_SESSION_TOKEN_HEX],
                                  struct sc_error *err)
{
    struct sc_session_limits l;
    sc_session_limits_default(&l);
    return session_view(st, NULL, id, &l, NULL, out, err);
}

enum sc_err sc_store_session_get(struct sc_store *st,
                                 const struct sc_actor *actor, int64_t id,
                                 const struct sc_session_limits *limits,
                                 json_t **view, struct sc_error *err)
{
    return session_view(st, actor, id, limits, view, NULL, err);
}

enum sc_err sc_store_session_delete(struct sc_store *st, int64_t id,
                                    struct sc_error *err)
{
    return att_exec2(st, SQL_SESSION_DELETE, NULL, NULL, id, err);
}

/* ---- API tokens --------------------------------------------------------------- */

static json_t *token_row_view(struct sc_stmt *s)
{
    json_t *by = sc_db_col_is_null(s, 4)
                     ? json_null()
                     : json_integer((json_int_t)sc_db_col_int(s, 4));
    return json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:s?, s:s?}", "id",
                     (json_int_t)sc_db_col_int(s, 0), "user",
                     (json_int_t)sc_db_col_int(s, 1), "login",
                     sc_db_col_text(s, 2), "label", sc_db_col_text(s, 3),
                     "created_by", by, "created_at", sc_db_col_text(s, 5),
                     "expires_at", sc_db_col_text(s, 6), "revoked_at",
                     sc_db_col_text(s, 7), "last_used_at",
                     sc_db_col_text(s, 8));
}

static enum sc_err token_view(struct sc_store *st, int64_t id,
                              int64_t *owner, bool *revoked, json_t **out,
                              struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_TOKEN_GET, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_int(s, 1, id);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "token", "no token %lld",
                          (long long)id);
    if (rc == SC_OK) {
        if (owner)
            *owner = sc_db_col_int(s, 1);
        if (revoked)
            *revoked = !sc_db_col_is_null(s, 7);
        if (out && !(*out = token_row_view(s)))
            rc = nomem(err);
    }
    sc_db_done(s);
    return rc;
}

enum sc_err sc_store_token_create(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor, int64_t user,
                                  const char *label, int64_t days,
                                  json_t **view, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    struct sc_actor target;
    bool active = false, own = false, row = false;
    char tok[SC_SESSION_TOKEN_HEX], h[SC_SESSION_TOKEN_HEX],
        exp[SC_STORE_INSTANT_BUF], shown[SC_SESSION_API_TOKEN_BUF];
    int64_t now = 0, id = 0;
    json_t *v = NULL, *detail = NULL;
    enum sc_err rc = sc_policy_check("user.create", actor->role, false, err);
    if (rc == SC_OK)
        rc = crypto_ready(err);
    if (rc == SC_OK)
        rc = clock_secs(clk, &now, err);
    if (rc != SC_OK)
        return rc;
    if (days == 0)
        days = SC_SESSION_TOKEN_DAYS_DEFAULT;
    if (days < 1 || days > SC_SESSION_TOKEN_DAYS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "days",
                            "a token is valid 1..%d days, not %lld",
                            SC_SESSION_TOKEN_DAYS_MAX, (long long)days);
    if (!label || sc_text_blank(label))
        return sc_error_set(err, SC_ERR_INVALID, "label",
                            "say which program holds the token");
    size_t ln = strlen(label);
    if (ln > SC_SESSION_LABEL_MAX || !sc_text_utf8_valid(label, ln))
        return sc_error_set(err, SC_ERR_INVALID, "label",
                            "a label is UTF-8 of at most %d bytes",
                            SC_SESSION_LABEL_MAX);
    for (size_t i = 0; i < ln; i++)
        if ((unsigned char)label[i] < 0x20 || label[i] == 0x7F)
            return sc_error_set(err, SC_ERR_INVALID, "label",
                                "the label holds a control character");
    if ((rc = instant_at(now + days * 86400, exp, err)) != SC_OK)
        return rc;
    token_new(tok, h);
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = actor_by_id(st, user, &target, &active, err);
    if (rc == SC_OK && !active)
        rc = sc_error_set(err, SC_ERR_INVALID, "user",
                          "user %lld is not active", (long long)user);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_TOKEN_INSERT, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_text(s, 1, h);
        sc_db_bind_int(s, 2, user);
        sc_db_bind_text(s, 3, label);
        if (actor->user_id)
            sc_db_bind_int(s, 4, actor->user_id);
        else
            sc_db_bind_null(s, 4);
        sc_db_bind_text(s, 5, clk->now);
        sc_db_bind_text(s, 6, exp);
        rc = sc_db_step(s, &row, err);
        id = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && !row)
            rc = sc_error_set(err, SC_ERR_INTERNAL, NULL, "insert gave no id");
    }
    if (rc == SC_OK)
        rc = token_view(st, id, NULL, NULL, &v, err);
    if (rc == SC_OK && !(detail = json_pack("{s:O}", "after", v)))
        rc = nomem(err);
    if (rc == SC_OK)
        rc = sc_events_append(st, clk, actor->user_id, "token.create", "token",
                              id, detail, err);
    json_decref(detail);
    rc = sc_store_tx_end(st, own, rc, err);
    snprintf(shown, sizeof shown, "%s%s", SC_SESSION_API_PREFIX, tok);
    sodium_memzero(tok, sizeof tok);
    if (rc == SC_OK && json_object_set_new(v, "token", json_string(shown)) != 0)
        rc = nomem(err);
    sodium_memzero(shown, sizeof shown);
    if (rc != SC_OK || !view) {
        json_decref(v);
        return rc;
    }
    *view = v;
    return SC_OK;
}

enum sc_err sc_store_token_revoke(struct sc_store *st,
                                  const struct sc_clock *clk,
                                  const struct sc_actor *actor, int64_t id,
                                  json_t **view, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool own = false, revoked = false;
    int64_t owner = 0;
    json_t *v = NULL, *detail = NULL;
    enum sc_err rc = sc_store_tx_begin(st, &own, err);
    if (rc != SC_OK)
        return rc;
    rc = token_view(st, id, &owner, &revoked, NULL, err);
    if (rc == SC_OK && !is_admin(actor) && owner != actor->user_id)
        rc = sc_error_set(err, SC_ERR_NOT_FOUND, "token", "no token %lld",
                          (long long)id);
    if (rc == SC_OK && revoked)
        rc = sc_error_set(err, SC_ERR_STATE, "token",
                          "token %lld is already revoked", (long long)id);
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_TOKEN_REVOKE, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, id);
        sc_db_bind_text(s, 2, clk->now);
        rc = sc_db_finish(s, err);
    }
    if (rc == SC_OK)
        rc = token_view(st, id, NULL, NULL, &v, err);
    if (rc == SC_OK && !(detail = json_pack("{s:O}", "after", v)))
        rc = nomem(err);
    if (rc == SC_OK)
        rc = sc_events_append(st, clk, actor->user_id, "token.revoke", "token",
                              id, detail, err);
    json_decref(detail);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc != SC_OK || !view) {
        json_decref(v);
        return rc;
    }
    *view = v;
    return SC_OK;
}

enum sc_err sc_store_token_list(struct sc_store *st,
                                const struct sc_actor *actor, int64_t user,
                                json_t **out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    if (!is_admin(actor)) {
        if (user != 0 && user != actor->user_id)
            return sc_policy_check("user.create", actor->role, false, err);
        user = actor->user_id ? actor->user_id : -1;
    }
    json_t *arr = json_array();
    enum sc_err rc = arr ? sc_db_prepare(sc_store_db(st), SQL_TOKEN_LIST, &s,
                                         err)
                         : nomem(err);
    if (rc != SC_OK) {
        json_decref(arr);
        return rc;
    }
    sc_db_bind_int(s, 1, user);
    sc_db_bind_int(s, 2, SC_PARTY_LIST_MAX);
    while (rc == SC_OK) {
        rc = sc_db_step(s, &row, err);
        if (rc != SC_OK || !row)
            break;
        json_t *v = token_row_view(s);
        if (!v || json_array_append_new(arr, v) != 0)
            rc = nomem(err);
    }
    sc_db_done(s);
    if (rc != SC_OK) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return SC_OK;
}

enum sc_err sc_store_token_identify(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const char *token, struct sc_actor *actor,
                                    int64_t *token_id, struct sc_error *err)
{
    unsigned char tok[SC_SESSION_TOKEN_BYTES];
    char h[SC_SESSION_TOKEN_HEX];
    struct sc_stmt *s = NULL;
    bool row = false, live = false, touch = false;
    int64_t now = 0, exp = 0, used = 0, tid = 0;
    enum sc_err rc = clock_secs(clk, &now, err);
    if (rc != SC_OK)
        return rc;
    if (!sc_session_token_decode(token, SC_SESSION_API_PREFIX, tok))
        return sc_error_set(err, SC_ERR_UNAUTHENTICATED, NULL,
                            "the bearer token is malformed");
    token_hash(tok, h);
    rc = sc_db_prepare(sc_store_db(st), SQL_TOKEN_BY_HASH, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, h);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && row) {
        tid = sc_db_col_int(s, 0);
        live = sc_session_instant_parse(sc_db_col_text(s, 1), &exp) &&
               now < exp && sc_db_col_is_null(s, 2) &&
               sc_db_col_int(s, 9) != 0;
        touch = sc_db_col_is_null(s, 3) ||
                !sc_session_instant_parse(sc_db_col_text(s, 3), &used) ||
                now - used >= 60;
        if (live)
            rc = actor_from_row(s, 4, actor, err);
    }
    sc_db_done(s);
    if (rc != SC_OK)
        return rc;
    if (!live)
        return sc_error_set(err, SC_ERR_UNAUTHENTICATED, NULL,
                            "the bearer token is unknown, revoked or expired");
    if (touch &&
        sc_db_prepare(sc_store_db(st), SQL_TOKEN_TOUCH, &s, NULL) == SC_OK) {
        sc_db_bind_int(s, 1, tid);
        sc_db_bind_text(s, 2, clk->now);
        (void)sc_db_finish(s, NULL); /* best effort */
    }
    *token_id = tid;
    return SC_OK;
}

/* ---- account status --------------------------------------------------------- */

/* sc_db_exec_id, and the number of rows it changed into *changed. */
static enum sc_err exec_counted(struct sc_store *st, const char *sql,
                                int64_t id, const char *text, int64_t *changed,
                                struct sc_error *err)
{
    enum sc_err rc = sc_db_exec_id(sc_store_db(st), sql, id, text, err);
    if (rc == SC_OK)
        *changed = sc_db_changes(sc_store_db(st));
    return rc;
}

/* The event of a status change: {"before": {"active": !to}, "after":
 * {"active": to}} plus `extra`'s keys (borrowed, may be NULL). */
static enum sc_err status_event(struct sc_store *st,
                                const struct sc_clock *clk,
                                const struct sc_actor *actor,
                                const char *action, int64_t user, bool to,
                                json_t *extra, struct sc_error *err)
{
    json_t *detail = json_pack("{s:{s:b}, s:{s:b}}", "before", "active", !to,
                               "after", "active", to);
    if (!detail || (extra && json_object_update(detail, extra) != 0)) {
        json_decref(detail);
        return nomem(err);
    }
    enum sc_err rc = sc_events_append(st, clk, actor->user_id, action, "user",
                                      user, detail, err);
    json_decref(detail);
    return rc;
}

static enum sc_err check_reason(const char *reason, struct sc_error *err)
{
    if (sc_text_blank(reason))
        return sc_error_set(err, SC_ERR_INVALID, "reason",
                            "say why the account is deactivated");
    size_t n = strlen(reason);
    if (n > SC_SESSION_REASON_MAX || !sc_text_utf8_valid(reason, n))
        return sc_error_set(err, SC_ERR_INVALID, "reason",
                            "a reason is UTF-8 of at most %d bytes",
                            SC_SESSION_REASON_MAX);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7F)
            return sc_error_set(err, SC_ERR_INVALID, "reason",
                                "the reason holds a control character");
    return SC_OK;
}

enum sc_err sc_store_user_deactivate(struct sc_store *st,
                                     const struct sc_clock *clk,
                                     const struct sc_actor *actor,
                                     int64_t user, const char *reason,
                                     json_t **view, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    struct sc_actor target;
    bool active = false, own = false, row = false;
    int64_t others = 0, sessions = 0, tokens = 0;
    json_t *extra = NULL, *v = NULL;
    enum sc_err rc =
        sc_policy_check("user.deactivate", actor->role, false, err);
    if (rc == SC_OK)
        rc = check_reason(reason, err);
    if (rc == SC_OK)
        rc = sc_store_tx_begin(st, &own, err);
    if (rc != SC_OK)
        return rc;
    rc = actor_by_id(st, user, &target, &active, err);
    if (rc == SC_OK && user == actor->user_id)
        rc = sc_error_set(err, SC_ERR_INVALID, "user",
                          "an admin cannot deactivate themself: another "
                          "admin must");
    if (rc == SC_OK && !active)
        rc = sc_error_set(err, SC_ERR_STATE, "user",
                          "user %.64s is already inactive", target.login);
    if (rc == SC_OK && target.role == SC_ROLE_ADMIN &&
        (rc = sc_db_prepare(sc_store_db(st), SQL_ADMINS_OTHER, &s, err)) ==
            SC_OK) {
        sc_db_bind_int(s, 1, user);
        rc = sc_db_step(s, &row, err);
        others = rc == SC_OK && row ? sc_db_col_int(s, 0) : 0;
        sc_db_done(s);
        if (rc == SC_OK && others == 0)
            rc = sc_error_set(err, SC_ERR_CONFLICT, "user",
                              "%.64s is the last active admin: make another "
                              "admin first",
                              target.login);
    }
    if (rc == SC_OK)
        rc = sc_db_exec_id(sc_store_db(st), SQL_USER_DEACTIVATE, user, NULL,
                           err);
    if (rc == SC_OK)
        rc = exec_counted(st, SQL_SESSION_END_USER, user, NULL, &sessions, err);
    if (rc == SC_OK)
        rc = exec_counted(st, SQL_TOKEN_REVOKE_USER, user, clk->now, &tokens,
                          err);
    if (rc == SC_OK &&
        !(extra = json_pack("{s:s, s:I, s:I}", "reason", reason,
                            "sessions_ended", (json_int_t)sessions,
                            "tokens_revoked", (json_int_t)tokens)))
        rc = nomem(err);
    if (rc == SC_OK)
        rc = status_event(st, clk, actor, "user.deactivate", user, false, extra,
                          err);
    if (rc == SC_OK && view)
        rc = sc_store_user_get(st, actor, user, &v, err);
    json_decref(extra);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc != SC_OK || !view) {
        json_decref(v);
        return rc;
    }
    *view = v;
    return SC_OK;
}

enum sc_err sc_store_user_reactivate(struct sc_store *st,
                                     const struct sc_clock *clk,
                                     const struct sc_actor *actor,
                                     int64_t user, json_t **view,
                                     struct sc_error *err)
{
    struct sc_actor target;
    bool active = false, own = false;
    json_t *v = NULL;
    enum sc_err rc =
        sc_policy_check("user.reactivate", actor->role, false, err);
    if (rc == SC_OK)
        rc = sc_store_tx_begin(st, &own, err);
    if (rc != SC_OK)
        return rc;
    rc = actor_by_id(st, user, &target, &active, err);
    if (rc == SC_OK && active)
        rc = sc_error_set(err, SC_ERR_STATE, "user",
                          "user %.64s is active", target.login);
    if (rc == SC_OK)
        rc = sc_db_exec_id(sc_store_db(st), SQL_USER_REACTIVATE, user, NULL,
                           err);
    if (rc == SC_OK)
        rc = status_event(st, clk, actor, "user.reactivate", user, true, NULL,
                          err);
    if (rc == SC_OK && view)
        rc = sc_store_user_get(st, actor, user, &v, err);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc != SC_OK || !view) {
        json_decref(v);
        return rc;
    }
    *view = v;
    return SC_OK;
}

/* ---- enterprise self-registration ------------------------------------------- */

enum sc_err sc_store_registration_create(
    struct sc_store *st, const struct sc_clock *clk,
    const struct sc_session_registration *in, const char *client_ip,
    const struct sc_session_limits *limits, int64_t *retry_after,
    json_t **view, struct sc_error *err)
{
    char addr[SUBJECT_MAX + 1], at[SC_STORE_INSTANT_BUF],
        old[SC_STORE_INSTANT_BUF], hash[crypto_pwhash_STRBYTES];
    struct sc_actor sys, registrar;
    struct sc_party_user_input uin = {in->login, in->name, SC_ROLE_ENTERPRISE,
                                      0};
    struct sc_stmt *s = NULL;
    json_t *org_view = NULL, *user_view = NULL, *detail = NULL;
    int64_t now = 0, org = 0, uid = 0;
    bool own = false;
    int64_t keep = limits->window_s > limits->register_window_s
                       ? limits->window_s
                       : limits->register_window_s;
    enum sc_err rc = crypto_ready(err);
    if (rc == SC_OK)
        rc = clock_secs(clk, &now, err);
    if (rc == SC_OK)
        rc = instant_at(now, at, err);
    if (rc == SC_OK)
        rc = instant_at(now - keep, old, err);
    if (rc != SC_OK)
        return rc;
    subject_of(client_ip, addr);

    /* count the attempt, whatever becomes of it */
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = att_exec2(st, SQL_ATT_PURGE, old, NULL, 0, err);
    if (rc == SC_OK)
        rc = att_check(st, "registration", addr, now,
                       limits->register_window_s, limits->register_max,
                       "to register from this address", retry_after, err);
    if (rc == SC_OK)
        rc = att_insert(st, "registration", addr, at, NULL, err);
    if ((rc = sc_store_tx_end(st, own, rc, err)) != SC_OK)
        return rc;

    rc = sc_session_password_check(in->login, in->password, "password", err);
    if (rc == SC_OK)
        rc = hash_password(in->password, hash, err);
    if (rc != SC_OK) {
        sc_error_prefix_field(err, "user");
        return rc;
    }

    sc_actor_system(&sys);
    /* user.create admits admins only; the registration acts for the CB as
     * the system (user id 0), so its events say "system" */
    sc_actor_system(&registrar);
    registrar.role = SC_ROLE_ADMIN;
    if ((rc = sc_store_tx_begin(st, &own, err)) != SC_OK)
        return rc;
    rc = sc_store_org_create(st, clk, &sys, in->organisation, &org, &org_view,
                             err);
    if (rc != SC_OK)
        sc_error_prefix_field(err, "organisation");
    if (rc == SC_OK) {
        uin.organisation = org;
        rc = sc_store_user_create(st, clk, &registrar, &uin, &uid, &user_view,
                                  err);
        if (rc != SC_OK)
            sc_error_prefix_field(err, "user");
    }
    if (rc == SC_OK)
        rc = sc_db_prepare(sc_store_db(st), SQL_USER_SET_PW, &s, err);
    if (rc == SC_OK) {
        sc_db_bind_int(s, 1, uid);
        sc_db_bind_text(s, 2, hash);
        sc_db_bind_text(s, 3, clk->now);
        rc = sc_db_finish(s, err);
    }
    if (rc == SC_OK &&
        !(detail = json_pack("{s:I, s:s, s:I, s:s}", "organisation",
                             (json_int_t)org, "uscc", in->organisation->uscc,
                             "user", (json_int_t)uid, "login", in->login)))
        rc = nomem(err);
    if (rc == SC_OK)
        rc = sc_events_append(st, clk, 0, "registration.create",
                              "organisation", org, detail, err);
    json_decref(detail);
    sodium_memzero(hash, sizeof hash);
    rc = sc_store_tx_end(st, own, rc, err);
    if (rc == SC_OK && view &&
        !(*view = json_pack("{s:O, s:O}", "organisation", org_view, "user",
                            user_view)))
        rc = nomem(err);
    json_decref(org_view);
    json_decref(user_view);
    return rc;
}
