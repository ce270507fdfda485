-- partners: POST /ib/v1/clicks with the seed body; random visitor IPs and UTM values per request.
-- wrk args: the credential's secret.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local agents = {
   "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
   "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
   "Mozilla/5.0 (X11; Linux x86_64; rv:131.0) Gecko/20100101 Firefox/131.0",
   "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
}
local sources = { "youtube.com", "twitter.com", "newsletter", "google" }
local headers

function init(args)
   math.randomseed(os.time())
   headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. (args[1] or "") }
end

function request()
   local ip = string.format("%d.%d.%d.%d", math.random(1, 223), math.random(0, 255), math.random(0, 255),
      math.random(1, 254))
   local uri = string.format(
      "https://my.stage.org/register?referral=1&banner=6006dda272f002519c3eb506&utm_source=%s&utm_medium=cpc"
         .. "&utm_campaign=c%d&utm_term=t%d",
      sources[math.random(#sources)], math.random(1, 9), math.random(1, 99))
   local body = string.format('{"ip": "%s", "uri": "%s", "referrer": "https://twitter.com", "userAgent": "%s"}',
      ip, uri, agents[math.random(#agents)])
   return wrk.format("POST", "/ib/v1/clicks", headers, body)
end
