"""Files held while a form comes back. A form that returns with an error (a missing field,
a refused file) keeps the files chosen with it, so the user need not choose them again:
each is checked like any attachment (attachments.store) and written to a folder of its
own; the page carries their list in a signed token (a hidden field) bound to whoever
chose them. Once the form is saved they become the case's files (`release` moves each
into the attachments); the ones never used are purged after a day."""

from __future__ import annotations

import os
import re
import time
from dataclasses import asdict
from pathlib import Path

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

from app.cases import attachments
from app.cases.attachments import AttachmentError, StoredFile
from app.extensions import db

# How long a form's files wait for it to be sent again.
HOLD_SECONDS = 24 * 3600
_NAME = re.compile(r"[0-9a-f]{32}")


def _folder() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "held"


def _path(storage_name: str) -> Path:
    return _folder() / storage_name


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="held-files")


def chosen(files) -> list:
    """The files of a form that were really chosen (a blank file input sends one empty)."""
    return [f for f in files if f and f.filename]


def hold(files, limit: int | None = None) -> tuple[list[StoredFile], str | None]:
    """Check and hold the chosen files (FileStorage-like): those accepted, and the
    refusal code (AttachmentError's) of the first one refused."""
    kept: list[StoredFile] = []
    refused = None
    for file in chosen(files):
        try:
            kept.append(attachments.store(file.filename, file.stream, limit, place=_path))
        except AttachmentError as error:
            refused = refused or error.code
    return kept, refused


def seal(files: list[StoredFile], owner: str) -> str:
    """The token that carries the held files of `owner` (a user, a visitor's session)."""
    if not files:
        return ""
    return _serializer().dumps({"owner": owner, "files": [asdict(f) for f in files]})


def unseal(token: str, owner: str) -> list[StoredFile]:
    """The held files of a token: none when it is forged, too old or someone else's;
    files purged meanwhile are left out. Each file found waits another day, as the
    token sealed again does."""
    if not token:
        return []
    try:
        data = _serializer().loads(token, max_age=HOLD_SECONDS)
        files = [StoredFile(**f) for f in data["files"]] if data["owner"] == owner else []
    except (BadData, KeyError, TypeError):
        return []
    found = []
    for file in files:
        if not _NAME.fullmatch(file.storage_name):
            continue
        try:
            os.utime(_path(file.storage_name))
        except FileNotFoundError:
            continue
        found.append(file)
    return found


def drop(files: list[StoredFile], storage_names) -> list[StoredFile]:
    """The held files without those the user removed (deleted)."""
    gone = set(storage_names)
    for file in files:
        if file.storage_name in gone:
            _path(file.storage_name).unlink(missing_ok=True)
    return [f for f in files if f.storage_name not in gone]


def release(file: StoredFile) -> StoredFile:
    """Move a held file to the attachments, where its case's row will find it."""
    target = attachments.path_for(file.storage_name)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(_path(file.storage_name), target)
    return file


def hand_over(lifecycle, actor, case, files: list[StoredFile], add) -> None:
    """The held files become the case's, each through `add(actor, case, stored)` (the
    kind's own row, audit and timeline event, as for a file added on its page), if the
    actor may attach files to it; one commit."""
    if not files:
        return
    lifecycle.require(actor, case, "attach")
    for file in files:
        add(actor, case, release(file))
    db.session.commit()


def purge() -> int:
    """Delete the held files older than HOLD_SECONDS; returns how many."""
    folder = _folder()
    if not folder.is_dir():
        return 0
    before = time.time() - HOLD_SECONDS
    old = [p for p in folder.iterdir() if p.is_file() and p.stat().st_mtime < before]
    for path in old:
        path.unlink(missing_ok=True)
    return len(old)
