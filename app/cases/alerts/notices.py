"""Notices of an alert by mail from the outbox, and reminders of its send-by date.

Mail goes to the alert handlers (else the coordinators) of each authority concerned, in
their language, with no case details. Reminders: an alert still a draft or awaiting
validation is reminded the day before its send-by date ("soon"), on it ("due") and after
it ("overdue"), each once, by the one reminders engine (app/cases/reminders.py),
scheduled when the draft is saved.
"""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from app.accounts.memberships import ANY_AREA, officers_with
from app.cases.areas import area_of
from app.cases.reminders import Reminders
from app.extensions import db
from app.mail import queue_notice
from app.models import Alert, AlertState, User

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

UNSENT = (AlertState.DRAFT, AlertState.AWAITING_VALIDATION)


def recipients(authority_id: int, area: str | None = ANY_AREA) -> list[User]:
    """The authority's alert handlers in the alert's legislative area, else its
    coordinators."""
    return officers_with(authority_id, "alert_handler", "coordinator", area=area)


def notify(alert: Alert, authority_ids: list[int], what: str) -> None:
    """Mail the officers of the authorities, in the caller's transaction."""
    db.session.flush()
    if db.session.info.get("openimi_no_mail"):  # demo data is not announced
        return
    for authority_id in dict.fromkeys(authority_ids):
        area = area_of(alert.procedure_key)
        queue_notice(recipients(authority_id, area), "alert", alert, NOTICES[what])
    _translate_incoming(alert, authority_ids)


def _translate_incoming(alert: Alert, authority_ids: list[int]) -> None:
    """The alert's text and the newest event's, into the languages of the receiving
    officers who asked for incoming text in their language."""
    from app.translation import texts as translations

    latest = alert.events[-1] if alert.events else None
    for authority_id in dict.fromkeys(authority_ids):
        translations.auto_translate(authority_id, [("alert", alert), ("alert_event", latest)])


def _remind(alert: Alert, which: str) -> None:
    targets = [alert.sender_authority_id]
    if alert.state == AlertState.AWAITING_VALIDATION and alert.validator_authority_id:
        targets.append(alert.validator_authority_id)
    notify(alert, targets, which)


# The send-by date: the sender (and a validator it waits for) is reminded the day before
# it, on it and after it.
REMINDERS = Reminders(
    "alert",
    Alert,
    "send_by",
    UNSENT,
    soon=lambda alert: alert.send_by - timedelta(days=1),
    send=_remind,
    ahead=timedelta(days=1),
)
schedule_reminders = REMINDERS.schedule
remind = REMINDERS.remind
remind_all = REMINDERS.remind_all  # `flask alerts remind`
