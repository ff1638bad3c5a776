"""Commands of the procedure packs (procedures are data)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app

from app.cli import INSTANCE_OPTION, run_each


@click.group("procedures")
def procedures_group() -> None:
    """Procedure packs (procedures are data)."""


@procedures_group.command("check")
def procedures_check() -> None:
    """Validate every pack and its catalogs, one per interface language (complete,
    plural forms as in CLDR, compiling); exit 1 on any error or gap."""
    from app.i18n_check import check_procedure_catalogs
    from app.procedures import PackError, load_pack, pack_folders

    failed = False
    folders = pack_folders([Path(d) for d in current_app.config["PROCEDURE_DIRS"]])
    for folder in folders:
        try:
            pack = load_pack(folder)
        except PackError as error:
            failed = True
            click.echo(f"{folder.name}: INVALID", err=True)
            for problem in error.problems:
                click.echo(f"  - {problem}", err=True)
            continue
        gaps = pack.missing_translations()
        total = len(pack.source_strings())
        status = "ok" if not gaps else f"{len(gaps)} languages incomplete"
        click.echo(f"{pack.key} v{pack.version} ({pack.kind}, {total} texts): {status}")
        for language, missing in sorted(gaps.items()):
            failed = True
            click.echo(f"  {language}: {total - len(missing)}/{total} translated", err=True)
    for problem in check_procedure_catalogs(folders):
        failed = True
        click.echo(f"  {problem}", err=True)
    click.echo(f"{len(folders)} packs checked")
    sys.exit(1 if failed else 0)


@procedures_group.command("catalogs")
def procedures_catalogs() -> None:
    """Write each pack's catalogs (one per interface language) from its English texts (translations kept)."""
    from app.procedures import registry, write_catalogs

    for pack in registry(current_app).values():
        write_catalogs(pack)
        click.echo(f"{pack.key}: catalogs written")


@procedures_group.command("sync")
@INSTANCE_OPTION
def procedures_sync(instance: str) -> None:
    """Make the procedure table list every loaded pack (for access grants)."""
    from app.procedures.store import sync

    run_each(instance, sync, "{} procedures")


COMMANDS = (procedures_group,)
