"""An EPC applicant deletes their account and documents (GDPR Art 17) once no
application of theirs is kept; while one is, the page says when the account goes."""

from __future__ import annotations

from sqlalchemy import select

from app.cases import attachments
from app.cases.epc import accounts
from app.extensions import db
from app.models import AuditEvent, EpcApplicant
from tests.factories import csrf_token
from tests.web.epc.conftest import Upload, applicant_client, application_of, visitor

URL = "/epc/account/delete"


def _delete(client):
    return client.post(URL, data={"csrf_token": csrf_token(client.get(URL))})


def test_an_applicant_without_applications_deletes_the_account_and_its_files(app, world):
    [document] = accounts.add_documents(world.other, [Upload("diploma.pdf", b"%PDF-1.4\n")])
    db.session.commit()
    stored, applicant_id = attachments.path_for(document.storage_name), world.other.id
    assert stored.exists()
    client = applicant_client(app, world.other)
    assert 'href="/epc/account/delete"' in client.get("/epc/account").get_data(True)

    response = _delete(client)

    assert response.status_code == 302 and response.location.endswith("/epc/sign-in")
    db.session.expire_all()
    assert db.session.get(EpcApplicant, applicant_id) is None
    assert not stored.exists()
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "epc_applicant.deleted"))
    # the session ended with the account
    assert client.get("/epc/account").status_code == 302


def test_an_account_whose_application_is_kept_is_not_deleted(app, world):
    application_of(world.applicant, world)
    client = applicant_client(app, world.applicant)

    page = client.get(URL).get_data(True)
    response = _delete(client)

    assert "Delete my account" not in page and "three years after" in page
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(EpcApplicant, world.applicant.id) is not None


def test_a_visitor_without_an_account_deletes_nothing(app, world):
    client = visitor(app)
    assert client.get(URL).status_code == 302  # to the sign-in page
    assert db.session.get(EpcApplicant, world.other.id) is not None
