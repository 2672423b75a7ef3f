/*
 * fuzz_sheet: arbitrary bytes as a `starcert score` input document against
 * the bundled scheme. Must never crash, leak or read out of bounds; every
 * refusal is an error value.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "core/scheme.h"
#include "core/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sc_scheme scheme;
    static int loaded;
    if (!loaded) {
        if (sc_scheme_load_default(&scheme, NULL) != SC_OK)
            abort();
        loaded = 1;
    }
    json_error_t jerr;
    json_t *doc = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
                             &jerr);
    if (!doc)
        return 0;
    struct sc_error err;
    json_t *result = NULL;
    if (sc_sheet_compute(&scheme, doc, NULL, &result, &err) == SC_OK) {
        if (!result)
            abort();
        json_decref(result);
    } else if (result) {
        abort(); /* a refusal returns nothing */
    }
    json_decref(doc);
    return 0;
}
