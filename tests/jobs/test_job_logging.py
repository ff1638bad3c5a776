"""A job queued by a request logs, in the RQ worker, with that request's id and its own."""

from __future__ import annotations

import pytest
from rq.job import Job
from rq.serializers import JSONSerializer

from app import mail
from app.extensions import db
from app.jobs import redis_connection
from tests.factories import csrf_token, make_authority, make_user
from tests.jobs.test_mail_jobs import _outbox, _queue_a_mail, _run_worker


@pytest.mark.redis
def test_the_workers_lines_carry_the_request_that_queued_the_job(
    rq_apps, smtp_server, production_log
):
    production, _ = rq_apps
    with production.app_context():
        email = make_user(make_authority("FR"), ["handler"]).email
    client = production.test_client()
    token = csrf_token(client.get("/password/forgot"))

    # when a request with an id from the proxy queues a mail
    client.post(
        "/password/forgot",
        data={"csrf_token": token, "email": email},
        headers={"X-Request-ID": "req-from-nginx"},
    )
    [message] = _outbox(production)
    with production.app_context():
        job_id = mail.job_id(message.id)
    job = Job.fetch(job_id, connection=redis_connection(production), serializer=JSONSerializer)
    assert job.meta == {"request_id": "req-from-nginx"}

    # and the worker runs it
    production_log.clear()
    _run_worker(production)

    # then the job's line names that request and the job
    assert smtp_server.to(email)
    [sent] = production_log.app_lines()
    assert sent["message"] == f"outbox message {message.id} sent"
    assert (sent["request_id"], sent["job_id"]) == ("req-from-nginx", job_id)


@pytest.mark.redis
def test_a_job_queued_outside_a_request_names_no_request(rq_apps, smtp_server, production_log):
    production, _ = rq_apps
    with production.app_context():  # as `flask outbox-flush` or the scheduler would
        _queue_a_mail("someone@example.eu")
        db.session.commit()

    _run_worker(production)

    [sent] = production_log.app_lines()
    assert "request_id" not in sent
    assert sent["job_id"].startswith(production.config["REDIS_PREFIX"])
