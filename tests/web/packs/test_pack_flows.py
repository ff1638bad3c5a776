"""Every registered procedure pack runs its main flow through the HTTP routes, with field
values made from its own definition: a pack added later is tested without an edit here.

- request packs: compose and send, the responding authority accepts, answers every
  question, the requester closes; at each step the other officers try the same action
  and get what AUTHORIZATION says (and change nothing);
- alert packs: compose and send (validated first where the pack requires it), the
  receiving country's coordinator acknowledges;
- notification packs: compose, ask the Member State of establishment first where the
  pack says so, notify (validated where required), the Commission's desk concludes;
- repository packs: an editor records an entry, a reader of another country finds it,
  and neither the reader nor an authority without the procedure may change or see it.

One world (tests/snapshots.py) for the module: Berlin asks, notifies and alerts; Paris
answers and receives; Rome holds every grant but is no side; each of Berlin and Paris
has an officer whose roles hold in another legislative area only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from app.extensions import db
from app.models import (
    Alert,
    AlertState,
    AuthorityKind,
    Notification,
    NotificationState,
    ProcedureAccess,
    RecordState,
    RepositoryRecord,
    Request,
    RequestState,
    User,
)
from app.procedures import BUILTIN_DIR, Pack, Question, load_packs
from app.procedures.store import sync
from tests.factories import csrf_token, date_input, make_authority, make_user
from tests.snapshots import restored
from tests.web.requests.conftest import as_user

# The packs as the app loads them (app/config.py: the built-in folder, then those of
# PROCEDURE_DIRS), read at collection for the parameters; drafts are never offered, so
# never run.
_DIRS = [
    BUILTIN_DIR,
    *map(Path, filter(None, os.environ.get("PROCEDURE_DIRS", "").split(os.pathsep))),
]
PACKS = {k: p for k, p in load_packs(_DIRS).items() if not p.is_draft}


def keys_of(kind: str) -> list[str]:
    return sorted(key for key, pack in PACKS.items() if pack.kind == kind)


ROLES = {
    "request": ["requester", "responder"],
    "alert": ["alert_sender", "alert_receiver"],
    "notification": ["notifier", "notification_receiver"],
    "repository": ["repository_editor", "repository_reader"],
}


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, int]


def _grant(authority, kind: str, roles: list[str] | None = None) -> None:
    for key in keys_of(kind):
        pack_roles = [r for r in (roles or ROLES[kind]) if r in PACKS[key].roles]
        db.session.add(
            ProcedureAccess(authority_id=authority.id, procedure_key=key, roles=pack_roles)
        )
    db.session.commit()


def _other_area(area: str) -> str:
    return next(a for a in ("services", "professional_qualifications") if a != area)


def _world() -> World:
    sync()
    coordinators = {
        c: make_authority(c, name=f"Coordinator {c}", kind=AuthorityKind.NATIONAL_COORDINATOR)
        for c in ("DE", "FR")
    }
    berlin = make_authority("DE", name="Landesamt Berlin", parent=coordinators["DE"])
    paris = make_authority("FR", name="Autorité de Paris", parent=coordinators["FR"])
    rome = make_authority("IT", name="Autorità di Roma")
    desk = make_authority("EU", name="Commission desk", kind=AuthorityKind.COMMISSION)
    for authority in (berlin, paris, rome):
        _grant(authority, "request")
        _grant(authority, "alert")
    _grant(coordinators["FR"], "alert", ["alert_receiver"])
    _grant(berlin, "notification", ["notifier"])
    _grant(paris, "notification", ["notification_receiver"])
    _grant(desk, "notification", ["notification_assessor"])
    _grant(coordinators["DE"], "notification", ["notification_coordinator"])
    _grant(berlin, "repository", ["repository_editor"])
    _grant(paris, "repository", ["repository_reader"])
    acting = ["handler", "allocator", "alert_handler"]
    users = {
        "requester": make_user(berlin, acting, language="de"),
        "responder": make_user(paris, acting, language="fr"),
        "viewer": make_user(paris, ["viewer"]),
        "unrelated": make_user(rome, [*acting, "admin"]),
        "de_coordinator": make_user(coordinators["DE"], ["coordinator"]),
        "fr_coordinator": make_user(coordinators["FR"], ["coordinator", "alert_handler"]),
        "desk": make_user(desk, ["handler"]),
    }
    # officers whose roles hold in one legislative area only (no grant of the other's packs)
    for area in ("services", "professional_qualifications"):
        limited = {role: [area] for role in acting}
        users[f"requester_{area}"] = make_user(berlin, acting, role_areas=limited)
        users[f"responder_{area}"] = make_user(paris, acting, role_areas=limited)
    return World(users, {"berlin": berlin.id, "paris": paris.id})


@pytest.fixture
def world(app) -> World:
    return restored("packs: every pack's flow", _world)


class Clients:
    """One signed-in browser per officer, made when first used."""

    def __init__(self, app, world: World):
        self.app, self.world, self.made = app, world, {}

    def __getitem__(self, name: str):
        if name not in self.made:
            self.made[name] = as_user(self.app, self.world.users[name])
        return self.made[name]


def value_of(question: Question) -> str:
    """A valid value of the question's type (a date: today, within any sending period)."""
    if question.type == "choice":
        return question.options[0].key
    return {
        "yes_no": "yes",
        "date": date.today().isoformat(),
        "number": "3",
        "file": "attached",
    }.get(question.type, "Exemple: texte saisi par l'agent.")


def posted(name: str, question: Question) -> dict[str, str]:
    """The question's value as its form posts it (a date in three inputs)."""
    if question.type == "date":
        return date_input(name, value_of(question))
    return {name: value_of(question)}


def post(client, url: str, data: dict | None = None, page: str = "/account"):
    """POST as a browser would, with the session's CSRF token (read once per client from
    a page the officer can open, `page`: the token is the session's, not the page's)."""
    token = getattr(client, "csrf", None)
    if token is None:
        token = client.csrf = csrf_token(client.get(page))
    return client.post(url, data={"csrf_token": token, **(data or {})})


# --- requests ---------------------------------------------------------------------------

# Who may do what on a request of any pack, at the step where the action is due; each
# refused try changes nothing. The actors: the requesting officer, the responding
# officer (handler and allocator), a viewer of the responding authority, an officer of
# an authority holding every grant but no side of the request, and an officer of the
# responding authority (or, to send and close, of the requesting one) whose roles hold
# in another legislative area only.
ACTIONS = ("send", "accept", "answer", "close", "view")
# fmt: off
AUTHORIZATION = {
    #               send accept answer close view
    "requester":   (302, 400,   400,   302,  200),
    "responder":   (404, 302,   302,   400,  200),
    "viewer":      (403, 403,   403,   403,  200),
    "unrelated":   (404, 404,   404,   404,  404),
    "other_area":  (404, 404,   404,   404,  404),
}
# fmt: on
DOER = {"send": "requester", "accept": "responder", "answer": "responder", "close": "requester"}
PATHS = {"send": "send", "accept": "accept", "answer": "answers", "close": "close"}
# Before a step, its doer and the later steps' doers try those later steps: too early,
# the wrong state (400), and nothing changes.
TOO_EARLY = {"accept": ("answer", "close"), "answer": ("close",)}


def _actor(name: str, action: str, pack: Pack) -> str:
    if name != "other_area":
        return name
    side = "requester" if action in ("send", "close") else "responder"
    return f"{side}_{_other_area(pack.policy_area)}"


def _answers(item: Request, pack: Pack) -> dict[str, str]:
    questions = {q.key: q for s in pack.question_sets for q in s.questions}
    data = {"send": "1"}
    for asked in item.questions:
        data |= posted(f"answer-{asked.id}", questions[asked.question_key])
    return data


def _try_others(clients, pack: Pack, item: Request, action: str, url: str, data: dict) -> None:
    """Every actor but the one whose step it is tries `action`: the table's status, and
    the request as it was."""
    state, events = item.state, len(item.events)
    for name, expected in AUTHORIZATION.items():
        if name == DOER[action]:
            continue
        response = post(clients[_actor(name, action, pack)], url, data, page="/requests")
        wanted = expected[ACTIONS.index(action)]
        assert response.status_code == wanted, (pack.key, name, action, response.status_code)
        db.session.refresh(item)
        assert (item.state, len(item.events)) == (state, events), (pack.key, name, action)


@pytest.mark.parametrize("key", keys_of("request"))
def test_request_main_flow_and_who_may_act(app, world, key):
    pack, clients = PACKS[key], Clients(app, world)
    fields = {}
    for field in pack.request_fields:
        fields |= posted(f"detail-{field.key}", field)
    compose = {
        "procedure": key,
        "responder": world.ids["paris"],
        "subject": "Jeanne Exemple, née le 2 avril 1980",
        "questions": [q.key for s in pack.question_sets for q in s.questions],
        "message": "Bitte beantworten Sie die Fragen.",
        **fields,
        "save": "1",
    }
    requester = clients["requester"]
    response = post(requester, "/requests/new", compose, page=f"/requests/new?procedure={key}")
    assert response.status_code == 302, response.get_data(True)
    item = db.session.query(Request).one()
    assert item.state == RequestState.DRAFT and len(item.questions) == len(compose["questions"])
    url = f"/requests/{item.id}"

    steps = [
        ("send", "send", {}, RequestState.SENT),
        ("accept", "accept", {}, RequestState.ACCEPTED),
        ("answer", "answers", None, RequestState.ANSWERED),
        ("close", "close", {}, RequestState.CLOSED),
    ]
    for action, path, data, after in steps:
        data = _answers(item, pack) if data is None else data
        _try_others(clients, pack, item, action, f"{url}/{path}", data)
        for later in TOO_EARLY.get(action, ()):
            state = item.state
            early = _answers(item, pack) if later == "answer" else {}
            response = post(clients[DOER[later]], f"{url}/{PATHS[later]}", early, page=url)
            assert response.status_code == 400, (key, later, "before", action)
            db.session.refresh(item)
            assert item.state == state
        response = post(clients[DOER[action]], f"{url}/{path}", data, page=url)
        assert response.status_code == 302, (key, action, response.get_data(True)[:2000])
        db.session.refresh(item)
        assert item.state == after, (key, action, item.state)
        if action == "answer":
            assert all(q.answer not in (None, "") for q in item.questions), key

    for name, expected in AUTHORIZATION.items():
        client = clients[_actor(name, "view", pack)]
        assert client.get(url).status_code == expected[ACTIONS.index("view")], (key, name)


# --- alerts -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", keys_of("alert"))
def test_alert_main_flow(app, world, key):
    pack, clients = PACKS[key], Clients(app, world)
    data = {"procedure": key, "message": "Warnmeldung.", "countries": ["FR"], "send": "1"}
    for field in pack.fields:
        data |= posted(f"field-{field.key}", field)
    sender = clients["requester"]
    response = post(sender, "/alerts/new", data, page=f"/alerts/new?procedure={key}")
    assert response.status_code == 302, response.get_data(True)[:3000]
    item = db.session.query(Alert).one()
    url = f"/alerts/{item.id}"
    if item.state == AlertState.AWAITING_VALIDATION:  # the pack requires validation
        response = post(clients["de_coordinator"], f"{url}/approve", page=url)
        assert response.status_code == 302
        db.session.refresh(item)
    assert item.state == AlertState.SENT, (key, item.state)
    assert [r.country for r in item.recipients] == ["FR"]

    # France's coordinator receives it; a foreign authority does not see it
    receiver = clients["fr_coordinator"]
    assert receiver.get(url).status_code == 200
    assert clients["unrelated"].get(url).status_code == 404
    assert post(clients["unrelated"], f"{url}/acknowledge").status_code == 404
    assert post(receiver, f"{url}/acknowledge", page=url).status_code == 302
    db.session.refresh(item)
    assert item.recipients[0].acknowledged_at is not None


# --- notifications ----------------------------------------------------------------------


@pytest.mark.parametrize("key", keys_of("notification"))
def test_notification_main_flow(app, world, key):
    pack, clients = PACKS[key], Clients(app, world)
    rules = pack.notification
    data = {"procedure": key, "message": "Mitteilung."}
    if rules.recipients == "establishment":
        data["establishment_country"] = "FR"
    for field in pack.fields:
        data |= posted(f"field-{field.key}", field)
    notifier = clients["requester"]
    page = f"/notifications/new?procedure={key}"
    response = post(notifier, "/notifications/new", data, page=page)
    assert response.status_code == 302, response.get_data(True)[:3000]
    item = db.session.query(Notification).one()
    url = f"/notifications/{item.id}"
    if rules.ask_first:
        assert post(notifier, f"{url}/ask", page=url).status_code == 302
        reply = {"text": "Aucune mesure prise."}
        assert post(clients["responder"], f"{url}/reply", reply, page=url).status_code == 302
    response = post(notifier, f"{url}/send", page=url)
    assert response.status_code == 302, response.get_data(True)[:3000]
    db.session.refresh(item)
    if item.state == NotificationState.AWAITING_VALIDATION:
        assert post(clients["de_coordinator"], f"{url}/approve", page=url).status_code == 302
        db.session.refresh(item)
    assert item.state == NotificationState.NOTIFIED, (key, item.state)

    # an authority that is no side cannot see it; the Commission's desk concludes
    assert clients["unrelated"].get(url).status_code == 404
    desk = clients["desk"]
    assert post(desk, f"{url}/conclude", {"text": "Compatible."}, page=url).status_code == 302
    db.session.refresh(item)
    assert item.state == NotificationState.ASSESSED


# --- repositories -----------------------------------------------------------------------


@pytest.mark.parametrize("key", keys_of("repository"))
def test_repository_main_flow(app, world, key):
    pack, clients = PACKS[key], Clients(app, world)
    data = {"note": ""}
    for field in pack.fields:
        data |= posted(f"field-{field.key}", field)
    editor = clients["requester"]
    url = f"/repositories/{key}/new"
    response = post(editor, url, data, page=url)
    assert response.status_code == 302, response.get_data(True)[:3000]
    record = db.session.query(RepositoryRecord).one()
    assert (record.procedure_key, record.state, record.country) == (key, RecordState.ACTIVE, "DE")
    page = f"/repositories/records/{record.id}"

    # a reader in France finds it and cannot change it; Rome, without the procedure, sees
    # nothing of it
    reader, stranger = clients["responder"], clients["unrelated"]
    assert reader.get(page).status_code == 200
    assert reader.get(f"{page}/edit").status_code in (403, 404)
    assert post(reader, f"{page}/edit", data).status_code in (403, 404)
    assert stranger.get(page).status_code == 404
    assert stranger.get(url).status_code == 404
    db.session.refresh(record)
    assert record.version == 1
