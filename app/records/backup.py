"""Backup and restore of an instance: its database, its files and a manifest.

`flask --app wsgi backup DEST` writes, for each instance, DEST/<instance>/:
- `database.dump`: pg_dump's custom format (PostgreSQL), or `database.sqlite3` (SQLite's
  online backup API);
- `files/`: every file the database names (attachments, prepared PDFs), under its path
  in UPLOAD_DIR;
- `manifest.json`: the OpenIMI version, the migration head, the audit chain's head, and
  the size and SHA-256 of every file above;
- `manifest.json.sig`: the manifest's HMAC-SHA256 (app/records/backup_manifest.py says
  under which key, and why so).

It is consistent: on PostgreSQL the list of files, the migration head and the audit head
are read in one REPEATABLE READ transaction whose snapshot pg_dump then dumps
(`--snapshot`), so the files copied are exactly those the dumped rows name. Uploads are
written before their row commits and removed after their row is deleted, so each named
file exists; one removed meanwhile (an erasure) is listed as missing, and its case is
erased again by the restore's retention sweep.

`flask --app wsgi restore SRC` restores into an empty database and upload folder (or,
with --force, one it empties): it checks the manifest's signature and every checksum
before touching anything, loads the database (pg_restore, one transaction), applies newer
migrations, runs the retention sweep *before* writing a single file (the files of cases
erased since the backup never reach the disk), copies the files that rows still name,
seals the audit rows and runs `audit verify` with the backup's head as a known head. Start the app only after it
reports success.

pg_dump and pg_restore must be of the server's major version or newer: the server's
own version's binaries are used on Debian (/usr/lib/postgresql/<major>/bin), else
PG_BINDIR, else those on PATH.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlalchemy import Connection, create_engine, select, text
from sqlalchemy.engine import make_url

from app.records.backup_manifest import (
    FORMAT,
    BackupError,
    read_manifest,
    signing_key,
    write_manifest,
)

FILES = "files"
PG_DUMP_FILE = "database.dump"
SQLITE_FILE = "database.sqlite3"
CHUNK = 1024 * 1024


# --- what the database names -----------------------------------------------------------------


def named_rows(connection: Connection) -> Iterator[tuple[str, str, int]]:
    """(path relative to UPLOAD_DIR, table, row id) of every file the database names:
    the file rows of every kind of case, their translated copies, and the prepared PDFs."""
    from app.cases import registry
    from app.models.pdf import PdfExport
    from app.models.translations import TranslatedFile

    models = dict.fromkeys(filter(None, (e.file_model for e in registry.kinds().values())))
    for model in models:
        table = model.__table__
        for row_id, storage_name in connection.execute(select(table.c.id, table.c.storage_name)):
            yield f"attachments/{storage_name[:2]}/{storage_name}", table.name, row_id
    copies = TranslatedFile.__table__
    stored = copies.c.storage_name.is_not(None)
    for row_id, storage_name in connection.execute(
        select(copies.c.id, copies.c.storage_name).where(stored)
    ):
        yield f"attachments/{storage_name[:2]}/{storage_name}", copies.name, row_id
    exports = PdfExport.__table__
    query = select(exports.c.id, exports.c.file_path).where(exports.c.file_path != "")
    for row_id, file_path in connection.execute(query):
        yield file_path, exports.name, row_id


def _named_files(connection: Connection) -> list[str]:
    """The files the database names, relative to UPLOAD_DIR, sorted."""
    return sorted({path for path, _table, _id in named_rows(connection)})


def _facts(connection: Connection) -> dict:
    from app.records import sealing

    head_id, head = sealing._head(connection)
    return {
        "migration_head": connection.scalar(text("SELECT version_num FROM alembic_version")),
        "audit_head": {"id": head_id, "hash": head},
    }


# --- backup ----------------------------------------------------------------------------------


def backup(app: Flask, destination: Path) -> dict:
    """Write the instance's backup into `destination` (which must not exist or be empty);
    the manifest."""
    from app.extensions import db

    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} is not empty")
    destination.mkdir(parents=True, exist_ok=True)
    destination.chmod(0o700)  # personal data: for the operator's account only
    (destination / FILES).mkdir()
    from app.records import audit

    audit.seal()  # the head the manifest records covers every row settled until now
    engine = db.engine
    manifest: dict = {
        "format": FORMAT,
        "instance": app.config["INSTANCE"],
        "openimi_version": _version(),
        "created_at": _now(),
        "engine": engine.dialect.name,
    }
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
                named = _named_files(connection)
                manifest.update(_facts(connection))
                manifest["server_version"] = connection.scalar(text("SHOW server_version"))
                dump = destination / PG_DUMP_FILE
                major = _server_major(connection)
                manifest["pg_dump_version"] = _pg_tool(
                    "pg_dump",
                    major,
                    ["--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
                    engine.url,
                )
        database_file = PG_DUMP_FILE
    else:
        database_file = SQLITE_FILE
        copy = destination / SQLITE_FILE
        source = engine.raw_connection()
        try:
            target = sqlite3.connect(copy)
            with target:
                source.driver_connection.backup(target)
            target.close()
        finally:
            source.close()
        copied = create_engine(f"sqlite:///{copy}")
        try:
            with copied.connect() as connection:
                named = _named_files(connection)
                manifest.update(_facts(connection))
        finally:
            copied.dispose()
    manifest["database"] = {"file": database_file, **_checksum(destination / database_file)}
    uploads = Path(app.config["UPLOAD_DIR"])
    files, missing = {}, []
    for name in named:
        source_path = uploads / name
        if not source_path.is_file():
            missing.append(name)
            continue
        files[name] = _copy(source_path, destination / FILES / name)
    manifest["files"] = files
    manifest["missing"] = missing
    write_manifest(destination, manifest, signing_key(app))
    return manifest


# --- restore ---------------------------------------------------------------------------------


@dataclass
class RestoreReport:
    files: int = 0
    left_out: int = 0  # files of cases erased by the sweep: never written
    missing: list[str] = field(default_factory=list)  # already missing at backup time
    retention: list[str] = field(default_factory=list)
    audit_head: str = ""
    audit_events: int = 0
    verified: bool = False
    signed: bool = True  # False: a FORMAT 1 backup restored with unsigned_ok


def check(source: Path, key: bytes, unsigned_ok: bool = False) -> tuple[dict, bool]:
    """The manifest once its signature matches and every file of the backup matches it
    (nothing more, nothing less); whether it was signed."""
    manifest, signed = read_manifest(source, key, unsigned_ok)
    expected = dict(manifest["files"])
    for name in expected:
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise BackupError(f"unsafe path in the manifest: {name}")
    database = manifest["database"]
    if database.get("file") not in (PG_DUMP_FILE, SQLITE_FILE):
        raise BackupError(f"unknown database file {database.get('file')!r} in the manifest")
    _verify(source / database["file"], database, database["file"])
    present = {
        path.relative_to(source / FILES).as_posix()
        for path in (source / FILES).rglob("*")
        if path.is_file()
    }
    if present - set(expected):
        raise BackupError(
            f"files not in the manifest: {', '.join(sorted(present - set(expected)))}"
        )
    for name, facts in expected.items():
        _verify(source / FILES / name, facts, name)
    return manifest, signed


def restore(
    app: Flask, source: Path, force: bool = False, unsigned_ok: bool = False
) -> RestoreReport:
    """Restore the backup in `source` into the current app's database and UPLOAD_DIR;
    `unsigned_ok`: a FORMAT 1 backup (made before backups were signed) too."""
    from app.extensions import db
    from app.records import audit, retention

    manifest, signed = check(source, signing_key(app), unsigned_ok)
    engine = db.engine
    if manifest["engine"] != engine.dialect.name:
        raise BackupError(
            f"a {manifest['engine']} backup cannot be restored into {engine.dialect.name}"
        )
    _known_revision(manifest["migration_head"])
    uploads = Path(app.config["UPLOAD_DIR"])
    if not force:
        if _has_tables(engine):
            raise BackupError("the target database is not empty (--force replaces it)")
        if uploads.exists() and any(p.is_file() for p in uploads.rglob("*")):
            raise BackupError(f"the upload folder {uploads} is not empty (--force empties it)")
    db.session.remove()
    engine.dispose()
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            major = _server_major(connection)
            if force:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
                connection.commit()
        _pg_tool(
            "pg_restore",
            major,
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"],
            engine.url,
            source / manifest["database"]["file"],
        )
    else:
        target = sqlite3.connect(make_url(str(engine.url)).database)
        backup_copy = sqlite3.connect(source / manifest["database"]["file"])
        try:
            with target:
                backup_copy.backup(target)
        finally:
            backup_copy.close()
            target.close()
    engine.dispose()
    if force:
        for folder in ("attachments", "pdf"):
            shutil.rmtree(uploads / folder, ignore_errors=True)

    from app.migrate import upgrade

    upgrade(app)  # a backup of an older version: its newer migrations
    # Before any file is written and before the app serves: what is past its date since
    # the backup was made is blocked and erased again.
    report = RestoreReport(missing=list(manifest["missing"]), signed=signed)
    report.retention = retention.run().lines()
    still_named = set(_named_files(db.session.connection()))
    db.session.commit()
    for name, facts in manifest["files"].items():
        if name not in still_named:
            report.left_out += 1
            continue
        copied = _copy(source / FILES / name, uploads / name)
        if copied != facts:
            raise BackupError(f"{name} changed while it was restored")
        report.files += 1
    audit.seal()
    known = manifest["audit_head"]["hash"]
    result = audit.verify((known,))
    report.audit_head, report.audit_events = result.head, result.checked
    report.verified = result.ok
    return report


# --- helpers ---------------------------------------------------------------------------------


def _copy(source: Path, target: Path) -> dict:
    """Copy a file (written aside, then renamed); its size and SHA-256."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as reader, partial.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    shutil.copystat(source, partial)
    partial.replace(target)
    return {"size": size, "sha256": digest.hexdigest()}


def _checksum(path: Path) -> dict:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as reader:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def _verify(path: Path, facts: dict, name: str) -> None:
    if not path.is_file():
        raise BackupError(f"{name} is missing from the backup")
    found = _checksum(path)
    if found["size"] != facts["size"] or found["sha256"] != facts["sha256"]:
        raise BackupError(f"{name} does not match its checksum in the manifest")


def _has_tables(engine) -> bool:
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            query = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        else:
            query = "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        return bool(connection.scalar(text(query)))


def _known_revision(revision: str | None) -> None:
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    if revision is None or scripts.get_revision(revision) is None:
        raise BackupError(f"the backup's migration {revision!r} is unknown to this version")


def _server_major(connection: Connection) -> int:
    return int(connection.scalar(text("SHOW server_version_num"))) // 10000


def _pg_tool(name: str, major: int, arguments: list[str], url, *more: Path) -> str:
    """Run pg_dump or pg_restore of the server's major version (or newer); its version."""
    binary = _pg_binary(name, major)
    version = subprocess.run(  # noqa: S603 - a fixed program and arguments
        [binary, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    tool_major = int(version.split()[-1].split(".")[0])
    if tool_major < major:
        raise BackupError(
            f"{binary} is version {tool_major}, the server {major}: install the "
            f"PostgreSQL {major} client or set PG_BINDIR"
        )
    address = make_url(str(url)).set(drivername="postgresql", password=None)
    environment = dict(os.environ)
    if url.password:
        environment["PGPASSWORD"] = url.password  # not on the command line (ps shows it)
    target = "--dbname=" + address.render_as_string(hide_password=False)
    run = subprocess.run(  # noqa: S603
        [binary, *arguments, target, *map(str, more)],
        capture_output=True,
        text=True,
        env=environment,
    )
    if run.returncode != 0:
        raise BackupError(f"{name} failed: {run.stderr.strip()}")
    return version


def _pg_binary(name: str, major: int) -> str:
    configured = os.environ.get("PG_BINDIR")
    candidates = [Path(configured) / name] if configured else []
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin") / name)
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: postgresql-client-{major})")
    return found


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("openimi")
    except PackageNotFoundError:
        return "unknown"


def _now() -> str:
    from app.models.base import utcnow

    return utcnow().isoformat()
