/*
 * store_party: the parties of certification (domain.md sections 1, 5, 7):
 * organisations (validated, unique 统一社会信用代码) and their service
 * outlets; users with their role (an enterprise user bound to exactly one
 * organisation); auditor qualifications with their validity; and the
 * impartiality register (declared links of staff with organisations).
 *
 * Every action has the store's action shape (docs/store.md): it opens a
 * transaction when none is open, asks src/core/policy.h whether the actor
 * may act (and the core validators: uscc, dates, names), writes, appends
 * exactly one event (detail {"after": view} for a creation, {"before",
 * "after"} for a change; an update that changes nothing writes neither
 * row nor event), and commits; on any error it
 * rolls back its own transaction, so a refusal leaves the database as it
 * was. Inside a caller's transaction it neither commits nor rolls back: the
 * caller does.
 *
 * JSON views (the same for the CLI and the HTTP API) are new references the
 * caller drops with json_decref. Each creating action takes `int64_t *id`
 * and `json_t **view_out` (both may be NULL) for the new row's id and view
 * (the same view its event records). Organisations may be named by id or by
 * 统一社会信用代码 (sc_store_org_resolve), users by login.
 *
 * Not for: passwords and sessions (the HTTP issue), the impartiality RULES
 * (src/core/impartiality.h decides; loaders below only hand it data), or
 * applications and certificates.
 */
#ifndef SC_STORE_PARTY_H
#define SC_STORE_PARTY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/date.h"
#include "core/err.h"
#include "core/impartiality.h"
#include "core/workflow.h"
#include "store/actor.h"
#include "store/store.h"

/* Caps on text fields, in bytes (UTF-8). Longer input is SC_ERR_INVALID. */
#define SC_PARTY_NAME_MAX 200 /* organisation, outlet, person names */
#define SC_PARTY_ADDRESS_MAX 400
#define SC_PARTY_NUMBER_MAX 64            /* qualification numbers */
#define SC_PARTY_LOGIN_MAX 63             /* fits struct sc_actor's login */
#define SC_PARTY_EMPLOYEES_MAX 10000000LL /* as the man-day calculator */
#define SC_PARTY_LIST_MAX 1000            /* rows per list call */
#define SC_PARTY_LINKS_MAX 10000          /* links loaded for one check */

/* ---- organisations and outlets ------------------------------------------ */

struct sc_party_org_input {
    const char *uscc;    /* checked with sc_uscc_check; unique */
    const char *name;    /* required, Chinese as registered */
    const char *name_en; /* optional (NULL or "") */
    const char *address; /* required */
    int64_t employees;   /* 1 .. SC_PARTY_EMPLOYEES_MAX, head office + sites */
};

/*
 * Registers an organisation (policy "organisation.create": admin, market,
 * or the system actor for imports). Refusals: SC_ERR_FORBIDDEN ("as");
 * SC_ERR_INVALID on "uscc" (the core's message), "name", "name_en",
 * "address", "employees"; SC_ERR_CONFLICT on "uscc" when the code is
 * already registered. *id (may be NULL) receives the new id.
 * Event "organisation.create".
 */
enum sc_err sc_store_org_create(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor,
                                const struct sc_party_org_input *in,
                                int64_t *id, json_t **view_out,
                                struct sc_error *err);

/* What an update changes: NULL (0 for employees) leaves a field as it is. */
struct sc_party_org_update {
    const char *uscc;    /* optional: must be the registered code */
    const char *name;    /* policy "organisation.rename" too */
    const char *name_en; /* "" removes it; policy "organisation.rename" */
    const char *address;
    int64_t employees; /* 1 .. SC_PARTY_EMPLOYEES_MAX, or 0 */
};

/*
 * Updates organisation `org`'s name, English name, address or employees
 * (policy "organisation.update": admin, market; an enterprise user for
 * their own organisation; a name or English name also needs policy
 * "organisation.rename": admin, market). The 统一社会信用代码 never
 * changes: a `uscc` other than the registered one is refused (a different
 * code is a different organisation). The registry's name indexes follow
 * the name (triggers of migration 0002). Fields equal to the stored value
 * are no change; when nothing changes the call succeeds and writes
 * nothing. Otherwise one event "organisation.update" with detail
 * {"before": {changed fields}, "after": {changed fields}}. Refusals, in
 * this order: SC_ERR_FORBIDDEN ("as"; "name" or "name_en" when only the
 * rename is not allowed); SC_ERR_INVALID with field NULL when no field at all
 * is given, then on "name", "name_en", "address", "employees" as
 * sc_store_org_create; SC_ERR_NOT_FOUND ("organisation"); SC_ERR_INVALID
 * ("uscc") for another code. *view_out (may be NULL): the organisation's
 * view after the update.
 */
enum sc_err sc_store_org_update(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor, int64_t org,
                                const struct sc_party_org_update *in,
                                json_t **view_out, struct sc_error *err);

/*
 * The id of the organisation named by `ref`: a decimal id, or an 18-character
 * 统一社会信用代码. SC_ERR_NOT_FOUND with `field` (e.g. "organisation") when
 * none; SC_ERR_INVALID with `field` for a ref that is neither. No
 * authorisation: callers check the action they then take.
 */
enum sc_err sc_store_org_resolve(struct sc_store *st, const char *ref,
                                 const char *field, int64_t *id,
                                 struct sc_error *err);

/*
 * sc_store_org_resolve for an actor about to take `action` on the
 * organisation: when `ref` names no organisation and the actor's role is
 * limited to its own organisation for that action (an enterprise user) or
 * may not take it at all, the refusal is the policy's SC_ERR_FORBIDDEN, not
 * SC_ERR_NOT_FOUND, so that nobody learns which other organisations exist.
 */
enum sc_err sc_store_org_resolve_as(struct sc_store *st,
                                    const struct sc_actor *actor,
                                    const char *action, const char *ref,
                                    const char *field, int64_t *id,
                                    struct sc_error *err);

/*
 * The view of one organisation (policy "organisation.view"; an enterprise
 * user only their own): {"id", "uscc", "name", "name_en" (string or null),
 * "address", "employees", "created_at", "outlets": [outlet views]}.
 * SC_ERR_NOT_FOUND ("organisation") for an unknown id.
 */
enum sc_err sc_store_org_get(struct sc_store *st, const struct sc_actor *actor,
                             int64_t id, json_t **out, struct sc_error *err);

/*
 * Organisations in id order after `after_id` (0 from the start), at most
 * `limit` (1 .. SC_PARTY_LIST_MAX): a JSON array of views without
 * "outlets" but with "outlet_count". An enterprise user sees only their own.
 */
enum sc_err sc_store_org_list(struct sc_store *st, const struct sc_actor *actor,
                              int64_t after_id, int limit, json_t **out,
                              struct sc_error *err);

/*
 * Adds a service outlet to organisation `org` (policy "outlet.add": admin,
 * market, system; an enterprise user for their own organisation).
 * SC_ERR_NOT_FOUND ("organisation"); SC_ERR_INVALID on "name", "address";
 * SC_ERR_CONFLICT on "name" when the organisation has an outlet of that name.
 * Event "outlet.add" on entity "outlet".
 */
enum sc_err sc_store_outlet_add(struct sc_store *st, const struct sc_clock *clk,
                                const struct sc_actor *actor, int64_t org,
                                const char *name, const char *address,
                                int64_t *id, json_t **view_out,
                                struct sc_error *err);

/* The outlets of `org` (policy "organisation.view"): a JSON array of
 * {"id", "organisation", "name", "address"} in id order. */
enum sc_err sc_store_outlet_list(struct sc_store *st,
                                 const struct sc_actor *actor, int64_t org,
                                 json_t **out, struct sc_error *err);

/* Number of outlets of `org` (for the man-day calculation); no policy. */
enum sc_err sc_store_outlet_count(struct sc_store *st, int64_t org,
                                  int64_t *count, struct sc_error *err);

/* ---- users ----------------------------------------------------------------
 */

struct sc_party_user_input {
    const char *login; /* 1..63 of a-z 0-9 . _ - @, starting with a letter or
                          digit; "system" and "anonymous" are reserved */
    const char *name;  /* required */
    enum sc_workflow_role role; /* not SC_ROLE_SYSTEM */
    int64_t organisation; /* the enterprise user's organisation; 0 for staff */
};

/*
 * Creates a user (policy "user.create": admin). Bootstrap: with `actor`
 * NULL the call succeeds only when the database has no user at all and the
 * new user is an admin (the first admin); otherwise SC_ERR_UNAUTHENTICATED
 * ("as"). Refusals: SC_ERR_INVALID on "login", "name", "role" (system),
 * "organisation" (an enterprise user without one, or a staff user with
 * one); SC_ERR_NOT_FOUND on "organisation"; SC_ERR_CONFLICT on "login".
 * Event "user.create" (actor 0 and "bootstrap": true for the first admin).
 */
enum sc_err sc_store_user_create(struct sc_store *st,
                                 const struct sc_clock *clk,
                                 const struct sc_actor *actor,
                                 const struct sc_party_user_input *in,
                                 int64_t *id, json_t **view_out,
                                 struct sc_error *err);

/* The id of the user with `login` (active or not). SC_ERR_NOT_FOUND with
 * `field`. No authorisation. */
enum sc_err sc_store_user_resolve(struct sc_store *st, const char *login,
                                  const char *field, int64_t *id,
                                  struct sc_error *err);

/*
 * The view of one user (policy "user.view": admin; anyone for themself):
 * {"id", "login", "name", "role", "organisation" (id or null), "active",
 * "created_at", "qualifications": [...], "links": [...]}.
 */
enum sc_err sc_store_user_get(struct sc_store *st, const struct sc_actor *actor,
                              int64_t id, json_t **out, struct sc_error *err);

/* Users in id order after `after_id`, at most `limit`, optionally only one
 * `role` (role < 0: all): views without qualifications and links. Admin
 * sees all; anyone else only themself. */
enum sc_err sc_store_user_list(struct sc_store *st,
                               const struct sc_actor *actor, int role,
                               int64_t after_id, int limit, json_t **out,
                               struct sc_error *err);

/* ---- auditor qualifications ------------------------------------------- */

enum sc_party_qual_kind {
    SC_QUAL_AUDITOR,
    SC_QUAL_LEAD_AUDITOR,
    SC_QUAL_KIND_COUNT_
};

/* "auditor", "lead_auditor"; "unknown" out of range. */
const char *sc_party_qual_kind_name(enum sc_party_qual_kind k);
/* Exact names; SC_ERR_INVALID with `field` otherwise, *out untouched. */
enum sc_err sc_party_qual_kind_parse(const char *s, const char *field,
                                     enum sc_party_qual_kind *out,
                                     struct sc_error *err);

/*
 * Records a qualification of auditor `user` valid from `from` to `to`, both
 * inclusive (policy "qualification.add": admin). Refusals: SC_ERR_NOT_FOUND
 * ("user"); SC_ERR_INVALID on "user" (not an auditor), "number", "valid_to"
 * (before valid_from); SC_ERR_CONFLICT on "number" when the same user
 * already holds the same kind, number and dates. Event "qualification.add".
 */
enum sc_err
sc_store_qualification_add(struct sc_store *st, const struct sc_clock *clk,
                           const struct sc_actor *actor, int64_t user,
                           enum sc_party_qual_kind kind, const char *number,
                           sc_day from, sc_day to, int64_t *id,
                           json_t **view_out, struct sc_error *err);

/* Qualifications of `user` (0: everyone's) as a JSON array of {"id",
 * "user", "login", "kind", "number", "valid_from", "valid_to"} (policy
 * "qualification.view": admin, review, committee; an auditor their own). */
enum sc_err sc_store_qualification_list(struct sc_store *st,
                                        const struct sc_actor *actor,
                                        int64_t user, json_t **out,
                                        struct sc_error *err);

/*
 * For team checks: the validity of `user`'s qualification to serve on an
 * audit [first, last] (as lead when `lead`: only lead_auditor counts; as a
 * member: either kind). Writes out->person, out->lead and
 * out->qualified_from/to: of a qualification covering the whole audit if
 * one exists, else of the one ending last (so that
 * sc_impartiality_check_team names the gap). SC_ERR_INVALID on "team" when
 * the user holds no qualification of a fitting kind at all. No policy.
 */
enum sc_err sc_store_qualification_member(struct sc_store *st, int64_t user,
                                          bool lead, sc_day first, sc_day last,
                                          struct sc_impartiality_member *out,
                                          struct sc_error *err);

/* ---- the impartiality register ---------------------------------------- */

/*
 * Declares a link of staff member `user` with organisation `org` (policy
 * "link.declare": admin for anyone; market, review, auditor, committee for
 * themself). `ongoing` true means no end date (`to` ignored). Refusals:
 * SC_ERR_NOT_FOUND ("user", "organisation"); SC_ERR_INVALID on "user" (an
 * enterprise user: links are declared by CB staff), "to" (before from).
 * Event "link.declare".
 */
enum sc_err sc_store_link_add(struct sc_store *st, const struct sc_clock *clk,
                              const struct sc_actor *actor, int64_t user,
                              int64_t org, enum sc_impartiality_link_kind kind,
                              sc_day from, sc_day to, bool ongoing, int64_t *id,
                              json_t **view_out, struct sc_error *err);

/*
 * Ends ongoing link `link` on `to`, its last day (policy "link.end": admin
 * for anyone's link; market, review, auditor, committee for their own).
 * `user` (0: any) is the user the caller named the link through: a link
 * of someone else is then no link. `to` may lie in the future (a planned
 * end: the link bars until then and through the cooling-off period after
 * it, as sc_impartiality_check_assignment says). Refusals, in this order:
 * SC_ERR_FORBIDDEN ("as"; also for a link that does not exist or is not
 * the user's when the actor may end only their own, so that ids are not
 * probed); SC_ERR_NOT_FOUND ("link"); SC_ERR_STATE ("link") when the link
 * has ended already (an ended link is not changed again: declare a new
 * one); SC_ERR_INVALID ("to") before the link's first day or out of
 * range. Event "link.end" {"before": link view, "after": link view}.
 */
enum sc_err sc_store_link_end(struct sc_store *st, const struct sc_clock *clk,
                              const struct sc_actor *actor, int64_t user,
                              int64_t link, sc_day to, json_t **view_out,
                              struct sc_error *err);

/* Links, filtered by `user` and/or `org` (0: any), as a JSON array of
 * {"id", "user", "login", "organisation", "uscc", "kind", "from", "to"
 * (null when ongoing), "ongoing", "declared_at"} (policy "link.view": admin,
 * review, committee; market and auditor only their own, i.e. `user` must be
 * themself or 0, which then means themself). */
enum sc_err sc_store_link_list(struct sc_store *st,
                               const struct sc_actor *actor, int64_t user,
                               int64_t org, json_t **out, struct sc_error *err);

/*
 * For impartiality checks: the declared links of `org` (0: any) and `user`
 * (0: any) as a heap array the caller frees with free(); *n the count (0
 * gives NULL). More than SC_PARTY_LINKS_MAX is SC_ERR_TOO_LARGE. No policy.
 */
enum sc_err sc_store_link_load(struct sc_store *st, int64_t user, int64_t org,
                               struct sc_impartiality_link **out, size_t *n,
                               struct sc_error *err);

#endif
