"""Outbox mail: written in the caller's transaction, delivered by a job after commit."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from rq import Retry
from sqlalchemy import select

from app.extensions import db
from app.models import OutboxMessage
from app.models.base import utcnow

MAX_ATTEMPTS = 5


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
        deliver, message.id, queue_name="mail", retry=Retry(max=4, interval=[10, 60, 300, 900])
    )
    return message


def deliver(message_id: int) -> None:
    """Send one outbox message over SMTP; safe to run twice. Raises so the job retries."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status == "sent":
        return
    message.attempts += 1
    try:
        _send(message)
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = str(error)[:500]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = "failed"
        db.session.commit()
        raise
    message.status = "sent"
    message.sent_at = utcnow()
    message.last_error = ""
    db.session.commit()


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
    email["Message-ID"] = make_msgid(domain="openimi.invalid")
    email.set_content(message.body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        smtp.send_message(email)


def pending_ids() -> list[int]:
    return list(
        db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == "pending"))
    )
