/*
 * store_demo: a believable certification body built through the store's
 * own actions (`starcert demo`): staff for every role with qualifications
 * and an impartiality link, fifteen enterprises with outlets, applications
 * in every application state and certificates of every level and status
 * with surveillance history (docs/demo.md lists who is who).
 *
 * Nothing is inserted directly: every row comes from the same functions
 * the command line and the API call, each with its event, so the data obey
 * every rule and the event chain verifies. History is made by moving the
 * clock: each action runs with its own simulated day (and an instant on
 * that day, so the result is byte-for-byte reproducible), in date order
 * across all enterprises, and the daily clock (sc_store_tick) runs every
 * seven simulated days, so suspended, withdrawn and expired certificates
 * arise from the real timeline rules.
 *
 * Not for: tests of the rules (the tests drive the commands), nor real
 * data: the demo refuses a database that holds organisations or users.
 */
#ifndef SC_STORE_DEMO_H
#define SC_STORE_DEMO_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"

struct sc_store;
struct sc_clock;

/*
 * Whether the database holds no organisation and no user (read only).
 */
enum sc_err sc_store_demo_is_empty(struct sc_store *st, bool *empty,
                                   struct sc_error *err);

/*
 * Builds the demo so that its story ends on `today` (every action runs on
 * or before it). `seed` varies the details (head counts, sampled results,
 * code digits, fees); the same seed and today give the same database.
 * Must be called with no transaction open: the whole story, the daily
 * clock's runs included, is one transaction, so a failure leaves nothing
 * behind. Refusals: SC_ERR_INVALID ("today")
 * outside the years 1980..9000; SC_ERR_CONFLICT ("db") when
 * the database holds organisations or users (nothing is written); any
 * action's refusal passes through with the step named in the message (a
 * bug: the demo's steps are all legal).
 * On success *counts (may be NULL) receives sc_store_demo_counts.
 */
enum sc_err sc_store_demo_run(struct sc_store *st, sc_day today,
                              uint64_t seed, json_t **counts,
                              struct sc_error *err);

/*
 * Counts per entity and state, a new JSON object: {"organisations",
 * "outlets", "users": {role: n}, "qualifications", "impartiality_links",
 * "applications": {state: n} (every state, zeros included),
 * "certificates": {"total", "status": {status: n}, "level": {level: n}},
 * "certificate_revisions", "audits": {state: n}, "documents", "findings",
 * "decisions", "events"}.
 */
enum sc_err sc_store_demo_counts(struct sc_store *st, json_t **out,
                                 struct sc_error *err);

/*
 * Gives every user of the database the same password (a demo's users, so
 * that people can log in to the web interface and the API). Only for a
 * demo database: refuses (SC_ERR_CONFLICT, "db") a database whose users are
 * not exactly the demo's. The password must pass the password policy
 * (field "password").
 */
enum sc_err sc_store_demo_passwords(struct sc_store *st,
                                    const struct sc_clock *clk,
                                    const char *password,
                                    struct sc_error *err);

#endif
