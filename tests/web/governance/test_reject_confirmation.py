"""Rejecting an application is a confirmation page of its own, with the reason required:
who may open it and who may send it, as a table; opening it changes nothing."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.models import AuthorityKind, Registration, RegistrationStatus
from tests.factories import csrf_token, make_authority, make_user, sign_in
from tests.web.governance.conftest import application, registration
from tests.web.governance.helpers import error_summary

# who -> (status of the GET, status of the POST with a reason): only a coordinator of the
# applicant's country decides; a coordinator elsewhere does not find it; the other
# members of the coordinating authority are refused.
WHO = {
    "coordinator DE": (200, 302),
    "coordinator FR": (404, 404),
    "admin of the coordinator DE": (403, 403),
    "viewer of the coordinator DE": (403, 403),
    "handler of an ordinary authority DE": (403, 403),
}


def _user(who: str, coordination_de):
    if who == "coordinator DE":
        return make_user(coordination_de, ["coordinator", "admin"])
    if who == "coordinator FR":
        france = make_authority("FR", kind=AuthorityKind.NATIONAL_COORDINATOR)
        return make_user(france, ["coordinator", "admin"])
    if who == "admin of the coordinator DE":
        return make_user(coordination_de, ["admin"])
    if who == "viewer of the coordinator DE":
        return make_user(coordination_de, ["viewer"])
    return make_user(make_authority("DE"), ["handler"])


def _state(registration_id: int) -> tuple:
    db.session.expire_all()
    item = db.session.get(Registration, registration_id)
    return item.status, item.reason, item.authority.status


@pytest.mark.parametrize("who", list(WHO))
def test_who_may_reject_an_application(client, coordination_de, smtp_server, who):
    registration_id = application("DE")
    smtp_server.messages.clear()
    sign_in(client, _user(who, coordination_de))
    url = f"/coordination/registrations/{registration_id}/reject"
    before = _state(registration_id)
    get_status, post_status = WHO[who]

    # opening the confirmation changes nothing
    opened = client.get(url)
    assert opened.status_code == get_status
    assert _state(registration_id) == before
    if get_status == 200:
        assert 'name="decision" value="reject"' in opened.get_data(True)

    # sending it rejects, for the coordinator of the country only
    token = csrf_token(client.get("/account"))
    response = client.post(url, data={"csrf_token": token, "reason": "Not competent."})
    assert response.status_code == post_status
    if post_status == 302:
        assert _state(registration_id)[:2] == (RegistrationStatus.REJECTED, "Not competent.")
    else:
        assert _state(registration_id) == before
        assert smtp_server.messages == []


def test_the_application_page_sends_a_rejection_to_its_confirmation(client, coordinator):
    registration_id = application("DE")
    sign_in(client, coordinator)
    page = client.get(f"/coordination/registrations/{registration_id}").get_data(True)
    # approving is the page's button; rejecting a link to the confirmation, no reason field
    assert 'value="approve"' in page and 'name="reason"' not in page
    assert f'href="/coordination/registrations/{registration_id}/reject"' in page
    # a "reject" sent to the application's page rejects nothing: it goes to the confirmation
    token = csrf_token(client.get(f"/coordination/registrations/{registration_id}"))
    response = client.post(
        f"/coordination/registrations/{registration_id}",
        data={"csrf_token": token, "decision": "reject", "reason": "Not competent."},
    )
    assert response.status_code == 302
    assert response.location.endswith(f"/coordination/registrations/{registration_id}/reject")
    assert registration(registration_id).status == RegistrationStatus.PENDING


def test_a_rejection_without_reason_is_linked_to_its_field(client, coordinator, smtp_server):
    registration_id = application("DE")
    smtp_server.messages.clear()
    sign_in(client, coordinator)
    url = f"/coordination/registrations/{registration_id}/reject"
    token = csrf_token(client.get(url))
    response = client.post(url, data={"csrf_token": token, "reason": " "})
    assert response.status_code == 400
    body = response.get_data(True)
    assert error_summary(response) == [
        "Give the reason for the rejection; the applicant will read it."
    ]
    assert 'href="#reason"' in body and 'aria-invalid="true"' in body
    assert registration(registration_id).status == RegistrationStatus.PENDING
    assert smtp_server.messages == []
