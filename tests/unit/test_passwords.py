"""Passwords are kept as Argon2id at a cost meant for production (the test suite swaps
in a cheap hasher: tests/conftest.py `cheap_password_hashing`)."""

from __future__ import annotations

from argon2 import Type

from app.accounts import credentials


def test_production_hasher_is_argon2id_at_rfc_9106_cost():
    hasher = credentials.HASHER

    assert hasher.type == Type.ID
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    assert hasher.hash("violet harbour lantern 42").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_password_hashed_at_another_cost_is_rehashed_at_sign_in():
    from types import SimpleNamespace

    from argon2 import PasswordHasher

    old = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("violet harbour 42")
    user = SimpleNamespace(password_hash=old)
    saved = credentials._hasher
    credentials._hasher = credentials.HASHER
    try:
        assert credentials.check_password(user, "violet harbour 42")
    finally:
        credentials._hasher = saved
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
