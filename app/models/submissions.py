"""Submissions taken: the idempotency key of every rendered form that changed something
(app/forms.py `once`), written in the same transaction as the change itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class Submission(Base):
    """One taken form: a second post of the same rendered form (a browser retry, a
    double click, a reload after a lost response) is answered with `url`, the page the
    first one led to, and changes nothing."""

    __tablename__ = "submission"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Who posted it (None: a public visitor); another user's key is refused.
    user_id: Mapped[int | None] = mapped_column(Integer)
    url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
