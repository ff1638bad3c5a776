"""The audit trail page: national coordinators search the rows of their country, newest
first, with filters; the search is audited; everybody else is refused."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Request
from app.records import audit
from tests.factories import sign_in
from tests.web.security.world import actor_of, build_world


def _rows(page_html: str) -> int:
    return page_html.count("<tr>") - 1  # the header row


def _text(response) -> str:
    """The page's HTML without the line-break opportunities set inside e-mail addresses
    and codes (<wbr>), so that they can be searched for as written."""
    return response.get_data(True).replace("<wbr>", "")


@pytest.fixture
def world(app):
    return build_world()


def _reference(world, key: str) -> str:
    return db.session.get(Request, world.ids[key]).reference


def test_coordinator_sees_reads_of_its_countrys_cases_and_not_others(client, world):
    # Given authority A (DE) reads its request to France, and somebody reads the
    # request between France and Italy
    sent, foreign = world.ids["request_sent"], world.ids["request_foreign"]
    handler = actor_of(world.users["handler"])
    audit.read(handler, "request.viewed", "request", sent)
    audit.record("request.viewed", actor_id=None, authority_id=None, object_type="request",
                 object_id=foreign)  # fmt: skip
    db.session.commit()

    # When Germany's coordinator searches the trail for each reference
    sign_in(client, world.users["coordinator_de"])
    own = client.get("/audit", query_string={"reference": _reference(world, "request_sent")})
    other = client.get("/audit", query_string={"reference": _reference(world, "request_foreign")})

    # Then the German read is there with the officer's e-mail, the French-Italian one not
    assert own.status_code == 200
    body = _text(own)
    assert world.users["handler"].email in body and "Authority A Berlin" in body
    assert '<td data-label="Action">Request: Read</td>' in body
    assert other.status_code == 200
    assert "No audit entry matches." in other.get_data(True)


def test_the_search_itself_is_audited_without_the_filter_values(client, world):
    sign_in(client, world.users["coordinator_de"])
    email = world.users["handler"].email

    response = client.get("/audit", query_string={"email": email, "action": "request.viewed"})

    assert response.status_code == 200
    row = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "audit_event.searched")
    ).one()
    assert row.actor_id == world.users["coordinator_de"].id
    assert row.details["filters"] == ["email", "action"]
    assert email not in str(row.details)


def test_filters_by_user_action_and_dates(client, world):
    handler, viewer = actor_of(world.users["handler"]), actor_of(world.users["viewer"])
    audit.read(handler, "request.viewed", "request", world.ids["request_sent"])
    audit.read(viewer, "request.list_viewed", "request", "", ids=[1])
    sign_in(client, world.users["coordinator_de"])

    by_user = client.get("/audit", query_string={"email": world.users["viewer"].email.upper()})
    assert world.users["viewer"].email in _text(by_user)
    assert world.users["handler"].email not in _text(by_user)

    by_action = client.get("/audit", query_string={"action": "request.list_viewed"}).get_data(True)
    assert '<td data-label="Action">Request: Read in a list</td>' in by_action
    assert '<td data-label="Action">Request: Read</td>' not in by_action

    future = client.get("/audit", query_string={"since": "2999-01-01"})
    assert "No audit entry matches." in future.get_data(True)


def test_a_bad_date_is_shown_with_the_values_kept(client, world):
    sign_in(client, world.users["coordinator_de"])

    response = client.get("/audit", query_string={"since": "31.01.2027", "email": "x@example.eu"})

    assert response.status_code == 400
    body = response.get_data(True)
    assert "Enter a date like 2027-01-31." in body
    assert 'value="31.01.2027"' in body and 'value="x@example.eu"' in body
    assert "<title>Error:" in body


def test_pages_newest_first(client, world):
    handler = actor_of(world.users["handler"])
    for n in range(60):
        audit.by_actor(handler, "request.viewed", "request", world.ids["request_sent"], n=n)
    db.session.commit()
    sign_in(client, world.users["coordinator_de"])

    first = _text(client.get("/audit", query_string={"action": "request.viewed"}))
    assert _rows(first) == 50
    assert "n=59" in first and "n=10" in first and "n=9<" not in first
    assert "Older entries" in first

    link = first.split("Older entries")[0].rsplit('href="', 1)[1].split('"')[0]
    second = _text(client.get(link.replace("&amp;", "&")))
    assert "n=9<" in second and "n=0<" in second and "n=10<" not in second
    assert "Older entries" not in second


@pytest.mark.parametrize("principal", ["handler", "admin", "viewer", "coordinator_eu"])
def test_others_are_refused(client, world, principal):
    sign_in(client, world.users[principal])
    assert client.get("/audit").status_code == 403


def test_other_countrys_coordinator_sees_reads_of_shared_cases_only(client, world):
    # Given authority A (DE) reads its request to Paris and its own German record
    handler = actor_of(world.users["handler"])
    audit.read(handler, "request.viewed", "request", world.ids["request_sent"])
    audit.read(handler, "repository_record.viewed", "repository_record", world.ids["record_own"])

    # When France's coordinator looks at the German officer's rows
    sign_in(client, world.users["coordinator_fr"])
    body = client.get("/audit", query_string={"email": world.users["handler"].email}).get_data(True)

    # Then the read of the shared request is there, the German record's is not
    assert '<td data-label="Action">Request: Read</td>' in body
    assert _reference(world, "request_sent") in body
    assert "Repository record: Read" not in body.split("<tbody>")[1]
