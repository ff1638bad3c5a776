"""A page reads what it shows, records the read and commits, in one transaction: it takes
one connection from the pool. A statement after the read's commit takes a second one,
and a ROLLBACK at the end of the request: one more round trip on every view of the
busiest pages (bench/load.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from app.extensions import db
from tests.web.alerts import conftest as alerts_world
from tests.web.requests import conftest as requests_world


def checkouts(client, url: str) -> int:
    """How many times the page took a connection from the pool (it must answer 200), seen
    a second time: the first view may consume a flash message, which writes the session
    after the response (as does a session last seen more than a minute ago)."""
    client.get(url)
    taken = []
    engine = db.engine
    listener = lambda *args: taken.append(1)  # noqa: E731
    event.listen(engine, "checkout", listener)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(engine, "checkout", listener)
    return len(taken)


@pytest.mark.parametrize("who", ["requester", "handler"])
def test_the_request_inbox_and_case_page_take_one_connection(app, who):
    # Given a request sent from Berlin to Paris, seen by each side
    people = requests_world.restored("requests: people", requests_world._people)
    berlin = requests_world.as_user(app, people.requester)
    assert requests_world.compose(berlin, people.authorities["paris"].id).status_code == 302
    item = requests_world.only_request()
    client = berlin if who == "requester" else requests_world.as_user(app, people.handler)
    box = "sent" if who == "requester" else "received"
    # When they open the inbox (with its counters) and the case, then each page took one
    for url in (f"/requests?box={box}", f"/requests/{item.id}"):
        assert checkouts(client, url) == 1, url


def test_the_alert_inbox_and_alert_page_take_one_connection(app):
    # Given an alert Berlin sent, which France's coordinator received
    people = alerts_world.restored("alerts: people", alerts_world._people)
    sender = alerts_world.as_user(app, people.sender)
    assert alerts_world.compose(sender).status_code == 302
    item = alerts_world.only_alert()
    coordinator = alerts_world.as_user(app, people.coordinator_fr)
    # When each opens the alert inbox and the alert, then each page took one
    for client in (sender, coordinator):
        for url in ("/alerts", f"/alerts/{item.id}"):
            assert checkouts(client, url) == 1, url
