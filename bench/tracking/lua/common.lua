-- Shared by every workload script. The orchestrator (bench.py) prepends a CFG table and appends
-- one workload file; wrk loads the result with -s.
--
-- Counting: response() counts every answer that is not 2xx (wrk's own errors.status only counts
-- status >= 400) and keeps the first such body per thread as a sample. done() prints one line
-- "BENCHJSON {...}" with wrk's summary, latency percentiles and the per-thread counters summed.

local threads = {}
local next_tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

-- per-thread globals (each wrk thread has its own Lua state)
non2xx = 0
ok2xx = 0
sample_error = nil
lifecycles = 0   -- used by lifecycle.lua only

JSON_HEADERS = { ["Content-Type"] = "application/json" }

function count_response(status, body)
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
    return true
  end
  non2xx = non2xx + 1
  if sample_error == nil then
    sample_error = tostring(status) .. " " .. string.sub(body or "", 1, 300)
  end
  return false
end

function done(summary, latency, requests)
  local sums = { non2xx = 0, ok2xx = 0, lifecycles = 0 }
  local sample = nil
  for _, t in ipairs(threads) do
    for k, _ in pairs(sums) do sums[k] = sums[k] + (t:get(k) or 0) end
    if sample == nil then sample = t:get("sample_error") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,"err_timeout":%d,' ..
    '"non2xx":%d,"ok2xx":%d,"lifecycles":%d,' ..
    '"lat_mean_us":%.1f,"lat_max_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    sums.non2xx, sums.ok2xx, sums.lifecycles,
    latency.mean, latency.max, latency:percentile(50), latency:percentile(90), latency:percentile(99)))
  if sample ~= nil then
    io.write("BENCHSAMPLE " .. string.gsub(sample, "[\r\n]", " ") .. "\n")
  end
end
