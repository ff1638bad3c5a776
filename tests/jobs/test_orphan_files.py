"""`flask files sweep-orphans` (app/cases/orphans.py): a file under UPLOAD_DIR that no
row names (an upload whose row never committed) is deleted once older than the limit; a
younger one, every file a row names, the held files, files outside the app's own
folders and whatever a symbolic link points to are kept; --dry-run deletes nothing; a row whose file is missing is reported, not
changed."""

from __future__ import annotations

import logging
import os
import secrets
import time
from pathlib import Path

import pytest

from app.extensions import db
from app.models.pdf import PdfExport
from app.models.requests import Attachment
from tests.web.security.world import actor_of, build_world

DAY = 24 * 3600


def _age(path: Path, seconds: float) -> None:
    moment = time.time() - seconds
    os.utime(path, (moment, moment), follow_symlinks=False)


def _write(path: Path, data: bytes, age: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    _age(path, age)
    return path


def _sweep(app, *flags):
    return app.test_cli_runner().invoke(
        args=["files", "sweep-orphans", "--instance", "production", *flags]
    )


@pytest.fixture
def uploads(app, tmp_path):
    """The world's request files and a prepared PDF, all two days old (so that only
    their rows keep them), and beside them: an old orphan attachment and PDF, a young
    orphan, an old held file, an old file in a folder of someone else's, and links (in
    the attachments) to an old file and folder outside UPLOAD_DIR."""
    world = build_world()
    root = Path(app.config["UPLOAD_DIR"])
    handler = actor_of(world.users["handler"])
    _write(root / "pdf" / "7-named.pdf", b"%PDF-1.4\n%%EOF\n", 2 * DAY)
    db.session.add(
        PdfExport(
            kind="request",
            object_id=world.ids["request_sent"],
            user_id=handler.user.id,
            authority_id=handler.authority.id,
            file_path="pdf/7-named.pdf",
        )
    )
    db.session.commit()
    named = [root / "pdf" / "7-named.pdf"]
    for row in db.session.query(Attachment):
        named.append(root / "attachments" / row.storage_name[:2] / row.storage_name)
        _age(named[-1], 2 * DAY)
    lost = secrets.token_hex(16)
    outside = _write(tmp_path / "outside" / "keep.pdf", b"not the app's", 2 * DAY)
    links = root / "attachments" / "zz"
    links.mkdir(parents=True, exist_ok=True)
    link = links / f"to-outside-{secrets.token_hex(4)}"
    link.symlink_to(outside.parent, target_is_directory=True)
    file_link = links / f"file-{secrets.token_hex(4)}"
    file_link.symlink_to(outside)
    for made in (link, file_link):
        _age(made, 2 * DAY)  # the link itself
    made = {
        "named": named,
        "old": [
            _write(root / "attachments" / lost[:2] / lost, b"%PDF-1.4 lost\n", 25 * 3600),
            _write(root / "pdf" / "8-lost.pdf", b"%PDF-1.4 lost pdf\n", 3 * DAY),
        ],
        "young": _write(root / "attachments" / "ab" / ("ab" + "0" * 30), b"young", 3600),
        "held": _write(root / "held" / secrets.token_hex(16), b"held", 2 * DAY),
        "foreign": _write(root / "operator" / "notes.txt", b"not the app's", 2 * DAY),
        "outside": outside,
        "links": [link, file_link],
    }
    yield made
    # UPLOAD_DIR outlives the test (other tests count the held files, say)
    mine = (made["named"][0], *made["old"], made["young"], made["held"], made["foreign"])
    for path in (*mine, *made["links"]):
        path.unlink(missing_ok=True)


def test_old_orphans_go_and_everything_else_stays(app, uploads):
    result = _sweep(app)
    assert result.exit_code == 0, result.output
    root = Path(app.config["UPLOAD_DIR"])
    for path in uploads["old"]:
        assert not path.exists()
        assert f"production: {path.relative_to(root).as_posix()} deleted" in result.output
    assert "orphan files deleted" in result.output
    assert all(path.is_file() for path in uploads["named"])
    assert uploads["young"].is_file()
    assert uploads["held"].is_file()  # files purge-held's
    assert uploads["foreign"].is_file()
    assert uploads["outside"].is_file()  # never followed
    assert all(link.is_symlink() for link in uploads["links"])  # nor deleted


def test_a_lower_limit_takes_younger_orphans(app, uploads):
    # 25 hours old: kept under a limit of 26, gone under the default of 24
    assert _sweep(app, "--older-than", "26").exit_code == 0
    assert uploads["old"][0].is_file() and not uploads["old"][1].exists()
    assert _sweep(app, "--older-than", "1").exit_code == 0
    assert not uploads["old"][0].exists() and not uploads["young"].exists()
    assert all(path.is_file() for path in uploads["named"])


def test_a_dry_run_deletes_nothing(app, uploads):
    root = Path(app.config["UPLOAD_DIR"])
    before = sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())
    result = _sweep(app, "--dry-run")
    assert result.exit_code == 0, result.output
    for path in uploads["old"]:
        assert f"{path.relative_to(root).as_posix()} would be deleted" in result.output
    assert "orphan files would be deleted" in result.output
    assert sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()) == before


def test_a_row_whose_file_is_missing_is_reported_and_kept(app, uploads, caplog):
    row = db.session.query(Attachment).order_by(Attachment.id).first()
    path = Path(app.config["UPLOAD_DIR"]) / "attachments" / row.storage_name[:2]
    (path / row.storage_name).unlink()
    with caplog.at_level(logging.WARNING, logger="app.cases.orphans"):
        result = _sweep(app)
    assert result.exit_code == 0, result.output
    assert f"attachment {row.id} names attachments/" in result.output
    assert "1 rows name a missing file" in result.output
    assert f"attachment {row.id}" in caplog.text and "1 rows name a file" in caplog.text
    assert db.session.get(Attachment, row.id) is not None
    others = [path for path in uploads["named"] if path.name != row.storage_name]
    assert all(path.is_file() for path in others)
