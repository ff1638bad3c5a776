"""The audit sealer, every few seconds through the worker's scheduler.

Runs are numbered by time slot (INTERVAL seconds each) and the job id carries the slot,
so the chains of runs that two workers (or a restart) start meet in the same slots and
never double. Each run books the next slot before it seals, so a run that fails or is
killed does not end the series. If Redis loses the schedule, the next worker start books
it again; meanwhile the lag grows and `audit verify` reports it."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from app.jobs import app_for, book_periodic

INTERVAL = 5  # seconds


def slot_of(moment: datetime) -> int:
    return int(moment.timestamp()) // INTERVAL


def job_id(app: Flask, slot: int) -> str:
    return f"{app.config['REDIS_PREFIX']}-audit-seal-{slot}"


def ensure_scheduled(app: Flask, after_slot: int | None = None) -> str | None:
    """Book the run of the next free slot unless it is booked; its job id, or None
    without Redis (the embedded mode seals after each commit)."""
    return book_periodic(
        app,
        seal_job,
        "audit-seal",
        INTERVAL,
        after_slot,
        job_timeout=60,
        result_ttl=0,
        failure_ttl=24 * 3600,
    )


def seal_job(instance: str, slot: int | None = None) -> int:
    """Book the next run, then seal; the number of rows sealed."""
    from app.records import audit

    app = app_for(instance)
    ensure_scheduled(app, slot)
    with app.app_context():
        result = audit.seal()
    if result.refused_at is not None:
        app.logger.error("audit sealing stopped at event %s: its digest fails", result.refused_at)
    return result.sealed
