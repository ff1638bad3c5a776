"""The boxes of the notification inbox, as conditions on top of the kind's one
visibility rule, so that the list and its counters list and count the same."""

from __future__ import annotations

from sqlalchemy import or_, select

from app.cases.notifications.parties import received_ids, visible_query
from app.models import Notification, NotificationRecipient, NotificationState
from app.policy import Actor

S = NotificationState
BOXES = ("received", "assess", "reply", "validate", "sent", "drafts")


def conditions(actor: Actor, box: str) -> list:
    """What a notification the actor sees must meet to be in `box` (received if unknown)."""
    own = actor.authority.id
    if box == "sent":
        return [Notification.notifier_authority_id == own, Notification.state != S.DRAFT]
    if box == "drafts":
        return [Notification.notifier_authority_id == own, Notification.state == S.DRAFT]
    if box == "validate":
        return [
            Notification.validator_authority_id == own,
            Notification.state == S.AWAITING_VALIDATION,
        ]
    if box == "assess":
        return [Notification.commission_authority_id == own, Notification.state == S.NOTIFIED]
    if box == "reply":
        asked = select(NotificationRecipient.notification_id).where(
            NotificationRecipient.authority_id == own, NotificationRecipient.establishment
        )
        return [
            Notification.id.in_(asked),
            Notification.state == S.ASKED,
            Notification.replied_at.is_(None),
        ]
    return [
        Notification.notifier_authority_id != own,
        or_(Notification.commission_authority_id == own, Notification.id.in_(received_ids(own))),
    ]


def box_query(actor: Actor, box: str, visible=None):
    if visible is None:
        visible = visible_query(actor)
    return visible.where(*conditions(actor, box))
