"""The documents of a public case: the submitter's and the authority's, each side with its
own quota."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app

from app.cases import attachments, held
from app.cases.attachments import StoredFile
from app.cases.public.lifecycle import MAX_DOCUMENTS, PublicError
from app.models import PublicCase, PublicDocument

chosen = held.chosen


def limit() -> int | None:
    """The largest document the public interface takes (None: an attachment's)."""
    return current_app.config.get("PUBLIC_DOCUMENT_MAX_BYTES")


def store(case: PublicCase, files, user_id: int | None = None) -> None:
    """Store the files (FileStorage-like) as the case's documents; `user_id` is the
    officer's, None the submitter's. PublicError names the first refusal, and then no
    file is kept."""
    files = chosen(files)
    # Each side has its own quota: the authority's files never use up the submitter's.
    same_side = [d for d in case.documents if (d.uploaded_by_id is None) == (user_id is None)]
    if len(same_side) + len(files) > MAX_DOCUMENTS:
        raise PublicError("too_many")
    stored = []
    for file in files:
        try:
            stored.append(attachments.store(file.filename, file.stream, limit()))
        except attachments.AttachmentError as error:
            for done in stored:
                attachments.path_for(done.storage_name).unlink(missing_ok=True)
            raise PublicError(error.code) from None
    for file in stored:
        case.documents.append(PublicDocument(**asdict(file), uploaded_by_id=user_id))


def adopt(case: PublicCase, files: list[StoredFile]) -> None:
    """The submitter's files held while the form came back (app/cases/held.py) become
    the case's documents; PublicError("too_many") past the quota, and then none moves."""
    submitter = [d for d in case.documents if d.uploaded_by_id is None]
    if len(submitter) + len(files) > MAX_DOCUMENTS:
        raise PublicError("too_many")
    for file in files:
        case.documents.append(PublicDocument(**asdict(held.release(file)), uploaded_by_id=None))
