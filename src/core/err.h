/*
 * err: the one error vocabulary of starcert.
 *
 * Every fallible function returns an `enum sc_err` (0 = SC_OK) and, where the
 * caller passes one, fills a `struct sc_error` with the field at fault and a
 * human message. The code's wire name, default message and HTTP status come
 * from one X-macro list, so a new code cannot be half-added. Exactly one place
 * per front end (the CLI's error printer, later the HTTP error writer) turns a
 * `struct sc_error` into output. Not for: logging, or programmer errors
 * (those are asserts).
 */
#ifndef SC_ERR_H
#define SC_ERR_H

#include <stddef.h>

/* X(enum constant, wire name, HTTP status, default message) */
#define SC_ERR_LIST(X)                                                         \
    X(SC_OK, "ok", 200, "ok")                                                  \
    X(SC_ERR_USAGE, "usage", 400, "bad usage")                                 \
    X(SC_ERR_MALFORMED, "malformed", 400, "malformed input")                   \
    X(SC_ERR_INVALID, "invalid", 422, "invalid value")                         \
    X(SC_ERR_UNAUTHENTICATED, "unauthenticated", 401,                          \
      "authentication required")                                               \
    X(SC_ERR_FORBIDDEN, "forbidden", 403, "not allowed for this role")         \
    X(SC_ERR_NOT_FOUND, "not_found", 404, "not found")                         \
    X(SC_ERR_METHOD, "method_not_allowed", 405, "method not allowed")          \
    X(SC_ERR_STATE, "state_conflict", 409,                                     \
      "action not allowed in the current state")                               \
    X(SC_ERR_CONFLICT, "conflict", 409, "conflicts with existing data")        \
    X(SC_ERR_TOO_LARGE, "too_large", 413, "input too large")                   \
    X(SC_ERR_MEDIA_TYPE, "unsupported_media_type", 415,                        \
      "unsupported media type")                                                \
    X(SC_ERR_PRECONDITION, "precondition_failed", 422,                         \
      "a required condition does not hold")                                    \
    X(SC_ERR_IMPARTIALITY, "impartiality_conflict", 422,                       \
      "refused for impartiality")                                              \
    X(SC_ERR_SCHEME, "scheme_invalid", 422, "invalid scheme file")             \
    X(SC_ERR_RATE_LIMITED, "rate_limited", 429, "too many attempts")           \
    X(SC_ERR_NOMEM, "out_of_memory", 500, "out of memory")                     \
    X(SC_ERR_IO, "io_error", 500, "input/output error")                        \
    X(SC_ERR_INTERNAL, "internal", 500, "internal error")

enum sc_err {
#define SC_ERR_ENUM_(name, wire, status, msg) name,
    SC_ERR_LIST(SC_ERR_ENUM_)
#undef SC_ERR_ENUM_
        SC_ERR_COUNT_
};

#define SC_ERROR_FIELD_MAX 128
#define SC_ERROR_MESSAGE_MAX 320

/* Detail of one failure. Caller-owned; no heap. */
struct sc_error {
    enum sc_err code;
    char field[SC_ERROR_FIELD_MAX];     /* "" when no single field is at fault */
    char message[SC_ERROR_MESSAGE_MAX]; /* human text, English */
};

/* Wire name ("invalid"), default message and HTTP status of a code.
 * Unknown values map to SC_ERR_INTERNAL's entries. */
const char *sc_err_name(enum sc_err code);
const char *sc_err_message(enum sc_err code);
int sc_err_http_status(enum sc_err code);

/* Resets `e` to SC_OK with empty field and message. `e` may be NULL. */
void sc_error_clear(struct sc_error *e);

/*
 * Records a failure and returns `code`, so callers can write
 *     return sc_error_set(err, SC_ERR_INVALID, "employees", "must be >= %d", 1);
 * `err` may be NULL (then only the code is returned). `field` may be NULL.
 * `fmt` may be NULL, in which case the code's default message is used.
 * Text longer than the caps is truncated (at a UTF-8 boundary).
 */
enum sc_err sc_error_set(struct sc_error *err, enum sc_err code,
                         const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prefixes err->field with `prefix` (e.g. "results" + "5.2.4" ->
 * "results.5.2.4"); no-op when err is NULL. */
void sc_error_prefix_field(struct sc_error *err, const char *prefix);

#endif
