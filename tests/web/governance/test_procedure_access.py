"""Coordinators grant authorities access to procedures, and suspend authorities; each
only within its own country (and a delegated coordinator within its procedures)."""

from __future__ import annotations

import pytest
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import AuthorityKind, AuthorityStatus, Procedure, ProcedureAccess
from tests.factories import csrf_token, make_authority, make_user, post_form, sign_in
from tests.web.governance.helpers import (
    error_summary,
    flashes,
    form_values,
    is_signed_in,
    main_text,
    password_step,
    title,
)

DIPLOMA = "Professional qualifications: authenticity of a diploma"
STANDING = "Professional qualifications: good standing and sanctions"


@pytest.fixture
def procedures(app):
    db.session.add_all(
        [
            Procedure(key="pq_authenticity", name=DIPLOMA, policy_area="pq"),
            Procedure(key="pq_good_standing", name=STANDING, policy_area="pq"),
        ]
    )
    db.session.commit()


@pytest.fixture
def chamber(coordination_de):
    return make_authority(
        "DE", name="Chamber of Physicians Berlin", parent=coordination_de, city="Berlin"
    )


@pytest.fixture
def officer(app):
    """An officer of another authority, reading the directory."""
    return make_user(make_authority("DE", name="Labour Office Leipzig"), ["handler"])


def access_of(authority) -> dict[str, list[str]]:
    rows = db.session.scalars(
        select(ProcedureAccess).where(ProcedureAccess.authority_id == authority.id)
    )
    return {row.procedure_key: row.roles for row in rows}


def grant(client, authority, procedure: str, roles, **kwargs):
    return post_form(
        client,
        f"/coordination/authorities/{authority.id}",
        {"procedure": procedure, "roles": list(roles)},
        **kwargs,
    )


def press(client, authority, action: str, **kwargs):
    """Press the suspend or reactivate button on the authority's coordination page."""
    token = csrf_token(client.get(f"/coordination/authorities/{authority.id}"))
    return client.post(
        f"/coordination/authorities/{authority.id}/suspension",
        data={"csrf_token": token, "action": action},
        **kwargs,
    )


# --- procedure access ---------------------------------------------------------------------


def test_granted_procedure_appears_in_the_directory_and_clearing_revokes_it(
    client, other_client, coordinator, chamber, procedures, officer
):
    # Given the German coordinator on the chamber's page
    sign_in(client, coordinator)
    sign_in(other_client, officer)
    opened = client.get(f"/coordination/authorities/{chamber.id}")
    assert opened.status_code == 200
    assert "No procedure yet." in main_text(opened)

    # When they grant it the diploma procedure as requester and responder
    response = grant(
        client, chamber, "pq_authenticity", ["requester", "responder"], follow_redirects=True
    )

    # Then the access is saved and other officers see it in the directory
    assert "Procedure access saved." in flashes(response)
    assert DIPLOMA in main_text(response)
    assert access_of(chamber) == {"pq_authenticity": ["requester", "responder"]}
    profile = other_client.get(f"/directory/{chamber.id}")
    assert DIPLOMA in main_text(profile)
    assert STANDING not in main_text(profile)
    found = other_client.get("/directory?q=physicians&procedure=pq_authenticity")
    assert "Chamber of Physicians Berlin" in found.get_data(True)
    assert "Chamber of Physicians Berlin" not in other_client.get(
        "/directory?q=physicians&procedure=pq_good_standing"
    ).get_data(True)

    # When they change the roles, then clear every box
    grant(client, chamber, "pq_authenticity", ["alert_receiver"])
    assert access_of(chamber) == {"pq_authenticity": ["alert_receiver"]}
    response = grant(client, chamber, "pq_authenticity", [], follow_redirects=True)

    # Then the access is gone, from the directory too
    assert "Procedure access saved." in flashes(response)
    assert access_of(chamber) == {}
    assert "No procedure yet." in main_text(other_client.get(f"/directory/{chamber.id}"))


def test_unknown_access_roles_are_ignored(client, coordinator, chamber, procedures):
    sign_in(client, coordinator)

    response = grant(client, chamber, "pq_authenticity", ["responder", "superuser"])

    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert access_of(chamber) == {}


def test_unknown_procedure_is_refused(client, coordinator, chamber, procedures):
    sign_in(client, coordinator)

    response = grant(client, chamber, "no_such_procedure", ["responder"])

    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert access_of(chamber) == {}


def answers_diplomas(authority) -> None:
    """The national coordinator has given the authority the diploma procedure: a
    delegated coordinator of that procedure governs it."""
    db.session.add(
        ProcedureAccess(
            authority_id=authority.id, procedure_key="pq_authenticity", roles=["responder"]
        )
    )
    db.session.commit()


def test_delegated_coordinator_grants_only_its_own_procedures(
    client, coordination_de, chamber, procedures
):
    # Given a delegated coordinator for the diploma procedure only, and a chamber of it
    answers_diplomas(chamber)
    zab = make_authority(
        "DE",
        name="Central Office for Foreign Education",
        kind=AuthorityKind.DELEGATED_COORDINATOR,
        parent=coordination_de,
        coordinated_procedures=["pq_authenticity"],
    )
    delegate = make_user(zab, ["coordinator"])
    sign_in(client, delegate)

    # When it opens the chamber's page, it is offered its procedure only
    opened = client.get(f"/coordination/authorities/{chamber.id}")
    assert opened.status_code == 200
    options = opened.get_data(True)
    assert DIPLOMA in options and STANDING not in options

    # When it grants another procedure with a forged form
    response = grant(client, chamber, "pq_good_standing", ["responder"])

    # Then that is refused and nothing is granted
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert error_summary(response)
    assert access_of(chamber) == {"pq_authenticity": ["responder"]}
    assert form_values(response)["roles"] == ["responder"]

    # but its own procedure it may change
    grant(client, chamber, "pq_authenticity", ["requester", "responder"])
    assert access_of(chamber) == {"pq_authenticity": ["requester", "responder"]}


def test_non_coordinator_cannot_grant_access(client, chamber, procedures):
    admin = make_user(chamber, ["admin"])
    sign_in(client, admin)

    response = client.get(f"/coordination/authorities/{chamber.id}")

    assert response.status_code == 403


# --- suspension of an authority -------------------------------------------------------------


def test_suspending_an_authority_ends_its_sessions_and_hides_it(
    client, other_client, app, coordinator, chamber, officer
):
    # Given a chamber officer signed in, and another officer who finds the chamber
    member = make_user(chamber, ["handler"])
    sign_in(other_client, member)
    assert is_signed_in(other_client)
    reader = app.test_client()
    sign_in(reader, officer)
    assert "Chamber of Physicians Berlin" in reader.get("/directory?q=physicians").get_data(True)
    sign_in(client, coordinator)

    # When the coordinator suspends the chamber
    response = press(client, chamber, "suspend", follow_redirects=True)

    # Then it is suspended, its officer is signed out at once and cannot act for it
    assert "The authority is suspended." in flashes(response)
    db.session.refresh(chamber)
    assert chamber.status == AuthorityStatus.SUSPENDED
    assert not is_signed_in(other_client)
    assert other_client.get("/directory").status_code == 302
    # and it has left the directory
    assert "Chamber of Physicians" not in reader.get("/directory?q=physicians").get_data(True)
    assert reader.get(f"/directory/{chamber.id}").status_code == 404
    # but the coordinator still finds it, to reactivate it
    listing = main_text(client.get("/coordination/"))
    assert "Chamber of Physicians Berlin" in listing

    # When the coordinator reactivates it
    response = press(client, chamber, "reactivate", follow_redirects=True)

    # Then it is back in the directory and its officer may sign in again
    assert "The authority is active again." in flashes(response)
    assert "Chamber of Physicians Berlin" in reader.get("/directory?q=physicians").get_data(True)
    assert password_step(other_client, member.email).status_code == 302


def test_coordinator_cannot_suspend_its_own_authority(client, coordinator, coordination_de):
    sign_in(client, coordinator)

    response = press(client, coordination_de, "suspend", follow_redirects=True)

    assert "You cannot suspend your own authority." in flashes(response)
    db.session.refresh(coordination_de)
    assert coordination_de.status == AuthorityStatus.ACTIVE
    assert is_signed_in(client)


def test_coordinator_of_another_country_cannot_reach_the_authority(
    client, coordinator_fr, chamber, procedures
):
    # Given the French coordinator signed in
    sign_in(client, coordinator_fr)
    token = csrf_token(client.get("/coordination/"))

    # When it opens, grants access to or suspends a German authority by id
    opened = client.get(f"/coordination/authorities/{chamber.id}")
    granted = client.post(
        f"/coordination/authorities/{chamber.id}",
        data={"csrf_token": token, "procedure": "pq_authenticity", "roles": ["responder"]},
    )
    suspended = client.post(
        f"/coordination/authorities/{chamber.id}/suspension",
        data={"csrf_token": token, "action": "suspend"},
    )

    # Then there is no such page for it, and nothing changes
    for response in (opened, granted, suspended):
        assert response.status_code == 404
        assert "Chamber of Physicians" not in response.get_data(True)
    db.session.refresh(chamber)
    assert chamber.status == AuthorityStatus.ACTIVE
    assert access_of(chamber) == {}
    assert "Chamber of Physicians" not in main_text(client.get("/coordination/"))


def test_delegated_coordinator_cannot_suspend_its_national_coordinator(
    client, coordinator, coordination_de, chamber, procedures
):
    # Given a delegated coordinator under the German national coordinator
    zab = make_authority(
        "DE",
        name="Central Office for Foreign Education",
        kind=AuthorityKind.DELEGATED_COORDINATOR,
        parent=coordination_de,
        coordinated_procedures=["pq_authenticity"],
    )
    delegate = make_user(zab, ["coordinator"])
    answers_diplomas(chamber)
    sign_in(client, delegate)

    # When it tries to suspend its national coordinator
    response = press_on(client, coordination_de, "suspend")

    # Then there is no such page for it, and the coordinator keeps working
    assert response.status_code == 404
    db.session.refresh(coordination_de)
    assert coordination_de.status == AuthorityStatus.ACTIVE
    assert client.get(f"/coordination/authorities/{coordination_de.id}").status_code == 404
    assert "Coordinator Germany" not in main_text(client.get("/coordination/"))
    # while the authorities it coordinates it still reaches
    assert client.get(f"/coordination/authorities/{chamber.id}").status_code == 200


def press_on(client, authority, action: str):
    """Post the suspension button without first opening the page (it may not exist)."""
    token = csrf_token(client.get("/coordination/"))
    return client.post(
        f"/coordination/authorities/{authority.id}/suspension",
        data={"csrf_token": token, "action": action},
    )


def test_procedure_names_appear_in_the_readers_language(client):
    # given an authority with access to a shipped procedure and a German-speaking officer
    from app.procedures import registry
    from app.procedures.store import sync

    sync()
    pack = registry(current_app)["pq_good_standing"]
    authority = make_authority("AT", name="Austrian Medical Chamber")
    db.session.add(
        ProcedureAccess(authority_id=authority.id, procedure_key=pack.key, roles=["responder"])
    )
    db.session.commit()
    sign_in(client, make_user(authority, ["viewer"], language="de"))
    # when the officer opens the authority's profile
    page = client.get(f"/directory/{authority.id}").get_data(True)
    # then the procedure is named in German, from the pack's catalog
    german = pack.gettext(pack.name, "de")
    assert german != pack.name and german in page
