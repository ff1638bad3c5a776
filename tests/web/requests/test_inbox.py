"""The inbox: boxes, filters, sorting, keyset pages, counters, htmx partials, no JS."""

from __future__ import annotations

from datetime import timedelta

from markupsafe import escape

from app.cases import inbox
from app.extensions import db
from app.models import Request, RequestState
from app.models.base import utcnow
from tests.factories import count_statements
from tests.web.requests.conftest import as_user, compose


def _send_many(client, responder_id: int, n: int) -> list[Request]:
    for i in range(n):
        compose(client, responder_id, subject=f"Professional {i}")
    return list(db.session.query(Request).order_by(Request.id))


def test_boxes_pages_and_filters(app, people, monkeypatch):
    paris = people.authorities["paris"]
    monkeypatch.setattr(inbox, "PAGE_SIZE", 3)
    requester = as_user(app, people.requester)
    sent = _send_many(requester, paris.id, 5)
    compose(as_user(app, people.italian), paris.id, subject="From Rome")
    compose(requester, paris.id, send=False, subject="Unsent draft")

    allocator = as_user(app, people.allocator)
    # Received: newest first, 3 per page, the next page by keyset
    first = allocator.get("/requests?box=received").get_data(True)
    refs = [r.reference for r in db.session.query(Request).order_by(Request.id)]
    assert refs[5] in first and refs[4] in first and refs[3] in first and refs[2] not in first
    assert "after=" in first
    cursor = first.split("after=")[1].split("&")[0].split('"')[0]
    second = allocator.get(f"/requests?box=received&after={cursor}").get_data(True)
    assert refs[2] in second and refs[0] in second and refs[5] not in second
    # the draft is never in the responder's inbox
    assert refs[6] not in first + second
    # Filter by the other side's country
    italian_only = allocator.get("/requests?box=received&country=IT").get_data(True)
    assert refs[5] in italian_only and refs[4] not in italian_only
    # The requester's boxes
    drafts = requester.get("/requests?box=drafts").get_data(True)
    assert refs[6] in drafts and refs[0] not in drafts
    assert len(sent) == 5


def test_a_row_names_the_other_side(app, people):
    # Given Berlin sent Paris a request
    berlin, paris = people.authorities["berlin"], people.authorities["paris"]
    compose(as_user(app, people.requester), paris.id)
    item = db.session.query(Request).one()

    # Then Paris's received box names Berlin, and Berlin's sent box names Paris
    for user, box, other, own in (
        (people.allocator, "received", berlin, paris),
        (people.requester, "sent", paris, berlin),
    ):
        page = as_user(app, user).get(f"/requests?box={box}").get_data(True)
        row = page[page.index(item.reference) :].split("</tr>")[0]
        assert f"{escape(other.name)} ({other.country})" in row, (box, row)
        assert escape(own.name) not in row, (box, row)


def test_overdue_filter_and_counter(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id, subject="Late one")
    compose(requester, paris.id, subject="On time")
    late, on_time = db.session.query(Request).order_by(Request.id).all()
    late.reply_due = utcnow().date() - timedelta(days=1)
    db.session.commit()
    allocator = as_user(app, people.allocator)
    page = allocator.get("/requests?box=received&overdue=1").get_data(True)
    assert late.reference in page and on_time.reference not in page
    counts = inbox.counts(_actor(people.allocator), utcnow().date())
    assert counts["overdue"] == 1 and counts["received"] == 2


def test_htmx_refresh_returns_only_the_list_and_counters(app, people):
    paris = people.authorities["paris"]
    compose(as_user(app, people.requester), paris.id)
    allocator = as_user(app, people.allocator)
    partial = allocator.get("/requests?box=received&state=sent", headers={"HX-Request": "true"})
    body = partial.get_data(True)
    assert partial.status_code == 200 and "<html" not in body
    assert 'class="tabs"' in body and "REQ-" in body
    assert "Vary" in partial.headers and "HX-Request" in partial.headers["Vary"]
    # the same URL without htmx is a whole page (a bookmark, or JavaScript off)
    assert "<html" in allocator.get("/requests?box=received&state=sent").get_data(True)


def test_bad_filter_values_are_ignored_not_errors(app, people):
    allocator = as_user(app, people.allocator)
    for query in (
        "box=nope",
        "state=deleted",
        "sort=evil",
        "after=garbage",
        "after=x_1",
        "after=2026-12-07T10:00:00_5",  # a time without its zone
        "sort=due&after=2026-12-07T10:00:00_5",
    ):
        assert allocator.get(f"/requests?{query}").status_code == 200, query


def _actor(user):
    from tests.web.security.world import actor_of

    return actor_of(user)


def test_state_filter(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    compose(requester, paris.id)
    first, second = db.session.query(Request).order_by(Request.id).all()
    first.state = RequestState.ACCEPTED
    db.session.commit()
    page = as_user(app, people.allocator).get("/requests?state=accepted").get_data(True)
    assert first.reference in page and second.reference not in page


def test_an_inbox_page_runs_as_many_statements_for_25_rows_as_for_3(app, people):
    # Given an inbox of 3 requests, then of 25 (a full page)
    paris = people.authorities["paris"]
    requester, allocator = as_user(app, people.requester), as_user(app, people.allocator)
    _send_many(requester, paris.id, 3)
    allocator.get("/requests?box=received")  # the first visit sets up the session
    few = count_statements(allocator, "/requests?box=received")
    _send_many(requester, paris.id, 22)
    many = count_statements(allocator, "/requests?box=received")

    # Then the count does not grow with the rows (the audit commit reloads none of them)
    assert many == few
    assert few <= 10, few  # 9 today; 37 before, with 25 rows


def test_the_kept_first_page_statement_runs_with_each_readers_values(app, people):
    # Given Berlin and Rome each sent Paris a request, and Paris sent Berlin one
    berlin, paris = people.authorities["berlin"], people.authorities["paris"]
    compose(as_user(app, people.requester), paris.id, subject="From Berlin")
    compose(as_user(app, people.italian), paris.id, subject="From Rome")
    compose(as_user(app, people.handler), berlin.id, subject="From Paris")
    from_berlin, from_rome, from_paris = db.session.query(Request).order_by(Request.id).all()
    everyone = {from_berlin.reference, from_rome.reference, from_paris.reference}
    # and Rome's was sent urgent (Directive 2014/67/EU Article 6(6))
    from_rome.urgency = "urgent"
    db.session.commit()

    # When one reader after the other opens the first page of a box or a filter (each
    # shape's statement built once, then run with the reader's and the filter's values)
    allocator, requester = as_user(app, people.allocator), as_user(app, people.requester)
    table = [
        (allocator, "box=received", {from_berlin, from_rome}),
        (requester, "box=received", {from_paris}),
        (as_user(app, people.italian), "box=received", set()),
        (allocator, "box=received&country=IT", {from_rome}),
        (allocator, "box=received&country=DE", {from_berlin}),
        (requester, "box=received&country=DE", set()),
        (allocator, "box=sent", {from_paris}),
        (requester, "box=sent", {from_berlin}),
        (as_user(app, people.italian), "box=sent", {from_rome}),
        (as_user(app, people.austrian), "box=received", set()),
        (as_user(app, people.coordinator_fr), "box=received", set()),
        (allocator, "box=received&urgent=1", {from_rome}),
        (allocator, "box=received&urgent=1&country=DE", set()),
        (requester, "box=received&urgent=1", set()),
        (allocator, "box=sent&urgent=1", set()),
        (as_user(app, people.italian), "box=sent&urgent=1", {from_rome}),
    ]
    # Then each sees exactly their own authority's requests under the values asked for
    for client, query, expected in table * 2:  # the second round: every shape is kept
        page = client.get(f"/requests?{query}").get_data(True)
        shown = {reference for reference in everyone if reference in page}
        assert shown == {r.reference for r in expected}, (query, shown)
    assert len(inbox._FIRST_PAGES) >= 3


def test_an_assigned_box_is_the_officers_own_with_the_kept_statement(app, people):
    paris = people.authorities["paris"]
    requester = as_user(app, people.requester)
    compose(requester, paris.id, subject="For Luc")
    compose(requester, paris.id, subject="For the other")
    for_luc, for_other = db.session.query(Request).order_by(Request.id).all()
    for_luc.handler_id, for_other.handler_id = people.handler.id, people.other_handler.id
    db.session.commit()
    for user, mine, theirs in (
        (people.handler, for_luc, for_other),
        (people.other_handler, for_other, for_luc),
    ):
        page = as_user(app, user).get("/requests?box=assigned").get_data(True)
        assert mine.reference in page and theirs.reference not in page, user.email


def test_a_row_names_its_procedure_in_each_readers_language(app, people):
    from app.procedures import registry
    from tests.web.requests.conftest import PROCEDURE

    # Given Berlin (German) sent Paris (French) a request
    compose(as_user(app, people.requester), people.authorities["paris"].id)
    item = db.session.query(Request).one()
    pack = registry(app)[PROCEDURE]
    names = {language: pack.gettext(pack.name, language) for language in ("fr", "de")}
    assert names["fr"] != names["de"]

    # Then each side's row names the procedure in its reader's language, and links the case
    for user, box, language in (
        (people.allocator, "received", "fr"),
        (people.requester, "sent", "de"),
        (people.allocator, "received", "fr"),
    ):
        page = as_user(app, user).get(f"/requests?box={box}").get_data(True)
        row = next(r for r in page.split("<tr") if item.reference in r)
        assert str(escape(names[language])) in row, (language, row)
        assert f'href="/requests/{item.id}"' in row
