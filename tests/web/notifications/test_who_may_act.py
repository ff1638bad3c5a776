"""Who may act on a notification: every action in every state, as every side and role,
via HTTP.

An e-commerce notification from Berlin (DE) about a provider established in France:
Berlin asks France to act, France's receiving authority (ARCOM Paris) replies, Berlin
submits it, Germany's national coordinator validates it, and it goes to the Commission's
e-commerce desk (DG CNECT) and France. The expected outcome is written out below from the
domain (Directive 2000/31/EC Art 3(4)-(6), the lifecycle's docstring), never read from
the code's rules. An allowed attempt must change the notification; a refused one must
answer with the status written here and change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.cases import notifications
from app.extensions import db
from app.models import AuditEvent, Notification
from tests.factories import csrf_token
from tests.web.notifications.conftest import ECOMMERCE, ECOMMERCE_FIELDS, as_user

STATES = (
    "draft",
    "asked",  # France asked to act, no reply yet
    "replied",  # France replied: the notification may go out
    "awaiting_validation",
    "notified",
    "assessed",
    "objected",
    "withdrawn",  # after notification
)
OUT = {"notified", "assessed", "objected", "withdrawn"}

NOTIFIER, VALIDATOR, ESTABLISHMENT, COMMISSION, OUTSIDER = (
    "notifier",
    "validating coordinator",
    "Member State of establishment",
    "Commission desk",
    "no part",
)

SEES = {
    "draft": {NOTIFIER},
    "asked": {NOTIFIER, ESTABLISHMENT},
    "replied": {NOTIFIER, ESTABLISHMENT},
    "awaiting_validation": {NOTIFIER, VALIDATOR, ESTABLISHMENT},
    **{state: {NOTIFIER, VALIDATOR, ESTABLISHMENT, COMMISSION} for state in OUT},
}

HANDLER = {"handler"}
WORKS = {"handler", "coordinator"}

# action -> (states, sides, roles) in which it is allowed; everything else is refused.
ALLOWED = {
    # The notifier's handlers write, delete and send their drafts.
    "edit": ({"draft"}, {NOTIFIER}, HANDLER),
    "discard": ({"draft"}, {NOTIFIER}, HANDLER),
    "ask": ({"draft"}, {NOTIFIER}, HANDLER),
    # Only once France has replied (Art 3(4)(b)); this notification needs validation.
    "send": ({"replied"}, {NOTIFIER}, HANDLER),
    # France replies once.
    "reply": ({"asked"}, {ESTABLISHMENT}, WORKS),
    # Only the validating national coordinator validates or returns.
    "approve": ({"awaiting_validation"}, {VALIDATOR}, {"coordinator"}),
    "return": ({"awaiting_validation"}, {VALIDATOR}, {"coordinator"}),
    # Every authority taking part comments while the exchange is open.
    "comment": (
        {"asked", "replied", "notified"},
        {NOTIFIER, VALIDATOR, ESTABLISHMENT, COMMISSION},
        WORKS,
    ),
    # The Commission's e-commerce desk decides; no other desk sees it at all.
    "conclude": ({"notified"}, {COMMISSION}, WORKS),
    "object": ({"notified"}, {COMMISSION}, WORKS),
    "withdraw": ({"asked", "replied", "awaiting_validation", "notified"}, {NOTIFIER}, HANDLER),
}

STATE_AFTER = {
    "discard": "gone",
    "ask": "asked",
    "send": "awaiting_validation",
    "approve": "notified",
    "return": "draft",
    "conclude": "assessed",
    "object": "objected",
    "withdraw": "withdrawn",
}


@dataclass(frozen=True)
class Officer:
    name: str
    side: str
    roles: tuple[str, ...]


OFFICERS = (
    Officer("berlin", NOTIFIER, ("handler",)),
    Officer("berlin_viewer", NOTIFIER, ("viewer",)),
    Officer("de_coordinator", VALIDATOR, ("coordinator",)),
    Officer("paris", ESTABLISHMENT, ("handler",)),
    Officer("paris_viewer", ESTABLISHMENT, ("viewer",)),
    Officer("cnect", COMMISSION, ("handler",)),
    Officer("grow", OUTSIDER, ("handler", "coordinator")),  # another Commission desk
    Officer("vienna", OUTSIDER, ("handler", "coordinator")),  # a third Member State
    Officer("fr_coordinator", OUTSIDER, ("coordinator", "handler")),  # France, not its receiver
)


def allowed(action: str, state: str, officer: Officer) -> bool:
    states, sides, roles = ALLOWED[action]
    return (
        state in states and officer.side in sides & SEES[state] and bool(roles & set(officer.roles))
    )


def refusal(action: str, state: str, officer: Officer) -> int:
    if officer.roles == ("viewer",):
        return 403  # a viewer posts nothing
    if action == "edit" and "handler" not in officer.roles:
        return 403  # composing is for handlers
    if officer.side not in SEES[state]:
        return 404
    return 400


def build(people, state: str) -> int:
    """A notification in `state`, moved there with the services."""
    berlin, paris = people.actor("berlin"), people.actor("paris")
    draft = notifications.Draft(
        ECOMMERCE,
        dict(ECOMMERCE_FIELDS),
        "Bitte handeln.",
        establishment_country="FR",
        needs_validation=True,
    )
    item = notifications.save_draft(berlin, draft)
    if state == "draft":
        return item.id
    notifications.ask(berlin, item)
    if state == "asked":
        return item.id
    notifications.reply(paris, item, "Aucune mesure.")
    if state == "replied":
        return item.id
    notifications.send(berlin, item)
    if state == "awaiting_validation":
        return item.id
    notifications.validate(people.actor("de_coordinator"), item, True)
    cnect = people.actor("cnect")
    if state == "assessed":
        notifications.conclude(cnect, item, "No objection.")
    if state == "objected":
        notifications.object_to(cnect, item, "Disproportionate.")
    if state == "withdrawn":
        notifications.withdraw(berlin, item, "Provider closed the site.")
    assert item.state.value == state
    return item.id


READS = {"notification.viewed", "notification.denied", "notification.list_viewed"}


def snapshot(notification_id: int) -> dict:
    db.session.expire_all()
    audits = db.session.scalar(
        db.select(db.func.count()).where(
            AuditEvent.action.not_in(READS),
            AuditEvent.object_type == "notification",
            AuditEvent.object_id == str(notification_id),
        )
    )
    item = db.session.get(Notification, notification_id)
    if item is None:
        return {"state": "gone", "audit": audits}
    return {
        "state": item.state.value,
        "fields": dict(item.fields),
        "events": [(e.kind, e.authority_id, e.text) for e in item.events],
        "recipients": [(r.country, r.authority_id) for r in item.recipients],
        "reply": item.reply,
        "decision": item.decision,
        "validator": item.validator_authority_id,
        "audit": audits,
    }


FORMS = {
    "reply": {"text": "Aucune mesure prise."},
    "comment": {"text": "Noted."},
    "conclude": {"text": "No objection."},
    "object": {"reason": "Disproportionate."},
    "return": {"reason": "Add the reasons."},
    "withdraw": {"reason": "Closed."},
    "edit": {
        "procedure": ECOMMERCE,
        **{f"field-{k}": v for k, v in ECOMMERCE_FIELDS.items()},
        "establishment_country": "FR",
        "message": "Changed.",
        "needs_validation": "1",
    },
}


def attempt(client, notification_id: int, action: str):
    url = f"/notifications/{notification_id}"
    token = csrf_token(client.get("/notifications"))
    return client.post(f"{url}/{action}", data={"csrf_token": token, **FORMS.get(action, {})})


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_who_may_act_on_a_notification(action, app, people):
    clients = {o.name: as_user(app, people.users[o.name]) for o in OFFICERS}
    problems = []
    for state in STATES:
        # given a notification in the state, shared by the refused attempts
        shared = build(people, state)
        before = snapshot(shared)
        for officer in OFFICERS:
            if allowed(action, state, officer):
                # an allowed attempt, on a notification of its own, changes it
                own = build(people, state)
                was = snapshot(own)
                response = attempt(clients[officer.name], own, action)
                after = snapshot(own)
                if response.status_code != 302 or after == was:
                    problems.append(f"{action} {state} {officer.name}: {response.status_code}")
                if action in STATE_AFTER and after["state"] != STATE_AFTER[action]:
                    problems.append(f"{action} {state} {officer.name}: now {after['state']}")
                continue
            # a refused attempt answers as written and changes nothing
            response = attempt(clients[officer.name], shared, action)
            expected = refusal(action, state, officer)
            if response.status_code != expected:
                problems.append(
                    f"{action} {state} {officer.name}: {response.status_code}, not {expected}"
                )
        if snapshot(shared) != before:
            problems.append(f"{action} {state}: refused attempts changed the notification")
    assert problems == []
