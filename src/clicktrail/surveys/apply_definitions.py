"""``apply`` for the surveys section: the question bank, surveys, start bonus, settings and quota caps
become rows the click flow reads by primary key. Idempotent: the same section twice changes nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..core.tenancy.apps import tenant
from ..core.web.errors import ConfigError
from .config import SurveysSection, check_references
from .models import Survey as SurveyRow
from .models import SurveyQuestion, SurveyQuota, SurveySettings


def apply_section(session: Session, *, app_id: str, section: SurveysSection) -> list[str]:
    problems = check_references(section)
    if problems:
        raise ConfigError(problems)
    changes: list[str] = []
    changes += _apply_questions(session, app_id, section)
    changes += _apply_surveys(session, app_id, section)
    changes += _apply_quotas(session, app_id, section)
    changes += _apply_settings(session, app_id, section)
    return changes


def _sync(session: Session, row: Any, wanted: dict[str, Any]) -> list[str]:
    changed = [key for key, value in wanted.items() if getattr(row, key) != value]
    for key in changed:
        setattr(row, key, wanted[key])
    return changed


def _apply_settings(session: Session, app_id: str, section: SurveysSection) -> list[str]:
    wanted = {
        "currency_factor": section.currency_factor,
        "termination_url": section.termination_url,
        "start_bonus_url": section.start_bonus_url,
        "callback_url": section.callback_url,
        "callback_secret": section.callback_secret,
        "screenout_reward": section.screenout_reward,
        "profile_questions": list(section.profile_questions),
        "start_bonus_id": section.start_bonus.id if section.start_bonus else None,
        "app_settings": section.app_settings.model_dump(mode="json"),
        "duplicate_window_seconds": section.duplicate_window_seconds,
    }
    row = session.get(SurveySettings, app_id)
    if row is None:
        session.add(SurveySettings(app_id=app_id, **wanted))
        return ["surveys settings created"]
    changed = _sync(session, row, wanted)
    return [f"surveys settings updated ({', '.join(changed)})"] if changed else []


def _apply_questions(session: Session, app_id: str, section: SurveysSection) -> list[str]:
    existing = {
        q.id: q for q in session.scalars(select(SurveyQuestion).where(tenant(SurveyQuestion, app_id)))
    }
    changes = []
    for spec in section.questions:
        wanted = {
            "type": spec.type,
            # Pairs, not an object: JSONB reorders keys, and the first text given is the fallback.
            "texts": [[lang, text] for lang, text in spec.text.items()],
            "answers": [{"code": a.code, "text": [[k, v] for k, v in a.text.items()]} for a in spec.answers],
            "can_skip": spec.can_skip,
            "example": spec.example,
            "birthdate": spec.birthdate,
            "validation": spec.validation.model_dump(mode="json"),
        }
        row = existing.get(spec.id)
        if row is None:
            session.add(SurveyQuestion(app_id=app_id, id=spec.id, **wanted))
            changes.append(f"question '{spec.id}' created")
        elif _sync(session, row, wanted):
            changes.append(f"question '{spec.id}' updated")
    # Questions dropped from the bank stay readable by clicks that already ask them.
    return changes


def _qualifying(value: Any) -> Any:
    if value is None or isinstance(value, list):
        return value
    return value.model_dump(mode="json")


def _apply_surveys(session: Session, app_id: str, section: SurveysSection) -> list[str]:
    existing = {s.id: s for s in session.scalars(select(SurveyRow).where(tenant(SurveyRow, app_id)))}
    wanted_rows: dict[str, dict[str, Any]] = {}
    for position, spec in enumerate(section.surveys):
        wanted_rows[spec.id] = {
            "type": "survey",
            "active": True,
            "position": position,
            "cpi": spec.cpi,
            "loi": spec.loi,
            "country": spec.country,
            "language": spec.language,
            "rating": spec.rating,
            "category": spec.category.model_dump(mode="json"),
            "entry_url": spec.entry_url,
            "questions": [{"id": q.id, "qualifying": _qualifying(q.qualifying)} for q in spec.questions],
        }
    bonus = section.start_bonus
    if bonus is not None:
        wanted_rows[bonus.id] = {
            "type": "start_bonus",
            "active": True,
            "position": -1,
            "cpi": bonus.reward,
            "loi": bonus.loi,
            "country": None,
            "language": None,
            "rating": bonus.rating,
            "category": bonus.category.model_dump(mode="json"),
            "entry_url": None,
            "questions": [{"id": qid, "qualifying": None} for qid in bonus.questions],
        }
    changes = []
    for survey_id, wanted in wanted_rows.items():
        row = existing.get(survey_id)
        if row is None:
            session.add(SurveyRow(app_id=app_id, id=survey_id, **wanted))
            changes.append(f"survey '{survey_id}' created")
        else:
            # Numeric columns come back with the column's scale; compare as numbers.
            if Decimal(row.cpi) == wanted["cpi"]:
                wanted["cpi"] = row.cpi
            if _sync(session, row, wanted):
                changes.append(f"survey '{survey_id}' updated")
    for survey_id, row in existing.items():
        if survey_id not in wanted_rows and row.active:
            row.active = False
            changes.append(f"survey '{survey_id}' deactivated")
    session.flush()
    return changes


def _apply_quotas(session: Session, app_id: str, section: SurveysSection) -> list[str]:
    existing = {
        (q.survey_id, q.country): q
        for q in session.scalars(select(SurveyQuota).where(tenant(SurveyQuota, app_id)))
    }
    changes = []
    wanted_keys = set()
    for spec in section.surveys:
        caps = {"*": spec.quota, **spec.quota.countries}
        for country, cap in caps.items():
            wanted_keys.add((spec.id, country))
            wanted = {"cap_completes": cap.completes, "cap_open_clicks": cap.open_clicks}
            row = existing.get((spec.id, country))
            if row is None:
                session.add(SurveyQuota(app_id=app_id, survey_id=spec.id, country=country, **wanted))
                if cap.completes is not None or cap.open_clicks is not None:
                    changes.append(f"survey '{spec.id}' quota {country} set")
            elif _sync(session, row, wanted):
                changes.append(f"survey '{spec.id}' quota {country} updated")
    for key, row in existing.items():
        # A country cap removed from the file: keep the counters, lift the cap.
        if key not in wanted_keys and (row.cap_completes is not None or row.cap_open_clicks is not None):
            session.execute(
                update(SurveyQuota)
                .where(
                    tenant(SurveyQuota, app_id),
                    SurveyQuota.survey_id == key[0],
                    SurveyQuota.country == key[1],
                )
                .values(cap_completes=None, cap_open_clicks=None)
            )
            changes.append(f"survey '{key[0]}' quota {key[1]} lifted")
    return changes
