"""RQ: mail leaves through the outbox and a real Redis queue, only after commit, with
retries when SMTP is down and nothing personal in Redis."""

from __future__ import annotations

import base64
import contextlib
import socket
import zlib
from types import SimpleNamespace

import pytest
from rq import SimpleWorker
from rq.job import Job
from rq.registry import ScheduledJobRegistry
from rq.serializers import JSONSerializer
from sqlalchemy import func, select

from app.accounts import registrations
from app.extensions import db
from app.jobs import QUEUES, queue, redis_connection
from app.mail import queue_mail
from app.models import AuthorityKind, OutboxMessage
from tests.factories import make_authority, make_user

APPLICANT = "Jana Novaková"
APPLICANT_EMAIL = "jana.novakova@kammer.example.eu"
APPLICATION = {
    "country": "DE",
    "name": "Handwerkskammer Musterstadt",
    "local_language": "de",
    "local_name": "",
    "street": "Hauptstraße 1",
    "city": "Musterstadt",
    "email": "info@kammer.example.eu",
    "competences": "Crafts",
    "applicant_name": APPLICANT,
    "applicant_email": APPLICANT_EMAIL,
}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _run_worker(app) -> None:
    """What `flask worker --burst` does, in this process."""
    queues = [queue(app, name) for name in QUEUES]
    SimpleWorker(queues, connection=redis_connection(app), serializer=JSONSerializer).work(
        burst=True
    )


def _outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def _queue_a_mail(recipient: str) -> None:
    """Any mail: a password reset's, with a made-up name and token."""
    person = SimpleNamespace(full_name="Someone")
    queue_mail(recipient, "password_reset", "en", user=person, token="made-up-token")


def _apply(app) -> str:
    """The public application, with one coordinator in Germany to tell; returns their address."""
    with app.app_context():
        coordinator = make_user(
            make_authority("DE", kind=AuthorityKind.NATIONAL_COORDINATOR), ["coordinator"]
        )
        registrations.apply_for_registration(APPLICATION, "en")
        return coordinator.email


@pytest.mark.redis
def test_registration_mail_waits_for_the_worker_then_reaches_smtp(rq_apps, smtp_server):
    production, _ = rq_apps

    # Given an application whose transaction has committed
    coordinator_email = _apply(production)

    # Then the mails wait in Redis and in the outbox, and no SMTP server has seen them
    assert queue(production, "mail").count == 2
    assert {m.status for m in _outbox(production)} == {"pending"}
    assert smtp_server.messages == []

    # When a worker runs
    _run_worker(production)

    # Then both mails are delivered, with the right subjects, and marked sent
    assert [m["Subject"] for m in smtp_server.to(APPLICANT_EMAIL)] == [
        "Your OpenIMI registration has been received"
    ]
    assert [m["Subject"] for m in smtp_server.to(coordinator_email)] == [
        "New registration to decide: Handwerkskammer Musterstadt"
    ]
    assert [(m.status, m.attempts) for m in _outbox(production)] == [("sent", 1), ("sent", 1)]
    assert queue(production, "mail").count == 0


@pytest.mark.redis
def test_running_a_delivered_job_again_sends_nothing_twice(rq_apps, smtp_server):
    production, _ = rq_apps
    _apply(production)
    _run_worker(production)
    delivered = len(smtp_server.messages)

    from app.jobs.mail import deliver

    for message in _outbox(production):
        deliver("production", message.id)

    assert len(smtp_server.messages) == delivered == 2


@pytest.mark.redis
def test_rolled_back_transaction_queues_nothing(rq_apps, smtp_server):
    production, _ = rq_apps
    with production.app_context():
        make_authority("DE", name="Behörde Rollback")
        # When a mail is queued and the transaction is then rolled back
        _queue_a_mail("someone@example.eu")
        db.session.rollback()
        # and a later, unrelated transaction commits
        make_authority("DE", name="Behörde danach")
        outbox_rows = db.session.scalar(select(func.count()).select_from(OutboxMessage))

    # Then nothing was written, queued or sent
    assert outbox_rows == 0
    assert queue(production, "mail").count == 0
    _run_worker(production)
    assert smtp_server.messages == []


@pytest.mark.redis
def test_unreachable_smtp_fails_the_job_records_it_and_schedules_a_retry(rq_apps, smtp_server):
    # Given SMTP that refuses connections, and one mail queued (no coordinator in FR)
    production, _ = rq_apps
    production.config["MAIL_PORT"] = _closed_port()
    with production.app_context():
        registrations.apply_for_registration({**APPLICATION, "country": "FR"}, "en")
    mail_queue = queue(production, "mail")
    (job_id,) = mail_queue.job_ids

    # When the worker runs the job
    _run_worker(production)

    # Then the outbox row counts the attempt and keeps the error
    (message,) = _outbox(production)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error
    # and RQ has scheduled a retry (the job is not lost in the failed registry)
    job = Job.fetch(job_id, connection=redis_connection(production), serializer=JSONSerializer)
    assert job.get_status() == "scheduled"
    assert job_id in ScheduledJobRegistry(queue=mail_queue).get_job_ids()
    assert job.retries_left == 3
    assert smtp_server.messages == []

    # When SMTP is back and the retry is due
    production.config["MAIL_PORT"] = smtp_server.port
    ScheduledJobRegistry(queue=mail_queue).remove(job)
    mail_queue.enqueue_job(job)
    _run_worker(production)

    # Then the mail goes out once and the row says so
    assert len(smtp_server.to(APPLICANT_EMAIL)) == 1
    (message,) = _outbox(production)
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")


def _raw_job(connection, job_id: str) -> str:
    """Everything Redis holds for a job, with its compressed payload unpacked."""
    fields = connection.hgetall(f"rq:job:{job_id}")
    parts = []
    for key, value in fields.items():
        if key == b"data":
            value = zlib.decompress(value)
        parts.append(value.decode("utf-8", "replace"))
    return "\n".join(parts)


@pytest.mark.redis
def test_jobs_carry_only_ids_and_use_json(rq_apps):
    production, _ = rq_apps
    coordinator_email = _apply(production)
    connection = redis_connection(production)
    mail_queue = queue(production, "mail")
    ids = [m.id for m in _outbox(production)]

    jobs = [
        Job.fetch(i, connection=connection, serializer=JSONSerializer) for i in mail_queue.job_ids
    ]

    assert sorted(job.args[1] for job in jobs) == ids
    for job in jobs:
        assert job.func_name == "app.jobs.mail.deliver"
        assert list(job.args) == ["production", job.args[1]] and job.kwargs == {}
        assert job.failure_ttl is not None and job.failure_ttl <= 7 * 24 * 3600
        raw = _raw_job(connection, job.id)
        for personal in (APPLICANT, APPLICANT_EMAIL, coordinator_email, "Musterstadt"):
            assert personal not in raw
        assert raw.count('"production"') == 1  # JSON, not pickle
        job.delete()  # queued jobs never expire: leave nothing behind in Redis


@pytest.mark.redis
def test_redis_down_at_commit_keeps_the_action_and_its_mail_in_the_outbox(rq_apps, smtp_server):
    from app import create_app, jobs

    production, _ = rq_apps
    settings = (
        "SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR", "SECRET_KEY", "PUBLIC_URL", "TESTING", "MAIL_PORT",
    )  # fmt: skip
    overrides = {key: production.config[key] for key in settings}
    overrides.update(MAIL_SERVER="127.0.0.1", REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    try:
        # Given an instance whose Redis is down
        cut_off = create_app("production", overrides)
        # When an authority applies
        with cut_off.app_context():
            registration = registrations.apply_for_registration(
                {**APPLICATION, "country": "FR"}, "en"
            )
            assert registration.id
    finally:
        jobs._apps["production"] = production  # create_app registered `cut_off` for jobs

    # Then the application is kept and its mail waits in the outbox
    (message,) = _outbox(production)
    assert (message.status, message.recipient) == ("pending", APPLICANT_EMAIL)
    assert smtp_server.messages == []

    # When Redis is back, the outbox is flushed and a worker runs
    result = production.test_cli_runner().invoke(args=["outbox-flush", "--instance", "production"])
    assert result.exit_code == 0, result.output
    _run_worker(production)

    # Then the mail goes out
    assert len(smtp_server.to(APPLICANT_EMAIL)) == 1


@pytest.mark.redis
def test_healthz_reports_the_queue(rq_apps):
    production, _ = rq_apps
    response = production.test_client().get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert (body["database"], body["queue"]) == ("ok", "ok")
    assert body["queues"]["mail"] == {"depth": 0, "oldest_seconds": 0.0}


@contextlib.contextmanager
def redis_down(app):
    """An app on the same database whose Redis does not answer."""
    from app import create_app, jobs

    settings = ("SQLALCHEMY_DATABASE_URI", "UPLOAD_DIR", "SECRET_KEY", "PUBLIC_URL", "TESTING")
    overrides = {key: app.config[key] for key in settings}
    overrides["REDIS_URL"] = f"redis://127.0.0.1:{_closed_port()}/0"
    try:
        yield create_app("production", overrides)
    finally:
        jobs._apps["production"] = app  # create_app registered the new app for jobs


def test_healthz_is_503_when_redis_is_down(app):
    with redis_down(app) as broken:
        response = broken.test_client().get("/healthz")

    assert response.status_code == 503
    body = response.get_json()
    assert (body["database"], body["queue"]) == ("ok", "down")
    assert "queues" not in body


# --- security review (issue 14): the outbox claims its rows, errors quote no address -------


@pytest.mark.redis
def test_outbox_flush_leaves_a_queued_mail_alone_and_requeues_a_lost_one(rq_apps, smtp_server):
    production, _ = rq_apps
    _apply(production)
    mail_queue = queue(production, "mail")
    assert mail_queue.count == 2
    runner = production.test_cli_runner()

    # When the outbox is flushed while both jobs still wait in Redis
    result = runner.invoke(args=["outbox-flush", "--instance", "production"])

    # Then nothing is queued twice
    assert "production: 0 pending mails queued" in result.output
    assert mail_queue.count == 2

    # When one job is lost (Redis flushed by hand, say) and the outbox is flushed again
    Job.fetch(mail_queue.job_ids[0], connection=redis_connection(production)).delete()
    result = runner.invoke(args=["outbox-flush", "--instance", "production"])

    # Then only the lost one is queued again, and each mail goes out once
    assert "production: 1 pending mails queued" in result.output
    assert mail_queue.count == 2
    _run_worker(production)
    assert len(smtp_server.messages) == 2
    assert {m.status for m in _outbox(production)} == {"sent"}


def _unsent_mail(recipient: str) -> int:
    """A row in the outbox whose job has not run (written directly: without Redis the
    app would send it at commit)."""
    message = OutboxMessage(recipient=recipient, subject="Test", body="Hello")
    db.session.add(message)
    db.session.commit()
    return message.id


class _SlowSMTP:
    """An SMTP server that takes a second to accept each message."""

    def __init__(self):
        import asyncio

        from aiosmtpd.controller import Controller

        self.received = []
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                await asyncio.sleep(1)
                outer.received.append(envelope.rcpt_tos)
                return "250 OK"

        self.port = _closed_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)


def test_outbox_two_workers_never_send_the_same_mail_twice(app, monkeypatch):
    import threading

    from app import mail

    slow = _SlowSMTP()
    slow.controller.start()
    monkeypatch.setitem(app.config, "MAIL_PORT", slow.port)
    try:
        # Given one mail in the outbox, not yet sent
        message_id = _unsent_mail("someone@example.eu")
        barrier = threading.Barrier(2)

        def worker():
            with app.app_context():
                barrier.wait()
                mail.deliver(message_id)

        # When two workers deliver it at the same moment
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        slow.controller.stop()

    # Then it is sent once, and counted once
    assert slow.received == [["someone@example.eu"]]
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message_id)
    assert (row.status, row.attempts) == ("sent", 1)


def test_outbox_a_dead_workers_claim_is_taken_over_after_the_lease(app, smtp_server):
    from datetime import timedelta

    from app import mail
    from app.models.base import utcnow

    message_id = _unsent_mail("someone@example.eu")
    row = db.session.get(OutboxMessage, message_id)

    # A worker claimed it a minute ago (still sending, perhaps): another leaves it
    row.status, row.claimed_at, row.attempts = "sending", utcnow() - timedelta(minutes=1), 1
    db.session.commit()
    mail.deliver(message_id)
    assert smtp_server.messages == []

    # A worker claimed it longer ago than the lease (it died): the next one sends it
    row = db.session.get(OutboxMessage, message_id)
    row.claimed_at = utcnow() - mail.SENDING_LEASE - timedelta(seconds=1)
    db.session.commit()
    mail.deliver(message_id)
    assert len(smtp_server.to("someone@example.eu")) == 1
    db.session.expire_all()
    assert db.session.get(OutboxMessage, message_id).status == "sent"


def _redis_dump(app) -> str:
    """Everything Redis holds for the app's mail queue: its registries, and each job's
    hash and results, with compressed payloads and error texts unpacked."""
    from rq.registry import FailedJobRegistry

    connection, mail_queue = redis_connection(app), queue(app, "mail")
    ids = [*mail_queue.job_ids, *FailedJobRegistry(queue=mail_queue).get_job_ids(),
           *ScheduledJobRegistry(queue=mail_queue).get_job_ids()]  # fmt: skip
    assert ids, "no job left to look at"
    keys = [k for k in connection.scan_iter("*") if app.config["REDIS_PREFIX"].encode() in k]
    keys += [f"rq:{kind}:{job_id}".encode() for job_id in ids for kind in ("job", "results")]
    parts = []
    for key in set(keys):
        kind = connection.type(key).decode()
        if kind == "hash":
            values = list(connection.hgetall(key).values())
        elif kind == "stream":
            values = [v for _, entry in connection.xrange(key) for v in entry.values()]
        elif kind == "zset":
            values = connection.zrange(key, 0, -1)
        elif kind == "list":
            values = connection.lrange(key, 0, -1)
        elif kind == "set":
            values = list(connection.smembers(key))
        else:
            values = [connection.get(key) or b""]
        parts += [_unpacked(value) for value in [key, *values]]
    return "\n".join(parts)


def _unpacked(value: bytes) -> str:
    """A value as text: RQ compresses job data (zlib) and error texts (zlib, base64)."""
    with contextlib.suppress(zlib.error):
        return zlib.decompress(value).decode("utf-8", "replace")
    with contextlib.suppress(ValueError, zlib.error):
        return zlib.decompress(base64.b64decode(value, validate=True)).decode("utf-8", "replace")
    return value.decode("utf-8", "replace")


@pytest.mark.redis
def test_error_texts_an_smtp_refusal_quoting_the_address_is_not_kept(rq_apps):
    from aiosmtpd.controller import Controller

    refused = "refused.person@example.eu"

    class Refusing:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"

    production, _ = rq_apps
    port = _closed_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    production.config["MAIL_PORT"] = port
    try:
        # Given a mail to an address the server refuses, quoting it
        with production.app_context():
            _queue_a_mail(refused)
            db.session.commit()
        # When the worker tries it, and tries it again until the last attempt fails
        for _ in range(5):
            for job_id in ScheduledJobRegistry(queue=queue(production, "mail")).get_job_ids():
                job = Job.fetch(job_id, connection=redis_connection(production))
                ScheduledJobRegistry(queue=queue(production, "mail")).remove(job)
                queue(production, "mail").enqueue_job(job)
            _run_worker(production)
    finally:
        controller.stop()

    # Then the outbox says what failed, without the address or the server's words
    (message,) = _outbox(production)
    assert (message.status, message.attempts) == ("failed", 5)
    assert message.last_error == "SMTPRecipientsRefused 550"
    # and nothing RQ kept about the failures (job, results, registries) quotes it
    dump = _redis_dump(production)
    assert "SMTPRecipientsRefused 550" in dump
    assert refused not in dump and "User unknown" not in dump
