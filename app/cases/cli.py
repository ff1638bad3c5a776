"""Commands of the cases: deadline reminders, the public interface's unconfirmed cases,
their files, the search index."""

from __future__ import annotations

from collections.abc import Callable

import click

from app.cases import orphans
from app.cases.held import purge as purge_held
from app.cases.public import purge_unconfirmed
from app.cases.search import reindex_all
from app.cli import INSTANCE_OPTION, as_of_day_option, each_instance, run_each
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


@click.command(
    "remind",
    help="Send every kind's deadline reminders due today that have not gone out: reply "
    "dates, send-by dates, SOLVIT clocks, the Commission's assessment dates and EPC "
    "periods (run it daily from cron; the worker's scheduler also sends them on their day).",
)
@INSTANCE_OPTION
@as_of_day_option()
def remind_every_kind(instance: str, as_of) -> None:
    from app.cases import reminders

    run_each(instance, lambda: reminders.remind_all(as_of or utcnow().date()), "{} reminders sent")


def counted(name: str, work: Callable[[], int], say: str, help: str) -> click.Command:
    """A command that does `work` in each instance and says how much (`say`)."""

    @click.command(name, help=help)
    @INSTANCE_OPTION
    def command(instance: str) -> None:
        run_each(instance, work, say)

    return command


@click.command(
    "sweep-orphans",
    help="Delete the files in UPLOAD_DIR/attachments and /pdf that no row names (an upload "
    "whose row never committed), once older than --older-than hours; list the rows whose "
    "file is missing (cron, daily).",
)
@INSTANCE_OPTION
@click.option(
    "--older-than",
    "hours",
    type=click.IntRange(min=1),
    default=orphans.DEFAULT_HOURS,
    show_default=True,
    help="Only files older than this many hours (a younger one may be an upload in progress).",
)
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def sweep_orphans(instance: str, hours: int, dry_run: bool) -> None:
    for name, _target in each_instance(instance):
        report = orphans.sweep(hours, dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        for path in report.deleted:
            click.echo(f"{name}: {path} {verb}")
        click.echo(f"{name}: {len(report.deleted)} orphan files {verb} ({report.bytes} bytes)")
        for table, row_id, path in report.missing:
            click.echo(f"{name}: {table} {row_id} names {path}, which is missing", err=True)
        if report.missing:
            click.echo(f"{name}: {len(report.missing)} rows name a missing file", err=True)


def group(name: str, help: str, *commands: click.Command) -> click.Group:
    return click.Group(name, help=help, commands=commands)


COMMANDS = (
    remind_every_kind,
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
        remind_command("public_case", "SOLVIT clocks' reminders"),
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
        sweep_orphans,
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
