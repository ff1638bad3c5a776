"""Notifications assessed by the Commission: a Member State notifies the Commission (the
desk of the policy area) and other Member States of measures or requirements; they
comment; the Commission concludes or objects, within the act's deadline where it sets one.

Some procedures first ask the Member State of establishment to act (Directive 2000/31/EC
Art 3(4)(b), Directive 2006/123/EC Art 35(2)); their urgent procedure skips that request
(Art 3(5), Art 35(6)). A notification pins its pack version and, when it is composed,
the rules of its pack that decide its course (ask first, validation).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AuthorityEvent, Base, Case, YearlyReference, utcnow
from app.models.directory import Authority, _enum
from app.models.ownership import owned, owner


class NotificationState(enum.StrEnum):
    DRAFT = "draft"
    ASKED = "asked"  # the Member State of establishment was asked to act
    AWAITING_VALIDATION = "awaiting_validation"
    NOTIFIED = "notified"  # the Commission and the Member States have it
    ASSESSED = "assessed"  # the Commission concluded: no objection (or accepted)
    OBJECTED = "objected"  # the Commission decided the measure is incompatible
    WITHDRAWN = "withdrawn"


class Notification(YearlyReference, Case, Base):
    __tablename__ = "notification"
    unversioned = frozenset({"updated_at", "search_text", "reminders_sent"})
    reference_prefix = "NTF"
    __table_args__ = (
        Index("ix_notification_notifier_updated", "notifier_authority_id", "updated_at", "id"),
        Index("ix_notification_commission", "commission_authority_id", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    pack_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[NotificationState] = mapped_column(
        _enum(NotificationState), default=NotificationState.DRAFT
    )
    notifier_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    notifier_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    notifier_country: Mapped[str] = mapped_column(String(2), default="")
    # The pack's typed fields as the notifier filled them (key -> typed value).
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    # Everything searchable, folded (app/cases/search.py keeps it up to date).
    search_text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    # The Member State of establishment, for procedures addressed to it ("" otherwise).
    establishment_country: Mapped[str] = mapped_column(String(2), default="")
    # The urgent procedure (no request to the Member State of establishment first).
    urgent: Mapped[bool] = mapped_column(default=False)
    urgency_reason: Mapped[str] = mapped_column(Text, default="")
    # Pinned from the pack when composed: ask the Member State of establishment first;
    # have the notification validated by the country's notification coordinator.
    ask_first: Mapped[bool] = mapped_column(default=False)
    needs_validation: Mapped[bool] = mapped_column(default=False)
    validator_authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    # The Commission's desk for the procedure's policy area, set when notified.
    commission_authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    reply: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str] = mapped_column(Text, default="")
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    # Deadlines fixed when notified, and how they were computed (shown on the page).
    assess_by: Mapped[date | None]
    measures_from: Mapped[date | None]
    deadline_basis: Mapped[dict] = mapped_column(JSON, default=dict)
    # The reminders of the assessment date already sent (app/cases/reminders.py).
    reminders_sent: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Repository records the accepted notification wrote (EPC repositories).
    record_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]  # the first step out of the authority (ask or notify)
    asked_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]
    notified_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    notifier_authority: Mapped[Authority] = relationship(foreign_keys=[notifier_authority_id])
    commission_authority: Mapped[Authority | None] = relationship(
        foreign_keys=[commission_authority_id]
    )
    recipients: Mapped[list[NotificationRecipient]] = owned(
        "NotificationRecipient.id", "notification"
    )
    events: Mapped[list[NotificationEvent]] = owned("NotificationEvent.id", "notification")

    def is_late(self, today: date) -> bool:
        return (
            self.state == NotificationState.NOTIFIED
            and self.assess_by is not None
            and today > self.assess_by
        )


class NotificationRecipient(Base):
    """A Member State the notification went to, and the authority that receives it
    there (indexed by authority: each inbox finds its notifications)."""

    __tablename__ = "notification_recipient"
    __table_args__ = (
        UniqueConstraint("notification_id", "country"),
        Index("ix_notification_recipient_authority", "authority_id", "notification_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = owner("notification")
    country: Mapped[str] = mapped_column(String(2))
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    # The Member State of establishment (asked to act first, where the procedure says so).
    establishment: Mapped[bool] = mapped_column(default=False)

    notification: Mapped[Notification] = relationship(back_populates="recipients")
    authority: Mapped[Authority] = relationship()


class NotificationEvent(AuthorityEvent, Base):
    """The timeline: append-only (request, reply, validation, comments, decision...)."""

    __tablename__ = "notification_event"

    notification_id: Mapped[int] = owner("notification", index=True)

    notification: Mapped[Notification] = relationship(back_populates="events")
