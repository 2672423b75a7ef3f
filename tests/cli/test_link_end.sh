#!/usr/bin/env bash
# starcert link end: an ongoing impartiality link gets its last day. On the
# demo database (docs/demo.md): who may end which link, the refusals (each
# proven harmless: the database dump hashes the same), and the cooling-off
# period computed by src/core/impartiality from the new end: an auditor
# whose link ended on E may not join an audit team whose first day is
# E + 24 months, and may from the day after; a planned end in the future
# still bars.
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

APP=$(sql "SELECT id FROM applications WHERE state = 'documents_approved' LIMIT 1")
ORG=$(sql "SELECT organisation_id FROM applications WHERE id = $APP")
ENT=$(sql "SELECT login FROM users WHERE role = 'enterprise' AND organisation_id = $ORG LIMIT 1")
[ -n "$APP" ] && [ -n "$ENT" ] && ok || bad "demo targets"

plan() { # FIRST_DAY MEMBER: plans the application's audit, two days
  local last
  last=$(date -d "$1 + 1 day" +%F)
  run audit plan --as zhang.min --application "$APP" --from "$1" --to "$last" \
    --lead zhao.qiang --member "$2"
}

# ---- declare, then refusals -------------------------------------------------

run link add --as wu.fang --org "$ORG" --kind consulted --from 2020-01-01 --ongoing
expect_rc 0 "wu.fang declares an ongoing link"
LINK=$(printf '%s' "$out" | jq -r .id)
run link add --as chen.jing --user sun.li --org "$ORG" --kind employed --from 2024-01-01 --ongoing
expect_rc 0 "the admin records an ongoing link for sun.li"
LINK2=$(printf '%s' "$out" | jq -r .id)

before=$(dbhash)
plan 2025-07-21 wu.fang
expect_rc 1 "an ongoing link bars"
expect_json .error.code impartiality_conflict "ongoing: code"
expect_json .error.field "team[1].person" "ongoing: field"
[ "$(dbhash)" = "$before" ] && ok || bad "the refused plan changed the database"

refused forbidden as "another staff member may not end wu.fang's link" \
  link end "$LINK" --to 2023-07-20 --as zhou.jie
expect_json .error.message "role auditor may take action link.end only for itself" "other's link: message"
refused forbidden as "a staff member naming no link learns nothing" \
  link end 9999 --to 2023-07-20 --as zhou.jie
refused forbidden as "an enterprise user may not end links" \
  link end "$LINK" --to 2023-07-20 --as "$ENT"
refused not_found link "the admin naming no link" \
  link end 9999 --to 2023-07-20 --as chen.jing
refused invalid to "an end before the start" \
  link end "$LINK" --to 2019-12-31 --as wu.fang
refused invalid to "an impossible date" \
  link end "$LINK" --to 2023-02-29 --as wu.fang
refused invalid link "a link id that is no number" \
  link end abc --to 2023-07-20 --as wu.fang
usage "link end without --to" link end "$LINK" --as wu.fang
usage "link end without an id" link end --to 2023-07-20 --as wu.fang
usage "link end with two ids" link end "$LINK" "$LINK2" --to 2023-07-20 --as wu.fang
run link end --help
expect_rc 0 "link end --help"

# ---- a planned end in the future still bars ---------------------------------

run link end "$LINK2" --to 2025-12-31 --as chen.jing
expect_rc 0 "the admin ends sun.li's link on a future day"
expect_json .to 2025-12-31 "future end: to"
expect_json .ongoing false "future end: no longer ongoing"
before=$(dbhash)
plan 2025-07-21 sun.li
expect_rc 1 "a link ending in the future bars"
expect_json .error.code impartiality_conflict "future end: code"
[ "$(dbhash)" = "$before" ] && ok || bad "the refused plan changed the database"

# ---- the declarer ends the link; the cooling-off period follows -------------

events_before=$(sql "SELECT COUNT(*) FROM events")
run link end "$LINK" --to 2023-07-20 --as wu.fang
expect_rc 0 "wu.fang ends their own link"
expect_json .id "$LINK" "end: the link"
expect_json .from 2020-01-01 "end: from unchanged"
expect_json .to 2023-07-20 "end: to"
expect_json .ongoing false "end: not ongoing"
got=$(sql "SELECT action || '|' || entity_id || '|' || json_extract(detail, '$.before.ongoing') || '|' || json_extract(detail, '$.after.to') FROM events ORDER BY id DESC LIMIT 1")
[ "$got" = "link.end|$LINK|1|2023-07-20" ] && ok || bad "link.end event ($got)"
[ "$(sql "SELECT COUNT(*) FROM events")" = $((events_before + 1)) ] && ok || bad "one event"

refused state_conflict link "an ended link cannot be ended again" \
  link end "$LINK" --to 2024-01-01 --as wu.fang
refused state_conflict link "not even by the admin" \
  link end "$LINK" --to 2023-07-20 --as chen.jing

# ended 2023-07-20: barred through 2025-07-20 (= end + 24 months), free from
# 2025-07-21
before=$(dbhash)
plan 2025-07-20 wu.fang
expect_rc 1 "not assignable on end + 24 months"
expect_json .error.code impartiality_conflict "end + 24 months: code"
expect_json .error.field "team[1].person" "end + 24 months: field"
if printf '%s' "$out" | jq -r .error.message | grep -q "2025-07-21"; then ok; else bad "the message names the first free day"; fi
[ "$(dbhash)" = "$before" ] && ok || bad "the refused plan changed the database"
plan 2025-07-21 wu.fang
expect_rc 0 "assignable the day after end + 24 months"
expect_json '.team | length' 2 "the team holds wu.fang"

run link list --as chen.jing --user wu.fang
expect_json '.[0].to' 2023-07-20 "the register shows the end"
run audit-verify --db "$DB"
expect_rc 0 "the event chain verifies"

finish
