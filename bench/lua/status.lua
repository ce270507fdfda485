-- signage status: POST /smart-engage/post/update-session-status. Request i moves session i mod N to its
-- next status (S01, S02, … as in bench/bench.yaml), so a session's steps are N requests apart.
-- wrk args: file of session ids, API key, number of statuses.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local sessions, headers, steps
-- wrk calls request() once in this (thread 0's) state to check the script before the run, and never sends
-- that request: start at -1 so that the first request sent is number 0. Hence -t1 only.
local i = -1

function init(args)
   sessions = read_lines(args[1])
   headers = { ["Content-Type"] = "application/json", ["API-KEY"] = args[2] }
   steps = tonumber(args[3])
end

function request()
   local session = sessions[i % #sessions + 1]
   local step = math.floor(i / #sessions) % steps + 1
   i = i + 1
   local body = string.format('{"session_id": "%s", "new_status": "S%02d"}', session, step)
   return wrk.format("POST", "/smart-engage/post/update-session-status", headers, body)
end
