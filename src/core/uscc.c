/*
 * uscc: check of the unified social credit code (see uscc.h). The only
 * non-trivial part is the wording of refusals: it reads the input as UTF-8
 * so that a full-width or Chinese character is named and counted as one
 * character, as the user typed it.
 */
#include "uscc.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const char alphabet[] = SC_USCC_ALPHABET;

int sc_uscc_value(char c)
{
    if (c == '\0')
        return -1;
    const char *p = memchr(alphabet, c, sizeof alphabet - 1);
    return p ? (int)(p - alphabet) : -1;
}

char sc_uscc_check_char(const char first17[17])
{
    int sum = 0;
    int w = 1; /* 3^(i-1) mod 31 */
    for (int i = 0; i < 17; i++) {
        int v = sc_uscc_value(first17[i]);
        if (v < 0)
            return '\0';
        sum = (sum + v * w) % SC_USCC_RADIX;
        w = (w * 3) % SC_USCC_RADIX;
    }
    int check = (SC_USCC_RADIX - sum) % SC_USCC_RADIX;
    return alphabet[check];
}

/* One decoded character: its code point (or -1 for a byte that does not
 * start a well-formed UTF-8 sequence) and its length in bytes (>= 1). */
struct uchar {
    int32_t cp;
    size_t len;
};

static struct uchar decode(const unsigned char *s)
{
    struct uchar u = {-1, 1};
    unsigned char b = s[0];
    size_t n;
    int32_t cp;
    if (b < 0x80) {
        u.cp = b;
        return u;
    } else if (b >= 0xC2 && b <= 0xDF) {
        n = 2;
        cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        cp = b & 0x07;
    } else {
        return u;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the NUL */
            return u;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    /* refuse overlong forms, surrogates and values past U+10FFFF */
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        return u;
    u.cp = cp;
    u.len = n;
    return u;
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        p += decode(p).len;
        n++;
    }
    return n;
}

static int is_never_used(char c)
{
    return c == 'I' || c == 'O' || c == 'Z' || c == 'S' || c == 'V';
}

static enum sc_err refuse_char(struct sc_error *err, const unsigned char *s,
                               struct uchar u, size_t pos)
{
    if (u.cp < 0)
        return sc_error_set(err, SC_ERR_INVALID, "code",
                            "byte 0x%02X at position %zu is not valid UTF-8; "
                            "a code uses only 0-9 and A-Z without I, O, Z, S, "
                            "V",
                            s[0], pos);
    if (u.cp >= 0x80) {
        /* Full-width forms, as typed with a Chinese input method. */
        int ascii = 0;
        if (u.cp >= 0xFF10 && u.cp <= 0xFF19)
            ascii = '0' + (u.cp - 0xFF10);
        else if (u.cp >= 0xFF21 && u.cp <= 0xFF3A)
            ascii = 'A' + (u.cp - 0xFF21);
        else if (u.cp >= 0xFF41 && u.cp <= 0xFF5A)
            ascii = 'A' + (u.cp - 0xFF41);
        if (ascii && sc_uscc_value((char)ascii) >= 0)
            return sc_error_set(err, SC_ERR_INVALID, "code",
                                "full-width character '%.*s' (U+%04X) at "
                                "position %zu is not allowed: type the ASCII "
                                "'%c'",
                                (int)u.len, (const char *)s, (unsigned)u.cp,
                                pos, ascii);
        return sc_error_set(err, SC_ERR_INVALID, "code",
                            "character '%.*s' (U+%04X) at position %zu is not "
                            "allowed: a code uses only 0-9 and A-Z without I, "
                            "O, Z, S, V",
                            (int)u.len, (const char *)s, (unsigned)u.cp, pos);
    }
    char c = (char)u.cp;
    if (c >= 'a' && c <= 'z') {
        char up = (char)(c - 'a' + 'A');
        if (is_never_used(up))
            return sc_error_set(err, SC_ERR_INVALID, "code",
                                "character '%c' at position %zu is not "
                                "allowed: letters are upper case, and I, O, "
                                "Z, S and V are never used",
                                c, pos);
        return sc_error_set(err, SC_ERR_INVALID, "code",
                            "lower-case character '%c' at position %zu is not "
                            "allowed: use upper-case '%c'",
                            c, pos, up);
    }
    if (is_never_used(c)) {
        const char *hint = c == 'O'   ? " (did you mean the digit '0'?)"
                           : c == 'I' ? " (did you mean the digit '1'?)"
                                      : "";
        return sc_error_set(err, SC_ERR_INVALID, "code",
                            "character '%c' at position %zu is not allowed: "
                            "I, O, Z, S and V are never used in a unified "
                            "social credit code%s",
                            c, pos, hint);
    }
    if (c > ' ' && c < 0x7F)
        return sc_error_set(err, SC_ERR_INVALID, "code",
                            "character '%c' at position %zu is not allowed: a "
                            "code uses only 0-9 and A-Z without I, O, Z, S, V",
                            c, pos);
    return sc_error_set(err, SC_ERR_INVALID, "code",
                        "%s (U+%04X) at position %zu is not allowed: a code "
                        "uses only 0-9 and A-Z without I, O, Z, S, V",
                        c == ' ' ? "a space" : "a control character",
                        (unsigned)u.cp, pos);
}

enum sc_err sc_uscc_check(const char *code, struct sc_error *err)
{
    if (!code)
        return sc_error_set(err, SC_ERR_INVALID, "code",
                            "a unified social credit code is required");
    size_t n = count_chars(code);
    if (n != SC_USCC_LEN)
        return sc_error_set(err, SC_ERR_INVALID, "code",
                            "must be %d characters long, got %zu", SC_USCC_LEN,
                            n);
    const unsigned char *p = (const unsigned char *)code;
    for (size_t pos = 1; *p; pos++) {
        struct uchar u = decode(p);
        if (u.cp < 0 || u.cp >= 0x80 || sc_uscc_value((char)u.cp) < 0)
            return refuse_char(err, p, u, pos);
        p += u.len;
    }
    /* Every character is now one ASCII byte of the alphabet. */
    char want = sc_uscc_check_char(code);
    if (code[17] != want)
        return sc_error_set(err, SC_ERR_INVALID, "code",
                            "wrong check character: expected '%c', got '%c'",
                            want, code[17]);
    return SC_OK;
}
