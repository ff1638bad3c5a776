"""A request's case page reads as many rows for a procedure answered by 40 authorities as
by 4: whether it can offer forwarding (another authority of the responder's country) and
splitting (any other authority) is asked by country, never by loading every authority
that answers the procedure (IMI's bigger procedures have thousands). Its forward page
asks for the authorities of the responder's country alone."""

from __future__ import annotations

import re

from sqlalchemy import event

from app.extensions import db
from tests.factories import make_authority
from tests.web.requests.conftest import as_user, compose, grant, only_request, submit


def _reads(client, url: str) -> tuple[list[tuple[str, int]], str]:
    """Each SELECT run while answering `url` with the rows it returned, and the page."""
    reads: list[tuple[str, int]] = []

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            reads.append((statement, cursor.rowcount))

    event.listen(db.engine, "after_cursor_execute", note)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "after_cursor_execute", note)
    assert response.status_code == 200
    return reads, response.get_data(True)


def _rows_read(client, url: str) -> tuple[int, str]:
    """The most rows one statement returned while answering `url`, and the page."""
    reads, page = _reads(client, url)
    return max(rows for _, rows in reads), page


def _offered(page: str) -> list[str]:
    """The authorities the forward page's select offers, in its order."""
    select = page.split('id="forward-authority"')[1].split("</select>")[0]
    return re.findall(r'<option[^>]*value="\d+"[^>]*>([^<]*)</option>', select)


def test_the_case_page_reads_no_more_rows_when_more_authorities_answer(app, people):
    # Given a request Berlin sent to Paris, which Paris's allocator opens
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id)
    item = only_request()
    submit(requester, f"/requests/{item.id}", f"/requests/{item.id}/send", {})
    allocator = as_user(app, people.allocator)
    url = f"/requests/{item.id}"
    allocator.get(url)  # warm: the first visit clears the unread flag

    # When 36 more French authorities come to answer the procedure
    few, page = _rows_read(allocator, url)
    for n in range(36):
        grant(make_authority("FR", name=f"Ordre départemental {n}"), ["responder"])
    many, page_after = _rows_read(allocator, url)

    # Then the page reads no more rows in any statement, and still offers forwarding
    assert many == few, (few, many)
    assert f"/requests/{item.id}/forward" in page and f"/requests/{item.id}/forward" in page_after


def test_the_forward_page_reads_no_more_rows_when_other_countries_answer(app, people):
    # Given a request Berlin sent to Paris, whose handler opens its forward page
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id)
    item = only_request()
    handler = as_user(app, people.handler)
    url = f"/requests/{item.id}/forward"
    handler.get(url)  # warm: what the first visit looks up once is kept

    # When 36 authorities of other countries come to answer the procedure
    few, page = _reads(handler, url)
    for n in range(36):
        country = ("DE", "AT", "IT", "ES")[n % 4]
        grant(make_authority(country, name=f"Authority {country} {n}"), ["responder"])
    many, page_after = _reads(handler, url)

    # Then the same statements return the same rows, and Lyon alone is still offered
    assert [rows for _, rows in many] == [rows for _, rows in few], (few, many)
    assert [statement for statement, _ in many] == [statement for statement, _ in few]
    assert _offered(page) == _offered(page_after) == ["Ordre des médecins du Rhône (FR)"]
