"""The coordinator's queue and decisions: approve (the applicant is invited) or reject
with a reason; only the coordinators of the applicant's country see the application."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AuthorityStatus, Invitation, RegistrationStatus
from tests.factories import csrf_token, make_authority, make_user, post_form, sign_in
from tests.web.governance.conftest import APPLICATION, application, registration
from tests.web.governance.helpers import (
    error_summary,
    flashes,
    mails_to,
    main_text,
    page,
    path_of,
    text,
    title,
)

APPLICANT = APPLICATION["applicant_email"]


def decision_url(registration_id: int, decision: str) -> str:
    """Approve on the application's page; reject on its confirmation page, with a reason."""
    url = f"/coordination/registrations/{registration_id}"
    return f"{url}/reject" if decision == "reject" else url


def decide(client, registration_id: int, decision: str, reason: str = "", **kwargs):
    return post_form(
        client,
        decision_url(registration_id, decision),
        {"decision": decision, "reason": reason},
        **kwargs,
    )


# --- the queue ----------------------------------------------------------------------------


def test_queue_shows_only_applications_of_the_coordinators_country(
    client, coordinator, coordinator_fr
):
    # Given applications from Germany and France
    application("DE", "Chamber of Crafts Leipzig")
    application("FR", "Chambre des métiers de Lyon")
    application("DE", "Bar Association Munich")

    # When the German coordinator opens the queue
    sign_in(client, coordinator)
    response = client.get("/coordination/")

    # Then only the German applications are listed
    assert response.status_code == 200
    body = main_text(response)
    assert "Chamber of Crafts Leipzig" in body
    assert "Bar Association Munich" in body
    assert "Lyon" not in body


def test_decided_applications_leave_the_queue(client, coordinator):
    # Given a German application that was already rejected, and one still waiting
    decided = application("DE", "Chamber of Crafts Leipzig")
    registration(decided).status = RegistrationStatus.REJECTED
    db.session.commit()
    application("DE", "Bar Association Munich")

    # When the coordinator opens the queue
    sign_in(client, coordinator)
    body = main_text(client.get("/coordination/"))

    # Then only the waiting one is listed
    assert "Bar Association Munich" in body
    assert "Chamber of Crafts Leipzig" not in body


def test_coordinator_of_another_country_cannot_see_or_decide_an_application(
    client, coordinator, coordinator_fr, smtp_server
):
    # Given a German application
    registration_id = application("DE")
    smtp_server.messages.clear()

    # When the French coordinator opens it, or approves it with a valid token
    sign_in(client, coordinator_fr)
    page_response = client.get(f"/coordination/registrations/{registration_id}")
    token = csrf_token(client.get("/coordination/"))
    approve = client.post(
        f"/coordination/registrations/{registration_id}",
        data={"csrf_token": token, "decision": "approve"},
    )

    # Then there is no such page for them, and the application still waits
    assert page_response.status_code == 404
    assert "Chamber of Crafts Leipzig" not in page_response.get_data(True)
    assert approve.status_code == 404
    assert registration(registration_id).status == RegistrationStatus.PENDING
    assert smtp_server.messages == []


@pytest.mark.parametrize("roles", [["admin"], ["handler"], ["admin", "allocator", "viewer"]])
def test_officer_without_coordinator_role_is_refused_the_queue(client, roles):
    # Given an officer of an ordinary authority, and a colleague of a coordinator
    # authority who is not a coordinator
    officer = make_user(make_authority("DE"), roles)
    sign_in(client, officer)

    # When they open the coordination pages
    response = client.get("/coordination/")

    # Then they are refused
    assert response.status_code == 403
    assert title(response).startswith("Not allowed")


def test_coordinator_authority_member_without_the_role_is_refused(client, coordination_de):
    clerk = make_user(coordination_de, ["admin"])
    registration_id = application("DE")
    sign_in(client, clerk)

    assert client.get("/coordination/").status_code == 403
    assert client.get(f"/coordination/registrations/{registration_id}").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/coordination/")

    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


# --- approve --------------------------------------------------------------------------------


def test_approval_activates_the_authority_and_invites_the_applicant(
    client, coordinator, smtp_server
):
    # Given a pending German application, opened by the German coordinator
    registration_id = application("DE")
    smtp_server.messages.clear()
    sign_in(client, coordinator)
    opened = client.get(f"/coordination/registrations/{registration_id}")
    assert opened.status_code == 200
    assert "Jana Köhler" in main_text(opened)

    # When the coordinator approves it
    response = decide(client, registration_id, "approve", follow_redirects=True)

    # Then the authority is active and listed in the directory
    assert response.status_code == 200
    assert "The authority is registered and its administrator has been invited." in flashes(
        response
    )
    item = registration(registration_id)
    assert item.status == RegistrationStatus.APPROVED
    assert item.decided_by_id == coordinator.id
    assert item.authority.status == AuthorityStatus.ACTIVE
    assert "Chamber of Crafts Leipzig" in client.get("/directory?q=crafts").get_data(True)
    # and the applicant is invited as its first administrator, by a mail with a link
    [(subject, body)] = mails_to(smtp_server, APPLICANT)
    assert subject == "Chamber of Crafts Leipzig is registered in OpenIMI"
    link = smtp_server.link_in(APPLICANT)
    assert path_of(link).startswith("/invitation/")
    invitation = db.session.query(Invitation).one()
    assert invitation.email == APPLICANT
    assert invitation.roles == ["admin"]
    assert invitation.authority_id == item.authority_id
    # and the application has left the queue
    waiting = page(client.get("/coordination/")).find(".//table[@aria-labelledby='pending']")
    assert waiting is None


# --- reject ---------------------------------------------------------------------------------


def test_rejection_without_a_reason_is_refused(client, coordinator, smtp_server):
    # Given a pending application
    registration_id = application("DE")
    smtp_server.messages.clear()
    sign_in(client, coordinator)

    # When the coordinator rejects it without a reason (or only spaces)
    response = decide(client, registration_id, "reject", reason="   ")

    # Then it is refused with a message and nothing changes
    assert response.status_code == 400
    assert title(response).startswith("Error:")
    assert error_summary(response) == [
        "Give the reason for the rejection; the applicant will read it."
    ]
    assert registration(registration_id).status == RegistrationStatus.PENDING
    assert registration(registration_id).authority.status == AuthorityStatus.PENDING
    assert smtp_server.messages == []


def test_rejection_with_a_reason_tells_the_applicant_why(client, coordinator, smtp_server):
    # Given a pending application
    registration_id = application("DE")
    smtp_server.messages.clear()
    sign_in(client, coordinator)
    reason = "Chambers of crafts are registered by the Land ministry, not one by one."

    # When the coordinator rejects it with a reason
    response = decide(client, registration_id, "reject", reason=reason, follow_redirects=True)

    # Then the applicant reads the reason
    assert "The application has been rejected and the applicant informed." in flashes(response)
    [(subject, body)] = mails_to(smtp_server, APPLICANT)
    assert subject == "Your OpenIMI registration has been rejected"
    assert reason in body
    item = registration(registration_id)
    assert item.status == RegistrationStatus.REJECTED
    assert item.reason == reason
    assert item.authority.status == AuthorityStatus.REJECTED
    # and the authority never reaches the directory, and nobody is invited
    assert "Chamber of Crafts" not in client.get("/directory?q=crafts").get_data(True)
    assert db.session.query(Invitation).count() == 0


@pytest.mark.parametrize(
    ("first", "second"),
    [("approve", "reject"), ("reject", "approve"), ("approve", "approve")],
)
def test_an_application_is_decided_only_once(client, coordinator, smtp_server, first, second):
    # Given an application already decided by the coordinator
    registration_id = application("DE")
    sign_in(client, coordinator)
    token = csrf_token(client.get(f"/coordination/registrations/{registration_id}"))
    decide(client, registration_id, first, reason="Not competent.")
    status = registration(registration_id).status
    authority_status = registration(registration_id).authority.status
    smtp_server.messages.clear()

    # When a second decision arrives (a second tab, a double click)
    response = client.post(
        decision_url(registration_id, second),
        data={"csrf_token": token, "decision": second, "reason": "Changed my mind."},
        follow_redirects=True,
    )

    # Then it is refused with a message and the first decision stands
    assert response.status_code == 200
    assert "This application has already been decided." in flashes(response)
    item = registration(registration_id)
    assert item.status == status
    assert item.authority.status == authority_status
    assert item.reason in ("", "Not competent.")
    assert smtp_server.messages == []
    assert db.session.query(Invitation).count() == (1 if first == "approve" else 0)


def test_decided_application_page_offers_no_decision(client, coordinator):
    registration_id = application("DE")
    sign_in(client, coordinator)
    decide(client, registration_id, "approve")

    response = client.get(f"/coordination/registrations/{registration_id}")

    assert response.status_code == 200
    assert 'name="decision"' not in response.get_data(True)


def summary_rows(response) -> dict[str, str]:
    """The rows of the page's summary lists, label to value (a later list wins)."""
    rows: dict[str, str] = {}
    for dl in page(response).iter("dl"):
        children = list(dl)
        for dt, dd in zip(children[::2], children[1::2], strict=True):
            rows[text(dt)] = text(dd)
    return rows


def test_application_page_says_not_provided_for_empty_fields(client, coordinator):
    # Given an application without telephone, website, postcode or message
    registration_id = application("DE", phone="", website="", postcode="", message="")

    # When the coordinator reads it
    sign_in(client, coordinator)
    rows = summary_rows(client.get(f"/coordination/registrations/{registration_id}"))

    # Then every empty field says so, and the filled ones show their value
    assert rows["Telephone"] == "Not provided"
    assert rows["Website"] == "Not provided"
    assert rows["Message"] == "Not provided"
    assert rows["E-mail"] == APPLICANT
    assert rows["Address"] == "Dresdner Straße 11 Leipzig"


def test_queue_tells_similar_names_apart_by_city_and_mail_domain(client, coordinator):
    # Given two applications with nearly the same name, from two cities
    application("DE", "Chamber of Crafts Leipzig")
    application(
        "DE", "Chamber of Crafts Leipzig Region", city="Halle", email="post@hwk-halle.example.eu"
    )

    # When the coordinator opens the queue
    sign_in(client, coordinator)
    table = page(client.get("/coordination/")).find(".//table[@aria-labelledby='pending']")

    # Then each row shows its authority's city and e-mail domain (not the whole address)
    headings = [text(th) for th in table.iter("th")]
    rows = {text(tr[0]): [text(td) for td in tr[1:3]] for tr in table.find("tbody").iter("tr")}
    assert headings[:3] == ["Authority", "City", "E-mail domain"]
    assert rows["Chamber of Crafts Leipzig"] == ["Leipzig", "hwk-leipzig.example.eu"]
    assert rows["Chamber of Crafts Leipzig Region"] == ["Halle", "hwk-halle.example.eu"]
