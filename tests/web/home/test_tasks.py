"""The home page's task list: each count is the number of cases that the list it links to
shows, through the kind's visibility rule; another authority's case never counts; a viewer sees the counts and no action."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app.models import AlertState, PublicCaseState, RecipientState, RequestState
from app.models.base import utcnow
from tests.factories import make_authority, make_user
from tests.web.home.conftest import (
    alert_row,
    disseminated,
    public_row,
    registration_row,
    request_row,
    routed,
    today,
)
from tests.web.requests.conftest import as_user

S = RequestState


def _received(state, **fields):
    return lambda w, own: request_row(w.berlin, w.paris if own else w.rome, state, **fields)


def _sent(state, **fields):
    return lambda w, own: request_row(w.paris if own else w.rome, w.berlin, state, **fields)


def _validating(w, own):
    validator = w.coordinator_fr if own else w.coordinator_it
    sender = w.paris if own else w.rome
    return alert_row(sender, AlertState.AWAITING_VALIDATION, validator_authority_id=validator.id)


def _routed(w, own):
    item = alert_row(w.berlin, AlertState.SENT)
    routed(item, w.coordinator_fr if own else w.coordinator_it)
    return item


def _disseminated(w, own):
    item = alert_row(w.berlin, AlertState.SENT)
    coordinator = w.coordinator_fr if own else w.coordinator_it
    recipient = routed(item, coordinator, state=RecipientState.DISSEMINATED)
    disseminated(recipient, w.paris if own else w.rome)
    return item


def _public(state):
    return lambda w, own: public_row(w.paris if own else w.rome, state)


def _registration(w, own):
    return registration_row("FR" if own else "IT", "Chambre de Lyon" if own else "Camera di Roma")


# task, who looks (an officer of Paris, or its coordinator), the case in that situation
# (own: for the looker's authority; else for Rome or Italy's coordinator), its words
SCENARIOS = [
    ("request_accept", "allocator", _received(S.SENT), "1 request to accept"),
    ("request_allocate", "allocator", _received(S.ACCEPTED), "1 request not assigned yet"),
    ("request_answer", "handler", _received(S.ACCEPTED), "1 request to answer"),
    ("request_overdue", "handler", _received(S.ACCEPTED, due_in=-1), "1 overdue request"),
    ("request_info", "handler", _sent(S.INFO_REQUESTED), "1 request waiting for your information"),
    (
        "request_date", "handler",
        _sent(S.ACCEPTED, proposed_due=utcnow().date() + timedelta(days=60)),
        "1 new reply date to decide",
    ),
    ("request_answered", "handler", _sent(S.ANSWERED), "1 answered request to close"),
    (
        "request_referral", "coordinator_fr", _received(S.ACCEPTED, referral_open=True),
        "1 disagreement referred to you",
    ),
    ("alert_validate", "coordinator_fr", _validating, "1 alert to validate"),
    ("alert_disseminate", "coordinator_fr", _routed, "1 alert to disseminate"),
    ("alert_acknowledge", "handler", _disseminated, "1 alert to acknowledge"),
    ("public_new", "handler", _public(PublicCaseState.SUBMITTED), "1 new public case to accept"),
    ("public_open", "handler", _public(PublicCaseState.IN_PROGRESS), "1 public case in progress"),
    ("registrations", "coordinator_fr", _registration, "1 registration to decide"),
]  # fmt: skip


def _task(page: str, name: str) -> str:
    """The task list item of task `name`: found by its id-free markup, the label."""
    from app.blueprints.main.texts import LABELS

    label = str(LABELS[name])
    items = re.findall(r'<li class="task">.*?</li>', page, re.S)
    found = [item for item in items if f">{label}<" in item]
    assert len(found) == 1, f"no single task {label!r} on the home page"
    return found[0]


def _shown(case) -> str:
    """What a list shows of a case: its reference, or a registration's authority name."""
    return case.authority.name if hasattr(case, "applicant_name") else case.reference


@pytest.mark.parametrize(("task", "who", "make", "words"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_a_case_in_the_situation_counts_once_and_its_link_lists_it(
    app, world, task, who, make, words
):
    officer = as_user(app, world.users[who])
    # Given nothing waits: the task is there, quietly "none", without a link
    item = _task(officer.get("/").get_data(True), task)
    assert "none" in item and "<a " not in item

    # When the same situation arises for another authority
    foreign = make(world, own=False)
    # Then it still counts nothing
    item = _task(officer.get("/").get_data(True), task)
    assert "none" in item and "<a " not in item

    # When it arises for the looker's own authority
    own = make(world, own=True)
    item = _task(officer.get("/").get_data(True), task)

    # Then the task counts 1, in words a screen reader reads whole
    assert f'<span class="visually-hidden">{words}</span>' in item
    assert '<span class="task-count" aria-hidden="true">1</span>' in item
    # and its link leads to a list that shows that case, and not the others
    (link,) = re.findall(r'<a href="([^"]+)">', item)
    listed = officer.get(link.replace("&amp;", "&"))
    assert listed.status_code == 200
    page = listed.get_data(True)
    assert _shown(own) in page and _shown(foreign) not in page


def test_the_tasks_follow_the_roles(app, world):
    # Given officers of Paris with different roles, and its coordinator
    def tasks(who: str) -> set[str]:
        page = as_user(app, world.users[who]).get("/").get_data(True)
        return set(re.findall(r'<h3 id="tasks-([a-z_]+)">', page)), page

    # Then an allocator sees what to allocate, a handler does not
    _, allocator = tasks("allocator")
    _, handler = tasks("handler")
    assert "Requests not assigned yet" in allocator
    assert "Requests not assigned yet" not in handler
    # a handler sees what its own requests wait for; an allocator does not ask
    assert "Requests waiting for your information" in handler
    assert "Requests waiting for your information" not in allocator
    # alerts to disseminate and validate reach coordinators only
    assert "Alerts to disseminate" not in handler
    areas, coordinator = tasks("coordinator_fr")
    assert "Alerts to disseminate" in coordinator and "Registrations to decide" in coordinator
    assert "Disagreements referred to you" in coordinator
    assert "coordination" in areas
    # a local administrator alone has nothing to answer: no task list at all
    areas, admin = tasks("admin")
    assert areas == set() and "Manage the users of your authority" in admin


def test_a_viewer_sees_the_counts_and_no_action(app, world):
    # Given a request to accept and an alert to acknowledge at Paris
    _received(S.SENT)(world, True)
    _disseminated(world, True)
    viewer = as_user(app, world.users["viewer"]).get("/").get_data(True)
    handler = as_user(app, world.users["handler"]).get("/").get_data(True)

    # Then the viewer sees the same counts as a handler
    for words in ("1 request to accept", "1 alert to acknowledge"):
        assert words in viewer and words in handler
    # and none of the handler's actions: no new request, no new alert, no form to post
    for action in ('href="/requests/new"', 'href="/alerts/new"'):
        assert action in handler and action not in viewer
    main = viewer.split('<main id="main"', 1)[1]
    assert "<form" not in main and "<button" not in main


def test_overdue_counts_what_the_overdue_list_shows(app, world):
    # Given three received requests: one late, one on time, one late but answered
    late = request_row(world.berlin, world.paris, S.ACCEPTED, due_in=-3)
    on_time = request_row(world.berlin, world.paris, S.SENT, due_in=3)
    answered = request_row(world.berlin, world.paris, S.ANSWERED, due_in=-3)
    officer = as_user(app, world.users["handler"])

    # Then the home counts one overdue request, two to accept or answer
    page = officer.get("/").get_data(True)
    assert "1 overdue request" in page
    assert "1 request to accept" in page and "1 request to answer" in page
    item = _task(page, "request_overdue")
    (link,) = re.findall(r'<a href="([^"]+)">', item)
    listed = officer.get(link.replace("&amp;", "&")).get_data(True)
    assert late.reference in listed
    assert on_time.reference not in listed and answered.reference not in listed
    assert today() > late.reply_due


def test_an_alert_waits_for_each_authority_until_it_acknowledges(app, world):
    # Given an alert France's coordinator passed on to Paris and to Lyon, and that Paris
    # and the coordinator have acknowledged
    lyon = make_authority("FR", name="Préfecture du Rhône", parent=world.coordinator_fr)
    alert = alert_row(world.berlin, AlertState.SENT)
    recipient = routed(
        alert, world.coordinator_fr, state=RecipientState.DISSEMINATED, acknowledged_at=utcnow()
    )
    disseminated(recipient, world.paris, acknowledged_at=utcnow())
    disseminated(recipient, lyon)

    # Then it no longer waits for Paris nor for the coordinator, but it does for Lyon
    lyon_officer = make_user(lyon, ["alert_handler"])
    for who, waits in (
        (world.users["handler"], False),
        (world.users["coordinator_fr"], False),
        (lyon_officer, True),
    ):
        page = as_user(app, who).get("/").get_data(True)
        assert ("1 alert to acknowledge" in page) is waits, who.email
        assert (alert.reference in as_user(app, who).get("/waiting").get_data(True)) is waits
