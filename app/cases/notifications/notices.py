"""Notices of a notification by mail from the outbox: to the handlers (else the
coordinators) of each authority concerned, in their language, with no case details."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.accounts.memberships import officers_with
from app.cases.reminders import Reminders
from app.extensions import db
from app.mail import queue_notice
from app.models import Notification, NotificationState

NOTICES = {
    "asked": _l("Another Member State asks your authority to act, before it notifies measures."),
    "replied": _l("The Member State of establishment has replied to your request."),
    "new": _l("A new notification has arrived for your authority."),
    "to_validate": _l("A notification awaits your validation before it is sent."),
    "returned": _l("Your notification has been returned by the validating coordinator."),
    "commented": _l("A notification has a new comment."),
    "concluded": _l("The Commission has concluded its assessment of your notification."),
    "objected": _l("The Commission has objected to a notified measure."),
    "withdrawn": _l("A notification has been withdrawn."),
    # The Commission desk's reminders of the assessment date (the act's deadline)
    "reminder_soon": _l("The assessment date of a notification your desk examines is near."),
    "reminder_due": _l("The assessment date of a notification your desk examines is today."),
    "reminder_overdue": _l("The assessment date of a notification your desk examines has passed."),
}


def notify(item: Notification, authority_ids: list[int], what: str) -> None:
    """Mail the officers of the authorities, in the caller's transaction."""
    db.session.flush()
    if db.session.info.get("openimi_no_mail"):  # demo data is not announced
        return
    for authority_id in dict.fromkeys(i for i in authority_ids if i):
        users = officers_with(authority_id, "handler", "coordinator")
        queue_notice(users, "notification", item, NOTICES[what])


def _remind(item: Notification, which: str) -> None:
    notify(item, [item.commission_authority_id], f"reminder_{which}")


# The assessment date binds the Commission: its desk is reminded five days before, on it
# and the day after, while the notification waits for its conclusion.
REMINDERS = Reminders(
    "notification",
    Notification,
    "assess_by",
    (NotificationState.NOTIFIED,),
    soon=lambda item: item.assess_by - timedelta(days=5),
    send=_remind,
    ahead=timedelta(days=5),
)
