"""The EPC end to end through HTTP: an applicant registers, keeps documents, applies; the
home authority acknowledges and transfers; the host issues; anyone verifies the card; a
later application re-uses the documents; a revoked card shows as not valid."""

from __future__ import annotations

import io
import re

from app.extensions import db
from app.models import EpcApplicant, EpcApplication, EpcState
from tests.factories import csrf_token, post_form, sign_in
from tests.web.epc.conftest import DETAILS, applicant_client, visitor


def _form(page_text: str) -> dict:
    return {
        "csrf_token": re.search(
            r'name="csrf_token" type="hidden" value="([^"]+)"', page_text
        ).group(1)
    }


def test_registration_confirms_the_address_before_the_account_signs_in(app, world, smtp_server):
    from app.models import OutboxMessage

    client = visitor(app)
    account = {"email": "marta@example.org", "password": "amber kettle orbit 77"}
    response = post_form(client, "/epc/register", {"full_name": "Marta Kowalska", **account})
    assert response.status_code == 200
    applicant = db.session.query(EpcApplicant).filter_by(email="marta@example.org").one()
    assert applicant.confirmed_at is None and applicant.confirm_hash
    # not confirmed yet: signing in fails
    assert post_form(client, "/epc/sign-in", account).status_code == 400
    body = db.session.query(OutboxMessage).filter_by(recipient="marta@example.org").one().body
    link = re.search(r"http://localhost(/epc/confirm/\S+)", body).group(1)
    assert client.get(link).status_code == 302
    assert client.get(link).status_code == 404  # used once
    done = post_form(client, "/epc/sign-in", account)
    assert done.status_code == 302 and done.location.endswith("/epc/account")


def test_application_to_issued_card_and_verification(app, world):
    applicant = applicant_client(app, world.applicant)
    # given documents kept in the account
    page = applicant.get("/epc/account")
    response = applicant.post(
        "/epc/documents",
        data={
            "csrf_token": csrf_token(page),
            "documents": [(io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "diploma.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    document = world.applicant.documents[0]
    # when the applicant applies with it
    fields = {f"field-{k}": v for k, v in DETAILS.items() if k != "date_of_birth"}
    fields.update(
        {
            "field-date_of_birth-day": "12",
            "field-date_of_birth-month": "3",
            "field-date_of_birth-year": "1990",
        }
    )
    page = applicant.get("/epc/apply")
    response = applicant.post(
        "/epc/apply",
        data={
            "csrf_token": csrf_token(page),
            "home_country": "ES",
            "host_country": "FR",
            "documents": [str(document.id)],
            **fields,
        },
    )
    assert response.status_code == 302, response.get_data(True)
    case = db.session.query(EpcApplication).one()
    assert case.state == EpcState.SUBMITTED and case.documents == [document]
    assert case.home_authority_id == world.madrid.id and case.host_authority_id == world.paris.id
    # the home authority acknowledges (no missing document) and transfers
    home = app.test_client()
    sign_in(home, world.home)
    page = home.get(f"/epc-cases/{case.id}").get_data(True)
    assert "One calendar week" in page or "calendar week" in page
    token = csrf_token(home.get(f"/epc-cases/{case.id}"))
    assert (
        home.post(f"/epc-cases/{case.id}/acknowledge", data={"csrf_token": token}).status_code
        == 302
    )
    token = csrf_token(home.get(f"/epc-cases/{case.id}"))
    assert (
        home.post(f"/epc-cases/{case.id}/transfer", data={"csrf_token": token}).status_code == 302
    )
    db.session.refresh(case)
    assert case.state == EpcState.TRANSFERRED and case.host_due is not None
    # the host sees its period explained, and issues the card
    host = app.test_client()
    sign_in(host, world.host)
    page = host.get(f"/epc-cases/{case.id}").get_data(True)
    assert "Article 4d(2)" in page and "calendar month" in page
    token = csrf_token(host.get(f"/epc-cases/{case.id}"))
    assert host.post(f"/epc-cases/{case.id}/issue", data={"csrf_token": token}).status_code == 302
    db.session.refresh(case)
    assert case.state == EpcState.ISSUED and case.card_code and not case.tacit
    # the applicant downloads the certificate
    pdf = applicant.get(f"/epc/applications/{case.id}/certificate.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    page = applicant.get(f"/epc/applications/{case.id}").get_data(True)
    code = re.search(r"<code>([A-Z0-9-]+)</code>", page).group(1)
    # an employer checks it with the holder's identity number
    employer = visitor(app)
    found = employer.get(f"/epc/verify?code={code}&identity=12345678-z").get_data(True)
    assert "This card is valid" in found and "García López, Ana" in found
    assert "1990" not in found and "Sevilla" not in found  # nothing beyond what the card states
    # a wrong number tells nothing
    wrong = employer.get(f"/epc/verify?code={code}&identity=X999").get_data(True)
    assert "No card matches" in wrong and "García" not in wrong
    # a revoked card shows as not valid
    token = csrf_token(host.get(f"/epc-cases/{case.id}"))
    assert (
        host.post(
            f"/epc-cases/{case.id}/revoke",
            data={"csrf_token": token, "text": "Struck off the register."},
        ).status_code
        == 302
    )
    found = employer.get(f"/epc/verify?code={code}&identity=12345678Z").get_data(True)
    assert "This card is not valid" in found and "Card revoked" in found


def test_a_later_application_reuses_the_documents_of_the_account(app, world):
    from tests.web.epc.conftest import application_of

    first = application_of(world.applicant, world)
    client = applicant_client(app, world.applicant)
    page = client.get("/epc/apply").get_data(True)
    # the document of the first application is offered again, without uploading it
    document = first.documents[0]
    assert f'value="{document.id}"' in page and "diploma.pdf" in page


def test_the_verification_page_is_rate_limited(app, world):
    from app.accounts.ratelimit import RULES

    employer = visitor(app)
    statuses = [
        employer.get("/epc/verify?code=AAAA-BBBB-CCCC&identity=1").status_code
        for _ in range(RULES["epc.verify"].limit + 1)
    ]
    assert statuses[:-1] == [200] * RULES["epc.verify"].limit and statuses[-1] == 429
