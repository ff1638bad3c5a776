"""Flask CLI (`flask --app wsgi ...`): each domain keeps its commands in its own package
(app/<domain>/cli.py); this module holds what they share and registers them. Commands
that manage data act on both instances unless --instance names one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

INSTANCE_OPTION = click.option(
    "--instance",
    type=click.Choice(["production", "training", "all"]),
    default="all",
    show_default=True,
    help="Which instance to act on.",
)


def apps(instance: str) -> list[Flask]:
    from app.jobs import app_for

    names = ["production", "training"] if instance == "all" else [instance]
    own = current_app._get_current_object()
    return [own if own.config["INSTANCE"] == name else app_for(name) for name in names]


def each_instance(instance: str) -> Iterator[tuple[str, Flask]]:
    """(name, app) of each instance named, inside its application context."""
    for target in apps(instance):
        with target.app_context():
            yield target.config["INSTANCE"], target


def run_each(instance: str, work: Callable[[], object], say: str) -> None:
    """Run `work` in each instance and print `say` formatted with its result."""
    for name, _target in each_instance(instance):
        click.echo(f"{name}: " + say.format(work()))


class IsoDate(click.ParamType):
    name = "date"

    def convert(self, value, param, ctx):
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail("use an ISO date like 2027-01-31", param, ctx)


class IsoTime(click.ParamType):
    """An ISO moment; without a zone, UTC."""

    name = "time"

    def convert(self, value, param, ctx):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            self.fail("use an ISO time like 2027-01-31T12:00:00", param, ctx)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def as_of_day_option(help_text: str = "The day to act as (ISO date).") -> Callable:
    return click.option("--as-of", "as_of", type=IsoDate(), default=None, help=help_text)


def init_app(app: Flask) -> None:
    from app.accounts.cli import COMMANDS as ACCOUNTS
    from app.cases.cli import COMMANDS as CASES
    from app.demo.cli import COMMANDS as DEMO
    from app.jobs.cli import COMMANDS as JOBS
    from app.migrate import COMMANDS as MIGRATE
    from app.procedures.cli import COMMANDS as PROCEDURES
    from app.records.cli import COMMANDS as RECORDS
    from app.translation.cli import COMMANDS as TRANSLATION

    for command in (*MIGRATE, *JOBS, *DEMO, *ACCOUNTS, *CASES, *RECORDS, *PROCEDURES, *TRANSLATION):
        app.cli.add_command(_in_app_context(command))


def _in_app_context(command: click.Command) -> click.Command:
    """Run the command (each command of a group) in the app's context, as Flask's own
    `app.cli.command` does: `flask` pushes one, a test's CLI runner does not."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _in_app_context(sub)
    elif command.callback is not None and not hasattr(command.callback, "__wrapped__"):
        command.callback = with_appcontext(command.callback)  # once: both instances add it
    return command
