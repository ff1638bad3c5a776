"""The daily EPC run (app/jobs/daily.py): cards the host let its period pass are issued
by law (Directive 2005/36/EC Art 4d(5)), temporary cards past their validity close (Art
4c(1)), and applicants' accounts past retention are deleted. Each part is idempotent."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Flask

from app.jobs import app_for
from app.jobs.daily import Daily


def daily_job(instance: str) -> None:
    from app.cases.epc import accounts, applications
    from app.models.base import utcnow

    app = app_for(instance)
    with app.app_context():
        now = utcnow()
        issued = applications.mark_tacit(now.date())
        expired = applications.expire_cards(now.date())
        deleted = accounts.purge(now)
    app.logger.info(
        "epc: %s cards issued by law, %s temporary cards expired, %s accounts deleted",
        len(issued),
        len(expired),
        deleted,
    )
    ensure_scheduled(app, now + timedelta(minutes=1))


# Just after midnight UTC: a host's last day has ended in every EEA time zone by 02:00,
# and the run is on that day's date (it issues cards whose due date is before it).
DAILY = Daily("epc", time(0, 5, tzinfo=UTC), daily_job, timeout=600)


def ensure_scheduled(app: Flask, now: datetime | None = None) -> str | None:
    return DAILY.ensure_scheduled(app, now)
