"""Worlds built once per worker and restored for every later test that asks for them.

A world built through the services (tests/web/security/world.py) takes seconds; restoring
it takes milliseconds. The first `restored(name, build, save, load)` of a worker builds it
and keeps what the build left: the rows of every table of both instances (COPY, binary),
their identity sequences, the files it wrote under the UPLOAD_DIRs and the mails it sent.
A later test that asks for the same world on the same fresh state gets all of that back,
its timestamps moved on by the time that has passed since the build, so the world is the
one a new build would make (same ids, same relations, "now" as now).

A world is kept only where a restore is the same as a build: on PostgreSQL, in the `app`
fixture's production app (jobs in-process, not through Redis), with the same configuration
of both apps and the same date, and only when every table is empty and every sequence
fresh; otherwise the world is built as before. `save` turns what the build returned into
plain data (ids, texts: no ORM objects) and `load` turns that back, in the test's session.
Builders commit what they make: what the build leaves uncommitted is not kept.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select, text

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

    def __call__(self, name: str, build: Callable, save: Callable, load: Callable):
        key = self._key(name)
        if key is None:
            return build()
        kept = self.kept.get(key)
        if kept is None:
            kept, value = self._build(build, save)
            self.kept[key] = kept
            return value
        self._restore(kept)
        return load(kept.saved)

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

    def _build(self, build: Callable, save: Callable) -> tuple[_Kept, Any]:
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
            saved=save(value),
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
    with _engine(app).begin() as connection:
        # the audit trail is append-only outside maintenance (migration 0009)
        connection.exec_driver_sql("SET LOCAL openimi.audit_maintenance = 'on'")
        cursor = connection.connection.driver_connection.cursor()
        for table, data in kept.tables:
            with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as rows:
                rows.write(data)
            columns = kept.timestamps.get(table)
            if columns:
                moved = ", ".join(f'"{column}" = "{column}" + %(shift)s' for column in columns)
                cursor.execute(f'UPDATE "{table}" SET {moved}', {"shift": shift})  # noqa: S608
        for sequence, value in kept.sequences:
            cursor.execute("SELECT setval(%s::regclass, %s)", (sequence, value))


_active: Snapshots | None = None


def restored(name: str, build: Callable, save: Callable, load: Callable):
    """The world `build` makes, built once per worker and restored after that (see the
    module's docstring). Outside the `app` fixture it is simply built."""
    if _active is None:
        return build()
    return _active(name, build, save, load)


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
