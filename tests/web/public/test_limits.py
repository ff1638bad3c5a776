"""Rate limits of the answer and lost-link forms, the htmx answer, the officers' refusals."""

from __future__ import annotations

import html
import re

from app.accounts import ratelimit
from app.models import PublicCaseState
from tests.factories import csrf_token
from tests.web.public.conftest import confirm_case, only_case, pdf, submit_case, visitor
from tests.web.requests.conftest import as_user


def _confirmed(app, smtp_server):
    client = visitor(app)
    submit_case(client)
    return client, confirm_case(client, smtp_server)


def test_answers_are_rate_limited_and_keep_the_text(app, people, smtp_server, monkeypatch):
    monkeypatch.setitem(ratelimit.RULES, "public.reply", ratelimit.Rule(2, 3600))
    client, path = _confirmed(app, smtp_server)
    page = client.get(path)
    for n in range(2):
        data = {"csrf_token": csrf_token(page), "text": f"Message {n}"}
        assert client.post(path + "/reply", data=data).status_code == 302
    data = {"csrf_token": csrf_token(page), "text": "Kept message"}
    response = client.post(path + "/reply", data=data)
    assert response.status_code == 429 and "Kept message" in response.get_data(True)
    assert len([e for e in only_case().events if e.kind == "submitter_message"]) == 2


def test_an_htmx_answer_returns_the_case_part_only(app, people, smtp_server):
    client, path = _confirmed(app, smtp_server)
    page = client.get(path)
    response = client.post(
        path + "/reply",
        data={"csrf_token": csrf_token(page), "text": "By htmx"},
        headers={"HX-Request": "true"},
    )
    body = response.get_data(True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="public-case"' in body and "By htmx" in body
    # an empty answer is refused, on the same page
    response = client.post(path + "/reply", data={"csrf_token": csrf_token(page), "text": " "})
    assert response.status_code == 400 and "Write a message or add a document" in response.get_data(
        True
    )


def test_lost_link_is_rate_limited(app, people, monkeypatch):
    monkeypatch.setitem(ratelimit.RULES, "public.lost_link", ratelimit.Rule(1, 3600))
    client = visitor(app)
    page = client.get("/public/lost-link")
    data = {"csrf_token": csrf_token(page), "email": "someone@example.org"}
    assert client.post("/public/lost-link", data=data).status_code == 200
    assert client.post("/public/lost-link", data=data).status_code == 429


def test_officers_must_write_a_question_and_act_in_the_right_state(app, people, smtp_server):
    _confirmed(app, smtp_server)
    case = only_case()
    officer = as_user(app, people.handler)
    page = officer.get(f"/public-cases/{case.id}")
    response = officer.post(
        f"/public-cases/{case.id}/ask", data={"csrf_token": csrf_token(page), "text": ""}
    )
    assert response.status_code == 400 and "error-message" in response.get_data(True)
    officer.post(
        f"/public-cases/{case.id}/close",
        data={
            "csrf_token": csrf_token(page),
            "outcome": "not_within_scope",
            "text": "A court decides on it.",
        },
    )
    response = officer.post(
        f"/public-cases/{case.id}/accept", data={"csrf_token": csrf_token(page)}
    )
    assert response.status_code == 400 and "error-summary" in response.get_data(True)
    assert only_case().state == PublicCaseState.CLOSED


def test_external_pages_offer_no_officer_links(app, people):
    page = visitor(app).get("/public/").get_data(True)
    assert "/register" not in page


def test_the_inbox_pages_by_keyset(app, people, smtp_server, monkeypatch):
    from app.blueprints.public_cases import routes

    monkeypatch.setattr(routes, "PAGE", 1)
    client = visitor(app)
    for _ in range(2):
        submit_case(client)
        confirm_case(client, smtp_server)
    officer = as_user(app, people.handler)
    first = officer.get("/public-cases").get_data(True)
    references = re.findall(r">(PUB-[A-Z0-9]{10})<", first)
    assert len(references) == 1
    after = re.search(r'href="/public-cases\?state=open&amp;after=([^"]+)"', first).group(1)
    second = officer.get("/public-cases?state=open&after=" + html.unescape(after))
    page = second.get_data(True)
    others = re.findall(r">(PUB-[A-Z0-9]{10})<", page)
    assert len(others) == 1 and others != references
    assert officer.get("/public-cases?after=nonsense").status_code == 200


def test_unconfirmed_cases_are_purged_after_48_hours(app, people, smtp_server):
    from datetime import timedelta

    from app.cases import attachments
    from app.extensions import db
    from app.models.base import utcnow

    client = visitor(app)
    submit_case(client, files=[pdf()])
    submit_case(client)
    confirm_case(client, smtp_server)  # the second one is confirmed
    first = only_case()
    path = attachments.path_for(first.documents[0].storage_name)
    assert path.exists()
    first.confirm_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["public", "purge", "--instance", "production"])
    assert result.exit_code == 0, result.output
    assert "1 unconfirmed public cases deleted" in result.output
    assert not path.exists()
    remaining = only_case()
    assert remaining is not None and remaining.state == PublicCaseState.SUBMITTED
