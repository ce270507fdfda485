"""ES Loyalty wire shapes (requests). Bodies ignore fields we do not use (the vendor documents more than
it retrieves), but every field we do use is validated here, once."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    WithJsonSchema,
    field_validator,
)

from ..core.web.errors import clip
from ..core.web.instants import in_utc, iso_only
from .money import parse_amount

IDENTIFIER_TYPES = (
    "ACCOUNT_ID",
    "LOYALTY_ID",
    "EXTERNAL_ID",
    "EMAIL",
    "PARTNER_LINK_ID",
    "PHONE_NUMBER",
    "EXTERNAL_AGENT_ID",
)
RESPONSES = ("accepted", "declined", "deferred")
ACTIONS = ("PURCHASE",)
CONFIRMATION_MODES = ("CART",)

Money = Annotated[
    Decimal,
    PlainValidator(parse_amount),
    WithJsonSchema({"anyOf": [{"type": "string", "example": "46.50"}, {"type": "number"}]}),
]
CallId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]


def _channel(value: str) -> str:
    return value.upper()


def _utc(value: datetime) -> datetime:
    return in_utc(value)


def _action(value: str) -> str:
    if value.upper() not in ACTIONS:
        raise ValueError(f"unsupported action '{clip(value)}' (supported: {', '.join(ACTIONS)})")
    return value.upper()


Channel = Annotated[
    str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$"), AfterValidator(_channel)
]
When = Annotated[datetime, BeforeValidator(iso_only), AfterValidator(_utc)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL refuses NUL in text and SQLite keeps it: refused here, both engines answer alike.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain a NUL character")
        return value


class StartSession(Body):
    correlationId: CallId
    channel: Channel = "STORE"
    locale: Annotated[str, Field(max_length=32)] | None = None
    externalAgentSessionId: Annotated[str, Field(max_length=64)] | None = None


class StartAnonymousSession(Body):
    correlationId: CallId
    channel: Channel = "STORE"
    locale: Annotated[str, Field(max_length=32)] | None = None
    externalIdentifier: Annotated[str, Field(max_length=255)] | None = None
    anonymousSessionId: Any = None


class LineItem(Body):
    sku: Annotated[str, Field(max_length=128)] | None = None
    description: Annotated[str, Field(max_length=500)] | None = None
    quantity: Annotated[Decimal, Field(gt=0, le=1_000_000)] | None = None
    amount: Money | None = None


class Basket(Body):
    amount: Money
    currency: Annotated[str, Field(pattern=r"^[A-Za-z]{3}$")]
    lineItems: Annotated[list[LineItem], Field(max_length=500)] = []


class Activity(Body):
    action: Annotated[str, AfterValidator(_action), Field(json_schema_extra={"enum": list(ACTIONS)})]
    channel: Channel
    transactionDate: When
    callId: CallId | None = None
    locale: Annotated[str, Field(max_length=32)] | None = None
    basket: Basket


class CardTender(Body):
    idType: Annotated[str, Field(min_length=1, max_length=32)]
    prefix: Annotated[str, Field(max_length=32)] | None = None
    suffix: Annotated[str, Field(max_length=32)] | None = None
    amount: Money


TenderType = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,31}$")]
# Either ``{"CASH": "200", "LOYALTY": 100}`` or ``{"VISA": [{"idType": "LAST_4", ..., "amount": "500"}]}``,
# mixable.
Tender = Annotated[
    dict[TenderType, Money | Annotated[list[CardTender], Field(min_length=1, max_length=20)]],
    Field(max_length=20),
]


def _confirmation_mode(value: str) -> str:
    if value.upper() not in CONFIRMATION_MODES:
        raise ValueError(f"unsupported mode '{clip(value)}' (supported: {', '.join(CONFIRMATION_MODES)})")
    return value.upper()


class Confirmation(Body):
    mode: Annotated[
        str, AfterValidator(_confirmation_mode), Field(json_schema_extra={"enum": list(CONFIRMATION_MODES)})
    ]


class Finalize(Activity):
    tender: Tender | None = None
    confirmation: Confirmation | None = None
