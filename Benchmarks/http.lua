-- wrk script for `make bench-http` (Scripts/bench-http.sh).
--
-- Without ZHUCAN_BODY_FILE: plain GETs of the URL given to wrk (the baseline, /healthz).
-- With it: POSTs that file's contents as JSON with `Authorization: Bearer $ZHUCAN_KEY`
-- (POST /v1/verify {"code": "ZC1:…"}).
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

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "ZHUCAN_RESULT requests=%d seconds=%.2f rps=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors, summary.errors.status))
end
