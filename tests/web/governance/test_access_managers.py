"""Access managers: a national coordinator appoints users who approve registrations and
grant procedure access in its country for it, and who do nothing else.

Who may do what is a table, sent through HTTP by: Germany's national coordinator; an
access manager it appointed (a member of its own authority, with no other role); an
access manager at a German chamber who is also a handler there; the chamber's local
administrator; and France's national coordinator. The expected status of each attempt is
written out below; a refused attempt changes nothing.
"""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import (
    AuditEvent,
    AuthorityKind,
    Membership,
    ProcedureAccess,
    RegistrationStatus,
)
from app.procedures.store import sync
from tests.factories import csrf_token, make_authority, make_user
from tests.web.governance.conftest import application, registration
from tests.web.requests.conftest import as_user

PROCEDURE = "pq_good_standing"
OK, REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404

PEOPLE = (
    "coordinator DE",
    "access manager DE",
    "access manager at the chamber",
    "chamber admin",
    "coordinator FR",
)

# action -> the status each person gets (written out: not read from the code's rules)
EXPECTED = {
    # the coordination page: registrations waiting and the authorities managed
    "open the queue": (OK, OK, OK, FORBIDDEN, OK),
    "read a German application": (OK, OK, OK, FORBIDDEN, MISSING),
    "approve a German application": (REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, MISSING),
    "reject a German application": (REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, MISSING),
    "approve a French application": (MISSING, MISSING, MISSING, FORBIDDEN, REDIRECT),
    "grant a German authority access": (REDIRECT, REDIRECT, REDIRECT, FORBIDDEN, MISSING),
    "grant a French authority access": (MISSING, MISSING, MISSING, FORBIDDEN, REDIRECT),
    # coordinator authorities are not an access manager's to grant
    "grant a German delegated coordinator access": (REDIRECT, MISSING, MISSING, FORBIDDEN, MISSING),
    # nothing else of coordination
    "suspend a German authority": (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING),
    "look at a German user": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING),
    "suspend a German user's account": (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING),
    "appoint an access manager": (REDIRECT, FORBIDDEN, FORBIDDEN, FORBIDDEN, MISSING),
    "read the referred disagreements": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "read the audit trail": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "open the proof of exchange": (OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
}


@pytest.fixture
def world(app, coordination_de, coordinator, coordinator_fr):
    sync()
    chamber = make_authority("DE", name="Ärztekammer Berlin", parent=coordination_de)
    delegate = make_authority(
        "DE",
        name="ZAB",
        kind=AuthorityKind.DELEGATED_COORDINATOR,
        parent=coordination_de,
    )
    paris = make_authority("FR", name="Ordre des médecins")
    colleague = make_user(chamber, ["handler"])
    users = {
        "coordinator DE": coordinator,
        "access manager DE": make_user(coordination_de, ["access_manager"]),
        "access manager at the chamber": make_user(chamber, ["handler", "access_manager"]),
        "chamber admin": make_user(chamber, ["admin"]),
        "coordinator FR": coordinator_fr,
    }
    return {
        "users": users,
        "chamber": chamber,
        "delegate": delegate,
        "paris": paris,
        "colleague": colleague,
    }


def _attempt(client, token: str, action: str, world) -> int:
    """Send `action` as the page's form would; its status."""
    chamber, paris, delegate = world["chamber"], world["paris"], world["delegate"]
    colleague = world["colleague"]
    grant = {"procedure": PROCEDURE, "roles": ["responder"], "csrf_token": token}
    if action == "open the queue":
        return client.get("/coordination/").status_code
    if action == "read a German application":
        return client.get(f"/coordination/registrations/{application()}").status_code
    if action == "approve a German application":
        url = f"/coordination/registrations/{application()}"
        return client.post(url, data={"decision": "approve", "csrf_token": token}).status_code
    if action == "reject a German application":
        url = f"/coordination/registrations/{application()}/reject"
        return client.post(url, data={"reason": "Not competent.", "csrf_token": token}).status_code
    if action == "approve a French application":
        url = f"/coordination/registrations/{application('FR', 'Chambre des métiers')}"
        return client.post(url, data={"decision": "approve", "csrf_token": token}).status_code
    if action == "grant a German authority access":
        return client.post(f"/coordination/authorities/{chamber.id}", data=grant).status_code
    if action == "grant a French authority access":
        return client.post(f"/coordination/authorities/{paris.id}", data=grant).status_code
    if action == "grant a German delegated coordinator access":
        return client.post(f"/coordination/authorities/{delegate.id}", data=grant).status_code
    if action == "suspend a German authority":
        url = f"/coordination/authorities/{chamber.id}/suspension"
        return client.post(url, data={"action": "suspend", "csrf_token": token}).status_code
    if action == "look at a German user":
        return client.get(f"/coordination/users/{colleague.id}").status_code
    if action == "suspend a German user's account":
        url = f"/coordination/users/{colleague.id}/suspension"
        return client.post(url, data={"action": "suspend", "csrf_token": token}).status_code
    if action == "appoint an access manager":
        url = f"/coordination/users/{colleague.id}/access-manager"
        data = {"authority_id": chamber.id, "action": "appoint", "csrf_token": token}
        return client.post(url, data=data).status_code
    if action == "read the referred disagreements":
        return client.get("/requests/referrals").status_code
    if action == "read the audit trail":
        return client.get("/audit").status_code
    if action == "open the proof of exchange":
        return client.get("/proof/").status_code
    raise ValueError(action)


def _state(world) -> dict:
    """What a refused attempt must leave as it was."""
    db.session.expire_all()
    return {
        "decided": sorted(
            (r.id, r.status.value)
            for r in _registrations()
            if r.status != RegistrationStatus.PENDING
        ),
        "access": sorted(
            (a.authority_id, a.procedure_key, tuple(a.roles))
            for a in db.session.query(ProcedureAccess)
        ),
        "authorities": sorted(
            (a.id, a.status.value) for a in (world["chamber"], world["paris"], world["delegate"])
        ),
        "colleague": (
            world["colleague"].status.value,
            sorted(
                db.session.query(Membership).filter_by(user_id=world["colleague"].id).one().roles
            ),
        ),
        "changes": db.session.query(AuditEvent)
        .filter(
            AuditEvent.action.in_(
                (
                    "registration.approved",
                    "registration.rejected",
                    "access.granted",
                    "authority.suspended",
                    "user.suspended",
                    "user.access_manager_appointed",
                )
            )
        )
        .count(),
    }


def _registrations():
    from app.models import Registration

    return db.session.query(Registration).all()


@pytest.mark.parametrize("action", list(EXPECTED))
def test_who_may_manage_access(app, world, action):
    failures = []
    for who, expected in zip(PEOPLE, EXPECTED[action], strict=True):
        # given the person signed in, with a form's token
        client = as_user(app, world["users"][who])
        token = csrf_token(client.get("/account"))
        before = _state(world)
        # when they try, then they get the written status
        status = _attempt(client, token, action, world)
        if status != expected:
            failures.append(f"{who}: {status}, not {expected}")
        # and a refused attempt changed nothing (the readers change nothing either)
        unchanging = expected in (FORBIDDEN, MISSING) or action.startswith(("open", "read", "look"))
        if unchanging and _state(world) != before:
            failures.append(f"{who}: refused or reading, but something changed")
    assert not failures, f"{action}:\n" + "\n".join(failures)


def test_the_table_names_everyone():
    assert all(len(row) == len(PEOPLE) for row in EXPECTED.values())


def test_an_access_manager_sees_no_members_and_no_suspension(app, world):
    # when the access manager opens a German authority's page
    client = as_user(app, world["users"]["access manager DE"])
    page = client.get(f"/coordination/authorities/{world['chamber'].id}").get_data(True)
    # then it grants access there, and sees neither its members nor its suspension
    assert 'name="procedure"' in page
    assert world["colleague"].email not in page
    assert "/suspension" not in page


def test_a_national_coordinator_appoints_and_dismisses_an_access_manager(app, world):
    colleague, chamber = world["colleague"], world["chamber"]
    coordinator = as_user(app, world["users"]["coordinator DE"])
    url = f"/coordination/users/{colleague.id}/access-manager"
    # given the colleague cannot decide an application
    client = as_user(app, colleague)
    assert client.get("/coordination/").status_code == FORBIDDEN
    # when the national coordinator appoints them, from the user's page
    page = coordinator.get(f"/coordination/users/{colleague.id}")
    assert "Appoint as access manager" in page.get_data(True)
    data = {"authority_id": chamber.id, "action": "appoint", "csrf_token": csrf_token(page)}
    assert coordinator.post(url, data=data).status_code == REDIRECT
    # then the colleague approves a German application
    assert client.get("/coordination/").status_code == OK
    token = csrf_token(client.get("/account"))
    item = application()
    response = client.post(
        f"/coordination/registrations/{item}", data={"decision": "approve", "csrf_token": token}
    )
    assert response.status_code == REDIRECT
    assert registration(item).status == RegistrationStatus.APPROVED
    # and the chamber's local administrator cannot take the role away with the roles form
    membership = db.session.query(Membership).filter_by(user_id=colleague.id).one()
    assert "access_manager" in membership.roles
    # when the coordinator ends the appointment, then the colleague is refused again
    data["action"] = "revoke"
    assert coordinator.post(url, data=data).status_code == REDIRECT
    assert client.get("/coordination/").status_code == FORBIDDEN


def test_a_delegated_coordinator_appoints_nobody(app, world):
    delegate_officer = make_user(world["delegate"], ["coordinator"])
    client = as_user(app, delegate_officer)
    token = csrf_token(client.get("/account"))
    url = f"/coordination/users/{world['colleague'].id}/access-manager"
    data = {"authority_id": world["chamber"].id, "action": "appoint", "csrf_token": token}
    # then only a national coordinator appoints: the delegate finds no one to appoint
    assert client.post(url, data=data).status_code == MISSING
    db.session.expire_all()
    assert "access_manager" not in (
        db.session.query(Membership).filter_by(user_id=world["colleague"].id).one().roles
    )
