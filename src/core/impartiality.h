/*
 * impartiality: the segregation-of-duties rules of domain.md section 5
 * (ISO/IEC 17065, 17021-1) as pure functions over data the caller supplies:
 * declared links between people and organisations, audit teams, votes.
 *
 * Rules and their exact boundaries:
 *   - Cooling-off. Nobody audits, reviews or decides for an organisation they
 *     consulted for or were employed by within the last `months` months
 *     (scheme setting impartiality_months, 24). A link's `to` is its last
 *     day. On date D, the link bars the person when it is ongoing, or when
 *     to >= sc_date_add_months(D, -months): a link that ended exactly
 *     `months` months before D is still refused; one that ended a day
 *     earlier is allowed. (2024-03-01 ends, 24 months: refused on
 *     2026-03-01, allowed from 2026-03-02.) A declared link that starts
 *     after D bars too: a signed contract or job offer is a threat already.
 *     Assignment is refused, never warned.
 *   - Team. At least one member; exactly one lead auditor; nobody twice;
 *     every member's auditor qualification [qualified_from, qualified_to]
 *     (both inclusive) covers every audit day [first, last].
 *   - Decider. A committee member who decides must not be on that audit's
 *     team, must not have done its document review, and must have no
 *     barring link with the organisation.
 *   - Quorum. Each committee member counts once; votes of members who may
 *     not decide (previous rule) are ignored; a decision holds when at least
 *     `quorum` eligible members approve and they outnumber the eligible
 *     members who dissent.
 *   - Issue date. A certificate's issue date is never before its decision
 *     date (the same day is allowed).
 *
 * Not for: finding the links, teams or votes (the store does), or the
 * workflow (its preconditions team_assigned and quorum_reached are set by
 * the caller from these checks). Pure; no I/O, no allocation.
 */
#ifndef SC_IMPARTIALITY_H
#define SC_IMPARTIALITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "err.h"

#define SC_IMPARTIALITY_MONTHS_MAX 1200 /* 100 years: sanity cap */

enum sc_impartiality_link_kind {
    SC_LINK_CONSULTED,
    SC_LINK_EMPLOYED,
    SC_LINK_KIND_COUNT_
};

enum sc_impartiality_duty {
    SC_DUTY_AUDIT,
    SC_DUTY_REVIEW,
    SC_DUTY_DECIDE,
    SC_DUTY_COUNT_
};

/* One declared link (impartiality register). */
struct sc_impartiality_link {
    int64_t person;
    int64_t organisation;
    enum sc_impartiality_link_kind kind;
    sc_day from;  /* first day */
    sc_day to;    /* last day, inclusive; ignored when ongoing */
    bool ongoing; /* no end yet */
};

/* One member of an audit team. */
struct sc_impartiality_member {
    int64_t person;
    bool lead;
    sc_day qualified_from; /* auditor qualification, first valid day */
    sc_day qualified_to;   /* last valid day (SC_DAY_MAX: no end) */
};

/* What a decision is about: the organisation, who audited it, who reviewed
 * its documents, and the register. Arrays are borrowed, may be NULL when
 * their count is 0. */
struct sc_impartiality_case {
    int64_t organisation;
    const int64_t *team;
    size_t n_team;
    const int64_t *reviewers;
    size_t n_reviewers;
    const struct sc_impartiality_link *links;
    size_t n_links;
    int months; /* cooling-off period (24) */
};

struct sc_impartiality_vote {
    int64_t person;
    bool approve;
};

struct sc_impartiality_tally {
    int approving;  /* eligible distinct members who approve */
    int dissenting; /* eligible distinct members who do not */
    int ignored;    /* votes of members who may not decide */
};

/* Wire names: "consulted", "employed"; "audit", "review", "decide".
 * "unknown" out of range. */
const char *sc_impartiality_link_kind_name(enum sc_impartiality_link_kind v);
const char *sc_impartiality_duty_name(enum sc_impartiality_duty v);
/* Exact names; SC_ERR_INVALID with `field` otherwise, *out untouched. */
enum sc_err sc_impartiality_link_kind_parse(const char *s, const char *field,
                                            enum sc_impartiality_link_kind *out,
                                            struct sc_error *err);
enum sc_err sc_impartiality_duty_parse(const char *s, const char *field,
                                       enum sc_impartiality_duty *out,
                                       struct sc_error *err);

/* The first day on which a link whose last day is `to` no longer bars:
 * the smallest D with to < sc_date_add_months(D, -months). */
sc_day sc_impartiality_free_from(sc_day to, int months);

/*
 * May `person` take `duty` for `organisation` on `date`? SC_OK, or
 * SC_ERR_IMPARTIALITY (field "person") naming the first barring link in the
 * array (kind, dates, and the day the person is free), or SC_ERR_INVALID for
 * months outside 0..SC_IMPARTIALITY_MONTHS_MAX (field "months") or a link of
 * this person and organisation that ends before it starts (field
 * "links[i].to"). Links of other people or organisations are not looked at.
 */
enum sc_err sc_impartiality_check_assignment(
    int64_t person, int64_t organisation, enum sc_impartiality_duty duty,
    sc_day date, int months, const struct sc_impartiality_link *links,
    size_t n_links, struct sc_error *err);

/*
 * The team rules for an audit on the days [first, last]. SC_OK, or
 * SC_ERR_INVALID with, checked in this order:
 *   field "last"                 last < first;
 *   field "team"                 no member, or no lead;
 *   field "team[i].lead"         a second lead (i = the second one);
 *   field "team[i].person"       a person listed twice (i = the repeat);
 *   field "team[i].qualified_from" / "team[i].qualified_to"
 *                                qualification does not cover first..last.
 */
enum sc_err
sc_impartiality_check_team(const struct sc_impartiality_member *team, size_t n,
                           sc_day first, sc_day last, struct sc_error *err);

/*
 * The cooling-off rule for every member of a team, on the audit's first day
 * (the strictest day: every later day has a later threshold). SC_OK, or the
 * first member's refusal from sc_impartiality_check_assignment with field
 * "team[i].person".
 */
enum sc_err sc_impartiality_check_team_links(
    int64_t organisation, const struct sc_impartiality_member *team, size_t n,
    sc_day first, int months, const struct sc_impartiality_link *links,
    size_t n_links, struct sc_error *err);

/*
 * May committee member `person` decide this case on `date`? SC_OK, or
 * SC_ERR_IMPARTIALITY (field "person") when they were on the audit team,
 * did the document review, or have a barring link (as
 * sc_impartiality_check_assignment with duty decide).
 */
enum sc_err sc_impartiality_check_decider(const struct sc_impartiality_case *c,
                                          int64_t person, sc_day date,
                                          struct sc_error *err);

/*
 * Counts the votes (see the quorum rule above) into *tally (may be NULL) and
 * returns SC_OK when the decision holds, else SC_ERR_PRECONDITION with field
 * "votes" and the counts in the message. SC_ERR_INVALID for quorum < 1
 * (field "quorum") or one member voting both ways (field
 * "votes[i].approve", i = the later vote); the same vote repeated counts
 * once.
 */
enum sc_err sc_impartiality_check_quorum(const struct sc_impartiality_case *c,
                                         const struct sc_impartiality_vote *v,
                                         size_t n, sc_day date, int quorum,
                                         struct sc_impartiality_tally *tally,
                                         struct sc_error *err);

/* SC_OK when issued >= decided, else SC_ERR_INVALID, field "issued". */
enum sc_err sc_impartiality_check_issue_date(sc_day decided, sc_day issued,
                                             struct sc_error *err);

#endif
