#!/usr/bin/env bash
# The HTTP registry benchmark (issue 4, item 9; not a test):
#   bash bench/http/run.sh [BUILD_DIR]
# On the 1,000,000-certificate database of bench/run.sh (BUILD_DIR/bench/
# bench.db; `make bench` makes it when it is missing), in one run:
#   1. starcert serve on a loopback port; wrk GETs /api/v1/registry/{number}
#      with a number picked at random per request (bench/http/registry.lua,
#      from 100,000 numbers sampled from the database);
#   2. nginx on a loopback port (config and root in a temporary directory)
#      serving ONE certificate's JSON (the same bytes starcert answers) as a
#      static file, with the same wrk settings;
# and prints both requests/s, the ratio (target >= 0.8), latency p50/p99,
# and the server's memory after its run (VmHWM, VmRSS from /proc). Results
# also go to BUILD_DIR/bench/http.json. Needs wrk and nginx:
# `bash scripts/deps.sh bench`.
# Settings (environment): DURATION (s, default 20), WARMUP (s, 5),
# CONNS (connections, default 50; one address may hold 64), WRK_THREADS
# (default 2), THREADS (server worker threads, default nproc), DB.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
sc=$build/starcert
db=${DB:-$build/bench/bench.db}
duration=${DURATION:-20}
warmup=${WARMUP:-5}
conns=${CONNS:-50}
wrk_threads=${WRK_THREADS:-2}
threads=${THREADS:-$(nproc)}
out=$build/bench
for tool in wrk nginx sqlite3 jq; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] ||
    { echo "bench/http: $tool is missing: bash scripts/deps.sh bench" >&2; exit 1; }
done
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -f "$db" ]; then
  echo "bench/http: no $db yet: running make bench (generates and imports it)"
  make --no-print-directory BUILD="$build" bench
fi

tmp=$(mktemp -d)
chmod 755 "$tmp"
srv_pid=
ngx_started=
cleanup() {
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
  [ -n "$ngx_started" ] && [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null
  sleep 0.2
  rm -rf "$tmp"
}
trap cleanup EXIT

free_port() { # a port nobody listens on, in 20000..39999
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    ss -Hltn "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
  done
}

wrk_run() { # URL SECONDS [STATIC_PATH] -> the RESULT json line
  NUMBERS="$tmp/numbers.txt" STATIC_PATH="${3:-}" \
    wrk -t"$wrk_threads" -c"$conns" -d"$2"s --timeout 5s -s "$here/registry.lua" "$1" |
    sed -n 's/^RESULT //p'
}

echo "== bench/http: $(sqlite3 "$db" 'SELECT count(*) FROM certificates') certificates," \
  "$(nproc) CPUs, $(date -u +%F), wrk -t$wrk_threads -c$conns -d${duration}s, server --threads $threads"
"$sc" init --db "$db" >/dev/null # migrate to this build's schema
sqlite3 "$db" 'SELECT number FROM certificates ORDER BY random() LIMIT 100000' >"$tmp/numbers.txt"
one=$(head -n 1 "$tmp/numbers.txt")

# -- starcert
"$sc" serve --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --quiet \
  --threads "$threads" 2>"$tmp/serve.log" &
srv_pid=$!
for _ in $(seq 1 200); do [ -s "$tmp/port" ] && break; sleep 0.05; done
port=$(cat "$tmp/port")
url="http://127.0.0.1:$port"
# nginx's file: the exact bytes starcert answers for one certificate
curl -sf "$url/api/v1/registry/$one" >"$tmp/cert.json"
mkdir -p "$tmp/root"
cp "$tmp/cert.json" "$tmp/root/cert.json"
chmod 644 "$tmp/root/cert.json"
echo "-- starcert: warm-up ${warmup}s, then ${duration}s (random numbers)"
wrk_run "$url" "$warmup" >/dev/null
sc_json=$(wrk_run "$url" "$duration")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$srv_pid/status")
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$srv_pid/status")
curl -s "$url/metrics" | grep -E '^starcert_(http_requests_total\{route="registry_get"|handler_seconds_total|http_responses_total)' >"$tmp/metrics.txt" || true
kill "$srv_pid"
wait "$srv_pid" || { echo "bench/http: starcert serve did not stop cleanly" >&2; cat "$tmp/serve.log" >&2; exit 1; }
srv_pid=

# -- nginx
nport=$(free_port)
mkdir -p "$tmp/ngx"
cat >"$tmp/nginx.conf" <<EOF
worker_processes $threads;
daemon on;
pid $tmp/nginx.pid;
error_log $tmp/ngx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000000;
  open_file_cache max=16;
  client_body_temp_path $tmp/ngx/body;
  proxy_temp_path $tmp/ngx/proxy;
  fastcgi_temp_path $tmp/ngx/fastcgi;
  uwsgi_temp_path $tmp/ngx/uwsgi;
  scgi_temp_path $tmp/ngx/scgi;
  server {
    listen 127.0.0.1:$nport;
    root $tmp/root;
  }
}
EOF
"$nginx_bin" -c "$tmp/nginx.conf" -p "$tmp/ngx" -e "$tmp/ngx/error.log"
ngx_started=1
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$nport/cert.json" >/dev/null && break; sleep 0.05; done
cmp -s <(curl -sf "http://127.0.0.1:$nport/cert.json") "$tmp/cert.json" ||
  { echo "bench/http: nginx does not serve the file" >&2; exit 1; }
echo "-- nginx: warm-up ${warmup}s, then ${duration}s (one static file, $(wc -c <"$tmp/cert.json") bytes)"
wrk_run "http://127.0.0.1:$nport" "$warmup" /cert.json >/dev/null
ngx_json=$(wrk_run "http://127.0.0.1:$nport" "$duration" /cert.json)
kill "$(cat "$tmp/nginx.pid")"
ngx_started=

jq -n --argjson s "$sc_json" --argjson n "$ngx_json" --arg hwm "$hwm" --arg rss "$rss" \
  --arg conns "$conns" --arg threads "$threads" --arg date "$(date -u +%FT%TZ)" '{
    date: $date, connections: ($conns|tonumber), server_threads: ($threads|tonumber),
    starcert: $s, nginx: $n, ratio: (($s.rps / $n.rps * 1000 | round) / 1000),
    server_vmhwm_kb: ($hwm|tonumber), server_vmrss_kb: ($rss|tonumber)}' >"$out/http.json"
jq -r '
  "| | requests/s | p50 | p99 | max | non-2xx/errors |",
  "|---|---|---|---|---|---|",
  (["starcert GET /api/v1/registry/{random}", .starcert], ["nginx static file", .nginx]
   | "| \(.[0]) | \(.[1].rps | floor) | \(.[1].p50_us) µs | \(.[1].p99_us) µs | \(.[1].max_us) µs | \(.[1].errors_status + .[1].errors_connect + .[1].errors_read + .[1].errors_write + .[1].errors_timeout) |"),
  "",
  "ratio starcert / nginx: \(.ratio) (target >= 0.8)",
  "starcert serve memory after the run: VmHWM \(.server_vmhwm_kb) KB, VmRSS \(.server_vmrss_kb) KB"' "$out/http.json"
sed 's/^/  /' "$tmp/metrics.txt"
echo "(json: $out/http.json)"
