"""Every officer read of an EPC application is in the audit trail
(tests/web/security/test_read_audit.py lists these routes as audited here): the list, the
case page, a document."""

from __future__ import annotations

from sqlalchemy import func, select

from app.cases.epc import applications
from app.extensions import db
from app.models import AuditEvent
from tests.factories import sign_in
from tests.web.epc.conftest import application_of
from tests.web.security.world import actor_of


def _last() -> int:
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def _rows_after(last: int) -> list[tuple[str, str, int | None]]:
    db.session.expire_all()
    return [
        (e.action, e.object_id, e.actor_id)
        for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id)
        )
    ]


def test_the_officers_reads_of_an_application_are_audited(app, world):
    case = application_of(world.applicant, world)
    applications.act(actor_of(world.home), case, "acknowledge")
    document = case.documents[0]
    client = app.test_client()
    sign_in(client, world.home)
    for url, action, object_id in (
        ("/epc-cases", "epc_application.list_viewed", ""),
        (f"/epc-cases/{case.id}", "epc_application.viewed", str(case.id)),
        (
            f"/epc-cases/{case.id}/documents/{document.id}",
            "epc_application.document_downloaded",
            str(case.id),
        ),
    ):
        last = _last()
        assert client.get(url).status_code == 200, url
        assert (action, object_id, world.home.id) in _rows_after(last), url
