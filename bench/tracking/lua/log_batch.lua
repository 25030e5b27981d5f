-- runs/log-batch with CFG.keys x CFG.steps metrics per request (1,000 = 10 keys x 100 steps, as a
-- client flushing a buffer of per-step metrics would send). Points are unique: keys carry the
-- thread, steps continue from request to request.
local n = 0
local path = "/api/2.0/mlflow/runs/log-batch"
local keys = {}

function init(args)
  for k = 1, CFG.keys do keys[k] = CFG.key_prefix .. "_t" .. tid .. "_k" .. k end
end

function request()
  local parts = {}
  local i = 0
  local step0 = n * CFG.steps
  n = n + 1
  for s = 0, CFG.steps - 1 do
    local step = step0 + s
    for k = 1, CFG.keys do
      i = i + 1
      parts[i] = string.format('{"key":"%s","value":%d.5,"timestamp":%d,"step":%d}',
        keys[k], (step * 7 + k) % 1000, CFG.ts0 + step, step)
    end
  end
  local body = '{"run_id":"' .. CFG.run_id .. '","metrics":[' .. table.concat(parts, ",") .. ']}'
  return wrk.format("POST", path, JSON_HEADERS, body)
end

function response(status, headers, body)
  count_response(status, body)
end
