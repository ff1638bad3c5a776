"""The officers' public case page: closing through a confirmation page, and refused
messages in the error summary, linked to their field, the text kept.

Who may open the confirmation is a table written from the domain (the same sides as
tests/web/public/test_who_may_act.py); a GET changes nothing. Who may POST it is that
file's table (it posts to the same address).
"""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import PublicCase, PublicCaseState
from tests.factories import csrf_token, post_form, summary_links
from tests.web.public.test_who_may_act import SIDES, case_in, snapshot
from tests.web.public.test_who_may_act import world as world  # the fixture
from tests.web.requests.conftest import as_user

S = PublicCaseState
STATES = (S.UNCONFIRMED, S.SUBMITTED, S.AWAITING_SUBMITTER, S.CLOSED)


def expected_get(who: str, state: PublicCaseState) -> int:
    may_act, refusal = SIDES[who]
    if refusal == 404 or state == S.UNCONFIRMED:
        return 404  # not theirs to see, or not yet anybody's
    if not may_act:
        return 302  # a viewer, an administrator: back to the case page, told why
    return 200 if state != S.CLOSED else 302


@pytest.mark.parametrize("who", list(SIDES))
def test_who_may_open_the_closing_confirmation_and_it_changes_nothing(app, world, who):
    officer = as_user(app, world.users[who])
    wrong = []
    for state in STATES:
        case, _token = case_in(world, state)
        before = snapshot(case.id)
        response = officer.get(f"/public-cases/{case.id}/close")
        if response.status_code != expected_get(who, state):
            wrong.append(f"{state.value}: {response.status_code}")
        if response.status_code == 200:
            assert 'name="confirm" value="close"' in response.get_data(True)
        assert snapshot(case.id) == before, state
    assert wrong == []


def test_the_closing_note_is_stored_and_sent(app, world):
    officer = as_user(app, world.users["routed handler"])
    case, _token = case_in(world, S.IN_PROGRESS)
    page = officer.get(f"/public-cases/{case.id}").get_data(True)
    # the case page links to the confirmation; closing is no button beside the messages
    assert f'href="/public-cases/{case.id}/close"' in page
    note = {"text": "Not within scope.", "outcome": "not_within_scope", "confirm": "close"}
    assert post_form(officer, f"/public-cases/{case.id}/close", note).status_code == 302
    case = db.session.get(PublicCase, case.id)
    db.session.refresh(case)
    assert case.state == S.CLOSED
    assert case.events[-1].text == "Not within scope."


def test_a_refused_closing_note_comes_back_with_its_text(app, world):
    officer = as_user(app, world.users["routed handler"])
    case, _token = case_in(world, S.IN_PROGRESS)
    token = csrf_token(officer.get(f"/public-cases/{case.id}/close"))
    too_long = "y" * 10001
    response = officer.post(
        f"/public-cases/{case.id}/close", data={"csrf_token": token, "text": too_long}
    )
    assert response.status_code == 400
    page = response.get_data(True)
    assert [target for target, _message in summary_links(page)] == ["text"]
    assert too_long in page
    assert db.session.get(PublicCase, case.id).state == S.IN_PROGRESS


def test_a_question_without_text_is_refused_on_its_field(app, world):
    officer = as_user(app, world.users["routed handler"])
    case, _token = case_in(world, S.IN_PROGRESS)
    before = snapshot(case.id)
    token = csrf_token(officer.get(f"/public-cases/{case.id}"))
    response = officer.post(f"/public-cases/{case.id}/ask", data={"csrf_token": token, "text": " "})
    assert response.status_code == 400
    page = response.get_data(True)
    assert summary_links(page) == [
        ("text", "Write your message to the submitter or add a document")
    ]
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="text"', page) or re.search(
        r'id="text"[^>]*aria-invalid="true"', page
    )
    assert snapshot(case.id) == before
