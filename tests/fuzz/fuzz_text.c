/*
 * fuzz_text: arbitrary bytes through the small text parsers of the core:
 * dates, 统一社会信用代码, certificate numbers (default pattern and the input
 * used as a pattern). A parsed value must format back to the same text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/certno.h"
#include "core/date.h"
#include "core/uscc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char text[256];
    if (size >= sizeof text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct sc_error err;

    sc_day d;
    if (sc_date_parse(text, "date", &d, &err) == SC_OK) {
        char back[SC_DATE_BUF];
        sc_date_format(d, back);
        if (strcmp(back, text) != 0)
            abort();
    }

    (void)sc_uscc_check(text, &err);

    int year = 0;
    int64_t seq = 0;
    if (sc_certno_parse(SC_CERTNO_DEFAULT_PATTERN, text, &year, &seq, &err) ==
        SC_OK) {
        char back[SC_CERTNO_MAX];
        if (sc_certno_format(SC_CERTNO_DEFAULT_PATTERN, year, seq, back,
                             sizeof back, &err) != SC_OK ||
            strcmp(back, text) != 0)
            abort();
    }
    if (sc_certno_validate_pattern(text, &err) == SC_OK) {
        char out[SC_CERTNO_MAX];
        (void)sc_certno_format(text, 2026, 123456, out, sizeof out, &err);
    }
    return 0;
}
