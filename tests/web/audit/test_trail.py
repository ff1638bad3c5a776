"""The audit trail page: national coordinators search the rows of their country, newest
first, with filters; the search is audited; everybody else is refused."""

from __future__ import annotations

import html5lib
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Request
from app.models.base import utcnow
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

    # dates as typed in the day, month and year inputs
    future = client.get("/audit", query_string=_date("since", "1", "1", "2999"))
    assert "No audit entry matches." in future.get_data(True)
    past = client.get("/audit", query_string=_date("until", "31", "12", "1999"))
    assert "No audit entry matches." in past.get_data(True)
    today = utcnow().date()
    around = client.get(
        "/audit",
        query_string={
            **_date("since", str(today.day), str(today.month), str(today.year)),
            **_date("until", str(today.day), str(today.month), str(today.year)),
            "email": world.users["viewer"].email,
        },
    )
    assert around.status_code == 200 and world.users["viewer"].email in _text(around)
    # and an ISO date in the address (a link written by hand) still works
    iso = client.get("/audit", query_string={"since": "2999-01-01"})
    assert "No audit entry matches." in iso.get_data(True)


def _date(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def test_the_dates_are_day_month_and_year_inputs(client, world):
    sign_in(client, world.users["coordinator_de"])

    root = html5lib.parse(client.get("/audit").get_data(True), namespaceHTMLElements=False)

    for name, legend in (("since", "From (date)"), ("until", "Until (date)")):
        [fieldset] = [
            f for f in root.iter("fieldset") if f.find(f".//input[@name='{name}-day']") is not None
        ]
        assert "".join(fieldset.find("legend").itertext()).strip() == legend
        inputs = fieldset.findall(".//input")
        assert [i.get("name") for i in inputs] == [f"{name}-{p}" for p in ("day", "month", "year")]
        assert {i.get("type") for i in inputs} == {"text"} and not root.findall(
            ".//input[@type='date']"
        )
        assert {i.get("inputmode") for i in inputs} == {"numeric"}
        hint = fieldset.find(".//p[@class='hint']")
        assert fieldset.get("aria-describedby") == hint.get("id")


@pytest.mark.parametrize(
    ("parts", "message", "marked"),
    [
        (("", "1", "2027"), "The start date must include a day", ["since-day"]),
        (
            ("31", "", ""),
            "The start date must include a month and a year",
            ["since-month", "since-year"],
        ),
        (
            ("31", "2", "2027"),
            "The start date must be a real date",
            ["since-day", "since-month", "since-year"],
        ),
        (
            ("x", "1", "2027"),
            "The start date must be a real date",
            ["since-day", "since-month", "since-year"],
        ),
    ],
    ids=["no-day", "no-month-year", "not-real", "not-a-number"],
)
def test_a_bad_date_is_shown_with_the_values_kept(client, world, parts, message, marked):
    sign_in(client, world.users["coordinator_de"])

    response = client.get(
        "/audit", query_string={**_date("since", *parts), "email": "x@example.eu"}
    )

    # the form comes back with one message, linked to the first wrong input
    assert response.status_code == 400
    body = response.get_data(True)
    assert "<title>Error:" in body
    root = html5lib.parse(body, namespaceHTMLElements=False)
    links = root.findall(".//div[@class='error-summary']//a")
    assert [(a.get("href"), "".join(a.itertext())) for a in links] == [(f"#{marked[0]}", message)]
    # the wrong parts marked, and everything typed kept
    invalid = [i.get("name") for i in root.iter("input") if i.get("aria-invalid")]
    assert invalid == marked
    for part, value in zip(("day", "month", "year"), parts, strict=True):
        assert root.find(f".//input[@name='since-{part}']").get("value") == value
    assert 'value="x@example.eu"' in body


def test_a_date_in_the_address_that_is_no_date_is_refused(client, world):
    sign_in(client, world.users["coordinator_de"])
    response = client.get("/audit", query_string={"until": "31.01.2027"})
    assert response.status_code == 400
    assert "The end date must be a real date" in response.get_data(True)


def test_a_german_page_names_the_date_in_german(client, world):
    coordinator = world.users["coordinator_de"]
    coordinator.language = "de"
    db.session.commit()
    sign_in(client, coordinator)
    response = client.get("/audit", query_string=_date("since", "", "1", "2027"))
    with force_locale("de"):
        expected = str(_("%(field)s must include a day", field=str(_l("the start date"))))
    expected = expected[:1].upper() + expected[1:]
    assert expected in response.get_data(True)


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
