"""Who may act on a public case, as a table: every officer action (accept, ask, reply,
close) in every state, by every side and role, and the submitter's reply with a document
through the private link in every state, each sent through HTTP as a browser would.

The expected outcomes are written out below from the domain (README "Public cases", the
route docstrings, the flow tests), never read from app/services/public.py ACTIONS:

- only the competent authority the case was routed to handles it; any other officer, of
  the same country, of another one, its national coordinator or the Commission, does not
  find it (404);
- its handlers and allocators act; a viewer only reads (403); an administrator without a
  case role is refused by the case (400);
- accept a new case; ask the submitter while the case is new or in progress; reply and
  close while it is open; nothing once it is closed (400);
- the submitter replies, with documents, while the case is open, and never once it is
  closed (400); an unconfirmed case has no tracking link (404).

A refused attempt changes nothing: same state, no new event, no new document, no audit row
of the action.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cases import public
from app.extensions import db
from app.models import (
    AuditEvent,
    AuthorityKind,
    Membership,
    PublicCase,
    PublicCaseEvent,
    PublicCaseState,
    PublicDocument,
)
from app.policy import Actor
from tests.factories import csrf_token, make_authority, make_user
from tests.snapshots import restored
from tests.web.public.conftest import PROCEDURE, _people, pdf, visitor
from tests.web.requests.conftest import as_user

S = PublicCaseState
OPEN = (S.SUBMITTED, S.IN_PROGRESS, S.AWAITING_SUBMITTER)
STATES = (S.UNCONFIRMED, *OPEN, S.CLOSED)

# action -> the states it is allowed in, for a handler or allocator of the routed authority
ALLOWED_IN = {
    "accept": (S.SUBMITTED,),
    "ask": (S.SUBMITTED, S.IN_PROGRESS),
    "reply": OPEN,
    "close": OPEN,
}

# action -> the state it leaves the case in (None: the state it found, but a new case
# is taken up by the officer's reply)
AFTER = {
    "accept": S.IN_PROGRESS,
    "ask": S.AWAITING_SUBMITTER,
    "reply": None,
    "close": S.CLOSED,
}

# who -> (may act on the cases routed to them, status when refused whatever the state)
# Refusals: 404 the case is not theirs to see; 403 reads only; 400 the case refuses.
SIDES = {
    "routed handler": (True, None),
    "routed allocator": (True, None),
    "routed viewer": (False, 403),
    "routed admin": (False, 400),
    "same-country authority": (False, 404),
    "foreign authority": (False, 404),
    "national coordinator": (False, 404),
    "commission": (False, 404),
}

# The submitter's reply through the private link: state -> (status, state after)
SUBMITTER_REPLY = {
    S.UNCONFIRMED: (404, S.UNCONFIRMED),
    S.SUBMITTED: (302, S.SUBMITTED),
    S.IN_PROGRESS: (302, S.IN_PROGRESS),
    S.AWAITING_SUBMITTER: (302, S.IN_PROGRESS),
    S.CLOSED: (400, S.CLOSED),
}


@dataclass
class World:
    users: dict
    routed: object
    mover: Actor
    # state -> (id, link) of a case in it, one for each state: a test tries an action
    # once on each (kept with the world: building them took most of the sweep's time)
    cases: dict = field(default_factory=dict)


@pytest.fixture
def world(app) -> World:
    """The authorities of the public-case tests (tests/web/public/conftest.py), with one
    officer per side and role, the Commission, and a case in each state (built once per
    worker, restored for later tests: tests/snapshots.py)."""
    return restored("public cases: who may act, with a case in each state", _world_with_cases)


def _world_with_cases() -> World:
    world = _world()
    for state in STATES:
        case, token = case_in(world, state)
        world.cases[state] = (case.id, token)
    return world


def _world() -> World:
    people = _people()
    lyon, paris, berlin = (people.authorities[k] for k in ("lyon", "paris", "berlin"))
    nimic_fr = lyon.parent
    commission = make_authority("EU", name="European Commission", kind=AuthorityKind.COMMISSION)
    users = {
        "routed handler": make_user(lyon, ["handler"]),
        "routed allocator": make_user(lyon, ["allocator"]),
        "routed viewer": make_user(lyon, ["viewer"]),
        "routed admin": make_user(lyon, ["admin"]),
        "same-country authority": make_user(paris, ["handler", "allocator", "admin"]),
        "foreign authority": make_user(berlin, ["handler", "allocator", "admin"]),
        "national coordinator": make_user(nimic_fr, ["coordinator", "admin"]),
        "commission": make_user(commission, ["coordinator", "admin"]),
    }
    mover = users["routed handler"]
    membership = db.session.scalars(select(Membership).filter_by(user_id=mover.id)).one()
    return World(users=users, routed=lyon, mover=Actor(mover, membership))


class _Upload:
    def __init__(self, name: str, data: bytes):
        self.filename, self.stream = name, io.BytesIO(data)


def case_in(
    world: World, state: PublicCaseState, language: str = "en", document=None
) -> tuple[PublicCase, str]:
    """A complaint routed to Lyon, moved to `state` with the services; with its link (the
    confirmation link while it is unconfirmed). `language`: the submitter's; `document`:
    their (name, bytes), a PDF unless said."""
    case = public.submit(
        public.Submission(
            procedure_key=PROCEDURE,
            country="FR",
            name="Jan Kowalski",
            email="jan.kowalski@example.org",
            language=language,
            details={"applicant_type": "citizen", "court_action": "no"},
            description="My diploma of nurse was not recognised within the deadline.",
            files=[_Upload(*(document or ("diploma.pdf", b"%PDF-1.4\n%%EOF\n")))],
        )
    )
    assert case.authority_id == world.routed.id
    token = secrets.token_urlsafe(16)
    if state == S.UNCONFIRMED:
        case.confirm_hash = public.hash_token(token)
    else:
        public.confirm(case)
        steps = {
            S.SUBMITTED: [],
            S.IN_PROGRESS: ["accept"],
            S.AWAITING_SUBMITTER: ["ask"],
            S.CLOSED: ["close"],
        }[state]
        for step in steps:
            public.act(
                world.mover, case, step, "Step of the test's set-up.", outcome="not_within_scope"
            )
        case.token_hash, case.pending_token_hash = public.hash_token(token), None
    db.session.commit()
    assert case.state == state
    return case, token


def snapshot(case_id: int) -> dict:
    """What an attempt on the case could change."""
    db.session.expire_all()
    case = db.session.get(PublicCase, case_id)

    def count(model, **where):
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))

    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "public_case",
            AuditEvent.object_id == str(case_id),
            AuditEvent.action.notin_(("public_case.viewed", "public_case.denied")),
            AuditEvent.action.notlike("public_case.submitter_%"),
        )
    ).all()
    return {
        "state": case.state,
        "updated_at": case.updated_at,
        "closed_at": case.closed_at,
        "events": count(PublicCaseEvent, case_id=case_id),
        "documents": count(PublicDocument, case_id=case_id),
        "audit": sorted(actions),
    }


def expected_status(who: str, action: str, state: PublicCaseState) -> int:
    may_act, refusal = SIDES[who]
    if not may_act:
        # The case refuses an administrator only once it is found, and an unconfirmed
        # case is found by nobody.
        return 404 if state == S.UNCONFIRMED and refusal == 400 else refusal
    if state == S.UNCONFIRMED:
        return 404
    return 302 if state in ALLOWED_IN[action] else 400


def attempt(
    officer, token: str, world: World, who: str, action: str, state: PublicCaseState
) -> str | None:
    """One attempt on the world's case in `state` (no one tried on it before); what
    differs from the table, or None."""
    case_id, _link = world.cases[state]
    before = snapshot(case_id)
    response = officer.post(
        f"/public-cases/{case_id}/{action}",
        data={
            "csrf_token": token,
            "text": "Please send the decision of refusal.",
            "outcome": "not_within_scope",
            "documents": [pdf("letter.pdf")],
        },
        content_type="multipart/form-data",
    )
    after = snapshot(case_id)
    expected = expected_status(who, action, state)
    if response.status_code != expected:
        return f"{state.value}: {response.status_code}, the table says {expected}"
    if expected != 302:
        return None if after == before else f"{state.value}: refused but changed {after}"
    wanted = {
        "state": AFTER[action] or (S.IN_PROGRESS if state == S.SUBMITTED else state),
        "events": before["events"] + 1,
        "documents": before["documents"] + 1,
        "audit": sorted([*before["audit"], f"public_case.{action}"]),
    }
    got = {key: after[key] for key in wanted}
    return None if got == wanted else f"{state.value}: done as {got}, expected {wanted}"


CASES = [(action, who) for action in ALLOWED_IN for who in SIDES]


@pytest.mark.parametrize(
    ("action", "who"), CASES, ids=[f"{a}-{w.replace(' ', '_')}" for a, w in CASES]
)
def test_an_officer_acts_on_a_public_case_only_as_the_table_says(app, world, action, who):
    # given an officer signed in once as `who`
    officer = as_user(app, world.users[who])
    token = csrf_token(officer.get("/account"))

    # when they try the action, with a message and a document, on a fresh case routed
    # to Lyon in each state
    wrong = [attempt(officer, token, world, who, action, state) for state in STATES]

    # then each outcome is the table's, and each refusal changed nothing
    assert [w for w in wrong if w] == []


@pytest.mark.parametrize("state", STATES, ids=[s.value for s in STATES])
def test_the_submitter_replies_with_a_document_only_while_the_case_is_open(app, world, state):
    # given a case in `state` and the submitter's browser with its private link
    case, token = case_in(world, state)
    browser = visitor(app)
    before = snapshot(case.id)

    # when the submitter replies with a document through the link
    response = browser.post(
        f"/public/case/{token}/reply",
        data={
            "csrf_token": csrf_token(browser.get("/public/lost-link")),
            "text": "Here is the decision of refusal.",
            "documents": [pdf("decision.pdf")],
        },
        content_type="multipart/form-data",
    )

    # then the outcome is the table's; a refusal changed nothing
    status, state_after = SUBMITTER_REPLY[state]
    assert response.status_code == status, response.get_data(True)[:2000]
    after = snapshot(case.id)
    if status != 302:
        assert after == before
        return
    assert after["state"] == state_after
    assert after["events"] == before["events"] + 1
    assert after["documents"] == before["documents"] + 1


def test_a_wrong_link_replies_to_no_case(app, world):
    # given an open case
    case, _token = case_in(world, S.IN_PROGRESS)
    browser = visitor(app)
    before = snapshot(case.id)

    # when someone replies through a link that is not the case's
    response = browser.post(
        f"/public/case/{secrets.token_urlsafe(16)}/reply",
        data={
            "csrf_token": csrf_token(browser.get("/public/lost-link")),
            "text": "Here is the decision of refusal.",
            "documents": [pdf("decision.pdf")],
        },
        content_type="multipart/form-data",
    )

    # then the link is not valid and the case is untouched
    assert response.status_code == 404
    assert snapshot(case.id) == before


def stored_files(app) -> set[str]:
    """The files in the upload folder (a refused document must leave none behind)."""
    folder = Path(app.config["UPLOAD_DIR"])
    return {p.name for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def test_a_closed_case_refuses_the_submitters_documents_without_a_message(app, world):
    # given a closed case and the submitter's browser with its private link
    case, token = case_in(world, S.CLOSED)
    browser = visitor(app)
    before, files = snapshot(case.id), stored_files(app)

    # when the submitter sends only a document through the link
    response = browser.post(
        f"/public/case/{token}/reply",
        data={
            "csrf_token": csrf_token(browser.get("/public/lost-link")),
            "documents": [pdf("decision.pdf")],
        },
        content_type="multipart/form-data",
    )

    # then the case refuses it: nothing changed, no file kept
    assert response.status_code == 400
    assert snapshot(case.id) == before
    assert stored_files(app) == files


@pytest.mark.parametrize(("text", "documents"), [("Too late.", []), ("", ["late.pdf"])])
def test_the_service_refuses_a_reply_to_a_closed_case_before_storing_anything(
    app, world, text, documents
):
    # given a closed case
    case, _token = case_in(world, S.CLOSED)
    before, files = snapshot(case.id), stored_files(app)

    # when the submitter's reply reaches the service, with a message or a document
    with pytest.raises(public.PublicError) as refused:
        public.submitter_reply(
            case, text, [_Upload(name, b"%PDF-1.4\n%%EOF\n") for name in documents]
        )

    # then the lifecycle refuses it for the case's state, and nothing is kept
    assert refused.value.code == "state"
    db.session.rollback()
    assert snapshot(case.id) == before
    assert stored_files(app) == files
