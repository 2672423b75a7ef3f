#!/usr/bin/env bash
# Installs the Debian packages that starcert's build, run and tests need.
# Idempotent and silent when everything is present; otherwise runs
# `apt-get update` once and installs what is missing. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  gcc make pkg-config         # toolchain
  libjansson-dev              # JSON (scheme files, calculator input/output)
  libsqlite3-dev              # embedded store
  libsodium-dev               # SHA-256 (event chain, documents), Argon2id
  libmicrohttpd-dev           # HTTP server
  libcmocka-dev               # unit tests
  clang libclang-rt-14-dev    # fuzz targets (libFuzzer)
  jq                          # command-line tests read JSON output
  sqlite3                     # tests compare database dumps
)
# The API tests (tests/api) run under Node's built-in test runner (node:test
# and fetch: Debian's nodejs 18 or later); installed only when `node` is
# missing, so a newer Node from elsewhere is kept.
if ! command -v node >/dev/null 2>&1; then PACKAGES+=(nodejs); fi
# `bash scripts/deps.sh bench`: also what bench/http needs (wrk as the load
# generator, nginx as the static-file baseline). Not for CI.
BENCH_PACKAGES=(wrk nginx)
if [ "${1:-}" = bench ]; then PACKAGES+=("${BENCH_PACKAGES[@]}"); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
