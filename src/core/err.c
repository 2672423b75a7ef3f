/*
 * err: tables behind the error vocabulary and the helpers that fill a
 * `struct sc_error`. Pure; no allocation.
 */
#include "err.h"

#include <stdarg.h>
#include <stdbool.h>
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

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the bytes there
 * are not one (bad lead byte, bad or missing continuation, overlong form,
 * surrogate, beyond U+10FFFF). */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0)))
        return 0;
    if (n == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

/* Makes a NUL-terminated buffer valid UTF-8 in place: every byte that does
 * not start a valid sequence becomes '?', and a sequence cut by truncation
 * at the end is dropped. Messages quote user input; their JSON must stay
 * valid. */
static void utf8_trim(char *str)
{
    unsigned char *s = (unsigned char *)str;
    size_t i = 0;
    while (s[i]) {
        size_t n = utf8_seq(s + i);
        if (n == 0) {
            /* a multi-byte sequence cut by the NUL at the end is dropped */
            size_t rest = strlen((char *)s + i);
            unsigned char c = s[i];
            size_t want = c > 0xF4   ? 0
                          : c >= 0xF0 ? 4
                          : c >= 0xE0 ? 3
                          : c >= 0xC2 ? 2
                                      : 0;
            if (want > rest) {
                bool cut = true;
                for (size_t k = 1; k < rest; k++)
                    if ((s[i + k] & 0xC0) != 0x80)
                        cut = false;
                if (cut) {
                    s[i] = '\0';
                    return;
                }
            }
            s[i] = '?';
            n = 1;
        }
        i += n;
    }
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
