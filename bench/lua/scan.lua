-- signage scan: GET /smart-engage/scan/{app}/{campaign}, answered 302 (each scan opens a session).
-- wrk args: app id, campaign id.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local path
local agent = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"

function init(args)
   path = string.format("/smart-engage/scan/%s/%s", args[1], args[2])
end

function request()
   return wrk.format("GET", path, { ["User-Agent"] = agent })
end
