"""The demo has an urgent posting request (Directive 2014/67/EU Article 6(6)(a)) and a
Chapter VI request for the recovery of a fine, with the uniform instrument filled in."""

from __future__ import annotations

from sqlalchemy import select

from app.cases import deadlines
from app.extensions import db
from app.models import Request, RequestState
from tests.unit.test_cli import seed_demo


def test_seed_demo_has_an_urgent_posting_request_and_a_chapter_vi_request(app):
    seed_demo(app)
    urgent = db.session.scalars(select(Request).where(Request.urgency == "urgent")).one()
    assert urgent.procedure_key == "posting_genuine_establishment"
    assert urgent.state == RequestState.SENT and urgent.urgency_reason
    assert urgent.reply_due == deadlines.add_working_days(urgent.sent_at.date(), 2, "PT").due
    assert urgent.due_basis["article"] == "Directive 2014/67/EU, Article 6(6)(a)"
    recovery = db.session.scalars(
        select(Request).where(Request.procedure_key == "posting_penalty_recovery")
    ).one()
    assert recovery.state == RequestState.SENT
    assert recovery.details["amount"] == "4500" and recovery.details["penalty_nature"]
    assert recovery.due_basis["working_days"] == 25
    refused = db.session.scalars(
        select(Request).where(Request.procedure_key == "posting_penalty_notification")
    ).one()
    assert (refused.state, refused.refusal_ground) == (RequestState.REFUSED, "art17_incomplete")
