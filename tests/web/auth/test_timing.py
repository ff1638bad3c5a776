"""F9: "we mail you a link if the account exists" takes as long whether it exists or not."""

from __future__ import annotations

import pytest

from tests.factories import make_authority, make_user
from tests.timing import PADDING, TOLERANCE, steady_gap


@pytest.mark.parametrize("instance", ["production", "training"])
def test_f9_forgot_password_takes_as_long_for_a_real_and_an_unknown_account(
    app, training_app, client, smtp_server, monkeypatch, instance
):
    # given a real account (in the instance's own database) and an unknown address
    target, prefix = (app, "") if instance == "production" else (training_app, "/training")
    monkeypatch.setitem(target.config, "UNIFORM_RESPONSE_SECONDS", PADDING)
    with target.app_context():
        email = make_user(make_authority("AT"), ["handler"]).email

    # when both ask for a reset link, in turns
    gap, rounds = steady_gap(
        client, f"{prefix}/password/forgot", {"email": email}, {"email": "nobody@example.eu"}
    )

    # then the answers take the same time, and the real one was mailed
    assert abs(gap) < TOLERANCE, f"median gap {gap * 1000:.1f} ms"
    assert len(smtp_server.to(email)) == 7 * rounds
