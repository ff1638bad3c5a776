"""Data-subject reports: the exchanges naming a person, within the maker's reach, with
procedure, legal basis, authorities, dates and state; a purpose is required and kept in
the audit trail; the PDF lists the same and loads nothing from outside."""

from __future__ import annotations

import http.server
import io
import threading

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Request
from app.procedures import registry
from app.records.subject_report import render_report_pdf
from tests.factories import post_form, sign_in
from tests.web.security.world import build_world

PURPOSE = "Access request under Art. 15 GDPR, ref DPA-2026-17"


@pytest.fixture
def world(app):
    return build_world()


def _reference(world, key: str) -> str:
    return db.session.get(Request, world.ids[key]).reference


def _report(client, **data):
    return post_form(client, "/audit/subject", {"purpose": PURPOSE, **data})


def test_coordinator_finds_the_exchanges_of_its_country_by_folded_name(app, client, world):
    # Given Germany's coordinator
    sign_in(client, world.users["coordinator_de"])

    # When they report on "ÁDA exámple" (other case, other accents)
    response = _report(client, name="ÁDA exámple")

    # Then the request between authority A and Paris is listed with its procedure, legal
    # basis, both authorities and state; other people's requests are not
    assert response.status_code == 200
    body = response.get_data(True)
    pack = registry(app)["pq_good_standing"]
    assert _reference(world, "request_sent") in body
    assert pack.name in body and pack.legal_basis in body
    assert "Authority A Berlin (Germany)" in body and "Autorité de Paris (France)" in body
    assert '<td data-label="State">Sent</td>' in body
    assert _reference(world, "request_referred") not in body


def test_an_identifier_alone_finds_every_exchange_naming_it(client, world):
    sign_in(client, world.users["admin"])

    body = _report(client, identifier="01.01.1980").get_data(True)

    assert _reference(world, "request_sent") in body
    assert _reference(world, "request_referred") in body
    assert _reference(world, "request_draft") not in body  # a draft was never exchanged


def test_name_and_identifier_must_both_match(client, world):
    sign_in(client, world.users["admin"])

    body = _report(client, name="Ada Example", identifier="1975-05-05").get_data(True)

    assert "No exchange within your reach names this person." in body


def test_reach_coordinators_their_country_administrators_their_authority(client, world):
    foreign = _reference(world, "request_foreign")  # France - Italy
    sign_in(client, world.users["coordinator_de"])
    assert foreign not in _report(client, name="Signora Foreign Rossi").get_data(True)

    client.post("/sign-out", data={})
    other = client.application.test_client()
    sign_in(other, world.users["coordinator_fr"])
    assert foreign in _report(other, name="Signora Foreign Rossi").get_data(True)


@pytest.mark.parametrize("principal", ["viewer", "handler", "alert_handler"])
def test_officers_without_the_role_are_refused(client, world, principal):
    sign_in(client, world.users[principal])
    assert client.get("/audit/subject").status_code == 403
    assert client.post("/audit/subject", data={"name": "Ada"}).status_code in (400, 403)


def test_purpose_is_required_and_the_form_keeps_its_values(client, world):
    sign_in(client, world.users["admin"])

    response = post_form(client, "/audit/subject", {"name": "Ada Example", "purpose": " "})

    assert response.status_code == 400
    body = response.get_data(True)
    assert "Say why you make this report." in body and 'value="Ada Example"' in body
    assert "<title>Error:" in body


def test_the_purpose_must_not_name_the_person(client, world):
    sign_in(client, world.users["admin"])

    response = _report(client, name="Ada Example", purpose="Art. 15 request of ada example")

    assert response.status_code == 400
    assert "Do not name the person in the purpose" in response.get_data(True)
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.subject_report")
    ).all()


def test_the_report_is_audited_with_its_purpose_and_no_name(client, world):
    sign_in(client, world.users["coordinator_de"])

    _report(client, name="Ada Example")

    row = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.subject_report")
    ).one()
    assert row.actor_id == world.users["coordinator_de"].id
    assert row.details["purpose"] == PURPOSE
    assert row.details["ids"] == [f"request:{world.ids['request_sent']}"]
    assert row.details["by"] == ["name"] and row.details["output"] == "page"
    assert "Ada" not in str(row.details)


def test_administrators_reach_what_their_authority_sees(client, world):
    # Given a French record in the register of restrictions, which authority A reads, and
    # a French posting declaration A has no access to
    from app.models import RepositoryRecord

    shared = db.session.get(RepositoryRecord, world.ids["record_fr"]).reference
    unseen = db.session.get(RepositoryRecord, world.ids["record_foreign"]).reference
    sign_in(client, world.users["admin"])

    # When A's administrator reports on the names in them
    body = _report(client, name="Zoé Lefèvre").get_data(True)
    posting = _report(client, name="Secret Liaison").get_data(True)

    # Then the record A can read is listed, the declaration it cannot is not
    assert shared in body
    assert unseen not in posting


def test_an_exchange_without_a_date_is_listed_last(client, world):
    # Given three alerts naming the same birth date, one still awaiting validation (no
    # sent date yet)
    from app.models import Alert

    keys = ("alert_sent", "alert_commission", "alert_validating")
    sent, commission, validating = (db.session.get(Alert, world.ids[k]).reference for k in keys)
    sign_in(client, world.users["admin"])

    # When the administrator reports on that date
    response = _report(client, identifier="01.01.1970")

    # Then all three are listed, the undated one last (once a server error)
    assert response.status_code == 200
    body = response.get_data(True)
    assert body.index(validating) > max(body.index(sent), body.index(commission))


def test_pdf_lists_the_authorities_and_the_procedure(app, client, world):
    sign_in(client, world.users["coordinator_de"])

    response = _report(client, name="Ada Example", pdf="1")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    flat = " ".join(text.split())
    assert "Autorité de Paris" in flat and "Authority A Berlin" in flat
    assert registry(app)["pq_good_standing"].name in flat
    assert _reference(world, "request_sent") in flat
    assert PURPOSE in flat
    row = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.subject_report")
    ).one()
    assert row.details["output"] == "pdf"


def test_pdf_renderer_fetches_nothing_and_embeds_nothing(tmp_path):
    # Given a loopback server that counts requests, and a local file
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret.txt"
    secret.write_text("CANARY-FILE")
    url = f"http://127.0.0.1:{server.server_port}"
    html = f"""<html><head><link rel="stylesheet" href="{url}/a.css">
      <link rel="attachment" href="file://{secret}"></head>
      <body style="background: url({url}/b.png)"><img src="{url}/c.png">
      <a rel="attachment" href="file://{secret}">x</a><p>Report</p></body></html>"""

    # When it is rendered
    try:
        pdf = render_report_pdf(html)
    finally:
        server.shutdown()

    # Then nothing was fetched and nothing embedded
    assert pdf.startswith(b"%PDF")
    assert hits == []
    assert b"/EmbeddedFile" not in pdf and b"CANARY-FILE" not in pdf


def test_pages_parse_as_html_and_speak_the_users_language(client, world):
    import html5lib

    from tests.factories import csrf_token

    sign_in(client, world.users["coordinator_de"])
    token = csrf_token(client.get("/audit/subject"))
    client.post("/language", data={"language": "de", "csrf_token": token})

    for response in (
        client.get("/audit", query_string={"since": "2020-01-01"}),
        _report(client, name="Ada Example"),
    ):
        assert response.status_code == 200
        html5lib.HTMLParser(strict=True).parse(response.get_data(True))
    assert "Auskunftsbericht zur betroffenen Person" in response.get_data(True)
    assert "Autorité de Paris (Frankreich)" in response.get_data(True)


# --- completeness (security review, issue 14): a name anywhere the reporter may see ---------


def _request_naming(world, *, subject: str, message: str = "Please confirm.") -> Request:
    """A request from a Polish authority to authority A (Germany answers)."""
    from app.cases import requests
    from app.models import ProcedureAccess
    from tests.factories import make_authority, make_user
    from tests.web.security.world import actor_of

    warsaw = make_authority("PL", name="Naczelna Izba Pielęgniarek")
    db.session.add(
        ProcedureAccess(
            authority_id=warsaw.id, procedure_key="pq_good_standing", roles=["requester"]
        )
    )
    db.session.commit()
    polish = actor_of(make_user(warsaw, ["handler"]))
    item = requests.save_draft(
        polish,
        requests.Draft(
            "pq_good_standing",
            world.ids["authority_a"],
            subject,
            message,
            ["legally_established"],
            {"profession": "Nurse", "date_of_birth": "1990-01-01"},
        ),
    )
    requests.send(polish, item)
    return item


def test_completeness_report_finds_a_name_followed_by_punctuation_in_the_subject(client, world):
    # Given the demo's request: Poland asks Germany about "Anna Kowalska, nurse, ..."
    item = _request_naming(world, subject="Anna Kowalska, nurse, born 1988-07-02")
    sign_in(client, world.users["coordinator_de"])

    # When Germany's coordinator reports on her, by name and by birth date
    by_name = _report(client, name="Anna Kowalska").get_data(True)
    by_date = _report(client, identifier="02.07.1988").get_data(True)
    both = _report(client, name="anna KOWALSKA", identifier="1988-07-02").get_data(True)
    other = _report(client, name="Anna Kowal").get_data(True)

    # Then the request is found each time, and a part of the name finds nothing
    assert item.reference in by_name and item.reference in by_date and item.reference in both
    assert item.reference not in other


@pytest.mark.parametrize("place", ["message", "timeline", "alert_comment"])
def test_completeness_report_finds_a_name_in_free_text(client, world, place):
    from app.cases import alerts, requests
    from app.models import Alert
    from tests.web.security.world import actor_of

    name = "Ewa Zielińska"
    if place == "message":
        reference = _request_naming(
            world,
            subject="Good standing of a nurse",
            message=f"Concerns {name} (PESEL 90010112345).",
        ).reference
    elif place == "timeline":
        item = _request_naming(world, subject="Good standing of a nurse")
        requests.refer(actor_of(world.users["handler"]), item, f"{name} moved to Austria.")
        reference = item.reference
    else:
        alert = db.session.get(Alert, world.ids["alert_sent"])
        alerts.comment(
            actor_of(world.users["alert_handler"]), alert, f"{name} also practised here."
        )
        reference = alert.reference
    sign_in(client, world.users["coordinator_de"])

    body = _report(client, name="EWA zielinska").get_data(True)

    assert reference in body
    if place == "message":
        assert reference in _report(client, identifier="90010112345").get_data(True)
