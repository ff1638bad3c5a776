"""Attachments: type by content, size limit, random storage names, download headers,
and only the two authorities reach them."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

from app.extensions import db
from app.models import Attachment
from tests.web.requests.conftest import as_user, compose, only_request, submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def upload(client, item, name: str, data: bytes):
    return submit(
        client,
        f"/requests/{item.id}",
        f"/requests/{item.id}/attachments",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_pdf_is_stored_under_a_random_name_and_downloaded_as_a_file(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    assert upload(requester, item, "../../diplôme Dupont.pdf", PDF).status_code == 302
    attachment = db.session.query(Attachment).one()
    assert attachment.filename == "diplôme Dupont.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    stored = Path(app.config["UPLOAD_DIR"]) / "attachments" / attachment.storage_name[:2]
    assert (stored / attachment.storage_name).read_bytes() == PDF
    assert "Dupont" not in attachment.storage_name
    # the responder downloads it, as an attachment that the browser must not sniff
    handler = as_user(app, people.handler)
    response = handler.get(f"/requests/{item.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"


def test_type_is_read_from_the_content_not_the_name(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    # an executable named .pdf, and HTML named .txt, are refused
    assert upload(requester, item, "diploma.pdf", b"MZ\x90\x00" + b"\x00" * 60).status_code == 400
    assert upload(requester, item, "note.txt", b"<html>\x00<script>").status_code == 400
    # a PNG named .pdf is accepted as what it is
    assert upload(requester, item, "scan.pdf", PNG).status_code == 302
    assert db.session.query(Attachment).one().content_type == "image/png"


def test_too_large_and_empty_files_are_refused_with_a_message(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    limit = app.config["ATTACHMENT_MAX_BYTES"]
    app.config["ATTACHMENT_MAX_BYTES"] = 1000
    try:
        response = upload(requester, item, "big.txt", b"a" * 1001)
        assert response.status_code == 400
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = limit
    assert upload(requester, item, "empty.txt", b"").status_code == 400
    assert db.session.query(Attachment).count() == 0


def test_other_authorities_never_reach_a_file(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    upload(requester, item, "diploma.pdf", PDF)
    attachment = db.session.query(Attachment).one()
    url = f"/requests/{item.id}/attachments/{attachment.id}"
    clients = {
        u.id: as_user(app, u) for u in (people.italian, people.austrian, people.coordinator_fr)
    }
    for client in clients.values():
        assert client.get(url).status_code == 404
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404
    # an attachment id under another request's URL is not found either
    compose(clients[people.italian.id], paris.id)
    other = db.session.query(type(item)).order_by(type(item).id.desc()).first()
    assert (
        as_user(app, people.handler)
        .get(f"/requests/{other.id}/attachments/{attachment.id}")
        .status_code
        == 404
    )
