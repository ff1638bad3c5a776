"""The officers' side of a public case: their actions through the lifecycle, and the reads
the audit trail keeps."""

from __future__ import annotations

from app.cases.public import documents
from app.cases.public.lifecycle import LIFECYCLE, MAX_TEXT, MESSAGES, PublicError
from app.extensions import db
from app.models import PublicCase, PublicCaseState, PublicDocument
from app.models.base import utcnow
from app.policy import Actor
from app.records import audit


def act(actor: Actor, case: PublicCase, action: str, text: str = "", files=()) -> None:
    """An officer's action; documents (e.g. a decision letter) go with any of them.
    The submitter gets a new link by mail; commits."""
    transition = LIFECYCLE.require(actor, case, action)
    text = text.strip()[:MAX_TEXT]
    files = documents.chosen(files)
    if action in MESSAGES and not text and not files:
        raise PublicError("text")
    documents.store(case, files, actor.user.id)
    if transition.target == PublicCaseState.CLOSED:
        case.closed_at = utcnow()
    LIFECYCLE.perform(actor, case, action, text, checked=True)


def record_view(actor: Actor, case: PublicCase) -> None:
    LIFECYCLE.audit(actor, case, "viewed")
    if case.unread:
        case.unread = False
    audit.commit_read()


def record_download(actor: Actor, case: PublicCase, document: PublicDocument) -> None:
    LIFECYCLE.audit(
        actor, case, "document_downloaded", document=document.id, sha256=document.sha256
    )
    db.session.commit()
