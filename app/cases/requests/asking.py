"""The requesting authority's actions once the request is sent: give the information
asked for, agree to or refuse a later reply date, ask a further question, close the
answered request, or withdraw it."""

from __future__ import annotations

from app.cases.requests import notices
from app.cases.requests.lifecycle import LIFECYCLE
from app.extensions import db
from app.models import Request
from app.models.base import utcnow
from app.policy import Actor


def reply_info(actor: Actor, request: Request, text: str) -> None:
    LIFECYCLE.perform(actor, request, "reply_info", text)


def decide_date(actor: Actor, request: Request, agree: bool) -> None:
    """The requester agrees to the reply date the responder proposed, or refuses it
    (the original date stays; the requester may refer the disagreement)."""
    LIFECYCLE.require(actor, request, "decide_date")
    proposed = request.proposed_due
    request.proposed_due = None
    if agree:
        request.reply_due = proposed
        request.due_basis = {**request.due_basis, "agreed": proposed.isoformat()}
        request.reminders_sent = []
        notices.schedule_reminders(request)
    what = "date_agreed" if agree else "date_refused"
    LIFECYCLE.record(actor, request, what, data={"date": proposed.isoformat()})
    LIFECYCLE.audit(actor, request, what)
    notices.notify(request, "responder", what)
    db.session.commit()


def further_question(actor: Actor, request: Request, text: str) -> None:
    LIFECYCLE.perform(actor, request, "further_question", text)


def close(actor: Actor, request: Request, note: str = "") -> None:
    """Close the answered request; an optional closing note is the event's text."""
    LIFECYCLE.require(actor, request, "close")
    request.closed_at = utcnow()
    LIFECYCLE.perform(actor, request, "close", note or "", checked=True)


def withdraw(actor: Actor, request: Request, reason: str) -> None:
    LIFECYCLE.require(actor, request, "withdraw")
    reason = LIFECYCLE.need(reason, "reason")
    request.closed_at = utcnow()
    LIFECYCLE.perform(actor, request, "withdraw", reason, checked=True)
