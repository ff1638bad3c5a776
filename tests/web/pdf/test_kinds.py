"""Alerts, repository records and public cases as PDF, and the training watermark."""

from __future__ import annotations

import hashlib

from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, PublicCase, Request
from app.records import pdf
from tests.factories import sign_in
from tests.web.pdf.conftest import CODE, page_texts, read_pdf
from tests.web.security.world import build_world


def test_alerts_records_and_public_cases_print_their_header_history_and_files(app, client):
    # Given the officers' world, and a handler of authority A signed in
    world = build_world()
    sign_in(client, world.users["handler"])
    case = db.session.get(PublicCase, world.ids["public_case"])
    document = case.documents[0]

    # When they download an alert, a repository record and a public case as PDF, with
    # their audit extracts
    texts = {}
    for kind, key in (
        ("alert", "alert_sent"),
        ("repository_record", "record_own"),
        ("public_case", "public_case"),
    ):
        response = client.get(f"/pdf/{kind}/{world.ids[key]}?audit=1")
        assert response.status_code == 200, kind
        texts[kind] = " ".join(page_texts(read_pdf(response.data)))

    # Then each carries its own header, history and files, and each export is audited
    assert "Dr. Alert Sent was struck off the register." in texts["alert"]
    assert "Sending authority" in texts["alert"] and "History" in texts["alert"]
    assert "Authority A Berlin" in texts["repository_record"]
    assert "Version 1" in texts["repository_record"]
    assert case.reference in texts["public_case"]
    assert "A complaint about a refused registration." in texts["public_case"]
    assert document.filename in texts["public_case"]
    assert document.sha256 == hashlib.sha256(b"%PDF-1.4\n%%EOF\n").hexdigest()
    assert document.sha256 in texts["public_case"].replace(" ", "")
    # ... every step and every audited action in words, never as a code
    for kind, text in texts.items():
        assert "Annex: audit extract" in text and "PDF record made" in text, kind
        assert CODE.findall(text) == [], kind
    audited = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("%.pdf_exported"))
    ).all()
    assert sorted(audited) == [
        "alert.pdf_exported",
        "public_case.pdf_exported",
        "repository_record.pdf_exported",
        "request.pdf_exported",  # the world's own prepared export
    ]


def _request_pdf_text() -> str:
    world = build_world()
    item = db.session.get(Request, world.ids["request_sent"])
    with force_locale("en"):
        return page_texts(read_pdf(pdf.render_pdf("request", item, item.requester_authority)))


def test_the_training_instance_marks_every_page(app, training_app):
    # Given the same case in production and in the training instance
    production_pages = _request_pdf_text()
    with training_app.app_context():
        training_pages = _request_pdf_text()
        db.session.remove()

    # Then only the training PDF says so, on every page
    assert all("TRAINING INSTANCE" in page for page in training_pages)
    assert not any("TRAINING" in page for page in production_pages)
