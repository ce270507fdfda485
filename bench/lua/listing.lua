-- listing: GET one path of the clicks list again and again; prints report.lua's JSON line and p95.
-- wrk args: the credential's secret, the path (with its query string).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local report = done
local path, headers

function init(args)
   headers = { ["Authorization"] = "Bearer " .. (args[1] or "") }
   path = args[2] or "/ib/v1/clicks"
end

function request()
   return wrk.format("GET", path, headers)
end

function done(summary, latency, requests)
   report(summary, latency, requests)
   io.write(string.format("P95 %d\n", latency:percentile(95)))
end
