"""An app's loyalty program: applied from config into tables, read back on the hot path (through the
process's ``ConfigCache``: ``await rt.configured(app_id, program.load)``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..core.tenancy.apps import tenant
from .config import LoyaltySection
from .models import Offer, Program
from .money import points_for, to_cents


@dataclass(frozen=True, slots=True)
class OfferRule:
    """One offer as the hot path reads it: plain values, safe to share between requests and threads."""

    id: str
    threshold_cents: int
    bonus_points: int
    message: dict[str, str]
    position: int


@dataclass(frozen=True)
class Rules:
    points_per_unit: Decimal
    near_miss_window_cents: int
    currency: str
    locale: str
    offers: tuple[OfferRule, ...]  # by threshold, then config order


@dataclass(frozen=True, slots=True)
class Estimate:
    """The points a basket earns: base points for its amount plus the bonus of every offer it meets (the
    trial's estimate and finalize's booking are the same sum)."""

    base: int
    met: tuple[OfferRule, ...]

    @property
    def bonus(self) -> int:
        return sum(o.bonus_points for o in self.met)

    @property
    def total(self) -> int:
        return self.base + self.bonus

    def view(self) -> dict[str, int]:
        return {"basePoints": self.base, "bonusPoints": self.bonus, "totalPoints": self.total}


def estimate(rules: Rules, cents: int) -> Estimate:
    met = tuple(o for o in rules.offers if cents >= o.threshold_cents)
    return Estimate(points_for(cents, rules.points_per_unit), met)


DEFAULT = LoyaltySection()


def apply(session: Session, *, app_id: str, section: LoyaltySection) -> list[str]:
    """Upsert the program and its offers inside the caller's transaction; returns what changed."""
    changes: list[str] = []
    wanted = {
        "points_per_unit": format(section.points_per_unit.normalize(), "f"),
        "near_miss_window_cents": to_cents(section.near_miss_window),
        "currency": section.currency,
        "locale": section.locale,
    }
    program = session.get(Program, app_id)
    if program is None:
        session.add(Program(app_id=app_id, **wanted))
        changes.append("loyalty program created")
    else:
        changed = [key for key, value in wanted.items() if getattr(program, key) != value]
        for key in changed:
            setattr(program, key, wanted[key])
        if changed:
            changes.append(f"loyalty program updated ({', '.join(changed)})")

    existing = {o.id: o for o in session.scalars(select(Offer).where(tenant(Offer, app_id)))}
    for position, spec in enumerate(section.offers):
        values = {
            "threshold_cents": to_cents(spec.threshold),
            "bonus_points": spec.bonus_points,
            "message": dict(spec.message),
            "position": position,
        }
        offer = existing.pop(spec.id, None)
        if offer is None:
            session.add(Offer(app_id=app_id, id=spec.id, **values))
            changes.append(f"loyalty offer '{spec.id}' created")
            continue
        changed = [key for key, value in values.items() if getattr(offer, key) != value]
        for key in changed:
            setattr(offer, key, values[key])
        if changed:
            changes.append(f"loyalty offer '{spec.id}' updated ({', '.join(changed)})")
    for offer_id in existing:
        session.execute(delete(Offer).where(tenant(Offer, app_id), Offer.id == offer_id))
        changes.append(f"loyalty offer '{offer_id}' removed")
    session.flush()
    return changes


def locale_of(session: Session, app_id: str) -> str:
    """The app's fallback locale (one primary-key read)."""
    program = session.get(Program, app_id)
    return program.locale if program is not None else DEFAULT.locale


def load(session: Session, app_id: str) -> Rules:
    """The app's rules (defaults when it has no ``loyalty:`` section): two indexed reads. Also a
    ``ConfigCache`` loader: the value holds no ORM object, so it outlives the session that read it."""
    program = session.get(Program, app_id)
    offers = [
        OfferRule(o.id, o.threshold_cents, o.bonus_points, dict(o.message), o.position)
        for o in session.scalars(
            select(Offer).where(tenant(Offer, app_id)).order_by(Offer.threshold_cents, Offer.position)
        )
    ]
    if program is None:
        return Rules(
            DEFAULT.points_per_unit,
            to_cents(DEFAULT.near_miss_window),
            DEFAULT.currency,
            DEFAULT.locale,
            tuple(offers),
        )
    return Rules(
        Decimal(program.points_per_unit),
        program.near_miss_window_cents,
        program.currency,
        program.locale,
        tuple(offers),
    )
