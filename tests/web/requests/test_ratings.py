"""Counterpart ratings (issue 19, section 3): who may rate the reply to a request, who sees
a rating, and what is left of it after the request's personal data are erased.

The world is the one of test_who_may_act.py: Germany's Approbation office (Berlin) asks
France's medical council (Paris); Vienna and Rome are third authorities; the national
coordinators of Germany, France and Italy, and the Commission, coordinate. The outcomes
are written out here, from the issue: the requesting authority's handlers and allocators
rate the reply once the request is closed, once; the rating is seen by the two
authorities and by the coordinators governing the rated (responding) authority, and by
no third party (not even the requesting authority's own coordinator).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from flask_babel import force_locale, gettext
from markupsafe import escape

from app.cases import requests
from app.cases.requests import ratings
from app.extensions import db
from app.models import AuditEvent, Membership, ReplyRating, Request, User
from app.models.base import utcnow
from app.policy import Actor
from app.records import retention
from tests.factories import client_with, count_statements
from tests.web.requests.test_who_may_act import (
    ANSWERED,
    CLOSED,
    PEOPLE,
    STATES,
    build,
    world,  # noqa: F401 (the fixture)
)

COMMENT = "Antwort kam spät, aber vollständig."


def _actor(user: User) -> Actor:
    return Actor(user, db.session.query(Membership).filter_by(user_id=user.id).one())


# --- who may rate ------------------------------------------------------------------------------

RATERS = {"requester handler", "requester allocator"}


def may_rate(state: str, who: str) -> bool:
    return state == CLOSED and who in RATERS


def rate_refusal(state: str, who: str) -> int:
    """The status of a refused rating: a viewer changes nothing (403); a case one may not
    see is not there (404); anyone else gets the case page again with the reason (400)."""
    where, roles = PEOPLE[who].where, PEOPLE[who].roles
    if PEOPLE[who].areas:  # roles in other legislative areas only: the case is not theirs
        return 404
    if roles == ("viewer",):
        return 403
    party = where == "requester" or (where == "responder" and state != "draft")
    referred = where == "coordinator" and state == "sent, disagreement referred"
    return 400 if party or referred else 404


EXPECTED_REFUSALS_WHEN_CLOSED = {
    # written out for the one state where rating is possible at all
    "requester admin": 400,
    "requester viewer": 403,
    "responder allocator": 400,
    "responder handler": 400,
    "responder admin": 400,
    "responder viewer": 403,
    "third authority (AT)": 404,
    "other country (IT)": 404,
    "coordinator DE (requester's)": 404,
    "coordinator FR (responder's)": 404,
    "coordinator IT": 404,
    "Commission": 404,
    # handlers of both sides whose roles hold in the services area only (the request is
    # about professional qualifications)
    "requester handler, services only": 404,
    "responder handler, services only": 404,
}
VALID = {"rate-timeliness": "2", "rate-satisfaction": "4", "rate-comment": COMMENT}


def _snapshot(request_id: int) -> tuple:
    db.session.expire_all()
    rows = db.session.query(ReplyRating).filter_by(request_id=request_id).all()
    audited = (
        db.session.query(AuditEvent)
        .filter(AuditEvent.action == "request.rated", AuditEvent.object_id == str(request_id))
        .count()
    )
    return [(r.rater_authority_id, r.timeliness, r.satisfaction) for r in rows], audited


def _rate(client, token, request_id, data=VALID):
    return client.post(f"/requests/{request_id}/rating", data={"csrf_token": token, **data})


def test_the_expected_refusals_are_those_of_the_rule():
    for who, status in EXPECTED_REFUSALS_WHEN_CLOSED.items():
        assert rate_refusal(CLOSED, who) == status, who
    assert set(EXPECTED_REFUSALS_WHEN_CLOSED) | RATERS == set(PEOPLE)


def test_who_may_rate_a_reply(app, world):  # noqa: F811
    # given everyone signed in and a case in every state
    people, users, cases, sessions = world
    clients = {who: client_with(app, cookies) for who, (cookies, _) in sessions.items()}
    tokens = {who: token for who, (_, token) in sessions.items()}
    failures = []
    for state in STATES:
        item = cases[state][0]
        before = _snapshot(item.id)
        # when each one who may not rate tries, then the written status, nothing changed
        for who in PEOPLE:
            if may_rate(state, who):
                continue
            expected = (
                EXPECTED_REFUSALS_WHEN_CLOSED[who] if state == CLOSED else rate_refusal(state, who)
            )
            status = _rate(clients[who], tokens[who], item.id).status_code
            if status != expected:
                failures.append(f"{state} / {who}: {status}, not {expected}")
        if _snapshot(item.id) != before:
            failures.append(f"{state}: refused, but a rating or its audit record was written")
        # when each one who may rate does, on a closed case of their own, then it is kept
        for who in sorted(RATERS):
            if not may_rate(state, who):
                continue
            own = build(people, state)
            response = _rate(clients[who], tokens[who], own.id)
            rows, audited = _snapshot(own.id)
            if response.status_code != 302 or len(rows) != 1 or audited != 1:
                failures.append(f"{state} / {who}: {response.status_code}, {rows}, {audited}")
            elif rows[0] != (people.authorities["berlin"].id, 2, 4):
                failures.append(f"{state} / {who}: kept as {rows[0]}")
    assert not failures, "\n".join(failures)


def test_a_reply_is_rated_once_by_the_requesting_authority(app, world):  # noqa: F811
    # given a closed request its handler has rated
    people, users, cases, sessions = world
    item = build(people, CLOSED)
    handler = client_with(app, sessions["requester handler"][0])
    assert _rate(handler, sessions["requester handler"][1], item.id).status_code == 302
    before = _snapshot(item.id)
    # when an allocator of the same authority rates it again
    allocator = client_with(app, sessions["requester allocator"][0])
    again = _rate(
        allocator,
        sessions["requester allocator"][1],
        item.id,
        {"rate-timeliness": "4", "rate-satisfaction": "4"},
    )
    # then it is refused, the first rating stands, and the page says so
    assert again.status_code == 302
    assert _snapshot(item.id) == before
    page = allocator.get(f"/requests/{item.id}").get_data(as_text=True)
    assert "rate-timeliness" not in page  # no form any more
    assert COMMENT in page


def test_the_service_refuses_a_second_rating_and_the_unique_row_holds(app, world):  # noqa: F811
    people, users, cases, sessions = world
    item = build(people, CLOSED)
    actor = _actor(users["requester handler"])
    ratings.rate(actor, item, 3, 3)
    with pytest.raises(requests.RequestError) as refused:
        ratings.rate(_actor(users["requester allocator"]), item, 1, 1)
    assert refused.value.code == "rated"
    with pytest.raises(requests.RequestError) as off:
        ratings.rate(actor, build(people, CLOSED), 5, 3)
    assert off.value.code == "scale"
    assert db.session.query(ReplyRating).filter_by(request_id=item.id).count() == 1


# --- the form -----------------------------------------------------------------------------------


def test_the_form_comes_back_with_its_values_and_one_error_per_field(app, world):  # noqa: F811
    # given a closed request
    people, users, cases, sessions = world
    item = build(people, CLOSED)
    cookies, token = sessions["requester handler"]
    client = client_with(app, cookies)
    # when its handler sends the rating with no timeliness and a forged satisfaction
    response = _rate(
        client,
        token,
        item.id,
        {"rate-satisfaction": "9", "rate-comment": COMMENT},
    )
    page = response.get_data(as_text=True)
    # then the page comes back with one error per field and the comment kept
    assert response.status_code == 400
    assert page.count('id="rate-timeliness-error"') == 1
    assert page.count('id="rate-satisfaction-error"') == 1
    # (the officer reads German: the messages as the catalog words them)
    with app.test_request_context(), force_locale("de"):
        timeliness = str(escape(gettext("Choose how you rate the timeliness of the reply.")))
        satisfaction = str(escape(gettext("Choose how satisfied you are with the reply.")))
    assert page.count(timeliness) == 2  # summary+field
    assert page.count(satisfaction) == 2
    assert COMMENT in page
    assert db.session.query(ReplyRating).filter_by(request_id=item.id).count() == 0
    # and a chosen value comes back chosen
    again = _rate(client, token, item.id, {"rate-timeliness": "3"}).get_data(as_text=True)
    assert 'id="rate-timeliness-1" name="rate-timeliness" type="radio" value="3"' in again
    chosen = again.split('value="3"')[0].rsplit("<input", 1)[1]
    assert "checked" in chosen


# --- who sees a rating ---------------------------------------------------------------------------

# who -> (sees the closed case's page, sees the rating there, the coordinators' ratings
# page: its status, and whether the rating is on it)
SEES = {
    "requester handler": (True, True, 403, False),
    "requester allocator": (True, True, 403, False),
    "requester admin": (True, True, 403, False),
    "requester viewer": (True, True, 403, False),
    "responder allocator": (True, True, 403, False),
    "responder handler": (True, True, 403, False),
    "responder admin": (True, True, 403, False),
    "responder viewer": (True, True, 403, False),
    "third authority (AT)": (False, False, 403, False),
    "other country (IT)": (False, False, 403, False),
    # the requesting authority's own coordinator is a third party to the rating
    "coordinator DE (requester's)": (False, False, 200, False),
    "coordinator FR (responder's)": (False, False, 200, True),
    "coordinator IT": (False, False, 200, False),
    "Commission": (False, False, 200, False),
}
# While a disagreement on the closed request is referred, the coordinators of both
# countries read its case page: only the rated authority's sees the rating.
SEES_REFERRED = {
    "coordinator DE (requester's)": False,
    "coordinator FR (responder's)": True,
}


def _rated_case(people, users, refer: bool = False) -> Request:
    item = build(people, ANSWERED)
    asker = _actor(users["requester handler"])
    if refer:
        requests.refer(asker, item, "Die Antwort ist unvollständig.")
    requests.close(asker, item)
    ratings.rate(asker, item, 1, 2, COMMENT)
    return item


def test_who_sees_a_rating(app, world):  # noqa: F811
    # given a closed request whose reply the requesting authority rated, with a comment
    people, users, cases, sessions = world
    item = _rated_case(people, users)
    failures = []
    for who, (case_page, on_page, ratings_status, on_ratings) in SEES.items():
        client = client_with(app, sessions[who][0])
        # when each opens the case page and the coordinators' ratings page
        page = client.get(f"/requests/{item.id}")
        listing = client.get("/coordination/ratings")
        # then each sees what the table says
        seen = (
            page.status_code == 200,
            COMMENT in page.get_data(as_text=True),
            listing.status_code,
            COMMENT in listing.get_data(as_text=True),
        )
        if seen != (case_page, on_page, ratings_status, on_ratings):
            failures.append(f"{who}: {seen}")
    assert not failures, "\n".join(failures)


def test_a_referral_shows_the_rating_to_the_rated_authoritys_coordinator_only(app, world):  # noqa: F811
    people, users, cases, sessions = world
    item = _rated_case(people, users, refer=True)
    for who, expected in SEES_REFERRED.items():
        page = client_with(app, sessions[who][0]).get(f"/requests/{item.id}")
        assert page.status_code == 200, who
        assert (COMMENT in page.get_data(as_text=True)) is expected, who


def test_a_delegated_coordinator_sees_only_its_procedures_ratings(app, world):  # noqa: F811
    from app.models import AuthorityKind
    from tests.factories import make_authority, make_user
    from tests.web.requests.conftest import as_user

    people, users, cases, sessions = world
    _rated_case(people, users)
    other = make_authority(
        "FR",
        name="Coordinateur délégué, services",
        kind=AuthorityKind.DELEGATED_COORDINATOR,
    )
    other.coordinated_procedures = ["services_general"]
    db.session.commit()
    page = as_user(app, make_user(other, ["coordinator"])).get("/coordination/ratings")
    assert page.status_code == 200
    assert COMMENT not in page.get_data(as_text=True)


# --- the case page's statements ----------------------------------------------------------------


def test_the_case_page_runs_as_many_statements_with_a_rating_as_without(app, world):  # noqa: F811
    people, users, cases, sessions = world
    rated, unrated = _rated_case(people, users), build(people, CLOSED)
    for who in ("requester handler", "responder handler"):
        client = client_with(app, sessions[who][0])
        client.get(f"/requests/{rated.id}")  # warm caches
        client.get(f"/requests/{unrated.id}")
        with_rating = count_statements(client, f"/requests/{rated.id}")
        without = count_statements(client, f"/requests/{unrated.id}")
        assert with_rating == without, who


# --- retention ------------------------------------------------------------------------------------


def test_a_rating_outlives_the_erasure_of_the_requests_personal_data(app, world):  # noqa: F811
    # given a rated request
    people, users, cases, sessions = world
    item = _rated_case(people, users)
    request_id, closed = item.id, item.closed_at
    berlin, paris = people.authorities["berlin"].id, people.authorities["paris"].id
    coordinator = client_with(app, sessions["coordinator FR (responder's)"][0])

    # when it is blocked (its 6 months after closure taken as past), then the comment
    # leaves the coordinators' page, the rating stays on it
    assert COMMENT in coordinator.get("/coordination/ratings").get_data(as_text=True)
    item.block_due = utcnow() - timedelta(seconds=1)
    db.session.commit()
    retention.run(as_of=utcnow())
    listing = coordinator.get("/coordination/ratings").get_data(as_text=True)
    assert item.reference in listing and COMMENT not in listing

    # when its personal data are erased, 3 years after closure
    report = retention.run(as_of=closed + relativedelta(years=3) + timedelta(seconds=1))
    assert item.reference in report.erased
    db.session.expire_all()

    # then the rating stays with its numbers and authorities; its comment is gone
    rating = db.session.query(ReplyRating).filter_by(request_id=request_id).one()
    assert (rating.timeliness, rating.satisfaction) == (1, 2)
    assert (rating.rater_authority_id, rating.rated_authority_id) == (berlin, paris)
    assert (rating.rater_country, rating.rated_country) == ("DE", "FR")
    assert rating.comment == ""
    assert db.session.get(Request, request_id).subject == ""
    # and the statistics still count it
    counted = ratings.tally("authority", rating.rated_at, rating.rated_at + timedelta(1))
    assert [(t.key, t.ratings, t.negative) for t in counted] == [(paris, 1, 1)]


# --- the statistics --------------------------------------------------------------------------------


def test_ratings_are_tallied_per_rated_authority_and_country_in_a_period(app, world):  # noqa: F811
    people, users, cases, sessions = world
    paris, lyon = people.authorities["paris"], people.authorities["lyon"]
    vienna = people.authorities["vienna"]
    now = utcnow()
    rows = [
        # (rated authority, timeliness, satisfaction, days ago)
        (paris, 4, 4, 10),
        (paris, 2, 4, 20),
        (paris, 1, 1, 400),  # before the period
        (lyon, 3, 1, 5),
        (vienna, 4, 3, 1),
    ]
    for n, (rated, t, s, ago) in enumerate(rows):
        item = build(people, ANSWERED)
        requests.close(_actor(users["requester handler"]), item)
        db.session.add(
            ReplyRating(
                request_id=item.id,
                rater_authority_id=people.authorities["berlin"].id,
                rated_authority_id=rated.id,
                rater_country="DE",
                rated_country=rated.country,
                procedure_key=item.procedure_key,
                timeliness=t,
                satisfaction=s,
                rated_at=now - timedelta(days=ago, seconds=n),
            )
        )
    db.session.commit()
    start, end = now - timedelta(days=365), now + timedelta(seconds=1)

    by_authority = {t.key: t for t in ratings.tally("authority", start, end)}
    assert set(by_authority) == {paris.id, lyon.id, vienna.id}
    assert (by_authority[paris.id].ratings, by_authority[paris.id].negative) == (2, 1)
    assert by_authority[paris.id].timeliness == 3.0
    assert by_authority[paris.id].negative_share == 0.5
    assert (by_authority[lyon.id].ratings, by_authority[lyon.id].negative) == (1, 1)

    by_country = {t.key: (t.ratings, t.negative) for t in ratings.tally("country", start, end)}
    assert by_country == {"FR": (3, 2), "AT": (1, 0)}
    only_fr = ratings.tally("country", start, end, country="FR")
    assert [(t.key, t.ratings) for t in only_fr] == [("FR", 3)]
    whole = ratings.tally("country", now - timedelta(days=500), end)
    assert {t.key: t.ratings for t in whole}["FR"] == 4
