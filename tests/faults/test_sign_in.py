"""Sign-in while Redis is down still works and is still throttled (its counters are in
the database); when its throttling cannot be checked, sign-in fails closed: a clear
message, no password evaluated, no session."""

from __future__ import annotations

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy.exc import OperationalError

from app.accounts import ratelimit
from tests.factories import PASSWORD
from tests.faults.conftest import free_port, redis_at
from tests.web.auth.helpers import TOO_MANY, WRONG_PASSWORD, is_signed_in, password_step

ATTACKER = {"REMOTE_ADDR": "198.51.100.66"}
UNAVAILABLE = "Signing in is not possible at the moment. Please try again in a few minutes."


def test_with_redis_down_sign_in_works_and_is_still_throttled(app, people):
    with redis_at(app, f"redis://127.0.0.1:{free_port()}/0") as cut:
        officer = people.handler
        # the right password passes the first step
        response = password_step(cut.test_client(), officer.email)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/sign-in/code")
        # and guessing is refused from the sixth attempt on, right password or not
        guesser = cut.test_client()
        for _ in range(5):
            wrong = password_step(guesser, officer.email, "not it", environ_base=ATTACKER)
            assert WRONG_PASSWORD in wrong.get_data(True)
        refused = password_step(guesser, officer.email, PASSWORD, environ_base=ATTACKER)
        assert refused.status_code == 429 and TOO_MANY in refused.get_data(True)


@pytest.mark.parametrize("language", ["en", "de"])
def test_sign_in_fails_closed_when_its_throttling_cannot_be_checked(
    app, people, monkeypatch, language
):
    def counters_fail(*args, **kwargs):
        raise OperationalError("INSERT INTO rate_counter ...", {}, Exception("server closed"))

    monkeypatch.setattr(ratelimit, "_count_one_more", counters_fail)
    client = app.test_client()
    checked = []
    monkeypatch.setattr(
        "app.accounts.credentials.check_password", lambda *a: checked.append(a) or True
    )

    # When the officer gives the right password while the counters cannot be written
    response = password_step(client, people.handler.email, headers={"Accept-Language": language})

    # Then sign-in is refused with a clear message in their language; nothing evaluated
    assert response.status_code == 503
    with force_locale(language):
        expected = gettext(UNAVAILABLE)
    assert expected in response.get_data(True)
    assert "Traceback" not in response.get_data(True)
    assert checked == []
    assert client.get("/sign-in/code").status_code == 302  # no second step
    assert not is_signed_in(client)
