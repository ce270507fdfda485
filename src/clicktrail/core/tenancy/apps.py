"""Apps (tenants), their credentials and issued tokens, and the header readers every family uses.

Secrets and tokens are stored as SHA-256 digests (never in clear) and compared with ``hmac.compare_digest``.
A digest, not a slow KDF: every request presents a bare secret that must be found by index, the way API
tokens are kept by the big platforms. Lookups are cached per process for ``auth_cache_seconds``; revocation
clears this process's cache at once and other processes' within that window."""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, ForeignKey, Index, String, UniqueConstraint, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from ..scopes import credential_scopes
from ..storage.db import Base, JSONType, UTCDateTime
from ..storage.ids import new_secret, storable, utcnow
from ..web.errors import Conflict, InvalidInput, NotFound, Unauthorized


class App(Base):
    __tablename__ = "apps"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    # Each family's section of the config document as last applied (families keep their own tables too).
    config: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Credential(Base):
    __tablename__ = "credentials"
    __table_args__ = (UniqueConstraint("app_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    app_id: Mapped[str] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AccessToken(Base):
    __tablename__ = "access_tokens"
    __table_args__ = (
        Index("ix_access_tokens_expires_at", "expires_at"),  # issue_token's sweep of expired tokens
        Index("ix_access_tokens_credential_id", "credential_id"),  # a new secret or a revocation ends them
    )

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    credential_id: Mapped[int] = mapped_column(ForeignKey("credentials.id", ondelete="CASCADE"))
    app_id: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list[str]] = mapped_column(JSONType)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def basic_key(client_id: str, secret: str) -> str:
    """What a client_id + secret pair is remembered by once proven (never the secret itself)."""
    return digest(f"{client_id}:{secret}")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the app (tenant), the credential and what it may do."""

    app_id: str
    credential_id: int
    scopes: tuple[str, ...]


PROVEN_SECONDS = 900.0


@dataclass(frozen=True, slots=True)
class _Cached:
    principal: Principal | None
    stored_hash: str
    expires: float  # monotonic; also bounds a token's own lifetime


class CredentialCache:
    """Per-process cache of digest → principal. Misses are cached too (bounded), so a flood of bad
    secrets does not become a flood of queries."""

    def __init__(self, ttl: float, max_entries: int = 10_000):
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, _Cached] = {}
        self._lock = threading.Lock()
        # For /metrics: answers from memory, and lookups the database had to make. Unlocked counts, which
        # threads may race on: a rare lost count is cheaper than a lock per request.
        self.hits = 0
        self.misses = 0
        # Digests that authenticated lately (digest -> monotonic expiry): the limits guard lets these
        # through an address's failed-authentication slow-down (a NAT's guesser must not lock out its
        # neighbours). Not cleared on revocation: the route still checks the credential itself.
        self._proven: dict[str, float] = {}

    def prove(self, key: str) -> None:
        if len(self._proven) >= self.max_entries:
            now = time.monotonic()
            self._proven = {k: v for k, v in self._proven.items() if v > now}
            if len(self._proven) >= self.max_entries:
                self._proven.clear()
        self._proven[key] = time.monotonic() + PROVEN_SECONDS

    def proven(self, key: str) -> bool:
        """Whether the secret or token with this digest authenticated in the last PROVEN_SECONDS."""
        return self._proven.get(key, 0.0) > time.monotonic()

    def get(self, key: str) -> _Cached | None:
        entry = self._entries.get(key)
        if entry is None or entry.expires < time.monotonic():
            return None
        self.hits += 1
        return entry

    def put(self, key: str, entry: _Cached) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class Authenticator:
    """Turns a presented secret or token into a Principal for one scope."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        cache: CredentialCache,
        token_ttl: int,
        readers: sessionmaker[Session] | None = None,
    ):
        self.sessions = sessions
        self.readers = readers or sessions  # lookups, which need not queue behind writers
        self.cache = cache
        self.token_ttl = token_ttl

    def _lookup(self, presented: str) -> tuple[Principal | None, str, float]:
        self.cache.misses += 1
        key = digest(presented)
        now = utcnow()
        with self.readers() as session:
            cred = session.execute(
                select(Credential.id, Credential.app_id, Credential.scopes, Credential.secret_hash).where(
                    Credential.secret_hash == key, Credential.revoked_at.is_(None)
                )
            ).first()
            if cred is not None:
                return Principal(cred.app_id, cred.id, tuple(cred.scopes)), cred.secret_hash, self.cache.ttl
            token = session.execute(
                select(AccessToken, Credential.revoked_at)
                .join(Credential, Credential.id == AccessToken.credential_id)
                .where(AccessToken.token_hash == key, AccessToken.expires_at > now)
            ).first()
            if token is not None and token.revoked_at is None:
                tok = token[0]
                remaining = (tok.expires_at - now).total_seconds()
                principal = Principal(tok.app_id, tok.credential_id, tuple(tok.scopes))
                return principal, tok.token_hash, min(self.cache.ttl, remaining)
        return None, "", self.cache.ttl

    def cached(self, presented: str | None, scope: str) -> Principal | None:
        """The principal from this process's cache, or None when only the database can tell."""
        if not presented:
            raise Unauthorized("missing credentials")
        key = digest(presented)
        entry = self.cache.get(key)
        return None if entry is None else self._proven(self._check(entry, key, scope), key)

    def authenticate(self, presented: str | None, scope: str) -> Principal:
        if not presented:
            raise Unauthorized("missing credentials")
        key = digest(presented)
        entry = self.cache.get(key)
        if entry is None:
            principal, stored, ttl = self._lookup(presented)
            entry = _Cached(principal, stored or key, time.monotonic() + ttl)
            self.cache.put(key, entry)
        return self._proven(self._check(entry, key, scope), key)

    def _proven(self, principal: Principal, key: str) -> Principal:
        self.cache.prove(key)
        return principal

    @staticmethod
    def _check(entry: _Cached, key: str, scope: str) -> Principal:
        # The index found the row by digest; compare in constant time all the same.
        if entry.principal is None or not hmac.compare_digest(entry.stored_hash, key):
            raise Unauthorized("invalid credentials")
        if scope not in entry.principal.scopes:
            raise Unauthorized(f"credential lacks the '{scope}' scope")
        return entry.principal

    def authenticate_client(self, client_id: str, secret: str, scope: str) -> Principal:
        """client_id + secret (HTTP Basic or form), as the token endpoints take them."""
        cred = None
        if storable(client_id):  # no stored client_id holds a NUL (PostgreSQL would refuse the query)
            with self.sessions() as session:
                cred = session.execute(
                    select(Credential).where(
                        Credential.client_id == client_id, Credential.revoked_at.is_(None)
                    )
                ).scalar_one_or_none()
        # Compare against a dummy digest when the client is unknown, so timing says nothing.
        stored = cred.secret_hash if cred is not None else "0" * 64
        if not hmac.compare_digest(stored, digest(secret)) or cred is None:
            raise Unauthorized("invalid client credentials")
        if scope not in cred.scopes:
            raise Unauthorized(f"credential lacks the '{scope}' scope")
        self.cache.prove(basic_key(client_id, secret))
        return Principal(cred.app_id, cred.id, tuple(cred.scopes))

    def issue_token(self, principal: Principal, scope: str) -> tuple[str, int]:
        """An opaque bearer token for one scope; returns (token, expires_in seconds)."""
        token = new_secret("ctt_")
        with self.sessions() as session, session.begin():
            session.execute(delete(AccessToken).where(AccessToken.expires_at < utcnow() - timedelta(days=1)))
            session.add(
                AccessToken(
                    token_hash=digest(token),
                    credential_id=principal.credential_id,
                    app_id=principal.app_id,
                    scopes=[scope],
                    expires_at=utcnow() + timedelta(seconds=self.token_ttl),
                )
            )
        self.cache.prove(digest(token))  # its first use may come from an address being slowed down
        return token, self.token_ttl


# --- header readers: each family picks the one its vendor uses ---------------------------------------


def read_bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    kind, _, value = authorization.partition(" ")
    if kind.lower() != "bearer":
        return None
    return value.strip() or None


def read_basic(authorization: str | None) -> tuple[str, str] | None:
    if not authorization:
        return None
    kind, _, value = authorization.partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    return (client_id, secret) if sep and client_id else None


# --- credential management (apply, admin API and CLI call these) --------------------------------------


def check_scopes(scopes: list[str]) -> None:
    for scope in scopes:
        if scope not in credential_scopes():
            expected = ", ".join(credential_scopes())
            raise InvalidInput(f"unknown scope '{scope}' (expected one of {expected})")


def tenant(model: Any, app_id: Any) -> ColumnElement[bool]:
    """The one predicate that keeps a statement inside one app: every query of a table with an
    ``app_id`` goes through it (``tests/tenancy_guard.py`` fails a test whose requests run one that
    does not, save the few listed there that cross apps on purpose)."""
    return cast("ColumnElement[bool]", model.app_id == app_id)


def get_app(session: Session, app_id: str) -> App:
    app = session.get(App, app_id) if storable(app_id) else None
    if app is None:
        raise NotFound(f"app '{app_id}' not found")
    return app


def get_credential(session: Session, *, app_id: str, name: str) -> Credential:
    cred = session.execute(
        select(Credential).where(tenant(Credential, app_id), Credential.name == name)
    ).scalar_one_or_none()
    if cred is None:
        raise NotFound(f"credential '{name}' of app '{app_id}' not found")
    return cred


def create_credential(
    session: Session,
    *,
    app_id: str,
    name: str,
    scopes: list[str],
    client_id: str | None = None,
    secret: str | None = None,
) -> tuple[Credential, str | None]:
    """Returns the credential and the generated secret (None when the caller chose it)."""
    check_scopes(scopes)
    get_app(session, app_id)
    generated = None if secret else new_secret()
    if session.execute(
        select(Credential.id).where(tenant(Credential, app_id), Credential.name == name)
    ).first():
        raise Conflict(f"credential '{name}' already exists")
    _check_unique_secret(session, secret or generated or "", exclude_id=None)
    _check_unique_client_id(session, client_id, exclude_id=None)
    cred = Credential(
        app_id=app_id,
        name=name,
        client_id=client_id,
        secret_hash=digest(secret or generated or ""),
        scopes=list(scopes),
    )
    session.add(cred)
    session.flush()
    return cred, generated


class CredentialClash(Conflict):
    """A secret or client_id that another credential holds; ``field`` says which."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


def _check_unique_secret(session: Session, secret: str, *, exclude_id: int | None) -> None:
    # A secret is how a request finds its app, so two credentials can never share one.
    query = select(Credential.id).where(Credential.secret_hash == digest(secret))
    if exclude_id is not None:
        query = query.where(Credential.id != exclude_id)
    if session.execute(query).first():
        raise CredentialClash(
            "that secret is already used by another credential; choose another", field="secret"
        )


def _check_unique_client_id(session: Session, client_id: str | None, *, exclude_id: int | None) -> None:
    # Checked here, not left to the unique index: its error would carry the row's values, secret included.
    if client_id is None:
        return
    query = select(Credential.app_id).where(Credential.client_id == client_id)
    if exclude_id is not None:
        query = query.where(Credential.id != exclude_id)
    owner = session.execute(query).scalar()
    if owner is not None:
        raise CredentialClash(
            f"client_id '{client_id}' is already used by a credential of app '{owner}'", field="client_id"
        )


def _set_secret(session: Session, cred: Credential, secret: str) -> None:
    """A new secret ends every token issued under the old one."""
    _check_unique_secret(session, secret, exclude_id=cred.id)
    cred.secret_hash = digest(secret)
    cred.rotated_at = utcnow()
    session.execute(
        delete(AccessToken).where(tenant(AccessToken, cred.app_id), AccessToken.credential_id == cred.id)
    )


def update_credential(
    session: Session, cred: Credential, *, scopes: list[str], client_id: str | None, secret: str | None
) -> list[str]:
    """Bring a credential to these values (``secret`` None keeps it); returns the names of what changed."""
    check_scopes(scopes)
    changed = []
    if cred.client_id != client_id:
        _check_unique_client_id(session, client_id, exclude_id=cred.id)
        cred.client_id = client_id
        changed.append("client_id")
    if list(cred.scopes) != list(scopes):
        cred.scopes = list(scopes)
        changed.append("scopes")
    if secret is not None and not hmac.compare_digest(cred.secret_hash, digest(secret)):
        _set_secret(session, cred, secret)
        changed.append("secret")
    return changed


def rotate_credential(session: Session, *, app_id: str, name: str, secret: str | None = None) -> str | None:
    cred = get_credential(session, app_id=app_id, name=name)
    generated = None if secret else new_secret()
    _set_secret(session, cred, secret or generated or "")
    cred.revoked_at = None
    return generated


def revoke_credential(session: Session, *, app_id: str, name: str) -> None:
    cred = get_credential(session, app_id=app_id, name=name)
    session.execute(
        update(Credential)
        .where(tenant(Credential, app_id), Credential.id == cred.id, Credential.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    session.execute(
        delete(AccessToken).where(tenant(AccessToken, cred.app_id), AccessToken.credential_id == cred.id)
    )


def credential_view(cred: Credential) -> dict[str, Any]:
    return {
        "name": cred.name,
        "client_id": cred.client_id,
        "scopes": list(cred.scopes),
        "created_at": cred.created_at,
        "rotated_at": cred.rotated_at,
        "revoked_at": cred.revoked_at,
    }
