"""Counts of an authority's open work, kept in Redis from one change to the next.

An inbox shows how many requests wait in each box. For a busy authority (thousands of
open cases) counting them is most of the inbox's cost in PostgreSQL, although they
change only when a case of the authority does. So an authority's counts are kept in
Redis with the *generation* they were counted at: a number per authority and kind that
every committed change which could move a count (a case created, deleted, or changed in
a watched column: its state, its parties, its reply date) increases, after the commit.
A count is used while its generation is the current one; otherwise it is counted again.

The generation is read before counting, and increased only once the change is committed:
a count made meanwhile is stored under the old generation and never used. What one
officer alone sees (assigned to me) is not kept: it is cheap, and would be kept per user.

Without Redis (`make run`) every count is made in the database. When Redis fails, the
page counts in the database and this process leaves Redis alone for `PAUSE` seconds,
so a hung Redis costs one timeout, not one per page. A change committed while Redis
failed cannot move the generation: counts kept before it may then be shown, for at most
`KEPT` seconds (they expire).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context
from redis import RedisError
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.jobs import redis_connection

log = logging.getLogger(__name__)

KEPT = 60  # seconds a stored count lives (the bound on staleness after a Redis failure)
PAUSE = 30  # seconds Redis is left alone after it failed
_paused_until: dict[int, float] = {}  # id(app) -> monotonic time
_PENDING = "openimi_counter_changes"


@dataclass(frozen=True)
class Watch:
    """Changes of `model` that move the counts of `kind`: a row created or deleted, or
    one of `columns` changed; `authorities` names the authorities whose counts move."""

    kind: str
    columns: frozenset[str]
    authorities: tuple[str, ...]  # columns holding authority ids


_watches: dict[type, Watch] = {}


def watch(model: type, kind: str, columns: Iterable[str], authorities: Iterable[str]) -> None:
    authorities = tuple(authorities)
    _watches[model] = Watch(kind, frozenset(columns) | set(authorities), authorities)


def _key(app: Flask, *parts) -> str:
    return ":".join((app.config["REDIS_PREFIX"], "counts", *map(str, parts)))


def _redis(app: Flask):
    connection = redis_connection(app)
    if connection is None or _paused_until.get(id(app), 0) > time.monotonic():
        return None
    return connection


def _failed(app: Flask, doing: str) -> None:
    log.warning("counters: Redis failed while %s; counting in the database", doing)
    _paused_until[id(app)] = time.monotonic() + PAUSE


def cached(
    kind: str, authority_id: int, variant: str, count: Callable[[], dict[str, int]]
) -> dict[str, int]:
    """The authority's counts of `kind` (`variant`: what else they depend on, such as
    the day that makes a case overdue), from Redis while nothing changed, else `count()`."""
    app = current_app._get_current_object()
    connection = _redis(app)
    if connection is None:
        return count()
    generation_key = _key(app, kind, authority_id)
    counts_key = _key(app, kind, authority_id, variant)
    try:
        pipe = connection.pipeline(transaction=False)
        pipe.get(generation_key).hgetall(counts_key)
        generation, kept = pipe.execute()
    except RedisError:
        _failed(app, "reading counts")
        return count()
    generation = (generation or b"0").decode()
    if kept and kept.pop(b"generation", b"").decode() == generation:
        return {name.decode(): int(value) for name, value in kept.items()}
    counts = count()
    try:
        pipe = connection.pipeline(transaction=False)
        pipe.hset(counts_key, mapping={**counts, "generation": generation})
        pipe.expire(counts_key, KEPT)
        pipe.execute()
    except RedisError:
        _failed(app, "keeping counts")
    return counts


def _moved(row, watch: Watch, new: bool, deleted: bool) -> set[int]:
    """The authorities whose counts a flushed change of `row` may move."""
    state = inspect(row)
    if not (new or deleted or any(state.attrs[c].history.has_changes() for c in watch.columns)):
        return set()
    ids = set()
    for column in watch.authorities:
        history = state.attrs[column].history
        ids.update(v for v in (*history.sum(), getattr(row, column, None)) if v is not None)
    return ids


@event.listens_for(Session, "after_flush")
def _note(session: Session, flush_context) -> None:
    if not _watches:
        return
    changes = session.info.setdefault(_PENDING, set())
    for rows, new, deleted in (
        (session.new, True, False),
        (session.dirty, False, False),
        (session.deleted, False, True),
    ):
        for row in rows:
            found = _watches.get(type(row))
            if found is not None:
                for authority_id in _moved(row, found, new, deleted):
                    changes.add((found.kind, authority_id))
    if changes and has_app_context():  # a session used outside the app has no Redis
        session.info["openimi_counter_app"] = current_app._get_current_object()


@event.listens_for(Session, "after_commit")
def _bump(session: Session) -> None:
    changes = session.info.pop(_PENDING, None)
    app = session.info.pop("openimi_counter_app", None)
    if not changes or app is None:
        return
    connection = redis_connection(app)
    if connection is None:
        return
    try:
        pipe = connection.pipeline(transaction=False)
        for kind, authority_id in sorted(changes):
            pipe.incr(_key(app, kind, authority_id))
        pipe.execute()
    except RedisError:
        _failed(app, "noting a change")
