"""The local administrator sets each role of a member in all legislative areas or in some
(the membership page), and the member then acts only in those."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Invitation, Membership
from app.models.base import utcnow
from app.procedures.store import sync
from tests.factories import make_authority, make_user, post_form, sign_in
from tests.web.governance.helpers import (
    accept_and_enrol,
    error_summary,
    flashes,
    form_values,
    main_text,
)


@pytest.fixture
def authority(app):
    sync()
    return make_authority("AT", name="Österreichische Ärztekammer")


@pytest.fixture
def admin(authority):
    return make_user(authority, ["admin"], email="admin@aerztekammer.example.eu")


@pytest.fixture
def colleague(authority):
    return make_user(authority, ["handler", "viewer"], email="colleague@aerztekammer.example.eu")


def membership(user) -> Membership:
    db.session.expire_all()
    return db.session.query(Membership).filter_by(user_id=user.id).one()


def test_a_role_is_set_to_some_areas_and_another_stays_in_all(client, admin, colleague):
    sign_in(client, admin)
    # given the member's page: every role in all areas, as every membership began
    opened = form_values(client.get(f"/users/{colleague.id}"))
    assert opened["scope_handler"] == "all" and opened["scope_viewer"] == "all"
    # when the handler role is limited to services, the viewer role left in all areas
    response = post_form(
        client,
        f"/users/{colleague.id}",
        {
            "roles": ["handler", "viewer"],
            "scope_handler": "some",
            "areas_handler": ["services"],
            "scope_viewer": "all",
        },
        follow_redirects=True,
    )
    # then it is saved, the list of users says where, and the page shows it again
    assert "The roles have been saved." in flashes(response)
    assert membership(colleague).role_areas == {"handler": ["services"]}
    assert "Handler (Freedom to provide services)" in main_text(response)
    again = form_values(client.get(f"/users/{colleague.id}"))
    assert again["scope_handler"] == "some" and again["areas_handler"] == ["services"]
    # when set back to all areas, then nothing is limited any more
    post_form(
        client,
        f"/users/{colleague.id}",
        {"roles": ["handler", "viewer"], "scope_handler": "all", "areas_handler": ["services"]},
    )
    assert membership(colleague).role_areas == {}


def test_some_areas_without_an_area_is_refused_with_the_values_kept(client, admin, colleague):
    sign_in(client, admin)
    # when "only the areas ticked" is chosen for the handler role with none ticked
    response = post_form(
        client,
        f"/users/{colleague.id}",
        {"roles": ["handler"], "scope_handler": "some", "scope_viewer": "some"},
    )
    # then one error, on the handler's areas (the viewer role is not ticked: not read)
    assert error_summary(response) == [
        "Tick the areas of this role, or choose all legislative areas."
    ]
    values = form_values(response)
    assert values["roles"] == ["handler"] and values["scope_handler"] == "some"
    assert membership(colleague).roles == ["handler", "viewer"]
    assert membership(colleague).role_areas == {}


def test_unknown_areas_and_roles_that_hold_for_the_whole_authority_are_not_limited(
    client, admin, colleague
):
    sign_in(client, admin)
    # when a forged form limits the handler to an area no procedure has
    response = post_form(
        client,
        f"/users/{colleague.id}",
        {"roles": ["handler"], "scope_handler": "some", "areas_handler": ["moon_mining"]},
    )
    # then it is refused and nothing changes
    assert error_summary(response) == [
        "Tick the areas of this role, or choose all legislative areas."
    ]
    assert membership(colleague).role_areas == {}
    # and the admin role (the whole authority's) is never limited to areas
    post_form(
        client,
        f"/users/{colleague.id}",
        {"roles": ["admin", "handler"], "scope_admin": "some", "areas_admin": ["services"]},
    )
    assert membership(colleague).role_areas == {}
    assert membership(colleague).roles == ["admin", "handler"]


# --- invitations ---------------------------------------------------------------------------

INVITED = "lena.gruber@aerztekammer.example.eu"


def _invite(client, **fields):
    data = {"full_name": "Lena Gruber", "email": INVITED, "roles": ["handler", "viewer"]}
    return post_form(client, "/users/invite", {**data, **fields}, follow_redirects=True)


def test_an_invitation_limits_a_role_to_some_areas_and_the_new_member_gets_them(
    client, other_client, admin, authority, smtp_server
):
    sign_in(client, admin)
    # given the invitation form: each role in all areas unless the admin says otherwise
    opened = form_values(client.get("/users/invite"))
    assert opened["scope_handler"] == "all" and opened["scope_viewer"] == "all"
    # when the admin invites a handler for services only, and a viewer in all areas
    response = _invite(client, scope_handler="some", areas_handler=["services"])
    # then the invitation carries the areas, and the membership made on acceptance too
    assert flashes(response) == [f"The invitation has been sent to {INVITED}."]
    invitation = db.session.query(Invitation).one()
    assert invitation.role_areas == {"handler": ["services"]}
    accept_and_enrol(other_client, smtp_server.link_in(INVITED), "Lena Gruber")
    lena = db.session.query(Membership).filter_by(authority_id=authority.id).all()
    [new] = [m for m in lena if m.user.email == INVITED]
    assert new.roles == ["handler", "viewer"] and new.role_areas == {"handler": ["services"]}


def test_an_invitation_with_some_areas_but_none_ticked_comes_back_with_its_values(
    client, admin, smtp_server
):
    sign_in(client, admin)

    response = _invite(client, scope_handler="some")

    assert error_summary(response) == [
        "Tick the areas of this role, or choose all legislative areas."
    ]
    values = form_values(response)
    assert (values["full_name"], values["email"]) == ("Lena Gruber", INVITED)
    assert values["roles"] == ["handler", "viewer"] and values["scope_handler"] == "some"
    assert db.session.query(Invitation).count() == 0 and smtp_server.messages == []


def test_a_member_joining_again_keeps_the_areas_of_the_roles_held(app, authority, colleague):
    from app.accounts import memberships

    held = membership(colleague)
    held.role_areas = {"handler": ["services"]}
    invitation = Invitation(
        token_hash="x" * 64,
        email=colleague.email,
        full_name=colleague.full_name,
        authority_id=authority.id,
        roles=["handler", "allocator"],
        role_areas={"handler": ["posting_of_workers"], "allocator": ["posting_of_workers"]},
        expires_at=utcnow() + timedelta(days=1),
    )
    db.session.add(invitation)
    db.session.commit()

    memberships.join(invitation, colleague)

    joined = membership(colleague)
    assert joined.roles == ["handler", "viewer", "allocator"]
    # the handler role keeps its areas; the role added comes with the invitation's
    assert joined.role_areas == {"handler": ["services"], "allocator": ["posting_of_workers"]}
