#!/usr/bin/env bash
# Applications from the draft to documents_approved, and withdrawal, driven
# through the real binary on a fresh database: application, document,
# contract, review and finding commands. Every refusal is checked for its
# error code and field AND for leaving the database byte-for-byte unchanged
# (sqlite3 .dump hashed before and after). Expected values are worked by
# hand from docs/domain.md (materials, preconditions, man-days, 90-day
# target), never copied from the program's output.
source "$(dirname "$0")/lib.sh"

HERE=$(cd "$(dirname "$0")" && pwd)
SCHEME="$HERE/../../schemes/gbt27922-2011.json"
DB="$TMP/db"
export STARCERT_DB="$DB"
unset STARCERT_AS STARCERT_SCHEME
export STARCERT_TODAY=2026-03-01

dbhash() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }

# refused CODE FIELD DESC ARGS...: exit 1, the error's code and field, and
# the database exactly as before.
refused() {
  local code=$1 field=$2 desc=$3 before after
  shift 3
  before=$(dbhash)
  run "$@"
  expect_rc 1 "$desc"
  expect_json .error.code "$code" "$desc: code"
  expect_json .error.field "$field" "$desc: field"
  after=$(dbhash)
  if [ "$before" = "$after" ]; then ok; else bad "$desc: the database changed"; fi
}

# usage DESC ARGS...: exit 2 and the database unchanged.
usage() {
  local desc=$1 before after
  shift
  before=$(dbhash)
  run "$@"
  expect_rc 2 "$desc"
  after=$(dbhash)
  if [ "$before" = "$after" ]; then ok; else bad "$desc: the database changed"; fi
}

# ---- files, built here byte by byte -------------------------------------

# A one-page PDF (header, objects, trailer, end marker).
pdf() { # FILE [PADDING_BYTES]
  {
    printf '%%PDF-1.4\n'
    printf '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n'
    printf '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n'
    printf '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] >> endobj\n'
    if [ "${2:-0}" -gt 0 ]; then head -c "$2" /dev/zero | tr '\0' ' '; fi
    printf '\ntrailer << /Root 1 0 R >>\n%%%%EOF\n'
  } >"$1"
}
# The 1x1 RGBA PNG: signature, IHDR, IDAT (zlib), IEND, with their CRCs.
png() {
  printf '\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0aIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d\xb4\x00\x00\x00\x00IEND\xaeB`\x82' >"$1"
}
pdf "$TMP/manual.pdf"
pdf "$TMP/manual2.pdf" 100
pdf "$TMP/doc.pdf"
png "$TMP/licence.png"
printf 'GIF89a\x01\x00\x01\x00\x00\x00\x00;' >"$TMP/photo.gif"
printf 'name,address\n' >"$TMP/outlets.csv"
[ "$(head -c 8 "$TMP/licence.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] && ok || bad "test PNG signature"

# ---- fixtures: staff, organisations, enterprise users -------------------

run init --db "$DB"
expect_rc 0 "init"
run user add --login admin --name "系统管理员" --role admin
expect_rc 0 "first admin"
export STARCERT_AS=admin
run org add --uscc 91110000802100433B --name "国网家电服务有限公司" --address "北京市西城区" --employees 100
expect_rc 0 "org 1"
run org add --uscc 91110108551385082Q --name "小米售后服务有限公司" --address "北京市海淀区" --employees 8
expect_rc 0 "org 2"
run org add --uscc 914403001922038216 --name "华为终端服务有限公司" --address "深圳市龙岗区" --employees 30
expect_rc 0 "org 3"
for i in 1 2 3 4; do
  run outlet add --org 1 --name "服务网点$i" --address "北京市第$i区"
  expect_rc 0 "outlet $i"
done
for u in "mkt market" "rev review" "rev2 review" "aud auditor" "com committee"; do
  set -- $u
  run user add --login "$1" --name "$1" --role "$2"
  expect_rc 0 "user $1"
done
run user add --login ent1 --name "张伟" --role enterprise --org 1
expect_rc 0 "ent1"
run user add --login ent2 --name "李娜" --role enterprise --org 2
expect_rc 0 "ent2"
run user add --login ent3 --name "王芳" --role enterprise --org 3
expect_rc 0 "ent3"
# rev2 worked for organisation 1 until 2025-12-31: within 24 months.
run link add --user rev2 --org 1 --kind employed --from 2020-01-01 --to 2025-12-31
expect_rc 0 "impartiality link of rev2"
unset STARCERT_AS

REQUIRED="application_form business_licence product_description laws_and_standards company_profile organisation_chart sales_and_service_policy outlet_list delivery_mode system_document_list service_manual"

# ---- help and usage -------------------------------------------------------

for c in application document contract review finding; do
  run "$c" --help
  expect_rc 0 "$c --help"
  [ -n "$out" ] && ok || bad "$c --help prints usage"
done
usage "application without subcommand" application
usage "unknown subcommand" application frobnicate 1 --as ent1
usage "unknown option" application show 1 --colour --as ent1
usage "create without --scope" application create --as ent1
usage "show without ID" application show --as ent1
usage "option of another subcommand" application submit 1 --reason x --as ent1
usage "upload without FILE" document upload --application 1 --kind service_manual --as ent1
usage "get without --out" document get 1 --as ent1
usage "contract without --application" contract sign --number X --as mkt
usage "finding correct without --action" finding correct 1 --as ent1
usage "review approve with a finding" review approve --application 1 --finding x --as rev

# ---- create ---------------------------------------------------------------

refused forbidden as "enterprise applies for another organisation" \
  application create --as ent1 --org 2 --scope "手机售后"
refused forbidden as "review may not create applications" \
  application create --as rev --org 1 --scope "家电售后"
refused usage organisation "market names no organisation" \
  application create --as mkt --scope "家电售后"
refused not_found organisation "unknown organisation" \
  application create --as mkt --org 99 --scope "家电售后"
refused invalid kind "unknown kind" \
  application create --as ent1 --kind renewal --scope "家电售后"
refused invalid scope "blank scope" \
  application create --as ent1 --scope "   "
refused invalid delivery_mode "unknown delivery mode" \
  application create --as ent1 --scope "家电售后" --delivery-mode drone
refused invalid certificate "recertification without a certificate" \
  application create --as ent1 --kind recertification --scope "家电售后"
refused not_found certificate "recertification of an unknown certificate" \
  application create --as ent1 --kind recertification --certificate ASC-2020-999999 --scope "家电售后"
refused unauthenticated as "unknown user" \
  application create --as nobody --scope "家电售后"

run application create --as ent1 --scope "家用电器的配送、安装、维修与投诉处理" --delivery-mode mixed
expect_rc 0 "enterprise creates an initial application"
expect_json .id 1 "application id"
expect_json .state draft "new application is a draft"
expect_json .kind initial "kind defaults to initial"
expect_json .scheme.id gbt27922-2011 "scheme recorded"
expect_json .scheme.version 1 "scheme version recorded"
expect_json .organisation.uscc 91110000802100433B "organisation"
expect_json .time_to_certify.elapsed_days null "no clock before submission"
expect_json .time_to_certify.target_days 90 "90-day target"
expect_json '.materials.missing | length' 11 "11 required materials missing"
expect_json '.actions | map(.action) | join(",")' "submit,withdraw" "enterprise's actions on a draft"

refused conflict organisation "a second application while one is in progress" \
  application create --as mkt --org 1 --scope "家电售后"

# ---- submit needs materials and preparation ------------------------------

refused precondition_failed materials_uploaded "submit without materials" \
  application submit 1 --as ent1

refused forbidden as "another organisation uploads" \
  document upload --application 1 --kind service_manual --as ent2 "$TMP/manual.pdf"
refused forbidden as "review uploads" \
  document upload --application 1 --kind service_manual --as rev "$TMP/manual.pdf"
refused unsupported_media_type file "a GIF is refused" \
  document upload --application 1 --kind company_profile --as ent1 "$TMP/photo.gif"
refused unsupported_media_type file "a CSV is refused" \
  document upload --application 1 --kind outlet_list --as ent1 "$TMP/outlets.csv"
refused invalid kind "unknown document kind" \
  document upload --application 1 --kind brochure --as ent1 "$TMP/doc.pdf"
refused invalid name "file name with a path separator" \
  document upload --application 1 --kind company_profile --name "a/b.pdf" --as ent1 "$TMP/doc.pdf"
refused not_found application "upload to an unknown application" \
  document upload --application 9 --kind company_profile --as ent1 "$TMP/doc.pdf"
# 21 MiB: over the scheme's 20 MiB (20971520 bytes).
pdf "$TMP/big.pdf" 22020096
refused too_large file "a 21 MiB file" \
  document upload --application 1 --kind service_manual --as ent1 "$TMP/big.pdf"
refused forbidden as "an oversize upload to another organisation: refused for who, not size" \
  document upload --application 1 --kind service_manual --as ent2 "$TMP/big.pdf"
refused invalid kind "an oversize upload of an unknown kind: the kind is checked first" \
  document upload --application 1 --kind brochure --as ent1 "$TMP/big.pdf"
rm -f "$TMP/big.pdf"

for k in $REQUIRED; do
  [ "$k" = service_manual ] && continue
  f="$TMP/doc.pdf"
  [ "$k" = business_licence ] && f="$TMP/licence.png"
  run document upload --application 1 --kind "$k" --as ent1 "$f"
  expect_rc 0 "upload $k"
done
run document upload --application 1 --kind business_licence --as ent1 "$TMP/licence.png"
expect_json .media_type image/png "PNG detected from the bytes"
expect_json .size 67 "PNG size"
expect_json .sha256 "$(sha256sum "$TMP/licence.png" | cut -d' ' -f1)" "PNG SHA-256"
expect_json .name licence.png "name defaults to the file's base name"
LICENCE_ID=$(printf '%s' "$out" | jq -r .id)

run application show 1 --as ent1
expect_json '.materials.missing | join(",")' service_manual "only the service manual missing"
refused precondition_failed materials_uploaded "submit without the service manual" \
  application submit 1 --as ent1

run document upload --application 1 --kind service_manual --name "服务手册.pdf" --as ent1 "$TMP/manual.pdf"
expect_rc 0 "upload the service manual"
expect_json .media_type application/pdf "PDF detected from the bytes"
expect_json .name "服务手册.pdf" "name given"
MANUAL1=$(printf '%s' "$out" | jq -r .id)

refused precondition_failed preparation_done "submit without a trained service manager" \
  application submit 1 --as ent1

refused invalid name "manager without a name" \
  application manager-add 1 --name " " --certificate-no SM-2025-0001 --as ent1
refused forbidden as "another organisation adds a manager" \
  application manager-add 1 --name "赵六" --certificate-no SM-2025-0009 --as ent2
run application manager-add 1 --name "张伟" --certificate-no SM-2025-0001 --as ent1
expect_rc 0 "add a trained service manager"
expect_json '.managers[0].certificate_no' SM-2025-0001 "manager listed"
expect_json '.preparation[0].done' true "item 1 done (1 manager, scheme minimum 1)"
expect_json '.preparation[1].done' true "item 2 done (service manual)"
refused conflict certificate_no "the same training certificate twice" \
  application manager-add 1 --name "张伟" --certificate-no SM-2025-0001 --as ent1

refused invalid item "preparation item 6" \
  application prepare 1 --item 6 --evidence "x" --as ent1
refused invalid evidence "done without evidence" \
  application prepare 1 --item 5 --evidence " " --as ent1
run application prepare 1 --item 1 --evidence "培训证书扫描件已上传" --as ent1
expect_rc 0 "declare item 1"
expect_json '.preparation[0].declared' true "item 1 declared"
expect_json '.preparation[0].evidence' "培训证书扫描件已上传" "item 1 evidence"

refused forbidden role "market may not submit" application submit 1 --as mkt
refused forbidden as "another organisation may not submit" application submit 1 --as ent2
refused not_found application "unknown application" application submit 7 --as ent1

run application submit 1 --as ent1
expect_rc 0 "submit"
expect_json .state submitted "submitted"
expect_json .submitted_on 2026-03-01 "submitted today"
expect_json '.preparation[2].done' true "item 3 done (form submitted)"

refused state_conflict action "submit twice" application submit 1 --as ent1
refused state_conflict application "no uploads while submitted" \
  document upload --application 1 --kind company_profile --as ent1 "$TMP/doc.pdf"
refused forbidden role "enterprise may not accept" application accept 1 --as ent1
refused precondition_failed reason_given "return without a reason" application return 1 --as mkt
refused precondition_failed reason_given "return with a blank reason" application return 1 --reason "  " --as mkt
refused precondition_failed reason_given "reject without a reason" application reject 1 --as mkt

export STARCERT_TODAY=2026-03-02
run application return 1 --reason "营业执照复印件不清晰" --as mkt
expect_rc 0 "return"
expect_json .state draft "returned to draft"
expect_json .state_reason "营业执照复印件不清晰" "reason recorded"
run application submit 1 --as ent1
expect_json .state submitted "resubmitted"
expect_json .submitted_on 2026-03-02 "the clock restarts at the resubmission"
run application accept 1 --as mkt
expect_rc 0 "accept"
expect_json .state accepted "accepted"
refused state_conflict application "no uploads while accepted" \
  document upload --application 1 --kind company_profile --as ent1 "$TMP/doc.pdf"

# ---- contract -------------------------------------------------------------

refused forbidden role "review may not sign" \
  contract sign --application 1 --number HT-2026-001 --fee-cents 3000000 --preliminary-audit 2026-04-15 --as rev
refused precondition_failed contract_fields "contract without a fee" \
  contract sign --application 1 --number HT-2026-001 --preliminary-audit 2026-04-15 --as mkt
refused precondition_failed contract_fields "contract without a number" \
  contract sign --application 1 --fee-cents 3000000 --preliminary-audit 2026-04-15 --as mkt
refused precondition_failed contract_fields "contract without an audit date" \
  contract sign --application 1 --number HT-2026-001 --fee-cents 3000000 --as mkt
refused invalid preliminary_audit "preliminary audit before today" \
  contract sign --application 1 --number HT-2026-001 --fee-cents 3000000 --preliminary-audit 2026-03-01 --as mkt
refused invalid preliminary_audit "a day that does not exist" \
  contract sign --application 1 --number HT-2026-001 --fee-cents 3000000 --preliminary-audit 2026-02-30 --as mkt
refused invalid preliminary_audit "not a date" \
  contract sign --application 1 --number HT-2026-001 --fee-cents 3000000 --preliminary-audit 15/04/2026 --as mkt
refused invalid fee_cents "fee 0" \
  contract sign --application 1 --number HT-2026-001 --fee-cents 0 --preliminary-audit 2026-04-15 --as mkt
refused invalid fee_cents "fee not a number" \
  contract sign --application 1 --number HT-2026-001 --fee-cents 3万 --preliminary-audit 2026-04-15 --as mkt

# Man-days by hand: 100 employees -> band 86-125, initial 8.5; 4 outlets ->
# ceil(sqrt 4) = 2 visited x 0.5 = 1.0; total 9.5 man-days = 19 half days.
# The preliminary audit may be today.
run contract sign --application 1 --number HT-2026-001 --fee-cents 3000000 --preliminary-audit 2026-03-02 --as mkt
expect_rc 0 "sign the contract"
expect_json .state contracted "contracted"
expect_json .contract.number HT-2026-001 "contract number"
expect_json .contract.fee_cents 3000000 "fee in cents"
expect_json .contract.mandays_halves 19 "9.5 man-days"
expect_json .contract.preliminary_audit 2026-03-02 "preliminary audit date"
expect_json '.preparation[3].done' true "item 4 done (contract)"
refused state_conflict action "sign twice" \
  contract sign --application 1 --number HT-2026-002 --fee-cents 3000000 --preliminary-audit 2026-04-15 --as mkt

# ---- document review --------------------------------------------------------

refused forbidden role "market may not review" review approve --application 1 --as mkt
refused precondition_failed findings_recorded "revise without findings" \
  review revise --application 1 --as rev
refused impartiality_conflict person "reviewer employed by the organisation within 24 months" \
  review revise --application 1 --finding "x" --as rev2
refused impartiality_conflict person "the same reviewer may not approve either" \
  review approve --application 1 --as rev2
refused invalid "findings[0].text" "blank finding" \
  review revise --application 1 --finding " " --as rev

run review revise --application 1 --finding "服务手册缺少投诉处理流程" --major "未规定商品召回程序" --note "请修订服务手册" --as rev
expect_rc 0 "revise"
expect_json .state contracted "still contracted"
expect_json '.findings | length' 2 "two findings"
expect_json '.findings[0].severity' minor "first finding minor"
expect_json '.findings[1].severity' major "second finding major"
expect_json '.findings[1].source' document_review "source document_review"
expect_json '.findings | map(.state) | join(",")' "open,open" "findings open"
expect_json '.reviews[0].outcome' revise "review recorded"
F1=$(printf '%s' "$out" | jq -r '.findings[0].id')
F2=$(printf '%s' "$out" | jq -r '.findings[1].id')

refused precondition_failed no_open_document_findings "approve with open findings" \
  review approve --application 1 --as rev
refused state_conflict finding "verify an open finding" finding verify "$F1" --as rev
refused forbidden as "another organisation corrects" finding correct "$F1" --action "x" --as ent2
refused forbidden as "review may not correct" finding correct "$F1" --action "x" --as rev
refused invalid corrective_action "blank corrective action" finding correct "$F1" --action " " --as ent1
refused not_found finding "unknown finding" finding correct 99 --action "x" --as ent1

run finding correct "$F1" --action "已补充投诉处理流程（第7章）" --as ent1
expect_rc 0 "correct finding 1"
expect_json .state corrected "finding 1 corrected"
run finding correct "$F2" --action "已增加召回程序" --as ent1
expect_json .state corrected "finding 2 corrected"
refused state_conflict finding "correct twice" finding correct "$F1" --action "again" --as ent1
refused forbidden as "the enterprise may not verify" finding verify "$F1" --as ent1
refused forbidden as "an auditor off the audit team may not verify" finding verify "$F1" --as aud
refused forbidden as "market may not verify" finding verify "$F1" --as mkt
refused invalid note "send back without saying why" finding verify "$F2" --reject --as rev

run finding verify "$F2" --reject --note "召回程序未覆盖已售商品" --as rev
expect_rc 0 "send finding 2 back"
expect_json .state open "finding 2 open again"
run finding correct "$F2" --action "召回程序覆盖全部已售商品" --as ent1
expect_json .state corrected "finding 2 corrected again"
run finding verify "$F1" --as rev
expect_json .state verified "finding 1 verified"
expect_json .verified_by rev "verified by the reviewer"
expect_json .verified_on 2026-03-02 "verified today"
run finding verify "$F2" --as rev
expect_json .state verified "finding 2 verified"

refused precondition_failed revised_manual "approve before a revised manual is uploaded" \
  review approve --application 1 --as rev

run document upload --application 1 --kind service_manual --as ent1 "$TMP/manual2.pdf"
expect_rc 0 "upload the revised manual while contracted"
expect_json .current true "the revised manual is current"
MANUAL2=$(printf '%s' "$out" | jq -r .id)
run document list --application 1 --as rev
expect_json "map(select(.id == $MANUAL1))[0].current" false "the reviewed manual is superseded"
expect_json "map(select(.kind == \"service_manual\")) | length" 2 "both manuals kept"

run review approve --application 1 --note "文件审核通过" --as rev
expect_rc 0 "approve the documents"
expect_json .state documents_approved "documents approved"
expect_json '.reviews | map(.outcome) | join(",")' "revise,approved" "both reviews recorded"
expect_json '.reviews[1].manual' "$MANUAL2" "approval names the manual reviewed"
refused state_conflict action "approve twice" review approve --application 1 --as rev
refused state_conflict application "no uploads after approval" \
  document upload --application 1 --kind service_manual --as ent1 "$TMP/manual.pdf"

# ---- reading: visibility, time to certify, document bytes -----------------

refused forbidden as "another organisation may not see the application" application show 1 --as ent2
refused forbidden as "another organisation may not fetch a document" \
  document get "$LICENCE_ID" --out "$TMP/x" --as ent2
refused forbidden as "an auditor off the team may not fetch a document" \
  document get "$LICENCE_ID" --out "$TMP/x" --as aud
run document get "$LICENCE_ID" --out "$TMP/fetched.png" --as ent1
expect_rc 0 "fetch the licence"
expect_json .kind business_licence "metadata printed"
cmp -s "$TMP/fetched.png" "$TMP/licence.png" && ok || bad "fetched bytes equal the uploaded bytes"
run document get "$MANUAL2" --out "$TMP/fetched.pdf" --as rev
cmp -s "$TMP/fetched.pdf" "$TMP/manual2.pdf" && ok || bad "review fetches the revised manual"

# Submitted 2026-03-02: 2026-05-31 is 29 + 30 + 31 = 90 days later (target,
# not over); 2026-06-01 is 91 (over).
run application show 1 --as mkt --today 2026-05-31
expect_json .time_to_certify.elapsed_days 90 "90 days on 2026-05-31"
expect_json .time_to_certify.over_target false "at the target is not over it"
run application show 1 --as mkt --today 2026-06-01
expect_json .time_to_certify.elapsed_days 91 "91 days on 2026-06-01"
expect_json .time_to_certify.over_target true "over the target"

# ---- organisation 2: reject, then a duplicate contract number -------------

submit_new() { # USER: create, upload every required material, add a manager, submit
  local u=$1 id k
  run application create --as "$u" --scope "手机维修服务"
  id=$(printf '%s' "$out" | jq -r .id)
  for k in $REQUIRED; do
    run document upload --application "$id" --kind "$k" --as "$u" "$TMP/doc.pdf"
  done
  run application manager-add "$id" --name "经理" --certificate-no "SM-$u-$id" --as "$u"
  run application submit "$id" --as "$u"
  expect_json .state submitted "application $id of $u submitted"
  APP=$id
}

submit_new ent2
refused forbidden role "the enterprise may not reject" application reject "$APP" --reason x --as ent2
run application reject "$APP" --reason "不在认证范围内" --as mkt
expect_rc 0 "reject"
expect_json .state rejected "rejected"
expect_json .closed_on 2026-03-02 "closed today"
refused state_conflict action "withdraw a rejected application" application withdraw "$APP" --reason x --as ent2

submit_new ent2
run application accept "$APP" --as mkt
refused conflict number "a contract number already used" \
  contract sign --application "$APP" --number HT-2026-001 --fee-cents 800000 --preliminary-audit 2026-04-01 --as mkt
# 8 employees -> band 1-10: initial 3 man-days; no outlets.
run contract sign --application "$APP" --number HT-2026-002 --fee-cents 800000 --preliminary-audit 2026-04-01 --as mkt
expect_json .contract.mandays_halves 6 "3 man-days"

# ---- listing ----------------------------------------------------------------

run application list --as ent1
expect_json 'map(.id) | join(",")' 1 "an enterprise lists only its own"
run application list --as mkt
expect_json 'length' 3 "market lists every application"
run application list --as mkt --state rejected
expect_json 'map(.state) | join(",")' rejected "filter by state"
refused forbidden as "an enterprise lists another organisation's" application list --org 1 --as ent2
refused invalid state "unknown state" application list --state pending --as mkt

# ---- withdraw -----------------------------------------------------------------

refused forbidden role "market may not withdraw" application withdraw 1 --reason x --as mkt
refused precondition_failed reason_given "withdraw without a reason" application withdraw 1 --as ent1
export STARCERT_TODAY=2026-03-10
run application withdraw 1 --reason "企业决定推迟认证" --as ent1
expect_rc 0 "withdraw after the documents were approved"
expect_json .state withdrawn "withdrawn"
expect_json .closed_on 2026-03-10 "closed on the withdrawal"
run application show 1 --as ent1 --today 2026-12-31
expect_json .time_to_certify.until 2026-03-10 "the clock stops at the withdrawal"
expect_json .time_to_certify.elapsed_days 8 "8 days from 03-02 to 03-10"
refused state_conflict action "withdraw twice" application withdraw 1 --reason x --as ent1
refused state_conflict finding "a closed review's finding" finding verify "$F1" --as rev
refused state_conflict application "no preparation on a final application" \
  application prepare 1 --item 5 --evidence x --as ent1

# ---- non-initial kinds against certificates (fixtures) -----------------------

# Certificate 1 of organisation 1, issued 2023-06-01, expires 2026-05-31:
# recertification opens 2026-06-01 - 3 months = 2026-03-01 and may be
# decided late until 2026-11-30. Certificate 2 of organisation 2, suspended.
sqlite3 "$DB" "INSERT INTO certificates (id, number, organisation_id, state, state_since, level, score_tenths, scope, initial_issued, cycle_start, issued, expires, anchor, scheme_id, scheme_version) VALUES
 (1, 'ASC-2023-000001', 1, 'active', '2023-06-01', 'four_star', 912, '家电售后', '2023-06-01', '2023-06-01', '2023-06-01', '2026-05-31', '2023-06-01', 'gbt27922-2011', '1'),
 (2, 'ASC-2023-000002', 2, 'suspended', '2025-06-01', 'compliant', 712, '手机售后', '2023-06-01', '2023-06-01', '2023-06-01', '2026-05-31', '2023-06-01', 'gbt27922-2011', '1');"
refused conflict kind "an initial application while a certificate is active" \
  application create --as ent1 --scope "家电售后"
refused invalid certificate "an initial application naming a certificate" \
  application create --as ent1 --kind initial --certificate ASC-2023-000001 --scope "家电售后"
refused conflict certificate "another organisation's certificate" \
  application create --as ent1 --kind upgrade --certificate ASC-2023-000002 --scope "家电售后"
refused state_conflict certificate "upgrade of a suspended certificate" \
  application create --as ent2 --kind upgrade --certificate ASC-2023-000002 --scope "手机售后"
refused state_conflict certificate "recertification one day before its period" \
  application create --as ent1 --kind recertification --certificate ASC-2023-000001 --scope "家电售后" --today 2026-02-28
run application create --as ent1 --kind recertification --certificate ASC-2023-000001 --scope "家电售后" --today 2026-03-01
expect_rc 0 "recertification on the first day of its period"
expect_json .kind recertification "kind"
expect_json .certificate 1 "certificate recorded"
REC=$(printf '%s' "$out" | jq -r .id)
run application withdraw "$REC" --reason "测试" --as ent1
sqlite3 "$DB" "UPDATE certificates SET state = 'expired' WHERE id = 1"
refused state_conflict certificate "recertification a day after the late period" \
  application create --as ent1 --kind recertification --certificate 1 --scope "家电售后" --today 2026-12-01
run application create --as ent1 --kind recertification --certificate 1 --scope "家电售后" --today 2026-11-30
expect_rc 0 "recertification of an expired certificate on the last late day"

# ---- a scheme with a small upload cap: the cap at the byte -------------------

jq '.version = "2" | .application.document_max_bytes = 2000' "$SCHEME" >"$TMP/small.json"
run init --db "$DB" --scheme "$TMP/small.json"
expect_rc 0 "load scheme version 2"
run application create --as ent3 --scope "手机售后"
expect_json .scheme.version 2 "the newest scheme is recorded"
APP3=$(printf '%s' "$out" | jq -r .id)
pdf "$TMP/cap.pdf" 0
size=$(stat -c %s "$TMP/cap.pdf")
pdf "$TMP/cap.pdf" $((2000 - size))
[ "$(stat -c %s "$TMP/cap.pdf")" = 2000 ] && ok || bad "test PDF of 2000 bytes"
run document upload --application "$APP3" --kind company_profile --as ent3 "$TMP/cap.pdf"
expect_rc 0 "a document of exactly the cap"
expect_json .size 2000 "2000 bytes stored"
pdf "$TMP/over.pdf" $((2001 - size))
refused too_large file "one byte over the scheme's cap" \
  document upload --application "$APP3" --kind company_profile --as ent3 "$TMP/over.pdf"

# ---- the trail -----------------------------------------------------------------

run audit-verify --db "$DB"
expect_rc 0 "the event chain verifies"
n=$(sqlite3 "$DB" "SELECT COUNT(*) FROM events WHERE entity = 'application' AND entity_id = 1 AND action LIKE 'application.%'")
# create, prepare, manager_add, submit, return, submit, accept,
# sign_contract, revise_documents, approve_documents, withdraw
[ "$n" = 11 ] && ok || bad "application 1 has 11 events (got $n)"
d=$(sqlite3 "$DB" "SELECT detail FROM events WHERE action = 'application.return'")
[ "$(printf '%s' "$d" | jq -r '.before.state + ">" + .after.state + ":" + .reason')" = "submitted>draft:营业执照复印件不清晰" ] && ok || bad "return event detail: $d"

finish
