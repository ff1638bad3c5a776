"""The audit trail: append-only, and hash-chained by a sealer shortly after each append.

An event is appended by a plain INSERT, in the caller's transaction and without any lock
that other readers wait for: the row carries `digest`, the hash of its own content, and
no chain hash yet ("unsealed"). The sealer (app/records/sealing.py; an RQ job every few
seconds, `flask audit seal`, inline after each commit in the embedded SQLite mode) links
the settled rows in id order: hash = H(previous hash, id, digest). `verify` then finds
any change, removal or reordering of a sealed row (the chain breaks at it), any change of
an unsealed row (its digest no longer matches), and an unsealed row below the sealed ones;
it reports how many rows are unsealed and since when (the sealing lag).

What the window between a read and its sealing means for evidence. A read is recorded
before its page is sent (the INSERT commits first, or the page fails): that part is as
strong as before. Until the row is sealed -- normally a few seconds: the job's interval,
plus the end of any longer transaction that wrote an audit row before it -- it is
protected by the append-only trigger and by its own digest, which show an edit made by
mistake or by a tool that ignores them. They do not stop someone who can bypass the
trigger (a database superuser) from deleting an unsealed row, or from rewriting it
together with a recomputed digest: a plain hash has no secret. Once sealed, such a change
breaks the chain, unless the forger also rewrites every later link; that is caught
against a head hash kept outside the database (`audit verify --known-head`; the nightly
job logs the head). Before this change the same held from the newest row back to the
last head kept outside; the window only adds the sealing lag to it. For evidence, then:
a row older than the lag that `verify` reports is as strong as any chained row; a row
younger than it, or rows that a superuser could reach within that time, rests on the
trigger and on the database's own access control and logs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from sqlalchemy import insert, select

from app.extensions import db
from app.models import AuditEvent
from app.models.base import utcnow
from app.records import sealing
from app.records.sealing import GENESIS, content_digest, legacy_hash, link


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
    """Append an event in the caller's transaction: one INSERT, no lock to wait for (the
    sealer chains it later; see the module's docstring)."""
    event = _event(action, actor_id, authority_id, object_type, object_id, details)
    db.session.add(event)
    db.session.flush()
    db.session.info[sealing.APPENDED] = True
    return event


def _event(action, actor_id, authority_id, object_type, object_id, details) -> AuditEvent:
    return AuditEvent(**_values(action, actor_id, authority_id, object_type, object_id, details))


def _values(action, actor_id, authority_id, object_type, object_id, details) -> dict:
    """An event's columns, with the digest of its content."""
    values = {
        "at": utcnow(),
        "actor_id": actor_id,
        "authority_id": authority_id,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "details": dict(details),
    }
    values["digest"] = content_digest(SimpleNamespace(**values))
    return values


# Built once: SQLAlchemy keeps a statement object's cache key (every page appends a row).
_INSERT = insert(AuditEvent.__table__)


def append(
    action: str,
    *,
    actor_id: int | None = None,
    authority_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    **details,
) -> None:
    """`record` for a caller that needs no AuditEvent back: the same row, inserted as it
    is, without the unit of work (every page records a read, every action an event)."""
    values = _values(action, actor_id, authority_id, object_type, object_id, details)
    db.session.execute(_INSERT, values)
    db.session.info[sealing.APPENDED] = True


def read(actor, action: str, object_type: str, object_id: object = "", **details) -> None:
    """A read of personal data by `actor`, committed before the page is sent: a read
    that cannot be recorded fails instead of showing the data (AUD-5). The commit keeps
    what the page has loaded: without that, every row about to be rendered would be
    read again, one statement each."""
    append(
        action,
        actor_id=actor.user.id,
        authority_id=actor.authority.id,
        object_type=object_type,
        object_id=object_id,
        **details,
    )
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
    # The newest chain hash: kept outside the database (the nightly job logs it), it lets
    # a later check see that sealed rows were cut off the end, which the chain cannot.
    head: str = GENESIS
    # A head recorded earlier that no row carries any more.
    lost_head: str | None = None
    sealed: int = 0
    # Rows not chained yet, all after the sealed ones, each checked by its digest.
    unsealed: int = 0
    oldest_unsealed: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.broken_at is None and self.lost_head is None

    def lag_seconds(self, now: datetime | None = None) -> float:
        """How long the oldest unsealed row has waited for the sealer."""
        if self.oldest_unsealed is None:
            return 0.0
        return max(0.0, ((now or utcnow()) - self.oldest_unsealed).total_seconds())


def verify(known_heads: tuple[str, ...] = ()) -> VerifyResult:
    """Walk the trail in id order. Sealed rows come first and each must link to the one
    before it and match its content; the unsealed rows after them must each match their
    digest. Report the first row that does not, or a head recorded earlier that the chain
    no longer holds."""
    result = VerifyResult(0, None)
    seen = set()
    legacy_allowed = True  # rows from before migration 0015 come before every newer row
    first_unsealed: AuditEvent | None = None
    rows = select(AuditEvent).order_by(AuditEvent.id).execution_options(yield_per=2000)
    for event in db.session.scalars(rows):
        if event.hash is None:
            if event.prev_hash is not None or event.digest != content_digest(event):
                result.broken_at = event.id
                return result
            first_unsealed = first_unsealed or event
            result.unsealed += 1
        elif first_unsealed is not None:
            # A sealed row after an unsealed one: that row was put below the chain's end
            # (or skipped by the sealer), and the chain does not hold it.
            result.broken_at = first_unsealed.id
            return result
        elif event.digest is None:
            if not legacy_allowed or not _legacy_intact(event, result.head):
                result.broken_at = event.id
                return result
            result.head = event.hash
            result.sealed += 1
        else:
            legacy_allowed = False
            if (
                event.prev_hash != result.head
                or event.digest != content_digest(event)
                or event.hash != link(result.head, event.id, event.digest)
            ):
                result.broken_at = event.id
                return result
            result.head = event.hash
            result.sealed += 1
        seen.add(event.hash)
        result.checked += 1
    result.oldest_unsealed = first_unsealed.at if first_unsealed else None
    result.lost_head = next((h for h in known_heads if h != GENESIS and h not in seen), None)
    return result


def _legacy_intact(event: AuditEvent, previous: str) -> bool:
    return event.prev_hash == previous and event.hash == legacy_hash(event)


def seal(wait_seconds: float = 2.0) -> sealing.SealResult:
    """Chain what is settled now (see app/records/sealing.py)."""
    return sealing.seal(wait_seconds)
