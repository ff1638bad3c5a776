"""Who may act on a repository record, as a table: creating a record, editing it, and
archiving or restoring it, in each state of the record, by every side and role, each sent
through HTTP as a browser would.

The expected outcomes are written out below from the domain (README "Repositories", the
docstring of app/services/repositories.py, the record tests), never read from the
service's own checks:

- an authority with editor access to the register creates records (any of its officers
  but a read-only viewer); it owns what it creates;
- only the owner authority's editors update, archive and restore a record; an active
  record is edited and archived, an archived one is only restored;
- an editor authority that does not own the record, a reader authority, an authority
  without access to the register or with access to another one only: the action is not
  found (404), never a hint that it exists;
- a viewer ("reads only") posts nothing (403);
- archiving an archived record or restoring an active one (a form sent twice) changes
  nothing: the owner's editors are sent back to the record.

A refused attempt changes nothing: no new record, no new version, no state or field change,
no audit row of the action.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.cases import repositories
from app.extensions import db
from app.models import (
    AuditEvent,
    Membership,
    ProcedureAccess,
    RecordState,
    RepositoryRecord,
    RepositoryRecordVersion,
)
from app.policy import Actor
from app.procedures.store import sync
from tests.factories import csrf_token, make_authority, make_user
from tests.snapshots import restored
from tests.web.repositories.conftest import REGISTER, VALUES
from tests.web.requests.conftest import as_user

ACTIVE, ARCHIVED = RecordState.ACTIVE, RecordState.ARCHIVED

# who -> (authority, roles of the officer)
SIDES = {
    "owner handler": ("berlin", ["handler"]),
    "owner admin": ("berlin", ["admin"]),
    "owner viewer": ("berlin", ["viewer"]),
    "other editor handler": ("paris", ["handler"]),
    "other editor viewer": ("paris", ["viewer"]),
    "reader handler": ("vienna", ["handler", "admin"]),
    "reader viewer": ("vienna", ["viewer"]),
    "no access": ("rome", ["handler", "admin"]),
    "other register editor": ("madrid", ["handler", "admin"]),
}
VIEWERS = {who for who, (_authority, roles) in SIDES.items() if roles == ["viewer"]}

# Who creates a record in the register (302); every other non-viewer gets 404.
MAY_CREATE = {"owner handler", "owner admin", "other editor handler"}

OWNERS = {"owner handler", "owner admin"}
# action on a record -> {state of the record: who may (302)}; every other non-viewer 404
MAY_ACT_ON = {
    "edit": {ACTIVE: OWNERS, ARCHIVED: set()},
    "archive": {ACTIVE: OWNERS, ARCHIVED: set()},
    "restore": {ACTIVE: set(), ARCHIVED: OWNERS},
}
# A state change posted where the record already is (its form sent twice): the owners are
# sent back to the record (302) and nothing changes; every other non-viewer 404.
ALREADY = {("archive", ARCHIVED), ("restore", ACTIVE)}

# What an allowed action leaves: (state after, audit action)
DONE = {
    ("edit", ACTIVE): (ACTIVE, "repository_record.updated"),
    ("archive", ACTIVE): (ARCHIVED, "repository_record.archived"),
    ("restore", ARCHIVED): (ACTIVE, "repository_record.restored"),
}


def refusal(who: str) -> int:
    return 403 if who in VIEWERS else 404


@dataclass
class World:
    users: dict
    owner: Actor


@pytest.fixture
def world(app) -> World:
    """Built once per worker, restored for later tests (tests/snapshots.py)."""
    return restored("repositories: who may act", _world)


def _world() -> World:
    sync()
    authorities = {
        "berlin": make_authority("DE", name="Landesamt Berlin"),
        "paris": make_authority("FR", name="Ordre des médecins"),
        "vienna": make_authority("AT", name="Ärztekammer Wien"),
        "rome": make_authority("IT", name="Ministero della Salute"),
        "madrid": make_authority("ES", name="Ministerio de Sanidad"),
    }
    for name, key, roles in (
        ("berlin", REGISTER, ["repository_editor"]),
        ("paris", REGISTER, ["repository_editor"]),
        ("vienna", REGISTER, ["repository_reader"]),
        ("madrid", "posting_declarations", ["repository_editor"]),
    ):
        db.session.add(
            ProcedureAccess(authority_id=authorities[name].id, procedure_key=key, roles=roles)
        )
    db.session.commit()
    users = {who: make_user(authorities[name], roles) for who, (name, roles) in SIDES.items()}
    owner = users["owner handler"]
    membership = db.session.scalars(select(Membership).filter_by(user_id=owner.id)).one()
    return World(users=users, owner=Actor(owner, membership))


def record_in(world: World, state: RecordState) -> int:
    """A record of Berlin's, in `state`, made and moved with the services."""
    pack = repositories.readable_pack(world.owner, REGISTER)
    values = {key.removeprefix("field-"): value for key, value in VALUES.items()}
    record = repositories.create(world.owner, pack, values, "First entry.")
    if state == ARCHIVED:
        repositories.change_state(world.owner, record, "archive", "The measure has ended.")
    assert record.state == state
    return record.id


def snapshot(record_id: int | None = None) -> dict:
    """What an attempt could change: the records, the record's versions and audit trail."""
    db.session.expire_all()

    def count(model, *where):
        return db.session.scalar(select(func.count()).select_from(model).where(*where))

    shot = {
        "records": count(RepositoryRecord),
        "versions": count(RepositoryRecordVersion),
        "audit": sorted(
            db.session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.object_type == "repository_record",
                    AuditEvent.action.notin_(
                        (
                            "repository_record.viewed",
                            "repository_record.denied",
                            "repository_record.list_viewed",
                        )
                    ),
                )
            ).all()
        ),
    }
    if record_id is not None:
        record = db.session.get(RepositoryRecord, record_id)
        shot |= {
            "state": record.state,
            "version": record.version,
            "fields": dict(record.fields),
            "updated_at": record.updated_at,
        }
    return shot


def post(client, url: str, data: dict):
    return client.post(url, data={"csrf_token": csrf_token(client.get("/account")), **data})


@pytest.mark.parametrize("who", list(SIDES), ids=[w.replace(" ", "_") for w in SIDES])
def test_a_record_is_created_only_by_an_editor_authority(app, world, who):
    # given an officer signed in as `who`
    officer = as_user(app, world.users[who])
    before = snapshot()

    # when they post a new record of the register
    response = post(officer, f"/repositories/{REGISTER}/new", {**VALUES, "note": "New."})

    # then the outcome is the table's; a refusal changed nothing
    expected = 302 if who in MAY_CREATE else refusal(who)
    assert response.status_code == expected, response.get_data(True)[:2000]
    after = snapshot()
    if expected != 302:
        assert after == before
        return
    assert after["records"] == before["records"] + 1
    assert after["versions"] == before["versions"] + 1
    assert after["audit"] == sorted([*before["audit"], "repository_record.created"])
    created = db.session.scalars(select(RepositoryRecord).order_by(RepositoryRecord.id.desc()))
    assert created.first().owner_authority_id == world.users[who].memberships[0].authority_id


CASES = [
    (action, state, who)
    for action, states in MAY_ACT_ON.items()
    for state in states
    for who in SIDES
]


@pytest.mark.parametrize(
    ("action", "state", "who"),
    CASES,
    ids=[f"{a.replace(' ', '_')}-{s.value}-{w.replace(' ', '_')}" for a, s, w in CASES],
)
def test_a_record_is_changed_only_as_the_table_says(app, world, action, state, who):
    # given a record of Berlin's in `state` and an officer signed in as `who`
    record_id = record_in(world, state)
    officer = as_user(app, world.users[who])
    before = snapshot(record_id)

    # when they edit it (a real change, with a note) or archive/restore it (with a note)
    if action == "edit":
        data = {**VALUES, "field-measure_scope": "Surgery only", "note": "Scope narrowed."}
        response = post(officer, f"/repositories/records/{record_id}/edit", data)
    else:
        data = {"action": action, "note": "As decided."}
        response = post(officer, f"/repositories/records/{record_id}/state", data)

    # then the outcome is the table's; a refusal, or a change already made, changed nothing
    already = (action, state) in ALREADY and who in OWNERS
    expected = 302 if who in MAY_ACT_ON[action][state] or already else refusal(who)
    assert response.status_code == expected, response.get_data(True)[:2000]
    after = snapshot(record_id)
    if expected != 302 or already:
        assert after == before
        return
    state_after, audited = DONE[(action, state)]
    assert after["state"] == state_after
    assert after["version"] == before["version"] + 1
    assert after["versions"] == before["versions"] + 1
    assert after["audit"] == sorted([*before["audit"], audited])
    if action == "edit":
        assert after["fields"]["measure_scope"] == "Surgery only"
