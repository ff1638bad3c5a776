"""What the records ask of an alert: its texts, its personal data, how it is erased and
which country's coordinators govern it (wired up in `kind`)."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.models import Alert, AlertRecipient
from app.records.retention import blank_events


def texts(alert: Alert) -> list[str]:
    """Every field value and free text of the alert (its search and its data-subject
    reports read them)."""
    return [alert.message, *map(str, alert.fields.values()), *(e.text for e in alert.events)]


def data(alert: Alert) -> list[tuple[str, object]]:
    """The personal data, by field key (the proof of exchange)."""
    return [("message", alert.message), *alert.fields.items()]


def erase(alert: Alert) -> None:
    alert.message = alert.withdrawal_reason = alert.search_text = ""
    alert.fields = {}
    blank_events(alert.events)
    for revision in alert.revisions:
        revision.fields, revision.message = {}, ""


def in_country(country: str):
    received = select(AlertRecipient.alert_id).where(AlertRecipient.country == country)
    return or_(Alert.sender_country == country, Alert.id.in_(received))
