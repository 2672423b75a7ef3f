#!/usr/bin/env bash
# The registry benchmark (not a test): `make bench` runs it.
#   bench/run.sh BUILD_DIR
# Generates N (default 1,000,000) certificates as of day D (default
# 2025-06-30) with bench/gen, then times with /usr/bin/time:
#   import   starcert import of the whole file (one transaction)
#   tick D   the day the file describes: nothing may change (consistency)
#   tick D+30 a month of the clock skipped at once
#   due      deadlines of the next 30 days
# and runs bench/lookup (registry get and search, median and p99 over
# 10,000 random queries each, in process). Files go to BUILD_DIR/bench.
set -euo pipefail
build=${1:-build}
n=${N:-1000000}
day=${D:-2025-06-30}
later=$(date -u -d "$day + 30 days" +%F)
out=$build/bench
sc=$build/starcert
mkdir -p "$out"
t() { /usr/bin/time -f "  %e s wall, %U s user, %S s sys, %M KB max RSS" "$@"; }

echo "== bench: $n certificates as of $day ($(nproc) CPUs, $(date -u +%F))"
echo "-- generate"
t "$out/gen" "$n" "$day" "$out/certs.csv" "$out/queries.txt"
ls -l "$out/certs.csv" | awk '{printf "  %.0f MB CSV\n", $5 / 1e6}'
rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm"
"$sc" init --db "$out/bench.db" >/dev/null
echo "-- import"
t "$sc" import --db "$out/bench.db" --today "$day" "$out/certs.csv" |
  jq -c '{rows, loaded, rejected, organisations_created, recertification_open}'
ls -l "$out/bench.db" | awk '{printf "  %.0f MB database\n", $5 / 1e6}'
echo "-- tick $day (the file's own day: expect zeros)"
t "$sc" tick --db "$out/bench.db" --today "$day" | jq -c .
echo "-- tick $later (30 days at once)"
t "$sc" tick --db "$out/bench.db" --today "$later" | jq -c .
echo "-- tick $later again (idempotent)"
t "$sc" tick --db "$out/bench.db" --today "$later" | jq -c .
echo "-- due --today $later --within 30"
t "$sc" due --db "$out/bench.db" --today "$later" --within 30 >"$out/due.json"
echo "  $(jq length "$out/due.json") deadlines"
echo "-- registry look-ups (in process)"
"$out/lookup" "$out/bench.db" "$out/queries.txt" 10000
