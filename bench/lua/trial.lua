-- loyalty trial: POST /client/users/{correlation_id}/activity/trial/v2 round the pre-opened sessions, a new
-- callId and a basket of 30-60 USD each time (near 50: some trials get a near-miss prompt).
-- wrk args: file of correlation ids, bearer token from /oauth/token.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local sessions, headers
local i = 0

function init(args)
   math.randomseed(os.time())
   sessions = read_lines(args[1])
   headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. args[2] }
end

function request()
   local session = sessions[i % #sessions + 1]
   i = i + 1
   local amount = string.format("%d.%02d", math.random(30, 59), math.random(0, 99))
   local body = string.format(
      '{"action": "PURCHASE", "channel": "STORE", "transactionDate": "2026-11-23T10:15:00Z", '
         .. '"callId": "%s-t%d", "basket": {"amount": "%s", "currency": "USD", '
         .. '"lineItems": [{"sku": "COFFEE-1KG", "quantity": 1, "amount": "%s"}]}}',
      session, i, amount, amount)
   return wrk.format("POST", "/client/users/" .. session .. "/activity/trial/v2", headers, body)
end
