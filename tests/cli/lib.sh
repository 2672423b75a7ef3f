# Shared helpers for the command-line tests. Source it, call the checks,
# end with `finish`. $STARCERT is the binary under test.
#   run ARGS...           runs starcert; sets $out (stdout), $err, $rc
#   expect_rc N DESC      the last run exited N
#   expect_json FILTER VALUE DESC   jq -r FILTER on $out equals VALUE
set -u
: "${STARCERT:?STARCERT must name the starcert binary}"
PASS=0
FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

run() {
  "$STARCERT" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}

run_stdin() { # INPUT ARGS...
  local input=$1; shift
  printf '%s' "$input" | "$STARCERT" "$@" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  out=$(cat "$TMP/out")
  err=$(cat "$TMP/err")
}

ok() { PASS=$((PASS + 1)); }
bad() {
  FAIL=$((FAIL + 1))
  echo "FAIL: $1"
  echo "  stdout: $(head -c 600 "$TMP/out")"
  echo "  stderr: $(head -c 600 "$TMP/err")"
}

expect_rc() { # N DESC
  if [ "$rc" -eq "$1" ]; then ok; else bad "$2 (exit $rc, wanted $1)"; fi
}

expect_json() { # FILTER VALUE DESC
  local got
  got=$(printf '%s' "$out" | jq -r "$1" 2>/dev/null) || got="<not JSON>"
  if [ "$got" = "$2" ]; then ok; else bad "$3 ($1 = '$got', wanted '$2')"; fi
}

finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
}
