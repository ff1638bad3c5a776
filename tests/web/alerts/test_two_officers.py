"""Two officers of the sending authority acting on one alert, and one form sent twice.

A form rendered before another officer changed the alert is refused: the page comes back
(400) with the reason in the error summary and what was typed kept, and nothing changed.
The same rendered form sent twice (a double click, a retry) changes the alert once; the
second sending goes where the first led.
"""

from __future__ import annotations

import io

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from app.extensions import db
from app.models import Alert, AlertAttachment, AlertEvent, AlertState
from tests.factories import make_user, rendered_form, stale_words, summary_links
from tests.web.alerts.conftest import FIELDS, PROCEDURE, as_user, compose, only_alert


def the_alert() -> Alert:
    db.session.expire_all()
    return only_alert()


def comments() -> list[str]:
    db.session.expire_all()
    rows = select(AlertEvent.text).where(AlertEvent.kind == "comment").order_by(AlertEvent.id)
    return list(db.session.scalars(rows))


def refused_as_stale(response, user, *kept: str) -> None:
    """A form refused because another officer changed the alert first: 400, the reason in
    the error summary in the user's language, what they typed on the page."""
    assert response.status_code == 400
    body = response.get_data(True)
    assert stale_words(user.language) in [m for _, m in summary_links(body)]
    for text in kept:
        assert str(escape(text)) in body


def updated_by_colleague(app, people, alert_id: int) -> None:
    """A second officer of Berlin sends a new version of the alert (its text changes)."""
    colleague = as_user(app, make_user(people.authorities["berlin"], ["alert_handler"]))
    url = f"/alerts/{alert_id}/update"
    data = {**rendered_form(colleague, url), **FIELDS, "message": "Neu gefasst.", "update": "1"}
    assert colleague.post(url, data=data).status_code == 302


# form -> (its page, where it posts, what the officer typed, the typed text as shown,
# what tells it was taken)
FORMS = {
    "comment": (
        "/alerts/{id}",
        "/alerts/{id}/comment",
        {"text": "Bitte beachten: Berufung eingelegt."},
        "Bitte beachten: Berufung eingelegt.",
        lambda: len([t for t in comments() if "Berufung" in t]),
    ),
    "withdraw": (
        "/alerts/{id}/withdraw",
        "/alerts/{id}/withdraw",
        {"reason": "Entscheidung aufgehoben.", "confirm": "withdraw"},
        "Entscheidung aufgehoben.",
        lambda: int(the_alert().state == AlertState.WITHDRAWN),
    ),
    "update": (
        "/alerts/{id}/update",
        "/alerts/{id}/update",
        {**FIELDS, "message": "Approbation ruht.", "note": "Korrektur", "update": "1"},
        "Approbation ruht.",
        lambda: int(the_alert().message == "Approbation ruht."),
    ),
}


def sender_form(app, people, name: str):
    """A sent alert, and the sender's form `name` rendered: the sender's client, where
    the form posts, and what it carries hidden."""
    sender = as_user(app, people.sender)
    assert compose(sender).status_code == 302
    alert_id = only_alert().id
    page, action = (url.format(id=alert_id) for url in FORMS[name][:2])
    return sender, action, rendered_form(sender, page, action)


@pytest.mark.parametrize("name", FORMS)
def test_a_form_rendered_before_a_colleagues_change_is_refused_with_its_text(app, people, name):
    # given the sender's form rendered
    sender, action, form = sender_form(app, people, name)
    _page, _action, typed, shown, taken = FORMS[name]
    assert form.get("version")
    # when another officer changes the alert, then the sender sends the form
    updated_by_colleague(app, people, only_alert().id)
    version = the_alert().version
    response = sender.post(action, data={**form, **typed})
    # then it is refused, in the error summary, the text kept, nothing changed
    refused_as_stale(response, people.sender, shown)
    assert taken() == 0
    assert the_alert().version == version


@pytest.mark.parametrize("name", FORMS)
def test_one_form_sent_twice_changes_the_alert_once(app, people, name):
    sender, action, form = sender_form(app, people, name)
    typed, taken = FORMS[name][2], FORMS[name][4]
    first, second = (sender.post(action, data={**form, **typed}) for _ in range(2))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.location == second.location
    assert taken() == 1


def test_a_new_alert_sent_twice_is_one_alert(app, people):
    sender = as_user(app, people.sender)
    page = f"/alerts/new?procedure={PROCEDURE}"
    form = {
        **rendered_form(sender, page, "/alerts/new"),
        "procedure": PROCEDURE,
        **FIELDS,
        "message": "Approbation widerrufen.",
        "countries": ["FR"],
        "send": "1",
    }
    first, second = (sender.post("/alerts/new", data=form) for _ in range(2))
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.location == second.location == f"/alerts/{only_alert().id}"
    assert db.session.scalar(select(func.count()).select_from(Alert)) == 1
    assert the_alert().state == AlertState.SENT


def test_a_draft_saved_by_a_colleague_refuses_the_other_edit_and_keeps_it(app, people):
    # given a draft, open on its edit page in the sender's browser
    sender = as_user(app, people.sender)
    assert compose(sender, send=False).status_code == 302
    url = f"/alerts/{only_alert().id}/edit"
    form = rendered_form(sender, url)
    # when a colleague saves the draft first, then the sender saves theirs
    colleague = as_user(app, make_user(people.authorities["berlin"], ["alert_handler"]))
    theirs = {**rendered_form(colleague, url), **FIELDS, "message": "Kollegin.", "save": "1"}
    assert colleague.post(url, data=theirs).status_code == 302
    mine = {**form, **FIELDS, "message": "Meine Fassung.", "countries": ["FR"], "save": "1"}
    response = sender.post(url, data=mine)
    # then it is refused with the text kept; the colleague's draft stays
    refused_as_stale(response, people.sender, "Meine Fassung.")
    assert the_alert().message == "Kollegin."


def test_a_withdrawal_sent_after_a_colleagues_is_refused_as_stale_with_its_reason(app, people):
    # given the sender's withdraw form rendered, and a colleague withdrawing the alert first
    # (the race lost after the winner's commit: the alert is no longer withdrawable)
    sender, action, form = sender_form(app, people, "withdraw")
    colleague = as_user(app, make_user(people.authorities["berlin"], ["alert_handler"]))
    theirs = {**rendered_form(colleague, action), "reason": "Aufgehoben.", "confirm": "withdraw"}
    assert colleague.post(action, data=theirs).status_code == 302
    # when the sender sends theirs
    response = sender.post(action, data={**form, **FORMS["withdraw"][2]})
    # then they read that someone else changed it, with their reason kept
    refused_as_stale(response, people.sender, "Entscheidung aufgehoben.")
    assert the_alert().withdrawal_reason == "Aufgehoben."


def test_one_file_form_sent_twice_stores_one_file(app, people):
    # given the sender's file form on the alert page, rendered once
    sender = as_user(app, people.sender)
    assert compose(sender).status_code == 302
    alert_id = only_alert().id
    page, action = f"/alerts/{alert_id}", f"/alerts/{alert_id}/attachments"
    form = rendered_form(sender, page, action)
    assert form.get("submission")
    # when it is posted twice with the file (a double click, a retry)
    first, second = (
        sender.post(
            action, data={**form, "file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "decision.pdf")}
        )
        for _ in range(2)
    )
    # then both lead to the alert, and the file is stored once
    assert (first.status_code, second.status_code) == (302, 302)
    assert first.location == second.location == page
    assert [a.filename for a in the_alert().attachments] == ["decision.pdf"]
    assert db.session.scalar(select(func.count()).select_from(AlertAttachment)) == 1
