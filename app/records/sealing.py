"""The sealer: it links appended audit rows into the hash chain, in id order.

An audit row is written by a plain INSERT with `digest`, the hash of its own content
(app/records/audit.py); its chain columns stay NULL ("unsealed"). The sealer takes the
unsealed rows in id order and gives each `prev_hash` (the chain hash before it) and
`hash` = H(prev_hash, id, digest). It runs as an RQ job every few seconds
(app/jobs/sealing.py), from `flask audit seal`, and, in the embedded mode (SQLite), right
after each commit that appended audit rows.

Why it waits for nothing but the readers in flight: PostgreSQL hands out sequence ids
when rows are inserted, not when they commit, so id 7 can become visible after id 8. A
sealer that chained 8 before 7 had committed would leave 7 outside the chain for good.
The sealer therefore seals only up to a *settled* id: on PostgreSQL an INSERT into
audit_event first takes the shared advisory lock IN_FLIGHT of its transaction, then draws
its id (a trigger does both, migration 0015). Shared locks never wait for each other, so
readers do not queue behind one another. The sealer reads the last id the sequence gave
out, then the transactions holding IN_FLIGHT (pg_locks): every id up to that value
belongs to a transaction that has ended or is in that list. Once all of those have
ended (a transaction releases its locks only after its commit is visible), every id up
to the value is committed or gone for good, and the rows are chained. This is exact,
whatever a transaction's length: a grace period would be a guess, and the transaction-id
horizon (pg_snapshot_xmin) would make every long writer of any table hold sealing back,
not only those that wrote audit rows. A long transaction that wrote an audit row holds
sealing back until it ends: the lag grows and `audit verify` reports it.

On SQLite a writer holds the database's write lock from its first write to its commit,
so every committed row has a lower id than any row still in flight: all visible rows are
settled.

Only the sealer takes the lock SEALER (pg_try_advisory_xact_lock: a second sealer gives
way). Sealing is deterministic: two sealers that raced would write the same hashes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, has_app_context
from sqlalchemy import Connection, bindparam, event, func, select, text, update
from sqlalchemy.orm import Session

from app.models import AuditEvent

log = logging.getLogger(__name__)

GENESIS = "0" * 64
IN_FLIGHT = 727275  # shared: every transaction that appends an audit row (the trigger)
SEALER = 727276  # exclusive: the sealer, and nothing else
SEQUENCE = "audit_event_id_seq"
APPENDED = "openimi_audit_appended"  # session.info: this transaction appended audit rows
_table = AuditEvent.__table__


def _content(row) -> list:
    return [
        row.at.astimezone(UTC).isoformat(),
        row.actor_id,
        row.authority_id,
        row.action,
        row.object_type,
        row.object_id,
        row.details,
    ]


def _sha256(values: list) -> str:
    payload = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def content_digest(row) -> str:
    """The hash of a row's own content (not its id, which the INSERT does not know yet)."""
    return _sha256(_content(row))


def link(previous: str, event_id: int, digest: str) -> str:
    """The chain hash of a sealed row. The id is in it: renumbering a row breaks the chain."""
    return hashlib.sha256(f"{previous}:{event_id}:{digest}".encode()).hexdigest()


def legacy_hash(row) -> str:
    """The hash of a row written before migration 0015: its previous hash and content."""
    return _sha256([row.prev_hash, *_content(row)])


@dataclass
class SealResult:
    sealed: int = 0
    head: str = GENESIS
    # Another sealer held the lock: this one did nothing.
    busy: bool = False
    # Readers in flight did not end within the wait: nothing past the sealed head was
    # settled this time (the next run tries again).
    waiting: bool = False
    # An unsealed row whose content no longer matches its digest: sealing stops before
    # it (the sealer never vouches for a changed row; `audit verify` names it).
    refused_at: int | None = None


def seal(wait_seconds: float = 2.0, batch: int = 1000, limit: int = 200_000) -> SealResult:
    """Seal what is settled in the current app's database, on a connection of its own
    (the caller's transaction is not involved)."""
    from app.extensions import db

    with db.engine.connect() as connection, connection.begin():
        return seal_on(connection, wait_seconds, batch, limit)


def seal_on(connection: Connection, wait_seconds: float, batch: int, limit: int) -> SealResult:
    postgres = connection.dialect.name == "postgresql"
    if postgres:
        if not connection.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": SEALER}):
            return SealResult(busy=True)
        # Each statement below must see what committed before it.
        if connection.scalar(text("SHOW transaction_isolation")) != "read committed":
            raise RuntimeError("the sealer needs READ COMMITTED")
        horizon = _settled_id(connection, wait_seconds)
    else:
        horizon = connection.scalar(select(_table.c.id).order_by(_table.c.id.desc()).limit(1))
    head_id, head = _head(connection)
    result = SealResult(head=head, waiting=horizon is None)
    if horizon is None or horizon <= head_id:
        return result
    statement = _SEAL_MANY if postgres else _SEAL_ONE
    while result.sealed < limit:
        rows = connection.execute(
            select(_table)
            .where(_table.c.id > head_id, _table.c.id <= horizon)
            .order_by(_table.c.id)
            .limit(batch)
        ).all()
        links = []
        for row in rows:
            if row.digest is None or content_digest(row) != row.digest:
                result.refused_at = row.id
                log.error("audit event %s no longer matches its digest: not sealed", row.id)
                break
            new_head = link(head, row.id, row.digest)
            links.append({"row_id": row.id, "row_prev": head, "row_hash": new_head})
            head, head_id = new_head, row.id
        if links and postgres:  # one statement a batch
            connection.execute(
                statement,
                {key: [row[key] for row in links] for key in ("row_id", "row_prev", "row_hash")},
            )
        elif links:
            connection.execute(statement, links)
        result.sealed += len(links)
        result.head = head
        if result.refused_at is not None or len(rows) < batch:
            break
    return result


_SEAL_ONE = (
    update(_table)
    .where(_table.c.id == bindparam("row_id"), _table.c.hash.is_(None))
    .values(prev_hash=bindparam("row_prev"), hash=bindparam("row_hash"))
)
_SEAL_MANY = text(
    "UPDATE audit_event AS a SET prev_hash = v.prev, hash = v.hash"
    " FROM unnest(CAST(:row_id AS integer[]), CAST(:row_prev AS varchar[]),"
    " CAST(:row_hash AS varchar[])) AS v(id, prev, hash)"
    " WHERE a.id = v.id AND a.hash IS NULL"
)


def _settled_id(connection: Connection, wait_seconds: float) -> int | None:
    """The highest id that no transaction in flight can hold, or None when the readers in
    flight did not end within `wait_seconds` (see the module's docstring)."""
    cache = connection.scalar(
        text(
            "SELECT cache_size FROM pg_sequences"
            " WHERE schemaname = current_schema() AND sequencename = :name"
        ),
        {"name": SEQUENCE},
    )
    if cache != 1:
        raise RuntimeError(f"{SEQUENCE} must draw ids one at a time (CACHE 1), not {cache}")
    drawn = connection.execute(
        text(f"SELECT last_value, is_called FROM {SEQUENCE}")  # noqa: S608 - a constant
    ).one()
    horizon = drawn.last_value if drawn.is_called else drawn.last_value - 1
    holders = _in_flight(connection)
    deadline = time.monotonic() + wait_seconds
    while holders:
        holders &= _in_flight(connection)
        if not holders:
            break
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.005)
    return horizon


_IN_FLIGHT_LOCKS = text(
    "SELECT virtualtransaction FROM pg_locks"
    " WHERE locktype = 'advisory' AND classid = 0 AND objid = :key AND objsubid = 1"
    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    " AND pid IS DISTINCT FROM pg_backend_pid()"
).bindparams(key=IN_FLIGHT)


def _in_flight(connection: Connection) -> set[str]:
    """The transactions that may hold an audit id they have not committed yet."""
    return set(connection.scalars(_IN_FLIGHT_LOCKS))


def _head(connection: Connection) -> tuple[int, str]:
    row = connection.execute(
        select(_table.c.id, _table.c.hash)
        .where(_table.c.hash.is_not(None))
        .order_by(_table.c.id.desc())
        .limit(1)
    ).first()
    return (row.id, row.hash) if row else (0, GENESIS)


@dataclass
class Lag:
    unsealed: int
    oldest: datetime | None  # when the oldest unsealed row was written

    def seconds(self, now: datetime) -> float:
        return (now - self.oldest).total_seconds() if self.oldest else 0.0


def lag() -> Lag:
    """How far sealing is behind: the rows past the sealed head (a metric; cheap)."""
    from app.extensions import db

    connection = db.session.connection()
    head_id, _head_hash = _head(connection)
    count, oldest = connection.execute(
        select(func.count(), func.min(_table.c.at)).where(_table.c.id > head_id)
    ).one()
    return Lag(count, oldest)


@event.listens_for(Session, "after_commit")
def _seal_inline(session: Session) -> None:
    """The embedded mode (SQLite) has no worker: seal right after the commit."""
    if not session.info.pop(APPENDED, False) or not has_app_context():
        return
    if session.get_bind().dialect.name != "sqlite" or current_app.config.get("REDIS_URL"):
        return
    try:
        seal(wait_seconds=0)
    except Exception:  # the row is recorded; `flask audit seal` or the next commit seals it
        log.exception("inline audit sealing failed")


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(APPENDED, None)
