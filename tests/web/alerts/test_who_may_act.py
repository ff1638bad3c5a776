"""Who may act on an alert: every action in every state, as every side and role, via HTTP.

An alert from Berlin (DE) to France, validated by Germany's national coordinator, routed
to France's coordinator, disseminated to the Ordre des médecins (Paris). Each action is
posted by an officer of each side (sender, validating coordinator, recipient coordinator,
authority disseminated to, and authorities with no part in the alert) in each role, on
an alert in each state. The expected outcome is written out below from the domain
(README, the alert service's docstring, tests/web/alerts/test_lifecycle.py), never read
from the code's own rules. An allowed attempt must change the alert; a refused one must
answer with the status written here and change nothing: no state, no event on the
timeline, no audit row other than the record of a read, no file, no recipient row.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from flask import current_app

from app.cases import alerts
from app.extensions import db
from app.models import (
    Alert,
    AlertState,
    AuditEvent,
    AuthorityKind,
    Membership,
    User,
)
from app.policy import Actor
from app.procedures.store import sync
from tests.factories import client_with, cookies_of, csrf_token, make_authority, make_user
from tests.snapshots import restored
from tests.web.alerts.conftest import FIELDS, PROCEDURE, as_user, grant

# --- the expected outcomes ----------------------------------------------------------------

# The states an alert is put in before each attempt (built with the services, below).
STATES = (
    "draft",  # saved, never submitted
    "returned",  # submitted, returned by the validating coordinator: a draft again
    "awaiting_validation",
    "sent",  # validated and broadcast; France's coordinator has not passed it on
    "disseminated",  # France's coordinator passed it to the Ordre (Paris)
    "handled",  # France's coordinator handled it itself
    "withdrawn",  # after dissemination
    "closed",  # after dissemination
)
DRAFTS = {"draft", "returned"}
BROADCAST = {"sent", "disseminated", "handled"}

# Sides: who the officer's authority is to the alert.
SENDER, VALIDATOR, COORDINATOR, RECEIVER, OUTSIDER = (
    "sender",
    "validating coordinator",
    "recipient coordinator",
    "disseminated to",
    "no part",
)

# Which sides see the alert in each state (anyone else gets 404). The validating
# coordinator sees it from submission on, not a draft returned to the sender; a recipient
# country's coordinator from the broadcast on; the Ordre once it has been passed to it.
SEES = {
    "draft": {SENDER},
    "returned": {SENDER},
    "awaiting_validation": {SENDER, VALIDATOR},
    "sent": {SENDER, VALIDATOR, COORDINATOR},
    "disseminated": {SENDER, VALIDATOR, COORDINATOR, RECEIVER},
    "handled": {SENDER, VALIDATOR, COORDINATOR},
    "withdrawn": {SENDER, VALIDATOR, COORDINATOR, RECEIVER},
    "closed": {SENDER, VALIDATOR, COORDINATOR, RECEIVER},
}

WORKS_ALERTS = {"alert_handler", "coordinator"}

# action -> (states, sides, roles) in which it is allowed; everything else is refused.
ALLOWED = {
    # The sender's alert handlers write, send, discard and add files to their drafts.
    "edit": (DRAFTS, {SENDER}, {"alert_handler"}),
    "send": (DRAFTS, {SENDER}, {"alert_handler"}),
    "discard": (DRAFTS, {SENDER}, {"alert_handler"}),
    "attachments": (DRAFTS | BROADCAST, {SENDER}, {"alert_handler"}),
    # Only the coordinator of the validating national coordinator validates or returns.
    "approve": ({"awaiting_validation"}, {VALIDATOR}, {"coordinator"}),
    "return": ({"awaiting_validation"}, {VALIDATOR}, {"coordinator"}),
    # After the broadcast the sender updates, withdraws or closes, until it is over.
    "update": (BROADCAST, {SENDER}, {"alert_handler"}),
    "withdraw": (BROADCAST, {SENDER}, {"alert_handler"}),
    "close": (BROADCAST, {SENDER}, {"alert_handler"}),
    # A recipient country's coordinator passes it on or handles it, once.
    "disseminate": ({"sent"}, {COORDINATOR}, WORKS_ALERTS),
    "handle": ({"sent"}, {COORDINATOR}, WORKS_ALERTS),
    # Each receiving authority acknowledges for itself; a viewer reads only.
    "acknowledge": (BROADCAST, {COORDINATOR, RECEIVER}, WORKS_ALERTS),
    # Every authority taking part comments: the sender, the receiving side, and the
    # validating coordinator, through which the alert went out in its country's name (in
    # IMI the national coordinator is the main contact point, Regulation 1024/2012 Art. 6,
    # and an alert leaves a country through its liaison point).
    "comment": (BROADCAST, {SENDER, VALIDATOR, COORDINATOR, RECEIVER}, WORKS_ALERTS),
}

# Pages of their own (the composing permission: alert handlers only); a refusal there
# shows the alert page with the refusal (400), as the other actions do.
COMPOSING = {"edit", "update"}

# What an allowed attempt leaves behind (None: the state stays, something else changes).
STATE_AFTER = {
    "send": "awaiting_validation",
    "discard": "gone",
    "approve": "sent",
    "return": "draft",
    "withdraw": "withdrawn",
    "close": "closed",
}


@dataclass(frozen=True)
class Officer:
    name: str
    side: str
    roles: tuple[str, ...]


OFFICERS = (
    Officer("berlin_alert_handler", SENDER, ("alert_handler",)),
    Officer("berlin_viewer", SENDER, ("viewer",)),
    Officer("berlin_admin", SENDER, ("admin", "handler", "allocator")),  # roles of requests
    Officer("de_coordinator", VALIDATOR, ("coordinator",)),
    Officer("de_alert_handler", VALIDATOR, ("alert_handler",)),
    Officer("de_viewer", VALIDATOR, ("viewer",)),
    Officer("fr_coordinator", COORDINATOR, ("coordinator",)),
    Officer("fr_alert_handler", COORDINATOR, ("alert_handler",)),
    Officer("fr_viewer", COORDINATOR, ("viewer",)),
    Officer("fr_admin", COORDINATOR, ("admin", "handler")),
    Officer("paris_alert_handler", RECEIVER, ("alert_handler",)),
    Officer("paris_viewer", RECEIVER, ("viewer",)),
    Officer("paris_handler", RECEIVER, ("handler",)),
    Officer("lyon_alert_handler", OUTSIDER, ("alert_handler", "coordinator")),  # France
    Officer("vienna_alert_handler", OUTSIDER, ("alert_handler", "coordinator")),  # Austria
    Officer("commission_coordinator", OUTSIDER, ("coordinator",)),
)


def allowed(action: str, state: str, officer: Officer) -> bool:
    states, sides, roles = ALLOWED[action]
    return (
        state in states and officer.side in sides & SEES[state] and bool(roles & set(officer.roles))
    )


def refusal(action: str, state: str, officer: Officer) -> int:
    """The status of a refused attempt, by the first check that refuses it."""
    if officer.roles == ("viewer",):
        return 403  # a viewer posts nothing, whatever the alert
    if action in COMPOSING and "alert_handler" not in officer.roles:
        return 403  # composing pages are for alert handlers
    if officer.side not in SEES[state]:
        return 404  # an alert one may not see does not exist
    return 400  # the alert page again, with the refusal in its error summary


# --- the world ------------------------------------------------------------------------------

AUTHORITY_OF = {
    "berlin": "berlin",
    "de": "coordinator_de",
    "fr": "coordinator_fr",
    "paris": "paris",
    "lyon": "lyon",
    "vienna": "vienna",
    "commission": "commission",
}


@dataclass
class World:
    users: dict[str, User]
    paris_id: int
    # state -> alerts built in it: the first is shared by the refused attempts, each
    # allowed attempt takes one of the others (as many as any action allows in the state)
    alerts: dict[str, list[int]] = field(default_factory=dict)
    # officer -> (cookies of their signed-in session, its CSRF token)
    sessions: dict[str, tuple] = field(default_factory=dict)

    def actor(self, name: str) -> Actor:
        user = self.users[name]
        return Actor(user, db.session.query(Membership).filter_by(user_id=user.id).one())


@pytest.fixture
def world(app) -> World:
    """Built once per worker, restored for later tests (tests/snapshots.py): the
    officers signed in and the alerts in every state, which each test would otherwise
    build again with the services."""
    return restored("alerts: who may act, alerts and sessions", _world_with_alerts)


def _world_with_alerts() -> World:
    world = _world()
    for state in STATES:
        spares = max(sum(allowed(a, state, o) for o in OFFICERS) for a in ALLOWED)
        world.alerts[state] = [build(world, state) for _ in range(1 + spares)]
    for officer in OFFICERS:
        client = as_user(current_app, world.users[officer.name])
        token = csrf_token(client.get("/alerts"))
        world.sessions[officer.name] = (cookies_of(client), token)
    return world


def _world() -> World:
    sync()
    coordinator_de = make_authority(
        "DE", name="Coordinator DE", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    coordinator_fr = make_authority(
        "FR", name="Coordinator FR", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    authorities = {
        "coordinator_de": coordinator_de,
        "coordinator_fr": coordinator_fr,
        "berlin": make_authority("DE", name="Landesamt Berlin", parent=coordinator_de),
        "paris": make_authority("FR", name="Ordre des médecins", parent=coordinator_fr),
        "lyon": make_authority("FR", name="Préfecture du Rhône", parent=coordinator_fr),
        "vienna": make_authority("AT", name="Österreichische Ärztekammer"),
        "commission": make_authority(
            "BE", name="European Commission", kind=AuthorityKind.COMMISSION
        ),
    }
    grant(authorities["berlin"], ["alert_sender", "alert_receiver"])
    grant(coordinator_fr, ["alert_receiver"])
    grant(authorities["paris"], ["alert_receiver"])
    grant(authorities["vienna"], ["alert_sender", "alert_receiver"])
    users = {
        o.name: make_user(authorities[AUTHORITY_OF[o.name.split("_")[0]]], list(o.roles))
        for o in OFFICERS
    }
    return World(users, authorities["paris"].id)


DRAFT = alerts.Draft(
    PROCEDURE,
    {key.removeprefix("field-"): value for key, value in FIELDS.items()},
    "Approbation widerrufen.",
    ["FR"],
    needs_validation=True,
)


def build(world: World, state: str) -> int:
    """An alert in `state`, moved there with the services as the officers would."""
    sender, validator = world.actor("berlin_alert_handler"), world.actor("de_coordinator")
    item = alerts.save_draft(sender, DRAFT)
    if state != "draft":
        alerts.send(sender, item)
    if state == "returned":
        alerts.validate(validator, item, False, "Add the place of birth")
    if state in BROADCAST | {"withdrawn", "closed"}:
        alerts.validate(validator, item, True)
    france = world.actor("fr_coordinator")
    if state in ("disseminated", "withdrawn", "closed"):
        alerts.disseminate(france, item, [world.paris_id])
    if state == "handled":
        alerts.handle(france, item)
    if state == "withdrawn":
        alerts.withdraw(sender, item, "Decision annulled on appeal")
    if state == "closed":
        alerts.close(sender, item, "Period of prohibition ended")
    assert item.state == AlertState(_stored(state))
    return item.id


def _stored(state: str) -> str:
    return {"returned": "draft", "disseminated": "sent", "handled": "sent"}.get(state, state)


# Audit rows that record a read (the alert page shown again with a refusal, a 404):
# a refused attempt leaves only these.
READS = {"alert.viewed", "alert.denied", "alert.list_viewed"}


def snapshot(alert_id: int) -> dict:
    """Everything an action could change, except the record of who looked at what."""
    db.session.expire_all()
    audits = tuple(
        db.session.execute(
            db.select(db.func.count(), db.func.max(AuditEvent.id)).where(
                AuditEvent.action.not_in(READS)
            )
        ).one()
    )
    item = db.session.get(Alert, alert_id)
    if item is None:
        return {"state": "gone", "alerts": db.session.query(Alert).count(), "audit": audits}
    return {
        "state": item.state.value,
        "alerts": db.session.query(Alert).count(),
        "fields": dict(item.fields),
        "message": item.message,
        "revision": item.revision,
        "revisions": [r.number for r in item.revisions],
        "updated_at": item.updated_at,
        "closed_at": item.closed_at,
        "validator": item.validator_authority_id,
        "recipients": [
            (
                r.country,
                r.coordinator_authority_id,
                r.state,
                r.acknowledged_at,
                [(d.authority_id, d.acknowledged_at) for d in r.disseminations],
            )
            for r in item.recipients
        ],
        "events": [(e.kind, e.authority_id, e.text) for e in item.events],
        "attachments": [a.id for a in item.attachments],
        "audit": audits,
    }


# --- the attempts ---------------------------------------------------------------------------

UPDATE = {
    **FIELDS,
    "field-scope": "Prohibition of surgery only",
    "message": "Approbation widerrufen.",
    "note": "Scope corrected",
    "update": "1",
}
EDIT = {
    **FIELDS,
    "message": "Approbation widerrufen; Berufung anhängig.",
    "countries": ["FR"],
    "needs_validation": "1",
    "save": "1",
}


def attempt(client, token: str, world: World, alert_id: int, action: str):
    """POST the action's form as the alert page (or its own page) would."""
    forms = {
        "return": {"reason": "Add the place of birth"},
        "withdraw": {"reason": "Decision annulled on appeal"},
        "close": {"text": "Period of prohibition ended"},
        "comment": {"text": "Nous avons vérifié notre registre."},
        "disseminate": {"authorities": [str(world.paris_id)]},
        "attachments": {"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "decision.pdf")},
        "edit": EDIT,
        "update": UPDATE,
    }
    data = {"csrf_token": token, **forms.get(action, {})}
    return client.post(f"/alerts/{alert_id}/{action}", data=data)


@pytest.fixture
def officers(app, world) -> dict:
    """Each officer signed in (in the world), with the CSRF token of their session."""
    return {
        name: (client_with(app, cookies), token)
        for name, (cookies, token) in world.sessions.items()
    }


def changes(before: dict, after: dict) -> list[str]:
    return sorted(key for key in before if before[key] != after.get(key))


def who_changed(action: str, state: str, refused: list, world: World, officers: dict):
    """The refused attempts of `state` replayed one by one on a new alert in `state`, in
    the same order, each compared with the alert as the one before left it: who changed
    what. A sweep snapshots the shared alert only before and after all of them (one
    after each attempt took a quarter of its time); this names the culprits once
    that shows a change."""
    alert_id = build(world, state)
    found = []
    before = snapshot(alert_id)
    for officer in refused:
        client, token = officers[officer.name]
        attempt(client, token, world, alert_id, action)
        after = snapshot(alert_id)
        if changed := changes(before, after):
            found.append(f"{action} on {state} by {officer.name}: refused but changed {changed}")
        before = after
    return found


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_who_may_act_on_an_alert(action, world, officers):
    problems = []
    for state in STATES:
        # given an alert in the state, shared by the refused attempts
        shared, *spares = world.alerts[state]
        refused = [officer for officer in OFFICERS if not allowed(action, state, officer)]
        unchanged = snapshot(shared)

        # when each refused officer posts the action on it
        for officer in refused:
            client, token = officers[officer.name]
            response = attempt(client, token, world, shared, action)

            # then it answers with the written status
            status = refusal(action, state, officer)
            if response.status_code != status:
                where = f"{action} on {state} by {officer.name}"
                problems.append(f"{where}: answered {response.status_code}, not {status}")

        # and none of them changed anything (if the alert changed, a replay says who)
        if changed := changes(unchanged, snapshot(shared)):
            problems += who_changed(action, state, refused, world, officers) or [
                f"{action} on {state}: the refused attempts changed {changed},"
                " none of them alone when replayed"
            ]

        for officer in OFFICERS:
            if not allowed(action, state, officer):
                continue
            # when an allowed officer posts the action, on an alert of its own
            client, token = officers[officer.name]
            alert_id = spares.pop()
            before = snapshot(alert_id)
            response = attempt(client, token, world, alert_id, action)

            # then it is done
            after = snapshot(alert_id)
            where = f"{action} on {state} by {officer.name}"
            expected_state = STATE_AFTER.get(action, before["state"])
            if response.status_code != 302 or after == before:
                problems.append(f"{where}: refused ({response.status_code}), was allowed")
            elif after["state"] != expected_state:
                problems.append(f"{where}: went to {after['state']}, not {expected_state}")
    assert not problems, "\n".join(problems)
