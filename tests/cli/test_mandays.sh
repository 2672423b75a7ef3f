#!/usr/bin/env bash
# starcert mandays: audit time (domain.md section 3). Every expected figure
# is worked by hand from the rulebook's table: base by employees, plus
# 0.5 day per visited outlet (ceil(f * sqrt(n)), f = 1.0 / 0.6 / 0.8), less a
# justified reduction of at most 30 %, rounded to half days (quarters up).
source "$(dirname "$0")/lib.sh"
scheme_file="$(cd "$(dirname "$0")/../.." && pwd)/schemes/gbt27922-2011.json"

expect_days() { # FIELD DAYS DESC: compares as numbers (9 == 9.0)
  expect_json "(.$1 == $2)" true "$3: $1 = $2"
}

# initial, 86 employees (band 86-125: 8.5 days, planning 1.5), 10 outlets:
# ceil(sqrt 10) = 4 visited = 2 days; total 10.5, on site 9
run mandays --employees 86 --outlets 10 --type initial
expect_rc 0 "initial 86/10"
expect_json .type initial "initial 86/10: type"
expect_json .employees 86 "initial 86/10: employees"
expect_json .outlets 10 "initial 86/10: outlets"
expect_json .outlets_visited 4 "initial 86/10: visited"
expect_days base 8.5 "initial 86/10"
expect_days outlet_days 2 "initial 86/10"
expect_json .reduction_percent 0 "initial 86/10: reduction"
expect_days total 10.5 "initial 86/10"
expect_days planning 1.5 "initial 86/10"
expect_days onsite 9 "initial 86/10"
expect_json '[keys_unsorted[]] | join(",")' \
  "type,employees,outlets,outlets_visited,base,outlet_days,reduction_percent,total,planning,onsite" \
  "output keys in order"
expect_json '.base | type' number "base is a JSON number"

# surveillance beyond the table: 10,701 employees = 8.5 + 0.5 (one started
# block of 2,000); 25 outlets: ceil(0.6 * 5) = 3 exactly -> 1.5 days
run mandays --type surveillance --employees 10701 --outlets 25
expect_rc 0 "surveillance 10701/25"
expect_json .outlets_visited 3 "surveillance 10701/25: visited"
expect_days base 9 "surveillance 10701/25"
expect_days outlet_days 1.5 "surveillance 10701/25"
expect_days total 10.5 "surveillance 10701/25"
expect_days planning 0 "surveillance 10701/25"
expect_days onsite 10.5 "surveillance 10701/25"

# recertification, 100 employees (86-125: 5 days), 100 outlets:
# ceil(0.8 * 10) = 8 exactly -> 4 days; total 9
run mandays --employees=100 --type=recertification --outlets=100
expect_rc 0 "recertification 100/100 (--opt=value form)"
expect_json .outlets_visited 8 "recertification 100/100: visited"
expect_days total 9 "recertification 100/100"
expect_days planning 0 "recertification 100/100"

# band boundaries: 10 -> 3 days, 11 -> 4; 10700 -> 25, 12700 -> 26, 12701 -> 27
for pair in 10:3 11:4 25:4 26:6 10700:25 10701:26 12700:26 12701:27; do
  run mandays --type initial --employees "${pair%%:*}"
  expect_rc 0 "initial ${pair%%:*}"
  expect_days total "${pair##*:}" "initial ${pair%%:*}"
done

# reductions: 3 days - 30 % = 2.1 -> 2.0; 3 days - 25 % = 2.25 -> 2.5 (up)
run mandays --employees 10 --type initial --reduce 30 --reason "single site, low risk"
expect_rc 0 "reduce 30"
expect_json .reduction_percent 30 "reduce 30: percent"
expect_days total 2 "reduce 30"
expect_days planning 1 "reduce 30"
expect_days onsite 1 "reduce 30"
run mandays --employees 10 --type initial --reduce 25 --reason "low risk"
expect_rc 0 "reduce 25"
expect_days total 2.5 "reduce 25 (quarter day rounds up)"
# 5 days (3 + 16 outlets -> 4 visits) - 25 % = 3.75 -> 4.0
run mandays --employees 10 --outlets 16 --type initial --reduce 25 --reason "x"
expect_days total 4 "reduce 25 of 5 days"
# no reduction needs no reason; a reason alone changes nothing
run mandays --employees 10 --type initial --reduce 0
expect_rc 0 "reduce 0 without reason"
expect_days total 3 "reduce 0"
run mandays --employees 10 --type initial --reason "nothing to reduce"
expect_rc 0 "reason without reduce"
expect_days total 3 "reason without reduce"

# refused input: exit 1, JSON error naming the field
expect_error() { # FIELD DESC
  expect_rc 1 "$2"
  expect_json .error.code invalid "$2: code"
  expect_json .error.field "$1" "$2: field"
}
run mandays --employees 0 --type initial
expect_error employees "employees 0"
run mandays --employees -3 --type initial
expect_error employees "employees negative"
run mandays --employees 10000001 --type initial
expect_error employees "employees above the cap"
run mandays --employees 12abc --type initial
expect_error employees "employees not a number"
run mandays --employees " 12" --type initial
expect_error employees "employees with a space"
run mandays --employees 1.5 --type initial
expect_error employees "employees fractional"
run mandays --employees 99999999999999999999 --type initial
expect_error employees "employees overflowing"
run mandays --employees 10 --outlets -1 --type initial
expect_error outlets "negative outlets"
run mandays --employees 10 --outlets x --type initial
expect_error outlets "outlets not a number"
run mandays --employees 10 --type annual
expect_error type "unknown type"
run mandays --employees 10 --type Initial
expect_error type "type is case-sensitive"
run mandays --employees 10 --type initial --reduce 31 --reason "x"
expect_error reduce "reduce 31"
run mandays --employees 10 --type initial --reduce -1 --reason "x"
expect_error reduce "reduce negative"
run mandays --employees 10 --type initial --reduce 10
expect_error reason "reduce without reason"
run mandays --employees 10 --type initial --reduce 10 --reason "   "
expect_error reason "reduce with a blank reason"
run mandays --employees 10 --type initial --reduce 2.5 --reason "x"
expect_error reduce "reduce fractional"
# bytes that are not UTF-8 still give a JSON error (not echoed back)
run mandays --employees $'\xff' --type initial
expect_error employees "employees not UTF-8"
run mandays --employees 10 --type $'\xe4x'
expect_error type "type not UTF-8"

# scheme files: --scheme, the STARCERT_SCHEME twin, bad files
sed 's/"reduction_max_percent": 30/"reduction_max_percent": 40/' "$scheme_file" >"$TMP/s40.json"
run mandays --scheme "$TMP/s40.json" --employees 10 --type initial --reduce 40 --reason "x"
expect_rc 0 "own scheme allows 40 %"
expect_days total 2 "own scheme: 3 days - 40 % = 1.8 -> 2.0"
STARCERT_SCHEME="$TMP/s40.json" run mandays --employees 10 --type initial --reduce 35 --reason "x"
expect_rc 0 "STARCERT_SCHEME twin"
run mandays --employees 10 --type initial --reduce 35 --reason "x"
expect_error reduce "bundled scheme still caps at 30"
sed 's/"days_per_outlet": 0.5/"days_per_outlet": 0.25/' "$scheme_file" >"$TMP/bad.json"
run mandays --scheme "$TMP/bad.json" --employees 10 --type initial
expect_rc 1 "bad scheme file"
expect_json .error.code scheme_invalid "bad scheme file: code"
expect_json .error.field mandays.outlets.days_per_outlet "bad scheme file: field"
printf '{"id": "\xe4\xb8' >"$TMP/trunc.json"
run mandays --scheme "$TMP/trunc.json" --employees 10 --type initial
expect_rc 1 "scheme file with broken UTF-8"
expect_json .error.code scheme_invalid "broken UTF-8: code"
expect_json '.error.message | test("line 1, column 8")' true "broken UTF-8: position"
run mandays --scheme "$TMP/missing.json" --employees 10 --type initial
expect_rc 1 "missing scheme file"
expect_json .error.code io_error "missing scheme file: code"

# usage errors: exit 2, nothing on stdout
run mandays --type initial
expect_rc 2 "missing --employees"
run mandays --employees 10
expect_rc 2 "missing --type"
run mandays
expect_rc 2 "no options"
run mandays --employees 10 --type initial --frobnicate
expect_rc 2 "unknown option"
run mandays --employees 10 --type initial extra
expect_rc 2 "stray argument"
run mandays --employees 10 --type
expect_rc 2 "option without its value"
if [ -z "$out" ]; then ok; else bad "usage error printed on stdout"; fi

# help
run mandays --help
expect_rc 0 "--help"
case "$out" in *"usage: starcert mandays"*) ok ;; *) bad "--help prints the usage" ;; esac
run mandays -h --employees 0
expect_rc 0 "-h wins over bad values"

finish
