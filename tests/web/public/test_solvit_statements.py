"""A SOLVIT case page runs as many SQL statements for a long exchange between the centres
as for a short one, for the home centre and for the lead centre; so does the Commission
desk's page of a hand-over."""

from __future__ import annotations

import pytest

from app.cases import public
from app.extensions import db
from app.models import PublicCaseEvent
from tests.snapshots import restored
from tests.web.public.solvit_world import actor, build, complaint
from tests.web.requests.conftest import as_user
from tests.web.test_statement_counts import _grown, _same_count


@pytest.fixture
def world(app):
    return restored("solvit: world", build)


def _grow(case, world):
    users = [world.users["home handler"].id, world.users["lead handler"].id]

    def grow(n: int) -> None:
        for i in range(n):
            db.session.add(
                PublicCaseEvent(
                    case_id=case.id,
                    kind="centre_message",
                    user_id=users[i % 2],
                    text=f"Message {i} between the centres.",
                    language="en",
                )
            )

    return grow


@pytest.mark.parametrize("who", ["home handler", "lead handler"])
def test_a_solvit_case_page_runs_as_many_statements_for_a_long_exchange(app, world, who):
    # given a case with the lead centre whose centres write to each other more and more
    case, _token = complaint(world, "lead_working")
    officer = as_user(app, world.users[who])

    # when the centre's officer opens it at 2 and at 14 messages
    runs = _grown(officer, f"/public-cases/{case.id}", _grow(case, world))

    # then the page runs as many statements for both
    _same_count(runs, at_most=22)


def test_the_desk_page_of_a_hand_over_runs_few_statements(app, world):
    case, _token = complaint(world, "structural")
    public.act(actor(world.users["home handler"]), case, "hand_over", "The rule breaks EU law.")
    desk = as_user(app, world.users["desk"])
    runs = _grown(desk, f"/public-cases/structural-problems/{case.id}", _grow(case, world))
    _same_count(runs, at_most=12)
