"""Rate limits: sign-in attempts, and the forms anyone can send (public forms, /register).

A use is counted BEFORE the guarded work starts, with one atomic statement per key:
`INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count` on a row per
key and time window, committed at once. Parallel requests each get a different count,
so twelve parallel guesses against a limit of five evaluate five, on PostgreSQL and on
SQLite alike (counting first and inserting later let all twelve through). A use over
the limit is refused and given back, so a refused client does not dig itself deeper.
The estimate slides: the previous window weighs in proportion to the part of it still
inside the last `seconds`, so a burst across a window boundary is not counted twice
as generously.

Why counters in the database, not Flask-Limiter with its Redis storage:
- The embedded mode has no Redis. Flask-Limiter would fall back to memory there, which
  counts per worker process: with four workers, four times the limit.
- Sign-in must fail closed. A database error already fails the request (nothing signs in
  without the database); a Redis outage would either stop every sign-in as well or, with
  errors swallowed, leave guessing unlimited. Counters in the database add no new way
  to fail.
- The sign-in rules need more than a decorator: keys from the posted e-mail address,
  the attempt reserved before the password is evaluated and given back when it was not
  a failure, and the account's count for an address cleared when its user signs in.
  That is a few lines here, and awkward around a per-route decorator.
- One mechanism, with the data it protects: purged by the same `purge` commands, held
  in the same backups, and tested on the same two databases.

Keys are keyed hashes (SECRET_KEY) of the rule and its parts: no address or e-mail
address is stored in readable form.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import RateCounter
from app.models.base import utcnow


@dataclass(frozen=True)
class Rule:
    limit: int
    seconds: int


# At most `limit` uses per `seconds`, per key.
RULES = {
    # Sign-in attempts (password and second factor), see credentials.reserve_attempt.
    "sign_in.account_address": Rule(5, 900),
    "sign_in.address": Rule(30, 900),
    "sign_in.account": Rule(50, 900),
    "sign_in.device": Rule(5, 900),  # a browser known for the account: instead of the above
    # Forms open to anyone, per client address: each sends mail or stores a case.
    "public.submit": Rule(10, 3600),
    "public.confirm": Rule(20, 3600),
    "public.reply": Rule(20, 3600),
    "public.lost_link": Rule(5, 3600),
    "register": Rule(5, 3600),
    # The European Professional Card: accounts, sign-in and the public verification page.
    "epc.register": Rule(5, 3600),
    "epc.sign_in": Rule(10, 900),
    "epc.verify": Rule(30, 3600),
}


@dataclass(frozen=True)
class Use:
    """One counted use: where it was counted, so that it can be given back."""

    key: str
    window_start: int


def key_of(rule: str, *parts: str) -> str:
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, "\x1f".join((rule, *parts)).encode(), hashlib.sha256).hexdigest()


def _count_one_more(key: str, window_start: int, seconds: int) -> int:
    """Add one to the key's counter of the window, atomically; the new count."""
    insert = (
        postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    )
    expires_at = datetime.fromtimestamp(window_start + 2 * seconds, UTC)
    statement = (
        insert(RateCounter)
        .values(key=key, window_start=window_start, count=1, expires_at=expires_at)
        .on_conflict_do_update(
            index_elements=[RateCounter.key, RateCounter.window_start],
            set_={"count": RateCounter.count + 1},
        )
        .returning(RateCounter.count)
    )
    return db.session.execute(statement).scalar_one()


def take(rule: str, *parts: str) -> Use | None:
    """Count one use under `rule` now, or None when it would go over the limit (and then
    nothing is counted). Commits: the count must be visible to parallel requests before
    the guarded work starts."""
    limit, seconds = RULES[rule].limit, RULES[rule].seconds
    key = key_of(rule, *parts)
    now = utcnow().timestamp()
    window_start = int(now // seconds * seconds)
    count = _count_one_more(key, window_start, seconds)
    db.session.commit()
    previous = db.session.scalar(
        select(RateCounter.count).where(
            RateCounter.key == key, RateCounter.window_start == window_start - seconds
        )
    )
    still_inside = 1 - (now - window_start) / seconds
    use = Use(key, window_start)
    if count + (previous or 0) * still_inside > limit:
        give_back([use])
        return None
    return use


def take_all(uses: Sequence[tuple[str, tuple[str, ...]]]) -> list[Use] | None:
    """One use under each (rule, parts), or None and none counted if any is over."""
    taken: list[Use] = []
    for rule, parts in uses:
        use = take(rule, *parts)
        if use is None:
            give_back(taken)
            return None
        taken.append(use)
    return taken


def give_back(uses: Sequence[Use]) -> None:
    """Uncount uses that turned out not to count (a refusal, a correct password); commits."""
    for use in uses:
        db.session.execute(
            update(RateCounter)
            .where(
                RateCounter.key == use.key,
                RateCounter.window_start == use.window_start,
                RateCounter.count > 0,
            )
            .values(count=RateCounter.count - 1)
        )
    db.session.commit()


def clear(rule: str, *parts: str) -> None:
    """Forget every use of the key (the caller commits)."""
    db.session.execute(delete(RateCounter).where(RateCounter.key == key_of(rule, *parts)))


def allow(form: str, address: str) -> bool:
    """Count one use of an open form by a client address; False once over its limit.
    A post refused for its CSRF token, whose form is only drawn again with what was
    typed, is not counted (app/errors.py): such posts, however many, write nothing."""
    from app.errors import csrf_refused

    return csrf_refused() or take(form, address) is not None


def purge() -> int:
    """Delete counters no window looks at any more (the caller commits); how many."""
    result = db.session.execute(delete(RateCounter).where(RateCounter.expires_at < utcnow()))
    return result.rowcount or 0
