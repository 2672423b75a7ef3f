#!/usr/bin/env bash
# starcert certificate confidential: the CB sets and clears a certificate's
# confidential flag at the holder's written request (domain.md 6). On the
# demo database (docs/demo.md): who may (market, committee), any state, a
# reason required, every refusal proven harmless (the database dump hashes
# the same), the no-op when the flag already has the value, the status
# change and the event with before/after, the event chain verifying, and
# the registry: a name or 统一社会信用代码 search stops finding the
# certificate while it is confidential, an exact number always finds it.
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

unchanged() { # RC DESC ARGS...: the command exits RC and writes nothing
  local want=$1 desc=$2; shift 2
  local before after
  before=$(dbhash)
  run "$@"
  expect_rc "$want" "$desc"
  after=$(dbhash)
  if [ "$before" = "$after" ]; then ok; else bad "$desc: database changed"; fi
}

# found TEXT WANT DESC: `registry search TEXT` lists NUMBER WANT times
found() {
  run registry search "$1"
  expect_rc 0 "$3: exit"
  expect_json '[.[] | select(.number == "'"$NUMBER"'")] | length' "$2" "$3"
}

run demo --db "$DB" --today 2025-06-30
expect_rc 0 "demo database"

NUMBER=$(sql "SELECT number FROM certificates WHERE state = 'active' AND confidential = 0 ORDER BY id LIMIT 1")
ORG=$(sql "SELECT organisation_id FROM certificates WHERE number = '$NUMBER'")
NAME=$(sql "SELECT name FROM organisations WHERE id = $ORG")
USCC=$(sql "SELECT uscc FROM organisations WHERE id = $ORG")
ENT=$(sql "SELECT login FROM users WHERE role = 'enterprise' AND organisation_id = $ORG LIMIT 1")
WITHDRAWN=$(sql "SELECT number FROM certificates WHERE state = 'withdrawn' ORDER BY id LIMIT 1")
[ -n "$NUMBER" ] && [ -n "$ENT" ] && [ -n "$WITHDRAWN" ] && ok || bad "demo targets"
# two characters of the name (the 1-2 character index) and the whole name
# (the trigram index)
SHORT=$(sql "SELECT substr(name, 3, 2) FROM organisations WHERE id = $ORG")

found "$NAME" 1 "before: the name finds it"
found "$SHORT" 1 "before: two characters of the name find it"
found "$USCC" 1 "before: the code finds it"

# ---- refusals ---------------------------------------------------------------

refused forbidden as "the admin has no workflow rights" \
  certificate confidential "$NUMBER" --on --reason "持证方书面申请" --as chen.jing
refused forbidden as "review may not" \
  certificate confidential "$NUMBER" --on --reason "持证方书面申请" --as zhang.min
refused forbidden as "an auditor may not" \
  certificate confidential "$NUMBER" --on --reason "持证方书面申请" --as zhao.qiang
refused forbidden as "the holder requests in writing, it does not set the flag" \
  certificate confidential "$NUMBER" --on --reason "我们申请保密" --as "$ENT"
refused precondition_failed reason_given "no reason" \
  certificate confidential "$NUMBER" --on --as wang.lei
refused precondition_failed reason_given "an empty reason" \
  certificate confidential "$NUMBER" --on --reason "" --as wang.lei
refused precondition_failed reason_given "a blank reason (U+3000, no-break space)" \
  certificate confidential "$NUMBER" --on --reason $'  \xe3\x80\x80\xc2\xa0\t' --as wang.lei
LONG=$(head -c 2001 /dev/zero | tr '\0' x)
refused too_large reason "a reason over 2,000 bytes" \
  certificate confidential "$NUMBER" --on --reason "$LONG" --as wang.lei
refused not_found number "an unknown number" \
  certificate confidential ASC-2099-999999 --on --reason "持证方书面申请" --as wang.lei
refused invalid today "dated before the current state began" \
  certificate confidential "$NUMBER" --on --reason "持证方书面申请" --as wang.lei --today 2000-01-01
unchanged 2 "neither --on nor --off" \
  certificate confidential "$NUMBER" --reason "持证方书面申请" --as wang.lei
unchanged 2 "both --on and --off" \
  certificate confidential "$NUMBER" --on --off --reason "持证方书面申请" --as wang.lei
unchanged 2 "no number" \
  certificate confidential --on --reason "持证方书面申请" --as wang.lei
unchanged 2 "another subcommand's option" \
  certificate confidential "$NUMBER" --on --reason x --reason-code holder_request --as wang.lei
unchanged 2 "--on belongs to confidential only" \
  certificate suspend "$NUMBER" --on --reason-code holder_request --reason x --as zheng.guoping

# ---- clearing a flag that is not set: accepted, nothing written -------------

unchanged 0 "--off on a public certificate changes nothing" \
  certificate confidential "$NUMBER" --off --reason "持证方书面申请" --as wang.lei
expect_json .confidential false "no-op: still public"

# ---- market sets it ---------------------------------------------------------

EVENTS=$(sql "SELECT COUNT(*) FROM events")
CHANGES=$(sql "SELECT COUNT(*) FROM certificate_status_changes")
run certificate confidential "$NUMBER" --on --reason "持证方2025-06-28书面申请保密" --as wang.lei
expect_rc 0 "market sets the flag"
expect_json .number "$NUMBER" "the certificate's view"
expect_json .confidential true "now confidential"
expect_json .state active "the state stays"
expect_json '.status_changes[-1].action' set_confidential "status change: action"
expect_json '.status_changes[-1].from + ">" + .status_changes[-1].to' "active>active" "status change: no transition"
expect_json '.status_changes[-1].reason_code' holder_request "status change: reason code"
expect_json '.status_changes[-1].reason' "持证方2025-06-28书面申请保密" "status change: reason"
expect_json '.status_changes[-1].by' wang.lei "status change: who"
expect_json '.status_changes[-1].on' 2025-06-30 "status change: when"
[ "$(sql "SELECT COUNT(*) FROM events")" -eq $((EVENTS + 1)) ] && ok || bad "one event"
[ "$(sql "SELECT COUNT(*) FROM certificate_status_changes")" -eq $((CHANGES + 1)) ] && ok || bad "one status change"
out=$(sql "SELECT detail FROM events ORDER BY id DESC LIMIT 1")
expect_json .number "$NUMBER" "event: number"
expect_json .confidential true "event: the new value"
expect_json .before.confidential false "event: before"
expect_json .after.confidential true "event: after"
expect_json .reason "持证方2025-06-28书面申请保密" "event: reason"
expect_json .reason_code holder_request "event: reason code"
[ "$(sql "SELECT action || ':' || entity FROM events ORDER BY id DESC LIMIT 1")" = "certificate.confidential:certificate" ] && ok || bad "event: action"

found "$NAME" 0 "confidential: the name no longer finds it"
found "$SHORT" 0 "confidential: two characters of the name no longer find it"
found "$USCC" 0 "confidential: the code no longer finds it"
found "$NUMBER" 1 "confidential: a search by the exact number finds it"
run registry get "$NUMBER"
expect_rc 0 "confidential: get by number"
expect_json .organisation "$NAME" "confidential: get shows the holder"

# setting it again: accepted, nothing written
unchanged 0 "--on on a confidential certificate changes nothing" \
  certificate confidential "$NUMBER" --on --reason "重复申请" --as zheng.guoping
expect_json .confidential true "no-op: still confidential"

# the holder still sees its own certificate
run certificate show "$NUMBER" --as "$ENT"
expect_rc 0 "the holder sees it"
expect_json .confidential true "the holder sees the flag"

# ---- the committee clears it --------------------------------------------------

run certificate confidential "$NUMBER" --off --reason "持证方撤回保密申请" --as zheng.guoping
expect_rc 0 "committee clears the flag"
expect_json .confidential false "public again"
expect_json '.status_changes[-1].action' clear_confidential "status change: clear"
expect_json '.status_changes[-1].by' zheng.guoping "status change: who clears"
found "$NAME" 1 "cleared: the name finds it again"
found "$SHORT" 1 "cleared: two characters find it again"
found "$USCC" 1 "cleared: the code finds it again"
run registry get "$NUMBER"
expect_rc 0 "cleared: get by number"

# ---- any state: a withdrawn certificate -----------------------------------------

run certificate confidential "$WITHDRAWN" --on --reason "持证方书面申请" --as wang.lei
expect_rc 0 "a withdrawn certificate can be made confidential"
expect_json .state withdrawn "the state stays withdrawn"
expect_json .confidential true "withdrawn and confidential"
run registry get "$WITHDRAWN"
expect_rc 0 "withdrawn: get by number"
expect_json .status withdrawn "withdrawn: the registry shows the status"

# ---- the chain ------------------------------------------------------------------

run audit-verify --db "$DB"
expect_rc 0 "audit-verify"
expect_json .valid true "the event chain verifies"

finish
