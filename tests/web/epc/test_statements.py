"""The EPC pages' SQL statement counts do not grow with their rows: more documents,
timeline events and applications cost no more statements."""

from __future__ import annotations

from app.cases.epc import accounts, applications
from app.extensions import db
from tests.factories import count_statements, sign_in
from tests.web.epc.conftest import Upload, applicant_client, application_of
from tests.web.security.world import actor_of


def _grow(world, case, n: int) -> None:
    """n more documents on the application and n more events in its timeline."""
    added = accounts.add_documents(
        world.applicant, [Upload(f"d{i}.pdf", b"%PDF-1.4\n%%EOF\n") for i in range(n)]
    )
    db.session.commit()
    case.documents.extend(added)
    for _ in range(n):
        applications.LIFECYCLE.record(actor_of(world.home), case, "documents_added")
    db.session.commit()


def test_officer_pages_cost_the_same_with_more_rows(app, world):
    case = application_of(world.applicant, world)
    applications.act(actor_of(world.home), case, "acknowledge")
    client = app.test_client()
    sign_in(client, world.home)
    client.get(f"/epc-cases/{case.id}")  # caches filled once per process (the pinned pack)
    page, inbox = (
        count_statements(client, f"/epc-cases/{case.id}"),
        count_statements(client, "/epc-cases"),
    )
    _grow(world, case, 5)
    for _ in range(3):
        application_of(world.applicant, world)
    assert count_statements(client, f"/epc-cases/{case.id}") == page
    assert count_statements(client, "/epc-cases") == inbox


def test_applicant_pages_cost_the_same_with_more_rows(app, world):
    case = application_of(world.applicant, world)
    client = applicant_client(app, world.applicant)
    client.get(f"/epc/applications/{case.id}")
    page = count_statements(client, f"/epc/applications/{case.id}")
    account = count_statements(client, "/epc/account")
    _grow(world, case, 5)
    for _ in range(3):
        application_of(world.applicant, world)
    assert count_statements(client, f"/epc/applications/{case.id}") == page
    assert count_statements(client, "/epc/account") == account
