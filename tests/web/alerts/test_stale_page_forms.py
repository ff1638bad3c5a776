"""The alert page's forms when the alert changed while they were open.

A receiving coordinator ticks competent authorities, or writes a comment; a validating
coordinator writes why they return the alert; meanwhile someone else changes the alert.
The post is refused as stale (400, the reason in the error summary), and the page comes
back with what was chosen or typed still there, carrying the alert's new version: sent
again as it is shown, it is taken.
"""

from __future__ import annotations

import re

import html5lib
from markupsafe import escape

from app.extensions import db
from app.models import Alert, AlertState, RecipientState
from tests.factories import (
    form_in,
    hidden_of,
    make_authority,
    make_user,
    rendered_form,
    stale_words,
    summary_links,
)
from tests.web.alerts.conftest import FIELDS, as_user, compose, grant, only_alert


def the_alert() -> Alert:
    db.session.expire_all()
    return only_alert()


def ticked(form: str) -> list[str]:
    """The values of a form's checkboxes that are checked, as a browser posts them."""
    parsed = html5lib.parseFragment(form, namespaceHTMLElements=False)
    boxes = parsed.iterfind(".//input[@type='checkbox']")
    return [box.get("value") for box in boxes if "checked" in box.attrib]


WORDINGS = ("STALE", "STALE_CHOICE", "STALE_ACTION")


def refused_as_stale(response, user, wording: str = "STALE") -> str:
    """Refused as stale (400), the reason in the error summary in the words that fit what
    the form carried (app/blueprints/alerts/common.py CARRIES), and in no other words:
    STALE for a text, STALE_CHOICE for boxes ticked, STALE_ACTION for a button."""
    assert response.status_code == 400
    page = response.get_data(True)
    assert stale_words(user.language, wording) in [m for _, m in summary_links(page)]
    for other in set(WORDINGS) - {wording}:
        assert stale_words(user.language, other) not in page, other
    return page


def updated_by_sender(app, people, alert_id: int) -> None:
    """Berlin sends a new version of the alert."""
    sender = as_user(app, people.sender)
    url = f"/alerts/{alert_id}/update"
    data = {**rendered_form(sender, url), **FIELDS, "message": "Neu gefasst.", "update": "1"}
    assert sender.post(url, data=data).status_code == 302


def open_in_france(app, people, name: str):
    """An alert Berlin sent to France, and the French coordinator's page open on it: the
    alert's id, the coordinator's client, where the page's form `name` posts, and what
    it carries hidden."""
    assert compose(as_user(app, people.sender), countries=("FR",)).status_code == 302
    alert_id = only_alert().id
    action = f"/alerts/{alert_id}/{name}"
    french = as_user(app, people.coordinator_fr)
    return alert_id, french, action, rendered_form(french, f"/alerts/{alert_id}", action)


def test_a_stale_dissemination_keeps_the_ticked_authorities(app, people):
    # given an alert sent to France, where three authorities may receive it
    coordinators = people.authorities
    for city, name in (("marseille", "Conseil de Marseille"), ("lille", "Agence de Lille")):
        coordinators[city] = make_authority("FR", name=name, parent=coordinators["FR"])
        grant(coordinators[city], ["alert_receiver"])
    # and the French coordinator's page open, two of the three ticked
    alert_id, french, action, form = open_in_france(app, people, "disseminate")
    chosen = sorted(str(coordinators[c].id) for c in ("paris", "marseille"))
    # when the sender updates the alert, then the coordinator disseminates
    updated_by_sender(app, people, alert_id)
    response = french.post(action, data={**form, "authorities": chosen})
    # then it is refused as stale, saying the choice is kept (no text was typed), nothing
    # disseminated, the two still ticked
    shown = refused_as_stale(response, people.coordinator_fr, "STALE_CHOICE")
    fr = the_alert().recipients[0]
    assert (fr.state, fr.disseminated_to) == (RecipientState.RECEIVED, [])
    again = form_in(shown, action)
    assert sorted(ticked(again)) == chosen
    assert f'value="{coordinators["lille"].id}"' in again
    # and the form now carries the new version: sent as shown, it disseminates to the two
    hidden = hidden_of(shown, action)
    assert hidden["version"] == str(the_alert().version) != form["version"]
    assert french.post(action, data={**hidden, "authorities": ticked(again)}).status_code == 302
    fr = the_alert().recipients[0]
    assert fr.state == RecipientState.DISSEMINATED
    assert sorted(map(str, fr.disseminated_to)) == chosen


def test_a_stale_dissemination_the_page_no_longer_offers_keeps_no_choice(app, people):
    # given the French coordinator's page open, an authority ticked
    alert_id, french, action, form = open_in_france(app, people, "disseminate")
    # when the sender withdraws the alert, then the coordinator disseminates
    sender = as_user(app, people.sender)
    withdraw = f"/alerts/{alert_id}/withdraw"
    data = {**rendered_form(sender, withdraw), "reason": "Aufgehoben.", "confirm": "withdraw"}
    assert sender.post(withdraw, data=data).status_code == 302
    paris = str(people.authorities["paris"].id)
    response = french.post(action, data={**form, "authorities": [paris]})
    # then the page no longer offers to disseminate: the choice is not said to be kept
    shown = refused_as_stale(response, people.coordinator_fr, "STALE_ACTION")
    assert f'action="{action}"' not in shown
    assert the_alert().recipients[0].disseminated_to == []


def test_a_stale_acknowledgement_is_only_to_be_done_again(app, people):
    # given the French coordinator's page open on a sent alert
    alert_id, french, action, form = open_in_france(app, people, "acknowledge")
    # when the sender updates the alert, then the coordinator acknowledges it
    updated_by_sender(app, people, alert_id)
    response = french.post(action, data=form)
    # then it is refused in words that keep nothing (a button carries nothing), and the
    # page shown again offers the acknowledgement, with the new version
    shown = refused_as_stale(response, people.coordinator_fr, "STALE_ACTION")
    assert the_alert().recipients[0].acknowledged_at is None
    hidden = hidden_of(shown, action)
    assert french.post(action, data=hidden).status_code == 302
    assert the_alert().recipients[0].acknowledged_at is not None


def test_a_stale_comment_of_a_receiving_coordinator_keeps_its_text(app, people):
    # given the French coordinator's comment form open on a sent alert
    alert_id, french, action, form = open_in_france(app, people, "comment")
    text = "Le médecin exerce à Lille : l'Agence est informée."
    # when the sender updates the alert, then the coordinator sends the comment
    updated_by_sender(app, people, alert_id)
    response = french.post(action, data={**form, "text": text})
    # then it is refused, the comment kept in its form, which carries the new version
    shown = refused_as_stale(response, people.coordinator_fr)
    assert str(escape(text)) in form_in(shown, action)
    hidden = hidden_of(shown, action)
    assert hidden["version"] == str(the_alert().version)
    assert french.post(action, data={**hidden, "text": text}).status_code == 302
    assert [e.text for e in the_alert().events if e.kind == "comment"] == [text]


def test_a_return_refused_because_a_colleague_validated_first_keeps_its_reason(app, people):
    # given an alert awaiting Germany's validation, the return form open
    sender = as_user(app, people.sender)
    assert compose(sender, countries=("FR",), needs_validation="1").status_code == 302
    alert_id = only_alert().id
    page, action = f"/alerts/{alert_id}", f"/alerts/{alert_id}/return"
    validator = as_user(app, people.coordinator_de)
    form = rendered_form(validator, page, action)
    # when a colleague validates it first, then the coordinator returns it
    colleague = as_user(app, make_user(people.authorities["DE"], ["coordinator"]))
    approve = f"/alerts/{alert_id}/approve"
    assert colleague.post(approve, data=rendered_form(colleague, page, approve)).status_code == 302
    reason = "Le lieu de naissance manque."
    response = validator.post(action, data={**form, "reason": reason})
    # then it is refused as stale, the alert stays validated, and the reason typed is
    # shown back to copy (the page no longer offers to return the alert)
    shown = refused_as_stale(response, people.coordinator_de)
    assert the_alert().state == AlertState.SENT
    assert f'action="{action}"' not in shown
    kept = re.search(r'<div class="kept">.*?</div>', shown, re.S)
    assert kept and "<textarea readonly" in kept[0] and str(escape(reason)) in kept[0]
