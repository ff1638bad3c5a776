"""Repository records: shared registers (posting declarations, sanctions on professionals).

A record pins the pack version it was created with; every change is a new version that
keeps the fields as they were, the keys that changed and the editor's note.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Retained, Versioned, utcnow
from app.models.directory import Authority, _enum


class RecordState(enum.StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


class RepositoryRecord(Versioned, Retained, Base):
    __tablename__ = "repository_record"
    __table_args__ = (
        # The search list: one repository, newest change first (keyset paging).
        Index("ix_repository_record_list", "procedure_key", "updated_at", "id"),
        Index("ix_repository_record_country", "procedure_key", "country", "updated_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_key: Mapped[str] = mapped_column(ForeignKey("procedure.key"))
    pack_version: Mapped[int] = mapped_column(Integer)
    owner_authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    country: Mapped[str] = mapped_column(String(2))
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    # Accent- and case-folded text of the fields, searched with LIKE.
    search_text: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[RecordState] = mapped_column(_enum(RecordState), default=RecordState.ACTIVE)
    # The number of its latest version (RepositoryRecordVersion), moved on by every
    # update; also the optimistic lock (Versioned).
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))

    owner_authority: Mapped[Authority] = relationship()
    versions: Mapped[list[RepositoryRecordVersion]] = relationship(
        back_populates="record", order_by="RepositoryRecordVersion.number.desc()"
    )

    @property
    def reference(self) -> str:
        return f"REC-{self.country}-{self.id:06d}"


class RepositoryRecordVersion(Base):
    __tablename__ = "repository_record_version"
    __table_args__ = (UniqueConstraint("record_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("repository_record.id"))
    number: Mapped[int] = mapped_column(Integer)
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    changed: Mapped[list[str]] = mapped_column(JSON, default=list)
    # created, updated, archived, restored
    action: Mapped[str] = mapped_column(String(20), default="updated")
    note: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    record: Mapped[RepositoryRecord] = relationship(back_populates="versions")
    user = relationship("User")
