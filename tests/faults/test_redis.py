"""Redis down, or hung (accepting connections, never answering): pages keep working,
actions commit with their outbox rows, the mail goes out once Redis is back (the
worker's outbox sweep), and no request waits longer than the socket timeout allows."""

from __future__ import annotations

import contextlib
import time

import pytest
from rq import SimpleWorker
from rq.serializers import JSONSerializer
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.jobs import QUEUES, outbox, queue, redis_connection
from app.jobs.mail import deliver
from app.models import OutboxMessage
from tests.faults.conftest import free_port, hung_redis, redis_at
from tests.web.requests.conftest import as_user, compose, only_request

TIMEOUT = 0.3  # REDIS_SOCKET_TIMEOUT of the cut-off app (production: 1 s)
# Seconds any request may take while Redis fails: generous, for a shared 2-core machine
# (without timeouts a hung Redis holds a request for ever); the wait for Redis itself is
# held to the socket timeout below.
BOUND = 10.0


@contextlib.contextmanager
def broken_redis(fault: str):
    if fault == "down":
        yield f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    else:
        with hung_redis() as url:
            yield url


def timed(call, *args, **kwargs):
    started = time.monotonic()
    response = call(*args, **kwargs)
    took = time.monotonic() - started
    assert took < BOUND, f"{args[0] if args else call.__name__} took {took:.1f} s"
    return response


def _outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest.mark.redis
@pytest.mark.parametrize("fault", ["down", "hung"])
def test_redis_fault_pages_work_and_the_mail_goes_out_once_it_is_back(
    rq_apps, people, smtp_server, fault
):
    up, _ = rq_apps
    with broken_redis(fault) as url, redis_at(up, url, REDIS_SOCKET_TIMEOUT=TIMEOUT) as cut:
        # Given a Redis that is down or hung: an officer signs in (throttled in the
        # database, not in Redis) and sends a request, which tells the other side
        berlin = as_user(cut, people.requester)
        response = timed(compose, berlin, people.authorities["paris"].id)
        assert response.status_code == 302
        item = only_request()
        paris = as_user(cut, people.handler)

        # Then the pages answer, within the bound: inboxes and the case page
        for client in (berlin, paris):
            assert timed(client.get, "/requests").status_code == 200
            assert timed(client.get, f"/requests/{item.id}").status_code == 200
        # and queueing a job gives up after the socket timeout, not later
        with cut.app_context():
            started = time.monotonic()
            assert not jobs.run_or_enqueue(cut, deliver, (0,), "mail", None)
            assert time.monotonic() - started < TIMEOUT + 0.7
        # and the action committed with its mail, waiting in the outbox, unsent
        waiting = _outbox()
        assert waiting and {m.status for m in waiting} == {"pending"}
        assert smtp_server.messages == []

    # When Redis is back: the sweep the worker's scheduler runs every minute, then a worker
    jobs._apps["production"] = up
    assert outbox.sweep_job("production") == len(waiting)
    SimpleWorker(
        [queue(up, name) for name in QUEUES],
        connection=redis_connection(up),
        serializer=JSONSerializer,
    ).work(burst=True)

    # Then every mail went out, once
    assert {m.status for m in _outbox()} == {"sent"}
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(m.recipient for m in waiting)
    # and the sweep booked its next run, and a second sweep queues nothing more
    assert outbox.sweep_job("production") == 0
    assert queue(up, "mail").count == 0


def test_the_apps_redis_connection_has_timeouts(app):
    with redis_at(app, "redis://127.0.0.1:6379/0") as target:
        options = redis_connection(target).connection_pool.connection_kwargs
    assert options["socket_timeout"] == options["socket_connect_timeout"] == 1.0


@pytest.mark.redis
def test_a_translation_job_lost_while_redis_was_down_is_queued_again_once(rq_apps):
    from datetime import timedelta

    from app.models import JobStatus, TranslationJob
    from app.models.base import utcnow
    from app.translation import texts

    up, _ = rq_apps
    with up.app_context():
        # Given translation jobs whose RQ job never reached Redis: one a while ago, one
        # just now (its job may still be on its way); and jobs handed to an engine that
        # calls back: one silent for two hours, one for five minutes
        lost, fresh, silent, waiting = (
            TranslationJob(
                kind="request.message", object_id=n, source_hash="h", source_language="de",
                target_language="fr", updated_at=utcnow() - age, status=status,
            )
            for n, age, status in (
                (1, timedelta(minutes=5), JobStatus.PENDING),
                (2, timedelta(0), JobStatus.PENDING),
                (3, timedelta(hours=2), JobStatus.SUBMITTED),
                (4, timedelta(minutes=5), JobStatus.SUBMITTED),
            )
        )  # fmt: skip
        db.session.add_all([lost, fresh, silent, waiting])
        db.session.commit()
        lost_id, silent_id = lost.id, silent.id

    # When the sweep runs, twice
    jobs._apps["production"] = up
    assert outbox.sweep_job("production") == 2
    assert outbox.sweep_job("production") == 0

    # Then the lost one and the silent one wait in the translation queue, once each
    with up.app_context():
        assert sorted(queue(up, "translation").job_ids) == sorted(
            [texts.rq_job_id(lost_id), texts.rq_job_id(silent_id)]
        )
