/*
 * text: the small checks every module makes on free text typed by people:
 * is it blank (white space only, including the no-break space and the
 * ideographic space U+3000 that Chinese input methods type), is it
 * well-formed UTF-8. Pure, no allocation.
 * Not for: field-specific rules (lengths, allowed characters) or messages.
 */
#ifndef SC_TEXT_H
#define SC_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* true for NULL, "", or only ASCII white space, U+00A0 and U+3000. */
bool sc_text_blank(const char *s);

/* true when s[0..n) is well-formed UTF-8: no bad or missing continuation
 * bytes, no overlong forms, no surrogates, nothing beyond U+10FFFF. */
bool sc_text_utf8_valid(const char *s, size_t n);

#endif
