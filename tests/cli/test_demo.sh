#!/usr/bin/env bash
# `starcert demo`: the demo certification body of docs/demo.md, built on a
# fresh database through the real actions. The expected values come from
# the demo's script (docs/demo.md) and from domain.md, worked by hand for
# --today 2026-06-15 (seed 1):
#   宁波恒润 three-star, issued 2025-03-02, no surveillance: window 1
#     2025-10-02 .. 2026-03-01 -> suspended by the clock 2026-03-02
#     (surveillance_overdue); withdrawal due 2026-09-02 (+ 6 months).
#   成都蜀锦 compliant, issued 2024-07-31: window 1 closes 2025-07-30 ->
#     suspended 2025-07-31 -> withdrawn 2026-01-31 (+ 6 months).
#   武汉江城 four-star, issued 2023-01-31: expires 2026-01-30 (+ 36 months
#     - 1 day) -> expired 2026-01-31.
#   青岛海纳 five-star, lowered to four-star at its second surveillance:
#     revision 2, the expiry of the cycle kept.
#   广州粤丰 suspended by the committee, restored, recertified before its
#     expiry: the new cycle starts the day after the old expiry.
source "$(dirname "$0")/lib.sh"

DB="$TMP/demo.db"
TODAY=2026-06-15
dump() { sqlite3 "$1" .dump | sha256sum; }

# ---- usage -------------------------------------------------------------------
run demo --help
expect_rc 0 "--help"
printf '%s' "$out" | grep -q "starcert demo --db PATH" && ok || bad "--help prints the usage"
run demo
expect_rc 2 "no --db is a usage error"
run demo --db "$DB" --bogus
expect_rc 2 "unknown option"
run demo --db "$DB" extra
expect_rc 2 "stray argument"
run demo --db "$DB" --seed abc
expect_rc 1 "a seed that is not a number"
expect_json .error.field seed "field seed"
run demo --db "$DB" --seed -1
expect_rc 1 "a negative seed"
run demo --db "$DB" --today 2026-02-30
expect_rc 1 "an impossible date"
expect_json .error.field today "field today"
run demo --db "$DB" --today 1979-12-31
expect_rc 1 "a day too early for a five-year story"
expect_json .error.code invalid "code invalid"
[ ! -e "$DB" ] && ok || bad "a refused demo creates no database"
ls "$TMP" | grep -q tmp && bad "no temporary file left behind" || ok

# ---- the demo ----------------------------------------------------------------
run demo --db "$DB" --today "$TODAY"
expect_rc 0 "demo on a fresh path"
expect_json .created true "the database was created"
expect_json .today "$TODAY" "today echoed"
expect_json .seed 1 "default seed 1"
[ -f "$DB" ] && ok || bad "the database exists"
ls "$TMP" | grep -q '\.tmp' && bad "the temporary file was renamed" || ok
COUNTS=$out
for s in draft submitted accepted rejected contracted documents_approved \
  audit_planned audit_confirmed in_audit audit_reported refused withdrawn; do
  expect_json ".applications.$s" 1 "one application in state $s"
done
expect_json .applications.certified 10 "ten certified applications (nine initial, one recertification)"
expect_json .certificates.total 9 "nine certificates"
expect_json .certificates.status.active 5 "active certificates"
for s in suspended withdrawn cancelled expired; do
  expect_json ".certificates.status.$s" 1 "one $s certificate"
done
expect_json .certificates.level.compliant 2 "compliant"
expect_json .certificates.level.three_star 2 "three-star"
expect_json .certificates.level.four_star 2 "four-star"
expect_json .certificates.level.five_star 3 "five-star"
expect_json .organisations 15 "fifteen enterprises"
expect_json .users.admin 1 "one admin"
expect_json .users.market 2 "two market"
expect_json .users.review 2 "two review"
expect_json .users.auditor 4 "four auditors"
expect_json .users.committee 3 "three committee members"
expect_json .users.enterprise 14 "fourteen enterprise users"
expect_json .qualifications 4 "four auditor qualifications"
expect_json .impartiality_links 1 "one impartiality link"
expect_json .audits.planned 1 "an audit planned"
expect_json .audits.in_audit 1 "an audit in progress"

run audit-verify --db "$DB"
expect_rc 0 "audit-verify"
expect_json .valid true "the event chain verifies"
n=$(printf '%s' "$out" | jq -r .events)
[ "$n" = "$(printf '%s' "$COUNTS" | jq -r .events)" ] && ok || bad "every event counted ($n)"

# ---- the stories, by the rulebook ---------------------------------------------
export STARCERT_DB="$DB" STARCERT_AS=zheng.guoping
run certificate list
expect_rc 0 "certificate list as a committee member"
LIST=$out
cert_of() { printf '%s' "$LIST" | jq -r --arg n "$1" '.[] | select((.organisation.name // .organisation) == $n) | .number'; }

c=$(cert_of 宁波恒润汽车零部件有限公司)
run certificate show "$c"
expect_json .state suspended "恒润: suspended"
expect_json .issued 2025-03-02 "恒润: issued"
expect_json .state_since 2026-03-02 "恒润: suspended the day after window 1 closed"
expect_json .state_reason surveillance_overdue "恒润: reason"
expect_json '.status_changes[-1].by' system "恒润: by the daily clock"
run due --today "$TODAY" --within 120
printf '%s' "$out" | jq -e --arg c "$c" '.[] | select(.certificate == $c and .kind == "withdrawal" and .date == "2026-09-02")' >/dev/null \
  && ok || bad "恒润: withdrawal due 6 months after the suspension"

c=$(cert_of 成都蜀锦厨具有限公司)
run certificate show "$c"
expect_json .state withdrawn "蜀锦: withdrawn"
expect_json .state_since 2026-01-31 "蜀锦: withdrawn 6 months after the suspension"
expect_json '.status_changes[-2].to' suspended "蜀锦: suspended first"
expect_json '.status_changes[-2].on // .status_changes[-2].date' 2025-07-31 "蜀锦: suspended the day after window 1 closed"

c=$(cert_of 武汉江城电梯工程有限公司)
run certificate show "$c"
expect_json .state expired "江城: expired"
expect_json .expires 2026-01-30 "江城: issued + 36 months - 1 day"
expect_json .state_since 2026-01-31 "江城: expired the day after"
expect_json .surveillance_n 3 "江城: three surveillances in its cycle"

c=$(cert_of 青岛海纳电器有限公司)
run certificate show "$c"
expect_json .state active "海纳: active"
expect_json .level four_star "海纳: lowered to four-star"
expect_json .revision 2 "海纳: a new revision"
expect_json '.revisions[0].level' five_star "海纳: revision 1 kept"
expect_json .surveillance_n 2 "海纳: two surveillances"

c=$(cert_of 广州粤丰家电连锁有限公司)
run certificate show "$c"
expect_json .state active "粤丰: active"
expect_json .level five_star "粤丰: raised at recertification"
printf '%s' "$out" | jq -e '[.status_changes[].action] | index("suspend") and index("restore") and index("recertify")' >/dev/null \
  && ok || bad "粤丰: suspended, restored, recertified"
old_exp=$(printf '%s' "$out" | jq -r '.revisions[0].expires')
cycle=$(printf '%s' "$out" | jq -r .cycle_start)
[ "$(date -d "$old_exp + 1 day" +%F)" = "$cycle" ] && ok || bad "粤丰: continuity ($old_exp -> $cycle)"

c=$(cert_of 厦门海湾净水科技有限公司)
run certificate show "$c"
expect_json .state cancelled "海湾: cancelled"
expect_json .state_reason service_stopped "海湾: reason"

# ---- the registry --------------------------------------------------------------
run registry search 海纳
expect_rc 0 "registry search by two characters"
expect_json '.[0].organisation' 青岛海纳电器有限公司 "海纳 finds 青岛海纳电器有限公司"
expect_json '.[0].status' active "its status"
run registry search 净水
expect_json '.[0].status' cancelled "the registry shows a cancelled certificate as such"

# ---- logins and the impartiality link -------------------------------------------
run application list --as kehui
expect_rc 0 "an enterprise user"
expect_json 'length' 1 "kehui sees its own application only"
expect_json '.[0].state' documents_approved "合肥科汇: documents approved"
APP=$(printf '%s' "$out" | jq -r '.[0].id')
before=$(dump "$DB")
run audit plan --as zhang.min --application "$APP" --from 2026-07-01 --to 2026-07-02 \
  --lead zhao.qiang --member zhou.jie --today "$TODAY"
expect_rc 1 "zhou.jie worked for 合肥科汇 ten months ago: refused"
expect_json .error.code impartiality_conflict "impartiality conflict"
[ "$(dump "$DB")" = "$before" ] && ok || bad "the refusal left the database unchanged"
run audit plan --as zhang.min --application "$APP" --from 2026-07-01 --to 2026-07-02 \
  --lead zhao.qiang --member wu.fang --today "$TODAY"
expect_rc 0 "another team is accepted"
unset STARCERT_AS

# ---- refusals ------------------------------------------------------------------
cp "$DB" "$TMP/again.db"
before=$(dump "$TMP/again.db")
run demo --db "$TMP/again.db" --today "$TODAY"
expect_rc 1 "a second demo on the same database"
expect_json .error.code conflict "code conflict"
expect_json .error.field db "field db"
[ "$(dump "$TMP/again.db")" = "$before" ] && ok || bad "the refused demo left the database unchanged"

run init --db "$TMP/user.db"
run user add --db "$TMP/user.db" --login boss --name 老板 --role admin
expect_rc 0 "a database with one real user"
before=$(dump "$TMP/user.db")
run demo --db "$TMP/user.db" --today "$TODAY"
expect_rc 1 "a database with users is refused"
expect_json .error.code conflict "code conflict"
[ "$(dump "$TMP/user.db")" = "$before" ] && ok || bad "unchanged"

run init --db "$TMP/empty.db"
run demo --db "$TMP/empty.db" --today "$TODAY"
expect_rc 0 "an initialised, empty database takes the demo"
expect_json .created false "not created"
expect_json .certificates.total 9 "the same demo"

# ---- deterministic ---------------------------------------------------------------
run demo --db "$TMP/a.db" --today "$TODAY" --seed 7
expect_rc 0 "demo seed 7"
run demo --db "$TMP/b.db" --today "$TODAY" --seed 7
expect_rc 0 "demo seed 7 again"
# identical but for the instants the migrations were applied (real time)
story() { sqlite3 "$1" .dump | grep -v '^INSERT INTO schema_migrations' | sha256sum; }
[ "$(story "$TMP/a.db")" = "$(story "$TMP/b.db")" ] && ok || bad "same seed and today: identical databases"
run demo --db "$TMP/c.db" --today "$TODAY" --seed 8
expect_rc 0 "demo seed 8"
[ "$(story "$TMP/a.db")" != "$(story "$TMP/c.db")" ] && ok || bad "another seed: other details"
q="SELECT number, level, state, revision FROM certificates ORDER BY number"
[ "$(sqlite3 "$TMP/a.db" "$q")" = "$(sqlite3 "$TMP/c.db" "$q")" ] && ok \
  || bad "another seed: the same certificates, levels and states"
q="SELECT state, COUNT(*) FROM applications GROUP BY state"
[ "$(sqlite3 "$TMP/a.db" "$q")" = "$(sqlite3 "$TMP/c.db" "$q")" ] && ok \
  || bad "another seed: the same application states"

# ---- other days: every state at every date (month ends, 29 February) -----------
for t in 2028-02-29 2027-01-31 2026-11-30; do
  run demo --db "$TMP/day-$t.db" --today "$t" --seed 3
  expect_rc 0 "demo ending $t"
  z=$(printf '%s' "$out" | jq '[.applications[], .certificates.status[], .certificates.level[]] | map(select(. == 0)) | length')
  [ "$z" = 0 ] && ok || bad "every state, level and status on $t"
done

# ---- passwords for logging in over HTTP -------------------------------------------
run demo --db "$TMP/pw.db" --today "$TODAY" --password starcert-demo
expect_rc 0 "a demo with a shared password"
users=$(sqlite3 "$TMP/pw.db" "SELECT COUNT(*) FROM users")
hashed=$(sqlite3 "$TMP/pw.db" "SELECT COUNT(*) FROM users WHERE password_hash LIKE '\$argon2id\$%'")
[ "$users" -gt 20 ] && [ "$users" = "$hashed" ] && ok || bad "every demo user has an Argon2id password ($hashed of $users)"
STARCERT_DEMO_PASSWORD=starcert-demo run demo --db "$TMP/pw2.db" --today "$TODAY"
expect_rc 0 "the password from the environment"
hashed=$(sqlite3 "$TMP/pw2.db" "SELECT COUNT(*) FROM users WHERE password_hash IS NOT NULL")
[ "$hashed" = "$users" ] && ok || bad "STARCERT_DEMO_PASSWORD sets every password ($hashed)"
run demo --db "$TMP/short.db" --today "$TODAY" --password short
expect_rc 1 "a password the policy refuses"
expect_json .error.field password "field password"
[ ! -e "$TMP/short.db" ] && ok || bad "a refused demo leaves no database behind"

finish
