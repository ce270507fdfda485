"""What the dashboard shows comes from the admin API itself, called in process with the signed-in session's
cookie as the bearer: the pages show exactly what an operator's own scripts would get, stay in step with the
API, and the API's one guard (core.access) decides what each user may see and change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import Request

from ..core.web.errors import ClicktrailError


class AdminApiError(ClicktrailError):
    """The admin API refused what a page asked (shown on the page, with the API's own words)."""

    code = "admin_api_error"

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status

    @property
    def page_status(self) -> int:
        """The page's own status: the API's refusal of what the page was asked (an unknown app is 404, a
        bad time zone 400, what the user's role or apps do not allow 403), else 502 (the dashboard itself
        could not get its data)."""
        return self.status if self.status in (400, 403, 404, 409, 422) else 502


@dataclass
class AdminApi:
    request: Request
    token: str

    async def get(self, path: str, **params: Any) -> Any:
        return await self._call("GET", path, params={k: v for k, v in params.items() if v is not None})

    async def csv(self, path: str, params: dict[str, str]) -> bytes:
        """The API's CSV of a GET (a metrics or funnel answer), for a page's download link."""
        answer = await self._send("GET", path, params={**params, "format": "csv"})
        return answer.content

    async def download(self, path: str, params: dict[str, str]) -> httpx.Response:
        """The API's answer to a GET of a file (a QR code), headers and all, for a page's download link."""
        return await self._send("GET", path, params=params)

    async def post(self, path: str, body: Any = None) -> Any:
        return await self._call("POST", path, **({} if body is None else {"json": body}))

    async def patch(self, path: str, body: Any) -> Any:
        return await self._call("PATCH", path, json=body)

    async def delete(self, path: str) -> Any:
        return await self._call("DELETE", path)

    async def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = await self._send(method, path, **kwargs)
        return answer.json() if answer.content else None

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        transport = httpx.ASGITransport(app=self.request.app, client=("127.0.0.1", 0))
        headers = {"Authorization": f"Bearer {self.token}"}
        async with httpx.AsyncClient(transport=transport, base_url="http://dashboard.local") as client:
            answer = await client.request(method, f"/admin/v1{path}", headers=headers, **kwargs)
        if answer.status_code >= 400:
            body = answer.json() if answer.headers.get("content-type", "").endswith("json") else {}
            message = str(body.get("detail") or body.get("title") or f"HTTP {answer.status_code}")
            raise AdminApiError(message, answer.status_code)
        return answer
