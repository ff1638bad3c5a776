"""Alerts and notifications: one-to-many broadcasts from one authority to the alert
coordinators of chosen countries (and the Commission), who disseminate them.

An alert pins the procedure pack version it was composed with. Each update adds an
AlertRevision recording the changed field keys, so recipients see what changed.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AuthorityEvent, AuthorityFile, Base, Case, YearlyReference, utcnow
from app.models.directory import Authority, _enum
from app.models.ownership import owned, owner


class AlertState(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_VALIDATION = "awaiting_validation"
    SENT = "sent"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class RecipientState(enum.StrEnum):
    RECEIVED = "received"
    DISSEMINATED = "disseminated"
    HANDLED = "handled"


# The recipient "country" code standing for the European Commission.
COMMISSION = "EU"


class Alert(YearlyReference, Case, Base):
    __tablename__ = "alert"
    # Touched by every recipient's or party's action: only a change of the case itself
    # (its content, its state) makes another officer's open form stale, so parallel
    # acknowledgements of one case do not refuse each other.
    unversioned = frozenset({"updated_at", "search_text", "reminders_sent"})
    reference_prefix = "ALR"
    __table_args__ = (
        Index("ix_alert_sender_updated", "sender_authority_id", "updated_at", "id"),
        Index("ix_alert_state_send_by", "state", "send_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    pack_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[AlertState] = mapped_column(_enum(AlertState), default=AlertState.DRAFT)
    sender_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    sender_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    sender_country: Mapped[str] = mapped_column(String(2), default="")
    # The pack's typed fields as the sender filled them (key -> typed value).
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    # Everything searchable, folded (app/cases/search.py keeps it up to date).
    search_text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    # Chosen recipient countries (ISO codes) and whether the Commission receives it.
    recipient_countries: Mapped[list[str]] = mapped_column(JSON, default=list)
    to_commission: Mapped[bool] = mapped_column(default=False)
    # Validation by the sender's national coordinator before broadcast.
    needs_validation: Mapped[bool] = mapped_column(default=False)
    validator_authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    # Latest date to broadcast, from the pack rule (send_within_days after deadline_field).
    send_by: Mapped[date | None]
    reminders_sent: Mapped[list[str]] = mapped_column(JSON, default=list)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    sender_authority: Mapped[Authority] = relationship(foreign_keys=[sender_authority_id])
    recipients: Mapped[list[AlertRecipient]] = owned("AlertRecipient.id", "alert")
    events: Mapped[list[AlertEvent]] = owned("AlertEvent.id", "alert")
    revisions: Mapped[list[AlertRevision]] = owned("AlertRevision.number", "alert")
    attachments: Mapped[list[AlertAttachment]] = owned("AlertAttachment.id", "alert")

    def is_late(self, today: date) -> bool:
        return (
            self.state in (AlertState.DRAFT, AlertState.AWAITING_VALIDATION)
            and self.send_by is not None
            and today > self.send_by
        )


class AlertRecipient(Base):
    """One recipient country (or the Commission) and the coordinator it was routed to."""

    __tablename__ = "alert_recipient"
    __table_args__ = (
        UniqueConstraint("alert_id", "country"),
        Index("ix_alert_recipient_coordinator", "coordinator_authority_id", "alert_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = owner("alert")
    country: Mapped[str] = mapped_column(String(2))
    coordinator_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    state: Mapped[RecipientState] = mapped_column(
        _enum(RecipientState), default=RecipientState.RECEIVED
    )
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The revision the recipient last looked at ("what changed" since then).
    seen_revision: Mapped[int] = mapped_column(Integer, default=0)

    alert: Mapped[Alert] = relationship(back_populates="recipients")
    coordinator: Mapped[Authority] = relationship()
    # Read with the recipients, in one statement for all of them: every check of who sees
    # an alert walks the recipients' disseminations.
    disseminations: Mapped[list[AlertDissemination]] = owned(
        "AlertDissemination.id", lazy="selectin"
    )

    @property
    def disseminated_to(self) -> list[int]:
        """Competent authorities of the country the coordinator disseminated it to."""
        return [d.authority_id for d in self.disseminations]


class AlertDissemination(Base):
    """An authority a recipient coordinator passed the alert to (indexed by authority:
    each authority's inbox finds its alerts without reading other countries' rows)."""

    __tablename__ = "alert_dissemination"
    __table_args__ = (
        UniqueConstraint("recipient_id", "authority_id"),
        Index("ix_alert_dissemination_authority", "authority_id", "alert_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = owner("alert_recipient")
    alert_id: Mapped[int] = owner("alert")
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    # The revision this authority last looked at (the inbox marks newer ones).
    seen_revision: Mapped[int] = mapped_column(Integer, default=0)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class AlertEvent(AuthorityEvent, Base):
    """The timeline: append-only (comment, ack, update, withdraw, close, validation...)."""

    __tablename__ = "alert_event"

    alert_id: Mapped[int] = owner("alert", index=True)

    alert: Mapped[Alert] = relationship(back_populates="events")


class AlertRevision(Base):
    """The alert's fields and text as broadcast in one version, and what changed."""

    __tablename__ = "alert_revision"
    __table_args__ = (UniqueConstraint("alert_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = owner("alert")
    number: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    message: Mapped[str] = mapped_column(Text, default="")
    changed_keys: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    alert: Mapped[Alert] = relationship(back_populates="revisions")


class AlertAttachment(AuthorityFile, Base):
    """A file the sender added to an alert, stored under a random name outside the web
    root (app.cases.attachments.store)."""

    __tablename__ = "alert_attachment"

    alert_id: Mapped[int] = owner("alert", index=True)

    alert: Mapped[Alert] = relationship(back_populates="attachments")
