"""Two app servers (gunicorn, as openimi-web.service starts it) and two RQ workers (as
openimi-worker@.service starts them) share one PostgreSQL and one Redis: a request
composed on the first server is answered on the second, the notices go out through the
workers, and nothing is lost or sent twice."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage, Request, RequestState
from tests.deploy.conftest import http_session
from tests.factories import PASSWORD, date_input
from tests.snapshots import restored
from tests.web.requests.conftest import PROCEDURE, _people

pytestmark = [pytest.mark.redis, pytest.mark.xdist_group("deploy")]
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


def _post(session, base: str, page: str, action: str, data: dict):
    """POST a form of `page` with its CSRF token, as a browser would."""
    token = TOKEN.search(session.get(f"{base}{page}").text).group(1)
    return session.post(
        f"{base}{action}", data={"csrf_token": token, **data}, allow_redirects=False
    )


def _signed_in(base: str, user):
    session = http_session()
    response = _post(
        session, base, "/sign-in", "/sign-in", {"email": user.email, "password": PASSWORD}
    )
    assert response.headers.get("Location", "").endswith("/sign-in/code"), (
        response.status_code,
        re.findall(r"error[^<]*<[^>]*>([^<]+)", response.text)[:5],
    )
    code = pyotp.TOTP(user.totp_secret).now()
    response = _post(session, base, "/sign-in/code", "/sign-in/code", {"code": code})
    assert response.status_code == 302, response.text
    return session


def _mails(smtp_server, addresses, count: int, timeout: float = 20.0) -> None:
    """Wait until each address has `count` mails; then assert none has more."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(len(smtp_server.to(a)) >= count for a in addresses):
            break
        time.sleep(0.1)
    assert {a: len(smtp_server.to(a)) for a in addresses} == {a: count for a in addresses}


def _outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage)))


def test_a_case_moves_between_two_app_servers_and_two_workers(app, stack, smtp_server):
    people = restored("requests: people", _people)
    paris = people.authorities["paris"]
    first, second = stack.web  # each on its own, not through nginx

    # Composed and sent through the first app server
    requester = _signed_in(first, people.requester)
    data = {
        "procedure": PROCEDURE,
        "responder": paris.id,
        "subject": "Dr. Marie Dupont, born 1980-04-02",
        "questions": ["legally_established", "registration_status"],
        "message": "Bitte bestätigen Sie die Berufszulassung.",
        "detail-profession": "Doctor of medicine",
        **date_input("detail-date_of_birth", "1980-04-02"),
        "send": "1",
    }
    response = _post(
        requester, first, f"/requests/new?procedure={PROCEDURE}", "/requests/new", data
    )
    assert response.status_code == 302, response.text
    case = re.search(r"/requests/(\d+)$", response.headers["Location"]).group(0)

    # The notice to the responding authority's allocator goes out through a worker
    _mails(smtp_server, [people.allocator.email], 1)

    # Accepted and answered with a question through the second app server
    handler = _signed_in(second, people.handler)
    assert _post(handler, second, case, f"{case}/accept", {}).status_code == 302
    _mails(smtp_server, [people.requester.email], 1)  # accepted
    question = "Quelle est la date de naissance exacte ?"
    response = _post(handler, second, case, f"{case}/ask-info", {"ask_info-text": question})
    assert response.status_code == 302, response.text
    _mails(smtp_server, [people.requester.email], 2)  # more information asked

    # The first app server shows the requester what the second one stored
    page = requester.get(f"{first}{case}")
    assert page.status_code == 200 and question.replace("'", "&#39;") in page.text
    db.session.expire_all()
    item = db.session.scalars(select(Request)).one()
    assert item.state == RequestState.INFO_REQUESTED
    assert [e.kind for e in item.events][:1] == ["sent"]
    # Every mail of the outbox went out, exactly once; both workers are still running
    outbox = _outbox()
    assert {row.status for row in outbox} == {"sent"}
    sent = sorted((m["To"], m["Subject"]) for m in smtp_server.messages)
    assert sent == sorted((row.recipient, row.subject) for row in outbox)
    assert len(sent) == 3  # sent to the allocator; accepted, asked to the requester
    assert all(w.poll() is None for w in stack.workers), stack.services.log("worker-1")
