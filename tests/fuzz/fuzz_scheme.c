/*
 * fuzz_scheme: arbitrary bytes as a scheme file. The parser must refuse
 * anything invalid with an error value, never crash.
 */
#include <stddef.h>
#include <stdint.h>

#include "core/scheme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sc_scheme scheme;
    struct sc_error err;
    (void)sc_scheme_parse((const char *)data, size, &scheme, &err);
    return 0;
}
