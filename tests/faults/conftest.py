"""Faults of the real services, provoked without disturbing other runs: PostgreSQL's
backends of this run's test database are ended with pg_terminate_backend (the server
itself is shared, and is never restarted)."""

from __future__ import annotations

import re

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ADMIN, POSTGRES
from tests.web.requests.conftest import people  # noqa: F401 - the exchanging authorities


@pytest.fixture
def postgres(app):
    if not POSTGRES:
        pytest.skip("PostgreSQL is not reachable")
    return app


def terminate(app, pid: int | None = None) -> int:
    """End the backends of `app`'s test database (only `pid`'s when given), as a restart
    of PostgreSQL would; how many were ended."""
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid() AND (%s::int IS NULL OR pid = %s)",
            (database, pid, pid),
        ).fetchone()
    return ended[0]


def hidden(page: str, name: str) -> str:
    """The value of the first hidden input `name` of a page."""
    match = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', page)
    assert match, f"no hidden {name} in the page"
    return match.group(1)
