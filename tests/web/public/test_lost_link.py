"""Asking for a lost link must not cut the submitter off: anyone who knows their e-mail
address can ask. The old link works until the new one is first opened."""

from __future__ import annotations

from app.accounts import ratelimit
from tests.factories import csrf_token
from tests.timing import PADDING, TOLERANCE, steady_gap
from tests.web.public.conftest import (
    EMAIL,
    confirm_case,
    only_case,
    submit_case,
    tracking_path,
    visitor,
)
from tests.web.requests.conftest import as_user

NOT_VALID = "This link is not valid"


def ask_for_the_link(app, email: str = EMAIL) -> None:
    """Someone (the submitter, or anybody who knows the address) asks for the link."""
    stranger = visitor(app)
    page = stranger.get("/public/lost-link")
    response = stranger.post(
        "/public/lost-link", data={"csrf_token": csrf_token(page), "email": email}
    )
    assert response.status_code == 200


def test_f8_a_lost_link_request_does_not_stop_the_link_until_the_new_one_is_opened(
    app, people, smtp_server
):
    # given a confirmed case followed through its link
    client = visitor(app)
    submit_case(client)
    old = confirm_case(client, smtp_server)

    # when someone asks for a new link with the submitter's address
    ask_for_the_link(app)
    new = tracking_path(smtp_server)
    assert new != old

    # then the old link still works
    assert client.get(old).status_code == 200
    # until the new one is opened: then the new one is the link, the old one stops
    assert client.get(new).status_code == 200
    response = client.get(old)
    assert response.status_code == 404 and NOT_VALID in response.get_data(True)
    assert client.get(new).status_code == 200


def test_f8_only_the_newest_link_of_several_requests_takes_over(app, people, smtp_server):
    client = visitor(app)
    submit_case(client)
    old = confirm_case(client, smtp_server)
    ask_for_the_link(app)
    first = tracking_path(smtp_server)
    ask_for_the_link(app)
    second = tracking_path(smtp_server)

    assert client.get(first).status_code == 404
    assert client.get(old).status_code == 200
    assert client.get(second).status_code == 200
    assert client.get(old).status_code == 404


def test_f8_an_authority_mail_replaces_the_link_at_once_and_drops_a_pending_one(
    app, people, smtp_server
):
    # given a case whose submitter was sent a lost link
    client = visitor(app)
    submit_case(client)
    old = confirm_case(client, smtp_server)
    ask_for_the_link(app)
    pending = tracking_path(smtp_server)

    # when the officer acts, which mails the submitter a link
    officer = as_user(app, people.handler)
    case_id = only_case().id
    page = officer.get(f"/public-cases/{case_id}")
    officer.post(f"/public-cases/{case_id}/accept", data={"csrf_token": csrf_token(page)})
    newest = tracking_path(smtp_server)

    # then only the newest mail's link works
    assert client.get(newest).status_code == 200
    assert client.get(old).status_code == 404
    assert client.get(pending).status_code == 404


def test_f9_lost_link_takes_as_long_for_an_address_with_cases_as_without(
    app, people, smtp_server, monkeypatch
):
    # given an address with a confirmed case, and one without
    monkeypatch.setitem(app.config, "UNIFORM_RESPONSE_SECONDS", PADDING)
    monkeypatch.setitem(ratelimit.RULES, "public.lost_link", ratelimit.Rule(100, 3600))
    client = visitor(app)
    submit_case(client)
    confirm_case(client, smtp_server)
    mails = len(smtp_server.to(EMAIL))

    # when both ask for their link, in turns
    gap, rounds = steady_gap(
        client, "/public/lost-link", {"email": EMAIL}, {"email": "nobody@example.org"}
    )

    # then the answers take the same time, and the real one was mailed
    assert abs(gap) < TOLERANCE, f"median gap {gap * 1000:.1f} ms"
    assert len(smtp_server.to(EMAIL)) == mails + 7 * rounds
