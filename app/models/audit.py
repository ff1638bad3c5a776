"""Append-only, hash-chained audit trail."""

from datetime import datetime

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_event"
    # The audit search (app/records/audit_trail.py): by object, by authority, by user.
    __table_args__ = (
        Index("ix_audit_event_object", "object_type", "object_id"),
        Index("ix_audit_event_authority", "authority_id", "id"),
        Index("ix_audit_event_actor", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # Plain ids, not foreign keys: nothing may ever rewrite an audit row.
    actor_id: Mapped[int | None]
    authority_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[str] = mapped_column(String(40), default="")
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # The hash of the row's own content, written with it (app/records/audit.py). Rows
    # from before migration 0015 have none: their chain hash covers their content.
    digest: Mapped[str | None] = mapped_column(String(64))
    # The hash chain, NULL until the sealer (app/records/sealing.py) links the row.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
