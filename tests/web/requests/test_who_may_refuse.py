"""Who may refuse to execute a request: every state, by every side and role.

Directive 2014/67/EU Article 17: the requested authority may refuse a request for the
recovery of a penalty on the grounds its pack lists. Berlin asks Paris to recover a fine
(posting_penalty_recovery); the people are those of the table of every other action
(test_who_may_act.py). The expectations are written here: the responder's handlers and
allocators refuse while the reply is awaited (sent, referred, accepted, information
requested); nobody else, in no other state; a viewer gets 403, one who cannot see the
case 404, anyone else who sees it the form again (400). A refused attempt changes
nothing; an allowed one leaves the case refused, on the ground chosen. A procedure
without refusal grounds (pq_good_standing) offers no refusal to anyone.
"""

from __future__ import annotations

import pytest

from app.cases import requests
from app.extensions import db
from app.models import Request, RequestState
from tests.factories import client_with, cookies_of, csrf_token
from tests.web.requests.conftest import as_user, grant
from tests.web.requests.test_who_may_act import (
    ACCEPTED,
    ANSWERED,
    CLOSED,
    DRAFT,
    INFO_REQUESTED,
    PEOPLE,
    REFERRED,
    SENT,
    WITHDRAWN,
    _actor,
    _world,
    refusal,
    snapshot,
)
from tests.web.requests.test_who_may_act import build as build_good_standing

RECOVERY = "posting_penalty_recovery"
REFUSED = "refused"
STATES = [DRAFT, SENT, REFERRED, ACCEPTED, INFO_REQUESTED, ANSWERED, CLOSED, WITHDRAWN, REFUSED]
RESPONDER = {"responder allocator", "responder handler"}
# Written out, not read from the lifecycle: who may refuse, and where.
ALLOWED_STATES = {SENT, REFERRED, ACCEPTED, INFO_REQUESTED}
GROUND = "art17_b_below_350"
DETAILS = {
    "addressee_address": "Rua Augusta 100, 1100-053 Lisboa",
    "facts_summary": "No posting declaration made for 12 workers on a site in Berlin.",
    "infringement_nature": "Failure to declare a posting (Directive 2014/67/EU Article 9)",
    "decision_reference": "LAGetSi-2026-0417",
    "decision_date": "2026-03-02",
    "enforceable_date": "2026-04-20",
    "penalty_nature": "fine",
    "amount": "300",
    "currency": "EUR",
    "enforcement_dates": "Served by post on 2026-03-05.",
    "assessing_authority": "Landesamt für Arbeitsschutz, Berlin",
    "enforcement_instrument": "Enforcement order of 2026-04-21",
    "not_appealable": "yes",
    "underlying_claim": "Fine of EUR 300",
}


def allowed(state: str, who: str) -> bool:
    return state in ALLOWED_STATES and who in RESPONDER


def build(people, state: str) -> Request:
    """A recovery request from Berlin to Paris, moved to `state` by the services."""
    asker, answerer = _actor(people.requester), _actor(people.handler)
    item = requests.save_draft(
        asker,
        requests.Draft(
            RECOVERY,
            people.authorities["paris"].id,
            "Construções Lisboa Lda, NIPC 509876543",
            "Bitte treiben Sie die Geldbuße bei.",
            ["recovery_outcome", "amount_recovered"],
            DETAILS,
        ),
    )
    if state == DRAFT:
        return item
    requests.send(asker, item)
    if state == REFERRED:
        requests.refer(asker, item, "The amount is disputed.")
    if state == WITHDRAWN:
        requests.withdraw(asker, item, "Paid meanwhile.")
    if state == REFUSED:
        requests.refuse(answerer, item, "art17_incomplete")
    if state in (SENT, REFERRED, WITHDRAWN, REFUSED):
        return item
    requests.accept(answerer, item)
    if state == INFO_REQUESTED:
        requests.ask_info(answerer, item, "Which bank account?")
    if state in (ANSWERED, CLOSED):
        answers = {q.id: ("not_recovered", "") for q in item.questions[:1]}
        assert requests.answer(answerer, item, answers, "", final=True) == []
    if state == CLOSED:
        requests.close(asker, item)
    return item


@pytest.fixture
def world(app):
    people, users = _world()
    for name, roles in (
        ("berlin", ["requester", "responder"]),
        ("paris", ["requester", "responder"]),
        ("lyon", ["responder"]),
        ("vienna", ["responder"]),
        ("rome", ["requester", "responder"]),
    ):
        grant(people.authorities[name], roles, RECOVERY)
    sessions = {}
    for who, user in users.items():
        client = as_user(app, user)
        sessions[who] = (cookies_of(client), csrf_token(client.get("/requests")))
    return people, sessions


def post_refusal(app, sessions, who: str, item_id: int):
    cookies, token = sessions[who]
    data = {"csrf_token": token, "refuse-ground": GROUND, "refuse-text": "Below EUR 350."}
    return client_with(app, cookies).post(f"/requests/{item_id}/refuse", data=data)


def test_who_may_refuse_a_request_for_recovery(app, world):
    people, sessions = world
    failures = []
    for state in STATES:
        # given a case in this state; when each refused person tries, then each gets the
        # written status, and the case is as it was
        item = build(people, state)
        before = {**snapshot(item.id), "ground": item.refusal_ground}
        for who in PEOPLE:
            if allowed(state, who):
                continue
            response = post_refusal(app, sessions, who, item.id)
            expected = refusal("refuse", state, who)
            if response.status_code != expected:
                failures.append(f"{state} / {who}: {response.status_code}, not {expected}")
        db.session.expire_all()
        after = {**snapshot(item.id), "ground": db.session.get(Request, item.id).refusal_ground}
        if after != before:
            failures.append(f"{state}: a refused attempt changed the case")
        # when each allowed person refuses a case of their own, then it is refused
        for who in sorted(RESPONDER):
            if not allowed(state, who):
                continue
            own = build(people, state)
            response = post_refusal(app, sessions, who, own.id)
            db.session.expire_all()
            own = db.session.get(Request, own.id)
            if response.status_code != 302:
                failures.append(f"{state} / {who}: {response.status_code}, not allowed")
            elif (own.state, own.refusal_ground) != (RequestState.REFUSED, GROUND):
                failures.append(f"{state} / {who}: left {own.state} {own.refusal_ground!r}")
            elif own.events[-1].kind != "refused" or own.closed_at is None:
                failures.append(f"{state} / {who}: no refusal event or closure")
    assert not failures, "\n".join(failures)


def test_a_procedure_without_refusal_grounds_offers_no_refusal(app, world):
    # given a sent request of a procedure whose pack lists no grounds
    people, sessions = world
    item = build_good_standing(people, SENT)
    before = snapshot(item.id)
    # when its responder tries to refuse it, then it is refused as not possible now
    for who in RESPONDER:
        assert post_refusal(app, sessions, who, item.id).status_code == 400
    assert snapshot(item.id) == before
    # and its case page offers no refusal
    page = client_with(app, sessions["responder handler"][0]).get(f"/requests/{item.id}")
    assert "/refuse" not in page.get_data(True)


def test_a_ground_the_pack_lacks_is_refused_on_its_field(app, world):
    people, sessions = world
    item = build(people, SENT)
    cookies, token = sessions["responder handler"]
    data = {"csrf_token": token, "refuse-ground": "too_busy", "refuse-text": ""}
    response = client_with(app, cookies).post(f"/requests/{item.id}/refuse", data=data)
    assert response.status_code == 400
    assert 'id="refuse-ground-error"' in response.get_data(True)
    db.session.expire_all()
    assert db.session.get(Request, item.id).state == RequestState.SENT
