"""Repository records as a kind of case: the authorities whose access to the repository's
procedure makes them readers or editors see its records."""

from __future__ import annotations

from sqlalchemy import select

from app.cases.registry import Kind, labels_in, register
from app.cases.repositories import records
from app.extensions import db
from app.models import ProcedureAccess, RecordState, RepositoryRecord
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


KIND = register(
    Kind(
        "repository_record",
        RepositoryRecord,
        visible_query,
        page=("repositories.record", "record_id"),
        reference=r"REC-[A-Z]{2}-(\d{1,10})",
        labels=labels_in("app.blueprints.repositories.routes", "ACTION_LABELS"),
        pdf_template="pdf/repository_record.html",
        timeline=records.timeline,
        texts=records.texts,
        data=records.data,
        eraser=records.erase,
        # An archived record was closed when it was archived (its last change).
        closes=(RecordState.ARCHIVED,),
        closed_column="updated_at",
        sent_column="created_at",
        parties=lambda record: [record.owner_authority_id],
        in_country=lambda country: RepositoryRecord.country == country,
    )
)
