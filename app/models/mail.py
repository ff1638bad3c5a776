"""Outbox: mail written in the same transaction as the action that causes it."""

from datetime import datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class OutboxMessage(Base):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # pending -> sending (claimed by one worker) -> sent; back to pending when an attempt
    # fails, failed after the last one
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # What went wrong, without the server's text (it may quote the recipient's address).
    last_error: Mapped[str] = mapped_column(Text, default="")
    # When a worker took the row to send it; a claim older than the lease is abandoned.
    claimed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
