"""What the records ask of a notification: its texts, its personal data, how it is
erased and which country's coordinators govern it (wired up in `kind`)."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.models import Notification, NotificationRecipient
from app.records.retention import blank_events


def texts(item: Notification) -> list[str]:
    return [
        item.message,
        item.reply,
        item.decision,
        item.urgency_reason,
        *map(str, item.fields.values()),
        *(e.text for e in item.events),
    ]


def data(item: Notification) -> list[tuple[str, object]]:
    return [("message", item.message), *item.fields.items()]


def erase(item: Notification) -> None:
    item.message = item.reply = item.decision = item.urgency_reason = ""
    item.withdrawal_reason = item.search_text = ""
    item.fields = {}
    blank_events(item.events)


def in_country(country: str):
    received = select(NotificationRecipient.notification_id).where(
        NotificationRecipient.country == country
    )
    return or_(Notification.notifier_country == country, Notification.id.in_(received))
