"""The demo has public cases in several countries and states, not announced by mail."""

from __future__ import annotations

from sqlalchemy import func, select

from app.cases.public.solvit import desk
from app.extensions import db
from app.models import AuthorityKind, OutboxMessage, PublicCase, PublicCaseState
from tests.unit.test_cli import _invoke, seed_demo


def test_seed_demo_has_public_cases_in_several_countries(app):
    seed_demo(app)
    _invoke(app, "seed-demo", "--instance", "production")  # idempotent
    cases = list(db.session.scalars(select(PublicCase)))
    # SOLVIT only: the European Professional Card has a kind of its own (app/demo/epc.py)
    assert len(cases) == 3
    assert len({c.country for c in cases}) == 3
    assert {c.state for c in cases} >= {
        PublicCaseState.SUBMITTED,
        PublicCaseState.AWAITING_SUBMITTER,
    }
    assert all(c.documents for c in cases)
    # a SOLVIT complaint from Poland waits for the German lead centre's acceptance
    lead = next(c for c in cases if c.state == PublicCaseState.WITH_LEAD)
    assert (lead.country, lead.lead_country, lead.clock) == ("PL", "DE", "accept")
    assert lead.authority.kind == lead.lead_authority.kind == AuthorityKind.NATIONAL_COORDINATOR
    assert desk() is not None
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
