"""Security review, finding F2: any authority's administrator controlled any account.

An existing account invited to another authority joins only by accepting, signed in as
itself; a local administrator suspends the membership in their own authority, never the
account; the account (sign-in) is suspended by the coordinators who govern every one of
its authorities, after a confirmation. Who may act is a table, sent through HTTP; a
refused attempt changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    AuditEvent,
    AuthorityKind,
    Invitation,
    Membership,
    Procedure,
    ProcedureAccess,
    User,
)
from app.models.accounts import UserStatus
from app.models.base import utcnow
from tests.factories import csrf_token, make_authority, make_user, post_form, sign_in
from tests.web.governance.helpers import (
    LINK_BROKEN,
    error_summary,
    flashes,
    form_values,
    is_signed_in,
    mails_to,
    main_text,
    page,
    password_step,
    path_of,
    text,
    title,
)

STANDING = "pq_good_standing"


@pytest.fixture
def people(app) -> dict[str, User]:
    """Greece: a council (administrator, handler, a handler who also works in France, a
    user of both whose account the coordinators suspended, one of the council only, one
    whose council membership is suspended), the customs, the national coordinator and a
    delegated one for good standing. France: its coordinator and an
    authority. The Commission."""
    db.session.add(Procedure(key=STANDING, name="Good standing", policy_area="pq"))
    db.session.commit()
    nimic_gr = make_authority(
        "GR", name="Coordinator Greece", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    delegated = make_authority(
        "GR",
        name="Delegate Greece",
        kind=AuthorityKind.DELEGATED_COORDINATOR,
        parent=nimic_gr,
        coordinated_procedures=[STANDING],
    )
    council = make_authority("GR", name="Hellenic Medical Council", parent=nimic_gr)
    db.session.add(
        ProcedureAccess(authority_id=council.id, procedure_key=STANDING, roles=["responder"])
    )
    customs = make_authority("GR", name="Greek Customs", parent=nimic_gr)
    nimic_fr = make_authority("FR", name="Coordinator FR", kind=AuthorityKind.NATIONAL_COORDINATOR)
    ordre = make_authority("FR", name="Ordre des médecins", parent=nimic_fr)
    commission = make_authority("EU", name="European Commission", kind=AuthorityKind.COMMISSION)
    people = {
        "admin_gr": make_user(council, ["admin"], email="admin.gr@demo.openimi.eu"),
        "handler_gr": make_user(council, ["handler"], email="handler.gr@example.eu"),
        "shared": make_user(council, ["handler"], email="shared@example.eu"),
        "held": make_user(council, ["handler"], email="held@example.eu"),
        "held_gr": make_user(council, ["handler"], status=UserStatus.SUSPENDED),
        "paused": make_user(council, ["handler"]),
        "customs_gr": make_user(customs, ["handler"], email="customs.gr@example.eu"),
        "coordinator_gr": make_user(nimic_gr, ["coordinator", "admin"]),
        "delegate_gr": make_user(delegated, ["coordinator"]),
        "coordinator_fr": make_user(
            nimic_fr, ["coordinator", "admin"], email="coordinator.fr@demo.openimi.eu"
        ),
        "admin_fr": make_user(ordre, ["admin"], email="admin.fr@example.eu"),
        "commission": make_user(commission, ["coordinator", "admin"]),
    }
    for name in ("shared", "held"):
        db.session.add(
            Membership(user_id=people[name].id, authority_id=ordre.id, roles=["handler"])
        )
    people["held"].status = UserStatus.SUSPENDED
    people["paused"].memberships[0].suspended_at = utcnow()
    db.session.commit()
    return people


def memberships_of(user: User) -> dict[str, tuple[list[str], bool]]:
    """Authority name -> (roles, suspended) of every membership of the user."""
    rows = db.session.scalars(select(Membership).where(Membership.user_id == user.id))
    return {m.authority.name: (m.roles, m.suspended_at is not None) for m in rows}


def snapshot(user: User) -> tuple:
    db.session.expire_all()
    return db.session.get(User, user.id).status, memberships_of(user)


def invite(client, email: str, full_name: str = "Nikos Papadopoulos", roles=("viewer",), **kwargs):
    data = {"full_name": full_name, "email": email, "roles": list(roles)}
    return post_form(client, "/users/invite", data, **kwargs)


def act(client, action: str, user_id: int):
    """Send an action as a browser would (the token of a page every officer has)."""
    token = csrf_token(client.get("/account"))
    what, verb = action.split("_", 1)
    url = (
        f"/users/{user_id}/suspension"
        if what == "membership"
        else f"/coordination/users/{user_id}/suspension"
    )
    return client.post(url, data={"csrf_token": token, "action": verb})


# --- who may suspend what -----------------------------------------------------------------

# fmt: off
MEMBER_TABLE = [
    # actor             target member     action                   status  what changes
    ("admin_gr",        "handler_gr",     "membership_suspend",    302,    "membership"),
    ("admin_gr",        "shared",         "membership_suspend",    302,    "membership"),
    ("admin_gr",        "admin_gr",       "membership_suspend",    302,    None),  # not oneself
    ("admin_gr",        "coordinator_fr", "membership_suspend",    404,    None),
    ("admin_gr",        "admin_fr",       "membership_suspend",    404,    None),
    ("admin_gr",        "held",           "membership_reactivate", 302,    None),  # not the account
    ("admin_gr",        "paused",         "membership_reactivate", 302,    "membership"),
    ("admin_fr",        "paused",         "membership_reactivate", 404,    None),
    ("admin_fr",        "handler_gr",     "membership_suspend",    404,    None),
    ("handler_gr",      "shared",         "membership_suspend",    403,    None),
    ("coordinator_gr",  "handler_gr",     "membership_suspend",    404,    None),
    ("admin_gr",        "handler_gr",     "account_suspend",       403,    None),
    ("coordinator_gr",  "handler_gr",     "account_suspend",       302,    "account"),
    ("coordinator_gr",  "shared",         "account_suspend",       403,    None),  # also French
    ("coordinator_gr",  "held",           "account_reactivate",    403,    None),  # also French
    ("coordinator_gr",  "held_gr",        "account_reactivate",    302,    "account"),
    ("coordinator_gr",  "coordinator_gr", "account_suspend",       302,    None),  # not oneself
    ("delegate_gr",     "handler_gr",     "account_suspend",       302,    "account"),
    ("delegate_gr",     "customs_gr",     "account_suspend",       404,    None),
    ("coordinator_fr",  "handler_gr",     "account_suspend",       404,    None),
    ("coordinator_fr",  "shared",         "account_suspend",       403,    None),  # also Greek
    ("commission",      "handler_gr",     "account_suspend",       404,    None),
]
# fmt: on


@pytest.mark.parametrize(("actor", "target", "action", "status", "changes"), MEMBER_TABLE)
def test_f2_who_suspends_which_member(client, people, actor, target, action, status, changes):
    # Given the actor signed in, and the target member as they are
    sign_in(client, people[actor])
    before = snapshot(people[target])

    # When the actor acts on the member
    response = act(client, action, people[target].id)

    # Then the answer is the table's, and only an allowed action changes anything: the
    # account's status, or a membership, never both
    assert response.status_code == status
    after = snapshot(people[target])
    changed = {"account": after[0] != before[0], "membership": after[1] != before[1]}
    assert changed == {"account": changes == "account", "membership": changes == "membership"}


def test_f2_admin_cannot_suspend_foreign_account(client, other_client, people):
    # Given the French coordinator signed in, and the Greek administrator
    sign_in(other_client, people["coordinator_fr"])
    sign_in(client, people["admin_gr"])

    # When the administrator invites the French coordinator, then suspends them
    invite(client, "coordinator.fr@demo.openimi.eu")
    response = act(client, "membership_suspend", people["coordinator_fr"].id)

    # Then the coordinator is no member of the council, and its account keeps working
    assert response.status_code == 404
    assert memberships_of(people["coordinator_fr"]) == {
        "Coordinator FR": (["coordinator", "admin"], False)
    }
    assert db.session.get(User, people["coordinator_fr"].id).status == UserStatus.ACTIVE
    assert is_signed_in(other_client)


def acting_for(client) -> str:
    """The header's "Signed in as ... for ..." line."""
    line = page(client.get("/")).find(".//p[@class='wrap acting-as']")
    return "" if line is None else text(line)


def switch_to(client, authority_id: int):
    token = csrf_token(client.get("/account"))
    return client.post(
        "/account/authority", data={"csrf_token": token, "authority_id": authority_id}
    )


def test_f2_suspended_membership_leaves_the_account_and_other_authorities_working(
    app, client, other_client, people
):
    # Given the shared handler signed in and acting for the Greek council
    shared = people["shared"]
    council_id = db.session.scalar(
        select(Membership.authority_id).where(Membership.user_id == people["admin_gr"].id)
    )
    sign_in(other_client, shared)
    switch_to(other_client, council_id)
    assert acting_for(other_client).endswith("for Hellenic Medical Council")

    # When the council's administrator suspends the membership
    sign_in(client, people["admin_gr"])
    response = act(client, "membership_suspend", shared.id)
    shown = client.get(response.headers["Location"])
    assert "Access to your authority is suspended for this user." in flashes(shown)
    assert "suspended" in main_text(shown)

    # Then at its next request the session acts for the French authority
    assert acting_for(other_client).endswith("for Ordre des médecins")
    # and the council is neither offered nor reachable by switching
    assert "Hellenic Medical Council" not in main_text(other_client.get("/account"))
    switch_to(other_client, council_id)
    assert acting_for(other_client).endswith("for Ordre des médecins")
    # and the account still signs in
    assert db.session.get(User, shared.id).status == UserStatus.ACTIVE
    assert password_step(app.test_client(), shared.email).status_code == 302

    # When the administrator reactivates the membership
    act(client, "membership_reactivate", shared.id)

    # Then the council may be chosen again
    switch_to(other_client, council_id)
    assert acting_for(other_client).endswith("for Hellenic Medical Council")


def test_f2_admin_confirms_before_suspending_a_membership(client, people):
    # Given the administrator on a member's page
    sign_in(client, people["admin_gr"])
    handler = people["handler_gr"]
    before = snapshot(handler)

    # When they follow the suspend link
    confirm = client.get(f"/users/{handler.id}/suspension")

    # Then a confirmation says what will happen, and nothing has happened yet
    assert confirm.status_code == 200
    assert title(confirm).startswith(f"Suspend access for {handler.full_name}?")
    assert "Their account and their other authorities keep working." in main_text(confirm)
    assert snapshot(handler) == before

    # When they confirm
    client.post(
        f"/users/{handler.id}/suspension",
        data={"csrf_token": csrf_token(confirm), "action": "suspend"},
    )

    # Then the membership is suspended
    assert memberships_of(handler)["Hellenic Medical Council"] == (["handler"], True)


def test_f2_member_with_no_other_authority_loses_every_officer_page(client, other_client, people):
    sign_in(other_client, people["handler_gr"])
    sign_in(client, people["admin_gr"])

    act(client, "membership_suspend", people["handler_gr"].id)

    refused = other_client.get("/requests")
    assert refused.status_code == 403
    assert "you cannot act for any authority at the moment" in main_text(refused)
    assert db.session.get(User, people["handler_gr"].id).status == UserStatus.ACTIVE


# --- the coordinators' account suspension -------------------------------------------------


def test_f2_coordinator_suspends_an_account_after_a_confirmation(client, other_client, people):
    # Given the Greek handler signed in, and the Greek coordinator on the council's page
    handler = people["handler_gr"]
    sign_in(other_client, handler)
    sign_in(client, people["coordinator_gr"])
    council = db.session.scalar(
        select(Membership).where(Membership.user_id == handler.id)
    ).authority
    authority_page = client.get(f"/coordination/authorities/{council.id}")
    assert handler.full_name in main_text(authority_page)

    # When it opens the user's page and the suspension's confirmation
    user_page = client.get(f"/coordination/users/{handler.id}")
    assert user_page.status_code == 200
    assert "Hellenic Medical Council" in main_text(user_page)
    confirm = client.get(f"/coordination/users/{handler.id}/suspension")
    assert confirm.status_code == 200
    assert handler.full_name in title(confirm)
    assert db.session.get(User, handler.id).status == UserStatus.ACTIVE  # not yet

    # When it confirms
    response = client.post(
        f"/coordination/users/{handler.id}/suspension",
        data={"csrf_token": csrf_token(confirm), "action": "suspend"},
        follow_redirects=True,
    )

    # Then the account is suspended, its session ends, and the action is audited
    assert "The account is suspended." in flashes(response)
    db.session.expire_all()
    assert db.session.get(User, handler.id).status == UserStatus.SUSPENDED
    assert not is_signed_in(other_client)
    assert password_step(other_client, handler.email).status_code == 200
    row = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.suspended")).one()
    assert (row.actor_id, row.object_id) == (people["coordinator_gr"].id, str(handler.id))

    # When it reactivates the account from the user's page
    response = client.post(
        f"/coordination/users/{handler.id}/suspension",
        data={
            "csrf_token": csrf_token(client.get(f"/coordination/users/{handler.id}")),
            "action": "reactivate",
        },
        follow_redirects=True,
    )

    # Then the user may sign in again
    assert "The account is active again." in flashes(response)
    assert password_step(other_client, handler.email).status_code == 302


def test_f2_account_suspension_needs_the_csrf_token(client, people):
    sign_in(client, people["coordinator_gr"])

    response = client.post(
        f"/coordination/users/{people['handler_gr'].id}/suspension", data={"action": "suspend"}
    )

    assert response.status_code == 400
    assert db.session.get(User, people["handler_gr"].id).status == UserStatus.ACTIVE


def test_f2_coordinator_of_some_authorities_only_is_told_who_decides(client, people):
    sign_in(client, people["coordinator_gr"])

    user_page = client.get(f"/coordination/users/{people['shared'].id}")
    confirm = client.get(f"/coordination/users/{people['shared'].id}/suspension")

    assert user_page.status_code == 200
    body = main_text(user_page)
    assert "Ordre des médecins" not in body  # another country's authority is not named
    assert "1 authority you do not coordinate" in body
    assert confirm.status_code == 403


# --- invitations to an existing account ----------------------------------------------------


def test_f2_existing_account_joins_only_by_accepting_signed_in(
    app, client, other_client, people, smtp_server
):
    # Given the Greek administrator invites the French coordinator's address
    sign_in(client, people["admin_gr"])
    response = invite(client, "Coordinator.FR@demo.openimi.eu", follow_redirects=True)

    # Then the reply is an invitation sent, and nobody was added
    assert "The invitation has been sent to coordinator.fr@demo.openimi.eu." in flashes(response)
    assert "added" not in " ".join(flashes(response))
    coordinator = people["coordinator_fr"]
    assert memberships_of(coordinator) == {"Coordinator FR": (["coordinator", "admin"], False)}
    [(subject, _body)] = mails_to(smtp_server, coordinator.email)
    assert subject == "You are invited to join Hellenic Medical Council in OpenIMI"
    link = path_of(smtp_server.link_in(coordinator.email))

    # When an anonymous visitor opens the link, they are sent to sign in first
    anonymous = other_client.get(link)
    assert anonymous.status_code == 302
    assert "/sign-in" in anonymous.headers["Location"]
    assert "invitation" in anonymous.headers["Location"]
    # and a password sent with the link changes nothing
    token = csrf_token(other_client.get("/register"))
    forged = other_client.post(
        link,
        data={"csrf_token": token, "full_name": "X", "password": "p" * 20, "confirm": "p" * 20},
    )
    assert forged.status_code == 302
    assert memberships_of(coordinator) == {"Coordinator FR": (["coordinator", "admin"], False)}

    # When another signed-in user opens it, or sends its button
    stranger = app.test_client()
    sign_in(stranger, people["admin_fr"])
    refused = stranger.get(link)
    pressed = stranger.post(link, data={"csrf_token": csrf_token(stranger.get("/account"))})

    # Then it is refused and nobody joins
    assert refused.status_code == 403 and pressed.status_code == 403
    assert "Hellenic Medical Council" not in memberships_of(people["admin_fr"])
    assert "Hellenic Medical Council" not in memberships_of(coordinator)

    # When the invited user signs in and opens it
    sign_in(other_client, coordinator)
    opened = other_client.get(link)

    # Then they read which authority and roles they would join, and a button
    assert opened.status_code == 200
    assert "Join Hellenic Medical Council with the roles: Viewer" in main_text(opened)
    assert db.session.scalar(select(Invitation.accepted_at)) is None

    # When they accept
    accepted = other_client.post(
        link, data={"csrf_token": csrf_token(opened)}, follow_redirects=True
    )

    # Then they are a member with those roles, and the link is used up
    assert "You are now a member of Hellenic Medical Council." in flashes(accepted)
    assert memberships_of(coordinator)["Hellenic Medical Council"] == (["viewer"], False)
    assert title(other_client.get(link)).startswith(LINK_BROKEN)


def test_f2_an_account_whose_address_has_capitals_joins_too(
    app, client, other_client, people, smtp_server
):
    # Given an account signed up as "Mixed.Case@…", invited by its address in lower case
    member = make_user(
        make_authority("GR", name="Other council"), ["handler"], email="Mixed.Case@example.eu"
    )
    sign_in(client, people["admin_gr"])
    invite(client, "mixed.case@example.eu")
    link = path_of(smtp_server.link_in("mixed.case@example.eu"))

    # When its owner opens the link signed in and accepts
    sign_in(other_client, member)
    opened = other_client.get(link)
    accepted = other_client.post(link, data={"csrf_token": csrf_token(opened)})

    # Then they join (the addresses are the same address)
    assert opened.status_code == 200 and accepted.status_code == 302
    assert "Hellenic Medical Council" in memberships_of(member)


def test_f2_invitation_reply_is_the_same_with_or_without_an_account(client, people, smtp_server):
    # Given the Greek administrator
    sign_in(client, people["admin_gr"])

    # When they invite an address with an account, and one without
    replies, shown = [], []
    for email in ("admin.fr@example.eu", "new.person@example.eu"):
        replies.append(invite(client, email))
        shown.append(flashes(client.get(replies[-1].headers["Location"])))

    # Then both replies are alike, both invitations are listed, and each address gets one mail
    assert [r.status_code for r in replies] == [302, 302]
    assert len({r.headers["Location"] for r in replies}) == 1
    assert shown == [
        ["The invitation has been sent to admin.fr@example.eu."],
        ["The invitation has been sent to new.person@example.eu."],
    ]
    listing = client.get("/users")
    assert "admin.fr@example.eu" in main_text(listing)
    assert "new.person@example.eu" in main_text(listing)
    assert len(mails_to(smtp_server, "admin.fr@example.eu")) == 1
    assert len(mails_to(smtp_server, "new.person@example.eu")) == 1


# --- invitations: cancel and replace ---------------------------------------------------------


def test_f2_admin_cancels_an_open_invitation(client, other_client, people, smtp_server):
    # Given an open invitation
    sign_in(client, people["admin_gr"])
    invite(client, "new.person@example.eu")
    link = path_of(smtp_server.link_in("new.person@example.eu"))
    invitation_id = db.session.scalar(select(Invitation.id))

    # When the administrator presses its cancel button on the members page
    listing = client.get("/users")
    response = client.post(
        f"/users/invitations/{invitation_id}/cancel",
        data={"csrf_token": csrf_token(listing)},
        follow_redirects=True,
    )

    # Then it is gone and its link no longer works
    assert "The invitation has been cancelled." in flashes(response)
    assert "new.person@example.eu" not in main_text(response)
    assert other_client.get(link).status_code == 404


def test_f2_admin_cannot_cancel_another_authoritys_invitation(
    client, other_client, people, smtp_server
):
    sign_in(other_client, people["admin_fr"])
    invite(other_client, "new.person@example.eu")
    invitation_id = db.session.scalar(select(Invitation.id))
    sign_in(client, people["admin_gr"])

    response = client.post(
        f"/users/invitations/{invitation_id}/cancel",
        data={"csrf_token": csrf_token(client.get("/users"))},
    )

    assert response.status_code == 404
    assert db.session.scalar(select(Invitation.id)) == invitation_id


def test_f2_reinviting_replaces_the_earlier_link(client, other_client, people, smtp_server):
    # Given an address invited, then invited again with other roles
    sign_in(client, people["admin_gr"])
    invite(client, "new.person@example.eu", roles=["viewer"])
    first = path_of(smtp_server.link_in("new.person@example.eu"))
    invite(client, "new.person@example.eu", roles=["handler"])
    second = path_of(smtp_server.link_in("new.person@example.eu"))

    # Then only the second link works, and one invitation is listed
    assert other_client.get(first).status_code == 404
    assert other_client.get(second).status_code == 200
    assert [i.roles for i in db.session.scalars(select(Invitation))] == [["handler"]]


# --- no member without a role ------------------------------------------------------------------


def test_f2_roles_form_refuses_an_empty_selection(client, people):
    # Given the administrator on a member's page
    sign_in(client, people["admin_gr"])
    handler = people["handler_gr"]

    # When they clear every role and save
    response = post_form(client, f"/users/{handler.id}", {"roles": []})

    # Then it is refused on the field, the form keeps the empty choice, nothing changes
    assert response.status_code == 200
    assert title(response).startswith("Error:")
    assert error_summary(response) == ["Choose at least one role."]
    assert page(response).find(".//p[@id='roles-error']") is not None
    assert form_values(response)["roles"] == []
    assert memberships_of(handler)["Hellenic Medical Council"] == (["handler"], False)


def test_f2_suspended_member_is_given_no_more_work_of_the_authority(client, people):
    # Given the council's handler, whose membership the administrator suspends
    from app.accounts.memberships import officers_with
    from app.cases import requests
    from app.cases.alerts import notices as alert_notices

    sign_in(client, people["admin_gr"])
    council_id = db.session.scalar(
        select(Membership.authority_id).where(Membership.user_id == people["admin_gr"].id)
    )
    db.session.get(Membership, people["handler_gr"].memberships[0].id).roles = [
        "handler",
        "alert_handler",
    ]
    db.session.commit()
    act(client, "membership_suspend", people["handler_gr"].id)

    # Then requests cannot be assigned to them, nor do notices or alerts reach them
    # (the shared handler, active, still is offered and told)
    db.session.expire_all()
    handlers = [u.id for u in requests.handlers_of(council_id)]
    assert people["handler_gr"].id not in handlers and people["shared"].id in handlers
    told = [u.id for u in officers_with(council_id, "handler")]
    assert people["handler_gr"].id not in told and people["shared"].id in told
    assert people["handler_gr"].id not in [u.id for u in alert_notices.recipients(council_id)]
