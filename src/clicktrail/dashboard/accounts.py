"""The dashboard's users page (owners add, change and remove users) and audit page (owners and admins), both
through the admin API: it refuses what the signed-in user's role does not allow, and the page says so."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from ..core.web.http import runtime
from .api import AdminApiError
from .pages import PAGES
from .routes import Signed, _api, _context, _dash, _page, _signed_in, _to_login, router

AUDIT_PAGE = 100


@router.get("/audit")
async def audit_page(
    request: Request, before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None
) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    try:
        page = await _api(request, signed).get("/audit", before=before, limit=AUDIT_PAGE)
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    context = _context(request, signed, items=page["items"], next_before=page["next_before"], pages=PAGES)
    return _page("audit.html", **context)


@router.get("/users")
async def users_page(request: Request) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    return await _users(request, signed)


async def _users(request: Request, signed: Signed, status: int = 200, error: str | None = None) -> Response:
    try:
        listed = await _api(request, signed).get("/users")
        apps = await _api(request, signed).get("/apps")
    except AdminApiError as exc:
        return _page("message.html", status=exc.page_status, message=exc.message)
    context = _context(request, signed, users=listed, apps=apps, error=error, pages=PAGES)
    return _page("users.html", status=status, **context)


def _expired(request: Request, signed: Signed, csrf: str) -> Response | None:
    if signed.session.csrf_ok(str(runtime(request).settings.admin_token), csrf):
        return None
    return _page("message.html", status=403, message="This form has expired: reload the page.")


@router.post("/users")
async def add_user(
    request: Request,
    csrf: Annotated[str, Form()] = "",
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    role: Annotated[str, Form(max_length=16)] = "viewer",
    apps: Annotated[list[str] | None, Form()] = None,
) -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    if (refused := _expired(request, signed, csrf)) is not None:
        return refused
    body: dict[str, Any] = {"email": email, "password": password, "role": role, "apps": apps or None}
    return await _change(request, signed, _api(request, signed).post("/users", body))


@router.post("/users/{user_id}/remove")
async def remove_user(request: Request, user_id: int, csrf: Annotated[str, Form()] = "") -> Response:
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    if (refused := _expired(request, signed, csrf)) is not None:
        return refused
    return await _change(request, signed, _api(request, signed).delete(f"/users/{user_id}"))


@router.post("/users/{user_id}/role")
async def change_role(
    request: Request,
    user_id: int,
    csrf: Annotated[str, Form()] = "",
    role: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    """A user's new role (their apps stay; an owner has every app); their sessions end."""
    signed = await _signed_in(request)
    if signed is None:
        return _to_login(request)
    if (refused := _expired(request, signed, csrf)) is not None:
        return refused
    return await _change(request, signed, _api(request, signed).patch(f"/users/{user_id}", {"role": role}))


async def _change(request: Request, signed: Signed, call: Any) -> Response:
    """Make the admin API call; back to the users page, or the page again with the API's refusal."""
    try:
        await call
    except AdminApiError as exc:
        if exc.status == 403:
            return _page("message.html", status=403, message=exc.message)
        return await _users(request, signed, status=exc.page_status, error=exc.message)
    return RedirectResponse(_dash("/users"), status_code=303)
