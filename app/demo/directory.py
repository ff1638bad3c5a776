"""The demo directory, read from directory.toml: the Commission, a national coordinator
per demo country, the authorities whose officers have demo accounts, competent
authorities for every concept of the competence vocabulary, and applications to join.

Each policy area may add its own authorities in areas/<area>.toml (same entries, with
their own `[staff]` and `[exchanges]` groups), so that an area's content is one file
beside its procedure packs' folder; an area file's exchanges grant each pack the roles
the pack declares."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import directory
from app.demo.common import grant
from app.extensions import db
from app.models import Authority, AuthorityKind, AuthorityStatus, Registration
from app.procedures import registry
from app.reference import LANGUAGES

FILE = Path(__file__).with_name("directory.toml")
AREA_FILES = Path(__file__).with_name("areas")
EXCHANGE_ROLES = ["requester", "responder"]
APPLICANT_DOMAIN = "demo.openimi.eu"

# (authority, account slug, full name, roles, language, role_areas) -> the account is made
MakeUser = Callable[[Authority, str, str, list[str], str, dict[str, list[str]]], None]


@cache
def data() -> dict:
    """directory.toml with every area file's authorities, staff and exchanges added (a
    group name used twice is an error: each file names its own)."""
    with FILE.open("rb") as handle:
        merged = tomllib.load(handle)
    merged["area_exchanges"] = {}
    for path in sorted(AREA_FILES.glob("*.toml")):
        with path.open("rb") as handle:
            area = tomllib.load(handle)
        for table, taken in (
            ("staff", merged["staff"]),
            ("exchanges", merged["exchanges"] | merged["area_exchanges"]),
        ):
            if clash := set(area.get(table, {})) & set(taken):
                raise ValueError(f"{path.name}: {table} {sorted(clash)} named twice")
        merged["staff"].update(area.get("staff", {}))
        merged["area_exchanges"].update(area.get("exchanges", {}))
        merged["authority"].extend(area.get("authority", []))
    return merged


def local_names(entry: dict) -> dict[str, str]:
    """An entry's names in its official languages, in the file's order."""
    return {key: value for key, value in entry.items() if key in LANGUAGES and key != "en"}


def _new_authority(entry: dict, status: AuthorityStatus, **fields) -> Authority:
    authority = Authority(
        kind=AuthorityKind(entry.get("kind", AuthorityKind.AUTHORITY.value)),
        status=status,
        country=entry["country"],
        name=entry["en"],
        local_names=local_names(entry),
        street=entry["street"],
        postcode=entry["postcode"],
        city=entry["city"],
        email=entry["email"],
        **fields,
    )
    directory.index_text(authority)
    db.session.add(authority)
    return authority


def seed(make_user: MakeUser) -> None:
    """Create the directory's missing authorities and their accounts, competences and
    procedure access; authorities seeded earlier are found by country and English name."""
    known = {
        (a.country, a.name): a
        for a in db.session.scalars(select(Authority).options(selectinload(Authority.concepts)))
    }
    coordinators: dict[str, Authority] = {}
    placed: list[tuple[dict, Authority]] = []
    for entry in data()["authority"]:
        authority = known.get((entry["country"], entry["en"]))
        if authority is None:
            parent = coordinators.get(entry["country"], coordinators.get("EU"))
            authority = _new_authority(entry, AuthorityStatus.ACTIVE, parent=parent)
            authority.coordinated_procedures = list(entry.get("coordinates", []))
        if authority.kind in (AuthorityKind.COMMISSION, AuthorityKind.NATIONAL_COORDINATOR):
            coordinators[authority.country] = authority
        directory.set_competences(authority, entry.get("concepts", []))
        placed.append((entry, authority))
    db.session.flush()
    for name, keys in data()["exchanges"].items():
        grant([a for e, a in placed if name in exchange_groups(e)], keys, EXCHANGE_ROLES)
    packs = registry(current_app)
    for name, keys in data()["area_exchanges"].items():
        exchanging = [a for e, a in placed if name in exchange_groups(e)]
        for key in keys:
            if key in packs:  # an area's packs this installation lacks are skipped
                grant(exchanging, [key], list(packs[key].roles))
    for entry, authority in placed:
        for account in data()["staff"].get(entry.get("staff"), []):
            make_user(
                authority,
                _for_country(account["account"], authority.country),
                _for_country(account["name"], authority.country),
                list(account["roles"]),
                next(iter(authority.local_names), "en"),
                {role: list(account["areas"]) for role in account["roles"]}
                if "areas" in account
                else {},
            )
    for entry in data()["registration"]:
        if (entry["country"], entry["en"]) not in known:
            _pending_registration(entry)


def exchange_groups(entry: dict) -> tuple[str, ...]:
    """The exchange groups an entry names: one, or a list (an authority competent in
    several areas)."""
    named = entry.get("exchanges", ())
    return (named,) if isinstance(named, str) else tuple(named)


def _for_country(template: str, country: str) -> str:
    return template.format(cc=country.lower(), CC=country)


def _pending_registration(entry: dict) -> None:
    authority = _new_authority(entry, AuthorityStatus.PENDING, competences=entry["competences"])
    db.session.flush()
    country = entry["country"].lower()
    db.session.add(
        Registration(
            authority_id=authority.id,
            applicant_name=entry["applicant"],
            applicant_email=f"applicant.{country}@{APPLICANT_DOMAIN}",
            language=next(iter(authority.local_names), "en"),
        )
    )
