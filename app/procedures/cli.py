"""Commands of the procedure packs (procedures are data)."""

from __future__ import annotations

import os
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
    plural forms as in CLDR, compiling, the legal terms of the area's term base); exit 1
    on any error or gap. A draft's missing languages are warnings."""
    from app.i18n_check import check_procedure_catalogs
    from app.procedures import PackError, load_pack, pack_folders

    failed = False
    directories = [Path(d) for d in current_app.config["PROCEDURE_DIRS"]]
    folders = pack_folders(directories)
    term_bases = {}
    for folder in folders:
        area = folder.parent
        if area not in term_bases:
            term_bases[area] = _term_base(area)
            if isinstance(term_bases[area], str):
                failed = True
                click.echo(f"{area.name}: {term_bases[area]}", err=True)
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
        if pack.is_draft:
            status += " (draft: not offered to officers)"
        click.echo(f"{pack.key} v{pack.version} ({pack.kind}, {total} texts): {status}")
        for language, missing in sorted(gaps.items()):
            failed = failed or not pack.is_draft
            warning = "warning: " if pack.is_draft else ""
            click.echo(
                f"  {warning}{language}: {total - len(missing)}/{total} translated", err=True
            )
        if not isinstance(term_bases[area], str):
            for problem in term_problems(pack, term_bases[area]):
                failed = True
                click.echo(f"  {pack.key}: {problem}", err=True)
    for problem in check_procedure_catalogs(folders):
        failed = True
        click.echo(f"  {problem}", err=True)
    click.echo(f"{len(folders)} packs checked")
    sys.exit(1 if failed else 0)


def _term_base(area: Path):
    """The area's terms (app/glossary.py), or a line saying why there are none."""
    from app import glossary
    from app.procedures import TERM_BASE

    path = area / TERM_BASE
    if not path.exists():
        return f"no term base: write {os.path.relpath(path)} (the legal terms of the area's acts)"
    try:
        return glossary.load(path)
    except Exception as error:  # a malformed file: TOML syntax, a term without `en`
        return f"term base {path} cannot be read: {error!r}"


def term_problems(pack, terms) -> list[str]:
    """One line per catalog entry of the pack that speaks of a term of its area's term
    base without using the language's term, or with a word the term base rules out."""
    from types import SimpleNamespace

    from app import glossary

    problems = []
    for language, texts in sorted(pack.translations.items()):
        if language == "en" or not terms:
            continue
        # the catalog as the pack read it (translated, not fuzzy entries)
        entries = [SimpleNamespace(id=i, string=t) for i, t in texts.items()]
        problems += glossary.check_catalog(entries, language, terms)
    return problems


@procedures_group.command("new")
@click.argument("area")
@click.argument("key")
@click.option(
    "--kind",
    type=click.Choice(["request", "notification", "alert", "repository", "public"]),
    required=True,
)
@click.option(
    "--directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="The folder of packs to write in (default: the built-in one).",
)
def procedures_new(area: str, key: str, kind: str, directory: Path | None) -> None:
    """Scaffold a draft pack AREA/KEY: valid placeholders, English catalogs, the other
    languages missing; a draft is checked and previewed but offered to no officer."""
    from app.procedures import all_packs
    from app.procedures.scaffold import new_pack

    directory = directory or Path(current_app.config["PROCEDURE_DIRS"][0])
    try:
        folder = new_pack(directory, area, key, kind, set(all_packs(current_app)))
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"{folder}: draft {kind} pack written")
    click.echo(
        "Next: fill procedure.toml, `flask procedures catalogs`, translate the catalogs, "
        'add the area\'s terms, `flask procedures check`, preview it, set status = "active".'
    )


@procedures_group.command("catalogs")
def procedures_catalogs() -> None:
    """Write each pack's catalogs (one per interface language) from its English texts (translations kept)."""
    from app.procedures import all_packs
    from app.procedures.catalogs import write_catalogs

    for pack in all_packs(current_app).values():
        write_catalogs(pack)
        click.echo(f"{pack.key}: catalogs written")


@procedures_group.command("sync")
@INSTANCE_OPTION
def procedures_sync(instance: str) -> None:
    """Make the procedure table list every loaded pack (for access grants)."""
    from app.procedures.store import sync

    run_each(instance, sync, "{} procedures")


COMMANDS = (procedures_group,)
