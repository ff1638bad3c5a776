"""What the demo seeders share: finding a country's authorities and officers, and
granting procedures."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Membership,
    Procedure,
    ProcedureAccess,
)
from app.policy import Actor


def all_authorities(*where) -> list[Authority]:
    """The active ordinary authorities (of `where`), oldest first."""
    return db.session.scalars(
        select(Authority)
        .where(
            Authority.kind == AuthorityKind.AUTHORITY,
            Authority.status == AuthorityStatus.ACTIVE,
            *where,
        )
        .order_by(Authority.id)
    ).all()


def authorities_of(country: str) -> list[Authority]:
    """The country's active ordinary authorities: health first, then labour."""
    return all_authorities(Authority.country == country)


def officer(country: str, labour: bool, role: str) -> Actor:
    """An officer of the country's health (or labour) authority holding `role` in all
    legislative areas (the demo's cases are of several)."""
    authorities = authorities_of(country)
    authority = authorities[1] if labour else authorities[0]
    membership = next(
        m
        for m in authority_members(authority.id)
        if role in m.roles and role not in (m.role_areas or {})
    )
    return Actor(membership.user, membership)


def authority_members(authority_id: int) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.authority_id == authority_id)
            .order_by(Membership.id)
        )
    )


def grant(authorities: list[Authority], keys, roles: list[str]) -> None:
    """Give the authorities `roles` in each procedure this installation has (added to the
    roles they already hold); one query for all of them."""
    keys = [key for key in keys if db.session.get(Procedure, key) is not None]
    if not keys or not authorities:  # packs this installation lacks
        return
    held = {
        (access.authority_id, access.procedure_key): access
        for access in db.session.scalars(
            select(ProcedureAccess).where(
                ProcedureAccess.authority_id.in_([a.id for a in authorities]),
                ProcedureAccess.procedure_key.in_(keys),
            )
        )
    }
    for authority in authorities:
        for key in keys:
            access = held.get((authority.id, key))
            if access is None:
                db.session.add(
                    ProcedureAccess(authority_id=authority.id, procedure_key=key, roles=list(roles))
                )
            elif set(roles) - set(access.roles):
                access.roles = [*access.roles, *(r for r in roles if r not in access.roles)]
