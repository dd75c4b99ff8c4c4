-- wrk script of side-by-side.sh: POSTs the body in file $BODY with $CONTENT_TYPE (and $ACCEPT,
-- $HEADER_LENGTH as Inference-Header-Content-Length when set), and prints one line:
-- RESULT <requests> <errors> <seconds> <p50 ms> <p99 ms>
-- (errors: non-2xx answers, connect, read, write and timeout errors).
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = os.getenv("CONTENT_TYPE")
local accept = os.getenv("ACCEPT")
if accept and accept ~= "" then
  wrk.headers["Accept"] = accept
end
local header_length = os.getenv("HEADER_LENGTH")
if header_length and header_length ~= "" then
  wrk.headers["Inference-Header-Content-Length"] = header_length
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f\n", summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
