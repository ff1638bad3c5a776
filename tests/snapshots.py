"""Worlds built once per worker and restored for every later test that asks for them.

A world built through the services (tests/web/security/world.py) takes seconds; restoring
it takes milliseconds. The first `restored(name, build)` of a worker builds it
and keeps what the build left: the rows of every table of both instances (COPY, binary),
their identity sequences, the files it wrote under the UPLOAD_DIRs and the mails it sent.
A later test that asks for the same world on the same fresh state gets all of that back,
its timestamps moved on by the time that has passed since the build, so the world is the
one a new build would make (same ids, same relations, "now" as now).

A world is kept only where a restore is the same as a build: on PostgreSQL, in the `app`
fixture's production app (jobs in-process, not through Redis), with the same configuration
of both apps and the same date, and only when every table is empty and every sequence
fresh; otherwise the world is built as before. What the build returned is kept with
every ORM object in it (in dataclasses, dicts, lists, tuples) replaced by its identity, and
given back with the objects loaded in the test's session. Builders commit what they make:
what the build leaves uncommitted is not kept.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import decimal
import enum
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import inspect, select, text

from app.extensions import db
from app.models.base import Base, utcnow

_SEQUENCES = (
    "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value FROM pg_sequences"
    " WHERE schemaname = current_schema() AND last_value IS NOT NULL"
)
_TIMESTAMPS = (
    "SELECT table_name, column_name FROM information_schema.columns"
    " WHERE table_schema = current_schema()"
    " AND data_type IN ('timestamp with time zone', 'timestamp without time zone')"
)


@dataclass
class _Database:
    """What one instance's database held after the build."""

    tables: list[tuple[str, bytes]] = field(default_factory=list)  # parents first
    sequences: list[tuple[str, int]] = field(default_factory=list)
    timestamps: dict[str, list[str]] = field(default_factory=dict)  # table -> columns


@dataclass
class _Kept:
    databases: list[_Database]
    files: dict[Path, bytes]
    removed: list[Path]
    mails: list
    built_at: dt.datetime
    saved: Any


class Snapshots:
    """The worlds of one worker (one pair of test databases), by builder name."""

    def __init__(self, apps, smtp_server) -> None:
        self.apps, self.smtp = apps, smtp_server
        self.kept: dict[tuple, _Kept] = {}

    def __call__(self, name: str, build: Callable):
        key = self._key(name)
        if key is None:
            return build()
        kept = self.kept.get(key)
        if kept is None:
            kept, value = self._build(build)
            self.kept[key] = kept
            return value
        self._restore(kept)
        return _thaw(kept.saved)

    def _key(self, name: str) -> tuple | None:
        production = self.apps[0]
        if current_app._get_current_object() is not production:
            return None
        if any(_engine(app).dialect.name != "postgresql" for app in self.apps):
            return None
        if not all(_fresh(app) for app in self.apps):
            return None
        configs = "".join(repr(sorted(app.config.items(), key=str)) for app in self.apps)
        today = (dt.date.today(), utcnow().date())
        return name, today, hashlib.sha256(configs.encode()).hexdigest()

    def _build(self, build: Callable) -> tuple[_Kept, Any]:
        before = _files(self.apps)
        mails = len(self.smtp.messages)
        built_at = utcnow()
        value = build()
        assert not (db.session.new or db.session.dirty or db.session.deleted), (
            "a world to keep must be committed by its builder"
        )
        after = _files(self.apps)
        kept = _Kept(
            databases=[_capture(app) for app in self.apps],
            files={
                path: path.read_bytes()
                for path, stamp in after.items()
                if before.get(path) != stamp
            },  # fmt: skip
            removed=[path for path in before if path not in after],
            mails=[copy.deepcopy(mail) for mail in self.smtp.messages[mails:]],
            built_at=built_at,
            saved=_freeze(value),
        )
        return kept, value

    def _restore(self, kept: _Kept) -> None:
        shift = utcnow() - kept.built_at
        for app, database in zip(self.apps, kept.databases, strict=True):
            _put_back(app, database, shift)
        for path, data in kept.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        for path in kept.removed:
            path.unlink(missing_ok=True)
        self.smtp.messages.extend(copy.deepcopy(mail) for mail in kept.mails)


def _engine(app):
    with app.app_context():
        return db.engine


def _fresh(app) -> bool:
    """Every table empty and every identity sequence unused, as the `app` fixture leaves
    them."""
    tables = [table.name for table in Base.metadata.sorted_tables]
    anything = " OR ".join(f'EXISTS (SELECT 1 FROM "{name}")' for name in tables)  # noqa: S608
    with _engine(app).connect() as connection:
        if connection.exec_driver_sql(f"SELECT {anything}").scalar():  # noqa: S608
            return False
        return not connection.exec_driver_sql(_SEQUENCES).first()


def _files(apps) -> dict[Path, tuple[int, int]]:
    """Every file under the apps' upload directories, with its size and change time."""
    found = {}
    for app in apps:
        for path in Path(app.config["UPLOAD_DIR"]).rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def _capture(app) -> _Database:
    kept = _Database()
    with _engine(app).connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for table in Base.metadata.sorted_tables:
            with cursor.copy(f'COPY "{table.name}" TO STDOUT (FORMAT binary)') as rows:
                data = b"".join(bytes(block) for block in rows)
            if cursor.rowcount:
                kept.tables.append((table.name, data))
        kept.sequences = [tuple(row) for row in connection.exec_driver_sql(_SEQUENCES)]
        for table, column in connection.exec_driver_sql(_TIMESTAMPS):
            kept.timestamps.setdefault(table, []).append(column)
        connection.rollback()
    return kept


def _put_back(app, kept: _Database, shift: dt.timedelta) -> None:
    """The rows and sequences of the build, in one transaction, timestamps moved on."""
    moved = f"interval '{shift.total_seconds():f} seconds'"
    # the audit trail is append-only outside maintenance (migration 0009)
    after = ["SET LOCAL openimi.audit_maintenance = 'on'"]
    for table, _data in kept.tables:
        # Audit rows keep their times: each carries a digest of its content (and the
        # sealed ones a chain over it), which a moved time would break for `verify`.
        columns = [] if table == "audit_event" else kept.timestamps.get(table, [])
        if columns:
            values = ", ".join(f'"{column}" = "{column}" + {moved}' for column in columns)
            after.append(f'UPDATE "{table}" SET {values}')  # noqa: S608
    if kept.sequences:
        values = ", ".join(f"setval('{name}', {value})" for name, value in kept.sequences)
        after.append(f"SELECT {values}")
    with _engine(app).begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for table, data in kept.tables:
            with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as rows:
                rows.write(data)
        cursor.execute("; ".join(after))  # one round trip: no parameters


_active: Snapshots | None = None


def restored(name: str, build: Callable):
    """What `build()` makes and returns, built once per worker and restored after that
    (see the module's docstring). Outside the `app` fixture it is simply built."""
    if _active is None:
        return build()
    return _active(name, build)


# Values kept as they are (immutable).
_PLAIN = (str, bytes, int, float, decimal.Decimal, dt.date, dt.time, dt.timedelta, enum.Enum)


@dataclass(frozen=True)
class _Row:
    model: type
    identity: tuple


@dataclass(frozen=True)
class _Record:
    kind: type
    values: dict


def _freeze(value: Any) -> Any:
    """`value` with every ORM object replaced by its identity."""
    if isinstance(value, Base):
        return _Row(type(value), inspect(value).identity)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return _Record(type(value), {f.name: _freeze(getattr(value, f.name)) for f in fields})
    if isinstance(value, dict):
        return {key: _freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_freeze(item) for item in value)
    if value is None or isinstance(value, _PLAIN):
        return value
    raise TypeError(f"a kept world holds ORM objects, plain data and dataclasses: {value!r}")


def _thaw(value: Any) -> Any:
    """The value `_freeze` kept, with its ORM objects loaded in the current session."""
    if isinstance(value, _Row):
        return db.session.get(value.model, value.identity)
    if isinstance(value, _Record):
        return value.kind(**{key: _thaw(item) for key, item in value.values.items()})
    if isinstance(value, dict):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_thaw(item) for item in value)
    return value


def every_row(skip: frozenset[str] | set[str] = frozenset()) -> dict[str, object]:
    """The rows of every table but `skip`, in primary key order, by table name: on
    PostgreSQL as JSON text, read in one statement (sweeps compare them after each of
    hundreds of requests, and a statement per table made that most of their time)."""
    tables = [table for table in Base.metadata.sorted_tables if table.name not in skip]
    if db.engine.dialect.name != "postgresql":
        return {
            table.name: [
                tuple(row)
                for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in tables
        }
    columns = []
    for table in tables:
        order = ", ".join(f'x."{column.name}"' for column in table.primary_key.columns)
        columns.append(
            f"(SELECT json_agg(x ORDER BY {order})::text"  # noqa: S608
            f' FROM "{table.name}" x) AS "{table.name}"'
        )
    row = db.session.execute(text("SELECT " + ", ".join(columns))).mappings().one()
    return dict(row)
