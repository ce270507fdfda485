"""B2Core IB wire shapes: request bodies (validated here, at the edge) and the Click object with its
embeds. Field names, ``null`` for absent values and string coordinates follow the vendor's example.

Bodies ignore fields they do not know, as vendors' APIs do; a known field of the wrong type or format is
still refused."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    RootModel,
    StrictBool,
    ValidationInfo,
    field_validator,
)

from ..core.enrich import attribution
from ..core.enrich.addresses import canonical_ip
from ..core.web.instants import in_utc, iso_only

Text255 = Annotated[str, Field(max_length=255)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class TokenRequest(Body):
    grant_type: Literal["client_credentials"]


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"
    expires_in: int = Field(description="lifetime of the token in seconds")


def _ip(value: str) -> str:
    try:
        return canonical_ip(value.strip())
    except ValueError as exc:
        raise ValueError("must be an IPv4 or IPv6 address") from exc


def _utc(value: datetime | None) -> datetime | None:
    return None if value is None else in_utc(value)


class ClickCreate(Body):
    ip: Annotated[str, Field(max_length=45), AfterValidator(_ip)]
    uri: Annotated[str, Field(min_length=1, max_length=2048)]
    locale: Annotated[str, Field(max_length=64)] | None = None
    referrer: Annotated[str, Field(max_length=2048)] | None = None
    time: Annotated[datetime | None, BeforeValidator(iso_only), AfterValidator(_utc)] = None
    userAgent: Annotated[str, Field(max_length=2048)] | None = None
    uuid: Text255 | None = None


class Contact(Body):
    key: Literal["email", "phone"]
    value: Annotated[str, Field(min_length=1, max_length=255)]
    uuid: Text255 | None = None

    @field_validator("value")
    @classmethod
    def _valid_value(cls, value: str, info: ValidationInfo) -> str:
        key = info.data.get("key")
        return normalize_contact(key, value) if key is not None else value


def normalize_contact(key: str, value: str) -> str:
    """An email address (RFC 5322 syntax, normalized) or a phone number in international form
    (E.164 after parsing; its length must be possible for its country code)."""
    if key == "email":
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ValueError(f"invalid email address: {exc}") from exc
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise ValueError("invalid phone number: use the international form, e.g. +14155552671") from exc
    if not phonenumbers.is_possible_number(number):
        raise ValueError("invalid phone number: not a possible number for its country code")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class Profile(Body):
    """A registration (PUT, or a PATCH of a click without a profile): the client's profile; ``tag`` is our
    addition (the list's ``tag`` filter)."""

    firstName: Text255
    lastName: Text255
    middleName: Text255 | None = None
    enabled: StrictBool  # true or false: never 0, "yes" or "off"
    uuid: Text255 | None = None
    tag: Text255 | None = None
    contacts: list[Contact]


class ProfilePatch(Body):
    """PATCH: any part of the profile; contacts, when sent, replace the list."""

    firstName: Text255 | None = None
    lastName: Text255 | None = None
    middleName: Text255 | None = None
    enabled: StrictBool | None = None
    uuid: Text255 | None = None
    tag: Text255 | None = None
    contacts: list[Contact] | None = None


# What a registration must name (PUT always; PATCH when the click has no profile yet).
REGISTRATION_FIELDS = tuple(name for name, spec in Profile.model_fields.items() if spec.is_required())


class ClickUpdate(Body):
    """PUT: the profile wrapped as in the vendor's curl; its field table's flat form (the profile's fields at
    the top level) is accepted too."""

    profile: Profile


class ClickPatch(Body):
    """PATCH: part of the profile, wrapped or flat as for PUT."""

    profile: ProfilePatch


class JsonObject(RootModel[dict[str, Any]]):
    """Any JSON object (a PUT or PATCH body, before its form is known)."""


class RegistrationBody(RootModel[ClickUpdate | Profile]):
    """PUT's body in either form (for the OpenAPI description; routes read the form with ``profile`` as
    the key that tells them apart)."""


class AmendmentBody(RootModel[ClickPatch | ProfilePatch]):
    """PATCH's body in either form (for the OpenAPI description)."""


class Click(BaseModel):
    """The Click object (for the OpenAPI description; responses are rendered by ``click_view``)."""

    clickId: str
    time: str
    referrer: str | None
    ip: str | None
    uri: str
    userAgent: str | None
    utmCampaign: str | None
    utmContent: str | None
    utmMedium: str | None
    utmSource: str | None
    utmTerm: str | None
    profileId: str | None
    linkId: str | None
    bannerId: str | None
    bannerName: str | None
    bannerCdnFileUrl: str | None = Field(description="the banner image (the vendor's example's name)")
    cdnFileUrl: str | None = Field(description="the same URL (the vendor's field table's name)")
    latitude: str | None
    longitude: str | None
    countryCode: str | None
    countryName: str | None
    createTime: str
    updateTime: str
    uuid: str | None
    link: dict[str, Any] | None = Field(None, description="with query[link]=1")
    profile: dict[str, Any] | None = Field(None, description="with query[profile]=1")
    contacts: list[dict[str, Any]] | None = Field(None, description="with query[contacts]=1")
    metrics: dict[str, Any] | None = Field(None, description="with query[metrics]=1 (all-time, per link)")
    traffic: dict[str, Any] | None = Field(None, description="with query[traffic]=1: verdict and agent")


class ErrorBody(BaseModel):
    message: str
    errors: dict[str, list[str]]


# --- rendering ------------------------------------------------------------------------------------------


def iso(value: datetime | None) -> str | None:
    """The vendor's format, ``2021-01-01T00:00:00+00:00``: whole seconds (truncated), as strict parsers such
    as PHP's ``DATE_ATOM`` expect. Stored values keep their milliseconds, and so does the sort order."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds")


def coordinate(value: float | None) -> str | None:
    return None if value is None else format(Decimal(repr(value)).normalize(), "f")


def click_view(click: Any) -> dict[str, Any]:
    return {
        "clickId": click.id,
        "time": iso(click.time),
        "referrer": click.referrer,
        "ip": click.ip,
        "uri": click.uri,
        "userAgent": click.user_agent,
        "utmCampaign": click.utm_campaign,
        "utmContent": click.utm_content,
        "utmMedium": click.utm_medium,
        "utmSource": click.utm_source,
        "utmTerm": click.utm_term,
        "profileId": click.profile_id,
        "linkId": click.link_id,
        "bannerId": click.banner_id,
        "bannerName": click.banner_name,
        "bannerCdnFileUrl": click.banner_cdn_file_url,
        "cdnFileUrl": click.banner_cdn_file_url,
        "latitude": coordinate(click.latitude),
        "longitude": coordinate(click.longitude),
        "countryCode": click.country_code,
        "countryName": click.country_name,
        "createTime": iso(click.create_time),
        "updateTime": iso(click.update_time),
        "uuid": click.uuid,
    }


def created_payload(row: dict[str, Any]) -> dict[str, Any]:
    """The ``click.created`` event's payload: what analytics and webhooks need, and no personal data but
    the ad click ids, which retention and the click's deletion remove (``privacy``)."""
    return {
        "click_id": row["id"],
        "link_id": row["link_id"],
        "banner_id": row["banner_id"],
        "country_code": row["country_code"],
        "verdict": row["verdict"],
        "reason": row["verdict_reason"],
        "unique": row["is_unique"],
        "bot": row["is_bot"],
        "browser": row["browser"],
        "os": row["os"],
        "device": row["device"],
        "utm_source": row["utm_source"],
        "utm_medium": row["utm_medium"],
        "utm_campaign": row["utm_campaign"],
        "referrer_host": row["referrer_host"],
        "rule": row.get("rule"),  # the link rule a tracked redirect followed (none: the API's clicks)
        # the rest of the URI's attribution, the fields given only, and the ad network a click id names (the
        # row's, as the referrer's host: named when the click was recorded, ``rollup_measures.stored``)
        **attribution.given(row),
        attribution.AD_NETWORK: row[attribution.AD_NETWORK],
    }


def traffic_view(click: Any) -> dict[str, Any]:
    return {
        "verdict": click.verdict,
        "reason": click.verdict_reason,
        "unique": click.is_unique,
        "bot": click.is_bot,
        "linkPreview": click.verdict_reason == "link_preview",
        "browser": click.browser,
        "browserVersion": click.browser_version,
        "os": click.os,
        "osVersion": click.os_version,
        "device": click.device,
        "city": click.city,
    }


def link_view(link: Any) -> dict[str, Any]:
    return {
        "linkId": link.id,
        "name": link.name,
        "uri": link.uri,
        "createTime": iso(link.create_time),
        "updateTime": iso(link.update_time),
    }


def profile_view(profile: Any) -> dict[str, Any]:
    return {
        "profileId": profile.id,
        "firstName": profile.first_name,
        "lastName": profile.last_name,
        "middleName": profile.middle_name,
        "enabled": profile.enabled,
        "uuid": profile.uuid,
        "tag": profile.tag,
        "countryCode": profile.country_code,
        "countryName": profile.country_name,
        "createTime": iso(profile.create_time),
        "updateTime": iso(profile.update_time),
    }


def contact_view(contact: Any) -> dict[str, Any]:
    return {"key": contact.key, "value": contact.value, "uuid": contact.uuid}
