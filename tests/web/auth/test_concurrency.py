"""Parallel requests cannot get around the rules: the throttle counts an attempt before
it is evaluated, and one TOTP code signs in once. On both databases, with real threads."""

from __future__ import annotations

import contextlib
import threading

import pyotp
import pytest

from app.accounts import auth, credentials
from app.extensions import db
from app.models import User
from app.models.accounts import UserStatus
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


@pytest.mark.parametrize("step", ["sign-in", "enrolment", "recovery code"])
def test_f10_one_totp_code_signs_in_once_under_concurrency(each_database, step, monkeypatch):
    # given one valid code (or recovery code), sent four times at once
    if step != "enrolment":
        user_id, _email, secret = _officer(each_database)
    else:
        user_id, _email, secret = _officer(
            each_database, status=UserStatus.INVITED, totp_enrolled=False, totp_secret=None
        )
        secret = credentials.new_totp_secret()
    code = pyotp.TOTP(secret).now()
    if step == "recovery code":
        with each_database.app_context():
            code = credentials.new_recovery_codes(db.session.get(User, user_id))[0]
            db.session.commit()
    verify, arrived = credentials.verify_totp, threading.Barrier(4, timeout=5)

    def verify_together(*args):
        # The race at its widest: every request has read the user before any checks.
        with contextlib.suppress(threading.BrokenBarrierError):
            arrived.wait()  # a request waiting on a row lock never arrives
        return verify(*args)

    monkeypatch.setattr(credentials, "verify_totp", verify_together)

    def use_code():
        user = db.session.get(User, user_id)
        if step != "enrolment":
            return auth.check_code_step(user, code, ATTACKER)
        return auth.confirm_totp(user, secret, code, ATTACKER) is not None

    # when they are handled in parallel
    outcomes = in_parallel(each_database, use_code, 4)

    # then exactly one is accepted, the others are refused without an error
    assert sorted(outcomes, key=str) == [False, False, False, True]
