"""From approval to a signed-in local administrator: the applicant follows the mailed
link, chooses a password, sets up the authenticator app and keeps recovery codes."""

from __future__ import annotations

import time_machine

from app.accounts.auth import user_by_email
from app.extensions import db
from app.models import AuthorityStatus, Invitation, Membership
from app.models.accounts import UserStatus
from tests.factories import csrf_token, make_authority, make_user, post_form, sign_in
from tests.web.governance.conftest import APPLICATION, application, registration
from tests.web.governance.helpers import (
    GOOD_PASSWORD,
    LINK_BROKEN,
    accept_and_enrol,
    error_summary,
    form_values,
    mails_to,
    main_text,
    page,
    path_of,
    text,
    title,
)

APPLICANT = APPLICATION["applicant_email"]
FROZEN = "2030-03-04 10:00:07+00:00"


def approved_link(client, coordinator, smtp_server) -> tuple[str, int]:
    """A German application approved by the coordinator: the link mailed, the id."""
    registration_id = application("DE")
    sign_in(client, coordinator)
    response = post_form(
        client, f"/coordination/registrations/{registration_id}", {"decision": "approve"}
    )
    assert response.status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(client.get("/"))})
    return smtp_server.link_in(APPLICANT), registration_id


def choose(client, path: str, full_name: str, password: str, confirm: str | None = None):
    return post_form(
        client,
        path,
        {"full_name": full_name, "password": password, "confirm": confirm or password},
    )


def test_applicant_becomes_the_signed_in_administrator_of_the_new_authority(
    client, coordinator, smtp_server
):
    # Given an approved application and its mailed link, opened in an English browser
    link, registration_id = approved_link(client, coordinator, smtp_server)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    path = path_of(link)
    authority = registration(registration_id).authority

    # When the applicant opens it
    opened = client.get(path)

    # Then they see for which authority and address they are invited, with their name
    assert opened.status_code == 200
    assert "Chamber of Crafts Leipzig" in main_text(opened)
    assert APPLICANT in main_text(opened)
    assert form_values(opened)["full_name"] == "Jana Köhler"

    # When they choose a password that is too short
    response = choose(client, path, "Jana Maria Köhler", "short pw 1")

    # Then it is refused, and the name they typed is kept
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert error_summary(response) == ["Use at least 12 characters."]
    assert form_values(response)["full_name"] == "Jana Maria Köhler"
    assert form_values(response)["password"] == ""  # passwords are never sent back

    # When they choose a common password
    response = choose(client, path, "Jana Maria Köhler", "password1234")

    # Then it is refused too
    assert error_summary(response) == [
        "This password is too common or too easy to guess. Try a few unrelated words."
    ]
    assert form_values(response)["full_name"] == "Jana Maria Köhler"

    # When the two passwords differ
    response = choose(client, path, "Jana Maria Köhler", GOOD_PASSWORD, GOOD_PASSWORD + "!")
    assert error_summary(response) == ["The two passwords differ."]
    assert user_by_email(APPLICANT) is None

    # When they choose a good one, set up the authenticator app and confirm a code
    codes = accept_and_enrol(client, link, "Jana Maria Köhler")

    # Then they see ten recovery codes
    assert len(codes) == 10 and len(set(codes)) == 10
    # and are signed in as the local administrator of the new authority
    user = user_by_email(APPLICANT)
    assert user.full_name == "Jana Maria Köhler"
    assert user.status == UserStatus.ACTIVE
    assert user.totp_enrolled
    [membership] = db.session.query(Membership).filter_by(user_id=user.id).all()
    assert membership.authority_id == authority.id
    assert membership.roles == ["admin"]
    home = client.get("/")
    assert "Signed in as Jana Maria Köhler for Chamber of Crafts Leipzig" in text(
        page(home).find(".//header")
    )
    users = client.get("/users")
    assert users.status_code == 200
    assert APPLICANT in main_text(users)


def test_invitation_link_works_only_once(client, other_client, coordinator, smtp_server):
    # Given an applicant who has accepted the invitation
    link, _ = approved_link(client, coordinator, smtp_server)
    stale_tab = other_client.get(path_of(link))
    accept_and_enrol(client, link, "Jana Köhler")

    # When the link is opened again, or a form opened before is sent
    again = other_client.get(path_of(link))
    resent = other_client.post(
        path_of(link),
        data={
            "csrf_token": csrf_token(stale_tab),
            "full_name": "Someone Else",
            "password": "another harbour choice 77",
            "confirm": "another harbour choice 77",
        },
    )

    # Then it does not work, and the account keeps its name and password
    for response in (again, resent):
        assert response.status_code == 404
        assert title(response).startswith(LINK_BROKEN)
    user = user_by_email(APPLICANT)
    assert user.full_name == "Jana Köhler"
    assert db.session.query(Membership).filter_by(user_id=user.id).count() == 1


def test_invitation_expires_after_seven_days(client, coordinator, smtp_server):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        # Given an approved application
        link, _ = approved_link(client, coordinator, smtp_server)
        path = path_of(link)

        # When the applicant opens the link a minute before the 7 days are over
        traveller.shift(7 * 24 * 3600 - 60)
        assert client.get(path).status_code == 200

        # Then, two minutes later, the link no longer works
        traveller.shift(120)
        response = client.get(path)
        assert response.status_code == 404
        assert title(response).startswith(LINK_BROKEN)
        assert LINK_BROKEN in main_text(response)

        # and a password sent with it creates no account
        token = csrf_token(client.get("/register"))
        response = client.post(
            path,
            data={
                "csrf_token": token,
                "full_name": "Jana Köhler",
                "password": GOOD_PASSWORD,
                "confirm": GOOD_PASSWORD,
            },
        )
        assert response.status_code == 404
        assert user_by_email(APPLICANT) is None


def test_made_up_invitation_link_does_not_work(client):
    response = client.get("/invitation/" + "A" * 43)

    assert response.status_code == 404
    assert title(response).startswith(LINK_BROKEN)


def test_invitation_to_an_authority_suspended_meanwhile_does_not_work(
    client, coordinator, smtp_server
):
    # Given an approved application whose authority was then suspended
    link, registration_id = approved_link(client, coordinator, smtp_server)
    registration(registration_id).authority.status = AuthorityStatus.SUSPENDED
    db.session.commit()

    # When the applicant opens the link
    response = client.get(path_of(link))

    # Then it does not work
    assert response.status_code == 404
    assert db.session.query(Invitation).one().accepted_at is None


def test_applicant_who_already_has_an_account_joins_signed_in_as_administrator(
    client, other_client, coordinator, smtp_server
):
    # Given an officer of another German authority applies for a new authority
    officer = make_user(make_authority("DE", name="Labour Office Leipzig"), ["handler"])
    registration_id = application("DE", applicant_email=officer.email.upper())

    # When the coordinator approves the application
    sign_in(client, coordinator)
    post_form(client, f"/coordination/registrations/{registration_id}", {"decision": "approve"})

    # Then the officer is invited to join it, not yet a member (anyone may type an address)
    authority_id = registration(registration_id).authority_id
    assert db.session.query(Membership).filter_by(authority_id=authority_id).count() == 0
    [(subject, _)] = [m for m in mails_to(smtp_server, officer.email) if "join" in m[0]]
    assert subject == "You are invited to join Chamber of Crafts Leipzig in OpenIMI"

    # When the officer, signed in, opens the link and joins
    sign_in(other_client, officer)
    post_form(other_client, path_of(smtp_server.link_in(officer.email)), {})

    # Then they are the new authority's administrator, with no second account
    membership = db.session.query(Membership).filter_by(authority_id=authority_id).one()
    assert membership.user_id == officer.id
    assert membership.roles == ["admin"]
