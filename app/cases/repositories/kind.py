"""Repository records as a kind of case: the authorities whose access to the repository's
procedure makes them readers or editors see its records."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.cases.registry import Kind, labels_in, register
from app.cases.repositories import readable_keys, records
from app.cases.repositories.lifecycle import LIFECYCLE
from app.models import RecordState, RepositoryRecord, RepositoryRecordVersion, User
from app.policy import Actor
from app.records import retention


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
        LIFECYCLE,
        shown=(
            joinedload(RepositoryRecord.owner_authority),
            selectinload(RepositoryRecord.versions)
            .joinedload(RepositoryRecordVersion.user)
            .load_only(User.full_name),
        ),
        page=("repositories.record", "record_id"),
        reference=r"REC-[A-Z]{2}-(\d{1,10})",
        labels=labels_in("app.cases.repositories.labels", "ACTION_LABELS"),
        timeline=records.timeline,
        events="versions",
        records=records,
        # An archived record was closed when it was archived (its last change).
        closes=(RecordState.ARCHIVED,),
        closed_column="updated_at",
        sent_column="created_at",
        parties=lambda record: [record.owner_authority_id],
        in_country=lambda country: RepositoryRecord.country == country,
    )
)
