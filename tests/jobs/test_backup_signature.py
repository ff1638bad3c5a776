"""The backup manifest's signature (app/records/backup.py): `restore` checks the
HMAC-SHA256 in manifest.json.sig before it touches anything, and refuses a manifest
changed after it was signed (even with a file changed to match its new checksum), a
signature made with another key, and an unsigned backup, unless it is one of format 1
restored with --unsigned-ok. Embedded mode (SQLite): no pg_dump needed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.models.pdf import PdfExport
from tests.jobs.test_backup import _run, embedded, embedded_source

SIGNATURE_REFUSED = "manifest.json.sig does not match manifest.json"


@pytest.fixture
def signed(app, tmp_path):
    """A backup of an embedded instance: its folder (with the instance's) and the
    source app; the target apps a test makes are disposed of after it."""
    source, _bytes, _head = embedded_source(app, tmp_path)
    assert _run(source, "backup", str(tmp_path / "backup")).exit_code == 0
    targets = []
    yield tmp_path / "backup", targets
    for made in (source, *targets):
        with made.app_context():
            db.engine.dispose()


def _target(app, tmp_path, targets, name="target", **settings):
    made = embedded(app, tmp_path, name, **settings)
    targets.append(made)
    return made


def _untouched(target) -> bool:
    """No table in the target database, no file in its upload folder."""
    with target.app_context():
        tables = db.session.scalar(text("SELECT count(*) FROM sqlite_master WHERE type='table'"))
    uploads = Path(target.config["UPLOAD_DIR"])
    return tables == 0 and not [path for path in uploads.rglob("*") if path.is_file()]


def _edit(folder: Path, change) -> None:
    manifest_path = folder / "production" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    change(manifest)
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def test_a_manifest_edited_after_signing_is_refused(app, tmp_path, signed):
    folder, targets = signed
    target = _target(app, tmp_path, targets)

    def new_head(manifest):
        manifest["audit_head"]["hash"] = "0" * 64

    _edit(folder, new_head)
    result = _run(target, "restore", str(folder))
    assert result.exit_code == 1
    assert SIGNATURE_REFUSED in result.output
    assert _untouched(target)


def test_a_file_changed_with_its_checksum_is_refused(app, tmp_path, signed):
    folder, targets = signed
    target = _target(app, tmp_path, targets)
    changed = folder / "production" / "files" / "pdf" / "1-ab.pdf"
    data = b"%PDF-1.4\n% not the case record\n%%EOF\n"
    changed.write_bytes(data)

    def matching(manifest):
        facts = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        manifest["files"]["pdf/1-ab.pdf"] = facts

    _edit(folder, matching)
    result = _run(target, "restore", str(folder))
    assert result.exit_code == 1
    assert SIGNATURE_REFUSED in result.output
    assert _untouched(target)


KEYS = {  # source settings, target settings: restored?
    "the same derived key": ({}, {}, True),
    "another SECRET_KEY": ({}, {"SECRET_KEY": "b" * 64}, False),
    "another BACKUP_SIGNING_KEY": ({}, {"BACKUP_SIGNING_KEY": "c" * 64}, False),
    "the same BACKUP_SIGNING_KEY, another SECRET_KEY": (
        {"BACKUP_SIGNING_KEY": "k" * 64},
        {"BACKUP_SIGNING_KEY": "k" * 64, "SECRET_KEY": "b" * 64},
        True,
    ),
    "BACKUP_SIGNING_KEY on the source only": ({"BACKUP_SIGNING_KEY": "k" * 64}, {}, False),
}


@pytest.mark.parametrize(
    ("source_settings", "target_settings", "restored"), KEYS.values(), ids=KEYS
)
def test_only_the_signing_key_restores(app, tmp_path, source_settings, target_settings, restored):
    source, pdf_bytes, _head = embedded_source(app, tmp_path, **source_settings)
    target = embedded(app, tmp_path, "target", **target_settings)
    try:
        assert _run(source, "backup", str(tmp_path / "backup")).exit_code == 0
        result = _run(target, "restore", str(tmp_path / "backup"))
        if restored:
            assert result.exit_code == 0, result.output
            restored_pdf = Path(target.config["UPLOAD_DIR"]) / "pdf" / "1-ab.pdf"
            assert restored_pdf.read_bytes() == pdf_bytes
            with target.app_context():
                assert db.session.scalar(select(func.count()).select_from(PdfExport)) == 1
        else:
            assert result.exit_code == 1
            assert SIGNATURE_REFUSED in result.output
            assert _untouched(target)
    finally:
        for made in (source, target):
            with made.app_context():
                db.engine.dispose()


def test_an_unsigned_backup_is_refused_unless_it_is_an_old_one_let_in(app, tmp_path, signed):
    folder, targets = signed
    target = _target(app, tmp_path, targets)
    (folder / "production" / "manifest.json.sig").unlink()

    # A signed format's manifest without its signature: refused, even with --unsigned-ok
    for flags in ([], ["--unsigned-ok"]):
        result = _run(target, "restore", str(folder), *flags)
        assert result.exit_code == 1
        assert "manifest.json.sig is missing: the backup is not signed" in result.output
    assert _untouched(target)

    # A format 1 manifest (made before backups were signed): only with --unsigned-ok
    _edit(folder, lambda manifest: manifest.update(format=1))
    result = _run(target, "restore", str(folder))
    assert result.exit_code == 1
    assert "--unsigned-ok restores it" in result.output
    assert _untouched(target)
    result = _run(target, "restore", str(folder), "--unsigned-ok")
    assert result.exit_code == 0, result.output
    assert "the backup was not signed (format 1)" in result.output
    with target.app_context():
        assert db.session.scalar(select(func.count()).select_from(PdfExport)) == 1
