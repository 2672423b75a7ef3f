/*
 * filetype: media type detection from the bytes (see filetype.h). Every read
 * is bounds-checked against `len` before it happens; offsets from the file
 * (ZIP directory fields) are compared by subtraction so that no sum can wrap.
 */
#include "filetype.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static const char *const media_types[SC_FILETYPE_COUNT_] = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};

static const char *const names[SC_FILETYPE_COUNT_] = {"pdf", "png", "jpeg",
                                                      "docx", "xlsx"};

const char *sc_filetype_media_type(enum sc_filetype t)
{
    if ((int)t < 0 || t >= SC_FILETYPE_COUNT_)
        return "application/octet-stream";
    return media_types[t];
}

const char *sc_filetype_name(enum sc_filetype t)
{
    if ((int)t < 0 || t >= SC_FILETYPE_COUNT_)
        return "unknown";
    return names[t];
}

static enum sc_err refuse(struct sc_error *err, const char *what)
{
    return sc_error_set(err, SC_ERR_MEDIA_TYPE, "file",
                        "%s; accepted are PDF, PNG, JPEG, DOCX and XLSX", what);
}

static uint32_t u16le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint32_t u32le(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

#define PDF_EOF_WINDOW 1024

static bool is_pdf(const unsigned char *p, size_t len)
{
    if (len < 8 || memcmp(p, "%PDF-", 5) != 0 || !is_digit(p[5]) ||
        p[6] != '.' || !is_digit(p[7]))
        return false;
    size_t from = len > PDF_EOF_WINDOW ? len - PDF_EOF_WINDOW : 8;
    for (size_t i = from; i + 5 <= len; i++)
        if (memcmp(p + i, "%%EOF", 5) == 0)
            return true;
    return false;
}

static bool is_png(const unsigned char *p, size_t len)
{
    static const unsigned char sig[8] = {0x89, 'P',  'N',  'G',
                                         0x0D, 0x0A, 0x1A, 0x0A};
    static const unsigned char ihdr[8] = {0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    /* signature, then IHDR: length, type, 13 data bytes, CRC */
    return len >= 8 + 8 + 13 + 4 && memcmp(p, sig, 8) == 0 &&
           memcmp(p + 8, ihdr, 8) == 0;
}

static bool is_jpeg(const unsigned char *p, size_t len)
{
    return len >= 4 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF;
}

#define ZIP_LOCAL_SIG 0x04034b50u
#define ZIP_CENTRAL_SIG 0x02014b50u
#define ZIP_END_SIG 0x06054b50u
#define ZIP_LOCAL_LEN 30u
#define ZIP_CENTRAL_LEN 46u
#define ZIP_END_LEN 22u
#define ZIP_COMMENT_MAX 65535u

static bool name_is(const unsigned char *name, size_t n, const char *want)
{
    size_t w = strlen(want);
    return n == w && memcmp(name, want, w) == 0;
}

static bool name_under(const unsigned char *name, size_t n, const char *dir)
{
    size_t w = strlen(dir);
    return n > w && memcmp(name, dir, w) == 0;
}

/* Finds the end-of-central-directory record: the last signature whose
 * comment length reaches exactly the end of the file. */
static bool find_end(const unsigned char *p, size_t len, size_t *at)
{
    if (len < ZIP_END_LEN)
        return false;
    size_t last = len - ZIP_END_LEN;
    size_t first = last > ZIP_COMMENT_MAX ? last - ZIP_COMMENT_MAX : 0;
    for (size_t i = last + 1; i-- > first;) {
        if (u32le(p + i) == ZIP_END_SIG &&
            (size_t)u16le(p + i + 20) == len - ZIP_END_LEN - i) {
            *at = i;
            return true;
        }
    }
    return false;
}

static enum sc_err detect_zip(const unsigned char *p, size_t len,
                              enum sc_filetype *out, struct sc_error *err)
{
    size_t end = 0;
    if (!find_end(p, len, &end))
        return refuse(err, "a ZIP archive without its central directory "
                           "(truncated?)");
    const unsigned char *e = p + end;
    uint32_t disk = u16le(e + 4), cd_disk = u16le(e + 6);
    uint32_t here = u16le(e + 8), entries = u16le(e + 10);
    uint32_t cd_size = u32le(e + 12), cd_off = u32le(e + 16);
    if (entries == 0xFFFFu || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu)
        return refuse(err, "a ZIP64 archive");
    if (disk != 0 || cd_disk != 0 || here != entries)
        return refuse(err, "a multi-part ZIP archive");
    if ((size_t)cd_size > end || (size_t)cd_off > end - (size_t)cd_size)
        return refuse(err, "a ZIP archive whose directory lies outside it");

    size_t pos = cd_off, cd_end = (size_t)cd_off + (size_t)cd_size;
    bool types = false, word = false, xl = false;
    for (uint32_t i = 0; i < entries; i++) {
        if (cd_end - pos < ZIP_CENTRAL_LEN || u32le(p + pos) != ZIP_CENTRAL_SIG)
            return refuse(err, "a ZIP archive with a damaged directory");
        size_t n = u16le(p + pos + 28), m = u16le(p + pos + 30),
               k = u16le(p + pos + 32);
        size_t local = u32le(p + pos + 42);
        size_t entry = ZIP_CENTRAL_LEN + n + m + k;
        if (cd_end - pos < entry)
            return refuse(err, "a ZIP archive with a damaged directory");
        if (local > cd_off || cd_off - local < ZIP_LOCAL_LEN ||
            u32le(p + local) != ZIP_LOCAL_SIG)
            return refuse(err, "a ZIP archive whose entries lie outside it");
        const unsigned char *name = p + pos + ZIP_CENTRAL_LEN;
        if (name_is(name, n, "[Content_Types].xml"))
            types = true;
        else if (name_under(name, n, "word/"))
            word = true;
        else if (name_under(name, n, "xl/"))
            xl = true;
        pos += entry;
    }
    if (pos != cd_end)
        return refuse(err, "a ZIP archive with a damaged directory");
    if (!types || word == xl)
        return refuse(err, "a ZIP archive that is neither DOCX nor XLSX");
    *out = word ? SC_FILETYPE_DOCX : SC_FILETYPE_XLSX;
    return SC_OK;
}

enum sc_err sc_filetype_detect(const void *data, size_t len,
                               enum sc_filetype *out, struct sc_error *err)
{
    const unsigned char *p = data;
    if (len == 0 || !p)
        return refuse(err, "the file is empty");
    if (is_pdf(p, len)) {
        *out = SC_FILETYPE_PDF;
        return SC_OK;
    }
    if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
        return refuse(err, "a PDF without its end marker (truncated?)");
    if (is_png(p, len)) {
        *out = SC_FILETYPE_PNG;
        return SC_OK;
    }
    if (is_jpeg(p, len)) {
        *out = SC_FILETYPE_JPEG;
        return SC_OK;
    }
    if (len >= 4 && u32le(p) == ZIP_LOCAL_SIG)
        return detect_zip(p, len, out, err);
    return refuse(err, "the file's type is not recognised");
}
