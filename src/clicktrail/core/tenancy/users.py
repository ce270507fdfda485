"""Dashboard users: an email, an argon2id password hash, a role (owner, admin, viewer) and the apps they may
see (None: all). ``generation`` moves whenever the password, role or apps change: a session cookie carries
the generation it was issued under, so such a change (or removing the user) ends every session at once.

Every change records its audit row in its own transaction (the callers own none)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Integer, String, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..storage.db import Base, JSONType, UTCDateTime
from ..storage.ids import storable, utcnow
from ..web.errors import Conflict, InvalidInput, NotFound, clip
from . import audit
from .access import ROLES, Actor
from .apps import App

MIN_PASSWORD = 8  # NIST SP 800-63B's floor for a chosen password
MAX_PASSWORD = 1024  # argon2 takes any length; a bound keeps one request's work bounded


class DashboardUser(Base):
    __tablename__ = "dashboard_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    apps: Mapped[list[str] | None] = mapped_column(JSONType, nullable=True)
    generation: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, the library's (RFC 9106) defaults


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hasher().hash("clicktrail-no-such-user")


def normalized_email(email: str) -> str:
    """Lowercased and checked for shape (no mail is sent, so deliverability is not asked)."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput(f"email: {exc}", details={"fields": {"email": [str(exc)]}}) from None


def _checked_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        message = f"give {MIN_PASSWORD} to {MAX_PASSWORD} characters"
        raise InvalidInput(f"password: {message}", details={"fields": {"password": [message]}})
    return password


def _checked_access(session: Session, role: str, apps: list[str] | None) -> list[str] | None:
    if role not in ROLES:
        raise InvalidInput(f"role: expected one of {', '.join(ROLES)}, not '{clip(role)}'")
    if apps is None:
        return None
    if role == "owner":
        raise InvalidInput("apps: an owner has every app; give apps to an admin or a viewer")
    if not apps:
        raise InvalidInput("apps: give at least one app, or none for every app")
    asked = [app_id for app_id in apps if storable(app_id)]  # a NUL is no app id (PostgreSQL refuses it)
    known = set(session.scalars(select(App.id).where(App.id.in_(asked))))
    for app_id in apps:
        if app_id not in known:
            raise InvalidInput(f"apps: app '{clip(app_id)}' not found")
    return sorted(set(apps))


def user_view(user: DashboardUser) -> dict[str, Any]:
    """What the API and the CLI show of a user: never the password or its hash."""
    return {
        "id": user.id,
        "email": user.email,
        "role": user.role,
        "apps": None if user.apps is None else list(user.apps),
        "created_at": user.created_at,
        "updated_at": user.updated_at,
    }


def _access(user: DashboardUser) -> str:
    return user.role + ("" if user.apps is None else f" of {', '.join(user.apps)}")


def add_user(
    session: Session, actor: Actor, *, email: str, password: str, role: str, apps: list[str] | None
) -> dict[str, Any]:
    email = normalized_email(email)
    try:
        with session.begin():
            apps = _checked_access(session, role, apps)
            if session.scalar(select(DashboardUser.id).where(DashboardUser.email == email)) is not None:
                raise Conflict(f"user '{email}' already exists")
            user = DashboardUser(
                email=email, password_hash=hasher().hash(_checked_password(password)), role=role, apps=apps
            )
            user.generation = 1
            session.add(user)
            session.flush()
            audit.record(session, actor, "user.add", email, app_id=None, detail=_access(user))
            return user_view(user)
    except IntegrityError as exc:  # another request added the same email since we looked
        raise Conflict(f"user '{email}' already exists") from exc


def list_users(session: Session) -> list[dict[str, Any]]:
    with session.begin():
        return [user_view(u) for u in session.scalars(select(DashboardUser).order_by(DashboardUser.email))]


def _get(session: Session, user_id: int) -> DashboardUser:
    user = session.get(DashboardUser, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def get_user(session: Session, user_id: int) -> dict[str, Any]:
    with session.begin():
        return user_view(_get(session, user_id))


def id_of(session: Session, email: str) -> int:
    """A user's id by email (the CLI names users by email)."""
    email = normalized_email(email)
    with session.begin():
        found = session.scalar(select(DashboardUser.id).where(DashboardUser.email == email))
    if found is None:
        raise NotFound(f"user '{email}' not found")
    return found


KEEP: Any = object()  # update_user: leave this field as it is


def update_user(
    session: Session,
    actor: Actor,
    user_id: int,
    *,
    role: str | None = None,
    apps: Any = KEEP,
    password: str | None = None,
) -> dict[str, Any]:
    """Change a user's role, apps or password; any change ends their sessions."""
    with session.begin():
        user = _get(session, user_id)
        changed = []
        new_role = role or user.role
        new_apps = user.apps if apps is KEEP else apps
        if apps is KEEP and new_role == "owner":
            new_apps = None  # an owner has every app
        new_apps = _checked_access(session, new_role, new_apps)
        if (new_role, new_apps) != (user.role, user.apps):
            user.role, user.apps = new_role, new_apps
            changed.append(f"access: {_access(user)}")
        if password is not None:
            user.password_hash = hasher().hash(_checked_password(password))
            changed.append("password")
        if changed:
            user.generation += 1
            user.updated_at = utcnow()
            audit.record(session, actor, "user.update", user.email, app_id=None, detail="; ".join(changed))
        return user_view(user)


def remove_user(session: Session, actor: Actor, user_id: int) -> None:
    with session.begin():
        user = _get(session, user_id)
        session.delete(user)
        audit.record(session, actor, "user.remove", user.email, app_id=None)


def sign_in(session: Session, email: str, password: str) -> DashboardUser | None:
    """The user these prove, or None. An unknown email costs a verification all the same, so the time an
    answer takes does not tell which emails exist."""
    try:
        email = normalized_email(email)
    except InvalidInput:
        email = ""
    with session.begin():
        user = session.scalar(select(DashboardUser).where(DashboardUser.email == email)) if email else None
        try:
            hasher().verify(user.password_hash if user else _dummy_hash(), password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            return None
        if user is None:
            return None
        if hasher().check_needs_rehash(user.password_hash):  # the library's parameters grew since
            user.password_hash = hasher().hash(password)
        return user


def actor_of(session: Session, user_id: int, generation: int) -> Actor | None:
    """The actor a session cookie names, or None when the user is gone or changed since it was issued."""
    with session.begin():
        row = session.execute(
            select(DashboardUser.email, DashboardUser.role, DashboardUser.apps).where(
                DashboardUser.id == user_id, DashboardUser.generation == generation
            )
        ).first()
    if row is None:
        return None
    apps = None if row.apps is None else tuple(row.apps)
    return Actor("user", row.email, row.role, apps, user_id=user_id)
