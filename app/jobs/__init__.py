"""Background jobs: RQ on Redis when REDIS_URL is set, otherwise run in-process.

Jobs are queued only after the transaction that asked for them commits (a rolled-back
action never mails anyone). Job functions take an instance name and ids, open their own
app context and are safe to run twice. Arguments travel as JSON, never pickle.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Flask, current_app
from redis import Redis, RedisError
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.retry import Retry as RedisRetry
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session

from app import logs

log = logging.getLogger(__name__)

QUEUES = ("mail", "translation", "pdf", "default")
# Seconds a job of the queue may run before RQ stops it (others: 120). A mail job's bound
# is what lets the outbox take over a dead sender's claim (app/mail.py, SENDING_LEASE).
QUEUE_TIMEOUTS = {"pdf": 60, "mail": 60}
_apps: dict[str, Flask] = {}


def init_app(app: Flask) -> None:
    _apps[app.config["INSTANCE"]] = app
    url = app.config["REDIS_URL"]
    app.extensions["openimi_redis"] = (
        connect(url, app.config["REDIS_SOCKET_TIMEOUT"]) if url else None
    )


def connect(url: str, timeout: float) -> Redis:
    """The app's connection: a Redis that is down or hung (accepting connections but not
    answering) costs a request `timeout` seconds at most, never a hang. One retry, at
    once, for a pooled connection that Redis closed (a restart); none after a timeout
    (redis-py's default retries three times with back-off: ~10 s more per call). The
    worker has a connection of its own (`flask worker`): RQ's blocking dequeue waits
    longer than this."""
    return Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=RedisRetry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
    )


def app_for(instance: str) -> Flask:
    """The app a job runs in: the one this process built for that instance."""
    if instance not in _apps:
        from app import create_app

        create_app(instance)
    return _apps[instance]


def redis_connection(app: Flask) -> Redis | None:
    return app.extensions["openimi_redis"]


def queue(app: Flask, name: str) -> Queue:
    return Queue(
        f"{app.config['REDIS_PREFIX']}-{name}",
        connection=redis_connection(app),
        serializer=JSONSerializer,
        default_timeout=QUEUE_TIMEOUTS.get(name, 120),
    )


def enqueue_after_commit(
    func: Callable,
    *args,
    queue_name: str = "default",
    retry: Retry | None = None,
    job_id: str | None = None,
) -> None:
    """Run func(instance, *args) once the current transaction has committed. A job_id
    names the job in Redis, so that it can be found again (see job_alive)."""
    from app.extensions import db

    pending = db.session.info.setdefault("openimi_jobs", [])
    pending.append((current_app._get_current_object(), func, args, queue_name, retry, job_id))


def schedule_after_commit(
    func: Callable, at: datetime, *args, queue_name: str = "default", retry: Retry | None = None
) -> None:
    """Run func(instance, *args) at `at` (UTC) by the worker's scheduler, once the current
    transaction has committed. Without Redis nothing is scheduled: the periodic commands
    (cron) do the same work."""
    from app.extensions import db

    pending = db.session.info.setdefault("openimi_scheduled", [])
    pending.append((current_app._get_current_object(), func, at, args, queue_name, retry))


@event.listens_for(Session, "after_commit")
def _dispatch(session: Session) -> None:
    # Once Redis has failed, the commit's other jobs are not tried (each would wait for
    # the timeout again): their rows wait in the outbox, and the sweep queues them.
    down: set[int] = set()
    for app, func, args, queue_name, retry, job_id in session.info.pop("openimi_jobs", []):
        if id(app) in down:
            continue
        if not run_or_enqueue(app, func, args, queue_name, retry, job_id):
            down.add(id(app))
    for app, func, at, args, queue_name, retry in session.info.pop("openimi_scheduled", []):
        if redis_connection(app) is None or id(app) in down:
            continue
        try:
            queue(app, queue_name).enqueue_at(
                at,
                func,
                app.config["INSTANCE"],
                *args,
                retry=retry,
                failure_ttl=7 * 24 * 3600,
                meta=logs.job_meta(),
            )
        except RedisError:
            log.exception("could not schedule %s%r: Redis is unreachable", func.__name__, args)
            down.add(id(app))


def book_periodic(
    app: Flask, func: Callable, name: str, interval: int, after_slot: int | None, **options
) -> str | None:
    """Book func(instance, slot) for the next free time slot of `interval` seconds (after
    `after_slot` if given) unless it is booked; its job id, or None without Redis. Job ids
    carry the slot, so two workers (or a restart) booking the series never double it."""
    connection = redis_connection(app)
    if connection is None:
        return None
    now_slot = int(datetime.now(UTC).timestamp()) // interval
    slot = max(now_slot, after_slot if after_slot is not None else now_slot) + 1
    job_id = f"{app.config['REDIS_PREFIX']}-{name}-{slot}"
    if not Job.exists(job_id, connection=connection):
        queue(app, "default").enqueue_at(
            datetime.fromtimestamp(slot * interval, UTC),
            func,
            app.config["INSTANCE"],
            slot,
            job_id=job_id,
            **options,
        )
    return job_id


# A job in one of these states will still run (or is running): do not queue it again.
ALIVE = frozenset({JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.STARTED, JobStatus.DEFERRED})


def job_alive(app: Flask, job_id: str) -> bool:
    """Whether the named job waits in Redis or runs. A finished, failed or stopped one is
    deleted, so that its id can be queued afresh."""
    try:
        job = Job.fetch(job_id, connection=redis_connection(app), serializer=JSONSerializer)
    except NoSuchJobError:
        return False
    if job.get_status(refresh=False) in ALIVE:
        return True
    job.delete()
    return False


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop("openimi_jobs", None)
    session.info.pop("openimi_scheduled", None)


def run_or_enqueue(
    app: Flask,
    func: Callable,
    args: tuple,
    queue_name: str,
    retry: Retry | None,
    job_id: str | None = None,
) -> bool:
    """False when Redis did not take the job (the caller's outbox row keeps the work)."""
    instance = app.config["INSTANCE"]
    if redis_connection(app) is not None:
        try:
            queue(app, queue_name).enqueue(
                func,
                instance,
                *args,
                retry=retry,
                failure_ttl=7 * 24 * 3600,
                job_id=job_id,
                meta=logs.job_meta(),  # the worker's lines name the request that asked
            )
        except RedisError:
            # The action has committed: do not fail it. Its outbox row stays pending
            # and `flask outbox-flush` queues it again once Redis is back.
            log.exception("could not queue %s%r: Redis is unreachable", func.__name__, args)
            return False
        return True
    # Embedded mode: run now, in a fresh app context (its own database session).
    with logs.in_job(job_id or logs.new_id(), logs.request_id()):
        try:
            with app.app_context():
                func(instance, *args)
        except Exception:  # the outbox keeps the work; `flask outbox flush` retries it
            log.exception("in-process job %s failed", func.__name__)
    return True
