"""Case records as PDF: requests, alerts, repository records and public cases.

`visible(actor, kind, object_id)` is the one gate every PDF passes: it asks the kind's one
visibility rule (app/cases/registry.py), the very rule its case page uses, so a case the
page would not show -- foreign, missing, or later blocked by retention -- is never
rendered, prepared or downloaded. Each kind declares its template, its files and the
words for its states and events. Small cases render at once (`inline_allowed`); larger ones are prepared by a
job on the `pdf` queue (`prepare`, `run_export`) and downloaded by the authority that
asked for them.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from app.cases import pages, registry
from app.extensions import db
from app.jobs import enqueue_after_commit
from app.models import AuditEvent, Authority, ExportStatus, Membership, PdfExport, User
from app.models.base import utcnow
from app.policy import Actor
from app.procedures import find_question
from app.procedures.store import pinned_pack
from app.records import audit, audit_labels
from app.translation import shown

log = logging.getLogger(__name__)

# Cases with at most this many timeline entries are rendered in the request; larger
# ones go to the worker (DESIGN budget: 50 events <= 2 s, so 20 stays well under 1 s).
INLINE_MAX_EVENTS = 20
# A job runs 60 s at most (queue timeout); an export waiting longer than this is lost.
STALE_AFTER = timedelta(minutes=10)


class ExportError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- the one visibility gate ------------------------------------------------------------


def visible(actor: Actor, kind: str, object_id: int) -> Any | None:
    """The case if the actor may see it on its page, else None (the route answers 404)."""
    entry = registry.kind(kind)
    if entry is None:
        return None
    return registry.visible(actor, kind, object_id)


def event_count(kind: str, item: Any) -> int:
    """The case's timeline entries: one statement for their rows, whatever they hold."""
    return len(getattr(item, registry.kind(kind).events))


def inline_allowed(kind: str, item: Any) -> bool:
    return event_count(kind, item) <= INLINE_MAX_EVENTS


def filename_for(item: Any) -> str:
    """A download name from the reference alone (letters, digits and dashes)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in item.reference)
    return f"{safe}.pdf"


# --- the document -------------------------------------------------------------------------


@dataclass(frozen=True)
class FileRow:
    filename: str
    size: int
    sha256: str


def _files(kind: str, item: Any) -> list[FileRow]:
    return [FileRow(r.filename, r.size, r.sha256) for r in registry.kind(kind).file_rows(item)]


@dataclass
class AuditLine:
    """A line of the audit annex: one action, or the same read by one authority
    repeated `times` times, from `first` to `last`."""

    first: datetime
    last: datetime
    action: str
    authority: str
    times: int = 1


def _audit_lines(events: list[AuditEvent], names: dict[int, str]) -> list[AuditLine]:
    """The case's audit events in the reader's words, oldest first; the reads of one
    authority grouped on the line of the first ("Read, 23 times", from ... to ...)."""
    lines: list[AuditLine] = []
    reads: dict[tuple[str, int | None], AuditLine] = {}
    for event in events:
        key, read = (event.action, event.authority_id), audit_labels.is_read(event.action)
        if read and key in reads:
            reads[key].last, reads[key].times = event.at, reads[key].times + 1
            continue
        word = audit_labels.action_word(event.action) or event.action
        line = AuditLine(event.at, event.at, word, names.get(event.authority_id, "–"))
        lines.append(line)
        if read:
            reads[key] = line
    return lines


def _audit_extract(kind: str, item: Any) -> list[AuditLine]:
    """The case's audit events (what, when, which authority): no people, no details."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.object_type == kind, AuditEvent.object_id == str(item.id))
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    ids = {e.authority_id for e in events if e.authority_id}
    names = (
        {
            row.id: row.name
            for row in db.session.execute(
                select(Authority.id, Authority.name).where(Authority.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    return _audit_lines(events, names)


def document_html(kind: str, item: Any, authority: Authority, with_audit: bool = False) -> str:
    """The record as HTML, in the current locale (callers use force_locale); with the
    audit extract as an annex if asked for."""
    entry = registry.kind(kind)
    pack = pinned_pack(item.procedure_key, item.pack_version)
    pages.load(item)
    return render_template(
        entry.pdf_template,
        kind=kind,
        item=item,
        pack=pack,
        files=_files(kind, item),
        with_audit=with_audit,
        audit_lines=_audit_extract(kind, item) if with_audit else [],
        # The words the case page uses for states and events, so the PDF says the same.
        labels=entry.labels(),
        find_question=find_question,
        exported_by=authority,
        exported_at=utcnow(),
        training=current_app.config["TRAINING"],
        texts=shown.of_case(item),
    )


def render_pdf(kind: str, item: Any, authority: Authority, with_audit: bool = False) -> bytes:
    # WeasyPrint (and Pango) load on first use: the app runs without them, only PDFs
    # need them; `flask worker` loads them before it forks its jobs.
    from app.records import pdf_render

    html = document_html(kind, item, authority, with_audit)
    page_css = pdf_render.page_numbers_css(_page_label())
    return pdf_render.render(html, page_css)


def _page_label() -> str:
    from app.records.pdf_render import PAGE, PAGES

    # Translators: page numbers in the bottom margin of a PDF, e.g. "Page 2 of 7"
    return _("Page %(page)s of %(pages)s", page=PAGE, pages=PAGES)


def _audit_export(actor: Actor, kind: str, item: Any, action: str, **details) -> None:
    audit.by_actor(actor, f"{kind}.{action}", kind, item.id, **details)


def export_now(actor: Actor, kind: str, item: Any, with_audit: bool = False) -> bytes:
    """Render a (small) case for the actor at once; the export is audited."""
    _audit_export(actor, kind, item, "pdf_exported", mode="inline", audit=with_audit)
    # committed before rendering, keeping what is loaded: the case is not read again
    audit.commit_read()
    return render_pdf(kind, item, actor.authority, with_audit)


# --- prepared exports ------------------------------------------------------------------------


def prepare(
    actor: Actor, kind: str, item: Any, language: str, with_audit: bool = False
) -> PdfExport:
    """Queue the rendering of a case; the job gets only the export's id."""
    from app.jobs.pdf import render_export

    export = PdfExport(
        kind=kind,
        object_id=item.id,
        user_id=actor.user.id,
        authority_id=actor.authority.id,
        language=language,
        with_audit=with_audit,
    )
    db.session.add(export)
    db.session.flush()
    _audit_export(
        actor, kind, item, "pdf_exported", mode="prepared", export=export.id, audit=with_audit
    )
    enqueue_after_commit(render_export, export.id, queue_name="pdf")
    db.session.commit()
    return export


def export_for(actor: Actor, export_id: int) -> PdfExport | None:
    """An export, only to its requesting authority and only while the case is visible."""
    export = db.session.get(PdfExport, export_id)
    if export is None or export.authority_id != actor.authority.id:
        return None
    if visible(actor, export.kind, export.object_id) is None:
        return None
    return export


def shown_status(export: PdfExport) -> ExportStatus:
    """The status to show: an export still waiting long after any job would have ended
    (Redis was down at commit, a worker was killed) counts as failed, so that the page
    stops polling and offers to try again."""
    waiting = export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    if waiting and utcnow() - export.created_at > STALE_AFTER:
        return ExportStatus.FAILED
    return export.status


def path_of(export: PdfExport) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / export.file_path


def record_download(actor: Actor, export: PdfExport, item: Any) -> None:
    _audit_export(actor, export.kind, item, "pdf_downloaded", export=export.id)
    db.session.commit()


def _actor_of(export: PdfExport) -> Actor | None:
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == export.user_id, Membership.authority_id == export.authority_id
        )
    )
    user = db.session.get(User, export.user_id)
    return Actor(user, membership) if membership is not None and user is not None else None


def run_export(export_id: int) -> None:
    """Render a queued export (safe to run twice: a finished export is left alone)."""
    export = db.session.get(PdfExport, export_id)
    if export is None or export.status == ExportStatus.DONE:
        return
    actor = _actor_of(export)
    item = visible(actor, export.kind, export.object_id) if actor is not None else None
    if item is None:  # the requester lost access, or the case was blocked meanwhile
        _finish(export, ExportStatus.FAILED, error="gone")
        return
    export.status = ExportStatus.RUNNING
    db.session.commit()
    try:
        with force_locale(export.language):
            data = render_pdf(export.kind, item, actor.authority, export.with_audit)
        from app.records.pdf_render import write_atomically

        relative = Path("pdf") / f"{export.id}-{secrets.token_hex(8)}.pdf"
        write_atomically(data, Path(current_app.config["UPLOAD_DIR"]) / relative)
    except Exception:
        log.exception("PDF export %s failed", export.id)
        db.session.rollback()
        _finish(db.session.get(PdfExport, export_id), ExportStatus.FAILED, error="render")
        raise
    export.file_path = str(relative)
    export.size = len(data)
    _finish(export, ExportStatus.DONE)


def _finish(export: PdfExport, status: ExportStatus, error: str = "") -> None:
    export.status = status
    export.error = error
    export.finished_at = utcnow()
    db.session.commit()


def delete_files(kind: str, object_id: int) -> int:
    """Remove every prepared PDF of a case and its rows (for retention); the count."""
    exports = db.session.scalars(
        select(PdfExport).where(PdfExport.kind == kind, PdfExport.object_id == object_id)
    ).all()
    for export in exports:
        if export.file_path:
            path_of(export).unlink(missing_ok=True)
        db.session.delete(export)
    return len(exports)
