"""Roles per legislative area, on requests: the inbox, the case page, the actions, compose,
the handlers one may assign, and the inbox's counts and statements.

Berlin and Paris exchange requests in two areas: professional qualifications
(pq_good_standing) and services (services_establishment). Each has, besides the
officers of the conftest (roles in all areas), one whose roles hold in services only.
"""

from __future__ import annotations

from datetime import date

import pytest

from app.cases import inbox, requests
from app.extensions import db
from app.models import Membership, Request
from app.policy import Actor
from tests.factories import count_statements, csrf_token, make_user
from tests.web.requests.conftest import PROCEDURE, as_user, grant

SERVICES = "services_establishment"


def _actor(user) -> Actor:
    return Actor(user, db.session.query(Membership).filter_by(user_id=user.id).one())


def _sent(people, procedure: str, questions: list[str], details: dict) -> Request:
    asker = _actor(people.requester)
    item = requests.save_draft(
        asker,
        requests.Draft(
            procedure,
            people.authorities["paris"].id,
            "Établissement de M. Dupont",
            "Bitte bestätigen Sie.",
            questions,
            details,
        ),
    )
    requests.send(asker, item)
    return item


@pytest.fixture
def exchange(app, people):
    """A professional-qualifications request and a services request, Berlin to Paris,
    and an officer of each side whose roles hold in services only."""
    grant(people.authorities["berlin"], ["requester", "responder"], SERVICES)
    grant(people.authorities["paris"], ["requester", "responder"], SERVICES)
    pq = _sent(
        people,
        PROCEDURE,
        ["legally_established"],
        {"profession": "Doctor of medicine", "date_of_birth": "1980-04-02"},
    )
    services = _sent(
        people, SERVICES, ["provider_established"], {"service_activity": "Architecture"}
    )
    berlin_services = make_user(
        people.authorities["berlin"], ["handler"], role_areas={"handler": ["services"]}
    )
    paris_services = make_user(
        people.authorities["paris"],
        ["handler", "allocator"],
        role_areas={"handler": ["services"], "allocator": ["services"]},
    )
    return pq, services, berlin_services, paris_services


def test_the_inbox_lists_only_the_cases_of_the_officers_areas(app, people, exchange):
    pq, services, berlin_services, paris_services = exchange
    # when the responder's officer of services only opens the received box
    page = as_user(app, paris_services).get("/requests?box=received").get_data(True)
    # then it lists the services request, not the professional-qualifications one
    assert services.reference in page
    assert pq.reference not in page
    # and the requester's officer of services only, the sent box likewise
    page = as_user(app, berlin_services).get("/requests?box=sent").get_data(True)
    assert services.reference in page
    assert pq.reference not in page
    # while an officer whose roles hold in all areas lists both
    page = as_user(app, people.handler).get("/requests?box=received").get_data(True)
    assert services.reference in page and pq.reference in page


def test_the_counts_follow_the_officers_areas(app, people, exchange):
    pq, services, berlin_services, paris_services = exchange
    day = date.today()
    # then the received box counts one request for services only, two for all areas
    assert inbox.counts(_actor(paris_services), day)["received"] == 1
    assert inbox.counts(_actor(people.handler), day)["received"] == 2


def test_a_case_of_another_area_is_not_there_and_cannot_be_acted_on(app, people, exchange):
    pq, services, berlin_services, paris_services = exchange
    client = as_user(app, paris_services)
    # when the services-only officer opens the professional-qualifications case: not there
    assert client.get(f"/requests/{pq.id}").status_code == 404
    # and accepting it is refused as a case that is not there, changing nothing
    token = csrf_token(client.get(f"/requests/{services.id}"))
    response = client.post(f"/requests/{pq.id}/accept", data={"csrf_token": token})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Request, pq.id).state.value == "sent"
    # while the services case is theirs to accept
    response = client.post(f"/requests/{services.id}/accept", data={"csrf_token": token})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Request, services.id).state.value == "accepted"


def test_compose_offers_and_accepts_only_the_procedures_of_the_officers_areas(
    app, people, exchange
):
    pq, services, berlin_services, paris_services = exchange
    client = as_user(app, berlin_services)
    # when the services-only handler chooses a procedure, only services are offered
    choose = client.get("/requests/new").get_data(True)
    assert f'value="{SERVICES}"' in choose
    assert f'value="{PROCEDURE}"' not in choose
    # and asking for a professional-qualifications form gets the choice again, refused
    again = client.get(f"/requests/new?procedure={PROCEDURE}").get_data(True)
    assert 'name="subject"' not in again
    # and the service refuses it as a missing role (the same rule as the kernel's)
    before = db.session.query(Request).count()
    with pytest.raises(requests.RequestError) as refused:
        requests.save_draft(
            _actor(berlin_services),
            requests.Draft(PROCEDURE, people.authorities["paris"].id, "x", "y", ["x"]),
        )
    assert refused.value.code == "role"
    assert db.session.query(Request).count() == before


def test_only_handlers_of_the_cases_area_may_be_assigned(app, people, exchange):
    pq, services, berlin_services, paris_services = exchange
    paris = people.authorities["paris"].id
    # then the services-only handler is offered for the services case alone
    pq_handlers = {u.id for u in requests.handlers_of(paris, PROCEDURE)}
    services_handlers = {u.id for u in requests.handlers_of(paris, SERVICES)}
    assert paris_services.id not in pq_handlers
    assert paris_services.id in services_handlers
    assert people.handler.id in pq_handlers and people.handler.id in services_handlers


def test_an_officer_of_some_areas_costs_the_inbox_no_statement_more(app, people, exchange):
    pq, services, berlin_services, paris_services = exchange
    url = "/requests?box=received"
    limited, everywhere = as_user(app, paris_services), as_user(app, people.handler)
    for client in (limited, everywhere):  # caches warm
        client.get(url)
    # then the inbox of an officer of services only runs as many statements as one of all
    # areas, and as many again once more requests came in
    first = count_statements(limited, url)
    assert first == count_statements(everywhere, url)
    for _ in range(3):
        _sent(people, SERVICES, ["provider_established"], {"service_activity": "Design"})
    limited.get(url)
    assert count_statements(limited, url) == first
