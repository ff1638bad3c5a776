"""Commands of the interface translations."""

from __future__ import annotations

import sys

import click

from app.reference import LANGUAGES


@click.group("translations")
def translations_group() -> None:
    """Interface translations."""


@translations_group.command("check")
def translations_check() -> None:
    """Fail on a missing or fuzzy entry, a placeholder mismatch, plural forms that
    differ from CLDR's, a catalog that does not compile, or an entry that does not use
    the glossary's term for a concept (translations/glossary.toml)."""
    from app.i18n_check import check_catalogs, check_glossary

    problems = check_catalogs() + check_glossary()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"translations: all {len(LANGUAGES)} catalogs complete and following the glossary")


COMMANDS = (translations_group,)
