/*
 * embedded: files compiled into the program by tools/embed (the store's
 * migrations). Not for: anything read at run time from disk.
 */
#ifndef SC_EMBEDDED_H
#define SC_EMBEDDED_H

#include <stddef.h>

struct sc_embedded {
    const char *name; /* base name, e.g. "0001_lifecycle.sql" */
    const char *text; /* NUL-terminated */
    size_t len;
};

/* The migrations, in file-name order. */
extern const struct sc_embedded sc_migrations[];
extern const size_t sc_migrations_count;

#endif
