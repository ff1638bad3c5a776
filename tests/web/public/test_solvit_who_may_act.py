"""Who may act on a SOLVIT case, as a table: every SOLVIT step (submitting to the lead
centre, the lead centre's acceptance and rejection, the centres' messages, closing with
an outcome, the hand-over to the Commission's SOLVIT desk) at every stage, by every side
and role, sent through HTTP as a browser would.

The expectations are written out here from the domain (Recommendation 2013/461/EU and
the Commission's SOLVIT pages, as app/cases/public/solvit.py describes them), never read
from the lifecycle's table:

- the home centre (the French centre the complaint was routed to) submits a case it has
  taken up to the lead centre, writes to the lead centre while the case is with it,
  closes it (in the home stage, or once the lead centre works on it) and hands a closed
  structural problem to the Commission;
- the lead centre (the German centre) sees the case only once it was submitted to it;
  it accepts or rejects it while it waits, and writes to the home centre while it has it;
- handlers and allocators act; a viewer only reads (403); an administrator without a
  case role is refused by the case (400) where they find it;
- a third centre, the Commission's SOLVIT desk, another Commission authority and the
  home country's national coordinator do not find the case (404);
- a step the stage does not allow is refused (400).

A refused attempt changes nothing: same state, lead centre, outcome, desk, no new event,
no audit row of the action. The applicant's side (their private link reaches no officer
route; they never read the centres' texts) is tested after the table.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, PublicCase, PublicCaseEvent
from tests.factories import csrf_token
from tests.snapshots import restored
from tests.web.public.conftest import visitor
from tests.web.public.solvit_world import with_cases
from tests.web.requests.conftest import as_user

STAGES = ("in_progress", "with_lead", "lead_working", "structural")

# step -> side -> the stages it is allowed in for that side's handlers and allocators
ALLOWED = {
    "submit_to_lead": {"home": ("in_progress",)},
    "lead_accept": {"lead": ("with_lead",)},
    "lead_reject": {"lead": ("with_lead",)},
    "centre_message": {
        "home": ("with_lead", "lead_working"),
        "lead": ("with_lead", "lead_working"),
    },
    "close": {"home": ("in_progress", "lead_working")},
    "hand_over": {"home": ("structural",)},
}

# who -> (side, reads only, holds a case role); the side None finds no SOLVIT case
WHO = {
    "home handler": ("home", False, True),
    "home allocator": ("home", False, True),
    "home viewer": ("home", True, False),
    "home admin": ("home", False, False),
    "lead handler": ("lead", False, True),
    "lead allocator": ("lead", False, True),
    "lead viewer": ("lead", True, False),
    "lead admin": ("lead", False, False),
    "third centre": (None, False, True),
    "desk": (None, False, True),
    "commission": (None, False, False),
    "national coordinator": (None, False, False),
}

# The stages in which the lead centre sees the case: once it was submitted to it.
LEAD_SEES = ("with_lead", "lead_working", "structural")


def expected(who: str, step: str, stage: str) -> int:
    side, reads_only, case_role = WHO[who]
    if reads_only:
        return 403
    if side is None or (side == "lead" and stage not in LEAD_SEES):
        return 404
    return 302 if case_role and stage in ALLOWED[step].get(side, ()) else 400


def post(officer, case_id: int, step: str, stage: str):
    """The step's form as its page posts it."""
    token = csrf_token(officer.get("/account"))
    if step == "close":
        outcome = "not_within_scope" if stage == "in_progress" else "structural_problem"
        return officer.post(
            f"/public-cases/{case_id}/close",
            data={"csrf_token": token, "outcome": outcome, "text": "Why.", "confirm": "close"},
        )
    prefix = {
        "submit_to_lead": "lead",
        "lead_accept": "accept",
        "lead_reject": "reject",
        "centre_message": "centre",
        "hand_over": "handover",
    }[step]
    return officer.post(
        f"/public-cases/{case_id}/solvit/{step}",
        data={
            f"{prefix}-csrf_token": token,
            f"{prefix}-text": "A text of the step.",
            f"{prefix}-lead_country": "DE",
        },
    )


def snapshot(case_id: int) -> dict:
    db.session.expire_all()
    case = db.session.get(PublicCase, case_id)
    actions = db.session.scalars(
        select(AuditEvent.action).where(
            AuditEvent.object_type == "public_case",
            AuditEvent.object_id == str(case_id),
            AuditEvent.action.notin_(("public_case.viewed", "public_case.denied")),
        )
    ).all()
    events = select(func.count()).select_from(PublicCaseEvent).filter_by(case_id=case_id)
    return {
        "state": case.state,
        "lead": case.lead_authority_id,
        "outcome": case.outcome,
        "desk": case.desk_id,
        "events": db.session.scalar(events),
        "audit": sorted(actions),
    }


@pytest.fixture
def world(app):
    return restored("solvit: who may act, a case at each stage", with_cases)


CASES = [(step, who) for step in ALLOWED for who in WHO]


@pytest.mark.parametrize(
    ("step", "who"), CASES, ids=[f"{s}-{w.replace(' ', '_')}" for s, w in CASES]
)
def test_a_solvit_step_is_taken_only_as_the_table_says(app, world, step, who):
    # given an officer signed in as `who`
    officer = as_user(app, world.users[who])
    wrong = []
    for stage in STAGES:
        # when they take the step on the case at each stage
        case_id, _token = world.cases[stage]
        before = snapshot(case_id)
        response = post(officer, case_id, step, stage)
        after = snapshot(case_id)
        # then the outcome is the table's; a refusal changed nothing; a step one event
        want = expected(who, step, stage)
        if response.status_code != want:
            wrong.append(f"{stage}: {response.status_code}, the table says {want}")
        elif want != 302 and after != before:
            wrong.append(f"{stage}: refused but changed {after}")
        elif want == 302 and (
            after["events"] != before["events"] + 1 or f"public_case.{step}" not in after["audit"]
        ):
            wrong.append(f"{stage}: done as {after}")
    assert wrong == []


@pytest.mark.parametrize("step", list(ALLOWED))
def test_the_applicants_link_reaches_no_centre_step(app, world, step):
    # given the applicant's browser, which has opened their tracking page
    case_id, token = world.cases["with_lead"]
    browser = visitor(app)
    assert browser.get(f"/public/case/{token}").status_code == 200
    before = snapshot(case_id)

    # when it posts a centre's step to the officers' route
    response = post(browser, case_id, step, "with_lead") if step != "close" else None
    if response is None:
        response = browser.post(f"/public-cases/{case_id}/close", data={"confirm": "close"})

    # then the public interface does not know the route, and nothing changed
    assert response.status_code in (400, 404)
    assert snapshot(case_id) == before
