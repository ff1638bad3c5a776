"""Issue 17: audit rows are appended without a lock that readers wait for, each with the
digest of its own content, and a sealer chains them later in id order. Nested app
contexts stand for requests served at the same time: each has its own session, hence its
own connection and transaction on the real database."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import AuditEvent
from app.records import audit, sealing
from app.records.sealing import GENESIS, content_digest, legacy_hash, link


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


@pytest.fixture
def postgres(app):
    if not _postgres():
        pytest.skip("PostgreSQL's concurrency is what this tests")
    return app


def _append(count: int = 1, officer: int = 1) -> list[int]:
    """Audited reads of `count` cases by one officer, in the current transaction."""
    events = [
        audit.record(
            "request.viewed",
            actor_id=officer,
            authority_id=2,
            object_type="request",
            object_id=100 + n,
            purpose="case handling",
        )
        for n in range(count)
    ]
    return [e.id for e in events]


def _rows() -> list[AuditEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _tamper(sql: str, **params) -> None:
    db.session.execute(text("SET LOCAL openimi.audit_maintenance = 'on'"))
    db.session.execute(text(sql), params)
    db.session.commit()


def test_an_appended_row_has_its_digest_and_waits_for_the_sealer(postgres):
    ids = _append(3)
    db.session.commit()

    rows = _rows()
    assert [r.id for r in rows] == ids
    assert all(r.hash is None and r.prev_hash is None for r in rows)
    assert all(r.digest == content_digest(r) for r in rows)
    result = audit.verify()
    assert result.ok and result.unsealed == 3 and result.sealed == 0
    assert result.oldest_unsealed == rows[0].at and result.lag_seconds() >= 0
    assert sealing.lag().unsealed == 3


def test_the_sealer_chains_in_id_order_and_goes_on_from_its_head(postgres):
    first = _append(3)
    db.session.commit()
    assert audit.seal().sealed == 3
    second = _append(2, officer=7)
    db.session.commit()

    result = audit.seal()

    assert result.sealed == 2
    previous = GENESIS
    for row in _rows():
        assert row.prev_hash == previous
        assert row.hash == link(previous, row.id, row.digest)
        previous = row.hash
    assert result.head == previous
    assert [r.id for r in _rows()] == first + second
    assert audit.seal().sealed == 0  # nothing new
    verified = audit.verify()
    assert verified.ok and verified.sealed == 5 and verified.unsealed == 0
    assert verified.head == previous and sealing.lag().unsealed == 0


def test_two_readers_append_in_overlapping_transactions_without_waiting(postgres):
    # Officer A's request has written its audit row and not committed yet
    with postgres.app_context():
        first = _append(officer=1)
        # When officer B's request, on another connection, appends and commits meanwhile,
        # refusing to wait for any lock at all
        with postgres.app_context():
            db.session.execute(text("SET LOCAL lock_timeout = '100ms'"))
            started = time.monotonic()
            second = _append(officer=2)
            db.session.commit()
            elapsed = time.monotonic() - started
        db.session.commit()

    # Then both rows are there: B did not queue behind A (a wait would have failed it)
    assert [r.id for r in _rows()] == first + second
    assert elapsed < 1  # not a timing test: the lock_timeout above is what fails a wait


def test_a_row_committed_after_a_higher_id_is_sealed_in_id_order(postgres):
    # Given a row committed before, and sealed
    sealed = _append()
    db.session.commit()
    audit.seal()
    # and a slow request that drew the next id and has not committed
    with postgres.app_context():
        slow = _append(officer=1)
        # while a fast one drew a higher id and committed
        with postgres.app_context():
            fast = _append(officer=2)
            db.session.commit()
        assert fast[0] > slow[0]

        # When the sealer runs before the slow one commits
        started = time.monotonic()
        early = audit.seal(wait_seconds=0.2)

        # Then it seals nothing past the row still in flight, and says why
        assert early.waiting and early.sealed == 0
        assert time.monotonic() - started < 5  # it gave up waiting
        with postgres.app_context():
            seen = {r.id: r.hash for r in _rows()}
            assert seen[fast[0]] is None and seen[sealed[0]] is not None
            assert audit.verify().ok and audit.verify().unsealed == 1
        db.session.commit()

    # And once the slow one has committed, both are chained, in id order
    assert audit.seal().sealed == 2
    rows = _rows()
    assert [r.id for r in rows] == sealed + slow + fast
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    assert audit.verify().ok and audit.verify().sealed == 3


def test_a_rolled_back_read_leaves_a_gap_that_sealing_passes(postgres):
    with postgres.app_context():
        _append()
        db.session.rollback()
    kept = _append()
    db.session.commit()

    assert audit.seal().sealed == 1
    assert audit.verify().ok and [r.id for r in _rows()] == kept


def test_only_one_sealer_runs_at_a_time(postgres):
    _append(2)
    db.session.commit()
    with db.engine.connect() as other, other.begin():
        other.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": sealing.SEALER})
        assert audit.seal().busy
    assert audit.seal().sealed == 2


def test_a_changed_unsealed_row_is_found_by_its_digest_and_never_sealed(postgres, app):
    ids = _append(3)
    db.session.commit()
    _tamper("UPDATE audit_event SET object_id = '999' WHERE id = :id", id=ids[1])

    assert audit.verify().broken_at == ids[1]
    result = audit.seal()
    assert result.sealed == 1 and result.refused_at == ids[1]
    assert audit.verify().broken_at == ids[1]
    cli = app.test_cli_runner().invoke(args=["audit", "seal", "--instance", "production"])
    assert cli.exit_code == 1
    assert f"event {ids[1]} no longer matches its digest" in cli.output


def test_an_unsealed_row_below_sealed_ones_breaks_the_trail(postgres):
    # A superuser strips the seal off a row in the middle of the chain
    ids = _append(3)
    db.session.commit()
    audit.seal()
    _tamper("UPDATE audit_event SET prev_hash = NULL, hash = NULL WHERE id = :id", id=ids[1])

    assert audit.verify().broken_at == ids[1]


def test_a_row_slipped_in_below_the_sealed_ones_breaks_the_trail(postgres):
    ids = _append(3)
    db.session.commit()
    audit.seal()
    _tamper("DELETE FROM audit_event WHERE id = :id", id=ids[1])
    # and puts a row of its own at that id, with a valid digest, unsealed
    forged = AuditEvent(
        at=_rows()[0].at, actor_id=5, authority_id=2, action="request.viewed",
        object_type="request", object_id="7", details={},
    )  # fmt: skip
    forged.digest = content_digest(forged)
    forged.id = ids[1]  # an INSERT may name its id (a restore's COPY does)
    db.session.add(forged)
    db.session.commit()

    assert audit.verify().broken_at == ids[1]


def test_the_application_may_seal_an_unsealed_row_but_change_nothing_else(postgres):
    ids = _append()
    db.session.commit()
    db.session.execute(
        text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id"),
        {"p": GENESIS, "h": "f" * 64, "id": ids[0]},
    )
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"):
        db.session.execute(text("UPDATE audit_event SET hash = :h"), {"h": "e" * 64})
    db.session.rollback()
    # a bogus seal is no cover: the chain says so
    assert audit.verify().broken_at == ids[0]


def test_rows_chained_before_the_sealer_still_verify_and_the_chain_goes_on(app):
    # Rows written before migration 0015 carry no digest and a hash of content + link
    previous = GENESIS
    for n in range(2):
        old = AuditEvent(
            at=sealing.datetime(2026, 1, 1, n, tzinfo=sealing.UTC), actor_id=1, authority_id=2,
            action="request.viewed", object_type="request", object_id=str(n), details={},
        )  # fmt: skip
        old.prev_hash = previous
        old.hash = previous = legacy_hash(old)
        db.session.add(old)
    db.session.commit()
    new = _append(2)
    db.session.commit()
    audit.seal()

    rows = _rows()
    assert rows[2].id == new[0] and rows[2].prev_hash == rows[1].hash
    result = audit.verify()
    assert result.ok and result.sealed == 4

    if _postgres():
        _tamper("UPDATE audit_event SET object_id = 'x' WHERE id = :id", id=rows[1].id)
        assert audit.verify().broken_at == rows[1].id


def test_the_embedded_mode_seals_after_each_commit(each_database):
    with each_database.app_context():
        ids = _append(2)
        db.session.commit()
        result = audit.verify()
        if db.engine.dialect.name == "sqlite":
            assert result.sealed == 2 and result.unsealed == 0
        else:  # the worker's job (or `flask audit seal`) does it
            assert result.unsealed == 2
            audit.seal()
        assert [r.hash is not None for r in _rows()] == [True] * len(ids)
        assert audit.verify().ok
        db.session.remove()


def test_the_commands_seal_and_report_what_waits(app):
    _append(2)
    db.session.commit()
    runner = app.test_cli_runner()
    waiting = runner.invoke(args=["audit", "verify", "--instance", "production"])
    if _postgres():
        assert "(2 not sealed yet, sealing lag" in waiting.output
        late = runner.invoke(args=["audit", "verify", "--instance", "production", "--max-lag", "0"])
        assert late.exit_code == 1 and "exceeds 0 s" in late.output

    sealed = runner.invoke(args=["audit", "seal", "--instance", "production"])

    assert sealed.exit_code == 0, sealed.output
    if _postgres():
        assert "production: 2 audit events sealed" in sealed.output
    intact = runner.invoke(args=["audit", "verify", "--instance", "production", "--max-lag", "60"])
    assert intact.exit_code == 0, intact.output
    assert "production: 2 audit events, chain intact" in intact.output
    assert "(0 not sealed yet" in intact.output
