"""Wire shapes of the admin API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core.config.document import Name, Scope


class CredentialIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Name
    scopes: Annotated[list[Scope], Field(min_length=1)]
    client_id: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    secret: Annotated[str, Field(min_length=8, max_length=255)] | None = None


class RotateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    secret: Annotated[str, Field(min_length=8, max_length=255)] | None = None


class CredentialOut(BaseModel):
    name: str
    client_id: str | None
    scopes: list[str]
    created_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None


class CredentialCreated(CredentialOut):
    secret: str | None = Field(description="The generated secret, shown this once; null when you chose it")


class AppOut(BaseModel):
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    credentials: list[CredentialOut] = []
    webhooks: list[dict[str, Any]] = []
    config: dict[str, Any] = {}


class ApplyOut(BaseModel):
    changed: bool
    changes: list[str]
    generated_secrets: dict[str, str]


class EventOut(BaseModel):
    id: int
    family: str
    journey_id: str
    user_id: str | None
    type: str
    payload: dict[str, Any]
    created_at: datetime


class JourneySummary(BaseModel):
    family: str
    journey_id: str
    user_id: str | None
    events: int = Field(description="its events among those the search read")
    first_at: datetime
    last_at: datetime
    last_type: str
    utm_source: str | None


class JourneyList(BaseModel):
    items: list[JourneySummary]
    match: Literal["journey_id", "user_id", "payload"] | None = Field(
        description="how `q` was found: an exact journey id, else an exact user id (each in the whole log),"
        " else payload text (null without `q`)"
    )
    searched: int | None = Field(
        description="for a payload search, how many of the app's newest events it tested (null otherwise)"
    )


class LiveSummary(BaseModel):
    since: datetime
    visitors: int = Field(description="distinct users, else client addresses, else journeys, since `since`")
    events: list[EventOut] = Field(description="the newest events since `since`, newest first (at most 100)")
    matched: int = Field(description="the events read since `since` (of which `events` are the newest)")
    last_id: int = Field(description="the app's newest event id: pass as `after` to the event stream")
    complete: bool = Field(description="false: more events than the summary reads fell in the range")


class EventPage(BaseModel):
    items: list[EventOut]
    next_after: int | None = Field(description="Pass as `after` for the next page; null on the last page")


class DeliveryOut(BaseModel):
    id: int
    topic: str = Field(description="webhook, surveys.callback or partners.postback")
    event: str | None = Field(description="the journey event type, for a webhook")
    method: str
    url: str
    status: Literal["pending", "delivered", "dead", "cancelled"]
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None = Field(description="when the next attempt is due, while pending")
    created_at: datetime
    delivered_at: datetime | None


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_after: int | None = Field(description="Pass as `after` for the next page; null on the last page")


class ReplayOut(BaseModel):
    replayed: int


class WebhookTestIn(BaseModel):
    url: str | None = Field(
        default=None, description="one of the app's webhook URLs; all of them if left out"
    )


class WebhookTestOut(BaseModel):
    deliveries: list[int] = Field(description="the ids of the test messages queued")


class ErasureReceipt(BaseModel):
    app_id: str
    user_id: str
    erased: bool = Field(description="false when nothing of this user was stored (e.g. a second call)")
    detail: str
    removed: dict[str, dict[str, int]] = Field(
        description="rows removed per family and table (`core.outbox_pending`, `core.outbox_delivered`,"
        " `core.outbox_dead`, `core.outbox_cancelled`: the outbox messages naming the user, by status)"
    )


class PurgeReport(BaseModel):
    apps: dict[str, dict[str, Any]] = Field(
        description="per app with a retention setting: its cutoff (`before`, ISO 8601) and the rows changed"
        " per family and table, `anonymized` (kept, personal data nulled or redacted) apart from `removed`"
        " (deleted)"
    )


Role = Literal["owner", "admin", "viewer"]
AppList = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=64)]] | None,
    Field(min_length=1, max_length=1000, description="the apps they may see; null: every app"),
]
Password = Annotated[str, Field(min_length=8, max_length=1024, description="stored as an argon2id hash")]


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(min_length=3, max_length=320)]
    password: Password
    role: Role
    apps: AppList = None


class UserPatch(BaseModel):
    """What to change; a field left out stays. Any change ends the user's dashboard sessions."""

    model_config = ConfigDict(extra="forbid")

    role: Role | None = None
    apps: AppList = None
    password: Password | None = None


class UserOut(BaseModel):
    id: int
    email: str
    role: Role
    apps: list[str] | None
    created_at: datetime
    updated_at: datetime


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    app_id: str | None
    actor: str = Field(description="a user's email, `admin token`, `command line` or a credential")
    actor_kind: Literal["user", "token", "cli", "credential"]
    action: str
    target: str
    detail: str | None


class AuditPage(BaseModel):
    items: list[AuditEntryOut]
    next_before: int | None = Field(description="pass as `before` for the next (older) page; null at the end")
