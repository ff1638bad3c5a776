"""Test harness.

Databases: every database test runs on PostgreSQL (127.0.0.1:5432) in a database of its
own per xdist worker, migrated once per run with Alembic; each test starts from empty
tables (TRUNCATE, not drop/create). Without PostgreSQL the suite runs on SQLite and says
so at the end; with OPENIMI_REQUIRE_SERVICES=1 (CI) a missing service is a failure.
Jobs run in-process unless a test asks for the `rq_apps` fixture (real Redis + RQ).
Mail goes to a real SMTP server (aiosmtpd) on loopback.
"""

from __future__ import annotations

import contextvars
import importlib.util
import os
import shutil
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import redis as redis_lib
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from tests.mail_sink import SMTPCollector  # noqa: F401  (tests import it from here)

# production_log (the production log handler, read back); the machine-translation
# fixtures (a real Apertium server, switching engines)
pytest_plugins = ("tests.logs", "tests.mt_fixtures")

REQUIRE = os.environ.get("OPENIMI_REQUIRE_SERVICES") == "1"
PG_ADMIN = os.environ.get("OPENIMI_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("OPENIMI_TEST_REDIS", "redis://127.0.0.1:6379/0")
NOT_COVERED: list[str] = []


def _postgres_available() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _redis_available() -> bool:
    try:
        return bool(redis_lib.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis_lib.RedisError:
        return False


POSTGRES = _postgres_available()
REDIS = _redis_available()
APERTIUM = shutil.which("apertium-apy")
ICU = importlib.util.find_spec("icu") is not None
APERTIUM_MODES = Path(os.environ.get("OPENIMI_TEST_APERTIUM_MODES", "/usr/share/apertium/modes"))


def pytest_configure(config):
    if REQUIRE and not (POSTGRES and REDIS and APERTIUM and ICU):
        raise pytest.UsageError(
            f"OPENIMI_REQUIRE_SERVICES=1 but PostgreSQL={'up' if POSTGRES else 'DOWN'}, "
            f"Redis={'up' if REDIS else 'DOWN'}, "
            f"apertium-apy={'installed' if APERTIUM else 'MISSING'}, "
            f"PyICU={'installed' if ICU else 'MISSING'}"
        )


def pytest_terminal_summary(terminalreporter):
    if not POSTGRES:
        terminalreporter.write_line(
            "NOT COVERED: PostgreSQL was not reachable; database tests ran on SQLite only.",
            yellow=True,
        )
    if not REDIS:
        terminalreporter.write_line(
            "NOT COVERED: Redis was not reachable; job tests through RQ were skipped.",
            yellow=True,
        )
    if not ICU:
        terminalreporter.write_line(
            "NOT COVERED: PyICU is not installed; language-specific sort orders were skipped.",
            yellow=True,
        )
    if not APERTIUM:
        terminalreporter.write_line(
            "NOT COVERED: apertium-apy is not installed; tests of the Apertium engine "
            "were skipped.",
            yellow=True,
        )


def _worker() -> str:
    """Unique per concurrent run: the xdist worker, and the run's process group."""
    return f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpgrp()}"


def _create_pg_database(name: str) -> str:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        # A test database needs no durability: a commit need not wait for the WAL to
        # reach the disk (what a commit makes visible, and when, is unchanged).
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    return PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"


def _drop_pg_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing():
    """Argon2id at its smallest cost in tests. The suite signs in hundreds of times, and
    at the production cost (t=3, 64 MiB) each check takes ~110 ms of the ~180 ms a sign-in
    takes; hashing, verifying, rehashing and the unknown-account path work the same.
    tests/unit/test_passwords.py checks the production cost itself."""
    from argon2 import PasswordHasher

    from app.accounts import credentials

    saved = credentials._hasher, credentials._DUMMY_HASH
    credentials._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    credentials._DUMMY_HASH = credentials._hasher.hash("not a password")
    yield
    credentials._hasher, credentials._DUMMY_HASH = saved


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def database_urls(instance_dir):
    """One database per instance (production, training) and per xdist worker."""
    if POSTGRES:
        names = [f"openimi_test_{_worker()}_{kind}" for kind in ("prod", "training")]
        urls = [_create_pg_database(name) for name in names]
        yield {"production": urls[0], "training": urls[1]}
        # Together: each DROP DATABASE waits for a checkpoint, and one serves both.
        with ThreadPoolExecutor(len(names)) as pool:
            list(pool.map(_drop_pg_database, names))
    else:
        yield {
            "production": f"sqlite:///{instance_dir / 'test.db'}",
            "training": f"sqlite:///{instance_dir / 'test-training.db'}",
        }


@pytest.fixture(scope="session")
def smtp_server():
    server = SMTPCollector()
    server.start()
    yield server
    server.stop()


def make_apps(database_urls, instance_dir, smtp_port, **extra):
    """The production and training apps, like wsgi.py builds them, for tests."""
    os.environ["OPENIMI_INSTANCE_DIR"] = str(instance_dir)
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    from app import create_app
    from app.config import check_isolation

    # Requests come from the test client (Host: localhost) and from the browser tests'
    # live server on 127.0.0.1, which points PUBLIC_URL at itself while a test runs.
    common = {
        "TESTING": True,
        "SESSION_COOKIE_SECURE": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_port,
        "TRUSTED_HOSTS": ["127.0.0.1"],
        "UNIFORM_RESPONSE_SECONDS": 0.01,  # tests of the padding set their own
    }
    production = create_app(
        "production",
        {
            **common,
            "PUBLIC_URL": "http://localhost",
            "SECRET_KEY": "test key of production",
            "SQLALCHEMY_DATABASE_URI": database_urls["production"],
            "UPLOAD_DIR": str(instance_dir / "uploads"),
            **extra.get("production", {}),
        },
    )
    training = create_app(
        "training",
        {
            **common,
            "PUBLIC_URL": "http://localhost/training",
            "SECRET_KEY": "test key of training",
            "SQLALCHEMY_DATABASE_URI": database_urls["training"],
            "UPLOAD_DIR": str(instance_dir / "uploads-training"),
            **extra.get("training", {}),
        },
    )
    check_isolation(production.config, training.config)
    production.wsgi_app = DispatcherMiddleware(
        production.wsgi_app, {"/training": training.wsgi_app}
    )
    return production, training


@pytest.fixture(scope="session")
def apps(database_urls, instance_dir, smtp_server):
    production, training = make_apps(database_urls, instance_dir, smtp_server.port)
    from app.migrate import upgrade

    for app in (production, training):
        upgrade(app)
    return production, training


@pytest.fixture(scope="session")
def snapshots(apps, smtp_server):
    """The worlds this worker has built, restored on demand (tests/snapshots.py)."""
    from tests import snapshots as module

    return module.Snapshots(apps, smtp_server)


@pytest.fixture
def app(apps, smtp_server, snapshots):
    """The production app with empty tables; its training sibling is emptied too."""
    production, training = apps
    from app import jobs
    from tests import snapshots as module

    jobs._apps["production"], jobs._apps["training"] = production, training
    for target in apps:
        _empty_tables(target)
    smtp_server.messages.clear()
    module._active = snapshots
    with production.app_context():
        yield production
    module._active = None


@pytest.fixture(params=["test database", "sqlite"])
def each_database(request, app, tmp_path):
    """The app on the test database (PostgreSQL when available), then an app on a SQLite
    file, as the embedded mode runs: what must hold under concurrency is tested on both."""
    if request.param == "test database":
        return app
    from app import create_app
    from app.migrate import upgrade

    embedded = create_app(
        "production",
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'embedded.db'}",
            "UPLOAD_DIR": str(tmp_path / "uploads"),
            "SECRET_KEY": app.config["SECRET_KEY"],
            "PUBLIC_URL": app.config["PUBLIC_URL"],
        },
    )
    upgrade(embedded)
    return embedded


@pytest.fixture
def training_app(apps, app):
    return apps[1]


# Every identity sequence starts again, as after TRUNCATE ... RESTART IDENTITY.
_RESTART_SEQUENCES = (
    "SELECT setval((quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass,"
    " start_value, false)"
    " FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)


def _empty_tables(app) -> None:
    """Every table emptied, children first, and (PostgreSQL) every sequence restarted.
    DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE gives each of the tables
    and indexes a new file, which took ~10 times as long (0.5 s a test for both apps)."""
    from app.extensions import db
    from app.models.base import Base
    from app.procedures.store import forget_pinned

    forget_pinned(app)  # read from the rows deleted here
    with app.app_context():
        tables = reversed(Base.metadata.sorted_tables)
        deletes = [f'DELETE FROM "{t.name}"' for t in tables]  # noqa: S608
        if db.engine.dialect.name == "postgresql":
            # audit_event is append-only (migration 0009) outside maintenance. One round
            # trip: statements without parameters may go together.
            statements = ["SET LOCAL openimi.audit_maintenance = 'on'", *deletes]
            connection = db.session.connection().connection.driver_connection
            connection.execute("; ".join([*statements, _RESTART_SEQUENCES]))
        else:
            for statement in deletes:
                db.session.execute(text(statement))
        db.session.commit()
        db.session.remove()


class IsolatedClient(FlaskClient):
    """Runs each request in a fresh context, as a real server would: the test's own app
    context (and its `g`, its database session) is not shared with the request. The
    test's session forgets what it loaded, so it re-reads what the request changed."""

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            from app.extensions import db

            db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def rq_apps(database_urls, instance_dir, smtp_server, apps):
    """Apps whose jobs go through a real Redis and RQ (a unique key prefix per test)."""
    if not REDIS:
        pytest.skip("Redis is not reachable")
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    production, training = make_apps(
        database_urls,
        instance_dir,
        smtp_server.port,
        production={"REDIS_URL": REDIS_URL, "REDIS_PREFIX": prefix},
        training={"REDIS_URL": REDIS_URL, "REDIS_PREFIX": f"{prefix}-training"},
    )
    for target in (production, training):
        _empty_tables(target)
    smtp_server.messages.clear()
    yield production, training
    connection = redis_lib.Redis.from_url(REDIS_URL)
    for key in connection.scan_iter(f"rq:*{prefix}*"):
        connection.delete(key)
    for key in connection.scan_iter("rq:job:*"):  # job hashes are named by job id only
        if prefix in (connection.hget(key, "origin") or b"").decode():
            connection.delete(key)
    for member in connection.smembers("rq:queues"):
        if prefix in member.decode():
            connection.srem("rq:queues", member)
    from app import jobs

    jobs._apps["production"], jobs._apps["training"] = apps
