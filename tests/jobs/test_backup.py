"""Backup and restore (app/records/backup.py): `flask backup DEST` and `flask restore SRC`
into a fresh PostgreSQL database and upload folder. The restore finds the cases, their
files byte for byte and a verifying audit chain; it sweeps what passed its erasure date
since the backup before any file is written; it refuses a tampered backup and a target
in use."""

from __future__ import annotations

import io
import json
import os
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select, text

from app.cases import attachments
from app.extensions import db
from app.models import AuditEvent, Request
from app.models.base import utcnow
from app.models.requests import Attachment
from app.records import audit
from tests.conftest import POSTGRES, _create_pg_database, _drop_pg_database
from tests.web.retention.test_blocking import close
from tests.web.security.world import actor_of, build_world

postgres_only = pytest.mark.skipif(not POSTGRES, reason="pg_dump needs PostgreSQL")


def _world_with_files() -> dict:
    """The security world, a file of its own on a request that stays, and one on a
    request whose erasure date is tomorrow."""
    world = build_world()
    handler = actor_of(world.users["handler"])
    kept = db.session.get(Request, world.ids["request_sent"])
    doomed = db.session.get(Request, world.ids["request_referred"])
    kept_bytes = b"%PDF-1.4\n% kept " + os.urandom(2048) + b"\n%%EOF\n"
    doomed_bytes = b"%PDF-1.4\n% doomed " + os.urandom(64) + b"\n%%EOF\n"
    kept_file = attachments.add(handler, kept, "kept.pdf", io.BytesIO(kept_bytes))
    doomed_file = attachments.add(handler, doomed, "doomed.pdf", io.BytesIO(doomed_bytes))
    db.session.commit()
    close(doomed, at=utcnow() - relativedelta(years=3) + timedelta(days=1))
    assert doomed.erase_due > utcnow()
    audit.seal(wait_seconds=0)
    return {
        "kept": (kept.id, kept.reference, kept_file.storage_name, kept_bytes),
        "doomed": (doomed.id, doomed.reference, doomed_file.storage_name),
        "doomed_files": len(doomed.attachments),  # the world's and this one
        "requests": db.session.scalar(select(func.count()).select_from(Request)),
        "files": db.session.scalar(select(func.count()).select_from(Attachment)),
        "events": db.session.scalar(select(func.count()).select_from(AuditEvent)),
    }


@pytest.fixture
def fresh_target(app, tmp_path):
    """A production app on a new, empty database and upload folder."""
    from app import create_app, jobs

    name = f"openimi_restore_{uuid.uuid4().hex[:10]}"
    url = _create_pg_database(name)
    settings = ("SECRET_KEY", "PUBLIC_URL", "TESTING")
    overrides = {key: app.config[key] for key in settings}
    overrides.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(tmp_path / "restored-uploads"))
    try:
        target = create_app("production", overrides)
    finally:
        jobs._apps["production"] = app  # create_app registered the target for jobs
    yield target
    with target.app_context():
        db.engine.dispose()
    _drop_pg_database(name)


def _run(target, *args):
    """The command in `target` (the CLI keeps an app context already pushed: the test's)."""
    with target.app_context():
        return target.test_cli_runner().invoke(args=[*args, "--instance", "production"])


@postgres_only
def test_restore_into_a_fresh_database_finds_cases_files_and_the_audit_chain(
    app, fresh_target, tmp_path
):
    facts = _world_with_files()
    kept_id, kept_reference, kept_name, kept_bytes = facts["kept"]
    doomed_id, doomed_reference, doomed_name = facts["doomed"]
    source_head = audit.verify().head
    backup_dir = tmp_path / "backup"

    # Given a backup
    result = _run(app, "backup", str(backup_dir))
    assert result.exit_code == 0, result.output
    manifest = json.loads((backup_dir / "production" / "manifest.json").read_text())
    assert manifest["audit_head"]["hash"] == source_head
    assert manifest["migration_head"] == db.session.scalar(
        text("SELECT version_num FROM alembic_version")
    )
    assert manifest["pg_dump_version"].startswith("pg_dump (PostgreSQL) 15")
    assert f"attachments/{kept_name[:2]}/{kept_name}" in manifest["files"]
    assert manifest["missing"] == []

    # When it is restored into a fresh database two days later: the doomed request's
    # erasure date has passed in between
    with time_machine.travel(utcnow() + timedelta(days=2)):
        result = _run(fresh_target, "restore", str(backup_dir))
    assert result.exit_code == 0, result.output
    assert f"erase {doomed_reference}" in result.output
    assert "chain intact" in result.output

    # Then the restored instance holds the cases, the files byte for byte, the audit
    # trail with the backup's head in it, and not the erased request's data or file
    uploads = Path(fresh_target.config["UPLOAD_DIR"])
    with fresh_target.app_context():
        assert db.session.scalar(select(func.count()).select_from(Request)) == facts["requests"]
        kept = db.session.get(Request, kept_id)
        assert kept.reference == kept_reference and kept.block_due is None
        assert [a.storage_name for a in kept.attachments if a.storage_name == kept_name]
        for row in db.session.scalars(select(Attachment)):
            original = Path(app.config["UPLOAD_DIR"]) / "attachments" / row.storage_name[:2]
            restored = uploads / "attachments" / row.storage_name[:2] / row.storage_name
            assert restored.read_bytes() == (original / row.storage_name).read_bytes()
        assert (uploads / "attachments" / kept_name[:2] / kept_name).read_bytes() == kept_bytes
        doomed = db.session.get(Request, doomed_id)
        assert doomed.erased_at is not None and doomed.attachments == []
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == (
            facts["files"] - facts["doomed_files"]
        )
        verified = audit.verify((source_head,))
        assert verified.ok and verified.checked > facts["events"]  # + the sweep's rows
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert "retention.erased" in actions
    assert not (uploads / "attachments" / doomed_name[:2] / doomed_name).exists()

    # And a second restore into the instance now in use is refused, unless forced
    result = _run(fresh_target, "restore", str(backup_dir))
    assert result.exit_code == 1
    assert "the target database is not empty" in result.output
    result = _run(fresh_target, "restore", str(backup_dir), "--force")
    assert result.exit_code == 0, result.output
    with fresh_target.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == facts["files"]
    assert len([p for p in uploads.rglob("*") if p.is_file()]) == len(manifest["files"])


@postgres_only
def test_a_tampered_backup_is_refused_before_anything_is_restored(app, fresh_target, tmp_path):
    facts = _world_with_files()
    kept_name = facts["kept"][2]
    backup_dir = tmp_path / "backup"
    assert _run(app, "backup", str(backup_dir)).exit_code == 0
    tampered = backup_dir / "production" / "files" / "attachments" / kept_name[:2] / kept_name
    data = bytearray(tampered.read_bytes())
    data[20] ^= 0xFF
    tampered.write_bytes(bytes(data))

    result = _run(fresh_target, "restore", str(backup_dir))
    assert result.exit_code == 1
    assert "does not match its checksum" in result.output
    with fresh_target.app_context():
        tables = db.session.scalar(
            text("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
        )
        assert tables == 0
    uploads = Path(fresh_target.config["UPLOAD_DIR"])
    assert not [path for path in uploads.rglob("*") if path.is_file()]

    # A changed database dump is refused too
    tampered.write_bytes(bytes(data[:20]) + bytes([data[20] ^ 0xFF]) + bytes(data[21:]))
    dump = backup_dir / "production" / "database.dump"
    dump.write_bytes(dump.read_bytes() + b"\0")
    result = _run(fresh_target, "restore", str(backup_dir))
    assert result.exit_code == 1
    assert "database.dump does not match its checksum" in result.output


@postgres_only
def test_a_backup_is_not_written_over_another(app, tmp_path):
    build_world()
    backup_dir = tmp_path / "backup"
    assert _run(app, "backup", str(backup_dir)).exit_code == 0
    assert (backup_dir / "production").stat().st_mode & 0o777 == 0o700  # personal data
    result = _run(app, "backup", str(backup_dir))
    assert result.exit_code == 1
    assert "is not empty" in result.output


def embedded(app, tmp_path: Path, name: str, **settings):
    """A production app of the embedded mode (SQLite) on its own database and uploads."""
    from app import create_app, jobs

    overrides = {key: app.config[key] for key in ("SECRET_KEY", "PUBLIC_URL", "TESTING")}
    overrides.update(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / f'{name}.db'}",
        UPLOAD_DIR=str(tmp_path / f"{name}-uploads"),
        **settings,
    )
    try:
        return create_app("production", overrides)
    finally:
        jobs._apps["production"] = app


def embedded_source(app, tmp_path: Path, **settings):
    """An embedded app with an authority, an officer, a prepared PDF (its row and file)
    and an audit row; the app, the PDF's bytes and the audit head."""
    from app.migrate import upgrade
    from app.models.pdf import PdfExport
    from tests.factories import make_authority, make_user

    source = embedded(app, tmp_path, "source", **settings)
    upgrade(source)
    pdf_bytes = b"%PDF-1.4\n" + os.urandom(256) + b"\n%%EOF\n"
    with source.app_context():
        authority = make_authority("DE", name="Behörde")
        user = make_user(authority, ["handler"])
        (Path(source.config["UPLOAD_DIR"]) / "pdf").mkdir()
        (Path(source.config["UPLOAD_DIR"]) / "pdf" / "1-ab.pdf").write_bytes(pdf_bytes)
        db.session.add(
            PdfExport(
                kind="request",
                object_id=1,
                user_id=user.id,
                authority_id=authority.id,
                file_path="pdf/1-ab.pdf",
            )
        )
        audit.record("test.backup", object_type="request", object_id=1)
        db.session.commit()
        head = audit.verify().head
    return source, pdf_bytes, head


def test_the_embedded_mode_backs_up_with_sqlites_backup_api(app, tmp_path):
    from app.models.pdf import PdfExport

    source, pdf_bytes, head = embedded_source(app, tmp_path)
    target = embedded(app, tmp_path, "target")
    assert _run(source, "backup", str(tmp_path / "backup")).exit_code == 0
    manifest = json.loads((tmp_path / "backup" / "production" / "manifest.json").read_text())
    assert manifest["format"] == 2
    assert (tmp_path / "backup" / "production" / "manifest.json.sig").is_file()
    assert (manifest["engine"], manifest["database"]["file"]) == ("sqlite", "database.sqlite3")
    assert manifest["audit_head"]["hash"] == head

    result = _run(target, "restore", str(tmp_path / "backup"))
    assert result.exit_code == 0, result.output
    assert (Path(target.config["UPLOAD_DIR"]) / "pdf" / "1-ab.pdf").read_bytes() == pdf_bytes
    with target.app_context():
        assert db.session.scalar(select(func.count()).select_from(PdfExport)) == 1
        assert audit.verify((head,)).ok
        db.engine.dispose()
    with source.app_context():
        db.engine.dispose()
