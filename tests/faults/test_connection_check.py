"""A pooled connection is checked at checkout by its socket (app/database.py): one that
the server ended is refused, one that merely has something to read is pinged and kept."""

from __future__ import annotations

import select

import psycopg
import pytest
from sqlalchemy import make_url

from app.database import ended
from tests.faults.conftest import terminate


def _url(app) -> str:
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    return url.set(drivername="postgresql").render_as_string(False)


@pytest.fixture
def connection(postgres):
    with psycopg.connect(_url(postgres)) as conn:
        yield conn


def pings(log):
    def ping(connection):
        log.append("ping")
        connection.execute("SELECT 1")
        connection.rollback()

    return ping


def test_an_idle_connection_in_good_health_costs_no_round_trip(connection):
    log = []
    assert not ended(connection, pings(log))
    assert log == []


def test_a_connection_with_something_to_read_is_pinged_and_kept(postgres, connection):
    # Given an idle connection whose socket has a message waiting (a notification here,
    # as a TLS session ticket or another late message would)
    connection.execute("LISTEN openimi_check")
    connection.commit()
    with psycopg.connect(_url(postgres), autocommit=True) as other:
        other.execute("NOTIFY openimi_check")
    # (the server sends it on its own time: wait until it has reached the socket, as a
    # loaded machine once had it arrive after the check)
    assert select.select([connection.fileno()], [], [], 5)[0]
    log = []
    # Then the ping decides, and the connection is kept
    assert not ended(connection, pings(log))
    assert log == ["ping"]


def test_a_connection_the_server_ended_is_refused(postgres, connection):
    assert terminate(postgres, connection.info.backend_pid) == 1
    assert ended(connection, pings([]))
