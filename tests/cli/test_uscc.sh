#!/usr/bin/env bash
# starcert uscc: check a unified social credit code (domain.md section 7).
# Valid codes are published ones, recomputed by hand/script; refusals name
# the position and the character; usage errors exit 2.
source "$(dirname "$0")/lib.sh"

# valid: published codes
for code in 91110000802100433B 91350100M000100Y43 914403001922038216; do
  run uscc "$code"
  expect_rc 0 "valid $code"
  expect_json .valid true "valid $code: valid"
  expect_json .code "$code" "valid $code: code echoed"
done

# check value 0 (sum a multiple of 31)
run uscc 9144LPU93PAWPNGXY0
expect_rc 0 "check character 0"

# wrong check character: 'B' expected
run uscc 91110000802100433C
expect_rc 1 "wrong check character"
expect_json .error.code invalid "wrong check: code"
expect_json .error.field code "wrong check: field"
expect_json .error.message "wrong check character: expected 'B', got 'C'" "wrong check: message"
expect_json '.valid // "absent"' absent "wrong check: no valid key"

# wrong length
run uscc 91110000802100433
expect_rc 1 "17 characters"
expect_json .error.message "must be 18 characters long, got 17" "17 characters: message"
expect_json .error.field code "17 characters: field"

run uscc ""
expect_rc 1 "empty code"
expect_json .error.message "must be 18 characters long, got 0" "empty: message"

# characters
run uscc 91110000802100433b
expect_rc 1 "lower case"
expect_json .error.message "lower-case character 'b' at position 18 is not allowed: use upper-case 'B'" "lower case: message"

run uscc 91O10000802100433B
expect_rc 1 "letter O"
expect_json .error.message "character 'O' at position 3 is not allowed: I, O, Z, S and V are never used in a unified social credit code (did you mean the digit '0'?)" "letter O: message"

run uscc 9111000080210043SB
expect_rc 1 "letter S"
expect_json .error.code invalid "letter S: code"
expect_json .error.field code "letter S: field"

# options and arguments in any order; --help anywhere
run uscc 91110000802100433B --help
expect_rc 0 "--help after the code"
run uscc --help
expect_rc 0 "--help"
case "$out" in usage:*) ok ;; *) bad "--help prints the usage on stdout" ;; esac
run uscc -h
expect_rc 0 "-h"

# usage errors
run uscc
expect_rc 2 "no code"
run uscc 91110000802100433B 914403001922038216
expect_rc 2 "two codes"
run uscc --bogus 91110000802100433B
expect_rc 2 "unknown option"
[ -z "$out" ] && ok || bad "usage error prints nothing on stdout"

finish
