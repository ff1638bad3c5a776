"""PDF-2: a PDF job that grows past its cap fails alone; the worker goes on with the next
job. Runs RQ's forking worker (as `flask worker` does), not the SimpleWorker."""

from __future__ import annotations

from rq.job import JobStatus
from rq.serializers import JSONSerializer

from app.jobs import queue, redis_connection
from app.jobs.worker import CappedWorker


def test_a_runaway_pdf_job_fails_and_the_worker_takes_the_next(rq_apps):
    production, _training = rq_apps
    pdf_queue, other = queue(production, "pdf"), queue(production, "default")
    hog = pdf_queue.enqueue("tests.jobs.hogs.allocate", "production", 600)
    small = pdf_queue.enqueue("tests.jobs.hogs.allocate", "production", 8)
    uncapped = other.enqueue("tests.jobs.hogs.allocate", "production", 600)
    worker = CappedWorker(
        [pdf_queue, other],
        connection=redis_connection(production),
        serializer=JSONSerializer,
        memory_caps={pdf_queue.name: 256 * 1024 * 1024},
    )
    worker.work(burst=True)
    for job in (hog, small, uncapped):
        job.refresh()
    assert hog.get_status() == JobStatus.FAILED
    assert "MemoryError" in (hog.latest_result().exc_string or "")
    assert small.get_status() == JobStatus.FINISHED and small.return_value() == 8 * 1024 * 1024
    # other queues are not capped
    assert uncapped.get_status() == JobStatus.FINISHED
