"""AUD: the audit trail is hash-chained; an edited or removed row breaks the chain at
that row, and `flask audit verify` says so with its exit code."""

from __future__ import annotations

from sqlalchemy import text

from app.extensions import db
from app.models import AuditEvent
from app.services import audit


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
    return ids


def _verify_cli(app):
    return app.test_cli_runner().invoke(args=["audit", "verify", "--instance", "production"])


def test_intact_chain_verifies(app):
    ids = _record_events()
    db.session.expire_all()  # read back from the database, not from the session

    result = audit.verify()

    assert result.ok
    assert result.checked == len(ids)


def test_empty_trail_verifies(app):
    assert audit.verify().ok


def test_changed_details_break_the_chain_at_that_row(app):
    ids = _record_events()
    tampered = ids[2]

    db.session.execute(
        text("UPDATE audit_event SET details = :d WHERE id = :id"),
        {"d": '{"roles": ["admin"]}', "id": tampered},
    )
    db.session.commit()

    result = audit.verify()
    assert not result.ok
    assert result.broken_at == tampered
    assert result.checked == 2


def test_changed_actor_breaks_the_chain_at_that_row(app):
    ids = _record_events()
    db.session.execute(text("UPDATE audit_event SET actor_id = 99 WHERE id = :id"), {"id": ids[0]})
    db.session.commit()

    assert audit.verify().broken_at == ids[0]


def test_deleted_middle_row_breaks_the_chain(app):
    ids = _record_events()
    db.session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[2]})
    db.session.commit()

    result = audit.verify()
    assert not result.ok
    assert result.broken_at == ids[3]  # the row whose link now points nowhere


def test_rehashed_forgery_still_breaks_the_next_link(app):
    ids = _record_events()
    # A forger changes row 2 and gives it a valid hash of its own; row 3 still points
    # at the original hash.
    forged = db.session.get(AuditEvent, ids[1])
    forged.details = {"roles": ["admin"]}
    forged.hash = audit._digest(forged)
    db.session.commit()

    assert audit.verify().broken_at == ids[2]


def test_cli_verify_exits_0_then_1_after_tampering(app):
    ids = _record_events()

    intact = _verify_cli(app)
    assert intact.exit_code == 0, intact.output
    assert f"production: {len(ids)} audit events, chain intact" in intact.output

    db.session.execute(text("UPDATE audit_event SET details = '{}' WHERE id = :id"), {"id": ids[1]})
    db.session.commit()

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
