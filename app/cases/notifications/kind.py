"""Notifications as a kind of case: who sees one (parties.py `visible_query`) and its
lifecycle (lifecycle.py)."""

from __future__ import annotations

from sqlalchemy.orm import joinedload, selectinload

from app.cases import notifications
from app.cases.notifications import records
from app.cases.notifications.notices import REMINDERS
from app.cases.registry import FreeText, Kind, labels_in, register
from app.models import Notification, NotificationEvent, NotificationRecipient, NotificationState

KIND = register(
    Kind(
        "notification",
        Notification,
        notifications.visible_query,
        notifications.LIFECYCLE,
        shown=(
            joinedload(Notification.notifier_authority),
            joinedload(Notification.commission_authority),
            selectinload(Notification.recipients).joinedload(NotificationRecipient.authority),
            selectinload(Notification.events).joinedload(NotificationEvent.authority),
        ),
        page=("notifications.case", "notification_id"),
        reference=r"NTF-\d{4}-(\d{1,10})",
        labels=labels_in("app.cases.notifications.labels", "EVENT_LABELS"),
        records=records,
        with_texts=("events",),
        free_texts=(
            FreeText("notification", Notification, "message"),
            FreeText(
                "notification_event",
                NotificationEvent,
                "text",
                case="notification",
                rows="events",
            ),
        ),
        case_search=True,
        closes=(
            NotificationState.ASSESSED,
            NotificationState.OBJECTED,
            NotificationState.WITHDRAWN,
        ),
        parties=notifications.party_ids,
        exchanged=Notification.state != NotificationState.DRAFT,
        in_country=records.in_country,
        reminders=REMINDERS,
    )
)
