/*
 * date: civil (proleptic Gregorian) dates as day numbers.
 *
 * A date is an `sc_day`, the count of days since 1970-01-01, so differences
 * and "+N days" are plain integer arithmetic. Text form is strictly
 * `YYYY-MM-DD` (ISO 8601 calendar date, four-digit year 0001..9999, two-digit
 * month and day, nothing before or after). "+N months" keeps the day of the
 * month and clamps to the target month's last day (01-31 + 1 month = 02-28,
 * or 02-29 in a leap year). Not for: time of day, time zones or the clock:
 * today's date is always an argument, supplied by a front end.
 */
#ifndef SC_DATE_H
#define SC_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef int32_t sc_day; /* days since 1970-01-01 */

#define SC_DATE_LEN 10 /* strlen("YYYY-MM-DD") */
#define SC_DATE_BUF 16 /* room for any formatted sc_day plus NUL */

/* Smallest and largest days the text form can express. */
#define SC_DAY_MIN ((sc_day)-719162) /* 0001-01-01 */
#define SC_DAY_MAX ((sc_day)2932896) /* 9999-12-31 */

bool sc_date_is_leap(int year);
int sc_date_days_in_month(int year, int month); /* 0 if month not 1..12 */
bool sc_date_valid_ymd(int year, int month, int day); /* year 1..9999 */

/* Day number of a valid y-m-d (callers check sc_date_valid_ymd first; any
 * int year is accepted arithmetically). */
sc_day sc_date_from_ymd(int year, int month, int day);
void sc_date_to_ymd(sc_day d, int *year, int *month, int *day);

/*
 * Parses exactly `YYYY-MM-DD` from the NUL-terminated `s`. Rejects other
 * lengths, signs, spaces, single-digit parts, trailing text, and days that do
 * not exist (2026-02-30). On failure returns SC_ERR_INVALID with `field`
 * (may be NULL) and a message that quotes the input; *out is untouched.
 */
enum sc_err sc_date_parse(const char *s, const char *field, sc_day *out,
                          struct sc_error *err);

/* Writes `YYYY-MM-DD` (NUL-terminated) into `out`. Days outside
 * SC_DAY_MIN..SC_DAY_MAX are written as "out-of-range". */
void sc_date_format(sc_day d, char out[SC_DATE_BUF]);

/* d + n calendar months, clamping the day to the target month's length. */
sc_day sc_date_add_months(sc_day d, int months);

/*
 * The last day of a period of `months` months that starts on `start`
 * (inclusive): the day before the `months`-month anniversary of `start`.
 * When the anniversary's day does not exist in its month (a period that
 * starts on 29 February, or on the 31st), the anniversary is taken as the
 * first day of the following month, so no period is ever cut short by the
 * month-end clamp: 2024-02-29 + 36 months ends 2027-02-28, not 2027-02-27.
 */
sc_day sc_date_period_end(sc_day start, int months);

/*
 * Full months that have passed from `from` to `to`: the largest m whose
 * m-month period starting on `from` (sc_date_period_end) ended before
 * `to`; 0 when `to` is not after `from`. From 2026-02-10, 12 months have
 * passed on 2027-02-10 (not on 2027-02-09); from 2024-02-29, on 2025-03-01.
 */
int sc_date_full_months(sc_day from, sc_day to);

/* true when SC_DAY_MIN <= d <= SC_DAY_MAX. */
bool sc_date_in_range(sc_day d);

#endif
