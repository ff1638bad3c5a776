"""Attachments of a request: the type is read from the content (magic numbers), never
from the name; files are stored under random names in UPLOAD_DIR, outside the web root,
with their size and SHA-256."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from pathlib import Path

import filetype
from flask import current_app

from app.extensions import db
from app.models import Attachment, Request
from app.policy import Actor
from app.services import audit

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


def path_of(attachment: Attachment) -> Path:
    return _folder() / attachment.storage_name[:2] / attachment.storage_name


def add(actor: Actor, request: Request, filename: str, stream) -> Attachment:
    limit = current_app.config["ATTACHMENT_MAX_BYTES"]
    data = stream.read(limit + 1)
    if not data:
        raise AttachmentError("empty")
    if len(data) > limit:
        raise AttachmentError("too_large")
    content_type = detect_type(data[:8192], data)
    if content_type not in ALLOWED:
        raise AttachmentError("type")
    storage_name = secrets.token_hex(16)
    attachment = Attachment(
        request_id=request.id,
        filename=clean_filename(filename),
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=storage_name,
        uploaded_by_id=actor.user.id,
        authority_id=actor.authority.id,
    )
    path = path_of(attachment)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    db.session.add(attachment)
    db.session.flush()
    audit.record(
        "request.attachment_added",
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type="request",
        object_id=request.id,
        attachment=attachment.id,
        sha256=attachment.sha256,
    )
    return attachment


def remove_file(attachment: Attachment) -> None:
    path_of(attachment).unlink(missing_ok=True)
