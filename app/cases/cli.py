"""Commands of the cases: deadline reminders, the public interface's unconfirmed cases,
the search index."""

from __future__ import annotations

import click

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


@click.group("requests")
def requests_group() -> None:
    """Requests between authorities."""


requests_group.add_command(remind_command("request", "reply-date reminders"))


@click.group("alerts")
def alerts_group() -> None:
    """Alerts and notifications."""


alerts_group.add_command(remind_command("alert", "send-by reminders of unsent alerts"))


@click.group("public")
def public_group() -> None:
    """Cases of the public interface."""


@public_group.command("purge")
@INSTANCE_OPTION
def public_purge(instance: str) -> None:
    """Delete cases never confirmed within 48 hours, with their files (cron, hourly)."""
    from app.cases.public import purge_unconfirmed

    run_each(instance, purge_unconfirmed, "{} unconfirmed public cases deleted")


@click.group("search")
def search_group() -> None:
    """Officers' search of their cases."""


@search_group.command("reindex")
@INSTANCE_OPTION
def search_reindex(instance: str) -> None:
    """Rebuild the search text of every case (after an upgrade; safe to run again)."""
    from app.cases.search import reindex_all

    run_each(instance, reindex_all, "{} cases indexed")


COMMANDS = (requests_group, alerts_group, public_group, search_group)
