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

# API tests: every tests/api/*.test.mjs under Node's test runner (TAP), each
# file starting its own server with STARCERT=BUILD_DIR/starcert. Counts
# from the runner's "# pass N" / "# fail N" / "# cancelled N" summary.
api_files=("$here"/api/*.test.mjs)
if [ -f "${api_files[0]}" ]; then
  if ! command -v node >/dev/null 2>&1; then
    echo "api  node not found (bash scripts/deps.sh installs nodejs): 0 passed, 1 failed"
    failed=$((failed + 1))
  else
    for t in "${api_files[@]}"; do
      name=$(basename "$t" .test.mjs)
      STARCERT="$build/starcert" node --test --test-reporter=tap "$t" >"$log" 2>&1
      rc=$?
      p=$(grep -Eo '^# pass [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+')
      f=$(grep -Eo '^# fail [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+')
      c=$(grep -Eo '^# cancelled [0-9]+' "$log" | tail -n 1 | grep -Eo '[0-9]+')
      p=${p:-0}; f=$(( ${f:-0} + ${c:-0} ))
      if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed
      if [ "$f" -ne 0 ]; then grep -v '^ *\(duration_ms\|\.\.\.\|---\)' "$log" | grep -B2 -A30 'not ok' | head -n 200; fi
      printf 'api  %-22s %4d passed, %d failed\n' "$name" "$p" "$f"
      passed=$((passed + p)); failed=$((failed + f))
    done
  fi
fi

echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
