"""The daily retention run (app/jobs/daily.py): at night, after the backups."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Flask

from app.jobs import app_for
from app.jobs.daily import Daily


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


DAILY = Daily("retention", time(2, 30, tzinfo=UTC), daily_job, timeout=3600)


def next_run(now: datetime) -> datetime:
    return DAILY.next_run(now)


def ensure_scheduled(app: Flask, now: datetime | None = None) -> str | None:
    return DAILY.ensure_scheduled(app, now)
