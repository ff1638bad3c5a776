"""Rate-limit counters (app/accounts/ratelimit.py): one row per key and time window."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class RateCounter(Base):
    """How many uses a key (a keyed hash of the rule, the address, the account) has in
    the window starting at `window_start` (Unix seconds). Nothing readable is stored:
    no address, no e-mail address."""

    __tablename__ = "rate_counter"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    # The end of the next window: the row still weighs on it (sliding estimate).
    expires_at: Mapped[datetime] = mapped_column(index=True)
