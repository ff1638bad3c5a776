"""The `backup` and `restore` commands (app/records/backup.py does the work)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from app.cli import INSTANCE_OPTION, each_instance
from app.records.backup import BackupError, backup, restore


@click.command("backup")
@click.argument("destination", type=click.Path(file_okay=False, path_type=Path))
@INSTANCE_OPTION
def backup_command(destination: Path, instance: str) -> None:
    """Write a consistent backup (database, files, manifest with checksums, signed) of
    each instance into DESTINATION/<instance>/."""
    failed = False
    for name, target in each_instance(instance):
        try:
            manifest = backup(target, destination / name)
        except BackupError as error:
            failed = True
            click.echo(f"{name}: backup refused: {error}", err=True)
            continue
        click.echo(
            f"{name}: database and {len(manifest['files'])} files written to "
            f"{destination / name}; migration {manifest['migration_head']}, "
            f"audit head {manifest['audit_head']['hash']}"
        )
        for missing in manifest["missing"]:
            click.echo(f"{name}: {missing} is named by the database but missing", err=True)
    sys.exit(1 if failed else 0)


@click.command("restore")
@click.argument("source", type=click.Path(file_okay=False, exists=True, path_type=Path))
@INSTANCE_OPTION
@click.option("--force", is_flag=True, help="Replace a database and upload folder in use.")
@click.option(
    "--unsigned-ok",
    is_flag=True,
    help="Restore a backup made before backups were signed (format 1, no manifest.json.sig).",
)
def restore_command(source: Path, instance: str, force: bool, unsigned_ok: bool) -> None:
    """Restore SOURCE/<instance>/ (a `backup`) into an empty database and upload folder:
    the manifest's signature and the checksums first, then the database, the retention
    sweep, the files, `audit verify`."""
    failed = False
    for name, target in each_instance(instance):
        try:
            report = restore(target, source / name, force=force, unsigned_ok=unsigned_ok)
        except BackupError as error:
            failed = True
            click.echo(f"{name}: restore refused: {error}", err=True)
            continue
        if not report.signed:
            click.echo(f"{name}: the backup was not signed (format 1): restored as it was")
        for line in report.retention:
            click.echo(f"{name}: retention: {line}")
        click.echo(f"{name}: {report.files} files restored, {report.left_out} left out (erased)")
        for missing in report.missing:
            click.echo(f"{name}: {missing} was already missing when backed up", err=True)
        if report.verified:
            click.echo(
                f"{name}: {report.audit_events} audit events, chain intact, "
                f"head {report.audit_head}"
            )
        else:
            failed = True
            click.echo(f"{name}: the restored audit trail does not verify", err=True)
    sys.exit(1 if failed else 0)


COMMANDS = (backup_command, restore_command)
