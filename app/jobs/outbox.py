"""The outbox sweep, every minute through the worker's scheduler: it queues again the
mail whose job was lost (Redis down or hung at commit, a worker killed mid-job), as
`flask outbox-flush` does by hand, and the pending translation jobs lost the same way
(a PDF export lost so shows as failed after a while, and is asked for again). Mail waiting in a queue, scheduled for a retry or
being sent is left alone (app/mail.py flush), so a sweep never doubles a mail.

Runs are numbered by time slot and the job id carries the slot (as the audit sealer's,
app/jobs/sealing.py): two workers, or a restart, never double the series. Each run books
the next slot first, so a run that fails does not end it; the worker books it at start
and again at each of RQ's maintenance rounds (every 10 minutes), so a Redis that lost
its data while down gets the series back."""

from __future__ import annotations

from flask import Flask

from app.jobs import app_for, book_periodic

INTERVAL = 60  # seconds


def ensure_scheduled(app: Flask, after_slot: int | None = None) -> str | None:
    """Book the sweep of the next free slot unless it is booked; its job id, or None
    without Redis (the embedded mode sends at commit)."""
    return book_periodic(
        app,
        sweep_job,
        "outbox-sweep",
        INTERVAL,
        after_slot,
        job_timeout=60,
        result_ttl=0,
        failure_ttl=24 * 3600,
    )


def sweep_job(instance: str, slot: int | None = None) -> int:
    """Book the next run, then queue the lost mail and translation jobs again; how many
    were queued."""
    from app import mail
    from app.translation import files_kept, texts

    app = app_for(instance)
    ensure_scheduled(app, slot)
    mails, translations = mail.flush(app), texts.flush(app) + files_kept.flush(app)
    if mails or translations:
        app.logger.info(
            "outbox sweep: %s mails and %s translation jobs queued again", mails, translations
        )
    return mails + translations
