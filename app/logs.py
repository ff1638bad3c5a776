"""Logs that say which request each line belongs to, in the web process and in jobs.

A request keeps the id a proxy sent in X-Request-ID (nginx `$request_id`) when it is a
short safe token, or gets a fresh one; the response echoes it. A job queued while
handling the request carries the id in its RQ meta, so that the worker's lines name the
request that asked for the work. Lines are JSON in production, one readable line in
development and tests.

A filter on the handler adds the fields, without replacing one a caller passed as
`extra` (RQ passes its own job_id). The app installs its handler on the root logger only
when nothing else has: a handler of gunicorn's log config or pytest's stays as it is,
and takes ContextFilter to get the fields.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TextIO

from flask import Flask, Response, g, has_request_context, request
from rq import get_current_job
from sqlalchemy import inspect

HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# What a record says about where it was logged: None where it does not apply.
CONTEXT = ("request_id", "job_id", "method", "path", "user_id")
# What the access line adds (as `extra`).
ACCESS = ("status", "duration_ms")
# Parts of a path that are secrets: a log must not hand out a reset or invitation link,
# nor the address eTranslation posts its results to.
SECRET_ARGS = ("token", "secret")

access_log = logging.getLogger("app.access")
_NOWHERE: dict = dict.fromkeys(CONTEXT)
# Set while a job runs in-process: inside a request too, whose fields it replaces.
_job: ContextVar[dict | None] = ContextVar("openimi_log_job", default=None)


def init_app(app: Flask) -> None:
    """Call before any other hook is registered, so that every hook's lines carry the id."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(handler_for(app.config))
        root.setLevel(logging.INFO)
        # WeasyPrint logs each step of every PDF, Alembic each of its plugins, at INFO:
        # noise, not news.
        for chatty in ("weasyprint.progress", "alembic.runtime.plugins"):
            logging.getLogger(chatty).setLevel(logging.WARNING)

    @app.before_request
    def start_request() -> None:
        g.request_started = time.perf_counter()
        request_id()  # into g now, if no earlier line (opening the session) put it there

    @app.after_request
    def finish_request(response: Response) -> Response:
        response.headers[HEADER] = request_id()
        started = g.get("request_started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        access_log.info(
            "%s %s %s %sms",
            request.method,
            _path(),
            response.status_code,
            duration,
            extra={"status": response.status_code, "duration_ms": duration},
        )
        return response


def handler_for(config: Mapping, stream: TextIO | None = None) -> logging.Handler:
    """A handler to stderr (or `stream`): JSON lines in production, text in development
    and tests, each line with its context."""
    handler = logging.StreamHandler(stream)
    text = config.get("DEVELOPMENT") or config.get("TESTING")
    handler.setFormatter(TextFormatter() if text else JsonFormatter())
    handler.addFilter(ContextFilter())
    return handler


def context() -> dict:
    """Where the code runs now: an in-process job, a request, an RQ job, or none."""
    job = _job.get()
    if job is not None:
        return {**_NOWHERE, **job}
    if has_request_context():
        return _request_context()
    rq_job = get_current_job()
    if rq_job is not None:
        return {**_NOWHERE, "request_id": rq_job.meta.get("request_id"), "job_id": rq_job.id}
    return _NOWHERE


def request_id() -> str | None:
    """The current request's id, or the id of the request that queued the running job."""
    return context()["request_id"]


def job_meta() -> dict:
    """What a job queued now carries to the worker (RQ meta)."""
    origin = request_id()
    return {"request_id": origin} if origin else {}


@contextmanager
def in_job(job_id: str, origin: str | None) -> Iterator[None]:
    """Lines logged inside carry the job's id and the id of the request that queued it."""
    token = _job.set({"request_id": origin, "job_id": job_id})
    try:
        yield
    finally:
        _job.reset(token)


def new_id() -> str:
    return uuid.uuid4().hex


def _request_context() -> dict:
    if "request_id" not in g:  # set once, on the first line or by start_request
        offered = request.headers.get(HEADER, "")
        g.request_id = offered if SAFE_ID.fullmatch(offered) else new_id()
    return {
        "request_id": g.request_id,
        "job_id": None,
        "method": request.method,
        "path": _path(),
        "user_id": _user_id(),
    }


def _path() -> str:
    """The path asked for, its secret parts replaced by their names, printable."""
    path = request.script_root + request.path
    args = request.view_args or {}
    for name in SECRET_ARGS:
        if args.get(name):
            path = path.replace(str(args[name]), f"<{name}>")
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in path)


def _user_id() -> int | None:
    """The signed-in user's id, as Flask-Login has loaded them (logging never loads
    anyone), read from the identity map: a line logged inside a commit must not query."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    return state.identity[0] if state is not None and state.identity else None


class ContextFilter(logging.Filter):
    """Adds where a record was logged (request, job) to it; keeps a field given as extra."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in context().items():
            record.__dict__.setdefault(name, value)
        return True


def _fields(record: logging.LogRecord, names: tuple[str, ...]) -> dict:
    values = {name: getattr(record, name, None) for name in names}
    return {name: value for name, value in values.items() if value is not None}


class TextFormatter(logging.Formatter):
    """One readable line: time, level, logger, [request id, job id, user id], message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(context)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        fields = _fields(record, ("request_id", "job_id", "user_id"))
        record.context = " ".join(f"{k}={v}" for k, v in fields.items()) or "-"
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for a log collector to parse without a pattern."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record, CONTEXT + ACCESS),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)
