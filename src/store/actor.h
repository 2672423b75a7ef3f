/*
 * actor: the person acting, as every store action receives it. Loaded from
 * the users table by login (the CLI's --as LOGIN; later the HTTP session).
 * The daily clock acts as SC_ROLE_SYSTEM with user_id 0.
 * Not for: authentication (passwords, sessions) or authorisation rules
 * (src/core/workflow.h and src/core/policy.h decide; the store asks them).
 */
#ifndef SC_ACTOR_H
#define SC_ACTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/workflow.h"

#define SC_ACTOR_LOGIN_MAX 64
#define SC_ACTOR_NAME_MAX 160

struct sc_store;

struct sc_actor {
    int64_t user_id; /* 0 for the system (the daily clock) */
    char login[SC_ACTOR_LOGIN_MAX];
    char name[SC_ACTOR_NAME_MAX];
    enum sc_workflow_role role;
    int64_t organisation_id; /* the enterprise user's organisation, else 0 */
};

/* The system actor (daily clock, imports run without --as). */
void sc_actor_system(struct sc_actor *out);

/*
 * Loads the active user with that login. SC_ERR_UNAUTHENTICATED (field
 * "as") when there is no such active user: an unknown login must not tell
 * apart "no such user" from "disabled".
 */
enum sc_err sc_store_actor_get(struct sc_store *st, const char *login,
                               struct sc_actor *out, struct sc_error *err);

/* true when `a` may see and change data of organisation `org`: every CB
 * role may; an enterprise user only their own. */
bool sc_actor_owns(const struct sc_actor *a, int64_t org);

#endif
