"""Repository records as a kind of case: the authorities whose access to the repository's
procedure makes them readers or editors see its records."""

from __future__ import annotations

from sqlalchemy import select

from app.cases.registry import Kind, register
from app.cases.repositories import readable_keys
from app.cases.repositories.lifecycle import LIFECYCLE
from app.models import RepositoryRecord
from app.policy import Actor
from app.records import retention


def visible_query(actor: Actor):
    return select(RepositoryRecord).where(
        RepositoryRecord.procedure_key.in_(readable_keys(actor)),
        retention.live(RepositoryRecord),
    )


KIND = register(Kind("repository_record", RepositoryRecord, visible_query, LIFECYCLE))
