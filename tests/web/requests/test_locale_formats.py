"""A German officer's request case page writes dates and sizes as German does."""

from __future__ import annotations

import re

from tests.web.requests.conftest import as_user, compose, only_request
from tests.web.requests.test_attachments import PDF, upload


def test_the_case_page_in_german_shows_german_dates_and_a_decimal_comma(app, people):
    # given a request from Berlin (its officer works in German) with a 1.5 kB document
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id)
    item = only_request()
    document = PDF + b"0" * (1500 - len(PDF))
    assert upload(requester, item, "Approbation.pdf", document).status_code == 302
    # when the officer opens the case
    page = requester.get(f"/requests/{item.id}").get_data(True).replace("\u00a0", " ")
    # then the document's size has a decimal comma, and every date, the reply date and
    # the days it skips included, is written one way: as German does, with 4-digit years
    assert 'lang="de"' in page
    assert "(1,5 kB," in page
    assert re.search(r"<dd>\d{2}\.\d{2}\.20\d\d\b", page)
    assert not re.search(r"<li>20\d\d-\d\d-\d\d –", page)
    assert not re.search(r"\b\d{2}\.\d{2}\.\d{2}\b(?!\.?\d)", page)
    assert not re.search(r"(Montag|Dienstag|Mittwoch|Donnerstag|Freitag),", page)
