"""Machine translations of free text: the cache, the jobs that fill it, human corrections.

A free text is named by its kind and row (`request_event` 42) and fingerprinted by the
SHA-256 of its wording, so that a translation of an earlier wording is never shown for a
changed text. The cache is keyed by wording, languages and engine: the same sentence in
two cases is translated once.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.accounts import User
from app.models.base import Base, utcnow
from app.models.directory import Authority


class JobStatus(enum.StrEnum):
    PENDING = "pending"  # queued, or waiting for the engine to come back
    SUBMITTED = "submitted"  # an asynchronous engine has it; its callback completes it
    DONE = "done"
    UNSUPPORTED = "unsupported"  # no engine translates this pair
    FAILED = "failed"  # the engine refused it, or stayed down after every retry


def _status():
    """A job's status column (stored as its value)."""
    return mapped_column(
        Enum(
            JobStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        default=JobStatus.PENDING,
    )


class Translation(Base):
    __tablename__ = "translation"
    __table_args__ = (
        UniqueConstraint("source_hash", "source_language", "target_language", "engine"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_hash: Mapped[str] = mapped_column(String(64))
    source_language: Mapped[str] = mapped_column(String(5))
    target_language: Mapped[str] = mapped_column(String(5))
    engine: Mapped[str] = mapped_column(String(32))
    # What the engine says of itself, or the route it took (`fr>es>en` for a pivot).
    engine_version: Mapped[str] = mapped_column(String(100), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TranslationJob(Base):
    """One text to be put into one language, as asked by a reader or by a preference."""

    __tablename__ = "translation_job"
    __table_args__ = (
        UniqueConstraint("kind", "object_id", "source_hash", "target_language"),
        Index("ix_translation_job_status", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    source_hash: Mapped[str] = mapped_column(String(64))
    source_language: Mapped[str] = mapped_column(String(5))
    target_language: Mapped[str] = mapped_column(String(5))
    status: Mapped[JobStatus] = _status()
    engine: Mapped[str] = mapped_column(String(32), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    # Why it is not done: unavailable, unsupported, rejected, too_long.
    error: Mapped[str] = mapped_column(String(32), default="")
    # The unguessable name an asynchronous engine calls us back with.
    external_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Pieces translated so far when a long text went out in several parts.
    parts: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    part_count: Mapped[int] = mapped_column(default=1)
    translation_id: Mapped[int | None] = mapped_column(
        ForeignKey("translation.id", ondelete="SET NULL")
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    translation: Mapped[Translation | None] = relationship()


class TranslationCorrection(Base):
    """A reader's own translation of a text, shown as such beside (or instead of) the
    machine's."""

    __tablename__ = "translation_correction"
    __table_args__ = (
        Index("ix_translation_correction_text", "kind", "object_id", "target_language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int]
    source_hash: Mapped[str] = mapped_column(String(64))
    target_language: Mapped[str] = mapped_column(String(5))
    text: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    authority_id: Mapped[int | None] = mapped_column(
        ForeignKey("authority.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
    authority: Mapped[Authority | None] = relationship()


class TranslatedFile(Base):
    """A machine-translated copy of a case's file, kept beside the original: named by the
    kind of case and the original's row (`request` attachment 7), in one language, with
    the engine that made it. It is read by whoever may read the original, and goes with
    it (app/records/retention.py). The file itself is stored like an attachment, under a
    random name, once the engine has given it back."""

    __tablename__ = "translated_file"
    __table_args__ = (
        UniqueConstraint("kind", "file_id", "target_language"),
        Index("ix_translated_file_case", "kind", "case_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int]
    file_id: Mapped[int]
    # The original's SHA-256: a copy is only ever of that content.
    source_sha256: Mapped[str] = mapped_column(String(64))
    source_language: Mapped[str] = mapped_column(String(5))
    target_language: Mapped[str] = mapped_column(String(5))
    status: Mapped[JobStatus] = _status()
    engine: Mapped[str] = mapped_column(String(32), default="")
    engine_version: Mapped[str] = mapped_column(String(100), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    # Why it is not done: unavailable, unsupported, type, rejected, too_large.
    error: Mapped[str] = mapped_column(String(32), default="")
    # The unguessable name an asynchronous engine calls us back with.
    external_ref: Mapped[str | None] = mapped_column(String(64), unique=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The translated file, once there: as an attachment's (app/cases/attachments.py).
    filename: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int] = mapped_column(default=0)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    storage_name: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]

    @property
    def waiting(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.SUBMITTED)
