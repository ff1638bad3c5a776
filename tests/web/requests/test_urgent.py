"""Urgent requests (Directive 2014/67/EU Article 6(6)): a pack's urgency level has its own
deadline and may require a reason. Berlin asks Paris whether a posting undertaking is
genuinely established, urgently (2 working days) or not (25), counted in France's
working days; the urgency shows in Paris's inbox (a badge, a filter, a counter), on the
case page with its article, and in the reminders, which come sooner."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from app.cases import deadlines
from app.cases.requests import notices
from app.extensions import db
from app.models import Request
from tests.factories import count_statements, date_input
from tests.web.requests.conftest import as_user, grant, submit

POSTING = "posting_genuine_establishment"
REASON = (
    "Workers of the undertaking are on a site inspected today; its VAT number must be confirmed."
)


@pytest.fixture
def posting(app, people):
    """Berlin may ask, Paris and Lyon answer, the genuine establishment procedure."""
    grant(people.authorities["berlin"], ["requester"], POSTING)
    grant(people.authorities["paris"], ["responder"], POSTING)
    grant(people.authorities["lyon"], ["responder"], POSTING)
    return people


def send_posting(client, responder_id: int, urgency: str = "", reason: str = "", **changes):
    data = {
        "procedure": POSTING,
        "responder": responder_id,
        "subject": "Construções Lisboa Lda, NIPC 509876543",
        "questions": ["office_in_member_state", "substantial_activity"],
        "detail-posted_workers": "12",
        **date_input("detail-posting_start", "2026-11-02"),
        "urgency": urgency,
        "urgency_reason": reason,
        "send": "1",
        **changes,
    }
    return submit(client, f"/requests/new?procedure={POSTING}", "/requests/new", data)


def in_german(msgid: str) -> str:
    from flask_babel import force_locale, gettext

    with force_locale("de"):
        return gettext(msgid)


def newest() -> Request:
    return db.session.query(Request).order_by(Request.id.desc()).first()


def test_marking_a_request_urgent_requires_the_reason_the_pack_asks_for(app, posting):
    # Given Berlin's handler (who reads German) composing an urgent request without a reason
    berlin = as_user(app, posting.requester)
    response = send_posting(berlin, posting.authorities["paris"].id, "urgent", "")

    # Then the form comes back with one error on the reason, in German (the catalog's
    # wording of it), nothing saved
    page = response.get_data(True)
    assert response.status_code == 400
    assert '<html lang="de"' in page
    assert in_german("Give the reason why the request is urgent.") in page
    assert 'id="urgency_reason-error"' in page
    assert db.session.query(Request).count() == 0
    # and with what was typed and chosen kept
    assert "Construções Lisboa Lda, NIPC 509876543" in page
    assert re.search(
        r"<input[^>]*checked[^>]*value=\"urgent\"|<input[^>]*value=\"urgent\"[^>]*checked", page
    ), re.findall(r"<input[^>]*urgency[^>]*>", page)

    # When the reason is given, then the request is sent urgent, its reason kept
    assert (
        send_posting(berlin, posting.authorities["paris"].id, "urgent", REASON).status_code == 302
    )
    item = newest()
    assert (item.urgency, item.urgency_reason) == ("urgent", REASON)


def test_a_level_the_pack_lacks_is_refused_on_its_field(app, posting):
    berlin = as_user(app, posting.requester)
    response = send_posting(berlin, posting.authorities["paris"].id, "immediate", REASON)
    assert response.status_code == 400
    assert 'id="urgency-error"' in response.get_data(True)
    assert db.session.query(Request).count() == 0


@pytest.mark.parametrize(("urgency", "working_days"), [("urgent", 2), ("", 25)])
def test_the_reply_date_is_2_or_25_working_days_of_the_responders_country(
    app, posting, urgency, working_days
):
    # Given a request sent urgent or not to Paris
    berlin = as_user(app, posting.requester)
    reason = REASON if urgency else ""
    assert send_posting(berlin, posting.authorities["paris"].id, urgency, reason).status_code == 302
    item = newest()

    # Then its reply date is that many French working days after sending (French holidays
    # skipped, not German ones), with the article of Directive 2014/67/EU behind it
    sent = item.sent_at.date()
    assert item.reply_due == deadlines.add_working_days(sent, working_days, "FR").due
    assert item.due_basis["working_days"] == working_days
    assert item.due_basis["country"] == "FR"
    letter = "a" if urgency else "b"
    assert item.due_basis["article"] == f"Directive 2014/67/EU, Article 6(6)({letter})"

    # and the case page explains it with the article, in the reader's language (French)
    page = as_user(app, posting.allocator).get(f"/requests/{item.id}").get_data(True)
    article = f"article 6, paragraphe 6, point {letter})"
    assert article in page
    if urgency:
        assert REASON in page and 'class="tag urgent"' in page


def test_a_deadline_across_a_public_holiday_of_the_responder_counts_its_country():
    # 14 July (France) is no German holiday: the same 2 working days differ by a day
    start = date(2026, 7, 13)
    assert deadlines.add_working_days(start, 2, "FR").due == date(2026, 7, 16)
    assert deadlines.add_working_days(start, 2, "DE").due == date(2026, 7, 15)


def test_urgency_shows_in_the_inbox_as_a_badge_a_filter_and_a_counter(app, posting):
    # Given Berlin sent Paris one urgent and one normal request
    berlin = as_user(app, posting.requester)
    paris_id = posting.authorities["paris"].id
    send_posting(berlin, paris_id, "urgent", REASON, subject="Urgent Lda")
    urgent = newest()
    send_posting(berlin, paris_id, "", "", subject="Normal Lda")
    normal = newest()
    allocator = as_user(app, posting.allocator)

    # Then Paris's inbox marks the urgent one and counts it
    page = allocator.get("/requests?box=received").get_data(True)
    row = page.split(urgent.reference)[1].split("</tr>")[0]
    assert 'class="tag urgent"' in row
    assert 'class="tag urgent"' not in page.split(normal.reference)[1].split("</tr>")[0]
    assert "urgent=1" in page  # the counter's link to the urgent ones
    # and the filter lists the urgent one alone, for Paris, not for Berlin's received box
    filtered = allocator.get("/requests?box=received&urgent=1").get_data(True)
    assert urgent.reference in filtered and normal.reference not in filtered
    mine = berlin.get("/requests?box=received&urgent=1").get_data(True)
    assert urgent.reference not in mine
    sent = berlin.get("/requests?box=sent&urgent=1").get_data(True)
    assert urgent.reference in sent and normal.reference not in sent


def test_the_urgent_filter_runs_as_many_statements_for_25_rows_as_for_3(app, posting):
    berlin, allocator = as_user(app, posting.requester), as_user(app, posting.allocator)
    paris_id = posting.authorities["paris"].id
    for _ in range(3):
        send_posting(berlin, paris_id, "urgent", REASON)
    allocator.get("/requests?box=received&urgent=1")  # the first visit sets up the session
    few = count_statements(allocator, "/requests?box=received&urgent=1")
    for _ in range(22):
        send_posting(berlin, paris_id, "urgent", REASON)
    many = count_statements(allocator, "/requests?box=received&urgent=1")
    assert many == few


def test_an_urgent_request_is_reminded_sooner(app, posting):
    # Given an urgent and a normal request sent to Paris
    berlin = as_user(app, posting.requester)
    paris_id = posting.authorities["paris"].id
    send_posting(berlin, paris_id, "urgent", REASON)
    urgent = newest()
    send_posting(berlin, paris_id)
    normal = newest()

    # Then the urgent one's "soon" reminder comes one French working day before its
    # reply date (the first working day after it arrived), the normal one's two
    assert notices.REMINDERS.day(urgent, "soon") == deadlines.working_days_before(
        urgent.reply_due, 1, "FR"
    )
    assert notices.REMINDERS.day(normal, "soon") == deadlines.working_days_before(
        normal.reply_due, 2, "FR"
    )
    assert notices.REMINDERS.day(urgent, "soon") > urgent.sent_at.date()
    assert notices.REMINDERS.day(urgent, "soon") - urgent.sent_at.date() < timedelta(days=7)
