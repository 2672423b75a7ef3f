#!/usr/bin/env bash
# starcert org / outlet / user / qualification / link: the parties of
# certification (domain.md sections 1, 5, 7). Happy paths, then every
# refusal, each proven harmless: the database dump hashes the same before
# and after. Usage errors exit 2, --help exits 0.
source "$(dirname "$0")/lib.sh"

DB=$TMP/db
export STARCERT_DB=$DB
export STARCERT_TODAY=2025-03-10
unset STARCERT_AS

dbhash() { sqlite3 "$DB" .dump | sha256sum | cut -d' ' -f1; }

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

# usage DESC ARGS...: exit 2, nothing on stdout, no change.
usage() {
  local desc=$1; shift
  local before after
  before=$(dbhash)
  run "$@"
  expect_rc 2 "$desc"
  if [ -z "$out" ]; then ok; else bad "$desc: stdout not empty"; fi
  after=$(dbhash)
  if [ "$before" = "$after" ]; then ok; else bad "$desc: database changed"; fi
}

count_events() { sqlite3 "$DB" "SELECT COUNT(*) FROM events"; }

# Published, valid 统一社会信用代码 (the check characters were worked by
# hand in test_uscc.sh).
U1=91110000802100433B
U2=91350100M000100Y43
U3=914403001922038216

run init --db "$DB"
expect_rc 0 "init"

# ---- bootstrap: the first admin of an empty database ----------------------

# a fresh database refuses a first user who is not an admin
run init --db "$TMP/empty"
before=$(sqlite3 "$TMP/empty" .dump | sha256sum)
run user add --db "$TMP/empty" --login m --name "M" --role market
expect_rc 1 "first user not admin"
expect_json .error.code invalid "first user not admin: code"
expect_json .error.field role "first user not admin: field"
after=$(sqlite3 "$TMP/empty" .dump | sha256sum)
if [ "$before" = "$after" ]; then ok; else bad "first user not admin: database changed"; fi

# --as naming nobody in an empty database is not a bootstrap
run user add --db "$TMP/empty" --as ghost --login a --name "A" --role admin
expect_rc 1 "empty database, unknown --as"
expect_json .error.code unauthenticated "empty database, unknown --as: code"

run user add --login root --name "Root Admin" --role admin
expect_rc 0 "bootstrap admin"
expect_json .login root "bootstrap: login"
expect_json .role admin "bootstrap: role"
expect_json .organisation null "bootstrap: no organisation"
expect_json .active true "bootstrap: active"
expect_json '.qualifications | length' 0 "bootstrap: no qualifications"
got=$(sqlite3 "$DB" "SELECT action || ' ' || COALESCE(actor_id, 'null') || ' ' || json_extract(detail, '$.bootstrap') FROM events ORDER BY id DESC LIMIT 1")
if [ "$got" = "user.create null 1" ]; then ok; else bad "bootstrap event ($got)"; fi

refused unauthenticated as "second user without --as" \
  user add --login root2 --name "Other" --role admin
refused unauthenticated as "second admin without --as, even with the first's role" \
  user add --login market1 --name "M" --role market

# ---- staff ----------------------------------------------------------------

export STARCERT_AS=root
for spec in "mkt:market:市场部 王芳" "rev:review:评审部 李强" "aud:auditor:审核员 张伟" \
            "aud2:auditor:审核员 赵敏" "lead:auditor:组长 陈静" "com1:committee:委员 刘洋" \
            "com2:committee:委员 孙丽"; do
  IFS=: read -r login role name <<<"$spec"
  run user add --login "$login" --name "$name" --role "$role"
  expect_rc 0 "add $role $login"
  expect_json .role "$role" "add $login: role"
  expect_json .name "$name" "add $login: name"
done

# ---- organisations --------------------------------------------------------

run org add --as mkt --uscc "$U1" --name "北京海尔电器服务有限公司" \
  --name-en "Beijing Appliance Service Co., Ltd." --address "北京市朝阳区建国路1号" --employees 120
expect_rc 0 "market registers an organisation"
expect_json .id 1 "org 1: id"
expect_json .uscc "$U1" "org 1: uscc"
expect_json .name "北京海尔电器服务有限公司" "org 1: Chinese name"
expect_json .name_en "Beijing Appliance Service Co., Ltd." "org 1: English name"
expect_json .employees 120 "org 1: employees"
expect_json '.outlets | length' 0 "org 1: no outlets yet"

run org add --uscc "$U2" --name "福州家电维修有限公司" --address "福州市鼓楼区" --employees 1
expect_rc 0 "admin registers an organisation (employees 1, the minimum)"
expect_json .name_en null "org 2: no English name"
expect_json .employees 1 "org 2: employees"

# refusals on organisations
refused invalid uscc "wrong check character" \
  org add --as mkt --uscc 91110000802100433C --name "X" --address "Y" --employees 5
expect_json .error.message "wrong check character: expected 'B', got 'C'" "wrong check: the core's message"
refused invalid uscc "17 characters" \
  org add --as mkt --uscc 91110000802100433 --name "X" --address "Y" --employees 5
expect_json .error.message "must be 18 characters long, got 17" "17 characters: message"
refused invalid uscc "letter I is never used" \
  org add --as mkt --uscc 9111000080210043IB --name "X" --address "Y" --employees 5
refused conflict uscc "duplicate 统一社会信用代码" \
  org add --as mkt --uscc "$U1" --name "另一家" --address "Y" --employees 5
refused invalid employees "employees 0" \
  org add --as mkt --uscc "$U3" --name "X" --address "Y" --employees 0
refused invalid employees "employees not a number" \
  org add --as mkt --uscc "$U3" --name "X" --address "Y" --employees 12a
refused invalid name "empty name" \
  org add --as mkt --uscc "$U3" --name "" --address "Y" --employees 5
refused invalid name "blank name" \
  org add --as mkt --uscc "$U3" --name "   " --address "Y" --employees 5
refused invalid address "empty address" \
  org add --as mkt --uscc "$U3" --name "X" --address "" --employees 5
refused forbidden as "review may not register organisations" \
  org add --as rev --uscc "$U3" --name "X" --address "Y" --employees 5
expect_json .error.message "role review may not take action organisation.create" "review: message"
refused forbidden as "auditor may not register organisations" \
  org add --as aud --uscc "$U3" --name "X" --address "Y" --employees 5
refused unauthenticated as "unknown actor" \
  org add --as nobody --uscc "$U3" --name "X" --address "Y" --employees 5

# ---- outlets --------------------------------------------------------------

run outlet add --as mkt --org "$U1" --name "朝阳服务网点" --address "北京市朝阳区"
expect_rc 0 "market adds an outlet by USCC"
expect_json .organisation 1 "outlet: organisation"
expect_json .name "朝阳服务网点" "outlet: name"
run outlet add --as mkt --org 1 --name "海淀服务网点" --address "北京市海淀区"
expect_rc 0 "market adds an outlet by id"
refused conflict name "duplicate outlet name" \
  outlet add --as mkt --org 1 --name "朝阳服务网点" --address "别处"
refused not_found organisation "outlet of an unknown organisation" \
  outlet add --as mkt --org 99 --name "X" --address "Y"
refused not_found organisation "outlet of an unknown USCC" \
  outlet add --as mkt --org "$U3" --name "X" --address "Y"
refused forbidden as "committee may not add outlets" \
  outlet add --as com1 --org 1 --name "X" --address "Y"

run outlet list --as mkt --org 1
expect_rc 0 "outlet list"
expect_json 'length' 2 "outlet list: two outlets"
expect_json '.[1].name' "海淀服务网点" "outlet list: id order"

# ---- enterprise users -----------------------------------------------------

run user add --login ent1 --name "企业 周杰" --role enterprise --org "$U1"
expect_rc 0 "enterprise user bound to organisation 1"
expect_json .organisation 1 "ent1: organisation"
run user add --login ent2 --name "企业 吴" --role enterprise --org 2
expect_rc 0 "enterprise user bound to organisation 2"

refused invalid organisation "enterprise user bound to no organisation" \
  user add --login ent3 --name "E" --role enterprise
refused invalid organisation "enterprise user bound to two organisations" \
  user add --login ent3 --name "E" --role enterprise --org 1 --org 2
refused not_found organisation "enterprise user of an unknown organisation" \
  user add --login ent3 --name "E" --role enterprise --org 42
refused invalid organisation "staff user with an organisation" \
  user add --login aud3 --name "A" --role auditor --org 1
refused conflict login "duplicate login" \
  user add --login aud --name "Again" --role auditor
refused invalid login "upper-case login" \
  user add --login Bob --name "B" --role market
refused invalid login "login with a space" \
  user add --login "b ob" --name "B" --role market
refused invalid login "reserved login" \
  user add --login system --name "S" --role admin
refused invalid role "role system" \
  user add --login clock --name "C" --role system
refused invalid role "unknown role" \
  user add --login x1 --name "X" --role boss
refused invalid name "user without a name" \
  user add --login x1 --name "" --role market
refused forbidden as "market may not add users" \
  user add --as mkt --login x1 --name "X" --role market
refused forbidden as "enterprise may not add users" \
  user add --as ent1 --login x1 --name "X" --role enterprise --org 1

# what an enterprise user may do, and may not
run outlet add --as ent1 --org 1 --name "通州服务网点" --address "北京市通州区"
expect_rc 0 "enterprise adds an outlet to its own organisation"
refused forbidden as "enterprise adds an outlet to another organisation" \
  outlet add --as ent1 --org 2 --name "X" --address "Y"
expect_json .error.message "role enterprise may take action outlet.add only for its own organisation" \
  "enterprise other org: message"
refused forbidden as "enterprise adds an outlet to an unknown organisation" \
  outlet add --as ent1 --org 99 --name "X" --address "Y"
refused forbidden as "enterprise registers an organisation" \
  org add --as ent1 --uscc "$U3" --name "X" --address "Y" --employees 5
refused forbidden as "enterprise reads another organisation" org show 2 --as ent1
refused forbidden as "enterprise lists another organisation's outlets" \
  outlet list --as ent1 --org "$U2"

run org show "$U1" --as ent1
expect_rc 0 "enterprise reads its own organisation"
expect_json '.outlets | length' 3 "own organisation: three outlets"
run org list --as ent1
expect_rc 0 "enterprise lists organisations"
expect_json 'length' 1 "enterprise sees one organisation"
expect_json '.[0].uscc' "$U1" "enterprise sees its own"
run org list --as mkt
expect_json 'length' 2 "market sees both organisations"
expect_json '.[0].outlet_count' 3 "list: outlet count"
run org list --as mkt --after 1 --limit 1
expect_json 'length' 1 "after 1: one row"
expect_json '.[0].id' 2 "after 1: organisation 2"
refused invalid limit "limit 0" org list --as mkt --limit 0
refused not_found organisation "show unknown" org show 77 --as mkt
refused invalid organisation "show neither id nor USCC" org show abc --as mkt

# ---- qualifications -------------------------------------------------------

run qualification add --user lead --kind lead_auditor --number "CCAA-L-001" --from 2024-01-01 --to 2026-12-31
expect_rc 0 "lead auditor qualification"
expect_json .kind lead_auditor "qualification: kind"
expect_json .valid_from 2024-01-01 "qualification: from"
expect_json .valid_to 2026-12-31 "qualification: to"
run qualification add --user aud --kind auditor --number "CCAA-A-002" --from 2024-02-29 --to 2024-02-29
expect_rc 0 "one-day qualification on 29 February (from = to)"
run qualification add --user aud2 --kind auditor --number "CCAA-A-003" --from 2023-01-01 --to 2027-12-31
expect_rc 0 "auditor qualification"

refused invalid valid_to "qualification dates reversed" \
  qualification add --user aud --kind auditor --number "Q-9" --from 2025-01-02 --to 2025-01-01
refused invalid valid_from "qualification with an impossible date" \
  qualification add --user aud --kind auditor --number "Q-9" --from 2025-02-29 --to 2026-01-01
refused invalid kind "qualification kind unknown" \
  qualification add --user aud --kind expert --number "Q-9" --from 2025-01-01 --to 2026-01-01
refused invalid user "qualification for a committee member" \
  qualification add --user com1 --kind auditor --number "Q-9" --from 2025-01-01 --to 2026-01-01
refused not_found user "qualification for nobody" \
  qualification add --user nobody --kind auditor --number "Q-9" --from 2025-01-01 --to 2026-01-01
refused conflict number "the same qualification twice" \
  qualification add --user lead --kind lead_auditor --number "CCAA-L-001" --from 2024-01-01 --to 2026-12-31
refused invalid number "qualification without a number" \
  qualification add --user aud --kind auditor --number "" --from 2025-01-01 --to 2026-01-01
refused forbidden as "review may not record qualifications" \
  qualification add --as rev --user aud --kind auditor --number "Q-9" --from 2025-01-01 --to 2026-01-01

run qualification list --as rev
expect_rc 0 "review lists qualifications"
expect_json 'length' 3 "review sees all three"
run qualification list --as aud
expect_json 'length' 1 "an auditor sees their own"
expect_json '.[0].number' "CCAA-A-002" "auditor's own qualification"
refused forbidden as "auditor lists another's qualifications" qualification list --as aud --user lead
refused forbidden as "market lists qualifications" qualification list --as mkt

# ---- the impartiality register --------------------------------------------

run link add --as aud --org "$U1" --kind employed --from 2019-03-01 --to 2023-08-31
expect_rc 0 "an auditor declares their own link"
expect_json .login aud "link: the actor by default"
expect_json .organisation 1 "link: organisation"
expect_json .kind employed "link: kind"
expect_json .to 2023-08-31 "link: to"
expect_json .ongoing false "link: not ongoing"
run link add --as root --user com1 --org 2 --kind consulted --from 2024-06-01 --ongoing
expect_rc 0 "admin records a link for a committee member"
expect_json .to null "ongoing link: no end"
expect_json .ongoing true "ongoing link"
run link add --as rev --org 2 --kind consulted --from 2022-01-01 --to 2022-01-01
expect_rc 0 "a one-day link (from = to)"

refused invalid to "link dates reversed" \
  link add --as aud --org 1 --kind consulted --from 2024-05-02 --to 2024-05-01
refused invalid kind "link kind unknown" \
  link add --as aud --org 1 --kind friend --from 2024-05-01 --ongoing
refused forbidden as "staff declare a link for someone else" \
  link add --as aud --user aud2 --org 1 --kind consulted --from 2024-05-01 --ongoing
expect_json .error.message "role auditor may take action link.declare only for itself" "link for another: message"
refused forbidden as "enterprise declares a link" \
  link add --as ent1 --org 1 --kind employed --from 2024-05-01 --ongoing
refused invalid user "a link for an enterprise user" \
  link add --as root --user ent1 --org 2 --kind employed --from 2024-05-01 --ongoing
refused not_found organisation "a link with an unknown organisation" \
  link add --as aud --org 55 --kind consulted --from 2024-05-01 --ongoing

run link list --as rev
expect_rc 0 "review lists the register"
expect_json 'length' 3 "three links"
run link list --as rev --org 2
expect_json 'length' 2 "two links with organisation 2"
run link list --as aud
expect_json 'length' 1 "an auditor sees their own links"
refused forbidden as "an auditor lists another's links" link list --as aud --user com1
refused forbidden as "enterprise lists the register" link list --as ent1

# ---- users ----------------------------------------------------------------

run user list
expect_rc 0 "admin lists users"
expect_json 'length' 10 "ten users"
run user list --role auditor
expect_json 'length' 3 "three auditors"
run user list --as mkt
expect_json 'length' 1 "anyone else sees only themself"
expect_json '.[0].login' mkt "market sees itself"
run user show aud --as aud
expect_rc 0 "a user shows themself"
expect_json '.qualifications | length' 1 "own qualifications"
expect_json '.links | length' 1 "own links"
refused forbidden as "a user shows another" user show lead --as aud
refused not_found login "show unknown login" user show nobody

# ---- usage and help -------------------------------------------------------

for cmd in org outlet user qualification link; do
  run "$cmd" --help
  expect_rc 0 "$cmd --help"
  if printf '%s' "$out" | grep -q "usage: starcert $cmd"; then ok; else bad "$cmd --help text"; fi
  usage "$cmd without subcommand" "$cmd"
  usage "$cmd unknown subcommand" "$cmd frobnicate"
  usage "$cmd add unknown option" "$cmd" add --bogus
done
run org add --help
expect_rc 0 "org add --help"
usage "org add without --uscc" org add --name X --address Y --employees 3
usage "org show without a ref" org show
usage "org show with two refs" org show 1 2
usage "org list with an argument" org list extra
usage "outlet list without --org" outlet list
usage "user add without --role" user add --login x --name X
usage "qualification add without --to" \
  qualification add --user aud --kind auditor --number Q --from 2025-01-01
usage "link add with --to and --ongoing" \
  link add --org 1 --kind consulted --from 2024-01-01 --to 2024-02-01 --ongoing
usage "link add with neither --to nor --ongoing" \
  link add --org 1 --kind consulted --from 2024-01-01
usage "org list --org is not an option" org list --org 1

# missing --db
STARCERT_DB= run org list
expect_rc 1 "no database named"

# ---- the event chain ------------------------------------------------------

# 1 scheme + 1 bootstrap + 7 staff + 2 organisations + 3 outlets
# + 2 enterprise users + 3 qualifications + 3 links = 22
got=$(count_events)
if [ "$got" = 22 ]; then ok; else bad "22 events, got $got"; fi
run audit-verify --db "$DB"
expect_rc 0 "the event chain verifies"
expect_json .events 22 "audit-verify counts 22 events"
got=$(sqlite3 "$DB" "SELECT group_concat(action, ',') FROM (SELECT DISTINCT action FROM events ORDER BY action)")
if [ "$got" = "link.declare,organisation.create,outlet.add,qualification.add,scheme.load,user.create" ]; then ok; else bad "event actions ($got)"; fi

finish
