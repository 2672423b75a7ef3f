#!/usr/bin/env bash
# starcert registry get|search: the public look-ups of domain.md section 6.
# Search by exact number, 统一社会信用代码, or a substring of the
# organisation's name of any length (1 and 2 Chinese characters included);
# confidential certificates only by their exact number; the user's text is
# never query syntax.
source "$(dirname "$0")/lib.sh"
unset STARCERT_TODAY STARCERT_SCHEME STARCERT_DB

uscc() {
  local a=0123456789ABCDEFGHJKLMNPQRTUWXY b=$1 s=0 w=1 i c v
  for ((i = 0; i < 17; i++)); do
    c=${b:i:1}; v=${a%%"$c"*}; v=${#v}
    s=$((s + v * w)); w=$((w * 3 % 31))
  done
  v=$((31 - s % 31)); [ $v -eq 31 ] && v=0
  printf '%s%s' "$b" "${a:v:1}"
}
DB=$TMP/db.sqlite
run init --db "$DB" --today 2025-01-01
HAIER=$(uscc 91370200163562681) MIDEA=$(uscc 91440606722473344) GREE=$(uscc 91440400192548256)
TCL=$(uscc 91441300195971850) SECRET=$(uscc 91110108MA01XYRAB) ZHUHAI=$(uscc 91440400MA4W3Q2K1)
row() { # number name code level score confidential
  printf '%s,%s,%s,地址,100,%s,%s,active,,2024-01-01,2024-01-01,2024-01-01,2026-12-31,,0,家用电器的销售与维修,,%s\n' "$@"
}
{
  echo "number,organisation,uscc,address,employees,level,score,status,status_since,initial_issued,cycle_start,issued,expires,last_surveillance,surveillance_count,scope,outlets,confidential"
  row ASC-2024-000001 青岛海尔电器有限公司 "$HAIER" five_star 96.5 0
  row ASC-2024-000002 美的集团股份有限公司 "$MIDEA" four_star 90.0 0
  row ASC-2024-000003 珠海格力电器股份有限公司 "$GREE" five_star 95.0 0
  row ASC-2024-000004 TCL科技集团股份有限公司 "$TCL" three_star 80.0 0
  row ASC-2024-000005 海尔保密科技有限公司 "$SECRET" compliant 70.0 1
  row ASC-2024-000006 '"珠海""星号*""OR NEAR(商贸)-有限公司"' "$ZHUHAI" compliant 75.5 0
} >"$TMP/r.csv"
run import --db "$DB" --today 2025-01-01 "$TMP/r.csv"
expect_rc 0 "import"
expect_json .loaded 6 "import: loaded"
before=$(sqlite3 "$DB" .dump | sha256sum)

# --- get -------------------------------------------------------------------
run registry get ASC-2024-000001 --db "$DB"
expect_rc 0 "get: exit"
expect_json 'keys_unsorted | join(",")' "number,revision,organisation,uscc,level,score,status,issued,expires,scope" "get: fields in order"
expect_json .organisation 青岛海尔电器有限公司 "get: organisation"
expect_json .revision 1 "get: revision"
expect_json .score 96.5 "get: score with one decimal"
expect_json '.score | type' string "get: score is a string"
expect_json .level five_star "get: level"
expect_json .issued 2024-01-01 "get: issued"
expect_json .expires 2026-12-31 "get: expires"
run registry get ASC-2024-000004 --db "$DB"
expect_json .score 80.0 "get: 80.0 keeps its decimal"
run registry get ASC-2024-000005 --db "$DB"
expect_rc 0 "get: confidential by exact number"
expect_json .organisation 海尔保密科技有限公司 "get: confidential organisation"
run registry get ASC-2024-999999 --db "$DB"
expect_rc 1 "get: unknown"
expect_json .error.code not_found "get unknown: code"
expect_json .error.field number "get unknown: field"
run registry get asc-2024-000001 --db "$DB"
expect_rc 1 "get: the number is exact (case)"

# --- search by name --------------------------------------------------------
names() { printf '%s' "$out" | jq -r '[.[].organisation] | join("|")'; }
expect_names() { # TEXT EXPECTED DESC
  run registry search "$1" --db "$DB"
  expect_rc 0 "$3: exit"
  local got; got=$(names)
  if [ "$got" = "$2" ]; then ok; else bad "$3: got '$got', wanted '$2'"; fi
}
expect_names 海尔 青岛海尔电器有限公司 "2 chars 海尔 (confidential 海尔保密 hidden)"
expect_names 美的 美的集团股份有限公司 "2 chars 美的"
expect_names 格力 珠海格力电器股份有限公司 "2 chars 格力"
expect_names 格 珠海格力电器股份有限公司 "1 char 格"
expect_names 尔 青岛海尔电器有限公司 "1 char 尔 (last-but-several position)"
expect_names 珠海 '珠海格力电器股份有限公司|珠海"星号*"OR NEAR(商贸)-有限公司' "2 chars 珠海: two firms"
expect_names 青岛海尔 青岛海尔电器有限公司 "4 chars"
expect_names 海尔电器 青岛海尔电器有限公司 "4 chars inside"
expect_names 格力电器股份 珠海格力电器股份有限公司 "6 chars"
expect_names 电器 '青岛海尔电器有限公司|珠海格力电器股份有限公司' "2 chars in two names"
expect_names tcl TCL科技集团股份有限公司 "Latin, lower case"
expect_names Tc TCL科技集团股份有限公司 "2 Latin chars, mixed case"
expect_names TCL科技 TCL科技集团股份有限公司 "mixed Latin and Chinese"
expect_names "  海尔　" 青岛海尔电器有限公司 "spaces and U+3000 trimmed"
expect_names 海尔美的 "" "no name holds 海尔美的"
expect_names 司 '青岛海尔电器有限公司|美的集团股份有限公司|珠海格力电器股份有限公司|TCL科技集团股份有限公司|珠海"星号*"OR NEAR(商贸)-有限公司' "1 char in every name, confidential still hidden"
expect_names 保密 "" "confidential: not by name"
run registry search "$SECRET" --db "$DB"
expect_json 'length' 0 "confidential: not by code"
run registry search ASC-2024-000005 --db "$DB"
expect_json '[.[].number] | join(",")' ASC-2024-000005 "confidential: search by exact number finds it"
run registry search 海尔 --db "$DB"
expect_json '[.[].number] | join(",")' ASC-2024-000001 "海尔: numbers"

# --- search by number and code --------------------------------------------
run registry search ASC-2024-000003 --db "$DB"
expect_json '[.[].organisation] | join(",")' 珠海格力电器股份有限公司 "by number"
run registry search "$MIDEA" --db "$DB"
expect_json '[.[].number] | join(",")' ASC-2024-000002 "by code"
lower=$(printf '%s' "$MIDEA" | tr 'A-Z' 'a-z')
run registry search "$lower" --db "$DB"
expect_json '[.[].number] | join(",")' ASC-2024-000002 "by code in lower case"

# --- FTS syntax is never interpreted ---------------------------------------
for q in '"' '""' '*' 'OR' 'NEAR(' '-' '海尔" OR "美的' '海尔 OR 美的' 'NEAR(海尔 美的)' '^海' '美的*' 'a:b' "'" '(' '海尔 AND 美的' ')'; do
  run registry search "$q" --db "$DB"
  expect_rc 0 "injection '$q': exit"
  # every result must literally contain the text (case-insensitive)
  okall=$(printf '%s' "$out" | jq --arg q "$q" '[.[] | (.organisation | ascii_downcase | contains($q | ascii_downcase)) or .number == $q or .uscc == $q] | all')
  [ "$okall" = true ] && ok || bad "injection '$q': a result without the literal text: $out"
done
expect_names '"星号*"OR NEAR(' '珠海"星号*"OR NEAR(商贸)-有限公司' "quote, star, OR, NEAR( literally (trigram)"
expect_names '*"' '珠海"星号*"OR NEAR(商贸)-有限公司' "2 chars: star and quote literally (grams)"
expect_names ')-' '珠海"星号*"OR NEAR(商贸)-有限公司' "2 chars: parenthesis and minus"
expect_names '"' '珠海"星号*"OR NEAR(商贸)-有限公司' "1 char: a lone quote"
expect_names 'OR' '珠海"星号*"OR NEAR(商贸)-有限公司' "OR is a substring, not an operator"
[ "$(sqlite3 "$DB" .dump | sha256sum)" = "$before" ] && ok || bad "searches changed the database"

# --- limits and bad input ---------------------------------------------------
run registry search 司 --limit 2 --db "$DB"
expect_json length 2 "--limit 2"
run registry search 司 --limit 0 --db "$DB"
expect_rc 1 "--limit 0"
expect_json .error.field limit "--limit 0: field"
run registry search 司 --limit 101 --db "$DB"
expect_rc 1 "--limit 101"
run registry search "   " --db "$DB"
expect_rc 1 "blank text"
expect_json .error.field text "blank: field"
run registry search "$(printf 'a\001b')" --db "$DB"
expect_rc 1 "control character"
expect_json .error.code invalid "control: code"
run registry search "$(printf '\xff\xfe')" --db "$DB"
expect_rc 1 "not UTF-8"
run registry search "$(head -c 300 /dev/zero | tr '\0' 'a')" --db "$DB"
expect_rc 1 "over 200 bytes"
run registry --db "$DB"
expect_rc 2 "no action"
run registry fetch X --db "$DB"
expect_rc 2 "unknown action"
run registry get --db "$DB"
expect_rc 2 "get without number"
run registry get A B --db "$DB"
expect_rc 2 "get with two numbers"
run registry get A --limit 3 --db "$DB"
expect_rc 2 "--limit with get"
run registry get ASC-2024-000001
expect_rc 2 "no --db"
run registry --help
expect_rc 0 "--help"
finish
