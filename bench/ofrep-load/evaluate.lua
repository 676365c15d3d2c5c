-- One OFREP single-flag evaluation per request, each for another user, with the API key from the environment.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-API-Key"] = os.getenv("OFREP_API_KEY")
local environment = os.getenv("ENVIRONMENT")
local user = 0
request = function()
  user = user + 1
  return wrk.format(nil, nil, nil,
    '{"context":{"targetingKey":"user-' .. user .. '","environment":"' .. environment .. '"}}')
end
