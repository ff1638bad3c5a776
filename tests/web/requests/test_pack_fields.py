"""A request's details and answers through the pack forms: one message per field, in
the summary linked to the field's first input and beside the field; what was typed is
kept; a date is entered in three inputs and stored as ISO."""

from __future__ import annotations

from flask import current_app
from markupsafe import escape

from app.extensions import db
from app.models import Request, RequestState
from app.procedures import registry
from tests.factories import date_input, said, summary_links, words
from tests.web.requests.conftest import as_user, compose, only_request
from tests.web.requests.test_lifecycle import act

DATE = "detail-date_of_birth"


def label(key: str, language: str = "de") -> str:
    """A detail's label as the pack words it in `language` (the requester's German)."""
    pack = registry(current_app)["pq_good_standing"]
    text = next(f.text for f in pack.request_fields if f.key == key)
    return pack.gettext(text, language)


def test_a_date_missing_its_month_is_refused_with_the_field_named_and_nothing_lost(app, people):
    # Given a German officer sending a request whose date of birth lacks its month
    requester = as_user(app, people.requester)
    parts = {**date_input(DATE, "1980-04-02"), f"{DATE}-month": ""}
    response = compose(requester, people.authorities["paris"].id, **parts)
    # Then it is refused, nothing is stored
    assert response.status_code == 400
    assert db.session.query(Request).count() == 0
    page = response.get_data(True)
    # the summary names the field in German and links to the month input
    message = said("%(field)s must include a month", field=label("date_of_birth"))
    assert summary_links(page) == [(f"{DATE}-month", message)]
    assert f"<title>{said('Error:')} " in page
    # beside the field, the same message, the fieldset described by it
    assert f'<p class="error-message" id="{DATE}-error">' in page
    assert f'aria-describedby="{DATE}-error"' in page
    # the day and year typed are kept, the month marked wrong, the other fields kept
    assert f'name="{DATE}-day" value="02">' in page
    assert f'name="{DATE}-year" value="1980">' in page
    assert f'name="{DATE}-month" value="" aria-invalid="true">' in page
    assert "Doctor of medicine</textarea>" in page and "Dr. Marie Dupont" in page


def test_an_impossible_date_is_not_a_real_date(app, people):
    requester = as_user(app, people.requester)
    response = compose(
        requester, people.authorities["paris"].id, **date_input(DATE, "2027-02-31"), send=False
    )
    assert response.status_code == 400
    assert summary_links(response.get_data(True)) == [
        (f"{DATE}-day", said("%(field)s must be a real date", field=label("date_of_birth")))
    ]


def test_every_missing_detail_is_named_and_linked_on_sending(app, people):
    requester = as_user(app, people.requester)
    empty = {"detail-profession": "", **date_input(DATE)}
    response = compose(requester, people.authorities["paris"].id, **empty)
    assert response.status_code == 400
    assert summary_links(response.get_data(True)) == [
        ("detail-profession", said("Enter %(field)s", field=label("profession"))),
        (f"{DATE}-day", said("Enter %(field)s", field=label("date_of_birth"))),
    ]
    # a draft may lack them
    response = compose(requester, people.authorities["paris"].id, send=False, **empty)
    assert response.status_code == 302
    assert only_request().details == {}


def test_a_date_in_three_inputs_is_stored_as_iso_and_shown_again_for_editing(app, people):
    requester = as_user(app, people.requester)
    parts = {f"{DATE}-day": "02", f"{DATE}-month": "4", f"{DATE}-year": "1980"}
    response = compose(requester, people.authorities["paris"].id, send=False, **parts)
    assert response.status_code == 302
    item = only_request()
    assert item.details == {"profession": "Doctor of medicine", "date_of_birth": "1980-04-02"}
    page = requester.get(f"/requests/{item.id}/edit").get_data(True)
    assert f'name="{DATE}-day" value="2">' in page and f'name="{DATE}-month" value="4">' in page


def accepted_request(app, people):
    """A request sent from Berlin to Paris, accepted by the French handler."""
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id)
    item = only_request()
    handler = as_user(app, people.handler)
    assert act(handler, item, "accept").status_code == 302
    return item, handler


def test_answers_are_refused_per_question_and_what_was_typed_is_kept(app, people):
    # Given the French handler sending the reply with the first question unanswered
    item, handler = accepted_request(app, people)
    first, second, third = item.questions
    reply = {f"answer-{second.id}": "bogus", f"answer-{third.id}": "no", "send": "1"}
    reply.update({f"comment-{first.id}": "Voir le registre.", "text": "Réponse"})
    response = act(handler, item, "answers", reply)
    # Then each question with a problem is named by its number and linked, in the summary
    assert response.status_code == 400
    page = response.get_data(True)
    answer = {n: words("the answer to question %(number)s", "fr", number=n) for n in (1, 2)}
    assert summary_links(page) == [
        (f"answer-{first.id}-yes", said("Select %(field)s", "fr", field=answer[1])),
        (f"answer-{second.id}", said("Select %(field)s", "fr", field=answer[2])),
    ]
    # and what was typed is kept: the third answer, the comment, the message
    assert f'name="answer-{third.id}" value="no" checked>' in page
    assert "Voir le registre.</textarea>" in page and "Réponse</textarea>" in page
    db.session.refresh(item)
    assert item.state == RequestState.ACCEPTED and all(q.answer is None for q in item.questions)


def test_answers_may_be_saved_incomplete_and_are_stored_typed(app, people):
    item, handler = accepted_request(app, people)
    first, second, _third = item.questions
    data = {f"answer-{first.id}": "yes", f"answer-{second.id}": "active", "save": "1"}
    assert act(handler, item, "answers", data).status_code == 302
    db.session.refresh(item)
    assert [q.answer for q in item.questions] == ["yes", "active", None]
    # the case page shows them chosen, in the handler's language
    page = handler.get(f"/requests/{item.id}").get_data(True)
    assert f'id="answer-{first.id}-yes" name="answer-{first.id}" value="yes" checked>' in page
    pack = registry(current_app)["pq_good_standing"]
    status = pack.question_sets[0].questions[1]
    assert str(escape(pack.gettext(status.text, "fr"))) in page
    assert str(escape(status.text)) not in page
