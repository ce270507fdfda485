"""The ``signage:`` section of the config document: campaigns, their ordered statuses and coupon pools, and
the app's ``fallback_url`` (where a scan that opens no session is sent)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, Field, field_validator, model_validator

from ..core.config.document import StrictModel
from ..core.enrich.redirect_rules import RuleList, TimeZone

CampaignId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
Status = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{1,64}$")]
CouponCode = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.:#/+-]{1,64}$")]
FormUrl = Annotated[str, Field(pattern=r"^https?://[^\s/?#]+[^\s]*$", max_length=2048)]

DUPLICATE_WINDOW = 1800  # seconds, as partners' and surveys'

# Generated codes avoid look-alikes (0/O, 1/I/L) so a shopper can type them off a screen.
GENERATED_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _duplicates(values: list[str], what: str) -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    for index, value in enumerate(values):
        if value in seen:
            problems.append(f"duplicate {what} '{value}' (at [{seen[value]}] and [{index}])")
        seen.setdefault(value, index)
    return problems


class Generate(StrictModel):
    """Codes drawn from a cryptographic random source at apply time: the pool is topped up to ``count``
    generated codes (issued ones included), so applying the same file twice generates nothing more."""

    prefix: Annotated[str, Field(max_length=32, pattern=r"^[A-Za-z0-9_.:#/+-]*$")] = ""
    length: Annotated[int, Field(ge=6, le=32)] = 10
    count: Annotated[int, Field(ge=1, le=100_000)] = 1000


class CouponPool(StrictModel):
    codes: list[CouponCode] = []
    generate: Generate | None = None

    @field_validator("codes")
    @classmethod
    def _unique_codes(cls, codes: list[str]) -> list[str]:
        problems = _duplicates(codes, "coupon code")
        if problems:
            raise ValueError("; ".join(problems))
        return codes

    @model_validator(mode="after")
    def _fits(self) -> CouponPool:
        if self.generate is not None and len(self.generate.prefix) + self.generate.length > 64:
            raise ValueError("generate: prefix + length must be at most 64 characters")
        return self


class Campaign(StrictModel):
    id: CampaignId
    form_url: FormUrl
    statuses: Annotated[list[Status], Field(min_length=1, max_length=100)]
    coupon_after: Status | None = None  # default: the last status
    coupons: CouponPool | None = None
    session_ttl_seconds: Annotated[int, Field(ge=60, le=365 * 86400)] | None = None
    rules: RuleList = []  # redirect rules (core.enrich.redirect_rules): the first that matches wins
    # Limits: a scan past expires_at (ISO 8601 with a zone), or once max_clicks scans opened a session,
    # opens none: it is an orphan scan sent to the app's fallback_url, else 404 (docs/signage.md).
    expires_at: AwareDatetime | None = None
    max_clicks: Annotated[int, Field(ge=1, le=2**62)] | None = None

    @field_validator("statuses")
    @classmethod
    def _unique_statuses(cls, statuses: list[str]) -> list[str]:
        problems = _duplicates(statuses, "status")
        if problems:
            raise ValueError("; ".join(problems))
        return statuses

    @model_validator(mode="after")
    def _coupon_after_known(self) -> Campaign:
        if self.coupon_after is not None and self.coupon_after not in self.statuses:
            raise ValueError(f"coupon_after '{self.coupon_after}' is not one of statuses")
        return self

    @property
    def coupon_status(self) -> str:
        return self.coupon_after or self.statuses[-1]


class SignageConfig(StrictModel):
    campaigns: list[Campaign] = []
    # The zone of the rules' windows (an IANA name).
    timezone: TimeZone = "UTC"
    # A scan of a campaign the app does not have is recorded as an orphan scan and sent here (302, as
    # is); without it, such a scan is 404 and not recorded.
    fallback_url: FormUrl | None = None
    # A scan of the same visitor (ip + user agent) on the same campaign within this many seconds of their
    # last one is kept with the verdict "duplicate" (0: never); it is sent on as any other.
    duplicate_window_seconds: Annotated[int, Field(ge=0, le=30 * 86400)] = DUPLICATE_WINDOW

    @field_validator("campaigns")
    @classmethod
    def _unique_campaigns(cls, campaigns: list[Campaign]) -> list[Campaign]:
        problems = _duplicates([c.id for c in campaigns], "campaign id")
        owner: dict[str, str] = {}
        for campaign in campaigns:
            for code in campaign.coupons.codes if campaign.coupons else []:
                if code in owner and owner[code] != campaign.id:
                    problems.append(
                        f"coupon code '{code}' is listed by campaigns '{owner[code]}' and '{campaign.id}'"
                    )
                owner.setdefault(code, campaign.id)
        if problems:
            raise ValueError("; ".join(problems))
        return campaigns
