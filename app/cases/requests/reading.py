"""Reads of a request's personal data, for the audit trail."""

from __future__ import annotations

from app.cases.requests.lifecycle import LIFECYCLE, side_of
from app.extensions import db
from app.models import Request
from app.models.base import write_bookkeeping
from app.policy import Actor
from app.records import audit


def record_view(actor: Actor, request: Request) -> None:
    """A read of the case's personal data; clears the side's unread flag."""
    LIFECYCLE.audit(actor, request, "viewed")
    side = side_of(actor, request)
    if side in ("requester", "responder"):
        write_bookkeeping(request, **{f"{side}_unread": False})
    audit.commit_read()


def record_download(actor: Actor, request: Request, attachment) -> None:
    LIFECYCLE.audit(actor, request, "attachment_downloaded", attachment=attachment.id)
    db.session.commit()
