-- signage status, a third refused: as status.lua, but every third request asks for a status the campaign
-- does not have, which the status step's writer job refuses (400). The good requests step the sessions
-- in order as in status.lua, so their throughput can be set against the all-good scenario's.
-- wrk args: file of session ids, API key, number of statuses.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local sessions, headers, steps
-- Start below zero as status.lua does: wrk builds one request to check the script and never sends it.
local i, good = -1, -1

function init(args)
   sessions = read_lines(args[1])
   headers = { ["Content-Type"] = "application/json", ["API-KEY"] = args[2] }
   steps = tonumber(args[3])
end

function request()
   local refused = i >= 0 and i % 3 == 2
   i = i + 1
   if refused then
      local session = sessions[math.max(good, 0) % #sessions + 1]
      local body = string.format('{"session_id": "%s", "new_status": "NOT_A_STATUS"}', session)
      return wrk.format("POST", "/smart-engage/post/update-session-status", headers, body)
   end
   local session = sessions[good % #sessions + 1]
   local step = math.floor(good / #sessions) % steps + 1
   good = good + 1
   local body = string.format('{"session_id": "%s", "new_status": "S%02d"}', session, step)
   return wrk.format("POST", "/smart-engage/post/update-session-status", headers, body)
end
