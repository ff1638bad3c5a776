"""Files in UPLOAD_DIR that no row names. An upload is written before its row commits
(attachments.store), and a prepared PDF before its export row names it, so a process
killed between the two leaves a file nobody will ever read or erase. `sweep` deletes
those older than a limit (a young one may be an upload whose row is about to commit)
and reports the rows whose file is missing, without changing them.

The names come from app/records/backup.py `named_rows` (the same list a backup copies).
The folder is listed *before* the names are read: a file whose row commits after the
listing is not a candidate unless it was there already, and then its row (a restore
loads the database before it writes the files) is in the names read after. Each
candidate is checked again just before it goes (still a plain file, still old).
Only the folders where rows' files live (`attachments/`, `pdf/`) are swept: anything
else under UPLOAD_DIR (`held/`, named by a form's signed token and left to `files
purge-held`; a folder an operator put there) is never touched. Symbolic links are
neither followed nor deleted."""

from __future__ import annotations

import logging
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from app.extensions import db
from app.records.backup import named_rows

log = logging.getLogger(__name__)

DEFAULT_HOURS = 24
SWEPT = ("attachments", "pdf")  # where the files rows name are (attachments, pdf exports)


@dataclass
class Sweep:
    deleted: list[str] = field(default_factory=list)  # relative to UPLOAD_DIR
    bytes: int = 0
    missing: list[tuple[str, int, str]] = field(default_factory=list)  # table, id, path
    dry_run: bool = False


def _old_files(root: Path, before: float) -> dict[str, int]:
    """The plain files under root's SWEPT folders (no link followed) last changed before
    `before`: their path relative to root, and size."""
    found = {}
    tops = [root / name for name in SWEPT if not (root / name).is_symlink()]
    for top in tops:
        for folder, _folders, files in os.walk(top, followlinks=False):
            here = Path(folder)
            for name in files:
                info = (here / name).lstat()
                if stat.S_ISREG(info.st_mode) and info.st_mtime < before:
                    found[(here / name).relative_to(root).as_posix()] = info.st_size
    return found


def sweep(older_than_hours: float = DEFAULT_HOURS, dry_run: bool = False) -> Sweep:
    """Delete (with dry_run: only list) the files under UPLOAD_DIR that no row names and
    that are older than `older_than_hours`; report the rows whose file is missing."""
    root = Path(current_app.config["UPLOAD_DIR"]).resolve()
    before = time.time() - older_than_hours * 3600
    report = Sweep(dry_run=dry_run)
    candidates = _old_files(root, before) if root.is_dir() else {}
    named = set()
    for path, table, row_id in named_rows(db.session.connection()):
        named.add(path)
        if not (root / path).is_file():
            report.missing.append((table, row_id, path))
    db.session.rollback()  # read only; no transaction held while files are deleted
    for relative, size in sorted(candidates.items()):
        if relative in named:
            continue
        path = root / relative
        try:
            info = path.lstat()
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(info.st_mode) or info.st_mtime >= before:
            continue
        if not dry_run:
            path.unlink(missing_ok=True)
        report.deleted.append(relative)
        report.bytes += size
    verb = "would delete" if dry_run else "deleted"
    log.info("orphan files: %s %d (%d bytes)", verb, len(report.deleted), report.bytes)
    if report.missing:
        log.warning(
            "%d rows name a file that is missing: %s",
            len(report.missing),
            ", ".join(f"{table} {row_id}" for table, row_id, _path in report.missing),
        )
    return report
