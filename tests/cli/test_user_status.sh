#!/usr/bin/env bash
# starcert user deactivate / reactivate: an admin ends an account and
# restores it. On the demo database (docs/demo.md): who may, what ends
# (acting with --as, API tokens, places on audit teams, reviews and votes),
# what stays (the history), the refusals (each proven harmless: the
# database dump hashes the same before and after). Sessions and log-in are
# tested over HTTP (tests/api/test_user_status.test.mjs).
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
export STARCERT_DB=$DB
export STARCERT_TODAY=2025-06-30
unset STARCERT_AS

dbhash() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }
sql() { sqlite3 "$DB" "$1"; }

# refused CODE FIELD DESC ARGS...: exit 1, the JSON error, and no change.
refused() {
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

usage() { # DESC ARGS...: exit 2, no change
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

ADMIN=chen.jing
APP_DOCS=$(sql "SELECT id FROM applications WHERE state = 'documents_approved' LIMIT 1")
APP_CONTRACTED=$(sql "SELECT id FROM applications WHERE state = 'contracted' LIMIT 1")
AUDIT_REPORTED=$(sql "SELECT a.id FROM audits a JOIN applications p ON p.id = a.application_id WHERE p.state = 'audit_reported' LIMIT 1")
[ -n "$APP_DOCS" ] && [ -n "$APP_CONTRACTED" ] && [ -n "$AUDIT_REPORTED" ] && ok || bad "demo targets"

run user add --as $ADMIN --login ops.admin --name "运维 管理员" --role admin
expect_rc 0 "a second admin"
run token create --as $ADMIN --user wu.fang --label "报表程序"
expect_rc 0 "a token for wu.fang"
TOKEN_ID=$(printf '%s' "$out" | jq -r .id)

# ---- refusals ---------------------------------------------------------------

refused forbidden as "market may not deactivate" \
  user deactivate wu.fang --reason "离职" --as wang.lei
expect_json .error.message "role market may not take action user.deactivate" "market: message"
refused forbidden as "committee may not deactivate" \
  user deactivate wu.fang --reason "离职" --as zheng.guoping
refused forbidden as "a user may not deactivate themself unless admin (policy first)" \
  user deactivate wu.fang --reason "离职" --as wu.fang
refused invalid reason "a blank reason" \
  user deactivate wu.fang --reason "　 " --as $ADMIN
refused not_found login "an unknown login" \
  user deactivate nobody --reason "离职" --as $ADMIN
refused invalid user "an admin deactivating themself" \
  user deactivate $ADMIN --reason "自己" --as $ADMIN
expect_json .error.message "an admin cannot deactivate themself: another admin must" "self: message"
refused state_conflict user "reactivating an active user" \
  user reactivate wu.fang --as $ADMIN
refused forbidden as "market may not reactivate" \
  user reactivate wu.fang --as wang.lei
usage "deactivate without --reason" user deactivate wu.fang --as $ADMIN
usage "deactivate without a login" user deactivate --reason x --as $ADMIN
usage "reactivate with --reason" user reactivate wu.fang --reason x --as $ADMIN
usage "deactivate with two logins" user deactivate wu.fang sun.li --reason x --as $ADMIN
run user deactivate --help
expect_rc 0 "user deactivate --help"
if printf '%s' "$out" | grep -q "user deactivate LOGIN --reason TEXT"; then ok; else bad "help names deactivate"; fi

# ---- deactivate -------------------------------------------------------------

teams_before=$(sql "SELECT COUNT(*) FROM audit_team t JOIN users u ON u.id = t.user_id WHERE u.login = 'wu.fang'")
events_before=$(sql "SELECT COUNT(*) FROM events")
run user deactivate wu.fang --reason "离职 (2025-06-30)" --as $ADMIN
expect_rc 0 "admin deactivates an auditor"
expect_json .login wu.fang "deactivate: the user's view"
expect_json .active false "deactivate: active false"
expect_json '.qualifications | length' 1 "deactivate: qualifications stay"
got=$(sql "SELECT action || '|' || json_extract(detail, '$.reason') || '|' || json_extract(detail, '$.before.active') || '|' || json_extract(detail, '$.after.active') || '|' || json_extract(detail, '$.tokens_revoked') FROM events ORDER BY id DESC LIMIT 1")
[ "$got" = "user.deactivate|离职 (2025-06-30)|1|0|1" ] && ok || bad "deactivate event ($got)"
got=$(sql "SELECT COUNT(*) FROM events")
[ "$got" = $((events_before + 1)) ] && ok || bad "exactly one event ($got)"
got=$(sql "SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = $TOKEN_ID")
[ "$got" = 1 ] && ok || bad "the user's API token is revoked"
got=$(sql "SELECT COUNT(*) FROM audit_team t JOIN users u ON u.id = t.user_id WHERE u.login = 'wu.fang'")
[ "$got" = "$teams_before" ] && ok || bad "past audit teams keep the user ($got, was $teams_before)"
run audit-verify --db "$DB"
expect_rc 0 "the event chain verifies"

refused state_conflict user "deactivating twice" \
  user deactivate wu.fang --reason "again" --as $ADMIN
refused unauthenticated as "a deactivated user cannot act" user show wu.fang --as wu.fang
expect_json .error.message 'no active user "wu.fang"' "deactivated actor: the unknown-login message"
refused invalid user "no token for an inactive user" \
  token create --as $ADMIN --user wu.fang --label x
refused invalid "team[1].person" "a deactivated auditor cannot join an audit team" \
  audit plan --as zhang.min --application "$APP_DOCS" --from 2025-07-20 --to 2025-07-21 \
  --lead zhao.qiang --member wu.fang
expect_json .error.message "wu.fang is not an active user" "team: message"
run user list --as $ADMIN --role auditor
expect_json '[.[] | select(.login == "wu.fang") | .active] | .[0]' false "user list shows active false"

# a deactivated reviewer cannot review, a deactivated member cannot vote
run user deactivate li.na --reason "调岗" --as $ADMIN
expect_rc 0 "deactivate a reviewer"
refused unauthenticated as "a deactivated reviewer cannot approve documents" \
  review approve --application "$APP_CONTRACTED" --as li.na
run user deactivate he.wen --reason "任期结束" --as ops.admin
expect_rc 0 "the second admin deactivates a committee member"
refused unauthenticated as "a deactivated committee member cannot vote" \
  decision vote "$AUDIT_REPORTED" --approve --as he.wen

# one admin may deactivate another; then it is the last one and acts alone
run user deactivate ops.admin --reason "临时账户" --as $ADMIN
expect_rc 0 "an admin deactivates another admin"
refused unauthenticated as "the deactivated admin cannot act" \
  user reactivate ops.admin --as ops.admin

# ---- reactivate -------------------------------------------------------------

run user reactivate wu.fang --as $ADMIN
expect_rc 0 "reactivate"
expect_json .active true "reactivate: active true"
got=$(sql "SELECT action || '|' || json_extract(detail, '$.before.active') || '|' || json_extract(detail, '$.after.active') FROM events ORDER BY id DESC LIMIT 1")
[ "$got" = "user.reactivate|0|1" ] && ok || bad "reactivate event ($got)"
got=$(sql "SELECT revoked_at IS NOT NULL FROM api_tokens WHERE id = $TOKEN_ID")
[ "$got" = 1 ] && ok || bad "the revoked token stays revoked"
run user show wu.fang --as wu.fang
expect_rc 0 "a reactivated user acts again"
run audit plan --as zhang.min --application "$APP_DOCS" --from 2025-07-20 --to 2025-07-21 \
  --lead zhao.qiang --member wu.fang
expect_rc 0 "a reactivated auditor joins a team again"
run audit-verify --db "$DB"
expect_rc 0 "the event chain verifies at the end"

finish
