"""The Commission desk is reminded of a notification's assessment date, and the home and
host authorities of the end of their EPC period (Directive 2005/36/EC Art 4d), as requests
and alerts are of theirs: before, on and after the date, once each, by a real RQ worker or
by `flask remind`; a new period starts with none sent, and a case that moved on gets none."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from app.cases import notifications
from app.cases.epc import applications
from app.extensions import db
from app.models import EpcApplication
from tests.jobs.test_request_reminders import _run_due_jobs
from tests.web.epc.conftest import _world, application_of
from tests.web.notifications.conftest import _people, services_draft
from tests.web.security.world import actor_of

TRANSFERRED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday
HOST_SOON = "ends in three days: without a decision, the card is issued by law"
HOST_DUE = "ends today: without a decision, the card is issued by law"


def _texts(smtp_server, email: str) -> str:
    return " ".join(m.get_payload(decode=True).decode() for m in smtp_server.to(email))


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(6, 1), UTC)


@pytest.mark.redis
def test_the_host_is_reminded_of_its_period_before_the_card_is_issued_by_law(rq_apps, smtp_server):
    production, _ = rq_apps
    with production.app_context():
        world = _world()
        with time_machine.travel(TRANSFERRED, tick=False):
            case = application_of(world.applicant, world)
            applications.act(actor_of(world.home), case, "acknowledge")
            applications.act(actor_of(world.home), case, "transfer")
        case_id, due = case.id, case.host_due
        host, home = world.host.email, world.home.email
    smtp_server.messages.clear()

    _run_due_jobs(production, _morning(due - timedelta(days=3)))
    assert HOST_SOON in _texts(smtp_server, host)
    _run_due_jobs(production, _morning(due))
    _run_due_jobs(production, _morning(due))  # again: nothing more
    assert HOST_DUE in _texts(smtp_server, host)
    reminders = [m for m in smtp_server.to(host) if "card is issued by law" in str(m)]
    assert len(reminders) == 2
    # the home authority's period ended with the transfer: it is reminded of nothing
    assert "period of your authority" not in _texts(smtp_server, home)
    with production.app_context():
        assert db.session.get(EpcApplication, case_id).reminders_sent == ["soon", "due"]


def test_flask_remind_sends_each_kinds_reminders_once_and_a_new_period_starts_afresh(
    app, smtp_server
):
    runner = app.test_cli_runner()
    people = _people()
    item = services_draft(people)
    notifications.send(people.actor("berlin"), item)
    notifications.validate(people.actor("de_coordinator"), item, True)
    assess_by = item.assess_by
    smtp_server.messages.clear()

    # the desk, on the day of its "soon" reminder, five days before the assessment date
    soon = runner.invoke(args=["remind", "--as-of", (assess_by - timedelta(days=5)).isoformat()])
    assert soon.exit_code == 0 and "production: 1 reminders sent" in soon.output
    assert "examines is near" in _texts(smtp_server, "desk@grow.example.eu")
    world = _world()
    case = application_of(world.applicant, world)
    home_due = case.home_due
    # the home authority, the day after its week to acknowledge
    late = runner.invoke(args=["remind", "--as-of", (home_due + timedelta(days=1)).isoformat()])
    assert "production: 1 reminders sent" in late.output
    assert "has ended" in _texts(smtp_server, world.home.email)
    again = runner.invoke(args=["remind", "--as-of", (home_due + timedelta(days=1)).isoformat()])
    assert "production: 0 reminders sent" in again.output
    db.session.refresh(case)
    assert case.reminders_sent == ["overdue"]

    # when the home authority acknowledges, its period to verify starts with none sent
    applications.act(actor_of(world.home), case, "acknowledge")
    assert case.reminders_sent == [] and case.home_due > home_due
    # when the Commission concludes, the assessment date binds no more
    db.session.refresh(item)
    notifications.conclude(people.actor("grow"), item, "Compatible.")
    smtp_server.messages.clear()
    day = (assess_by + timedelta(days=1)).isoformat()
    assert runner.invoke(args=["remind", "--as-of", day]).exit_code == 0
    assert "examines" not in _texts(smtp_server, "desk@grow.example.eu")
    db.session.refresh(item)
    assert item.reminders_sent == ["soon"]
