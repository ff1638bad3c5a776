"""Every governance form refuses a POST without its CSRF token: 400, the friendly
'Your form has expired' page (or the form again), and nothing changes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from app.accounts import memberships
from app.extensions import db
from app.models import (
    Authority,
    AuthorityKind,
    Invitation,
    Membership,
    OutboxMessage,
    Procedure,
    ProcedureAccess,
    Registration,
    User,
)
from app.models.base import Base
from app.policy import Actor
from tests.factories import make_authority, make_user, sign_in
from tests.web.governance.conftest import APPLICATION, application
from tests.web.governance.helpers import FORM_EXPIRED, GOOD_PASSWORD, main_text, title


@dataclass
class Scene:
    admin: User
    colleague: User
    coordinator: User
    chamber: Authority
    registration_id: int
    invitation_token: str


def actor_of(user: User) -> Actor:
    return Actor(user, user.memberships[0])


def build_scene() -> Scene:
    nimic = make_authority(
        "DE", name="Coordinator Germany", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    coordinator = make_user(nimic, ["coordinator", "admin"])
    chamber = make_authority("DE", name="Chamber of Physicians Berlin")
    admin = make_user(chamber, ["admin"])
    colleague = make_user(chamber, ["handler"])
    db.session.add(Procedure(key="pq_authenticity", name="Diplomas", policy_area="pq"))
    db.session.commit()
    registration_id = application("DE")
    invitation = memberships.invite_colleague(
        actor_of(admin), "lena.gruber@example.eu", "Lena Gruber", ["viewer"], "en"
    )
    return Scene(admin, colleague, coordinator, chamber, registration_id, invitation.token)


# (name, who signs in, url, form data)
POSTS = [
    ("register", None, "/register", {**APPLICATION, "name": "Bar Association Munich"}),
    ("approve", "coordinator", "/coordination/registrations/{registration_id}",
     {"decision": "approve"}),
    ("reject", "coordinator", "/coordination/registrations/{registration_id}/reject",
     {"decision": "reject", "reason": "Not competent."}),
    ("grant", "coordinator", "/coordination/authorities/{chamber}",
     {"procedure": "pq_authenticity", "roles": ["responder"]}),
    ("suspend-authority", "coordinator", "/coordination/authorities/{chamber}/suspension",
     {"action": "suspend"}),
    ("invite", "admin", "/users/invite",
     {"full_name": "Max Bauer", "email": "max.bauer@example.eu", "roles": ["handler"]}),
    ("roles", "admin", "/users/{colleague}", {"roles": ["viewer"]}),
    ("suspend-member", "admin", "/users/{colleague}/suspension", {"action": "suspend"}),
    ("suspend-account", "coordinator", "/coordination/users/{colleague}/suspension",
     {"action": "suspend"}),
    ("accept", None, "/invitation/{invitation_token}",
     {"full_name": "Lena Gruber", "password": GOOD_PASSWORD, "confirm": GOOD_PASSWORD}),
    ("edit-authority", "admin", "/authority",
     {"street": "Elsewhere 1", "city": "Potsdam", "email": "new@example.eu",
      "competences": "Everything"}),
    ("profile", "admin", "/account", {"full_name": "Someone Else", "language": "de"}),
]  # fmt: skip

WATCHED = [Authority, Registration, Invitation, Membership, ProcedureAccess, User, OutboxMessage]


def snapshot() -> dict[str, list[tuple]]:
    """Every row of the tables governance changes (sessions and audit excepted)."""
    db.session.expire_all()
    result = {}
    for model in WATCHED:
        table = Base.metadata.tables[model.__tablename__]
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns))
        result[model.__tablename__] = [tuple(row) for row in rows]
    return result


@pytest.mark.parametrize(("who", "url", "data"), [p[1:] for p in POSTS], ids=[p[0] for p in POSTS])
@pytest.mark.parametrize("htmx", [False, True], ids=["form", "htmx"])
def test_post_without_token_is_refused_and_changes_nothing(
    client, smtp_server, who, url, data, htmx
):
    # Given the person who may send this form, on its page
    scene = build_scene()
    if who is not None:
        sign_in(client, getattr(scene, who))
    path = url.format(
        registration_id=scene.registration_id,
        chamber=scene.chamber.id,
        colleague=scene.colleague.id,
        invitation_token=scene.invitation_token,
    )
    smtp_server.messages.clear()
    before = snapshot()

    # When the form arrives without its token (a forged cross-site post, or a stale page),
    # from an English browser (an invitation page otherwise reads in its country's language)
    headers = {"Accept-Language": "en", **({"HX-Request": "true"} if htmx else {})}
    response = client.post(path, data=data, headers=headers)

    # Then it is refused with a friendly page that says why
    assert response.status_code == 400
    assert FORM_EXPIRED in main_text(response)
    assert "Traceback" not in response.get_data(True)
    assert title(response)
    # and nothing has changed, nobody was mailed
    assert snapshot() == before
    assert smtp_server.messages == []


def test_expired_form_page_keeps_what_the_applicant_typed(client):
    # A stale registration form is shown again with its values, not emptied.
    response = client.post("/register", data=APPLICATION)

    assert response.status_code == 400
    assert title(response).startswith("Error:")
    body = response.get_data(True)
    assert 'value="Chamber of Crafts Leipzig"' in body
    assert APPLICATION["competences"] in body
    assert db.session.scalar(select(func.count()).select_from(Authority)) == 0
