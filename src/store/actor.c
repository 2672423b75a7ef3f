/*
 * actor: loading the acting user (see actor.h).
 */
#include "store/actor.h"

#include <stdio.h>
#include <string.h>

#include "store/db.h"
#include "store/store.h"

static const char SQL_GET[] =
    "SELECT id, login, name, role, COALESCE(organisation_id, 0) FROM users "
    "WHERE login = ?1 AND active = 1";

void sc_actor_system(struct sc_actor *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->login, sizeof out->login, "system");
    snprintf(out->name, sizeof out->name, "system");
    out->role = SC_ROLE_SYSTEM;
}

enum sc_err sc_store_actor_get(struct sc_store *st, const char *login,
                               struct sc_actor *out, struct sc_error *err)
{
    struct sc_stmt *s = NULL;
    bool row = false;
    if (!login || !login[0])
        return sc_error_set(err, SC_ERR_UNAUTHENTICATED, "as",
                            "say who acts: --as LOGIN (or STARCERT_AS)");
    enum sc_err rc = sc_db_prepare(sc_store_db(st), SQL_GET, &s, err);
    if (rc != SC_OK)
        return rc;
    sc_db_bind_text(s, 1, login);
    rc = sc_db_step(s, &row, err);
    if (rc == SC_OK && !row)
        rc = sc_error_set(err, SC_ERR_UNAUTHENTICATED, "as",
                          "no active user \"%.64s\"", login);
    if (rc == SC_OK) {
        memset(out, 0, sizeof *out);
        out->user_id = sc_db_col_int(s, 0);
        snprintf(out->login, sizeof out->login, "%s", sc_db_col_text(s, 1));
        snprintf(out->name, sizeof out->name, "%s", sc_db_col_text(s, 2));
        out->organisation_id = sc_db_col_int(s, 4);
        rc = sc_workflow_role_parse(sc_db_col_text(s, 3), "role", &out->role,
                                    err);
    }
    sc_db_done(s);
    return rc;
}

bool sc_actor_owns(const struct sc_actor *a, int64_t org)
{
    if (a->role == SC_ROLE_ENTERPRISE)
        return a->organisation_id != 0 && a->organisation_id == org;
    return true;
}
