"""SBX: the training instance shares nothing with production: configuration, accounts,
sessions and data stay apart, and its pages say that they are for practice."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest

from app.config import ConfigError, check_isolation
from tests.factories import (
    PASSWORD,
    make_authority,
    make_user,
    post_form,
    sign_in,
    sign_in_fully,
)

BANNER = 'class="training-banner"'


# --- configuration ----------------------------------------------------------------------


@pytest.fixture
def configs(app, training_app):
    return dict(app.config), dict(training_app.config)


def test_test_instances_are_isolated(configs):
    check_isolation(*configs)


@pytest.mark.parametrize(
    "key",
    ["SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "UPLOAD_DIR", "SESSION_COOKIE_NAME", "PUBLIC_URL"],
)
def test_refuses_to_start_when_training_shares_a_setting(configs, key):
    production, training = configs
    training[key] = production[key]
    with pytest.raises(ConfigError, match=key):
        check_isolation(production, training)


def test_refuses_a_shared_redis_prefix_on_the_same_redis(configs):
    production, training = configs
    production["REDIS_URL"] = training["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    training["REDIS_PREFIX"] = production["REDIS_PREFIX"]
    with pytest.raises(ConfigError, match="REDIS_PREFIX"):
        check_isolation(production, training)


def test_same_prefix_on_different_redis_servers_is_allowed(configs):
    production, training = configs
    production["REDIS_URL"] = "redis://127.0.0.1:6379/0"
    training["REDIS_URL"] = "redis://127.0.0.1:6380/0"
    training["REDIS_PREFIX"] = production["REDIS_PREFIX"]
    check_isolation(production, training)


# --- pages ------------------------------------------------------------------------------


def test_training_pages_carry_the_banner_and_production_pages_do_not(client):
    for url in ("/", "/sign-in", "/register"):
        production = client.get(url)
        training = client.get(f"/training{url}")
        assert production.status_code == training.status_code == 200
        assert BANNER not in production.get_data(True), url
        assert BANNER in training.get_data(True), url
        assert "(training)" in training.get_data(True).split("</title>")[0]


def test_training_error_pages_carry_the_banner(client):
    response = client.get("/training/no-such-page")
    assert response.status_code == 404
    assert BANNER in response.get_data(True)


# --- accounts and sessions --------------------------------------------------------------


def _training_user(training_app, roles=("handler",)):
    with training_app.app_context():
        authority = make_authority("DE", name="Übungsbehörde")
        user = make_user(authority, list(roles))
        # The user object outlives its context: keep what sign_in needs.
        return user.email, user.totp_secret


class _Login:
    def __init__(self, email: str, totp_secret: str):
        self.email, self.totp_secret = email, totp_secret


def _password_step(client, email: str, prefix: str = ""):
    return post_form(client, f"{prefix}/sign-in", {"email": email, "password": PASSWORD})


def test_production_user_cannot_sign_in_to_training(client):
    user = make_user(make_authority("DE"), ["handler"])

    response = _password_step(client, user.email, prefix="/training")

    assert response.status_code == 200
    assert "The e-mail address or the password is not right." in response.get_data(True)


def test_training_user_signs_in_only_to_training(client, training_app):
    login = _Login(*_training_user(training_app))

    refused = _password_step(client, login.email)
    assert refused.status_code == 200
    assert "The e-mail address or the password is not right." in refused.get_data(True)

    sign_in_fully(client, login, prefix="/training")
    assert client.get("/training/directory").status_code == 200
    assert client.get("/directory").status_code == 302


def test_instances_use_different_session_cookies(client, training_app):
    production_user = make_user(make_authority("DE"), ["handler"])
    training_login = _Login(*_training_user(training_app))

    sign_in_fully(client, production_user)
    sign_in_fully(client, training_login, prefix="/training")

    production_cookie = client.get_cookie("openimi_session")
    training_cookie = client.get_cookie("openimi-training_session")
    assert production_cookie is not None and training_cookie is not None
    assert production_cookie.value != training_cookie.value


def test_production_session_gives_no_access_to_training(app, client):
    # Given an officer signed in to production
    user = make_user(make_authority("DE"), ["admin"])
    sign_in_fully(client, user)
    token = client.get_cookie("openimi_session").value
    assert client.get("/directory").status_code == 200

    # When the production session token is presented to training, under either cookie name
    plain = client.get("/training/directory")
    other = app.test_client()
    other.set_cookie("openimi-training_session", token)
    replayed = other.get("/training/users")

    # Then training asks to sign in
    for response in (plain, replayed):
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/training/sign-in"


def test_sign_in_from_training_returns_to_the_training_page(client, training_app):
    # Given a training user who opens a training page while signed out
    login = _Login(*_training_user(training_app))
    asked = client.get("/training/directory?q=x")
    sign_in_url = asked.headers["Location"]
    (target,) = parse_qs(urlsplit(sign_in_url).query)["next"]
    assert target.startswith("/training/directory?q=x"), target

    # When they sign in with both factors
    post_form(client, sign_in_url, {"email": login.email, "password": PASSWORD})
    done = post_form(
        client, "/training/sign-in/code", {"code": pyotp.TOTP(login.totp_secret).now()}
    )

    # Then they are back on the training page, not on production's
    assert done.status_code == 302
    assert done.headers["Location"].startswith("/training/directory?q=x")


# --- data -------------------------------------------------------------------------------


def test_production_data_is_not_in_the_training_directory(client, training_app):
    make_authority("FR", name="Autorité réelle de production")
    sign_in(client, _Login(*_training_user(training_app)), prefix="/training")

    training = client.get("/training/directory?q=production").get_data(True)

    assert "Autorité réelle de production" not in training
    assert "No authority matches your search." in training


def test_training_data_is_not_in_the_production_directory(client, training_app):
    _training_user(training_app)
    sign_in(client, make_user(make_authority("DE"), ["viewer"]))

    production = client.get("/directory?q=übung").get_data(True)

    assert "Übungsbehörde" not in production
