/*
 * uscc: the unified social credit code (统一社会信用代码, GB 32100-2015) that
 * identifies every Chinese organisation, as printed on its business licence.
 *
 * A code is 18 characters from the alphabet SC_USCC_ALPHABET (digits and the
 * upper-case letters except I, O, Z, S and V), valued 0..30 in that order.
 * The 18th is a check character: with c1..c17 the values of the first 17 and
 * weights w_i = 3^(i-1) mod 31, check = 31 - (sum c_i * w_i mod 31), 31 read
 * as 0. Every single-character substitution changes the sum mod 31 (31 is
 * prime and no weight is 0 mod 31), so it is always caught.
 *
 * Not for: the meaning of the parts (registration authority, organisation
 * type, region code): GB 32100 leaves those to lists that change, so only the
 * alphabet, the length and the check character are verified. Pure; no I/O,
 * no allocation.
 */
#ifndef SC_USCC_H
#define SC_USCC_H

#include "err.h"

#define SC_USCC_LEN 18 /* characters (ASCII bytes) of a code */
#define SC_USCC_ALPHABET "0123456789ABCDEFGHJKLMNPQRTUWXY"
#define SC_USCC_RADIX 31

/* Value 0..30 of an alphabet character, or -1 for any other byte
 * (lower-case letters included). */
int sc_uscc_value(char c);

/* The check character for the first 17 characters of a code, or '\0' when
 * one of them is not in the alphabet. Reads exactly 17 bytes. */
char sc_uscc_check_char(const char first17[17]);

/*
 * Checks a NUL-terminated code. SC_OK when it is valid; otherwise
 * SC_ERR_INVALID with field "code" (a caller that names the field otherwise
 * may overwrite err->field) and one of these messages, tried in this order:
 *   - code missing (NULL);
 *   - wrong length, giving the length in characters (UTF-8 aware);
 *   - the first character not allowed, with its 1-based position and why:
 *     a lower-case letter that upper case would fix, one of I, O, Z, S, V
 *     (never used), a full-width character (names the ASCII form), or any
 *     other character;
 *   - wrong check character: the one expected and the one given.
 */
enum sc_err sc_uscc_check(const char *code, struct sc_error *err);

#endif
