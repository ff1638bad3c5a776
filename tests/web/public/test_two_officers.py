"""Two officers of the routed authority acting on one public case, and one form sent twice.

A form rendered before another officer changed the case is refused: the page comes back
(400) with the reason in the error summary and what was typed kept, and nothing changed.
The same rendered form sent twice (a double click, a retry) changes the case once, and
the submitter's form sent twice makes one case; the second sending goes where the first
led.
"""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.extensions import db
from app.models import PublicCase, PublicCaseEvent, PublicCaseState
from tests.factories import rendered_form, stale_words, summary_links
from tests.web.public.conftest import FIELDS, PROCEDURE, visitor
from tests.web.public.test_who_may_act import case_in, snapshot
from tests.web.public.test_who_may_act import world as world  # the fixture
from tests.web.requests.conftest import as_user

S = PublicCaseState


def events(case_id: int, kind: str) -> int:
    db.session.expire_all()
    rows = select(func.count()).where(
        PublicCaseEvent.case_id == case_id, PublicCaseEvent.kind == kind
    )
    return db.session.scalar(rows)


# action -> (its page, where its form posts, where it is sent, what the officer typed,
# the event it makes)
ACTIONS = {
    "reply": ("", "/reply", "/reply", {"text": "Nous examinons votre dossier."}, "officer_message"),
    "ask": ("", "/reply", "/ask", {"text": "Merci d'envoyer le diplôme."}, "info_requested"),
    "close": (
        "/close",
        "/close",
        "/close",
        {"text": "Résolu : le formulaire S1 est délivré.", "confirm": "close"},
        "closed",
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_a_form_rendered_before_a_colleagues_change_is_refused_with_its_text(app, world, action):
    # given a submitted case, and one officer's form rendered
    case, _token = case_in(world, S.SUBMITTED)
    url = f"/public-cases/{case.id}"
    page, form_action, sent_to, typed, kind = ACTIONS[action]
    officer = as_user(app, world.users["routed handler"])
    form = rendered_form(officer, url + page, url + form_action)
    assert form.get("version")
    # when a colleague accepts the case, then the officer sends the form
    colleague = as_user(app, world.users["routed allocator"])
    accepted = colleague.post(f"{url}/accept", data=rendered_form(colleague, url, f"{url}/accept"))
    assert accepted.status_code == 302
    before = snapshot(case.id)
    response = officer.post(url + sent_to, data={**form, **typed})
    # then it is refused, in the error summary, the text kept, nothing changed
    assert response.status_code == 400
    body = response.get_data(True)
    language = world.users["routed handler"].language
    assert stale_words(language) in [message for _, message in summary_links(body)]
    assert stale_words(language, "STALE_ACTION") not in body
    assert str(escape(typed["text"])) in body
    assert events(case.id, kind) == 0
    assert snapshot(case.id) == before


# form -> (its page, where it posts, what the officer sent: no text)
UNTYPED = {
    "accept": ("", "/accept", {}),
    "close without a note": ("/close", "/close", {"text": "", "confirm": "close"}),
}


@pytest.mark.parametrize("name", UNTYPED)
def test_a_form_without_text_rendered_before_a_colleagues_change_is_to_be_redone(app, world, name):
    # given a submitted case, and one officer's form rendered: a button, or a closing
    # confirmation whose note stays blank
    case, _token = case_in(world, S.SUBMITTED)
    url = f"/public-cases/{case.id}"
    page, posts_to, sent = UNTYPED[name]
    officer = as_user(app, world.users["routed handler"])
    form = rendered_form(officer, url + page, url + posts_to)
    # when a colleague accepts the case, then the officer sends the form
    colleague = as_user(app, world.users["routed allocator"])
    accepted = colleague.post(f"{url}/accept", data=rendered_form(colleague, url, f"{url}/accept"))
    assert accepted.status_code == 302
    before = snapshot(case.id)
    response = officer.post(url + posts_to, data={**form, **sent})
    # then it is refused in words that keep nothing (not "your text is below")
    assert response.status_code == 400
    body = response.get_data(True)
    language = world.users["routed handler"].language
    assert stale_words(language, "STALE_ACTION") in [m for _, m in summary_links(body)]
    assert stale_words(language) not in body
    assert snapshot(case.id) == before


@pytest.mark.parametrize("action", [*ACTIONS, "accept"])
def test_one_form_sent_twice_changes_the_case_once(app, world, action):
    case, _token = case_in(world, S.SUBMITTED)
    url = f"/public-cases/{case.id}"
    page, form_action, sent_to, typed, kind = ACTIONS.get(
        action, ("", "/accept", "/accept", {}, "accepted")
    )
    officer = as_user(app, world.users["routed handler"])
    form = {**rendered_form(officer, url + page, url + form_action), **typed}
    first, second = (officer.post(url + sent_to, data=form) for _ in range(2))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.location == second.location == url
    assert events(case.id, kind) == 1


def test_the_submitters_form_sent_twice_makes_one_case(app, people):
    client = visitor(app)
    url = f"/public/{PROCEDURE}/FR/new"
    form = {
        **rendered_form(client, url),
        "name": "Jan Kowalski",
        "email": "jan.kowalski@example.org",
        "description": "My diploma of nurse was not recognised within the deadline.",
        **FIELDS,
    }
    first, second = (
        client.post(url, data=form, content_type="multipart/form-data") for _ in range(2)
    )
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.location == second.location == "/public/sent"
    assert db.session.scalar(select(func.count()).select_from(PublicCase)) == 1
