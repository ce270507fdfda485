"""The scenarios: what each Lua script needs prepared (sessions, clicks, a token) and which rows one
successful request writes. Credentials, campaigns and surveys are those of bench/bench.yaml."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

APP = "bench"
IB_SECRET = "bench-ib-secret"
SIGNAGE_KEY = "bench-signage-secret"
WALL_TOKEN = "bench-wall-secret"
POS_CLIENT = ("bench-pos", "bench-pos-secret")
STATUSES = 40  # the statuses of campaign "steps"
QUESTIONS = 12  # the questions of surveys srv-a and srv-b
# The status and answer scripts step pre-created sessions and clicks; past the end they get errors. The
# pools are sized for this many requests per second (a server faster than that shows errors).
POOL_RATE = 12000


@dataclass(frozen=True)
class Scenario:
    name: str
    lua: str
    bare: str  # the baseline route it is compared with: "POST" or "GET"
    rows_sql: str  # what one successful request adds
    # (server url, folder, seconds) -> wrk script arguments
    prepare: Callable[[str, Path, int], list[str]]
    # The scenario whose throughput this one's good answers are set against (on the same engine), and
    # the share of it the issue asks for, if any.
    versus: str | None = None
    aim: float | None = None
    # The server it runs against: "clicktrail" (``clicktrail serve``) or "ceiling" (bench/ceiling.py).
    server: str = "clicktrail"


def parallel(call: Callable[[httpx.Client, int], str], n: int) -> list[str]:
    with (
        httpx.Client(timeout=30, limits=httpx.Limits(max_connections=8)) as client,
        ThreadPoolExecutor(8) as pool,
    ):
        return list(pool.map(lambda i: call(client, i), range(n)))


def pool_size(seconds: int, steps: int) -> int:
    return max(64, math.ceil(seconds * POOL_RATE / steps))


def write_lines(folder: Path, name: str, lines: list[str]) -> str:
    path = folder / name
    path.write_text("".join(f"{line}\n" for line in lines))
    return str(path)


def prepare_status(url: str, folder: Path, seconds: int) -> list[str]:
    def create(client: httpx.Client, _: int) -> str:
        response = client.post(
            f"{url}/smart-engage/post/create-session",
            headers={"API-KEY": SIGNAGE_KEY},
            json={"campaign_id": "steps"},
        )
        response.raise_for_status()
        return response.json()["session_id"]

    sessions = parallel(create, pool_size(seconds, STATUSES))
    return [write_lines(folder, "signage-sessions.txt", sessions), SIGNAGE_KEY, str(STATUSES)]


def prepare_answer(url: str, folder: Path, seconds: int) -> list[str]:
    """Each user lists the surveys once and opens a click on both."""

    def user_clicks(client: httpx.Client, i: int) -> str:
        headers = {"X-Api-Token": WALL_TOKEN, "X-User-Id": f"bench-user-{i}"}
        listing = client.get(f"{url}/v2/client/surveys", params={"client_country": "US"}, headers=headers)
        listing.raise_for_status()
        clicks = []
        for survey in listing.json()["data"]["surveys"]:
            response = client.post(survey["click_url"])
            response.raise_for_status()
            clicks.append(response.json()["data"]["id"])
        return "\n".join(clicks)

    clicks = parallel(user_clicks, pool_size(seconds, QUESTIONS) // 2)
    return [write_lines(folder, "survey-clicks.txt", clicks)]


def prepare_trial(url: str, folder: Path, seconds: int) -> list[str]:
    token = httpx.post(f"{url}/oauth/token", auth=POS_CLIENT, data={"grant_type": "client_credentials"})
    token.raise_for_status()
    bearer = token.json()["access_token"]
    run = secrets.token_hex(3)  # each preparation opens sessions of its own

    def open_session(client: httpx.Client, i: int) -> str:
        response = client.post(
            f"{url}/client/users/bench-{i}@example.com/sessions",
            headers={"Authorization": f"Bearer {bearer}", "X-Identifier-Type": "EMAIL"},
            json={"correlationId": f"bench-till-{run}-{i}", "channel": "STORE", "locale": "en-US"},
        )
        response.raise_for_status()
        return response.json()["correlationId"]

    return [write_lines(folder, "loyalty-sessions.txt", parallel(open_session, 64)), bearer]


CEILING = "partners click, no write (ceiling)"
SCENARIOS = [
    Scenario(
        "partners click",
        "partners.lua",
        "POST",
        "SELECT count(*) FROM partner_clicks",
        lambda *_: [IB_SECRET],
        versus=CEILING,
        aim=0.6,
    ),
    # The same requests and work, the write replaced by its result (bench/ceiling.py): no rows.
    Scenario(
        CEILING,
        "partners.lua",
        "POST",
        "SELECT count(*) FROM partner_clicks",
        lambda *_: [IB_SECRET],
        server="ceiling",
    ),
    Scenario(
        "signage scan",
        "scan.lua",
        "GET",
        "SELECT count(*) FROM signage_sessions",
        lambda *_: [APP, "spring-form"],
    ),
    Scenario(
        "signage status",
        "status.lua",
        "POST",
        "SELECT count(*) FROM journey_events WHERE type = 'status.changed'",
        prepare_status,
    ),
    Scenario(
        "signage status, a third refused",
        "status_refused.lua",
        "POST",
        "SELECT count(*) FROM journey_events WHERE type = 'status.changed'",
        prepare_status,
        versus="signage status",
    ),
    Scenario(
        "surveys answer",
        "answer.lua",
        "POST",
        "SELECT count(*) FROM journey_events WHERE type = 'question.answered'",
        prepare_answer,
    ),
    Scenario("loyalty trial", "trial.lua", "POST", "SELECT count(*) FROM loyalty_trials", prepare_trial),
]
# The bare baseline: the same scripts against bench/bare_app.py.
BARE = {
    "POST": Scenario("bare POST (201)", "partners.lua", "POST", "", lambda *_: [IB_SECRET]),
    "GET": Scenario("bare GET (302)", "scan.lua", "GET", "", lambda *_: [APP, "spring-form"]),
}
