"""Who is told of each step of a request: the other party, by a mail in its officer's
language saying what happened, and nobody on the side that acted."""

from __future__ import annotations

from flask_babel import force_locale

from app.cases.requests.notices import NOTICES
from app.extensions import db
from app.models import Request
from tests.web.requests.conftest import as_user, compose, only_request, submit


def act(client, item: Request, action: str, data: dict | None = None):
    page = f"/requests/{item.id}"
    response = submit(client, page, f"{page}/{action}", data or {})
    assert response.status_code == 302, action
    return response


def told(smtp_server, since: int) -> list[tuple[str, str]]:
    """The (recipient, body) of each mail sent since the first `since` ones."""
    return [(m["To"], m.get_payload(decode=True).decode()) for m in smtp_server.messages[since:]]


def says(user, what: str) -> str:
    with force_locale(user.language):
        return str(NOTICES[what])


def test_each_step_tells_the_other_party_what_happened(app, people, smtp_server):
    requester, handler = people.requester, people.handler
    berlin = as_user(app, requester)
    compose(berlin, people.authorities["paris"].id)
    item = only_request()
    allocator = as_user(app, people.allocator)
    act(allocator, item, "assign", {"handler": handler.id})
    paris = as_user(app, handler)
    questions = [q.id for q in item.questions]
    answers = {f"answer-{q}": v for q, v in zip(questions, ("yes", "active", "no"), strict=True)}

    steps = [
        # (who acts, action, form, who is told, of what)
        (paris, "accept", {}, requester, "accepted"),
        (paris, "ask-info", {"ask_info-text": "Date of birth?"}, requester, "info_requested"),
        (berlin, "reply-info", {"reply_info-text": "2 April 1980."}, handler, "info_given"),
        (paris, "answers", {**answers, "send": "1"}, requester, "answered"),
        (berlin, "further-question", {"further_question-text": "Since?"}, handler, "further_question"),
        (paris, "answers", {**answers, "send": "1"}, requester, "answered"),
        (berlin, "close", {}, handler, "closed"),
    ]  # fmt: skip
    for client, action, form, recipient, what in steps:
        # Given the mails sent so far, when one side takes the step
        before = len(smtp_server.messages)
        act(client, item, action, form)
        db.session.refresh(item)

        # Then the other side's officer alone is told what happened, in their language
        mails = told(smtp_server, before)
        assert [to for to, _body in mails] == [recipient.email], action
        assert says(recipient, what) in mails[0][1], action


def test_a_withdrawal_tells_the_officer_handling_the_request(app, people, smtp_server):
    berlin = as_user(app, people.requester)
    compose(berlin, people.authorities["paris"].id)
    item = only_request()
    act(as_user(app, people.allocator), item, "assign", {"handler": people.handler.id})

    before = len(smtp_server.messages)
    act(berlin, item, "withdraw", {"withdraw-text": "The applicant withdrew."})

    mails = told(smtp_server, before)
    assert [to for to, _body in mails] == [people.handler.email]
    assert says(people.handler, "withdrawn") in mails[0][1]
