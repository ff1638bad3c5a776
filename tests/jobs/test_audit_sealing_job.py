"""The audit sealer runs through RQ: the worker books it, its scheduler starts it every few
seconds, each run books the next, and two workers never double the series."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry
from rq.serializers import JSONSerializer

from app.extensions import db
from app.jobs import queue, redis_connection
from app.jobs import sealing as sealing_jobs
from app.records import audit


def _append(count: int) -> list[int]:
    ids = [
        audit.record("request.viewed", actor_id=1, authority_id=2, object_type="request",
                     object_id=n).id
        for n in range(count)
    ]  # fmt: skip
    db.session.commit()
    return ids


def _scheduled(app) -> list[str]:
    return ScheduledJobRegistry(queue=queue(app, "default")).get_job_ids()


def test_the_scheduler_runs_the_sealer_which_books_its_next_run(rq_apps, monkeypatch):
    monkeypatch.setattr(sealing_jobs, "INTERVAL", 1)  # a slot a second: a short wait
    production, _training = rq_apps
    with production.app_context():
        ids = _append(3)
        assert audit.verify().unsealed == 3

        # Given the run booked at the worker's start (twice: two workers, in one slot)
        time.sleep(1 - datetime.now(UTC).timestamp() % 1 + 0.02)
        booked = sealing_jobs.ensure_scheduled(production)
        assert sealing_jobs.ensure_scheduled(production) == booked
        assert _scheduled(production) == [booked]
        slot = int(booked.rsplit("-", 1)[1])
        time.sleep(max(0.0, slot * sealing_jobs.INTERVAL - datetime.now(UTC).timestamp()) + 0.1)

        # When the worker's scheduler finds it due and the worker runs it
        SimpleWorker(
            [queue(production, "default")],
            connection=redis_connection(production),
            serializer=JSONSerializer,
        ).work(burst=True, with_scheduler=True)

        # Then the rows are chained, and the next run is booked
        db.session.expire_all()
        result = audit.verify()
        assert result.ok and result.sealed == len(ids) and result.unsealed == 0
        following = _scheduled(production)
        assert booked not in following and len(following) == 1
        assert int(following[0].rsplit("-", 1)[1]) > slot


def test_a_late_run_books_a_slot_to_come_not_one_gone_by(rq_apps):
    production, _training = rq_apps
    with production.app_context():
        now_slot = sealing_jobs.slot_of(datetime.now(UTC))
        assert sealing_jobs.seal_job("production", now_slot - 100) == 0
        booked = _scheduled(production)
        assert len(booked) == 1 and int(booked[0].rsplit("-", 1)[1]) > now_slot
