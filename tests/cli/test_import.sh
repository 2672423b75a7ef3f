#!/usr/bin/env bash
# starcert import: CSV (RFC 4180) of certificates from a previous system.
# Expected values come from docs/import.md and domain.md: expiry = cycle
# start + 36 months - 1 day, levels five_star..compliant (none is not a
# certificate), a score with one decimal at or above its level's threshold,
# 统一社会信用代码 with a valid check character, and all-or-nothing unless
# --partial.
source "$(dirname "$0")/lib.sh"
unset STARCERT_TODAY STARCERT_SCHEME STARCERT_DB STARCERT_AS

uscc() { # 17 characters -> the code with its check character (GB 32100)
  local a=0123456789ABCDEFGHJKLMNPQRTUWXY b=$1 s=0 w=1 i c v
  for ((i = 0; i < 17; i++)); do
    c=${b:i:1}; v=${a%%"$c"*}; v=${#v}
    s=$((s + v * w)); w=$((w * 3 % 31))
  done
  v=$((31 - s % 31)); [ $v -eq 31 ] && v=0
  printf '%s%s' "$b" "${a:v:1}"
}
dump() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }

U1=$(uscc 91370200163562681) U2=$(uscc 91440606722473344) U3=$(uscc 91440400192548256)
HEAD="number,organisation,uscc,address,employees,level,score,status,status_since,initial_issued,cycle_start,issued,expires,last_surveillance,surveillance_count,scope,outlets,confidential"
DB=$TMP/db.sqlite
run init --db "$DB" --today 2025-01-01
expect_rc 0 "init"

# --- a good file: BOM, CRLF, quoted fields with a comma, a doubled quote
# and a line break; two certificates of one organisation -------------------
{
  printf '\xef\xbb\xbf%s\r\n' "$HEAD"
  printf 'ASC-2024-000001,青岛海尔电器有限公司,%s,青岛市崂山区海尔路1号,5000,five_star,96.5,active,,2024-01-01,2024-01-01,2024-01-01,2026-12-31,,0,"家用电器的销售, 安装与维修",,0\r\n' "$U1"
  printf 'ASC-2023-000007,青岛海尔电器有限公司,%s,青岛市崂山区海尔路1号,5000,four_star,90.0,suspended,2024-06-01,2020-03-01,2023-03-01,2023-03-01,2026-02-28,2024-01-15,1,"商用空调的""安装""\n与维修",青岛,0\r\n' "$U1"
  printf 'ASC-2021-000003,美的集团股份有限公司,%s,佛山市顺德区北滘镇美的大道6号,20000,compliant,70.0,expired,,2021-05-10,2021-05-10,2021-05-10,2024-05-09,2023-12-01,2,空调,,1\r\n' "$U2"
} >"$TMP/good.csv"
before=$(dump)
run import --db "$DB" --today 2025-01-01 "$TMP/good.csv"
expect_rc 0 "good: exit"
expect_json .rows 3 "good: rows"
expect_json .loaded 3 "good: loaded"
expect_json .rejected 0 "good: rejected"
expect_json .organisations_created 2 "good: two organisations (matched by code)"
expect_json .organisations_matched 1 "good: one matched"
expect_json .sha256 "$(sha256sum "$TMP/good.csv" | cut -d' ' -f1)" "good: SHA-256 of the file's bytes"
expect_json '.scheme.id' gbt27922-2011 "good: scheme"
run registry get ASC-2023-000007 --db "$DB"
expect_rc 0 "good: get"
expect_json .scope "$(printf '商用空调的"安装"\n与维修')" "good: quoted field with quote and line break"
expect_json .status suspended "good: status"
expect_json .score 90.0 "good: score string"
expect_json .expires 2026-02-28 "good: expires"
run registry get ASC-2024-000001 --db "$DB"
expect_json .scope "家用电器的销售, 安装与维修" "good: comma inside quotes"
expect_json .uscc "$U1" "good: uscc"
[ "$(sqlite3 "$DB" "select state_since from certificates where number='ASC-2021-000003'")" = 2024-05-10 ] && ok || bad "expired: since defaults to expires + 1"
[ "$(sqlite3 "$DB" "select count(*) from events where action='certificate.import'")" = 1 ] && ok || bad "one import event"
[ "$(sqlite3 "$DB" "select count(*) from certificate_revisions")" = 3 ] && ok || bad "one revision row per certificate"
[ "$(sqlite3 "$DB" "select next_seq from certificate_sequences where year=2024")" = 2 ] && ok || bad "imported number reserves its sequence"
run audit-verify --db "$DB"
expect_rc 0 "good: event chain verifies"

# --- every bad row refuses the whole file, the database unchanged --------
refuse() { # DESC FIELD CODE ROW
  local desc=$1 field=$2 code=$3 row=$4
  printf '%s\nASC-2024-000100,格力电器股份有限公司,%s,珠海市前山金鸡西路,70000,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0\n%s\n' "$HEAD" "$U3" "$row" >"$TMP/bad.csv"
  local b; b=$(dump)
  run import --db "$DB" --today 2025-01-01 "$TMP/bad.csv"
  expect_rc 1 "$desc: exit"
  expect_json .error.code "$code" "$desc: code"
  expect_json .error.field "$field" "$desc: field"
  expect_json '.error.message | startswith("line 3: ")' true "$desc: line number"
  [ "$(dump)" = "$b" ] && ok || bad "$desc: database changed"
}
R="ASC-2024-000200,珠海格力电器股份有限公司,$(uscc 91440400MA4UJ9K3X)"
refuse "bad check char" uscc invalid "ASC-2024-000200,某公司,91440400MA4UJ9K3X0,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "29 February 2025" issued invalid "$R,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2025-02-29,2027-01-31,,0,空调,,0"
refuse "date with slashes" cycle_start invalid "$R,地址,10,five_star,97.0,active,,2024-02-01,2024/02/01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "level none" level invalid "$R,地址,10,none,50.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "unknown level" level invalid "$R,地址,10,six_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "two decimals" score invalid "$R,地址,10,five_star,97.05,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "score below level (94.9 is four-star)" score invalid "$R,地址,10,five_star,94.9,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "status not public" status invalid "$R,地址,10,five_star,97.0,valid,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "expiry a day late" expires invalid "$R,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-02-01,,0,空调,,0"
refuse "expiry a day early" expires invalid "$R,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-30,,0,空调,,0"
refuse "issued in the future" issued invalid "$R,地址,10,five_star,97.0,active,,2025-01-02,2025-01-02,2025-01-02,2028-01-01,,0,空调,,0"
refuse "surveillance date without count" last_surveillance invalid "$R,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,2024-10-01,0,空调,,0"
refuse "count without date" last_surveillance invalid "$R,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,1,空调,,0"
refuse "suspended without date" status_since invalid "$R,地址,10,five_star,97.0,suspended,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "confidential 2" confidential invalid "$R,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,2"
refuse "employees 0" employees invalid "$R,地址,0,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "empty scope" scope invalid "$R,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,,,0"
refuse "number twice in the file" number conflict "ASC-2024-000100,格力电器股份有限公司,$U3,珠海市前山金鸡西路,70000,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "number already in the database" number conflict "ASC-2024-000001,新公司,$(uscc 91110105MA01ABCDE),地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "known code, other name" organisation conflict "ASC-2024-000300,海尔另一个名字,$U1,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0"
refuse "too few fields" line invalid "ASC-2024-000300,海尔"

# a late-restored cycle: previous expiry 2024-01-31, restored 2024-05-10,
# expires where continuity puts it (2024-02-01 + 36 months - 1 day)
printf '%s\nASC-2021-000050,老板电器股份有限公司,%s,杭州市余杭区,3000,three_star,85.0,active,2024-05-10,2021-02-01,2024-05-10,2024-05-10,2027-01-31,,0,厨电,,0\n' "$HEAD" "$(uscc 91330000143094632)" >"$TMP/late.csv"
run import --db "$DB" --today 2025-01-01 "$TMP/late.csv"
expect_rc 0 "late restore: expiry of the continuity date accepted"
# ... but not beyond the 6 months of late recertification
printf '%s\nASC-2021-000051,方太厨具有限公司,%s,宁波市杭州湾新区,3000,three_star,85.0,active,,2021-02-01,2024-08-01,2024-08-01,2027-01-31,,0,厨电,,0\n' "$HEAD" "$(uscc 91330200704836531)" >"$TMP/late2.csv"
run import --db "$DB" --today 2025-01-01 "$TMP/late2.csv"
expect_rc 1 "restore after the late period: refused"
expect_json .error.field expires "late: field"

# --- malformed files: nothing loaded even with --partial -----------------
malformed() { # DESC FILE-CONTENT
  printf '%s' "$2" >"$TMP/m.csv"
  local b; b=$(dump)
  run import --db "$DB" --today 2025-01-01 --partial "$TMP/m.csv"
  expect_rc 1 "$1: exit"
  expect_json .error.code malformed "$1: code"
  [ "$(dump)" = "$b" ] && ok || bad "$1: database changed"
}
malformed "unterminated quote" "$HEAD"$'\n'"ASC-1,\"abc"$'\n'
malformed "quote inside unquoted field" "$HEAD"$'\n'"ASC-1,ab\"c,x"$'\n'
malformed "text after closing quote" "$HEAD"$'\n'"ASC-1,\"ab\"c,x"$'\n'
malformed "unknown column" "${HEAD},colour"$'\n'
malformed "missing column" "number,organisation"$'\n'
malformed "empty file" ""
malformed "stray carriage return" "$HEAD"$'\r'"x"$'\n'
long=$(head -c 70000 /dev/zero | tr '\0' 'a')
malformed "record over 64 KiB" "$HEAD"$'\n'"$long"$'\n'

# --- --partial: good rows load, bad ones are listed -----------------------
printf '%s\nASC-2024-000400,珠海格力电器股份有限公司,%s,珠海市前山金鸡西路,70000,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0\nASC-2024-000401,坏行,%s,地址,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-30,2027-01-31,,0,空调,,0\nASC-2024-000402,珠海格力电器股份有限公司,%s,珠海市前山金鸡西路,70000,four_star,91.0,active,,2024-03-01,2024-03-01,2024-03-01,2027-02-28,,0,冰箱,,0\n' "$HEAD" "$U3" "$(uscc 91110105MA01ABCDE)" "$U3" >"$TMP/partial.csv"
run import --db "$DB" --today 2025-01-01 --partial "$TMP/partial.csv"
expect_rc 0 "partial: exit"
expect_json .loaded 2 "partial: loaded"
expect_json .rejected 1 "partial: rejected"
expect_json '.errors[0].line' 3 "partial: bad line"
expect_json '.errors[0].field' issued "partial: bad field"
expect_json .organisations_created 1 "partial: the bad row's organisation not created"
[ "$(sqlite3 "$DB" "select count(*) from organisations where name='坏行'")" = 0 ] && ok || bad "partial: no organisation for the bad row"
run registry get ASC-2024-000401 --db "$DB"
expect_rc 1 "partial: bad row not loaded"
# without --partial the same file loads nothing
run import --db "$DB" --today 2025-01-01 "$TMP/partial.csv"
expect_rc 1 "same file without --partial"

# --- a database with no certificates yet: the import runs with a rollback
# journal (docs/import.md, Speed); the same all-or-nothing, WAL afterwards,
# and the batches (128 rows per statement) cut anywhere ---------------------
E=$TMP/empty.sqlite
run init --db "$E" --today 2025-01-01
expect_rc 0 "empty: init"
edump() { sqlite3 "$E" .dump | sha256sum | cut -d' ' -f1; }
rows70() { # 70 rows: 35 organisations with two certificates each
  local i
  printf '%s\n' "$HEAD"
  for ((i = 1; i <= 70; i++)); do
    printf 'ASC-2024-%06d,青岛第%d号电器有限公司,%s,青岛市,10,five_star,97.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0\n' \
      "$i" $(((i + 1) / 2)) "$(uscc "9137020016356$(printf %04d $(((i + 1) / 2)))")"
  done
}
rows70 >"$TMP/r70.csv"
# a bad row after the first batch (line 60: 29 February 2025), then the
# number of line 2 again on line 72 (in the same file, past two batches)
{ head -59 "$TMP/r70.csv"
  sed -n 60p "$TMP/r70.csv" | sed 's/2024-02-01,2027-01-31/2025-02-29,2027-01-31/'
  tail -n +61 "$TMP/r70.csv"
  sed -n 2p "$TMP/r70.csv"; } >"$TMP/r70bad.csv"
b=$(edump)
run import --db "$E" --today 2025-01-01 "$TMP/r70bad.csv"
expect_rc 1 "empty, bad row after a batch: exit"
expect_json .error.field issued "empty, bad row: field"
expect_json '.error.message | startswith("line 60: ")' true "empty, bad row: line"
expect_json '.error.message | contains("(1 bad row; nothing was loaded)")' true "empty: checks against the data stop at the first bad row"
[ "$(edump)" = "$b" ] && ok || bad "empty, refused: database changed"
[ "$(sqlite3 "$E" "pragma journal_mode")" = wal ] && ok || bad "empty, refused: back in WAL"
[ ! -e "$E-journal" ] && ok || bad "empty, refused: no journal left"
run import --db "$E" --today 2025-01-01 --partial "$TMP/r70bad.csv"
expect_rc 0 "empty, partial: exit"
expect_json .loaded 69 "empty, partial: loaded (71 rows, 2 bad)"
expect_json .rejected 2 "empty, partial: rejected"
expect_json '.errors[1].line' 72 "empty, partial: the repeated number's line"
expect_json '.errors[1].code' conflict "empty, partial: repeated number is a conflict"
expect_json '.errors[1].message | contains("earlier line")' true "empty, partial: on an earlier line"
expect_json .organisations_created 35 "empty, partial: 35 organisations"
expect_json .organisations_matched 34 "empty, partial: 34 rows matched (line 60 refused)"
[ "$(sqlite3 "$E" "pragma journal_mode")" = wal ] && ok || bad "empty, partial: back in WAL"
[ "$(sqlite3 "$E" "select count(*) from certificates")" = 69 ] && ok || bad "empty, partial: 69 certificates"
[ "$(sqlite3 "$E" "select count(*) from certificate_revisions")" = 69 ] && ok || bad "empty, partial: 69 revisions"
[ "$(sqlite3 "$E" "select count(*) from events where action='certificate.import'")" = 1 ] && ok || bad "empty, partial: one event"
[ "$(sqlite3 "$E" "pragma foreign_key_check" | wc -l)" = 0 ] && ok || bad "empty, partial: foreign keys hold"
[ "$(sqlite3 "$E" "select count(*) from sqlite_master where name in ('organisations_search_insert','certificates_state','certificates_next_due')")" = 3 ] && ok || bad "empty: trigger and indexes restored"
# the search indexes are complete: 1 and 2 characters (gram index) and 3+
# (trigram), for the first organisation, one in a batch and the last
for q in 第1号 第18号电器 第35号电器有限公司; do
  run registry search "青岛$q" --db "$E"
  expect_json 'length' 2 "empty: search 青岛$q finds its two certificates"
done
run registry search 第3 --db "$E" --limit 100
expect_json 'length' 13 "empty: 2-character search 第3 (第3号, 第30-35号: 7 organisations, 第30号 with one certificate: line 60 was refused)"
sqlite3 "$E" "insert into org_name_trigram(org_name_trigram) values('integrity-check'); insert into org_name_grams(org_name_grams) values('integrity-check')" && ok || bad "empty: FTS integrity"
run audit-verify --db "$E"
expect_rc 0 "empty: event chain verifies"
# the same file again: the database has certificates now (WAL path)
b=$(edump)
run import --db "$E" --today 2025-01-01 "$TMP/r70.csv"
expect_rc 1 "non-empty: numbers already in the database"
expect_json .error.field number "non-empty: field"
expect_json '.error.message | contains("already in the database")' true "non-empty: message"
[ "$(edump)" = "$b" ] && ok || bad "non-empty, refused: database changed"
run tick --db "$E" --today 2025-01-01
expect_rc 0 "empty: tick"
expect_json '[.[] | numbers] | add' 0 "empty: tick on the import day changes nothing"

# --- a file of many reading batches (rows are read and checked on a
# second thread, 256 rows a batch, at most 4 batches ahead of the writer):
# a refusal far into the file, whichever thread finds it, keeps its exact
# line and leaves the database unchanged ------------------------------------
L=$TMP/large.sqlite
run init --db "$L" --today 2025-01-01
expect_rc 0 "large: init"
ldump() { sqlite3 "$L" .dump | sha256sum | cut -d' ' -f1; }
rowsn() { # N rows: N/2 organisations with two certificates each
  local i
  printf '%s\n' "$HEAD"
  for ((i = 1; i <= $1; i++)); do
    printf 'ASC-2023-%06d,烟台第%d号电器有限公司,%s,烟台市,10,four_star,92.0,active,,2024-02-01,2024-02-01,2024-02-01,2027-01-31,,0,空调,,0\n' \
      "$i" $(((i + 1) / 2)) "$(uscc "9137060016356$(printf %04d $(((i + 1) / 2)))")"
  done
}
rowsn 2000 >"$TMP/r2000.csv"
# line 1901: a bad date (found while reading); line 2002: the number of
# line 1500 again (found by the writer, against the rows written)
{ head -1900 "$TMP/r2000.csv"
  sed -n 1901p "$TMP/r2000.csv" | sed 's/2024-02-01,2027-01-31/2025-02-29,2027-01-31/'
  tail -n +1902 "$TMP/r2000.csv"
  sed -n 1500p "$TMP/r2000.csv"; } >"$TMP/r2000bad.csv"
{ head -1999 "$TMP/r2000.csv"; sed -n 1500p "$TMP/r2000.csv"; } >"$TMP/r2000dup.csv"
{ head -1950 "$TMP/r2000.csv"; echo 'ASC-2023-999999,烟台"坏"公司,x'; tail -n +1951 "$TMP/r2000.csv"; } >"$TMP/r2000mal.csv"
b=$(ldump)
run import --db "$L" --today 2025-01-01 "$TMP/r2000bad.csv"
expect_rc 1 "large, bad row on line 1901: exit"
expect_json .error.field issued "large, bad row: field"
expect_json '.error.message | startswith("line 1901: ")' true "large, bad row: its line"
expect_json '.error.message | contains("(1 bad row; nothing was loaded)")' true "large, bad row: nothing loaded"
[ "$(ldump)" = "$b" ] && ok || bad "large, bad row: database changed"
run import --db "$L" --today 2025-01-01 "$TMP/r2000dup.csv"
expect_rc 1 "large, number repeated on line 2000: exit"
expect_json .error.code conflict "large, repeated number: code"
expect_json '.error.message | startswith("line 2000: ")' true "large, repeated number: its line"
expect_json '.error.message | contains("earlier line")' true "large, repeated number: on an earlier line"
[ "$(ldump)" = "$b" ] && ok || bad "large, repeated number: database changed"
run import --db "$L" --today 2025-01-01 --partial "$TMP/r2000mal.csv"
expect_rc 1 "large, malformed record on line 1951: exit, even with --partial"
expect_json .error.code malformed "large, malformed: code"
expect_json .error.field "line 1951" "large, malformed: its line"
[ "$(ldump)" = "$b" ] && ok || bad "large, malformed: database changed"
run import --db "$L" --today 2025-01-01 --partial "$TMP/r2000bad.csv"
expect_rc 0 "large, partial: exit"
expect_json .rows 2001 "large, partial: rows"
expect_json .loaded 1999 "large, partial: loaded"
expect_json '[.errors[].line] | map(tostring) | join(",")' '1901,2002' "large, partial: the two lines"
expect_json .organisations_created 1000 "large, partial: organisations"
[ "$(sqlite3 "$L" "select count(*) from certificate_revisions r join certificates c on c.id = r.certificate_id and c.revision = r.revision and c.level = r.level and c.score_tenths = r.score_tenths and c.scope = r.scope and c.issued = r.issued and c.expires = r.expires")" = 1999 ] && ok || bad "large, partial: one revision per certificate, its values"
[ "$(sqlite3 "$L" "select count(*) from certificates where number = 'ASC-2023-001900'")" = 0 ] && ok || bad "large, partial: line 1901 not loaded"
[ "$(sqlite3 "$L" "pragma foreign_key_check" | wc -l)" = 0 ] && ok || bad "large, partial: foreign keys hold"
run audit-verify --db "$L"
expect_rc 0 "large: event chain verifies"

# --- who, usage ------------------------------------------------------------
run import --db "$DB" --today 2025-01-01 --as nobody "$TMP/good.csv"
expect_rc 1 "unknown --as"
expect_json .error.code unauthenticated "unknown --as: code"
run import --db "$DB" "$TMP/nonexistent.csv"
expect_rc 1 "missing file"
expect_json .error.code io_error "missing file: code"
run import --db "$DB"
expect_rc 2 "no file: usage"
run import "$TMP/good.csv"
expect_rc 2 "no --db: usage"
run import --db "$DB" --bogus "$TMP/good.csv"
expect_rc 2 "unknown option"
run import --help
expect_rc 0 "--help"
run import --db "$TMP/none.sqlite" "$TMP/good.csv"
expect_rc 1 "no database"
run audit-verify --db "$DB"
expect_rc 0 "event chain verifies at the end"
finish
