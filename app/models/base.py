"""Declarative base with a naming convention, so Alembic can alter constraints on SQLite."""

from datetime import UTC, datetime
from typing import ClassVar

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    MetaData,
    String,
    Text,
    event,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    declared_attr,
    mapped_column,
    object_session,
    relationship,
)
from sqlalchemy.orm.attributes import set_committed_value
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


class Versioned:
    """A case two officers may act on at once: optimistic locking. Every UPDATE of the
    row names the version it was read at (SQLAlchemy `version_id_col`), so of two
    concurrent changes the second updates nothing and fails with StaleDataError instead
    of silently overwriting the first; the case forms carry the version they were
    rendered with, and a form rendered before another change is refused
    (app/blueprints/requests/page.py `current`).

    The version moves on only when something an officer acts on changes: bookkeeping
    columns (`unversioned`, e.g. the unread flags a mere visit clears) are still written
    under the check, but do not make another officer's open form stale."""

    version: Mapped[int] = mapped_column(default=1, server_default="1")
    unversioned: ClassVar[frozenset[str]] = frozenset()

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version, "version_id_generator": False}


def changed_columns(row) -> set[str]:
    """The column attributes of a loaded row that hold a change not yet flushed."""
    state = inspect(row)
    return {
        column.key
        for column in state.mapper.column_attrs
        if state.attrs[column.key].history.has_changes()
    }


def bookkeeping_only(row) -> bool:
    """A change of a case's bookkeeping columns only (`Versioned.unversioned`: the unread
    flags a visit clears), which changes nothing an officer acts on or searches for."""
    return isinstance(row, Versioned) and changed_columns(row) <= row.unversioned


def write_bookkeeping(row, **values) -> None:
    """Write bookkeeping columns of a loaded case (`Versioned.unversioned`) at once, in
    one UPDATE without the version check, and note them in the row as committed: a
    visit clearing its unread flag costs one statement, not a locked read of the version
    and an UPDATE at the flush. Nothing to write: nothing is sent."""
    if not set(values) <= row.unversioned:
        raise ValueError(f"not bookkeeping: {sorted(set(values) - row.unversioned)}")
    changed = {name: value for name, value in values.items() if getattr(row, name) != value}
    if not changed:
        return
    table = type(row).__table__
    object_session(row).execute(update(table).where(table.c.id == row.id).values(**changed))
    for name, value in changed.items():
        set_committed_value(row, name, value)


@event.listens_for(Session, "before_flush")
def _next_versions(session, flush_context, instances) -> None:
    for case in session.dirty:
        if not isinstance(case, Versioned):
            continue
        changed = changed_columns(case)
        if "version" in changed:
            continue  # the case moved its version itself (a repository record's history)
        if changed - case.unversioned:
            case.version = case.version + 1
        elif changed:
            # Bookkeeping only: written over the version current now (the row locked
            # till the commit), so a visit never fails for another officer's change.
            with session.no_autoflush:
                current = session.execute(
                    select(type(case).version).where(type(case).id == case.id).with_for_update()
                ).scalar_one_or_none()
            if current is not None:
                set_committed_value(case, "version", current)


class Case(Versioned, HasTimeline, Retained):
    """A case: its version (optimistic locking), its timeline and its retention dates."""


class YearlyReference:
    """A case known by its kind's `reference_prefix`, the year it was sent (created, while
    a draft) and its number: REQ-2027-0000042."""

    reference_prefix = ""

    @property
    def reference(self) -> str:
        year = (self.sent_at or self.created_at).year
        return f"{self.reference_prefix}-{year}-{self.id:07d}"


class TimelineRow:
    """A row of a case's append-only timeline (HasTimeline.events): what happened, when,
    by whom (None: the system or the public submitter), with its free text in the
    language it was written in."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    @declared_attr
    def user(cls):
        return relationship("User")


class AuthorityEvent(TimelineRow):
    """A timeline row of a case between authorities: it also names the authority the
    officer acted for (None: the system)."""

    authority_id: Mapped[int | None] = mapped_column(ForeignKey("authority.id"))

    @declared_attr
    def authority(cls):
        return relationship("Authority")


class StoredFile:
    """A file of a case, stored under a random name outside the web root
    (app/cases/attachments.py); the case keeps its name, type, size and hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuthorityFile(StoredFile):
    """A file an officer added for their authority."""

    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
