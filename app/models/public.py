"""Public cases: complaints and applications that external actors (citizens, companies)
submit through the public interface, routed to the competent authority of the chosen
country and followed by the submitter through a private tracking link.

Only hashes of the tracking and confirmation tokens are stored, never the tokens.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Case, StoredFile, TimelineRow, utcnow
from app.models.directory import Authority, _enum
from app.models.ownership import owned, owner


class PublicCaseState(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    AWAITING_SUBMITTER = "awaiting_submitter"
    # SOLVIT (app/cases/public/solvit.py): submitted by the home centre to the lead
    # centre, which has not yet accepted it; accepted, the lead centre works on it.
    WITH_LEAD = "with_lead"
    LEAD_WORKING = "lead_working"
    CLOSED = "closed"


PUBLIC_OPEN_STATES = (
    PublicCaseState.SUBMITTED,
    PublicCaseState.IN_PROGRESS,
    PublicCaseState.AWAITING_SUBMITTER,
    PublicCaseState.WITH_LEAD,
    PublicCaseState.LEAD_WORKING,
)


class PublicCase(Case, Base):
    __tablename__ = "public_case"
    # Only a change of the case itself (its content, its state) refuses another officer's
    # change: not the unread flag a visit clears, nor the touch of a reply.
    unversioned = frozenset(
        {"updated_at", "unread", "lead_unread", "search_text", "reminders_sent"}
    )
    __table_args__ = (
        # The officers' inbox: one authority's cases in activity order.
        Index("ix_public_case_authority_updated", "authority_id", "updated_at", "id"),
        # A SOLVIT lead centre's inbox, and the Commission's SOLVIT desk's hand-overs.
        Index("ix_public_case_lead_updated", "lead_authority_id", "updated_at", "id"),
        Index("ix_public_case_desk", "desk_id", "handed_over_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # PUB- and ten random upper-case letters and digits, shown to the submitter.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    pack_version: Mapped[int] = mapped_column(Integer)
    country: Mapped[str] = mapped_column(String(2))
    # The competent authority the case is routed to (chosen on submission).
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    state: Mapped[PublicCaseState] = mapped_column(
        _enum(PublicCaseState), default=PublicCaseState.UNCONFIRMED
    )
    # The submitter (personal data) and the language they use the site in.
    submitter_name: Mapped[str] = mapped_column(String(200))
    submitter_email: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(5), default="en")
    # The pack's fields as filled in (key -> typed value) and the free description.
    details: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    description: Mapped[str] = mapped_column(Text, default="")
    # Everything searchable, folded (app/cases/search.py keeps it up to date).
    search_text: Mapped[str] = mapped_column(Text, default="")
    # SHA-256 (hex) of the tracking token; of the confirmation token until confirmed.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Of the token a lost-link mail carried: it replaces token_hash when first used.
    pending_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Something happened the authority has not looked at yet.
    unread: Mapped[bool] = mapped_column(default=False)

    # SOLVIT (app/cases/public/solvit.py). The routed authority is the home centre; the
    # lead centre is the SOLVIT centre of the country where the problem arose, once the
    # home centre submitted the case to it (None again if it rejects it).
    lead_country: Mapped[str | None] = mapped_column(String(2))
    lead_authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    lead_unread: Mapped[bool] = mapped_column(default=False)
    # The clock that runs ("contact", "submit", "accept", "solve"), its date, and the
    # reminders of that date already sent (app/cases/reminders.py).
    clock: Mapped[str | None] = mapped_column(String(16))
    due_on: Mapped[date | None]
    reminders_sent: Mapped[list[str]] = mapped_column(JSON, default=list)
    contacted_at: Mapped[datetime | None]
    sent_to_lead_at: Mapped[datetime | None]
    lead_accepted_at: Mapped[datetime | None]
    # resolved, unresolved, not_within_scope, structural_problem
    outcome: Mapped[str | None] = mapped_column(String(32))
    # A structural problem handed to the Commission's SOLVIT desk, with the home centre's
    # summary (written without the applicant's personal data).
    desk_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))
    handed_over_at: Mapped[datetime | None]
    handover_summary: Mapped[str] = mapped_column(Text, default="")

    authority: Mapped[Authority] = relationship(foreign_keys=[authority_id])
    lead_authority: Mapped[Authority | None] = relationship(foreign_keys=[lead_authority_id])
    events: Mapped[list[PublicCaseEvent]] = owned("PublicCaseEvent.id", "case")
    documents: Mapped[list[PublicDocument]] = owned("PublicDocument.id", "case")

    @property
    def is_open(self) -> bool:
        return self.state in PUBLIC_OPEN_STATES


class PublicCaseEvent(TimelineRow, Base):
    """The timeline: messages both ways and state changes, append-only."""

    __tablename__ = "public_case_event"

    case_id: Mapped[int] = owner("public_case", index=True)

    case: Mapped[PublicCase] = relationship(back_populates="events")


class PublicDocument(StoredFile, Base):
    """A file the submitter or an officer added, stored by attachments.store()."""

    __tablename__ = "public_document"

    case_id: Mapped[int] = owner("public_case", index=True)
    # The officer who uploaded it; None when the submitter did.
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case: Mapped[PublicCase] = relationship(back_populates="documents")
