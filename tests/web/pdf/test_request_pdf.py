"""A request's PDF: its content in the reader's language, archival and accessible
structure, the fonts it carries, and who may have it."""

from __future__ import annotations

import re

from pypdf.generic import IndirectObject
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from tests.web.pdf.conftest import (
    BULGARIAN,
    GREEK,
    MACHINE,
    add_machine_translation,
    as_user,
    make_request,
    page_texts,
    read_pdf,
)


def _resolved(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def _font_files(reader) -> tuple[set[str], set[str]]:
    """The fonts of every page, and those that carry an embedded TrueType program."""
    names, embedded = set(), set()
    for page in reader.pages:
        fonts = _resolved(_resolved(page["/Resources"]).get("/Font", {}))
        for ref in fonts.values():
            font = _resolved(ref)
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descriptor = _resolved(_resolved(descendant)["/FontDescriptor"])
                if "/FontFile2" in descriptor:
                    embedded.add(str(font["/BaseFont"]))
    return names, embedded


def test_a_request_pdf_holds_the_case_in_the_readers_language(app, people):
    # Given a request with Greek and Bulgarian free text, long enough for several pages,
    # and a machine translation of the Greek into English
    people.requester.language = "en"
    db.session.commit()
    requester = as_user(app, people.requester)
    item = make_request(
        app,
        people,
        message=" ".join([GREEK] * 60),
        events=[(BULGARIAN, "bg")] * 3,
        requester=requester,
    )
    add_machine_translation(item)

    # When the requester downloads its PDF
    response = requester.get(f"/pdf/request/{item.id}")

    # Then it is a PDF, handed over as a file named after the reference, never cached
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == f'attachment; filename="{item.reference}.pdf"'
    assert response.headers["Cache-Control"] == "no-store"
    reader = read_pdf(response.data)
    pages = page_texts(reader)
    assert len(pages) >= 2
    # the reference and "Page X of Y" on every page
    for number, text in enumerate(pages, start=1):
        assert item.reference in text
        assert f"Page {number} of {len(pages)}" in text
    everything = " ".join(pages)
    # the original free text (Greek, Bulgarian) and the machine translation beside it
    assert GREEK in everything and BULGARIAN in everything
    assert MACHINE in everything and "Machine translation" in everything
    # the header, the questions in English; no audit annex unless asked for
    assert "Landesamt Berlin Approbation" in everything and "Legal basis" in everything
    assert "Audit extract Not included" in everything

    # tagged, with the reader's language and the title, claiming PDF/A-3
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert root["/Lang"] == "en"
    assert item.reference in reader.metadata.title
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)3', xmp) and re.search(r'pdfaid:conformance(="|>)B', xmp)
    # every font is ours (DejaVu under the @font-face name, not a host font), embedded
    names, embedded = _font_files(reader)
    assert names and all("OpenIMI-Sans" in name for name in names), names
    assert embedded == names

    # and the export is in the audit trail, by the requester's authority
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "request.pdf_exported")
    ).all()
    assert [(e.object_id, e.authority_id) for e in exported] == [
        (str(item.id), people.authorities["berlin"].id)
    ]


def test_the_pdf_speaks_the_readers_language(app, people):
    # Given a French handler of the responding authority
    item = make_request(app, people)

    # When they download the PDF
    response = as_user(app, people.handler).get(f"/pdf/request/{item.id}")

    # Then the interface words and the page numbers are French
    reader = read_pdf(response.data)
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    text = " ".join(page_texts(reader))
    assert "Base juridique" in text
    assert "Page 1 sur" in text


def test_other_authorities_get_not_found(app, people):
    requester = as_user(app, people.requester)
    item = make_request(app, people, requester=requester)
    for user in (people.italian, people.coordinator_fr):
        client = as_user(app, user)
        assert client.get(f"/pdf/request/{item.id}").status_code == 404
    assert requester.get("/pdf/request/999999").status_code == 404
    assert requester.get(f"/pdf/alert/{item.id}").status_code == 404
    assert not db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "request.pdf_exported")
    ).all()
