"""A full disk while uploading: the officer gets a clear message in their language, no
row points to a missing file and no partial file is left. The disk is a real tmpfs of
64 KiB where the tests may mount one (root); elsewhere write(2) fails with ENOSPC."""

from __future__ import annotations

import errno
import io
import os
import subprocess
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from app.cases import attachments
from app.extensions import db
from app.models import Attachment, AuditEvent
from tests.web.requests.conftest import as_user, compose, only_request, submit

FULL = "The file could not be saved. Please try again later."
SIZE = 64 * 1024


@pytest.fixture(params=["tmpfs", "ENOSPC"])
def small_disk(request, app, tmp_path, monkeypatch):
    """UPLOAD_DIR on a disk of 64 KiB: a file larger than that fills it mid-write."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    if request.param == "tmpfs":
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder)],
            capture_output=True,
        )
        if mounted.returncode != 0:
            pytest.skip("cannot mount a tmpfs here (not root): the ENOSPC case covers it")
    else:

        def write(descriptor, data):  # a file may grow to SIZE bytes, then the disk refuses
            room = SIZE - os.fstat(descriptor).st_size
            if room <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return os.write(descriptor, data[:room])

        monkeypatch.setattr(attachments, "_write", write)
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(folder))
    yield folder
    if request.param == "tmpfs":
        subprocess.run(["umount", str(folder)], check=True)


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.mark.parametrize("language", ["en", "de"])
def test_disk_full_while_uploading_leaves_no_row_and_no_file(app, people, small_disk, language):
    paris = people.authorities["paris"]
    people.requester.language = language  # the officer's own language rules the page
    db.session.commit()
    requester = as_user(app, people.requester)
    compose(requester, paris.id)
    item = only_request()
    big = b"%PDF-1.4\n" + b"0" * (2 * SIZE)

    # When the officer attaches a file larger than the room left on the disk
    response = submit(
        requester,
        f"/requests/{item.id}",
        f"/requests/{item.id}/attachments",
        {"file": (io.BytesIO(big), "diploma.pdf")},
        content_type="multipart/form-data",
        headers={"Accept-Language": language},
    )

    # Then the case page comes back with a clear message in their language
    assert response.status_code == 400
    with force_locale(language):
        assert gettext(FULL) in response.get_data(True)
    # and nothing is kept: no row, no audit of an added file, no partial file
    assert db.session.query(Attachment).count() == 0
    added = db.session.query(AuditEvent).filter_by(action="request.attachment_added")
    assert added.count() == 0
    assert files_in(small_disk) == []

    # When a file that fits comes next, it is stored whole
    small = b"%PDF-1.4\n%%EOF\n"
    assert (
        submit(
            requester,
            f"/requests/{item.id}",
            f"/requests/{item.id}/attachments",
            {"file": (io.BytesIO(small), "note.pdf")},
            content_type="multipart/form-data",
        ).status_code
        == 302
    )
    (stored,) = files_in(small_disk)
    assert stored.read_bytes() == small
    assert db.session.query(Attachment).one().storage_name == stored.name
