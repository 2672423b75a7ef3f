/*
 * scheme: the rule set of a certification scheme, as data.
 *
 * Every number of the rulebook (docs: ../shared/docs/domain.md) that a CB may
 * change lives in a scheme file (`schemes/gbt27922-2011.json`), never in code.
 * This module parses and validates such a file into a `struct sc_scheme`
 * (fixed-size, caller-owned, no heap), and carries the bundled default file
 * compiled into the program. A bad file is refused with the JSON path of the
 * first fault, e.g. field "indicators[3].points", message "must be > 0".
 * Not for: reading files (front ends read, this module parses) or applying
 * the rules (score, timeline, mandays, ... do that with the struct).
 *
 * Units: scores and thresholds are held in tenths of a point (70 -> 700);
 * man-days in half days (8.5 -> 17); factors such as the outlet sampling
 * factor 0.6 in tenths (6). The file may write 8.5 or 70; the parser
 * refuses numbers that are not an exact multiple of the unit.
 */
#ifndef SC_SCHEME_H
#define SC_SCHEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SC_SCHEME_ID_MAX 64
#define SC_SCHEME_CODE_MAX 16    /* indicator / group code, e.g. "5.2.4" */
#define SC_SCHEME_NAME_MAX 160   /* UTF-8 bytes of a display name */
#define SC_SCHEME_MAX_GROUPS 16
#define SC_SCHEME_MAX_INDICATORS 64
#define SC_SCHEME_MAX_LEVELS 8
#define SC_SCHEME_MAX_BANDS 64
#define SC_SCHEME_PATTERN_MAX 64
#define SC_SCHEME_FILE_MAX (1024 * 1024) /* largest scheme file accepted */

struct sc_scheme_group {
    char code[SC_SCHEME_CODE_MAX]; /* "5.1" */
    char name_zh[SC_SCHEME_NAME_MAX];
    char name_en[SC_SCHEME_NAME_MAX];
    int points; /* the group's total; its indicators' points add up to it */
};

struct sc_scheme_indicator {
    char code[SC_SCHEME_CODE_MAX]; /* "5.2.4" */
    int group;                     /* index into sc_scheme.groups */
    char name_zh[SC_SCHEME_NAME_MAX];
    char name_en[SC_SCHEME_NAME_MAX];
    int points; /* > 0 */
};

/* Levels are held best first; the last one is the failing level ("none"),
 * with certified = false and min_tenths = 0. */
struct sc_scheme_level {
    char code[SC_SCHEME_CODE_MAX + 16]; /* "five_star" */
    char name_zh[SC_SCHEME_NAME_MAX];
    char name_en[SC_SCHEME_NAME_MAX];
    int min_tenths; /* reported score at or above which this level holds */
    bool certified;
};

/* One row of the man-day table; employees_min is the previous row's max + 1
 * (1 for the first row). All figures in half days. */
struct sc_scheme_band {
    int64_t employees_max;
    int initial_halves;
    int planning_halves; /* of which planning + document review (initial) */
    int surveillance_halves;
    int recertification_halves;
};

struct sc_scheme {
    char id[SC_SCHEME_ID_MAX];       /* "gbt27922-2011" */
    char version[SC_SCHEME_ID_MAX];  /* "1" */
    char standard[SC_SCHEME_ID_MAX]; /* "GB/T 27922-2011" */

    /* scoring (domain.md section 2) */
    struct sc_scheme_group groups[SC_SCHEME_MAX_GROUPS];
    int n_groups;
    struct sc_scheme_indicator indicators[SC_SCHEME_MAX_INDICATORS];
    int n_indicators;
    int total_points; /* sum of the groups' points (100) */
    struct sc_scheme_level levels[SC_SCHEME_MAX_LEVELS];
    int n_levels;
    int bonus_points;        /* points one special bonus item adds (1) */
    int bonus_max_items;     /* bonus items that count, at most (1) */
    int deduction_points;    /* points each special deduction removes (1) */
    int deduction_gate;      /* this many deductions or more -> level none (5) */
    bool first_cap_enabled;  /* optional first-certificate cap (false) */
    int first_cap_months;    /* (12) */
    int first_cap_level;     /* index into levels (compliant) */

    /* timeline (section 4), in months unless named otherwise */
    int validity_months;          /* 36 */
    int surv_open_months;         /* 7 */
    int surv_nominal_from_months; /* 9 */
    int surv_nominal_to_months;   /* 10 */
    int surv_close_months;        /* 12: closes A + 12 months - 1 day */
    int recert_window_months;     /* 3: recertification from expiry+1-3m */
    int recert_late_months;       /* 6: restore after expiry within this */
    int suspension_grace_days;    /* 0 */
    int withdrawal_months;        /* 6 */
    int certify_target_days;      /* 90 */

    /* audit time (section 3) */
    struct sc_scheme_band bands[SC_SCHEME_MAX_BANDS];
    int n_bands;
    int64_t beyond_per_employees;      /* 2000 */
    int beyond_initial_halves;         /* 2 (= 1 day) per started block */
    int beyond_surveillance_halves;    /* 1 */
    int beyond_recertification_halves; /* 1 */
    int outlet_factor_initial_tenths;  /* 10: ceil(1.0 * sqrt(n)) */
    int outlet_factor_surveillance_tenths;    /* 6 */
    int outlet_factor_recertification_tenths; /* 8 */
    int outlet_visit_halves;           /* 1 (= 0.5 day per visited outlet) */
    int reduction_max_percent;         /* 30 */

    /* people and paperwork (sections 1, 5, 6) */
    int quorum;                 /* approving committee votes needed (2) */
    int impartiality_months;    /* 24 */
    int managers_min;           /* trained service managers, at least (1) */
    int64_t document_max_bytes; /* upload cap (20 MiB) */
    char certno_pattern[SC_SCHEME_PATTERN_MAX]; /* "ASC-{year}-{seq:06}" */
};

/*
 * Parses and validates a scheme file held in memory (`len` bytes, need not be
 * NUL-terminated). On success fills *out completely and returns SC_OK. On
 * failure returns SC_ERR_SCHEME (SC_ERR_TOO_LARGE past SC_SCHEME_FILE_MAX)
 * with err->field the JSON path of the fault ("levels[2].min", "" for the
 * whole document) and *out unspecified.
 */
enum sc_err sc_scheme_parse(const char *json, size_t len, struct sc_scheme *out,
                            struct sc_error *err);

/* The bundled scheme file's bytes (static storage, not NUL-counted in len). */
const char *sc_scheme_default_json(size_t *len);

/* sc_scheme_parse of the bundled file. */
enum sc_err sc_scheme_load_default(struct sc_scheme *out, struct sc_error *err);

/* Index of the indicator / level / group with that code, or -1. */
int sc_scheme_indicator_index(const struct sc_scheme *s, const char *code);
int sc_scheme_level_index(const struct sc_scheme *s, const char *code);
int sc_scheme_group_index(const struct sc_scheme *s, const char *code);

#endif
