"""The demo has public cases in several countries and states, not announced by mail."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import OutboxMessage, PublicCase, PublicCaseState
from tests.unit.test_cli import _invoke, seed_demo


def test_seed_demo_has_public_cases_in_several_countries(app):
    seed_demo(app)
    _invoke(app, "seed-demo", "--instance", "production")  # idempotent
    cases = list(db.session.scalars(select(PublicCase)))
    # SOLVIT only: the European Professional Card has a kind of its own (app/demo/epc.py)
    assert len(cases) == 2
    assert len({c.country for c in cases}) == 2
    assert {c.state for c in cases} >= {
        PublicCaseState.SUBMITTED,
        PublicCaseState.AWAITING_SUBMITTER,
    }
    assert all(c.documents for c in cases)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
