/*
 * date: day-number conversions (after H. Hinnant's "chrono-compatible
 * low-level date algorithms", public domain), strict parsing and month
 * arithmetic. Pure; no allocation, no clock.
 */
#include "date.h"

#include <stdio.h>

bool sc_date_is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int sc_date_days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && sc_date_is_leap(y) ? 29 : len[m - 1];
}

bool sc_date_valid_ymd(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= sc_date_days_in_month(y, m);
}

sc_day sc_date_from_ymd(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t mp = (m + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (sc_day)(era * 146097 + doe - 719468);
}

void sc_date_to_ymd(sc_day day, int *y, int *m, int *d)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    int64_t yy = yoe + era * 400 + (mm <= 2);
    *y = (int)yy;
    *m = (int)mm;
    *d = (int)dd;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

enum sc_err sc_date_parse(const char *s, const char *field, sc_day *out,
                          struct sc_error *err)
{
    if (!s)
        return sc_error_set(err, SC_ERR_INVALID, field, "a date is required");
    size_t n = 0;
    while (n <= SC_DATE_LEN && s[n])
        n++;
    int y = -1, m = -1, d = -1;
    if (n == SC_DATE_LEN && s[4] == '-' && s[7] == '-') {
        y = digits(s, 4);
        m = digits(s + 5, 2);
        d = digits(s + 8, 2);
    }
    if (y < 0 || m < 0 || d < 0)
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "\"%.40s\" is not a date of the form YYYY-MM-DD",
                            s);
    if (!sc_date_valid_ymd(y, m, d))
        return sc_error_set(err, SC_ERR_INVALID, field,
                            "\"%.40s\" is not a day of the calendar", s);
    *out = sc_date_from_ymd(y, m, d);
    return SC_OK;
}

bool sc_date_in_range(sc_day d) { return d >= SC_DAY_MIN && d <= SC_DAY_MAX; }

void sc_date_format(sc_day day, char out[SC_DATE_BUF])
{
    if (!sc_date_in_range(day)) {
        snprintf(out, SC_DATE_BUF, "out-of-range");
        return;
    }
    int y, m, d;
    sc_date_to_ymd(day, &y, &m, &d);
    snprintf(out, SC_DATE_BUF, "%04d-%02d-%02d", y, m, d);
}

sc_day sc_date_add_months(sc_day day, int months)
{
    int y, m, d;
    sc_date_to_ymd(day, &y, &m, &d);
    int64_t idx = (int64_t)y * 12 + (m - 1) + months;
    int64_t ny = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
    int nm = (int)(idx - ny * 12) + 1;
    int dim = sc_date_days_in_month((int)ny, nm);
    return sc_date_from_ymd((int)ny, nm, d < dim ? d : dim);
}

sc_day sc_date_period_end(sc_day start, int months)
{
    int y, m, d;
    sc_date_to_ymd(start, &y, &m, &d);
    sc_day anniversary = sc_date_add_months(start, months);
    int ay, am, ad;
    sc_date_to_ymd(anniversary, &ay, &am, &ad);
    if (ad != d) /* clamped: the anniversary day does not exist */
        anniversary = sc_date_from_ymd(ay, am, sc_date_days_in_month(ay, am)) + 1;
    return anniversary - 1;
}

int sc_date_full_months(sc_day from, sc_day to)
{
    int y1, m1, d1, y2, m2, d2;
    if (to <= from)
        return 0;
    sc_date_to_ymd(from, &y1, &m1, &d1);
    sc_date_to_ymd(to, &y2, &m2, &d2);
    int m = (y2 - y1) * 12 + (m2 - m1);
    while (m > 0 && sc_date_period_end(from, m) >= to)
        m--;
    return m;
}
