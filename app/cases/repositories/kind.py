"""Repository records as a kind of case: the authorities whose access to the repository's
procedure makes them readers or editors see its records."""

from __future__ import annotations

from sqlalchemy import select

from app.cases.registry import Kind, register
from app.extensions import db
from app.models import ProcedureAccess, RepositoryRecord
from app.policy import Actor
from app.records import retention

READ_ROLES = frozenset({"repository_reader", "repository_editor"})


def readable_keys(actor: Actor) -> list[str]:
    rows = db.session.scalars(
        select(ProcedureAccess).where(ProcedureAccess.authority_id == actor.authority.id)
    )
    return [a.procedure_key for a in rows if READ_ROLES & set(a.roles)]


def visible_query(actor: Actor):
    return select(RepositoryRecord).where(
        RepositoryRecord.procedure_key.in_(readable_keys(actor)),
        retention.live(RepositoryRecord),
    )


KIND = register(Kind("repository_record", RepositoryRecord, visible_query))
