"""The PDF record a clerk files: the audit extract is an annex only when asked for, its
actions read in the reader's words (never a code like `request.viewed`), repeated reads
of one authority are counted on one line, and every date has a 4-digit year."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import PdfExport
from app.records import pdf
from tests.factories import csrf_token
from tests.web.pdf.conftest import (
    CODE,
    TWO_DIGIT_YEAR,
    as_user,
    make_request,
    page_texts,
    read_pdf,
)


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return " ".join(page_texts(read_pdf(response.data)))


def _read_three_times(app, people, item) -> None:
    handler = as_user(app, people.handler)
    for _ in range(3):
        assert handler.get(f"/requests/{item.id}").status_code == 200


def test_the_audit_extract_is_an_annex_only_when_asked_for(app, people):
    # Given a sent request that a French handler read three times
    people.requester.language = "en"
    db.session.commit()
    requester = as_user(app, people.requester)
    item = make_request(app, people, requester=requester)
    _read_three_times(app, people, item)

    # When the requester downloads its PDF as the link offers it (box not ticked)
    plain = _text(requester.get(f"/pdf/request/{item.id}"))

    # Then the record says the audit extract is not included, and holds none
    assert "Audit extract Not included" in plain
    assert "Annex: audit extract" not in plain and "Read, 3 times" not in plain

    # When they tick the box
    annexed = _text(requester.get(f"/pdf/request/{item.id}?audit=1"))

    # Then the record says so, and its annex names each action in words
    assert "Audit extract Included as an annex" in annexed
    annex = annexed.split("Annex: audit extract", 1)[1]
    assert "Request sent" in annex  # the case page's own word for the step
    assert "PDF record made" in annex  # the export just made, by Berlin
    # ... the handler's three reads on one line, with the first and the last time
    paris = "Conseil national de l'Ordre des médecins"
    assert re.search(
        rf"\d{{4}}, \d{{2}}:\d{{2}} to \d{{1,2}} \w{{3}} \d{{4}}, \d{{2}}:\d{{2}} Read, 3 times {paris}",
        annex,
    )
    assert f"Read {paris}" not in annex  # no line of a single read by Paris
    # ... and no code anywhere, and every date with its 4-digit year, day first
    assert CODE.findall(annexed) == []
    assert TWO_DIGIT_YEAR.findall(annexed) == []
    assert re.search(r"Created \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", annexed)


def test_a_german_reader_gets_the_annex_in_german_with_4_digit_years(app, people):
    # Given a German requester (the fixture's language) and a request read three times
    requester = as_user(app, people.requester)
    item = make_request(app, people, requester=requester)
    _read_three_times(app, people, item)

    # When they download the PDF with the annex
    text = _text(requester.get(f"/pdf/request/{item.id}?audit=1"))

    # Then the actions are German words, and dates are dd.mm.yyyy, never dd.mm.yy
    paris = "Conseil national de l'Ordre des médecins"
    assert re.search(rf"Gelesen\D{{1,12}}3\D{{1,12}}{paris}", text)  # 3 reads, one line
    assert f"Gelesen {paris}" not in text
    assert CODE.findall(text) == []
    assert re.search(r"\b\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}\b", text)
    assert TWO_DIGIT_YEAR.findall(text) == []


def test_a_prepared_pdf_keeps_the_choice_of_the_annex(app, people, monkeypatch):
    # Given a request too long to render at once
    monkeypatch.setattr(pdf, "INLINE_MAX_EVENTS", 0)
    people.requester.language = "en"
    db.session.commit()
    requester = as_user(app, people.requester)
    item = make_request(app, people, requester=requester)

    # When the requester asks for it with the annex: the page says so and keeps the choice
    page = requester.get(f"/pdf/request/{item.id}?audit=1")
    body = page.get_data(True)
    assert "Audit extract: Included as an annex" in body
    assert '<input type="hidden" name="audit" value="1">' in body
    response = requester.post(
        f"/pdf/request/{item.id}", data={"csrf_token": csrf_token(page), "audit": "1"}
    )
    assert response.status_code == 303

    # Then the export (prepared by the job, here in-process) carries the annex
    export = db.session.scalars(select(PdfExport)).one()
    assert export.with_audit is True
    status = requester.get(f"/pdf/exports/{export.id}").get_data(True)
    assert "Audit extract: Included as an annex" in status
    text = _text(requester.get(f"/pdf/exports/{export.id}/file"))
    assert "Annex: audit extract" in text and "PDF record made" in text

    # ... and one asked for without it has none
    page = requester.get(f"/pdf/request/{item.id}")
    assert "Audit extract: Not included" in page.get_data(True)
    requester.post(f"/pdf/request/{item.id}", data={"csrf_token": csrf_token(page)})
    newest = db.session.scalars(select(PdfExport).order_by(PdfExport.id.desc())).first()
    assert newest.with_audit is False
    text = _text(requester.get(f"/pdf/exports/{newest.id}/file"))
    assert "Annex: audit extract" not in text and "Audit extract Not included" in text
