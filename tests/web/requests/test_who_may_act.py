"""Who may act on a request: every action, in every state, by every side and role.

Germany's Approbation office (Berlin) asks France's medical council (Paris). Each action
of the case page is posted through HTTP, with the page's CSRF token, by:
the requesting authority's handler, allocator, local administrator and viewer; the
responding authority's allocator, handler, local administrator and viewer; a third
authority that also answers the procedure (Vienna) and one of another country (Rome);
the national coordinators of the two countries and of a third one; and the Commission.
Roles are held per legislative area: a handler of each side whose roles hold in the
services area only is no party to this professional-qualifications request (it does not
see it, so it acts on nothing).

The outcome of each attempt is written out below (ALLOWED, and `refusal` for the
status of a refused one), from the lifecycle in the domain: the requester's handlers
compose, send, give information, agree to a new date, ask a further question, close or
withdraw; the responder's allocators assign; its handlers and allocators accept,
forward, split, ask for information and answer; either side refers a disagreement,
which the coordinators of the two countries resolve; files are added by the two sides
while the case is a draft (the requester only: the responder is no party to a draft) or
open. A refused attempt must leave the case as it was: state, dates, parties, answers,
timeline, files and the audit trail's records of actions (reads are audited too, and
may be added).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import current_app

from app.cases import requests
from app.extensions import db
from app.models import (
    Attachment,
    AuditEvent,
    AuthorityKind,
    Membership,
    Request,
    RequestQuestion,
    RequestState,
    User,
)
from app.policy import Actor
from tests.factories import client_with, cookies_of, csrf_token, make_authority, make_user
from tests.snapshots import restored
from tests.web.requests.conftest import PROCEDURE, _people, as_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTIONS = ["legally_established", "registration_status", "sanctions_imposed"]
FULL_ANSWERS = {
    "legally_established": "yes",
    "registration_status": "active",
    "sanctions_imposed": "no",
}

# --- the states a case is built in ----------------------------------------------------------

DRAFT = "draft"
SENT = "sent"
REFERRED = "sent, disagreement referred"
ACCEPTED = "accepted"
DATE_PROPOSED = "accepted, new reply date proposed"
INFO_REQUESTED = "information requested"
ANSWERED = "answered"
CLOSED = "closed"
WITHDRAWN = "withdrawn"
STATES = [
    DRAFT,
    SENT,
    REFERRED,
    ACCEPTED,
    DATE_PROPOSED,
    INFO_REQUESTED,
    ANSWERED,
    CLOSED,
    WITHDRAWN,
]
PENDING = {SENT, REFERRED, ACCEPTED, DATE_PROPOSED, INFO_REQUESTED}
OPEN = PENDING | {ANSWERED}


# --- who tries ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone who tries an action. `where` is the side their authority is on:
    requester, responder, coordinator (of one of the two countries), or outside."""

    where: str
    roles: tuple[str, ...]
    # the legislative areas the roles hold in (empty: all areas)
    areas: tuple[str, ...] = ()


PEOPLE = {
    "requester handler": Person("requester", ("handler",)),
    "requester allocator": Person("requester", ("allocator",)),
    "requester admin": Person("requester", ("admin",)),
    "requester viewer": Person("requester", ("viewer",)),
    "responder allocator": Person("responder", ("allocator",)),
    "responder handler": Person("responder", ("handler",)),
    "responder admin": Person("responder", ("admin",)),
    "responder viewer": Person("responder", ("viewer",)),
    "requester handler, services only": Person("requester", ("handler",), ("services",)),
    "responder handler, services only": Person(
        "responder", ("handler", "allocator"), ("services",)
    ),
    "third authority (AT)": Person("outside", ("handler", "allocator")),
    "other country (IT)": Person("outside", ("handler", "allocator", "admin")),
    "coordinator DE (requester's)": Person("coordinator", ("coordinator", "admin")),
    "coordinator FR (responder's)": Person("coordinator", ("coordinator", "admin")),
    "coordinator IT": Person("outside", ("coordinator", "admin")),
    "Commission": Person("outside", ("coordinator", "admin")),
}
REQUESTER = {"requester handler"}
RESPONDER = {"responder allocator", "responder handler"}
COORDINATORS = {"coordinator DE (requester's)", "coordinator FR (responder's)"}

# action (its URL) -> (states it is allowed in, who may do it there); anyone else, and
# any other state, is refused.
ALLOWED: dict[str, tuple[set[str], set[str]]] = {
    "edit": ({DRAFT}, REQUESTER),
    "send": ({DRAFT}, REQUESTER),
    "discard": ({DRAFT}, REQUESTER),
    "assign": (PENDING, {"responder allocator"}),
    "accept": ({SENT, REFERRED}, RESPONDER),
    # QUESTION: IMI lets the responder forward (and split) even after accepting
    # (imi-domain.md); the app allows it only before accepting, as tested here.
    "forward": ({SENT, REFERRED}, RESPONDER),
    "split": ({SENT, REFERRED}, RESPONDER),
    "ask-info": ({ACCEPTED, DATE_PROPOSED}, RESPONDER),
    "answers": ({ACCEPTED, DATE_PROPOSED}, RESPONDER),
    "reply-info": ({INFO_REQUESTED}, REQUESTER),
    "date": ({DATE_PROPOSED}, REQUESTER),
    "further-question": ({ANSWERED}, REQUESTER),
    "close": ({ANSWERED}, REQUESTER),
    "withdraw": (PENDING, REQUESTER),
    # a disagreement already referred is not referred again
    "refer": (OPEN - {REFERRED}, REQUESTER | RESPONDER),
    "resolve": ({REFERRED}, COORDINATORS),
}
# A draft's files are the requester's alone; an open case's, both sides'.
ATTACH_ALLOWED = {DRAFT: REQUESTER, **{state: REQUESTER | RESPONDER for state in OPEN}}


def allowed(action: str, state: str, who: str) -> bool:
    if action == "attachments":
        return who in ATTACH_ALLOWED.get(state, set())
    states, people = ALLOWED[action]
    return state in states and who in people


def sees(who: str, state: str) -> bool:
    """The requester's officers see their case; the responder's once it is sent; the
    coordinators of the two countries while a disagreement is referred to them. Nobody
    sees it whose roles hold in other areas than professional qualifications only."""
    where, areas = PEOPLE[who].where, PEOPLE[who].areas
    if areas and "professional_qualifications" not in areas:
        return False
    return (
        where == "requester"
        or (where == "responder" and state != DRAFT)
        or (where == "coordinator" and state == REFERRED)
    )


def refusal(action: str, state: str, who: str) -> int:
    """The status of a refused attempt, by the first check that refuses it."""
    roles = PEOPLE[who].roles
    if roles == ("viewer",):
        return 403  # a viewer changes nothing anywhere
    if action == "edit" and "handler" not in roles:
        return 403  # only handlers compose
    if not sees(who, state):
        return 404  # a case one may not see is not there
    if action == "edit":
        return 302  # back to the case page, with the reason
    return 400  # the case page again, with the reason


# The state an allowed action leaves the case in (None: the case is gone).
AFTER = {
    "send": RequestState.SENT,
    "discard": None,
    "accept": RequestState.ACCEPTED,
    "ask-info": RequestState.INFO_REQUESTED,
    "answers": RequestState.ANSWERED,
    "reply-info": RequestState.ACCEPTED,
    "further-question": RequestState.ACCEPTED,
    "close": RequestState.CLOSED,
    "withdraw": RequestState.WITHDRAWN,
}


# --- the world ------------------------------------------------------------------------------


def _actor(user: User) -> Actor:
    return Actor(user, db.session.query(Membership).filter_by(user_id=user.id).one())


@pytest.fixture
def world(app):
    """The people of the conftest, and the ones it lacks, by the names of PEOPLE, each
    signed in (the cookies of their session and its CSRF token), and the cases each test
    takes in every state (built once per worker, restored for later tests:
    tests/snapshots.py), which each test would otherwise sign in and build again."""
    return restored("requests: who may act, cases and sessions", _world_with_cases)


def _world_with_cases():
    people, users = _world()
    # state -> cases: as many as any action needs there (the allowed try on the case
    # the refused tried on, while it is unchanged, then each on a new one)
    cases = {
        state: [
            build(people, state)
            for _ in range(max(max(1, sum(allowed(a, state, w) for w in PEOPLE)) for a in ACTIONS))
        ]
        for state in STATES
    }
    sessions = {}
    for who, user in users.items():
        client = as_user(current_app, user)
        sessions[who] = (cookies_of(client), csrf_token(client.get("/requests")))
    return people, users, cases, sessions


def _world():
    people = _people()
    berlin, paris = people.authorities["berlin"], people.authorities["paris"]
    commission = make_authority("EU", name="European Commission", kind=AuthorityKind.COMMISSION)
    nimic_it = make_authority(
        "IT", name="Coordinator Italy", kind=AuthorityKind.NATIONAL_COORDINATOR
    )
    users = {
        "requester handler": people.requester,
        "requester allocator": make_user(berlin, ["allocator"]),
        "requester admin": make_user(berlin, ["admin"]),
        "requester viewer": people.requester_viewer,
        "responder allocator": people.allocator,
        "responder handler": people.handler,
        "responder admin": make_user(paris, ["admin"]),
        "responder viewer": people.viewer,
        "requester handler, services only": make_user(
            berlin, ["handler"], role_areas={"handler": ["services"]}
        ),
        "responder handler, services only": make_user(
            paris,
            ["handler", "allocator"],
            role_areas={"handler": ["services"], "allocator": ["services"]},
        ),
        "third authority (AT)": people.austrian,
        "other country (IT)": people.italian,
        "coordinator DE (requester's)": people.coordinator_de,
        "coordinator FR (responder's)": people.coordinator_fr,
        "coordinator IT": make_user(nimic_it, ["coordinator", "admin"]),
        "Commission": make_user(commission, ["coordinator", "admin"]),
    }
    assert set(users) == set(PEOPLE)
    return people, users


def build(people, state: str) -> Request:
    """A request from Berlin to Paris, moved to `state` by the services."""
    asker, answerer = _actor(people.requester), _actor(people.handler)
    item = requests.save_draft(
        asker,
        requests.Draft(
            PROCEDURE,
            people.authorities["paris"].id,
            "Dr. Marie Dupont, born 1980-04-02",
            "Bitte bestätigen Sie die Berufszulassung.",
            QUESTIONS,
            {"profession": "Doctor of medicine", "date_of_birth": "1980-04-02"},
        ),
    )
    if state == DRAFT:
        return item
    requests.send(asker, item)
    if state == REFERRED:
        requests.refer(asker, item, "The reply date cannot be met.")
    if state == WITHDRAWN:
        requests.withdraw(asker, item, "Settled otherwise.")
    if state in (SENT, REFERRED, WITHDRAWN):
        return item
    proposed = item.reply_due + timedelta(days=30) if state == DATE_PROPOSED else None
    requests.accept(answerer, item, proposed)
    if state == INFO_REQUESTED:
        requests.ask_info(answerer, item, "Date of birth please?")
    if state in (ANSWERED, CLOSED):
        answers = {q.id: (FULL_ANSWERS[q.question_key], "") for q in item.questions}
        assert requests.answer(answerer, item, answers, "", final=True) == []
    if state == CLOSED:
        requests.close(asker, item)
    return item


def upload() -> tuple:
    return (io.BytesIO(PDF), "diploma.pdf")


def form(action: str, item: Request, people) -> dict:
    """What the case page's form for `action` posts (a valid one: only who and when
    decide)."""
    vienna = people.authorities["vienna"].id
    if action == "edit":
        return {
            "responder": people.authorities["paris"].id,
            "subject": "Dr. Marie Dupont-Martin",
            "questions": QUESTIONS,
            "message": "Bitte bestätigen Sie die Berufszulassung.",
            "detail-profession": "Doctor of medicine",
            "detail-date_of_birth": "1980-04-02",
            "save": "1",
        }
    if action == "assign":
        return {"handler": people.handler.id}
    if action == "forward":
        lyon = people.authorities["lyon"].id  # IMI forwards within a Member State
        return {"forward-authority": lyon, "forward-text": "Registered in the Rhône."}
    if action == "split":
        return {
            "split-questions": [item.questions[0].id],
            "split-authority": vienna,
            "split-text": "Vienna keeps the register of sanctions.",
        }
    if action == "answers":
        data = {f"answer-{q.id}": FULL_ANSWERS[q.question_key] for q in item.questions}
        return {**data, "send": "1"}
    if action == "date":
        return {"decision": "agree"}
    if action == "attachments":
        return {"file": upload()}
    if action in ("ask-info", "reply-info", "further-question", "withdraw", "refer", "resolve"):
        return {f"{action.replace('-', '_')}-text": "Mon texte"}
    return {}


READS = ("request.viewed", "request.denied", "request.list_viewed")


def snapshot(request_id: int) -> dict:
    """Everything about a case an action could change."""
    db.session.expire_all()
    item = db.session.get(Request, request_id)
    if item is None:
        return {"gone": True}
    return {
        "state": item.state,
        "referral_open": item.referral_open,
        "reply_due": item.reply_due,
        "proposed_due": item.proposed_due,
        "handler": item.handler_id,
        "responder": item.responder_authority_id,
        "subject": item.subject,
        "questions": [(q.question_key, q.answer, q.comment) for q in item.questions],
        "events": [e.kind for e in item.events],
        "attachments": db.session.query(Attachment).filter_by(request_id=item.id).count(),
        "requests": db.session.query(Request).count(),
        "all_questions": db.session.query(RequestQuestion).count(),
        "actions_audited": db.session.query(AuditEvent)
        .filter(
            AuditEvent.object_type == "request",
            AuditEvent.object_id == str(item.id),
            AuditEvent.action.not_in(READS),
        )
        .count(),
    }


def poster(action: str, item: Request, people):
    """Posts `action`'s form to the case: `post(client, token)`. The form is read once
    (for each post, it read the case and the people again: a tenth of a sweep's time);
    a file is a new one each time."""
    request_id, fields = item.id, form(action, item, people)
    kwargs = {"content_type": "multipart/form-data"} if action == "attachments" else {}

    def post(client, token: str):
        data = {"csrf_token": token, **fields}
        if "file" in fields:
            data["file"] = upload()
        return client.post(f"/requests/{request_id}/{action}", data=data, **kwargs)

    return post


def attempt(client, token: str, action: str, item: Request, people):
    return poster(action, item, people)(client, token)


ACTIONS = [*ALLOWED, "attachments"]


def who_changed(action: str, state: str, refused: list[str], people, clients, tokens):
    """The refused attempts of `state` replayed one by one on a new case in `state`, in
    the same order, each compared with the case as the one before left it: who changed
    it. A sweep snapshots the case only before and after all of them (six statements
    after each of ~120 attempts an action); this names the culprits once that shows a
    change."""
    item = build(people, state)
    request_id, post, found = item.id, poster(action, item, people), []
    before = snapshot(request_id)
    for who in refused:
        post(clients[who], tokens[who])
        after = snapshot(request_id)
        if after != before:
            found.append(f"{state} / {who}: refused, but the case changed")
        before = after
    return found


@pytest.mark.parametrize("action", ACTIONS)
def test_who_may_act_on_a_request(app, world, action):
    """Every state x every person for one action: the allowed succeed and change the
    case, the refused get the status written in `refusal` and change nothing."""
    # given everyone signed in, each in a browser of their own
    people, users, cases, sessions = world
    clients = {who: client_with(app, cookies) for who, (cookies, _) in sessions.items()}
    tokens = {who: token for who, (_, token) in sessions.items()}
    failures = []
    for state in STATES:
        # given a case in this state (built in the world; a new one if they run out)
        item, *spares = cases[state]
        request_id = item.id
        refused = [who for who in PEOPLE if not allowed(action, state, who)]
        # when each refused person tries, then each gets the written status
        post = poster(action, item, people)
        before = snapshot(request_id)
        for who in refused:
            response = post(clients[who], tokens[who])
            expected = refusal(action, state, who)
            if response.status_code != expected:
                failures.append(f"{state} / {who}: {response.status_code}, not {expected}")
        # and nothing changed (if the case did, a replay says who changed it)
        fresh = snapshot(request_id) == before
        if not fresh:
            failures += who_changed(action, state, refused, people, clients, tokens) or [
                f"{state}: the refused changed the case, none of them alone when replayed"
            ]
        # when each allowed person tries, on a case of their own, then it succeeds
        # (the first on the case the refused tried on, if it is unchanged)
        for who in PEOPLE:
            if not allowed(action, state, who):
                continue
            if not fresh:
                item = spares.pop() if spares else build(people, state)
                request_id = item.id
            fresh = False
            before = snapshot(request_id)
            response = attempt(clients[who], tokens[who], action, item, people)
            after = snapshot(request_id)
            if response.status_code != 302:
                failures.append(f"{state} / {who}: {response.status_code}, not allowed")
            elif after == before:
                failures.append(f"{state} / {who}: allowed, but nothing changed")
            elif action in AFTER and after.get("state") != AFTER[action]:
                failures.append(f"{state} / {who}: left in {after.get('state')}")
    assert not failures, f"{action}:\n" + "\n".join(failures)


def test_the_table_covers_every_action_state_and_person():
    # given the table, then every action has someone who may do it somewhere, and
    # every person is refused something
    for action in ACTIONS:
        assert any(allowed(action, s, w) for s in STATES for w in PEOPLE), action
    for who in PEOPLE:
        assert not all(allowed(a, s, who) for a in ACTIONS for s in STATES), who
