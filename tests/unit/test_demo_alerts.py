"""The demo data has alerts in several countries and states, sent without mail."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Alert, AlertState, OutboxMessage
from tests.unit.test_cli import _invoke, seed_demo


def test_seed_demo_has_alerts_in_several_countries_and_states(app):
    seed_demo(app)
    _invoke(app, "seed-demo", "--instance", "production")  # idempotent
    items = list(db.session.scalars(select(Alert)))
    assert len(items) == 6
    assert len({a.sender_country for a in items}) >= 5
    assert {a.state for a in items} == set(AlertState) - {AlertState.CLOSED}
    assert any(a.revision == 2 for a in items)
    assert any(d.acknowledged_at for a in items for r in a.recipients for d in r.disseminations)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
