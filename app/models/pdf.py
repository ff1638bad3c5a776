"""PDF case records prepared in the background.

One row per export: which case (kind and id, so that retention finds and deletes the
files of a case), who asked for it and in which language, and where the file is. The
file lives under UPLOAD_DIR/pdf/ and is named by the export, never by user input.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow
from app.models.directory import _enum


class ExportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class PdfExport(Base):
    __tablename__ = "pdf_export"
    __table_args__ = (Index("ix_pdf_export_object", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # request | alert | repository_record | public_case (the audit trail's object types)
    kind: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    authority_id: Mapped[int] = mapped_column(ForeignKey("authority.id"))
    language: Mapped[str] = mapped_column(String(5), default="en")
    # With the case's audit extract as an annex (asked for on the PDF link).
    with_audit: Mapped[bool] = mapped_column(default=False, server_default=false())
    status: Mapped[ExportStatus] = mapped_column(_enum(ExportStatus), default=ExportStatus.QUEUED)
    # UPLOAD_DIR-relative path of the finished file; "" until done
    file_path: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(String(40), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
