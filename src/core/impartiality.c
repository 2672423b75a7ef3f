/*
 * impartiality: the section 5 checks (see impartiality.h). Linear scans over
 * small caller-owned arrays; teams and committees have a handful of people.
 */
#include "impartiality.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[SC_LINK_KIND_COUNT_] = {"consulted",
                                                            "employed"};
static const char *const kind_phrases[SC_LINK_KIND_COUNT_] = {
    "consulted for it", "employed by it"};
static const char *const duty_names[SC_DUTY_COUNT_] = {"audit", "review",
                                                       "decide"};
static const char *const duty_verbs[SC_DUTY_COUNT_] = {"audit", "review",
                                                       "decide on"};

const char *sc_impartiality_link_kind_name(enum sc_impartiality_link_kind v)
{
    return (int)v >= 0 && v < SC_LINK_KIND_COUNT_ ? kind_names[v] : "unknown";
}

const char *sc_impartiality_duty_name(enum sc_impartiality_duty v)
{
    return (int)v >= 0 && v < SC_DUTY_COUNT_ ? duty_names[v] : "unknown";
}

enum sc_err sc_impartiality_link_kind_parse(const char *s, const char *field,
                                            enum sc_impartiality_link_kind *out,
                                            struct sc_error *err)
{
    for (int i = 0; s && i < SC_LINK_KIND_COUNT_; i++) {
        if (strcmp(s, kind_names[i]) == 0) {
            *out = (enum sc_impartiality_link_kind)i;
            return SC_OK;
        }
    }
    return sc_error_set(err, SC_ERR_INVALID, field,
                        "unknown link kind \"%.40s\": use consulted or "
                        "employed",
                        s ? s : "");
}

enum sc_err sc_impartiality_duty_parse(const char *s, const char *field,
                                       enum sc_impartiality_duty *out,
                                       struct sc_error *err)
{
    for (int i = 0; s && i < SC_DUTY_COUNT_; i++) {
        if (strcmp(s, duty_names[i]) == 0) {
            *out = (enum sc_impartiality_duty)i;
            return SC_OK;
        }
    }
    return sc_error_set(err, SC_ERR_INVALID, field,
                        "unknown duty \"%.40s\": use audit, review or decide",
                        s ? s : "");
}

/* The earliest last day of a link that no longer bars on `date`, minus one:
 * links ending on or after this day bar. */
static sc_day threshold(sc_day date, int months)
{
    return sc_date_add_months(date, -months);
}

sc_day sc_impartiality_free_from(sc_day to, int months)
{
    /* threshold() is non-decreasing in the date, so walk from a close guess
     * to the first date whose threshold passes `to` (a few steps at most,
     * from month-end clamping). */
    sc_day d = sc_date_add_months(to, months) + 1;
    while (threshold(d, months) <= to)
        d++;
    while (threshold(d - 1, months) > to)
        d--;
    return d;
}

static bool bars(const struct sc_impartiality_link *l, sc_day date, int months)
{
    return l->ongoing || l->to >= threshold(date, months);
}

/* Fills err for link `l` barring `person` from `duty` on `date`. */
static enum sc_err refuse_link(const struct sc_impartiality_link *l,
                               int64_t person, enum sc_impartiality_duty duty,
                               sc_day date, int months, const char *field,
                               struct sc_error *err)
{
    char from[SC_DATE_BUF], to[SC_DATE_BUF], on[SC_DATE_BUF],
        free_day[SC_DATE_BUF];
    int k =
        (int)l->kind >= 0 && l->kind < SC_LINK_KIND_COUNT_ ? (int)l->kind : 0;
    int d = (int)duty >= 0 && duty < SC_DUTY_COUNT_ ? (int)duty : 0;
    sc_date_format(l->from, from);
    sc_date_format(date, on);
    if (l->ongoing)
        return sc_error_set(err, SC_ERR_IMPARTIALITY, field,
                            "person %lld may not %s organisation %lld: %s "
                            "since %s (ongoing)",
                            (long long)person, duty_verbs[d],
                            (long long)l->organisation, kind_phrases[k], from);
    sc_date_format(l->to, to);
    sc_date_format(sc_impartiality_free_from(l->to, months), free_day);
    return sc_error_set(err, SC_ERR_IMPARTIALITY, field,
                        "person %lld may not %s organisation %lld: %s from "
                        "%s to %s, within %d months before %s; free from %s",
                        (long long)person, duty_verbs[d],
                        (long long)l->organisation, kind_phrases[k], from, to,
                        months, on, free_day);
}

static enum sc_err check_links(int64_t person, int64_t organisation,
                               enum sc_impartiality_duty duty, sc_day date,
                               int months,
                               const struct sc_impartiality_link *links,
                               size_t n_links, const char *field,
                               struct sc_error *err)
{
    if (months < 0 || months > SC_IMPARTIALITY_MONTHS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "months",
                            "%d is out of range 0..%d", months,
                            SC_IMPARTIALITY_MONTHS_MAX);
    for (size_t i = 0; i < n_links; i++) {
        const struct sc_impartiality_link *l = &links[i];
        if (l->person != person || l->organisation != organisation)
            continue;
        if (!l->ongoing && l->to < l->from) {
            char f[32];
            snprintf(f, sizeof f, "links[%zu].to", i);
            return sc_error_set(err, SC_ERR_INVALID, f,
                                "a link cannot end before it starts");
        }
        if (bars(l, date, months))
            return refuse_link(l, person, duty, date, months, field, err);
    }
    return SC_OK;
}

enum sc_err sc_impartiality_check_assignment(
    int64_t person, int64_t organisation, enum sc_impartiality_duty duty,
    sc_day date, int months, const struct sc_impartiality_link *links,
    size_t n_links, struct sc_error *err)
{
    return check_links(person, organisation, duty, date, months, links, n_links,
                       "person", err);
}

enum sc_err
sc_impartiality_check_team(const struct sc_impartiality_member *team, size_t n,
                           sc_day first, sc_day last, struct sc_error *err)
{
    char f[48];
    if (last < first)
        return sc_error_set(err, SC_ERR_INVALID, "last",
                            "the audit's last day is before its first day");
    if (n == 0)
        return sc_error_set(err, SC_ERR_INVALID, "team",
                            "an audit team needs at least one member, the "
                            "lead auditor");
    size_t leads = 0;
    for (size_t i = 0; i < n; i++) {
        if (!team[i].lead)
            continue;
        if (++leads == 2) {
            snprintf(f, sizeof f, "team[%zu].lead", i);
            return sc_error_set(err, SC_ERR_INVALID, f,
                                "person %lld is a second lead auditor; an "
                                "audit has exactly one",
                                (long long)team[i].person);
        }
    }
    if (leads == 0)
        return sc_error_set(err, SC_ERR_INVALID, "team",
                            "the team has no lead auditor; an audit has "
                            "exactly one");
    for (size_t i = 1; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (team[i].person == team[j].person) {
                snprintf(f, sizeof f, "team[%zu].person", i);
                return sc_error_set(err, SC_ERR_INVALID, f,
                                    "person %lld is listed twice",
                                    (long long)team[i].person);
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        char a[SC_DATE_BUF], b[SC_DATE_BUF];
        if (team[i].qualified_from > first) {
            snprintf(f, sizeof f, "team[%zu].qualified_from", i);
            sc_date_format(team[i].qualified_from, a);
            sc_date_format(first, b);
            return sc_error_set(err, SC_ERR_INVALID, f,
                                "person %lld is qualified only from %s, after "
                                "the audit's first day %s",
                                (long long)team[i].person, a, b);
        }
        if (team[i].qualified_to < last) {
            snprintf(f, sizeof f, "team[%zu].qualified_to", i);
            sc_date_format(team[i].qualified_to, a);
            sc_date_format(last, b);
            return sc_error_set(err, SC_ERR_INVALID, f,
                                "person %lld is qualified only until %s, "
                                "before the audit's last day %s",
                                (long long)team[i].person, a, b);
        }
    }
    return SC_OK;
}

enum sc_err sc_impartiality_check_team_links(
    int64_t organisation, const struct sc_impartiality_member *team, size_t n,
    sc_day first, int months, const struct sc_impartiality_link *links,
    size_t n_links, struct sc_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char f[48];
        snprintf(f, sizeof f, "team[%zu].person", i);
        enum sc_err rc =
            check_links(team[i].person, organisation, SC_DUTY_AUDIT, first,
                        months, links, n_links, f, err);
        if (rc != SC_OK)
            return rc;
    }
    return SC_OK;
}

static bool listed(const int64_t *ids, size_t n, int64_t person)
{
    for (size_t i = 0; i < n; i++)
        if (ids[i] == person)
            return true;
    return false;
}

enum sc_err sc_impartiality_check_decider(const struct sc_impartiality_case *c,
                                          int64_t person, sc_day date,
                                          struct sc_error *err)
{
    if (listed(c->team, c->n_team, person))
        return sc_error_set(err, SC_ERR_IMPARTIALITY, "person",
                            "person %lld was on this audit's team and may not "
                            "decide on it",
                            (long long)person);
    if (listed(c->reviewers, c->n_reviewers, person))
        return sc_error_set(err, SC_ERR_IMPARTIALITY, "person",
                            "person %lld did this application's document "
                            "review and may not decide on it",
                            (long long)person);
    return check_links(person, c->organisation, SC_DUTY_DECIDE, date, c->months,
                       c->links, c->n_links, "person", err);
}

enum sc_err sc_impartiality_check_quorum(const struct sc_impartiality_case *c,
                                         const struct sc_impartiality_vote *v,
                                         size_t n, sc_day date, int quorum,
                                         struct sc_impartiality_tally *tally,
                                         struct sc_error *err)
{
    struct sc_impartiality_tally t = {0, 0, 0};
    if (tally)
        *tally = t;
    if (quorum < 1)
        return sc_error_set(err, SC_ERR_INVALID, "quorum",
                            "the quorum must be at least 1, got %d", quorum);
    if (c->months < 0 || c->months > SC_IMPARTIALITY_MONTHS_MAX)
        return sc_error_set(err, SC_ERR_INVALID, "months",
                            "%d is out of range 0..%d", c->months,
                            SC_IMPARTIALITY_MONTHS_MAX);
    for (size_t i = 0; i < n; i++) {
        bool repeat = false;
        for (size_t j = 0; j < i; j++) {
            if (v[j].person != v[i].person)
                continue;
            if (v[j].approve != v[i].approve) {
                char f[48];
                snprintf(f, sizeof f, "votes[%zu].approve", i);
                return sc_error_set(err, SC_ERR_INVALID, f,
                                    "person %lld voted both for and against",
                                    (long long)v[i].person);
            }
            repeat = true;
        }
        if (repeat)
            continue;
        if (sc_impartiality_check_decider(c, v[i].person, date, NULL) != SC_OK)
            t.ignored++;
        else if (v[i].approve)
            t.approving++;
        else
            t.dissenting++;
    }
    if (tally)
        *tally = t;
    if (t.approving >= quorum && t.approving > t.dissenting)
        return SC_OK;
    if (t.approving < quorum)
        return sc_error_set(err, SC_ERR_PRECONDITION, "votes",
                            "%d approving independent vote(s), %d needed "
                            "(%d against, %d ignored: not independent)",
                            t.approving, quorum, t.dissenting, t.ignored);
    return sc_error_set(err, SC_ERR_PRECONDITION, "votes",
                        "%d approving independent vote(s) do not outnumber "
                        "%d against (%d ignored: not independent)",
                        t.approving, t.dissenting, t.ignored);
}

enum sc_err sc_impartiality_check_issue_date(sc_day decided, sc_day issued,
                                             struct sc_error *err)
{
    if (issued >= decided)
        return SC_OK;
    char a[SC_DATE_BUF], b[SC_DATE_BUF];
    sc_date_format(issued, a);
    sc_date_format(decided, b);
    return sc_error_set(err, SC_ERR_INVALID, "issued",
                        "the issue date %s is before the decision date %s", a,
                        b);
}
