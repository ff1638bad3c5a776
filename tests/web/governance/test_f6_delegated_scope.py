"""Security review, finding F6: a delegated coordinator acted outside its procedures.

A delegated coordinator governs only the ordinary authorities of its country that hold
access to one of its procedures (none listed: all of its national coordinator's), and
only the cases of its procedures. Who may act is a table, sent through HTTP; a refused
attempt changes nothing."""

from __future__ import annotations

import pytest
import time_machine
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    AuditEvent,
    Authority,
    AuthorityKind,
    AuthorityStatus,
    Procedure,
    ProcedureAccess,
    Registration,
    RegistrationStatus,
    Request,
)
from tests.factories import csrf_token, make_authority, make_user, post_form, sign_in
from tests.web.governance.conftest import application
from tests.web.governance.helpers import mails_to
from tests.web.requests.conftest import as_user
from tests.web.retention.test_blocking import SECOND, close
from tests.web.security.world import build_world

DIPLOMA, STANDING, POSTING = "pq_authenticity", "pq_good_standing", "posting_declarations"


@pytest.fixture
def country(app, coordination_de):
    """Germany: its national coordinator, a delegated one for the diploma procedure and
    one with no procedure listed, a chamber of the diploma procedure, the customs of
    posting only, a pending application; France's coordinator and the Commission."""
    db.session.add_all(
        [
            Procedure(key=DIPLOMA, name="Authenticity of a diploma", policy_area="pq"),
            Procedure(key=STANDING, name="Good standing", policy_area="pq"),
            Procedure(key=POSTING, name="Posting declarations", policy_area="posting"),
        ]
    )
    delegated = dict(kind=AuthorityKind.DELEGATED_COORDINATOR, parent=coordination_de)
    pq = make_authority("DE", name="ZAB", coordinated_procedures=[DIPLOMA], **delegated)
    everything = make_authority("DE", name="Delegate for all", **delegated)
    chamber = make_authority("DE", name="Chamber of Physicians Berlin", parent=coordination_de)
    customs = make_authority("DE", name="Generalzolldirektion", parent=coordination_de)
    db.session.add_all(
        [
            ProcedureAccess(authority_id=chamber.id, procedure_key=DIPLOMA, roles=["responder"]),
            ProcedureAccess(authority_id=customs.id, procedure_key=POSTING, roles=["responder"]),
        ]
    )
    db.session.commit()
    france = make_authority(
        "FR", name="Coordinator France", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    commission = make_authority("EU", name="European Commission", kind=AuthorityKind.COMMISSION)
    return {
        "actors": {
            "national": make_user(coordination_de, ["coordinator", "admin"]),
            "delegate_pq": make_user(pq, ["coordinator"]),
            "delegate_all": make_user(everything, ["coordinator"]),
            "coordinator_fr": make_user(france, ["coordinator", "admin"]),
            "commission": make_user(commission, ["coordinator", "admin"]),
            "local_admin": make_user(chamber, ["admin", "handler"]),
        },
        "targets": {
            "chamber": chamber.id,
            "customs": customs.id,
            "application": application("DE", name="Chamber of Crafts Leipzig"),
        },
    }


def state(target: str, target_id: int) -> tuple:
    """What an action on the target would change: its status, its procedure access,
    and the audit trail's length."""
    db.session.expire_all()
    if target == "application":
        registration = db.session.get(Registration, target_id)
        status: object = (registration.status, registration.authority.status)
        target_id = registration.authority_id
    else:
        status = db.session.get(Authority, target_id).status
    access = db.session.scalars(
        select(ProcedureAccess.procedure_key).where(ProcedureAccess.authority_id == target_id)
    ).all()
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    return status, sorted(access), events


def perform(client, action: str, target: str, target_id: int):
    """Send the action as a browser would (a token from a page every coordinator has)."""
    if action == "open":
        return client.get(f"/coordination/authorities/{target_id}")
    token = csrf_token(client.get("/account"))
    if action == "suspend":
        url, data = f"/coordination/authorities/{target_id}/suspension", {"action": "suspend"}
    elif action == "grant":
        url, data = f"/coordination/authorities/{target_id}", {"procedure": DIPLOMA}
        data["roles"] = ["requester"]
    else:  # approve the application
        url, data = f"/coordination/registrations/{target_id}", {"decision": "approve"}
    return client.post(url, data={"csrf_token": token, **data})


# fmt: off
AUTHORITY_TABLE = [
    # actor             target         action     expected status
    ("national",        "chamber",     "open",    200),
    ("national",        "chamber",     "suspend", 302),
    ("national",        "chamber",     "grant",   302),
    ("national",        "customs",     "suspend", 302),
    ("national",        "customs",     "grant",   302),
    ("national",        "application", "approve", 302),
    ("delegate_pq",     "chamber",     "open",    200),
    ("delegate_pq",     "chamber",     "suspend", 302),
    ("delegate_pq",     "chamber",     "grant",   302),
    ("delegate_pq",     "customs",     "open",    404),
    ("delegate_pq",     "customs",     "suspend", 404),
    ("delegate_pq",     "customs",     "grant",   404),
    ("delegate_pq",     "application", "approve", 404),
    ("delegate_all",    "customs",     "suspend", 302),
    ("delegate_all",    "application", "approve", 302),
    ("coordinator_fr",  "chamber",     "open",    404),
    ("coordinator_fr",  "chamber",     "suspend", 404),
    ("coordinator_fr",  "customs",     "grant",   404),
    ("coordinator_fr",  "application", "approve", 404),
    ("commission",      "chamber",     "suspend", 404),
    ("commission",      "customs",     "grant",   404),
    ("commission",      "application", "approve", 404),
    ("local_admin",     "chamber",     "open",    403),
    ("local_admin",     "chamber",     "suspend", 403),
    ("local_admin",     "customs",     "grant",   403),
    ("local_admin",     "application", "approve", 403),
]
# fmt: on


@pytest.mark.parametrize(("actor", "target", "action", "expected"), AUTHORITY_TABLE)
def test_f6_who_governs_which_authority(client, country, actor, target, action, expected):
    # Given the actor signed in, and the target as it is
    sign_in(client, country["actors"][actor])
    target_id = country["targets"][target]
    before = state(target, target_id)

    # When the actor acts on the target
    response = perform(client, action, target, target_id)

    # Then the answer is the table's, and only an allowed action changes anything
    assert response.status_code == expected
    after = state(target, target_id)
    if expected == 302:
        assert after != before
    else:
        assert after[:2] == before[:2]


def test_f6_delegated_coordinator_cannot_suspend_authority_outside_its_procedures(client, country):
    # Given the delegated coordinator of the diploma procedure
    sign_in(client, country["actors"]["delegate_pq"])
    customs = country["targets"]["customs"]

    # When it suspends the customs, which has no such procedure
    response = perform(client, "suspend", "customs", customs)

    # Then there is no such page for it, and the customs keep working
    assert response.status_code == 404
    assert db.session.get(Authority, customs).status == AuthorityStatus.ACTIVE
    # nor does its coordination page list the customs or the pending application
    listing = client.get("/coordination/").get_data(True)
    assert "Generalzolldirektion" not in listing
    assert "Chamber of Crafts Leipzig" not in listing
    assert "Chamber of Physicians Berlin" in listing


def test_f6_delegated_coordinator_decides_no_registration(client, country, smtp_server):
    # A new authority has no procedure yet: its national coordinator decides (and a
    # delegated coordinator with no procedure listed, which acts for it in everything).
    actors = country["actors"]
    for name, told in (("national", 1), ("delegate_all", 1), ("delegate_pq", 0)):
        assert len(mails_to(smtp_server, actors[name].email)) == told, name
    sign_in(client, country["actors"]["delegate_pq"])
    registration_id = country["targets"]["application"]

    opened = client.get(f"/coordination/registrations/{registration_id}")
    rejected = post_form(
        client,
        f"/coordination/registrations/{registration_id}/reject",
        {"decision": "reject", "reason": "Not competent."},
    )

    assert opened.status_code == 404 and rejected.status_code == 404
    registration = db.session.get(Registration, registration_id)
    assert registration.status == RegistrationStatus.PENDING


# --- cases: referrals and the proof of exchange ------------------------------------------


@pytest.fixture
def world(app):
    """The security world (Authority A of Germany and a French authority exchange
    good-standing requests); Authority A also answers diploma requests."""
    world = build_world()
    db.session.add(
        ProcedureAccess(
            authority_id=world.ids["authority_a"],
            procedure_key="pq_diploma_authenticity",
            roles=["responder"],
        )
    )
    db.session.commit()
    return world


def delegate(world, procedures: list[str]):
    authority = make_authority(
        "DE",
        name="ZAB",
        kind=AuthorityKind.DELEGATED_COORDINATOR,
        parent_id=world.ids["coordinator_de"],
        coordinated_procedures=procedures,
    )
    return make_user(authority, ["coordinator"])


# fmt: off
CASE_TABLE = [
    # delegate's procedures          sees and resolves the referral (of pq_good_standing)
    (["pq_good_standing"],           True),
    (["pq_diploma_authenticity"],    False),
    ([],                             True),
]
# fmt: on


@pytest.mark.parametrize(("procedures", "allowed"), CASE_TABLE)
def test_f6_delegated_coordinator_resolves_only_referrals_of_its_procedures(
    app, world, procedures, allowed
):
    # Given a good-standing request referred to the coordinators
    item = db.session.get(Request, world.ids["request_referred"])
    client = as_user(app, delegate(world, procedures))

    # When a delegated coordinator lists the referrals and resolves this one
    listing = client.get("/requests/referrals").get_data(True)
    url = f"/requests/{item.id}"
    token = csrf_token(client.get("/account"))
    response = client.post(
        f"{url}/resolve", data={"csrf_token": token, "resolve-text": "Reply within 30 days."}
    )

    # Then only a delegate of the request's procedure reaches it
    db.session.expire_all()
    item = db.session.get(Request, world.ids["request_referred"])
    assert (item.reference in listing) is allowed
    assert response.status_code == (302 if allowed else 404)
    assert item.referral_open is not allowed


@pytest.mark.parametrize(("procedures", "allowed"), CASE_TABLE)
def test_f6_delegated_coordinator_proves_only_exchanges_of_its_procedures(
    app, world, procedures, allowed
):
    # Given a closed good-standing request, now blocked
    item = db.session.get(Request, world.ids["request_sent"])
    close(item)
    user = delegate(world, procedures)
    with time_machine.travel(item.block_due + SECOND, tick=False):
        client = as_user(app, user)

        # When a delegated coordinator asks for the proof of that exchange
        token = csrf_token(client.get("/proof/"))
        page = client.post(
            "/proof/",
            data={"csrf_token": token, "reference": item.reference, "purpose": "Court order"},
        )

    # Then only a delegate of the request's procedure sees it, and only that look is audited
    assert ("Dr. Ada Example" in page.get_data(True)) is allowed
    looks = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.proof_viewed")
    ).all()
    assert len(looks) == (1 if allowed else 0)
