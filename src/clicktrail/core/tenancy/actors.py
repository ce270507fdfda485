"""Who a request is: the one resolver the admin API and the dashboard share.

A bearer value is, in this order, the bootstrap admin token (an owner of everything), a dashboard session
(the value of its cookie: what the dashboard sends the admin API it calls in process), or the secret of an
app's credential with the ``metrics`` scope (its own app's analytics, read only)."""

from __future__ import annotations

import hmac

from sqlalchemy.orm import Session, sessionmaker

from ..web.errors import Unauthorized
from . import signin, users
from .access import METRICS, TOKEN, Actor
from .apps import Authenticator


def of_session(sessions: sessionmaker[Session], signed: signin.Session) -> Actor | None:
    """The actor of a valid session cookie: the admin token's owner, or its user as they are now (None
    when the user is gone or changed since: one primary-key lookup)."""
    if signed.user is None:
        return TOKEN
    user_id, generation = signed.user
    with sessions() as session:
        return users.actor_of(session, user_id, generation)


def of_bearer(
    admin_token: str, presented: str, sessions: sessionmaker[Session], auth: Authenticator
) -> Actor | None:
    if hmac.compare_digest(presented.encode(), admin_token.encode()):
        return TOKEN
    signed = signin.read(admin_token, presented)
    if signed is not None:
        return of_session(sessions, signed)
    try:
        principal = auth.authenticate(presented, METRICS)
    except Unauthorized:
        return None
    return Actor("credential", f"credential of app '{principal.app_id}'", METRICS, (principal.app_id,))
