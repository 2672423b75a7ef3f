/*
 * store_registry: the public registry's look-ups (domain.md section 6):
 * a certificate by its exact number, and a search by number, organisation
 * name (Chinese substring) or 统一社会信用代码.
 *
 * Results are JSON views, one object per certificate:
 *   {"number", "revision", "organisation", "uscc", "level", "score",
 *    "status", "issued", "expires", "scope"}
 * with "score" a string with one decimal ("92.5") and "issued" this
 * revision's issue date. A confidential certificate is found only by an
 * exact number (get, or a search whose text is its number); name and code
 * searches never show it. Name search uses the FTS5 indexes of migration
 * 0002: substrings of 3+ characters through the trigram index, 1 and 2
 * characters through the gram index; the user's text is always passed as
 * one quoted FTS5 phrase, never as query syntax. Read-only; anonymous.
 * Not for: exports (CSV, CertSearch), or anything that writes.
 */
#ifndef SC_STORE_REGISTRY_H
#define SC_STORE_REGISTRY_H

#include <jansson.h>

#include "core/err.h"

struct sc_store;

#define SC_REGISTRY_TEXT_MAX 200 /* bytes of a search text */
#define SC_REGISTRY_LIMIT_DEFAULT 20
#define SC_REGISTRY_LIMIT_MAX 100

/* The certificate with exactly that number, as a new JSON object (caller
 * decrefs). SC_ERR_NOT_FOUND (field "number") when there is none;
 * SC_ERR_INVALID for an empty or over-long number. */
enum sc_err sc_store_registry_get(struct sc_store *st, const char *number,
                                  json_t **out, struct sc_error *err);

/*
 * Up to `limit` (1..SC_REGISTRY_LIMIT_MAX) certificates matching `text`, as
 * a new JSON array (caller decrefs): first the certificate with exactly
 * that number (confidential or not), then the non-confidential
 * certificates of the organisation with that code (an 18-character text,
 * compared in upper case), then the non-confidential certificates of the
 * organisations whose name contains the text (case-insensitive for Latin
 * letters), each certificate once, organisations in registration order.
 * Leading and trailing white space (ASCII, U+3000, U+00A0) is ignored.
 * SC_ERR_INVALID (field "text") when the text is empty, longer than
 * SC_REGISTRY_TEXT_MAX bytes, not UTF-8 or holds control characters; field
 * "limit" when the limit is out of range. An empty array is a success.
 */
enum sc_err sc_store_registry_search(struct sc_store *st, const char *text,
                                     int limit, json_t **out,
                                     struct sc_error *err);

#endif
