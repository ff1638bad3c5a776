"""The backup manifest's signature. `manifest.json.sig` holds the HMAC-SHA256 (hex) of
manifest.json's bytes, under the key BACKUP_SIGNING_KEY, or when unset
hmac(SECRET_KEY, b"openimi-backup-manifest") (a key for this use only).

The checksums alone would not stop someone who can write the backup: they could change a
file and its checksum together. The signature covers the manifest, and so every checksum
in it, and only the key's holder can make it. It is a file of its own over the manifest's
exact bytes, not a field over a canonical JSON of the rest: nothing has to be serialised
again the same way (key order, spacing, numbers) to check it, and it is checked before the
manifest is even parsed. A restore on another machine needs the same key (or SECRET_KEY).

Manifests signed so are FORMAT 2. A FORMAT 1 manifest (made before backups were signed)
has no signature: `restore --unsigned-ok` restores one, and only one, so that the backups
made before the upgrade stay usable. As anyone able to write a backup can make it look
like an old one, use it only for a backup known to predate the upgrade; a FORMAT 2
manifest without its signature is always refused."""

from __future__ import annotations

import hashlib
import hmac
import json
from pathlib import Path

from flask import Flask

FORMAT = 2  # 1: the same manifest, unsigned (before backups were signed)
UNSIGNED_FORMAT = 1
MANIFEST = "manifest.json"
SIGNATURE = MANIFEST + ".sig"
KEY_CONTEXT = b"openimi-backup-manifest"


class BackupError(Exception):
    """A backup or restore that must stop; the message says why."""


def write_manifest(destination: Path, manifest: dict, key: bytes) -> None:
    """The manifest and its signature, in `destination`."""
    data = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()
    (destination / MANIFEST).write_bytes(data)
    (destination / SIGNATURE).write_text(_signature(key, data) + "\n")


def signing_key(app: Flask) -> bytes:
    """BACKUP_SIGNING_KEY, or a key derived from SECRET_KEY for this use only."""
    configured = app.config.get("BACKUP_SIGNING_KEY")
    if configured:
        return _bytes(configured)
    return hmac.new(_bytes(app.config["SECRET_KEY"]), KEY_CONTEXT, hashlib.sha256).digest()


def _bytes(key: str | bytes) -> bytes:
    return key if isinstance(key, bytes) else key.encode()


def _signature(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def read_manifest(source: Path, key: bytes, unsigned_ok: bool) -> tuple[dict, bool]:
    """The manifest once its signature matches (a FORMAT 1 one without a signature, with
    `unsigned_ok`), and whether it was signed."""
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{manifest_path} is missing: not a backup")
    data = manifest_path.read_bytes()
    signature_path = source / SIGNATURE
    signed = signature_path.is_file()
    if signed:
        found = signature_path.read_bytes().strip()
        if not hmac.compare_digest(found, _signature(key, data).encode()):
            raise BackupError(
                f"{SIGNATURE} does not match {MANIFEST}: the backup was changed after it "
                "was made, or it was signed with another key (BACKUP_SIGNING_KEY, else "
                "SECRET_KEY)"
            )
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError(f"{manifest_path} is not JSON") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"{manifest_path} is not a manifest")
    if signed and manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    if not signed:
        if manifest.get("format") != UNSIGNED_FORMAT:
            raise BackupError(f"{SIGNATURE} is missing: the backup is not signed")
        if not unsigned_ok:
            raise BackupError(
                f"{SIGNATURE} is missing: a backup of format 1, made before backups were "
                "signed (--unsigned-ok restores it, if you know it is one)"
            )
    return manifest, signed
