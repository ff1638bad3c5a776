"""What coordinators and local administrators change of authorities: procedure access,
suspension, directory data.

Each function in the services is one action: it changes state, writes the audit record
and any mail in the same transaction, and commits.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import directory
from app.extensions import db
from app.models import (
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Membership,
    ProcedureAccess,
)
from app.models.base import utcnow
from app.policy import Actor, coordinates_procedure
from app.procedures import ROLES
from app.records import audit
from app.sessions import end_sessions_of

# The roles an authority may hold in a procedure: those a pack may name.
ACCESS_ROLES = ROLES


class GovernanceError(Exception):
    """A refused action; the message is shown to the user."""


def set_authority_suspended(actor: Actor, authority: Authority, suspended: bool) -> None:
    if authority.id == actor.authority.id:
        raise GovernanceError("self")
    if suspended:
        authority.status = AuthorityStatus.SUSPENDED
        for user_id in db.session.scalars(
            select(Membership.user_id).where(Membership.authority_id == authority.id)
        ):
            end_sessions_of(user_id)
    elif authority.status == AuthorityStatus.SUSPENDED:
        authority.status = AuthorityStatus.ACTIVE
    audit.by_actor(
        actor,
        "authority.suspended" if suspended else "authority.reactivated",
        "authority",
        authority.id,
    )
    db.session.commit()


# A NUTS code: the country's two letters (Greece's are EL), then up to three levels.
NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def nuts_country(country: str) -> str:
    """The letters NUTS codes of a country begin with (ISO GR is NUTS EL)."""
    return "EL" if country == "GR" else country


def may_set_region(actor: Actor, authority: Authority) -> bool:
    """The national coordinator of the authority's country: a delegated coordinator must
    not move an authority into another delegate's region, or out of its own."""
    from app.policy import governs

    own = actor.authority
    return own.kind == AuthorityKind.NATIONAL_COORDINATOR and governs(actor, authority)


def set_region(actor: Actor, authority: Authority, region: str) -> None:
    """The national coordinator says where an authority is: a NUTS code of its own
    country, or "" (nowhere said). Delegated coordinators of a region govern the
    authorities in it (app/policy.py `in_region`)."""
    if not may_set_region(actor, authority):
        raise GovernanceError("scope")
    region = region.strip().upper()
    if region and not (NUTS.match(region) and region.startswith(nuts_country(authority.country))):
        raise GovernanceError("region")
    authority.region = region
    audit.by_actor(actor, "authority.region_changed", "authority", authority.id, region=region)
    db.session.commit()


def may_grant(actor: Actor, procedure_key: str) -> bool:
    """A coordinator grants only the procedures it coordinates."""
    return coordinates_procedure(actor, procedure_key)


def grant_access(actor: Actor, authority: Authority, procedure_key: str, roles: list[str]) -> None:
    if not may_grant(actor, procedure_key):
        raise GovernanceError("scope")
    roles = [r for r in roles if r in ACCESS_ROLES]
    access = db.session.scalar(
        select(ProcedureAccess).where(
            ProcedureAccess.authority_id == authority.id,
            ProcedureAccess.procedure_key == procedure_key,
        )
    )
    if not roles:
        if access is not None:
            db.session.delete(access)
    elif access is None:
        db.session.add(
            ProcedureAccess(
                authority_id=authority.id,
                procedure_key=procedure_key,
                roles=roles,
                granted_by_id=actor.user.id,
            )
        )
    else:
        access.roles = roles
        access.granted_by_id = actor.user.id
        access.granted_at = utcnow()
    audit.by_actor(
        actor,
        "access.granted" if roles else "access.revoked",
        "authority",
        authority.id,
        procedure=procedure_key,
        roles=roles,
    )
    db.session.commit()


def governed_authorities(actor: Actor) -> list[Authority]:
    """The authorities whose registration and procedure access the actor manages (a
    coordinator's are those it governs)."""
    from app.policy import manages_access

    rows = db.session.scalars(
        select(Authority)
        .where(Authority.status.in_([AuthorityStatus.ACTIVE, AuthorityStatus.SUSPENDED]))
        .where(
            Authority.country == actor.authority.country
            if actor.authority.kind != AuthorityKind.COMMISSION
            else Authority.kind != AuthorityKind.AUTHORITY
        )
        .order_by(Authority.name)
        .options(selectinload(Authority.access))  # governs() reads a delegate's procedures
    )
    return [a for a in rows if manages_access(actor, a)]


AUTHORITY_FIELDS = ("street", "postcode", "city", "email", "phone", "website", "competences")


def update_authority(actor: Actor, data: dict) -> None:
    """A local administrator edits the contact data of their own authority (only the
    fields listed: never its country, status or kind)."""
    authority = actor.authority
    changed = {}
    for name in AUTHORITY_FIELDS:
        value = (data.get(name) or "").strip()
        if getattr(authority, name) != value:
            changed[name] = value
            setattr(authority, name, value)
    if "concept_keys" in data:
        before = authority.concept_keys
        directory.set_competences(authority, data["concept_keys"] or [])
        if authority.concept_keys != before:
            changed["concept_keys"] = authority.concept_keys
    directory.index_text(authority)
    audit.record(
        "authority.updated",
        actor_id=actor.user.id,
        authority_id=authority.id,
        object_type="authority",
        object_id=authority.id,
        fields=sorted(changed),
    )
    db.session.commit()
