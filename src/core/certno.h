/*
 * certno: certificate numbers made from a pattern (domain.md section 6), e.g.
 * the default "ASC-{year}-{seq:06}" -> "ASC-2026-000123".
 *
 * Pattern language:
 *   {year}     the year, always 4 digits (0001..9999); at most once;
 *   {seq}      the sequence number in decimal without padding; or
 *   {seq:0N}   zero-padded to at least N digits, N = 1..12 written without a
 *              leading zero ("{seq:06}", "{seq:012}"); exactly one {seq} or
 *              {seq:0N} per pattern;
 *   any other printable ASCII character except '{', '}' and space is a
 *   literal, matched exactly (case-sensitive). Any other use of a brace,
 *   spaces, control and non-ASCII characters are refused.
 * Sequence numbers run 1..SC_CERTNO_SEQ_MAX. A number wider than its padding
 * is written in full: seq 1234567 with {seq:06} is "1234567", and parses
 * back; the padding is a minimum, never a truncation.
 *
 * Parsing is strict and inverts formatting exactly: parse(format(y, s)) =
 * (y, s), and a text parses only if it is exactly what format would write
 * ("ASC-2026-0000123" is refused for {seq:06}: a zero beyond the padding).
 * Since {seq} is the only variable-width part, its width is the text's
 * length minus the pattern's fixed length, so parsing never guesses.
 *
 * Not for: choosing the next sequence number (the store does that, in the
 * transaction that issues the certificate). Pure; no I/O, no allocation.
 */
#ifndef SC_CERTNO_H
#define SC_CERTNO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SC_CERTNO_MAX 64         /* bytes of a formatted number plus NUL */
#define SC_CERTNO_PATTERN_MAX 64 /* bytes of a pattern plus NUL */
#define SC_CERTNO_SEQ_MAX INT64_C(999999999999) /* 12 digits */
#define SC_CERTNO_PAD_MAX 12
#define SC_CERTNO_DEFAULT_PATTERN "ASC-{year}-{seq:06}"

/*
 * SC_OK when `pattern` follows the language above and any number it can
 * produce (seq up to SC_CERTNO_SEQ_MAX) fits SC_CERTNO_MAX. Otherwise
 * SC_ERR_INVALID, field "certno_pattern", with the 1-based position of the
 * fault in the message.
 */
enum sc_err sc_certno_validate_pattern(const char *pattern,
                                       struct sc_error *err);

/*
 * Writes the number for (year, seq) into out[cap] (NUL-terminated).
 * SC_ERR_INVALID: the pattern is invalid (field "certno_pattern"), year not
 * 1..9999 when the pattern has {year} (field "year"; ignored otherwise), seq
 * not 1..SC_CERTNO_SEQ_MAX (field "seq"). SC_ERR_TOO_LARGE (field "number")
 * when cap is too small; SC_CERTNO_MAX always suffices. On failure `out` holds
 * "" if cap > 0.
 */
enum sc_err sc_certno_format(const char *pattern, int year, int64_t seq,
                             char *out, size_t cap, struct sc_error *err);

/*
 * Parses `text` against `pattern`, giving the year (0 when the pattern has no
 * {year}) and the sequence number. SC_ERR_INVALID, field "number", when the
 * text is not exactly what sc_certno_format would write for some year
 * 1..9999 and seq 1..SC_CERTNO_SEQ_MAX (the message says what was expected
 * where); field "certno_pattern" when the pattern is invalid. Outputs are
 * written only on success; `year` may be NULL.
 */
enum sc_err sc_certno_parse(const char *pattern, const char *text, int *year,
                            int64_t *seq, struct sc_error *err);

#endif
