/*
 * filetype: the media type of an uploaded document, detected from its bytes
 * (never from its name or a client's claim).
 *
 * starcert accepts five kinds of application material: PDF, PNG, JPEG, and
 * the two Office Open XML formats DOCX and XLSX. DOCX and XLSX are both ZIP
 * archives; they are told apart by the archive's entries, read from the ZIP
 * central directory: a "[Content_Types].xml" entry must be present, plus
 * entries under "word/" (DOCX) or under "xl/" (XLSX), never both. Anything
 * else (an empty file, a GIF, a plain ZIP, text, a truncated or inconsistent
 * archive, ZIP64) is refused with SC_ERR_MEDIA_TYPE.
 *
 * What each type needs:
 *   PDF   "%PDF-d.d" at offset 0 and the "%%EOF" marker in the last 1024
 *         bytes (a truncated upload is refused);
 *   PNG   the 8-byte signature followed by an IHDR chunk of length 13;
 *   JPEG  the SOI marker FF D8 followed by another marker byte FF;
 *   ZIP   a local file header at offset 0, an end-of-central-directory record
 *         whose central directory lies inside the file, and every central
 *         directory entry inside it.
 *
 * Not for: validating the whole document (a PDF's object tree, a DOCX's
 * XML), virus scanning, or size limits (the store applies the scheme's cap).
 * Pure: no I/O, no allocation; reads only `len` bytes of the buffer.
 */
#ifndef SC_FILETYPE_H
#define SC_FILETYPE_H

#include <stddef.h>

#include "err.h"

enum sc_filetype {
    SC_FILETYPE_PDF,
    SC_FILETYPE_PNG,
    SC_FILETYPE_JPEG,
    SC_FILETYPE_DOCX,
    SC_FILETYPE_XLSX,
    SC_FILETYPE_COUNT_
};

#define SC_FILETYPE_MEDIA_MAX 80 /* longest media type string plus NUL */

/* The IANA media type ("application/pdf", "image/png", "image/jpeg",
 * "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
 * "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), or
 * "application/octet-stream" for a value out of range. Static strings. */
const char *sc_filetype_media_type(enum sc_filetype t);

/* Short name: "pdf", "png", "jpeg", "docx", "xlsx"; "unknown" otherwise. */
const char *sc_filetype_name(enum sc_filetype t);

/*
 * Detects the type of `len` bytes at `data` (data may be NULL when len is
 * 0). On success writes *out and returns SC_OK. Otherwise returns
 * SC_ERR_MEDIA_TYPE with field "file" and a message saying what was seen
 * (e.g. "a ZIP archive that is neither DOCX nor XLSX"); *out is untouched.
 * `err` may be NULL.
 */
enum sc_err sc_filetype_detect(const void *data, size_t len,
                               enum sc_filetype *out, struct sc_error *err);

#endif
