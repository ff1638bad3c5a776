"""Commands of the records: the retention schedule and the audit trail's hash chain."""

from __future__ import annotations

import sys

import click

from app.cli import INSTANCE_OPTION, IsoTime, each_instance
from app.records.backup_cli import COMMANDS as BACKUP  # backup, restore


@click.group("retention")
def retention_group() -> None:
    """Blocking and erasure of personal data (Reg. 1024/2012 art. 14)."""


@retention_group.command("run")
@INSTANCE_OPTION
@click.option("--as-of", "as_of", type=IsoTime(), default=None, help="The moment to act as.")
@click.option("--dry-run", is_flag=True, help="Print what is due; change nothing.")
def retention_run(instance: str, as_of, dry_run: bool) -> None:
    """Block and erase what is due (the worker also runs it daily at 02:30 UTC)."""
    from app.records import retention

    for name, _target in each_instance(instance):
        for line in retention.run(as_of, dry_run=dry_run).lines():
            click.echo(f"{name}: {line}")


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
@INSTANCE_OPTION
@click.option(
    "--known-head",
    "known_heads",
    multiple=True,
    help="A head hash printed or logged earlier: fail if the chain no longer holds it "
    "(rows cut off the end).",
)
@click.option(
    "--max-lag",
    "max_lag",
    type=float,
    default=None,
    help="Fail if the oldest row not sealed yet is older than this many seconds.",
)
def audit_verify(instance: str, known_heads: tuple[str, ...], max_lag: float | None) -> None:
    """Check the hash chain of the audit trail and the digests of the rows not sealed
    yet; exit 1 at the first broken row."""
    from app.records import audit

    failed = False
    for name, _target in each_instance(instance):
        result = audit.verify(known_heads)
        lag = result.lag_seconds()
        if result.broken_at is not None:
            failed = True
            click.echo(f"{name}: chain broken at event {result.broken_at}", err=True)
        elif result.lost_head is not None:
            failed = True
            click.echo(
                f"{name}: head {result.lost_head} is missing: events were removed "
                "from the end of the trail",
                err=True,
            )
        else:
            click.echo(
                f"{name}: {result.checked} audit events, chain intact, head {result.head} "
                f"({result.unsealed} not sealed yet, sealing lag {lag:.1f} s)"
            )
        if max_lag is not None and lag > max_lag:
            failed = True
            click.echo(f"{name}: sealing lag {lag:.1f} s exceeds {max_lag:g} s", err=True)
    sys.exit(1 if failed else 0)


@audit_group.command("seal")
@INSTANCE_OPTION
def audit_seal(instance: str) -> None:
    """Link the audit rows appended since the last run into the hash chain (the worker
    does it every few seconds; in the embedded mode each commit does it)."""
    from app.records import audit

    failed = False
    for name, _target in each_instance(instance):
        result = audit.seal()
        click.echo(f"{name}: {result.sealed} audit events sealed, head {result.head}")
        if result.busy:
            click.echo(f"{name}: another sealer is running")
        if result.waiting:
            click.echo(f"{name}: transactions that wrote audit rows are still open; run again")
        if result.refused_at is not None:
            failed = True
            click.echo(f"{name}: event {result.refused_at} no longer matches its digest", err=True)
    sys.exit(1 if failed else 0)


COMMANDS = (retention_group, audit_group, *BACKUP)
