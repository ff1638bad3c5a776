"""The inbox counters read partial indexes of the open requests (migration 0017), in every
plan PostgreSQL may choose: their cost follows an authority's open work, not its years of
closed cases (bench/load.py's busy authority has 20,000 received requests)."""

from __future__ import annotations

import re
from datetime import date

from psycopg import sql
from sqlalchemy import event

from app.cases import inbox
from app.extensions import db
from app.policy import Actor


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
    assert plan.count("ix_request_responder_open") == 3, plan  # received, assigned, overdue
    assert plan.count("ix_request_requester_open") == 2, plan  # sent, drafts
