"""AUD: the audit trail is hash-chained; once sealed, an edited or removed row breaks the
chain at that row, and `flask audit verify` says so with its exit code. On PostgreSQL the
table is append-only for the application (migrations 0009, 0015): tampering needs the
maintenance setting or a superuser who disables the trigger, and the chain still shows
it. The rows are sealed here before they are tampered with; rows not sealed yet, and the
sealer itself, are tested in test_audit_sealing.py."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from app.extensions import db
from app.models import AuditEvent
from app.records import audit, sealing


def _record_events(count: int = 5) -> list[int]:
    ids = []
    for n in range(count):
        event = audit.record(
            "user.roles_changed",
            actor_id=1,
            authority_id=2,
            object_type="user",
            object_id=10 + n,
            roles=["handler", "viewer"],
            note="ünïcode ✓",
        )
        ids.append(event.id)
    db.session.commit()
    assert audit.seal().head != audit.GENESIS
    return ids


def _postgres() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _tamper(sql: str, **params) -> None:
    """What an insider with database rights does: on PostgreSQL past the trigger."""
    if _postgres():
        db.session.execute(text("SET LOCAL openimi.audit_maintenance = 'on'"))
    db.session.execute(text(sql), params)
    db.session.commit()


def _verify_cli(app):
    return app.test_cli_runner().invoke(args=["audit", "verify", "--instance", "production"])


def test_intact_chain_verifies(app):
    ids = _record_events()
    db.session.expire_all()  # read back from the database, not from the session

    result = audit.verify()

    assert result.ok
    assert result.checked == result.sealed == len(ids)
    assert result.unsealed == 0 and result.oldest_unsealed is None


def test_empty_trail_verifies(app):
    assert audit.verify().ok


def test_changed_details_break_the_chain_at_that_row(app):
    ids = _record_events()
    tampered = ids[2]

    _tamper(
        "UPDATE audit_event SET details = :d WHERE id = :id", d='{"roles": ["admin"]}', id=tampered
    )

    result = audit.verify()
    assert not result.ok
    assert result.broken_at == tampered
    assert result.checked == 2


def test_changed_actor_breaks_the_chain_at_that_row(app):
    ids = _record_events()
    _tamper("UPDATE audit_event SET actor_id = 99 WHERE id = :id", id=ids[0])

    assert audit.verify().broken_at == ids[0]


def test_deleted_middle_row_breaks_the_chain(app):
    ids = _record_events()
    _tamper("DELETE FROM audit_event WHERE id = :id", id=ids[2])

    result = audit.verify()
    assert not result.ok
    assert result.broken_at == ids[3]  # the row whose link now points nowhere


def test_rehashed_forgery_still_breaks_the_next_link(app):
    ids = _record_events()
    # A forger changes row 2 and gives it a valid digest and link of its own; row 3
    # still points at the original hash.
    if _postgres():
        db.session.execute(text("SET LOCAL openimi.audit_maintenance = 'on'"))
    forged = db.session.get(AuditEvent, ids[1])
    forged.details = {"roles": ["admin"]}
    forged.digest = sealing.content_digest(forged)
    forged.hash = sealing.link(forged.prev_hash, forged.id, forged.digest)
    db.session.commit()

    assert audit.verify().broken_at == ids[2]


def test_cli_verify_exits_0_then_1_after_tampering(app):
    ids = _record_events()

    intact = _verify_cli(app)
    assert intact.exit_code == 0, intact.output
    assert f"production: {len(ids)} audit events, chain intact" in intact.output

    _tamper("UPDATE audit_event SET details = '{}' WHERE id = :id", id=ids[1])

    broken = _verify_cli(app)
    assert broken.exit_code == 1
    assert f"production: chain broken at event {ids[1]}" in broken.output


def test_cli_verify_checks_both_instances_by_default(app, training_app):
    _record_events(2)
    with training_app.app_context():
        _record_events(3)

    result = app.test_cli_runner().invoke(args=["audit", "verify"])

    assert result.exit_code == 0, result.output
    assert "production: 2 audit events, chain intact" in result.output
    assert "training: 3 audit events, chain intact" in result.output


# --- tampering through the CLI, row by row ------------------------------------------------


def _cli_breaks_at(app, event_id: int) -> None:
    result = _verify_cli(app)
    assert result.exit_code == 1, result.output
    assert f"production: chain broken at event {event_id}\n" in result.output


def test_cli_finds_a_changed_row_at_its_id(app):
    ids = _record_events()
    _tamper("UPDATE audit_event SET object_id = '11' WHERE id = :id", id=ids[3])

    _cli_breaks_at(app, ids[3])


def test_cli_finds_a_removed_row_at_the_next_id(app):
    ids = _record_events()
    _tamper("DELETE FROM audit_event WHERE id = :id", id=ids[1])

    _cli_breaks_at(app, ids[2])


def test_cli_finds_two_swapped_rows_at_the_first_of_them(app):
    # Given an intact chain
    ids = _record_events()
    first, second = ids[1], ids[2]
    assert _verify_cli(app).exit_code == 0

    # When a superuser disables the trigger and swaps the contents of two rows (all but
    # the id: each row keeps a valid hash of its own content)
    columns = (
        "at, actor_id, authority_id, action, object_type, object_id, details, digest, "
        "prev_hash, hash"
    )
    if _postgres():
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
    rows = {
        row.id: row._mapping
        for row in db.session.execute(
            text(f"SELECT id, {columns} FROM audit_event WHERE id IN (:a, :b)"),  # noqa: S608
            {"a": first, "b": second},
        )
    }
    assignments = ", ".join(f"{c} = :{c}" for c in columns.split(", "))
    for target, source in ((first, second), (second, first)):
        values = {k: v for k, v in rows[source].items() if k != "id"}
        values["details"] = json.dumps(values["details"])
        db.session.execute(
            text(f"UPDATE audit_event SET {assignments} WHERE id = :target"),  # noqa: S608
            {**values, "target": target},
        )
    if _postgres():
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))
    db.session.commit()

    # Then verify names the first swapped row
    _cli_breaks_at(app, first)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'x'",
        "UPDATE audit_event SET details = '{}' WHERE id = -1",  # even when no row matches
        "UPDATE audit_event SET digest = NULL",
        # a sealed row keeps its seal: neither sealed again nor unsealed
        "UPDATE audit_event SET hash = repeat('0', 64)",
        "UPDATE audit_event SET prev_hash = NULL, hash = NULL",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ],
)
def test_the_application_cannot_change_or_remove_audit_rows(app, statement):
    if not _postgres():
        pytest.skip("the append-only trigger is PostgreSQL's")
    ids = _record_events(2)

    with pytest.raises(DBAPIError, match="audit_event is append-only") as refused:
        db.session.execute(text(statement))
    assert refused.value.orig.sqlstate == "42501"  # insufficient_privilege
    db.session.rollback()

    assert [e.id for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))] == ids
    assert audit.verify().ok


def test_control_characters_in_audited_values_are_stored_encoded(app):
    # AUD-4: a value with CR, LF and an ANSI escape cannot forge a line in any log view
    value = "x\r\n2026-01-01 auth.signed_in actor=1\x1b[2K"
    event = audit.record(
        "user.roles_changed", actor_id=1, object_type="user", object_id=2, note=value
    )
    db.session.commit()

    raw = db.session.scalar(
        text("SELECT CAST(details AS TEXT) FROM audit_event WHERE id = :id"), {"id": event.id}
    )
    assert not any(c in raw for c in "\r\n\x1b")
    assert json.loads(raw)["note"] == value
    assert audit.verify().ok


def test_rows_cut_off_the_end_are_found_through_a_head_kept_elsewhere(app):
    # Given a head printed by an earlier check (and logged by the nightly job)
    ids = _record_events()
    earlier = _verify_cli(app)
    head = earlier.output.split("head ")[1].split()[0]
    assert head == audit.verify().head

    # When an insider removes the newest rows, the chain itself still verifies
    _tamper("DELETE FROM audit_event WHERE id >= :id", id=ids[-2])
    assert audit.verify().broken_at is None

    # Then the head kept outside the database gives it away
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["audit", "verify", "--instance", "production", "--known-head", head]
    )
    assert result.exit_code == 1
    assert f"head {head} is missing" in result.output
