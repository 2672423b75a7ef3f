#!/usr/bin/env bash
# Runs every test of the suite against one build directory and prints one
# closing line "total: N passed, N failed". Exit 0 only when nothing failed.
#   tests/run.sh BUILD_DIR
# Unit tests: every cmocka binary in BUILD_DIR/tests (counts read from
# cmocka's summary). Command-line tests: every tests/cli/test_*.sh, run with
# STARCERT=BUILD_DIR/starcert (each prints its own "N passed, N failed").
set -u
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

add_counts() { # file
  local p f
  p=$(grep -Eo '^[a-z_-]*:? ?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+')
  f=$(grep -Eo '^[a-z_-]*:? ?[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1 | grep -Eo '[0-9]+ failed' | grep -Eo '[0-9]+')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

for bin in "$build"/tests/test_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  "$bin" >"$log" 2>&1
  rc=$?
  p=$(grep -Eo '\[  PASSED  \] [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1)
  f=$(grep -Eo '\[  FAILED  \] [0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n 1)
  p=${p:-0}; f=${f:-0}
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed or sanitizer
  if [ "$f" -ne 0 ]; then cat "$log"; fi
  printf 'unit %-22s %4d passed, %d failed\n' "$name" "$p" "$f"
  passed=$((passed + p)); failed=$((failed + f))
done

for t in "$here"/cli/test_*.sh; do
  [ -f "$t" ] || continue
  name=$(basename "$t" .sh)
  STARCERT="$build/starcert" bash "$t" >"$log" 2>&1
  rc=$?
  before=$failed
  add_counts "$log"
  if [ "$rc" -ne 0 ] && [ "$failed" -eq "$before" ]; then failed=$((failed + 1)); fi
  if [ "$failed" -ne "$before" ]; then cat "$log"; fi
  tail -n 1 "$log" | sed "s/^/cli  $name: /"
done

echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
