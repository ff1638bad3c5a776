"""F4 (issue 14): links in mail are built from PUBLIC_URL, never from the Host header that
whoever sends the request chooses; a request for another host is refused; outside
development the app does not start without the settings it would otherwise guess."""

from __future__ import annotations

import pytest

from app import create_app, jobs
from app.config import ConfigError, load_config
from tests.factories import csrf_token, make_authority, make_user
from tests.web.public.conftest import EMAIL, confirm_case, submit_case, visitor
from tests.web.public.conftest import people as people  # noqa: F401  (a fixture)

EVIL = "evil.example"

PRODUCTION_ENV = {
    "DATABASE_URL": "postgresql+psycopg://openimi@db.invalid/openimi",
    "TRAINING_DATABASE_URL": "postgresql+psycopg://openimi@db.invalid/openimi_training",
    "SECRET_KEY": "p" * 64,
    "TRAINING_SECRET_KEY": "t" * 64,
    "PUBLIC_URL": "https://imi.example.eu",
    "TRAINING_PUBLIC_URL": "https://imi.example.eu/training",
}


# --- the Host header never reaches a mailed link ----------------------------------------


@pytest.fixture
def any_host(app, training_app, monkeypatch):
    """Trusted-host checking off, so that the forged request reaches the form: the link
    must be on PUBLIC_URL all the same (external_url does not read the request)."""
    for target in (app, training_app):
        monkeypatch.setitem(target.config, "TRUSTED_HOSTS", None)


def _attack(client, url: str, email: str):
    """The attacker's own browser: the form and its post, both with Host: evil.example."""
    headers = {"Host": EVIL}
    page = client.get(url, headers=headers)
    return client.post(url, data={"csrf_token": csrf_token(page), "email": email}, headers=headers)


def _mailed_link(smtp_server, email: str, path: str) -> str:
    link = smtp_server.link_in(email)
    assert EVIL not in link
    assert f"{path}/" in link, link
    return link


def test_f4_reset_link_ignores_host_header(client, app, any_host, smtp_server):
    user = make_user(make_authority("AT"), ["handler"])

    assert _attack(client, "/password/forgot", user.email).status_code == 200

    link = _mailed_link(smtp_server, user.email, "/password/reset")
    assert link.startswith("http://localhost/password/reset/")
    assert link.startswith(app.config["PUBLIC_URL"])


def test_f4_training_reset_link_ignores_host_header(client, training_app, any_host, smtp_server):
    with training_app.app_context():
        email = make_user(make_authority("DE"), ["handler"]).email

    assert _attack(client, "/training/password/forgot", email).status_code == 200

    link = _mailed_link(smtp_server, email, "/password/reset")
    assert link.startswith("http://localhost/training/password/reset/")
    assert link.startswith(training_app.config["PUBLIC_URL"])


@pytest.mark.usefixtures("people")
def test_f4_lost_link_ignores_host_header(app, any_host, smtp_server):
    submitter = visitor(app)
    submit_case(submitter)
    confirm_case(submitter, smtp_server)
    smtp_server.messages.clear()

    assert _attack(visitor(app), "/public/lost-link", EMAIL).status_code == 200

    link = _mailed_link(smtp_server, EMAIL, "/public/case")
    assert link.startswith("http://localhost/public/case/")


# --- another host is refused --------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/sign-in", "/public/", "/no-such-page", "/training/sign-in"])
def test_f4_untrusted_host_is_400(client, url):
    response = client.get(url, headers={"Host": EVIL})

    assert response.status_code == 400
    assert EVIL not in response.get_data(True)


def test_f4_untrusted_host_cannot_ask_for_a_reset_link(client, smtp_server):
    user = make_user(make_authority("AT"), ["handler"])
    token = csrf_token(client.get("/password/forgot"))

    response = client.post(
        "/password/forgot",
        data={"csrf_token": token, "email": user.email},
        headers={"Host": f"{EVIL}:443"},
    )

    assert response.status_code == 400
    assert smtp_server.to(user.email) == []


def test_f4_public_and_listed_hosts_are_trusted(client, app, training_app):
    # the test harness: PUBLIC_URL http://localhost, and 127.0.0.1 listed for browser tests
    assert app.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert training_app.config["TRUSTED_HOSTS"] == ["localhost", "127.0.0.1"]
    assert client.get("/sign-in", headers={"Host": "127.0.0.1:5000"}).status_code == 200


# --- production refuses to start without what it would otherwise guess -----------------


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """A complete production environment; each test removes one variable."""
    monkeypatch.delenv("OPENIMI_ENV", raising=False)
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    monkeypatch.setenv("OPENIMI_INSTANCE_DIR", str(tmp_path))
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(jobs, "_apps", dict(jobs._apps))  # create_app registers itself
    return monkeypatch


@pytest.mark.parametrize("name", list(PRODUCTION_ENV))
def test_f4_production_refuses_to_start_without(production_env, name):
    production_env.delenv(name)
    instance = "training" if name.startswith("TRAINING_") else "production"

    with pytest.raises(ConfigError, match=rf"\b{name}\b"):
        create_app(instance)


@pytest.mark.parametrize("value", ["imi.example.eu", "ftp://imi.example.eu", "https://"])
def test_f4_production_refuses_a_public_url_that_is_not_a_web_address(production_env, value):
    production_env.setenv("PUBLIC_URL", value)

    with pytest.raises(ConfigError, match=r"\bPUBLIC_URL\b"):
        create_app("production")


def test_f4_production_starts_with_everything_set(production_env):
    production_env.setenv("TRUSTED_HOSTS", "imi.example.org, www.imi.example.eu")

    production, training = create_app("production"), create_app("training")

    assert production.config["SQLALCHEMY_DATABASE_URI"] == PRODUCTION_ENV["DATABASE_URL"]
    assert production.config["SECRET_KEY"] == PRODUCTION_ENV["SECRET_KEY"]
    assert production.config["TRUSTED_HOSTS"] == [
        "imi.example.eu", "imi.example.org", "www.imi.example.eu",
    ]  # fmt: skip
    assert training.config["PUBLIC_URL"] == PRODUCTION_ENV["TRAINING_PUBLIC_URL"]
    with production.app_context():
        from app import external_url

        assert external_url("auth.sign_in") == "https://imi.example.eu/sign-in"
    with training.app_context():
        assert external_url("auth.sign_in") == "https://imi.example.eu/training/sign-in"


def test_f4_development_starts_with_nothing_set_and_links_to_loopback(monkeypatch, tmp_path):
    monkeypatch.setenv("OPENIMI_ENV", "development")
    monkeypatch.setenv("OPENIMI_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("PORT", "8000")
    for name in [*PRODUCTION_ENV, "TRUSTED_HOSTS"]:
        monkeypatch.delenv(name, raising=False)

    production, training = load_config("production"), load_config("training")

    assert production["PUBLIC_URL"] == "http://127.0.0.1:8000"
    assert training["PUBLIC_URL"] == "http://127.0.0.1:8000/training"
    assert production["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert production["SECRET_KEY"] != training["SECRET_KEY"]
