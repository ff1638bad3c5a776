"""A request's forms refused because another officer changed the case while they were
open: the refusal says what it keeps (app/blueprints/requests/page.py CARRIES).

Text typed is kept ("Your text is below", STALE); only a choice made, kept in the form
shown again ("Your choice is kept below", STALE_CHOICE: a handler chosen, a later reply
date proposed when accepting); nothing to keep (a button: accepting without a date,
closing without a note; a file, which the page cannot keep: STALE_ACTION). A proposed
date is a choice: it is shown again in its three inputs, and is no "text". A choice the
page no longer offers (a colleague accepted first) is not kept, and not said to be.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from markupsafe import escape

from app.cases import requests
from app.extensions import db
from app.models import Request, RequestState
from tests.factories import date_input, form_in, rendered_form, stale_words, summary_links
from tests.web.requests.conftest import as_user
from tests.web.requests.test_who_may_act import ANSWERED, PDF, SENT, _actor, build

WORDINGS = ("STALE", "STALE_CHOICE", "STALE_ACTION")


def url(item: Request, step: str = "") -> str:
    return f"/requests/{item.id}" + (f"/{step}" if step else "")


def the_request(item: Request) -> Request:
    db.session.expire_all()
    return db.session.get(Request, item.id)


def refused_in(response, user, wording: str) -> str:
    """Refused as stale (400) in the words `wording` alone, in the user's language."""
    assert response.status_code == 400
    page = response.get_data(True)
    messages = [m for _, m in summary_links(page)]
    assert stale_words(user.language, wording) in messages
    for other in set(WORDINGS) - {wording}:
        assert stale_words(user.language, other) not in page, other
    return page


def assigned_by_allocator(people, item: Request) -> None:
    """The responder's allocator assigns the request: its version moves on."""
    requests.assign(_actor(people.allocator), item, people.other_handler.id)


@pytest.mark.parametrize("proposed", [True, False], ids=["a date proposed", "no date"])
def test_a_stale_accept_says_a_date_proposed_is_kept_and_a_bare_accept_is_to_redo(
    app, people, proposed
):
    # given the handler's accept form, a later reply date proposed or not
    item = build(people, SENT)
    handler = as_user(app, people.handler)
    form = rendered_form(handler, url(item), url(item, "accept"))
    later = (item.reply_due + timedelta(days=30)).isoformat() if proposed else ""
    # when the allocator assigns the request, then the handler accepts it
    assigned_by_allocator(people, item)
    response = handler.post(url(item, "accept"), data={**form, **date_input("proposed_due", later)})
    # then it is refused: with a date, the date is kept in the form shown again
    page = refused_in(response, people.handler, "STALE_CHOICE" if proposed else "STALE_ACTION")
    if proposed:
        year, month, day = later.split("-")
        again = form_in(page, url(item, "accept"))
        for part, value in (("day", day), ("month", month), ("year", year)):
            assert f'name="proposed_due-{part}" value="{value}"' in again
    assert the_request(item).state == RequestState.SENT


def test_a_stale_accept_the_page_no_longer_offers_keeps_no_choice(app, people):
    # given the handler's accept form, a later reply date proposed
    item = build(people, SENT)
    handler = as_user(app, people.handler)
    form = rendered_form(handler, url(item), url(item, "accept"))
    later = (item.reply_due + timedelta(days=30)).isoformat()
    # when a colleague accepts first, then the handler accepts with the date
    requests.accept(_actor(people.other_handler), item, None)
    response = handler.post(url(item, "accept"), data={**form, **date_input("proposed_due", later)})
    # then the page no longer offers to accept: the date is not kept, and not said to be
    page = refused_in(response, people.handler, "STALE_ACTION")
    assert f'action="{url(item, "accept")}"' not in page
    assert the_request(item).proposed_due is None


def test_a_stale_assignment_keeps_the_handler_chosen(app, people):
    # given the allocator's assign page, a handler chosen
    item = build(people, SENT)
    allocator = as_user(app, people.allocator)
    form = rendered_form(allocator, url(item, "assign"))
    # when a colleague accepts the request, then the allocator assigns it
    requests.accept(_actor(people.other_handler), item, None)
    response = allocator.post(url(item, "assign"), data={**form, "handler": people.handler.id})
    # then it is refused, the choice kept in the form shown again
    page = refused_in(response, people.allocator, "STALE_CHOICE")
    chosen = people.handler.id
    assert re.search(rf'<option selected value="{chosen}"|<option value="{chosen}" selected', page)
    assert the_request(item).handler_id != chosen  # the colleague who accepted it


@pytest.mark.parametrize("note", ["Thank you, all clear.", ""], ids=["a note", "no note"])
def test_a_stale_closing_says_a_note_is_kept_and_a_bare_close_is_to_redo(app, people, note):
    # given the requester's close page, a closing note written or not
    item = build(people, ANSWERED)
    requester = as_user(app, people.requester)
    form = rendered_form(requester, url(item, "close"))
    # when the responder refers a disagreement, then the requester closes the request
    requests.refer(_actor(people.handler), item, "The answers are incomplete.")
    response = requester.post(url(item, "close"), data={**form, "close-text": note})
    # then it is refused: the note, typed, is kept; without one, nothing is said kept
    page = refused_in(response, people.requester, "STALE" if note else "STALE_ACTION")
    if note:
        assert str(escape(note)) in form_in(page, url(item, "close"))
    assert the_request(item).state == RequestState.ANSWERED


def test_a_stale_question_keeps_its_text(app, people):
    # given the handler's question for the requester, written on an accepted request
    item = build(people, SENT)
    requests.accept(_actor(people.handler), item, None)
    handler = as_user(app, people.handler)
    form = rendered_form(handler, url(item, "ask-info"))
    text = "Merci d'envoyer la date de naissance exacte."
    # when the allocator assigns the request, then the handler sends the question
    assigned_by_allocator(people, item)
    response = handler.post(url(item, "ask-info"), data={**form, "ask_info-text": text})
    # then it is refused, the text kept in its form
    page = refused_in(response, people.handler, "STALE")
    assert str(escape(text)) in form_in(page, url(item, "ask-info"))
    assert the_request(item).state == RequestState.ACCEPTED


def test_a_file_that_loses_a_race_is_to_be_chosen_again(app, people, monkeypatch):
    # given the handler adding a file to an accepted request, another officer's change
    # committed a moment earlier (a file conflicts with nothing else: only a lost race
    # refuses it)
    from sqlalchemy.orm.exc import StaleDataError

    item = build(people, SENT)
    requests.accept(_actor(people.handler), item, None)
    handler = as_user(app, people.handler)
    form = rendered_form(handler, url(item), url(item, "attachments"))

    def lost(*_args, **_kwargs):
        raise StaleDataError("UPDATE statement on table 'request' matched 0 rows")

    monkeypatch.setattr(requests, "attach", lost)
    data = {**form, "file": (io.BytesIO(PDF), "diploma.pdf")}
    response = handler.post(url(item, "attachments"), data=data)
    # then it is refused in words that keep nothing: the page cannot keep a file
    refused_in(response, people.handler, "STALE_ACTION")
    assert the_request(item).attachments == []
