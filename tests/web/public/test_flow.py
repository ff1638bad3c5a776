"""A complaint submitted, confirmed, routed, answered and followed through the link."""

from __future__ import annotations

import hashlib
import io

from app.extensions import db
from app.models import AuditEvent, PublicCaseState
from tests.factories import csrf_token, said, summary_links
from tests.web.public.conftest import (
    EMAIL,
    confirm_case,
    only_case,
    pdf,
    submit_case,
    tracking_path,
    visitor,
)
from tests.web.requests.conftest import as_user


def test_the_start_page_offers_only_countries_with_a_competent_authority(app, people):
    page = visitor(app).get("/public/").get_data(True)
    assert "SOLVIT complaint" in page
    assert 'value="FR"' in page and 'value="DE"' in page
    assert 'value="IT"' not in page
    assert visitor(app).get("/public/solvit_complaint/IT/new").status_code == 404


def test_the_country_starts_unchosen_and_must_be_chosen(app, people):
    client = visitor(app)
    page = client.get("/public/").get_data(True)
    # SOLVIT asks for the applicant's own country: its SOLVIT centre is the home centre
    assert "Which country do you live in or, for a business, is it established in?" in page
    select = page.split('id="country-solvit_complaint"')[1].split("</select>")[0]
    assert select.split("<option")[1].startswith(' value="">Choose</option>')
    assert " selected" not in select
    response = client.get("/public/start?procedure=solvit_complaint&country=")
    assert response.status_code == 400
    page = response.get_data(True)
    assert ("country-solvit_complaint", "Choose a country.") in summary_links(page)
    assert 'id="country-solvit_complaint-error"' in page
    start = client.get("/public/start?procedure=solvit_complaint&country=FR")
    assert start.status_code == 302 and start.location.endswith("/solvit_complaint/FR/new")


def test_a_complaint_is_confirmed_routed_answered_and_followed(app, people, smtp_server):
    client = visitor(app)
    response = submit_case(client, files=[pdf()])
    assert response.status_code == 302 and response.headers["Location"].endswith("/public/sent")
    case = only_case()
    assert case.state == PublicCaseState.UNCONFIRMED
    # routed to the first competent authority of France by name
    assert case.authority_id == people.authorities["lyon"].id
    assert case.reference.startswith("PUB-") and len(case.reference) == 14
    # an unconfirmed case is not in the officers' inbox yet
    officer = as_user(app, people.handler)
    assert case.reference not in officer.get("/public-cases").get_data(True)

    path = confirm_case(client, smtp_server)
    case = only_case()
    assert case.state == PublicCaseState.SUBMITTED
    token = path.rsplit("/", 1)[-1]
    assert case.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(case.__dict__)
    # the officer is told, without details
    notice = smtp_server.to("claire@lyon.example.eu")[-1].get_payload(decode=True).decode()
    assert case.reference in notice and "Kowalski" not in notice

    inbox = officer.get("/public-cases").get_data(True)
    assert case.reference in inbox
    page = officer.get(f"/public-cases/{case.id}").get_data(True)
    assert "Jan Kowalski" in page and "Préfecture du Rhône" in page
    assert db.session.query(AuditEvent).filter_by(action="public_case.viewed").count() == 1
    document = case.documents[0]
    download = officer.get(f"/public-cases/{case.id}/documents/{document.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")

    # the officer asks for information: the submitter gets a (new) link
    page = officer.get(f"/public-cases/{case.id}")
    response = officer.post(
        f"/public-cases/{case.id}/ask",
        data={"csrf_token": csrf_token(page), "text": "Please send the decision of refusal."},
    )
    assert response.status_code == 302
    assert only_case().state == PublicCaseState.AWAITING_SUBMITTER
    new_path = tracking_path(smtp_server)
    assert new_path != path
    assert client.get(path).status_code == 404  # the older link no longer works
    page = client.get(new_path)
    assert "Please send the decision of refusal." in page.get_data(True)

    # the submitter answers with a document
    response = client.post(
        new_path + "/reply",
        data={
            "csrf_token": csrf_token(page),
            "text": "Here is the decision.",
            "documents": [pdf("refusal.pdf")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(True)
    assert "Your message has been sent" in client.get(new_path).get_data(True)
    case = only_case()
    assert case.state == PublicCaseState.IN_PROGRESS and len(case.documents) == 2
    assert "Here is the decision." in officer.get(f"/public-cases/{case.id}").get_data(True)
    # the submitter downloads their document through the link
    assert client.get(f"{new_path}/documents/{case.documents[1].id}").status_code == 200

    # the officer replies with a document only; the submitter downloads it by the link
    page = officer.get(f"/public-cases/{case.id}")
    response = officer.post(
        f"/public-cases/{case.id}/reply",
        data={"csrf_token": csrf_token(page), "text": "", "documents": [pdf("decision.pdf")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(True)
    letter = next(d for d in only_case().documents if d.filename == "decision.pdf")
    assert letter.uploaded_by_id == people.handler.id
    link = tracking_path(smtp_server)
    assert "decision.pdf" in client.get(link).get_data(True)
    assert client.get(f"{link}/documents/{letter.id}").data.startswith(b"%PDF")

    # the officer replies and closes
    page = officer.get(f"/public-cases/{case.id}")
    officer.post(
        f"/public-cases/{case.id}/close",
        data={
            "csrf_token": csrf_token(page),
            "text": "A court decides on it.",
            "outcome": "not_within_scope",
        },
    )
    assert only_case().state == PublicCaseState.CLOSED
    final = client.get(tracking_path(smtp_server)).get_data(True)
    assert "Closed" in final and "Write to the authority" not in final


def test_field_errors_keep_what_was_typed(app, people, smtp_server):
    # Given a visitor leaving a required question unanswered and typing a wrong date
    client = visitor(app)
    date = {"field-decision_date-day": "12", "field-decision_date-year": "2026"}
    typed = {"field-court_action": "", "email": "not-an-address", **date}
    response = submit_case(client, **typed)
    # Then nothing is submitted; each problem is linked from the summary
    assert response.status_code == 400
    assert only_case() is None and smtp_server.messages == []
    page = response.get_data(True)
    assert "There is a problem" in page
    links = summary_links(page)
    decision = "Date of the decision or of the event you complain about"
    court = (
        "Have you, or has anyone on your behalf, started legal proceedings before a court"
        " about this problem?"
    )
    assert links[1:] == [
        ("field-decision_date-month", said("%(field)s must include a month", "en", field=decision)),
        ("field-court_action-yes", said("Select %(field)s", "en", field=court)),
    ]
    # and everything typed is kept
    assert "My diploma of nurse was not recognised" in page
    assert "Préfecture du Rhône" in page
    assert 'name="field-decision_date-day" value="12">' in page
    assert 'name="field-applicant_type" value="citizen" checked>' in page


def test_documents_are_limited_in_number_and_type(app, people):
    client = visitor(app)
    response = submit_case(client, files=[pdf(f"d{i}.pdf") for i in range(6)])
    assert response.status_code == 400 and "at most 5 documents" in response.get_data(True)
    response = submit_case(client, files=[(__import__("io").BytesIO(b"\x00\x01MZ"), "x.exe")])
    assert response.status_code == 400 and "not accepted" in response.get_data(True)
    assert only_case() is None


def test_too_long_a_description_is_refused(app, people):
    response = submit_case(visitor(app), description="x" * 10001)
    assert response.status_code == 400 and only_case() is None


def test_submitting_is_rate_limited_and_keeps_the_text(app, people):
    client = visitor(app)
    for _ in range(10):
        assert submit_case(client, **{"field-court_action": ""}).status_code == 400
    response = submit_case(client, description="Kept text of the complaint")
    assert response.status_code == 429
    assert "Kept text of the complaint" in response.get_data(True)
    assert only_case() is None


def test_wrong_and_expired_links_show_a_clear_page(app, people, smtp_server):
    client = visitor(app)
    for path in ("/public/case/nonsense", "/public/confirm/nonsense", "/public/case/" + "a" * 22):
        response = client.get(path)
        assert response.status_code == 404
        assert "This link is not valid" in response.get_data(True)
    submit_case(client)
    case = only_case()
    from datetime import timedelta

    from app.models.base import utcnow

    case.confirm_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    link = smtp_server.link_in(EMAIL, r"https?://\S+/public/confirm/\S+")
    assert visitor(app).get(link).status_code == 404


def test_a_confirmation_link_works_once_and_a_get_does_not_confirm(app, people, smtp_server):
    client = visitor(app)
    submit_case(client)
    link = smtp_server.link_in(EMAIL, r"https?://\S+/public/confirm/\S+")
    client.get(link)
    assert only_case().state == PublicCaseState.UNCONFIRMED
    confirm_case(client, smtp_server)
    assert client.get(link).status_code == 404


def test_lost_link_answers_the_same_whether_or_not_the_address_exists(app, people, smtp_server):
    client = visitor(app)
    submit_case(client)
    path = confirm_case(client, smtp_server)
    answers = []
    for email in (EMAIL, "nobody@example.org"):
        page = client.get("/public/lost-link")
        response = client.post(
            "/public/lost-link", data={"csrf_token": csrf_token(page), "email": email}
        )
        # the CSRF token carries the second it was made in: not part of the answer
        body = response.get_data(True).replace(csrf_token(response), "TOKEN")
        answers.append((response.status_code, body))
    assert answers[0] == answers[1]
    assert smtp_server.to("nobody@example.org") == []
    new_path = tracking_path(smtp_server)
    assert new_path != path and client.get(new_path).status_code == 200


def test_the_countries_are_named_in_the_visitors_language(app, people):
    page = visitor(app).get("/public/", headers={"Accept-Language": "de"}).get_data(True)
    assert "Frankreich" in page and "Deutschland" in page


def test_an_officer_document_of_a_refused_type_keeps_the_message(app, people, smtp_server):
    client = visitor(app)
    submit_case(client)
    confirm_case(client, smtp_server)
    case = only_case()
    officer = as_user(app, people.handler)
    page = officer.get(f"/public-cases/{case.id}")
    response = officer.post(
        f"/public-cases/{case.id}/reply",
        data={
            "csrf_token": csrf_token(page),
            "text": "Our decision is attached.",
            "documents": [(io.BytesIO(b"MZ\x90\x00binary"), "decision.exe")],
        },
        content_type="multipart/form-data",
    )
    body = response.get_data(True)
    assert response.status_code == 400
    assert "Our decision is attached." in body  # kept, in the officer's language (French)
    assert "Ce type de fichier n&#39;est pas accepté" in body
    assert only_case().documents == [] and only_case().state == PublicCaseState.SUBMITTED


def test_a_case_goes_to_the_countrys_first_active_responder_by_name(app, people):
    # Given France's responders Lyon ("Centre SOLVIT France (Lyon)") and Paris, and
    # authorities that come first by name but may not take it: one suspended, one that
    # only asks, one of another country, and a Belgian one, suspended
    from app.cases.public.routing import competent_authority, countries_for
    from app.models import AuthorityStatus
    from tests.factories import make_authority
    from tests.web.public.conftest import PROCEDURE, grant

    suspended = make_authority("FR", name="A SOLVIT suspended")
    grant(suspended, ["responder"])
    asking = make_authority("FR", name="B SOLVIT that only asks")
    grant(asking, ["requester"])
    grant(make_authority("IT", name="SOLVIT Italia"), ["requester"])  # asks only
    belgian = make_authority("BE", name="SOLVIT Belgique")
    grant(belgian, ["responder"])
    grant(make_authority("DE", name="Aachen SOLVIT"), ["responder"])  # first, but German
    for authority in (suspended, belgian):
        authority.status = AuthorityStatus.SUSPENDED
    db.session.commit()

    # Then the French case goes to Lyon, first by name of those that may answer, and
    # only the countries with one are offered
    assert competent_authority(PROCEDURE, "FR").id == people.authorities["lyon"].id
    assert competent_authority(PROCEDURE, "BE") is None
    assert countries_for(PROCEDURE) == ["DE", "FR"]
