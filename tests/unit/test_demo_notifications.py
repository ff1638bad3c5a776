"""The demo data has one notification of each notification pack, the Commission's desks
that assess them, and the EPC repository record an accepted notification wrote."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Notification, NotificationState, OutboxMessage, RepositoryRecord
from tests.unit.test_cli import _invoke, seed_demo

S = NotificationState


def test_seed_demo_has_a_notification_of_each_pack(app):
    seed_demo(app)
    _invoke(app, "seed-demo", "--instance", "production")  # idempotent
    items = {n.procedure_key: n for n in db.session.scalars(select(Notification))}
    assert set(items) == {
        "ecommerce_derogation",
        "services_new_requirements",
        "services_requirement_changes",
        "services_case_derogation",
        "epc_requirements_notification",
        "epc_sample_documents_notification",
    }
    assert items["ecommerce_derogation"].state == S.NOTIFIED
    assert items["ecommerce_derogation"].replied_at is not None
    assert items["services_new_requirements"].assess_by is not None
    assert items["services_requirement_changes"].state == S.AWAITING_VALIDATION
    assert items["services_case_derogation"].measures_from is not None
    epc = items["epc_requirements_notification"]
    assert epc.state == S.ASSESSED and epc.record_ids
    assert db.session.get(RepositoryRecord, epc.record_ids[0]).procedure_key == "epc_requirements"
    sample = items["epc_sample_documents_notification"]
    record = db.session.get(RepositoryRecord, sample.record_ids[0])
    assert record.procedure_key == "epc_sample_documents" and record.country == "FR"
    # two desks: e-commerce at DG CNECT, the rest at DG GROW
    desks = {n.commission_authority.name for n in items.values() if n.commission_authority}
    assert len(desks) == 2
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
