#!/usr/bin/env bash
# starcert tick and starcert due: the daily clock over stored certificates.
# Hand-worked dates (domain.md 4): windows open A+7m and close A+12m-1d,
# suspension the day after an overdue close, withdrawal 6 months after the
# suspension, expiry on expires+1, recertification from expires+1-3m. Then a
# property: for many generated certificates and skipped days, tick lands
# every certificate in the state and on the date `starcert schedule` gives.
source "$(dirname "$0")/lib.sh"
unset STARCERT_TODAY STARCERT_SCHEME STARCERT_DB

uscc() {
  local a=0123456789ABCDEFGHJKLMNPQRTUWXY b=$1 s=0 w=1 i c v
  for ((i = 0; i < 17; i++)); do
    c=${b:i:1}; v=${a%%"$c"*}; v=${#v}
    s=$((s + v * w)); w=$((w * 3 % 31))
  done
  v=$((31 - s % 31)); [ $v -eq 31 ] && v=0
  printf '%s%s' "$b" "${a:v:1}"
}
HEAD="number,organisation,uscc,address,employees,level,score,status,status_since,initial_issued,cycle_start,issued,expires,last_surveillance,surveillance_count,scope,outlets,confidential"
q() { sqlite3 "$DB" "$1"; }
expect_q() { # SQL VALUE DESC
  local got; got=$(q "$1")
  if [ "$got" = "$2" ]; then ok; else bad "$3 (got '$got', wanted '$2')"; fi
}
expect_counts() { # S W E R DESC
  expect_rc 0 "$5: exit"
  expect_json '[.suspended, .withdrawn, .expired, .recertification_opened] | map(tostring) | join(" ")' "$1 $2 $3 $4" "$5: counts"
}

# --- hand-worked certificates ----------------------------------------------
DB=$TMP/a.sqlite
run init --db "$DB" --today 2024-11-01
{
  echo "$HEAD"
  echo "ASC-2024-000001,甲公司,$(uscc 91370200163562681),地址,10,five_star,96.0,active,,2024-01-01,2024-01-01,2024-01-01,2026-12-31,,0,维修,,0"
  echo "ASC-2022-000002,乙公司,$(uscc 91440606722473344),地址,10,four_star,91.0,active,,2022-03-01,2022-03-01,2022-03-01,2025-02-28,2024-07-15,3,维修,,0"
  echo "ASC-2024-000003,丙公司,$(uscc 91440400192548256),地址,10,three_star,85.0,active,,2024-04-30,2024-04-30,2024-04-30,2027-04-29,,0,维修,,0"
  echo "ASC-2023-000004,丁公司,$(uscc 91441300195971850),地址,10,compliant,72.0,suspended,2024-06-10,2023-06-01,2023-06-01,2023-06-01,2026-05-31,,0,维修,,0"
} >"$TMP/a.csv"
run import --db "$DB" --today 2024-11-01 "$TMP/a.csv"
expect_rc 0 "import"

run due --db "$DB" --today 2024-11-01 --within 60
expect_rc 0 "due: exit"
expect_json 'map(.certificate + " " + .kind + " " + .date) | join(",")' \
  "ASC-2024-000003 surveillance_opens 2024-11-30,ASC-2022-000002 recertification_opens 2024-12-01,ASC-2023-000004 withdrawal 2024-12-10,ASC-2024-000001 surveillance_closes 2024-12-31" \
  "due: the four deadlines in date order"
expect_json '.[0] | keys_unsorted | join(",")' "certificate,organisation,kind,date" "due: fields"
expect_json '.[0].organisation' 丙公司 "due: organisation"
run due --db "$DB" --today 2024-11-01 --within 28
expect_json length 0 "due: 28 days hold none (first is 2024-11-30 = +29)"
run due --db "$DB" --today 2024-11-01 --within 29
expect_json 'map(.date) | join(",")' 2024-11-30 "due: --within is inclusive"
run due --db "$DB" --today 2024-11-01
expect_json 'map(.date) | join(",")' 2024-11-30,2024-12-01 "due: default 30 days"
run due --db "$DB" --today 2025-02-01 --within 30
expect_json 'map(.certificate + " " + .kind + " " + .date) | join(",")' "ASC-2022-000002 expires 2025-02-28" "due: expiry date"

run tick --db "$DB" --today 2024-11-30
expect_counts 0 0 0 0 "tick the day before anything"
run tick --db "$DB" --today 2024-12-01
expect_counts 0 0 0 1 "recertification opens on expires+1-3m"
expect_json .today 2024-12-01 "tick: today"
expect_json 'keys_unsorted | join(",")' "today,suspended,withdrawn,expired,recertification_opened" "tick: fields"
expect_q "select recert_opened_on from certificates where number='ASC-2022-000002'" 2024-12-01 "recertification marker"
run tick --db "$DB" --today 2024-12-01
expect_counts 0 0 0 0 "second run the same day"
run tick --db "$DB" --today 2025-07-15
expect_counts 2 2 1 0 "skipping to 2025-07-15"
run tick --db "$DB" --today 2025-07-15
expect_counts 0 0 0 0 "idempotent after a skip"
expect_q "select group_concat(from_state||'>'||to_state||' '||action||' '||reason_code||' '||on_date, '; ') from (select * from certificate_status_changes where certificate_id=(select id from certificates where number='ASC-2024-000001') order by id)" \
  "active>suspended suspend surveillance_overdue 2025-01-01; suspended>withdrawn withdraw suspension_limit 2025-07-01" \
  "A: suspended the day after the close, withdrawn 6 months later"
expect_q "select state||' '||state_since from certificates where number='ASC-2022-000002'" "expired 2025-03-01" "B: expired on expires+1"
expect_q "select state||' '||state_since from certificates where number='ASC-2024-000003'" "suspended 2025-04-30" "C: window closed 2025-04-29"
expect_q "select state||' '||state_since from certificates where number='ASC-2023-000004'" "withdrawn 2024-12-10" "D: withdrawn 6 months after 2024-06-10"
expect_q "select count(*) from certificate_status_changes where by_user is not null" 0 "status changes by the clock"
expect_q "select count(*) from events where action in ('certificate.suspend','certificate.withdraw','certificate.expire','certificate.recertification_open')" 6 "one event per change"
expect_q "select count(*) from certificate_status_changes" 5 "one status change per transition"
run registry get ASC-2024-000001 --db "$DB"
expect_json .status withdrawn "registry shows the result"
run audit-verify --db "$DB"
expect_rc 0 "event chain verifies"
run due --db "$DB" --today 2025-07-15 --within 365
expect_json 'map(.certificate + " " + .kind + " " + .date) | join(",")' "ASC-2024-000003 withdrawal 2025-10-30" "due after the skip: only C's withdrawal"

# a date written by another writer makes next_due stale; tick recomputes it
q "update certificates set anchor='2025-01-01', surveillance_n=1, state='active', state_since='2024-04-30' where number='ASC-2024-000003'"
expect_q "select next_due is null from certificates where number='ASC-2024-000003'" 1 "trigger: next_due stale after a change"
run tick --db "$DB" --today 2025-07-15
expect_counts 0 0 0 0 "recomputed: nothing due (window 2 closes 2025-12-31)"
expect_q "select next_due from certificates where number='ASC-2024-000003'" 2026-01-01 "next_due = the suspension day of window 2"

# --- property: tick agrees with schedule ------------------------------------
DB=$TMP/p.sqlite
run init --db "$DB" --today 2025-01-15
RANDOM=27922
declare -a NUM ISSUED AUDITS
csv=$TMP/p.csv
echo "$HEAD" >"$csv"
N=60
for ((i = 0; i < N; i++)); do
  issued=$(date -u -d "2021-06-01 + $((RANDOM % 400)) days" +%F)
  want=$((RANDOM % 5)) audits=() args=()
  for ((k = 0; k < want; k++)); do
    "$STARCERT" schedule --issued "$issued" "${args[@]}" --today 2029-01-01 >"$TMP/s" 2>/dev/null || break
    pending=$(jq -r '[.surveillance[] | select(.done == null)][0] // empty | .opens + " " + .closes' "$TMP/s")
    [ -n "$pending" ] || break
    set -- $pending
    span=$(( ($(date -u -d "$2" +%s) - $(date -u -d "$1" +%s)) / 86400 ))
    a=$(date -u -d "$1 + $((RANDOM % (span + 1))) days" +%F)
    [[ "$a" > 2025-01-15 ]] && break
    audits+=("$a"); args+=(--audit "$a")
  done
  "$STARCERT" schedule --issued "$issued" "${args[@]}" --today 2025-01-15 >"$TMP/s"
  expires=$(jq -r .expires "$TMP/s")
  last=
  [ ${#audits[@]} -gt 0 ] && last=${audits[${#audits[@]}-1]}
  NUM[i]=$(printf 'ASC-2021-%06d' $((i + 1)))
  ISSUED[i]=$issued
  AUDITS[i]="${args[*]}"
  printf '%s,公司%d,%s,地址,10,five_star,96.0,active,,%s,%s,%s,%s,%s,%d,维修,,0\n' \
    "${NUM[i]}" "$i" "$(uscc "$(printf '9111010500%07d' "$i")")" "$issued" "$issued" "$issued" "$expires" "$last" "${#audits[@]}" >>"$csv"
done
run import --db "$DB" --today 2025-01-15 "$csv"
expect_rc 0 "property: import"
expect_json .loaded $N "property: loaded"
states=""
for day in 2025-01-15 2025-03-20 2025-06-30 2025-09-01 2026-02-01; do
  run tick --db "$DB" --today "$day"
  expect_rc 0 "property: tick $day"
  mismatch=0
  for ((i = 0; i < N; i++)); do
    "$STARCERT" schedule --issued "${ISSUED[i]}" ${AUDITS[i]} --today "$day" >"$TMP/s"
    want=$(jq -r '.status.state + " " + .status.since' "$TMP/s")
    got=$(q "select state||' '||state_since from certificates where number='${NUM[i]}'")
    if [ "$want" != "$got" ]; then
      mismatch=$((mismatch + 1))
      echo "  ${NUM[i]} issued ${ISSUED[i]} ${AUDITS[i]} on $day: schedule '$want', tick '$got'"
    fi
    states="$states ${want%% *}"
  done
  [ $mismatch -eq 0 ] && ok || bad "property: $mismatch certificates differ from schedule on $day"
  run tick --db "$DB" --today "$day"
  expect_counts 0 0 0 0 "property: second tick on $day"
done
# the generated set must exercise every time-driven state
for s in active suspended withdrawn expired; do
  case "$states" in *" $s"*) ok ;; *) bad "property: no certificate ever $s" ;; esac
done
run audit-verify --db "$DB"
expect_rc 0 "property: event chain verifies"

# --- bad input and usage ----------------------------------------------------
run tick --db "$DB" --today 2025-02-30
expect_rc 1 "tick: bad date"
expect_json .error.field today "tick: bad date field"
run tick --db "$DB" --batch 0
expect_rc 1 "tick: --batch 0"
run tick --db "$DB" --today 2026-02-01 --batch 7
expect_counts 0 0 0 0 "tick: small batches"
run tick --today 2025-01-01
expect_rc 2 "tick: no --db"
run tick --db "$DB" extra
expect_rc 2 "tick: extra argument"
run tick --help
expect_rc 0 "tick: --help"
run tick --db "$TMP/none.sqlite"
expect_rc 1 "tick: no database"
run due --db "$DB" --within -1
expect_rc 1 "due: negative"
expect_json .error.field within "due: field"
run due --db "$DB" --within 3661
expect_rc 1 "due: too far"
run due --db "$DB" --today 2025-13-01
expect_rc 1 "due: bad date"
run due --within 3
expect_rc 2 "due: no --db"
run due --help
expect_rc 0 "due: --help"
finish
