"""Declarative base with a naming convention, so Alembic can alter constraints on SQLite."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores UTC, returns aware datetimes on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime}


class Retained:
    """The retention dates of a case (app/records/retention.py): fixed at closure,
    blocked from `block_due`, personal data erased at `erase_due`; `blocked_at` and
    `erased_at` record when the daily run did it."""

    block_due: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    erase_due: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HasTimeline:
    """A case with an append-only timeline: an `events` relationship, ordered by id.
    `add_event` appends one; the event class is the relationship's own, and keeps the
    columns it has (a public case's events name no authority)."""

    def add_event(self, kind: str, **values):
        events = type(self).events.property
        event_class = events.mapper.class_
        kept = {k: v for k, v in values.items() if hasattr(event_class, k)}
        event = event_class(kind=kind, at=utcnow(), **kept)
        self.events.append(event)
        return event
