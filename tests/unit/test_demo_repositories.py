"""Demo data of the repositories: records of both registers in several countries,
idempotent, with a record updated into a second version."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import RepositoryRecord
from tests.unit.test_cli import _invoke, seed_demo


def test_seed_demo_has_repository_records_in_several_countries(app):
    seed_demo(app)
    _invoke(app, "seed-demo", "--instance", "production")

    # (the EPC repositories' records are written by notifications: test_demo_notifications)
    registers = RepositoryRecord.procedure_key.in_(
        ["pq_sanctions_register", "posting_declarations"]
    )
    records = list(db.session.scalars(select(RepositoryRecord).where(registers)))
    assert {r.procedure_key for r in records} == {"pq_sanctions_register", "posting_declarations"}
    assert len({r.country for r in records}) >= 6
    assert len(records) == 8
    assert max(r.version for r in records) == 2
    folded = db.session.scalar(
        select(func.count()).where(RepositoryRecord.search_text.like("%jurgen muller%"))
    )
    assert folded == 1
