"""What the parties do with a notification once it has gone out: the reply of the Member
State of establishment, comments, the Commission desk's conclusion or objection (an
accepted repository notification writes its record), and withdrawal."""

from __future__ import annotations

from app.cases.notifications import repository
from app.cases.notifications.compose import pack_of
from app.cases.notifications.lifecycle import LIFECYCLE, notify
from app.cases.notifications.parties import others
from app.extensions import db
from app.models import Notification
from app.models.base import utcnow
from app.policy import Actor
from app.records import audit


def reply(actor: Actor, item: Notification, text: str) -> None:
    """The Member State of establishment says what it did or will do, or why nothing."""
    LIFECYCLE.require(actor, item, "reply")
    item.reply = LIFECYCLE.need(text, "text")
    item.replied_at = utcnow()
    LIFECYCLE.perform(actor, item, "reply", text, checked=True)


def comment(actor: Actor, item: Notification, text: str) -> None:
    """A comment on the timeline, announced to every other party."""
    LIFECYCLE.require(actor, item, "comment")
    text = LIFECYCLE.need(text, "text")
    LIFECYCLE.record(actor, item, "comment", text)
    LIFECYCLE.audit(actor, item, "commented")
    notify(item, others(actor, item), "commented")
    db.session.commit()


def conclude(actor: Actor, item: Notification, note: str = "") -> None:
    """The Commission desk closes its assessment without objection; a notification to a
    repository is accepted and writes (or updates) the notifier's record there."""
    LIFECYCLE.require(actor, item, "conclude")
    item.decision = (note or "").strip()
    item.closed_at = utcnow()
    rules = pack_of(item).notification
    details = {}
    if rules is not None and rules.repository:
        record = repository.write(actor, item, rules)
        item.record_ids = [*item.record_ids, record.id]
        details = {"record": record.id}
    LIFECYCLE.perform(actor, item, "conclude", note, data=details, details=details, checked=True)


def object_to(actor: Actor, item: Notification, reasons: str) -> None:
    """The Commission desk decides the measure is incompatible with Union law and asks
    the Member State to refrain from it or to end it (Art 3(6) of Directive 2000/31/EC,
    Art 15(7) and 35(5) of Directive 2006/123/EC)."""
    LIFECYCLE.require(actor, item, "object")
    item.decision = LIFECYCLE.need(reasons, "reason")
    item.closed_at = utcnow()
    LIFECYCLE.perform(actor, item, "object", reasons, checked=True)


def withdraw(actor: Actor, item: Notification, reason: str) -> None:
    LIFECYCLE.require(actor, item, "withdraw")
    item.withdrawal_reason = LIFECYCLE.need(reason, "reason")
    item.closed_at = utcnow()
    LIFECYCLE.perform(actor, item, "withdraw", reason, checked=True)


def record_view(actor: Actor, item: Notification) -> None:
    """A read of the notification, for the audit trail."""
    LIFECYCLE.audit(actor, item, "viewed")
    audit.commit_read()
