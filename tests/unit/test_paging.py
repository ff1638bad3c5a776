"""Keyset cursors: what a page's link carries, and what a typed or cut one gives."""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from app.cases import inbox, repositories
from app.cases.paging import Keyset
from app.models import AuditEvent, Request
from app.records import audit_trail
from app.routing import MAX_INT

BY_ACTIVITY = Keyset(Request.id, Request.updated_at)
BY_DUE = Keyset(Request.id, Request.reply_due, date.fromisoformat, descending=False)
BY_ID = Keyset(AuditEvent.id)


def test_a_cursor_names_the_last_row_as_the_links_always_did():
    # Given the last rows of pages in each order
    at = datetime(2026, 12, 7, 9, 30, 15, 123456, tzinfo=UTC)
    row = SimpleNamespace(id=42, updated_at=at, reply_due=date(2027, 1, 4))

    # Then their cursors are "<ISO value>_<id>", or the id alone
    assert BY_ACTIVITY.encode(row) == "2026-12-07T09:30:15.123456+00:00_42"
    assert BY_DUE.encode(row) == "2027-01-04_42"
    assert BY_ID.encode(row) == "42"
    # and read back as the key they name
    assert BY_ACTIVITY.decode(BY_ACTIVITY.encode(row)) == (at, 42)
    assert BY_DUE.decode("2027-01-04_42") == (date(2027, 1, 4), 42)
    assert BY_ID.decode("42") == (42,)


def test_a_time_without_a_zone_is_utc():
    assert BY_ACTIVITY.decode("2026-12-07T09:30:15_7") == (
        datetime(2026, 12, 7, 9, 30, 15, tzinfo=UTC),
        7,
    )


@pytest.mark.parametrize(
    "cursor",
    ["", "garbage", "x_1", "_1", "2026-12-07_", "2026-12-07_abc", f"2026-12-07_{MAX_INT + 1}"],
)
def test_a_cursor_that_does_not_parse_gives_the_first_page(cursor):
    assert BY_ACTIVITY.decode(cursor) is None
    assert BY_ACTIVITY.after(cursor) is None


@pytest.mark.parametrize("cursor", ["", "abc", "-", str(MAX_INT + 1), "1.5"])
def test_an_id_cursor_that_does_not_parse_gives_the_first_page(cursor):
    assert BY_ID.decode(cursor) is None


def test_pages_go_on_in_the_order_of_the_keys():
    # Newest first: the next page holds smaller keys; ascending: larger ones
    assert "<" in str(BY_ACTIVITY.after("2026-12-07T09:30:15+00:00_7"))
    assert ">" in str(BY_DUE.after("2027-01-04_7"))
    assert str(BY_ID.after("7")) == "audit_event.id < :id_1"
    assert [str(c) for c in BY_ACTIVITY.order_by()] == [
        "request.updated_at DESC",
        "request.id DESC",
    ]
    assert [str(c) for c in BY_DUE.order_by()] == ["request.reply_due ASC", "request.id ASC"]


# --- the filters of a paged list ---------------------------------------------------------


def test_a_filter_given_a_value_it_may_not_take_falls_back_to_its_default():
    # Given filters typed into the inbox's and the repository search's query strings
    typed = inbox.Filters(box="elsewhere", state="burnt", sort="random", country="DE")
    search = repositories.Filters(state="deleted")

    # Then an unknown box, state and order go back to their defaults; a known one stays
    assert (typed.box, typed.state, typed.sort, typed.country) == ("received", "", "activity", "DE")
    assert search.state == "active"
    assert repositories.Filters(state="archived").state == "archived"
    assert inbox.Filters(box="sent", state="answered").state == "answered"


def test_a_lists_query_string_carries_the_filters_in_use_but_not_the_cursor():
    # Given an inbox filtered to overdue requests of a country, on its second page
    filters = inbox.Filters(box="sent", country="FR", overdue=True, after="2027-01-04_42")

    # Then the next page's link carries the filters ("1" for one that is on), not the cursor
    assert filters.args() == {"box": "sent", "country": "FR", "overdue": "1", "sort": "activity"}
    # and a change replaces a filter; blank ones are left out
    assert filters.args(sort="due", country="") == {"box": "sent", "overdue": "1", "sort": "due"}
    assert repositories.Filters(q="Müller", after="7").args() == {"q": "Müller", "state": "active"}


def test_the_audit_trail_names_the_filters_used_never_their_values_nor_the_cursor():
    query = audit_trail.Query(email="a@b.eu", until=date(2027, 1, 4), before="99")
    assert query.used() == ["email", "until"]
    assert audit_trail.Query().used() == []
