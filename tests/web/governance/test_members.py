"""A local administrator manages the users of their own authority: invite, add,
change roles, suspend and reactivate; nobody else's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.auth import user_by_email
from app.extensions import db
from app.models import AuthorityKind, Invitation, Membership
from app.models.accounts import UserStatus
from tests.factories import csrf_token, make_authority, make_user, post_form, sign_in
from tests.web.governance.helpers import (
    accept_and_enrol,
    error_summary,
    flashes,
    form_values,
    is_signed_in,
    mails_to,
    main_text,
    page,
    path_of,
    text,
    title,
)


@pytest.fixture
def authority(app):
    return make_authority("AT", name="Österreichische Ärztekammer")


@pytest.fixture
def admin(authority):
    return make_user(authority, ["admin", "handler"], email="admin@aerztekammer.example.eu")


@pytest.fixture
def colleague(authority):
    return make_user(authority, ["handler"], email="colleague@aerztekammer.example.eu")


@pytest.fixture
def stranger(app):
    """An officer of another Austrian authority."""
    other = make_authority("AT", name="Arbeitsinspektorat Wien")
    return make_user(other, ["admin"], email="stranger@arbeitsinspektorat.example.eu")


def membership_of(user, authority) -> Membership | None:
    return db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.authority_id == authority.id
        )
    )


def invite(client, email: str, full_name: str = "Lena Gruber", roles=("handler",), **kwargs):
    return post_form(
        client,
        "/users/invite",
        {"full_name": full_name, "email": email, "roles": list(roles)},
        **kwargs,
    )


def press(client, user_id: int, action: str, **kwargs):
    """Press the suspend or reactivate button on a member's page."""
    token = csrf_token(client.get(f"/users/{user_id}"))
    return client.post(
        f"/users/{user_id}/suspension", data={"csrf_token": token, "action": action}, **kwargs
    )


# --- the list ---------------------------------------------------------------------------


def test_members_page_lists_the_users_of_the_own_authority_only(client, admin, colleague, stranger):
    sign_in(client, admin)

    response = client.get("/users")

    assert response.status_code == 200
    body = main_text(response)
    assert colleague.email in body and colleague.full_name in body
    assert admin.email in body
    assert stranger.email not in body
    assert "2 members" in body


@pytest.mark.parametrize("roles", [["handler"], ["viewer"], ["allocator", "alert_handler"]])
def test_officer_who_is_not_administrator_is_refused(client, authority, colleague, roles):
    officer = make_user(authority, roles)
    sign_in(client, officer)

    for url in ("/users", "/users/invite", f"/users/{colleague.id}"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert colleague.email not in response.get_data(True)


def test_coordinator_is_no_administrator_of_other_authorities(client, admin, colleague):
    # A coordinator who is not an administrator of this authority reaches none of it.
    nimic = make_authority(
        "AT", name="Coordinator Austria", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    coordinator = make_user(nimic, ["coordinator", "admin"])
    sign_in(client, coordinator)

    assert client.get(f"/users/{colleague.id}").status_code == 404
    assert colleague.email not in main_text(client.get("/users"))


def test_member_of_another_authority_is_not_found(client, admin, stranger, authority):
    # Given an administrator signed in
    sign_in(client, admin)

    # When they open, change or suspend a user of another authority by id
    opened = client.get(f"/users/{stranger.id}")
    token = csrf_token(client.get("/users/invite"))
    roles = client.post(f"/users/{stranger.id}", data={"csrf_token": token, "roles": ["viewer"]})
    suspend = client.post(
        f"/users/{stranger.id}/suspension", data={"csrf_token": token, "action": "suspend"}
    )

    # Then there is no such page for them and nothing changes
    for response in (opened, roles, suspend):
        assert response.status_code == 404
        assert stranger.email not in response.get_data(True)
    db.session.refresh(stranger)
    assert stranger.status == UserStatus.ACTIVE
    assert stranger.memberships[0].roles == ["admin"]


# --- inviting -----------------------------------------------------------------------------


def test_invited_colleague_accepts_enrols_and_works_with_the_roles_chosen(
    client, other_client, admin, authority, smtp_server
):
    # Given the administrator signed in
    sign_in(client, admin)

    # When they invite a colleague as handler and viewer
    response = invite(
        client,
        "Lena.Gruber@aerztekammer.example.eu",
        roles=["handler", "viewer"],
        follow_redirects=True,
    )

    # Then the invitation is listed as open, and the colleague receives a link
    assert "The invitation has been sent to lena.gruber@aerztekammer.example.eu." in flashes(
        response
    )
    assert "lena.gruber@aerztekammer.example.eu" in main_text(client.get("/users"))
    [(subject, body)] = mails_to(smtp_server, "lena.gruber@aerztekammer.example.eu")
    assert subject == "You are invited to OpenIMI"
    assert "Österreichische Ärztekammer" in body
    link = smtp_server.link_in("lena.gruber@aerztekammer.example.eu")
    assert path_of(link).startswith("/invitation/")

    # When the colleague accepts on their own computer
    accept_and_enrol(other_client, link, "Lena Gruber")

    # Then they work for the authority with exactly those roles
    lena = user_by_email("lena.gruber@aerztekammer.example.eu")
    assert lena.status == UserStatus.ACTIVE
    assert membership_of(lena, authority).roles == ["handler", "viewer"]
    assert other_client.get("/directory").status_code == 200
    assert other_client.get("/users").status_code == 403
    # and the administrator sees them as an active member
    listing = main_text(client.get("/users"))
    assert "Lena Gruber" in listing
    assert "Invitations not yet accepted" not in listing


def test_invitation_without_a_role_is_refused(client, admin, smtp_server):
    sign_in(client, admin)

    response = invite(client, "lena.gruber@aerztekammer.example.eu", roles=())

    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert error_summary(response) == ["Choose at least one role."]
    # the summary leads to the first box, and the error sits in the roles' fieldset,
    # whose legend names the question and which the error describes
    root = page(response)
    link = root.find(".//div[@class='error-summary']//a")
    assert link.get("href") == "#roles-0"
    assert root.find(".//input[@id='roles-0']").get("type") == "checkbox"
    fieldset = root.find(".//fieldset[legend]")
    assert text(fieldset.find("legend")) == "Roles"
    assert fieldset.find("p[@id='roles-error']") is not None
    assert "roles-error" in fieldset.get("aria-describedby", "").split()
    values = form_values(response)
    assert values["full_name"] == "Lena Gruber"
    assert values["email"] == "lena.gruber@aerztekammer.example.eu"
    assert db.session.query(Invitation).count() == 0
    assert smtp_server.messages == []


def test_unknown_role_cannot_be_given(client, admin, smtp_server):
    # The coordinator role is not a local administrator's to give.
    sign_in(client, admin)

    response = invite(client, "lena.gruber@aerztekammer.example.eu", roles=["coordinator"])

    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert db.session.query(Invitation).count() == 0


@pytest.mark.parametrize(
    "spelling", ["colleague@aerztekammer.example.eu", "Colleague@AerzteKammer.example.eu"]
)
def test_inviting_an_existing_member_is_refused(client, admin, colleague, smtp_server, spelling):
    sign_in(client, admin)

    response = invite(client, spelling, full_name="Again")

    assert response.status_code == 200
    assert error_summary(response) == ["This person is already a member of your authority."]
    assert form_values(response)["email"] == spelling
    assert db.session.query(Invitation).count() == 0
    assert smtp_server.messages == []


def test_person_with_an_account_is_invited_to_join(
    client, other_client, admin, stranger, authority, smtp_server
):
    # Given an officer of another authority, who already has an account
    sign_in(client, admin)

    # When the administrator invites them as viewer
    response = invite(client, stranger.email, full_name="Whatever", roles=["viewer"])
    listing = client.get("/users")

    # Then they are invited, as anyone would be, and not yet a member
    assert response.status_code == 302
    assert f"The invitation has been sent to {stranger.email}." in flashes(listing)
    assert membership_of(stranger, authority) is None
    [(subject, _)] = mails_to(smtp_server, stranger.email)
    assert subject == "You are invited to join Österreichische Ärztekammer in OpenIMI"

    # When they open the link signed in and join
    link = path_of(smtp_server.link_in(stranger.email))
    sign_in(other_client, stranger)
    post_form(other_client, link, {})

    # Then they are a member with that role, and their other membership is untouched
    assert membership_of(stranger, authority).roles == ["viewer"]
    assert len(stranger.memberships) == 2
    assert stranger.email in main_text(client.get("/users"))


# --- roles --------------------------------------------------------------------------------


def test_administrator_changes_a_members_roles(client, admin, colleague, authority):
    sign_in(client, admin)
    opened = client.get(f"/users/{colleague.id}")
    assert form_values(opened)["roles"] == ["handler"]

    response = post_form(
        client, f"/users/{colleague.id}", {"roles": ["allocator", "viewer"]}, follow_redirects=True
    )

    assert "The roles have been saved." in flashes(response)
    assert membership_of(colleague, authority).roles == ["allocator", "viewer"]
    assert form_values(client.get(f"/users/{colleague.id}"))["roles"] == ["allocator", "viewer"]


def test_roles_outside_the_list_are_ignored(client, admin, colleague, authority):
    # A forged form cannot give the coordinator role.
    sign_in(client, admin)

    response = post_form(client, f"/users/{colleague.id}", {"roles": ["viewer", "coordinator"]})

    assert response.status_code == 200
    assert membership_of(colleague, authority).roles == ["handler"]


def test_administrator_cannot_remove_their_own_administrator_role(client, admin, authority):
    sign_in(client, admin)

    response = post_form(client, f"/users/{admin.id}", {"roles": ["handler"]})

    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert error_summary(response) == ["You cannot remove your own administrator role."]
    assert form_values(response)["roles"] == ["handler"]
    assert membership_of(admin, authority).roles == ["admin", "handler"]
    assert client.get("/users").status_code == 200


# --- suspension ---------------------------------------------------------------------------


def test_suspended_member_loses_the_authority_at_the_next_request_and_can_return(
    client, other_client, admin, colleague
):
    # Given a colleague signed in on their own computer
    sign_in(other_client, colleague)
    assert other_client.get("/directory").status_code == 200
    sign_in(client, admin)

    # When the administrator suspends their access to the authority
    response = press(client, colleague.id, "suspend", follow_redirects=True)

    # Then their session has no authority at its next request (they have no other),
    # while the account itself stays active
    assert "Access to your authority is suspended for this user." in flashes(response)
    assert other_client.get("/directory").status_code == 403
    db.session.refresh(colleague)
    assert colleague.status == UserStatus.ACTIVE
    assert "suspended" in main_text(client.get("/users"))

    # When the administrator gives the access back
    response = press(client, colleague.id, "reactivate", follow_redirects=True)

    # Then they work for the authority again
    assert "Access to your authority is active again for this user." in flashes(response)
    assert other_client.get("/directory").status_code == 200


def test_administrator_cannot_suspend_themselves(client, admin):
    sign_in(client, admin)

    response = press(client, admin.id, "suspend", follow_redirects=True)

    assert "You cannot suspend yourself." in flashes(response)
    db.session.refresh(admin)
    assert admin.status == UserStatus.ACTIVE
    assert is_signed_in(client)


def test_a_second_invitation_to_the_same_person_replaces_the_first(
    client, other_client, admin, authority, smtp_server
):
    # Given a colleague invited, then invited again with more roles (the first mail lost)
    sign_in(client, admin)
    invite(client, "lena.gruber@aerztekammer.example.eu", roles=["viewer"])
    first = smtp_server.link_in("lena.gruber@aerztekammer.example.eu")
    invite(client, "lena.gruber@aerztekammer.example.eu", roles=["viewer", "handler"])
    second = smtp_server.link_in("lena.gruber@aerztekammer.example.eu")
    assert first != second

    # Then the first link no longer works, and the second makes her a member
    assert other_client.get(path_of(first)).status_code == 404
    accept_and_enrol(other_client, second, "Lena Gruber")
    lena = user_by_email("lena.gruber@aerztekammer.example.eu")
    assert lena.status == UserStatus.ACTIVE
    assert sorted(membership_of(lena, authority).roles) == ["handler", "viewer"]
    assert "Invitations not yet accepted" not in main_text(client.get("/users"))


def test_an_authoritys_work_goes_to_the_first_role_its_active_officers_hold(
    authority, admin, colleague
):
    from app.accounts.memberships import officers_with
    from app.models.base import utcnow

    # Given two handlers, an allocator whose membership is suspended and an alert handler
    # whose account is
    allocator = make_user(authority, ["allocator"])
    membership_of(allocator, authority).suspended_at = utcnow()
    alert_handler = make_user(authority, ["alert_handler"])
    alert_handler.status = UserStatus.SUSPENDED
    db.session.commit()

    # Then work meant for its allocators, else its handlers, goes to the handlers
    assert {u.id for u in officers_with(authority.id, "allocator", "handler")} == {
        admin.id,
        colleague.id,
    }
    assert officers_with(authority.id, "alert_handler", "coordinator") == []

    # And once the allocator is back, to the allocator alone
    membership_of(allocator, authority).suspended_at = None
    db.session.commit()
    assert officers_with(authority.id, "allocator", "handler") == [allocator]
