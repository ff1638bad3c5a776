"""Send-by reminders of alerts (the 3-day rule of Directive 2005/36/EC art. 56a): an
unsent draft is reminded the day before, on and after its send-by date, once each, by a
real RQ worker or by `flask alerts remind`; a sent alert is not reminded."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from rq.registry import ScheduledJobRegistry

from app.cases import alerts
from app.cases.alerts import notices as alert_notices
from app.extensions import db
from app.jobs import queue
from app.models import Alert, AuthorityKind, ProcedureAccess
from app.procedures.store import sync
from tests.factories import make_authority, make_user
from tests.jobs.test_request_reminders import _run_due_jobs
from tests.web.security.world import actor_of

SAVED_ON = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _draft(app) -> tuple[int, str]:
    """A PQ alert drafted on SAVED_ON for a decision of 30 Nov 2026 (send by 3 Dec)."""
    with app.app_context():
        sync()
        make_authority("FR", kind=AuthorityKind.NATIONAL_COORDINATOR)
        berlin = make_authority("DE")
        db.session.add(
            ProcedureAccess(
                authority_id=berlin.id, procedure_key="pq_alert", roles=["alert_sender"]
            )
        )
        db.session.commit()
        officer = make_user(berlin, ["alert_handler"])
        with time_machine.travel(SAVED_ON, tick=False):
            item = alerts.save_draft(
                actor_of(officer),
                alerts.Draft(
                    "pq_alert",
                    {
                        "alert_type": "art56a_3",
                        "professional_name": "Dr. B",
                        "date_of_birth": "1970-01-01",
                        "profession": "Nurse",
                        "deciding_authority": "Court",
                        "decision_date": "2026-11-30",
                    },
                    "",
                    ["FR"],
                ),
            )
        return item.id, officer.email


@pytest.mark.redis
def test_reminders_are_scheduled_for_their_days_and_sent_once(rq_apps, smtp_server):
    production, _ = rq_apps
    alert_id, email = _draft(production)
    with production.app_context():
        assert db.session.get(Alert, alert_id).send_by == date(2026, 12, 3)
    registry = ScheduledJobRegistry(queue=queue(production, "default"))
    times = sorted({registry.get_scheduled_time(j) for j in registry.get_job_ids()})
    assert [t.date() for t in times] == [date(2026, 12, 2), date(2026, 12, 3), date(2026, 12, 4)]
    _run_due_jobs(production, times[0])
    _run_due_jobs(production, times[0])
    assert any("tomorrow" in m.get_payload(decode=True).decode() for m in smtp_server.to(email))
    _run_due_jobs(production, times[2])
    _run_due_jobs(production, times[2])
    assert any(
        "past the date" in m.get_payload(decode=True).decode() for m in smtp_server.to(email)
    )
    with production.app_context():
        assert alert_notices.remind(alert_id, "overdue", times[2].date()) is False
        assert db.session.get(Alert, alert_id).reminders_sent == ["soon", "overdue"]


def test_the_cli_sends_due_reminders_and_a_sent_alert_gets_none(app, smtp_server):
    alert_id, email = _draft(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["alerts", "remind", "--as-of", "2026-12-03"])
    assert result.exit_code == 0 and "1 reminders sent" in result.output
    assert db.session.get(Alert, alert_id).reminders_sent == ["due"]
    result = runner.invoke(args=["alerts", "remind", "--as-of", "2026-12-03"])
    assert "0 reminders sent" in result.output
    item = db.session.get(Alert, alert_id)
    item.state = alerts.S.SENT
    db.session.commit()
    assert alert_notices.remind_all(date(2026, 12, 4)) == 0
    assert runner.invoke(args=["alerts", "remind", "--as-of", "bad"]).exit_code != 0
