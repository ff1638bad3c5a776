"""Retention of personal data, as Regulation (EU) 1024/2012 art. 14 requires.

When an exchange is formally closed (a request or alert closed or withdrawn, a public
case closed, a repository record archived) its two dates are fixed: `block_due`, 6 months
later (18 where the pack's retention class is "extended"), and `erase_due`, 3 years after
closure. From `block_due` on the case is invisible to everyone: every loader and list
filters it out through `is_blocked` and `live`, whatever the clock of the daily run; only
coordinators reach it, through the audited proof-of-exchange view. At `erase_due` the
daily run (`flask retention run`) deletes its personal data everywhere and keeps the bare
facts of the exchange (procedure, authorities, countries, dates, states) for statistics.

Each kind of case declares what closes it, its files and its eraser (what erasing its
personal data means) in app/cases/registry.py.

Every time here is an explicit `as_of`, so tests cross each boundary to the second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta
from flask import current_app
from sqlalchemy import delete, event, or_, select
from sqlalchemy.orm import Session

from app.cases import registry
from app.extensions import db
from app.models import OutboxMessage
from app.models.base import utcnow
from app.models.translations import Translation, TranslationCorrection, TranslationJob
from app.records import audit
from app.translation import files_kept as translated_files

BLOCK_AFTER = {"standard": relativedelta(months=6), "extended": relativedelta(months=18)}
ERASE_AFTER = relativedelta(years=3)
# Mail is delivered within minutes; the outbox keeps it for tracing failures only.
OUTBOX_KEPT = timedelta(days=90)
# Erasing in batches keeps each transaction short; an interrupted run resumes where it was.
BATCH = 200


def closure(case) -> datetime | None:
    """When the exchange was formally closed, or None while it is open."""
    return registry.of(case).closure(case)


def retention_class(case) -> str:
    from app.procedures.store import pinned_pack

    try:
        return pinned_pack(case.procedure_key, case.pack_version).retention
    except (KeyError, LookupError):  # a pack since removed: the longer period is the safe one
        return "extended"


def schedule(case) -> None:
    """Fix (or, for a restored record, lift) the case's blocking and erasure dates."""
    if case.erased_at is not None:
        return
    closed = closure(case)
    if closed is None:
        case.block_due = case.erase_due = None
    elif case.block_due is None:
        case.block_due = closed + BLOCK_AFTER[retention_class(case)]
        case.erase_due = closed + ERASE_AFTER


@event.listens_for(Session, "before_flush")
def _schedule_closed(session: Session, _context, _instances) -> None:
    cases = registry.by_model()
    with session.no_autoflush:  # the pinned pack may be read from the database
        for obj in (*session.new, *session.dirty):
            if type(obj) in cases:
                schedule(obj)


# --- who may see what ------------------------------------------------------------------------


def is_blocked(case, as_of: datetime | None = None) -> bool:
    return case.block_due is not None and case.block_due <= (as_of or utcnow())


def live(model, as_of: datetime | None = None):
    """The SQL condition for the cases of `model` that are not blocked at `as_of`."""
    return or_(model.block_due.is_(None), model.block_due > (utcnow() if as_of is None else as_of))


# --- the daily run ---------------------------------------------------------------------------


@dataclass
class Report:
    as_of: datetime
    dry_run: bool
    blocked: list[str] = field(default_factory=list)
    erased: list[str] = field(default_factory=list)
    files: int = 0
    translations: int = 0
    mails: int = 0
    queued_jobs: int = 0

    def lines(self) -> list[str]:
        verb = "would" if self.dry_run else "did"
        return [
            f"as of {self.as_of.isoformat()} ({'dry run' if self.dry_run else 'applied'})",
            *(f"block {reference}" for reference in self.blocked),
            *(f"erase {reference}" for reference in self.erased),
            f"{verb} block {len(self.blocked)} and erase {len(self.erased)} cases; "
            f"{self.files} files, {self.translations} translation rows, "
            f"{self.mails} old mails, {self.queued_jobs} queued jobs removed",
        ]


def run(as_of: datetime | None = None, dry_run: bool = False) -> Report:
    """Block and erase what is due at `as_of`. Each case is committed on its own, so an
    interrupted run leaves every case either done or untouched, and running again (or
    twice) does only what is left."""
    report = Report(as_of or utcnow(), dry_run)
    _catch_up()
    if not dry_run:
        db.session.commit()
    for model in registry.by_model():
        for case in _each(model, model.block_due <= report.as_of, model.blocked_at.is_(None)):
            report.blocked.append(case.reference)
            if not dry_run:
                _block(case, report)
        for case in _each(model, model.erase_due <= report.as_of, model.erased_at.is_(None)):
            report.erased.append(case.reference)
            if not dry_run:
                _erase(case, report)
    report.files += _sweep_orphans(report.as_of, dry_run)
    old_mail = OutboxMessage.created_at <= report.as_of - OUTBOX_KEPT
    if dry_run:
        report.mails = len(db.session.scalars(select(OutboxMessage.id).where(old_mail)).all())
        db.session.rollback()
    else:
        report.mails = db.session.execute(delete(OutboxMessage).where(old_mail)).rowcount
        db.session.commit()
    return report


def _catch_up() -> None:
    """Date the cases closed before retention dates existed (the upgrade that added them)."""
    for model, entry in registry.by_model().items():
        closed = model.state.in_(entry.closes) & getattr(model, entry.closed_column).is_not(None)
        for case in _each(model, closed, model.block_due.is_(None), model.erased_at.is_(None)):
            schedule(case)


def _each(model, *conditions) -> Iterable:
    """The cases matching `conditions`, in batches by id (a commit between is fine)."""
    last = 0
    while True:
        batch = db.session.scalars(
            select(model).where(*conditions, model.id > last).order_by(model.id).limit(BATCH)
        ).all()
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def _block(case, report: Report) -> None:
    """Blocked data stays in place, out of reach; copies made for convenience go."""
    texts = registry.of(case).text_ids(case)
    report.queued_jobs += _drop_translation_jobs(texts, pending_only=True)
    report.queued_jobs += translated_files.drop_pending(registry.of(case).name, case.id)
    _drop_pdfs(case, report)
    case.blocked_at = report.as_of
    audit.record("retention.blocked", object_type=registry.of(case).name, object_id=case.id)
    db.session.commit()


def _erase(case, report: Report) -> None:
    if case.blocked_at is None:
        _block(case, report)
    entry = registry.of(case)
    texts = entry.text_ids(case)
    report.queued_jobs += _drop_translation_jobs(texts, pending_only=False)
    report.translations += _drop_translations(texts)
    entry.records.erase(case)
    files = _drop_files(entry.file_rows(case))
    case.erased_at = report.as_of
    audit.record("retention.erased", object_type=entry.name, object_id=case.id)
    db.session.commit()
    # Files go once the rows that name them are gone: a crash in between leaves an
    # orphan file, which the next run's sweep removes, never a row naming a missing file.
    report.files += _unlink(files)


def _drop_translation_jobs(texts: list[tuple[str, int]], pending_only: bool) -> int:
    """Delete the case's translation jobs (the pending ones when it is only blocked) and
    take them off the RQ queues, where they wait under their ids only."""
    if not texts:
        return 0
    from app.models.translations import JobStatus

    where = [or_(*((TranslationJob.kind == k) & (TranslationJob.object_id == i) for k, i in texts))]
    if pending_only:
        where.append(TranslationJob.status.in_((JobStatus.PENDING, JobStatus.SUBMITTED)))
    ids = list(db.session.scalars(select(TranslationJob.id).where(*where)))
    if pending_only and ids:
        db.session.execute(delete(TranslationJob).where(TranslationJob.id.in_(ids)))
    return _cancel_queued("translation", set(ids))


def _drop_pdfs(case, report: Report) -> None:
    """Prepared PDF records are copies made for convenience: they go with the blocking,
    queued exports included."""
    from app.models.pdf import PdfExport
    from app.records import pdf

    kind = registry.of(case).name
    mine = (PdfExport.kind == kind) & (PdfExport.object_id == case.id)
    ids = set(db.session.scalars(select(PdfExport.id).where(mine)))
    report.queued_jobs += _cancel_queued("pdf", ids)
    report.files += pdf.delete_files(kind, case.id)


def _drop_translations(texts: list[tuple[str, int]]) -> int:
    """Machine translations (by the wording's fingerprint) and human corrections."""
    if not texts:
        return 0
    which = or_(*((TranslationJob.kind == k) & (TranslationJob.object_id == i) for k, i in texts))
    hashes = set(db.session.scalars(select(TranslationJob.source_hash).where(which)))
    corrected = or_(
        *(
            (TranslationCorrection.kind == k) & (TranslationCorrection.object_id == i)
            for k, i in texts
        )
    )
    hashes |= set(db.session.scalars(select(TranslationCorrection.source_hash).where(corrected)))
    count = db.session.execute(delete(TranslationJob).where(which)).rowcount
    count += db.session.execute(delete(TranslationCorrection).where(corrected)).rowcount
    if hashes:
        # The cache is shared by wording: the same sentence elsewhere is translated again.
        count += db.session.execute(
            delete(Translation).where(Translation.source_hash.in_(hashes))
        ).rowcount
    return count


def _cancel_queued(queue_name: str, job_ids: set[int]) -> int:
    """Remove queued or scheduled RQ jobs whose argument is one of `job_ids`."""
    from app.jobs import queue, redis_connection

    if not job_ids or redis_connection(current_app) is None:
        return 0
    target = queue(current_app, queue_name)
    cancelled = 0
    waiting = target.get_jobs() + [
        job
        for job in target.job_class.fetch_many(
            target.scheduled_job_registry.get_job_ids(),
            connection=target.connection,
            serializer=target.serializer,
        )
        if job is not None
    ]
    for job in waiting:
        if len(job.args) > 1 and job.args[1] in job_ids:
            job.delete()
            cancelled += 1
    return cancelled


def _sweep_orphans(as_of: datetime, dry_run: bool) -> int:
    """Uploaded files that no row names any more (an interrupted erasure, an upload whose
    transaction rolled back), once they are an hour old: no upload is still on its way."""
    from app.cases.attachments import path_for

    folder = path_for("xx").parent.parent
    if not folder.is_dir():
        return 0
    named: set[str] = set()
    for model in filter(None, (entry.file_model for entry in registry.kinds().values())):
        named.update(db.session.scalars(select(model.storage_name)))
    named.update(translated_files.storage_names(db.session))
    cutoff = (as_of - timedelta(hours=1)).timestamp()
    orphans = [
        path
        for path in folder.glob("*/*")
        if path.is_file() and path.name not in named and path.stat().st_mtime < cutoff
    ]
    if not dry_run:
        for path in orphans:
            path.unlink(missing_ok=True)
    return len(orphans)


def _unlink(names: list[str]) -> int:
    from app.cases.attachments import path_for

    removed = 0
    for name in names:
        path: Path = path_for(name)
        if path.exists():
            path.unlink()
            removed += 1
    return removed


# --- shared by the kinds' erasers -----------------------------------------------------------


def blank_events(events) -> None:
    for item in events:
        item.text, item.data = "", {}


def _drop_files(rows: list) -> list[str]:
    """Delete the file rows (delete-orphan); the storage names, to unlink after commit."""
    names = [row.storage_name for row in rows]
    rows.clear()
    return names
