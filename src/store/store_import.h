/*
 * store_import: loads certificates from a certification body's previous
 * system, as a CSV file (the columns and every check are documented in
 * docs/import.md).
 *
 * The file is read as a stream (RFC 4180: quoted fields with "" for a
 * quote, CRLF or LF line ends, UTF-8, an optional byte-order mark), with a
 * cap on a record's bytes and on its field count. The first record is the
 * header naming the columns (any order). Every row is checked completely:
 * strict dates, the organisation's 统一社会信用代码 (sc_uscc_check), a
 * certified level of the scheme, a score with one decimal at or above the
 * level's threshold, a public status, the expiry against the cycle start
 * (src/core/timeline), a number unique in the file and the database.
 * Organisations are matched by code (created when new; a known code with
 * another name is refused).
 *
 * Everything happens in ONE transaction with ONE event
 * ("certificate.import", detail: counts, the file's SHA-256, the scheme):
 * without `partial`, one bad row loads nothing and the database is left
 * exactly as it was; with `partial`, the good rows load and the bad ones
 * are listed. Not for: exports, or certificates issued through the
 * workflow (the decision module creates those).
 */
#ifndef SC_STORE_IMPORT_H
#define SC_STORE_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/err.h"
#include "core/scheme.h"

struct sc_store;
struct sc_clock;
struct sc_actor;

#define SC_IMPORT_RECORD_MAX (64 * 1024) /* bytes of one record */
#define SC_IMPORT_FIELDS_MAX 64          /* fields of one record */
#define SC_IMPORT_ERRORS_MAX 100         /* bad rows listed in the report */
#define SC_IMPORT_NAME_CHARS 200         /* organisation name, characters */

/*
 * Imports the CSV read from `in` (the caller opens and closes it; `name` is
 * recorded in the event and the report). `actor` must be allowed
 * "import.run" (admin, or the system when the CLI has no --as), else
 * SC_ERR_FORBIDDEN. `scheme` is recorded on every certificate and must be
 * stored in the database (SC_ERR_NOT_FOUND otherwise). Must be called with
 * no transaction open.
 *
 * *report (new reference, caller decrefs; set on success AND when rows were
 * refused) is {"file", "sha256", "scheme", "partial", "rows", "loaded",
 * "rejected", "organisations_created", "organisations_matched",
 * "recertification_open", "errors": [{"line", "field", "code",
 * "message"}] (at most SC_IMPORT_ERRORS_MAX), "errors_listed"}.
 *
 * Errors: SC_ERR_MALFORMED for a file that cannot be read as CSV (an
 * unterminated or stray quote, a record over the caps, a bad header): field
 * "line N" (N the record's first line), nothing loaded even with
 * `partial`. Without `partial`, a bad row gives its code (usually
 * SC_ERR_INVALID or SC_ERR_CONFLICT) with field = the column and the
 * message starting "line N:", nothing loaded. SC_ERR_IO when the file
 * cannot be read.
 */
enum sc_err sc_store_import_csv(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor,
                                const struct sc_scheme *scheme, FILE *in,
                                const char *name, bool partial,
                                json_t **report, struct sc_error *err);

#endif
