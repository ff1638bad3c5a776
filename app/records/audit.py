"""Append-only, hash-chained audit trail: each row's hash covers its content and the
previous row's hash, so a changed, removed or reordered row breaks the chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select, text

from app.extensions import db
from app.models import AuditEvent
from app.models.base import utcnow

GENESIS = "0" * 64


def _digest(event: AuditEvent) -> str:
    payload = json.dumps(
        [
            event.prev_hash,
            event.at.isoformat(),
            event.actor_id,
            event.authority_id,
            event.action,
            event.object_type,
            event.object_id,
            event.details,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def by_actor(actor, action: str, object_type: str, object_id: object, **details) -> AuditEvent:
    """An event of an officer (an Actor) acting for their authority on one object."""
    return record(
        action,
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type=object_type,
        object_id=object_id,
        **details,
    )


def record(
    action: str,
    *,
    actor_id: int | None = None,
    authority_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    **details,
) -> AuditEvent:
    """Append an event in the caller's transaction."""
    if db.session.get_bind().dialect.name == "postgresql":
        # Serialise writers so that two transactions never chain to the same row.
        db.session.execute(text("SELECT pg_advisory_xact_lock(727274)"))
    last = db.session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1))
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor_id,
        authority_id=authority_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details={k: v for k, v in details.items()},
        prev_hash=last or GENESIS,
    )
    event.hash = _digest(event)
    db.session.add(event)
    db.session.flush()
    return event


def read(actor, action: str, object_type: str, object_id: object = "", **details) -> None:
    """A read of personal data by `actor`, committed before the page is sent: a read
    that cannot be recorded fails instead of showing the data (AUD-5). The commit keeps
    what the page has loaded: without that, every row about to be rendered would be
    read again, one statement each."""
    by_actor(actor, action, object_type, object_id, **details)
    commit_read()


def commit_read() -> None:
    """Commit a read's audit row, keeping what the page has loaded (see `read`)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def listed(actor, action: str, object_type: str, ids: Iterable[object], **details) -> None:
    """A list or search page: one row naming the ids shown (ids and codes only, never the
    query text or names: retention deletes personal data but cannot touch the chain)."""
    read(actor, action, object_type, "", ids=[_plain(i) for i in ids], **details)


def denied(actor, object_type: str, object_id: object, **details) -> None:
    """A refused read: the user gets a 404, the trail keeps who asked for what."""
    read(actor, f"{object_type}.denied", object_type, object_id, **details)


def _plain(value: object) -> object:
    return value if isinstance(value, int) else str(value)


@dataclass
class VerifyResult:
    checked: int
    broken_at: int | None
    # The newest hash: kept outside the database (the nightly job logs it), it lets a
    # later check see that rows were cut off the end, which the chain alone cannot.
    head: str = GENESIS
    # A head recorded earlier that no row carries any more.
    lost_head: str | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.lost_head is None


def verify(known_heads: tuple[str, ...] = ()) -> VerifyResult:
    """Walk the chain in id order; report the first row whose link or content is wrong,
    or a head recorded earlier that the chain no longer holds."""
    previous = GENESIS
    checked = 0
    seen = set()
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        if event.prev_hash != previous or _digest(event) != event.hash:
            return VerifyResult(checked, event.id, previous)
        previous = event.hash
        seen.add(event.hash)
        checked += 1
    lost = next((h for h in known_heads if h != GENESIS and h not in seen), None)
    return VerifyResult(checked, None, previous, lost)
