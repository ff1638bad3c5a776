"""PDF-1 / XSS-1 for PDFs: free text with markup that would make WeasyPrint fetch URLs or
embed local files, in every text field of every kind of case, is printed as text; no
request reaches a loopback server, nothing is embedded, no local file leaks."""

from __future__ import annotations

import http.server
import re
import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    Alert,
    AlertEvent,
    Attachment,
    PublicCase,
    PublicCaseEvent,
    PublicDocument,
    RepositoryRecord,
    RepositoryRecordVersion,
    Request,
    RequestEvent,
    RequestQuestion,
)
from app.records import pdf_render
from tests.factories import sign_in
from tests.web.pdf.conftest import page_texts, read_pdf
from tests.web.security.world import build_world

PASSWD_CANARY = "root:x:0:0"


class CountingServer:
    """A real HTTP server on loopback that counts every request it gets."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback():
    with CountingServer() as server:
        yield server


def payload(port: int) -> str:
    base = f"http://127.0.0.1:{port}"
    return (
        f'"><img src="{base}/img"><style>@import url({base}/import.css);'
        f"body {{ background: url({base}/bg) }}</style>"
        f'<a rel="attachment" href="file:///etc/passwd">passwd</a>'
        f'<link rel="attachment" href="file:///etc/passwd">'
        f'<link rel="stylesheet" href="{base}/sheet.css">'
        f"<object data='{base}/object'></object>"
    )


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _assert_harmless(data: bytes, loopback: CountingServer) -> str:
    assert loopback.hits == []
    assert b"/EmbeddedFiles" not in data and b"/Filespec" not in data
    reader = read_pdf(data)
    assert "/Names" not in reader.trailer["/Root"] or (
        "/EmbeddedFiles" not in reader.trailer["/Root"]["/Names"]
    )
    text = " ".join(page_texts(reader))
    assert PASSWD_CANARY not in text
    return text


def test_the_renderer_fetches_nothing_even_from_raw_markup(app, loopback):
    # Given HTML where the markup was NOT escaped (as if a template had failed)
    html = (
        "<!doctype html><html lang='en'><head><title>x</title>"
        f"<link rel='stylesheet' href='http://127.0.0.1:{loopback.port}/head.css'></head>"
        f"<body><p>before</p>{payload(loopback.port)}"
        "<img src='file:///etc/passwd'><img src='https://pdf.invalid/static/../../../etc/passwd'>"
        "<img src='https://pdf.invalid/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd'>"
        "<p>after</p></body></html>"
    )

    # When WeasyPrint renders it through our renderer
    data = pdf_render.render(html)

    # Then no URL was fetched, no file embedded, and the document still rendered
    text = _assert_harmless(data, loopback)
    assert "before" in text and "after" in text


def test_the_fetcher_serves_only_static_files():
    fetcher = pdf_render.StaticOnlyFetcher()
    font = fetcher.fetch("https://pdf.invalid/static/fonts/DejaVuSans.ttf")
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://pdf.invalid/static/../../app/config.py",
        "https://pdf.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://pdf.invalid/static/js/openimi.js",
        "https://pdf.invalid/etc/passwd",
        "https://example.org/static/fonts/DejaVuSans.ttf",
        "ftp://127.0.0.1/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def _poison(world, text: str) -> None:
    """Put the payload into every free-text field of every case of the world."""
    for item in db.session.scalars(select(Request)):
        item.subject, item.message = text[:300], text
        item.details = {key: text for key in item.details}
    for model in (RequestEvent, AlertEvent, PublicCaseEvent):
        for event in db.session.scalars(select(model)):
            event.text = text
    for question in db.session.scalars(select(RequestQuestion)):
        question.comment = text
    for model in (Attachment, PublicDocument):
        for row in db.session.scalars(select(model)):
            row.filename = text[:255]
    for alert in db.session.scalars(select(Alert)):
        alert.message, alert.withdrawal_reason = text, text
        alert.fields = {key: text for key in alert.fields}
    for record in db.session.scalars(select(RepositoryRecord)):
        record.fields = {key: text for key in record.fields}
    for version in db.session.scalars(select(RepositoryRecordVersion)):
        version.note = text
    for case in db.session.scalars(select(PublicCase)):
        case.description, case.submitter_name = text, text[:200]
        case.details = {key: text for key in case.details}
    db.session.commit()


@pytest.mark.parametrize(
    "url", ["request/{request_sent}", "alert/{alert_sent}", "repository_record/{record_own}",
            "public_case/{public_case}"],
)  # fmt: skip
def test_hostile_free_text_in_every_field_is_printed_as_text(app, client, loopback, url):
    # Given every text field of the world's cases holds markup pointing at a loopback
    # server and at /etc/passwd
    world = build_world()
    text = payload(loopback.port)
    _poison(world, text)
    sign_in(client, world.users["handler"])

    # When the officer downloads the case as PDF
    response = client.get(f"/pdf/{world.url(url)}")

    # Then the markup appears as literal text, and nothing was fetched or embedded
    assert response.status_code == 200
    printed = _assert_harmless(response.data, loopback)
    assert _squeezed(f'<img src="http://127.0.0.1:{loopback.port}/img">') in _squeezed(printed)
    assert _squeezed('<a rel="attachment" href="file:///etc/passwd">') in _squeezed(printed)


def test_a_page_label_cannot_leave_its_css_string():
    # Given a translated "Page X of Y" that tries to close its string and add rules
    label = f'"; }} @import url(http://127.0.0.1:9/x.css); p {{ content: "{pdf_render.PAGE}'

    css = pdf_render.page_numbers_css(label)

    # Then it stays one string and the counter; nothing else becomes CSS
    assert css.count('"') == 2 and "url(" not in css and css.count("{") == 2
    assert "counter(page)" in css
