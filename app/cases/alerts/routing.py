"""Where an alert goes: the procedures an authority may send, the coordinator an alert to
a country is routed to, and the competent authorities a coordinator may pass it on to.

An alert to a country (or to the Commission, "EU") is routed to its alert coordinator: an
authority of the country whose kind is a coordinator and that holds `alert_receiver` for
the procedure, else the country's national coordinator. The coordinator disseminates it
to competent authorities of its country holding `alert_receiver`.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import COMMISSION, Authority, AuthorityKind, AuthorityStatus, ProcedureAccess
from app.policy import Actor
from app.procedures import Pack, registry

COORDINATOR_KINDS = (AuthorityKind.NATIONAL_COORDINATOR, AuthorityKind.DELEGATED_COORDINATOR)


def roles_of(authority_id: int, procedure_key: str) -> list[str]:
    """The authority's roles for the procedure (alert_sender, alert_receiver)."""
    access = db.session.scalar(
        select(ProcedureAccess).where(
            ProcedureAccess.authority_id == authority_id,
            ProcedureAccess.procedure_key == procedure_key,
        )
    )
    return list(access.roles) if access else []


def sendable_packs(actor: Actor) -> list[Pack]:
    """Alert procedures the actor's authority may send."""
    packs = registry(current_app)
    rows = db.session.scalars(
        select(ProcedureAccess)
        .where(ProcedureAccess.authority_id == actor.authority.id)
        .order_by(ProcedureAccess.procedure_key)
    )
    return [
        packs[a.procedure_key]
        for a in rows
        if "alert_sender" in a.roles
        and a.procedure_key in packs
        and packs[a.procedure_key].kind == "alert"
    ]


def national_coordinator(country: str) -> Authority | None:
    kind = AuthorityKind.COMMISSION if country == COMMISSION else AuthorityKind.NATIONAL_COORDINATOR
    query = select(Authority).where(
        Authority.kind == kind, Authority.status == AuthorityStatus.ACTIVE
    )
    if country != COMMISSION:
        query = query.where(Authority.country == country)
    return db.session.scalars(query.order_by(Authority.id)).first()


def alert_coordinator(procedure_key: str, country: str) -> Authority | None:
    """Where an alert to `country` is routed (see the module docstring)."""
    if country != COMMISSION:
        candidates = db.session.scalars(
            select(Authority)
            .join(ProcedureAccess, ProcedureAccess.authority_id == Authority.id)
            .where(
                Authority.country == country,
                Authority.kind.in_(COORDINATOR_KINDS),
                Authority.status == AuthorityStatus.ACTIVE,
                ProcedureAccess.procedure_key == procedure_key,
            )
            .order_by(Authority.kind, Authority.id)
        )
        for authority in candidates:
            if "alert_receiver" in roles_of(authority.id, procedure_key):
                return authority
    return national_coordinator(country)


def competent_authorities(procedure_key: str, country: str) -> list[Authority]:
    """Authorities of `country` a coordinator may disseminate an alert of the procedure to."""
    rows = db.session.scalars(
        select(Authority)
        .join(ProcedureAccess, ProcedureAccess.authority_id == Authority.id)
        .where(
            Authority.country == country,
            Authority.status == AuthorityStatus.ACTIVE,
            ProcedureAccess.procedure_key == procedure_key,
        )
        .order_by(Authority.name)
    )
    return [a for a in rows if "alert_receiver" in roles_of(a.id, procedure_key)]
