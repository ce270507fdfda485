"""``clicktrail apply`` and ``PUT /admin/v1/config``: one document, validated whole, applied in one
transaction. A document with any error changes nothing; applying the same document twice changes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker

from .core.config.cache import announce, invalidate_all
from .core.config.document import AppSpec, ConfigDocument, CredentialSpec, problems_of, validate_core
from .core.config.pacing import pace
from .core.family import Family
from .core.journeys.outbound import hide_userinfo
from .core.journeys.outbox import cancel_for_webhook
from .core.journeys.privacy import apply_privacy
from .core.journeys.webhooks import Webhook
from .core.storage.ids import utcnow
from .core.tenancy import audit
from .core.tenancy.access import CLI, Actor
from .core.tenancy.apps import App, Credential, CredentialClash, create_credential, get_app, update_credential
from .core.web.errors import ConfigError, Conflict

AUDIT_BATCH = 500  # audit rows flushed at a time, with a pause between (core.config.pacing)


@dataclass
class ApplyReport:
    changes: list[str] = field(default_factory=list)
    # "app/credential" → secret generated now; shown once, never stored in clear.
    generated_secrets: dict[str, str] = field(default_factory=dict)
    versions_moved: bool = False  # an app's config version moved (not every such change is reported)

    def as_dict(self) -> dict[str, Any]:
        return {
            "changed": bool(self.changes),
            "changes": self.changes,
            "generated_secrets": self.generated_secrets,
        }


def validate_document(data: dict[str, Any], families: Sequence[Family]) -> tuple[ConfigDocument, dict]:
    """Core checks, then every family's section; all problems of the document at once."""
    doc = validate_core(data)
    sections: dict[tuple[int, str], Any] = {}
    problems: list[tuple[str, str]] = []
    browser = [f.name for f in families if f.browser is not None]
    for index, app in enumerate(doc.apps):
        for name in app.cors or {}:
            if name not in browser:
                problems.append(
                    (
                        f"apps[{index}].cors.{name}",
                        f"not a family browsers call (expected one of {', '.join(browser)})",
                    )
                )
        for fam in families:
            raw = getattr(app, fam.name, None)
            if raw is None:
                continue
            if fam.config_model is None:
                sections[(index, fam.name)] = raw
                continue
            try:
                sections[(index, fam.name)] = fam.config_model.model_validate(raw)
            except ValidationError as exc:
                problems.extend(problems_of(exc, prefix=f"apps[{index}].{fam.name}"))
    if problems:
        raise ConfigError(problems)
    return doc, sections


def apply_document(
    sessions: sessionmaker[Session], data: dict[str, Any], families: Sequence[Family], actor: Actor = CLI
) -> ApplyReport:
    """Apply as ``actor`` (the command line by default), who must have every app the document names."""
    doc, sections = validate_document(data, families)
    actor.require_apps(spec.id for spec in doc.apps)
    report = ApplyReport()
    with sessions() as session, session.begin():
        ids = [spec.id for spec in doc.apps]
        apps = _rows_by_app(session, App.id, ids)
        credentials = _rows_by_app(session, Credential.app_id, ids)
        webhooks = _rows_by_app(session, Webhook.app_id, ids)
        for index, spec in enumerate(doc.apps):
            pace()
            _apply_app(session, spec, apps.get(spec.id, [None])[0], report)
            _apply_credentials(session, index, spec, credentials.get(spec.id, []), report)
            _apply_webhooks(session, spec, webhooks.get(spec.id, []), report)
            if spec.cors is not None:
                cors = {name: c.model_dump() for name, c in spec.cors.items()}
                _store_section(session, spec.id, "cors", cors, report)
            report.changes.extend(f"{spec.id}: {c}" for c in apply_privacy(session, spec.id, spec.privacy))
            for fam in families:
                section = sections.get((index, fam.name))
                if section is None:
                    continue
                _store_section(session, spec.id, fam.name, section, report)
                if fam.apply is not None:
                    try:
                        changes = fam.apply(session, app_id=spec.id, section=section)
                    except ConfigError as exc:
                        raise ConfigError(
                            [
                                (f"apps[{index}].{fam.name}" + (f".{p}" if p else ""), m)
                                for p, m in exc.problems
                            ]
                        ) from exc
                    report.changes.extend(f"{spec.id}: {change}" for change in changes)
                    if changes:
                        _touch(session, spec.id, report)
        if report.changes or report.versions_moved:
            announce(session)
        _audit(session, actor, report)
    invalidate_all()
    return report


def _audit(session: Session, actor: Actor, report: ApplyReport) -> None:
    """One audit row per app the document changed, listing its changes (which never hold a secret)."""
    by_app: dict[str, list[str]] = {}
    for change in report.changes:
        app_id, _, what = change.partition(": ")
        by_app.setdefault(app_id, []).append(what)
    for count, (app_id, changes) in enumerate(by_app.items(), start=1):
        audit.record(session, actor, "config.apply", app_id, app_id=app_id, detail="; ".join(changes))
        if count % AUDIT_BATCH == 0:  # a flush of thousands of rows at commit would run unpaced
            session.flush()
            pace()


def _touch(session: Session, app_id: str, report: ApplyReport) -> None:
    """Move the app's config version, so every process reloads what it caches of the app."""
    get_app(session, app_id).updated_at = utcnow()
    report.versions_moved = True


def _rows_by_app(session: Session, column: InstrumentedAttribute[str], app_ids: list[str]) -> dict[str, list]:
    """The rows whose ``column`` is one of the document's app ids, grouped by it: one query per 500 apps,
    not one each (a 10,000-app document then holds SQLite's write lock for seconds less)."""
    rows: dict[str, list] = {}
    for start in range(0, len(app_ids), 500):
        chunk = app_ids[start : start + 500]
        for row in session.scalars(select(column.class_).where(column.in_(chunk))):
            rows.setdefault(getattr(row, column.key), []).append(row)
    return rows


def _apply_app(session: Session, spec: AppSpec, app: App | None, report: ApplyReport) -> None:
    if app is None:
        session.add(App(id=spec.id, name=spec.name, config={}))
        session.flush()
        report.changes.append(f"{spec.id}: app created")
    elif app.name != spec.name:
        app.name = spec.name
        _touch(session, spec.id, report)
        report.changes.append(f"{spec.id}: app renamed to '{spec.name}'")


def _apply_credentials(
    session: Session, index: int, spec: AppSpec, stored: list[Credential], report: ApplyReport
) -> None:
    existing = {c.name: c for c in stored}
    for j, cred_spec in enumerate(spec.credentials):
        try:
            _apply_credential(session, spec.id, cred_spec, existing.get(cred_spec.name), report)
        except CredentialClash as exc:
            raise ConfigError([(f"apps[{index}].credentials[{j}].{exc.field}", exc.message)]) from exc


def _apply_credential(
    session: Session, app_id: str, spec: CredentialSpec, cred: Credential | None, report: ApplyReport
) -> None:
    """Through tenancy, as the admin API does: a changed secret ends the old one's tokens alike."""
    scopes = list(spec.scopes)
    if cred is None:
        _, generated = create_credential(
            session,
            app_id=app_id,
            name=spec.name,
            scopes=scopes,
            client_id=spec.client_id,
            secret=spec.secret,
        )
        if generated is not None:
            report.generated_secrets[f"{app_id}/{spec.name}"] = generated
        report.changes.append(f"{app_id}: credential '{spec.name}' created")
        return
    changed = update_credential(session, cred, scopes=scopes, client_id=spec.client_id, secret=spec.secret)
    if changed:
        session.flush()
        report.changes.append(f"{app_id}: credential '{spec.name}' updated ({', '.join(changed)})")


def _apply_webhooks(session: Session, spec: AppSpec, stored: list[Webhook], report: ApplyReport) -> None:
    existing = {w.url: w for w in stored}
    for hook in spec.webhooks:
        current = existing.get(hook.url)
        if current is None:
            session.add(Webhook(app_id=spec.id, url=hook.url, secret=hook.secret, events=list(hook.events)))
            report.changes.append(f"{spec.id}: webhook {hide_userinfo(hook.url)} created")
        elif current.secret != hook.secret or list(current.events) != list(hook.events):
            current.secret, current.events = hook.secret, list(hook.events)
            report.changes.append(f"{spec.id}: webhook {hide_userinfo(hook.url)} updated")
    # An app's webhooks are the ones its document lists: one left out is removed, and its pending
    # messages are cancelled with it (never retried).
    for url, gone in existing.items():
        if url not in {hook.url for hook in spec.webhooks}:
            cancelled = cancel_for_webhook(session, gone.id)
            session.delete(gone)
            note = f" ({cancelled} pending messages cancelled)" if cancelled else ""
            report.changes.append(f"{spec.id}: webhook {hide_userinfo(url)} removed{note}")


def _store_section(session: Session, app_id: str, name: str, section: Any, report: ApplyReport) -> None:
    raw = section.model_dump(mode="json", exclude_unset=True) if isinstance(section, BaseModel) else section
    app = get_app(session, app_id)
    if app.config.get(name) != raw:
        app.config = {**app.config, name: raw}
        _touch(session, app_id, report)
        if not isinstance(section, BaseModel):
            report.changes.append(f"{app_id}: {name} section stored")


def apply_or_raise(
    sessions: sessionmaker[Session], data: dict[str, Any], families: Sequence[Family], actor: Actor = CLI
) -> ApplyReport:
    """apply_document, with database conflicts (a race with another apply) as a typed error."""
    try:
        return apply_document(sessions, data, families, actor)
    except IntegrityError as exc:
        raise Conflict("the configuration changed concurrently; apply again") from exc
