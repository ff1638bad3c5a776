"""The daily retention run: the worker schedules it at start, and each run schedules the
next one. Job ids carry the day, so a second worker (or a restart) never doubles it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Flask
from rq.job import Job

from app.jobs import app_for, queue, redis_connection

RUNS_AT = time(2, 30, tzinfo=UTC)  # at night, after the backups


def next_run(now: datetime) -> datetime:
    today = datetime.combine(now.date(), RUNS_AT)
    return today if today > now else today + timedelta(days=1)


def job_id(app: Flask, at: datetime) -> str:
    return f"{app.config['REDIS_PREFIX']}-retention-{at:%Y%m%d}"


def ensure_scheduled(app: Flask, now: datetime | None = None) -> str | None:
    """Schedule the next daily run unless it already is; its job id, or None without Redis."""
    connection = redis_connection(app)
    if connection is None:
        return None
    at = next_run(now or datetime.now(UTC))
    name = job_id(app, at)
    if not Job.exists(name, connection=connection):
        queue(app, "default").enqueue_at(
            at, daily_job, app.config["INSTANCE"], job_id=name, job_timeout=3600
        )
    return name


def daily_job(instance: str) -> None:
    from app.records import audit, retention

    app = app_for(instance)
    with app.app_context():
        report = retention.run()
        audit.seal()  # the head logged below then covers the day up to now
        head = audit.verify().head
    for line in report.lines():
        app.logger.info("retention: %s", line)
    # Outside the database, the head lets `audit verify --known-head` see cut-off rows.
    app.logger.info("audit head %s", head)
    ensure_scheduled(app, report.as_of + timedelta(minutes=1))
