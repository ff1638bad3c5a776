"""The alert page's confirmation steps (withdraw, close, delete a draft), its errors and
its recipients table, via HTTP.

Who may open a confirmation page is written out as a table from the domain (the same
expectations as tests/web/alerts/test_who_may_act.py): a GET never changes the alert.
"""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Alert, AlertState
from tests.factories import csrf_token, summary_links
from tests.web.alerts.conftest import as_user
from tests.web.alerts.test_who_may_act import (
    OFFICERS,
    SEES,
    allowed,
    build,
    snapshot,
)
from tests.web.alerts.test_who_may_act import world as world  # the fixture

CONFIRMED = ("withdraw", "close", "discard")
# A state where each is allowed to its sender, one where it is not, one the outsiders see.
CONFIRM_STATES = ("draft", "disseminated", "closed")


def expected_get(action: str, state: str, officer) -> int:
    # a viewer may ask (a GET), and is sent back, told that its role does not allow it
    if officer.side not in SEES[state]:
        return 404
    return 200 if allowed(action, state, officer) else 302  # back to the alert, told why


@pytest.mark.parametrize("action", CONFIRMED)
def test_who_may_open_a_confirmation_page_and_it_changes_nothing(app, world, action):
    problems = []
    clients = {o.name: as_user(app, world.users[o.name]) for o in OFFICERS}
    for state in CONFIRM_STATES:
        alert_id = build(world, state)
        before = snapshot(alert_id)
        for officer in OFFICERS:
            response = clients[officer.name].get(f"/alerts/{alert_id}/{action}")
            status = expected_get(action, state, officer)
            if response.status_code != status:
                problems.append(
                    f"GET {action} on {state} by {officer.name}: {response.status_code}"
                )
            if status == 200:
                page = response.get_data(True)
                assert f'action="/alerts/{alert_id}/{action}"' in page
                assert 'class="button warning"' in page
        after = snapshot(alert_id)
        changed = sorted(k for k in before if k != "audit" and before[k] != after[k])
        assert not changed, f"GET {action} on {state} changed {changed}"
    assert not problems, "\n".join(problems)


def _sender(app, world):
    return as_user(app, world.users["berlin_alert_handler"])


def _post(client, url: str, data: dict):
    """POST with the token of the alert page (every action's form is on it or one step away)."""
    alert_page = "/".join(url.split("/")[:3])
    token = csrf_token(client.get(alert_page))
    return client.post(url, data={"csrf_token": token, **data})


def test_the_sender_withdraws_after_confirming_with_a_reason(app, world):
    sender = _sender(app, world)
    alert_id = build(world, "disseminated")
    # the alert page links to the confirmation, which asks for the reason
    page = sender.get(f"/alerts/{alert_id}").get_data(True)
    assert f'href="/alerts/{alert_id}/withdraw"' in page
    # without a reason: refused, the field marked and linked from the summary
    response = _post(sender, f"/alerts/{alert_id}/withdraw", {"reason": "  "})
    assert response.status_code == 400
    page = response.get_data(True)
    assert summary_links(page) == [("reason", "Give the reason for withdrawing the alert")]
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*name="reason"', page)
    assert snapshot(alert_id)["state"] == "sent"
    # with one: withdrawn, the reason kept
    response = _post(sender, f"/alerts/{alert_id}/withdraw", {"reason": "Annulled on appeal"})
    assert response.status_code == 302
    item = db.session.get(Alert, alert_id)
    db.session.refresh(item)
    assert item.state == AlertState.WITHDRAWN
    assert item.withdrawal_reason == "Annulled on appeal"


def test_closing_stores_the_note_and_a_refused_note_is_kept(app, world):
    sender = _sender(app, world)
    alert_id = build(world, "sent")
    too_long = "x" * 20001
    response = _post(sender, f"/alerts/{alert_id}/close", {"text": too_long})
    assert response.status_code == 400
    page = response.get_data(True)
    assert [target for target, _message in summary_links(page)] == ["text"]
    assert too_long in page
    response = _post(sender, f"/alerts/{alert_id}/close", {"text": "Prohibition ended"})
    assert response.status_code == 302
    item = db.session.get(Alert, alert_id)
    db.session.refresh(item)
    assert item.state == AlertState.CLOSED
    assert [e.text for e in item.events if e.kind == "closed"] == ["Prohibition ended"]


def test_a_draft_is_deleted_only_after_its_confirmation(app, world):
    sender = _sender(app, world)
    alert_id = build(world, "draft")
    assert sender.get(f"/alerts/{alert_id}/discard").status_code == 200
    assert db.session.get(Alert, alert_id) is not None
    response = _post(sender, f"/alerts/{alert_id}/discard", {"confirm": "discard"})
    assert response.status_code == 302 and response.location.endswith("/alerts?box=drafts")
    db.session.expire_all()
    assert db.session.get(Alert, alert_id) is None


@pytest.mark.parametrize(
    ("state", "officer", "action", "data", "target", "message"),
    [
        ("sent", "fr_coordinator", "comment", {"text": " "}, "comment-text", "Write your comment"),
        (
            "awaiting_validation",
            "de_coordinator",
            "return",
            {"reason": ""},
            "return-reason",
            "Give the reason for returning the alert",
        ),
        (
            "sent",
            "fr_coordinator",
            "disseminate",
            {},
            "disseminate-authorities",
            "Choose at least one competent authority.",
        ),
    ],
)
def test_a_refused_action_is_linked_to_its_field(
    app, world, state, officer, action, data, target, message
):
    client = as_user(app, world.users[officer])
    alert_id = build(world, state)
    before = snapshot(alert_id)
    response = _post(client, f"/alerts/{alert_id}/{action}", data)
    assert response.status_code == 400
    page = response.get_data(True)
    assert summary_links(page) == [(target, message)]
    assert 'class="error-message"' in page
    if action != "disseminate":  # the folded form is open again, its field marked
        assert '<details class="disclosure" open>' in page
        assert re.search(rf'<textarea[^>]*aria-invalid="true"[^>]*id="{target}"', page) or (
            re.search(rf'id="{target}"[^>]*aria-invalid="true"', page)
        )
    after = snapshot(alert_id)
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }


def _acknowledged_cell(page: str, country: str) -> str:
    row = next(r for r in page.split("<tr") if country in r and "<td" in r)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]


@pytest.mark.parametrize(
    ("state", "acknowledger"),
    [("sent", "fr_coordinator"), ("disseminated", "paris_alert_handler")],
)
def test_the_sender_sees_who_acknowledged(app, world, state, acknowledger):
    sender = _sender(app, world)
    alert_id = build(world, state)
    cell = _acknowledged_cell(sender.get(f"/alerts/{alert_id}").get_data(True), "France")
    assert cell.strip() == "—"
    # when a recipient acknowledges on its page
    recipient = as_user(app, world.users[acknowledger])
    assert _post(recipient, f"/alerts/{alert_id}/acknowledge", {}).status_code == 302
    # then the sender's recipients table says so, with the date
    cell = _acknowledged_cell(sender.get(f"/alerts/{alert_id}").get_data(True), "France")
    assert "—" not in cell and re.search(r"\d{4}", cell), cell
    if acknowledger == "paris_alert_handler":
        assert "Ordre des médecins" in cell
