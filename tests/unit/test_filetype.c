/*
 * test_filetype: media type detection from the bytes. The files are built
 * here, byte by byte, as the real formats lay them out: a one-page PDF, a
 * 1x1 PNG with correct CRCs and a zlib stream, a JFIF JPEG header, and ZIP
 * archives written with local headers, a central directory and an end
 * record (stored entries, correct CRC-32) holding the parts a DOCX and an
 * XLSX carry. Refusals: empty, text, GIF, a PDF without its end marker, a
 * plain ZIP, a ZIP with both word/ and xl/, directory offsets pointing
 * outside the file. Property tests: every proper prefix of a DOCX is
 * refused; random bytes and random corruptions of an XLSX never read out of
 * bounds (run under ASan by `make check`) and never come out as another
 * type.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/filetype.h"

#define BUF_MAX 8192

struct buf {
    unsigned char b[BUF_MAX];
    size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
    assert_true(b->n + n <= BUF_MAX);
    memcpy(b->b + b->n, p, n);
    b->n += n;
}

static void put_str(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void put16(struct buf *b, uint32_t v)
{
    unsigned char x[2] = {(unsigned char)(v & 0xFF),
                          (unsigned char)((v >> 8) & 0xFF)};
    put(b, x, 2);
}

static void put32(struct buf *b, uint32_t v)
{
    unsigned char x[4] = {
        (unsigned char)(v & 0xFF), (unsigned char)((v >> 8) & 0xFF),
        (unsigned char)((v >> 16) & 0xFF), (unsigned char)((v >> 24) & 0xFF)};
    put(b, x, 4);
}

static void put32be(struct buf *b, uint32_t v)
{
    unsigned char x[4] = {
        (unsigned char)((v >> 24) & 0xFF), (unsigned char)((v >> 16) & 0xFF),
        (unsigned char)((v >> 8) & 0xFF), (unsigned char)(v & 0xFF)};
    put(b, x, 4);
}

/* CRC-32 (ISO 3309, as ZIP and PNG use it), bitwise. */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return c ^ 0xFFFFFFFFu;
}

/* ---- files ------------------------------------------------------------- */

static void make_pdf(struct buf *b)
{
    b->n = 0;
    put_str(b, "%PDF-1.4\n"
               "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
               "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
               "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] "
               ">> endobj\n"
               "trailer << /Root 1 0 R >>\n"
               "%%EOF\n");
}

static void png_chunk(struct buf *b, const char *type, const unsigned char *d,
                      size_t n)
{
    put32be(b, (uint32_t)n);
    size_t from = b->n;
    put(b, type, 4);
    if (n)
        put(b, d, n);
    put32be(b, crc32_of(b->b + from, 4 + n));
}

/* A 1x1 8-bit greyscale PNG: IHDR, IDAT (zlib, one stored block holding the
 * filter byte 0 and the pixel 0xFF, Adler-32 0x01000100... computed), IEND. */
static void make_png(struct buf *b)
{
    static const unsigned char sig[8] = {0x89, 'P',  'N',  'G',
                                         0x0D, 0x0A, 0x1A, 0x0A};
    const unsigned char ihdr[13] = {0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0};
    const unsigned char raw[2] = {0x00, 0xFF};
    uint32_t a = 1, s = 0;
    for (size_t i = 0; i < 2; i++) {
        a = (a + raw[i]) % 65521u;
        s = (s + a) % 65521u;
    }
    uint32_t adler = s << 16 | a;
    const unsigned char idat[13] = {0x78,
                                    0x01, /* zlib header, no compression */
                                    0x01,
                                    0x02,
                                    0x00,
                                    0xFD,
                                    0xFF, /* final stored block, LEN 2, NLEN */
                                    raw[0],
                                    raw[1],
                                    (unsigned char)(adler >> 24),
                                    (unsigned char)(adler >> 16),
                                    (unsigned char)(adler >> 8),
                                    (unsigned char)adler};
    b->n = 0;
    put(b, sig, 8);
    png_chunk(b, "IHDR", ihdr, sizeof ihdr);
    png_chunk(b, "IDAT", idat, sizeof idat);
    png_chunk(b, "IEND", NULL, 0);
}

static void make_jpeg(struct buf *b)
{
    static const unsigned char jfif[] = {
        0xFF, 0xD8,                                           /* SOI */
        0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',  0x00, /* APP0 JFIF */
        0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
        0xFF, 0xD9, /* EOI */
    };
    b->n = 0;
    put(b, jfif, sizeof jfif);
}

/* A ZIP of stored entries: names[i] holds texts[i]. */
static void make_zip(struct buf *b, const char *const *names,
                     const char *const *texts, size_t n)
{
    uint32_t offs[16];
    assert_true(n <= 16);
    b->n = 0;
    for (size_t i = 0; i < n; i++) {
        size_t tl = strlen(texts[i]);
        uint32_t crc = crc32_of((const unsigned char *)texts[i], tl);
        offs[i] = (uint32_t)b->n;
        put32(b, 0x04034b50u);
        put16(b, 20);   /* version needed */
        put16(b, 0);    /* flags */
        put16(b, 0);    /* stored */
        put16(b, 0);    /* time */
        put16(b, 0x21); /* date 1980-01-01 */
        put32(b, crc);
        put32(b, (uint32_t)tl);
        put32(b, (uint32_t)tl);
        put16(b, (uint32_t)strlen(names[i]));
        put16(b, 0);
        put_str(b, names[i]);
        put_str(b, texts[i]);
    }
    uint32_t cd = (uint32_t)b->n;
    for (size_t i = 0; i < n; i++) {
        size_t tl = strlen(texts[i]);
        put32(b, 0x02014b50u);
        put16(b, 20);
        put16(b, 20);
        put16(b, 0);
        put16(b, 0);
        put16(b, 0);
        put16(b, 0x21);
        put32(b, crc32_of((const unsigned char *)texts[i], tl));
        put32(b, (uint32_t)tl);
        put32(b, (uint32_t)tl);
        put16(b, (uint32_t)strlen(names[i]));
        put16(b, 0); /* extra */
        put16(b, 0); /* comment */
        put16(b, 0); /* disk */
        put16(b, 0); /* internal attributes */
        put32(b, 0); /* external attributes */
        put32(b, offs[i]);
        put_str(b, names[i]);
    }
    uint32_t cd_size = (uint32_t)b->n - cd;
    put32(b, 0x06054b50u);
    put16(b, 0);
    put16(b, 0);
    put16(b, (uint32_t)n);
    put16(b, (uint32_t)n);
    put32(b, cd_size);
    put32(b, cd);
    put16(b, 0);
}

static const char *const CT = "[Content_Types].xml";
static const char *const CT_XML =
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/"
    "package/2006/content-types\"/>";
static const char *const RELS = "<?xml version=\"1.0\"?><Relationships/>";

static void make_docx(struct buf *b)
{
    const char *names[] = {CT, "_rels/.rels", "word/document.xml"};
    const char *texts[] = {CT_XML, RELS,
                           "<?xml version=\"1.0\"?><w:document "
                           "xmlns:w=\"http://schemas.openxmlformats.org/"
                           "wordprocessingml/2006/main\"><w:body/>"
                           "</w:document>"};
    make_zip(b, names, texts, 3);
}

static void make_xlsx(struct buf *b)
{
    const char *names[] = {CT, "_rels/.rels", "xl/workbook.xml",
                           "xl/worksheets/sheet1.xml"};
    const char *texts[] = {CT_XML, RELS, "<?xml version=\"1.0\"?><workbook/>",
                           "<?xml version=\"1.0\"?><worksheet/>"};
    make_zip(b, names, texts, 4);
}

static struct buf B; /* one scratch file, too big for cmocka's stack checks */

static enum sc_err detect(const struct buf *b, enum sc_filetype *t,
                          struct sc_error *e)
{
    sc_error_clear(e);
    return sc_filetype_detect(b->b, b->n, t, e);
}

static void expect_type(const struct buf *b, enum sc_filetype want)
{
    enum sc_filetype t = SC_FILETYPE_COUNT_;
    struct sc_error e;
    assert_int_equal(detect(b, &t, &e), SC_OK);
    assert_string_equal(sc_filetype_name(t), sc_filetype_name(want));
}

static void expect_refused(const struct buf *b, const char *msg_part)
{
    enum sc_filetype t = SC_FILETYPE_COUNT_;
    struct sc_error e;
    assert_int_equal(detect(b, &t, &e), SC_ERR_MEDIA_TYPE);
    assert_int_equal(t, SC_FILETYPE_COUNT_);
    assert_string_equal(e.field, "file");
    if (!strstr(e.message, msg_part))
        fail_msg("message \"%s\" lacks \"%s\"", e.message, msg_part);
}

/* ---- accepted ---------------------------------------------------------- */

static void test_pdf(void **state)
{
    (void)state;
    make_pdf(&B);
    expect_type(&B, SC_FILETYPE_PDF);
    assert_string_equal(sc_filetype_media_type(SC_FILETYPE_PDF),
                        "application/pdf");
}

static void test_png(void **state)
{
    (void)state;
    make_png(&B);
    assert_int_equal(B.n, 8 + 25 + 25 + 12);
    expect_type(&B, SC_FILETYPE_PNG);
    assert_string_equal(sc_filetype_media_type(SC_FILETYPE_PNG), "image/png");
}

static void test_jpeg(void **state)
{
    (void)state;
    make_jpeg(&B);
    expect_type(&B, SC_FILETYPE_JPEG);
    assert_string_equal(sc_filetype_media_type(SC_FILETYPE_JPEG), "image/jpeg");
}

static void test_docx(void **state)
{
    (void)state;
    make_docx(&B);
    expect_type(&B, SC_FILETYPE_DOCX);
    assert_string_equal(
        sc_filetype_media_type(SC_FILETYPE_DOCX),
        "application/vnd.openxmlformats-officedocument.wordprocessingml."
        "document");
}

static void test_xlsx(void **state)
{
    (void)state;
    make_xlsx(&B);
    expect_type(&B, SC_FILETYPE_XLSX);
    assert_string_equal(
        sc_filetype_media_type(SC_FILETYPE_XLSX),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

/* A ZIP comment after the end record is allowed (its length must reach the
 * end of the file exactly). */
static void test_zip_with_comment(void **state)
{
    (void)state;
    make_docx(&B);
    B.b[B.n - 2] = 5; /* comment length */
    put_str(&B, "hello");
    expect_type(&B, SC_FILETYPE_DOCX);
    B.n -= 1; /* comment now shorter than its length says */
    expect_refused(&B, "central directory");
}

/* The name decides nothing: the same bytes are a PDF whatever it is called,
 * and a PDF header found a byte late is not a PDF. */
static void test_pdf_edges(void **state)
{
    (void)state;
    B.n = 0;
    put_str(&B, "%PDF-1.7\n%%EOF");
    expect_type(&B, SC_FILETYPE_PDF);
    B.n = 0;
    put_str(&B, " %PDF-1.7\n%%EOF");
    expect_refused(&B, "not recognised");
    B.n = 0;
    put_str(&B, "%PDF-1.7\n1 0 obj"); /* truncated: no %%EOF */
    expect_refused(&B, "end marker");
    B.n = 0;
    put_str(&B, "%PDF-x.7\n%%EOF");
    expect_refused(&B, "end marker");
    /* %%EOF more than 1024 bytes before the end is not the end marker */
    B.n = 0;
    put_str(&B, "%PDF-1.7\n%%EOF\n");
    while (B.n < 1040)
        put_str(&B, "x");
    expect_refused(&B, "end marker");
    /* and exactly within the last 1024 bytes it is */
    B.n = 0;
    put_str(&B, "%PDF-1.7\n");
    while (B.n < 2000)
        put_str(&B, " ");
    put_str(&B, "%%EOF");
    while (B.n < 2000 + 1024)
        put_str(&B, "\n");
    assert_int_equal(B.n, 3024);
    expect_type(&B, SC_FILETYPE_PDF); /* %%EOF starts at len - 1024 */
    put_str(&B, "\n");
    expect_refused(&B, "end marker"); /* now it starts at len - 1025 */
}

/* ---- refused ----------------------------------------------------------- */

static void test_empty(void **state)
{
    (void)state;
    enum sc_filetype t = SC_FILETYPE_COUNT_;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_filetype_detect(NULL, 0, &t, &e), SC_ERR_MEDIA_TYPE);
    assert_string_equal(e.field, "file");
    assert_non_null(strstr(e.message, "empty"));
}

static void test_other_types(void **state)
{
    (void)state;
    B.n = 0;
    put_str(&B, "GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    expect_refused(&B, "not recognised");
    B.n = 0;
    put_str(&B, "name,kind\nmanual,pdf\n");
    expect_refused(&B, "not recognised");
    make_png(&B);
    B.n = 20; /* signature but IHDR cut */
    expect_refused(&B, "not recognised");
    make_png(&B);
    B.b[12] = 'X'; /* first chunk is not IHDR */
    expect_refused(&B, "not recognised");
    B.n = 3;
    B.b[0] = 0xFF;
    B.b[1] = 0xD8;
    B.b[2] = 0xFF;
    expect_refused(&B, "not recognised");
}

static void test_plain_zip(void **state)
{
    (void)state;
    const char *names[] = {"readme.txt", "data/x.csv"};
    const char *texts[] = {"hello", "a,b"};
    make_zip(&B, names, texts, 2);
    expect_refused(&B, "neither DOCX nor XLSX");
}

static void test_zip_without_content_types(void **state)
{
    (void)state;
    const char *names[] = {"word/document.xml"};
    const char *texts[] = {"<w:document/>"};
    make_zip(&B, names, texts, 1);
    expect_refused(&B, "neither DOCX nor XLSX");
}

static void test_zip_both_word_and_xl(void **state)
{
    (void)state;
    const char *names[] = {CT, "word/document.xml", "xl/workbook.xml"};
    const char *texts[] = {CT_XML, "<w/>", "<x/>"};
    make_zip(&B, names, texts, 3);
    expect_refused(&B, "neither DOCX nor XLSX");
}

/* "word" without the slash, or "xlsx/", is not the part directory. */
static void test_zip_lookalike_names(void **state)
{
    (void)state;
    const char *names[] = {CT, "wordy.xml", "xlsx/x.xml", "word/"};
    const char *texts[] = {CT_XML, "a", "b", ""};
    make_zip(&B, names, texts, 4);
    expect_refused(&B, "neither DOCX nor XLSX");
}

static void test_zip_bad_directory(void **state)
{
    (void)state;
    make_docx(&B);
    size_t end = B.n - 22;
    /* central directory offset past the end record */
    B.b[end + 16] = 0xF0;
    B.b[end + 17] = 0xFF;
    expect_refused(&B, "outside");

    make_docx(&B);
    /* one entry more than the directory holds */
    B.b[end + 8] = 4;
    B.b[end + 10] = 4;
    expect_refused(&B, "damaged");

    make_docx(&B);
    /* ZIP64 marker */
    B.b[end + 10] = 0xFF;
    B.b[end + 11] = 0xFF;
    expect_refused(&B, "ZIP64");

    make_docx(&B);
    /* the first central entry's local header offset points into data */
    size_t cd = (size_t)B.b[end + 16] | (size_t)B.b[end + 17] << 8;
    B.b[cd + 42] = 3;
    expect_refused(&B, "outside");

    make_docx(&B);
    /* a name length that runs past the directory */
    B.b[cd + 28] = 0xFF;
    B.b[cd + 29] = 0x7F;
    expect_refused(&B, "damaged");
}

/* ---- properties -------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t xorshift(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Every proper prefix of a DOCX lacks its end record: refused, never read
 * past its length (ASan), never some other type. */
static void test_prefixes_of_docx_refused(void **state)
{
    (void)state;
    make_docx(&B);
    size_t full = B.n;
    for (size_t n = 0; n < full; n++) {
        enum sc_filetype t = SC_FILETYPE_COUNT_;
        struct sc_error e;
        sc_error_clear(&e);
        /* copy into an exact-size buffer so ASan sees any overread */
        unsigned char *exact = n ? malloc(n) : NULL;
        if (n)
            memcpy(exact, B.b, n);
        enum sc_err rc = sc_filetype_detect(exact, n, &t, &e);
        free(exact);
        if (rc != SC_ERR_MEDIA_TYPE)
            fail_msg("prefix of %zu of %zu bytes accepted as %s", n, full,
                     sc_filetype_name(t));
    }
}

/* 5000 random corruptions of one to four bytes of an XLSX: the answer is
 * XLSX, DOCX (a flipped name) or a refusal, never PDF/PNG/JPEG (the first
 * four bytes stay a ZIP signature), never a crash. */
static void test_corrupted_xlsx_never_crash(void **state)
{
    (void)state;
    struct buf orig;
    make_xlsx(&orig);
    for (int i = 0; i < 5000; i++) {
        memcpy(&B, &orig, sizeof orig);
        int flips = 1 + (int)(xorshift() % 4);
        for (int f = 0; f < flips; f++) {
            size_t at = 4 + (size_t)(xorshift() % (orig.n - 4));
            B.b[at] = (unsigned char)xorshift();
        }
        enum sc_filetype t = SC_FILETYPE_COUNT_;
        struct sc_error e;
        enum sc_err rc = detect(&B, &t, &e);
        if (rc == SC_OK && t != SC_FILETYPE_XLSX && t != SC_FILETYPE_DOCX)
            fail_msg("case %d came out as %s", i, sc_filetype_name(t));
        if (rc != SC_OK && rc != SC_ERR_MEDIA_TYPE)
            fail_msg("case %d returned %d", i, (int)rc);
    }
}

/* 5000 random buffers of 0..600 bytes, some starting with a signature. */
static void test_random_bytes_never_crash(void **state)
{
    (void)state;
    static const unsigned char heads[4][4] = {{'P', 'K', 3, 4},
                                              {'%', 'P', 'D', 'F'},
                                              {0x89, 'P', 'N', 'G'},
                                              {0xFF, 0xD8, 0xFF, 0xE0}};
    for (int i = 0; i < 5000; i++) {
        size_t n = (size_t)(xorshift() % 601);
        unsigned char *p = B.b;
        for (size_t k = 0; k < n; k++)
            p[k] = (unsigned char)xorshift();
        if (n >= 4 && i % 2)
            memcpy(p, heads[(size_t)i / 2 % 4], 4);
        enum sc_filetype t = SC_FILETYPE_COUNT_;
        struct sc_error e;
        sc_error_clear(&e);
        enum sc_err rc = sc_filetype_detect(p, n, &t, &e);
        if (rc != SC_OK && rc != SC_ERR_MEDIA_TYPE)
            fail_msg("case %d returned %d", i, (int)rc);
        if (rc != SC_OK)
            assert_string_equal(e.field, "file");
    }
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(sc_filetype_name(SC_FILETYPE_COUNT_), "unknown");
    assert_string_equal(sc_filetype_media_type(SC_FILETYPE_COUNT_),
                        "application/octet-stream");
    for (int t = 0; t < SC_FILETYPE_COUNT_; t++)
        assert_true(strlen(sc_filetype_media_type((enum sc_filetype)t)) <
                    SC_FILETYPE_MEDIA_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pdf),
        cmocka_unit_test(test_png),
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_docx),
        cmocka_unit_test(test_xlsx),
        cmocka_unit_test(test_zip_with_comment),
        cmocka_unit_test(test_pdf_edges),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_other_types),
        cmocka_unit_test(test_plain_zip),
        cmocka_unit_test(test_zip_without_content_types),
        cmocka_unit_test(test_zip_both_word_and_xl),
        cmocka_unit_test(test_zip_lookalike_names),
        cmocka_unit_test(test_zip_bad_directory),
        cmocka_unit_test(test_prefixes_of_docx_refused),
        cmocka_unit_test(test_corrupted_xlsx_never_crash),
        cmocka_unit_test(test_random_bytes_never_crash),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
