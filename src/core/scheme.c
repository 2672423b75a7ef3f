/* scheme: placeholder until the parser is written; refuses everything. */
#include "scheme.h"

enum sc_err sc_scheme_parse(const char *json, size_t len, struct sc_scheme *out,
                            struct sc_error *err)
{
    (void)json;
    (void)len;
    (void)out;
    return sc_error_set(err, SC_ERR_INTERNAL, NULL, "not built yet");
}

enum sc_err sc_scheme_load_default(struct sc_scheme *out, struct sc_error *err)
{
    return sc_scheme_parse(NULL, 0, out, err);
}
