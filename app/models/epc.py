"""The European Professional Card (Directive 2005/36/EC Arts 4a-4e, Implementing
Regulation (EU) 2015/983): the applicant's account and documents, the applications
between a home and a host authority, and the card each issued application carries.

Applicants are not officers: their accounts live here, apart from `user`, so that no
officer permission, membership or session path can reach them (deny by default). Only
hashes of their confirmation tokens are stored.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    case,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AuthorityEvent, Base, Case, StoredFile, utcnow
from app.models.directory import Authority, _enum
from app.models.ownership import owned, owner


class EpcApplicant(Base):
    """A professional's account: sign-in, language, and the documents kept for re-use."""

    __tablename__ = "epc_applicant"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="en")
    password_hash: Mapped[str] = mapped_column(String(200))
    # SHA-256 of the address confirmation token, until confirmed.
    confirm_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_expires_at: Mapped[datetime | None]
    confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The last sign-in or change: the account's retention clock starts here.
    active_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    documents: Mapped[list[EpcDocument]] = owned("EpcDocument.id", "applicant")


class EpcDocument(StoredFile, Base):
    """A document the applicant keeps in their account (stored by attachments.store),
    attached by reference to any number of their applications (Art 4b(3): documents
    already in the file are not asked for again)."""

    __tablename__ = "epc_document"

    applicant_id: Mapped[int] = owner("epc_applicant", index=True)

    applicant: Mapped[EpcApplicant] = relationship(back_populates="documents")


epc_application_document = Table(
    "epc_application_document",
    Base.metadata,
    Column(
        "application_id",
        Integer,
        ForeignKey("epc_application.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "document_id", Integer, ForeignKey("epc_document.id", ondelete="CASCADE"), primary_key=True
    ),
)


class EpcState(enum.StrEnum):
    SUBMITTED = "submitted"  # waiting for the home authority's acknowledgement
    ACKNOWLEDGED = "acknowledged"  # home verifies (missing documents listed, if any)
    TRANSFERRED = "transferred"  # with the host authority, which decides
    ISSUED = "issued"  # the card is valid (by decision or by law, `tacit`)
    REFUSED = "refused"
    REVOKED = "revoked"
    # A temporary card past its validity (Art 4c(1)): the case is closed.
    EXPIRED = "expired"


class EpcApplication(Case, Base):
    __tablename__ = "epc_application"
    unversioned = frozenset({"updated_at", "search_text", "reminders_sent"})
    __table_args__ = (
        Index("ix_epc_application_home", "home_authority_id", "updated_at", "id"),
        Index("ix_epc_application_host", "host_authority_id", "updated_at", "id"),
        Index("ix_epc_application_due", "state", "host_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # EPC- and ten random upper-case letters and digits.
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    pack_version: Mapped[int] = mapped_column(Integer)
    applicant_id: Mapped[int] = owner("epc_applicant", index=True)
    profession: Mapped[str] = mapped_column(String(40))
    # temporary (Art 4c), temporary_public_health (Art 7(4), Art 4d), establishment (4d)
    purpose: Mapped[str] = mapped_column(String(40))
    home_country: Mapped[str] = mapped_column(String(2))
    host_country: Mapped[str] = mapped_column(String(2))
    home_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    host_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    state: Mapped[EpcState] = mapped_column(_enum(EpcState), default=EpcState.SUBMITTED)
    language: Mapped[str] = mapped_column(String(5), default="en")
    # The pack's fields as filled in (key -> typed value).
    details: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The identity document number, folded (upper case, letters and digits only): the
    # verification page asks for it with the card's code.
    identity_key: Mapped[str] = mapped_column(String(64), default="")
    # The documents the home authority listed as missing at acknowledgement.
    missing_documents: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    transferred_at: Mapped[datetime | None]
    # The home authority's and the host authority's due dates (calendar periods of the
    # Directive, ending on a working day of the acting country: app/cases/epc/deadlines.py).
    home_due: Mapped[date | None] = mapped_column(Date)
    host_due: Mapped[date | None] = mapped_column(Date)
    # The reminders of the current period's end already sent (app/cases/reminders.py);
    # a new period (acknowledged, supplemented, transferred, extended) starts none sent.
    reminders_sent: Mapped[list[str]] = mapped_column(JSON, default=list)
    extensions: Mapped[int] = mapped_column(default=0)
    decided_at: Mapped[datetime | None]
    # The card: its public verification code, when and how it was issued.
    card_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    issued_at: Mapped[datetime | None]
    valid_until: Mapped[date | None] = mapped_column(Date)
    tacit: Mapped[bool] = mapped_column(default=False)
    revoked_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # The Art 56a alert linked to the card (the alert's page names the card too).
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("alert.id", ondelete="SET NULL"))

    applicant: Mapped[EpcApplicant] = relationship()
    home_authority: Mapped[Authority] = relationship(foreign_keys=[home_authority_id])
    host_authority: Mapped[Authority] = relationship(foreign_keys=[host_authority_id])
    events: Mapped[list[EpcEvent]] = owned("EpcEvent.id", "case")
    documents: Mapped[list[EpcDocument]] = relationship(
        secondary=epc_application_document, order_by="EpcDocument.id"
    )

    @hybrid_property
    def due_on(self) -> date | None:
        """The end of the period that runs: the host authority's once transferred, else
        the home authority's (None when none runs)."""
        return self.host_due if self.state == EpcState.TRANSFERRED else self.home_due

    @due_on.inplace.expression
    @classmethod
    def _due_on(cls):
        return case((cls.state == EpcState.TRANSFERRED, cls.host_due), else_=cls.home_due)


class EpcEvent(AuthorityEvent, Base):
    """The timeline: each side's actions, the applicant's, and the system's."""

    __tablename__ = "epc_event"

    case_id: Mapped[int] = owner("epc_application", index=True)

    case: Mapped[EpcApplication] = relationship(back_populates="events")
