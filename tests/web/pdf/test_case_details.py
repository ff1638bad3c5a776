"""The PDF record says what the case page says of a case's course: an urgent request's
level and reason, a refused request's ground, and a SOLVIT case's centres, running clock
and outcome."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import Request, RequestState
from tests.snapshots import restored
from tests.web.pdf.conftest import page_texts, read_pdf
from tests.web.public.solvit_world import build, complaint
from tests.web.requests.conftest import as_user, grant
from tests.web.requests.test_urgent import POSTING, REASON, send_posting
from tests.web.requests.test_who_may_refuse import REFUSED
from tests.web.requests.test_who_may_refuse import build as build_recovery


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return " ".join(page_texts(read_pdf(response.data)))


def test_an_urgent_request_prints_its_level_and_reason(app, people):
    grant(people.authorities["berlin"], ["requester"], POSTING)
    grant(people.authorities["paris"], ["responder"], POSTING)
    people.requester.language = "en"
    db.session.commit()
    requester = as_user(app, people.requester)
    send_posting(requester, people.authorities["paris"].id, "urgent", REASON)
    item = db.session.scalars(select(Request).order_by(Request.id.desc())).first()
    assert item.urgency == "urgent"

    text = _text(requester, f"/pdf/request/{item.id}")

    assert f"Urgency Urgent {REASON}" in text
    assert "Ground for refusal" not in text


def test_a_refused_request_prints_its_ground(app, people):
    grant(people.authorities["berlin"], ["requester", "responder"], "posting_penalty_recovery")
    grant(people.authorities["paris"], ["requester", "responder"], "posting_penalty_recovery")
    item = build_recovery(people, REFUSED)
    assert item.state == RequestState.REFUSED
    people.requester.language = "en"
    db.session.commit()

    text = _text(as_user(app, people.requester), f"/pdf/request/{item.id}")

    assert "Ground for refusal Article 17, first paragraph: the request lacks" in text, text[:1500]
    assert "Urgency" not in text


def test_a_solvit_case_prints_its_centres_clock_and_outcome(app):
    world = restored("solvit: world", build)
    working, _ = complaint(world, "lead_working")
    structural, _ = complaint(world, "structural")
    handler = world.users["home handler"]
    handler.language = "en"
    db.session.commit()
    client = as_user(app, handler)

    text = _text(client, f"/pdf/public_case/{working.id}")
    closed = _text(client, f"/pdf/public_case/{structural.id}")

    assert "Home centre SOLVIT France – France" in text
    assert "Lead centre SOLVIT Deutschland – Germany" in text
    assert "Deadline Solve the case (10 weeks from acceptance): " in text
    assert "Outcome Structural problem" in closed
