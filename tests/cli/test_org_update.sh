#!/usr/bin/env bash
# starcert org update: an organisation's name, English name, address and
# employees change; its 统一社会信用代码 never does. On the demo database
# (docs/demo.md): who may change what (the holder only its address and head
# count), the event's before/after, the registry search following a name
# change (both the trigram index and the 1-2 character index), and every
# refusal proven harmless (the database dump hashes the same).
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
export STARCERT_DB=$DB
export STARCERT_TODAY=2025-06-30
unset STARCERT_AS

dbhash() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }
sql() { sqlite3 "$DB" "$1"; }

refused() { # CODE FIELD DESC ARGS...
  local code=$1 field=$2 desc=$3; shift 3
  local before after
  before=$(dbhash)
  run "$@"
  expect_rc 1 "$desc"
  expect_json .error.code "$code" "$desc: code"
  expect_json .error.field "$field" "$desc: field"
  after=$(dbhash)
  if [ "$before" = "$after" ]; then ok; else bad "$desc: database changed"; fi
}

usage() { # DESC ARGS...
  local desc=$1; shift
  local before after
  before=$(dbhash)
  run "$@"
  expect_rc 2 "$desc"
  after=$(dbhash)
  if [ "$before" = "$after" ]; then ok; else bad "$desc: database changed"; fi
}

run demo --db "$DB" --today 2025-06-30
expect_rc 0 "demo database"

ORG=$(sql "SELECT organisation_id FROM certificates WHERE confidential = 0 ORDER BY id LIMIT 1")
OLD=$(sql "SELECT name FROM organisations WHERE id = $ORG")
USCC=$(sql "SELECT uscc FROM organisations WHERE id = $ORG")
OTHER=$(sql "SELECT id FROM organisations WHERE id <> $ORG ORDER BY id LIMIT 1")
OTHER_USCC=$(sql "SELECT uscc FROM organisations WHERE id = $OTHER")
ENT=$(sql "SELECT login FROM users WHERE role = 'enterprise' AND organisation_id = $ORG LIMIT 1")
NUMBER=$(sql "SELECT number FROM certificates WHERE organisation_id = $ORG ORDER BY id LIMIT 1")
[ -n "$ORG" ] && [ -n "$ENT" ] && [ -n "$NUMBER" ] && ok || bad "demo targets"

run registry search "$OLD"
expect_json '[.[] | select(.number == "'"$NUMBER"'")] | length' 1 "the old name finds the certificate before"

# ---- refusals ---------------------------------------------------------------

refused forbidden as "review may not update organisations" \
  org update "$ORG" --address "别处" --as zhang.min
refused forbidden as "an auditor may not update organisations" \
  org update "$ORG" --employees 10 --as zhao.qiang
refused forbidden name "the holder may not rename itself" \
  org update "$ORG" --name "自己改的名字有限公司" --as "$ENT"
refused forbidden name_en "the holder may not change its English name" \
  org update "$ORG" --name-en "Renamed Co." --as "$ENT"
refused forbidden as "the holder may not update another organisation" \
  org update "$OTHER" --address "别处" --as "$ENT"
refused forbidden as "the holder naming an unknown organisation learns nothing" \
  org update 9999 --address "别处" --as "$ENT"
refused invalid uscc "another 统一社会信用代码" \
  org update "$ORG" --uscc "$OTHER_USCC" --name "换码有限公司" --as wang.lei
if printf '%s' "$out" | jq -r .error.message | grep -q "never changes"; then ok; else bad "uscc: a clear message"; fi
refused invalid uscc "another 统一社会信用代码 alone" \
  org update "$ORG" --uscc 91110000802100433B --as wang.lei
refused invalid name "a blank name" org update "$ORG" --name "   " --as wang.lei
refused invalid address "an empty address" org update "$ORG" --address "" --as wang.lei
refused invalid employees "employees 0" org update "$ORG" --employees 0 --as wang.lei
refused invalid employees "employees too many" org update "$ORG" --employees 10000001 --as wang.lei
refused not_found organisation "an unknown organisation" org update 9999 --address x --as wang.lei
usage "nothing to change" org update "$ORG" --as wang.lei
usage "no organisation" org update --address x --as wang.lei
usage "two organisations" org update "$ORG" "$OTHER" --address x --as wang.lei
usage "an unknown option" org update "$ORG" --phone 123 --as wang.lei
run org update --help
expect_rc 0 "org update --help"

# ---- the holder: address and head count -------------------------------------

events_before=$(sql "SELECT COUNT(*) FROM events")
run org update "$USCC" --address "新地址 1号" --employees 321 --as "$ENT"
expect_rc 0 "the holder updates its address and employees (named by USCC)"
expect_json .address "新地址 1号" "address changed"
expect_json .employees 321 "employees changed"
expect_json .name "$OLD" "name unchanged"
expect_json .uscc "$USCC" "code unchanged"
got=$(sql "SELECT action || '|' || entity || '|' || entity_id FROM events ORDER BY id DESC LIMIT 1")
[ "$got" = "organisation.update|organisation|$ORG" ] && ok || bad "update event ($got)"
got=$(sql "SELECT json_extract(detail, '$.after.address') || '|' || json_extract(detail, '$.after.employees') || '|' || (json_extract(detail, '$.before.employees') IS NOT NULL) || '|' || (json_extract(detail, '$.after.name') IS NULL) FROM events ORDER BY id DESC LIMIT 1")
[ "$got" = "新地址 1号|321|1|1" ] && ok || bad "before/after hold the changed fields only ($got)"

# the same values again: nothing changes, nothing is written
before=$(dbhash)
run org update "$ORG" --address "新地址 1号" --employees 321 --as wang.lei
expect_rc 0 "an update to the same values succeeds"
[ "$(dbhash)" = "$before" ] && ok || bad "a no-op update writes nothing"
run org update "$ORG" --uscc "$USCC" --as wang.lei
expect_rc 0 "the registered code itself is accepted (no change)"

# ---- market: the name, and the registry search follows ----------------------

NEW="星河云帆售后服务有限公司"
run org update "$ORG" --name "$NEW" --name-en "Xinghe Yunfan Service Co., Ltd." --as wang.lei
expect_rc 0 "market renames the organisation"
expect_json .name "$NEW" "new name"
expect_json .name_en "Xinghe Yunfan Service Co., Ltd." "new English name"
got=$(sql "SELECT json_extract(detail, '$.before.name') || '|' || json_extract(detail, '$.after.name') FROM events ORDER BY id DESC LIMIT 1")
[ "$got" = "$OLD|$NEW" ] && ok || bad "rename event before/after ($got)"

for q in "$NEW" "云帆售后" "星河" "帆"; do
  run registry search "$q"
  expect_rc 0 "search $q"
  expect_json '[.[] | select(.number == "'"$NUMBER"'")] | length' 1 "the new name ($q) finds the certificate"
  expect_json '[.[] | select(.number == "'"$NUMBER"'")][0].organisation' "$NEW" "search $q shows the new name"
done
run registry search "$OLD"
expect_json '[.[] | select(.number == "'"$NUMBER"'")] | length' 0 "the old name no longer finds it"
OLD2=$(printf '%s' "$OLD" | cut -c1-6) # the old name's first two characters
run registry search "$OLD2"
expect_json '[.[] | select(.number == "'"$NUMBER"'")] | length' 0 "two characters of the old name no longer find it"
run registry get "$NUMBER"
expect_json .organisation "$NEW" "the registry look-up shows the new name"

# the English name removed with ""
run org update "$ORG" --name-en "" --as chen.jing
expect_rc 0 "admin removes the English name"
expect_json .name_en null "English name removed"

events_after=$(sql "SELECT COUNT(*) FROM events")
[ "$events_after" = $((events_before + 3)) ] && ok || bad "three update events ($events_before -> $events_after)"
run audit-verify --db "$DB"
expect_rc 0 "the event chain verifies"

finish
