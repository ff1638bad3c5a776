"""Outbox mail: written in the caller's transaction, delivered by a job after commit.

A row is sent by one worker at a time: delivery first claims it in one conditional
UPDATE (pending -> sending), so a second job for the same row (a retry, a flush after
an outage, another worker) finds nothing to do. A claim older than the lease belongs to
a worker that died (RQ stops a mail job after 60 s, app/jobs QUEUE_TIMEOUTS); the next
job or flush takes the row over. The periodic outbox sweep (app/jobs/outbox.py) queues
again what an outage or a killed worker left behind.

A worker killed after the SMTP server took the message but before the row says "sent"
leads to a second delivery of the same message: it carries the same Message-ID (one
per outbox row), so that the receiving side can tell it is the same mail. Errors are kept without
the SMTP server's text, which may quote the recipient's address.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from rq import Retry
from sqlalchemy import and_, or_, select, update

from app.extensions import db
from app.models import OutboxMessage
from app.models.base import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
RETRY = Retry(max=MAX_ATTEMPTS - 1, interval=[10, 60, 300, 900])
# Longer than a mail job may run (RQ stops it after 60 s; each SMTP step times out after
# 30 s). MAIL_SENDING_LEASE_SECONDS overrides it (tests of a killed worker).
SENDING_LEASE = timedelta(seconds=90)


class DeliveryFailed(Exception):
    """An attempt failed; the text names the kind of failure only (no address)."""


def queue_mail(recipient: str, template: str, language: str, **context) -> OutboxMessage:
    """Render mail `template` in the recipient's language and put it in the outbox."""
    from app.jobs import enqueue_after_commit
    from app.jobs.mail import deliver

    with force_locale(language):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body = render_template(f"mail/{template}.txt", **context)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    enqueue_after_commit(
        deliver, message.id, queue_name="mail", retry=RETRY, job_id=job_id(message.id)
    )
    return message


def queue_notice(users: Iterable, kind: str, case, notice: str) -> None:
    """Mail `<kind>_notice` to each user, in their language: what happened to the case
    (its reference and a link by `<kind>_id`), never its details."""
    for user in users:
        context = {"reference": case.reference, "notice": notice, f"{kind}_id": case.id}
        queue_mail(user.email, f"{kind}_notice", user.language, **context)


def job_id(message_id: int) -> str:
    """The RQ job of an outbox row (one name per instance and row)."""
    return f"{current_app.config['REDIS_PREFIX']}-mail-{message_id}"


def _claim(message_id: int) -> OutboxMessage | None:
    """Take the row for this attempt, or None when it is sent, failed, or being sent by
    another worker whose claim is still fresh."""
    now = utcnow()
    taken = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, _claimable(now))
        .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, message_id) if taken else None


def _lease() -> timedelta:
    seconds = current_app.config.get("MAIL_SENDING_LEASE_SECONDS")
    return SENDING_LEASE if seconds is None else timedelta(seconds=float(seconds))


def _claimable(now):
    return or_(
        OutboxMessage.status == "pending",
        and_(OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - _lease()),
    )


def message_id(message: OutboxMessage) -> str:
    """The Message-ID of an outbox row: the same at every attempt, so that a mail sent
    again (a worker killed after the server took it) is known for the same one."""
    config = current_app.config
    host = urlsplit(config["PUBLIC_URL"] or "").hostname or "openimi.invalid"
    return f"<outbox-{message.id}.{config['INSTANCE']}@{host}>"


def describe(error: Exception) -> str:
    """An SMTP or network error without its text: the class and the SMTP code."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter({c for c, _ in error.recipients.values()}), None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def deliver(message_id: int) -> None:
    """Send one outbox message over SMTP; safe to run twice and at once. Raises so the
    job retries (with an error that quotes nothing the server said)."""
    message = _claim(message_id)
    if message is None:
        return
    try:
        _send(message)
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = describe(error)
        message.status = "failed" if message.attempts >= MAX_ATTEMPTS else "pending"
        db.session.commit()
        raise DeliveryFailed(message.last_error) from None
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = ""
    db.session.commit()
    log.info("outbox message %s sent", message_id)  # a failure is the job's exception


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        # Embedded mode without a mail server: show the mail in the server's log.
        current_app.logger.warning(
            "mail to %s: %s\n%s", message.recipient, message.subject, message.body
        )
        return
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = message_id(message)
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        smtp.send_message(email)


def flush(app: Flask) -> int:
    """Queue again the mail whose job was lost (Redis down at commit, a worker killed):
    each unsent row whose job neither waits nor runs. Returns how many were queued."""
    from app.jobs import job_alive, redis_connection, run_or_enqueue
    from app.jobs.mail import deliver as deliver_job

    with app.app_context():
        ids = list(db.session.scalars(select(OutboxMessage.id).where(_claimable(utcnow()))))
        names = {message_id: job_id(message_id) for message_id in ids}
    queued = 0
    for message_id in ids:
        if redis_connection(app) is not None and job_alive(app, names[message_id]):
            continue  # already queued, scheduled for a retry, or being sent
        run_or_enqueue(app, deliver_job, (message_id,), "mail", RETRY, names[message_id])
        queued += 1
    return queued
