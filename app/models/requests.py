"""Requests: one-to-one exchanges between a requesting and a responding authority.

A request pins the procedure pack version it was created with (ProcedureVersion keeps
each version's definition), so editing a pack never changes an old case.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import AuthorityEvent, AuthorityFile, Base, Case, YearlyReference, utcnow
from app.models.directory import Authority, _enum
from app.models.ownership import owned, owner


class RequestState(enum.StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    INFO_REQUESTED = "info_requested"
    ANSWERED = "answered"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    # The responder refused to execute it on a ground its procedure names (e.g.
    # Directive 2014/67/EU Article 17); the exchange is over.
    REFUSED = "refused"


# Awaiting the reply: the reply date runs (reminders, overdue).
PENDING_REPLY = (RequestState.SENT, RequestState.ACCEPTED, RequestState.INFO_REQUESTED)
OPEN_STATES = (*PENDING_REPLY, RequestState.ANSWERED)
# The predicates of the counters' partial indexes (migration 0017).
URGENT_SQL = "urgency <> ''"
OPEN_SQL = "state IN (" + ", ".join(f"'{s.value}'" for s in OPEN_STATES) + ")"
OPEN_OR_DRAFT_SQL = (
    "state IN (" + ", ".join(f"'{s.value}'" for s in (RequestState.DRAFT, *OPEN_STATES)) + ")"
)


class ProcedureVersion(Base):
    """The definition (question sets) of one version of a procedure pack, as loaded."""

    __tablename__ = "procedure_version"
    __table_args__ = (UniqueConstraint("procedure_key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    version: Mapped[int]
    definition: Mapped[dict] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Request(YearlyReference, Case, Base):
    __tablename__ = "request"
    # A visit clears its side's unread flag, a reminder job notes what it sent, search
    # text is derived: none of them makes an officer's open form stale.
    unversioned = frozenset(
        {"requester_unread", "responder_unread", "reminders_sent", "search_text"}
    )
    reference_prefix = "REQ"
    __table_args__ = (
        # Inbox lists: one index per side, ordered as the inbox pages them.
        Index("ix_request_responder_updated", "responder_authority_id", "updated_at", "id"),
        Index("ix_request_requester_updated", "requester_authority_id", "updated_at", "id"),
        Index("ix_request_handler_updated", "handler_id", "updated_at", "id"),
        Index("ix_request_state_due", "state", "reply_due"),
        # Inbox sorted by reply date; the counters are answered from these indexes alone.
        Index(
            "ix_request_responder_due",
            "responder_authority_id",
            "reply_due",
            "id",
            "state",
            "handler_id",
        ),
        Index("ix_request_requester_due", "requester_authority_id", "reply_due", "id", "state"),
        # The counters, from the open requests alone (closed ones pile up for years):
        # app/cases/inbox.py `counts` writes these predicates' states into its SQL.
        Index(
            "ix_request_responder_open",
            "responder_authority_id",
            "handler_id",
            "state",
            "reply_due",
            postgresql_where=text(OPEN_SQL),
            sqlite_where=text(OPEN_SQL),
        ),
        Index(
            "ix_request_requester_open",
            "requester_authority_id",
            "state",
            postgresql_where=text(OPEN_OR_DRAFT_SQL),
            sqlite_where=text(OPEN_OR_DRAFT_SQL),
        ),
        # Urgent received requests, in activity order, and their count among the open
        # ones (inbox filter and counter): urgent requests are few, the index small.
        Index(
            "ix_request_responder_urgent",
            "responder_authority_id",
            "updated_at",
            "id",
            "state",
            postgresql_where=text(URGENT_SQL),
            sqlite_where=text(URGENT_SQL),
        ),
        # Statistics: requests per procedure, urgency level and month of sending.
        Index("ix_request_procedure_urgency_sent", "procedure_key", "urgency", "sent_at"),
        # Inbox filtered by the other side's country, in activity order.
        Index(
            "ix_request_responder_country",
            "responder_authority_id",
            "requester_country",
            "updated_at",
            "id",
        ),
        Index(
            "ix_request_requester_country",
            "requester_authority_id",
            "responder_country",
            "updated_at",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    pack_version: Mapped[int] = mapped_column(Integer)
    state: Mapped[RequestState] = mapped_column(_enum(RequestState), default=RequestState.DRAFT)
    requester_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    requester_user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    responder_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    # The two authorities' countries, copied for the inbox's country filter.
    requester_country: Mapped[str] = mapped_column(String(2), default="")
    responder_country: Mapped[str] = mapped_column(String(2), default="")
    # The responding officer an allocator assigned it to (None: with the allocators).
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The request a split moved these questions out of.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("request.id"))
    # Whom or what the request is about (a person or company: personal data).
    subject: Mapped[str] = mapped_column(String(300), default="")
    # The pack's request fields as the requester filled them (key -> typed value).
    details: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # The requester's free text and the language it was written in.
    message: Mapped[str] = mapped_column(Text, default="")
    # Everything searchable, folded (app/cases/search.py keeps it up to date).
    search_text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Reply date in working days of the responder's country; how it was computed.
    reply_due: Mapped[date | None]
    due_basis: Mapped[dict] = mapped_column(JSON, default=dict)
    # The urgency level of the request's procedure the requester chose ("": normal),
    # and why (a level may require a reason): app/procedures/workflow.py.
    urgency: Mapped[str] = mapped_column(String(32), default="", server_default="")
    urgency_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The ground of a refusal, a key of the pack's refusal grounds ("": not refused).
    refusal_ground: Mapped[str] = mapped_column(String(80), default="", server_default="")
    # A new reply date the responder proposed on accepting, until the requester decides.
    proposed_due: Mapped[date | None]
    # Reminders already sent ("soon", "due", "overdue"): each goes out once.
    reminders_sent: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Inbox flags: something happened the side has not looked at yet.
    requester_unread: Mapped[bool] = mapped_column(default=False)
    responder_unread: Mapped[bool] = mapped_column(default=False)
    # A disagreement referred to the coordinators of both countries, until resolved.
    referral_open: Mapped[bool] = mapped_column(default=False)

    requester_authority: Mapped[Authority] = relationship(foreign_keys=[requester_authority_id])
    responder_authority: Mapped[Authority] = relationship(foreign_keys=[responder_authority_id])
    questions: Mapped[list[RequestQuestion]] = owned("RequestQuestion.position", "request")
    events: Mapped[list[RequestEvent]] = owned("RequestEvent.id", "request")
    attachments: Mapped[list[Attachment]] = owned("Attachment.id", "request")

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def is_overdue(self, today: date) -> bool:
        return self.state in PENDING_REPLY and self.reply_due is not None and today > self.reply_due


class RequestQuestion(Base):
    """A question of the pack the requester picked, and its answer."""

    __tablename__ = "request_question"
    __table_args__ = (UniqueConstraint("request_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = owner("request")
    set_key: Mapped[str] = mapped_column(String(80))
    question_key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    # Typed answer: "yes"/"no", an option key, an ISO date, a number, or text.
    answer: Mapped[str | None] = mapped_column(Text)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    request: Mapped[Request] = relationship(back_populates="questions")


class RequestEvent(AuthorityEvent, Base):
    """The timeline: append-only, one row per thing that happened."""

    __tablename__ = "request_event"

    request_id: Mapped[int] = owner("request", index=True)

    request: Mapped[Request] = relationship(back_populates="events")


class Attachment(AuthorityFile, Base):
    """A file added to a request, stored under a random name outside the web root."""

    __tablename__ = "attachment"

    request_id: Mapped[int] = owner("request", index=True)

    request: Mapped[Request] = relationship(back_populates="attachments")
