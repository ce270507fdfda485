"""The dashboard's login session: the admin token or a user's email and password, once, for a signed
HttpOnly cookie.

The cookie holds an expiry, a random id and who signed in (``token``, or a user's id and the generation of
their row then), signed with HMAC-SHA256 under a key derived from the admin token: changing the token ends
every session, and changing or removing a user ends theirs (``core.users.actor_of`` checks the generation on
each request). Forms that change something carry a CSRF token derived from the session id, on top of the
cookie's ``SameSite=Strict``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

COOKIE = "clicktrail_dashboard"
WHO = re.compile(r"token|[0-9]{1,18}-[0-9]{1,18}")
LIFETIME = 12 * 3600  # seconds


def _key(admin_token: str) -> bytes:
    return hashlib.sha256(b"clicktrail-dashboard-session:" + admin_token.encode()).digest()


def _sign(key: bytes, payload: str) -> str:
    digest = hmac.new(key, payload.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


TOKEN = "token"  # who signed in with the admin token


@dataclass(frozen=True)
class Session:
    session_id: str
    expires: int
    who: str = TOKEN  # TOKEN, or "<user id>-<generation>"

    @property
    def user(self) -> tuple[int, int] | None:
        """(user id, generation) of a user's session; None for the admin token's."""
        if self.who == TOKEN:
            return None
        user_id, _, generation = self.who.partition("-")
        return int(user_id), int(generation)

    def csrf(self, admin_token: str) -> str:
        return _sign(_key(admin_token), f"csrf:{self.session_id}")

    def csrf_ok(self, admin_token: str, presented: str | None) -> bool:
        return presented is not None and hmac.compare_digest(self.csrf(admin_token), presented)


def issue(admin_token: str, now: float | None = None, user: tuple[int, int] | None = None) -> str:
    """A new cookie value, for the admin token or for ``user`` (its id and generation)."""
    expires = int((now or time.time()) + LIFETIME)
    who = TOKEN if user is None else f"{user[0]}-{user[1]}"
    payload = f"{expires}.{secrets.token_urlsafe(16)}.{who}"
    return f"{payload}.{_sign(_key(admin_token), payload)}"


def read(admin_token: str | None, cookie: str | None, now: float | None = None) -> Session | None:
    """The session a cookie proves, or None (no cookie, forged, expired, or the admin API is off)."""
    if not admin_token or not cookie or cookie.count(".") != 3:
        return None
    payload, _, signature = cookie.rpartition(".")
    if not hmac.compare_digest(_sign(_key(admin_token), payload), signature):
        return None
    expires, session_id, who = payload.split(".")
    if not expires.isdigit() or int(expires) < (now or time.time()) or not WHO.fullmatch(who):
        return None
    return Session(session_id, int(expires), who)


def token_matches(admin_token: str | None, presented: str) -> bool:
    return bool(admin_token) and hmac.compare_digest(presented.encode(), str(admin_token).encode())
