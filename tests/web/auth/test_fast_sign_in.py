"""The tests' quick sign-in (tests.factories.sign_in) leaves what the real one leaves: the
same session row, the same cookies and the same audit row. Other tests rely on it being
indistinguishable to the app from both factors through the pages (sign_in_fully)."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from app.models.accounts import WebSession
from tests.factories import csrf_token, make_authority, make_user, sign_in, sign_in_fully

# Everything about a cookie but its value and its expiry date (which is "now + max_age").
COOKIE_FIELDS = ("key", "domain", "path", "max_age", "secure", "http_only", "same_site")


def _cookies(client, app) -> list[tuple | None]:
    """The session cookie and the known-device cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    cookies = [client.get_cookie(name), client.get_cookie(f"{name}_device")]
    return [c and tuple(getattr(c, field) for field in COOKIE_FIELDS) for c in cookies]


def _session_of(client, app) -> dict:
    token = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    row = db.session.get(WebSession, hashlib.sha256(token.encode()).hexdigest())
    assert row is not None
    return {"user_id": row.user_id, **row.data}


def _without_time(session: dict) -> dict:
    assert session.pop("signed_in_at")
    return session


def _sign_ins() -> list[dict]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.signed_in").order_by(AuditEvent.id)
    )
    return [{"actor": r.actor_id, **r.details} for r in rows]


def test_quick_sign_in_leaves_what_the_real_one_leaves(app, client, other_client):
    # Given an officer who chose German as a visitor in both browsers
    user = make_user(make_authority("DE"), ["handler"])
    for browser in (client, other_client):
        token = csrf_token(browser.get("/sign-in"))
        browser.post("/language", data={"csrf_token": token, "language": "de", "next": "/"})

    # When one browser signs in quickly and the other through both steps
    sign_in(client, user)
    sign_in_fully(other_client, user)

    # Then both hold the same session data, cookies and audit row
    quick, real = _session_of(client, app), _session_of(other_client, app)
    assert _without_time(quick) == _without_time(real)
    assert quick["user_id"] == user.id and quick["_user_id"] == str(user.id)
    assert None not in _cookies(client, app)
    assert _cookies(client, app) == _cookies(other_client, app)
    first, second = _sign_ins()
    assert first == second == {"actor": user.id, "address": "127.0.0.1", "recovery_code": False}
    # and the quick session works like the real one
    for browser in (client, other_client):
        assert browser.get("/account").status_code == 200


def test_quick_sign_in_to_training_uses_the_training_instance(app, client, training_app):
    with training_app.app_context():
        email = make_user(make_authority("DE"), ["handler"]).email

    sign_in(client, SimpleNamespace(email=email), prefix="/training")

    assert client.get_cookie(training_app.config["SESSION_COOKIE_NAME"]) is not None
    assert client.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
    assert client.get("/training/account").status_code == 200
    assert client.get("/account").status_code == 302


def test_quick_sign_in_refuses_what_the_real_one_refuses(app, client):
    user = make_user(make_authority("DE"), ["handler"])
    with pytest.raises(AssertionError, match="wrong password"):
        sign_in(client, user, password="not the password")
    assert client.get("/account").status_code == 302
