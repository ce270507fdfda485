"""``/dashboard``: sign in with the admin token, then an overview per app, one page per family (totals,
a daily chart, funnels, top groupings with verdicts beside totals), a journey search, and the webhook
deliveries with replay. Pages are rendered on the server, charts are SVG, and a page loads nothing from
any other place (no script at all)."""

from __future__ import annotations

import asyncio
import re
import secrets
from contextvars import ContextVar
from functools import lru_cache
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape

from ..core.http import path_prefix, runtime
from . import charts, controls, ranges, session
from .api import AdminApi, AdminApiError
from .pages import PAGES

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
    env.globals.update(line_chart=charts.line_chart, partial_line_chart=charts.partial_line_chart)
    env.filters["number"] = _number
    env.globals.update(change=ranges.change, named_ranges=ranges.NAMED, zones=ranges.zones)
    env.globals["unfiltered"] = controls.UNFILTERED
    env.filters["middle"] = _middle
    return env


def _number(value: Any, measure: str = "") -> str:
    if value is None:
        return "-"
    if measure.endswith("_rate"):
        return f"{float(value) * 100:.1f} %"
    number = float(value)
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"


def _middle(text: Any, keep: int = 44) -> str:
    """A long URL shortened in its middle (its start and end say the most; the title has it whole)."""
    text = str(text or "")
    if len(text) <= keep:
        return text
    half = (keep - 1) // 2
    return f"{text[:half]}…{text[-half:]}"


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


def _signed_in(request: Request) -> session.Session | None:
    return session.read(runtime(request).settings.admin_token, request.cookies.get(session.COOKIE))


def _to_login(request: Request) -> RedirectResponse:
    within = request.url.path.removeprefix(request.scope.get("root_path", ""))
    return RedirectResponse(_dash(f"/login?next={quote(within)}"), status_code=303)


def _api(request: Request) -> AdminApi:
    return AdminApi(request, str(runtime(request).settings.admin_token))


# --- signing in and out ------------------------------------------------------------------------------


@router.get("/login")
def login_form(request: Request, next: str = "/dashboard") -> Response:
    enabled = bool(runtime(request).settings.admin_token)
    return _page("login.html", next=_local(next), enabled=enabled, error=None)


@router.post("/login")
def login(
    request: Request, token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/dashboard"
) -> Response:
    admin_token = runtime(request).settings.admin_token
    if not session.token_matches(admin_token, token):
        return _page(
            "login.html", status=401, next=_local(next), enabled=bool(admin_token), error="Wrong token."
        )
    answer = RedirectResponse(_prefix.get() + _local(next), status_code=303)
    answer.set_cookie(
        session.COOKIE,
        session.issue(str(admin_token)),
        max_age=session.LIFETIME,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=_dash(),
    )
    return answer


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    signed = _signed_in(request)
    if signed is not None and not signed.csrf_ok(str(runtime(request).settings.admin_token), csrf):
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


def _context(request: Request, signed: session.Session, **more: Any) -> dict[str, Any]:
    return {"csrf": signed.csrf(str(runtime(request).settings.admin_token)), **more}


def _controls(request: Request) -> controls.Controls | Response:
    try:
        return controls.read(request)
    except ranges.RangeError as exc:
        return _page("message.html", status=400, message=str(exc))


@router.get("")
async def home(request: Request) -> Response:
    signed = _signed_in(request)
    if signed is None:
        return _to_login(request)
    view = _controls(request)
    if isinstance(view, Response):
        return view
    api = _api(request)
    apps = await api.get("/apps")
    plain = controls.Controls(view.span)  # the overview has no filter
    try:
        totals = {app["id"]: await _app_totals(api, app["id"], plain) for app in apps}
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    before = {app: {f: _before(answer) for f, answer in by.items()} for app, by in totals.items()}
    context = _context(request, signed, apps=apps, totals=totals, before=before, pages=PAGES, view=plain)
    return view.remember(_page("home.html", **context), _dash())


async def _app_totals(api: AdminApi, app_id: str, view: controls.Controls) -> dict[str, Any]:
    answers = await asyncio.gather(*(_metrics(api, app_id, f, "day", _compared(view)) for f in PAGES))
    return dict(zip(PAGES, answers, strict=True))


def _filterable(grouping: str, view: controls.Controls) -> bool:
    """A grouping the metrics API answers under the view's filter (its own dimension, or no filter)."""
    return not view.filters or grouping in ("day", *view.filters)


@router.get("/apps/{app_id}/families/{family}")
async def family_page(request: Request, app_id: str, family: str) -> Response:
    signed = _signed_in(request)
    if signed is None:
        return _to_login(request)
    page = PAGES.get(family)
    if page is None:
        return _page("message.html", status=404, message=f"No family '{family}'.")
    view = _controls(request)
    if isinstance(view, Response):
        return view
    api, params = _api(request), _compared(view)
    wanted = ("day", *page.groupings, *(("status",) if page.status_funnel else ()))
    groupings = [g for g in wanted if _filterable(g, view)]
    try:
        answers = await asyncio.gather(*(_metrics(api, app_id, family, g, params) for g in groupings))
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    by = dict(zip(groupings, answers, strict=True))
    order = await _status_order(api, app_id) if "status" in by else []
    main = page.measures[0]
    series = _series(by["day"]["rows"], main, view.span.key == "all")
    context = _context(
        request, signed, app_id=app_id, family=family, page=page, by=by, view=view,
        before=_before(by["day"]), prior=_prior_rows(by),
        funnel=_funnel(page, by, order) if "status" in by or not page.status_funnel else [],
        series=series, pages=PAGES,
    )  # fmt: skip
    return view.remember(_page("family.html", **context), _dash())


def _series(rows: list[dict[str, Any]], measure: str, trim: bool) -> list[tuple[str, float]]:
    """(day, value) to draw; for all time, from the first day with data (not ten empty years)."""
    points = [(str(row["key"]), float(row.get(measure) or 0)) for row in rows]
    if trim:
        first = next((i for i, (_, value) in enumerate(points) if value), len(points) - 1)
        points = points[max(first, 0) :]
    return points


@router.get("/apps/{app_id}/families/{family}/metrics.csv")
async def family_csv(request: Request, app_id: str, family: str, group_by: str = "day") -> Response:
    """The metrics API's CSV for what a panel shows (same range, zone and filter)."""
    signed = _signed_in(request)
    if signed is None:
        return _to_login(request)
    view = _controls(request)
    if isinstance(view, Response):
        return view
    try:
        text = await _api(request).csv(
            f"/apps/{quote(app_id)}/metrics", family=family, group_by=group_by[:32], **view.api_params()
        )
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    name = re.sub(r"[^A-Za-z0-9._-]", "_", f"{app_id}-{family}-{group_by}.csv")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def _funnel(page: Any, by: dict[str, Any], order: list[str]) -> list[tuple[str, float]]:
    """(step, count) in journey order: the counts per status in the campaigns' order (signage), else the
    page's funnel measures."""
    if page.status_funnel:
        counts = {str(row["key"]): _first_count(row) for row in by["status"]["rows"]}
        known = [status for status in order if status in counts]
        return [(status, counts[status]) for status in known + sorted(set(counts) - set(known))]
    totals = by["day"]["totals"]
    return [(step.replace("_", " "), float(totals.get(step) or 0)) for step in page.funnel if step in totals]


async def _status_order(api: AdminApi, app_id: str) -> list[str]:
    """The statuses of the app's campaigns, in the order a journey walks them (from its config)."""
    app = await api.get(f"/apps/{quote(app_id)}")
    campaigns = ((app.get("config") or {}).get("signage") or {}).get("campaigns") or []
    return list(dict.fromkeys(status for c in campaigns for status in c.get("statuses") or []))


def _first_count(row: dict[str, Any]) -> float:
    return next((float(v) for k, v in row.items() if k != "key" and isinstance(v, (int, float))), 0.0)


@router.get("/apps/{app_id}/journeys")
async def journeys(
    request: Request,
    app_id: str,
    id: Annotated[str, Query(max_length=64)] = "",
    family: str = "",
    q: Annotated[str, Query(max_length=255)] = "",
) -> Response:
    signed = _signed_in(request)
    if signed is None:
        return _to_login(request)
    events: list[dict[str, Any]] = []
    recent: list[dict[str, Any]] = []  # without an id: the recent journeys, or those ``q`` finds
    error, status = None, 200
    try:
        if id:
            page = await _api(request).get(
                f"/apps/{quote(app_id)}/events", journey_id=id, family=family or None
            )
            events = page["items"]
        else:
            recent = (await _api(request).get(f"/apps/{quote(app_id)}/journeys", q=q or None))["items"]
    except AdminApiError as exc:
        error, status = exc.message, exc.page_status
    context = _context(
        request, signed, app_id=app_id, journey_id=id, family=family, events=events, error=error,
        q=q, recent=recent,
    )  # fmt: skip
    return _page("journeys.html", status, pages=PAGES, **context)


@router.get("/apps/{app_id}/deliveries")
async def deliveries(request: Request, app_id: str, status: str = "") -> Response:
    signed = _signed_in(request)
    if signed is None:
        return _to_login(request)
    try:
        page = await _api(request).get(f"/apps/{quote(app_id)}/deliveries", status=status or None, limit=100)
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    context = _context(request, signed, app_id=app_id, items=page["items"], shown=status)
    return _page("deliveries.html", pages=PAGES, **context)


@router.post("/apps/{app_id}/deliveries/{delivery_id}/replay")
async def replay(
    request: Request, app_id: str, delivery_id: int, csrf: Annotated[str, Form()] = ""
) -> Response:
    signed = _signed_in(request)
    if signed is None:
        return _to_login(request)
    if not signed.csrf_ok(str(runtime(request).settings.admin_token), csrf):
        return _page("message.html", status=403, message="This form has expired: reload the page.")
    try:
        await _api(request).post(f"/apps/{quote(app_id)}/deliveries/{delivery_id}/replay")
    except AdminApiError as exc:
        return _page("message.html", status=409, message=exc.message)
    return RedirectResponse(_dash(f"/apps/{quote(app_id)}/deliveries"), status_code=303)
