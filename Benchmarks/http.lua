-- wrk script for `make bench-http` (Scripts/bench-http.sh).
--
-- Without ZHUCAN_BODY_FILE: plain GETs of the URL given to wrk (the baseline, /healthz).
-- With it: POSTs that file's contents as JSON with `Authorization: Bearer $ZHUCAN_KEY`
-- (POST /v1/verify {"code": "ZC1:…"}).
--
-- With ZHUCAN_RATE=R and ZHUCAN_CONNECTIONS=C (wrk's -c): each connection waits a random,
-- exponentially distributed time of mean C/R seconds before each request, so that together
-- they offer about R requests per second as independent arrivals (a Poisson process; equal
-- waits would send the connections in bursts). The achieved rate is lower than R, since the
-- wait comes on top of each answer's latency; the benchmark corrects R once.
--
-- At the end it prints one machine-readable line for the script:
--   ZHUCAN_RESULT requests=N seconds=S rps=R p50_ms=… p90_ms=… p99_ms=… max_ms=… errors=E non2xx=X

local body_file = os.getenv("ZHUCAN_BODY_FILE")
if body_file and body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. assert(os.getenv("ZHUCAN_KEY"), "ZHUCAN_KEY is not set")
end

local rate = tonumber(os.getenv("ZHUCAN_RATE") or "")
local connections = tonumber(os.getenv("ZHUCAN_CONNECTIONS") or "")
if rate and connections and rate > 0 then
  local interval_ms = 1000 * connections / rate
  function delay()
    return -math.log(1 - math.random()) * interval_ms
  end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "ZHUCAN_RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors, summary.errors.status))
end
