"""Notices of an alert by mail from the outbox, and reminders of its send-by date.

Mail goes to the alert handlers (else the coordinators) of each authority concerned, in
their language, with no case details. Reminders: an alert still a draft or awaiting
validation is reminded the day before its send-by date ("soon"), on it ("due") and after
it ("overdue"), each once: an RQ job scheduled when the draft is saved, and
`flask alerts remind` (cron) through the same idempotent `remind`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from rq import Retry
from sqlalchemy import select

from app.extensions import db
from app.mail import queue_mail
from app.models import Alert, AlertState, Membership, User
from app.models.accounts import UserStatus

NOTICES = {
    "new": _l("A new alert has arrived for your country."),
    "to_validate": _l("An alert awaits your validation before it is broadcast."),
    "returned": _l("Your alert has been returned by the validating coordinator."),
    "disseminated": _l("An alert has been disseminated to your authority."),
    "commented": _l("An alert has a new comment."),
    "updated": _l("An alert has been updated: see what changed."),
    "withdrawn": _l("An alert has been withdrawn."),
    "closed": _l("An alert has been closed."),
    "soon": _l("An alert must be sent by tomorrow."),
    "due": _l("An alert must be sent today."),
    "overdue": _l("An alert is past the date by which it had to be sent."),
}

REMINDER_KINDS = ("soon", "due", "overdue")
UNSENT = (AlertState.DRAFT, AlertState.AWAITING_VALIDATION)
REMINDER_HOUR_UTC = 6


def recipients(authority_id: int) -> list[User]:
    memberships = list(
        db.session.scalars(
            select(Membership).where(
                Membership.authority_id == authority_id, Membership.suspended_at.is_(None)
            )
        )
    )
    for role in ("alert_handler", "coordinator"):
        users = [
            m.user
            for m in memberships
            if role in m.roles and m.user and m.user.status == UserStatus.ACTIVE
        ]
        if users:
            return users
    return []


def notify(alert: Alert, authority_ids: list[int], what: str) -> None:
    """Mail the officers of the authorities, in the caller's transaction."""
    db.session.flush()
    if db.session.info.get("openimi_no_mail"):  # demo data is not announced
        return
    for authority_id in dict.fromkeys(authority_ids):
        for user in recipients(authority_id):
            queue_mail(
                user.email,
                "alert_notice",
                user.language,
                reference=alert.reference,
                notice=NOTICES[what],
                alert_id=alert.id,
            )
    _translate_incoming(alert, authority_ids)


def _translate_incoming(alert: Alert, authority_ids: list[int]) -> None:
    """The alert's text and the newest event's, into the languages of the receiving
    officers who asked for incoming text in their language."""
    from app.translation import texts as translations

    latest = alert.events[-1] if alert.events else None
    for authority_id in dict.fromkeys(authority_ids):
        translations.auto_translate(authority_id, [("alert", alert), ("alert_event", latest)])


def reminder_day(alert: Alert, kind: str) -> date:
    if kind == "soon":
        return alert.send_by - timedelta(days=1)
    return alert.send_by if kind == "due" else alert.send_by + timedelta(days=1)


def schedule_reminders(alert: Alert) -> None:
    from app.jobs import schedule_after_commit
    from app.jobs.alerts import remind_job

    if alert.send_by is None:
        return
    for kind in REMINDER_KINDS:
        at = datetime.combine(reminder_day(alert, kind), time(REMINDER_HOUR_UTC), UTC)
        schedule_after_commit(
            remind_job, at, alert.id, kind, retry=Retry(max=3, interval=[60, 600, 3600])
        )


def remind(alert_id: int, kind: str, today: date) -> bool:
    """Send one reminder if it is due and not yet sent; True when sent. Commits."""
    alert = db.session.get(Alert, alert_id, with_for_update=True)
    if (
        alert is None
        or alert.state not in UNSENT
        or alert.send_by is None
        or kind in alert.reminders_sent
        or today < reminder_day(alert, kind)
        or (kind != "overdue" and today > alert.send_by)
        or (kind == "soon" and today >= alert.send_by)  # superseded by "due"
    ):
        db.session.rollback()
        return False
    alert.reminders_sent = [*alert.reminders_sent, kind]
    targets = [alert.sender_authority_id]
    if alert.state == AlertState.AWAITING_VALIDATION and alert.validator_authority_id:
        targets.append(alert.validator_authority_id)
    notify(alert, targets, kind)
    db.session.commit()
    return True


def remind_all(today: date) -> int:
    """Every reminder due on `today` that has not gone out yet."""
    ids = list(
        db.session.scalars(
            select(Alert.id).where(
                Alert.state.in_(UNSENT),
                Alert.send_by.is_not(None),
                Alert.send_by <= today + timedelta(days=1),
            )
        )
    )
    return sum(remind(alert_id, kind, today) for alert_id in ids for kind in REMINDER_KINDS)
