"""Counterpart ratings: how a requesting authority judged the reply to a closed request.

The Single Market Scoreboard rates each Member State on "timeliness and effort as rated
by counterparts", counted as the share of negative evaluations (its IMI performance
indicators, single-market-scoreboard.ec.europa.eu). After closing, the requesting
authority rates the reply once: its timeliness and its satisfaction, each on a short
scale (RATING_SCALE), with an optional comment.

A rating is a statistic about the exchange, not its personal data: when the request's
personal data are erased (app/records/retention.py) the row stays with its numbers, the
two authorities, their countries, the procedure and the dates; only the comment (free
text, which may name the person concerned) is blanked with the case's other free text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.models.base import Base, utcnow
from app.models.directory import Authority
from app.models.requests import Request

# 1 very unsatisfactory, 2 unsatisfactory, 3 satisfactory, 4 very satisfactory: four
# steps and no middle one, so that every rating is either negative (1, 2) or not, as the
# Scoreboard counts them.
RATING_SCALE = (1, 2, 3, 4)
NEGATIVE = (1, 2)


class ReplyRating(Base):
    """One requesting authority's rating of the reply to one closed request: once, final
    (the unique constraint; app/cases/requests/ratings.py says why)."""

    __tablename__ = "reply_rating"
    __table_args__ = (
        UniqueConstraint("request_id", "rater_authority_id"),
        CheckConstraint("timeliness BETWEEN 1 AND 4", name="timeliness_scale"),
        CheckConstraint("satisfaction BETWEEN 1 AND 4", name="satisfaction_scale"),
        # The statistics, per rated authority or country and period.
        Index("ix_reply_rating_rated_at", "rated_authority_id", "rated_at"),
        Index("ix_reply_rating_country_at", "rated_country", "rated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Not owned by the request: a closed request is never deleted (retention erases its
    # personal data and keeps the row), and the rating must outlive that erasure.
    request_id: Mapped[int] = mapped_column(ForeignKey("request.id"))
    rater_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    rated_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    # Copied for the statistics, which never need the request again.
    rater_country: Mapped[str] = mapped_column(String(2))
    rated_country: Mapped[str] = mapped_column(String(2))
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    timeliness: Mapped[int] = mapped_column(SmallInteger)
    satisfaction: Mapped[int] = mapped_column(SmallInteger)
    # Free text (may name the person concerned): blanked when the case is erased.
    comment: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    rated_at: Mapped[datetime] = mapped_column(default=utcnow)

    # `request.ratings`: read once with the request, its case page and the guard of "rate"
    # share them (app/cases/requests/ratings.py).
    request: Mapped[Request] = relationship(backref=backref("ratings", order_by=id))
    rater_authority: Mapped[Authority] = relationship(foreign_keys=[rater_authority_id])
    rated_authority: Mapped[Authority] = relationship(foreign_keys=[rated_authority_id])

    @property
    def negative(self) -> bool:
        return self.timeliness in NEGATIVE or self.satisfaction in NEGATIVE
