"""The daily EPC run: cards the host let its period pass are issued by law (Directive
2005/36/EC Art 4d(5)), and applicants' accounts past retention are deleted. The worker
schedules it at start and each run schedules the next; job ids carry the day, so a second
worker (or a restart) never doubles it. Each part is idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Flask
from rq.job import Job

from app.jobs import app_for, queue, redis_connection

# Just after midnight UTC: a host's last day has ended in every EEA time zone by 02:00,
# and the run is on that day's date (it issues cards whose due date is before it).
RUNS_AT = time(0, 5, tzinfo=UTC)


def next_run(now: datetime) -> datetime:
    today = datetime.combine(now.date(), RUNS_AT)
    return today if today > now else today + timedelta(days=1)


def job_id(app: Flask, at: datetime) -> str:
    return f"{app.config['REDIS_PREFIX']}-epc-{at:%Y%m%d}"


def ensure_scheduled(app: Flask, now: datetime | None = None) -> str | None:
    """Schedule the next daily run unless it already is; its job id, or None without Redis."""
    connection = redis_connection(app)
    if connection is None:
        return None
    at = next_run(now or datetime.now(UTC))
    name = job_id(app, at)
    if not Job.exists(name, connection=connection):
        queue(app, "default").enqueue_at(
            at, daily_job, app.config["INSTANCE"], job_id=name, job_timeout=600
        )
    return name


def daily_job(instance: str) -> None:
    from app.cases.epc import accounts, applications
    from app.models.base import utcnow

    app = app_for(instance)
    with app.app_context():
        now = utcnow()
        issued = applications.mark_tacit(now.date())
        deleted = accounts.purge(now)
    app.logger.info("epc: %s cards issued by law, %s accounts deleted", len(issued), deleted)
    ensure_scheduled(app, now + timedelta(minutes=1))
