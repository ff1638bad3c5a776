"""The inbox counters read partial indexes of the open requests (migration 0017), in every
plan PostgreSQL may choose: their cost follows an authority's open work, not its years of
closed cases (bench/load.py's busy authority has 20,000 received requests)."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from psycopg import sql
from sqlalchemy import event, select, text

from app.cases import counters, inbox
from app.extensions import db
from app.jobs import redis_connection
from app.models import Request
from app.policy import Actor
from tests.factories import csrf_token, statements_of
from tests.faults.conftest import free_port, redis_at
from tests.web.requests.conftest import as_user, compose


def test_the_inbox_counters_read_only_the_open_requests_indexes(app, people):
    # Given the counters of an allocator's inbox, as the page runs them
    membership = people.allocator.memberships[0]
    seen = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        inbox.counts(Actor(people.allocator, membership), date.today())
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    (statement, parameters), *_ = [s for s in seen if "count(" in s[0]]

    # When PostgreSQL plans them as a prepared statement's generic plan (psycopg prepares
    # a statement run often; its parameters are then unknown to the planner), with a full
    # scan ruled out
    order = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", statement)))
    prepared = re.sub(r"%\((\w+)\)s", lambda m: f"${order.index(m[1]) + 1}", statement)
    with db.engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE counters AS {prepared}")
        values = sql.SQL(", ").join(sql.Literal(parameters[name]) for name in order)
        cursor.execute(sql.SQL("EXPLAIN EXECUTE counters({})").format(values))
        plan = "\n".join(row[0] for row in cursor.fetchall())
        connection.rollback()

    # Then each count reads a partial index of the open requests (migration 0017): the
    # states are written into the SQL, so the planner sees they imply its predicate
    assert plan.count("ix_request_requester_open") == 2, plan  # sent, drafts
    # received, assigned, overdue, and urgent: the urgent ones through the partial index
    # of urgent requests (migration 0021) or the open one, as the statistics of the
    # moment make the planner prefer: either costs the open work only
    responder = plan.count("ix_request_responder_open") + plan.count("ix_request_responder_urgent")
    assert responder == 4, plan
    assert set(re.findall(r"using (\w+)", plan)) <= {
        "ix_request_requester_open",
        "ix_request_responder_open",
        "ix_request_responder_urgent",
    }, plan
    assert "Seq Scan" not in plan, plan


# --- kept in Redis between changes (app/cases/counters.py) ----------------------------------

TAB = re.compile(r'box=(\w+)"[^>]*>[^<]*<span class="count">(\d+)</span>')


def tabs(client) -> dict[str, int]:
    """The counts the inbox's tabs show."""
    page = client.get("/requests").get_data(as_text=True)
    return {box: int(number) for box, number in TAB.findall(page)}


def counted_in_database(app, client, box: str = "received") -> bool:
    """Whether the inbox counted `box` in PostgreSQL (not from Redis): the authority's
    boxes ("received"), or the officer's own ("assigned")."""
    with app.app_context():
        return any(f" AS {box}" in s for s in statements_of(client, "/requests"))


@pytest.mark.redis
def test_an_authoritys_counts_are_kept_until_a_change_of_its_requests_commits(rq_apps, people):
    up, _ = rq_apps
    berlin, paris, lyon = (
        as_user(up, user) for user in (people.requester, people.allocator, people.lyonnais)
    )
    paris_id, lyon_id = people.authorities["paris"].id, people.authorities["lyon"].id
    # Given Berlin sent Paris a request, and Paris's allocator saw the inbox once
    assert compose(berlin, paris_id).status_code == 302
    assert tabs(paris)["received"] == 1

    # When the allocator comes back, then the counts come from Redis, unchanged
    assert not counted_in_database(up, paris)
    assert tabs(paris) == {"received": 1, "assigned": 0, "sent": 0, "drafts": 0}
    # and so after a visit of the case, which changes only its unread flag
    with up.app_context():
        item_id = db.session.scalar(select(Request.id))
    assert paris.get(f"/requests/{item_id}").status_code == 200
    assert not counted_in_database(up, paris)
    # and an officer's own count (assigned to me) is kept too
    handler = as_user(up, people.handler)
    assert tabs(handler)["assigned"] == 0
    assert not counted_in_database(up, handler, "assigned")
    # and after an assignment, which moves the officers' own counts only
    token = csrf_token(paris.get(f"/requests/{item_id}"))
    response = paris.post(
        f"/requests/{item_id}/assign", data={"csrf_token": token, "handler": people.handler.id}
    )
    assert response.status_code == 302
    assert not counted_in_database(up, paris)
    assert counted_in_database(up, handler, "assigned")
    assert tabs(handler)["assigned"] == 1

    # When Berlin sends another, then both sides count again, right
    assert compose(berlin, paris_id).status_code == 302
    assert counted_in_database(up, paris)
    assert tabs(paris)["received"] == 2
    assert tabs(berlin)["sent"] == 2
    # and when Paris forwards one to Lyon, the authority it leaves counts it no more
    assert tabs(lyon)["received"] == 0
    token = csrf_token(paris.get(f"/requests/{item_id}/forward"))
    response = paris.post(
        f"/requests/{item_id}/forward",
        data={"csrf_token": token, "forward-authority": lyon_id, "forward-text": "Rhône."},
    )
    assert response.status_code == 302
    assert tabs(paris)["received"] == 1
    assert tabs(lyon)["received"] == 1
    assert tabs(berlin)["sent"] == 2
    # and a draft, which only Berlin sees, moves Berlin's drafts
    assert compose(berlin, paris_id, send=False).status_code == 302
    assert tabs(berlin)["drafts"] == 1
    assert tabs(paris)["received"] == 1


@pytest.mark.redis
def test_counts_made_while_a_change_commits_are_not_kept(rq_apps):
    # Given counts being made while a change of the authority commits (its generation
    # moves on meanwhile, as the commit's after_commit does)
    up, _ = rq_apps
    made = []

    def count_while_changed(names):
        made.append(names)
        if len(made) == 1:
            redis_connection(up).incr(counters._key(up, "request", 7))
        return {name: len(made) for name in names}

    def counts(day: str, officer: int = 1) -> dict[str, int]:
        return counters.cached(
            7,
            count_while_changed,
            counters.Counts("request", day, ("received",)),
            counters.Counts("request-assigned", f"officer-{officer}", ("assigned",)),
        )

    with up.test_request_context():
        first = counts("2026-12-07")
        # Then the next page counts again what the change moved, and the one after uses
        # what that one kept
        second = counts("2026-12-07")
        third = counts("2026-12-07")
        # and another day (the overdue move), or another officer, is counted on its own
        other_day = counts("2026-12-08")
        other_officer = counts("2026-12-07", officer=2)
    assert (first, second, third, other_day, other_officer) == (
        {"received": 1, "assigned": 1},
        {"received": 2, "assigned": 1},
        {"received": 2, "assigned": 1},
        {"received": 3, "assigned": 1},
        {"received": 2, "assigned": 4},
    )
    # and what is counted again is counted in one go
    assert made == [["received", "assigned"], ["received"], ["received"], ["assigned"]]


@pytest.mark.redis
def test_without_redis_the_counts_are_made_in_the_database_and_right(rq_apps, people):
    up, _ = rq_apps
    with redis_at(up, f"redis://127.0.0.1:{free_port()}/0") as cut:
        berlin, paris = as_user(cut, people.requester), as_user(cut, people.allocator)
        # Given Redis down: the inbox counts in the database, and leaves Redis alone a while
        assert tabs(paris)["received"] == 0
        assert counters._paused_until.get(id(cut), 0) > time.monotonic()
        # When Berlin sends a request, then Paris counts it at once
        assert compose(berlin, people.authorities["paris"].id).status_code == 302
        assert tabs(paris)["received"] == 1
        assert counted_in_database(cut, paris)


def test_the_apps_connections_plan_each_statement_for_its_values(app):
    # A prepared statement's generic plan, made for an average authority, sorted all
    # 20,000 requests of a busy one to show 25 (bench/load.py): the app's connections ask
    # PostgreSQL for a plan made for the values of each execution
    with app.app_context():
        assert db.session.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
