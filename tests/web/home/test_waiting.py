"""The "Waiting for you" list: every request, alert and public case whose next step is the
authority's, once each, the nearest due date first, with why it waits."""

from __future__ import annotations

import re
from datetime import timedelta

from babel.dates import format_date
from flask_babel import force_locale, gettext

from app.cases import waiting
from app.extensions import db
from app.models import AlertState, PublicCaseState, RecipientState, RequestState
from app.models.base import utcnow
from tests.web.home.conftest import alert_row, disseminated, public_row, request_row, routed
from tests.web.requests import conftest as requests_world
from tests.web.requests.conftest import as_user, compose, only_request, submit

S = RequestState


def _rows(page: str, late: bool = False) -> list[tuple]:
    """(reference, reason) of each row of the waiting list, in order; with `late`, and
    whether it is marked overdue."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in page else ""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    found = []
    for row in rows:
        reference = re.search(r'<a href="[^"]+">([^<]+)</a>', row).group(1)
        reason = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[1].split("<", 1)[0].strip()
        found.append((reference, reason, "overdue" in row) if late else (reference, reason))
    return found


def test_a_request_awaiting_the_requesters_information_waits_for_the_requester(app):
    # Given Berlin asks Paris, and Paris accepts and asks Berlin for more information
    people = requests_world.people.__wrapped__(app)
    people.requester.language = "en"
    db.session.commit()
    requester = as_user(app, people.requester)
    compose(requester, people.authorities["paris"].id)
    item = only_request()
    handler = as_user(app, people.handler)
    url = f"/requests/{item.id}"
    assert submit(handler, url, f"{url}/accept", {}).status_code == 302
    response = submit(handler, url, f"{url}/ask-info", {"ask_info-text": "Date of birth?"})
    assert response.status_code == 302
    db.session.refresh(item)
    assert item.state == S.INFO_REQUESTED

    # When the requester opens the list of what waits for it
    page = requester.get("/waiting").get_data(True)

    # Then the request is there, saying why
    assert _rows(page) == [(item.reference, "More information requested")]
    # and the home page counts it and leads there
    home = requester.get("/").get_data(True)
    assert "1 request waiting for your information" in home
    assert 'href="/waiting"' in home and "See the 1 case waiting for you" in home
    # while the responder waits for the requester: nothing for it
    assert _rows(handler.get("/waiting").get_data(True)) == []
    with force_locale("fr"):  # the handler reads French
        nothing = gettext("Nothing is waiting for you.")
    assert nothing in handler.get("/waiting").get_data(True)


def test_the_list_runs_across_kinds_by_due_date_a_page_at_a_time(app, world, monkeypatch):
    paris, berlin, rome = world.paris, world.berlin, world.rome
    # Given, at Paris: requests to answer (due in 5 days) and to accept (2 days late),
    # information asked of it, a public case to accept and an alert to acknowledge
    answer = request_row(berlin, paris, S.ACCEPTED, due_in=5)
    accept = request_row(berlin, paris, S.SENT, due_in=-2)
    info = request_row(paris, berlin, S.INFO_REQUESTED, due_in=1)
    public = public_row(paris, PublicCaseState.SUBMITTED)
    alert = alert_row(berlin, AlertState.SENT)
    recipient = routed(alert, world.coordinator_fr, state=RecipientState.DISSEMINATED)
    disseminated(recipient, paris)
    # and cases where the other side acts, or of another authority
    others = [
        request_row(berlin, paris, S.INFO_REQUESTED, due_in=1),
        request_row(paris, berlin, S.ACCEPTED, due_in=1),
        request_row(berlin, paris, S.ANSWERED, due_in=1),
        # a reply date proposed once, on a request closed since
        request_row(paris, berlin, S.CLOSED, proposed_due=utcnow().date() + timedelta(days=9)),
        request_row(berlin, rome, S.SENT, due_in=1),
        public_row(paris, PublicCaseState.AWAITING_SUBMITTER),
        public_row(rome, PublicCaseState.SUBMITTED),
    ]
    monkeypatch.setattr(waiting, "PAGE_SIZE", 2)
    officer = as_user(app, world.users["handler"])

    # When the handler reads the list, page after page
    pages, url = [], "/waiting"
    while url:
        page = officer.get(url).get_data(True)
        pages.append(_rows(page, late=True))
        found = re.search(r'<a href="(/waiting\?after=[^"]+)">', page)
        url = found.group(1) if found else None

    # Then the dated cases come first, the nearest first, then the others, each once
    assert pages == [
        [(accept.reference, "To accept", True), (answer.reference, "To answer", False)],
        [(alert.reference, "To acknowledge", False), (public.reference, "To accept", False)],
        [(info.reference, "More information requested", False)],
    ]
    listed = {row[0] for page in pages for row in page}
    assert not listed & {case.reference for case in others}
    # a dated case says by when, in the reader's format
    due = format_date(answer.reply_due, "medium", locale="en_GB")  # English is en-GB
    assert f"Due by {due}" in officer.get("/waiting").get_data(True)
    # and the home page's total is the number listed
    assert "See the 5 cases waiting for you" in officer.get("/").get_data(True)


def test_a_cursor_that_does_not_parse_gives_the_first_page(app, world):
    request_row(world.berlin, world.paris, S.SENT)
    officer = as_user(app, world.users["handler"])
    first = _rows(officer.get("/waiting").get_data(True))
    for cursor in (
        "nonsense",
        "2026-13-01.request.1",
        "2026-01-01.case.1",
        "2026-01-01.request.99999999999",
    ):
        response = officer.get(f"/waiting?after={cursor}")
        assert response.status_code == 200
        assert _rows(response.get_data(True)) == first
