"""Where an alert goes: the procedures an authority may send, the coordinator an alert to
a country is routed to, and the competent authorities a coordinator may pass it on to.

An alert to a country (or to the Commission, "EU") is routed to its alert coordinator: an
authority of the country whose kind is a coordinator and that holds `alert_receiver` for
the procedure, else the country's national coordinator. The coordinator disseminates it
to competent authorities of its country holding `alert_receiver`.
"""

from __future__ import annotations

from sqlalchemy import select

from app.cases.alerts.lifecycle import AlertError
from app.cases.packs import Opening, holders
from app.extensions import db
from app.models import COMMISSION, Authority, AuthorityKind, AuthorityStatus, ProcedureAccess
from app.policy import Actor
from app.procedures import Pack

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


OPENING = Opening(
    "alert", officer_role="alert_handler", access_role="alert_sender", error=AlertError
)


def sendable_packs(actor: Actor) -> list[Pack]:
    """Alert procedures the actor's authority may send."""
    return OPENING.packs(actor)


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
        coordinators = holders(
            procedure_key,
            "alert_receiver",
            Authority.country == country,
            Authority.kind.in_(COORDINATOR_KINDS),
            order_by=(Authority.kind, Authority.id),
        )
        if coordinators:
            return coordinators[0]
    return national_coordinator(country)


def competent_authorities(procedure_key: str, country: str) -> list[Authority]:
    """Authorities of `country` a coordinator may disseminate an alert of the procedure to."""
    return holders(
        procedure_key, "alert_receiver", Authority.country == country, order_by=(Authority.name,)
    )
