"""Admin rules: every function takes plain arguments and owns its transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..core.config.cache import announce
from ..core.config.document import redacted
from ..core.family import Family
from ..core.journeys.events import event_view, list_events
from ..core.journeys.outbound import hide_userinfo
from ..core.journeys.webhooks import Webhook
from ..core.tenancy import apps as tenancy
from ..core.tenancy import audit
from ..core.tenancy.access import Actor
from ..core.tenancy.apps import App, Credential, tenant
from ..core.web.errors import Conflict


def list_apps(session: Session, *, apps: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
    """Every app, or those of ``apps`` (what a user limited to apps sees)."""
    query = select(App).order_by(App.id)
    if apps is not None:
        query = query.where(App.id.in_(apps))
    with session.begin():
        return [_app_view(app) for app in session.scalars(query)]


def get_app(session: Session, *, app_id: str, families: Sequence[Family]) -> dict[str, Any]:
    with session.begin():
        app = tenancy.get_app(session, app_id)
        view = _app_view(app)
        creds = session.scalars(
            select(Credential).where(tenant(Credential, app_id)).order_by(Credential.name)
        )
        view["credentials"] = [tenancy.credential_view(c) for c in creds]
        hooks = session.scalars(select(Webhook).where(tenant(Webhook, app_id)).order_by(Webhook.id))
        view["webhooks"] = [{"url": hide_userinfo(h.url), "events": list(h.events)} for h in hooks]
        view["config"] = config_view(app.config, families)
        return view


def config_view(config: dict[str, Any], families: Sequence[Family]) -> dict[str, Any]:
    """The stored sections, each redacted by its family's model: no secret leaves in an answer."""
    models = {f.name: f.config_model for f in families}
    return {
        name: redacted(model, section) if (model := models.get(name)) is not None else section
        for name, section in config.items()
    }


def _app_view(app: App) -> dict[str, Any]:
    return {"id": app.id, "name": app.name, "created_at": app.created_at, "updated_at": app.updated_at}


def list_credentials(session: Session, *, app_id: str) -> list[dict[str, Any]]:
    with session.begin():
        tenancy.get_app(session, app_id)
        creds = session.scalars(
            select(Credential).where(tenant(Credential, app_id)).order_by(Credential.name)
        )
        return [tenancy.credential_view(c) for c in creds]


def create_credential(
    session: Session,
    actor: Actor,
    *,
    app_id: str,
    name: str,
    scopes: list[str],
    client_id: str | None,
    secret: str | None,
) -> dict[str, Any]:
    try:
        with session.begin():
            cred, generated = tenancy.create_credential(
                session, app_id=app_id, name=name, scopes=scopes, client_id=client_id, secret=secret
            )
            audit.record(session, actor, "credential.create", name, app_id=app_id, detail=" ".join(scopes))
            announce(session)
            return {**tenancy.credential_view(cred), "secret": generated}
    except IntegrityError as exc:  # another request took the name or client_id since we looked
        raise Conflict("the credential's name or client_id was just taken; try again") from exc


def rotate_credential(
    session: Session, actor: Actor, *, app_id: str, name: str, secret: str | None
) -> dict[str, Any]:
    with session.begin():
        generated = tenancy.rotate_credential(session, app_id=app_id, name=name, secret=secret)
        audit.record(session, actor, "credential.rotate", name, app_id=app_id)
        announce(session)  # other processes drop the old secret now, not after their cache's lifetime
        cred = tenancy.get_credential(session, app_id=app_id, name=name)
        return {**tenancy.credential_view(cred), "secret": generated}


def revoke_credential(session: Session, actor: Actor, *, app_id: str, name: str) -> None:
    with session.begin():
        tenancy.revoke_credential(session, app_id=app_id, name=name)
        audit.record(session, actor, "credential.revoke", name, app_id=app_id)
        announce(session)


def events_page(
    session: Session,
    *,
    app_id: str,
    family: str | None,
    type: str | None,
    journey_id: str | None,
    since: datetime | None,
    until: datetime | None,
    after: int | None,
    limit: int,
    user_id: str | None = None,
) -> dict[str, Any]:
    with session.begin():
        tenancy.get_app(session, app_id)
        events = list_events(
            session,
            app_id=app_id,
            family=family,
            type=type,
            journey_id=journey_id,
            user_id=user_id,
            since=since,
            until=until,
            after=after,
            limit=limit + 1,
        )
    more = len(events) > limit
    events = events[:limit]
    return {"items": [event_view(e) for e in events], "next_after": events[-1].id if more else None}
