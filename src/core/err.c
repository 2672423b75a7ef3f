/*
 * err: tables behind the error vocabulary and the helpers that fill a
 * `struct sc_error`. Pure; no allocation.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int status;
    const char *message;
} table[] = {
#define SC_ERR_ROW_(name, wire, status, msg) {wire, status, msg},
    SC_ERR_LIST(SC_ERR_ROW_)
#undef SC_ERR_ROW_
};

static size_t index_of(enum sc_err code)
{
    if ((int)code < 0 || (int)code >= (int)SC_ERR_COUNT_)
        return (size_t)SC_ERR_INTERNAL;
    return (size_t)code;
}

const char *sc_err_name(enum sc_err code) { return table[index_of(code)].name; }

const char *sc_err_message(enum sc_err code)
{
    return table[index_of(code)].message;
}

int sc_err_http_status(enum sc_err code)
{
    return table[index_of(code)].status;
}

void sc_error_clear(struct sc_error *e)
{
    if (!e)
        return;
    e->code = SC_OK;
    e->field[0] = '\0';
    e->message[0] = '\0';
}

/* Cuts a NUL-terminated buffer back so it does not end inside a UTF-8
 * sequence (snprintf truncation counts bytes, not characters). */
static void utf8_trim(char *s)
{
    size_t n = strlen(s);
    size_t i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (n - (i - 1) < want)
        s[i - 1] = '\0';
}

enum sc_err sc_error_set(struct sc_error *err, enum sc_err code,
                         const char *field, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    utf8_trim(err->field);
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    } else {
        snprintf(err->message, sizeof err->message, "%s", sc_err_message(code));
    }
    utf8_trim(err->message);
    return code;
}

void sc_error_prefix_field(struct sc_error *err, const char *prefix)
{
    if (!err || !prefix || !prefix[0])
        return;
    char tmp[SC_ERROR_FIELD_MAX];
    size_t n = strlen(prefix);
    if (n >= sizeof tmp)
        n = sizeof tmp - 1;
    memcpy(tmp, prefix, n);
    if (err->field[0] && n + 1 < sizeof tmp) {
        tmp[n++] = '.';
        size_t rest = strlen(err->field);
        if (rest > sizeof tmp - 1 - n)
            rest = sizeof tmp - 1 - n;
        memcpy(tmp + n, err->field, rest);
        n += rest;
    }
    tmp[n] = '\0';
    memcpy(err->field, tmp, sizeof tmp);
    utf8_trim(err->field);
}
