#!/usr/bin/env bash
# The HTTP registry benchmark (issue 4, item 9; not a test):
#   bash bench/http/run.sh [BUILD_DIR]
# On the 1,000,000-certificate database of bench/run.sh (BUILD_DIR/bench/
# bench.db; `make bench` makes it when it is missing), both servers up at
# once:
#   - starcert serve on a loopback port; wrk GETs /api/v1/registry/{number}
#     with a number picked at random per request (bench/http/registry.lua,
#     from 100,000 numbers sampled from the database);
#   - nginx on a loopback port (config and root in a temporary directory)
#     serving ONE certificate's JSON (the same bytes starcert answers) as a
#     static file, with the same wrk settings;
# a warm-up of each, then ROUNDS rounds, each measuring starcert then nginx
# (interleaved, so a change in the machine's other load falls on both).
# Per round and side: requests/s, latency p50/p99/max, errors, and the
# server's CPU time per request (utime + stime from /proc; nginx: all its
# workers). Prints every round, the median ratio of requests/s (target
# >= 0.8) and of CPU per request, and the server's memory after the runs
# (VmHWM, VmRSS). Results also go to BUILD_DIR/bench/http.json. Needs wrk
# and nginx: `bash scripts/deps.sh bench`.
# Settings (environment): ROUNDS (default 3), DURATION (s per side and
# round, default 15), WARMUP (s, 5), CONNS (connections, default 50; one
# address may hold 64), WRK_THREADS (default 2), THREADS (server worker
# threads, default nproc), DB.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
sc=$build/starcert
db=${DB:-$build/bench/bench.db}
duration=${DURATION:-15}
rounds=${ROUNDS:-3}
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
  "$(nproc) CPUs, $(date -u +%F), wrk -t$wrk_threads -c$conns, $rounds rounds of ${duration}s a side, server --threads $threads"
"$sc" init --db "$db" >/dev/null # migrate to this build's schema
sqlite3 "$db" 'SELECT number FROM certificates ORDER BY random() LIMIT 100000' >"$tmp/numbers.txt"
one=$(head -n 1 "$tmp/numbers.txt")

cpu_ticks() { # PID... -> utime + stime, in clock ticks, summed
  local t=0 p
  for p in "$@"; do
    # the fields after "(comm) ": state is the 1st, utime the 12th, stime the 13th
    t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$t"
}
hz=$(getconf CLK_TCK)

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
ngx_workers=$(pgrep -P "$(cat "$tmp/nginx.pid")" | tr '\n' ' ')

echo "-- warm-up ${warmup}s each (starcert: random numbers; nginx: one static file, $(wc -c <"$tmp/cert.json") bytes)"
wrk_run "$url" "$warmup" >/dev/null
wrk_run "http://127.0.0.1:$nport" "$warmup" /cert.json >/dev/null

: >"$tmp/rounds.jsonl"
for r in $(seq 1 "$rounds"); do
  echo "-- round $r of $rounds: starcert, then nginx, ${duration}s each"
  c0=$(cpu_ticks "$srv_pid")
  s_json=$(wrk_run "$url" "$duration")
  c1=$(cpu_ticks "$srv_pid")
  # shellcheck disable=SC2086
  n0=$(cpu_ticks $ngx_workers)
  n_json=$(wrk_run "http://127.0.0.1:$nport" "$duration" /cert.json)
  # shellcheck disable=SC2086
  n1=$(cpu_ticks $ngx_workers)
  jq -nc --argjson s "$s_json" --argjson n "$n_json" --arg r "$r" --arg hz "$hz" \
    --arg sc "$((c1 - c0))" --arg nc "$((n1 - n0))" '
    ($hz | tonumber) as $hz
    | def per_request($ticks; $w): (($ticks | tonumber) / $hz * 1e6 / $w.requests * 10 | round) / 10;
    {round: ($r | tonumber),
     starcert: ($s + {cpu_us_per_request: per_request($sc; $s)}),
     nginx: ($n + {cpu_us_per_request: per_request($nc; $n)})}
    | .ratio = ((.starcert.rps / .nginx.rps * 1000 | round) / 1000)
    | .cpu_ratio = ((.nginx.cpu_us_per_request / .starcert.cpu_us_per_request * 1000 | round) / 1000)' \
    >>"$tmp/rounds.jsonl"
done
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$srv_pid/status")
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$srv_pid/status")
curl -s "$url/metrics" | grep -E '^starcert_(http_requests_total\{route="registry_get"|handler_seconds_total|http_responses_total|registry_cache_)' >"$tmp/metrics.txt" || true
kill "$srv_pid"
wait "$srv_pid" || { echo "bench/http: starcert serve did not stop cleanly" >&2; cat "$tmp/serve.log" >&2; exit 1; }
srv_pid=
kill "$(cat "$tmp/nginx.pid")"
ngx_started=

jq -s --arg hwm "$hwm" --arg rss "$rss" --arg conns "$conns" --arg threads "$threads" \
  --arg date "$(date -u +%FT%TZ)" '
  def median: sort | if length % 2 == 1 then .[length / 2 | floor]
                     else (.[length / 2 - 1] + .[length / 2]) / 2 end;
  {date: $date, connections: ($conns | tonumber), server_threads: ($threads | tonumber),
   rounds: ., ratio_median: (map(.ratio) | median),
   cpu_ratio_median: (map(.cpu_ratio) | median),
   server_vmhwm_kb: ($hwm | tonumber), server_vmrss_kb: ($rss | tonumber)}' \
  "$tmp/rounds.jsonl" >"$out/http.json"
jq -r '
  def errs: .errors_status + .errors_connect + .errors_read + .errors_write + .errors_timeout;
  "| round | | requests/s | p50 | p99 | max | errors | CPU µs/request |",
  "|---|---|---|---|---|---|---|---|",
  (.rounds[] | . as $r
   | (["starcert GET /api/v1/registry/{random}", .starcert], ["nginx static file", .nginx])
   | "| \($r.round) | \(.[0]) | \(.[1].rps | floor) | \(.[1].p50_us) µs | \(.[1].p99_us) µs | \(.[1].max_us) µs | \(.[1] | errs) | \(.[1].cpu_us_per_request) |"),
  "",
  "ratio of requests/s, starcert / nginx, per round: \([.rounds[].ratio | tostring] | join(", ")); median \(.ratio_median) (target >= 0.8)",
  "ratio of CPU per request, nginx / starcert, per round: \([.rounds[].cpu_ratio | tostring] | join(", ")); median \(.cpu_ratio_median)",
  "starcert serve memory after the runs: VmHWM \(.server_vmhwm_kb) KB, VmRSS \(.server_vmrss_kb) KB"' "$out/http.json"
sed 's/^/  /' "$tmp/metrics.txt"
echo "(json: $out/http.json)"
