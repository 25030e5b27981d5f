-- A whole run, the way a training script using the mlflow client drives the server:
--   runs/create (4 client tags)  -> run id read from the response
--   runs/log-batch with 20 params          (mlflow.log_params)
--   runs/log-batch with 10 tags            (mlflow.set_tags)
--   100 x runs/log-batch with 10 metrics   (mlflow.log_metrics once per step)
--   runs/update status FINISHED            (mlflow.end_run)
-- = 104 requests per lifecycle. The state lives in the thread, so the orchestrator runs exactly
-- one connection per wrk thread (-c N -t N): wrk then alternates request()/response() strictly.
-- A failed create is retried; a failed later step is counted (non2xx) and the run goes on.
local state = "create"
local run_id = nil
local step = 0
local n = 0
local api = "/api/2.0/mlflow/runs/"

local function batch(fields)
  return wrk.format("POST", api .. "log-batch", JSON_HEADERS, '{"run_id":"' .. run_id .. '",' .. fields .. '}')
end

function request()
  if state == "create" then
    n = n + 1
    local name = string.format("lc-%s-t%d-%d", CFG.tag, tid, n)
    local body = string.format('{"experiment_id":"%s","start_time":%d,"run_name":"%s","tags":[' ..
      '{"key":"mlflow.user","value":"bench"},{"key":"mlflow.source.name","value":"train.py"},' ..
      '{"key":"mlflow.source.type","value":"LOCAL"},{"key":"mlflow.runName","value":"%s"}]}',
      CFG.experiment_id, CFG.ts0 + n, name, name)
    return wrk.format("POST", api .. "create", JSON_HEADERS, body)
  elseif state == "params" then
    local p = {}
    for i = 1, 20 do p[i] = string.format('{"key":"param_%d","value":"value-%d-%d"}', i, i, n % 7) end
    return batch('"params":[' .. table.concat(p, ",") .. ']')
  elseif state == "tags" then
    local t = {}
    for i = 1, 10 do t[i] = string.format('{"key":"tag_%d","value":"tag-value-%d"}', i, i) end
    return batch('"tags":[' .. table.concat(t, ",") .. ']')
  elseif state == "metrics" then
    local m = {}
    for i = 1, 10 do
      m[i] = string.format('{"key":"metric_%d","value":%d.125,"timestamp":%d,"step":%d}',
        i, (step * 31 + i) % 997, CFG.ts0 + step, step)
    end
    return batch('"metrics":[' .. table.concat(m, ",") .. ']')
  else -- finish
    return wrk.format("POST", api .. "update", JSON_HEADERS,
      string.format('{"run_id":"%s","status":"FINISHED","end_time":%d}', run_id, CFG.ts0 + n + 1000))
  end
end

function response(status, headers, body)
  local ok = count_response(status, body)
  if state == "create" then
    if ok then
      run_id = string.match(body, '"run_id"%s*:%s*"(%x+)"')
      if run_id then state = "params" end
    end
  elseif state == "params" then
    state = "tags"
  elseif state == "tags" then
    state = "metrics"; step = 0
  elseif state == "metrics" then
    step = step + 1
    if step >= 100 then state = "finish" end
  else
    if ok then lifecycles = lifecycles + 1 end
    state = "create"
  end
end
