#!/usr/bin/env bash
# starcert schedule: a certificate's timeline (domain.md section 4).
# Every expected date was worked out by hand from the rules: expiry =
# issue + 36 months - 1 day (a 29 February issue ends on 28 February),
# windows open A+7m, nominal A+9m..A+10m, close A+12m-1d (capped at the
# expiry), recertification from expiry+1-3m, suspension the day after an
# overdue window closes, withdrawal 6 months later, expiry the day after.
source "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
unset STARCERT_TODAY STARCERT_SCHEME

# --- a fresh certificate issued 1 January --------------------------------
run schedule --issued 2024-01-01 --today 2024-01-01
expect_rc 0 "plain: exit"
expect_json .issued 2024-01-01 "plain: issued"
expect_json .expires 2026-12-31 "plain: expires"
expect_json '.surveillance | length' 1 "plain: one pending window"
expect_json '.surveillance[0].n' 1 "plain: n"
expect_json '.surveillance[0].anchor' 2024-01-01 "plain: anchor"
expect_json '.surveillance[0].opens' 2024-08-01 "plain: opens"
expect_json '.surveillance[0].nominal_from' 2024-10-01 "plain: nominal_from"
expect_json '.surveillance[0].nominal_to' 2024-11-01 "plain: nominal_to"
expect_json '.surveillance[0].closes' 2024-12-31 "plain: closes"
expect_json '.surveillance[0].done' null "plain: done null"
expect_json '.recertification.opens' 2026-10-01 "plain: recert opens"
expect_json '.recertification.closes' 2026-12-31 "plain: recert closes"
expect_json '.recertification.late_until' 2027-06-30 "plain: late until"
expect_json '.status.state' active "plain: active"
expect_json '.status.since' 2024-01-01 "plain: since"
expect_json '.status.reason' null "plain: reason null"
expect_json 'keys_unsorted | join(",")' "issued,expires,surveillance,recertification,status" "plain: key order"
expect_json '.surveillance[0] | keys_unsorted | join(",")' "n,anchor,opens,nominal_from,nominal_to,closes,done" "plain: window keys"

# --- issued 29 February ----------------------------------------------------
run schedule --issued 2024-02-29 --audit 2025-02-28 --today 2025-06-01
expect_rc 0 "leap: exit"
expect_json .expires 2027-02-28 "leap: expires on 28 February"
expect_json '.surveillance | length' 2 "leap: done + pending"
expect_json '.surveillance[0].opens' 2024-09-29 "leap: w1 opens"
expect_json '.surveillance[0].closes' 2025-02-28 "leap: w1 closes"
expect_json '.surveillance[0].done' 2025-02-28 "leap: audit on the close day accepted"
expect_json '.surveillance[1].n' 2 "leap: w2 n"
expect_json '.surveillance[1].anchor' 2025-02-28 "leap: w2 anchor = audit"
expect_json '.surveillance[1].opens' 2025-09-28 "leap: w2 opens"
expect_json '.surveillance[1].nominal_from' 2025-11-28 "leap: w2 nominal_from"
expect_json '.surveillance[1].nominal_to' 2025-12-28 "leap: w2 nominal_to"
expect_json '.surveillance[1].closes' 2026-02-27 "leap: w2 closes"
expect_json '.surveillance[1].done' null "leap: w2 pending"
expect_json '.recertification.opens' 2026-12-01 "leap: recert opens"
expect_json '.recertification.late_until' 2027-08-28 "leap: late until"

# the day after window 1 closed is outside it
run schedule --issued 2024-02-29 --audit 2025-03-01 --today 2025-06-01
expect_rc 1 "leap: audit a day late"
expect_json .error.code invalid "leap late: code"
expect_json .error.field 'audit[0]' "leap late: field"
expect_json .error.message "audit 2025-03-01 is outside surveillance window 1 (2024-09-29 .. 2025-02-28)" "leap late: message"

# --- issued 2023-03-31, audits on month ends, four windows ----------------
run schedule --issued 2023-03-31 --audit 2024-01-31 --audit 2024-08-31 --audit 2025-03-31 --today 2025-04-01
expect_rc 0 "31st: exit"
expect_json .expires 2026-03-30 "31st: expires"
expect_json '.surveillance[1].opens' 2024-08-31 "31st: w2 opens"
expect_json '.surveillance[1].nominal_to' 2024-11-30 "31st: w2 nominal_to clamped"
expect_json '.surveillance[1].closes' 2025-01-30 "31st: w2 closes"
expect_json '.surveillance[1].done' 2024-08-31 "31st: audit on the opening day accepted"
expect_json '.surveillance[2].closes' 2025-08-30 "31st: w3 closes"
expect_json '.surveillance[3].n' 4 "31st: a 4th window"
expect_json '.surveillance[3].opens' 2025-10-31 "31st: w4 opens before R"
expect_json '.surveillance[3].closes' 2026-03-30 "31st: w4 closes at expiry"
expect_json '.recertification.opens' 2025-12-31 "31st: recert opens"
expect_json '.recertification.late_until' 2026-09-30 "31st: late until"

# window 1 of a 2024-01-31 issue: 2024-08-31 .. 2025-01-30
run schedule --issued 2024-01-31 --audit 2024-08-30 --today 2025-01-30
expect_rc 1 "31st: a day before the window"
expect_json .error.message "audit 2024-08-30 is outside surveillance window 1 (2024-08-31 .. 2025-01-30)" "31st early: message"

# --- state over time (no audit) ---------------------------------------------
run schedule --issued 2024-01-31 --today 2025-01-30
expect_json .status.state active "close day: active"
run schedule --issued 2024-01-31 --today 2025-01-31
expect_json .status.state suspended "day after close: suspended"
expect_json .status.since 2025-01-31 "suspended since"
expect_json .status.reason surveillance_overdue "suspended reason"
expect_json '.surveillance[0].done' null "overdue window still listed"
run schedule --issued 2024-01-31 --today 2025-07-30
expect_json .status.state suspended "day before withdrawal"
run schedule --issued 2024-01-31 --today 2025-07-31
expect_json .status.state withdrawn "withdrawal day"
expect_json .status.since 2025-07-31 "withdrawn since"
expect_json .status.reason surveillance_overdue "withdrawn reason"

# --- expiry ------------------------------------------------------------------
run schedule --issued 2024-01-01 --audit 2024-10-01 --audit 2025-08-01 --audit 2026-05-01 --today 2026-12-31
expect_rc 0 "expiry: exit"
expect_json '.surveillance | length' 3 "expiry: chain ended, no pending"
expect_json '.surveillance[2].done' 2026-05-01 "expiry: 3rd audit"
expect_json .status.state active "expiry day: active"
run schedule --issued 2024-01-01 --audit 2024-10-01 --audit 2025-08-01 --audit 2026-05-01 --today 2027-01-01
expect_json .status.state expired "expiry + 1: expired"
expect_json .status.since 2027-01-01 "expired since"
expect_json .status.reason validity_ended "expired reason"
# one too many: the 4th window would open 2026-12-01, after R 2026-10-01
run schedule --issued 2024-01-01 --audit 2024-10-01 --audit 2025-08-01 --audit 2026-05-01 --audit 2026-09-01 --today 2026-12-31
expect_rc 1 "one too many"
expect_json .error.field 'audit[3]' "one too many: field"

# --- withdrawal and expiry on the same day: withdrawal wins -----------------
run schedule --issued 2024-01-01 --audit 2024-09-15 --audit 2025-07-01 --today 2027-01-01
expect_rc 0 "tie: exit"
expect_json '.surveillance[2].closes' 2026-06-30 "tie: w3 closes"
expect_json .status.state withdrawn "tie: withdrawn"
expect_json .status.since 2027-01-01 "tie: since"
# suspended a month later: the expiry comes first
run schedule --issued 2024-01-01 --audit 2024-09-15 --audit 2025-08-01 --today 2027-01-01
expect_json .status.state expired "expiry before withdrawal"

# --- refusals ------------------------------------------------------------------
run schedule --issued 2022-03-01 --audit 2022-11-15 --audit 2023-05-01 --today 2023-06-01
expect_rc 1 "window 2 refusal"
expect_json .error.field 'audit[1]' "window 2: field"
expect_json .error.message "audit 2023-05-01 is outside surveillance window 2 (2023-06-15 .. 2023-11-14)" "window 2: message"

run schedule --issued 2026-02-30 --today 2026-03-01
expect_rc 1 "bad issued"
expect_json .error.code invalid "bad issued: code"
expect_json .error.field issued "bad issued: field"

run schedule --issued 2024-01-01 --audit 2024-13-01 --today 2025-01-01
expect_rc 1 "bad audit date"
expect_json .error.field 'audit[0]' "bad audit: field"

run schedule --issued 2024-01-01 --today 2025-1-1
expect_rc 1 "bad today"
expect_json .error.field today "bad today: field"

run schedule --issued 2024-01-01 --today 2023-12-31
expect_rc 1 "today before issued"
expect_json .error.field today "today before issued: field"

run schedule --issued 2024-01-01 --audit 2024-10-01 --today 2024-09-30
expect_rc 1 "audit after today"
expect_json .error.field 'audit[0]' "audit after today: field"

run schedule --issued 2024-01-01 --audit 2024-10-01 --audit 2024-10-01 --today 2025-12-31
expect_rc 1 "duplicate audit"
expect_json .error.field 'audit[1]' "duplicate: field"

run schedule --issued 2024-01-01 --audit 2024-10-01 --audit 2025-06-01 --audit 2025-05-01 --today 2025-12-31
expect_rc 1 "audits out of order"
expect_json .error.field 'audit[2]' "out of order: field"

run schedule --issued 9999-01-01 --today 9999-01-01
expect_rc 1 "expiry past 9999"
expect_json .error.field issued "past 9999: field"

# --- today from the environment, option wins ----------------------------------
STARCERT_TODAY=2025-01-31 run schedule --issued 2024-01-31
expect_rc 0 "env today: exit"
expect_json .status.state suspended "env today: used"
STARCERT_TODAY=2025-01-31 run schedule --issued 2024-01-31 --today 2025-01-30
expect_json .status.state active "--today beats the env"

# --- another scheme: withdrawal after 3 months -----------------------------------
jq '.timeline.withdrawal_months = 3' "$here/schemes/gbt27922-2011.json" >"$TMP/scheme.json"
run schedule --scheme "$TMP/scheme.json" --issued 2024-01-31 --today 2025-04-30
expect_rc 0 "scheme file: exit"
expect_json .status.state withdrawn "scheme file: withdrawn after 3 months"
expect_json .status.since 2025-04-30 "scheme file: 2025-01-31 + 3 months"
STARCERT_SCHEME="$TMP/scheme.json" run schedule --issued 2024-01-31 --today 2025-04-29
expect_json .status.state suspended "env scheme: day before"
run schedule --scheme "$TMP/missing.json" --issued 2024-01-31 --today 2025-04-29
expect_rc 1 "missing scheme file"

# --- usage ------------------------------------------------------------------------
run schedule --today 2025-01-01
expect_rc 2 "missing --issued"
run schedule --issued 2024-01-01 --bogus
expect_rc 2 "unknown option"
run schedule --issued 2024-01-01 extra
expect_rc 2 "positional argument"
run schedule --issued 2024-01-01 --audit
expect_rc 2 "--audit without a value"
run schedule --help
expect_rc 0 "--help"
case "$out" in *"--issued DATE"*) ok ;; *) bad "--help prints the usage" ;; esac
run schedule -h
expect_rc 0 "-h"

finish
