#!/usr/bin/env bash
# starcert score: scores a calculation sheet (domain.md section 2). Expected
# scores are worked by hand (see tests/unit/test_score.c for the arithmetic);
# refusals give exit 1 and a JSON error with code and field; usage errors
# exit 2.
source "$(dirname "$0")/lib.sh"
schemes="$(cd "$(dirname "$0")/../../schemes" && pwd)"

base='{"results": {"5.1.1": {"result": "conform"}, "5.1.2": {"result": "conform"},
 "5.1.3": {"result": "conform"}, "5.1.4": {"result": "conform"},
 "5.1.5": {"result": "conform"}, "5.1.6": {"result": "conform"},
 "5.1.7": {"result": "conform"}, "5.2.1": {"result": "conform"},
 "5.2.2": {"result": "conform"}, "5.2.3": {"result": "conform"},
 "5.2.4": {"result": "conform"}, "5.2.5": {"result": "conform"},
 "5.2.6": {"result": "conform"}, "5.3.1": {"result": "conform"},
 "5.3.2": {"result": "conform"}}}'

mk() { # FILE JQ-FILTER: the all-conform sheet changed by the filter
  printf '%s' "$base" | jq "$2" >"$TMP/$1"
}

expect_refused() { # FILE CODE FIELD DESC
  run score "$TMP/$1"
  expect_rc 1 "$4"
  expect_json .error.code "$2" "$4: code"
  expect_json .error.field "$3" "$4: field"
}

# ---- help and usage ----
run score --help
expect_rc 0 "--help"
case "$out" in "usage: starcert score"*) ok ;; *) bad "--help prints usage" ;; esac
run score -h
expect_rc 0 "-h"

run score
expect_rc 2 "no input"
mk a.json .
run score "$TMP/a.json" "$TMP/a.json"
expect_rc 2 "two inputs"
run score --frobnicate "$TMP/a.json"
expect_rc 2 "unknown option"
run score "$TMP/a.json" --scheme
expect_rc 2 "--scheme without a value"

# ---- scores ----
run score "$TMP/a.json"
expect_rc 0 "all conform"
expect_json .score 100.0 "all conform: score"
expect_json .raw 100.00 "all conform: raw"
expect_json .earned 100.00 "all conform: earned"
expect_json .applicable 100 "all conform: applicable"
expect_json .level five_star "all conform: level"
expect_json .level_zh 五星级 "all conform: level_zh"
expect_json .certified true "all conform: certified"
expect_json .scheme gbt27922-2011 "all conform: scheme"
expect_json .scheme_version 1 "all conform: scheme_version"
expect_json '.groups | length' 3 "all conform: 3 groups"
expect_json '.groups[2].applicable' 25 "all conform: 5.3 applicable"
expect_json '.indicators | length' 15 "all conform: 15 indicators echoed"

# options and arguments in any order, and the env twin of --scheme
run score --scheme "$schemes/gbt27922-2011.json" "$TMP/a.json"
expect_rc 0 "--scheme bundled file"
run score "$TMP/a.json" --scheme="$schemes/gbt27922-2011.json"
expect_rc 0 "--scheme= after the input"

# the worked example: 5.2.4 sampled 6/1 -> 35/6; 5.2.6 excluded; 5.3.2
# nonconform; applicable 95; earned 485/6 = 80.83; raw 85.0877 -> 85.08;
# +1 bonus -1 deduction -> 85.1 three-star.
mk w.json '.results["5.2.4"] = {"result": "sampled", "samples": 6, "nonconforming": 1}
  | .results["5.2.6"] = {"result": "excluded", "reason": "不销售耐用品"}
  | .results["5.3.2"] = {"result": "nonconform", "reason": "no complaint log"}
  | .special_deductions = [{"reason": "false advertising"}]
  | .bonus = [{"reason": "award"}]'
run score "$TMP/w.json"
expect_rc 0 "worked example"
expect_json .earned 80.83 "worked: earned"
expect_json .applicable 95 "worked: applicable"
expect_json .raw 85.08 "worked: raw"
expect_json .score 85.1 "worked: score"
expect_json .level three_star "worked: level"
expect_json .level_en three-star "worked: level_en"
expect_json .bonus_applied 1 "worked: bonus_applied"
expect_json .special_deductions 1 "worked: special_deductions"
expect_json .gated false "worked: gated"
expect_json '.groups[1].earned' 28.83 "worked: 5.2 earned"
expect_json '.groups[1].applicable' 30 "worked: 5.2 applicable"
expect_json '.indicators[10].earned' 5.83 "worked: 5.2.4 earned"
expect_json '.indicators[10].samples' 6 "worked: 5.2.4 samples echoed"
expect_json '.indicators[12].earned' null "worked: excluded earns null"
expect_json '.indicators[12].reason' 不销售耐用品 "worked: reason echoed"

# stdin
run_stdin "$(cat "$TMP/w.json")" score -
expect_rc 0 "stdin"
expect_json .score 85.1 "stdin: score"

# 69.95 -> 70.0 compliant; 5.1.5 = 5*18999/99995 just under 0.95 -> 69.9 none
lose26='.results["5.3.2"].result = "nonconform" | .results["5.2.4"].result = "nonconform" | .results["5.2.5"].result = "nonconform"'
mk t1.json "$lose26"' | .results["5.1.5"] = {"result": "sampled", "samples": 100, "nonconforming": 81}'
run score "$TMP/t1.json"
expect_json .raw 69.95 "69.95: raw"
expect_json .score 70.0 "69.95: score"
expect_json .level compliant "69.95: compliant"
mk t2.json "$lose26"' | .results["5.1.5"] = {"result": "sampled", "samples": 99995, "nonconforming": 80996}'
run score "$TMP/t2.json"
expect_json .score 69.9 "69.9499: score"
expect_json .level none "69.9499: none"
expect_json .certified false "69.9499: not certified"

# applicable 20: 5.2.4 7*599/700 = 5.99 -> raw 94.95 five-star;
# 7*1497/1750 = 5.988 -> 94.94 -> 94.9 four-star
excl='.results |= with_entries(if .key == "5.3.2" or .key == "5.2.4" then . else .value = {"result": "excluded", "reason": "n/a"} end)'
mk t3.json "$excl"' | .results["5.2.4"] = {"result": "sampled", "samples": 700, "nonconforming": 101}'
run score "$TMP/t3.json"
expect_json .applicable 20 "94.95: applicable"
expect_json .score 95.0 "94.95: score"
expect_json .level five_star "94.95: level"
mk t4.json "$excl"' | .results["5.2.4"] = {"result": "sampled", "samples": 1750, "nonconforming": 253}'
run score "$TMP/t4.json"
expect_json .score 94.9 "94.94: score"
expect_json .level four_star "94.94: level"

# the gate: 100 - 5 = 95.0 but none; 4 deductions -> 96.0 five-star
mk g5.json '.special_deductions = [range(5) | {"reason": "misuse of the mark"}]'
run score "$TMP/g5.json"
expect_rc 0 "5 deductions"
expect_json .score 95.0 "5 deductions: score"
expect_json .level none "5 deductions: level"
expect_json .gated true "5 deductions: gated"
mk g4.json '.special_deductions = [range(4) | {"reason": "misuse of the mark"}]'
run score "$TMP/g4.json"
expect_json .score 96.0 "4 deductions: score"
expect_json .level five_star "4 deductions: level"

# a CB's own scheme: compliant from 60 instead of 70. Raw 64 (5.3.2 13 +
# 5.3.1 12 + 5.2.5 6 + 5.2.6 5 = 36 points nonconform) is
# compliant under it and none under the bundled one.
jq '.scoring.levels[3].min = 60' "$schemes/gbt27922-2011.json" >"$TMP/cb.json"
mk s.json '.results["5.3.2"].result = "nonconform" | .results["5.3.1"].result = "nonconform" | .results["5.2.5"].result = "nonconform" | .results["5.2.6"].result = "nonconform"'
run score "$TMP/s.json"
expect_json .score 64.0 "bundled scheme: 64.0"
expect_json .level none "bundled scheme: none"
run score --scheme "$TMP/cb.json" "$TMP/s.json"
expect_rc 0 "--scheme CB file"
expect_json .level compliant "CB scheme: compliant at 64.0"
STARCERT_SCHEME="$TMP/cb.json" run score "$TMP/s.json"
expect_json .level compliant "STARCERT_SCHEME: compliant at 64.0"
run score --scheme "$TMP/nonexistent.json" "$TMP/s.json"
expect_rc 1 "missing scheme file"
expect_json .error.code io_error "missing scheme file: code"

# ---- refusals ----
printf '{"results": {"5.1.1": {"result": "conform"},\n  "5.1.2": }' >"$TMP/m.json"
run score "$TMP/m.json"
expect_rc 1 "malformed JSON"
expect_json .error.code malformed "malformed: code"
case "$(printf '%s' "$out" | jq -r .error.message)" in
  "line 2 column "*) ok ;; *) bad "malformed: message has line and column" ;;
esac
printf '' >"$TMP/empty.json"
expect_refused empty.json malformed null "empty file"
printf '{"results": {}, "results": {}}' >"$TMP/dup.json"
expect_refused dup.json malformed null "duplicate key"
printf '[1, 2]' >"$TMP/arr.json"
expect_refused arr.json invalid null "not an object"

mk u.json '.results["5.9.9"] = {"result": "conform"}'
expect_refused u.json invalid results.5.9.9 "unknown indicator"
mk miss.json 'del(.results["5.3.2"])'
expect_refused miss.json invalid results.5.3.2 "missing indicator"
mk k.json '.results["5.1.1"].result = "pass"'
expect_refused k.json invalid results.5.1.1.result "unknown result"
mk s0.json '.results["5.2.4"] = {"result": "sampled", "samples": 0, "nonconforming": 0}'
expect_refused s0.json invalid results.5.2.4.samples "samples 0"
mk ss.json '.results["5.2.4"] = {"result": "sampled", "samples": "6", "nonconforming": 1}'
expect_refused ss.json invalid results.5.2.4.samples "samples as a string"
mk sf.json '.results["5.2.4"] = {"result": "sampled", "samples": 6.5, "nonconforming": 1}'
expect_refused sf.json invalid results.5.2.4.samples "samples not whole"
mk nc.json '.results["5.2.4"] = {"result": "sampled", "samples": 6, "nonconforming": 7}'
expect_refused nc.json invalid results.5.2.4.nonconforming "nonconforming > samples"
mk nn.json '.results["5.2.4"] = {"result": "sampled", "samples": 6, "nonconforming": -1}'
expect_refused nn.json invalid results.5.2.4.nonconforming "nonconforming < 0"
mk ex.json '.results["5.2.6"] = {"result": "excluded"}'
expect_refused ex.json invalid results.5.2.6.reason "exclusion without a reason"
mk exb.json '.results["5.2.6"] = {"result": "excluded", "reason": "　"}'
expect_refused exb.json invalid results.5.2.6.reason "exclusion with a blank reason"
mk sd.json '.special_deductions = [{"reason": "a"}, {}]'
expect_refused sd.json invalid 'special_deductions[1].reason' "deduction without a reason"
mk bo.json '.bonus = [{"reason": " "}]'
expect_refused bo.json invalid 'bonus[0].reason' "bonus with a blank reason"
mk all.json '.results |= map_values({"result": "excluded", "reason": "n/a"})'
expect_refused all.json invalid results "every indicator excluded"
mk top.json '.comment = "x"'
expect_refused top.json invalid comment "unknown top-level key"
mk ik.json '.results["5.1.1"].score = 6'
expect_refused ik.json invalid results.5.1.1.score "unknown key in a result"
mk sc.json '.results["5.1.1"].samples = 6'
expect_refused sc.json invalid results.5.1.1.samples "samples on a conform result"

run score "$TMP/nonexistent.json"
expect_rc 1 "missing input file"
expect_json .error.code io_error "missing input: code"
expect_json .error.field file "missing input: field"
head -c 1048577 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
run score "$TMP/big.json"
expect_rc 1 "input over 1 MiB"
expect_json .error.code too_large "input over 1 MiB: code"

finish
