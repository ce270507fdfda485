"""Client profiles that registrations create or update, with their contacts (email or phone)."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import phonenumbers
from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from ..core.storage.ids import new_hex_id
from ..core.tenancy.apps import tenant
from .models import PartnerClick, PartnerContact, PartnerProfile

FIELDS = {
    "firstName": "first_name",
    "lastName": "last_name",
    "middleName": "middle_name",
    "enabled": "enabled",
    "uuid": "uuid",
    "tag": "tag",
}


def save(
    session: Session,
    *,
    app_id: str,
    current_id: str | None,
    data: dict[str, Any],
    partial: bool,
    country: tuple[str | None, str | None],
    now: datetime,
) -> PartnerProfile:
    """The profile a registration describes: the app's profile with the same ``uuid`` if there is one,
    else the click's current profile, else a new one. PUT replaces every field; PATCH only those sent."""
    profile = None
    if data.get("uuid"):
        profile = session.scalar(
            select(PartnerProfile).where(tenant(PartnerProfile, app_id), PartnerProfile.uuid == data["uuid"])
        )
    if profile is None and current_id is not None:
        profile = session.scalar(
            select(PartnerProfile).where(tenant(PartnerProfile, app_id), PartnerProfile.id == current_id)
        )
    if profile is None:
        profile = PartnerProfile(id=new_hex_id(24), app_id=app_id, enabled=True, create_time=now)
        session.add(profile)
    for wire, attr in FIELDS.items():
        if wire in data:
            setattr(profile, attr, data[wire])
        elif not partial and attr != "enabled":
            setattr(profile, attr, None)
    if profile.enabled is None:
        profile.enabled = True
    parts = (profile.first_name, profile.middle_name, profile.last_name)
    profile.full_name_lc = " ".join(p for p in parts if p).lower()
    profile.update_time = now
    contacts = data.get("contacts")
    if contacts is not None or not partial:
        session.flush()
        session.execute(
            delete(PartnerContact).where(
                tenant(PartnerContact, app_id), PartnerContact.profile_id == profile.id
            )
        )
        for position, contact in enumerate(contacts or []):
            session.add(
                PartnerContact(
                    app_id=app_id,
                    profile_id=profile.id,
                    position=position,
                    key=contact["key"],
                    value=contact["value"],
                    value_lc=contact["value"].lower(),
                    uuid=contact.get("uuid"),
                )
            )
        profile.country_code, profile.country_name = _country(contacts or [], country)
    elif profile.country_code is None:
        profile.country_code, profile.country_name = country
    session.flush()
    return profile


def _country(
    contacts: list[dict[str, Any]], fallback: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    """The client's country: the region of the first phone number, else where the click came from."""
    for contact in contacts:
        if contact["key"] != "phone":
            continue
        number = phonenumbers.parse(contact["value"], None)
        region = phonenumbers.region_code_for_number(number)
        if region and region != "001":
            return region, _country_name(number)
    return fallback


def _country_name(number: phonenumbers.PhoneNumber) -> str | None:
    """The English name of the number's country, as ``phonenumbers.geocoder.country_name_for_number``
    gives it: the region of its country code or, for a code several regions share (+1, +7, +44…), the
    one region where the number is valid; nothing when that is ambiguous. The geocoder itself is not
    imported: it loads phonenumbers' whole prefix → place table (~100 MB) that a country name never
    reads."""
    if number.country_code is None:
        return None
    regions = list(phonenumbers.region_codes_for_country_code(number.country_code))
    if len(regions) != 1:
        valid = [r for r in regions if phonenumbers.is_valid_number_for_region(number, r)]
        regions = valid if len(valid) == 1 else []
    return _english_region_names().get(regions[0]) if regions else None


@lru_cache(maxsize=1)
def _english_region_names() -> dict[str, str]:
    """Region → English display name, from the locale table phonenumbers' geocoder uses
    (``phonenumbers/geodata/locale.py``, a few MB), read on its own: importing it by name would first
    run ``phonenumbers.geodata``'s ``__init__``, which is the ~100 MB prefix table."""
    try:
        package = importlib.util.find_spec("phonenumbers.geodata")
        folders = list(package.submodule_search_locations or []) if package else []
        spec = importlib.util.spec_from_file_location(
            "phonenumbers.geodata.locale", Path(folders[0]) / "locale.py"
        )
        if spec is None or spec.loader is None:
            raise ImportError("no loader for phonenumbers' locale table")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        table = module.LOCALE_DATA
    except (ImportError, OSError, IndexError, AttributeError):  # another layout: the heavy way
        from phonenumbers.geodata.locale import LOCALE_DATA as table
    names: dict[str, str] = {}
    for region, by_language in table.items():
        name = by_language.get("en", "")
        if name.startswith("*"):  # "*xx": the same name as the language xx's
            name = by_language.get(name[1:], "")
        if name:
            names[region] = name
    return names


def drop_if_orphan(session: Session, *, app_id: str, profile_id: str) -> None:
    """Delete a profile (and its contacts) that no click of the app refers to any more."""
    used = session.scalar(
        select(exists().where(tenant(PartnerClick, app_id), PartnerClick.profile_id == profile_id))
    )
    if not used:
        session.execute(
            delete(PartnerContact).where(
                tenant(PartnerContact, app_id), PartnerContact.profile_id == profile_id
            )
        )
        session.execute(
            delete(PartnerProfile).where(tenant(PartnerProfile, app_id), PartnerProfile.id == profile_id)
        )
