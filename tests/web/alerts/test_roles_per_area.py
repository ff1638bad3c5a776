"""Roles per legislative area, on alerts: an alert handler whose role holds in the
services area only neither composes a professional-qualifications alert nor sees one
disseminated to its authority, while one of all areas does."""

from __future__ import annotations

from app.cases import alerts
from app.cases.alerts.notices import recipients
from app.cases.areas import area_of
from app.extensions import db
from app.models import Alert, Membership
from app.policy import Actor
from tests.factories import make_user
from tests.web.alerts.conftest import PROCEDURE, as_user, compose
from tests.web.alerts.test_who_may_act import DRAFT


def _actor(user) -> Actor:
    return Actor(user, db.session.query(Membership).filter_by(user_id=user.id).one())


def test_an_alert_handler_of_services_only_neither_composes_nor_sees_a_pq_alert(app, people):
    berlin, paris = people.authorities["berlin"], people.authorities["paris"]
    only_services = {"alert_handler": ["services"]}
    berlin_services = make_user(berlin, ["alert_handler"], role_areas=only_services)
    paris_services = make_user(paris, ["alert_handler"], role_areas=only_services)
    # when the services-only handler of the sending authority tries to compose one
    client = as_user(app, berlin_services)
    assert f'value="{PROCEDURE}"' not in client.get("/alerts/new").get_data(True)
    compose(client)
    # then no alert is made
    assert db.session.query(Alert).count() == 0
    # given the sender of all areas sends one, validated, and passed on to Paris
    item = alerts.save_draft(_actor(people.sender), DRAFT)
    alerts.send(_actor(people.sender), item)
    alerts.validate(_actor(people.coordinator_de), item, True)
    alerts.disseminate(_actor(people.coordinator_fr), item, [paris.id])
    # then the handler of all areas at Paris finds it; the one of services only does not
    assert as_user(app, people.paris).get(f"/alerts/{item.id}").status_code == 200
    limited = as_user(app, paris_services)
    assert limited.get(f"/alerts/{item.id}").status_code == 404
    assert item.reference not in limited.get("/alerts").get_data(True)
    # and no notice of it is meant for the officer of services only
    told = {u.id for u in recipients(paris.id, area_of(PROCEDURE))}
    assert people.paris.id in told and paris_services.id not in told
