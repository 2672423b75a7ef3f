#!/usr/bin/env bash
# The whole certification journey from the command line on a fresh
# database (domain.md 1, 1.1, 1.2, 4): application -> audit -> committee ->
# certificate -> surveillance with a level change (new revision) -> missed
# surveillance -> suspension by the daily clock -> withdrawal by the clock;
# and on a copy taken at the suspension: restore after an audit ->
# recertification with continuity (a higher level, a new revision); and on
# a copy taken at the restore: a last surveillance, expiry by the clock,
# and a late recertification (refused after expiry + 6 months, restored
# within). The event chain verifies and catches an edited row.
#
# Every expected date is worked by hand from domain.md section 4 (scheme
# defaults: 36 months validity, windows open A+7 months and close
# A+12 months-1 day, recertification from expiry+1-3 months, withdrawal
# 6 months after suspension, quorum 2):
#   issued 2026-02-10 -> expires 2029-02-09; window 1 (A = 2026-02-10)
#   2026-09-10 .. 2027-02-09; surveillance on 2026-11-10..11 -> A =
#   2026-11-11, window 2 2027-06-11 .. 2027-11-10; no audit -> suspended
#   2027-11-11, withdrawn 2028-05-11. Restore audit 2027-12-14..15 -> A =
#   2027-12-15, window 3 2028-07-15 .. 2028-12-14. Recertification period
#   opens 2028-11-10; decided 2028-12-01 (before expiry) -> new cycle from
#   2029-02-10 to 2032-02-09, anchor 2029-02-10, window 2029-09-10 ..
#   2030-02-09.
source "$(dirname "$0")/lib.sh"

DB="$TMP/db"
export STARCERT_DB="$DB"
CERT=ASC-2026-000001
INDICATORS="5.1.1 5.1.2 5.1.3 5.1.4 5.1.5 5.1.6 5.1.7 5.2.1 5.2.2 5.2.3 5.2.4 5.2.5 5.2.6 5.3.1 5.3.2"
KINDS="application_form business_licence product_description laws_and_standards company_profile organisation_chart sales_and_service_policy outlet_list delivery_mode system_document_list service_manual"
printf '%%PDF-1.4\n%%starcert test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$TMP/doc.pdf"

step() { # DESC ARGS... : runs starcert, expects exit 0
  local desc=$1; shift
  run "$@"
  expect_rc 0 "$desc"
}

# ---- the CB and the enterprise -------------------------------------------
step "init" init --today 2026-01-05
step "first admin" user add --login admin --name Admin --role admin --today 2026-01-05
export STARCERT_AS=admin STARCERT_TODAY=2026-01-05
step "org" org add --uscc 91110000802100433B --name 青岛海尔售后服务有限公司 \
  --address 青岛市崂山区 --employees 50
for u in market:market rev:review lead:auditor aud:auditor c1:committee c2:committee c3:committee; do
  step "user ${u%%:*}" user add --login "${u%%:*}" --name "Name ${u%%:*}" --role "${u##*:}"
done
step "enterprise user" user add --login ent --name 王经理 --role enterprise --org 91110000802100433B
step "lead qualification" qualification add --user lead --kind lead_auditor --number L-1 --from 2025-01-01 --to 2031-12-31
step "auditor qualification" qualification add --user aud --kind auditor --number A-1 --from 2025-01-01 --to 2031-12-31

# An application of KIND (certificate NUMBER for non-initial kinds) taken
# to documents_approved on $STARCERT_TODAY; sets $APP.
application_approved() { # KIND [NUMBER]
  local extra=()
  [ "$1" != initial ] && extra=(--certificate "$2")
  run application create --as ent --kind "$1" "${extra[@]}" --scope "家用电器的配送、安装、维修及投诉处理"
  expect_rc 0 "$1 application create"
  APP=$(printf '%s' "$out" | jq -r .id)
  for k in $KINDS; do
    run document upload --as ent --application "$APP" --kind "$k" "$TMP/doc.pdf"
    [ "$rc" -eq 0 ] || bad "upload $k"
  done
  run application manager-add "$APP" --as ent --name 张三 --certificate-no "M-$APP"
  step "$1 manager" application manager-add "$APP" --as ent --name 李四 --certificate-no "N-$APP"
  step "$1 submit" application submit "$APP" --as ent
  step "$1 accept" application accept "$APP" --as market
  step "$1 contract" contract sign --application "$APP" --number "C-$APP" \
    --fee-cents 3000000 --preliminary-audit "$STARCERT_TODAY" --as market
  step "$1 documents approved" review approve --application "$APP" --as rev
  expect_json .state documents_approved "$1 application reaches documents_approved"
}

# Confirm, start, results (all conform except the listed INDICATOR=RESULT
# overrides), report, for audit $AUDIT on FIRST..LAST.
audit_to_report() { # FIRST LAST [CODE=nonconform]...
  local first=$1 last=$2; shift 2
  step "confirm $AUDIT" audit confirm "$AUDIT" --as ent --people "王经理 接待" \
    --transport "公司车辆接送" --office "三楼会议室" --from "$first" --to "$last" \
    --today "$first"
  expect_json .state confirmed "audit $AUDIT confirmed"
  step "start $AUDIT" audit start "$AUDIT" --as lead --today "$first"
  expect_json .state in_audit "audit $AUDIT in_audit"
  for code in $INDICATORS; do
    local result=conform
    for o in "$@"; do [ "${o%%=*}" = "$code" ] && result=${o#*=}; done
    run audit result "$AUDIT" --as aud --today "$first" --indicator "$code" --result "$result"
    [ "$rc" -eq 0 ] || bad "result $code on audit $AUDIT"
  done
  step "report $AUDIT" audit report "$AUDIT" --as lead --today "$last"
  expect_json .state reported "audit $AUDIT reported"
}

# ---- initial certification -------------------------------------------------
application_approved initial
step "plan initial audit" audit plan --as rev --application "$APP" \
  --from 2026-02-02 --to 2026-02-04 --lead lead --member aud
AUDIT=$(printf '%s' "$out" | jq -r .id)
expect_json .mandays.total 6.5 "50 employees, initial: 6.5 man-days (band 46-65)"
expect_json .mandays.planning 1.5 "of which planning 1.5"
run application show "$APP" --as rev
expect_json .state audit_planned "application audit_planned"
audit_to_report 2026-02-02 2026-02-04
expect_json .score 100.0 "all conform: 100.0"
expect_json .level five_star "all conform: five-star"
run application show "$APP" --as rev
expect_json .state audit_reported "application audit_reported"
cp "$DB" "$TMP/capped.db" # for the first-certificate cap
INITIAL_AUDIT=$AUDIT
step "vote c1" decision vote "$AUDIT" --as c1 --approve --today 2026-02-10
step "vote c2" decision vote "$AUDIT" --as c2 --approve --level four_star --today 2026-02-10
step "close" decision close "$AUDIT" --as c3 --today 2026-02-10
expect_json .decision.outcome certified "initial decision: certified"
expect_json .decision.level four_star "two approve: five-star and four-star -> four-star holds the quorum"
expect_json .decision.certificate "$CERT" "certificate number from ASC-{year}-{seq:06}"
run application show "$APP" --as rev
expect_json .state certified "application certified"
run certificate show "$CERT" --as c1
expect_rc 0 "certificate show"
expect_json .state active "certificate active"
expect_json .revision 1 "revision 1"
expect_json .issued 2026-02-10 "issue date = decision date"
expect_json .initial_issued 2026-02-10 "initial issue"
expect_json .expires 2029-02-09 "expires issued + 36 months - 1 day"
expect_json .anchor 2026-02-10 "first anchor = issue date"
expect_json .level four_star "certificate level"
expect_json .score 100.0 "certificate score"
expect_json .next_surveillance.opens 2026-09-10 "window 1 opens A + 7 months"
expect_json .next_surveillance.closes 2027-02-09 "window 1 closes A + 12 months - 1 day"
expect_json '.status_changes[0].action' issue "status change: issue"
expect_json '.status_changes[0].by' c3 "status change: who"
run certificate show "$CERT" --as ent
expect_rc 0 "the holder sees its certificate"

# ---- surveillance 1, with a lower level: a new revision ------------------
export STARCERT_TODAY=2026-10-01
step "plan surveillance" audit plan --as rev --certificate "$CERT" --from 2026-11-10 --to 2026-11-11 --lead lead --member aud
AUDIT=$(printf '%s' "$out" | jq -r .id)
expect_json .kind surveillance "certificate audit kind"
expect_json .mandays.total 2 "50 employees, surveillance: 2 man-days"
audit_to_report 2026-11-10 2026-11-11 5.3.2=nonconform
expect_json .score 87.0 "complaint handling (13 points) nonconform: 87.0"
expect_json .level three_star "87.0: three-star"
step "surv vote c1" decision vote "$AUDIT" --as c1 --approve --today 2026-11-20
expect_json '.votes[0].level' three_star "default level: the best the audit allows"
step "surv vote c2" decision vote "$AUDIT" --as c2 --approve --today 2026-11-20
step "surv close" decision close "$AUDIT" --as c1 --today 2026-11-20
expect_json .decision.outcome maintained "surveillance decision: maintained"
run certificate show "$CERT" --as c1
expect_json .revision 2 "level change: revision 2"
expect_json .level three_star "level lowered"
expect_json .issued 2026-11-20 "revision dated on the decision"
expect_json .expires 2029-02-09 "expiry kept"
expect_json .initial_issued 2026-02-10 "initial issue kept"
expect_json .anchor 2026-11-11 "anchor = last on-site day"
expect_json .surveillance_n 1 "one surveillance done"
expect_json '.revisions | length' 2 "all revisions kept"
expect_json '.revisions[0].level' four_star "revision 1 kept as issued"
expect_json .next_surveillance.opens 2027-06-11 "window 2 opens"
expect_json .next_surveillance.closes 2027-11-10 "window 2 closes"

cp "$DB" "$TMP/window2.db" # for the surveillance decided after its window

# ---- missed surveillance: the daily clock suspends -----------------------
run tick --today 2027-11-10
expect_json .suspended 0 "not overdue on the window's last day"
run tick --today 2027-11-11
expect_rc 0 "tick"
expect_json .suspended 1 "suspended the day after the close"
run tick --today 2027-11-11
expect_json .suspended 0 "tick is idempotent"
run certificate show "$CERT" --as c1
expect_json .state suspended "certificate suspended"
expect_json .state_since 2027-11-11 "suspended since"
expect_json .state_reason surveillance_overdue "reason code"
expect_json '.status_changes[-1].by' system "by the daily clock"
cp "$DB" "$TMP/suspended.db"

# ---- not restored: the clock withdraws after 6 months --------------------
run tick --today 2028-05-10
expect_json .withdrawn 0 "not withdrawn before suspension + 6 months"
run tick --today 2028-05-11
expect_json .withdrawn 1 "withdrawn on suspension + 6 months"
run certificate show "$CERT" --as c1
expect_json .state withdrawn "certificate withdrawn"
expect_json .state_since 2028-05-11 "withdrawn since"
run certificate restore "$CERT" --audit 1 --as c1 --today 2028-05-12
expect_rc 1 "a withdrawn certificate cannot be restored"
step "chain verifies" audit-verify
expect_json .valid true "event chain valid"

# ---- the other branch: restore after an audit ----------------------------
export STARCERT_DB="$TMP/suspended.db"
DB="$TMP/suspended.db"
export STARCERT_TODAY=2027-12-01
step "plan restore audit" audit plan --as rev --certificate "$CERT" --from 2027-12-14 --to 2027-12-15 --lead lead --member aud
AUDIT=$(printf '%s' "$out" | jq -r .id)
expect_json .kind restore "a suspended certificate's audit: restore"
audit_to_report 2027-12-14 2027-12-15
expect_json .level five_star "restore audit all conform"
step "restore vote c1" decision vote "$AUDIT" --as c1 --approve --today 2027-12-20
expect_json '.votes[0].level' three_star "restore cannot raise the level"
run decision vote "$AUDIT" --as c2 --approve --level five_star --today 2027-12-20
expect_rc 1 "a restore vote above the certificate's level is refused"
step "restore vote c2" decision vote "$AUDIT" --as c2 --approve --today 2027-12-20
step "restore" certificate restore "$CERT" --audit "$AUDIT" --as c3 --today 2027-12-20
expect_json .state active "restored: active"
expect_json .state_since 2027-12-20 "active since the decision"
expect_json .anchor 2027-12-15 "restore audit's last day anchors the next window"
expect_json .revision 2 "same level: no new revision"
expect_json .next_surveillance.opens 2028-07-15 "window 3 opens"
expect_json .next_surveillance.closes 2028-12-14 "window 3 closes"
expect_json .recertification.opens 2028-11-10 "recertification opens expiry + 1 - 3 months"
expect_json '.status_changes[-1].action' restore "status change: restore"
expect_json '.status_changes[-1].from' suspended "restore: from suspended"

cp "$DB" "$TMP/restored.db"

# ---- recertification with continuity, level raised -----------------------
export STARCERT_TODAY=2028-11-10
application_approved recertification "$CERT"
step "plan recertification audit" audit plan --as rev --application "$APP" \
  --from 2028-11-24 --to 2028-11-25 --lead lead --member aud
AUDIT=$(printf '%s' "$out" | jq -r .id)
expect_json .mandays.total 4 "50 employees, recertification: 4 man-days"
audit_to_report 2028-11-24 2028-11-25
cp "$DB" "$TMP/recert-pending.db" # for a decision after window 3 closed
RECERT_AUDIT=$AUDIT
step "recert vote c1" decision vote "$AUDIT" --as c1 --approve --today 2028-12-01
expect_json '.votes[0].level' five_star "a recertification may raise the level"
step "recert vote c2" decision vote "$AUDIT" --as c2 --approve --today 2028-12-01
step "recert close" decision close "$AUDIT" --as c3 --today 2028-12-01
expect_json .decision.outcome recertified "recertified"
run certificate show "$CERT" --as c1
expect_json .state active "still active"
expect_json .revision 3 "recertification: revision 3"
expect_json .level five_star "level raised"
expect_json .issued 2028-12-01 "revision dated on the decision"
expect_json .cycle_start 2029-02-10 "continuity: the new cycle starts at expiry + 1"
expect_json .expires 2032-02-09 "new expiry 2029-02-10 + 36 months - 1 day"
expect_json .anchor 2029-02-10 "anchor = new cycle start"
expect_json .surveillance_n 0 "surveillances reset"
expect_json .initial_issued 2026-02-10 "initial issue kept"
expect_json .next_surveillance.opens 2029-09-10 "next window opens"
expect_json '.revisions | length' 3 "all revisions kept"
run tick --today 2028-12-15
expect_json .suspended 0 "window 3 no longer applies after the recertification"
run tick --today 2029-02-10
expect_json .expired 0 "continuity: no expiry"
run certificate show "$CERT" --as c1
expect_json .state active "active in the new cycle"

# ---- a third branch: expired, then recertified within the late period ------
# From the restore: surveillance 3 in window 3 ends the chain (the next
# window would open 2029-04-02, after the recertification period opened on
# 2028-11-10); no recertification by the expiry -> expired 2029-02-10;
# recertified on 2029-04-01 (<= 2029-08-09, expiry + 6 months): the new cycle
# starts on the decision date and expires where continuity would have put
# it, 2032-02-09; its anchor is the audit's last on-site day.
export STARCERT_DB="$TMP/restored.db"
DB="$TMP/restored.db"
export STARCERT_TODAY=2028-08-01
step "plan surveillance 3" audit plan --as rev --certificate "$CERT" --from 2028-09-01 --to 2028-09-02 --lead lead --member aud
AUDIT=$(printf '%s' "$out" | jq -r .id)
audit_to_report 2028-09-01 2028-09-02
step "surv3 vote c1" decision vote "$AUDIT" --as c1 --approve --today 2028-09-10
step "surv3 vote c2" decision vote "$AUDIT" --as c2 --approve --today 2028-09-10
step "surv3 close" decision close "$AUDIT" --as c3 --today 2028-09-10
run certificate show "$CERT" --as c1
expect_json .surveillance_n 3 "three surveillances in the cycle"
expect_json .next_surveillance null "no further window: the recertification audit takes its place"
run tick --today 2029-02-09
expect_json .expired 0 "valid on its expiry day"
run tick --today 2029-02-10
expect_json .expired 1 "expired on expiry + 1"
run certificate show "$CERT" --as c1
expect_json .state expired "certificate expired"
export STARCERT_TODAY=2029-03-01
application_approved recertification "$CERT"
step "plan late recertification audit" audit plan --as rev --application "$APP" \
  --from 2029-03-20 --to 2029-03-21 --lead lead --member aud
AUDIT=$(printf '%s' "$out" | jq -r .id)
audit_to_report 2029-03-20 2029-03-21
step "late vote c1" decision vote "$AUDIT" --as c1 --approve --today 2029-03-25
step "late vote c2" decision vote "$AUDIT" --as c2 --approve --today 2029-03-25
before=$(sqlite3 "$DB" .dump | sha256sum)
run decision close "$AUDIT" --as c3 --today 2029-08-10
expect_rc 1 "decided after expiry + 6 months: refused"
expect_json .error.field within_late_period "needs a new initial certification"
[ "$(sqlite3 "$DB" .dump | sha256sum)" = "$before" ] && ok || bad "late refusal left the database changed"
step "late close" decision close "$AUDIT" --as c3 --today 2029-04-01
expect_json .decision.outcome recertified "recertified within the late period"
run certificate show "$CERT" --as c1
expect_json .state active "active again"
expect_json .state_since 2029-04-01 "active since the decision"
expect_json .cycle_start 2029-04-01 "the new cycle starts on the decision date"
expect_json .expires 2032-02-09 "expires where continuity would have put it"
expect_json .anchor 2029-03-21 "anchor: the audit's last on-site day"
expect_json .issued 2029-04-01 "new revision dated on the decision"
expect_json '.status_changes[-1].from' expired "from expired"
expect_json '.status_changes[-1].action' recertify "action recertify"
step "branch chain verifies" audit-verify
export STARCERT_DB="$TMP/suspended.db"
DB="$TMP/suspended.db"

# ---- surveillance 2 carried out in its window, decided after the close ----
# (docs/decisions.md, "A surveillance awaiting its decision"). Window 2 is
# 2027-06-11 .. 2027-11-10; the audit is on site 2027-11-09..10 and the
# committee decides on 2027-11-20. Window 3 is then anchored on
# 2027-11-10: 2028-06-10 .. 2028-11-09 (the recertification period opens
# 2028-11-10, after it opens).
export STARCERT_DB="$TMP/window2.db" STARCERT_TODAY=2027-10-01
DB="$TMP/window2.db"
step "plan surveillance 2" audit plan --as rev --certificate "$CERT" --from 2027-11-09 --to 2027-11-10 --lead lead --member aud
AUDIT=$(printf '%s' "$out" | jq -r .id)
cp "$DB" "$TMP/window2-planned.db"
audit_to_report 2027-11-09 2027-11-10
run tick --today 2027-11-11
expect_json .suspended 0 "carried out in its window, awaiting the committee: not overdue"
run due --today 2027-11-11 --within 400
expect_json "[.[] | select(.certificate == \"$CERT\" and .kind == \"surveillance_closes\")][0].date" 2028-11-09 \
  "the next deadline is window 3's close, anchored on the audit"
run certificate show "$CERT" --as c1 --today 2027-11-11
expect_json .awaiting_decision 2027-11-10 "the view names the audit awaiting the committee"
expect_json .next_surveillance.n 3 "and shows the window the clock holds next"
expect_json .next_surveillance.closes 2028-11-09 "window 3 closes"
expect_json .surveillance_n 1 "the certificate's own count moves only with the decision"
step "surv 2 vote c1" decision vote "$AUDIT" --as c1 --approve --today 2027-11-20
step "surv 2 vote c2" decision vote "$AUDIT" --as c2 --approve --today 2027-11-20
step "surv 2 close" decision close "$AUDIT" --as c1 --today 2027-11-20
expect_json .decision.outcome maintained "maintained after the window closed"
run certificate show "$CERT" --as c1
expect_json .state active "never suspended"
expect_json .awaiting_decision null "decided: nothing awaits"
expect_json .anchor 2027-11-10 "anchor = the audit's last on-site day"
expect_json .surveillance_n 2 "two surveillances done"
expect_json .next_surveillance.opens 2028-06-10 "window 3 opens"
expect_json .next_surveillance.closes 2028-11-09 "window 3 closes"
run tick --today 2028-11-09
expect_json .suspended 0 "window 3: not overdue on its last day"
run tick --today 2028-11-10
expect_json .suspended 1 "window 3 missed: suspended the day after its close"
step "window-2 branch chain verifies" audit-verify

# a surveillance only planned (nobody on site yet) does not meet the window
export STARCERT_DB="$TMP/window2-planned.db"
DB="$TMP/window2-planned.db"
run tick --today 2027-11-11
expect_json .suspended 1 "planned but not started: overdue, suspended"
export STARCERT_DB="$TMP/suspended.db"
DB="$TMP/suspended.db"

# ---- the recertification audit carried out in window 3, decided after its
# close (2028-12-14) but before expiry: the audit meets the window, the
# certificate is never suspended, and continuity holds.
export STARCERT_DB="$TMP/recert-pending.db"
DB="$TMP/recert-pending.db"
run tick --today 2028-12-15
expect_json .suspended 0 "a recertification audit in the window, awaiting the committee, meets it"
run certificate show "$CERT" --as c1
expect_json .state active "still active after window 3 closed"
step "late recert vote c1" decision vote "$RECERT_AUDIT" --as c1 --approve --today 2028-12-20
step "late recert vote c2" decision vote "$RECERT_AUDIT" --as c2 --approve --today 2028-12-20
step "late recert close" decision close "$RECERT_AUDIT" --as c3 --today 2028-12-20
expect_json .decision.outcome recertified "recertified after window 3 closed"
run certificate show "$CERT" --as c1
expect_json .cycle_start 2029-02-10 "continuity kept"
expect_json .expires 2032-02-09 "new expiry"
run tick --today 2029-02-10
expect_json .suspended 0 "nothing suspended"
expect_json .expired 0 "nothing expired"

# ---- the optional first-certificate cap (domain.md 2; off by default) -----
# The CB's stored scheme with the cap enabled (compliant for 12 months):
# the five-star initial audit may be certified at compliant at best.
export STARCERT_DB="$TMP/capped.db"
DB="$TMP/capped.db"
sqlite3 "$DB" "SELECT body FROM schemes" |
  jq -c '.scoring.first_certificate_cap.enabled = true' >"$TMP/capped.json"
sqlite3 "$DB" "UPDATE schemes SET body = CAST(readfile('$TMP/capped.json') AS TEXT), sha256 = '$(sha256sum <"$TMP/capped.json" | cut -c1-64)'"
run decision vote "$INITIAL_AUDIT" --as c1 --approve --level four_star --today 2026-02-10
expect_rc 1 "a first certificate is capped: four-star refused"
expect_json .error.field level "field level"
step "capped vote c1" decision vote "$INITIAL_AUDIT" --as c1 --approve --today 2026-02-10
expect_json '.votes[0].level' compliant "default level: the cap's"
step "capped vote c2" decision vote "$INITIAL_AUDIT" --as c2 --approve --level compliant --today 2026-02-10
step "capped close" decision close "$INITIAL_AUDIT" --as c3 --today 2026-02-10
expect_json .decision.level compliant "certified at the cap"
export STARCERT_DB="$TMP/suspended.db"
DB="$TMP/suspended.db"

# ---- the event chain -------------------------------------------------------
step "chain verifies" audit-verify
expect_json .valid true "event chain valid"
n=$(printf '%s' "$out" | jq -r .events)
[ "$n" -gt 100 ] && ok || bad "a journey writes many events (got $n)"
sqlite3 "$DB" "UPDATE events SET detail = replace(detail, 'four_star', 'five_star') WHERE id = (SELECT MIN(id) FROM events WHERE action = 'decision.close')"
bad_id=$(sqlite3 "$DB" "SELECT MIN(id) FROM events WHERE action = 'decision.close'")
run audit-verify
expect_rc 1 "an edited event is caught"
expect_json .bad_event "$bad_id" "the edited row is named"
expect_json .error.field events "field events"

finish
