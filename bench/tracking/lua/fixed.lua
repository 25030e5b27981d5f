-- The same request over and over: CFG.method, CFG.path, CFG.body (may be nil).
local req = nil

function init(args)
  req = wrk.format(CFG.method, CFG.path, CFG.body and JSON_HEADERS or nil, CFG.body)
end

function request()
  return req
end

function response(status, headers, body)
  count_response(status, body)
end
