"""The proof of exchange runs as many SQL statements for a long timeline as for a short
one (in the manner of tests/web/test_statement_counts.py, for a page that answers a
POST): a statement per event or per party -- an N+1 -- makes the counts differ."""

from __future__ import annotations

import time_machine

from app.extensions import db
from app.models import Alert, Request, RequestEvent
from tests.factories import csrf_token, make_authority, statements_of
from tests.web.requests.conftest import as_user
from tests.web.retention.test_blocking import SECOND, close
from tests.web.security.world import build_world
from tests.web.test_statement_counts import _grow_alert, _same_count


def _proof_statements(client, reference: str) -> list[str]:
    """The statements of showing the proof of `reference` (the second time: warm)."""
    form = {"reference": reference, "purpose": "Court order 4 O 123/27"}
    form["csrf_token"] = csrf_token(client.get("/proof/"))
    assert reference in client.post("/proof/", data=form).text
    return statements_of(client, "/proof/", form)


def _grown(app, world, case, grow) -> list[list[str]]:
    """The statements of the proof of `case`, blocked, asked for by the German
    coordinator with 2 more events, then 18 more."""
    close(case)
    runs = []
    with time_machine.travel(case.block_due + SECOND, tick=False):
        coordinator = as_user(app, world.users["coordinator_de"])
        for n in (2, 18):
            grow(n)
            db.session.commit()
            runs.append(_proof_statements(coordinator, case.reference))
    return runs


def _request_events(item: Request):
    def grow(n: int) -> None:
        # each event by another authority (a forwarded request's path)
        for _ in range(n):
            authority = make_authority("FR")
            db.session.add(
                RequestEvent(request_id=item.id, kind="info_given", authority_id=authority.id)
            )

    return grow


def test_the_proof_of_a_request_runs_as_many_statements_for_a_long_timeline(app):
    # Given a request
    world = build_world()
    item = db.session.get(Request, world.ids["request_sent"])

    # When, blocked, a coordinator of a party asks for its proof with 2 events by other
    # authorities, then with 20
    runs = _grown(app, world, item, _request_events(item))

    # Then both cost the same number of statements
    _same_count(runs, at_most=21)  # 18 today; 37 for 20 events before


def test_the_proof_of_an_alert_runs_as_many_statements_for_many_parties(app):
    # Given an alert
    world = build_world()
    item = db.session.get(Alert, world.ids["alert_sent"])

    # When, blocked, a coordinator of its sender asks for its proof with 2 comments and
    # recipients, then with 20
    runs = _grown(app, world, item, _grow_alert(item, "de"))

    # Then both cost the same number of statements
    _same_count(runs, at_most=24)  # 21 today; 103 for 20 of each before
