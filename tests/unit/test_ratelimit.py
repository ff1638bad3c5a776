"""The rate-limit counter, on the test database and on SQLite (the embedded mode)."""

from __future__ import annotations

import time_machine
from sqlalchemy import func, select

from app.accounts import ratelimit
from app.extensions import db
from app.models import RateCounter

NOON = "2030-03-04 12:00:00+00:00"


def test_f5_the_counter_allows_the_limit_then_refuses_without_counting(each_database, monkeypatch):
    monkeypatch.setitem(ratelimit.RULES, "register", ratelimit.Rule(3, 3600))
    with each_database.app_context(), time_machine.travel(NOON, tick=False):
        # given three uses, the limit
        assert all(ratelimit.allow("register", "192.0.2.1") for _ in range(3))

        # when more come, then they are refused and not counted
        assert not ratelimit.allow("register", "192.0.2.1")
        assert not ratelimit.allow("register", "192.0.2.1")
        assert db.session.scalar(select(RateCounter.count)) == 3
        # another address has its own count
        assert ratelimit.allow("register", "192.0.2.2")


def test_f5_uses_given_back_or_cleared_no_longer_count(each_database, monkeypatch):
    monkeypatch.setitem(ratelimit.RULES, "register", ratelimit.Rule(2, 3600))
    with each_database.app_context(), time_machine.travel(NOON, tick=False):
        first = ratelimit.take("register", "192.0.2.1")
        ratelimit.take("register", "192.0.2.1")
        ratelimit.give_back([first])
        assert ratelimit.take("register", "192.0.2.1") is not None
        assert ratelimit.take("register", "192.0.2.1") is None

        ratelimit.clear("register", "192.0.2.1")
        db.session.commit()
        assert ratelimit.take("register", "192.0.2.1") is not None


def test_f5_counters_are_purged_when_no_window_looks_at_them(each_database):
    with each_database.app_context(), time_machine.travel(NOON, tick=False) as traveller:
        ratelimit.allow("register", "192.0.2.1")  # an hour's window
        traveller.shift(3600 + 1800)  # the next window still weighs it
        assert ratelimit.purge() == 0
        traveller.shift(1801)
        assert ratelimit.purge() == 1
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(RateCounter)) == 0


def test_f5_no_address_or_account_is_stored_readable(each_database):
    with each_database.app_context():
        ratelimit.allow("register", "192.0.2.1")
        assert "192.0.2.1" not in db.session.scalar(select(RateCounter.key))


def test_f5_both_purge_commands_delete_old_counters(app):
    def old_counter() -> None:
        with time_machine.travel("2020-01-01 12:00:00+00:00", tick=False):
            ratelimit.allow("register", "192.0.2.1")
        ratelimit.allow("register", "192.0.2.2")  # a current one, kept

    def counters() -> int:
        db.session.expire_all()
        return db.session.scalar(select(func.count()).select_from(RateCounter))

    old_counter()
    result = app.test_cli_runner().invoke(args=["purge", "--instance", "production"])
    assert result.exit_code == 0, result.output
    assert "1 old rate-limit counters, 0 old form keys deleted" in result.output
    assert counters() == 1

    old_counter()
    result = app.test_cli_runner().invoke(args=["public", "purge", "--instance", "production"])
    assert result.exit_code == 0, result.output
    assert counters() == 1
