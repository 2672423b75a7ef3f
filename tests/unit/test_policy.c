/*
 * test_policy: the authorisation table for actions outside the state
 * machines. Every (action x role x owns_scope) combination is checked
 * against an expectation table written here from the brief and domain.md
 * section 1 and 5, independently of the production table; plus the refusal
 * messages, unknown actions, the anonymous public and the query API.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/policy.h"

/*
 * One line per action: a letter per role, in the order
 *   admin market review auditor committee enterprise system anonymous
 * '-' never, 'A' any, 'O' own organisation only, 'T' audit team only,
 * 'S' self only.
 */
struct expect {
    const char *action;
    const char *who;
};

static const struct expect expected[] = {
    {"organisation.create", "AA----A-"},
    {"organisation.update", "AA---O--"},
    {"organisation.rename", "AA------"},
    {"organisation.view", "AAAAAO--"},
    {"outlet.add", "AA---OA-"},
    {"user.create", "A-------"},
    {"user.view", "ASSSSS--"},
    {"user.deactivate", "A-------"},
    {"user.reactivate", "A-------"},
    {"qualification.add", "A-------"},
    {"qualification.view", "A-ASA---"},
    {"link.declare", "ASSSS---"},
    {"link.view", "ASASA---"},
    {"link.end", "ASSSS---"},
    {"application.create", "-A---O--"},
    {"application.view", "AAATAO--"},
    {"preparation.update", "-A---O--"},
    {"manager.add", "-A---O--"},
    {"document.upload", "-A---O--"},
    {"document.view", "AAATAO--"},
    {"finding.add", "--AT----"},
    {"finding.correct", "-----O--"},
    {"finding.verify", "--AT----"},
    {"audit.view", "AAATAO--"},
    {"audit.result", "---T----"},
    {"audit.special", "---T----"},
    {"certificate.view", "AAAAAO--"},
    {"certificate.reissue", "----A---"},
    {"certificate.confidential", "-A--A---"},
    {"event.view", "A-------"},
    {"registry.view", "AAAAAAAA"},
    {"tick.run", "A-----A-"},
    {"import.run", "A-----A-"},
};

#define N_EXPECTED (sizeof expected / sizeof expected[0])
#define N_ROLES 8

static const int role_of[N_ROLES] = {
    SC_ROLE_ADMIN,     SC_ROLE_MARKET,     SC_ROLE_REVIEW, SC_ROLE_AUDITOR,
    SC_ROLE_COMMITTEE, SC_ROLE_ENTERPRISE, SC_ROLE_SYSTEM, SC_POLICY_ANONYMOUS,
};

static enum sc_policy_scope scope_of_letter(char c)
{
    switch (c) {
    case 'A':
        return SC_POLICY_SCOPE_ANY;
    case 'O':
        return SC_POLICY_SCOPE_OWN_ORG;
    case 'T':
        return SC_POLICY_SCOPE_AUDIT_TEAM;
    case 'S':
        return SC_POLICY_SCOPE_SELF;
    default:
        return SC_POLICY_SCOPE_NONE;
    }
}

/* Every action of the expectation table, every role, both owns_scope. */
static void test_matrix(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_EXPECTED; i++) {
        assert_int_equal(strlen(expected[i].who), N_ROLES);
        for (int r = 0; r < N_ROLES; r++) {
            enum sc_workflow_role role = (enum sc_workflow_role)role_of[r];
            char letter = expected[i].who[r];
            enum sc_policy_scope want = scope_of_letter(letter);
            enum sc_policy_scope got = SC_POLICY_SCOPE_COUNT_;
            struct sc_error e;
            sc_error_clear(&e);
            if (sc_policy_scope_for(expected[i].action, role, &got, &e) !=
                    SC_OK ||
                got != want)
                print_error("%s by %s: scope %s, expected %s (%s)\n",
                            expected[i].action, sc_policy_role_name(role),
                            sc_policy_scope_name(got),
                            sc_policy_scope_name(want), e.message);
            assert_int_equal(got, want);
            for (int owns = 0; owns <= 1; owns++) {
                enum sc_err want_rc = (letter == 'A' || (letter != '-' && owns))
                                          ? SC_OK
                                          : SC_ERR_FORBIDDEN;
                sc_error_clear(&e);
                enum sc_err rc =
                    sc_policy_check(expected[i].action, role, owns != 0, &e);
                if (rc != want_rc)
                    print_error("%s by %s owns=%d: %s, expected %s\n",
                                expected[i].action, sc_policy_role_name(role),
                                owns, sc_err_name(rc), sc_err_name(want_rc));
                assert_int_equal(rc, want_rc);
                if (rc == SC_ERR_FORBIDDEN) {
                    assert_string_equal(e.field, "as");
                    assert_non_null(strstr(e.message, expected[i].action));
                    assert_non_null(
                        strstr(e.message, sc_policy_role_name(role)));
                }
            }
        }
    }
}

/* The production table holds exactly the actions expected, no more. */
static void test_table_has_no_extra_action(void **state)
{
    (void)state;
    size_t n = 0;
    const struct sc_policy_rule *rules = sc_policy_rules(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t j = 0; j < N_EXPECTED; j++)
            if (strcmp(rules[i].action, expected[j].action) == 0)
                found = true;
        if (!found)
            print_error("unexpected action in table: %s\n", rules[i].action);
        assert_true(found);
        assert_non_null(rules[i].note);
        assert_true(strlen(rules[i].action) < SC_POLICY_ACTION_MAX);
        assert_true(rules[i].scope > SC_POLICY_SCOPE_NONE &&
                    rules[i].scope < SC_POLICY_SCOPE_COUNT_);
        /* rows of one action are adjacent, and no role is in two rows */
        for (size_t j = i + 1; j < n; j++) {
            if (strcmp(rules[i].action, rules[j].action) != 0)
                continue;
            assert_int_equal(rules[i].roles & rules[j].roles, 0);
            for (size_t k = i + 1; k < j; k++)
                assert_string_equal(rules[k].action, rules[i].action);
        }
    }
}

static void test_messages(void **state)
{
    (void)state;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(
        sc_policy_check("certificate.reissue", SC_ROLE_AUDITOR, true, &e),
        SC_ERR_FORBIDDEN);
    assert_string_equal(e.field, "as");
    assert_string_equal(e.message,
                        "role auditor may not take action certificate.reissue");

    sc_error_clear(&e);
    assert_int_equal(
        sc_policy_check("organisation.update", SC_ROLE_ENTERPRISE, false, &e),
        SC_ERR_FORBIDDEN);
    assert_string_equal(e.message, "role enterprise may take action "
                                   "organisation.update only for its own "
                                   "organisation");

    sc_error_clear(&e);
    assert_int_equal(
        sc_policy_check("audit.result", SC_ROLE_AUDITOR, false, &e),
        SC_ERR_FORBIDDEN);
    assert_string_equal(e.message, "role auditor may take action audit.result "
                                   "only for audits it is on the team of");

    sc_error_clear(&e);
    assert_int_equal(sc_policy_check("link.declare", SC_ROLE_REVIEW, false, &e),
                     SC_ERR_FORBIDDEN);
    assert_string_equal(e.message,
                        "role review may take action link.declare only for "
                        "itself");

    sc_error_clear(&e);
    assert_int_equal(
        sc_policy_check("event.view", SC_POLICY_ANONYMOUS, false, &e),
        SC_ERR_FORBIDDEN);
    assert_string_equal(e.message,
                        "role anonymous may not take action event.view");
}

static void test_unknown_action_and_role(void **state)
{
    (void)state;
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(
        sc_policy_check("organisation.destroy", SC_ROLE_ADMIN, true, &e),
        SC_ERR_INTERNAL);
    assert_string_equal(e.field, "action");
    assert_non_null(strstr(e.message, "organisation.destroy"));

    sc_error_clear(&e);
    assert_int_equal(sc_policy_check(NULL, SC_ROLE_ADMIN, true, &e),
                     SC_ERR_INTERNAL);
    assert_int_equal(sc_policy_check("", SC_ROLE_ADMIN, true, NULL),
                     SC_ERR_INTERNAL);
    /* case matters: names are exact */
    assert_int_equal(sc_policy_check("Tick.run", SC_ROLE_ADMIN, true, NULL),
                     SC_ERR_INTERNAL);
    /* a prefix of a real name is not a name */
    assert_int_equal(sc_policy_check("tick", SC_ROLE_ADMIN, true, NULL),
                     SC_ERR_INTERNAL);

    sc_error_clear(&e);
    assert_int_equal(
        sc_policy_check("tick.run", (enum sc_workflow_role)(SC_ROLE_COUNT_ + 1),
                        true, &e),
        SC_ERR_INTERNAL);
    assert_int_equal(
        sc_policy_check("tick.run", (enum sc_workflow_role) - 1, true, NULL),
        SC_ERR_INTERNAL);

    enum sc_policy_scope s = SC_POLICY_SCOPE_ANY;
    assert_int_equal(sc_policy_scope_for("nope", SC_ROLE_ADMIN, &s, NULL),
                     SC_ERR_INTERNAL);
    assert_int_equal(s, SC_POLICY_SCOPE_ANY); /* untouched */
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(sc_policy_scope_name(SC_POLICY_SCOPE_NONE), "none");
    assert_string_equal(sc_policy_scope_name(SC_POLICY_SCOPE_ANY), "any");
    assert_string_equal(sc_policy_scope_name(SC_POLICY_SCOPE_OWN_ORG),
                        "own_org");
    assert_string_equal(sc_policy_scope_name(SC_POLICY_SCOPE_AUDIT_TEAM),
                        "audit_team");
    assert_string_equal(sc_policy_scope_name(SC_POLICY_SCOPE_SELF), "self");
    assert_string_equal(sc_policy_scope_name(SC_POLICY_SCOPE_COUNT_),
                        "unknown");
    assert_string_equal(sc_policy_role_name(SC_POLICY_ANONYMOUS), "anonymous");
    assert_string_equal(sc_policy_role_name(SC_ROLE_ENTERPRISE), "enterprise");
    assert_true(sc_policy_known("registry.view"));
    assert_false(sc_policy_known(NULL));
    assert_false(sc_policy_known("registry.views"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matrix),
        cmocka_unit_test(test_table_has_no_extra_action),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_unknown_action_and_role),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
