"""Jobs that run once a day: the worker schedules each at start, and each run schedules
the next one. Job ids carry the day, so a second worker (or a restart) never doubles a
run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask import Flask
from rq.job import Job

from app.jobs import queue, redis_connection


@dataclass(frozen=True)
class Daily:
    """A daily job: `name` in its job ids, the time it runs at, its function (called with
    the instance's name) and its time limit in seconds."""

    name: str
    runs_at: time
    job: Callable[[str], None]
    timeout: int

    def next_run(self, now: datetime) -> datetime:
        today = datetime.combine(now.date(), self.runs_at)
        return today if today > now else today + timedelta(days=1)

    def job_id(self, app: Flask, at: datetime) -> str:
        return f"{app.config['REDIS_PREFIX']}-{self.name}-{at:%Y%m%d}"

    def ensure_scheduled(self, app: Flask, now: datetime | None = None) -> str | None:
        """Schedule the next run unless it already is; its job id, or None without Redis."""
        connection = redis_connection(app)
        if connection is None:
            return None
        at = self.next_run(now or datetime.now(UTC))
        name = self.job_id(app, at)
        if not Job.exists(name, connection=connection):
            queue(app, "default").enqueue_at(
                at, self.job, app.config["INSTANCE"], job_id=name, job_timeout=self.timeout
            )
        return name
