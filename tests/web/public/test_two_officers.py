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
        {"text": "Hors du champ de SOLVIT.", "outcome": "not_within_scope", "confirm": "close"},
        "closed",
    ),
}


# form -> (its page, where its form posts, where it is sent, what the officer sent, the
# event it makes, the words it is refused in when stale: a text typed is kept below;
# a button, or a note left blank, keeps nothing)
STALE_FORMS = {
    **{name: (*spec, "STALE") for name, spec in ACTIONS.items()},
    "accept": ("", "/accept", "/accept", {}, "accepted", "STALE_ACTION"),
    "close without a note": (
        "/close",
        "/close",
        "/close",
        {"text": "", "outcome": "not_within_scope", "confirm": "close"},
        "closed",
        "STALE_ACTION",
    ),
}


@pytest.mark.parametrize("name", STALE_FORMS)
def test_a_form_rendered_before_a_colleagues_change_is_refused_in_words_that_fit_it(
    app, world, name
):
    # given a submitted case, and one officer's form rendered
    case, _token = case_in(world, S.SUBMITTED)
    url = f"/public-cases/{case.id}"
    page, form_action, sent_to, typed, kind, wording = STALE_FORMS[name]
    officer = as_user(app, world.users["routed handler"])
    form = rendered_form(officer, url + page, url + form_action)
    assert form.get("version")
    # when a colleague accepts the case, then the officer sends the form
    colleague = as_user(app, world.users["routed allocator"])
    accepted = colleague.post(f"{url}/accept", data=rendered_form(colleague, url, f"{url}/accept"))
    assert accepted.status_code == 302
    before, taken = snapshot(case.id), events(case.id, kind)
    response = officer.post(url + sent_to, data={**form, **typed})
    # then it is refused, in the error summary in the words that fit what was sent (and
    # in no other), the text kept, nothing changed
    assert response.status_code == 400
    body = response.get_data(True)
    language = world.users["routed handler"].language
    assert stale_words(language, wording) in [message for _, message in summary_links(body)]
    other = "STALE_ACTION" if wording == "STALE" else "STALE"
    assert stale_words(language, other) not in body
    if typed.get("text"):
        assert str(escape(typed["text"])) in body
    assert events(case.id, kind) == taken
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
