"""Issue 17: compression leaves downloads alone. An attachment, compressible or not, goes
out byte for byte with its own headers, whatever the browser accepts."""

from __future__ import annotations

import io

import pytest

from app.extensions import db
from app.models import Attachment
from tests.web.requests.conftest import as_user, compose, only_request, submit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"0" * 2000
TEXT = ("Zeugnis der Berufszulassung, Seite 1.\n" * 100).encode()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [("diploma.pdf", PDF, "application/pdf"), ("note.txt", TEXT, "text/plain")],
)
def test_an_attachment_is_downloaded_byte_identical(app, people, name, data, content_type):
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id)
    item = only_request()
    upload = submit(
        requester,
        f"/requests/{item.id}",
        f"/requests/{item.id}/attachments",
        {"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 302
    attachment = db.session.query(Attachment).one()
    url = f"/requests/{item.id}/attachments/{attachment.id}"
    handler = as_user(app, people.handler)

    plain = handler.get(url)
    response = handler.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})

    assert response.status_code == 200 and response.mimetype == content_type
    assert "Content-Encoding" not in response.headers
    assert response.get_data() == data
    for header in ("Content-Disposition", "Content-Length", "ETag", "Cache-Control"):
        assert response.headers.get(header) == plain.headers.get(header), header
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "Accept-Encoding" not in response.headers.get("Vary", "")
