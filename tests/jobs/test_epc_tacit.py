"""Tacit recognition (Directive 2005/36/EC Art 4d(5)) through a real RQ worker: the daily
EPC job issues the card by law once the host's period has passed, says so, and running
it again changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine

from app.cases.epc import applications
from app.extensions import db
from app.jobs import epc
from app.models import EpcApplication, EpcState
from tests.jobs.test_request_reminders import _run_due_jobs
from tests.web.epc.conftest import _world, application_of
from tests.web.security.world import actor_of

TRANSFERRED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # a Tuesday


@pytest.mark.redis
def test_the_daily_job_issues_the_card_by_law_when_the_host_lets_its_period_pass(rq_apps):
    production, _ = rq_apps
    with production.app_context():
        world = _world()
        with time_machine.travel(TRANSFERRED, tick=False):
            case = application_of(world.applicant, world)
            applications.act(actor_of(world.home), case, "acknowledge")
            applications.act(actor_of(world.home), case, "transfer")
        case_id = case.id
        # a nurse (automatic recognition): one calendar month in France, Art 4d(2)
        assert case.host_due == date(2027, 1, 1 + 3)  # 1 Jan is a holiday; 2-3 Jan a weekend
        epc.ensure_scheduled(production, TRANSFERRED)
    # on the host's last day nothing happens
    _run_due_jobs(production, datetime(2027, 1, 4, 0, 5, tzinfo=UTC))
    with production.app_context():
        assert db.session.get(EpcApplication, case_id).state == EpcState.TRANSFERRED
    # the day after, the worker's run issues the card by law
    _run_due_jobs(production, datetime(2027, 1, 5, 0, 5, tzinfo=UTC))
    with production.app_context():
        case = db.session.get(EpcApplication, case_id)
        assert case.state == EpcState.ISSUED and case.tacit and case.card_code
        assert [e.kind for e in case.events][-1] == "issued_tacitly"
        code = case.card_code
        # again: nothing changes
        assert applications.mark_tacit(date(2027, 1, 6)) == []
        assert db.session.get(EpcApplication, case_id).card_code == code


@pytest.mark.redis
def test_the_daily_job_closes_a_temporary_card_the_day_after_its_validity(rq_apps):
    production, _ = rq_apps
    with production.app_context():
        world = _world()
        with time_machine.travel(TRANSFERRED, tick=False):
            case = application_of(world.applicant, world, purpose="temporary")
            applications.act(actor_of(world.home), case, "acknowledge")
            applications.act(actor_of(world.home), case, "issue_home")
        case_id, last_day = case.id, case.valid_until
        # 18 months (Art 4c(1))
        assert (last_day.year, last_day.month) == (2028, 6)
        epc.ensure_scheduled(production, TRANSFERRED)
    # on its last valid day the card stands
    _run_due_jobs(production, datetime.combine(last_day, time(0, 5), UTC))
    with production.app_context():
        case = db.session.get(EpcApplication, case_id)
        assert case.state == EpcState.ISSUED and applications.is_valid(case, last_day)
    # the day after, the worker's run closes the case, and says so on its timeline
    _run_due_jobs(production, datetime.combine(last_day + timedelta(days=1), time(0, 5), UTC))
    with production.app_context():
        case = db.session.get(EpcApplication, case_id)
        assert case.state == EpcState.EXPIRED and case.closed_at is not None
        assert [e.kind for e in case.events][-1] == "expired"
        assert not applications.is_valid(case, last_day + timedelta(days=1))
        # again: nothing changes; an establishment card (no end) never expires
        assert applications.expire_cards(last_day + timedelta(days=400)) == []
