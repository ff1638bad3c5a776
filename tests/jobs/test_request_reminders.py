"""Reply-date reminders: scheduled in Redis for their day when a request is sent, run by
an RQ worker, sent once each, and not sent when no longer due."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from rq import SimpleWorker
from rq.registry import ScheduledJobRegistry
from rq.serializers import JSONSerializer

from app.cases import reminders, requests
from app.cases.requests import notices as request_notices
from app.extensions import db
from app.jobs import QUEUES, queue, redis_connection
from app.models import ProcedureAccess, Request
from app.procedures.store import sync
from tests.factories import make_authority, make_user
from tests.web.security.world import actor_of

SENT_ON = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday


def _exchange(app) -> tuple[int, str, str]:
    """A request sent on SENT_ON from Germany to France; its id and both officers' mail."""
    with app.app_context():
        sync()
        berlin, paris = make_authority("DE"), make_authority("FR")
        for authority in (berlin, paris):
            db.session.add(
                ProcedureAccess(
                    authority_id=authority.id,
                    procedure_key="pq_good_standing",
                    roles=["requester", "responder"],
                )
            )
        db.session.commit()
        requester = make_user(berlin, ["handler"])
        allocator = make_user(paris, ["allocator"])
        actor = actor_of(requester)
        with time_machine.travel(SENT_ON, tick=False):
            item = requests.save_draft(
                actor,
                requests.Draft(
                    "pq_good_standing",
                    paris.id,
                    "Dr. A",
                    "",
                    ["legally_established"],
                    {"profession": "Doctor of medicine", "date_of_birth": "1980-01-01"},
                ),
            )
            requests.send(actor, item)
        return item.id, requester.email, allocator.email


def _run_due_jobs(app, now: datetime) -> None:
    """What the worker's scheduler does at `now`: move due jobs to their queue, run them."""
    connection = redis_connection(app)
    for name in QUEUES:
        q = queue(app, name)
        registry = ScheduledJobRegistry(queue=q)
        for job_id in registry.get_job_ids():
            if registry.get_scheduled_time(job_id) <= now:
                registry.remove(job_id)
                q.enqueue_job(q.fetch_job(job_id))
    with time_machine.travel(now, tick=False):
        SimpleWorker(
            [queue(app, n) for n in QUEUES], connection=connection, serializer=JSONSerializer
        ).work(burst=True)


@pytest.mark.redis
def test_three_reminders_are_scheduled_for_their_days_and_sent_once(rq_apps, smtp_server):
    production, _ = rq_apps
    request_id, requester_email, allocator_email = _exchange(production)
    with production.app_context():
        due = db.session.get(Request, request_id).reply_due
    # 20 French working days from Tuesday 1 Dec 2026, Christmas Day not counted
    assert due == date(2026, 12, 30)

    registry = ScheduledJobRegistry(queue=queue(production, "default"))
    times = sorted(registry.get_scheduled_time(j) for j in registry.get_job_ids())
    assert [t.date() for t in times] == [date(2026, 12, 28), due, date(2026, 12, 31)]
    assert all(t.hour == reminders.HOUR_UTC for t in times)

    # Nothing is due on the day of sending
    _run_due_jobs(production, SENT_ON)
    delivered = len(smtp_server.messages)
    # The "approaching" reminder on its day reaches the French allocator
    _run_due_jobs(production, times[0])
    _run_due_jobs(production, times[0])  # the mail job runs on the mail queue
    notices = [m for m in smtp_server.to(allocator_email)][-1:]
    assert notices and "approaching" in notices[0].get_payload(decode=True).decode()
    # Overdue: the responder and the requester are told; running again sends nothing
    _run_due_jobs(production, times[2])
    _run_due_jobs(production, times[2])
    mails = smtp_server.to(requester_email)
    assert any("overdue" in m.get_payload(decode=True).decode() for m in mails)
    count = len(smtp_server.messages)
    with production.app_context():
        assert request_notices.remind(request_id, "overdue", times[2].date()) is False
        # the due-day job only ran the day after (no worker on the day): it sent nothing
        assert db.session.get(Request, request_id).reminders_sent == ["soon", "overdue"]
    assert len(smtp_server.messages) == count > delivered


@pytest.mark.redis
def test_an_answered_request_gets_no_reminder(rq_apps, smtp_server):
    production, _ = rq_apps
    request_id, _, allocator_email = _exchange(production)
    with production.app_context():
        item = db.session.get(Request, request_id)
        item.state = requests.S.ANSWERED
        db.session.commit()
        assert request_notices.remind(request_id, "due", item.reply_due) is False
        assert request_notices.remind_all(item.reply_due) == 0


def test_on_the_reply_date_a_late_approaching_reminder_gives_way_to_due(app, smtp_server):
    # given a request whose "approaching" reminder never went out (no worker, no cron)
    request_id, _, allocator_email = _exchange(app)
    due = db.session.get(Request, request_id).reply_due
    # when the reminders run on the reply date itself
    sent = request_notices.remind_all(due)
    # then only "due" goes out: the responder is not told the date is approaching
    assert sent == 1
    assert db.session.get(Request, request_id).reminders_sent == ["due"]
    notices = [m.get_payload(decode=True).decode() for m in smtp_server.to(allocator_email)]
    assert any("due for reply today" in n for n in notices)
    assert not any("approaching" in n for n in notices)
