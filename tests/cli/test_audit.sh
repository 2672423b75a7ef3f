#!/usr/bin/env bash
# starcert audit / decision / certificate: the happy path of one initial
# certification and EVERY refusal along it (wrong role, wrong state,
# impartiality conflict, unqualified member, two leads, decider on the
# team, quorum not reached, results missing, findings open, an enterprise
# user touching another organisation, bad dates, bad input), each with the
# proof that the database is byte-for-byte unchanged (sqlite3 .dump).
# Expected values are worked by hand from domain.md (sections 2-6).
source "$(dirname "$0")/lib.sh"

DB="$TMP/db"
export STARCERT_DB="$DB"
INDICATORS="5.1.1 5.1.2 5.1.3 5.1.4 5.1.5 5.1.6 5.1.7 5.2.1 5.2.2 5.2.3 5.2.4 5.2.5 5.2.6 5.3.1 5.3.2"
KINDS="application_form business_licence product_description laws_and_standards company_profile organisation_chart sales_and_service_policy outlet_list delivery_mode system_document_list service_manual"
printf '%%PDF-1.4\n%%starcert test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' >"$TMP/doc.pdf"

step() { # DESC ARGS...
  local desc=$1; shift
  run "$@"
  expect_rc 0 "$desc"
}
snap() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }
refuse() { # CODE FIELD DESC ARGS... : exit 1, that error, database unchanged
  local code=$1 field=$2 desc=$3; shift 3
  local before
  before=$(snap)
  run "$@"
  expect_rc 1 "$desc"
  expect_json .error.code "$code" "$desc: code"
  expect_json .error.field "$field" "$desc: field"
  if [ "$(snap)" = "$before" ]; then ok; else bad "$desc: the database changed"; fi
}

# ---- usage and help -------------------------------------------------------
for c in audit decision certificate; do
  run "$c" --help
  expect_rc 0 "$c --help"
  run "$c"
  expect_rc 2 "$c without a subcommand"
  run "$c" bogus --db "$DB"
  expect_rc 2 "$c bogus subcommand"
done
run audit plan --help
expect_rc 0 "audit plan --help"
run audit plan --db "$DB" --nope
expect_rc 2 "audit plan: unknown option"
run audit start --db "$DB"
expect_rc 2 "audit start without an id"
run audit result 1 --db "$DB" --bonus
expect_rc 2 "audit result takes no --bonus"
run audit special 1 --db "$DB" --reason x
expect_rc 2 "audit special needs --bonus or --deduction"
run decision vote 1 --db "$DB"
expect_rc 2 "decision vote needs --approve or --refuse"
run decision close 1 --db "$DB" --approve
expect_rc 2 "decision close takes no vote options"
run certificate restore ASC-2026-000001 --db "$DB"
expect_rc 2 "certificate restore needs --audit"
run certificate list extra --db "$DB"
expect_rc 2 "certificate list takes no argument"

# ---- fixtures -------------------------------------------------------------
step "init" init --today 2026-01-05
step "first admin" user add --login admin --name Admin --role admin --today 2026-01-05
export STARCERT_AS=admin STARCERT_TODAY=2026-01-05
step "org A" org add --uscc 91110000802100433B --name 青岛海尔售后服务有限公司 --address 青岛市 --employees 50
step "org B" org add --uscc 91350100M000100Y43 --name 福州某电器有限公司 --address 福州市 --employees 12
for u in market:market rev:review lead:auditor aud:auditor aud3:auditor aud4:auditor linked:auditor \
         c1:committee c2:committee c3:committee clinked:committee; do
  step "user ${u%%:*}" user add --login "${u%%:*}" --name "Name ${u%%:*}" --role "${u##*:}"
done
step "enterprise A" user add --login ent --name 王经理 --role enterprise --org 91110000802100433B
step "enterprise B" user add --login ent2 --name 林经理 --role enterprise --org 91350100M000100Y43
step "lead qual" qualification add --user lead --kind lead_auditor --number L-1 --from 2025-01-01 --to 2030-12-31
step "aud qual" qualification add --user aud --kind auditor --number A-1 --from 2025-01-01 --to 2030-12-31
step "aud4 qual ends mid-audit" qualification add --user aud4 --kind auditor --number A-4 --from 2025-01-01 --to 2026-02-03
step "linked qual" qualification add --user linked --kind auditor --number A-5 --from 2025-01-01 --to 2030-12-31
# consulted for org A until 2025-03-01: barred until 2027-03-01 (24 months)
step "link auditor" link add --user linked --org 91110000802100433B --kind consulted --from 2024-01-01 --to 2025-03-01
step "link committee" link add --user clinked --org 91110000802100433B --kind employed --from 2020-01-01 --ongoing

run application create --as ent --scope "家用电器的配送、安装、维修"
APP=$(printf '%s' "$out" | jq -r .id)
for k in $KINDS; do
  run document upload --as ent --application "$APP" --kind "$k" "$TMP/doc.pdf"
  [ "$rc" -eq 0 ] || bad "upload $k"
done
step "manager" application manager-add "$APP" --as ent --name 张三 --certificate-no M-1
step "submit" application submit "$APP" --as ent
step "accept" application accept "$APP" --as market
step "contract" contract sign --application "$APP" --number C-1 --fee-cents 3000000 --preliminary-audit 2026-02-02 --as market
step "documents approved" review approve --application "$APP" --as rev

# ---- plan -----------------------------------------------------------------
P=(audit plan --application "$APP" --from 2026-02-02 --to 2026-02-04)
refuse forbidden role "market may not plan" "${P[@]}" --as market --lead lead
refuse forbidden as "another organisation's enterprise user" "${P[@]}" --as ent2 --lead lead
refuse forbidden role "the enterprise may not plan" "${P[@]}" --as ent --lead lead
refuse invalid from "first day in the past" audit plan --application "$APP" --from 2026-01-04 --to 2026-02-04 --as rev --lead lead
refuse invalid to "last day before the first" audit plan --application "$APP" --from 2026-02-04 --to 2026-02-02 --as rev --lead lead
refuse invalid from "no such date" audit plan --application "$APP" --from 2026-02-30 --to 2026-03-02 --as rev --lead lead
refuse invalid to "longer than 60 days" audit plan --application "$APP" --from 2026-02-02 --to 2026-04-03 --as rev --lead lead
refuse invalid "team[1].lead" "two leads" "${P[@]}" --as rev --lead lead --lead aud
refuse invalid team "no lead" "${P[@]}" --as rev --member aud
refuse invalid "team[1].qualification" "unqualified member" "${P[@]}" --as rev --lead lead --member aud3
refuse invalid "team[1].qualified_to" "qualification ends before the last audit day" "${P[@]}" --as rev --lead lead --member aud4
refuse invalid "team[0].qualification" "a plain auditor may not lead" "${P[@]}" --as rev --lead aud
refuse impartiality_conflict "team[1].person" "impartiality: a link within 24 months" "${P[@]}" --as rev --lead lead --member linked
refuse invalid "team[1].person" "a committee member is not an auditor" "${P[@]}" --as rev --lead lead --member c1
refuse invalid "team[1].person" "the same person twice" "${P[@]}" --as rev --lead lead --member lead
refuse not_found "team[1].login" "unknown login" "${P[@]}" --as rev --lead lead --member nobody
refuse invalid reason "reduction without justification" "${P[@]}" --as rev --lead lead --reduce 10
refuse invalid reduce "reduction above 30 %" "${P[@]}" --as rev --lead lead --reduce 31 --justification "small site"
refuse usage application "both an application and a certificate" "${P[@]}" --certificate X --as rev --lead lead
refuse not_found application "unknown application" audit plan --application 99 --from 2026-02-02 --to 2026-02-04 --as rev --lead lead
refuse unauthenticated as "unknown acting user" "${P[@]}" --as ghost --lead lead
step "plan" "${P[@]}" --as rev --lead lead --member aud --reduce 10 --justification "单一厂区, 流程简单"
AUDIT=$(printf '%s' "$out" | jq -r .id)
expect_json .state planned "planned"
expect_json .mandays.total 6 "6.5 man-days less 10 % = 5.85, nearest half day 6"
expect_json .mandays.reduction_percent 10 "reduction recorded"
expect_json '.team[0].login' lead "lead listed first"
expect_json '.team[0].lead' true "lead flag"
refuse state_conflict action "plan twice" "${P[@]}" --as rev --lead lead

# ---- confirm --------------------------------------------------------------
C=(audit confirm "$AUDIT" --people "王经理" --transport "公司车辆" --office "三楼会议室")
refuse forbidden as "another organisation confirms" "${C[@]}" --from 2026-02-02 --to 2026-02-04 --as ent2
refuse forbidden role "review may not confirm" "${C[@]}" --from 2026-02-02 --to 2026-02-04 --as rev
refuse precondition_failed arrangements_recorded "no agreed dates" "${C[@]}" --as ent
refuse precondition_failed arrangements_recorded "no office space" audit confirm "$AUDIT" --people p --transport t --from 2026-02-02 --to 2026-02-04 --as ent
refuse invalid from "agreed first day in the past" "${C[@]}" --from 2026-01-02 --to 2026-01-03 --as ent
refuse invalid "team[0].qualified_to" "new dates outside the lead's qualification" "${C[@]}" --from 2031-01-02 --to 2031-01-03 --as ent
refuse state_conflict action "start before confirmation" audit start "$AUDIT" --as lead --today 2026-02-02
step "confirm" "${C[@]}" --from 2026-02-02 --to 2026-02-04 --as ent
expect_json .state confirmed "confirmed"
expect_json .arrangements.office_space 三楼会议室 "arrangements recorded"
run application show "$APP" --as ent
expect_json '.preparation[4].done' true "preparation item 5 done"
refuse state_conflict action "confirm twice" "${C[@]}" --from 2026-02-02 --to 2026-02-04 --as ent

# ---- start ----------------------------------------------------------------
refuse state_conflict state "result before the start" audit result "$AUDIT" --indicator 5.1.1 --result conform --as aud --today 2026-02-02
refuse precondition_failed lead_auditor "a member may not start" audit start "$AUDIT" --as aud --today 2026-02-02
refuse forbidden role "review may not start" audit start "$AUDIT" --as rev --today 2026-02-02
refuse invalid today "start before the first on-site day" audit start "$AUDIT" --as lead --today 2026-02-01
refuse invalid today "start after the last on-site day" audit start "$AUDIT" --as lead --today 2026-02-05
step "start" audit start "$AUDIT" --as lead --today 2026-02-02
expect_json .state in_audit "in_audit"

# ---- results, special items, findings --------------------------------------
export STARCERT_TODAY=2026-02-03
R=(audit result "$AUDIT")
refuse forbidden as "an auditor not on the team" "${R[@]}" --indicator 5.1.1 --result conform --as aud3
refuse forbidden as "the enterprise records no result" "${R[@]}" --indicator 5.1.1 --result conform --as ent
refuse invalid indicator "unknown indicator" "${R[@]}" --indicator 9.9.9 --result conform --as aud
refuse invalid result "unknown result" "${R[@]}" --indicator 5.1.1 --result good --as aud
refuse invalid samples "sampled without samples" "${R[@]}" --indicator 5.2.4 --result sampled --as aud
refuse invalid samples "zero samples" "${R[@]}" --indicator 5.2.4 --result sampled --samples 0 --nonconforming 0 --as aud
refuse invalid nonconforming "more nonconforming than samples" "${R[@]}" --indicator 5.2.4 --result sampled --samples 3 --nonconforming 4 --as aud
refuse invalid samples "samples with conform" "${R[@]}" --indicator 5.2.4 --result conform --samples 3 --nonconforming 0 --as aud
refuse invalid reason "excluded without reason" "${R[@]}" --indicator 5.2.6 --result excluded --as aud
refuse forbidden as "special item by a member" audit special "$AUDIT" --bonus --reason "售后创新" --as aud
refuse invalid reason "special item without reason" audit special "$AUDIT" --bonus --reason "  " --as lead
refuse forbidden as "finding by someone off the team" audit finding "$AUDIT" --severity minor --text x --as aud3
refuse invalid severity "finding severity" audit finding "$AUDIT" --severity huge --text x --as aud
for code in $INDICATORS; do
  [ "$code" = 5.3.2 ] && continue
  result=conform
  extra=()
  [ "$code" = 5.2.4 ] && { result=sampled; extra=(--samples 6 --nonconforming 1); }
  [ "$code" = 5.2.6 ] && { result=excluded; extra=(--reason "不经营回收业务"); }
  run "${R[@]}" --indicator "$code" --result "$result" "${extra[@]}" --as aud
  [ "$rc" -eq 0 ] || bad "result $code"
done
refuse precondition_failed all_results_recorded "results missing" audit report "$AUDIT" --as lead --today 2026-02-04
refuse precondition_failed lead_auditor "report by a member" audit report "$AUDIT" --as aud --today 2026-02-04
step "last result" "${R[@]}" --indicator 5.3.2 --result nonconform --as aud
step "re-record a result" "${R[@]}" --indicator 5.3.2 --result conform --as lead
step "bonus" audit special "$AUDIT" --bonus --reason "建立了全国联保网络" --as lead
step "finding" audit finding "$AUDIT" --severity minor --indicator 5.3.1 --text "满意度调查样本偏少" --as aud
FINDING=$(printf '%s' "$out" | jq -r .id)
expect_json .source audit "an audit finding"
expect_json .state open "raised open"
expect_json .audit "$AUDIT" "of this audit"
refuse invalid today "report before the last on-site day" audit report "$AUDIT" --as lead --today 2026-02-03
step "report" audit report "$AUDIT" --as lead --today 2026-02-04
# 5.2.4: 7 x 5/6 = 5.8333 (loses 1.1667); 5.2.6 (5 points) excluded:
# applicable 95, earned 93.8333 -> raw 98.7719; +1 bonus = 99.7719 -> 99.8
expect_json .score 99.8 "score with the excluded indicator and the bonus"
expect_json .level five_star "five-star"
expect_json .sheet.applicable 95 "excluded indicator leaves the applicable total"
expect_json .sheet.bonus_applied 1 "bonus counted"
refuse state_conflict state "result after the report" "${R[@]}" --indicator 5.1.1 --result conform --as aud --today 2026-02-05
run audit show "$AUDIT" --as ent2
expect_rc 1 "another organisation's user cannot see the audit"
expect_json .error.code forbidden "audit show by ent2: forbidden"
run audit list --as ent2
expect_json 'length' 0 "another organisation lists no audit"
run audit list --as ent
expect_json 'length' 1 "the holder lists its audit"

# ---- committee --------------------------------------------------------------
export STARCERT_TODAY=2026-02-10
refuse forbidden role "an auditor may not vote" decision vote "$AUDIT" --approve --as lead
refuse impartiality_conflict person "a committee member linked to the organisation" decision vote "$AUDIT" --approve --as clinked
sqlite3 "$DB" "UPDATE users SET role = 'committee' WHERE login = 'aud'" # promoted since the audit
refuse impartiality_conflict person "decider on the team" decision vote "$AUDIT" --approve --as aud
sqlite3 "$DB" "UPDATE users SET role = 'auditor' WHERE login = 'aud'"
refuse invalid comment "refusal without a comment" decision vote "$AUDIT" --refuse --as c1
refuse invalid level "approve level none" decision vote "$AUDIT" --approve --level none --as c1
refuse invalid level "approve an unknown level" decision vote "$AUDIT" --approve --level six_star --as c1
refuse invalid level "a refusal carries no level" decision vote "$AUDIT" --refuse --level four_star --comment no --as c1
step "vote c1" decision vote "$AUDIT" --approve --as c1
expect_json .tally.approving 1 "one approving vote"
refuse conflict as "a second vote by the same member" decision vote "$AUDIT" --approve --as c1
refuse precondition_failed quorum_reached "quorum not reached" decision close "$AUDIT" --as c3
step "vote c2" decision vote "$AUDIT" --approve --level three_star --as c2
refuse precondition_failed findings_closed "findings open" decision close "$AUDIT" --as c3
refuse impartiality_conflict person "a linked member may not close" decision close "$AUDIT" --as clinked
refuse forbidden as "another organisation corrects a finding" finding correct "$FINDING" --action x --as ent2
step "correct" finding correct "$FINDING" --action "扩大满意度调查样本" --as ent
step "verify" finding verify "$FINDING" --as aud
step "close" decision close "$AUDIT" --as c3
expect_json .decision.outcome certified "certified"
expect_json .decision.level three_star "the best level the quorum supports: three-star"
expect_json .decision.certificate ASC-2026-000001 "first number of 2026"
refuse state_conflict action "close twice" decision close "$AUDIT" --as c3
refuse state_conflict action "vote after the decision" decision vote "$AUDIT" --approve --as c3
run decision show "$AUDIT" --as ent
expect_json .decision.outcome certified "the holder sees the decision"

# ---- certificate actions ------------------------------------------------------
N=ASC-2026-000001
export STARCERT_TODAY=2026-03-01
run certificate show "$N" --as ent
expect_rc 0 "the holder sees its certificate"
expect_json .issued 2026-02-10 "issued on the decision date"
expect_json .expires 2029-02-09 "expires 2026-02-10 + 36 months - 1 day"
refuse forbidden as "another organisation's certificate" certificate show "$N" --as ent2
refuse not_found number "unknown certificate" certificate show ASC-2026-999999 --as c1
refuse forbidden role "market may not suspend" certificate suspend "$N" --reason-code misuse_of_mark --reason x --as market
refuse forbidden as "another organisation suspends" certificate suspend "$N" --reason-code holder_request --reason x --as ent2
refuse precondition_failed reason_given "suspend without a reason" certificate suspend "$N" --reason-code misuse_of_mark --as c1
refuse invalid reason_code "unknown reason code" certificate suspend "$N" --reason-code bored --reason x --as c1
refuse state_conflict action "withdraw an active certificate" certificate withdraw "$N" --reason-code not_restored --reason x --as c1
refuse state_conflict action "restore an active certificate" certificate restore "$N" --audit "$AUDIT" --as c1
refuse forbidden as "market may not reissue" certificate reissue "$N" --scope x --reason-code scope_correction --reason x --as market
refuse invalid scope "reissue without a change" certificate reissue "$N" --reason-code scope_correction --reason x --as c1
refuse invalid reason_code "reissue with a suspension code" certificate reissue "$N" --scope x --reason-code misuse_of_mark --reason x --as c1
refuse invalid to "surveillance outside its window" audit plan --certificate "$N" --from 2026-03-10 --to 2026-03-11 --lead lead --as rev
refuse invalid kind "restore of an active certificate" audit plan --certificate "$N" --kind audit --from 2026-10-10 --to 2026-10-11 --lead lead --as rev
step "reissue" certificate reissue "$N" --scope "家用电器的配送、安装、维修及回收" --reason-code scope_correction --reason "补充回收业务" --as c1
expect_json .revision 2 "reissue: revision 2"
expect_json .issued 2026-03-01 "reissued today"
expect_json .expires 2029-02-09 "expiry kept"
expect_json .level three_star "level kept"
step "suspend" certificate suspend "$N" --reason-code misuse_of_mark --reason "包装上星级标志使用不当" --as c1
expect_json .state suspended "suspended"
expect_json .state_reason misuse_of_mark "reason recorded"
expect_json '.status_changes[-1].by' c1 "who"
expect_json '.status_changes[-1].reason' "包装上星级标志使用不当" "why"
refuse state_conflict action "suspend twice" certificate suspend "$N" --reason-code misuse_of_mark --reason x --as c1
refuse forbidden role "the committee may not cancel" certificate cancel "$N" --reason-code holder_request --reason x --as c1
refuse invalid reason_code "cancel with a withdrawal code" certificate cancel "$N" --reason-code not_restored --reason x --as market
step "cancel" certificate cancel "$N" --reason-code holder_request --reason "企业申请注销" --as market
expect_json .state cancelled "cancelled"
refuse state_conflict action "cancelled is final" certificate withdraw "$N" --reason-code not_restored --reason x --as c1
refuse state_conflict certificate "no audit on a cancelled certificate" audit plan --certificate "$N" --from 2026-10-10 --to 2026-10-11 --lead lead --as rev
run certificate list --as ent
expect_json 'length' 1 "the holder lists its certificate"
run certificate list --as ent2
expect_json 'length' 0 "another organisation lists nothing"
run certificate list --as c1 --state cancelled
expect_json '.[0].number' "$N" "list by state"

step "chain verifies" audit-verify
expect_json .valid true "event chain valid"
finish
