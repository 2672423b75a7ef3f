/*
 * test_uscc: the unified social credit code check (GB 32100-2015, domain.md
 * section 7). Real published codes, every kind of refusal with its exact
 * message, and property tests: a computed check character always validates,
 * and every single-character substitution and every adjacent transposition
 * of two different characters is caught.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/uscc.h"

static const char alpha[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Codes printed on published business licences; each was recomputed with a
 * separate script before being written here. */
static const char *const real_codes[] = {
    "91110000802100433B", /* State Grid Corporation of China */
    "91350100M000100Y43", /* the code GB 32100 material uses as example */
    "91110108551385082Q", /* Beijing Xiaomi Technology */
    "914403001922038216", /* Huawei Technologies */
    "91440300708461136T", /* Shenzhen Tencent Computer Systems */
};

static void test_real_codes_valid(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof real_codes / sizeof real_codes[0]; i++) {
        struct sc_error e;
        sc_error_clear(&e);
        assert_int_equal(sc_uscc_check(real_codes[i], &e), SC_OK);
        assert_int_equal(sc_uscc_check_char(real_codes[i]), real_codes[i][17]);
    }
}

/* Worked by hand for 91350100M000100Y4:
 * values 9 1 3 5 0 1 0 0 21 0 0 0 1 0 0 30 4
 * weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
 * products 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640
 * 1640 mod 31 = 28 (31*52 = 1612), 31 - 28 = 3 -> '3'. */
static void test_check_char_by_hand(void **state)
{
    (void)state;
    assert_int_equal(sc_uscc_check_char("91350100M000100Y4"), '3');
}

/* Check value 0 (sum a multiple of 31: 31 read as 0) and 30 ('Y'). */
static void test_check_char_extremes(void **state)
{
    (void)state;
    assert_int_equal(sc_uscc_check_char("9144LPU93PAWPNGXY"), '0');
    assert_int_equal(sc_uscc_check("9144LPU93PAWPNGXY0", NULL), SC_OK);
    assert_int_equal(sc_uscc_check_char("9144HXUH7CGBYUJBE"), 'Y');
    assert_int_equal(sc_uscc_check("9144HXUH7CGBYUJBEY", NULL), SC_OK);
    /* all zeros: sum 0 -> check 0 */
    assert_int_equal(sc_uscc_check_char("00000000000000000"), '0');
    /* "1" then zeros: sum 1 -> 30 -> 'Y' */
    assert_int_equal(sc_uscc_check_char("10000000000000000"), 'Y');
    /* a bad character in the body gives no check character */
    assert_int_equal(sc_uscc_check_char("9111000080210043I"), '\0');
}

static void test_values(void **state)
{
    (void)state;
    assert_int_equal(sc_uscc_value('0'), 0);
    assert_int_equal(sc_uscc_value('9'), 9);
    assert_int_equal(sc_uscc_value('A'), 10);
    assert_int_equal(sc_uscc_value('H'), 17);
    assert_int_equal(sc_uscc_value('J'), 18);
    assert_int_equal(sc_uscc_value('N'), 22);
    assert_int_equal(sc_uscc_value('P'), 23);
    assert_int_equal(sc_uscc_value('R'), 25);
    assert_int_equal(sc_uscc_value('T'), 26);
    assert_int_equal(sc_uscc_value('U'), 27);
    assert_int_equal(sc_uscc_value('W'), 28);
    assert_int_equal(sc_uscc_value('Y'), 30);
    const char *never = "IOZSVabc-\0";
    for (const char *p = never; *p; p++)
        assert_int_equal(sc_uscc_value(*p), -1);
    assert_int_equal(sc_uscc_value('\0'), -1);
}

static void expect_refusal(const char *code, const char *message)
{
    struct sc_error e;
    sc_error_clear(&e);
    assert_int_equal(sc_uscc_check(code, &e), SC_ERR_INVALID);
    assert_int_equal(e.code, SC_ERR_INVALID);
    assert_string_equal(e.field, "code");
    assert_string_equal(e.message, message);
}

static void test_refuse_length(void **state)
{
    (void)state;
    expect_refusal("", "must be 18 characters long, got 0");
    expect_refusal("91110000802100433", "must be 18 characters long, got 17");
    expect_refusal("91110000802100433BB", "must be 18 characters long, got 19");
    expect_refusal("9111 0000 8021 0043 3B",
                   "must be 18 characters long, got 22");
    /* 18 full-width characters are 54 bytes but 18 characters: the length
     * passes and the first character is named instead. */
    expect_refusal("\xEF\xBC\x99\xEF\xBC\x91\xEF\xBC\x91\xEF\xBC\x91"
                   "\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x90"
                   "\xEF\xBC\x90\xEF\xBC\x98\xEF\xBC\x90\xEF\xBC\x92"
                   "\xEF\xBC\x91\xEF\xBC\x90\xEF\xBC\x90\xEF\xBC\x94"
                   "\xEF\xBC\x93\xEF\xBC\xA2",
                   "full-width character '\xEF\xBC\x99' (U+FF19) at position "
                   "1 is not allowed: type the ASCII '9'");
}

static void test_refuse_missing(void **state)
{
    (void)state;
    expect_refusal(NULL, "a unified social credit code is required");
    assert_int_equal(sc_uscc_check(NULL, NULL), SC_ERR_INVALID);
}

static void test_refuse_characters(void **state)
{
    (void)state;
    expect_refusal("91110000802100433b", "lower-case character 'b' at "
                                         "position 18 is not allowed: use "
                                         "upper-case 'B'");
    expect_refusal("91350100m000100Y43", "lower-case character 'm' at "
                                         "position 9 is not allowed: use "
                                         "upper-case 'M'");
    expect_refusal("91O10000802100433B",
                   "character 'O' at position 3 is not allowed: I, O, Z, S "
                   "and V are never used in a unified social credit code "
                   "(did you mean the digit '0'?)");
    expect_refusal("9I110000802100433B",
                   "character 'I' at position 2 is not allowed: I, O, Z, S "
                   "and V are never used in a unified social credit code "
                   "(did you mean the digit '1'?)");
    expect_refusal("Z1110000802100433B",
                   "character 'Z' at position 1 is not allowed: I, O, Z, S "
                   "and V are never used in a unified social credit code");
    expect_refusal("9111000080210043SB",
                   "character 'S' at position 17 is not allowed: I, O, Z, S "
                   "and V are never used in a unified social credit code");
    expect_refusal("91110000802100433V",
                   "character 'V' at position 18 is not allowed: I, O, Z, S "
                   "and V are never used in a unified social credit code");
    expect_refusal("91110000802100433s",
                   "character 's' at position 18 is not allowed: letters are "
                   "upper case, and I, O, Z, S and V are never used");
    expect_refusal("9111-000802100433B",
                   "character '-' at position 5 is not allowed: a code uses "
                   "only 0-9 and A-Z without I, O, Z, S, V");
    expect_refusal("911100 0802100433B",
                   "a space (U+0020) at position 7 is not allowed: a code "
                   "uses only 0-9 and A-Z without I, O, Z, S, V");
    expect_refusal("91110000802100433\t",
                   "a control character (U+0009) at position 18 is not "
                   "allowed: a code uses only 0-9 and A-Z without I, O, Z, "
                   "S, V");
    /* a Chinese character counts as one character */
    expect_refusal("9111000080210043\xE5\x8C\x97"
                   "B",
                   "character '\xE5\x8C\x97' (U+5317) at position 17 is not "
                   "allowed: a code uses only 0-9 and A-Z without I, O, Z, "
                   "S, V");
    /* a byte that is not UTF-8 */
    expect_refusal("9111000080210043\xFF"
                   "B",
                   "byte 0xFF at position 17 is not valid UTF-8; a code uses "
                   "only 0-9 and A-Z without I, O, Z, S, V");
    /* the first fault is reported */
    expect_refusal("9a11000080210043OB", "lower-case character 'a' at "
                                         "position 2 is not allowed: use "
                                         "upper-case 'A'");
}

static void test_refuse_check_char(void **state)
{
    (void)state;
    expect_refusal("91110000802100433C",
                   "wrong check character: expected 'B', got 'C'");
    /* digit 17 from 3 to 4 adds weight 28: the sum mod 31 goes from 20
     * ('B' = 11 = 31 - 20) to 48 mod 31 = 17, so the check is 31 - 17 = 14,
     * 'E'. */
    expect_refusal("91110000802100434B",
                   "wrong check character: expected 'E', got 'B'");
    expect_refusal("914403001922038210",
                   "wrong check character: expected '6', got '0'");
}

/* xorshift64*, fixed seed: the same cases on every run. */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static void random_code(char code[SC_USCC_LEN + 1])
{
    for (int i = 0; i < 17; i++)
        code[i] = alpha[rng() % 31];
    code[17] = sc_uscc_check_char(code);
    code[18] = '\0';
}

/* An independent check: sum of all 18 values with weight 1 on the check
 * character is 0 mod 31 exactly when the code is valid. */
static int weighted_sum_mod31(const char *code)
{
    int sum = 0, w = 1;
    for (int i = 0; i < 17; i++) {
        sum += (int)(strchr(alpha, code[i]) - alpha) * w;
        w = w * 3 % 31;
    }
    sum += (int)(strchr(alpha, code[17]) - alpha);
    return sum % 31;
}

static void test_property_computed_check_validates(void **state)
{
    (void)state;
    char code[SC_USCC_LEN + 1];
    for (int n = 0; n < 5000; n++) {
        random_code(code);
        assert_int_not_equal(code[17], '\0');
        assert_int_equal(weighted_sum_mod31(code), 0);
        assert_int_equal(sc_uscc_check(code, NULL), SC_OK);
    }
}

static void test_property_substitution_caught(void **state)
{
    (void)state;
    char code[SC_USCC_LEN + 1];
    for (int n = 0; n < 2000; n++) {
        random_code(code);
        for (int pos = 0; pos < SC_USCC_LEN; pos++) {
            char orig = code[pos];
            for (int k = 0; k < 31; k++) {
                if (alpha[k] == orig)
                    continue;
                code[pos] = alpha[k];
                struct sc_error e;
                assert_int_equal(sc_uscc_check(code, &e), SC_ERR_INVALID);
                assert_non_null(strstr(e.message, "wrong check character"));
            }
            code[pos] = orig;
        }
    }
}

static void test_property_transposition_caught(void **state)
{
    (void)state;
    char code[SC_USCC_LEN + 1];
    for (int n = 0; n < 5000; n++) {
        random_code(code);
        for (int pos = 0; pos + 1 < SC_USCC_LEN; pos++) {
            if (code[pos] == code[pos + 1])
                continue;
            char t = code[pos];
            code[pos] = code[pos + 1];
            code[pos + 1] = t;
            assert_int_equal(sc_uscc_check(code, NULL), SC_ERR_INVALID);
            code[pos + 1] = code[pos];
            code[pos] = t;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_codes_valid),
        cmocka_unit_test(test_check_char_by_hand),
        cmocka_unit_test(test_check_char_extremes),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_refuse_length),
        cmocka_unit_test(test_refuse_missing),
        cmocka_unit_test(test_refuse_characters),
        cmocka_unit_test(test_refuse_check_char),
        cmocka_unit_test(test_property_computed_check_validates),
        cmocka_unit_test(test_property_substitution_caught),
        cmocka_unit_test(test_property_transposition_caught),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
