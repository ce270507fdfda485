-- surveys answer: POST /v2/client/clicks/{click_id} {"answer_question": …}. Request i answers the next
-- question of click i mod N; the questions of bench/bench.yaml cycle NUMBER, SINGLE, TEXT.
-- wrk args: file of click ids.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local clicks
local headers = { ["Content-Type"] = "application/json" }
-- wrk calls request() once in this (thread 0's) state to check the script before the run, and never sends
-- that request: start at -1 so that the first request sent is number 0. Hence -t1 only.
local i = -1

function init(args)
   math.randomseed(os.time())
   clicks = read_lines(args[1])
end

local answers = {
   function() return tostring(math.random(0, 20)) end,
   function() return tostring(math.random(1, 2)) end,
   function() return string.format("%05d", math.random(0, 99999)) end,
}

function request()
   local click = clicks[i % #clicks + 1]
   local step = math.floor(i / #clicks)
   i = i + 1
   local body = string.format('{"answer_question": {"answers": ["%s"]}}', answers[step % 3 + 1]())
   return wrk.format("POST", "/v2/client/clicks/" .. click, headers, body)
end
