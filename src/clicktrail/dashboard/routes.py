"""``/dashboard``: sign in with an email and password (or the admin token), then an overview per app, one
page per family (totals, a daily chart, funnels, top groupings with verdicts beside totals), a journey
search, the webhook deliveries with replay, the users (owners) and the audit log (owners and admins).
Pages are rendered on the server, charts are SVG, and a page loads nothing from any other place (no script
at all)."""

from __future__ import annotations

import asyncio
import secrets
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import datetime, time
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from ..core.journeys import rollups
from ..core.tenancy import actors, users
from ..core.tenancy import signin as session
from ..core.tenancy.access import Actor
from ..core.web.http import path_prefix, runtime
from . import charts, controls, ranges
from .api import AdminApi, AdminApiError
from .pages import PAGES, FamilyPage

# Behind a proxy's path prefix ("/track"), the browser reaches the dashboard at /track/dashboard: every
# link, redirect and the cookie's path start with it. Set per request by the router's dependency.
_prefix: ContextVar[str] = ContextVar("dashboard_prefix", default="")


async def _remember_prefix(request: Request) -> None:
    _prefix.set(path_prefix(request))


def _dash(path: str = "") -> str:
    """The browser's URL of a dashboard path ("/login" → "/track/dashboard/login")."""
    return f"{_prefix.get()}/dashboard{path}"


router = APIRouter(prefix="/dashboard", include_in_schema=False, dependencies=[Depends(_remember_prefix)])


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(
        loader=PackageLoader("clicktrail.dashboard", "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(line_chart=charts.line_chart)
    env.filters["number"] = _number
    env.globals.update(change=ranges.change, named_ranges=ranges.NAMED, zones=ranges.zones)
    env.globals["unfiltered"] = controls.UNFILTERED
    env.filters["middle"] = _middle
    env.filters["percent"] = lambda value: "-" if value is None else _percent(float(value))
    return env


def _number(value: Any, measure: str = "") -> str:
    if value is None:
        return "-"
    if measure.endswith("_rate"):
        return _percent(float(value))
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def _middle(text: Any, keep: int = 44) -> str:
    """A long URL shortened in its middle (its start and end say the most; the title has it whole)."""
    text = str(text or "")
    if len(text) <= keep:
        return text
    half = (keep - 1) // 2
    return f"{text[:half]}…{text[-half:]}"


def _percent(rate: float) -> str:
    """A rate as a percentage with enough digits to tell it from zero (0.0003 is "0.03 %")."""
    percent = rate * 100
    if percent and abs(percent) < 1:
        return f"{percent:.2g} %"
    return f"{percent:.1f} %"


def _api_url(path: str, **params: Any) -> str:
    """The browser's URL of the admin API call a panel shows (its answer needs the admin token)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{_prefix.get()}/admin/v1{path}" + (f"?{query}" if query else "")


def _page(name: str, status: int = 200, scripted: bool = False, **context: Any) -> HTMLResponse:
    """``scripted``: the page's own nonce'd script may run, and read this origin (the live view)."""
    nonce = secrets.token_urlsafe(16)
    html = templates().get_template(name).render(nonce=nonce, dash=_dash(), **context)
    policy = (
        f"default-src 'none'; style-src 'nonce-{nonce}'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    if scripted:
        policy += f"; script-src 'nonce-{nonce}'; connect-src 'self'"
    headers = {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cache-Control": "no-store",
    }
    return HTMLResponse(html, status_code=status, headers=headers)


@dataclass(frozen=True)
class Signed:
    """A valid session: its cookie (what the pages present to the admin API) and who it is now."""

    session: session.Session
    cookie: str
    actor: Actor


async def _signed_in(request: Request) -> Signed | None:
    """The request's session, or None (no cookie, forged, expired, or its user removed or changed)."""
    rt = runtime(request)
    cookie = request.cookies.get(session.COOKIE) or ""
    signed = session.read(rt.settings.admin_token, cookie)
    if signed is None:
        return None
    actor = await run_in_threadpool(actors.of_session, rt.sessions, signed)
    return None if actor is None else Signed(signed, cookie, actor)


def _to_login(request: Request) -> RedirectResponse:
    within = request.url.path.removeprefix(request.scope.get("root_path", ""))
    return RedirectResponse(_dash(f"/login?next={quote(within)}"), status_code=303)


def _api(request: Request, signed: Signed) -> AdminApi:
    """The admin API, called as the signed-in user: it applies their role and apps (core.access)."""
    return AdminApi(request, signed.cookie)


# --- signing in and out ------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str = "/dashboard") -> Response:
    enabled = bool(runtime(request).settings.admin_token)
    return _page("login.html", next=_local(next), enabled=enabled, error=None)


@router.post("/login")
def login(
    request: Request,
    token: Annotated[str, Form(max_length=1024)] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form()] = "/dashboard",
) -> Response:
    """A user's email and password, or the admin token (an owner of everything)."""
    rt = runtime(request)
    admin_token = rt.settings.admin_token
    user: tuple[int, int] | None = None
    if email or not token:
        with rt.sessions() as db:
            found = users.sign_in(db, email, password) if admin_token else None
        error = None if found else "Wrong email or password."
        user = (found.id, found.generation) if found else None
    else:
        error = None if session.token_matches(admin_token, token) else "Wrong token."
    if error is not None:
        return _page("login.html", status=401, next=_local(next), enabled=bool(admin_token), error=error)
    answer = RedirectResponse(_prefix.get() + _local(next), status_code=303)
    answer.set_cookie(
        session.COOKIE,
        session.issue(str(admin_token), user=user),
        max_age=session.LIFETIME,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=_dash(),
    )
    return answer


@router.post("/logout")
async def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    signed = await _signed_in(request)
    if signed is not None and not signed.session.csrf_ok(str(runtime(request).settings.admin_token), csrf):
        return _page("message.html", status=403, message="This form has expired: sign out again.")
    answer = RedirectResponse(_dash("/login"), status_code=303)
    answer.delete_cookie(session.COOKIE, path=_dash())
    return answer


def _local(target: str) -> str:
    """Only a path of the dashboard (below any prefix): a sign-in link must not send anyone elsewhere."""
    return target if target.startswith("/dashboard") and "//" not in target else "/dashboard"


# --- pages -------------------------------------------------------------------------------------------


async def _metrics(api: AdminApi, app_id: str, family: str, group_by: str, params: dict[str, str]) -> Any:
    return await api.get(f"/apps/{quote(app_id)}/metrics", family=family, group_by=group_by, **params)


def _compared(view: controls.Controls) -> dict[str, str]:
    """The view's API parameters, with the previous period asked too (there is none before all time)."""
    params = view.api_params()
    return {**params, "compare": "previous"} if view.span.previous() else params


def _before(answer: dict[str, Any]) -> dict[str, Any]:
    """The previous period's totals of an answer asked with compare=previous (else none)."""
    return dict((answer.get("previous") or {}).get("totals") or {})


def _prior_rows(by: dict[str, Any]) -> dict[str, dict[Any, Any]]:
    """Per grouping, the previous period's rows by key (for each row's change)."""
    return {g: {r["key"]: r for r in (a.get("previous") or {}).get("rows", [])} for g, a in by.items()}


def _context(request: Request, signed: Signed, **more: Any) -> dict[str, Any]:
    """What every signed-in page shows: the forms' CSRF token, and who is signed in (the navigation offers
    what their role allows; the admin API refuses the rest all the same)."""
    csrf = signed.session.csrf(str(runtime(request).settings.admin_token))
    return {"csrf": csrf, "actor": signed.actor, **more}


def _controls(request: Request) -> controls.Controls | Response:
    try:
        return controls.read(request)
    except ranges.RangeError as exc:
        return _page("message.html", status=400, message=str(exc))


@router.get("")
async def home(request: Request) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    view = _controls(request)
    if isinstance(view, Response):
        return view
    api = _api(request, signed)
    apps = await api.get("/apps")
    plain = controls.Controls(view.span)  # the overview has no filter
    try:
        totals = {app["id"]: await _app_totals(api, app["id"], plain) for app in apps}
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    before = {app: {f: _before(answer) for f, answer in by.items()} for app, by in totals.items()}
    links = {
        app["id"]: {
            f: _api_url(f"/apps/{quote(app['id'])}/metrics", family=f, group_by="day", **plain.api_params())
            for f in PAGES
        }
        for app in apps
    }
    context = _context(
        request, signed, apps=apps, totals=totals, before=before, pages=PAGES, view=plain, links=links
    )
    return view.remember(_page("home.html", **context), _dash())


async def _app_totals(api: AdminApi, app_id: str, view: controls.Controls) -> dict[str, Any]:
    """Each family's totals (and the previous period's). Asked by the family's first "top" grouping, whose
    totals are the daily answer's: a few rows instead of a row per day (3,650 for all time)."""
    answers = await asyncio.gather(
        *(_metrics(api, app_id, f, page.groupings[0], _compared(view)) for f, page in PAGES.items())
    )
    return dict(zip(PAGES, answers, strict=True))


@router.get("/apps/{app_id}/families/{family}")
async def family_page(request: Request, app_id: str, family: str) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    page = PAGES.get(family)
    if page is None:
        return _page("message.html", status=404, message=f"No family '{family}'.")
    view = _controls(request)
    if isinstance(view, Response):
        return view
    api, params = _api(request, signed), _compared(view)
    more = more_groupings(family, page)
    picked = request.query_params.get("by") if request.query_params.get("by") in more else None
    tables = [*page.groupings, *([picked] if picked else [])]
    view = replace(view, page={"by": picked}) if picked else view  # a row's filter link keeps the table
    groupings = ["day", *tables]  # under every filter: the API combines them
    try:
        answers = await asyncio.gather(*(_metrics(api, app_id, family, g, params) for g in groupings))
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    by = dict(zip(groupings, answers, strict=True))
    main = page.measures[0]
    series = _series(by["day"]["rows"], main, view.span.key == "all")
    span = view.api_params()  # a funnel keeps the journeys whose first step has the filters' values
    options = _funnel_options(request)
    try:
        config = (await api.get(f"/apps/{quote(app_id)}")).get("config") or {}
        funnels = await _funnels(api, app_id, family, page, {**span, **options}, config)
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    shown = view.api_params()
    metrics_path = f"/apps/{quote(app_id)}/metrics"
    links = {g: _api_url(metrics_path, family=family, group_by=g, **shown) for g in groupings}
    csv_links = {g: _csv_url(app_id, "metrics", family=family, group_by=g, **shown) for g in groupings}
    context = _context(
        request, signed, app_id=app_id, family=family, page=page, by=by, view=view,
        before=_before(by["day"]), prior=_prior_rows(by), funnels=funnels, series=series, pages=PAGES,
        links=links, csv_links=csv_links, names=_names(family, config), partial=view.span.partial,
        options=options, keep=_kept(request), qr_codes=_qr_codes(app_id, family, config),
        tables=tables, more_groupings=more, picked=picked,
        keep_all=[(k, v) for k, v in request.query_params.multi_items() if k != "by"],
    )  # fmt: skip
    refused = any(funnel["error"] for funnel in funnels)
    return view.remember(_page("family.html", status=400 if refused else 200, **context), _dash())


def more_groupings(family: str, page: FamilyPage) -> list[str]:
    """The family's other groupings (the metrics API's), offered one at a time in the page's select
    (``?by=``): a table each for every sub-id and UTM field would make the page too long to read."""
    definition = rollups.definitions().get(family)
    return [g for g in definition.groupings if g != "day" and g not in page.groupings] if definition else []


def _series(rows: list[dict[str, Any]], measure: str, trim: bool) -> list[tuple[str, float]]:
    """(day, value) to draw; for all time, from the first day with data (not ten empty years)."""
    points = [(str(row["key"]), float(row.get(measure) or 0)) for row in rows]
    if trim:
        first = next((i for i, (_, value) in enumerate(points) if value), len(points) - 1)
        points = points[max(first, 0) :]
    return points


FUNNEL_OPTIONS = ("window", "step_windows", "exclude")  # passed on to the funnel API as they are


def _kept(request: Request) -> list[tuple[str, str]]:
    """The page's query but the funnel options: what the funnel form keeps (range, zone, filter)."""
    return [(k, v) for k, v in request.query_params.multi_items() if k not in FUNNEL_OPTIONS]


def _funnel_options(request: Request) -> dict[str, str]:
    """The funnel options of the page's query (the API checks them, and a refusal shows in the panel)."""
    options = {name: request.query_params.get(name, "").strip()[:1024] for name in FUNNEL_OPTIONS}
    return {name: value for name, value in options.items() if value}


async def _funnels(
    api: AdminApi, app_id: str, family: str, page: Any, span: dict[str, str], config: dict[str, Any]
) -> list[dict[str, Any]]:
    """The page's funnels, each the funnel API's answer and its call: one per campaign (signage, through
    the campaign's own statuses), else one."""
    calls: list[tuple[str, dict[str, Any]]] = []
    if page.status_funnel:
        for campaign in (config.get("signage") or {}).get("campaigns") or []:
            steps = (page.funnel[0], *(campaign.get("statuses") or []), *page.funnel[1:])
            params = {"steps": ",".join(steps), "campaign": campaign.get("id")}
            calls.append((str(campaign.get("id")), params))
    elif page.funnel:
        calls.append(("", {"steps": ",".join(page.funnel)}))
    path = f"/apps/{quote(app_id)}/funnels"

    async def one(title: str, params: dict[str, Any]) -> dict[str, Any]:
        shown: dict[str, Any] = {"title": title, "answer": None, "error": None}
        shown["api"] = _api_url(path, family=family, **params, **span)
        shown["csv"] = _csv_url(app_id, "funnel", family=family, **params, **span)
        try:
            shown["answer"] = await api.get(path, family=family, **params, **span)
        except AdminApiError as exc:
            if exc.page_status != 400:
                raise
            shown["error"] = exc.message  # a funnel option the API refused, shown in its panel
        return shown

    return list(await asyncio.gather(*(one(title, params) for title, params in calls)))


CSV_OF = {"metrics": "metrics", "funnel": "funnels"}  # a page's download → the API call it is


@router.get("/apps/{app_id}/{kind}.csv")
async def csv_download(request: Request, app_id: str, kind: str) -> Response:
    """A panel's CSV: the API's own CSV of the same call, fetched for the signed-in browser (which holds
    no admin token)."""
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    if kind not in CSV_OF:
        return _page("message.html", status=404, message=f"No download '{kind}.csv'.")
    params = {k: v for k, v in request.query_params.items() if k != "format"}
    try:
        body = await _api(request, signed).csv(f"/apps/{quote(app_id)}/{CSV_OF[kind]}", params)
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    name = f"{app_id}-{params.get('family', '')}-{kind}.csv".replace('"', "")
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def _csv_url(app_id: str, kind: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return _dash(f"/apps/{quote(app_id)}/{kind}.csv?{query}")


# The things a family page lists with their QR codes (the admin API's .../{family}/{kind}/{id}/qr.svg), and
# the query parameters of those calls a download link may carry.
QR_KINDS = {"signage": "campaigns", "partners": "links"}
QR_PARAMS = ("size", "margin", "dark", "light")
QR_FORMATS = ("svg", "png")
QR_HEADERS = ("content-disposition", "cache-control", "content-security-policy")  # passed on as the API sent


def _qr_codes(app_id: str, family: str, config: dict[str, Any]) -> list[dict[str, str]]:
    """The campaigns (signage) or links (partners) of the app's config: each one's name, where its code
    leads (a scan ends at the campaign's form; a link is its uri) and the dashboard's downloads of it."""
    kind, section = QR_KINDS.get(family), config.get(family)
    # a section this process cannot read back is shown redacted whole, a string: it lists nothing
    things = section.get(kind) if kind and isinstance(section, dict) else None
    codes = []
    for thing in things if isinstance(things, list) else []:
        if not isinstance(thing, dict) or "id" not in thing:
            continue
        thing_id = str(thing["id"])
        base = _dash(f"/apps/{quote(app_id)}/{family}/{kind}/{quote(thing_id, safe='')}/qr")
        leads_to = str(thing.get("uri") or thing.get("form_url") or "")
        name = str(thing.get("name") or thing_id)
        codes.append(
            {"id": thing_id, "name": name, "leads_to": leads_to, "svg": f"{base}.svg", "png": f"{base}.png"}
        )
    return codes


@router.get("/apps/{app_id}/{family}/{kind}/{thing_id}/qr.{format}")
async def qr_download(
    request: Request, app_id: str, family: str, kind: str, thing_id: str, format: str
) -> Response:
    """A QR code's SVG or PNG: the admin API's own answer, fetched for the signed-in browser (which holds
    no admin token), so the API's guard decides who may have it."""
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    if QR_KINDS.get(family) != kind or format not in QR_FORMATS:
        return _page("message.html", status=404, message="No such QR code.")
    params = {k: v for k, v in request.query_params.items() if k in QR_PARAMS}
    path = f"/apps/{quote(app_id)}/{family}/{kind}/{quote(thing_id, safe='')}/qr.{format}"
    try:
        answer = await _api(request, signed).download(path, params)
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    headers = {name: answer.headers[name] for name in QR_HEADERS if name in answer.headers}
    return Response(answer.content, media_type=answer.headers["content-type"], headers=headers)


def _partial(answer: dict[str, Any]) -> bool:
    """Whether the last day of a daily answer is still under way (its range ends inside the day)."""
    end = datetime.fromisoformat(answer["to"]).astimezone(ZoneInfo(answer["tz"]))
    return end.time() != time(0)


def _names(family: str, config: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Display names of the keys a grouping shows by id (partners' links), from the app's config."""
    if family != "partners":
        return {}
    section = config.get("partners")
    # A section that no longer validates (an outbound rule changed since) is shown redacted whole: a string.
    links = section.get("links") or [] if isinstance(section, dict) else []
    named = (link for link in links if isinstance(link, dict) and "id" in link)
    return {"link": {str(link["id"]): str(link.get("name") or link["id"]) for link in named}}


@router.get("/apps/{app_id}/journeys")
async def journeys(
    request: Request,
    app_id: str,
    id: Annotated[str, Query(max_length=64)] = "",
    family: str = "",
    q: Annotated[str, Query(max_length=255)] = "",
) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    events: list[dict[str, Any]] = []
    # without an id: the recent journeys, or those ``q`` finds (and how: ``match``, ``searched``)
    found: dict[str, Any] = {"items": [], "match": None, "searched": None}
    error, status = None, 200
    try:
        if id:
            page = await _api(request, signed).get(
                f"/apps/{quote(app_id)}/events", journey_id=id, family=family or None
            )
            events = page["items"]
        else:
            found = await _api(request, signed).get(f"/apps/{quote(app_id)}/journeys", q=q or None)
    except AdminApiError as exc:
        error, status = exc.message, exc.page_status
    context = _context(
        request, signed, app_id=app_id, journey_id=id, family=family, events=events, error=error,
        q=q, recent=found["items"], match=found["match"], searched=found["searched"],
    )  # fmt: skip
    return _page("journeys.html", status, pages=PAGES, **context)


@router.get("/apps/{app_id}/deliveries")
async def deliveries(request: Request, app_id: str, status: str = "") -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    try:
        page = await _api(request, signed).get(
            f"/apps/{quote(app_id)}/deliveries", status=status or None, limit=100
        )
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    context = _context(request, signed, app_id=app_id, items=page["items"], shown=status)
    return _page("deliveries.html", pages=PAGES, **context)


@router.post("/apps/{app_id}/deliveries/{delivery_id}/replay")
async def replay(
    request: Request, app_id: str, delivery_id: int, csrf: Annotated[str, Form()] = ""
) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    if not signed.session.csrf_ok(str(runtime(request).settings.admin_token), csrf):
        return _page("message.html", status=403, message="This form has expired: reload the page.")
    try:
        await _api(request, signed).post(f"/apps/{quote(app_id)}/deliveries/{delivery_id}/replay")
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    return RedirectResponse(_dash(f"/apps/{quote(app_id)}/deliveries"), status_code=303)
