"""What the records ask of a repository record: its history, its texts and how it is
erased (wired up in `kind`)."""

from __future__ import annotations

from sqlalchemy import delete

from app.cases.registry import Entry
from app.extensions import db
from app.models import RepositoryRecord, RepositoryRecordVersion


def timeline(record: RepositoryRecord) -> list[Entry]:
    """Its versions as history lines, oldest first."""
    return [(v.at, v.action, "", v.note) for v in reversed(record.versions)]


def texts(record: RepositoryRecord) -> list[str]:
    return [str(value) for value in record.fields.values()]


def data(record: RepositoryRecord) -> list[tuple[str, object]]:
    return list(record.fields.items())


def erase(record: RepositoryRecord) -> None:
    record.fields, record.search_text = {}, ""
    db.session.execute(
        delete(RepositoryRecordVersion).where(RepositoryRecordVersion.record_id == record.id)
    )
    db.session.expire(record, ["versions"])
