"""Faults against the real services: a Redis down or hung, a worker killed mid-job, a
full disk. Helpers shared by the fault tests."""

from __future__ import annotations

import contextlib
import socket

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
