-- runs/log-metric, one metric per request. Every request carries a point no other request has:
-- key "<prefix>_t<thread>", step = per-thread counter, timestamp = CFG.ts0 + counter.
local n = 0
local path = "/api/2.0/mlflow/runs/log-metric"
local key

function init(args)
  key = CFG.key_prefix .. "_t" .. tid
end

function request()
  n = n + 1
  local body = string.format('{"run_id":"%s","key":"%s","value":%d.25,"timestamp":%d,"step":%d}',
    CFG.run_id, key, n % 1000, CFG.ts0 + n, n)
  return wrk.format("POST", path, JSON_HEADERS, body)
end

function response(status, headers, body)
  count_response(status, body)
end
