"""Parallel requests cannot get around the rules: the throttle counts an attempt before
it is evaluated, and one TOTP code signs in once. On both databases, with real threads."""

from __future__ import annotations

from app.extensions import db
from app.services import auth, credentials
from tests.concurrency import in_parallel
from tests.factories import make_authority, make_user

ATTACKER = "198.51.100.66"
WRONG = "not the password at all"


def _officer(target, **changes) -> tuple[int, str, str]:
    """A user in the target app's database: id, e-mail and TOTP secret."""
    with target.app_context():
        user = make_user(make_authority("AT"), ["handler"])
        for name, value in changes.items():
            setattr(user, name, value)
        db.session.commit()
        return user.id, user.email, user.totp_secret


def test_f5_parallel_wrong_passwords_are_counted_atomically(each_database, monkeypatch):
    # given twelve wrong passwords for one account from one address, sent at once
    _id, email, _secret = _officer(each_database)
    evaluated = []
    check = credentials.check_password
    monkeypatch.setattr(credentials, "check_password", lambda *a: evaluated.append(1) or check(*a))

    # when they are all handled in parallel
    outcomes = in_parallel(
        each_database, lambda: auth.check_password_step(email, WRONG, ATTACKER), 12
    )

    # then only the five the limit allows were evaluated; the others were refused
    assert len(evaluated) == 5
    assert outcomes.count(None) == 5
    assert [type(o) for o in outcomes if o is not None] == [auth.Throttled] * 7
