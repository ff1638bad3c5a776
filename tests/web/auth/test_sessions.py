"""Server-side sessions: rotated at sign-in, destroyed at sign-out, limited in time,
ended when the account is suspended; cookies the browser cannot leak to scripts."""

import hashlib

import pyotp
import pytest
import time_machine
from sqlalchemy import func, select

from app.accounts import memberships
from app.config import load_config
from app.extensions import db
from app.models import AuthorityKind, Membership
from app.models.accounts import UserStatus, WebSession
from app.policy import Actor
from app.sessions import end_sessions_of
from tests.factories import csrf_token, make_authority, make_user, sign_in_fully
from tests.web.auth.helpers import (
    PRIVATE_PAGE,
    is_signed_in,
    password_step,
    session_cookie,
    sign_in_again,
    sign_out,
)

FROZEN = "2030-03-04 10:00:07+00:00"


def sessions_of(user) -> int:
    return db.session.scalar(
        select(func.count()).select_from(WebSession).where(WebSession.user_id == user.id)
    )


# --- cookie ----------------------------------------------------------------------------


def session_cookie_headers(app, response) -> list[list[str]]:
    """The attributes of each Set-Cookie header for the session cookie, lower-cased."""
    name = app.config["SESSION_COOKIE_NAME"] + "="
    return [
        [part.strip().lower() for part in header.split(";")]
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith(name)
    ]


def test_session_cookie_is_http_only_and_same_site_lax(client, app, officer):
    # the cookie is set for a visitor, and again (rotated) at sign-in
    first = client.get("/sign-in")
    password_step(client, officer.email)
    token = csrf_token(client.get("/sign-in/code"))
    signed_in = client.post(
        "/sign-in/code",
        data={"csrf_token": token, "code": pyotp.TOTP(officer.totp_secret).now()},
    )
    assert signed_in.status_code == 302

    for response in (first, signed_in):
        cookies = session_cookie_headers(app, response)
        assert len(cookies) == 1
        assert "httponly" in cookies[0]
        assert "samesite=lax" in cookies[0]
        assert "path=/" in cookies[0]


def test_session_cookie_is_secure_when_the_config_says_so(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)

    response = client.get("/sign-in", base_url="https://localhost")

    [cookie] = session_cookie_headers(app, response)
    assert "secure" in cookie


def test_production_configuration_sends_the_cookie_over_https_only(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENIMI_ENV", raising=False)
    monkeypatch.setenv("OPENIMI_INSTANCE_DIR", str(tmp_path))

    config = load_config("production")

    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_configuration_allows_plain_http(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENIMI_ENV", "development")
    monkeypatch.setenv("OPENIMI_INSTANCE_DIR", str(tmp_path))

    assert load_config("production")["SESSION_COOKIE_SECURE"] is False


# --- rotation and sign-out -------------------------------------------------------------


def test_session_token_changes_at_sign_in(client, app, officer):
    # given a visitor with a session (the sign-in form's CSRF token lives in it)
    client.get("/sign-in")
    before = session_cookie(client, app)
    assert before

    # when they sign in
    sign_in_fully(client, officer)

    # then the browser holds a new, long random token
    after = session_cookie(client, app)
    assert after and after != before
    assert len(after) >= 43  # 256 bits in URL-safe base64


def test_token_planted_before_sign_in_gives_no_access(client, other_client, app, officer):
    # given an attacker who planted a session token in the officer's browser
    client.get("/sign-in")
    planted = session_cookie(client, app)

    # when the officer signs in with it
    sign_in_fully(client, officer)

    # then the attacker's copy of the token is not signed in
    other_client.set_cookie(app.config["SESSION_COOKIE_NAME"], planted)
    assert not is_signed_in(other_client)
    assert is_signed_in(client)


def test_database_holds_only_a_digest_of_the_token(client, app, officer):
    sign_in_fully(client, officer)
    token = session_cookie(client, app)

    assert db.session.get(WebSession, token) is None
    row = db.session.get(WebSession, hashlib.sha256(token.encode()).hexdigest())
    assert row is not None
    assert row.user_id == officer.id


def test_old_cookie_replayed_after_sign_out_gives_no_access(client, other_client, app, officer):
    # given a signed-in officer whose cookie was copied
    sign_in_fully(client, officer)
    copied = session_cookie(client, app)
    assert sessions_of(officer) == 1

    # when the officer signs out
    sign_out(client)

    # then the copy no longer opens anything, because the server forgot the session
    assert sessions_of(officer) == 0
    other_client.set_cookie(app.config["SESSION_COOKIE_NAME"], copied)
    response = other_client.get(PRIVATE_PAGE)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert session_cookie(client, app) != copied


def test_sign_out_ends_only_that_session(client, other_client, officer):
    # given the officer signed in on two devices
    sign_in_fully(client, officer)
    sign_in_again(other_client, officer)
    assert sessions_of(officer) == 2

    # when they sign out on one
    sign_out(client)

    # then the other stays signed in
    assert not is_signed_in(client)
    assert is_signed_in(other_client)
    assert sessions_of(officer) == 1


# --- time limits -----------------------------------------------------------------------


def test_session_ends_after_30_minutes_without_activity(client, officer):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        sign_in_fully(client, officer)

        # activity keeps it alive past 30 minutes in all
        traveller.shift(29 * 60)
        assert is_signed_in(client)
        traveller.shift(29 * 60)
        assert is_signed_in(client)

        # 31 minutes of silence end it
        traveller.shift(31 * 60)
        response = client.get(PRIVATE_PAGE)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in?next=")
    page = client.get(response.headers["Location"])
    assert "Your session has ended. Please sign in again." in page.get_data(True)
    assert sessions_of(officer) == 0


def test_session_ends_12_hours_after_sign_in_however_active(client, officer):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        sign_in_fully(client, officer)

        # active every 25 minutes for 11 h 40 min
        for _ in range(28):
            traveller.shift(25 * 60)
            assert is_signed_in(client)

        # 12 h 05 min after signing in
        traveller.shift(25 * 60)
        assert not is_signed_in(client)


def test_a_new_sign_in_after_expiry_works(client, officer):
    with time_machine.travel(FROZEN, tick=False) as traveller:
        sign_in_fully(client, officer)
        traveller.shift(31 * 60)
        assert not is_signed_in(client)

        sign_in_fully(client, officer)

        assert is_signed_in(client)


# --- suspension ------------------------------------------------------------------------


def test_suspending_an_officer_ends_their_session_at_the_next_request(client, officer, authority):
    # given a signed-in officer
    sign_in_fully(client, officer)
    assert is_signed_in(client)

    # when their national coordinator suspends their account
    nimic = make_authority("AT", kind=AuthorityKind.NATIONAL_COORDINATOR)
    coordinator = make_user(nimic, ["coordinator"])
    coordinator_membership = db.session.scalar(
        select(Membership).where(Membership.user_id == coordinator.id)
    )
    memberships.set_account_suspended(Actor(coordinator, coordinator_membership), officer, True)

    # then the very next request is not signed in, and the password is refused
    assert not is_signed_in(client)
    assert sessions_of(officer) == 0
    assert password_step(client, officer.email).status_code == 200


@pytest.mark.parametrize("end_sessions", [True, False], ids=["sessions-ended", "status-only"])
def test_suspended_status_in_the_database_ends_access(client, officer, end_sessions):
    sign_in_fully(client, officer)

    officer.status = UserStatus.SUSPENDED
    if end_sessions:
        end_sessions_of(officer.id)
    db.session.commit()

    assert not is_signed_in(client)
