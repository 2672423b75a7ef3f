-- wrk script: GET /api/v1/registry/{number} with a number picked at random
-- (per request) from the file named by the environment variable NUMBERS
-- (one certificate number per line). With STATIC=1 every request asks for
-- the same path given by STATIC_PATH instead (the nginx baseline).
-- At the end prints one line "RESULT {json}" with requests/s, latency
-- percentiles (microseconds) and error counts, for bench/http/run.sh.

local numbers = {}
local static_path = os.getenv("STATIC_PATH")

function init(args)
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8), 16) or 0))
  if static_path == nil or static_path == "" then
    local f = assert(io.open(os.getenv("NUMBERS"), "r"))
    for line in f:lines() do
      if line ~= "" then numbers[#numbers + 1] = line end
    end
    f:close()
    assert(#numbers > 0, "no numbers")
  end
end

function request()
  if static_path and static_path ~= "" then
    return wrk.format("GET", static_path)
  end
  local n = numbers[math.random(#numbers)]
  return wrk.format("GET", "/api/v1/registry/" .. n)
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"seconds":%.3f,"rps":%.1f,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"bytes":%d}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout, summary.bytes))
end
