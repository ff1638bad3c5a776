"""The complainant's and the officer's pages write dates and sizes as German does."""

from __future__ import annotations

import io
import re

from app.extensions import db
from tests.web.public.conftest import confirm_case, only_case, submit_case, visitor
from tests.web.requests.conftest import as_user

GERMAN_DATETIME = re.compile(r"\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}")
TWO_DIGIT_YEAR = re.compile(r"\b\d{2}\.\d{2}\.\d{2}\b(?!\.?\d)")


def test_german_pages_show_german_dates_and_a_decimal_comma(app, people, smtp_server):
    # given a complaint with a 1,500-byte document, followed in German
    client = visitor(app)
    document = (io.BytesIO(b"%PDF-1.4\n" + b"0" * 1491), "diploma.pdf")
    submit_case(client, files=[document])
    path = confirm_case(client, smtp_server)
    # when the complainant opens the tracking page in German
    page = client.get(path, headers={"Accept-Language": "de"}).get_data(True)
    # then the timeline and the document read as German writes them
    assert 'lang="de"' in page
    assert GERMAN_DATETIME.search(page), page
    assert not TWO_DIGIT_YEAR.search(page)
    assert re.search(r"\(1,5\s(kB)\)", page.replace("\u00a0", " ")), page
    assert not re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", page)
    # and a German officer's inbox dates the case the same way
    people.handler.language = "de"
    db.session.commit()
    officer = as_user(app, people.handler)
    inbox = officer.get("/public-cases").get_data(True)
    assert only_case().reference in inbox
    assert GERMAN_DATETIME.search(inbox)
    assert not TWO_DIGIT_YEAR.search(inbox)
