"""Counts of an authority's open work, kept in Redis from one change to the next.

An inbox shows how many requests wait in each box. For a busy authority (thousands of
open cases) counting them is most of the inbox's cost in PostgreSQL, although they
change only when a case of the authority does. So an authority's counts are kept in
Redis with the *generation* they were counted at: a number per authority and kind that
every committed change which could move a count (a case created, deleted, or changed in
a watched column: its state, its parties, its reply date) increases, after the commit.
A count is used while its generation is the current one; otherwise it is counted again.
What one officer alone sees (assigned to me) is kept per officer, under a kind of its own
whose generation only the changes that can move it increase (an assignment moves no box
of the authority's).

The generation is read before counting, and increased only once the change is committed:
a count made meanwhile is stored under the old generation and never used.

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


_watches: dict[type, list[Watch]] = {}


def watch(model: type, kind: str, columns: Iterable[str], authorities: Iterable[str]) -> None:
    authorities = tuple(authorities)
    found = Watch(kind, frozenset(columns) | set(authorities), authorities)
    _watches.setdefault(model, []).append(found)


@dataclass(frozen=True)
class Counts:
    """The counts `names` of `kind`; `variant` is what else they depend on (the day that
    makes a case overdue, the officer whose own they are)."""

    kind: str
    variant: str
    names: tuple[str, ...]


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
    authority_id: int, count: Callable[[list[str]], dict[str, int]], *wanted: Counts
) -> dict[str, int]:
    """The authority's counts `wanted`: from Redis where nothing changed since they were
    kept, else made by `count(names)` (once, for all those to count again) and kept. One
    round trip to Redis reads them all, and one keeps those counted again."""
    app = current_app._get_current_object()
    connection = _redis(app)
    if connection is None:
        return count([name for w in wanted for name in w.names])
    kinds = list(dict.fromkeys(w.kind for w in wanted))
    try:
        pipe = connection.pipeline(transaction=False)
        for kind in kinds:
            pipe.get(_key(app, kind, authority_id))
        for w in wanted:
            pipe.hgetall(_key(app, w.kind, authority_id, w.variant))
        replies = pipe.execute()
    except RedisError:
        _failed(app, "reading counts")
        return count([name for w in wanted for name in w.names])
    generations = {
        kind: (value or b"0").decode()
        for kind, value in zip(kinds, replies[: len(kinds)], strict=True)
    }
    found: dict[str, int] = {}
    stale = []
    for w, kept in zip(wanted, replies[len(kinds) :], strict=True):
        if kept and kept.pop(b"generation", b"").decode() == generations[w.kind]:
            found.update({name.decode(): int(value) for name, value in kept.items()})
        else:
            stale.append(w)
    if not stale:
        return found
    found.update(count([name for w in stale for name in w.names]))
    try:
        pipe = connection.pipeline(transaction=False)
        for w in stale:
            key = _key(app, w.kind, authority_id, w.variant)
            mapping = {name: found[name] for name in w.names}
            pipe.hset(key, mapping={**mapping, "generation": generations[w.kind]})
            pipe.expire(key, KEPT)
        pipe.execute()
    except RedisError:
        _failed(app, "keeping counts")
    return found


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
            for found in _watches.get(type(row), ()):
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
