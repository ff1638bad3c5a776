"""Alerts as a kind of case: who sees one (app/cases/alerts/parties.py `visible_query`):
the sender authority, its validating coordinator, each recipient coordinator and the
authorities an alert was disseminated to; and its lifecycle (lifecycle.py)."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload

from app.cases import alerts
from app.cases.alerts import notices, records
from app.cases.registry import FreeText, Kind, labels_in, register
from app.models import Alert, AlertEvent, AlertRecipient, AlertState

KIND = register(
    Kind(
        "alert",
        Alert,
        alerts.visible_query,
        alerts.LIFECYCLE,
        shown=(
            joinedload(Alert.sender_authority),
            selectinload(Alert.recipients).selectinload(AlertRecipient.disseminations),
            selectinload(Alert.revisions),
            selectinload(Alert.attachments),
            selectinload(Alert.events).joinedload(AlertEvent.authority),
        ),
        page=("alerts.case", "alert_id"),
        reference=r"ALR-\d{4}-(\d{1,10})",
        labels=labels_in("app.cases.alerts.labels", "EVENT_LABELS"),
        files="attachments",
        records=records,
        with_texts=("events",),
        free_texts=(
            FreeText("alert", Alert, "message"),
            FreeText("alert_event", AlertEvent, "text", case="alert", rows="events"),
        ),
        case_search=True,
        closes=(AlertState.CLOSED, AlertState.WITHDRAWN),
        parties=alerts.party_ids,
        exchanged=Alert.state != AlertState.DRAFT,
        in_country=records.in_country,
        reminders=notices.REMINDERS,
    )
)
