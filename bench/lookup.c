/*
 * lookup: the registry look-up benchmark, in process. Opens a database made
 * by `starcert import` of bench/gen's file and times 10,000 random queries
 * of each kind from gen's query file: get by number, search by a 2-character
 * trade name (海尔), by city + trade name (3+ characters), and by code.
 * Prints median and p99 in microseconds. Not a test; links
 * build/libstarcert.a.
 *
 *   lookup DB QUERIES.txt [N]
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "store/store_registry.h"

#define MAXQ 200000

struct list {
    char *v[MAXQ];
    size_t n;
};

static uint64_t rng = 0x2545F4914F6CDD1Dull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int bench(struct sc_store *st, const char *label, struct list *l,
                 int get, int n)
{
    double *t = malloc((size_t)n * sizeof *t);
    long found = 0;
    if (!t || l->n == 0)
        return 1;
    for (int i = 0; i < n; i++) {
        const char *q = l->v[next() % l->n];
        struct sc_error err;
        json_t *out = NULL;
        double t0 = now_us();
        enum sc_err rc = get ? sc_store_registry_get(st, q, &out, &err)
                             : sc_store_registry_search(st, q, 20, &out, &err);
        t[i] = now_us() - t0;
        if (rc == SC_OK)
            found += get ? 1 : (long)json_array_size(out);
        json_decref(out);
    }
    qsort(t, (size_t)n, sizeof *t, cmp);
    printf("%-28s n=%d median %9.1f us  p99 %9.1f us  results %ld\n", label,
           n, t[n / 2], t[n * 99 / 100], found);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    static struct list numbers, name2, name3, codes;
    struct sc_store *st = NULL;
    struct sc_error err;
    char line[512];
    if (argc < 3) {
        fprintf(stderr, "usage: lookup DB QUERIES.txt [N]\n");
        return 2;
    }
    int n = argc > 3 ? atoi(argv[3]) : 10000;
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        tab[strcspn(tab + 1, "\n") + 1] = '\0';
        struct list *l = strcmp(line, "number") == 0  ? &numbers
                         : strcmp(line, "name2") == 0 ? &name2
                         : strcmp(line, "name3") == 0 ? &name3
                                                      : &codes;
        if (l->n < MAXQ)
            l->v[l->n++] = strdup(tab + 1);
    }
    fclose(f);
    if (sc_store_open(argv[1], false, &st, &err) != SC_OK) {
        fprintf(stderr, "lookup: %s\n", err.message);
        return 1;
    }
    /* warm the page cache once, as a running server would be */
    bench(st, "(warm-up: get)", &numbers, 1, n);
    bench(st, "(warm-up: search 2 chars)", &name2, 0, n);
    int rc = bench(st, "get by number", &numbers, 1, n) |
             bench(st, "search 2-char name (海尔)", &name2, 0, n) |
             bench(st, "search 3+-char name", &name3, 0, n) |
             bench(st, "search by USCC", &codes, 0, n);
    sc_store_close(st);
    return rc;
}
