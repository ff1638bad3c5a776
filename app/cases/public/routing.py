"""The public procedures and where their cases go: the competent authority is the first
active authority, by name, of the chosen country that holds `responder` access to the
procedure (coordinators decide who holds that access). A country without one cannot be
chosen. For SOLVIT, the authority the directory marks as the country's SOLVIT centre
comes first (app/cases/public/solvit.py): it is the home centre a complaint goes to,
and the lead centre the home centre submits a case to."""

from __future__ import annotations

from flask import current_app

from app.cases.packs import holder_countries, holders
from app.cases.public import solvit
from app.models import Authority, PublicCase
from app.procedures import Pack, registry
from app.procedures.store import pinned_pack


def public_packs() -> list[Pack]:
    packs = registry(current_app).values()
    return sorted((p for p in packs if p.kind == "public"), key=lambda p: p.key)


def public_pack(key: str) -> Pack | None:
    pack = registry(current_app).get(key)
    return pack if pack is not None and pack.kind == "public" else None


def pack_of(case: PublicCase) -> Pack:
    return pinned_pack(case.procedure_key, case.pack_version)


def competent_authority(procedure_key: str, country: str) -> Authority | None:
    """Asked of the country's responders only, not of every country's."""
    first = (~solvit.marked(),) if procedure_key in solvit.PROCEDURES else ()
    found = holders(
        procedure_key,
        "responder",
        Authority.country == country,
        order_by=(*first, Authority.name, Authority.id),
    )
    return found[0] if found else None


def countries_for(procedure_key: str) -> list[str]:
    """A row per country, however many authorities answer the procedure (every view of
    the public form asks)."""
    return sorted(holder_countries(procedure_key, "responder"))
