"""Examples for /openapi.json: what the demo app (examples/demo.yaml) really sends and answers."""

from __future__ import annotations

CLICK_ID = "6b07031d7c57e1bbd3169598"
USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.0 Mobile/15E148 Safari/604.1"
)
URI = "https://my.stage.org/register?referral=1&banner=6006dda272f002519c3eb506"

TOKEN_REQUEST = {"grant_type": "client_credentials"}
TOKEN = {
    "access_token": "ctt_VBTxT6kqUJ5uxGmmQbVw1sa5Lg-vb7Csw-zl1sR2uLs",
    "token_type": "Bearer",
    "expires_in": 3600,
}

CLICK_CREATE = {
    "ip": "81.2.69.142",
    "uri": URI,
    "locale": "en-GB",
    "referrer": "https://news.example/",
    "userAgent": USER_AGENT,
    "uuid": "c0ffee00-0000-4000-8000-000000000001",
}
CLICK = {
    "clickId": CLICK_ID,
    "time": "2026-03-01T10:15:00+00:00",
    "referrer": "https://news.example/",
    "ip": "81.2.69.142",
    "uri": URI,
    "userAgent": USER_AGENT,
    "utmCampaign": None,
    "utmContent": None,
    "utmMedium": None,
    "utmSource": None,
    "utmTerm": None,
    "profileId": None,
    "linkId": "6006dda272f002519c3eb505",
    "bannerId": "6006dda272f002519c3eb506",
    "bannerName": "Tight Spreads",
    "cdnFileUrl": "https://cdn.example/b.png",
    "bannerCdnFileUrl": "https://cdn.example/b.png",
    "latitude": "54",
    "longitude": "-2",
    "countryCode": "GB",
    "countryName": "United Kingdom",
    "createTime": "2026-03-01T10:15:00+00:00",
    "updateTime": "2026-03-01T10:15:00+00:00",
    "uuid": "c0ffee00-0000-4000-8000-000000000001",
}
PROFILE = {
    "firstName": "Ada",
    "lastName": "Lovelace",
    "enabled": True,
    "uuid": "5f2b1c9e-7d4a-4c1e-9a63-0c8e2f1d7b40",
    "contacts": [{"key": "email", "value": "ada@example.com"}],
}
REGISTRATION = {"profile": PROFILE}
PROFILE_PATCH = {"profile": {"lastName": "King"}}
REGISTERED = {**CLICK, "profileId": "5f2b1c9e-7d4a-4c1e-9a63-0c8e2f1d7b40"}
