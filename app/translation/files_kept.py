"""Translated copies of files over time: the jobs lost on the way to Redis are queued
again (as texts.flush does for texts), a blocked case's pending copies leave the queue,
and a copy goes with its original however that is deleted (a discarded draft, retention's
erasure), its file once the transaction commits. Backups and the orphan sweeps know the
copies' files by `storage_names`."""

from __future__ import annotations

from flask import Flask, current_app
from redis import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job
from rq.serializers import JSONSerializer
from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from app.cases import attachments, registry
from app.extensions import db
from app.models import JobStatus, TranslatedFile
from app.models.base import StoredFile


def flush(app: Flask) -> int:
    """Queue again the pending copies whose RQ job was lost (as texts.flush); how many."""
    from app.translation.files import rq_job_id, run_job
    from app.translation.texts import requeue_lost

    return requeue_lost(app, TranslatedFile, rq_job_id, run_job)


def drop_pending(kind: str, case_id: int) -> int:
    """A blocked case's copies still on their way: deleted, and their RQ jobs with them
    (ready copies stay, blocked with their originals). How many jobs were removed."""
    from app.jobs import redis_connection
    from app.translation.files import rq_job_id

    waiting = (JobStatus.PENDING, JobStatus.SUBMITTED)
    mine = (TranslatedFile.kind == kind) & (TranslatedFile.case_id == case_id)
    ids = list(
        db.session.scalars(
            select(TranslatedFile.id).where(mine, TranslatedFile.status.in_(waiting))
        )
    )
    if not ids:
        return 0
    db.session.execute(delete(TranslatedFile).where(TranslatedFile.id.in_(ids)))
    connection = redis_connection(current_app)
    removed = 0
    for copy_id in ids if connection is not None else ():
        try:
            Job.fetch(rq_job_id(copy_id), connection=connection, serializer=JSONSerializer).delete()
            removed += 1
        except (NoSuchJobError, RedisError):
            pass
    return removed


def storage_names(connection) -> list[str]:
    """Every stored copy's file name (backups copy them; the orphan sweeps keep them)."""
    table = TranslatedFile.__table__
    return list(
        connection.scalars(select(table.c.storage_name).where(table.c.storage_name.is_not(None)))
    )


@event.listens_for(StoredFile, "after_delete", propagate=True)
def _original_deleted(_mapper, connection, target) -> None:
    """A file of a case is deleted (a draft discarded, retention's erasure): its copies
    go in the same transaction, their files once it commits."""
    kind = next((e.name for e in registry.kinds().values() if e.file_model is type(target)), None)
    if kind is None:
        return
    table = TranslatedFile.__table__
    mine = (table.c.kind == kind) & (table.c.file_id == target.id)
    names = list(
        connection.scalars(
            select(table.c.storage_name).where(mine, table.c.storage_name.is_not(None))
        )
    )
    connection.execute(delete(table).where(mine))
    if names:
        unlink_after_commit(names)


def unlink_after_commit(names: list[str]) -> None:
    db.session.info.setdefault("openimi_translated_files_gone", []).extend(names)


@event.listens_for(Session, "after_commit")
def _unlink(session: Session) -> None:
    for name in session.info.pop("openimi_translated_files_gone", []):
        attachments.path_for(name).unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _keep(session: Session) -> None:
    session.info.pop("openimi_translated_files_gone", None)
