"""F12 (issue 14): a visitor who is nobody yet costs no row. Their session (the forms'
CSRF token, the language, flash messages, the public-interface markers) lives in a
signed cookie; the server-side row starts when the session starts belonging to someone."""

from __future__ import annotations

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select

from app.extensions import db
from app.models.accounts import WebSession
from app.models.base import Base
from app.sessions import cookie_signer
from tests.factories import csrf_token, make_authority, make_user
from tests.web.auth.helpers import PRIVATE_PAGE, is_signed_in, password_step

GETS = [
    "/",
    "/sign-in",
    "/register",
    "/password/forgot",
    "/public/",
    "/public/lost-link",
    "/directory",
    PRIVATE_PAGE,  # an officer page: a redirect to sign-in
    "/requests/1",
    "/no-such-page",
    "/training/sign-in",
    "/training/password/forgot",
    "/training/account",
]
POSTS = ["/sign-in", "/password/forgot", "/register", "/public/lost-link", "/training/sign-in"]


def _row_counts() -> dict[str, int]:
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def test_f12_anonymous_flood_grows_no_table(app, training_app):
    # given an officer in each instance (so sign-in forms have someone to look up)
    make_user(make_authority("AT"), ["handler"], email="anna@example.eu")
    with training_app.app_context():
        make_user(make_authority("AT"), ["handler"], email="anna@example.eu")
        training_before = _row_counts()
    before = _row_counts()

    # when 200 fresh cookieless clients each send one request
    statuses = set()
    for number in range(200):
        visitor = app.test_client()
        if number % 3 == 2:  # a post without a CSRF token
            url = POSTS[number % len(POSTS)]
            response = visitor.post(url, data={"email": "anna@example.eu", "password": "x"})
            assert response.status_code == 400, url
        else:
            url = GETS[number % len(GETS)]
            response = visitor.get(url)
            assert response.status_code in (200, 302, 404), url
        statuses.add(response.status_code)

    # then no table of either instance has a row more
    assert statuses == {200, 302, 400, 404}
    assert _row_counts() == before
    with training_app.app_context():
        assert _row_counts() == training_before


def test_f12_anonymous_visitor_gets_a_signed_cookie_not_a_row(client, app):
    client.get("/sign-in")

    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    assert db.session.scalar(select(func.count()).select_from(WebSession)) == 0


def test_f12_anonymous_cookie_is_secure_outside_development(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)

    response = client.get("/sign-in", base_url="https://localhost")

    [header] = response.headers.getlist("Set-Cookie")
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_f12_csrf_token_of_another_browser_is_refused(app, client):
    # given two anonymous browsers, each with its own signed cookie
    mine = csrf_token(client.get("/password/forgot"))
    other_client = app.test_client()
    other_client.get("/password/forgot")

    # when the other browser posts my token
    response = other_client.post("/password/forgot", data={"csrf_token": mine, "email": "a@b.eu"})

    # then it is refused, and my own post works
    assert response.status_code == 400
    ok = client.post("/password/forgot", data={"csrf_token": mine, "email": "a@b.eu"})
    assert ok.status_code == 200


def test_f12_a_forged_anonymous_cookie_grants_nothing(app):
    # given a cookie signed with another key, claiming to be a signed-in officer
    officer = make_user(make_authority("AT"), ["handler"])
    forged = URLSafeTimedSerializer("not the server's key").dumps(
        {"_user_id": str(officer.id), "_fresh": True, "signed_in_at": "2030-01-01T00:00:00"}
    )
    forger = app.test_client()
    forger.set_cookie(app.config["SESSION_COOKIE_NAME"], forged)

    # then it opens nothing
    assert not is_signed_in(forger)


def test_f12_a_signed_cookie_may_hold_only_anonymous_keys(app):
    # given a cookie signed as the server signs anonymous sessions, but holding a user id
    officer = make_user(make_authority("AT"), ["handler"])
    value = cookie_signer(app).dumps(
        {"_user_id": str(officer.id), "signed_in_at": "2030-01-01T00:00:00+00:00"}
    )
    client = app.test_client()
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], value)

    # then it opens an empty session: only a row can say who a session belongs to
    assert not is_signed_in(client)


def test_f12_the_row_starts_at_the_password_step(client):
    officer = make_user(make_authority("AT"), ["handler"])
    client.get("/sign-in")
    assert db.session.scalar(select(func.count()).select_from(WebSession)) == 0

    password_step(client, officer.email)

    [row] = db.session.scalars(select(WebSession)).all()
    assert row.user_id == officer.id
