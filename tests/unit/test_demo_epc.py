"""The demo has an EPC application waiting for the host's decision and an issued card
that the verification page confirms, not announced by mail."""

from __future__ import annotations

from sqlalchemy import func, select

from app.cases.epc import applications
from app.demo import epc as demo_epc
from app.extensions import db
from app.models import EpcApplication, EpcState, OutboxMessage
from tests.unit.test_cli import _invoke, seed_demo


def test_seed_demo_has_an_application_with_the_host_and_an_issued_card(app):
    seed_demo(app)
    _invoke(app, "seed-demo", "--instance", "production")  # idempotent
    cases = list(db.session.scalars(select(EpcApplication).order_by(EpcApplication.id)))
    assert [c.state for c in cases] == [EpcState.TRANSFERRED, EpcState.ISSUED]
    issued = cases[1]
    assert applications.verify("DEMO-CARD-2026", demo_epc.IDENTITY_NUMBER) == issued
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
