"""Housekeeping of sign-in: expired sessions and old rate-limit counters."""

from __future__ import annotations

import click

from app.cli import INSTANCE_OPTION, each_instance


@click.command("purge")
@INSTANCE_OPTION
def purge(instance: str) -> None:
    """Delete expired sessions and old rate-limit counters (run it hourly from cron)."""
    from app.accounts import ratelimit
    from app.extensions import db
    from app.sessions import purge_expired

    for name, _target in each_instance(instance):
        sessions = purge_expired()
        counters = ratelimit.purge()
        db.session.commit()
        click.echo(
            f"{name}: {sessions} expired sessions, {counters} old rate-limit counters deleted"
        )


COMMANDS = (purge,)
