/*
 * test_text: blank detection (with the spaces Chinese input methods type)
 * and UTF-8 validation at every boundary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/text.h"

static void blank(void **state)
{
    (void)state;
    assert_true(sc_text_blank(NULL));
    assert_true(sc_text_blank(""));
    assert_true(sc_text_blank(" \t\r\n\v\f"));
    assert_true(sc_text_blank("\xc2\xa0"));           /* U+00A0 */
    assert_true(sc_text_blank("\xe3\x80\x80 \xe3\x80\x80")); /* U+3000 */
    assert_false(sc_text_blank("a"));
    assert_false(sc_text_blank(" \xe6\x98\x9f "));    /* 星 */
    assert_false(sc_text_blank("\xc2"));              /* cut sequence */
    assert_false(sc_text_blank("\xe3\x80"));
}

static bool valid(const char *s) { return sc_text_utf8_valid(s, strlen(s)); }

static void utf8(void **state)
{
    (void)state;
    assert_true(valid(""));
    assert_true(valid("ASCII"));
    assert_true(valid("\xe6\x98\x9f\xe7\xba\xa7"));   /* 星级 */
    assert_true(valid("\xc2\x80"));                   /* U+0080 */
    assert_true(valid("\xdf\xbf"));                   /* U+07FF */
    assert_true(valid("\xe0\xa0\x80"));               /* U+0800 */
    assert_true(valid("\xed\x9f\xbf"));               /* U+D7FF */
    assert_true(valid("\xee\x80\x80"));               /* U+E000 */
    assert_true(valid("\xf0\x90\x80\x80"));           /* U+10000 */
    assert_true(valid("\xf4\x8f\xbf\xbf"));           /* U+10FFFF */
    assert_false(valid("\x80"));                      /* lone continuation */
    assert_false(valid("\xc0\x80"));                  /* overlong NUL */
    assert_false(valid("\xc1\xbf"));                  /* overlong */
    assert_false(valid("\xe0\x9f\xbf"));              /* overlong */
    assert_false(valid("\xed\xa0\x80"));              /* surrogate D800 */
    assert_false(valid("\xed\xbf\xbf"));              /* surrogate DFFF */
    assert_false(valid("\xf0\x8f\xbf\xbf"));          /* overlong */
    assert_false(valid("\xf4\x90\x80\x80"));          /* beyond U+10FFFF */
    assert_false(valid("\xf8\x88\x80\x80\x80"));      /* 5-byte form */
    assert_false(valid("\xe6\x98"));                  /* cut at the end */
    assert_false(valid("\xe6\x41\x9f"));              /* bad continuation */
    /* the length counts: a valid prefix of an invalid text */
    assert_true(sc_text_utf8_valid("ab\xff", 2));
    assert_false(sc_text_utf8_valid("ab\xff", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(blank),
        cmocka_unit_test(utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
