"""A worker killed (SIGKILL) while it sends a mail: RQ finds the job abandoned and
retries it, the outbox takes the dead sender's claim over once its lease is out, and
the mail is delivered once, with the Message-ID of its outbox row at every attempt."""

from __future__ import annotations

import asyncio
import email
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from redis import Redis
from rq import SimpleWorker
from rq.job import Job
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from rq.serializers import JSONSerializer
from sqlalchemy import select

from app import mail
from app.extensions import db
from app.jobs import QUEUES, queue, redis_connection
from app.jobs.worker import CappedWorker
from app.mail import queue_mail
from app.models import OutboxMessage
from tests.faults.conftest import free_port

RECIPIENT = "someone@example.eu"


class HeldSMTP:
    """An SMTP server that holds the first message it is given, without answering, until
    the test lets go; it then answers 451 (its sender is gone by then). Later messages are
    taken at once."""

    def __init__(self):
        self.arrived, self.let_go = threading.Event(), threading.Event()
        self.seen: list[str] = []  # the Message-ID of each attempt
        self.delivered: list = []
        self.port = free_port()
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(envelope.content)
                outer.seen.append(message["Message-ID"])
                if len(outer.seen) == 1:
                    outer.arrived.set()
                    await asyncio.get_running_loop().run_in_executor(None, outer.let_go.wait, 20)
                    return "451 4.3.0 Try again later"
                outer.delivered.append(message)
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)


def _serve(app) -> None:
    """A worker process: `flask worker`'s CappedWorker on the app's queues, forked from
    the test (starting `flask worker` afresh loads both instances and WeasyPrint: 5 to
    12 s here)."""
    with app.app_context():
        db.engine.dispose(close=False)  # the test's connections stay the test's
    CappedWorker(
        [queue(app, name) for name in QUEUES],
        connection=Redis.from_url(app.config["REDIS_URL"]),
        serializer=JSONSerializer,
    ).work()
    os._exit(0)


def kill_worker(pid: int) -> None:
    """SIGKILL the worker and the work horse it forked (RQ puts each horse in a session
    of its own, so the worker's process group does not hold it), as an out-of-memory
    kill or a lost host ends them."""
    horses = [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and _parent(entry) == pid
    ]
    for victim in [*horses, pid]:
        os.kill(victim, signal.SIGKILL)


def _parent(entry: Path) -> int | None:
    try:
        return int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _row(app, message_id: int) -> OutboxMessage:
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        db.session.expunge_all()
        return row


@pytest.mark.redis
def test_a_worker_killed_mid_mail_the_job_is_retried_and_the_mail_sent_once(rq_apps):
    production, _ = rq_apps
    smtp = HeldSMTP()
    smtp.controller.start()
    production.config |= {"MAIL_PORT": smtp.port, "MAIL_SENDING_LEASE_SECONDS": 1}
    worker = None
    try:
        # Given one mail in the outbox and its job in the queue
        with production.app_context():
            person = SimpleNamespace(full_name="Someone")
            message = queue_mail(RECIPIENT, "password_reset", "en", user=person, token="t")
            db.session.commit()
            message_id, expected_id = message.id, mail.message_id(message)
            job_id = mail.job_id(message.id)

        # When a real worker is killed while the SMTP server holds its mail
        worker = multiprocessing.get_context("fork").Process(target=_serve, args=(production,))
        worker.start()
        assert smtp.arrived.wait(10), "the worker did not start the job"
        kill_worker(worker.pid)
        worker.join(10)
        smtp.let_go.set()

        # Then the row is left claimed by the dead sender, and the job started in Redis
        row = _row(production, message_id)
        assert (row.status, row.attempts) == ("sending", 1)
        connection = redis_connection(production)
        job = Job.fetch(job_id, connection=connection, serializer=JSONSerializer)
        assert job.get_status() == "started"

        # When RQ's maintenance finds the job abandoned (its heartbeat lapsed: a minute
        # or so; the test moves the clock on) it schedules the retry; the retry is due
        # (10 s; again the clock moves on) and a new worker runs
        mail_queue = queue(production, "mail")
        StartedJobRegistry(queue=mail_queue).cleanup(timestamp=time.time() + 3600)
        assert job.get_status() == "scheduled"
        ScheduledJobRegistry(queue=mail_queue).remove(job)
        mail_queue.enqueue_job(job)
        time.sleep(1)  # the dead sender's lease (1 s here, 90 s in production) runs out
        SimpleWorker([mail_queue], connection=connection, serializer=JSONSerializer).work(
            burst=True
        )
    finally:
        if worker is not None and worker.is_alive():
            kill_worker(worker.pid)
        smtp.let_go.set()
        smtp.controller.stop()

    # Then the mail is delivered once, with the same Message-ID at both attempts
    assert [m["To"] for m in smtp.delivered] == [RECIPIENT]
    assert smtp.seen == [expected_id, expected_id]
    row = _row(production, message_id)
    assert (row.status, row.attempts) == ("sent", 2)
    # and a later sweep of the outbox finds nothing to send again
    assert mail.flush(production) == 0
    with production.app_context():
        unsent = select(OutboxMessage).where(OutboxMessage.status != "sent")
        assert db.session.scalars(unsent).all() == []
