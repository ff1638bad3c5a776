"""Attachments: the type is read from the content (magic numbers), never from the
name; files are stored under random names in UPLOAD_DIR, outside the web root, with
their size and SHA-256. `store`, `upload` and `path_for` serve every kind of case
(requests, alerts, public cases); `add` is a request's."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

import filetype
from flask import current_app

from app.extensions import db
from app.models import Attachment, Request
from app.policy import Actor
from app.records import audit

# Detected MIME type -> what is stored and sent back.
ALLOWED = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/tiff",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "text/plain",
}
log = logging.getLogger(__name__)


class AttachmentError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def detect_type(head: bytes, data: bytes) -> str | None:
    """The MIME type the content shows, or None. Plain text is UTF-8 without control
    characters other than tab and line ends."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(unicodedata.category(c) == "Cc" and c not in "\t\r\n" for c in text):
        return None
    return "text/plain"


def clean_filename(name: str) -> str:
    """The name as shown: no folders, no control characters, at most 200 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name[:200] or "attachment"


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "attachments"


def path_for(storage_name: str) -> Path:
    return _folder() / storage_name[:2] / storage_name


def path_of(attachment: Attachment) -> Path:
    return path_for(attachment.storage_name)


@dataclass(frozen=True)
class StoredFile:
    filename: str
    content_type: str
    size: int
    sha256: str
    storage_name: str


def store(filename: str, stream, limit: int | None = None, place=path_for) -> StoredFile:
    """Check and write an uploaded file (where `place` puts its storage name: the
    attachments, or app/cases/held.py's folder); raise AttachmentError("empty" |
    "too_large" | "type") without writing anything, or AttachmentError("storage") when
    the disk refuses it (full, say): then nothing is left of it either."""
    limit = limit or current_app.config["ATTACHMENT_MAX_BYTES"]
    data = stream.read(limit + 1)
    if not data:
        raise AttachmentError("empty")
    if len(data) > limit:
        raise AttachmentError("too_large")
    content_type = detect_type(data[:8192], data)
    if content_type not in ALLOWED:
        raise AttachmentError("type")
    stored = StoredFile(
        filename=clean_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=secrets.token_hex(16),
    )
    try:
        write_whole(place(stored.storage_name), data)
    except OSError as error:
        log.error("an upload could not be stored: %s", os.strerror(error.errno or 0))
        raise AttachmentError("storage") from None
    return stored


def write_whole(path: Path, data: bytes) -> None:
    """Write the file whole or not at all: into a partial file next to it, flushed to the
    disk, then renamed (atomic). On any error (ENOSPC, EIO...) the partial file is
    removed and the error raised; the final name never points to a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[_write(descriptor, view) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _write(descriptor: int, data: memoryview) -> int:
    """One write(2); how many bytes it took (tests put a full disk here when they cannot
    mount one)."""
    return os.write(descriptor, data)


def upload(actor: Actor, model: type, filename: str, stream, **case):
    """A new row of `model` (a case's file table) for an uploaded file, checked and
    stored, added by the actor for their authority; `case` links it to its case."""
    return row(actor, model, store(filename, stream), **case)


def row(actor: Actor, model: type, stored: StoredFile, **case):
    """A new row of `model` for a file checked and stored already."""
    return model(
        **asdict(stored), **case, uploaded_by_id=actor.user.id, authority_id=actor.authority.id
    )


def add(actor: Actor, request: Request, filename: str, stream) -> Attachment:
    return add_stored(actor, request, store(filename, stream))


def add_stored(actor: Actor, request: Request, stored: StoredFile) -> Attachment:
    """A file checked and stored already becomes the request's, audited with its SHA-256."""
    attachment = row(actor, Attachment, stored, request_id=request.id)
    db.session.add(attachment)
    db.session.flush()
    audit.by_actor(
        actor,
        "request.attachment_added",
        "request",
        request.id,
        attachment=attachment.id,
        sha256=attachment.sha256,
    )
    return attachment


def remove_file(attachment: Attachment) -> None:
    path_of(attachment).unlink(missing_ok=True)


@dataclass(frozen=True)
class Download:
    """A stored file to hand over (the blueprints send it): where it lies, and the name
    and type it is sent with."""

    path: Path
    filename: str
    content_type: str


def download(stored) -> Download:
    """What to send for a file row of any kind of case (its storage name, name, type)."""
    return Download(path_for(stored.storage_name), stored.filename, stored.content_type)
