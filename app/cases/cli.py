"""Commands of the cases: deadline reminders, the public interface's unconfirmed cases,
the search index."""

from __future__ import annotations

from collections.abc import Callable

import click

from app.cases.held import purge as purge_held
from app.cases.public import purge_unconfirmed
from app.cases.search import reindex_all
from app.cli import INSTANCE_OPTION, as_of_day_option, run_each
from app.models.base import utcnow


def remind_command(kind: str, what: str) -> click.Command:
    """`<group> remind`: the reminders of one kind's date (app/cases/reminders.py)."""

    @click.command(
        "remind",
        help=f"Send the {what} due today that have not gone out (run it daily from cron; "
        "the worker's scheduler also sends them on their day).",
    )
    @INSTANCE_OPTION
    @as_of_day_option()
    def remind(instance: str, as_of) -> None:
        from app.cases import registry

        reminders = registry.kind(kind).reminders
        run_each(
            instance, lambda: reminders.remind_all(as_of or utcnow().date()), "{} reminders sent"
        )

    return remind


def counted(name: str, work: Callable[[], int], say: str, help: str) -> click.Command:
    """A command that does `work` in each instance and says how much (`say`)."""

    @click.command(name, help=help)
    @INSTANCE_OPTION
    def command(instance: str) -> None:
        run_each(instance, work, say)

    return command


def group(name: str, help: str, *commands: click.Command) -> click.Group:
    return click.Group(name, help=help, commands=commands)


COMMANDS = (
    group(
        "requests",
        "Requests between authorities.",
        remind_command("request", "reply-date reminders"),
    ),
    group(
        "alerts",
        "Alerts and notifications.",
        remind_command("alert", "send-by reminders of unsent alerts"),
    ),
    group(
        "public",
        "Cases of the public interface.",
        counted(
            "purge",
            purge_unconfirmed,
            "{} unconfirmed public cases deleted",
            "Delete cases never confirmed within 48 hours, with their files (cron, hourly).",
        ),
    ),
    group(
        "files",
        "Files of the cases.",
        counted(
            "purge-held",
            purge_held,
            "{} held files deleted",
            "Delete the files held by forms never sent again within a day (cron, hourly).",
        ),
    ),
    group(
        "search",
        "Officers' search of their cases.",
        counted(
            "reindex",
            reindex_all,
            "{} cases indexed",
            "Rebuild the search text of every case (after an upgrade; safe to run again).",
        ),
    ),
)
