"""The test harness's kept worlds (tests/snapshots.py): a restored world is the one the
build made (rows, sequences, files, mails), with its times moved on; a world is built, not
restored, where the tables are not fresh."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models.base import Base, utcnow
from tests.conftest import POSTGRES, _empty_tables
from tests.factories import make_authority
from tests.snapshots import every_row, restored
from tests.web.security.world import _build_world

pytestmark = pytest.mark.skipif(not POSTGRES, reason="worlds are kept on PostgreSQL only")


def _state(apps, smtp_server) -> dict:
    """Every row of both instances (times apart), the next value of every sequence, the
    files under the upload directories and the mails sent."""
    rows, times, sequences, files = {}, {}, {}, {}
    for target in apps:
        instance = target.config["INSTANCE"]
        with target.app_context():
            for table in Base.metadata.sorted_tables:
                order = ", ".join(f'"{column.name}"' for column in table.primary_key)
                found = db.session.execute(
                    text(f'SELECT * FROM "{table.name}" ORDER BY {order}')  # noqa: S608
                ).mappings()
                for number, row in enumerate(found):
                    for column, value in row.items():
                        kept = times if isinstance(value, datetime) else rows
                        kept[(instance, table.name, number, column)] = value
            found_sequences = db.session.execute(
                text("SELECT sequencename, last_value FROM pg_sequences")
            ).all()
            sequences[instance] = sorted(found_sequences)
            db.session.rollback()
        for path in Path(target.config["UPLOAD_DIR"]).rglob("*"):
            if path.is_file():
                files[path] = path.read_bytes()
    mails = [mail.as_string() for mail in smtp_server.messages]
    return {"rows": rows, "times": times, "sequences": sequences, "files": files, "mails": mails}


def _fresh_start(apps, smtp_server) -> None:
    for target in apps:
        _empty_tables(target)
    smtp_server.messages.clear()


def test_a_restored_world_is_the_world_that_was_built(app, apps, smtp_server):
    # Given a world built on fresh tables, and what it left
    earlier = _state(apps, smtp_server)["files"]  # of earlier tests
    built_world = restored("world of the snapshot test", _build_world)
    built = _state(apps, smtp_server)
    built_by = utcnow()
    assert built["files"].keys() > earlier.keys()
    assert any(value for _name, value in built["sequences"]["production"])

    # When the tables are emptied, the world's files removed, and the world asked again
    _fresh_start(apps, smtp_server)
    for path in built["files"].keys() - earlier.keys():
        path.unlink()
    asked_again = utcnow()
    world = restored("world of the snapshot test", _build_world)
    again = _state(apps, smtp_server)

    # Then every row, sequence, file and mail is back, and the times moved on together
    assert again["rows"] == built["rows"]
    assert again["sequences"] == built["sequences"]
    assert again["files"] == built["files"]
    assert again["mails"] == built["mails"] and built["mails"]
    assert again["times"].keys() == built["times"].keys()
    # (all but the audit trail's: its rows keep the times their digests cover)
    moved = {
        again["times"][key] - built["times"][key]
        for key in built["times"]
        if key[1] != "audit_event"
    }
    assert len(moved) == 1 and min(moved) >= asked_again - built_by
    audit_times = [key for key in built["times"] if key[1] == "audit_event"]
    assert audit_times and all(again["times"][k] == built["times"][k] for k in audit_times)
    # and the world names the same objects, loaded in the test's session
    assert world.ids == built_world.ids and world.canaries == built_world.canaries
    assert {name: user.id for name, user in world.users.items()} == {
        name: user.id for name, user in built_world.users.items()
    }
    assert all(user in db.session for user in world.users.values())


def test_a_world_is_built_where_the_tables_are_not_fresh(app, apps, smtp_server):
    builds = []

    def build():
        builds.append(1)
        make_authority("DE", name="Kept authority")
        return "built"

    # Given a kept world
    assert restored("counted world", build) == "built"
    _fresh_start(apps, smtp_server)
    assert restored("counted world", build) == "built"
    assert len(builds) == 1

    # When the test already made something, then the world is built on top of it
    _fresh_start(apps, smtp_server)
    make_authority("FR", name="Made by the test")
    assert restored("counted world", build) == "built"
    assert len(builds) == 2
    names = db.session.execute(text("SELECT name FROM authority ORDER BY id")).scalars().all()
    assert names == ["Made by the test", "Kept authority"]


def test_every_row_shows_a_change_to_any_column_of_any_table(app):
    authority = make_authority("DE", name="Kept authority")
    before = every_row()

    authority.city = "Potsdam"
    db.session.commit()
    after = every_row()

    assert [name for name in before if before[name] != after[name]] == ["authority"]
    assert every_row(skip={"authority"}) == {
        name: rows for name, rows in after.items() if name != "authority"
    }
