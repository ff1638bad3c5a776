"""An Art 56a alert linked to a card: the reference shows on both sides, the card's page
and the alert's page; an alert the authority cannot see is refused."""

from __future__ import annotations

from app.cases import alerts
from app.cases.epc import applications
from app.cases.epc.lifecycle import EpcError
from app.models import AuthorityKind
from tests.factories import csrf_token, make_authority, make_user, sign_in
from tests.web.epc.conftest import application_of
from tests.web.requests.conftest import grant
from tests.web.security.world import actor_of

FIELDS = {
    "alert_type": "art56a_1",
    "professional_name": "García López, Ana",
    "date_of_birth": "1990-03-12",
    "profession": "Nurse",
    "deciding_authority": "Tribunal",
    "decision_date": "2026-12-01",
}


def test_an_alert_linked_to_a_card_is_named_on_both_pages(app, world):
    # given an issued card and an alert on the professional sent by the home authority
    case = application_of(world.applicant, world)
    for actor, action in (
        (world.home, "acknowledge"),
        (world.home, "transfer"),
        (world.host, "issue"),
    ):
        applications.act(actor_of(actor), case, action)
    for country in ("ES", "FR"):
        make_authority(country, name=f"IMI {country}", kind=AuthorityKind.NATIONAL_COORDINATOR)
    grant(world.madrid, ["alert_sender", "alert_receiver"], "pq_alert")
    sender = make_user(world.madrid, ["handler", "alert_handler"])
    alert = alerts.save_draft(actor_of(sender), alerts.Draft("pq_alert", FIELDS, "", ["FR"]))
    alerts.send(actor_of(sender), alert)
    # a third authority cannot link an alert it cannot see, nor reach the card
    try:
        applications.link_alert(actor_of(world.third), case, alert.reference)
    except EpcError as error:
        assert error.code == "role"
    # when the home authority links it through the case page
    client = app.test_client()
    sign_in(client, sender)
    token = csrf_token(client.get(f"/epc-cases/{case.id}"))
    response = client.post(
        f"/epc-cases/{case.id}/link-alert", data={"csrf_token": token, "reference": alert.reference}
    )
    assert response.status_code == 302
    # then the card names the alert, and the alert names the card
    assert alert.reference in client.get(f"/epc-cases/{case.id}").get_data(True)
    assert case.reference in client.get(f"/alerts/{alert.id}").get_data(True)
    # an unknown reference is refused on its field
    token = csrf_token(client.get(f"/epc-cases/{case.id}"))
    refused = client.post(
        f"/epc-cases/{case.id}/link-alert",
        data={"csrf_token": token, "reference": "ALR-2026-9999999"},
    )
    assert refused.status_code == 400
