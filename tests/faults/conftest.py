"""Faults against the real services, provoked without disturbing other runs: a Redis
down or hung, a worker killed mid-job, a full disk, and PostgreSQL's backends of this run's
test database ended with pg_terminate_backend (the server itself is shared, and is never
restarted). Helpers shared by the fault tests."""

from __future__ import annotations

import contextlib
import re
import socket
import time

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ADMIN, POSTGRES
from tests.web.requests.conftest import people  # noqa: F401  (officers of two countries)

# What an app clone keeps of the app it copies (the same database, mail, files, keys).
SHARED = (
    "SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR", "SECRET_KEY", "PUBLIC_URL", "TESTING",
    "MAIL_SERVER", "MAIL_PORT", "REDIS_PREFIX", "SESSION_COOKIE_SECURE", "TRUSTED_HOSTS",
    "UNIFORM_RESPONSE_SECONDS",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def hung_redis():
    """The URL of a "Redis" that accepts connections and never answers: a listening
    socket nobody reads (the kernel completes each handshake from its backlog)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


@contextlib.contextmanager
def redis_at(app, url: str, **config):
    """An app on the same database as `app` whose Redis is at `url`."""
    from app import create_app, jobs

    overrides = {key: app.config[key] for key in SHARED} | {"REDIS_URL": url, **config}
    saved = dict(jobs._apps)
    try:
        yield create_app(app.config["INSTANCE"], overrides)
    finally:
        jobs._apps.update(saved)  # create_app registered the clone for jobs


@pytest.fixture
def postgres(app):
    if not POSTGRES:
        pytest.skip("PostgreSQL is not reachable")
    return app


def terminate(app, pid: int | None = None) -> int:
    """End the backends of `app`'s test database (only `pid`'s when given), as a restart
    of PostgreSQL would; how many were ended. It returns once they are gone, as a restart
    does before it accepts connections again (pg_terminate_backend only signals them)."""
    database = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        ended = (
            admin.execute(
                "SELECT array_agg(pid) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid() AND (%s::int IS NULL OR pid = %s)",
                (database, pid, pid),
            ).fetchone()[0]
            or []
        )
        deadline = time.monotonic() + 10
        while ended and time.monotonic() < deadline:
            alive = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (ended,)
            ).fetchone()[0]
            if not alive:
                break
            time.sleep(0.01)
    return len(ended)


def hidden(page: str, name: str) -> str:
    """The value of the first hidden input `name` of a page."""
    match = re.search(rf'name="{re.escape(name)}" type="hidden" value="([^"]*)"', page)
    assert match, f"no hidden {name} in the page"
    return match.group(1)
