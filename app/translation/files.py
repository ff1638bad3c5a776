"""Machine-translated copies of the files of a case, kept beside the originals.

An officer who may read a file and acts on its case (a request, an alert, a public case:
`may_ask`; never a viewer, the copy being a new file the other side sees too) asks for a
copy in a language; an RQ job on the
`translation` queue hands the file to the engine, when its document API takes that type
(`mt.translates_documents`), and stores what comes back (eTranslation posts it back to
`receive`). A copy is read by whoever may read its original, every read audited as the
original's; it goes with its original (app/translation/files_kept.py, whatever deletes it:
a discarded draft, retention's erasure) and a blocked case's pending copies are dropped
with its other queued work.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from rq import Retry
from sqlalchemy import select

from app.cases import attachments, registry
from app.extensions import db
from app.jobs import enqueue_after_commit
from app.models import JobStatus, TranslatedFile
from app.models.base import StoredFile, utcnow
from app.policy import Actor
from app.records import audit
from app.reference import LANGUAGES
from app.translation import mt

log = logging.getLogger(__name__)

RETRY = Retry(max=3, interval=[30, 300, 1800])
# A translated file may be longer than its original (another language, another type).
SIZE_FACTOR = 2


class FileTranslationError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- who reads which file -------------------------------------------------------------------


def _request_file(actor: Actor, case: Any, file_id: int) -> Any | None:
    """A request's files are the two authorities' (a referral's coordinators read the
    case, not its files): as its download route."""
    from app.cases.requests.lifecycle import side_of

    if side_of(actor, case) is None:
        return None
    return _case_file(actor, case, file_id)


def _case_file(_actor: Actor, case: Any, file_id: int) -> Any | None:
    """The files of an alert or a public case are read by whoever sees the case (the
    kind's visibility rule: an alert's recipients once broadcast, a public case's routed
    authority), as their download routes."""
    return next((f for f in registry.of(case).file_rows(case) if f.id == file_id), None)


def _case_language(case: Any, _file: Any) -> str:
    return case.language


def _public_language(case: Any, file: Any) -> str:
    """A public case's documents are the submitter's, in the language they wrote in, or
    the officers' (a decision letter: language not known here)."""
    return "" if file.uploaded_by_id else case.language


@dataclass(frozen=True)
class Reader:
    """How one kind's files are read. find: the file of the case the actor may read, or
    None; a read of a copy is audited as the kind's own download route audits the
    original's (`downloaded`, naming the file as `key`); language: the language a file
    is written in ("" when not known)."""

    find: Callable[[Actor, Any, int], Any | None]
    downloaded: str = "attachment_downloaded"
    key: str = "attachment"
    language: Callable[[Any, Any], str] = _case_language


# kind of case -> how its files are read. Citizens never reach a copy: a public case's
# copies are for the officers' side (the submitter reads the documents themselves).
READERS: dict[str, Reader] = {
    "request": Reader(_request_file),
    "alert": Reader(_case_file),
    "public_case": Reader(_case_file, "document_downloaded", "document", _public_language),
}


@dataclass
class Original:
    kind: str
    case: Any
    file: Any

    @property
    def language(self) -> str:
        return READERS[self.kind].language(self.case, self.file)


def readable(actor: Actor, kind: str, case_id: int, file_id: int) -> Original | None:
    """The file if the actor may read it (its case visible to them, and the file theirs
    to read by the kind's rule); None otherwise (the route answers 404)."""
    reader = READERS.get(kind)
    case = registry.visible(actor, kind, case_id) if reader else None
    found = reader.find(actor, case, file_id) if reader and case is not None else None
    return Original(kind, case, found) if found is not None else None


def languages(kind: str, case: Any, files: list) -> dict[int, str]:
    """The language each file of a case page is written in ("" when not known)."""
    return {file.id: READERS[kind].language(case, file) for file in files}


def accepted_types() -> frozenset[str]:
    """The file types the engine translates (none when it is off or not answering): the
    case pages offer a translated copy of these only."""
    engine = mt.provider()
    try:
        types = getattr(engine, "document_types", None)
        return types() if types is not None else frozenset()
    except mt.MTError:
        return frozenset()


def may_ask(actor: Actor, case: Any) -> bool:
    """The officers who act on the case ask: on a side of it to which its lifecycle gives
    actions, with a role one of them needs (whatever its state now); never a viewer (a
    copy is a new file of the case, which the other side reads too). The submitter of a
    public case has no account: never."""
    lifecycle = registry.of(case).lifecycle
    return not actor.read_only and lifecycle is not None and lifecycle.takes_part(actor, case)


def copies(kind: str, file_ids: list[int]) -> dict[int, list[TranslatedFile]]:
    """The copies of a page's files, by original, in one statement (none without files)."""
    found: dict[int, list[TranslatedFile]] = {file_id: [] for file_id in file_ids}
    if file_ids:
        for copy in db.session.scalars(
            select(TranslatedFile)
            .where(TranslatedFile.kind == kind, TranslatedFile.file_id.in_(file_ids))
            .order_by(TranslatedFile.target_language)
        ):
            found[copy.file_id].append(copy)
    return found


@dataclass
class Shown:
    """What a case page shows of its files' copies: by file, its copies and the language
    it is written in; the file types the engine takes; whether the reader may ask."""

    copies: dict[int, list[TranslatedFile]]
    languages: dict[int, str]
    accepted: frozenset[str]
    may_ask: bool


def shown(actor: Actor, kind: str, case: Any, files: list) -> Shown:
    """For a case page showing `files` (those the reader may read; none: no statement,
    no call to the engine)."""
    return Shown(
        copies(kind, [file.id for file in files]),
        languages(kind, case, files),
        accepted_types() if files else frozenset(),
        may_ask(actor, case),
    )


def copy_of(original: Original, copy_id: int) -> TranslatedFile | None:
    copy = db.session.get(TranslatedFile, copy_id)
    if copy is None or (copy.kind, copy.file_id) != (original.kind, original.file.id):
        return None
    return copy


# --- asking ---------------------------------------------------------------------------------


def check(content_type: str, source: str, target: str) -> mt.Provider:
    """The engine that would translate such a file, or why none would (the code of a
    FileTranslationError: off, documents, type, language, same, pair)."""
    engine = mt.provider()
    if engine is None:
        raise FileTranslationError("off")
    if not getattr(engine, "document_types", None) or not engine.document_types():
        raise FileTranslationError("documents")
    if not mt.translates_documents(engine, content_type):
        raise FileTranslationError("type")
    if source not in LANGUAGES or target not in LANGUAGES:
        raise FileTranslationError("language")
    if source == target:
        raise FileTranslationError("same")
    if not engine.supports(source, target):
        raise FileTranslationError("pair")
    return engine


def ask(actor: Actor, original: Original, source: str, target: str) -> TranslatedFile:
    """Ask for a copy of the file in `target`; one there or on its way is the answer,
    one that failed is tried again. The job runs after commit."""
    if not may_ask(actor, original.case):  # the route refuses them before this
        raise PermissionError("only the officers acting on the case ask for a copy")
    try:
        engine = check(original.file.content_type, source, target)
    except mt.MTError as error:  # the engine did not say which pairs it has
        log.warning("file translation: engine unavailable: %s", error)
        raise FileTranslationError("unavailable") from None
    copy = db.session.scalar(
        select(TranslatedFile).where(
            TranslatedFile.kind == original.kind,
            TranslatedFile.file_id == original.file.id,
            TranslatedFile.target_language == target,
        )
    )
    if copy is not None and (copy.status == JobStatus.DONE or copy.waiting):
        return copy
    if copy is None:
        copy = TranslatedFile(
            kind=original.kind,
            case_id=original.case.id,
            file_id=original.file.id,
            source_sha256=original.file.sha256,
            target_language=target,
        )
        db.session.add(copy)
    copy.source_language = source
    copy.status, copy.error, copy.engine = JobStatus.PENDING, "", engine.name
    copy.requested_by_id = actor.user.id
    copy.updated_at = utcnow()
    db.session.flush()
    enqueue_after_commit(
        run_job, copy.id, queue_name="translation", retry=RETRY, job_id=rq_job_id(copy.id)
    )
    audit.by_actor(
        actor,
        "translation.request",
        original.kind,
        original.case.id,
        **{READERS[original.kind].key: original.file.id},
        source=source,
        target=target,
    )
    return copy


# --- the job --------------------------------------------------------------------------------


def rq_job_id(copy_id: int) -> str:
    return f"{current_app.config['REDIS_PREFIX']}-translated-file-{copy_id}"


def run_job(instance: str, copy_id: int) -> None:
    from app.jobs import app_for

    with app_for(instance).app_context():
        translate(copy_id)


def _original_row(copy: TranslatedFile) -> StoredFile | None:
    entry = registry.kind(copy.kind)
    model = entry.file_model if entry else None
    return db.session.get(model, copy.file_id) if model else None


def _fail(copy: TranslatedFile, status: JobStatus, code: str) -> None:
    copy.status, copy.error, copy.updated_at = status, code, utcnow()


def translate(copy_id: int) -> None:
    """Do one copy: safe to run twice; a copy done, or whose original changed or went,
    is left alone. An engine that is down raises, so that RQ tries again later."""
    copy = db.session.get(TranslatedFile, copy_id)
    if copy is None or not copy.waiting:
        return
    original = _original_row(copy)
    engine = mt.provider()
    if original is None or original.sha256 != copy.source_sha256:
        _fail(copy, JobStatus.FAILED, "changed")
    elif engine is None:
        _fail(copy, JobStatus.FAILED, "off")
    elif not mt.translates_documents(engine, original.content_type):
        _fail(copy, JobStatus.UNSUPPORTED, "type")
    else:
        copy.engine = engine.name
        copy.attempts += 1
        document = mt.Document(
            attachments.path_for(original.storage_name).read_bytes(), original.content_type
        )
        try:
            _translate(engine, copy, original, document)
        except mt.Unavailable as error:
            log.warning("translated file %s: engine unavailable: %s", copy_id, error)
            from app.translation.texts import _last_try

            _fail(copy, JobStatus.FAILED if _last_try() else JobStatus.PENDING, "unavailable")
            db.session.commit()
            raise
        except mt.MTError as error:
            log.info("translated file %s: %s: %s", copy_id, error.code, error)
            unsupported = error.code == "unsupported"
            _fail(copy, JobStatus.UNSUPPORTED if unsupported else JobStatus.FAILED, error.code)
    db.session.commit()


def _translate(engine: Any, copy: TranslatedFile, original: Any, document: mt.Document) -> None:
    if engine.is_async:
        # Submitted (and committed) before the engine has it: its callback may come
        # before this job would have committed, and must find the copy waiting for it.
        copy.external_ref = copy.external_ref or secrets.token_urlsafe(24)
        copy.status, copy.updated_at = JobStatus.SUBMITTED, utcnow()
        db.session.commit()
        base = current_app.config["PUBLIC_URL"].rstrip("/")
        secret = current_app.config["ETRANSLATION_CALLBACK_SECRET"]
        engine.submit_document(
            document,
            copy.source_language,
            copy.target_language,
            copy.external_ref,
            f"{base}/mt/etranslation/{secret}/file-done",
            f"{base}/mt/etranslation/{secret}/file-error",
        )
        return
    result = engine.translate_document(document, copy.source_language, copy.target_language)
    _store(copy, original, result.data, result.version)


def _store(copy: TranslatedFile, original: Any, data: bytes, version: str) -> None:
    """Keep what the engine gave back, checked as an upload is: a type attachments may
    be, and not too large; written whole under a random name."""
    limit = current_app.config["ATTACHMENT_MAX_BYTES"] * SIZE_FACTOR
    content_type = attachments.detect_type(data[:8192], data) if data else None
    if content_type not in attachments.ALLOWED:
        _fail(copy, JobStatus.FAILED, "rejected")
        return
    if len(data) > limit:
        _fail(copy, JobStatus.FAILED, "too_large")
        return
    try:
        stored = attachments.store(
            _name(original.filename, copy.target_language, content_type), _Bytes(data), limit
        )
    except attachments.AttachmentError as error:  # the disk refused it: try again later
        _fail(copy, JobStatus.FAILED, error.code)
        return
    old = copy.storage_name
    for name in ("filename", "content_type", "size", "sha256", "storage_name"):
        setattr(copy, name, getattr(stored, name))
    copy.engine_version = version[:100]
    copy.status, copy.error = JobStatus.DONE, ""
    copy.updated_at = copy.done_at = utcnow()
    if old:
        from app.translation.files_kept import unlink_after_commit

        unlink_after_commit([old])


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, _size: int) -> bytes:
        return self.data


def _name(filename: str, target: str, content_type: str) -> str:
    """`report.docx` in German: `report (de).docx`; the engine's type decides the
    extension (eTranslation may answer a PDF with a word-processor file)."""
    stem = Path(filename).stem or "attachment"
    extension = mt.DOCUMENT_EXTENSIONS.get(content_type, "bin")
    return f"{stem} ({target}).{extension}"


# --- eTranslation's callbacks ---------------------------------------------------------------


def _by_reference(reference: str) -> TranslatedFile | None:
    if not reference:
        return None
    return db.session.scalar(
        select(TranslatedFile).where(TranslatedFile.external_ref == reference).with_for_update()
    )


def receive(reference: str, target: str, data: bytes) -> bool:
    """eTranslation's translated file; False for a reference we never gave out. Receiving
    it twice changes nothing; a call without a file (a notice) neither."""
    copy = _by_reference(reference)
    if copy is None or target.lower() != copy.target_language:
        return False
    if copy.status == JobStatus.SUBMITTED and data:
        original = _original_row(copy)
        if original is None or original.sha256 != copy.source_sha256:
            _fail(copy, JobStatus.FAILED, "changed")
        else:
            _store(copy, original, data, "")
        db.session.commit()
    return True


def receive_error(reference: str, code: str) -> bool:
    copy = _by_reference(reference)
    if copy is None:
        return False
    if copy.status == JobStatus.SUBMITTED:
        log.info("translated file %s: eTranslation error %s", copy.id, code)
        _fail(copy, JobStatus.FAILED, "rejected")
        db.session.commit()
    return True


# --- reading a copy -------------------------------------------------------------------------


def download(actor: Actor, original: Original, copy: TranslatedFile) -> attachments.Download:
    """A ready copy to hand over, its read audited as its original's are."""
    reader = READERS[original.kind]
    registry.kind(original.kind).lifecycle.audit(
        actor,
        original.case,
        reader.downloaded,
        **{reader.key: original.file.id},
        translated_copy=copy.id,
        target=copy.target_language,
        sha256=copy.sha256,
    )
    db.session.commit()
    return attachments.Download(
        attachments.path_for(copy.storage_name), copy.filename, copy.content_type
    )
